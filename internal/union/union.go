// Package union is the machinery behind the SDK's sealed unions: a table from
// a discriminator value to the Go type of its variant, and the one generic
// decode that picks the variant. Both API packages use it, so each union is a
// table rather than a switch written out case by case.
//
// A union is an interface whose one unexported method each variant
// implements by returning its own discriminator: the value a variant is sent
// as is declared beside it, a variant cannot be added without one, and a
// table is built from the variants.
package union

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Variant is one row of a Table: a variant's discriminator value, the object
// member it is keyed by in keyed unions ("" otherwise), and its Go type.
type Variant struct {
	Tag  string
	Key  string
	Type reflect.Type
}

// Table maps discriminators to the variants of the union interface I, and
// back. It is built once, at package initialisation, and only read after.
type Table[I any] struct {
	name   string // the union's name in errors, such as "auth scheme"
	byTag  map[string]Variant
	byKey  map[string]Variant
	byType map[reflect.Type]Variant
}

// New returns the table of the union I, called name in errors, from its
// variants, given as zero values; tag is the union's method that gives a
// variant's discriminator (such as AuthScheme.schemeType). A variant the SDK
// keeps for an unknown discriminator is not listed: a table holds the
// variants it can decode.
func New[I any, K ~string](name string, tag func(I) K, variants ...I) *Table[I] {
	t := newTable[I](name)
	for _, v := range variants {
		t.add(Variant{Tag: string(tag(v)), Type: reflect.TypeOf(v)})
	}
	return t
}

// NewKeyed is New for a keyed union, whose variants' JSON sits under an
// object member: members maps each member's name to its variant.
func NewKeyed[I any, K ~string](name string, tag func(I) K, members map[string]I) *Table[I] {
	t := newTable[I](name)
	for key, v := range members {
		t.add(Variant{Tag: string(tag(v)), Key: key, Type: reflect.TypeOf(v)})
	}
	return t
}

func newTable[I any](name string) *Table[I] {
	return &Table[I]{name: name, byTag: map[string]Variant{}, byKey: map[string]Variant{}, byType: map[reflect.Type]Variant{}}
}

func (t *Table[I]) add(row Variant) {
	t.byTag[row.Tag] = row
	t.byType[row.Type] = row
	if row.Key != "" {
		t.byKey[row.Key] = row
	}
}

// Lookup returns the row of v's dynamic type (or of the type it points to);
// ok is false for a type the table does not hold (an unknown variant, or nil).
func (t *Table[I]) Lookup(v I) (Variant, bool) {
	rt := reflect.TypeOf(v)
	if rt != nil && rt.Kind() == reflect.Pointer {
		rt = rt.Elem()
	}
	row, ok := t.byType[rt]
	return row, ok
}

// Deref returns the variant v points to, when it is a non-nil pointer to a
// variant, and v otherwise: variants are values, but their methods make
// pointers to them implement the union too.
func Deref[I any](v I) I {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		if e, ok := rv.Elem().Interface().(I); ok {
			return e
		}
	}
	return v
}

// TagOf returns the discriminator of the variant v is or points to, as the
// union's method tag gives it, or "" for nil.
func TagOf[I any, K ~string](v I, tag func(I) K) K {
	if IsNil(v) {
		return ""
	}
	return tag(Deref(v))
}

// ByTag returns the row of a discriminator value.
func (t *Table[I]) ByTag(tag string) (Variant, bool) {
	row, ok := t.byTag[tag]
	return row, ok
}

// ByKey returns the row of a keyed union's member name.
func (t *Table[I]) ByKey(key string) (Variant, bool) {
	row, ok := t.byKey[key]
	return row, ok
}

// DecodeTag decodes raw, the JSON of the variant whose discriminator is tag,
// into that variant; an error names the variant, such as "hmac auth scheme".
// A tag the table lacks gives unknown(), the variant that keeps the JSON as
// it came, so that a variant newer than the SDK never breaks a caller.
func (t *Table[I]) DecodeTag(tag string, raw []byte, opts json.Options, unknown func() I) (I, error) {
	row, ok := t.byTag[tag]
	if !ok {
		return unknown(), nil
	}
	v, err := Decode[I](row, raw, opts)
	if err != nil {
		return v, fmt.Errorf("%s %s: %w", tag, t.name, err)
	}
	return v, nil
}

// Decode decodes raw, the JSON of one variant, into a new value of row's
// type. Empty raw (an absent member) decodes to the type's zero value.
func Decode[I any](row Variant, raw []byte, opts json.Options) (I, error) {
	p := reflect.New(row.Type)
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, p.Interface(), opts); err != nil {
			var zero I
			return zero, err
		}
	}
	return p.Elem().Interface().(I), nil
}

// IsNil reports whether v is nil or holds a nil pointer, map, slice, func or
// interface: a value that cannot be encoded as a variant.
func IsNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Interface, reflect.Chan:
		return rv.IsNil()
	}
	return false
}

// EncodeFlat writes head's members and then variant's as one object, as a
// flattened union is sent: the discriminator among the variant's own
// members. Both must be structs without JSON methods, and no JSON name may
// be in both; the encoder's options (the request encoding's, which reveal
// secrets) apply to both.
//
// It encodes one value, a struct that embeds both (see flatType), so that
// each member is encoded once, straight into enc: marshalling the two parts
// apart and splicing their objects costs two buffers and a second parse.
func EncodeFlat(enc *jsontext.Encoder, head, variant any) error {
	t, err := flatType(reflect.TypeOf(head), reflect.TypeOf(variant))
	if err != nil {
		return err
	}
	p := reflect.New(t)
	p.Elem().Field(0).Set(reflect.ValueOf(head))
	p.Elem().Field(1).Set(reflect.ValueOf(variant))
	return json.MarshalEncode(enc, p.Interface())
}

// DecodeFlat decodes raw, one object holding head's members and a variant's
// (as EncodeFlat writes them), in one pass: into *head, a pointer to a
// struct, and into a new value of the type variant, which it returns. Both
// must be structs without JSON methods and share no JSON name. Empty raw (an
// absent member) leaves both zero.
func DecodeFlat(raw []byte, head any, variant reflect.Type, opts json.Options) (any, error) {
	hp := reflect.ValueOf(head)
	t, err := flatType(hp.Type().Elem(), variant)
	if err != nil {
		return nil, err
	}
	p := reflect.New(t)
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, p.Interface(), opts); err != nil {
			return nil, err
		}
	}
	hp.Elem().Set(p.Elem().Field(0))
	return p.Elem().Field(1).Interface(), nil
}

// DecodeKeyed decodes raw, a keyed union's object {row.Key: value}, into a
// new value of row's type, reading the object once. A member under any other
// name is an error: a keyed variant's data has one member, its key. Where the
// key is repeated the last value counts, as a repeated name decodes; no
// member at all, or empty raw (no object), decodes to the type's zero value.
func DecodeKeyed[I any](raw []byte, row Variant, opts json.Options) (I, error) {
	p := reflect.New(row.Type)
	if len(raw) == 0 {
		return p.Elem().Interface().(I), nil
	}
	err := WithDecoder(raw, lenient, func(dec *jsontext.Decoder) error {
		return eachMember(dec, func(name []byte) error {
			if string(name) != row.Key {
				return fmt.Errorf("has data under %q, not %q", name, row.Key)
			}
			p.Elem().SetZero()
			return json.UnmarshalDecode(dec, p.Interface(), opts)
		})
	})
	if err != nil {
		var zero I
		return zero, err
	}
	return p.Elem().Interface().(I), nil
}

// flatPair is a flatTypes key: the types of a head and a variant.
type flatPair struct{ head, variant reflect.Type }

// flatResult is a flatTypes value: the type of struct{Head; Variant} with
// both embedded, or why there is none.
type flatResult struct {
	t   reflect.Type
	err error
}

// flatTypes holds flatType's answers: there is one per variant of each
// union, made once.
var flatTypes sync.Map // flatPair → flatResult

// flatType returns struct{Head H `json:",embed"`; Variant V `json:",embed"`},
// whose members are H's and then V's. The JSON package resolves a name in
// both by dropping it, silently, so a clash is refused here.
func flatType(h, v reflect.Type) (reflect.Type, error) {
	key := flatPair{h, v}
	if r, ok := flatTypes.Load(key); ok {
		return r.(flatResult).t, r.(flatResult).err
	}
	var r flatResult
	switch {
	case !embeddable(h) || !embeddable(v):
		r.err = fmt.Errorf("union: a flattened union's parts must be structs without JSON methods, not %v and %v", h, v)
	default:
		names := map[string]bool{}
		jsonNames(h, func(name string) { names[name] = true })
		jsonNames(v, func(name string) {
			if names[name] && r.err == nil {
				r.err = fmt.Errorf("union: %v and %v both have a member %q", h, v, name)
			}
		})
		if r.err == nil {
			r.t = reflect.StructOf([]reflect.StructField{
				{Name: "Head", Type: h, Tag: `json:",embed"`},
				{Name: "Variant", Type: v, Tag: `json:",embed"`},
			})
		}
	}
	flatTypes.Store(key, r)
	return r.t, r.err
}

// jsonMethods are the interfaces that give a type its own JSON encoding.
var jsonMethods = []reflect.Type{
	reflect.TypeFor[json.Marshaler](), reflect.TypeFor[json.MarshalerTo](),
	reflect.TypeFor[json.Unmarshaler](), reflect.TypeFor[json.UnmarshalerFrom](),
}

// embeddable reports whether t is a struct the JSON package can embed: one
// without JSON methods (on it or its pointer).
func embeddable(t reflect.Type) bool {
	if t == nil || t.Kind() != reflect.Struct {
		return false
	}
	for _, m := range jsonMethods {
		if t.Implements(m) || reflect.PointerTo(t).Implements(m) {
			return false
		}
	}
	return true
}

// jsonNames calls f with the JSON name of each field of the struct t that
// is encoded, looking into embedded structs without a name of their own.
func jsonNames(t reflect.Type, f func(string)) {
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		switch {
		case tag == "-":
		case sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct,
			strings.Contains(","+opts+",", ",embed,") && sf.Type.Kind() == reflect.Struct:
			jsonNames(sf.Type, f)
		case !sf.IsExported():
		case name != "":
			f(name)
		default:
			f(sf.Name)
		}
	}
}

// MissingRequired returns the JSON name of the first field of v, a struct or
// a pointer to one, that is tagged `required:"true"` and is a string or a
// secret (anything with a Reveal() string method) left empty or blank, or ""
// when there is none: a variant's required values must be sent.
func MissingRequired(v any) string {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return ""
	}
	for _, f := range requiredFieldsOf(rv.Type()) {
		var value string
		if fv := rv.Field(f.index); f.secret {
			value = fv.Interface().(interface{ Reveal() string }).Reveal() // a versori.Secret
		} else {
			value = fv.String()
		}
		if strings.TrimSpace(value) == "" {
			return f.name
		}
	}
	return ""
}

// requiredField is a field MissingRequired checks: a string, or a secret.
type requiredField struct {
	index  int
	name   string // its JSON name
	secret bool
}

// requiredFields holds requiredFieldsOf's answers, by struct type: reading
// the tags of every field on every call costs more than the check.
var requiredFields sync.Map // reflect.Type → []requiredField

// requiredFieldsOf returns the fields of the struct t that MissingRequired
// checks, in order.
func requiredFieldsOf(t reflect.Type) []requiredField {
	if fs, ok := requiredFields.Load(t); ok {
		return fs.([]requiredField)
	}
	var fs []requiredField
	revealer := reflect.TypeFor[interface{ Reveal() string }]()
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Tag.Get("required") != "true" {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case f.Type.Kind() == reflect.String:
			fs = append(fs, requiredField{i, name, false})
		case f.IsExported() && f.Type.Kind() != reflect.Interface && f.Type.Implements(revealer):
			fs = append(fs, requiredField{i, name, true})
		}
	}
	requiredFields.Store(t, fs)
	return fs
}

// Keyed is one member of a keyed union's object, {Key: Value}: the data of a
// Platform credential ({"basicAuth": {...}}) or the config of an auth scheme.
// It writes its tokens itself, without the map a generic encoding would need.
type Keyed struct {
	Key   string
	Value any
}

// MarshalJSONTo writes {"<Key>": Value}.
func (k Keyed) MarshalJSONTo(enc *jsontext.Encoder) error {
	if err := enc.WriteToken(jsontext.BeginObject); err != nil {
		return err
	}
	if err := enc.WriteToken(jsontext.String(k.Key)); err != nil {
		return err
	}
	if err := json.MarshalEncode(enc, k.Value); err != nil {
		return err
	}
	return enc.WriteToken(jsontext.EndObject)
}

// Members calls f with the name and value of each member of raw, a JSON
// object that a decoder has read (so valid), in order, and stops at f's
// first error. A keyed union finds its variant's member this way: reading
// the object into a map would allocate the map and a copy of every value,
// on every decode of every union. name (unquoted) and value alias raw, or
// name a copy when it was escaped.
func Members(raw []byte, f func(name []byte, value jsontext.Value) error) error {
	return WithDecoder(raw, lenient, func(dec *jsontext.Decoder) error {
		return eachMember(dec, func(name []byte) error {
			value, err := dec.ReadValue()
			if err != nil {
				return err
			}
			return f(name, value)
		})
	})
}

// eachMember reads the object dec is at, calling f with each member's name
// (unquoted; a copy when it was escaped, else valid until the next read) for
// f to read its value, and stops at f's first error.
func eachMember(dec *jsontext.Decoder, f func(name []byte) error) error {
	if tok, err := dec.ReadToken(); err != nil {
		return err
	} else if tok.Kind() != '{' {
		return fmt.Errorf("want a JSON object, got a JSON %s", KindName(tok.Kind()))
	}
	for dec.PeekKind() == '"' {
		quoted, err := dec.ReadValue()
		if err != nil {
			return err
		}
		name := quoted[1 : len(quoted)-1]
		if bytes.IndexByte(name, '\\') >= 0 { // an escaped name: compare it unescaped
			if name, err = jsontext.AppendUnquote(nil, quoted); err != nil {
				return err
			}
		}
		if err := f(name); err != nil {
			return err
		}
	}
	_, err := dec.ReadToken()
	return err
}

// lenient are the options of Members' decoder: raw was read, and checked, by
// a decoder with the caller's options, which this one must not be stricter
// than. (The caller's own options cannot be passed on: they carry the state
// of the call the caller is in.)
var lenient = json.JoinOptions(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))

// WithDecoder calls f with a decoder reading raw in place, with opts, from a pool:
// a jsontext.Decoder is large, and the SDK reads every answer, and every
// keyed union in it, a second time (Members, and the root package's check
// of required properties). The decoder goes back to the pool holding
// nothing of raw.
func WithDecoder(raw []byte, opts jsontext.Options, f func(*jsontext.Decoder) error) error {
	r := readers.Get().(*reader)
	r.buf = *bytes.NewBuffer(raw)
	r.dec.Reset(&r.buf, opts)
	err := f(&r.dec)
	r.buf = bytes.Buffer{}
	r.dec.Reset(&r.buf)
	readers.Put(r)
	return err
}

// reader is a pooled decoder over a bytes.Buffer, which it reads in place.
type reader struct {
	buf bytes.Buffer
	dec jsontext.Decoder
}

var readers = sync.Pool{New: func() any { return new(reader) }}

// KindName names the kind of a JSON value, in errors.
func KindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "string"
	case '0':
		return "number"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	case '[':
		return "array"
	case '{':
		return "object"
	}
	return "value"
}
