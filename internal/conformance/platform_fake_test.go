package conformance_test

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/versori-go/versori/internal/conformance"
	"github.com/versori-go/versori/versoritest"
)

// pclient sends raw JSON requests to the fake through a Recorder, failing the
// test on an unexpected status.
type pclient struct {
	t    *testing.T
	hc   *http.Client
	fake *versoritest.Server
	key  string // "Bearer <API key>"
}

// do sends one request; path is relative to the server root (it includes
// /api/v2 or /api/organisations/v1). body is nil or a value to marshal.
func (c *pclient) do(want int, auth, method, path string, body any) any {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.fake.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, res.StatusCode, want, raw)
	}
	var out any
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &out)
	}
	return out
}

// api sends an API-key request.
func (c *pclient) api(want int, method, path string, body any) map[string]any {
	c.t.Helper()
	m, _ := c.do(want, c.key, method, path, body).(map[string]any)
	return m
}

func field(x any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, _ := x.(map[string]any)
			x = m[k]
		case int:
			a, _ := x.([]any)
			if k >= len(a) {
				return nil
			}
			x = a[k]
		}
	}
	return x
}

func fstr(x any, keys ...any) string { s, _ := field(x, keys...).(string); return s }

const zero = "00000000000000000000000000"

func newCred(typ, key string, data map[string]any) map[string]any {
	return map[string]any{"id": zero, "organisationId": zero, "name": typ, "type": typ, "data": map[string]any{key: data}}
}

// TestPlatformFakeConforms drives all 37 Platform and Organisations operations
// of the fake with raw HTTP through a Recorder, including their error
// responses, and fails if any request sent or response received breaks the
// corrected specs, or if any operation went unexercised.
func TestPlatformFakeConforms(t *testing.T) {
	t.Parallel()
	rec := conformance.NewPlatformRecorder(t, http.DefaultTransport)
	fake := versoritest.NewServer()
	defer fake.Close()
	c := &pclient{t: t, hc: &http.Client{Transport: rec}, fake: fake, key: "Bearer " + fake.APIKey}
	sd := fake.Seeded()
	sp := sd.Platform
	o := "/api/v2/o/" + sd.OrganisationID
	keys := "/api/organisations/v1/organisations/" + sd.OrganisationID + "/keys"
	templates := map[string]versoritest.SeededConnectionTemplate{}
	for _, tm := range sp.Templates {
		templates[tm.Name] = tm
	}

	// Projects and systems.
	c.api(200, "GET", o+"/projects", nil)
	c.api(200, "GET", o+"/projects/"+sp.ProjectID, nil)
	c.api(404, "GET", o+"/projects/"+zero, nil)
	c.api(200, "GET", o+"/systems?first=2&search=o", nil)
	page := c.api(200, "GET", o+"/systems?first=3", nil)
	c.api(200, "GET", o+"/systems?first=3&after="+fstr(page, "next"), nil)
	for _, s := range sp.Systems {
		c.api(200, "GET", o+"/systems/"+s.ID, nil)
	}
	c.api(404, "GET", o+"/systems/"+zero, nil)

	// Auth scheme configs: client-chosen IDs (E9), an authorizationCode grant
	// (E6), OAuth 1.0 parameter configs (E7), HMAC.
	acme := templates["acme"]
	schemes := map[string]map[string]any{
		"conf-oauth": {"type": "oauth2", "oauth2": map[string]any{
			"id": "conf-oauth", "description": "OAuth", "authorizeUrl": "https://acme.example/authorize", "tokenUrl": "https://acme.example/token",
			"scopes": []any{map[string]any{"name": "read", "description": "Read"}}, "defaultScopes": []any{"read"}, "pkce": true,
			"grant": map[string]any{"type": "authorizationCode", "authorizationCode": map[string]any{
				"credentialId": sp.OAuth2ClientCredentialID, "organisationId": sd.OrganisationID, "clientId": "cid", "clientSecret": "cs",
			}},
		}},
		"conf-password": {"type": "oauth2", "oauth2": map[string]any{
			"id": "conf-password", "description": "", "tokenUrl": "https://acme.example/token", "scopes": []any{}, "defaultScopes": []any{},
			"grant": map[string]any{"type": "password", "password": map[string]any{"clientId": "cid"}},
		}},
		"conf-oauth1": {"type": "oauth1", "oauth1": map[string]any{
			"id": "conf-oauth1", "description": "", "consumerKey": "ck", "consumerSecret": "cs", "signatureMethod": "sha256", "tokenAuth": true,
			"tokenEndpoint": map[string]any{"url": "https://acme.example/oauth1/token", "parameterTransmission": "AUTH_STYLE_FORM", "additionalParamConfigs": []any{
				map[string]any{"parameterName": "realm", "location": "LOCATION_BODY", "usages": "USAGE_TOKEN_REQUEST_ENDPOINT", "required": true, "modifiable": false},
			}},
		}},
		"conf-hmac": {"type": "hmac", "hmac": map[string]any{
			"id": "conf-hmac", "description": "", "name": "X-Sig", "in": "header", "algorithm": "sha256", "digestInputs": []any{"body", "url"}, "encoding": "hex",
		}},
		"conf-jwt": {"type": "jwt-bearer"},
	}
	for id, s := range schemes {
		if id == "conf-jwt" {
			continue // a top-level id is not in the schema; see below
		}
		c.api(201, "PUT", o+"/systems/"+acme.SystemID+"/auth-scheme-configs/"+id, s)
	}
	c.api(400, "PUT", o+"/systems/"+acme.SystemID+"/auth-scheme-configs/other-id", schemes["conf-hmac"])
	c.api(400, "PUT", o+"/systems/"+acme.SystemID+"/auth-scheme-configs/conf-jwt", schemes["conf-jwt"])
	c.api(200, "GET", o+"/systems/"+acme.SystemID, nil)
	for id := range schemes {
		if id != "conf-jwt" {
			c.api(204, "DELETE", o+"/systems/"+acme.SystemID+"/auth-scheme-configs/"+id, nil)
		}
	}
	c.api(404, "DELETE", o+"/systems/"+acme.SystemID+"/auth-scheme-configs/conf-hmac", nil)

	// Connection templates (LinkSystem with environmentId: E4).
	tbase := o + "/projects/" + sp.ProjectID + "/connection-templates"
	c.api(200, "GET", tbase+"?env_id="+sp.EnvironmentID, nil)
	c.api(200, "GET", tbase, nil)
	link := map[string]any{"systemId": acme.SystemID, "name": "acme-static", "environmentId": sp.EnvironmentID, "dynamic": false}
	staticTmpl := c.api(200, "POST", tbase, link)
	c.api(409, "POST", tbase, link)
	c.api(200, "PUT", tbase+"/"+fstr(staticTmpl, "connectionTemplateId"), map[string]any{"name": "acme-static", "dynamic": false, "authSchemeConfigIds": []any{"acme-api-key"}})
	c.api(404, "PUT", tbase+"/"+zero, map[string]any{"name": "x"})

	// End users.
	user := c.api(201, "POST", o+"/users", map[string]any{"externalId": "conf-user", "displayName": "Conformance"})
	c.api(409, "POST", o+"/users", map[string]any{"externalId": "conf-user"})
	c.api(400, "POST", o+"/users", map[string]any{"externalId": ""})
	c.api(200, "GET", o+"/users?search=conf", nil)
	c.api(200, "GET", o+"/users?activated=false&environment_id="+sp.EnvironmentID, nil)
	c.api(200, "GET", o+"/users/conf-user", nil)
	c.api(200, "GET", o+"/users/"+fstr(user, "id"), nil)
	c.api(404, "GET", o+"/users/nobody", nil)

	// Connections: one per dynamic template, each credential kind.
	creds := map[string]map[string]any{
		"acme":     newCred("string", "string", map[string]any{"value": "k"}),
		"zendesk":  newCred("basic-auth", "basicAuth", map[string]any{"username": "u", "password": "p"}),
		"shopify":  newCred("oauth2-code", "oauth2Code", map[string]any{"code": "c", "state": "s"}),
		"netsuite": newCred("oauth2-client", "oauth2Client", map[string]any{"clientId": "id", "clientSecret": "cs", "tokenUrl": "https://n.example/token", "scopes": []any{"a"}}),
		"trello":   newCred("oauth1", "oauth1", map[string]any{"state": "s", "oauthToken": "t", "oauthVerifier": "v"}),
	}
	system := c.api(200, "GET", o+"/systems/"+acme.SystemID, nil)
	connIDs := map[string]string{}
	for name, cred := range creds {
		tm := templates[name]
		sys := c.api(200, "GET", o+"/systems/"+tm.SystemID, nil)
		body := map[string]any{"connectionTemplateId": tm.ID, "externalId": "conf-user", "connection": map[string]any{
			"name": name, "baseUrl": "https://" + name + ".example",
			"credentials": []any{map[string]any{"id": zero, "authSchemeConfig": field(sys, "authSchemeConfigs", 0), "credential": cred}},
		}}
		conn := c.api(201, "POST", o+"/connections", body)
		connIDs[name] = fstr(conn, "id")
		if name == "acme" {
			c.api(409, "POST", o+"/connections", body)
		}
	}
	// Valid to the spec, refused by the fake: data keyed for another type.
	bad := map[string]any{"connectionTemplateId": acme.ID, "externalId": "conf-user", "connection": map[string]any{"name": "bad", "credentials": []any{
		map[string]any{"id": zero, "credential": newCred("string", "basicAuth", map[string]any{"username": "u", "password": "p"})},
	}}}
	// The harness flags that request too, so it goes through a recorder of its
	// own, which must find that and nothing else (the 400 conforms).
	badRec := conformance.NewRecorderWith(conformance.LoadPlatformValidator(t), http.DefaultTransport)
	(&pclient{t: t, hc: &http.Client{Transport: badRec}, fake: fake, key: c.key}).api(400, "POST", o+"/connections", bad)
	if v := badRec.Exchanges()[0].Violations; len(v) != 1 || v[0].(*conformance.Violation).Side != conformance.Request ||
		v[0].(*conformance.Violation).Err.ValidationSubType != "keyedUnion" {
		t.Errorf("mismatched credential: violations %v, want the keyed check's on the request only", v)
	}
	// A static connection for the new static template, its links and the
	// environment's list.
	static := c.api(201, "POST", o+"/connections", map[string]any{"connectionTemplateId": fstr(staticTmpl, "connectionTemplateId"), "connection": map[string]any{
		"name": "static", "credentials": []any{map[string]any{"id": zero, "authSchemeConfig": field(system, "authSchemeConfigs", 0), "credential": creds["acme"]}},
	}})
	staticLink := o + "/connections/" + fstr(static, "id") + "/link"
	c.api(204, "DELETE", staticLink, map[string]any{"connectionTemplateId": fstr(staticTmpl, "connectionTemplateId")})
	c.api(404, "DELETE", staticLink, map[string]any{"connectionTemplateId": fstr(staticTmpl, "connectionTemplateId")})
	c.api(201, "POST", staticLink, map[string]any{"connectionTemplateId": fstr(staticTmpl, "connectionTemplateId")})
	c.api(409, "POST", staticLink, map[string]any{"connectionTemplateId": fstr(staticTmpl, "connectionTemplateId")})
	c.api(200, "GET", o+"/projects/"+sp.ProjectID+"/connections?env_id="+sp.EnvironmentID, nil)
	c.api(200, "GET", o+"/connections?first=2&end_user_id="+fstr(user, "id")+"&system_id="+acme.SystemID, nil)
	all := c.api(200, "GET", o+"/connections?first=3", nil)
	c.api(200, "GET", o+"/connections?first=3&after="+fstr(all, "next"), nil)
	c.api(400, "GET", o+"/connections?end_user_id=conf-user", nil)
	c.api(200, "GET", o+"/connections/"+connIDs["acme"], nil)
	c.api(404, "GET", o+"/connections/"+zero, nil)
	// baseUrl "" keeps the stored one (E10 lets the spec accept it).
	updated := c.api(200, "GET", o+"/connections/"+fstr(static, "id"), nil)
	c.api(200, "PUT", o+"/connections/"+fstr(static, "id"), map[string]any{"name": "static renamed", "baseUrl": "", "credentials": []any{
		map[string]any{"id": zero, "credential": map[string]any{"id": fstr(updated, "credentials", 0, "credential", "id"), "organisationId": sd.OrganisationID}},
	}})

	// OAuth initialise (additionalParams: E1).
	shopify := templates["shopify"]
	init := map[string]any{
		"credential":   map[string]any{"id": sp.OAuth2ClientCredentialID, "organisationId": sd.OrganisationID},
		"authorizeUrl": "https://accounts.shopify.com/oauth/authorize", "clientId": "shopify-client-id",
		"scopes": []any{"read_orders"}, "prompt": "consent", "additionalParams": "foo=bar",
	}
	c.api(200, "POST", o+"/systems/"+shopify.SystemID+"/oauth2/initialise", init)
	init["credential"] = map[string]any{"id": zero, "organisationId": sd.OrganisationID}
	c.api(400, "POST", o+"/systems/"+shopify.SystemID+"/oauth2/initialise", init)
	c.api(200, "POST", o+"/systems/"+templates["trello"].SystemID+"/oauth1/initialise", map[string]any{"credential": map[string]any{"id": sp.OAuth1CredentialID, "organisationId": sd.OrganisationID}})
	c.api(400, "POST", o+"/systems/"+templates["trello"].SystemID+"/oauth1/initialise", map[string]any{"credential": map[string]any{"id": zero, "organisationId": sd.OrganisationID}})

	// Activations (their environment: E5; error responses: E14).
	second := c.api(201, "POST", o+"/users", map[string]any{"externalId": "conf-second"})
	c.api(400, "POST", o+"/activations", map[string]any{"userId": "conf-second", "environmentId": sp.EnvironmentID, "connections": []any{}})
	c.api(400, "POST", o+"/activations", map[string]any{"userId": "conf-user", "environmentId": sp.EnvironmentID, "connections": []any{},
		"dynamicVariables": map[string]any{"region": "mars"}})
	act := c.api(200, "POST", o+"/activations", map[string]any{
		"userId": fstr(user, "id"), "environmentId": sp.EnvironmentID,
		"connections":      []any{map[string]any{"connectionTemplateId": acme.ID, "existingConnectionId": connIDs["acme"]}},
		"dynamicVariables": map[string]any{"syncIntervalMinutes": 15},
	})
	c.api(409, "POST", o+"/activations", map[string]any{"userId": "conf-user", "environmentId": sp.EnvironmentID, "connections": []any{}})
	envPath := o + "/environments/" + sp.EnvironmentID
	actPath := envPath + "/activations/" + fstr(act, "id")
	c.do(200, c.key, "GET", envPath+"/activations", nil)
	c.do(200, c.key, "GET", envPath+"/activations?static=true", nil)
	c.api(200, "GET", actPath, nil)
	c.api(404, "GET", envPath+"/activations/"+zero, nil)
	c.do(200, c.key, "GET", o+"/environment/"+sp.EnvironmentID+"/users/conf-user/activations", nil)
	c.api(404, "GET", o+"/environment/"+sp.EnvironmentID+"/users/nobody/activations", nil)
	c.api(200, "PATCH", actPath+"/variables", map[string]any{"region": "eu", "notifyEmail": "ops@acme.example"})
	c.api(400, "PATCH", actPath+"/variables", map[string]any{"unknown": 1})
	c.api(200, "PUT", actPath+"/variables/region", map[string]any{"value": "us"})
	c.api(400, "PUT", actPath+"/variables/region", map[string]any{"value": 7})
	c.api(200, "PATCH", envPath+"/variables", map[string]any{"region": "eu"})
	c.api(404, "PATCH", o+"/environments/"+zero+"/variables", map[string]any{})
	c.api(200, "GET", o+"/environment-systems/"+acme.ID+"/activations/"+fstr(act, "id"), nil)
	c.api(200, "GET", o+"/environment-systems/"+templates["slack"].ID+"/activations/"+fstr(act, "id"), nil)
	c.api(404, "GET", o+"/environment-systems/"+zero+"/activations/"+fstr(act, "id"), nil)
	c.api(409, "DELETE", o+"/connections/"+connIDs["acme"], nil)

	// Signing keys and JWTs (the JWT scheme: E15; 201/200 with a body: E12).
	key := c.api(201, "POST", keys, map[string]any{"name": "conformance"})
	c.api(400, "POST", keys, map[string]any{"name": ""})
	c.api(200, "GET", keys, nil)
	c.do(200, "", "GET", "/api/organisations/v1/keys/"+fstr(key, "id"), nil)
	block, _ := pem.Decode([]byte(fstr(key, "privateKey")))
	priv, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(sub string) string {
		claims := jwt.MapClaims{"iss": "https://versori.com/sk/" + fstr(key, "id"), "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()}
		if sub != "" {
			claims["sub"] = sub
		}
		tok, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(priv.(*rsa.PrivateKey))
		if err != nil {
			t.Fatal(err)
		}
		return "JWT " + tok
	}
	endUser, console := sign("conf-user"), sign("")
	c.do(200, endUser, "GET", o+"/users/conf-user", nil)
	c.do(404, endUser, "GET", o+"/users/conf-second", nil)
	c.do(403, endUser, "GET", o+"/users", nil)
	c.do(200, endUser, "GET", o+"/connections", nil)
	c.do(403, console, "POST", o+"/users", map[string]any{"externalId": "console-made"})
	c.do(200, console, "GET", o+"/users/conf-second", nil)
	c.do(403, endUser, "GET", keys, nil)
	c.api(204, "DELETE", keys+"/"+fstr(key, "id"), nil)
	c.api(404, "DELETE", keys+"/"+fstr(key, "id"), nil)
	c.do(401, endUser, "GET", o+"/users/conf-user", nil)
	c.do(404, "", "GET", "/api/organisations/v1/keys/"+fstr(key, "id"), nil)
	c.do(404, c.key, "GET", "/api/organisations/v1/organisations/"+zero+"/keys", nil)

	// Scoping, authentication and an injected fault.
	c.do(404, c.key, "GET", "/api/v2/o/01ARZ3NDEKTSV4RRFFQ69G5FAV/users", nil)
	c.do(401, "Bearer wrong", "GET", o+"/projects", nil)
	fake.FailNext(versoritest.OpPlatformGetEndUser, 1, versoritest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "1"})
	c.api(503, "GET", o+"/users/conf-user", nil)

	// Clean up: deactivate, delete what is left.
	c.api(204, "DELETE", actPath, nil)
	c.api(404, "DELETE", actPath, nil)
	c.api(204, "DELETE", o+"/connections/"+connIDs["acme"], nil)
	c.api(204, "DELETE", o+"/connections/"+fstr(static, "id"), nil)
	c.api(204, "DELETE", tbase+"/"+fstr(staticTmpl, "connectionTemplateId"), nil)
	c.api(404, "DELETE", tbase+"/"+fstr(staticTmpl, "connectionTemplateId"), nil)
	c.api(204, "DELETE", o+"/users/conf-user", nil)
	c.api(204, "DELETE", o+"/users/"+fstr(second, "id"), nil)
	c.api(404, "DELETE", o+"/users/conf-user", nil)

	rec.Assert(t)
	assertExercised(t, fake, versoritest.PlatformOperations())
	t.Logf("%d exchanges, all %d operations", len(rec.Exchanges()), len(versoritest.PlatformOperations()))
}
