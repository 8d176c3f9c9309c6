package versoritest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestHealthCheckNeedsNoAuth(t *testing.T) {
	s := newTestServer(t)
	r := callAuth(t, s, "", "GET", "/healthz", nil).expect(t, http.StatusOK)
	if r.obj["message"] != "ok" {
		t.Fatalf("body = %s", r.raw)
	}
}

func TestUnknownRouteAndWrongMethod(t *testing.T) {
	s := newTestServer(t)
	call(t, s, "GET", "/nope", nil).expectError(t, http.StatusNotFound)
	r := call(t, s, "PUT", "/hubs/"+s.Seeded().HubID, nil)
	r.expectError(t, http.StatusMethodNotAllowed)
	if allow := r.header.Values("Allow"); len(allow) != 3 {
		t.Errorf("Allow = %v, want GET, PATCH, DELETE", allow)
	}
}

func TestRequestIDEchoed(t *testing.T) {
	s := newTestServer(t)
	req, _ := http.NewRequest("GET", s.URL+"/healthz", nil)
	req.Header.Set("X-Request-ID", "abc-123")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("X-Request-Id"); got != "abc-123" {
		t.Errorf("X-Request-Id = %q", got)
	}
	r := call(t, s, "GET", "/nope", nil)
	if len(r.header.Get("X-Request-Id")) != 36 {
		t.Errorf("generated X-Request-Id = %q, want a uuid", r.header.Get("X-Request-Id"))
	}
}

func TestAPIKeyAuth(t *testing.T) {
	s := newTestServer(t, WithAPIKey("k1"))
	path := "/hubs/" + s.Seeded().HubID
	callAuth(t, s, "", "GET", path, nil).expectError(t, http.StatusUnauthorized)
	callAuth(t, s, "Bearer wrong", "GET", path, nil).expectError(t, http.StatusUnauthorized)
	callAuth(t, s, "Basic k1", "GET", path, nil).expectError(t, http.StatusUnauthorized)
	callAuth(t, s, "Bearer k1", "GET", path, nil).expect(t, http.StatusOK)
}

func TestJWTAuth(t *testing.T) {
	s := newTestServer(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	s.RegisterSigningKey("key1", &key.PublicKey)
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	path := "/hubs/" + s.Seeded().HubID
	now := time.Now()
	sign := func(method jwt.SigningMethod, k any, claims jwt.MapClaims) string {
		tok, err := jwt.NewWithClaims(method, claims).SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	// Organisation tokens (no sub): TestEndUserTokenScope covers end-user tokens.
	good := jwt.MapClaims{"iss": signingKeyIssuerPrefix + "key1", "exp": now.Add(time.Hour).Unix()}
	with := func(k string, v any) jwt.MapClaims {
		c := jwt.MapClaims{}
		for a, b := range good {
			c[a] = b
		}
		c[k] = v
		return c
	}
	unsigned, _ := jwt.NewWithClaims(jwt.SigningMethodNone, good).SignedString(jwt.UnsafeAllowNoneSignatureType)
	tests := []struct {
		name  string
		token string
		want  int
	}{
		{"good", sign(jwt.SigningMethodRS256, key, good), 200},
		{"no exp", sign(jwt.SigningMethodRS256, key, jwt.MapClaims{"iss": good["iss"]}), 200},
		{"wrong key", sign(jwt.SigningMethodRS256, other, good), 401},
		{"unknown key id", sign(jwt.SigningMethodRS256, key, with("iss", signingKeyIssuerPrefix+"nope")), 401},
		{"wrong issuer", sign(jwt.SigningMethodRS256, key, with("iss", "https://evil.example/sk/key1")), 401},
		{"expired", sign(jwt.SigningMethodRS256, key, with("exp", now.Add(-time.Minute).Unix())), 401},
		{"not yet valid", sign(jwt.SigningMethodRS256, key, with("nbf", now.Add(time.Hour).Unix())), 401},
		{"RS512", sign(jwt.SigningMethodRS512, key, good), 401},
		{"HS256 keyed with the public key (alg confusion)", sign(jwt.SigningMethodHS256, pubPEM, good), 401},
		{"alg none", unsigned, 401},
		{"garbage", "not.a.jwt", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := callAuth(t, s, "JWT "+tt.token, "GET", path, nil)
			if tt.want == 200 {
				r.expect(t, 200)
			} else {
				r.expectError(t, tt.want)
			}
		})
	}
}

func TestBodyRules(t *testing.T) {
	s := newTestServer(t)
	path := "/hubs/" + s.Seeded().HubID + "/users"
	call(t, s, "POST", path, "{not json").expectError(t, http.StatusBadRequest)
	call(t, s, "POST", path, "").expectError(t, http.StatusBadRequest)
	call(t, s, "POST", path, "[]").expectError(t, http.StatusBadRequest)
	call(t, s, "POST", path, "{} {}").expectError(t, http.StatusBadRequest)
	big := `{"externalId":"` + strings.Repeat("x", maxBodyBytes) + `"}`
	call(t, s, "POST", path, big).expectError(t, http.StatusRequestEntityTooLarge)
}
