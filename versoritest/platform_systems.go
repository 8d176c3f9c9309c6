package versoritest

import (
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Auth scheme configs are keyed like credentials: {"type": "api-key", "apiKey": {"id":
// ..., "description": ..., "name": ..., "in": ...}}. jwt-bearer and secret are listed in
// AuthSchemeType but have no member.
var pSchemeKeys = map[string]string{
	schemeNone: "none", schemeAPIKey: "apiKey", schemeBasicAuth: "basicAuth", schemeOAuth2: "oauth2",
	"oauth1": "oauth1", schemeHMAC: "hmac", schemeCertificate: "certificate",
	"jwt-bearer": "", "secret": "",
}

// pSchemeID returns a keyed auth scheme config's ID: its member's, else a top-level one.
func pSchemeID(s object) string {
	if key := pSchemeKeys[asString(s["type"])]; key != "" {
		if id := asString(digKeys(s, key, "id")); id != "" {
			return id
		}
	}
	return asString(s["id"])
}

// validatePScheme checks a keyed AuthSchemeConfig at path and returns its ID and the copy
// to store. The ID is the member's id (AuthSchemeConfigBase): a client-chosen name such
// as "my-oauth", not a ULID (erratum E9). A top-level id, which the schema does not
// define, is accepted if it agrees; for jwt-bearer and secret, which have no member, it
// is the ID.
func validatePScheme(v *validator, m object, path string) (string, object) {
	typ, ok := v.enum(m, "type", join(path, "type"), true, slices.Sorted(maps.Keys(pSchemeKeys))...)
	if !ok {
		return "", nil
	}
	want := pSchemeKeys[typ]
	for _, key := range pSchemeKeys {
		if _, set := m[key]; key != "" && key != want && set {
			v.add(join(path, key), "must not be set for an auth scheme config of type %q", typ)
		}
	}
	out := copyObject(m)
	topID, hasTopID := v.str(m, "id", join(path, "id"), want == "")
	if want == "" {
		return topID, out
	}
	mp := join(path, want)
	member, ok := v.obj(m, want, mp, true)
	if !ok {
		return "", out
	}
	id, idOK := v.nonEmpty(member, "id", join(mp, "id"), true)
	v.str(member, "description", join(mp, "description"), true)
	if idOK && hasTopID && topID != id {
		v.add(join(path, "id"), "must equal %s.id", want)
	}
	validatePSchemeMember(v, typ, member, mp)
	delete(out[want].(object), "validationMessages") // ignored if sent, says the spec
	return id, out
}

func validatePSchemeMember(v *validator, typ string, m object, path string) {
	in := []string{"query", "header", "cookie"}
	switch typ {
	case schemeAPIKey:
		v.nonEmpty(m, "name", join(path, "name"), true)
		v.enum(m, "in", join(path, "in"), true, in...)
	case schemeHMAC:
		v.nonEmpty(m, "name", join(path, "name"), true)
		v.enum(m, "in", join(path, "in"), true, in...)
		v.enum(m, "algorithm", join(path, "algorithm"), true, "sha1", "sha256", "sha512")
		v.enum(m, "encoding", join(path, "encoding"), true, "hex", "base64", "base64url")
		if inputs, ok := v.arr(m, "digestInputs", join(path, "digestInputs"), true); ok {
			for i, x := range inputs {
				if s := asString(x); s != "body" && s != "url" {
					v.add(index(join(path, "digestInputs"), i), "must be one of body, url")
				}
			}
		}
	case schemeOAuth2:
		validatePOAuth2Scheme(v, m, path)
	case "oauth1":
		validatePOAuth1Scheme(v, m, path)
	}
}

func validatePOAuth2Scheme(v *validator, m object, path string) {
	validateOAuth2SchemeFields(v, m, path, false, true)
	v.boolean(m, "pkce", join(path, "pkce"))
	gp := join(path, "grant")
	g, ok := v.obj(m, "grant", gp, true)
	if !ok {
		return
	}
	gt, ok := v.enum(g, "type", join(gp, "type"), true, "authorizationCode", "clientCredentials", "password")
	if !ok {
		return
	}
	for _, key := range []string{"authorizationCode", "clientCredentials", "password"} {
		if _, set := g[key]; set && key != gt {
			v.add(join(gp, key), "must not be set for grant type %q", gt)
		}
	}
	if gt == "clientCredentials" {
		v.obj(g, gt, join(gp, gt), false)
		return
	}
	if member, ok := v.obj(g, gt, join(gp, gt), false); ok {
		mp := join(gp, gt)
		v.ulidField(member, "credentialId", join(mp, "credentialId"), false)
		v.ulidField(member, "organisationId", join(mp, "organisationId"), false)
		v.str(member, "clientId", join(mp, "clientId"), false)
		v.str(member, "clientSecret", join(mp, "clientSecret"), false)
	}
}

// validatePOAuth1Scheme: without tokenAuth the browser flow needs all three endpoints.
func validatePOAuth1Scheme(v *validator, m object, path string) {
	v.nonEmpty(m, "consumerKey", join(path, "consumerKey"), true)
	v.str(m, "consumerSecret", join(path, "consumerSecret"), true)
	v.enum(m, "signatureMethod", join(path, "signatureMethod"), true, "sha1", "sha256")
	tokenAuth, _ := v.boolean(m, "tokenAuth", join(path, "tokenAuth"))
	v.ulidField(m, "credentialId", join(path, "credentialId"), false)
	for _, key := range []string{"tempCredentialEndpoint", "resourceOwnerAuthorizationEndpoint", "tokenEndpoint"} {
		ep := join(path, key)
		e, ok := v.obj(m, key, ep, !tokenAuth)
		if !ok {
			continue
		}
		v.absURL(e, "url", join(ep, "url"), true)
		v.enum(e, "parameterTransmission", join(ep, "parameterTransmission"), false,
			"AUTH_STYLE_AUTHORIZATION_HEADER", "AUTH_STYLE_FORM", "AUTH_STYLE_QUERY")
		v.objects(e, "additionalParamConfigs", join(ep, "additionalParamConfigs"), false, func(param object, p string) {
			validatePParameterConfig(v, param, p)
		})
	}
}

// validatePParameterConfig checks a ParameterConfig; its required list names usage, but
// the property is usages (erratum E7), which the fake treats as optional.
func validatePParameterConfig(v *validator, m object, path string) {
	v.nonEmpty(m, "parameterName", join(path, "parameterName"), true)
	v.str(m, "targetName", join(path, "targetName"), false)
	v.enum(m, "location", join(path, "location"), true, "LOCATION_IGNORE", "LOCATION_BODY", "LOCATION_HEADER",
		"LOCATION_QUERY", "LOCATION_ENDPOINT", "LOCATION_HEADER_PARAMETER")
	v.enum(m, "usages", join(path, "usages"), false, "USAGE_UNKNOWN", "USAGE_TEMP_CREDENTIAL_ENDPOINT", "USAGE_TOKEN_REQUEST_ENDPOINT")
	for _, key := range []string{"required", "modifiable"} {
		if _, set := get(m, key); !set {
			v.add(join(path, key), "is required")
		}
		v.boolean(m, key, join(path, key))
	}
}

// pSystemJSON is the Platform's System.
type pSystemJSON struct {
	ID                string   `json:"id"`
	Name              string   `json:"name"`
	Domain            string   `json:"domain"`
	AuthSchemeConfigs []object `json:"authSchemeConfigs"`
	TemplateBaseURL   string   `json:"templateBaseUrl"`
}

func renderPSystem(s *pSystem) pSystemJSON {
	return pSystemJSON{
		ID: s.id, Name: s.name, Domain: s.domain, TemplateBaseURL: s.templateBaseURL,
		AuthSchemeConfigs: renderAll(s.schemes, pRedact),
	}
}

// scheme returns the system's auth scheme config with this ID and its index, or -1.
func (s *pSystem) scheme(id string) (object, int) {
	for i, c := range s.schemes {
		if pSchemeID(c) == id {
			return c, i
		}
	}
	return nil, -1
}

// pListSystems pages the organisation's systems; search matches name, domain or ID.
func (f *Fake) pListSystems(r *http.Request) (int, any, *apiError) {
	p, e := parsePlatformPage(r.URL.Query())
	if e != nil {
		return 0, nil, e
	}
	search := strings.ToLower(r.URL.Query().Get("search"))
	out, info := pageOf(f.st.platform.systems, func(s *pSystem) bool {
		return matchesSearch(search, s.name, s.domain, s.id)
	}, p, renderPSystem)
	return http.StatusOK, listJSON{info, "items", out}, nil
}

// pSystemFromPath finds {system_id}.
func (f *Fake) pSystemFromPath(r *http.Request) (*pSystem, *apiError) {
	return f.st.platform.systems.find("system", r.PathValue("system_id"))
}

func (f *Fake) pGetSystem(_ *http.Request, s *pSystem) (int, any, *apiError) {
	return http.StatusOK, renderPSystem(s), nil
}

// pUpsertAuthSchemeConfig creates or replaces one of a system's auth scheme configs. The
// body's ID must equal the path's.
func (f *Fake) pUpsertAuthSchemeConfig(r *http.Request, s *pSystem) (int, any, *apiError) {
	v, body := validateBody(r)
	id, scheme := validatePScheme(v, body, "")
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	if pathID := r.PathValue("auth_scheme_config_id"); id != pathID {
		field := "id"
		if key := pSchemeKeys[asString(body["type"])]; key != "" {
			field = key + ".id"
		}
		return 0, nil, badField(field, "must equal the auth_scheme_config_id in the path ("+pathID+")")
	}
	if _, i := s.scheme(id); i >= 0 {
		s.schemes[i] = scheme
	} else {
		s.schemes = append(s.schemes, scheme)
	}
	return http.StatusCreated, pRedact(scheme), nil
}

// pDeleteAuthSchemeConfig removes a config, and its ID from the templates that chose it.
func (f *Fake) pDeleteAuthSchemeConfig(r *http.Request, s *pSystem) (int, any, *apiError) {
	id := r.PathValue("auth_scheme_config_id")
	_, i := s.scheme(id)
	if i < 0 {
		return 0, nil, notFound("auth scheme config %q not found on system %s", id, s.id)
	}
	s.schemes = slices.Delete(s.schemes, i, i+1)
	for _, t := range f.st.platform.templates {
		if t.systemID == s.id {
			t.schemeIDs = slices.DeleteFunc(t.schemeIDs, func(x string) bool { return x == id })
		}
	}
	return http.StatusNoContent, nil, nil
}
