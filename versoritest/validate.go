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
	errs []fieldError
}

func (v *validator) add(field, format string, args ...any) {
	v.errs = append(v.errs, fieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) ok() bool { return len(v.errs) == 0 }

func (v *validator) err() *apiError {
	if v.ok() {
		return nil
	}
	return validationError(v.errs)
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

// str validates an optional (or required) string field.
func (v *validator) str(m object, key, path string, required bool) (string, bool) {
	x, ok := get(m, key)
	if !ok {
		if required {
			v.add(path, "is required")
		}
		return "", false
	}
	s, isStr := x.(string)
	if !isStr {
		v.add(path, "must be a string")
		return "", false
	}
	return s, true
}

// nonEmpty validates a required, non-empty string field.
func (v *validator) nonEmpty(m object, key, path string) (string, bool) {
	s, ok := v.str(m, key, path, true)
	if ok && strings.TrimSpace(s) == "" {
		v.add(path, "must not be empty")
		return "", false
	}
	return s, ok
}

func (v *validator) ulidField(m object, key, path string, required bool) (string, bool) {
	s, ok := v.str(m, key, path, required)
	if !ok {
		return "", false
	}
	if !isULID(s) {
		v.add(path, "must be a ULID")
		return "", false
	}
	return s, true
}

func (v *validator) enum(m object, key, path string, required bool, allowed ...string) (string, bool) {
	s, ok := v.str(m, key, path, required)
	if !ok {
		return "", false
	}
	if !slices.Contains(allowed, s) {
		v.add(path, "must be one of %s", strings.Join(allowed, ", "))
		return "", false
	}
	return s, true
}

// absURL validates a `format: uri` field: it must be an absolute URL, since a validator
// asserting formats rejects anything else (including "").
func (v *validator) absURL(m object, key, path string, required bool) (string, bool) {
	s, ok := v.str(m, key, path, required)
	if !ok {
		return "", false
	}
	if !isAbsURL(s) {
		v.add(path, "must be an absolute URL")
		return "", false
	}
	return s, true
}

// absURLOrEmpty is absURL that also accepts "": the authorizeUrl of the client_credentials
// grant, which has no authorize step. The spec's prose says to send "" there although the
// field is `format: uri`, so a format-asserting validator rejects such a body.
func (v *validator) absURLOrEmpty(m object, key, path string, required bool) (string, bool) {
	if s, ok := m[key].(string); ok && s == "" {
		return "", true
	}
	return v.absURL(m, key, path, required)
}

func (v *validator) boolean(m object, key, path string) (bool, bool) {
	x, ok := get(m, key)
	if !ok {
		return false, false
	}
	b, isBool := x.(bool)
	if !isBool {
		v.add(path, "must be a boolean")
		return false, false
	}
	return b, true
}

func (v *validator) obj(m object, key, path string, required bool) (object, bool) {
	x, ok := get(m, key)
	if !ok {
		if required {
			v.add(path, "is required")
		}
		return nil, false
	}
	o, isObj := x.(object)
	if !isObj {
		v.add(path, "must be an object")
		return nil, false
	}
	return o, true
}

func (v *validator) arr(m object, key, path string, required bool) ([]any, bool) {
	x, ok := get(m, key)
	if !ok {
		if required {
			v.add(path, "is required")
		}
		return nil, false
	}
	a, isArr := x.([]any)
	if !isArr {
		v.add(path, "must be an array")
		return nil, false
	}
	return a, true
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
func deepCopy(x any) any {
	switch t := x.(type) {
	case object:
		out := make(object, len(t))
		for k, v := range t {
			out[k] = deepCopy(v)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, v := range t {
			out[i] = deepCopy(v)
		}
		return out
	default:
		return t
	}
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
