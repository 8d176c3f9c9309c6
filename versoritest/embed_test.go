package versoritest

import (
	"net/http"
	"testing"
)

func TestListEndUserIntegrations(t *testing.T) {
	s, sd := newSeededServer(t)
	createUser(t, s, "u1")
	activateSlack(t, s, "u1").expect(t, http.StatusOK)
	created := call(t, s, "POST", hubPath(s, "/integrations"), map[string]any{"organisationId": sd.OrganisationID, "name": "Fresh"}).expect(t, http.StatusOK).obj

	base := "/embed/" + sd.HubID + "/users/u1/integrations"
	all := call(t, s, "GET", base, nil).expect(t, http.StatusOK).obj
	if all["totalCount"] != 4.0 || all["totalConnected"] != 1.0 {
		t.Fatalf("all = %v", all)
	}
	activated := map[any]any{}
	for _, x := range arr(all["integrations"]) {
		activated[obj(x)["id"]] = obj(x)["isActivated"]
		if obj(x)["id"] == created["id"] && obj(x)["isDeployed"] != false {
			t.Error("a new integration must not be deployed")
		}
	}
	if activated[sd.Integrations[1].ID] != true || activated[sd.Integrations[0].ID] != false {
		t.Errorf("isActivated = %v", activated)
	}
	if d := call(t, s, "GET", base+"?deployed=true", nil).obj; d["totalCount"] != 2.0 || d["totalConnected"] != 1.0 {
		t.Errorf("deployed=true = %v", d)
	}
	if d := call(t, s, "GET", base+"?deployed=false", nil).obj; d["totalCount"] != 2.0 {
		t.Errorf("deployed=false = %v", d)
	}
	call(t, s, "GET", base+"?deployed=yes", nil).expectError(t, http.StatusBadRequest, "deployed")
	call(t, s, "GET", "/embed/"+sd.HubID+"/users/ghost/integrations", nil).expectError(t, http.StatusNotFound)
	p := call(t, s, "GET", base+"?first=3", nil).obj
	if len(arr(p["integrations"])) != 3 || p["next"] == nil {
		t.Errorf("first=3 = %v", p)
	}
}

func TestGetEmbeddedIntegration(t *testing.T) {
	s, sd := newSeededServer(t)
	createUser(t, s, "u1")
	in := sd.Integrations[0]
	r := call(t, s, "GET", "/embed/"+sd.HubID+"/users/u1/integrations/"+in.ID, nil).expect(t, http.StatusOK).obj
	if r["name"] != "Shopify Orders Sync" || r["isDeployed"] != true || r["isActivated"] != false || len(arr(r["connectionTemplates"])) != 2 {
		t.Fatalf("EmbeddedIntegration = %v", r)
	}
	if dig(r, "connectionTemplates", 0, "isPrimary") != true || dig(r, "connectionTemplates", 1, "authSchemeConfig", "schemeType") != "oauth2" {
		t.Errorf("templates = %v", r["connectionTemplates"])
	}
	call(t, s, "GET", "/embed/"+sd.HubID+"/users/u1/integrations/01HZY0000000000000000000ZZ", nil).expectError(t, http.StatusNotFound)
}

func TestInitialiseOAuth2(t *testing.T) {
	s, sd := newSeededServer(t)
	tmpl := sd.Integrations[0].Templates[1]
	path := "/embed/" + sd.HubID + "/connector/" + tmpl.ConnectorID + "/oauth2/initialise"
	req := func(extra map[string]any) map[string]any {
		m := map[string]any{
			"credential":   map[string]any{"id": tmpl.OAuth2ClientCredentialID, "organisationId": sd.OrganisationID},
			"authorizeUrl": "https://accounts.shopify.com/oauth/authorize?shop=acme",
			"clientId":     tmpl.OAuth2ClientID,
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}

	q := authorizeQuery(t, call(t, s, "POST", path, req(map[string]any{"scopes": []any{"read_orders", "write_orders"}, "additionalParams": "foo=bar&x=1"})))
	want := map[string]string{
		"shop": "acme", "client_id": tmpl.OAuth2ClientID, "response_type": "code", "prompt": "login",
		"scope": "read_orders write_orders offline_access", "foo": "bar", "x": "1",
		"redirect_uri": s.URL + "/oauth2/callback", // http://<request Host>/oauth2/callback
	}
	state := expectAuthorizeQuery(t, q, want)
	if q2 := authorizeQuery(t, call(t, s, "POST", path, req(nil))); q2.Get("state") == state {
		t.Error("state repeated")
	} else if q2.Get("scope") != "offline_access" {
		t.Errorf("default scope = %q", q2.Get("scope"))
	}

	q = authorizeQuery(t, call(t, s, "POST", path, req(map[string]any{"scopes": []any{"a"}, "disableOfflineAccess": true, "prompt": "consent"})))
	if q.Get("scope") != "a" || q.Get("prompt") != "consent" {
		t.Errorf("scope/prompt = %q/%q", q.Get("scope"), q.Get("prompt"))
	}
	q = authorizeQuery(t, call(t, s, "POST", path, req(map[string]any{"additionalParams": "approval_prompt=force"})))
	if q.Has("prompt") || q.Get("approval_prompt") != "force" {
		t.Errorf("approval_prompt: %v", q)
	}
	q = authorizeQuery(t, call(t, s, "POST", path, req(map[string]any{"disableOfflineAccess": true})))
	if q.Has("scope") {
		t.Errorf("empty scope sent: %v", q)
	}

	for _, p := range []string{"client_id", "redirect_uri", "response_type", "state", "scope", "prompt"} {
		call(t, s, "POST", path, req(map[string]any{"additionalParams": p + "=x"})).expectError(t, http.StatusBadRequest, "additionalParams")
	}
	call(t, s, "POST", path, map[string]any{"credential": map[string]any{"id": "x"}, "authorizeUrl": "/relative"}).
		expectError(t, http.StatusBadRequest, "credential.id", "credential.organisationId", "authorizeUrl", "clientId")
	call(t, s, "POST", "/embed/"+sd.HubID+"/connector/01HZY0000000000000000000ZZ/oauth2/initialise", req(nil)).expectError(t, http.StatusNotFound)
}

// TestInitialiseOAuth2Credential: the credential must be an OAuth 2.0 client credential of
// this organisation, whose client ID is the one sent (the API would otherwise fail only
// when the provider redirects back, which the fake never sees).
func TestInitialiseOAuth2Credential(t *testing.T) {
	s, sd := newSeededServer(t)
	shopify := sd.Integrations[0].Templates[1]
	path := "/embed/" + sd.HubID + "/connector/" + shopify.ConnectorID + "/oauth2/initialise"
	body := func(credID, orgID, clientID string) map[string]any {
		return map[string]any{
			"credential":   map[string]any{"id": credID, "organisationId": orgID},
			"authorizeUrl": "https://accounts.shopify.com/oauth/authorize", "clientId": clientID,
		}
	}
	if shopify.OAuth2ClientCredentialID == "" || shopify.OAuth2ClientID == "" {
		t.Fatalf("seeded Shopify template = %+v, want its OAuth 2.0 client", shopify)
	}
	call(t, s, "POST", path, body(shopify.OAuth2ClientCredentialID, sd.OrganisationID, shopify.OAuth2ClientID)).expect(t, http.StatusOK)

	u := createUser(t, s, "u1")
	stringCred := str(dig(u, "primaryConnection", "credentials", "action", 0, "credential", "id"))
	for _, tt := range []struct {
		name, credID, orgID, clientID, field string
	}{
		{"no such credential", "01HZY0000000000000000000CR", sd.OrganisationID, shopify.OAuth2ClientID, "credential.id"},
		{"all-zero ULID", "00000000000000000000000000", sd.OrganisationID, shopify.OAuth2ClientID, "credential.id"},
		{"another organisation", shopify.OAuth2ClientCredentialID, "01HZY0000000000000000000XX", shopify.OAuth2ClientID, "credential.organisationId"},
		{"not an OAuth 2.0 client", stringCred, sd.OrganisationID, shopify.OAuth2ClientID, "credential.id"},
		{"another client ID", shopify.OAuth2ClientCredentialID, sd.OrganisationID, "someone-else", "clientId"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			call(t, s, "POST", path, body(tt.credID, tt.orgID, tt.clientID)).expectError(t, http.StatusBadRequest, tt.field)
		})
	}
}
