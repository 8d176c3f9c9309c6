package versoritest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/oklog/ulid/v2"
)

// object is a decoded JSON object. Bodies are validated as generic JSON rather than
// unmarshalled into structs so that absent, null and wrongly typed fields can each be
// reported by their JSON path, as the real API does.
type object = map[string]any

// decodeObject reads a JSON object body. The body has already been size-limited by
// ServeHTTP.
func decodeObject(r *http.Request) (object, *apiError) {
	v, e := decodeJSON(r)
	if e != nil {
		return nil, e
	}
	m, ok := v.(object)
	if !ok {
		return nil, newError(http.StatusBadRequest, "request body must be a JSON object")
	}
	return m, nil
}

func decodeJSON(r *http.Request) (any, *apiError) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, newError(http.StatusBadRequest, "reading request body: %v", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, newError(http.StatusBadRequest, "request body is required")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // keep numbers in dynamic variables exactly as sent
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, newError(http.StatusBadRequest, "request body is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, newError(http.StatusBadRequest, "request body is not valid JSON: data after the top-level value")
	}
	return v, nil
}

// validator collects every field error of a request so one 400 can name them all.
type validator struct {
	bad  *apiError // the body is not a JSON object (validateBody): the one error to report
	errs []fieldError
}

// validateBody decodes r's body, a JSON object, and returns a validator to check its
// fields with. A body that is not a JSON object decodes as nil, every field of which is
// absent, and err then reports the body alone, not the fields found missing.
func validateBody(r *http.Request) (*validator, object) {
	body, e := decodeObject(r)
	return &validator{bad: e}, body
}

func (v *validator) add(field, format string, args ...any) {
	v.errs = append(v.errs, fieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) err() *apiError {
	switch {
	case v.bad != nil:
		return v.bad
	case len(v.errs) > 0:
		return validationError(v.errs)
	}
	return nil
}

// join builds a JSON path: join("a", "b") is "a.b"; join("", "b") is "b".
func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// get returns m[key] treating JSON null as absent.
func get(m object, key string) (any, bool) {
	x, ok := m[key]
	if !ok || x == nil {
		return nil, false
	}
	return x, true
}

// hasAny reports whether m has any of keys (JSON null counting as absent).
func hasAny(m object, keys ...string) bool {
	for _, k := range keys {
		if _, ok := get(m, k); ok {
			return true
		}
	}
	return false
}

// field reads m[key] as a T. Absent (or null) is an error only if required; any other
// type is one, named by what ("a string").
func field[T any](v *validator, m object, key, path string, required bool, what string) (T, bool) {
	var zero T
	x, ok := get(m, key)
	if !ok {
		if required {
			v.add(path, "is required")
		}
		return zero, false
	}
	t, isT := x.(T)
	if !isT {
		v.add(path, "must be %s", what)
		return zero, false
	}
	return t, true
}

func (v *validator) str(m object, key, path string, required bool) (string, bool) {
	return field[string](v, m, key, path, required, "a string")
}

func (v *validator) boolean(m object, key, path string) (bool, bool) {
	return field[bool](v, m, key, path, false, "a boolean")
}

func (v *validator) obj(m object, key, path string, required bool) (object, bool) {
	return field[object](v, m, key, path, required, "an object")
}

func (v *validator) arr(m object, key, path string, required bool) ([]any, bool) {
	return field[[]any](v, m, key, path, required, "an array")
}

// checked reads a string field that valid must accept, else it adds message.
func (v *validator) checked(m object, key, path string, required bool, valid func(string) bool, message string) (string, bool) {
	s, ok := v.str(m, key, path, required)
	if ok && !valid(s) {
		v.add(path, "%s", message)
		return "", false
	}
	return s, ok
}

// nonEmpty validates a string field that must not be empty or blank.
func (v *validator) nonEmpty(m object, key, path string, required bool) (string, bool) {
	return v.checked(m, key, path, required, func(s string) bool { return strings.TrimSpace(s) != "" }, "must not be empty")
}

func (v *validator) ulidField(m object, key, path string, required bool) (string, bool) {
	return v.checked(m, key, path, required, isULID, "must be a ULID")
}

func (v *validator) enum(m object, key, path string, required bool, allowed ...string) (string, bool) {
	return v.checked(m, key, path, required, func(s string) bool { return slices.Contains(allowed, s) },
		"must be one of "+strings.Join(allowed, ", "))
}

// absURL validates a `format: uri` field: it must be an absolute URL, since a validator
// asserting formats rejects anything else (including "").
func (v *validator) absURL(m object, key, path string, required bool) (string, bool) {
	return v.checked(m, key, path, required, isAbsURL, "must be an absolute URL")
}

// absURLOrEmpty is absURL that also accepts "": the authorizeUrl of the client_credentials
// grant, which has no authorize step. The spec's prose says to send "" there although the
// field is `format: uri`, so a format-asserting validator rejects such a body.
func (v *validator) absURLOrEmpty(m object, key, path string, required bool) (string, bool) {
	return v.checked(m, key, path, required, func(s string) bool { return s == "" || isAbsURL(s) }, "must be an absolute URL")
}

// objects checks the array m[key] item by item: each must be an object, which check
// validates at its own path, path[i].
func (v *validator) objects(m object, key, path string, required bool, check func(item object, at string)) {
	items, _ := v.arr(m, key, path, required)
	v.eachObject(items, path, check)
}

// eachObject is objects for an array already read.
func (v *validator) eachObject(items []any, path string, check func(item object, at string)) {
	for i, x := range items {
		at := index(path, i)
		if item, ok := x.(object); ok {
			check(item, at)
		} else {
			v.add(at, "must be an object")
		}
	}
}

// strings validates an array of strings.
func (v *validator) strs(m object, key, path string, required bool) ([]string, bool) {
	a, ok := v.arr(m, key, path, required)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(a))
	good := true
	for i, x := range a {
		s, isStr := x.(string)
		if !isStr {
			v.add(index(path, i), "must be a string")
			good = false
			continue
		}
		out = append(out, s)
	}
	return out, good
}

func isULID(s string) bool {
	_, err := ulid.ParseStrict(s)
	return err == nil
}

func isAbsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "")
}

// deepCopy clones decoded JSON so stored state never aliases a request body or a response.
func deepCopy(x any) any { return copyJSON(x, nil) }

// copyJSON clones decoded JSON. Where swap (if not nil) says so for an object member, at
// any depth, the copy holds the value swap returns instead: that is how secrets are
// redacted.
func copyJSON(x any, swap func(key string, v any) (any, bool)) any {
	switch t := x.(type) {
	case object:
		out := make(object, len(t))
		for k, v := range t {
			if s, ok := swapped(swap, k, v); ok {
				out[k] = s
			} else {
				out[k] = copyJSON(v, swap)
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, v := range t {
			out[i] = copyJSON(v, swap)
		}
		return out
	default:
		return t
	}
}

func swapped(swap func(key string, v any) (any, bool), k string, v any) (any, bool) {
	if swap == nil {
		return nil, false
	}
	return swap(k, v)
}

// keepOnly returns a deep copy of m's given keys, leaving out every other.
func keepOnly(m object, keys ...string) object {
	out := object{}
	for _, k := range keys {
		if x, ok := m[k]; ok {
			out[k] = deepCopy(x)
		}
	}
	return out
}

// asString returns x if it is a string, else "".
func asString(x any) string {
	s, _ := x.(string)
	return s
}

func copyObject(m object) object {
	if m == nil {
		return object{}
	}
	return deepCopy(m).(object)
}
