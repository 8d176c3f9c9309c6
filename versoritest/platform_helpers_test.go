package versoritest

import (
	"encoding/json"
	"net/http"
	"testing"
)

// newPlatformServer starts a fake for t, as newTestServer does, and returns it with its
// Platform seed.
func newPlatformServer(t *testing.T) (*Server, SeededPlatform) {
	t.Helper()
	s := newTestServer(t)
	return s, s.Seeded().Platform
}

// pcall sends an API-key request to the Platform API; path is relative to its base.
func pcall(t *testing.T, s *Server, method, path string, body any) resp {
	t.Helper()
	return callAuth(t, s, "Bearer "+s.APIKey, method, platformBasePath+path, body)
}

// pcallAs sends a Platform request with the given Authorization header.
func pcallAs(t *testing.T, s *Server, auth, method, path string, body any) resp {
	t.Helper()
	return callAuth(t, s, auth, method, platformBasePath+path, body)
}

// org prefixes rest with /o/{the fake's organisation}.
func org(s *Server, rest string) string { return "/o/" + s.Seeded().OrganisationID + rest }

func createPUser(t *testing.T, s *Server, externalID string) map[string]any {
	t.Helper()
	return pcall(t, s, "POST", org(s, "/users"), map[string]any{"externalId": externalID, "displayName": "User " + externalID}).
		expect(t, http.StatusCreated).obj
}

// seededTemplate returns the seeded template of the system named name.
func seededTemplate(t *testing.T, s *Server, templateName string) SeededConnectionTemplate {
	t.Helper()
	for _, tm := range s.Seeded().Platform.Templates {
		if tm.Name == templateName {
			return tm
		}
	}
	t.Fatalf("no seeded template %q", templateName)
	return SeededConnectionTemplate{}
}

// zeroID is what cli sends for IDs the server assigns.
const zeroID = "00000000000000000000000000"

// newCred is a new Credential for a connection body: keyed data under its type's key.
func newCred(typ string, data map[string]any) map[string]any {
	return map[string]any{"id": zeroID, "organisationId": zeroID, "name": typ + " credential", "type": typ, "data": data}
}

// connCred is a ConnectionCredential with the given auth scheme config (nil for none).
func connCred(scheme, cred map[string]any) map[string]any {
	out := map[string]any{"id": zeroID, "credential": cred}
	if scheme != nil {
		out["authSchemeConfig"] = scheme
	}
	return out
}

// connectionFor is a valid ConnectionCreate for a seeded template, with a credential of
// the kind its auth scheme needs.
func connectionFor(s *Server, tm SeededConnectionTemplate, secret string) map[string]any {
	var cred map[string]any
	switch {
	case tm.SchemeType == "api-key":
		cred = newCred("string", map[string]any{"string": map[string]any{"value": secret}})
	case tm.SchemeType == "basic-auth":
		cred = newCred("basic-auth", map[string]any{"basicAuth": map[string]any{"username": "agent", "password": secret}})
	case tm.GrantType == "authorizationCode":
		cred = newCred("oauth2-code", map[string]any{"oauth2Code": map[string]any{"code": "code-" + secret, "state": "state"}})
	case tm.GrantType == "clientCredentials":
		cred = newCred("oauth2-client", map[string]any{"oauth2Client": map[string]any{"clientId": "id", "clientSecret": secret, "tokenUrl": "https://netsuite.example/token"}})
	case tm.SchemeType == "oauth1":
		cred = newCred("oauth1", map[string]any{"oauth1": map[string]any{"state": "st", "oauthToken": "tok", "oauthVerifier": secret}})
	}
	return map[string]any{"name": tm.Name + " connection", "credentials": []any{connCred(schemeOf(s, tm.SystemID), cred)}}
}

// schemeOf reads a system's first auth scheme config, as clients copy it into connections.
func schemeOf(s *Server, systemID string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return pRedact(s.st.platform.systems[systemID].schemes[0])
}

// connectAll gives the end user a connection for every dynamic seeded template.
func connectAll(t *testing.T, s *Server, auth, externalID string) {
	t.Helper()
	for _, tm := range s.Seeded().Platform.Templates {
		if tm.Dynamic {
			body := map[string]any{"connectionTemplateId": tm.ID, "externalId": externalID, "connection": connectionFor(s, tm, "secret-"+tm.Name)}
			pcallAs(t, s, auth, "POST", org(s, "/connections"), body).expect(t, http.StatusCreated)
		}
	}
}

// activatePUser creates an end user, connects it to every dynamic seeded template and
// activates it on the seeded environment.
func activatePUser(t *testing.T, s *Server, externalID string) map[string]any {
	t.Helper()
	createPUser(t, s, externalID)
	connectAll(t, s, "Bearer "+s.APIKey, externalID)
	body := map[string]any{"userId": externalID, "environmentId": s.Seeded().Platform.EnvironmentID, "connections": []any{}}
	return pcall(t, s, "POST", org(s, "/activations"), body).expect(t, http.StatusOK).obj
}

// envPath is /o/{org}/environments/{seeded env}+rest.
func envPath(s *Server, rest string) string {
	return org(s, "/environments/"+s.Seeded().Platform.EnvironmentID+rest)
}

// list decodes a response whose body is a JSON array (ListActivations and friends).
func (r resp) list() []any {
	var out []any
	_ = json.Unmarshal(r.raw, &out)
	return out
}
