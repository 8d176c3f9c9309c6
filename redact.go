package versori

// This file is the SDK's one way to keep secrets out of errors: the secrets
// a call sent, in every form a server may echo them in (secretsOf), and the
// cleaner that takes them out of what the server sent back. Values printed
// or logged are redacted by the Secret type itself (secret.go).

import (
	"bytes"
	"errors"
	"html"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// cleaner makes text a server sent safe to keep in an error: one printable
// line of at most max bytes, with every secret the call sent replaced.
type cleaner struct{ secrets []string }

func (c cleaner) clean(s string, max int) string {
	if s == "" {
		return ""
	}
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(c.replace(s), "?"))
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "") + "…"
	}
	return s
}

// holds reports whether s contains one of the secrets.
func (c cleaner) holds(s string) bool {
	for _, secret := range c.secrets {
		if secret != "" && strings.Contains(s, secret) {
			return true
		}
	}
	return false
}

// redact returns err, or, when its text holds one of the secrets, an error
// with that text redacted. The redacted error still matches what err matches
// with errors.Is (context.DeadlineExceeded, ErrTooLarge), but errors.As no
// longer reaches err's chain, whose texts hold the secret.
func (c cleaner) redact(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if !c.holds(msg) {
		return err
	}
	return &redactedError{msg: c.replace(msg), err: err}
}

// replace returns s with every secret in it replaced by [REDACTED].
func (c cleaner) replace(s string) string {
	for _, secret := range c.secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	return s
}

// redactedError is an error whose text had a secret removed.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }

// Is matches what the original error matches.
func (e *redactedError) Is(target error) bool { return errors.Is(e.err, target) }

// secretsOf returns a cleaner for the secrets a call sent: the credential in
// auth, the values of the headers the caller added whose names say they
// carry one, and every Secret in body, in the forms a server might echo them
// in. It runs only for an error, or for a server's request ID to a call with
// a body or added headers, so the success path of most calls pays nothing
// for it.
func secretsOf(auth []string, header http.Header, body any) cleaner {
	var raw []string
	if len(auth) == 1 {
		if _, v, ok := strings.Cut(auth[0], " "); ok {
			raw = append(raw, v)
		}
	}
	for name, values := range header {
		if credentialHeader(name) {
			for _, v := range values {
				// The whole value, and the credential after a scheme word
				// (Proxy-Authorization: Basic <credential>), without the
				// spaces and tabs around them, which an HTTP/1.1 server
				// drops before it echoes them.
				// One shorter than minHeaderSecret is no credential (a
				// version, a flag) and redacting it would hide nothing.
				v = strings.Trim(v, " \t")
				_, cred, _ := strings.Cut(v, " ")
				for _, s := range []string{v, strings.Trim(cred, " \t")} {
					if len(s) >= minHeaderSecret {
						raw = append(raw, s)
					}
				}
			}
		}
	}
	if body != nil {
		collect := json.WithMarshalers(json.JoinMarshalers(
			json.MarshalToFunc(func(enc *jsontext.Encoder, s Secret) error {
				raw = append(raw, s.Reveal())
				return enc.WriteToken(jsontext.String(""))
			}),
			json.MarshalToFunc(func(enc *jsontext.Encoder, s SecretJSON) error {
				raw = append(append(raw, string(s.Reveal())), jsonStrings(s.Reveal())...)
				return enc.WriteToken(jsontext.Null)
			}),
		))
		_, _ = json.Marshal(body, collect)
	}
	var c cleaner
	for i := 0; i < len(raw); i++ {
		s := raw[i]
		if s == "" {
			continue
		}
		if !utf8.ValidString(s) {
			// A JSON encoder sends each invalid byte as U+FFFD, and the
			// server echoes what it received.
			raw = append(raw, string([]rune(s)))
		}
		quoted, _ := jsontext.AppendQuote(nil, s)
		inner := string(quoted[1 : len(quoted)-1])
		c.secrets = append(c.secrets, s, url.QueryEscape(s), url.PathEscape(s), html.EscapeString(s), inner,
			htmlSafeJSON.Replace(inner), // as Go's encoding/json escapes it
			htmlTemplate.Replace(s))
		c.secrets = append(c.secrets, otherJSONEscapes(inner)...)
		if strings.ContainsRune(s, utf8.RuneError) {
			// ... and as it escapes an invalid byte.
			c.secrets = append(c.secrets, strings.ReplaceAll(htmlSafeJSON.Replace(inner), "\uFFFD", `\ufffd`))
		}
	}
	return c
}

// minHeaderSecret is the length below which a credential header's value is
// not redacted: a value that short ("1", "v2", "true") is no credential, and
// replacing it everywhere would mangle what a caller and the retry policy
// read (a Retry-After of "10", an error code, the server's request ID) while
// the holes left would show it anyway.
const minHeaderSecret = 8

// credentialHeader reports whether a header's name says its value is a
// credential.
func credentialHeader(name string) bool {
	name = strings.ToLower(name)
	for _, word := range []string{"auth", "key", "token", "secret", "cookie", "password", "session", "signature", "credential"} {
		if strings.Contains(name, word) {
			return true
		}
	}
	return false
}

// htmlTemplate escapes text as Go's html/template does.
var htmlTemplate = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// dotnetJSON escapes a JSON string's text as .NET's System.Text.Json does by
// default, with capital hex digits (non-ASCII is escaped by asciiJSON). The
// escaped backslash maps to itself so that the replacer steps over it whole
// and never reads its second half as the start of \".
var dotnetJSON = strings.NewReplacer(`\\`, `\\`, `\"`, `\u0022`, "&", `\u0026`, "'", `\u0027`, "+", `\u002B`, "<", `\u003C`, ">", `\u003E`, "`", `\u0060`)

// otherJSONEscapes returns a JSON string's text (inner, as jsontext writes
// it) as other encoders write it: PHP's json_encode escapes / as \/ and,
// like Python's json, every non-ASCII character as \uxxxx; .NET's escapes
// HTML-sensitive characters and + and all non-ASCII as \uXXXX.
func otherJSONEscapes(inner string) []string {
	slash := strings.ReplaceAll(inner, "/", `\/`)
	return []string{slash, asciiJSON(inner, false), asciiJSON(slash, false), asciiJSON(dotnetJSON.Replace(inner), true)}
}

// asciiJSON escapes every non-ASCII character of a JSON string's text as
// \uXXXX (a UTF-16 surrogate pair beyond the BMP), with capital hex digits
// or not.
func asciiJSON(s string, upper bool) string {
	const lower, capital = "0123456789abcdef", "0123456789ABCDEF"
	hex := lower
	if upper {
		hex = capital
	}
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		units := []rune{r}
		if r > 0xFFFF {
			r1, r2 := utf16.EncodeRune(r)
			units = []rune{r1, r2}
		}
		for _, u := range units {
			b.WriteString(`\u`)
			for shift := 12; shift >= 0; shift -= 4 {
				b.WriteByte(hex[u>>shift&0xF])
			}
		}
	}
	return b.String()
}

// htmlSafeJSON escapes a JSON string's text as encoding/json does by default.
var htmlSafeJSON = strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`, "\u2028", `\u2028`, "\u2029", `\u2029`)

// jsonStrings returns the string values in raw JSON: the secrets a SecretJSON
// may hold, each of which a server may echo alone.
func jsonStrings(raw []byte) []string {
	var out []string
	dec := jsontext.NewDecoder(bytes.NewReader(raw))
	for {
		tok, err := dec.ReadToken()
		if err != nil {
			return out
		}
		if tok.Kind() == '"' && !isName(dec) {
			if v := tok.String(); len(v) > 0 {
				out = append(out, v)
			}
		}
	}
}

// isName reports whether the token just read was an object member's name.
func isName(dec *jsontext.Decoder) bool {
	kind, length := dec.StackIndex(dec.StackDepth())
	return kind == '{' && length%2 == 1
}
