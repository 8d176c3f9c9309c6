package versoritest

// Auth scheme types, as in the spec's AuthSchemeConfig discriminator.
const (
	schemeNone        = "none"
	schemeAPIKey      = "api-key"
	schemeBasicAuth   = "basic-auth"
	schemeOAuth2      = "oauth2"
	schemeHMAC        = "hmac"
	schemeCertificate = "certificate"
)

// schemeProperties are the properties the spec defines for each scheme type besides the
// base's id, description and schemeType. Anything else (validationMessages, which the
// API ignores on input, or a misspelt property) is dropped when stored, as an API that
// decodes into its types drops it.
var schemeProperties = map[string][]string{
	schemeNone:        nil,
	schemeBasicAuth:   nil,
	schemeCertificate: nil,
	schemeAPIKey:      {"name", "in"},
	schemeHMAC:        {"name", "in", "algorithm", "digestInputs"},
	schemeOAuth2: {"authorizeUrl", "tokenUrl", "scopes", "defaultScopes", "additionalAuthorizeParams",
		"additionalTokenParams", "mtlsEnabled", "mtlsCredentialId", "grant"},
}

// grantProperties are the spec's properties of each OAuth 2.0 grant type.
var grantProperties = map[string][]string{
	"authorization_code": {"grantType", "credentialId", "organisationId", "clientId", "clientSecret"},
	"password":           {"grantType", "credentialId", "organisationId", "clientId", "clientSecret"},
	"client_credentials": {"grantType"},
}

// validateAuthScheme checks an AuthSchemeConfig and returns the copy to store: the
// properties the spec defines for its scheme type, and no others.
func validateAuthScheme(v *validator, m object, path string) object {
	v.ulidField(m, "id", join(path, "id"), true)
	v.str(m, "description", join(path, "description"), true)
	typ, ok := v.enum(m, "schemeType", join(path, "schemeType"), true,
		schemeNone, schemeAPIKey, schemeBasicAuth, schemeOAuth2, schemeHMAC, schemeCertificate)
	if ok {
		switch typ {
		case schemeAPIKey:
			v.nonEmpty(m, "name", join(path, "name"), true)
			v.enum(m, "in", join(path, "in"), true, "query", "header", "cookie")
		case schemeHMAC:
			v.nonEmpty(m, "name", join(path, "name"), true)
			v.enum(m, "in", join(path, "in"), true, "query", "header", "cookie")
			v.enum(m, "algorithm", join(path, "algorithm"), true, "sha1", "sha256", "sha512")
			if inputs, ok := v.arr(m, "digestInputs", join(path, "digestInputs"), true); ok {
				for i, x := range inputs {
					if s, _ := x.(string); s != "body" && s != "url" {
						v.add(index(join(path, "digestInputs"), i), "must be one of body, url")
					}
				}
			}
		case schemeOAuth2:
			validateOAuth2Scheme(v, m, path)
		}
	}
	if !ok {
		return copyObject(m) // refused anyway
	}
	out := keepOnly(m, append([]string{"id", "description", "schemeType"}, schemeProperties[typ]...)...)
	if g, ok := out["grant"].(object); ok {
		if props, known := grantProperties[asString(g["grantType"])]; known {
			out["grant"] = keepOnly(g, props...)
		}
	}
	if scopes, ok := out["scopes"].([]any); ok {
		for i, x := range scopes {
			if sc, ok := x.(object); ok {
				scopes[i] = keepOnly(sc, "name", "description")
			}
		}
	}
	return out
}

func validateOAuth2Scheme(v *validator, m object, path string) {
	// The client_credentials grant has no authorize step: its authorizeUrl may be "".
	g, _ := m["grant"].(object)
	validateOAuth2SchemeFields(v, m, path, true, g != nil && g["grantType"] == "client_credentials")
	gp := join(path, "grant")
	if g, ok := v.obj(m, "grant", gp, true); ok {
		gt, ok := v.enum(g, "grantType", join(gp, "grantType"), true, "authorization_code", "client_credentials", "password")
		if ok && gt != "client_credentials" {
			v.ulidField(g, "credentialId", join(gp, "credentialId"), false)
			v.ulidField(g, "organisationId", join(gp, "organisationId"), false)
			v.str(g, "clientId", join(gp, "clientId"), false)
			v.str(g, "clientSecret", join(gp, "clientSecret"), false)
		}
	}
}

// validateOAuth2SchemeFields checks the fields v1's and the Platform's OAuth 2.0 configs
// share. Only v1 requires authorizeUrl; "" is right where there is no authorize step.
func validateOAuth2SchemeFields(v *validator, m object, path string, authorizeURLRequired, authorizeURLEmptyOK bool) {
	if authorizeURLEmptyOK {
		v.absURLOrEmpty(m, "authorizeUrl", join(path, "authorizeUrl"), authorizeURLRequired)
	} else {
		v.absURL(m, "authorizeUrl", join(path, "authorizeUrl"), authorizeURLRequired)
	}
	v.absURL(m, "tokenUrl", join(path, "tokenUrl"), true)
	v.objects(m, "scopes", join(path, "scopes"), true, func(s object, p string) {
		v.str(s, "name", join(p, "name"), true)
		v.str(s, "description", join(p, "description"), false)
	})
	v.strs(m, "defaultScopes", join(path, "defaultScopes"), true)
	v.str(m, "additionalAuthorizeParams", join(path, "additionalAuthorizeParams"), false)
	v.str(m, "additionalTokenParams", join(path, "additionalTokenParams"), false)
	v.boolean(m, "mtlsEnabled", join(path, "mtlsEnabled"))
	v.str(m, "mtlsCredentialId", join(path, "mtlsCredentialId"), false)
}

// grantWithClient returns the grant of an oauth2 scheme whose grant type keeps an OAuth 2.0
// client (authorization_code or password), or nil.
func grantWithClient(scheme object) object {
	if scheme["schemeType"] != schemeOAuth2 {
		return nil
	}
	g, _ := scheme["grant"].(object)
	if gt := g["grantType"]; gt != "authorization_code" && gt != "password" {
		return nil
	}
	return g
}

// checkGrantCredential applies the spec's rules for the OAuth 2.0 client of the scheme
// validated at path: credentialId and organisationId are set together or not at all ("any
// other permutation will result in a 400"), and a credential of this organisation they
// name must exist as an oauth2-client credential. One of another organisation (Versori's
// public library, say) cannot be checked and is taken on trust. Callers hold f.mu.
func (f *Fake) checkGrantCredential(v *validator, scheme object, path string) {
	g := grantWithClient(scheme)
	if g == nil {
		return
	}
	id, hasID := g["credentialId"].(string)
	org, hasOrg := g["organisationId"].(string)
	gp := join(path, "grant")
	switch {
	case hasID && !hasOrg:
		v.add(join(gp, "organisationId"), "must be set with credentialId (or neither, to store the client in a new credential)")
	case hasOrg && !hasID:
		v.add(join(gp, "credentialId"), "must be set with organisationId (or neither, to store the client in a new credential)")
	case hasID && org == f.st.orgID:
		if c := f.st.credentials[id]; c == nil || c.typ != credOAuth2Client {
			v.add(join(gp, "credentialId"), "no %s credential %s in organisation %s", credOAuth2Client, id, org)
		}
	}
}

// storeGrantCredential keeps a checked scheme's OAuth 2.0 client as the API does and
// returns the scheme to store. Without credentialId and organisationId, clientId and
// clientSecret go into a new oauth2-client credential, which the grant then names; with
// them, the named credential (of this organisation) is merge-patched with whichever of
// the two is given. Either way the secret lives in the credential only. Callers hold f.mu.
func (f *Fake) storeGrantCredential(scheme object) object {
	g := grantWithClient(scheme)
	if g == nil {
		return scheme
	}
	id, hasID := g["credentialId"].(string)
	switch c := f.st.credentials[id]; {
	case !hasID:
		name := asString(scheme["description"])
		if name == "" {
			name = "OAuth 2.0 client"
		}
		c = &credential{id: f.newID(), orgID: f.st.orgID, name: name, typ: credOAuth2Client, data: object{
			"clientId": asString(g["clientId"]), "clientSecret": asString(g["clientSecret"]),
			"authorizeUrl": scheme["authorizeUrl"], "tokenUrl": scheme["tokenUrl"],
		}}
		f.st.credentials.put(c.id, c)
		g["credentialId"], g["organisationId"] = c.id, c.orgID
	case c != nil && c.orgID == g["organisationId"]:
		for _, k := range []string{"clientId", "clientSecret"} {
			if s, ok := g[k].(string); ok {
				c.data[k] = s
			}
		}
	}
	delete(g, "clientSecret")
	return scheme
}
