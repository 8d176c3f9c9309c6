package versori

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/oapi-codegen/runtime"
)

// PageInfo is the cursor information of a page of results. Next and Prev are
// opaque cursors for ListOptions.After and ListOptions.Before; an empty Next
// means this is the last page.
type PageInfo struct {
	TotalCount int    `json:"totalCount"`
	Next       string `json:"next,omitempty"`
	Prev       string `json:"prev,omitempty"`
}

// ListOptions selects a page of a list call. The zero value asks for the
// first page at the API's default size (20).
type ListOptions struct {
	First  int    // page size; 0 means the API's default
	After  string // cursor: the page after this one (a PageInfo.Next)
	Before string // cursor: the page before this one (a PageInfo.Prev)
}

func (o ListOptions) validate() error {
	if o.First < 0 {
		return &ValidationError{Field: "first", Reason: "must not be negative"}
	}
	return nil
}

func (o ListOptions) addTo(q *query) {
	if o.First > 0 {
		q.add("first", o.First)
	}
	q.addString("after", o.After)
	q.addString("before", o.Before)
}

// ConnectionVariable is a name/value pair that configures a connector for one connection.
type ConnectionVariable struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// DynamicVariables are an activation's run-time variables, shaped by the
// integration's variables schema.
type DynamicVariables map[string]any

// UserRef identifies an end user by either their external ID (the one your
// system gave them) or their internal Versori ID. Make one with ExternalUser
// or InternalUser; the zero UserRef is invalid.
type UserRef struct {
	id       string
	internal bool
}

// ExternalUser refers to an end user by the external ID your system gave them.
func ExternalUser(id string) UserRef { return UserRef{id: id} }

// InternalUser refers to an end user by the ID Versori assigned.
func InternalUser(id string) UserRef { return UserRef{id: id, internal: true} }

// ID returns the user ID the reference holds.
func (u UserRef) ID() string { return u.id }

// IsInternal reports whether the ID is Versori's internal ID.
func (u UserRef) IsInternal() bool { return u.internal }

// String returns "external:<id>" or "internal:<id>".
func (u UserRef) String() string {
	if u.internal {
		return "internal:" + u.id
	}
	return "external:" + u.id
}

// identifierType is the spec's identifier_type value for u.
func (u UserRef) identifierType() string {
	if u.internal {
		return "internal"
	}
	return "external"
}

// Ptr returns a pointer to v, for the few optional fields where the API must
// tell "not set" from a zero value (such as UpdateHubParams.IsDefault).
func Ptr[T any](v T) *T { return &v }

// segment returns value escaped as one path segment, or a ValidationError
// naming field when it is empty or a dot segment ("." and ".." would be
// resolved away by URL normalisation and reach another resource).
func segment(field, value string) (string, error) {
	switch value {
	case "":
		return "", &ValidationError{Field: field, Reason: "is required"}
	case ".", "..":
		return "", &ValidationError{Field: field, Reason: "must not be " + strconv.Quote(value)}
	}
	// url.PathEscape is the spec's "simple" style for a string path
	// parameter; it returns value itself when nothing needs escaping.
	return url.PathEscape(value), nil
}

// query builds a query string with the spec's parameter styles through
// oapi-codegen's runtime, so arrays and escaping follow OpenAPI rather than
// hand formatting.
type query struct {
	b   strings.Builder
	err error
}

// add appends name=value in form style, exploded (the spec's default).
func (q *query) add(name string, value any) { q.style(name, value, true) }

// addString appends name=value when value is not empty.
func (q *query) addString(name, value string) {
	if value != "" {
		q.style(name, value, true)
	}
}

// addList appends a comma-joined array (form style, explode: false) when values is not empty.
func (q *query) addList(name string, values []string) {
	if len(values) > 0 {
		q.style(name, values, false)
	}
}

func (q *query) style(name string, value any, explode bool) {
	if q.err != nil {
		return
	}
	s, err := runtime.StyleParamWithLocation("form", explode, name, runtime.ParamLocationQuery, value)
	if err != nil {
		q.err = &ValidationError{Field: name, Reason: err.Error()}
		return
	}
	if q.b.Len() > 0 {
		q.b.WriteByte('&')
	}
	q.b.WriteString(s)
}

func (q *query) String() string { return q.b.String() }
