package versoritest

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// mergeVariables applies a patch to variables as a JSON merge patch would: a null value
// deletes its variable, anything else sets it.
func mergeVariables(vars, patch object) object {
	out := copyObject(vars)
	for k, x := range patch {
		if x == nil {
			delete(out, k)
		} else {
			out[k] = deepCopy(x)
		}
	}
	return out
}

// checkVariables validates variables against the schema of the environment's project.
func (f *Fake) checkVariables(env *pEnvironment, vars object) *apiError {
	var v validator
	checkSchema(&v, f.st.platform.projects[env.projectID].variablesSchema, vars, "")
	return v.err()
}

// setActivationVariables checks vars and stores them as the activation's.
func (f *Fake) setActivationVariables(a *pActivation, vars object) (int, any, *apiError) {
	if e := f.checkVariables(f.st.platform.environments[a.envID], vars); e != nil {
		return 0, nil, e
	}
	a.variables = vars
	a.updatedAt = f.now()
	return http.StatusOK, copyObject(vars), nil
}

// pSetDynamicVariables merges the body into the activation's dynamic variables.
func (f *Fake) pSetDynamicVariables(r *http.Request, a *pActivation) (int, any, *apiError) {
	body, e := decodeObject(r)
	if e != nil {
		return 0, nil, e
	}
	return f.setActivationVariables(a, mergeVariables(a.variables, body))
}

// pSetDynamicVariable sets one variable to {value}, which may be any JSON but null.
func (f *Fake) pSetDynamicVariable(r *http.Request, a *pActivation) (int, any, *apiError) {
	body, e := decodeObject(r)
	if e != nil {
		return 0, nil, e
	}
	value, ok := get(body, "value")
	if !ok {
		return 0, nil, badField("value", "is required and must not be null")
	}
	return f.setActivationVariables(a, mergeVariables(a.variables, object{r.PathValue("variable_name"): value}))
}

// pSetStaticUserVariables merges the body into the variables of the environment's static
// activation (the one that runs with its static connections).
func (f *Fake) pSetStaticUserVariables(r *http.Request, env *pEnvironment) (int, any, *apiError) {
	body, e := decodeObject(r)
	if e != nil {
		return 0, nil, e
	}
	vars := mergeVariables(env.staticVariables, body)
	if e := f.checkVariables(env, vars); e != nil {
		return 0, nil, e
	}
	env.staticVariables = vars
	return http.StatusOK, copyObject(vars), nil
}

// checkSchema validates x against a JSON Schema, adding one error per failure at its path.
// It knows the keywords a variables schema uses: type, enum, const, properties, required,
// additionalProperties, items, minItems, maxItems, minLength, maxLength, pattern, minimum,
// maximum, exclusiveMinimum and exclusiveMaximum. Others (allOf, $ref, format, ...) are
// ignored, so the fake accepts what a full validator might refuse. A nil schema accepts
// anything.
func checkSchema(v *validator, schema object, x any, path string) {
	if schema == nil {
		return
	}
	at := path
	if at == "" {
		at = "(root)"
	}
	if types := schemaTypes(schema["type"]); len(types) > 0 && !slices.ContainsFunc(types, func(t string) bool { return isJSONType(x, t) }) {
		v.add(at, "must be of type %s", strings.Join(types, " or "))
		return
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return jsonEqual(e, x) }) {
		v.add(at, "must be one of %s", compactJSON(enum))
	}
	if want, ok := schema["const"]; ok && !jsonEqual(want, x) {
		v.add(at, "must be %s", compactJSON(want))
	}
	switch t := x.(type) {
	case object:
		checkObjectSchema(v, schema, t, path)
	case []any:
		if n, ok := number(schema["minItems"]); ok && float64(len(t)) < n {
			v.add(at, "must have at least %v items", n)
		}
		if n, ok := number(schema["maxItems"]); ok && float64(len(t)) > n {
			v.add(at, "must have at most %v items", n)
		}
		if items, ok := schema["items"].(object); ok {
			for i, e := range t {
				checkSchema(v, items, e, index(path, i))
			}
		}
	case string:
		n := float64(utf8.RuneCountInString(t))
		if lo, ok := number(schema["minLength"]); ok && n < lo {
			v.add(at, "must be at least %v characters", lo)
		}
		if hi, ok := number(schema["maxLength"]); ok && n > hi {
			v.add(at, "must be at most %v characters", hi)
		}
		if p, ok := schema["pattern"].(string); ok {
			if re, err := regexp.Compile(p); err == nil && !re.MatchString(t) {
				v.add(at, "must match %q", p)
			}
		}
	default:
		if n, ok := number(x); ok {
			checkNumberSchema(v, schema, n, at)
		}
	}
}

func checkObjectSchema(v *validator, schema, m object, path string) {
	props, _ := schema["properties"].(object)
	if req, ok := schema["required"].([]any); ok {
		for _, k := range req {
			if name, _ := k.(string); name != "" {
				if _, has := m[name]; !has {
					v.add(join(path, name), "is required")
				}
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if ps, ok := props[k].(object); ok {
			checkSchema(v, ps, m[k], join(path, k))
			continue
		}
		switch ap := schema["additionalProperties"].(type) {
		case bool:
			if !ap {
				v.add(join(path, k), "is not a variable of this project")
			}
		case object:
			checkSchema(v, ap, m[k], join(path, k))
		}
	}
}

func checkNumberSchema(v *validator, schema object, n float64, at string) {
	if lo, ok := number(schema["minimum"]); ok && n < lo {
		v.add(at, "must be at least %v", lo)
	}
	if hi, ok := number(schema["maximum"]); ok && n > hi {
		v.add(at, "must be at most %v", hi)
	}
	if lo, ok := number(schema["exclusiveMinimum"]); ok && n <= lo {
		v.add(at, "must be more than %v", lo)
	}
	if hi, ok := number(schema["exclusiveMaximum"]); ok && n >= hi {
		v.add(at, "must be less than %v", hi)
	}
}

func schemaTypes(t any) []string {
	switch t := t.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func isJSONType(x any, t string) bool {
	switch t {
	case "object":
		_, ok := x.(object)
		return ok
	case "array":
		_, ok := x.([]any)
		return ok
	case "string":
		_, ok := x.(string)
		return ok
	case "boolean":
		_, ok := x.(bool)
		return ok
	case "null":
		return x == nil
	case "number":
		_, ok := number(x)
		return ok
	case "integer":
		n, ok := number(x)
		return ok && n == math.Trunc(n)
	}
	return false
}

// number reads a JSON number: a json.Number from a request body, or a Go number from a
// schema built in Go (the seed's).
func number(x any) (float64, bool) {
	switch n := x.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

func jsonEqual(a, b any) bool {
	if na, ok := number(a); ok {
		nb, ok := number(b)
		return ok && na == nb
	}
	return compactJSON(a) == compactJSON(b)
}

func compactJSON(x any) string {
	b, err := json.Marshal(x)
	if err != nil {
		return fmt.Sprint(x)
	}
	return string(b)
}
