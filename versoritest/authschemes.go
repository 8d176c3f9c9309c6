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

// validateAuthScheme checks an AuthSchemeConfig and returns the copy to store.
// validationMessages is dropped: the spec says the API ignores it on input.
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
	out := copyObject(m)
	delete(out, "validationMessages")
	return out
}

func validateOAuth2Scheme(v *validator, m object, path string) {
	validateOAuth2SchemeFields(v, m, path, true)
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
// share; only v1 requires authorizeUrl.
func validateOAuth2SchemeFields(v *validator, m object, path string, authorizeURLRequired bool) {
	v.absURL(m, "authorizeUrl", join(path, "authorizeUrl"), authorizeURLRequired)
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
}

// redactScheme returns the config as sent to clients: an oauth2 grant's clientSecret is a
// secret like any credential value.
func redactScheme(m object) object {
	out := copyObject(m)
	if g, ok := out["grant"].(object); ok {
		if _, has := g["clientSecret"]; has {
			g["clientSecret"] = ""
		}
	}
	return out
}
