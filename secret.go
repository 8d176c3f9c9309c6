package versori

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/versori-go/versori/internal/union"
)

// Secret is a string that must not be seen: an API key, a password, a client
// secret, a token, a private key. It is the SDK's one mechanism for keeping
// secrets out of sight: fmt prints it as [REDACTED] with every verb, slog
// logs it as [REDACTED] through every handler, and encoding/json (v1 and v2)
// encodes it as "[REDACTED]", so a value holding a Secret at any depth, in
// any slice, map, pointer or struct, never shows it. Only the SDK's own
// request encoding sends the value, to the API it is configured for.
//
// Make one with NewSecret and read it with Reveal. The value sits behind a
// pointer: fmt prints a pointer inside another value as an address, so not
// even the output of a wrong verb (fmt's "%!s(...)", which skips Format
// methods) can reach it. The zero Secret is empty, and prints as empty, so
// "not set" stays distinguishable from "set".
type Secret struct{ v *string }

// NewSecret returns s as a Secret.
func NewSecret(s string) Secret {
	if s == "" {
		return Secret{}
	}
	return Secret{&s}
}

// redacted is what a set Secret shows instead of its value.
const redacted = "[REDACTED]"

// Reveal returns the secret's value.
func (s Secret) Reveal() string {
	if s.v == nil {
		return ""
	}
	return *s.v
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.Reveal() == "" }

// String returns [REDACTED], or "" for an empty secret.
func (s Secret) String() string { return shown(s.IsZero()) }

// Format prints String for every verb and flag, so no verb (not %x, %q or
// %#v) can print the value.
func (s Secret) Format(f fmt.State, verb rune) { formatRedacted(f, verb, s.String()) }

// LogValue logs String.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON encodes String as a JSON string: any JSON encoder, including
// the one in slog's JSON handler, sees "[REDACTED]".
func (s Secret) MarshalJSON() ([]byte, error) { return jsontext.AppendQuote(nil, s.String()) }

// UnmarshalJSON decodes a JSON string (or null, as empty). It unquotes b
// itself rather than calling json.Unmarshal, which would set up a whole
// decoder for every secret of every answer; its errors never quote b.
func (s *Secret) UnmarshalJSON(b []byte) error {
	v := jsontext.Value(bytes.Trim(b, " \t\r\n")) // JSON's whitespace
	switch v.Kind() {
	case 'n':
		if string(v) != "null" {
			return errInvalidSecret
		}
		*s = Secret{}
		return nil
	case '"':
		u, err := jsontext.AppendUnquote(nil, v) // checks v is one valid string
		if err != nil {
			return errInvalidSecret
		}
		*s = NewSecret(string(u))
		return nil
	}
	return fmt.Errorf("versori.Secret: want a JSON string, got a JSON %s", union.KindName(v.Kind()))
}

// errInvalidSecret refuses a secret that is not a valid JSON string, without
// any of its bytes.
var errInvalidSecret = errors.New("versori.Secret: not a valid JSON string")

// SecretJSON is raw JSON that may hold secrets, such as the data of a
// credential type this SDK does not know yet. Like Secret, it prints, logs
// and encodes as [REDACTED] everywhere but in the SDK's requests, which send
// it as it is; decoding keeps a copy of the JSON as received.
type SecretJSON struct{ v *[]byte }

// NewSecretJSON returns a copy of raw, which must be JSON, as a SecretJSON.
func NewSecretJSON(raw []byte) SecretJSON {
	if len(raw) == 0 {
		return SecretJSON{}
	}
	c := bytes.Clone(raw)
	return SecretJSON{&c}
}

// Reveal returns a copy of the JSON.
func (s SecretJSON) Reveal() []byte {
	if s.v == nil {
		return nil
	}
	return bytes.Clone(*s.v)
}

// IsZero reports whether there is no JSON.
func (s SecretJSON) IsZero() bool { return s.v == nil || len(*s.v) == 0 }

// String returns [REDACTED], or "" when there is no JSON.
func (s SecretJSON) String() string { return shown(s.IsZero()) }

// Format prints String for every verb and flag.
func (s SecretJSON) Format(f fmt.State, verb rune) { formatRedacted(f, verb, s.String()) }

// LogValue logs String.
func (s SecretJSON) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON encodes String as a JSON string.
func (s SecretJSON) MarshalJSON() ([]byte, error) { return jsontext.AppendQuote(nil, s.String()) }

// UnmarshalJSON keeps a copy of b.
func (s *SecretJSON) UnmarshalJSON(b []byte) error {
	*s = NewSecretJSON(b)
	return nil
}

// shown is what a secret shows: [REDACTED], or "" when it is empty, so that
// "not set" stays distinguishable from "set".
func shown(empty bool) string {
	if empty {
		return ""
	}
	return redacted
}

// formatRedacted prints text, what a secret shows, whatever the verb.
func formatRedacted(f fmt.State, verb rune, text string) {
	if verb == 'q' || (verb == 'v' && f.Flag('#')) {
		fmt.Fprintf(f, "%q", text)
		return
	}
	fmt.Fprint(f, text)
}

// errInvalidSecretJSON refuses a SecretJSON that is not valid JSON, without
// any of its bytes.
var errInvalidSecretJSON = errors.New("versori.SecretJSON does not hold valid JSON (RFC 7493: valid UTF-8, no duplicate names)")

// wireOptions are the options of the SDK's request encoding: the only place
// a Secret or a SecretJSON is encoded as its value. Map keys are sorted, so
// a body encodes the same way every time.
var wireOptions = json.JoinOptions(json.Deterministic(true), json.WithMarshalers(json.JoinMarshalers(
	json.MarshalToFunc(func(enc *jsontext.Encoder, s Secret) error {
		return enc.WriteToken(jsontext.String(s.Reveal()))
	}),
	json.MarshalToFunc(func(enc *jsontext.Encoder, s SecretJSON) error {
		if s.IsZero() {
			return enc.WriteToken(jsontext.Null)
		}
		if !jsontext.Value(*s.v).IsValid() {
			// Checked here so that the encoder's own error, which quotes
			// the offending byte or member name, never shows the secret.
			return errInvalidSecretJSON
		}
		return enc.WriteValue(jsontext.Value(*s.v))
	}),
)))
