package conformance

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// The spec's credential `data` is a oneOf that ignores the credential's
// `type`, so `{"type": "string", "data": {}}` validates (the empty object is
// CredentialDataNone) although CredentialType says the type "determines what
// the Credential's data property will contain". That is exactly the bug an
// SDK makes when `omitempty` drops a field, so the harness adds one check the
// spec cannot express: a credential's data carries every property that the
// data schema named by its type requires. The required lists are read from
// the spec. This is stricter than the spec, never looser.

// dataSchemaOf maps each credential type to the data schema it names.
// jwt-bearer and custom-function have none in the spec (erratum 2), and
// oauth2-code is only ever sent, but reads back as oauth2-token.
var dataSchemaOf = map[string]string{
	"none":            "CredentialDataNone",
	"string":          "CredentialDataString",
	"binary":          "CredentialDataBinary",
	"basic-auth":      "CredentialDataBasicAuth",
	"oauth2-client":   "CredentialDataOAuth2Client",
	"oauth2-code":     "CredentialDataOAuth2Code",
	"oauth2-token":    "CredentialDataOAuth2Token",
	"oauth2-password": "CredentialDataOAuth2Password",
	"certificate":     "CredentialDataCertificate",
}

// credentialRequirements returns, per credential type, the properties its
// data schema requires; a nil (non-absent) entry means the data must be
// empty (CredentialDataNone has additionalProperties: false).
func credentialRequirements(doc *v3.Document) map[string][]string {
	reqs := make(map[string][]string)
	if doc == nil || doc.Components == nil || doc.Components.Schemas == nil {
		return reqs
	}
	for typ, name := range dataSchemaOf {
		s := doc.Components.Schemas.GetOrZero(name).Schema()
		if s == nil {
			continue
		}
		reqs[typ] = slices.Clone(s.Required)
		if reqs[typ] == nil {
			reqs[typ] = []string{}
		}
	}
	return reqs
}

// checkCredentialTypes finds every credential in doc, the decoded body, and
// reports those whose data lacks what the type requires. Credentials whose data the spec check already
// reported (in reported) are skipped, so one mistake reads as one failure.
func (v *Validator) checkCredentialTypes(doc any, side Side, reported []*verrors.ValidationError) []*verrors.ValidationError {
	if doc == nil {
		return nil
	}
	var seen []string
	for _, e := range reported {
		for _, f := range e.SchemaValidationErrors {
			seen = append(seen, f.FieldPath)
		}
	}
	var fails []*verrors.SchemaValidationFailure
	walkCredentials(doc, nil, func(path []string, typ string, data any) {
		req, ok := v.credReqs[typ]
		if !ok {
			return
		}
		dataPath := append(slices.Clone(path), "data")
		at := jsonPath(dataPath)
		if slices.ContainsFunc(seen, func(p string) bool {
			return p == at || strings.HasPrefix(p, at+".") || strings.HasPrefix(p, at+"[")
		}) {
			return
		}
		obj, ok := data.(map[string]any)
		if !ok {
			return // not an object: the schema's own check reports that
		}
		var reason string
		if typ == "none" && len(obj) > 0 {
			reason = fmt.Sprintf("credential of type %q must have empty data, has %s", typ, keys(obj))
		} else {
			var missing []string
			for _, k := range req {
				if _, ok := obj[k]; !ok {
					missing = append(missing, "'"+k+"'")
				}
			}
			if len(missing) > 0 {
				reason = fmt.Sprintf("credential of type %q: data is missing %s required by %s",
					typ, strings.Join(missing, ", "), dataSchemaOf[typ])
			}
		}
		if reason != "" {
			fails = append(fails, &verrors.SchemaValidationFailure{
				Reason:       reason,
				InstancePath: dataPath,
				FieldName:    "data",
				FieldPath:    at,
			})
		}
	})
	return beyondSpecError(side, fails, "credentialType",
		"body has credential data that does not match its type",
		"CredentialType determines the shape of a credential's data (checked by the conformance harness; the spec's oneOf cannot)")
}

// beyondSpecError wraps the failures of a check the harness adds to the spec
// in one body validation error for side, or returns nil if there are none.
func beyondSpecError(side Side, fails []*verrors.SchemaValidationFailure, subType, message, reason string) []*verrors.ValidationError {
	if len(fails) == 0 {
		return nil
	}
	vt := helpers.RequestBodyValidation
	if side == Response {
		vt = helpers.ResponseBodyValidation
	}
	return []*verrors.ValidationError{{
		ValidationType:         vt,
		ValidationSubType:      subType,
		Message:                string(side) + " " + message,
		Reason:                 reason,
		SchemaValidationErrors: fails,
	}}
}

// walkCredentials calls fn for every credential-shaped object under doc.
func walkCredentials(doc any, path []string, fn func(path []string, typ string, data any)) {
	switch d := doc.(type) {
	case map[string]any:
		if typ, ok := credential(d); ok {
			fn(path, typ, d["data"])
		}
		for _, k := range slices.Sorted(maps.Keys(d)) { // stable messages
			walkCredentials(d[k], append(path, k), fn)
		}
	case []any:
		for i, e := range d {
			walkCredentials(e, append(path, strconv.Itoa(i)), fn)
		}
	}
}

func keys(m map[string]any) string {
	ks := slices.Sorted(maps.Keys(m))
	for i, k := range ks {
		ks[i] = "'" + k + "'"
	}
	return strings.Join(ks, ", ")
}

// jsonPath renders path segments as the validator does: $.a.b[0].c.
func jsonPath(path []string) string {
	var b strings.Builder
	b.WriteString("$")
	for _, s := range path {
		if _, err := strconv.Atoi(s); err == nil {
			b.WriteString("[" + s + "]")
		} else {
			b.WriteString("." + s)
		}
	}
	return b.String()
}
