package versoritest

import (
	"net/http"
	"strings"
	"testing"
)

func TestPlatformConnectionPerUserAndTemplate(t *testing.T) {
	s := newTestServer(t)
	createPUser(t, s, "u1")
	createPUser(t, s, "u2")
	acme := seededTemplate(t, s, "acme")
	body := func(ext string) map[string]any {
		return map[string]any{"connectionTemplateId": acme.ID, "externalId": ext, "connection": connectionFor(s, acme, "k-"+ext)}
	}
	c := pcall(t, s, "POST", org(s, "/connections"), body("u1")).expect(t, http.StatusCreated).obj
	if c["systemId"] != acme.SystemID || c["connectionTemplateId"] != acme.ID || c["name"] != "acme connection" {
		t.Errorf("Connection = %v", c)
	}
	for _, k := range []string{"id", "createdAt", "updatedAt"} {
		if str(c[k]) == "" {
			t.Errorf("Connection lacks %s", k)
		}
	}
	// A second connection of the same user for the same template conflicts; another user's
	// does not.
	pcall(t, s, "POST", org(s, "/connections"), body("u1")).expectError(t, http.StatusConflict)
	pcall(t, s, "POST", org(s, "/connections"), body("u2")).expect(t, http.StatusCreated)
	// After deleting it, the user may connect again.
	pcall(t, s, "DELETE", org(s, "/connections/"+str(c["id"])), nil).expect(t, http.StatusNoContent)
	pcall(t, s, "POST", org(s, "/connections"), body("u1")).expect(t, http.StatusCreated)

	pcall(t, s, "POST", org(s, "/connections"), body("ghost")).expectError(t, http.StatusBadRequest, "externalId")
	b := body("u1")
	b["connectionTemplateId"] = zeroID
	pcall(t, s, "POST", org(s, "/connections"), b).expectError(t, http.StatusBadRequest, "connectionTemplateId")
	// The static (Slack) template takes no end-user connections.
	slack := seededTemplate(t, s, "slack")
	pcall(t, s, "POST", org(s, "/connections"), map[string]any{"connectionTemplateId": slack.ID, "externalId": "u2", "connection": connectionFor(s, slack, "x")}).
		expectError(t, http.StatusBadRequest, "connectionTemplateId")
	pcall(t, s, "POST", org(s, "/connections"), map[string]any{"connectionTemplateId": acme.ID}).expectError(t, http.StatusBadRequest, "connection")
}

// Credential data is keyed: exactly the type's key, with its required members.
func TestPlatformCredentialDataMustMatchType(t *testing.T) {
	s := newTestServer(t)
	createPUser(t, s, "u1")
	acme := seededTemplate(t, s, "acme")
	try := func(cred map[string]any) resp {
		t.Helper()
		conn := map[string]any{"name": "c", "credentials": []any{connCred(nil, cred)}}
		return pcall(t, s, "POST", org(s, "/connections"), map[string]any{"connectionTemplateId": acme.ID, "externalId": "u1", "connection": conn})
	}
	const data = "connection.credentials[0].credential.data"
	cases := []struct {
		name  string
		cred  map[string]any
		field string
	}{
		{"key of another type", newCred("string", map[string]any{"basicAuth": map[string]any{"username": "u", "password": "p"}}), data},
		{"several keys", newCred("string", map[string]any{"string": map[string]any{"value": "v"}, "binary": map[string]any{"valueBase64": "AA=="}}), data},
		{"flat v1 shape", newCred("string", map[string]any{"value": "v"}), data},
		{"missing member", newCred("basic-auth", map[string]any{"basicAuth": map[string]any{"username": "u"}}), data + ".basicAuth.password"},
		{"member not an object", newCred("string", map[string]any{"string": "v"}), data + ".string"},
		{"none with fields", newCred("none", map[string]any{"none": map[string]any{"x": 1}}), data + ".none.x"},
		{"bad base64", newCred("binary", map[string]any{"binary": map[string]any{"valueBase64": "!!"}}), data + ".binary.valueBase64"},
		{"token without scopes", newCred("oauth2-token", map[string]any{"oauth2Token": map[string]any{"refreshToken": "r"}}), data + ".oauth2Token.scopes"},
		{"oauth1 missing verifier", newCred("oauth1", map[string]any{"oauth1": map[string]any{"state": "s", "oauthToken": "t"}}), data + ".oauth1.oauthVerifier"},
		{"oauth1-token param without name", newCred("oauth1-token", map[string]any{"oauth1Token": map[string]any{"token": "t", "tokenSecret": "s", "additionalParams": []any{map[string]any{"value": "v"}}}}), data + ".oauth1Token.additionalParams[0].name"},
		{"unknown type", newCred("jwt-bearer", map[string]any{}), "connection.credentials[0].credential.type"},
		{"no data", map[string]any{"id": zeroID, "organisationId": zeroID, "name": "n", "type": "string"}, data},
		{"no organisationId", map[string]any{"id": zeroID, "type": "string", "data": map[string]any{"string": map[string]any{"value": "v"}}}, "connection.credentials[0].credential.organisationId"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			try(tc.cred).expectError(t, http.StatusBadRequest, tc.field)
		})
	}
	// Nothing was stored by the failures.
	if n := pcall(t, s, "GET", org(s, "/connections?system_id="+acme.SystemID), nil).obj["totalCount"]; n != 0.0 {
		t.Fatalf("%v connections after failures", n)
	}
	// none: data may be {}, {"none": {}} or absent.
	for i, cred := range []map[string]any{
		newCred("none", map[string]any{}),
		newCred("none", map[string]any{"none": map[string]any{}}),
		{"id": zeroID, "organisationId": zeroID, "type": "none"},
	} {
		r := try(cred).expect(t, http.StatusCreated)
		if got := dig(r.obj, "credentials", 0, "credential", "data"); compactJSON(got) != `{"none":{}}` {
			t.Errorf("none #%d reads back as %v", i, got)
		}
		pcall(t, s, "DELETE", org(s, "/connections/"+str(r.obj["id"])), nil).expect(t, http.StatusNoContent)
	}
}

// Secrets are redacted on read wherever they sit: credential data at any depth, and the
// auth scheme config's client and consumer secrets.
func TestPlatformSecretsRedactedAtDepth(t *testing.T) {
	s := newTestServer(t)
	createPUser(t, s, "u1")
	trello := seededTemplate(t, s, "trello")
	shopify := seededTemplate(t, s, "shopify")
	creds := []any{
		connCred(schemeOf(s, trello.SystemID), newCred("oauth1-token", map[string]any{"oauth1Token": map[string]any{
			"token": "tok", "tokenSecret": "TOKEN-SECRET", "additionalParams": []any{map[string]any{"name": "p", "value": "PARAM-SECRET"}},
		}})),
		connCred(map[string]any{"type": "oauth2", "oauth2": map[string]any{
			"id": "mine", "description": "", "tokenUrl": "https://t.example/token", "scopes": []any{}, "defaultScopes": []any{},
			"grant": map[string]any{"type": "password", "password": map[string]any{"clientId": "c", "clientSecret": "GRANT-SECRET"}},
		}}, newCred("oauth2-password", map[string]any{"oauth2Password": map[string]any{"username": "u", "password": "PASSWORD-SECRET"}})),
		connCred(nil, newCred("certificate", map[string]any{"certificate": map[string]any{"certificate": "CERT", "key": "KEY-SECRET", "ca": "CA"}})),
		connCred(nil, newCred("binary", map[string]any{"binary": map[string]any{"valueBase64": "U0VDUkVU"}})),
		connCred(nil, newCred("oauth2-client", map[string]any{"oauth2Client": map[string]any{"clientId": "c", "clientSecret": "CLIENT-SECRET", "tokenUrl": "https://t.example/token"}})),
		connCred(nil, newCred("oauth2-token", map[string]any{"oauth2Token": map[string]any{"scopes": []any{"a"}, "refreshToken": "REFRESH-SECRET", "accessToken": "ACCESS-SECRET"}})),
		connCred(nil, newCred("string", map[string]any{"string": map[string]any{"value": "VALUE-SECRET"}})),
		connCred(nil, newCred("basic-auth", map[string]any{"basicAuth": map[string]any{"username": "u", "password": "BASIC-SECRET"}})),
	}
	conn := map[string]any{"name": "everything", "credentials": creds}
	created := pcall(t, s, "POST", org(s, "/connections"), map[string]any{"connectionTemplateId": trello.ID, "externalId": "u1", "connection": conn}).expect(t, http.StatusCreated)
	id := str(created.obj["id"])
	reads := []resp{
		created,
		pcall(t, s, "GET", org(s, "/connections/"+id), nil).expect(t, http.StatusOK),
		pcall(t, s, "GET", org(s, "/connections?system_id="+trello.SystemID), nil).expect(t, http.StatusOK),
		pcall(t, s, "GET", org(s, "/systems/"+shopify.SystemID), nil).expect(t, http.StatusOK),
		pcall(t, s, "GET", org(s, "/systems/"+trello.SystemID), nil).expect(t, http.StatusOK),
		pcall(t, s, "GET", org(s, "/projects/"+s.Seeded().Platform.ProjectID+"/connection-templates"), nil).expect(t, http.StatusOK),
	}
	for i, r := range reads {
		for _, secret := range []string{"SECRET", "shopify-client-secret", "trello-consumer-secret"} {
			if strings.Contains(string(r.raw), secret) {
				t.Errorf("read %d leaks %q: %s", i, secret, r.raw)
			}
		}
	}
	c := reads[1].obj
	if got := dig(c, "credentials", 0, "credential", "data", "oauth1Token", "additionalParams", 0); compactJSON(got) != `{"name":"p","value":""}` {
		t.Errorf("additionalParams[0] = %v", got)
	}
	if got := dig(c, "credentials", 0, "credential", "data", "oauth1Token", "token"); got != "tok" {
		t.Errorf("non-secret token redacted: %v", got)
	}
	if got := dig(c, "credentials", 1, "authSchemeConfig", "oauth2", "grant", "password"); compactJSON(got) != `{"clientId":"c","clientSecret":""}` {
		t.Errorf("grant = %v", got)
	}
	// The fake still holds the real values.
	s.mu.Lock()
	defer s.mu.Unlock()
	credID := str(dig(c, "credentials", 6, "credential", "id"))
	if got := digKeys(s.st.platform.credentials[credID].data, "string", "value"); got != "VALUE-SECRET" {
		t.Errorf("stored value = %v", got)
	}
}

func TestPlatformOAuth2CodeReadsBackAsToken(t *testing.T) {
	s := newTestServer(t)
	createPUser(t, s, "u1")
	shopify := seededTemplate(t, s, "shopify")
	c := pcall(t, s, "POST", org(s, "/connections"), map[string]any{"connectionTemplateId": shopify.ID, "externalId": "u1", "connection": connectionFor(s, shopify, "x")}).
		expect(t, http.StatusCreated).obj
	cred := obj(dig(c, "credentials", 0, "credential"))
	if cred["type"] != "oauth2-token" {
		t.Fatalf("type = %v", cred["type"])
	}
	tok := obj(dig(cred, "data", "oauth2Token"))
	if compactJSON(tok["scopes"]) != `["read_orders"]` || tok["refreshToken"] != "" || tok["tokenType"] != "Bearer" {
		t.Errorf("oauth2Token = %v", tok)
	}
	if _, has := obj(cred["data"])["oauth2Code"]; has {
		t.Error("the code is still there")
	}
}

func TestPlatformUpdateConnection(t *testing.T) {
	s := newTestServer(t)
	createPUser(t, s, "u1")
	acme := seededTemplate(t, s, "acme")
	conn := connectionFor(s, acme, "first")
	conn["baseUrl"] = "acme-eu.example/ignored/path"
	c := pcall(t, s, "POST", org(s, "/connections"), map[string]any{"connectionTemplateId": acme.ID, "externalId": "u1", "connection": conn}).expect(t, http.StatusCreated).obj
	if c["baseUrl"] != "https://acme-eu.example" {
		t.Errorf("baseUrl = %v", c["baseUrl"])
	}
	path := org(s, "/connections/"+str(c["id"]))
	credID := str(dig(c, "credentials", 0, "credential", "id"))

	// baseUrl is required, but "" keeps the stored one; the update replaces the rest.
	pcall(t, s, "PUT", path, map[string]any{"name": "renamed", "credentials": []any{}}).expectError(t, http.StatusBadRequest, "baseUrl")
	pcall(t, s, "PUT", path, map[string]any{"name": "renamed", "credentials": []any{}, "baseUrl": "http://"}).expectError(t, http.StatusBadRequest, "baseUrl")
	ref := map[string]any{"id": credID, "organisationId": s.Seeded().OrganisationID}
	u := pcall(t, s, "PUT", path, map[string]any{"name": "renamed", "baseUrl": "", "credentials": []any{connCred(nil, ref)}}).expect(t, http.StatusOK).obj
	if u["name"] != "renamed" || u["baseUrl"] != "https://acme-eu.example" || dig(u, "credentials", 0, "credential", "id") != credID {
		t.Errorf("after update = %v", u)
	}
	if _, has := obj(dig(u, "credentials", 0))["authSchemeConfig"]; has {
		t.Error("full replace kept the old authSchemeConfig")
	}
	// A new credential with the ID of one the connection uses replaces it in place.
	newData := newCred("string", map[string]any{"string": map[string]any{"value": "second"}})
	newData["id"] = credID
	u = pcall(t, s, "PUT", path, map[string]any{"name": "renamed", "baseUrl": "https://other.example", "credentials": []any{connCred(nil, newData)}}).expect(t, http.StatusOK).obj
	if dig(u, "credentials", 0, "credential", "id") != credID || u["baseUrl"] != "https://other.example" {
		t.Errorf("after second update = %v", u)
	}
	s.mu.Lock()
	got := digKeys(s.st.platform.credentials[credID].data, "string", "value")
	s.mu.Unlock()
	if got != "second" {
		t.Errorf("stored value = %v", got)
	}
	// A reference must name an existing credential of this organisation.
	pcall(t, s, "PUT", path, map[string]any{"name": "x", "baseUrl": "", "credentials": []any{connCred(nil, map[string]any{"id": zeroID, "organisationId": s.Seeded().OrganisationID})}}).
		expectError(t, http.StatusBadRequest, "credentials[0].credential.id")
	pcall(t, s, "PUT", path, map[string]any{"name": "x", "baseUrl": "", "credentials": []any{connCred(nil, map[string]any{"id": credID, "organisationId": zeroID})}}).
		expectError(t, http.StatusBadRequest, "credentials[0].credential.organisationId")
	pcall(t, s, "PUT", org(s, "/connections/"+zeroID), map[string]any{"name": "x", "baseUrl": "", "credentials": []any{}}).expectError(t, http.StatusNotFound)
}

func TestPlatformDeleteConnectionRules(t *testing.T) {
	s, sp := newPlatformServer(t)
	a := activatePUser(t, s, "u1")
	used := str(dig(a, "connections", 0, "id"))
	// A dynamic connection an activation uses cannot go; after deactivating it can.
	pcall(t, s, "DELETE", org(s, "/connections/"+used), nil).expectError(t, http.StatusConflict)
	pcall(t, s, "DELETE", envPath(s, "/activations/"+str(a["id"])), nil).expect(t, http.StatusNoContent)
	pcall(t, s, "DELETE", org(s, "/connections/"+used), nil).expect(t, http.StatusNoContent)
	pcall(t, s, "DELETE", org(s, "/connections/"+used), nil).expectError(t, http.StatusNotFound)
	// A static connection is deleted even while linked.
	pcall(t, s, "DELETE", org(s, "/connections/"+sp.StaticConnectionID), nil).expect(t, http.StatusNoContent)
	list := pcall(t, s, "GET", org(s, "/projects/"+sp.ProjectID+"/connections"), nil).expect(t, http.StatusOK).obj
	if list["totalCount"] != 0.0 {
		t.Errorf("static connections after delete = %v", list)
	}
}

// Static connections: created without externalId, linked to their template, listed per
// environment, linked and unlinked (a DELETE with a body).
func TestPlatformStaticConnectionsAndLinks(t *testing.T) {
	s, sp := newPlatformServer(t)
	slack := seededTemplate(t, s, "slack")
	envConns := func() map[string]any {
		return pcall(t, s, "GET", org(s, "/projects/"+sp.ProjectID+"/connections?env_id="+sp.EnvironmentID), nil).expect(t, http.StatusOK).obj
	}
	if l := envConns(); l["totalCount"] != 1.0 || dig(l, "items", 0, "id") != sp.StaticConnectionID {
		t.Fatalf("seeded static connections = %v", l)
	}
	linkPath := org(s, "/connections/"+sp.StaticConnectionID+"/link")
	link := map[string]any{"connectionTemplateId": slack.ID}

	// A template has one static connection: a second one conflicts until it is unlinked.
	body := map[string]any{"connectionTemplateId": slack.ID, "connection": connectionFor(s, slack, "second")}
	pcall(t, s, "POST", org(s, "/connections"), body).expectError(t, http.StatusConflict)
	pcall(t, s, "POST", linkPath, link).expectError(t, http.StatusConflict)
	// Unlink is a DELETE with a JSON body; without one it is refused.
	pcall(t, s, "DELETE", linkPath, nil).expectError(t, http.StatusBadRequest)
	pcall(t, s, "DELETE", linkPath, link).expect(t, http.StatusNoContent)
	pcall(t, s, "DELETE", linkPath, link).expectError(t, http.StatusNotFound)
	if l := envConns(); l["totalCount"] != 0.0 {
		t.Fatalf("after unlink = %v", l)
	}
	second := pcall(t, s, "POST", org(s, "/connections"), body).expect(t, http.StatusCreated).obj
	if l := envConns(); l["totalCount"] != 1.0 || dig(l, "items", 0, "id") != second["id"] {
		t.Fatalf("after creating a new static connection = %v", l)
	}
	pcall(t, s, "DELETE", org(s, "/connections/"+str(second["id"])+"/link"), link).expect(t, http.StatusNoContent)
	if r := pcall(t, s, "POST", linkPath, link).expect(t, http.StatusCreated); len(r.raw) != 0 {
		t.Errorf("link answered a body: %s", r.raw)
	}
	if l := envConns(); dig(l, "items", 0, "id") != sp.StaticConnectionID {
		t.Errorf("after relinking = %v", l)
	}

	// Only a static connection, only to a template of its system.
	createPUser(t, s, "u1")
	acme := seededTemplate(t, s, "acme")
	dyn := pcall(t, s, "POST", org(s, "/connections"), map[string]any{"connectionTemplateId": acme.ID, "externalId": "u1", "connection": connectionFor(s, acme, "k")}).obj
	pcall(t, s, "POST", org(s, "/connections/"+str(dyn["id"])+"/link"), map[string]any{"connectionTemplateId": acme.ID}).expectError(t, http.StatusBadRequest, "connectionTemplateId")
	pcall(t, s, "POST", linkPath, map[string]any{"connectionTemplateId": acme.ID}).expectError(t, http.StatusBadRequest, "connectionTemplateId")
	pcall(t, s, "POST", linkPath, map[string]any{}).expectError(t, http.StatusBadRequest, "connectionTemplateId")
	pcall(t, s, "GET", org(s, "/projects/"+sp.ProjectID+"/connections?env_id="+zeroID), nil).expectError(t, http.StatusBadRequest, "env_id")
	pcall(t, s, "GET", org(s, "/projects/"+zeroID+"/connections"), nil).expectError(t, http.StatusNotFound)
}

func TestPlatformListConnections(t *testing.T) {
	s := newTestServer(t)
	u1 := createPUser(t, s, "u1")
	createPUser(t, s, "u2")
	connectAll(t, s, "Bearer "+s.APIKey, "u1")
	connectAll(t, s, "Bearer "+s.APIKey, "u2")
	all := pcall(t, s, "GET", org(s, "/connections"), nil).expect(t, http.StatusOK).obj
	if all["totalCount"] != 11.0 { // 5 each and the seeded static one
		t.Fatalf("totalCount = %v", all["totalCount"])
	}
	mine := pcall(t, s, "GET", org(s, "/connections?end_user_id="+str(u1["id"])), nil).obj
	if mine["totalCount"] != 5.0 {
		t.Errorf("u1's = %v", mine["totalCount"])
	}
	acme := seededTemplate(t, s, "acme")
	both := pcall(t, s, "GET", org(s, "/connections?system_id="+acme.SystemID+"&end_user_id="+str(u1["id"])), nil).obj
	if both["totalCount"] != 1.0 || dig(both, "items", 0, "systemId") != acme.SystemID {
		t.Errorf("u1's acme = %v", both)
	}
	// end_user_id takes the Versori ID only.
	pcall(t, s, "GET", org(s, "/connections?end_user_id=u1"), nil).expectError(t, http.StatusBadRequest, "end_user_id")
	// Pages of 4: 4 + 4 + 3, walking forward.
	n, next := 0, ""
	for range 5 {
		q := "?first=4"
		if next != "" {
			q += "&after=" + next
		}
		page := pcall(t, s, "GET", org(s, "/connections"+q), nil).expect(t, http.StatusOK).obj
		n += len(arr(page["items"]))
		if next = str(page["next"]); next == "" {
			break
		}
	}
	if n != 11 {
		t.Errorf("walked %d connections", n)
	}
}

func TestPlatformGetActivationConnection(t *testing.T) {
	s, sp := newPlatformServer(t)
	a := activatePUser(t, s, "u1")
	acme, slack := seededTemplate(t, s, "acme"), seededTemplate(t, s, "slack")
	path := func(templateID string) string {
		return org(s, "/environment-systems/"+templateID+"/activations/"+str(a["id"]))
	}
	c := pcall(t, s, "GET", path(acme.ID), nil).expect(t, http.StatusOK).obj
	if c["connectionTemplateId"] != acme.ID {
		t.Errorf("acme connection = %v", c)
	}
	// A static template's connection is the environment's static one.
	if c := pcall(t, s, "GET", path(slack.ID), nil).expect(t, http.StatusOK).obj; c["id"] != sp.StaticConnectionID {
		t.Errorf("slack connection = %v", c)
	}
	pcall(t, s, "GET", path(zeroID), nil).expectError(t, http.StatusNotFound)
	pcall(t, s, "GET", org(s, "/environment-systems/"+acme.ID+"/activations/"+zeroID), nil).expectError(t, http.StatusNotFound)
	pcall(t, s, "DELETE", org(s, "/connections/"+sp.StaticConnectionID), nil).expect(t, http.StatusNoContent)
	pcall(t, s, "GET", path(slack.ID), nil).expectError(t, http.StatusNotFound)
}
