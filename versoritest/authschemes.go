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
			v.nonEmpty(m, "name", join(path, "name"))
			v.enum(m, "in", join(path, "in"), true, "query", "header", "cookie")
		case schemeHMAC:
			v.nonEmpty(m, "name", join(path, "name"))
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
	if g, _ := m["grant"].(object); g != nil && g["grantType"] == "client_credentials" {
		v.absURLOrEmpty(m, "authorizeUrl", join(path, "authorizeUrl"), true)
	} else {
		v.absURL(m, "authorizeUrl", join(path, "authorizeUrl"), true)
	}
	v.absURL(m, "tokenUrl", join(path, "tokenUrl"), true)
	if scopes, ok := v.arr(m, "scopes", join(path, "scopes"), true); ok {
		for i, x := range scopes {
			p := index(join(path, "scopes"), i)
			s, isObj := x.(object)
			if !isObj {
				v.add(p, "must be an object")
				continue
			}
			v.str(s, "name", join(p, "name"), true)
			v.str(s, "description", join(p, "description"), false)
		}
	}
	v.strs(m, "defaultScopes", join(path, "defaultScopes"), true)
	v.str(m, "additionalAuthorizeParams", join(path, "additionalAuthorizeParams"), false)
	v.str(m, "additionalTokenParams", join(path, "additionalTokenParams"), false)
	v.boolean(m, "mtlsEnabled", join(path, "mtlsEnabled"))
	v.str(m, "mtlsCredentialId", join(path, "mtlsCredentialId"), false)
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

// redactScheme returns the config as sent to clients: an oauth2 grant's clientSecret is a
// secret like any credential value.
func redactScheme(m object) object {
	out := copyObject(m)
	redactSecrets(out)
	return out
}
