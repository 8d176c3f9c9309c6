package versoritest

import (
	"net/http"
	"strings"
	"testing"
)

const primaryCredPath = "primaryConnection.credentials.action[0].credential"

// userWithCredential builds a CreateEndUser body whose only action credential is cred
// under scheme (nil: an api-key scheme).
func userWithCredential(externalID string, cred, scheme map[string]any) map[string]any {
	c := apiKeyConnection(externalID, "unused")
	item := dig(c, "credentials", "action", 0).(map[string]any)
	item["credential"] = cred
	if scheme != nil {
		item["authSchemeConfig"] = scheme
	}
	return map[string]any{"externalId": externalID, "primaryConnection": c}
}

func cred(typ string, data map[string]any) map[string]any {
	return map[string]any{"name": "c", "type": typ, "data": data}
}

func TestCredentialDataValidation(t *testing.T) {
	s := newTestServer(t)
	path := hubPath(s, "/users")
	d := primaryCredPath + ".data."
	tests := []struct {
		name   string
		cred   map[string]any
		fields []string
	}{
		{"none with data", cred("none", map[string]any{"x": 1}), []string{d + "x"}},
		{"string missing value", cred("string", map[string]any{}), []string{d + "value"}},
		{"string wrong type", cred("string", map[string]any{"value": 5}), []string{d + "value"}},
		{"binary not base64", cred("binary", map[string]any{"valueBase64": "%%%"}), []string{d + "valueBase64"}},
		{"basic-auth", cred("basic-auth", map[string]any{"username": "u"}), []string{d + "password"}},
		{"oauth2-password", cred("oauth2-password", map[string]any{"password": "p"}), []string{d + "username"}},
		{"oauth2-client", cred("oauth2-client", map[string]any{"clientId": "c", "authorizeUrl": "not a url", "tokenUrl": ""}),
			[]string{d + "clientSecret", d + "authorizeUrl", d + "tokenUrl"}},
		{"oauth2-code", cred("oauth2-code", map[string]any{"code": "c"}), []string{d + "state"}},
		{"oauth2-token", cred("oauth2-token", map[string]any{"scopes": []any{1}, "expiresAt": "tomorrow"}),
			[]string{d + "scopes[0]", d + "refreshToken", d + "expiresAt"}},
		{"certificate", cred("certificate", map[string]any{"certificate": "c"}), []string{d + "key", d + "ca"}},
		{"jwt-bearer", cred("jwt-bearer", map[string]any{"algorithm": "ES256", "secret": "!!", "payload": "[1]", "expiresIn": "1 day", "authorizationHeaderPrefix": "Token"}),
			[]string{d + "algorithm", d + "secret", d + "payload", d + "expiresIn", d + "authorizationHeaderPrefix"}},
		{"unknown type", cred("magic", map[string]any{}), []string{primaryCredPath + ".type"}},
		{"empty name", map[string]any{"name": "", "type": "none", "data": map[string]any{}}, []string{primaryCredPath + ".name"}},
		{"missing data", map[string]any{"name": "n", "type": "none"}, []string{primaryCredPath + ".data"}},
		{"unknown reference", map[string]any{"id": "01HZY0000000000000000000ZZ"}, []string{primaryCredPath + ".id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			call(t, s, "POST", path, userWithCredential("u", tt.cred, nil)).expectError(t, http.StatusBadRequest, tt.fields...)
		})
	}
}

func TestValidCredentialTypes(t *testing.T) {
	s := newTestServer(t)
	path := hubPath(s, "/users")
	good := map[string]map[string]any{
		"none":            {},
		"string":          {"value": "v"},
		"binary":          {"valueBase64": "aGVsbG8="},
		"basic-auth":      {"username": "u", "password": "p"},
		"oauth2-client":   {"clientId": "c", "clientSecret": "s", "authorizeUrl": "https://x.example/a", "tokenUrl": "https://x.example/t", "scopes": []any{"a"}, "mTLSEnabled": false},
		"oauth2-password": {"username": "u", "password": "p"},
		"oauth2-token":    {"scopes": []any{"a"}, "refreshToken": "r", "expiresAt": "2030-01-01T00:00:00Z"},
		"certificate":     {"certificate": "c", "key": "k", "ca": "a"},
		"jwt-bearer":      {"algorithm": "RS256", "secret": "c2VjcmV0", "payload": `{"aud":"x"}`, "expiresIn": "24h", "authorizationHeaderPrefix": "JWT"},
		"custom-function": {"anything": map[string]any{"goes": []any{1, 2}}},
	}
	for typ, data := range good {
		r := call(t, s, "POST", path, userWithCredential("u-"+typ, cred(typ, data), nil))
		r.expect(t, http.StatusCreated)
		if got := dig(r.obj, "primaryConnection", "credentials", "action", 0, "credential", "type"); got != typ {
			t.Errorf("%s read back as %v", typ, got)
		}
	}
}

func TestAuthSchemeConfigValidation(t *testing.T) {
	s := newTestServer(t)
	path := hubPath(s, "/users")
	p := "primaryConnection.credentials.action[0].authSchemeConfig."
	base := func(typ string, extra map[string]any) map[string]any {
		m := map[string]any{"id": "01HZY0000000000000000000AA", "description": "", "schemeType": typ}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name   string
		scheme map[string]any
		fields []string
	}{
		{"unknown scheme", base("magic", nil), []string{p + "schemeType"}},
		{"missing id and description", map[string]any{"schemeType": "none"}, []string{p + "id", p + "description"}},
		{"id not a ULID", base("none", map[string]any{"id": "abc"}), []string{p + "id"}},
		{"api-key", base("api-key", map[string]any{"in": "body"}), []string{p + "name", p + "in"}},
		{"hmac", base("hmac", map[string]any{"name": "sig", "in": "header", "algorithm": "md5", "digestInputs": []any{"body", "headers"}}),
			[]string{p + "algorithm", p + "digestInputs[1]"}},
		{"oauth2", base("oauth2", map[string]any{"authorizeUrl": "/relative", "scopes": []any{map[string]any{}}, "grant": map[string]any{"grantType": "implicit"}}),
			[]string{p + "authorizeUrl", p + "tokenUrl", p + "scopes[0].name", p + "defaultScopes", p + "grant.grantType"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := userWithCredential("u", cred("string", map[string]any{"value": "v"}), tt.scheme)
			call(t, s, "POST", path, body).expectError(t, http.StatusBadRequest, tt.fields...)
		})
	}
	// validationMessages is ignored on input.
	ok := base("certificate", map[string]any{"validationMessages": []any{map[string]any{"text": "x", "severity": "info"}}})
	r := call(t, s, "POST", path, userWithCredential("u", cred("string", map[string]any{"value": "v"}), ok)).expect(t, http.StatusCreated)
	if _, has := obj(dig(r.obj, "primaryConnection", "credentials", "action", 0, "authSchemeConfig"))["validationMessages"]; has {
		t.Error("validationMessages echoed")
	}
}

// oauth2Scheme is an oauth2 auth scheme config with a grant client secret.
func oauth2Scheme() map[string]any {
	return map[string]any{
		"id": "01HZY0000000000000000000AC", "description": "oauth", "schemeType": "oauth2",
		"authorizeUrl": "https://provider.example/authorize", "tokenUrl": "https://provider.example/token",
		"scopes": []any{map[string]any{"name": "read"}, map[string]any{"name": "write"}}, "defaultScopes": []any{"read", "write"},
		"grant": map[string]any{"grantType": "authorization_code", "clientId": "cid", "clientSecret": "GRANT-SECRET-1"},
	}
}

func TestSecretsAreRedactedOnRead(t *testing.T) {
	s, sd := newSeededServer(t)
	path := hubPath(s, "/users")
	secrets := map[string]map[string]any{
		"string":          {"value": "SECRET-string"},
		"binary":          {"valueBase64": "U0VDUkVULWJpbmFyeQ=="},
		"basic-auth":      {"username": "u", "password": "SECRET-basic"},
		"oauth2-client":   {"clientId": "c", "clientSecret": "SECRET-client", "authorizeUrl": "https://x.example/a", "tokenUrl": "https://x.example/t"},
		"oauth2-token":    {"scopes": []any{}, "refreshToken": "SECRET-refresh", "accessToken": "SECRET-access"},
		"certificate":     {"certificate": "c", "key": "SECRET-key", "ca": "a"},
		"jwt-bearer":      {"algorithm": "HS256", "secret": "U0VDUkVULWp3dA==", "payload": "{}", "expiresIn": "1h", "authorizationHeaderPrefix": "Bearer"},
		"custom-function": {"secret": "SECRET-custom", "other": "kept"},
	}
	var bodies []string
	for typ, data := range secrets {
		r := call(t, s, "POST", path, userWithCredential("u-"+typ, cred(typ, data), oauth2Scheme())).expect(t, http.StatusCreated)
		bodies = append(bodies, string(r.raw))
		data := obj(dig(r.obj, "primaryConnection", "credentials", "action", 0, "credential", "data"))
		for _, k := range secretFields {
			if v, has := data[k]; has && v != "" {
				t.Errorf("%s: %s = %v on read", typ, k, v)
			}
		}
		if typ == "custom-function" && data["other"] != "kept" {
			t.Errorf("custom-function non-secret lost: %v", data)
		}
		if typ == "string" {
			if _, has := data["value"]; !has {
				t.Error("redacted key removed instead of emptied")
			}
		}
		bodies = append(bodies, string(call(t, s, "GET", path+"/u-"+typ, nil).raw))
	}
	bodies = append(bodies, string(call(t, s, "GET", "/connection-templates/"+sd.Integrations[0].Templates[0].ID+"/users/u-string", nil).raw))
	for _, b := range bodies {
		for _, leak := range []string{"SECRET-", "U0VDUkVU", "GRANT-SECRET"} {
			if strings.Contains(b, leak) {
				t.Errorf("secret %q leaked in %s", leak, b)
			}
		}
	}
	// The real values are stored.
	s.mu.Lock()
	defer s.mu.Unlock()
	found := false
	for _, c := range s.st.credentials {
		if c.data["value"] == "SECRET-string" {
			found = true
		}
	}
	if !found {
		t.Error("real secret not stored")
	}
}

func TestOAuth2CodeReadsBackAsToken(t *testing.T) {
	s := newTestServer(t)
	path := hubPath(s, "/users")
	check := func(scheme map[string]any, wantScopes []any) {
		t.Helper()
		r := call(t, s, "POST", path, userWithCredential("u"+itoa(len(wantScopes)), cred("oauth2-code", map[string]any{"code": "abc", "state": "xyz"}), scheme)).expect(t, http.StatusCreated)
		c := obj(dig(r.obj, "primaryConnection", "credentials", "action", 0, "credential"))
		data := obj(c["data"])
		if c["type"] != "oauth2-token" || data["tokenType"] != "Bearer" || data["refreshToken"] != "" || data["accessToken"] != "" {
			t.Errorf("exchanged credential = %v", c)
		}
		if _, has := data["code"]; has {
			t.Error("code survived the exchange")
		}
		if got := arr(data["scopes"]); len(got) != len(wantScopes) || (len(got) > 0 && got[0] != wantScopes[0]) {
			t.Errorf("scopes = %v, want %v", got, wantScopes)
		}
	}
	check(oauth2Scheme(), []any{"read", "write"})
	check(nil, []any{})
}

func TestCredentialReference(t *testing.T) {
	s := newTestServer(t)
	u := createUser(t, s, "u1")
	credID := str(dig(u, "primaryConnection", "credentials", "action", 0, "credential", "id"))
	body := userWithCredential("u2", map[string]any{"id": credID}, nil)
	r := call(t, s, "POST", hubPath(s, "/users"), body).expect(t, http.StatusCreated)
	if got := dig(r.obj, "primaryConnection", "credentials", "action", 0, "credential", "id"); got != credID {
		t.Errorf("referenced credential id = %v, want %s", got, credID)
	}
	if got := dig(r.obj, "primaryConnection", "credentials", "action", 0, "credential", "type"); got != "string" {
		t.Errorf("referenced credential type = %v", got)
	}
	// A reference is {"id"} alone: with name, type or data as well it could be read as
	// either a reference or a new credential, so it is refused rather than guessed at.
	for _, extra := range []string{"name", "type", "data"} {
		c := map[string]any{"id": credID}
		c[extra] = map[string]any{"name": "n", "type": "string", "data": map[string]any{"value": "new"}}[extra]
		call(t, s, "POST", hubPath(s, "/users"), userWithCredential("u-"+extra, c, nil)).expectError(t, http.StatusBadRequest, primaryCredPath+".id")
	}
}

// TestSecretsRedactedAtAnyDepth: opaque credential data (custom-function) is redacted
// wherever a secret key appears in it, inside objects and arrays alike, not only at the
// top level; everything else is kept.
func TestSecretsRedactedAtAnyDepth(t *testing.T) {
	s, sd := newSeededServer(t)
	var nested []any
	for i, k := range secretFields {
		nested = append(nested, map[string]any{k: "SECRET-" + itoa(i), "label": "kept-" + itoa(i)})
	}
	data := map[string]any{
		"config": map[string]any{
			"items":  nested,
			"deeper": map[string]any{"auth": map[string]any{"clientSecret": "SECRET-deep", "key": map[string]any{"pem": "SECRET-object"}}},
			"matrix": []any{[]any{map[string]any{"refreshToken": "SECRET-matrix"}}},
		},
		"endpoint": "https://fn.example/sign",
	}
	r := call(t, s, "POST", hubPath(s, "/users"), userWithCredential("deep", cred("custom-function", data), nil)).expect(t, http.StatusCreated)
	bodies := []resp{
		r,
		call(t, s, "GET", hubPath(s, "/users/deep"), nil),
		call(t, s, "GET", "/connection-templates/"+sd.Integrations[0].Templates[0].ID+"/users/deep", nil),
	}
	for _, b := range bodies {
		if b.status/100 != 2 {
			t.Fatalf("status %d: %s", b.status, b.raw)
		}
		if strings.Contains(string(b.raw), "SECRET-") {
			t.Errorf("secret leaked: %s", b.raw)
		}
	}
	got := obj(dig(r.obj, "primaryConnection", "credentials", "action", 0, "credential", "data"))
	for i, k := range secretFields {
		item := obj(dig(got, "config", "items", i))
		if v, has := item[k]; !has || v != "" {
			t.Errorf("config.items[%d].%s = %v, want present and \"\"", i, k, v)
		}
		if item["label"] != "kept-"+itoa(i) {
			t.Errorf("config.items[%d].label = %v, want it kept", i, item["label"])
		}
	}
	if got["endpoint"] != "https://fn.example/sign" {
		t.Errorf("endpoint = %v, want it kept", got["endpoint"])
	}
	if v := dig(got, "config", "deeper", "auth", "key"); v != "" {
		t.Errorf("an object under a secret key = %v, want \"\"", v)
	}
}

// TestClientCredentialsEmptyAuthorizeURL: the client_credentials grant has no authorize
// step, and the spec's prose says authorizeUrl is then "" (the SDK's docs say the same);
// "" is accepted there, and only there.
func TestClientCredentialsEmptyAuthorizeURL(t *testing.T) {
	s := newTestServer(t)
	path := hubPath(s, "/users")
	client := func(authorizeURL any) map[string]any {
		d := map[string]any{"clientId": "c", "clientSecret": "s", "tokenUrl": "https://x.example/token"}
		if authorizeURL != nil {
			d["authorizeUrl"] = authorizeURL
		}
		return cred("oauth2-client", d)
	}
	scheme := func(grant string) map[string]any {
		m := oauth2Scheme()
		m["authorizeUrl"] = ""
		m["grant"] = map[string]any{"grantType": grant}
		return m
	}
	api := map[string]any{"id": "01HZY0000000000000000000AA", "description": "", "schemeType": "api-key", "name": "X-API-Key", "in": "header"}
	d := primaryCredPath + ".data."
	p := "primaryConnection.credentials.action[0].authSchemeConfig."

	r := call(t, s, "POST", path, userWithCredential("cc-cred", client(""), api)).expect(t, http.StatusCreated)
	if got := dig(r.obj, "primaryConnection", "credentials", "action", 0, "credential", "data", "authorizeUrl"); got != "" {
		t.Errorf("authorizeUrl read back as %v", got)
	}
	r = call(t, s, "POST", path, userWithCredential("cc-scheme", cred("string", map[string]any{"value": "v"}), scheme("client_credentials"))).expect(t, http.StatusCreated)
	if got := dig(r.obj, "primaryConnection", "credentials", "action", 0, "authSchemeConfig", "authorizeUrl"); got != "" {
		t.Errorf("scheme authorizeUrl read back as %v", got)
	}

	call(t, s, "POST", path, userWithCredential("u1", client(nil), api)).expectError(t, http.StatusBadRequest, d+"authorizeUrl")
	call(t, s, "POST", path, userWithCredential("u2", client("/relative"), api)).expectError(t, http.StatusBadRequest, d+"authorizeUrl")
	for _, grant := range []string{"authorization_code", "password"} {
		call(t, s, "POST", path, userWithCredential("u3", cred("string", map[string]any{"value": "v"}), scheme(grant))).
			expectError(t, http.StatusBadRequest, p+"authorizeUrl")
	}
}

// TestUnknownPropertiesAreDropped: a property the spec does not define for an auth scheme
// config or a typed credential's data is not stored, as an API decoding into its types
// does not; echoing it back would let a client read its own misspelt field back.
func TestUnknownPropertiesAreDropped(t *testing.T) {
	s, sd := newSeededServer(t)
	scheme := oauth2Scheme()
	scheme["defaultScope"] = []any{"read"} // misspelt defaultScopes
	scheme["scopes"] = []any{map[string]any{"name": "read", "displayName": "x"}}
	scheme["grant"].(map[string]any)["client_secret"] = "x"
	data := map[string]any{"scopes": []any{"read"}, "refreshToken": "r", "expires_at": "2030-01-01T00:00:00Z"}
	r := call(t, s, "POST", hubPath(s, "/users"), userWithCredential("u1", cred("oauth2-token", data), scheme)).expect(t, http.StatusCreated)
	item := dig(r.obj, "primaryConnection", "credentials", "action", 0)
	for _, path := range [][]any{
		{"authSchemeConfig", "defaultScope"},
		{"authSchemeConfig", "scopes", 0, "displayName"},
		{"authSchemeConfig", "grant", "client_secret"},
		{"credential", "data", "expires_at"},
	} {
		parent, key := dig(item, path[:len(path)-1]...), path[len(path)-1].(string)
		if _, has := obj(parent)[key]; has {
			t.Errorf("unknown property %v echoed back", path)
		}
	}
	if dig(item, "authSchemeConfig", "scopes", 0, "name") != "read" || dig(item, "credential", "data", "scopes", 0) != "read" {
		t.Errorf("known properties lost: %v", item)
	}
	// Also where a scheme is stored on its own: a hub's and a template's.
	hub := newHubBody(s, "H")
	hub["authSchemeConfig"] = map[string]any{"id": "01HZY0000000000000000000AB", "description": "", "schemeType": "api-key", "name": "k", "in": "header", "prefix": "Token"}
	h := call(t, s, "POST", "/hubs", hub).expect(t, http.StatusCreated).obj
	if _, has := obj(dig(h, "primaryConnector", "authSchemeConfig"))["prefix"]; has {
		t.Error("hub scheme kept an unknown property")
	}
	tpl := call(t, s, "POST", "/integrations/"+sd.Integrations[2].ID+"/connection-templates", map[string]any{
		"connectorId": sd.PrimaryConnectorID, "authSchemeConfig": map[string]any{"id": "01HZY0000000000000000000AB", "description": "", "schemeType": "basic-auth", "realm": "x"},
	}).expect(t, http.StatusOK).obj
	if _, has := obj(tpl["authSchemeConfig"])["realm"]; has {
		t.Error("template scheme kept an unknown property")
	}
	// custom-function data has no schema: all of it is kept.
	r = call(t, s, "POST", hubPath(s, "/users"), userWithCredential("u2", cred("custom-function", map[string]any{"anything": "goes"}), nil)).expect(t, http.StatusCreated)
	if dig(r.obj, "primaryConnection", "credentials", "action", 0, "credential", "data", "anything") != "goes" {
		t.Error("custom-function data lost")
	}
}
