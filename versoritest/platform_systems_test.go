package versoritest

import (
	"net/http"
	"strings"
	"testing"
)

func TestPlatformSystems(t *testing.T) {
	s, sp := newPlatformServer(t)
	all := pcall(t, s, "GET", org(s, "/systems"), nil).expect(t, http.StatusOK).obj
	if all["totalCount"] != 6.0 || len(arr(all["items"])) != 6 {
		t.Fatalf("ListSystems = %v", all)
	}
	for i, x := range arr(all["items"]) {
		sys := obj(x)
		if sys["id"] != sp.Systems[i].ID || sys["name"] != sp.Systems[i].Name || str(sys["templateBaseUrl"]) == "" ||
			pSchemeID(obj(dig(sys, "authSchemeConfigs", 0))) != sp.Systems[i].AuthSchemeConfigID {
			t.Errorf("system %d = %v", i, sys)
		}
	}
	// search matches name or domain, case-insensitively.
	if r := pcall(t, s, "GET", org(s, "/systems?search=SHOPIFY"), nil).obj; r["totalCount"] != 1.0 {
		t.Errorf("search = %v", r)
	}
	if r := pcall(t, s, "GET", org(s, "/systems?search=trello.com"), nil).obj; r["totalCount"] != 1.0 {
		t.Errorf("search by domain = %v", r)
	}
	p1 := pcall(t, s, "GET", org(s, "/systems?first=4"), nil).obj
	p2 := pcall(t, s, "GET", org(s, "/systems?first=4&after="+str(p1["next"])), nil).obj
	back := pcall(t, s, "GET", org(s, "/systems?first=4&before="+str(p2["prev"])), nil).obj
	if len(arr(p2["items"])) != 2 || compactJSON(back["items"]) != compactJSON(p1["items"]) {
		t.Errorf("pages: %v, %v, %v", p1, p2, back)
	}
	shopify := pcall(t, s, "GET", org(s, "/systems/"+sp.Systems[2].ID), nil).expect(t, http.StatusOK).obj
	grant := obj(dig(shopify, "authSchemeConfigs", 0, "oauth2", "grant"))
	if grant["type"] != "authorizationCode" || dig(grant, "authorizationCode", "clientSecret") != "" ||
		dig(grant, "authorizationCode", "credentialId") != sp.OAuth2ClientCredentialID {
		t.Errorf("Shopify grant = %v", grant)
	}
	pcall(t, s, "GET", org(s, "/systems/"+zeroID), nil).expectError(t, http.StatusNotFound)
}

func TestPlatformUpsertAuthSchemeConfig(t *testing.T) {
	s := newTestServer(t)
	sys := s.Seeded().Platform.Systems[0] // Acme CRM
	path := func(id string) string { return org(s, "/systems/"+sys.ID+"/auth-scheme-configs/"+id) }
	oauth := map[string]any{"type": "oauth2", "oauth2": map[string]any{
		"id": "my-oauth", "description": "Acme OAuth", "authorizeUrl": "https://acme.example/authorize", "tokenUrl": "https://acme.example/token",
		"scopes": []any{map[string]any{"name": "read"}}, "defaultScopes": []any{"read"},
		"grant":              map[string]any{"type": "authorizationCode", "authorizationCode": map[string]any{"clientId": "cid", "clientSecret": "csecret"}},
		"validationMessages": []any{map[string]any{"text": "ignored", "severity": "info"}},
	}}
	r := pcall(t, s, "PUT", path("my-oauth"), oauth).expect(t, http.StatusCreated).obj
	if dig(r, "oauth2", "grant", "authorizationCode", "clientSecret") != "" || dig(r, "oauth2", "validationMessages") != nil {
		t.Errorf("upserted = %v", r)
	}
	// The ID in the body must be the path's.
	pcall(t, s, "PUT", path("other"), oauth).expectError(t, http.StatusBadRequest, "oauth2.id")
	// Upsert replaces.
	oauth["oauth2"].(map[string]any)["description"] = "replaced"
	pcall(t, s, "PUT", path("my-oauth"), oauth).expect(t, http.StatusCreated)
	got := pcall(t, s, "GET", org(s, "/systems/"+sys.ID), nil).obj
	if n := len(arr(got["authSchemeConfigs"])); n != 2 || dig(got, "authSchemeConfigs", 1, "oauth2", "description") != "replaced" {
		t.Errorf("system after upserts = %v", got)
	}
	if strings.Contains(compactJSON(got), "csecret") {
		t.Error("client secret leaked")
	}

	for name, tc := range map[string]struct {
		body   map[string]any
		fields []string
	}{
		"member of another type": {map[string]any{"type": "api-key", "basicAuth": map[string]any{"id": "k", "description": ""}}, []string{"basicAuth", "apiKey"}},
		"unknown type":           {map[string]any{"type": "magic"}, []string{"type"}},
		"api key without in":     {map[string]any{"type": "api-key", "apiKey": map[string]any{"id": "k", "description": "", "name": "X"}}, []string{"apiKey.in"}},
		"missing description":    {map[string]any{"type": "basic-auth", "basicAuth": map[string]any{"id": "k"}}, []string{"basicAuth.description"}},
		"hmac":                   {map[string]any{"type": "hmac", "hmac": map[string]any{"id": "k", "description": "", "name": "X", "in": "body", "digestInputs": []any{"head"}}}, []string{"hmac.in", "hmac.algorithm", "hmac.encoding", "hmac.digestInputs[0]"}},
		"grant of another type":  {map[string]any{"type": "oauth2", "oauth2": map[string]any{"id": "k", "description": "", "tokenUrl": "https://t.example", "scopes": []any{}, "defaultScopes": []any{}, "grant": map[string]any{"type": "password", "authorizationCode": map[string]any{}}}}, []string{"oauth2.grant.authorizationCode"}},
		"oauth1 browser flow without endpoints": {map[string]any{"type": "oauth1", "oauth1": map[string]any{"id": "k", "description": "", "consumerKey": "ck", "consumerSecret": "cs", "signatureMethod": "sha1"}},
			[]string{"oauth1.tempCredentialEndpoint", "oauth1.resourceOwnerAuthorizationEndpoint", "oauth1.tokenEndpoint"}},
		"parameter config": {map[string]any{"type": "oauth1", "oauth1": map[string]any{"id": "k", "description": "", "consumerKey": "ck", "consumerSecret": "cs", "signatureMethod": "sha1", "tokenAuth": true,
			"tokenEndpoint": map[string]any{"url": "https://t.example", "additionalParamConfigs": []any{map[string]any{"parameterName": "p", "location": "LOCATION_BODY"}}}}},
			[]string{"oauth1.tokenEndpoint.additionalParamConfigs[0].required", "oauth1.tokenEndpoint.additionalParamConfigs[0].modifiable"}},
		"top-level id disagrees": {map[string]any{"type": "basic-auth", "id": "j", "basicAuth": map[string]any{"id": "k", "description": ""}}, []string{"id"}},
	} {
		t.Run(name, func(t *testing.T) {
			pcall(t, s, "PUT", path("k"), tc.body).expectError(t, http.StatusBadRequest, tc.fields...)
		})
	}
	// A type without a member takes its ID from the top level.
	pcall(t, s, "PUT", path("jwt"), map[string]any{"type": "jwt-bearer", "id": "jwt"}).expect(t, http.StatusCreated)
	pcall(t, s, "PUT", path("k"), map[string]any{"type": "api-key", "apiKey": map[string]any{"id": "k", "description": "", "name": "X", "in": "query"}}).expect(t, http.StatusCreated)
	pcall(t, s, "PUT", org(s, "/systems/"+zeroID+"/auth-scheme-configs/k"), map[string]any{"type": "jwt-bearer", "id": "k"}).expectError(t, http.StatusNotFound)
}

func TestPlatformDeleteAuthSchemeConfig(t *testing.T) {
	s, sp := newPlatformServer(t)
	acme := seededTemplate(t, s, "acme")
	extra := map[string]any{"type": "basic-auth", "basicAuth": map[string]any{"id": "acme-basic", "description": "fallback"}}
	pcall(t, s, "PUT", org(s, "/systems/"+acme.SystemID+"/auth-scheme-configs/acme-basic"), extra).expect(t, http.StatusCreated)
	tpath := org(s, "/projects/"+sp.ProjectID+"/connection-templates/"+acme.ID)
	pcall(t, s, "PUT", tpath, map[string]any{"authSchemeConfigIds": []any{"acme-basic", "acme-api-key"}}).expect(t, http.StatusOK)

	pcall(t, s, "DELETE", org(s, "/systems/"+acme.SystemID+"/auth-scheme-configs/acme-basic"), nil).expect(t, http.StatusNoContent)
	pcall(t, s, "DELETE", org(s, "/systems/"+acme.SystemID+"/auth-scheme-configs/acme-basic"), nil).expectError(t, http.StatusNotFound)
	tm := pcall(t, s, "GET", org(s, "/projects/"+sp.ProjectID+"/connection-templates"), nil).obj
	if got := dig(tm, "items", 0, "authSchemeConfigs"); len(arr(got)) != 1 || dig(got, 0, "apiKey", "id") != "acme-api-key" {
		t.Errorf("template's configs after delete = %v", got)
	}
}
