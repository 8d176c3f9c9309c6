package versori

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"testing"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/: one file per variant,
// unknown types, and malformed input.

// FuzzCredentialUnmarshal decodes arbitrary bytes as every type that holds a
// credential: none may panic, a decoded credential's data must agree with its
// type, and printing or logging what decoded must not panic either.
func FuzzCredentialUnmarshal(f *testing.F) {
	f.Add([]byte(`{"id":"i","organisationId":"o","type":"string","name":"n","data":{"value":"v"}}`))
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		var c Credential
		if err := json.Unmarshal(b, &c); err == nil {
			if c.Data != nil && c.Data.CredentialType() != c.Type {
				t.Errorf("type %q but data %T (%q)", c.Type, c.Data, c.Data.CredentialType())
			}
			_ = fmt.Sprintf("%v %+v %#v %q %x", c, c, c, c, c)
			logger.Info("c", "c", c)
		}
		var s CredentialSpec
		if err := json.Unmarshal(b, &s); err == nil {
			_ = fmt.Sprintf("%+v %#v", s, s)
			_, _ = json.Marshal(s)
		}
		var cc ConnectionCredentialCreate
		if err := json.Unmarshal(b, &cc); err == nil {
			_ = fmt.Sprintf("%+v %#v", cc, cc)
			_ = cc.validate("f")
		}
		var ccs ConnectionCredentials
		if err := json.Unmarshal(b, &ccs); err == nil {
			_ = fmt.Sprintf("%+v %#v", ccs, ccs)
			logger.Info("ccs", "ccs", ccs)
		}
	})
}

// FuzzAuthSchemeConfigUnmarshal decodes arbitrary bytes as an
// AuthSchemeConfig. Whatever decodes with a scheme must re-encode, decode
// again to the same value, and re-encode to the same bytes.
func FuzzAuthSchemeConfigUnmarshal(f *testing.F) {
	f.Add([]byte(`{"id":"01A","description":"","schemeType":"api-key","name":"k","in":"header"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var c AuthSchemeConfig
		if err := json.Unmarshal(b, &c); err != nil {
			return
		}
		_ = fmt.Sprintf("%v %+v %#v %q %x", c, c, c, c, c)
		_ = c.LogValue()
		if c.Scheme == nil {
			return // only JSON null decodes without a scheme
		}
		b1, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("re-encoding %#v: %v", c, err)
		}
		var c2 AuthSchemeConfig
		if err := json.Unmarshal(b1, &c2); err != nil {
			t.Fatalf("decoding re-encoded %s: %v", b1, err)
		}
		b2, err := json.Marshal(c2)
		if err != nil {
			t.Fatalf("re-encoding %#v: %v", c2, err)
		}
		if !bytes.Equal(b1, b2) {
			t.Errorf("unstable encoding\n%s\n%s", b1, b2)
		}
		var c3 AuthSchemeConfig
		if err := json.Unmarshal(b2, &c3); err != nil || !reflect.DeepEqual(c2, c3) {
			t.Errorf("unstable decoding: %v\n%#v\n%#v", err, c2, c3)
		}
	})
}

// FuzzCredentialDataRoundTrip decodes arbitrary bytes as a Credential;
// whatever decodes must re-encode, decode again, and be stable from then on.
func FuzzCredentialDataRoundTrip(f *testing.F) {
	f.Add([]byte(`{"id":"i","organisationId":"o","type":"binary","name":"n","data":{"valueBase64":"AA=="}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var c Credential
		if err := json.Unmarshal(b, &c); err != nil {
			return
		}
		b1, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("re-encoding %#v: %v", c, err)
		}
		var c2 Credential
		if err := json.Unmarshal(b1, &c2); err != nil {
			t.Fatalf("decoding re-encoded %s: %v", b1, err)
		}
		b2, err := json.Marshal(c2)
		if err != nil {
			t.Fatalf("re-encoding %#v: %v", c2, err)
		}
		if !bytes.Equal(b1, b2) {
			t.Errorf("unstable encoding\n%s\n%s", b1, b2)
		}
		var c3 Credential
		if err := json.Unmarshal(b2, &c3); err != nil || !reflect.DeepEqual(c2, c3) {
			t.Errorf("unstable decoding: %v\n%#v\n%#v", err, c2, c3)
		}
	})
}
