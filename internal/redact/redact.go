// Package redact prints values that hold secrets without the secrets.
//
// A type with secret fields marks them with the struct tag `secret:"true"` and
// implements fmt.Formatter and slog.LogValuer with one-line calls to Format and
// LogValue. Every fmt verb, and both of slog's handlers, then see "[REDACTED]"
// where a secret is set. Non-secret fields print as fmt would print them, so a
// nested value with secrets of its own redacts itself in turn.
package redact

import (
	"fmt"
	"log/slog"
	"reflect"
	"strings"
)

// Mask is what a set secret prints as. An empty secret prints as empty, so a
// reader can still tell "not set" from "set".
const Mask = "[REDACTED]"

// String returns Mask for a non-empty s and "" otherwise.
func String(s string) string {
	if s == "" {
		return ""
	}
	return Mask
}

// Format writes v, a struct (or pointer to one), for the verb as fmt would,
// with every field tagged `secret:"true"` that is not zero replaced by Mask.
func Format(f fmt.State, verb rune, v any) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			fmt.Fprint(f, "<nil>")
			return
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		fmt.Fprint(f, Mask)
		return
	}
	sharp := verb == 'v' && f.Flag('#')
	plus := verb == 'v' && f.Flag('+')
	fieldFormat := "%v"
	switch {
	case sharp:
		fieldFormat = "%#v"
	case plus:
		fieldFormat = "%+v"
	}
	var b strings.Builder
	if sharp {
		b.WriteString(rv.Type().String())
	}
	b.WriteByte('{')
	t := rv.Type()
	first := true
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		if !first {
			if sharp {
				b.WriteString(", ")
			} else {
				b.WriteByte(' ')
			}
		}
		first = false
		if sharp || plus {
			b.WriteString(sf.Name)
			b.WriteByte(':')
		}
		fv := rv.Field(i)
		switch {
		case sf.Tag.Get("secret") == "true" && !fv.IsZero():
			if sharp {
				b.WriteString(`"` + Mask + `"`)
			} else {
				b.WriteString(Mask)
			}
		default:
			fmt.Fprintf(&b, fieldFormat, fv.Interface())
		}
	}
	b.WriteByte('}')
	fmt.Fprint(f, b.String())
}

// LogValue returns v as a slog value with its secrets masked. The value is
// the %+v text of v, so slog's JSON handler never marshals the secret fields
// themselves.
func LogValue(v any) slog.Value {
	return slog.StringValue(fmt.Sprintf("%+v", formatter{v}))
}

// formatter adapts any value to Format, so LogValue can call fmt on a type
// whose own Format would otherwise recurse into LogValue's caller.
type formatter struct{ v any }

func (x formatter) Format(f fmt.State, verb rune) { Format(f, verb, x.v) }
