package versoritest

import (
	"maps"
	"slices"
	"strings"
)

// Platform credential types (CredentialType) and the CredentialData key each one's data
// sits under: Platform credential data is keyed, {"type": "string", "data": {"string":
// {"value": ...}}}, and exactly the type's key must be set (PLATFORM.md §8.1). Nothing in
// the schema ties the two together; the fake does, as the API must.
var pCredentialDataKeys = map[string]string{
	credNone:           "none",
	credString:         "string",
	credBinary:         "binary",
	credBasicAuth:      "basicAuth",
	credOAuth2Client:   "oauth2Client",
	credOAuth2Code:     "oauth2Code",
	credOAuth2Password: "oauth2Password",
	credOAuth2Token:    "oauth2Token",
	credCertificate:    "certificate",
	credOAuth1:         "oauth1",
	credOAuth1Token:    "oauth1Token",
}

// The Platform's credential types that v1 lacks.
const (
	credOAuth1      = "oauth1"
	credOAuth1Token = "oauth1-token"
)

// pSecretFields are redacted to "" wherever they occur in a credential's data or an auth
// scheme config, at any depth (oauth1Token.additionalParams[].value, an oauth2 grant's
// clientSecret, oauth1's consumerSecret): v1's list plus the Platform's OAuth 1.0 secrets.
var pSecretFields = func() map[string]bool {
	m := map[string]bool{"tokenSecret": true, "consumerSecret": true}
	for _, k := range secretFields {
		m[k] = true
	}
	return m
}()

// pRedact returns a copy of m with every secret field's string value replaced by "",
// at any depth. Keys stay, because the spec marks most of them required.
func pRedact(m object) object {
	if m == nil {
		return nil
	}
	return copyJSON(m, func(k string, v any) (any, bool) {
		_, isStr := v.(string)
		return "", isStr && pSecretFields[k]
	}).(object)
}

// pCredentialInput is a validated Credential from a connection body: a new credential
// (typ set) or a reference to an existing one (refID set).
type pCredentialInput struct {
	refID     string
	id        string // the ID the client sent with a new credential; see storePCredential
	name, typ string
	data      object // keyed, as stored
}

// validatePCredential checks a ConnectionCredential's credential at path. A credential
// with a type is new: its data must set exactly the key of its type, with that member's
// required fields. One without type and data ({id, organisationId}) refers to an existing
// credential of this organisation; an end-user token may only refer to its own.
func (f *Fake) validatePCredential(v *validator, m object, path string, c caller) pCredentialInput {
	_, hasType := get(m, "type")
	_, hasData := get(m, "data")
	id, _ := v.ulidField(m, "id", join(path, "id"), true)
	org, orgOK := v.ulidField(m, "organisationId", join(path, "organisationId"), true)
	if !hasType && !hasData {
		if orgOK && org != f.st.orgID {
			v.add(join(path, "organisationId"), "must be this organisation's ID")
		}
		if cred := f.st.platform.credentials[id]; id != "" && (cred == nil || !f.seesCredential(c, cred)) {
			v.add(join(path, "id"), "credential %q does not exist (a credential without type and data refers to an existing one)", id)
		}
		return pCredentialInput{refID: id}
	}
	in := pCredentialInput{id: id}
	in.name, _ = v.str(m, "name", join(path, "name"), false)
	typ, ok := v.enum(m, "type", join(path, "type"), true, slices.Sorted(maps.Keys(pCredentialDataKeys))...)
	if !ok {
		return in
	}
	in.typ = typ
	dp := join(path, "data")
	data, dataOK := v.obj(m, "data", dp, typ != credNone)
	if !dataOK {
		if typ == credNone && !hasData {
			in.data = object{"none": object{}} // cli omits data for none
		}
		return in
	}
	in.data = validatePCredentialData(v, typ, data, dp)
	return in
}

func (f *Fake) seesCredential(c caller, cred *pCredential) bool {
	if c.kind != callerEndUser {
		return true
	}
	return cred.userID != "" && f.seesUserID(c, cred.userID)
}

// validatePCredentialData checks keyed data for typ and returns the copy to store.
func validatePCredentialData(v *validator, typ string, data object, path string) object {
	want := pCredentialDataKeys[typ]
	// js-sdk sends data {} for a none credential.
	if typ == credNone && len(data) == 0 {
		return object{"none": object{}}
	}
	var others []string
	for k := range data {
		if k != want {
			others = append(others, k)
		}
	}
	if len(others) > 0 {
		slices.Sort(others)
		v.add(path, "credential of type %q must set only data.%s; it sets %s", typ, want, strings.Join(others, ", "))
		return nil
	}
	mp := join(path, want)
	member, ok := v.obj(data, want, mp, true)
	if !ok {
		return nil
	}
	validateCredentialData(v, typ, member, mp, true)
	return object{want: copyObject(member)}
}

// storePCredential saves a new credential for userID ("" for the organisation) or returns
// the referenced one's ID. The fake always mints the ID of a new credential: clients send
// zeros (cli) or fresh ULIDs of their own (js-sdk), neither of which can be trusted to be
// unique. An oauth2-code credential is exchanged at once and stored as the oauth2-token it
// becomes; its scopes are the auth scheme config's default scopes.
func (f *Fake) storePCredential(in pCredentialInput, userID string, scheme object) string {
	if in.refID != "" {
		return in.refID
	}
	cred := &pCredential{id: f.newID(), name: in.name, typ: in.typ, userID: userID, data: in.data, createdAt: f.now()}
	if cred.typ == credOAuth2Code {
		scopes := []any{}
		if ds, ok := digKeys(scheme, "oauth2", "defaultScopes").([]any); ok {
			scopes = deepCopy(ds).([]any)
		}
		cred.typ = credOAuth2Token
		cred.data = object{"oauth2Token": object{
			"scopes":       scopes,
			"refreshToken": "fake-refresh-" + randomToken(),
			"accessToken":  "fake-access-" + randomToken(),
			"tokenType":    "Bearer",
		}}
	}
	f.st.platform.credentials.put(cred.id, cred)
	return cred.id
}

// pCredentialJSON is the Platform's Credential, secrets redacted.
type pCredentialJSON struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisationId"`
	Type           string `json:"type"`
	Name           string `json:"name"`
	Data           object `json:"data"`
}

func (f *Fake) renderPCredential(cred *pCredential) pCredentialJSON {
	return pCredentialJSON{ID: cred.id, OrganisationID: f.st.orgID, Type: cred.typ, Name: cred.name, Data: pRedact(cred.data)}
}

// digKeys walks decoded JSON through object keys; nil where the path leads nowhere.
func digKeys(x any, keys ...string) any {
	for _, k := range keys {
		m, ok := x.(object)
		if !ok {
			return nil
		}
		x = m[k]
	}
	return x
}
