package conformance

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	verrors "github.com/pb33f/libopenapi-validator/errors"
)

// The Platform spec makes credential data and auth scheme configs keyed
// unions: {"type": "string", "data": {"string": {...}}} and {"type":
// "api-key", "apiKey": {...}}, every member optional. Nothing in the schema
// ties the member to the type, so {"type": "string", "data": {"basicAuth":
// ...}} validates, as does data with two members. The harness adds the check
// the spec cannot express: exactly the member the type names is set (PLATFORM.md
// §8). This is stricter than the spec, never looser.

// credentialDataKeys maps each CredentialType to its CredentialData member.
var credentialDataKeys = map[string]string{
	"none": "none", "string": "string", "binary": "binary", "basic-auth": "basicAuth",
	"oauth2-client": "oauth2Client", "oauth2-code": "oauth2Code", "oauth2-password": "oauth2Password",
	"oauth2-token": "oauth2Token", "certificate": "certificate", "oauth1": "oauth1", "oauth1-token": "oauth1Token",
}

// authSchemeKeys maps each AuthSchemeType to its AuthSchemeConfig member;
// jwt-bearer and secret have none.
var authSchemeKeys = map[string]string{
	"none": "none", "api-key": "apiKey", "basic-auth": "basicAuth", "oauth2": "oauth2",
	"oauth1": "oauth1", "hmac": "hmac", "certificate": "certificate", "jwt-bearer": "", "secret": "",
}

// isAuthSchemeConfigPath reports whether a request's body (and response) is
// itself an AuthSchemeConfig: UpsertAuthSchemeConfig's.
func isAuthSchemeConfigPath(path string) bool {
	return strings.Contains(path, "/auth-scheme-configs/")
}

// checkKeyedUnions checks every credential (at a "credential" key) and every
// auth scheme config (at "authSchemeConfig", in "authSchemeConfigs", or the
// body itself when bodyIsScheme) in doc.
func checkKeyedUnions(doc any, side Side, bodyIsScheme bool) []*verrors.ValidationError {
	var fails []*verrors.SchemaValidationFailure
	fail := func(path []string, format string, args ...any) {
		fails = append(fails, &verrors.SchemaValidationFailure{
			Reason:       fmt.Sprintf(format, args...),
			InstancePath: slices.Clone(path),
			FieldPath:    jsonPath(path),
		})
	}
	if m, ok := doc.(map[string]any); ok && bodyIsScheme {
		checkKeyedScheme(m, nil, fail)
	}
	walkKeyed(doc, nil, func(path []string, key string, m map[string]any) {
		switch key {
		case "credential":
			checkKeyedCredential(m, path, fail)
		case "authSchemeConfig", "authSchemeConfigs":
			checkKeyedScheme(m, path, fail)
		}
	})
	return beyondSpecError(side, fails, "keyedUnion",
		"body has a keyed union whose member does not match its type",
		"a credential's data and an auth scheme config must set exactly the member their type names (checked by the conformance harness; the spec cannot)")
}

// checkKeyedCredential: a reference ({id, organisationId}) has neither type
// nor data; a none credential may omit data or send {}.
func checkKeyedCredential(m map[string]any, path []string, fail func([]string, string, ...any)) {
	typ, ok := m["type"].(string)
	want, known := credentialDataKeys[typ]
	if !ok || !known {
		return // a reference, or a type the schema's enum rejects
	}
	data, isObj := m["data"].(map[string]any)
	dataPath := append(slices.Clone(path), "data")
	switch {
	case m["data"] == nil && typ == "none":
	case !isObj:
		return // the schema reports it
	case typ == "none" && len(data) == 0:
	default:
		checkMembers(data, dataPath, "credential of type "+strconv.Quote(typ)+" data", want, credentialDataKeys, fail)
	}
}

func checkKeyedScheme(m map[string]any, path []string, fail func([]string, string, ...any)) {
	typ, _ := m["type"].(string)
	want, known := authSchemeKeys[typ]
	if !known {
		return
	}
	checkMembers(m, path, "auth scheme config of type "+strconv.Quote(typ), want, authSchemeKeys, fail)
}

// checkMembers fails unless the members of m that are union members (values
// of keys) are exactly want ("" meaning none).
func checkMembers(m map[string]any, path []string, what, want string, keys map[string]string, fail func([]string, string, ...any)) {
	var set []string
	for _, k := range keys {
		if _, ok := m[k]; ok && k != "" && !slices.Contains(set, k) {
			set = append(set, k)
		}
	}
	slices.Sort(set)
	switch {
	case want == "" && len(set) > 0:
		fail(path, "%s must set no member, sets %s", what, strings.Join(set, ", "))
	case want != "" && (len(set) != 1 || set[0] != want):
		fail(path, "%s must set exactly %q, sets [%s]", what, want, strings.Join(set, ", "))
	}
}

// walkKeyed calls fn for every object found at a key (or in an array at a
// key), with that key.
func walkKeyed(doc any, path []string, fn func(path []string, key string, m map[string]any)) {
	m, ok := doc.(map[string]any)
	if !ok {
		if a, ok := doc.([]any); ok {
			for i, e := range a {
				walkKeyed(e, append(slices.Clone(path), strconv.Itoa(i)), fn)
			}
		}
		return
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		p := append(slices.Clone(path), k)
		switch v := m[k].(type) {
		case map[string]any:
			fn(p, k, v)
		case []any:
			for i, e := range v {
				if em, ok := e.(map[string]any); ok {
					fn(append(slices.Clone(p), strconv.Itoa(i)), k, em)
				}
			}
		}
		walkKeyed(m[k], p, fn)
	}
}
