package versoritest

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/versori-go/versori/internal/testutil"
)

// resp is a decoded response.
type resp struct {
	status int
	header http.Header
	raw    []byte
	obj    map[string]any
}

// newTestServer starts a fake for t and runs t in parallel with the package's other
// tests: each has a fake of its own.
func newTestServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	t.Parallel()
	return New(t, opts...)
}

// newSeededServer starts a fake for t, as newTestServer does, and returns it with what it
// seeded.
func newSeededServer(t *testing.T) (*Server, Seeded) {
	t.Helper()
	s := newTestServer(t)
	return s, s.Seeded()
}

// call sends an authenticated request; body is nil, a string (sent raw) or a value to
// marshal.
func call(t *testing.T, s *Server, method, path string, body any) resp {
	t.Helper()
	return callAuth(t, s, "Bearer "+s.APIKey, method, path, body)
}

func callAuth(t *testing.T, s *Server, auth, method, path string, body any) resp {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := resp{status: res.StatusCode, header: res.Header, raw: raw}
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &r.obj)
	}
	return r
}

// expect fails unless the response has the status.
func (r resp) expect(t *testing.T, status int) resp {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body: %s", r.status, status, r.raw)
	}
	return r
}

// expectError checks an Error-shaped response with the status and, if given, field names.
func (r resp) expectError(t *testing.T, status int, fields ...string) {
	t.Helper()
	r.expect(t, status)
	if r.header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type = %q", r.header.Get("Content-Type"))
	}
	wantCode := itoa(status * 1000)
	if r.obj["code"] != wantCode {
		t.Errorf("code = %v, want %s", r.obj["code"], wantCode)
	}
	if m, _ := r.obj["message"].(string); m == "" {
		t.Errorf("message missing: %s", r.raw)
	}
	got := map[string]bool{}
	for _, x := range arr(r.obj["fields"]) {
		got[str(obj(x)["field"])] = true
	}
	for _, f := range fields {
		if !got[f] {
			t.Errorf("fields lack %q; body: %s", f, r.raw)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func obj(x any) map[string]any { m, _ := x.(map[string]any); return m }
func arr(x any) []any          { a, _ := x.([]any); return a }
func str(x any) string         { s, _ := x.(string); return s }

// dig walks a dotted path of object keys and array indexes: dig(m, "a", "b", 0, "c").
func dig(x any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			x = obj(x)[k]
		case int:
			a := arr(x)
			if k >= len(a) {
				return nil
			}
			x = a[k]
		}
	}
	return x
}

func pathEscape(s string) string { return url.PathEscape(s) }

// authorizeQuery checks that r is a 200 whose url is the seeded Shopify app's authorize
// endpoint, in either API's seed, and returns the url's query.
func authorizeQuery(t *testing.T, r resp) url.Values {
	t.Helper()
	r.expect(t, http.StatusOK)
	u, err := url.Parse(str(r.obj["url"]))
	if err != nil || u.Host != "accounts.shopify.com" || u.Path != "/oauth/authorize" {
		t.Fatalf("url = %v (%v)", r.obj["url"], err)
	}
	return u.Query()
}

// expectAuthorizeQuery checks that q has want's parameters and a state long enough to be
// unguessable, and returns the state.
func expectAuthorizeQuery(t *testing.T, q url.Values, want map[string]string) string {
	t.Helper()
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	state := q.Get("state")
	if len(state) < 32 {
		t.Errorf("state %q is too short to be unguessable", state)
	}
	return state
}

// hubPath is the seeded hub's path followed by rest, as in hubPath(s, "/users").
func hubPath(s *Server, rest string) string { return "/hubs/" + s.Seeded().HubID + rest }

// apiKeyCredential is a ConnectionCreate with one string credential for the seeded hub's
// primary connector.
func apiKeyConnection(name, secret string) map[string]any {
	return map[string]any{
		"name": name,
		"credentials": map[string]any{"action": []any{map[string]any{
			"authSchemeConfig": map[string]any{"id": "01HZY0000000000000000000AA", "description": "", "schemeType": "api-key", "name": "X-API-Key", "in": "header"},
			"credential":       map[string]any{"name": name + " key", "type": "string", "data": map[string]any{"value": secret}},
		}}},
		"variables": []any{},
	}
}

// createUser creates an end user in the seeded hub and returns its body.
func createUser(t *testing.T, s *Server, externalID string) map[string]any {
	t.Helper()
	body := map[string]any{"externalId": externalID, "displayName": "User " + externalID, "primaryConnection": apiKeyConnection(externalID, "secret-"+externalID)}
	return call(t, s, "POST", hubPath(s, "/users"), body).expect(t, http.StatusCreated).obj
}

// signJWT signs an RS256 token for the key ID; sub "" makes an organisation token.
func signJWT(t *testing.T, key *rsa.PrivateKey, keyID, sub string) string {
	t.Helper()
	claims := jwt.MapClaims{"iss": signingKeyIssuerPrefix + keyID, "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()}
	if sub != "" {
		claims["sub"] = sub
	}
	return signClaims(t, jwt.SigningMethodRS256, key, claims)
}

// signClaims signs claims with method and key.
func signClaims(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// withClaim returns a copy of claims with k set to v.
func withClaim(claims jwt.MapClaims, k string, v any) jwt.MapClaims {
	c := maps.Clone(claims)
	c[k] = v
	return c
}

// tokens registers the shared key and returns a function minting "JWT <token>" headers
// for an end user's external ID ("" for an organisation token).
func tokens(t *testing.T, s *Server) func(sub string) string {
	t.Helper()
	key := testutil.RSAKey(0)
	s.RegisterSigningKey("test-key", &key.PublicKey)
	return func(sub string) string { return "JWT " + signJWT(t, key, "test-key", sub) }
}
