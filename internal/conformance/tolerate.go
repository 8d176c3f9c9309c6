package conformance

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// This file tolerates the spec errata listed in ../shared/versori/README.md
// ("Errata found when validating against the spec"), and nothing else:
//
//  1. Credential `data` is a oneOf without a discriminator in which
//     CredentialDataBasicAuth and CredentialDataOAuth2Password have the same
//     shape, so a correct basic-auth or oauth2-password credential matches
//     both and the validator reports "'oneOf' failed, subschemas 3, 7
//     matched".
//  2. Credential types jwt-bearer and custom-function have no data schema in
//     that oneOf at all, so their data fails every subschema.
//
// A schema failure is forgiven only when its instance location is a
// credential's `data` (or, for 2, inside it), its schema location is that
// `data` property's oneOf, and the credential object in the body holding that
// `data` has one of exactly the types above. Any other failure in the same
// body, including another credential's, is still reported.

// ambiguousTypes are the credential types whose valid data matches two
// subschemas (erratum 1).
var ambiguousTypes = map[string]bool{"basic-auth": true, "oauth2-password": true}

// unschemaedTypes are the credential types with no data subschema (erratum 2).
var unschemaedTypes = map[string]bool{"jwt-bearer": true, "custom-function": true}

// The two data schemas of erratum 1, as the spec names them.
const (
	basicAuthRef      = "#/components/schemas/CredentialDataBasicAuth"
	oauth2PasswordRef = "#/components/schemas/CredentialDataOAuth2Password"
)

// dataOneOf is the tail of the schema location of every failure inside a
// credential's data oneOf; `data` properties exist only on credentials
// (CredentialCreate and Credential), so it identifies them.
const dataOneOf = "/properties/data/oneOf"

var subschemasMatchedRE = regexp.MustCompile(`^'?oneOf'? failed, subschemas (\d+), (\d+) matched$`)

// ambiguousPairs finds, in the credential schemas' data oneOfs, the subschema
// index pair of CredentialDataBasicAuth and CredentialDataOAuth2Password.
// Reading it from the spec rather than hard-coding 3 and 7 means that if the
// spec reorders the oneOf the tolerance follows, and if it fixes the erratum
// the pair is gone and nothing is tolerated.
func ambiguousPairs(doc *v3.Document) map[[2]int]bool {
	pairs := make(map[[2]int]bool)
	if doc == nil || doc.Components == nil || doc.Components.Schemas == nil {
		return pairs
	}
	for _, name := range []string{"CredentialCreate", "Credential"} {
		s := doc.Components.Schemas.GetOrZero(name).Schema()
		if s == nil || s.Properties == nil {
			continue
		}
		data := s.Properties.GetOrZero("data").Schema()
		if data == nil {
			continue
		}
		basic, password := -1, -1
		for i, sub := range data.OneOf {
			switch refOf(sub) {
			case basicAuthRef:
				basic = i
			case oauth2PasswordRef:
				password = i
			}
		}
		if basic >= 0 && password >= 0 {
			pairs[[2]int{min(basic, password), max(basic, password)}] = true
		}
	}
	return pairs
}

func refOf(p *base.SchemaProxy) string {
	if p == nil || !p.IsReference() {
		return ""
	}
	return p.GetReference()
}

// tolerate drops from errs the schema failures that are spec errata for the
// body decoded as doc, and any error left with no failures.
func (v *Validator) tolerate(errs []*verrors.ValidationError, doc any) []*verrors.ValidationError {
	var out []*verrors.ValidationError
	for _, e := range errs {
		if len(e.SchemaValidationErrors) == 0 {
			out = append(out, e)
			continue
		}
		var kept []*verrors.SchemaValidationFailure
		for _, f := range e.SchemaValidationErrors {
			if isCredentialReference(f, doc) {
				continue
			}
			if !strings.Contains(f.KeywordLocation, dataOneOf) {
				kept = append(kept, f)
				continue
			}
			if !v.isErratum(f, doc) {
				kept = append(kept, f)
			}
		}
		switch {
		case len(kept) == 0:
			// Every failure was an erratum: the body conforms.
		case len(kept) == len(e.SchemaValidationErrors):
			out = append(out, e)
		default:
			c := *e
			c.SchemaValidationErrors = kept
			out = append(out, &c)
		}
	}
	return out
}

// isErratum reports whether failure f, found in the body decoded as doc, is
// one of the two errata.
func (v *Validator) isErratum(f *verrors.SchemaValidationFailure, doc any) bool {
	// The credential's data is at the last "data" segment of the instance
	// path whose parent is a credential-shaped object; deeper segments are
	// inside the data (only possible for erratum 2).
	for k := len(f.InstancePath) - 1; k >= 0; k-- {
		if f.InstancePath[k] != "data" {
			continue
		}
		typ, ok := credentialType(doc, f.InstancePath[:k])
		if !ok {
			continue
		}
		atData := k == len(f.InstancePath)-1
		switch {
		case unschemaedTypes[typ]:
			return true
		case ambiguousTypes[typ]:
			// Only the "two subschemas matched" failure at data itself, and
			// only when the two are the BasicAuth/OAuth2Password pair: data
			// matching, say, String and Binary is a real error.
			if !atData || !strings.HasSuffix(f.KeywordLocation, dataOneOf) {
				return false
			}
			m := subschemasMatchedRE.FindStringSubmatch(f.Reason)
			if m == nil {
				return false
			}
			i, _ := strconv.Atoi(m[1])
			j, _ := strconv.Atoi(m[2])
			return v.ambiguous[[2]int{min(i, j), max(i, j)}]
		default:
			return false
		}
	}
	return false
}

// credentialType walks doc along path and, if it finds a credential there,
// returns its type.
func credentialType(doc any, path []string) (string, bool) {
	obj, ok := walk(doc, path).(map[string]any)
	if !ok {
		return "", false
	}
	return credential(obj)
}

// credential reports whether obj is a credential (CredentialCreate or
// Credential: a string "type", a "name" and a "data"; only credentials have
// "data" in this API) and returns its type.
func credential(obj map[string]any) (typ string, ok bool) {
	typ, isStr := obj["type"].(string)
	_, hasName := obj["name"]
	_, hasData := obj["data"]
	return typ, isStr && hasName && hasData
}

// decodeBody decodes a JSON body, or returns nil if it is not JSON.
func decodeBody(body []byte) any {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var doc any
	if err := d.Decode(&doc); err != nil {
		return nil
	}
	return doc
}

// credentialRequired is the schema location of CredentialCreate's required
// list, as reached from a ConnectionCredentialCreate's credential.
const credentialRequired = "/properties/credential/$ref/required"

// isCredentialReference reports whether f is the one failure a reference to
// an existing credential causes. ConnectionCredentialsCreate's prose says a
// credential may be an InferredReference ({"id": ...}) instead of a
// CredentialCreate, but its schema lists only CredentialCreate (the first of
// the spec's known inconsistencies in ../shared/versori/README.md). So the
// failure is forgiven only when it is CredentialCreate's "required" at a
// `credential` whose object in the body is exactly {"id": "<string>"}.
func isCredentialReference(f *verrors.SchemaValidationFailure, doc any) bool {
	n := len(f.InstancePath)
	if n == 0 || f.InstancePath[n-1] != "credential" || !strings.HasSuffix(f.KeywordLocation, credentialRequired) {
		return false
	}
	obj, ok := walk(doc, f.InstancePath).(map[string]any)
	if !ok || len(obj) != 1 {
		return false
	}
	id, ok := obj["id"].(string)
	return ok && id != ""
}

// walk follows path through decoded JSON, returning nil where it leads nowhere.
func walk(doc any, path []string) any {
	cur := doc
	for _, seg := range path {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[seg]
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}
