package conformance

import (
	"fmt"
	"slices"

	yaml "go.yaml.in/yaml/v4"
)

// This file is the one place where the Platform and Organisations specs are
// corrected before validating against them. The files in ../shared/versori/
// are never edited: each erratum of PLATFORM.md §10 that affects the 37
// operations of the embedding subset is applied here, to an in-memory copy.
// Every correction first checks that the mistake is still there, so that if
// Versori fixes one, loading fails naming it and its workaround can go.
//
// E1 and E18 make the files invalid OpenAPI 3.1 (other tools refuse them)
// though libopenapi-validator copes; they are corrected all the same. E14 and
// E15 are corrected because the API answers errors and takes JWTs on every
// operation, so exchanges with the fake would otherwise break the spec for no
// fault of the fake's.
//
// E11 (format: ulid) is not a text correction: Validator registers a custom
// "ulid" format (checkULID) for every spec. E2 and E3 trip code generators,
// E13 and E16 no validator, E17 only kin-openapi, and E19-E21 lie outside the
// subset, so none of them is applied.

// erratum is one correction to a spec.
type erratum struct {
	// id is PLATFORM.md §10's number, e.g. "E4".
	id string
	// what says what the spec gets wrong and what the correction does.
	what string
	// fix corrects the document in place, or reports that the mistake is no
	// longer there.
	fix func(doc *yaml.Node) error
}

// platformErrata are the corrections to platform-api.yaml.
var platformErrata = []erratum{
	{"E1", "InitialiseOAuth2ConnectionRequest.additionalParams.examples is a map; JSON Schema wants an array", func(doc *yaml.Node) error {
		n, err := at(doc, "components", "schemas", "InitialiseOAuth2ConnectionRequest", "properties", "additionalParams", "examples")
		if err != nil {
			return err
		}
		if n.Kind != yaml.MappingNode || len(n.Content) < 2 {
			return fmt.Errorf("examples is no longer a map")
		}
		example := n.Content[1]
		if example.Kind == yaml.MappingNode { // {summary, value}
			if v := mapGet(example, "value"); v != nil {
				example = v
			}
		}
		*n = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{example}}
		return nil
	}},
	{"E4", "LinkSystem.required names environment; the property is environmentId", func(doc *yaml.Node) error {
		return replaceRequired(doc, "LinkSystem", "environment", "environmentId")
	}},
	{"E5", "ProjectEnvironment.required names lastDeployedAt, which is not a property", func(doc *yaml.Node) error {
		return replaceRequired(doc, "ProjectEnvironment", "lastDeployedAt", "")
	}},
	{"E6", "the OAuth 2.0 authorizationCode and password grants require grantType, which is not a property", func(doc *yaml.Node) error {
		if err := replaceRequired(doc, "AuthSchemeConfigOAuth2GrantAuthorizationCode", "grantType", ""); err != nil {
			return err
		}
		return replaceRequired(doc, "AuthSchemeConfigOAuth2GrantPassword", "grantType", "")
	}},
	{"E7", "ParameterConfig.required names usage; the property is usages", func(doc *yaml.Node) error {
		return replaceRequired(doc, "ParameterConfig", "usage", "usages")
	}},
	{"E8", "ListEndUsers' environment_id is format uuid; environment IDs are ULIDs", func(doc *yaml.Node) error {
		op, err := operation(doc, "ListEndUsers")
		if err != nil {
			return err
		}
		params := mapGet(op, "parameters")
		for _, p := range seqItems(params) {
			if scalar(mapGet(p, "name")) == "environment_id" {
				return setFormat(mapGet(p, "schema"), "uuid", "ulid")
			}
		}
		return fmt.Errorf("ListEndUsers has no environment_id parameter")
	}},
	{"E9", "AuthSchemeConfigBase.id is format ulid, but IDs are client-chosen names such as my-oauth", func(doc *yaml.Node) error {
		n, err := at(doc, "components", "schemas", "AuthSchemeConfigBase", "properties", "id")
		if err != nil {
			return err
		}
		return setFormat(n, "ulid", "")
	}},
	{"E10", `baseUrl is format uri, but "" ("ignored") and host names without a scheme are documented as valid`, func(doc *yaml.Node) error {
		for _, schema := range []string{"ConnectionCreate", "ConnectionUpdate", "Connection"} {
			n, err := at(doc, "components", "schemas", schema, "properties", "baseUrl")
			if err != nil {
				return err
			}
			if err := setFormat(n, "uri", ""); err != nil {
				return fmt.Errorf("%s: %w", schema, err)
			}
		}
		return nil
	}},
	{"E14", "ActivateUser, GetActivationConnection, ListSystems and ListProjectConnectionTemplates declare no error response, though the API sends Error bodies", func(doc *yaml.Node) error {
		for _, id := range []string{"ActivateUser", "GetActivationConnection", "ListSystems", "ListProjectConnectionTemplates"} {
			op, err := operation(doc, id)
			if err != nil {
				return err
			}
			responses := mapGet(op, "responses")
			if mapGet(responses, "default") != nil {
				return fmt.Errorf("%s now declares a default response", id)
			}
			var def yaml.Node
			if err := yaml.Unmarshal([]byte(`{description: Error, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}`), &def); err != nil {
				return err
			}
			responses.Content = append(responses.Content, str("default"), def.Content[0])
		}
		return nil
	}},
	{"E15", "the signing-key JWT scheme (Authorization: JWT <token>) is not declared", func(doc *yaml.Node) error {
		schemes, err := at(doc, "components", "securitySchemes")
		if err != nil {
			return err
		}
		if mapGet(schemes, "signingKeyJWT") != nil {
			return fmt.Errorf("signingKeyJWT is declared now")
		}
		var scheme yaml.Node
		if err := yaml.Unmarshal([]byte(`{type: http, scheme: JWT, description: "An organisation's or end user's JWT signed with a signing key"}`), &scheme); err != nil {
			return err
		}
		schemes.Content = append(schemes.Content, str("signingKeyJWT"), scheme.Content[0])
		security, err := at(doc, "security")
		if err != nil {
			return err
		}
		requirement := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
			str("signingKeyJWT"), {Kind: yaml.SequenceNode, Tag: "!!seq"},
		}}
		security.Content = append(security.Content, requirement)
		return nil
	}},
}

// organisationsErrata are the corrections to organisations-api-v1.yaml.
var organisationsErrata = []erratum{
	{"E12", "CreateSigningKey and ListSigningKeys declare 204 with a body; the fake answers 201 and 200", func(doc *yaml.Node) error {
		for id, status := range map[string]string{"CreateSigningKey": "201", "ListSigningKeys": "200"} {
			op, err := operation(doc, id)
			if err != nil {
				return err
			}
			key := mapKey(mapGet(op, "responses"), "204")
			if key == nil {
				return fmt.Errorf("%s no longer declares 204", id)
			}
			key.Value = status
		}
		return nil
	}},
	{"E18", "BillingWebhooks has an unquoted status key (200:), which is an integer, not a string", func(doc *yaml.Node) error {
		fixed := 0
		walkNodes(doc, func(parent *yaml.Node, key *yaml.Node) {
			if key.Value == "responses" {
				for _, k := range mapKeys(mapGet(parent, "responses")) {
					if k.Tag == "!!int" {
						k.Tag, k.Style = "!!str", yaml.DoubleQuotedStyle
						fixed++
					}
				}
			}
		})
		if fixed == 0 {
			return fmt.Errorf("no unquoted status keys left")
		}
		return nil
	}},
}

// applyErrata parses spec, applies each erratum, and returns the corrected
// YAML.
func applyErrata(name string, spec []byte, errata []erratum) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(spec, &doc); err != nil {
		return nil, fmt.Errorf("conformance: parse %s: %w", name, err)
	}
	for _, e := range errata {
		if err := e.fix(&doc); err != nil {
			return nil, fmt.Errorf("conformance: %s erratum %s (%s) cannot be applied, has the spec been fixed? %w", name, e.id, e.what, err)
		}
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return nil, fmt.Errorf("conformance: re-encode %s: %w", name, err)
	}
	return out, nil
}

// replaceRequired replaces name in a component schema's required list with
// repl, or removes it when repl is "" (and the list with it if it empties).
func replaceRequired(doc *yaml.Node, schema, name, repl string) error {
	s, err := at(doc, "components", "schemas", schema)
	if err != nil {
		return err
	}
	req := mapGet(s, "required")
	i := slices.IndexFunc(seqItems(req), func(n *yaml.Node) bool { return n.Value == name })
	if i < 0 {
		return fmt.Errorf("%s.required no longer names %s", schema, name)
	}
	if repl != "" {
		req.Content[i].Value = repl
		return nil
	}
	req.Content = slices.Delete(req.Content, i, i+1)
	if len(req.Content) == 0 {
		mapDelete(s, "required")
	}
	return nil
}

// setFormat changes a schema's format from old to repl, or removes it.
func setFormat(schema *yaml.Node, old, repl string) error {
	f := mapGet(schema, "format")
	if f == nil || f.Value != old {
		return fmt.Errorf("format is no longer %s", old)
	}
	if repl == "" {
		mapDelete(schema, "format")
	} else {
		f.Value = repl
	}
	return nil
}

// operation finds the operation with this operationId under paths.
func operation(doc *yaml.Node, id string) (*yaml.Node, error) {
	paths, err := at(doc, "paths")
	if err != nil {
		return nil, err
	}
	for i := 1; i < len(paths.Content); i += 2 {
		item := paths.Content[i]
		for j := 1; j < len(item.Content); j += 2 {
			if scalar(mapGet(item.Content[j], "operationId")) == id {
				return item.Content[j], nil
			}
		}
	}
	return nil, fmt.Errorf("no operation %s", id)
}

// at walks mapping keys from the document root.
func at(doc *yaml.Node, keys ...string) (*yaml.Node, error) {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	for i, k := range keys {
		if n = mapGet(n, k); n == nil {
			return nil, fmt.Errorf("no %v", keys[:i+1])
		}
	}
	return n, nil
}

func mapKey(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return nil
}

func mapGet(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func mapDelete(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = slices.Delete(m.Content, i, i+2)
			return
		}
	}
}

func mapKeys(m *yaml.Node) []*yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	var out []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		out = append(out, m.Content[i])
	}
	return out
}

func seqItems(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// walkNodes calls fn for every key of every mapping under n, with the mapping.
func walkNodes(n *yaml.Node, fn func(parent, key *yaml.Node)) {
	if n == nil {
		return
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			fn(n, n.Content[i])
		}
	}
	for _, c := range n.Content {
		walkNodes(c, fn)
	}
}
