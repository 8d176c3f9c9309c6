package versori

import (
	"bytes"
	stdjson "encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/versori-go/versori/internal/testutil"
)

// The unit tests of Secret and SecretJSON. secrets_test.go checks that no
// value of the SDK, at any depth, shows one.

const secretCanary = "s3cr3t-CANARY-7f"

// everyVerb is every fmt verb, bare and with each flag and a width, but %p:
// given a Secret, fmt prints the address Secret holds, not [REDACTED]
// (secrets_test.go checks no %p output shows a secret).
func everyVerb() []string { return testutil.Verbs("bcdeEfFgGoOqstTUvxX") }

func TestSecretPrintsRedactedWithEveryVerb(t *testing.T) {
	t.Parallel()
	for _, v := range []any{NewSecret(secretCanary), NewSecretJSON([]byte(`{"k":"` + secretCanary + `"}`))} {
		for _, verb := range everyVerb() {
			got := fmt.Sprintf(verb, v)
			assert.NotContains(t, got, secretCanary, "%s of %T", verb, v)
			assert.NotContains(t, got, "7f", "%s of %T: no byte of the value", verb, v)
			if !strings.HasSuffix(verb, "T") {
				assert.Contains(t, got, "[REDACTED]", "%s of %T", verb, v)
			}
		}
		assert.Equal(t, "[REDACTED]", fmt.Sprint(v))
		assert.Equal(t, "[REDACTED]\n", fmt.Sprintln(v))
		assert.Equal(t, `"[REDACTED]"`, fmt.Sprintf("%q", v))
		assert.Equal(t, `"[REDACTED]"`, fmt.Sprintf("%#v", v), "%%#v is Go syntax: a quoted string")
	}
	assert.Equal(t, secretCanary, NewSecret(secretCanary).Reveal())
}

// TestEmptySecretPrintsEmpty: "not set" stays distinguishable from "set".
func TestEmptySecretPrintsEmpty(t *testing.T) {
	t.Parallel()
	for _, v := range []any{NewSecret(""), SecretJSON{}, SecretJSON{}} {
		assert.Equal(t, "", fmt.Sprint(v), "%T", v)
		assert.Equal(t, `""`, fmt.Sprintf("%q", v), "%T", v)
		assert.Equal(t, `""`, fmt.Sprintf("%#v", v), "%T", v)
		assert.Equal(t, "", v.(fmt.Stringer).String())
		assert.Equal(t, `""`, string(mustV1(t, v)))
		assert.Equal(t, `""`, string(plainJSON(t, v)))
	}
	assert.Equal(t, `""`, string(wireJSON(t, NewSecret(""))))
	assert.Equal(t, `null`, string(wireJSON(t, SecretJSON{})), "no JSON is sent as null")
}

func mustV1(t *testing.T, v any) []byte {
	t.Helper()
	b, err := stdjson.Marshal(v)
	require.NoError(t, err)
	return b
}

// TestSecretLogsRedacted: slog's text and JSON handlers, at every level,
// as an attribute, in a group, and inside slices, maps and structs.
func TestSecretLogsRedacted(t *testing.T) {
	t.Parallel()
	s, sj := NewSecret(secretCanary), NewSecretJSON([]byte(`{"k":"`+secretCanary+`"}`))
	type holder struct {
		S  Secret
		J  SecretJSON
		P  *Secret
		M  map[string]Secret
		L  []SecretJSON
		A  any
		s  Secret // an unexported field, whose methods fmt cannot call
		in struct{ S Secret }
	}
	h := holder{S: s, J: sj, P: &s, M: map[string]Secret{"k": s}, L: []SecretJSON{sj}, A: s, s: s, in: struct{ S Secret }{s}}
	var buf bytes.Buffer
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	for _, l := range []*slog.Logger{slog.New(slog.NewTextHandler(&buf, opts)), slog.New(slog.NewJSONHandler(&buf, opts))} {
		l.Debug("secret", "s", s, "j", sj, slog.Any("p", &s), slog.Group("g", "s", s, "j", sj),
			"slice", []Secret{s}, "map", map[string]SecretJSON{"k": sj}, "holder", holder{S: s, J: sj, P: &s, M: h.M, L: h.L, A: s})
		l.Error("secret", "s", s)
	}
	out := buf.String()
	assert.NotContains(t, out, secretCanary)
	assert.Contains(t, out, "[REDACTED]")

	// fmt cannot call the methods of an unexported field, nor of any value
	// when it prints a wrong verb's "%!s(...)"; but a Secret's value sits
	// behind a pointer, which fmt prints as an address inside another value.
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%e"} {
		assert.NotContains(t, fmt.Sprintf(verb, h), secretCanary, verb)
		assert.NotContains(t, fmt.Sprintf(verb, []any{&h, &s, &sj}), secretCanary, verb)
	}
}

// TestSecretEncoding: every JSON encoder but the SDK's request encoding
// sees "[REDACTED]"; the request encoding sends the value.
func TestSecretEncoding(t *testing.T) {
	t.Parallel()
	type body struct {
		S Secret     `json:"s"`
		J SecretJSON `json:"j"`
		P *Secret    `json:"p"`
		L []Secret   `json:"l"`
		M map[string]SecretJSON
	}
	s := NewSecret(secretCanary)
	raw := NewSecretJSON([]byte(`{"k":"` + secretCanary + `","n":[1.50,null]}`))
	v := body{S: s, J: raw, P: &s, L: []Secret{s}, M: map[string]SecretJSON{"x": raw}}
	const redacted = `{"s":"[REDACTED]","j":"[REDACTED]","p":"[REDACTED]","l":["[REDACTED]"],"M":{"x":"[REDACTED]"}}`
	assert.Equal(t, redacted, string(mustV1(t, v)), "encoding/json")
	assert.Equal(t, redacted, string(plainJSON(t, v)), "json/v2")
	b, err := json.Marshal(v, json.Deterministic(true))
	require.NoError(t, err)
	assert.Equal(t, redacted, string(b), "json/v2 with options")
	assert.Equal(t, `{"s":"`+secretCanary+`","j":`+string(raw.Reveal())+`,"p":"`+secretCanary+`","l":["`+secretCanary+`"],"M":{"x":`+string(raw.Reveal())+`}}`,
		string(wireJSON(t, v)), "the SDK's request encoding")

	// Raw JSON that is not JSON cannot be sent, and the error does not quote it.
	_, err = json.Marshal(NewSecretJSON([]byte(secretCanary)), wireOptions)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secretCanary)
}

// TestSecretDecoding: a Secret decodes from a JSON string, and a SecretJSON
// keeps its own copy of the JSON it decoded.
func TestSecretDecoding(t *testing.T) {
	t.Parallel()
	var v struct {
		S Secret     `json:"s"`
		J SecretJSON `json:"j"`
	}
	in := []byte(`{"s":"` + secretCanary + `","j":{"a": [1, "b"]}}`)
	require.NoError(t, json.Unmarshal(in, &v))
	assert.Equal(t, NewSecret(secretCanary), v.S)
	assert.Equal(t, `{"a": [1, "b"]}`, string(v.J.Reveal()))
	copy(in, bytes.Repeat([]byte("x"), len(in)))
	assert.Equal(t, `{"a": [1, "b"]}`, string(v.J.Reveal()), "the decoded JSON is a copy")

	var v1 struct {
		S Secret     `json:"s"`
		J SecretJSON `json:"j"`
	}
	require.NoError(t, stdjson.Unmarshal([]byte(`{"s":"x","j":[true]}`), &v1))
	assert.Equal(t, NewSecret("x"), v1.S)
	assert.Equal(t, `[true]`, string(v1.J.Reveal()))

	var j SecretJSON
	buf := []byte(`{"a":1}`)
	require.NoError(t, j.UnmarshalJSON(buf))
	buf[2] = 'X'
	assert.Equal(t, `{"a":1}`, string(j.Reveal()))
}

// TestSecretUnmarshalJSON: a Secret takes a JSON string (escapes decoded,
// surrounding white space allowed) or null, and refuses anything else
// without quoting a byte of it.
func TestSecretUnmarshalJSON(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`"Zs3cret"`:           "Zs3cret",
		" \n\"Z\\u00e9\\n\" ": "Z\u00e9\n",
		`null`:                "",
		`""`:                  "",
	} {
		s := NewSecret("previous")
		require.NoError(t, s.UnmarshalJSON([]byte(in)), in)
		assert.Equal(t, want, s.Reveal(), in)
	}
	for _, in := range []string{`Zs3cret`, `nope`, `nullZs3cret`, `"Zs3cret`, `"Zs3cret" "x"`, `["Zs3cret"]`, `{"a":"Zs3cret"}`, `7`, `true`, ``} {
		var s Secret
		err := s.UnmarshalJSON([]byte(in))
		require.Error(t, err, in)
		assert.NotContains(t, err.Error(), "Zs3cret", in)
		assert.NotContains(t, err.Error(), "nope", in)
	}
}
