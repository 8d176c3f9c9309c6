package versoritest

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/versori-go/versori/internal/testutil"
)

// An end-user token acts for its own end user only; another end user's resources are as
// good as absent, and organisation-wide operations are refused.
func TestPlatformEndUserTokenScope(t *testing.T) {
	s := newTestServer(t)
	tok := tokens(t, s)
	alice, bob := tok("alice"), tok("bob")
	sp := s.Seeded().Platform

	// An end user creates itself, and only itself.
	pcallAs(t, s, alice, "POST", org(s, "/users"), map[string]any{"externalId": "bob"}).expectError(t, http.StatusForbidden)
	a := pcallAs(t, s, alice, "POST", org(s, "/users"), map[string]any{"externalId": "alice"}).expect(t, http.StatusCreated).obj
	pcallAs(t, s, bob, "POST", org(s, "/users"), map[string]any{"externalId": "bob"}).expect(t, http.StatusCreated)
	pcallAs(t, s, alice, "GET", org(s, "/users/alice"), nil).expect(t, http.StatusOK)
	pcallAs(t, s, alice, "GET", org(s, "/users/"+str(a["id"])), nil).expect(t, http.StatusOK)
	pcallAs(t, s, alice, "GET", org(s, "/users/bob"), nil).expectError(t, http.StatusNotFound)
	pcallAs(t, s, alice, "DELETE", org(s, "/users/bob"), nil).expectError(t, http.StatusNotFound)
	pcallAs(t, s, alice, "GET", org(s, "/users"), nil).expectError(t, http.StatusForbidden)

	// Connections: its own only.
	connectAll(t, s, alice, "alice")
	connectAll(t, s, bob, "bob")
	acme := seededTemplate(t, s, "acme")
	body := map[string]any{"connectionTemplateId": acme.ID, "externalId": "bob", "connection": connectionFor(s, acme, "x")}
	pcallAs(t, s, alice, "POST", org(s, "/connections"), body).expectError(t, http.StatusForbidden)
	delete(body, "externalId") // a static connection is the organisation's
	pcallAs(t, s, alice, "POST", org(s, "/connections"), body).expectError(t, http.StatusForbidden)
	mine := pcallAs(t, s, alice, "GET", org(s, "/connections"), nil).expect(t, http.StatusOK).obj
	if mine["totalCount"] != 5.0 {
		t.Fatalf("alice sees %v connections, want her 5", mine["totalCount"])
	}
	bobs := pcall(t, s, "GET", org(s, "/connections?end_user_id="+str(pcall(t, s, "GET", org(s, "/users/bob"), nil).obj["id"])), nil).obj
	bobConn := str(dig(bobs, "items", 0, "id"))
	pcallAs(t, s, alice, "GET", org(s, "/connections?end_user_id="+str(pcall(t, s, "GET", org(s, "/users/bob"), nil).obj["id"])), nil).expectError(t, http.StatusForbidden)
	pcallAs(t, s, alice, "GET", org(s, "/connections/"+bobConn), nil).expectError(t, http.StatusNotFound)
	pcallAs(t, s, alice, "PUT", org(s, "/connections/"+bobConn), map[string]any{"name": "mine", "credentials": []any{}, "baseUrl": ""}).expectError(t, http.StatusNotFound)
	pcallAs(t, s, alice, "DELETE", org(s, "/connections/"+bobConn), nil).expectError(t, http.StatusNotFound)
	pcallAs(t, s, alice, "GET", org(s, "/connections/"+sp.StaticConnectionID), nil).expectError(t, http.StatusNotFound)
	pcallAs(t, s, alice, "POST", org(s, "/connections/"+str(dig(mine, "items", 0, "id"))+"/link"), map[string]any{"connectionTemplateId": acme.ID}).expectError(t, http.StatusForbidden)

	// Activations: its own only.
	act := map[string]any{"userId": "bob", "environmentId": sp.EnvironmentID, "connections": []any{}}
	pcallAs(t, s, alice, "POST", org(s, "/activations"), act).expectError(t, http.StatusBadRequest, "userId")
	act["userId"] = "alice"
	aliceAct := pcallAs(t, s, alice, "POST", org(s, "/activations"), act).expect(t, http.StatusOK).obj
	act["userId"] = "bob"
	bobAct := pcallAs(t, s, bob, "POST", org(s, "/activations"), act).expect(t, http.StatusOK).obj
	bobPath := envPath(s, "/activations/"+str(bobAct["id"]))
	pcallAs(t, s, alice, "GET", bobPath, nil).expectError(t, http.StatusNotFound)
	pcallAs(t, s, alice, "PATCH", bobPath+"/variables", map[string]any{"region": "eu"}).expectError(t, http.StatusNotFound)
	pcallAs(t, s, alice, "PUT", bobPath+"/variables/region", map[string]any{"value": "eu"}).expectError(t, http.StatusNotFound)
	pcallAs(t, s, alice, "DELETE", bobPath, nil).expectError(t, http.StatusNotFound)
	pcallAs(t, s, alice, "GET", org(s, "/environment-systems/"+acme.ID+"/activations/"+str(bobAct["id"])), nil).expectError(t, http.StatusNotFound)
	pcallAs(t, s, alice, "GET", org(s, "/environment/"+sp.EnvironmentID+"/users/bob/activations"), nil).expectError(t, http.StatusNotFound)
	if got := pcallAs(t, s, alice, "GET", org(s, "/environment/"+sp.EnvironmentID+"/users/alice/activations"), nil).expect(t, http.StatusOK); len(got.list()) != 1 {
		t.Errorf("alice's activations = %s", got.raw)
	}
	pcallAs(t, s, alice, "GET", envPath(s, "/activations/"+str(aliceAct["id"])), nil).expect(t, http.StatusOK)
	pcallAs(t, s, alice, "PUT", envPath(s, "/activations/"+str(aliceAct["id"])+"/variables/region"), map[string]any{"value": "us"}).expect(t, http.StatusOK)
	pcallAs(t, s, alice, "GET", envPath(s, "/activations"), nil).expectError(t, http.StatusForbidden)
	pcallAs(t, s, alice, "PATCH", envPath(s, "/variables"), map[string]any{"region": "eu"}).expectError(t, http.StatusForbidden)

	// The organisation's configuration is readable, not writable.
	pcallAs(t, s, alice, "GET", org(s, "/projects"), nil).expect(t, http.StatusOK)
	pcallAs(t, s, alice, "GET", org(s, "/projects/"+sp.ProjectID), nil).expect(t, http.StatusOK)
	pcallAs(t, s, alice, "GET", org(s, "/systems"), nil).expect(t, http.StatusOK)
	pcallAs(t, s, alice, "GET", org(s, "/systems/"+acme.SystemID), nil).expect(t, http.StatusOK)
	pcallAs(t, s, alice, "GET", org(s, "/projects/"+sp.ProjectID+"/connection-templates"), nil).expect(t, http.StatusOK)
	pcallAs(t, s, alice, "GET", org(s, "/projects/"+sp.ProjectID+"/connections"), nil).expectError(t, http.StatusForbidden)
	pcallAs(t, s, alice, "DELETE", org(s, "/projects/"+sp.ProjectID+"/connection-templates/"+acme.ID), nil).expectError(t, http.StatusForbidden)
	pcallAs(t, s, alice, "DELETE", org(s, "/systems/"+acme.SystemID+"/auth-scheme-configs/acme-api-key"), nil).expectError(t, http.StatusForbidden)
	callAuth(t, s, alice, "GET", organisationsBasePath+"/organisations/"+s.Seeded().OrganisationID+"/keys", nil).expectError(t, http.StatusForbidden)

	// It may start OAuth for itself with the organisation's client credential.
	shopify := seededTemplate(t, s, "shopify")
	init := map[string]any{"credential": map[string]any{"id": sp.OAuth2ClientCredentialID, "organisationId": s.Seeded().OrganisationID},
		"authorizeUrl": "https://accounts.shopify.com/oauth/authorize", "clientId": "shopify-client-id"}
	pcallAs(t, s, alice, "POST", org(s, "/systems/"+shopify.SystemID+"/oauth2/initialise"), init).expect(t, http.StatusOK)

	// And delete itself, but not through another user's token.
	pcallAs(t, s, bob, "DELETE", org(s, "/users/alice"), nil).expectError(t, http.StatusNotFound)
	pcallAs(t, s, alice, "DELETE", org(s, "/users/alice"), nil).expect(t, http.StatusNoContent)
	pcall(t, s, "GET", org(s, "/users/bob"), nil).expect(t, http.StatusOK)
}

// A JWT without sub is an organisation (console) token: everything but creating and
// deleting end users.
func TestPlatformOrganisationToken(t *testing.T) {
	s := newTestServer(t)
	console := tokens(t, s)("")
	createPUser(t, s, "u1")
	pcallAs(t, s, console, "POST", org(s, "/users"), map[string]any{"externalId": "u2"}).expectError(t, http.StatusForbidden)
	pcallAs(t, s, console, "DELETE", org(s, "/users/u1"), nil).expectError(t, http.StatusForbidden)
	pcallAs(t, s, console, "GET", org(s, "/users/u1"), nil).expect(t, http.StatusOK)
	pcallAs(t, s, console, "GET", org(s, "/users"), nil).expect(t, http.StatusOK)
	connectAll(t, s, console, "u1")
	pcallAs(t, s, console, "GET", envPath(s, "/activations"), nil).expect(t, http.StatusOK)
	pcallAs(t, s, console, "GET", org(s, "/connections/"+s.Seeded().Platform.StaticConnectionID), nil).expect(t, http.StatusOK)
	callAuth(t, s, console, "GET", organisationsBasePath+"/organisations/"+s.Seeded().OrganisationID+"/keys", nil).expect(t, http.StatusOK)
}

// The Platform refuses what v1 refuses: bad signatures, alg confusion, none, expiry, nbf.
func TestPlatformJWTVerification(t *testing.T) {
	s := newTestServer(t)
	key := testutil.RSAKey(0)
	s.RegisterSigningKey("k", &key.PublicKey)
	now := time.Now()
	good := jwt.MapClaims{"iss": signingKeyIssuerPrefix + "k", "sub": "u1", "exp": now.Add(time.Hour).Unix()}
	with := func(k string, v any) jwt.MapClaims { return withClaim(good, k, v) }
	sign := func(m jwt.SigningMethod, k any, c jwt.MapClaims) string { return signClaims(t, m, k, c) }
	unsigned, _ := jwt.NewWithClaims(jwt.SigningMethodNone, good).SignedString(jwt.UnsafeAllowNoneSignatureType)
	for name, tok := range map[string]string{
		"expired":     sign(jwt.SigningMethodRS256, key, with("exp", now.Add(-time.Minute).Unix())),
		"not yet":     sign(jwt.SigningMethodRS256, key, with("nbf", now.Add(time.Hour).Unix())),
		"alg none":    unsigned,
		"HS256":       sign(jwt.SigningMethodHS256, []byte("secret"), good),
		"unknown key": sign(jwt.SigningMethodRS256, key, with("iss", signingKeyIssuerPrefix+"other")),
		"empty sub":   sign(jwt.SigningMethodRS256, key, with("sub", "")),
		"numeric sub": sign(jwt.SigningMethodRS256, key, with("sub", 42)),
	} {
		t.Run(name, func(t *testing.T) {
			pcallAs(t, s, "JWT "+tok, "GET", org(s, "/projects"), nil).expectError(t, http.StatusUnauthorized)
		})
	}
	pcallAs(t, s, "JWT "+sign(jwt.SigningMethodRS256, key, good), "GET", org(s, "/projects"), nil).expect(t, http.StatusOK)
	pcallAs(t, s, "Bearer wrong", "GET", org(s, "/projects"), nil).expectError(t, http.StatusUnauthorized)
	pcallAs(t, s, "", "GET", org(s, "/projects"), nil).expectError(t, http.StatusUnauthorized)
}

// The operations that act on the whole organisation refuse end-user tokens, and those
// that create or delete end users refuse organisation JWTs, whatever the IDs in the path
// (the check comes before any lookup) and with no body.
func TestPlatformCallerRefusedByOperation(t *testing.T) {
	s := newTestServer(t)
	tok := tokens(t, s)
	alice, console := tok("alice"), tok("")
	refused := map[string]string{
		OpPlatformListEndUsers: alice, OpPlatformListActivations: alice, OpPlatformSetStaticUserVariables: alice,
		OpPlatformLinkConnectionToEnvironment: alice, OpPlatformUnlinkConnectionFromEnvironment: alice,
		OpPlatformListEnvironmentConnections: alice, OpPlatformCreateConnectionTemplate: alice,
		OpPlatformUpdateConnectionTemplate: alice, OpPlatformDeleteConnectionTemplate: alice,
		OpPlatformUpsertAuthSchemeConfig: alice, OpPlatformDeleteAuthSchemeConfig: alice,
		OpPlatformCreateSigningKey: alice, OpPlatformListSigningKeys: alice, OpPlatformDeleteSigningKey: alice,
		OpPlatformCreateEndUser: console, OpPlatformDeleteEndUser: console,
	}
	placeholder := regexp.MustCompile(`\{[a-z_]+\}`)
	for _, rt := range platformRoutes {
		auth, ok := refused[rt.op]
		if !ok {
			continue
		}
		delete(refused, rt.op)
		method, path, _ := strings.Cut(strings.ReplaceAll(rt.pattern, "{organisation_id}", s.Seeded().OrganisationID), " ")
		path = placeholder.ReplaceAllString(path, zeroID)
		t.Run(rt.op, func(t *testing.T) {
			callAuth(t, s, auth, method, path, nil).expectError(t, http.StatusForbidden)
		})
	}
	if len(refused) > 0 {
		t.Errorf("no route for %v", refused)
	}
}
