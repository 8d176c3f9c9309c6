package versori

import (
	"fmt"
	"log/slog"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Secret is a string that must not be seen: an API key, a password, a client
// secret, a token, a private key. It is the SDK's one mechanism for keeping
// secrets out of sight: fmt prints it as [REDACTED] with every verb, slog
// logs it as [REDACTED] through every handler, and encoding/json (v1 and v2)
// encodes it as "[REDACTED]", so a value holding a Secret at any depth, in
// any slice, map or struct, never shows it. Only the SDK's own request
// encoding sends the value, to the API it is configured for.
//
// An empty Secret prints as empty, so "not set" stays distinguishable from
// "set". Convert a string with Secret(s); read the value with Reveal.
type Secret string

// redacted is what a set Secret shows instead of its value.
const redacted = "[REDACTED]"

// Reveal returns the secret's value.
func (s Secret) Reveal() string { return string(s) }

// String returns [REDACTED], or "" for an empty secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// Format prints String for every verb and flag, so no verb (not %x, %q or
// %#v) can print the value.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' || (verb == 'v' && f.Flag('#')) {
		fmt.Fprintf(f, "%q", s.String())
		return
	}
	fmt.Fprint(f, s.String())
}

// LogValue logs String.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON encodes String as a JSON string: any JSON encoder, including
// the one in slog's JSON handler, sees "[REDACTED]".
func (s Secret) MarshalJSON() ([]byte, error) {
	return jsontext.AppendQuote(nil, s.String())
}

// SecretJSON is raw JSON that may hold secrets, such as the data of a
// credential type this SDK does not know yet. Like Secret, it prints, logs
// and encodes as [REDACTED] everywhere but in the SDK's requests, which send
// it as it is. Decoding keeps a copy of the JSON as received.
type SecretJSON []byte

// String returns [REDACTED], or "" when there is no JSON.
func (s SecretJSON) String() string {
	if len(s) == 0 {
		return ""
	}
	return redacted
}

// Format prints String for every verb and flag.
func (s SecretJSON) Format(f fmt.State, verb rune) { Secret(s.String()).Format(f, verb) }

// LogValue logs String.
func (s SecretJSON) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON encodes String as a JSON string.
func (s SecretJSON) MarshalJSON() ([]byte, error) {
	return jsontext.AppendQuote(nil, s.String())
}

// UnmarshalJSON keeps a copy of b.
func (s *SecretJSON) UnmarshalJSON(b []byte) error {
	*s = append((*s)[:0:0], b...)
	return nil
}

// wireOptions are the options of the SDK's request encoding: the only place
// a Secret or a SecretJSON is encoded as its value. Map keys are sorted, so
// a body encodes the same way every time.
var wireOptions = json.JoinOptions(json.Deterministic(true), json.WithMarshalers(json.JoinMarshalers(
	json.MarshalToFunc(func(enc *jsontext.Encoder, s Secret) error {
		return enc.WriteToken(jsontext.String(string(s)))
	}),
	json.MarshalToFunc(func(enc *jsontext.Encoder, s SecretJSON) error {
		if len(s) == 0 {
			return enc.WriteToken(jsontext.Null)
		}
		return enc.WriteValue(jsontext.Value(s))
	}),
)))
