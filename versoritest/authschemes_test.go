package versoritest

import (
	"net/http"
	"testing"
)

// TestOAuth2GrantCredential follows the spec's rules for an authorization_code or password
// grant's client: without credentialId and organisationId the API stores clientId and
// clientSecret in a new oauth2-client credential and the grant names it; with both, the
// named credential must exist and is merge-patched; with only one, 400.
func TestOAuth2GrantCredential(t *testing.T) {
	s, sd := newSeededServer(t)
	tplPath := "/integrations/" + sd.Integrations[2].ID + "/connection-templates"
	shopify := sd.Integrations[0].Templates[1].ConnectorID
	template := func(grant map[string]any) resp {
		scheme := oauth2Scheme()
		scheme["grant"] = grant
		return call(t, s, "POST", tplPath, map[string]any{"connectorId": shopify, "authSchemeConfig": scheme})
	}

	// A new client: stored in a credential, which the grant then names.
	tpl := template(map[string]any{"grantType": "authorization_code", "clientId": "cid-1", "clientSecret": "SECRET-1"}).expect(t, http.StatusOK)
	grant := obj(dig(tpl.obj, "authSchemeConfig", "grant"))
	credID := str(grant["credentialId"])
	if !isULID(credID) || grant["organisationId"] != sd.OrganisationID || grant["clientId"] != "cid-1" || str(grant["clientSecret"]) != "" {
		t.Fatalf("grant = %v, want the new credential named and no secret", grant)
	}
	initialise := func(clientID string) resp {
		return call(t, s, "POST", "/embed/"+sd.HubID+"/connector/"+shopify+"/oauth2/initialise", map[string]any{
			"credential":   map[string]any{"id": credID, "organisationId": sd.OrganisationID},
			"authorizeUrl": "https://provider.example/authorize", "clientId": clientID,
		})
	}
	initialise("cid-1").expect(t, http.StatusOK)
	s.mu.Lock()
	if c := s.st.credentials[credID]; c == nil || c.typ != credOAuth2Client || c.data["clientSecret"] != "SECRET-1" || c.data["tokenUrl"] != "https://provider.example/token" {
		t.Errorf("stored credential = %+v", c)
	}
	s.mu.Unlock()

	// An existing client, named with both IDs: merge-patched with what is given.
	template(map[string]any{"grantType": "password", "credentialId": credID, "organisationId": sd.OrganisationID, "clientId": "cid-2"}).expect(t, http.StatusOK)
	initialise("cid-2").expect(t, http.StatusOK)
	initialise("cid-1").expectError(t, http.StatusBadRequest, "clientId")

	// Any other permutation, or a credential that is not there, is refused.
	g := "authSchemeConfig.grant."
	template(map[string]any{"grantType": "authorization_code", "credentialId": credID}).expectError(t, http.StatusBadRequest, g+"organisationId")
	template(map[string]any{"grantType": "authorization_code", "organisationId": sd.OrganisationID}).expectError(t, http.StatusBadRequest, g+"credentialId")
	template(map[string]any{"grantType": "authorization_code", "credentialId": "01HZY0000000000000000000CR", "organisationId": sd.OrganisationID}).
		expectError(t, http.StatusBadRequest, g+"credentialId")
	u := createUser(t, s, "u1")
	stringCred := str(dig(u, "primaryConnection", "credentials", "action", 0, "credential", "id"))
	template(map[string]any{"grantType": "authorization_code", "credentialId": stringCred, "organisationId": sd.OrganisationID}).
		expectError(t, http.StatusBadRequest, g+"credentialId")

	// The same rules where a scheme comes with a connection or a hub.
	body := userWithCredential("u2", cred("string", map[string]any{"value": "v"}), oauth2Scheme())
	r := call(t, s, "POST", hubPath(s, "/users"), body).expect(t, http.StatusCreated)
	if id := str(dig(r.obj, "primaryConnection", "credentials", "action", 0, "authSchemeConfig", "grant", "credentialId")); !isULID(id) {
		t.Errorf("connection scheme's grant names no credential: %s", r.raw)
	}
	hub := newHubBody(s, "H")
	scheme := oauth2Scheme()
	scheme["grant"] = map[string]any{"grantType": "authorization_code", "credentialId": credID}
	hub["authSchemeConfig"] = scheme
	call(t, s, "POST", "/hubs", hub).expectError(t, http.StatusBadRequest, "authSchemeConfig.grant.organisationId")
}
