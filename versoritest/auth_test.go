package versoritest

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/versori-go/versori/internal/testutil"
)

// TestEndUserTokenScope checks every operation with a token whose sub is alice's external
// ID: the end-user operations work for alice (by external or internal ID), answer 404 for
// bob exactly as for an end user who does not exist, and every other operation is 403.
// An organisation token (no sub) and the API key reach everything.
func TestEndUserTokenScope(t *testing.T) {
	s, sd := newSeededServer(t)
	mint := tokens(t, s)
	alice, bob := createUser(t, s, "alice"), createUser(t, s, "bob")
	aliceID, bobID := str(alice["id"]), str(bob["id"])
	bobAct := str(activateSlack(t, s, "bob").expect(t, http.StatusOK).obj["id"])
	aliceAct := str(activateSlack(t, s, "alice").expect(t, http.StatusOK).obj["id"])
	hub2 := str(call(t, s, "POST", "/hubs", newHubBody(s, "Second")).expect(t, http.StatusCreated).obj["id"])
	hub2Alice := "/hubs/" + hub2 + "/users/alice"
	call(t, s, "POST", "/hubs/"+hub2+"/users", map[string]any{"externalId": "alice", "primaryConnection": apiKeyConnection("a2", "s")}).expect(t, http.StatusCreated)

	hub := hubPath(s, "")
	embed := "/embed/" + sd.HubID + "/users/"
	slack := sd.Integrations[1]
	shopify := sd.Integrations[0]
	primaryTpl := slack.Templates[0].ID // the hub's primary connector: every user has a connection
	newConn := func() map[string]any {
		return map[string]any{"connectorId": slack.Templates[1].ConnectorID, "connection": apiKeyConnection("extra", "x")}
	}
	activate := func(user string) map[string]any {
		c := apiKeyConnection("shop", "x")
		c["templateId"] = shopify.Templates[1].ID
		return map[string]any{"userId": user, "integrationId": shopify.ID, "connections": []any{c}, "variables": []any{}}
	}
	oauth := map[string]any{
		"credential":   map[string]any{"id": shopify.Templates[1].OAuth2ClientCredentialID, "organisationId": sd.OrganisationID},
		"authorizeUrl": "https://accounts.shopify.com/oauth/authorize", "clientId": shopify.Templates[1].OAuth2ClientID,
	}
	vars := map[string]any{"dynamicVariables": map[string]any{"k": "v"}}

	type req struct {
		op, method, path string
		body             any
	}
	// Operations an end-user token may call, for alice herself: 2xx.
	own := []req{
		{OpGetEndUser, "GET", hub + "/users/alice", nil},
		{OpGetEndUser, "GET", hub + "/users/" + aliceID + "?identifier_type=internal", nil},
		{OpGetEndUser, "GET", hub2Alice, nil}, // the same external ID in another hub
		{OpListEndUserConnections, "GET", hub + "/users/alice/connections", nil},
		{OpCreateEndUserConnection, "POST", hub + "/users/alice/connections", newConn()},
		{OpGetEndUserConnection, "GET", "/connection-templates/" + primaryTpl + "/users/alice", nil},
		{OpListEndUserIntegrations, "GET", embed + "alice/integrations", nil},
		{OpGetEmbeddedIntegration, "GET", embed + "alice/integrations/" + slack.ID, nil},
		{OpListEndUserActivations, "GET", embed + "alice/activations", nil},
		{OpGetActivation, "GET", "/activations/" + aliceAct, nil},
		{OpUpdateDynamicVariables, "PUT", "/activations/" + aliceAct + "/variables", vars},
		{OpActivateIntegration, "POST", "/activations", activate("alice")},
		{OpInitialiseOAuth2EmbeddedConnection, "POST", "/embed/" + sd.HubID + "/connector/" + shopify.Templates[1].ConnectorID + "/oauth2/initialise", oauth},
		{OpDeleteActivation, "DELETE", "/activations/" + aliceAct, nil},
	}
	// The same operations for bob, and for "ghost" who does not exist: 404 alike, so a
	// token cannot tell another end user's resources from absent ones.
	others := []req{
		{OpGetEndUser, "GET", hub + "/users/bob", nil},
		{OpGetEndUser, "GET", hub + "/users/ghost", nil},
		{OpGetEndUser, "GET", hub + "/users/" + bobID + "?identifier_type=internal", nil},
		{OpListEndUserConnections, "GET", hub + "/users/bob/connections", nil},
		{OpCreateEndUserConnection, "POST", hub + "/users/bob/connections", newConn()},
		{OpGetEndUserConnection, "GET", "/connection-templates/" + primaryTpl + "/users/bob", nil},
		{OpGetEndUserConnection, "GET", "/connection-templates/" + primaryTpl + "/users/" + bobID, nil},
		{OpListEndUserIntegrations, "GET", embed + "bob/integrations", nil},
		{OpGetEmbeddedIntegration, "GET", embed + "bob/integrations/" + slack.ID, nil},
		{OpListEndUserActivations, "GET", embed + "bob/activations", nil},
		{OpListEndUserActivations, "GET", embed + bobID + "/activations?identifier_type=internal", nil},
		{OpGetActivation, "GET", "/activations/" + bobAct, nil},
		{OpGetActivation, "GET", "/activations/01HZY0000000000000000000NO", nil},
		{OpUpdateDynamicVariables, "PUT", "/activations/" + bobAct + "/variables", vars},
		{OpDeleteActivation, "DELETE", "/activations/" + bobAct, nil},
	}
	// Activating for someone else is refused whether or not they exist.
	otherActivations := []req{
		{OpActivateIntegration, "POST", "/activations", activate("bob")},
		{OpActivateIntegration, "POST", "/activations", activate(bobID)},
		{OpActivateIntegration, "POST", "/activations", activate("ghost")},
	}
	// Everything else: 403, even for alice's own user.
	admin := []req{
		{OpListHubs, "GET", "/o/" + sd.OrganisationID + "/hubs", nil},
		{OpCreateHub, "POST", "/hubs", newHubBody(s, "Third")},
		{OpGetHub, "GET", hub, nil},
		{OpUpdateHubDetails, "PATCH", hub, map[string]any{"name": "x"}},
		{OpDeleteHub, "DELETE", "/hubs/" + hub2, nil},
		{OpCreateEndUser, "POST", hub + "/users", map[string]any{"externalId": "alice2", "primaryConnection": apiKeyConnection("n", "s")}},
		{OpListEndUsers, "GET", hub + "/users", nil},
		{OpDeleteEndUser, "DELETE", hub + "/users/alice", nil},
		{OpDeleteEndUser, "DELETE", hub + "/users/bob", nil},
		{OpCreateIntegration, "POST", hub + "/integrations", map[string]any{"organisationId": sd.OrganisationID, "name": "x"}},
		{OpListIntegrations, "GET", hub + "/integrations", nil},
		{OpDeleteIntegration, "DELETE", "/integrations/" + sd.Integrations[2].ID, nil},
		{OpUpdateIntegration, "PATCH", "/integrations/" + slack.ID, map[string]any{"name": "x"}},
		{OpGetIntegration, "GET", "/integrations/" + slack.ID, nil},
		{OpCreateHubConnectionTemplate, "POST", "/integrations/" + slack.ID + "/connection-templates", map[string]any{}},
		{OpListIntegrationConnectionTemplates, "GET", "/integrations/" + slack.ID + "/connection-templates", nil},
		{OpUpdateIntegrationMetadata, "PUT", "/integrations/" + slack.ID + "/metadata", map[string]any{}},
		{OpGetDynamicVariables, "GET", "/integrations/" + slack.ID + "/users/alice/variables", nil},
		{OpUpdateDynamicVariablesInternal, "PUT", "/integrations/" + slack.ID + "/users/alice/variables", map[string]any{}},
	}

	// Every operation is classified, so a new one cannot slip through unscoped.
	seen := map[string]bool{OpHealthCheck: true}
	for _, list := range [][]req{own, others, otherActivations, admin} {
		for _, r := range list {
			seen[r.op] = true
		}
	}
	for _, op := range Operations() {
		if !seen[op] {
			t.Errorf("operation %s is not in TestEndUserTokenScope", op)
		}
	}

	asAlice := mint("alice")
	for _, r := range admin {
		res := callAuth(t, s, asAlice, r.method, r.path, r.body)
		if res.status != http.StatusForbidden {
			t.Errorf("alice's token: %s %s = %d, want 403; body: %s", r.method, r.path, res.status, res.raw)
		} else {
			res.expectError(t, http.StatusForbidden)
		}
	}
	for _, r := range others {
		res := callAuth(t, s, asAlice, r.method, r.path, r.body)
		if res.status != http.StatusNotFound {
			t.Errorf("alice's token: %s %s = %d, want 404; body: %s", r.method, r.path, res.status, res.raw)
		}
	}
	for _, r := range otherActivations {
		if res := callAuth(t, s, asAlice, r.method, r.path, r.body); res.status != http.StatusForbidden {
			t.Errorf("alice's token: activate for %v = %d, want 403; body: %s", obj(r.body)["userId"], res.status, res.raw)
		}
	}
	// Nothing of bob's was touched.
	call(t, s, "GET", hub+"/users/bob", nil).expect(t, http.StatusOK)
	if g := call(t, s, "GET", "/activations/"+bobAct, nil).expect(t, http.StatusOK).obj; g["id"] != bobAct {
		t.Errorf("bob's activation = %v", g)
	}
	for _, r := range own {
		if res := callAuth(t, s, asAlice, r.method, r.path, r.body); res.status/100 != 2 {
			t.Errorf("alice's token: %s %s = %d, want 2xx; body: %s", r.method, r.path, res.status, res.raw)
		}
	}

	// A token without sub acts for the organisation, like the API key.
	asOrg := mint("")
	for _, r := range []req{admin[0], admin[2], admin[6], others[0], others[11]} {
		callAuth(t, s, asOrg, r.method, r.path, r.body).expect(t, http.StatusOK)
	}
}

// TestEmptySubIsRefused: a token with "sub": "" is neither an organisation token (which
// has no sub) nor any end user's; taking it as organisation-wide would hide a backend that
// mints end-user tokens for an empty ID behind full access.
func TestEmptySubIsRefused(t *testing.T) {
	s := newTestServer(t)
	key := testutil.RSAKey(0)
	s.RegisterSigningKey("k", &key.PublicKey)
	tok := signClaims(t, jwt.SigningMethodRS256, key, jwt.MapClaims{
		"iss": signingKeyIssuerPrefix + "k", "sub": "", "exp": time.Now().Add(time.Hour).Unix(),
	})
	callAuth(t, s, "JWT "+tok, "GET", hubPath(s, ""), nil).expectError(t, http.StatusUnauthorized)
}

func TestAPIKeyAuth(t *testing.T) {
	s := newTestServer(t, WithAPIKey("k1"))
	path := hubPath(s, "")
	callAuth(t, s, "", "GET", path, nil).expectError(t, http.StatusUnauthorized)
	callAuth(t, s, "Bearer wrong", "GET", path, nil).expectError(t, http.StatusUnauthorized)
	callAuth(t, s, "Basic k1", "GET", path, nil).expectError(t, http.StatusUnauthorized)
	callAuth(t, s, "Bearer k1", "GET", path, nil).expect(t, http.StatusOK)
}

func TestJWTAuth(t *testing.T) {
	s := newTestServer(t)
	key := testutil.RSAKey(0)
	other := testutil.RSAKey(1)
	s.RegisterSigningKey("key1", &key.PublicKey)
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	path := hubPath(s, "")
	now := time.Now()
	sign := func(method jwt.SigningMethod, k any, claims jwt.MapClaims) string {
		return signClaims(t, method, k, claims)
	}
	// Organisation tokens (no sub): TestEndUserTokenScope covers end-user tokens.
	good := jwt.MapClaims{"iss": signingKeyIssuerPrefix + "key1", "exp": now.Add(time.Hour).Unix()}
	with := func(k string, v any) jwt.MapClaims { return withClaim(good, k, v) }
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

// TestJWTMisuseRefused: tokens both APIs must refuse, beyond those
// TestJWTAuth and TestPlatformJWTVerification try: a valid JWT under the
// wrong scheme, keys and issuers that disagree, issuers spelled otherwise,
// signatures missing or borrowed, claims of the wrong type.
func TestJWTMisuseRefused(t *testing.T) {
	s := newTestServer(t)
	key := testutil.RSAKey(0)
	other := testutil.RSAKey(1)
	s.RegisterSigningKey("k", &key.PublicKey)
	s.RegisterSigningKey("other", &other.PublicKey)
	claims := func(iss string) jwt.MapClaims {
		return jwt.MapClaims{"iss": iss, "exp": time.Now().Add(time.Hour).Unix()}
	}
	sign := func(k *rsa.PrivateKey, c jwt.MapClaims) string { return signClaims(t, jwt.SigningMethodRS256, k, c) }
	good := sign(key, claims(signingKeyIssuerPrefix+"k"))
	parts := strings.Split(good, ".")
	kidOther := jwt.NewWithClaims(jwt.SigningMethodRS256, claims(signingKeyIssuerPrefix+"k"))
	kidOther.Header["kid"] = "other"
	kidOtherSigned, err := kidOther.SignedString(other)
	if err != nil {
		t.Fatal(err)
	}
	for name, auth := range map[string]string{
		"a valid JWT sent as Bearer":               "Bearer " + good,
		"the API key sent as JWT":                  "JWT " + s.APIKey,
		"signed by one key, iss names another":     "JWT " + sign(other, claims(signingKeyIssuerPrefix+"k")),
		"kid names the signing key, iss the other": "JWT " + kidOtherSigned,
		"iss over http":                            "JWT " + sign(key, claims("http://versori.com/sk/k")),
		"iss in upper case":                        "JWT " + sign(key, claims("HTTPS://VERSORI.COM/sk/k")),
		"iss with a trailing slash":                "JWT " + sign(key, claims(signingKeyIssuerPrefix+"k/")),
		"iss with a dot segment":                   "JWT " + sign(key, claims(signingKeyIssuerPrefix+"x/../k")),
		"iss as an array":                          "JWT " + sign(key, withClaim(claims(""), "iss", []string{signingKeyIssuerPrefix + "k"})),
		"no signature":                             "JWT " + parts[0] + "." + parts[1] + ".",
		"signature of another token":               "JWT " + parts[0] + "." + parts[1] + "." + strings.Split(sign(key, withClaim(claims(signingKeyIssuerPrefix+"k"), "sub", "x")), ".")[2],
		"two tokens":                               "JWT " + good + " " + good,
		"exp as a string":                          "JWT " + sign(key, jwt.MapClaims{"iss": signingKeyIssuerPrefix + "k", "exp": "never"}),
		"sub null":                                 "JWT " + sign(key, withClaim(claims(signingKeyIssuerPrefix+"k"), "sub", nil)),
		"sub an object":                            "JWT " + sign(key, withClaim(claims(signingKeyIssuerPrefix+"k"), "sub", map[string]any{"id": "u"})),
	} {
		t.Run(name, func(t *testing.T) {
			callAuth(t, s, auth, "GET", "/o/"+s.Seeded().OrganisationID+"/hubs", nil).expectError(t, http.StatusUnauthorized)
			pcallAs(t, s, auth, "GET", org(s, "/projects"), nil).expectError(t, http.StatusUnauthorized)
		})
	}
	callAuth(t, s, "JWT "+good, "GET", "/o/"+s.Seeded().OrganisationID+"/hubs", nil).expect(t, http.StatusOK)
}

// TestTokenWithoutExpiryRefused: a signing-key JWT with no exp is accepted,
// for ever (TestJWTAuth's "no exp" case pins what the fake does today).
func TestTokenWithoutExpiryRefused(t *testing.T) {
	t.Skip("FINDING: verifyJWT validates exp only when present (jwt.Parse without WithExpirationRequired): a token with no exp " +
		"never expires, so a customer's own minting code that forgets exp passes every test against the fake. Versori's " +
		"documentation describes tokens with exp; whether the API requires it is unconfirmed, hence a design decision.")
	s := newTestServer(t)
	key := testutil.RSAKey(0)
	s.RegisterSigningKey("k", &key.PublicKey)
	v, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": signingKeyIssuerPrefix + "k"}).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	pcallAs(t, s, "JWT "+v, "GET", org(s, "/projects"), nil).expectError(t, http.StatusUnauthorized)
}
