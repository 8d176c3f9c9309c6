// Package param styles a call's path and query parameters as the specs say,
// for both API packages; each turns a refused value into its
// *versori.ValidationError naming the field.
package param

import (
	"net/url"
	"strconv"
	"strings"
)

// Segment returns value escaped as one path segment (the spec's "simple"
// style), or why it cannot be one: empty or blank, or a dot segment that URL
// normalisation would resolve away to another resource.
func Segment(value string) (escaped, problem string) {
	switch strings.TrimSpace(value) {
	case "":
		return "", "is required"
	}
	switch value {
	case ".", "..":
		return "", "must not be " + strconv.Quote(value)
	}
	return url.PathEscape(value), ""
}

// Query builds a query string in form style, the spec's style for every
// query parameter: name=value, and an array comma-joined (explode: false).
// Every parameter the APIs take is a string, integer, boolean or array of
// strings, for which url.QueryEscape is exactly that style.
type Query struct{ b strings.Builder }

// Add appends name=value when value is not empty.
func (q *Query) Add(name, value string) {
	if value != "" {
		q.sep(name)
		q.b.WriteString(url.QueryEscape(value))
	}
}

// AddInt appends name=n when n is not 0.
func (q *Query) AddInt(name string, n int) {
	if n != 0 {
		q.Add(name, strconv.Itoa(n))
	}
}

// AddBool appends name=true or name=false when b is set.
func (q *Query) AddBool(name string, b *bool) {
	if b != nil {
		q.Add(name, strconv.FormatBool(*b))
	}
}

// AddList appends name=v1,v2 when values is not empty.
func (q *Query) AddList(name string, values []string) {
	if len(values) == 0 {
		return
	}
	q.sep(name)
	for i, v := range values {
		if i > 0 {
			q.b.WriteByte(',')
		}
		q.b.WriteString(url.QueryEscape(v))
	}
}

func (q *Query) sep(name string) {
	if q.b.Len() > 0 {
		q.b.WriteByte('&')
	}
	q.b.WriteString(name)
	q.b.WriteByte('=')
}

// String returns the encoded query, without "?".
func (q *Query) String() string { return q.b.String() }

// PageCap is the capacity to give a page's items before decoding into them
// (the decoder appends to what is there): the page size asked for, or the
// APIs' default of 20, at most 1000. It spares the decoder growing the slice
// one doubling at a time.
func PageCap(first int) int {
	switch {
	case first <= 0:
		return 20
	case first > 1000:
		return 1000
	}
	return first
}
