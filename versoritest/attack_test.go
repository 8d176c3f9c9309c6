package versoritest

// Attacks on the fake: tokens it must refuse, paths that must not reach
// another route, and its own fault injection misused.

import (
	"crypto/rsa"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// recordingTB records Errorf instead of failing, to test what the fake
// reports to its test.
type recordingTB struct {
	testing.TB
	errs []string
}

func (r *recordingTB) Helper() {}
func (r *recordingTB) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestAttackFailNextInvalidStatus: a Fault whose Status net/http cannot
// write (below 100, above 999) made the handler panic on the server's
// goroutine: the client saw a dropped connection, the test a stack trace in
// the log and no failure naming the mistake.
func TestAttackFailNextInvalidStatus(t *testing.T) {
	for _, status := range []int{-1, 42, 99, 101, 1000, 1 << 20} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			s := newTestServer(t)
			rec := &recordingTB{TB: t}
			s.tb = rec
			s.FailNext(OpHealthCheck, 1, Fault{Status: status})
			s.tb = t
			if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "Status") {
				t.Fatalf("FailNext(Status %d) reported %q; want one error naming Status", status, rec.errs)
			}
			if left := s.unusedFaults(); len(left) != 0 {
				t.Fatalf("the invalid fault was queued: %v", left)
			}
			call(t, s, "GET", "/healthz", nil).expect(t, http.StatusOK)
		})
	}
	t.Run("NewFake panics", func(t *testing.T) {
		defer func() {
			if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "Status") {
				t.Fatalf("recovered %v, want a panic naming Status", r)
			}
		}()
		NewFake().FailNext(OpHealthCheck, 1, Fault{Status: 42})
	})
	t.Run("valid statuses still queue", func(t *testing.T) {
		s := newTestServer(t)
		for _, status := range []int{0, 200, 204, 418, 599} {
			s.FailNext(OpHealthCheck, 1, Fault{Status: status})
		}
		s.ResetFaults()
	})
}

// TestAttackJWTMisuse: tokens the fake must refuse, beyond those
// server_test.go and platform_auth_test.go try.
func TestAttackJWTMisuse(t *testing.T) {
	s := newTestServer(t)
	key := sharedKey(t)
	other := otherKey(t)
	s.RegisterSigningKey("k", &key.PublicKey)
	s.RegisterSigningKey("other", &other.PublicKey)
	now := time.Now()
	claims := func(iss string, extra ...any) jwt.MapClaims {
		c := jwt.MapClaims{"iss": iss, "exp": now.Add(time.Hour).Unix()}
		for i := 0; i+1 < len(extra); i += 2 {
			c[extra[i].(string)] = extra[i+1]
		}
		return c
	}
	sign := func(k *rsa.PrivateKey, c jwt.MapClaims, header ...string) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
		for i := 0; i+1 < len(header); i += 2 {
			tok.Header[header[i]] = header[i+1]
		}
		v, err := tok.SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	good := sign(key, claims(signingKeyIssuerPrefix+"k"))
	parts := strings.Split(good, ".")
	for name, auth := range map[string]string{
		"a valid JWT sent as Bearer":               "Bearer " + good,
		"the API key sent as JWT":                  "JWT " + s.APIKey,
		"signed by one key, iss names another":     "JWT " + sign(other, claims(signingKeyIssuerPrefix+"k")),
		"kid names the signing key, iss the other": "JWT " + sign(other, claims(signingKeyIssuerPrefix+"k"), "kid", "other"),
		"iss over http":                            "JWT " + sign(key, claims("http://versori.com/sk/k")),
		"iss in upper case":                        "JWT " + sign(key, claims("HTTPS://VERSORI.COM/sk/k")),
		"iss with a trailing slash":                "JWT " + sign(key, claims(signingKeyIssuerPrefix+"k/")),
		"iss with a dot segment":                   "JWT " + sign(key, claims(signingKeyIssuerPrefix+"x/../k")),
		"iss as an array":                          "JWT " + sign(key, jwt.MapClaims{"iss": []string{signingKeyIssuerPrefix + "k"}, "exp": now.Add(time.Hour).Unix()}),
		"no signature":                             "JWT " + parts[0] + "." + parts[1] + ".",
		"signature of another token":               "JWT " + parts[0] + "." + parts[1] + "." + strings.Split(sign(key, claims(signingKeyIssuerPrefix+"k", "sub", "x")), ".")[2],
		"two tokens":                               "JWT " + good + " " + good,
		"exp as a string":                          "JWT " + sign(key, jwt.MapClaims{"iss": signingKeyIssuerPrefix + "k", "exp": "never"}),
		"sub null":                                 "JWT " + sign(key, claims(signingKeyIssuerPrefix+"k", "sub", nil)),
		"sub an object":                            "JWT " + sign(key, claims(signingKeyIssuerPrefix+"k", "sub", map[string]any{"id": "u"})),
	} {
		t.Run(name, func(t *testing.T) {
			callAuth(t, s, auth, "GET", "/o/"+s.Seeded().OrganisationID+"/hubs", nil).expectError(t, http.StatusUnauthorized)
			pcallAs(t, s, auth, "GET", org(s, "/projects"), nil).expectError(t, http.StatusUnauthorized)
		})
	}
	callAuth(t, s, "JWT "+good, "GET", "/o/"+s.Seeded().OrganisationID+"/hubs", nil).expect(t, http.StatusOK)
}

// TestAttackDeletedKeyStopsItsTokens: a token of a key made with
// CreateSigningKey works until the key is deleted, and not after, for
// either API.
func TestAttackDeletedKeyStopsItsTokens(t *testing.T) {
	s := newTestServer(t)
	made := callAuth(t, s, "Bearer "+s.APIKey, "POST", organisationsBasePath+"/organisations/"+s.Seeded().OrganisationID+"/keys", map[string]any{"name": "k"}).expect(t, http.StatusCreated).obj
	priv, err := jwt.ParseRSAPrivateKeyFromPEM([]byte(str(made["privateKey"])))
	if err != nil {
		t.Fatal(err)
	}
	tok := "JWT " + signJWT(t, priv, str(made["id"]), "")
	pcallAs(t, s, tok, "GET", org(s, "/projects"), nil).expect(t, http.StatusOK)
	callAuth(t, s, tok, "DELETE", organisationsBasePath+"/organisations/"+s.Seeded().OrganisationID+"/keys/"+str(made["id"]), nil).expect(t, http.StatusNoContent)
	pcallAs(t, s, tok, "GET", org(s, "/projects"), nil).expectError(t, http.StatusUnauthorized)
	callAuth(t, s, tok, "GET", "/o/"+s.Seeded().OrganisationID+"/hubs", nil).expectError(t, http.StatusUnauthorized)
}

// TestAttackPathTricks: unclean, double-encoded and case-changed paths reach
// no operation without authentication, and no other operation than their
// own.
func TestAttackPathTricks(t *testing.T) {
	s := newTestServer(t)
	orgID := s.Seeded().OrganisationID
	for _, path := range []string{
		"/o/" + orgID + "/hubs/../hubs",
		"/o/" + orgID + "//hubs",
		"/o/" + orgID + "/hubs/",
		"/O/" + orgID + "/HUBS",
		"/o/" + orgID + "%2Fhubs",
		"/o/" + orgID + "/%68ubs",
		"/api/organisations/v1/keys/x/../../organisations/" + orgID + "/keys",
		"/api/organisations/v1/keys/..%2F..%2Forganisations%2F" + orgID + "%2Fkeys",
		"/api/v2/o/" + orgID + "/users/..%2F..%2F..%2Fv1",
	} {
		r := callAuth(t, s, "", "GET", path, nil)
		if r.status == http.StatusOK {
			t.Errorf("GET %s without credentials: 200 %s", path, r.raw)
		}
	}
}

// TestAttackOAuthStateNotChecked: InitialiseOAuth2 remembers the state it
// issued, for the system and the end user, but no connection ever checks it.
func TestAttackOAuthStateNotChecked(t *testing.T) {
	t.Skip("FINDING: the fake (v1 embed.go and platform_oauth.go) stores each OAuth 2.0 state it issues (oauthStates) but never " +
		"reads it: an oauth2-code credential {code, state} is accepted with any state, one never issued, one issued for another " +
		"system, or one issued to another end user's token. Code that drops or mixes up the state passes against the fake. " +
		"Design decision (the seeded helpers all send state \"state\"): consume the state in validateCredentialData for " +
		"oauth2-code (and oauth1), checking system and end user, and refuse an unknown one with 400.")
	s := newTestServer(t)
	tok := tokens(t, s)
	alice, bob := tok("alice"), tok("bob")
	pcallAs(t, s, alice, "POST", org(s, "/users"), map[string]any{"externalId": "alice"}).expect(t, http.StatusCreated)
	pcallAs(t, s, bob, "POST", org(s, "/users"), map[string]any{"externalId": "bob"}).expect(t, http.StatusCreated)
	shopify := seededTemplate(t, s, "shopify")
	conn := connectionFor(s, shopify, "x") // oauth2-code with state "state", never issued
	pcallAs(t, s, bob, "POST", org(s, "/connections"), map[string]any{"connectionTemplateId": shopify.ID, "externalId": "bob", "connection": conn}).
		expectError(t, http.StatusBadRequest)
}

// TestAttackTokenWithoutExpiry: a signing-key JWT with no exp is accepted,
// for ever.
func TestAttackTokenWithoutExpiry(t *testing.T) {
	t.Skip("FINDING: verifyJWT validates exp only when present (jwt.Parse without WithExpirationRequired): a token with no exp " +
		"never expires, so a customer's own minting code that forgets exp passes every test against the fake. Versori's " +
		"documentation describes tokens with exp; whether the API requires it is unconfirmed, hence a design decision.")
	s := newTestServer(t)
	key := sharedKey(t)
	s.RegisterSigningKey("k", &key.PublicKey)
	v, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": signingKeyIssuerPrefix + "k"}).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	pcallAs(t, s, "JWT "+v, "GET", org(s, "/projects"), nil).expectError(t, http.StatusUnauthorized)
}
