package versoritest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"slices"
	"time"
)

// Credential types, as in the spec's CredentialType.
const (
	credNone           = "none"
	credString         = "string"
	credBinary         = "binary"
	credBasicAuth      = "basic-auth"
	credOAuth2Client   = "oauth2-client"
	credOAuth2Code     = "oauth2-code"
	credOAuth2Password = "oauth2-password"
	credOAuth2Token    = "oauth2-token"
	credCustomFunction = "custom-function"
	credCertificate    = "certificate"
	credJWTBearer      = "jwt-bearer"
)

var credentialTypes = []string{
	credNone, credString, credBinary, credBasicAuth, credOAuth2Client, credOAuth2Code,
	credOAuth2Password, credOAuth2Token, credCustomFunction, credCertificate, credJWTBearer,
}

// secretFields are redacted to "" on every read, wherever they appear in credential data
// or an auth scheme config. The key is kept, not removed, because the spec marks most of
// them required and responses must still validate.
var secretFields = []string{
	"value", "valueBase64", "password", "clientSecret", "accessToken", "refreshToken", "key", "secret",
}

// credentialDataProperties are the properties the spec (or, for jwt-bearer, the Platform
// API) defines for each credential type's data. Anything else is dropped when stored, as
// an API that decodes into its types drops it; custom-function data has no published
// shape and is kept whole, and none allows no properties at all.
var credentialDataProperties = map[string][]string{
	credString:         {"value"},
	credBinary:         {"valueBase64"},
	credBasicAuth:      {"username", "password"},
	credOAuth2Password: {"username", "password"},
	credOAuth2Client: {"clientId", "clientSecret", "authorizeUrl", "tokenUrl", "scopes", "additionalParams",
		"mTLSEnabled", "mTLSCredentialId"},
	credOAuth2Code:     {"code", "state"},
	credOAuth2Token:    {"scopes", "accessToken", "tokenType", "expiresAt", "refreshToken"},
	credCertificate:    {"certificate", "key", "ca"},
	credJWTBearer:      {"algorithm", "secret", "payload", "expiresIn", "authorizationHeaderPrefix"},
	credNone:           {},
	credCustomFunction: nil,
}

// credentialInput is a validated credential from a create body: either a reference to an
// existing credential (refID, from an InferredReference {"id": ...}) or a new one.
type credentialInput struct {
	refID     string
	name, typ string
	data      object
}

// validateCredential checks a ConnectionCredentialCreate's credential. The spec's schema
// lists only CredentialCreate but its prose also allows an InferredReference; both are
// supported (see versori/README.md), told apart by the presence of "id".
func (f *Fake) validateCredential(v *validator, m object, path string) credentialInput {
	if _, isRef := get(m, "id"); isRef {
		id, ok := v.str(m, "id", join(path, "id"), true)
		switch {
		case hasAny(m, "name", "type", "data"):
			// Read as a reference, the new data would be dropped silently; read as a new
			// credential, the id would be. The API documents neither, so refuse both.
			v.add(join(path, "id"), "a credential reference is {\"id\"} alone; give either id or name, type and data")
		case ok && f.st.credentials[id] == nil:
			v.add(join(path, "id"), "credential %q does not exist", id)
		}
		return credentialInput{refID: id}
	}
	var in credentialInput
	in.name, _ = v.nonEmpty(m, "name", join(path, "name"), true)
	typ, typOK := v.str(m, "type", join(path, "type"), true)
	if typOK && !slices.Contains(credentialTypes, typ) {
		v.add(join(path, "type"), "unknown credential type %q", typ)
		typOK = false
	}
	in.typ = typ
	data, dataOK := v.obj(m, "data", join(path, "data"), true)
	if typOK && dataOK {
		validateCredentialData(v, typ, data, join(path, "data"), false)
	}
	if props := credentialDataProperties[typ]; props != nil {
		in.data = keepOnly(data, props...)
	} else {
		in.data = copyObject(data)
	}
	return in
}

// validateCredentialData checks data against the shape its type requires. With platform
// it checks the member of a Platform credential's keyed data (platform_credentials.go):
// the same shapes, but for oauth2-client (no authorizeUrl), oauth2-code (optional
// additionalParams and redirectUrl) and the OAuth 1.0 types, which v1 lacks.
func validateCredentialData(v *validator, typ string, d object, path string, platform bool) {
	req := func(keys ...string) {
		for _, k := range keys {
			v.str(d, k, join(path, k), true)
		}
	}
	opt := func(keys ...string) {
		for _, k := range keys {
			v.str(d, k, join(path, k), false)
		}
	}
	switch typ {
	case credNone:
		// CredentialDataNone has additionalProperties: false.
		for k := range d {
			v.add(join(path, k), "is not allowed for credential type none")
		}
	case credString:
		req("value")
	case credBinary:
		if s, ok := v.str(d, "valueBase64", join(path, "valueBase64"), true); ok {
			if _, err := base64.StdEncoding.DecodeString(s); err != nil {
				v.add(join(path, "valueBase64"), "must be standard base64")
			}
		}
	case credBasicAuth, credOAuth2Password:
		req("username", "password")
	case credOAuth2Client:
		req("clientId", "clientSecret")
		// "" is the authorizeUrl of a client used for the client_credentials grant (the
		// spec's prose); a credential does not say which grant it serves. The Platform's
		// oauth2-client data has no authorizeUrl.
		if !platform {
			v.absURLOrEmpty(d, "authorizeUrl", join(path, "authorizeUrl"), true)
		}
		v.absURL(d, "tokenUrl", join(path, "tokenUrl"), true)
		v.strs(d, "scopes", join(path, "scopes"), false)
		opt("additionalParams", "mTLSCredentialId")
		v.boolean(d, "mTLSEnabled", join(path, "mTLSEnabled"))
	case credOAuth2Code:
		req("code", "state")
		if platform {
			opt("additionalParams", "redirectUrl") // redirectUrl: cli's newer copy of the spec
		}
	case credOAuth2Token:
		v.strs(d, "scopes", join(path, "scopes"), true)
		req("refreshToken")
		opt("accessToken", "tokenType")
		if s, ok := v.str(d, "expiresAt", join(path, "expiresAt"), false); ok {
			if _, err := time.Parse(time.RFC3339, s); err != nil {
				v.add(join(path, "expiresAt"), "must be an RFC 3339 date-time")
			}
		}
	case credCertificate:
		req("certificate", "key", "ca")
	case credOAuth1:
		req("state", "oauthToken", "oauthVerifier")
	case credOAuth1Token:
		req("token", "tokenSecret")
		v.objects(d, "additionalParams", join(path, "additionalParams"), false, func(param object, p string) {
			v.nonEmpty(param, "name", join(p, "name"), true)
			v.str(param, "value", join(p, "value"), false)
		})
	case credJWTBearer:
		// Not in this spec; shape from Versori's platform API (see versori/README.md).
		v.enum(d, "algorithm", join(path, "algorithm"), true, "HS256", "HS384", "HS512", "RS256", "RS384", "RS512")
		if s, ok := v.str(d, "secret", join(path, "secret"), true); ok {
			if _, err := base64.StdEncoding.DecodeString(s); err != nil {
				v.add(join(path, "secret"), "must be standard base64")
			}
		}
		if s, ok := v.str(d, "payload", join(path, "payload"), true); ok {
			var payload object
			if err := json.Unmarshal([]byte(s), &payload); err != nil || payload == nil {
				v.add(join(path, "payload"), "must be a string holding a JSON object")
			}
		}
		if s, ok := v.str(d, "expiresIn", join(path, "expiresIn"), true); ok {
			if dur, err := time.ParseDuration(s); err != nil || dur <= 0 {
				v.add(join(path, "expiresIn"), "must be a positive Go duration such as \"24h\"")
			}
		}
		v.enum(d, "authorizationHeaderPrefix", join(path, "authorizationHeaderPrefix"), true, "Bearer", "JWT")
	case credCustomFunction:
		// No published shape: any JSON object is stored as is.
	}
}

// storeCredential saves a new credential (or returns the referenced one's ID). scheme is the
// auth scheme config it is used with, which supplies an exchanged token's scopes.
func (f *Fake) storeCredential(in credentialInput, scheme object) string {
	if in.refID != "" {
		return in.refID
	}
	c := &credential{id: f.newID(), orgID: f.st.orgID, name: in.name, typ: in.typ, data: in.data}
	if c.typ == credOAuth2Code {
		// The API exchanges the code at once; afterwards only the token exists.
		scopes := []any{}
		if scheme["schemeType"] == schemeOAuth2 {
			if ds, ok := scheme["defaultScopes"].([]any); ok {
				scopes = deepCopy(ds).([]any)
			}
		}
		c.typ = credOAuth2Token
		c.data = object{
			"scopes":       scopes,
			"refreshToken": "fake-refresh-" + randomToken(),
			"accessToken":  "fake-access-" + randomToken(),
			"tokenType":    "Bearer",
		}
	}
	f.st.credentials.put(c.id, c)
	return c.id
}

// credentialJSON is the spec's Credential.
type credentialJSON struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisationId"`
	Type           string `json:"type"`
	Name           string `json:"name"`
	Data           object `json:"data"`
}

func (c *credential) render() credentialJSON {
	return credentialJSON{ID: c.id, OrganisationID: c.orgID, Type: c.typ, Name: c.name, Data: redact(c.data)}
}

// redact returns a copy of credential data, or of an auth scheme config, with every
// secret field emptied, at any depth: opaque data (custom-function) may nest secrets in
// objects and arrays. A secret key's value is replaced whatever its type, so an object
// under one loses its contents too.
func redact(d object) object {
	if d == nil {
		return object{}
	}
	return copyJSON(d, func(k string, _ any) (any, bool) { return "", slices.Contains(secretFields, k) }).(object)
}

// randomToken returns 32 random bytes, base64url: unguessable OAuth 2.0 states and tokens.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
