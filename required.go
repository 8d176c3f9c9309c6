package versori

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/versori-go/versori/internal/union"
)

// A 2xx answer must hold what its operation promises: the properties the
// spec marks required, which the SDK's models tag `required:"true"` (or
// "present" where the value may be empty).
// Decoding alone cannot tell an absent property from a zero one ({} decodes
// to a zero EndUser without complaint), so checkRequired walks the body's
// tokens against the shape of the type it was decoded into.

// shape is what a JSON value must look like for one Go type.
type shape struct {
	kind    jsontext.Kind // '{' or '[' when the value must be an object or array; 0 for any
	object  bool          // a struct's object: its members are in members, not items
	members []member      // the struct members that matter, in field order
	items   *shape        // the shape of an array's items, or a map's values
}

// member is a struct member the check cares about: a required one, or one
// whose value has a shape of its own. A model has a handful, so checkObject
// finds a name by scanning them, which costs less than hashing it.
type member struct {
	name  string // quoted, as the name appears in a document without escapes
	tag   string // the name, unquoted
	req   int    // its place among the struct's required members, or -1
	shape *shape // nil when any value will do
}

var shapes sync.Map // reflect.Type -> *shape

var (
	textUnmarshaler   = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonV1Unmarshaler = reflect.TypeFor[interface{ UnmarshalJSON([]byte) error }]()
)

// shapeOf returns the shape of t, or nil when t constrains nothing.
func shapeOf(t reflect.Type) *shape {
	if s, ok := shapes.Load(t); ok {
		return s.(*shape)
	}
	s := buildShape(t, map[reflect.Type]bool{})
	shapes.Store(t, s)
	return s
}

func buildShape(t reflect.Type, visiting map[reflect.Type]bool) *shape {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if visiting[t] {
		return nil // a recursive type: check one level
	}
	if pt := reflect.PointerTo(t); pt.Implements(textUnmarshaler) || pt.Implements(jsonV1Unmarshaler) {
		return nil // a value that decodes itself, such as a time.Time or a Secret
	}
	visiting[t] = true
	defer delete(visiting, t)
	switch t.Kind() {
	case reflect.Struct:
		s := &shape{kind: '{', object: true}
		addFields(s, t, visiting, new(int))
		return s
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return nil // bytes: raw JSON or base64
		}
		return &shape{kind: '[', items: buildShape(t.Elem(), visiting)}
	case reflect.Map:
		return &shape{kind: '{', items: buildShape(t.Elem(), visiting)}
	}
	return nil
}

// addFields adds the fields of struct t to s, descending into embedded
// structs as JSON does.
func addFields(s *shape, t reflect.Type, visiting map[reflect.Type]bool, nreq *int) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			addFields(s, ft, visiting, nreq)
			continue
		}
		if name == "" {
			name = f.Name
		}
		// "present" marks a property that must be there but may be empty.
		r := f.Tag.Get("required")
		required := r == "true" || r == "present"
		child := buildShape(ft, visiting)
		if !required && child == nil {
			continue
		}
		m := member{tag: name, req: -1, shape: child}
		if required {
			m.req, *nreq = *nreq, *nreq+1
		}
		quoted, _ := jsontext.AppendQuote(nil, name)
		m.name = string(quoted)
		s.members = append(s.members, m)
	}
}

// errMissing is wrapped by the error for an answer lacking a required
// property or of the wrong kind.
var errMissing = errors.New("not what the operation promises")

// checkRequired reports the first place where body, a whole JSON document,
// does not have the shape of out's type.
func checkRequired(body []byte, out any) error {
	s := shapeOf(reflect.TypeOf(out))
	if s == nil {
		return nil
	}
	return union.WithDecoder(body, readOptions, s.check)
}

func (s *shape) check(dec *jsontext.Decoder) error {
	if s == nil {
		return dec.SkipValue()
	}
	kind := dec.PeekKind()
	if s.kind != 0 && kind != s.kind {
		return fmt.Errorf("%w: want a JSON %s at %q, got %s", errMissing, union.KindName(s.kind), where(dec), union.KindName(kind))
	}
	switch kind {
	case '{':
		return s.checkObject(dec)
	case '[':
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		for dec.PeekKind() != ']' {
			if err := s.items.check(dec); err != nil {
				return err
			}
		}
		_, err := dec.ReadToken()
		return err
	}
	return dec.SkipValue()
}

func (s *shape) checkObject(dec *jsontext.Decoder) error {
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	var found uint64 // bit i: the required member i was present (models have far fewer than 64)
	members := 0
	for dec.PeekKind() != '}' {
		members++
		name, err := dec.ReadValue()
		if err != nil {
			return err
		}
		if bytes.IndexByte(name, '\\') >= 0 { // an escaped name: compare it unescaped
			if u, err := jsontext.AppendUnquote(nil, name); err == nil {
				name, _ = jsontext.AppendQuote(nil, u)
			}
		}
		isNull := dec.PeekKind() == 'n'
		child := s.items // a map's values
		if s.object {
			child = nil
			for _, m := range s.members {
				if m.name != string(name) {
					continue
				}
				if m.req >= 0 && !isNull {
					found |= 1 << m.req // a required property that is null counts as missing
				}
				if m.shape != nil {
					child = m.shape // the last field of that name with a shape
				}
			}
		}
		if isNull {
			child = nil // an optional member may be null
		}
		if err := child.check(dec); err != nil {
			return err
		}
	}
	for _, m := range s.members {
		if m.req >= 0 && found&(1<<m.req) == 0 {
			return fmt.Errorf("%w: required property %q missing at %q", errMissing, m.tag, objectAt(dec, members))
		}
	}
	_, err := dec.ReadToken()
	return err
}

// objectAt returns the JSON pointer of the object the decoder is in, after
// members of its members: the decoder's position names the last of them.
// It runs only for an error: a pointer costs allocations.
func objectAt(dec *jsontext.Decoder, members int) string {
	p := dec.StackPointer()
	if members > 0 {
		p = p.Parent()
	}
	if p == "" {
		return "/"
	}
	return string(p)
}

// where returns the JSON pointer of the decoder's position, "/" at the top.
func where(dec *jsontext.Decoder) string {
	if p := string(dec.StackPointer()); p != "" {
		return p
	}
	return "/"
}
