package versori

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Fuzz targets for the error decoder, the remaining union codecs and the
// request-building helpers. Seed corpora: testdata/fuzz/<FuzzName>/. The
// credential and auth-scheme decoders are fuzzed in credentials_fuzz_test.go.

// FuzzReadError feeds readError arbitrary statuses, bodies and Retry-After
// values: it must never panic and always yield an *APIError carrying the
// status and a bounded, printable snippet, classified by status alone.
func FuzzReadError(f *testing.F) {
	f.Add(404, []byte(`{"code":"404000","message":"not found"}`), "")
	f.Add(503, []byte(`<html>busy</html>`), "120")
	c := &Client{}
	k := call{op: "GetHub", method: http.MethodGet, path: "/hubs/x"}
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		resp := &http.Response{
			StatusCode: status,
			Header:     http.Header{"Retry-After": {retryAfter}},
			Body:       io.NopCloser(bytes.NewReader(body)),
		}
		e := c.readError(resp, k, "req-1")
		if e == nil {
			t.Fatal("nil *APIError")
		}
		if e.StatusCode != status || e.RequestID != "req-1" || e.Method != "GET" || e.Path != "/hubs/x" {
			t.Fatalf("call details lost: %+v", e)
		}
		if len(e.Snippet) > 200+len("…") || strings.ContainsAny(e.Snippet, "\n\r\t") || !utf8.ValidString(e.Snippet) {
			t.Fatalf("snippet not bounded to one printable line: %q", e.Snippet)
		}
		msg := e.Error()
		if !strings.Contains(msg, fmt.Sprint(status)) {
			t.Fatalf("status missing from %q", msg)
		}
		if errors.Is(e, ErrNotFound) != (status == 404) || errors.Is(e, ErrServer) != (status >= 500) {
			t.Fatalf("status %d misclassified", status)
		}
		_, _ = parseRetryAfter(e.RetryAfter, time.Now())
	})
}

// FuzzParseRetryAfter: any header value gives a wait that is never negative
// and never absurd, or none.
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "1", "120", "-1", "99999999999999999999", "Wed, 21 Oct 2015 07:28:00 GMT", "Sun, 06 Nov 2994 08:49:37 GMT", "soon", ""} {
		f.Add(s)
	}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v, now)
		if !ok {
			return
		}
		if d < 0 {
			t.Fatalf("negative wait %v for %q", d, v)
		}
		p := DefaultRetryPolicy()
		// Whatever the header says, the policy's wait is capped or refused.
		if w, ok := p.wait(t.Context(), 1, v); ok && (w < 0 || w > p.MaxDelay) {
			t.Fatalf("wait %v for %q outside [0, MaxDelay]", w, v)
		}
	})
}

// FuzzSegment: an ID either is refused with a ValidationError or becomes one
// path segment that decodes back to exactly the ID.
func FuzzSegment(f *testing.F) {
	for _, s := range adversarialIDs[:20] {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		seg, err := segment("id", id)
		if id == "" || id == "." || id == ".." {
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("%q not refused: %v", id, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("%q refused: %v", id, err)
		}
		if strings.ContainsAny(seg, "/?#") {
			t.Fatalf("%q escaped to %q, which leaves its segment", id, seg)
		}
		u, err := url.Parse("https://h/hubs/" + seg + "/users")
		if err != nil {
			t.Fatalf("%q escaped to an unparsable %q: %v", id, seg, err)
		}
		parts := strings.Split(u.EscapedPath(), "/")
		if len(parts) != 4 {
			t.Fatalf("%q became %d segments: %q", id, len(parts)-1, u.EscapedPath())
		}
		back, err := url.PathUnescape(parts[2])
		if err != nil || back != id {
			t.Fatalf("%q came back as %q (%v)", id, back, err)
		}
	})
}

// FuzzOAuth2SchemeUnmarshal decodes arbitrary bytes as an OAuth2Scheme, the
// one union nested in another (its grant). Whatever decodes must re-encode
// and decode to the same value, an unknown grant keeping its raw JSON.
func FuzzOAuth2SchemeUnmarshal(f *testing.F) {
	f.Add([]byte(`{"authorizeUrl":"a","tokenUrl":"t","scopes":[],"defaultScopes":[],"grant":{"grantType":"authorization_code","clientId":"c","clientSecret":"s"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var s OAuth2Scheme
		if err := json.Unmarshal(b, &s); err != nil {
			return
		}
		_ = fmt.Sprintf("%v %+v %#v %q", s, s, s, s)
		_ = s.LogValue()
		b1, err := json.Marshal(s)
		if err != nil {
			if _, unknown := s.Grant.(UnknownGrant); unknown {
				return // Raw that is not a JSON value cannot come from decoding, but be lenient
			}
			t.Fatalf("re-encoding %#v: %v", s, err)
		}
		var s2 OAuth2Scheme
		if err := json.Unmarshal(b1, &s2); err != nil {
			t.Fatalf("decoding re-encoded %s: %v", b1, err)
		}
		b2, err := json.Marshal(s2)
		if err != nil || !bytes.Equal(b1, b2) {
			t.Fatalf("unstable encoding (%v)\n%s\n%s", err, b1, b2)
		}
		if g, ok := s2.Grant.(UnknownGrant); ok && !json.Valid(g.Raw) {
			t.Fatalf("unknown grant kept invalid raw JSON %q", g.Raw)
		}
	})
}

// FuzzConnectionCredentialCreateRoundTrip decodes arbitrary bytes as a
// ConnectionCredentialCreate (a credential spec or reference, with its auth
// scheme config); whatever decodes and encodes must decode to the same value.
func FuzzConnectionCredentialCreateRoundTrip(f *testing.F) {
	f.Add([]byte(`{"authSchemeConfig":{"id":"01A","description":"","schemeType":"none"},"credential":{"id":"01C"}}`))
	f.Add([]byte(`{"authSchemeConfig":{"id":"01A","description":"","schemeType":"api-key","name":"k","in":"header"},"credential":{"name":"n","type":"string","data":{"value":"v"}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var c ConnectionCredentialCreate
		if err := json.Unmarshal(b, &c); err != nil {
			return
		}
		_ = fmt.Sprintf("%v %+v %#v", c, c, c)
		_ = c.validate("c")
		if c.AuthSchemeConfig.Scheme == nil {
			c.AuthSchemeConfig.Scheme = NoneScheme{} // encoding requires one
		}
		if c.AuthSchemeConfig.ID == "" {
			c.AuthSchemeConfig.ID = "01A" // else each encoding mints a new one
		}
		b1, err := json.Marshal(c)
		if err != nil {
			return // e.g. an unknown scheme whose raw is not an object
		}
		var c2 ConnectionCredentialCreate
		if err := json.Unmarshal(b1, &c2); err != nil {
			t.Fatalf("decoding re-encoded %s: %v", b1, err)
		}
		b2, err := json.Marshal(c2)
		if err != nil || !bytes.Equal(b1, b2) {
			t.Fatalf("unstable encoding (%v)\n%s\n%s", err, b1, b2)
		}
		var c3 ConnectionCredentialCreate
		if err := json.Unmarshal(b2, &c3); err != nil || !reflect.DeepEqual(c2, c3) {
			t.Fatalf("unstable decoding (%v)\n%#v\n%#v", err, c2, c3)
		}
	})
}

// FuzzActivateParamsEncoding builds an activation request from arbitrary
// strings, with both ActivationConnection variants, and checks the encoding
// is valid JSON that keeps every value (for valid UTF-8) and its shape.
func FuzzActivateParamsEncoding(f *testing.F) {
	f.Add("jane@acme.io", "01INT", "01TPL", "01CNN", "conn", "key", "s3cret", "region", true)
	f.Fuzz(func(t *testing.T, user, integration, template, connection, name, credName, secret, varName string, existing bool) {
		var ac ActivationConnection = NewConnection{TemplateID: template, Name: name, Credentials: ConnectionCredentialsCreate{
			Action: []ConnectionCredentialCreate{{
				AuthSchemeConfig: AuthSchemeConfig{ID: "01A", Scheme: APIKeyScheme{Name: "X", In: InHeader}},
				Credential:       NewCredential(credName, StringCredential{Value: secret}),
			}},
		}}
		if existing {
			ac = ExistingConnection{TemplateID: template, ConnectionID: connection}
		}
		p := ActivateParams{UserID: user, IntegrationID: integration, Connections: []ActivationConnection{ac}, DynamicVariables: DynamicVariables{varName: secret}}
		_ = p.validate()
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("encoding: %v", err)
		}
		var w struct {
			UserID           string            `json:"userId"`
			IntegrationID    string            `json:"integrationId"`
			Connections      []json.RawMessage `json:"connections"`
			DynamicVariables map[string]string `json:"dynamicVariables"`
			Variables        []any             `json:"variables"`
		}
		if err := json.Unmarshal(b, &w); err != nil {
			t.Fatalf("invalid JSON %s: %v", b, err)
		}
		if len(w.Connections) != 1 || w.Variables == nil || len(w.Variables) != 0 {
			t.Fatalf("shape lost: %s", b)
		}
		var conn map[string]any
		if err := json.Unmarshal(w.Connections[0], &conn); err != nil {
			t.Fatal(err)
		}
		_, hasConnID := conn["connectionId"]
		_, hasCreds := conn["credentials"]
		if hasConnID != existing || hasCreds == existing {
			t.Fatalf("variant lost: %s", w.Connections[0])
		}
		for _, s := range []string{user, integration, template, name, credName, secret, varName, connection} {
			if !utf8.ValidString(s) {
				return // encoding/json replaces invalid UTF-8 with U+FFFD
			}
		}
		if w.UserID != user || w.IntegrationID != integration || w.DynamicVariables[varName] != secret || conn["templateId"] != template {
			t.Fatalf("values lost: %s", b)
		}
		if _, err := fmt.Fprintf(io.Discard, "%v %+v %#v", p, p, p); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzResponseDecode decodes arbitrary bytes as every response model; none
// may panic, and whatever decodes must print and log without panicking.
func FuzzResponseDecode(f *testing.F) {
	f.Add([]byte(hubJSON))
	f.Add([]byte(unknownVariantHub))
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, v := range []any{
			new(Hub), new(HubPage), new(EndUser), new(EndUserPage), new(Connection), new(ConnectionPage),
			new(Integration), new(IntegrationList), new(ConnectionTemplate), new(ConnectionTemplatePage),
			new(Activation), new(ActivationPage), new(EmbeddedIntegration), new(EmbeddedIntegrationPage),
			new(DynamicVariables), new(OAuth2Authorization), new(Health),
		} {
			if json.Unmarshal(b, v) != nil {
				continue
			}
			_ = fmt.Sprintf("%v %+v", v, v)
			logger.Info("v", "v", v)
			_, _ = json.Marshal(v) // may refuse (a config without a scheme), must not panic
		}
	})
}
