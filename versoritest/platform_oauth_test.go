package versoritest

import (
	"net/http"
	"net/url"
	"testing"
)

func TestPlatformInitialiseOAuth2(t *testing.T) {
	s, sp := newPlatformServer(t)
	shopify := seededTemplate(t, s, "shopify")
	path := org(s, "/systems/"+shopify.SystemID+"/oauth2/initialise")
	body := func(mod func(map[string]any)) map[string]any {
		b := map[string]any{
			"credential":   map[string]any{"id": sp.OAuth2ClientCredentialID, "organisationId": s.Seeded().OrganisationID},
			"authorizeUrl": "https://accounts.shopify.com/oauth/authorize?shop=acme",
			"clientId":     "shopify-client-id",
			"scopes":       []any{"read_orders"},
		}
		if mod != nil {
			mod(b)
		}
		return b
	}
	q := authorizeQuery(t, pcall(t, s, "POST", path, body(nil)))
	want := map[string]string{
		"shop": "acme", "client_id": "shopify-client-id", "response_type": "code",
		"scope": "read_orders offline_access", "prompt": "login", "redirect_uri": s.URL + "/api/v2/oauth/callback",
	}
	state := expectAuthorizeQuery(t, q, want)
	s.mu.Lock()
	issued := s.st.platform.oauthStates[state]
	s.mu.Unlock()
	if issued == nil || issued.systemID != shopify.SystemID {
		t.Errorf("state not remembered: %+v", issued)
	}

	q = authorizeQuery(t, pcall(t, s, "POST", path, body(func(b map[string]any) {
		b["disableOfflineAccess"] = true
		b["prompt"] = "consent"
		b["additionalParams"] = "access_type=offline"
		b["redirectUrl"] = "http://127.0.0.1:9999/cb"
	})))
	if q.Get("scope") != "read_orders" || q.Get("prompt") != "consent" || q.Get("access_type") != "offline" || q.Get("redirect_uri") != "http://127.0.0.1:9999/cb" {
		t.Errorf("query = %v", q)
	}
	if q.Get("state") == state {
		t.Error("state reused")
	}

	// The credential must exist in this organisation and not be the zero ULID.
	for name, tc := range map[string]struct {
		cred  map[string]any
		field string
	}{
		"missing":    {map[string]any{"id": zeroID[:25] + "1", "organisationId": s.Seeded().OrganisationID}, "credential.id"},
		"zero":       {map[string]any{"id": zeroID, "organisationId": s.Seeded().OrganisationID}, "credential.id"},
		"other org":  {map[string]any{"id": sp.OAuth2ClientCredentialID, "organisationId": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}, "credential.organisationId"},
		"not a ULID": {map[string]any{"id": "shopify", "organisationId": s.Seeded().OrganisationID}, "credential.id"},
		"no org":     {map[string]any{"id": sp.OAuth2ClientCredentialID}, "credential.organisationId"},
		"absent":     {nil, "credential"},
	} {
		t.Run(name, func(t *testing.T) {
			b := body(func(b map[string]any) { b["credential"] = tc.cred })
			if tc.cred == nil {
				delete(b, "credential")
			}
			pcall(t, s, "POST", path, b).expectError(t, http.StatusBadRequest, tc.field)
		})
	}
	pcall(t, s, "POST", path, body(func(b map[string]any) { b["additionalParams"] = "state=mine" })).expectError(t, http.StatusBadRequest, "additionalParams")
	pcall(t, s, "POST", path, body(func(b map[string]any) { b["authorizeUrl"] = "/relative" })).expectError(t, http.StatusBadRequest, "authorizeUrl")
	// Another end user's credential is as good as absent; a system without OAuth 2.0 or an
	// unknown one are refused.
	acme := seededTemplate(t, s, "acme")
	pcall(t, s, "POST", org(s, "/systems/"+acme.SystemID+"/oauth2/initialise"), body(nil)).expectError(t, http.StatusBadRequest)
	pcall(t, s, "POST", org(s, "/systems/"+zeroID+"/oauth2/initialise"), body(nil)).expectError(t, http.StatusNotFound)
	tok := tokens(t, s)
	createPUser(t, s, "u1")
	c := pcall(t, s, "POST", org(s, "/connections"), map[string]any{"connectionTemplateId": acme.ID, "externalId": "u1", "connection": connectionFor(s, acme, "k")}).obj
	u1Cred := map[string]any{"id": dig(c, "credentials", 0, "credential", "id"), "organisationId": s.Seeded().OrganisationID}
	pcallAs(t, s, tok("u2"), "POST", path, body(func(b map[string]any) { b["credential"] = u1Cred })).expectError(t, http.StatusBadRequest, "credential.id")
	pcallAs(t, s, tok("u1"), "POST", path, body(func(b map[string]any) { b["credential"] = u1Cred })).expect(t, http.StatusOK)
}

func TestPlatformInitialiseOAuth1(t *testing.T) {
	s, sp := newPlatformServer(t)
	trello := seededTemplate(t, s, "trello")
	body := map[string]any{"credential": map[string]any{"id": sp.OAuth1CredentialID, "organisationId": s.Seeded().OrganisationID}}
	r := pcall(t, s, "POST", org(s, "/systems/"+trello.SystemID+"/oauth1/initialise"), body).expect(t, http.StatusOK)
	u, err := url.Parse(str(r.obj["url"]))
	if err != nil || u.Host != "trello.com" || u.Path != "/1/OAuthAuthorizeToken" || u.Query().Get("oauth_token") == "" {
		t.Fatalf("url = %v", r.obj["url"])
	}
	cb, err := url.Parse(u.Query().Get("oauth_callback"))
	if err != nil || cb.Query().Get("state") == "" {
		t.Errorf("oauth_callback = %q", u.Query().Get("oauth_callback"))
	}
	body["credential"] = map[string]any{"id": zeroID, "organisationId": s.Seeded().OrganisationID}
	pcall(t, s, "POST", org(s, "/systems/"+trello.SystemID+"/oauth1/initialise"), body).expectError(t, http.StatusBadRequest, "credential.id")
	shopify := seededTemplate(t, s, "shopify")
	pcall(t, s, "POST", org(s, "/systems/"+shopify.SystemID+"/oauth1/initialise"), body).expectError(t, http.StatusBadRequest)
	pcall(t, s, "POST", org(s, "/systems/"+trello.SystemID+"/oauth1/initialise"), map[string]any{}).expectError(t, http.StatusBadRequest, "credential")
}

// TestOAuthStateIsChecked: InitialiseOAuth2 remembers the state it issued,
// for the system and the end user, but no connection ever checks it.
func TestOAuthStateIsChecked(t *testing.T) {
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
