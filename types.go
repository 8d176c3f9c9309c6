package versori

import "github.com/versori-go/versori/internal/param"

// PageInfo is the cursor information of a page. Next and Prev are opaque
// cursors for a list's After and Before; an empty Next means the last page.
type PageInfo struct {
	TotalCount int    `json:"totalCount" required:"true"`
	Next       string `json:"next,omitempty"`
	Prev       string `json:"prev,omitempty"`
}

// ConnectionVariable is a name/value pair configuring a connector for one
// connection.
type ConnectionVariable struct {
	Name  string `json:"name" required:"true"`
	Value string `json:"value" required:"true"`
}

// DynamicVariables are an activation's run-time variables, shaped by the
// integration's variables schema.
type DynamicVariables map[string]any

// Message is a validation message the API attaches to an AuthSchemeConfig.
type Message struct {
	Text     string          `json:"text" required:"true"`
	Severity MessageSeverity `json:"severity" required:"true"`
	Detail   []string        `json:"detail,omitempty"`
}

// MessageSeverity is how serious a Message is.
type MessageSeverity string

// The severities of a Message.
const (
	SeverityInfo    MessageSeverity = "info"
	SeverityWarning MessageSeverity = "warning"
	SeverityError   MessageSeverity = "error"
)

// UserRef names an end user by the external ID your system gave them or by
// Versori's internal ID; every call that takes an end user takes a UserRef,
// so the two kinds of ID cannot be confused. Make one with ExternalUser,
// InternalUser or EndUser.Ref; the zero UserRef is refused.
type UserRef struct {
	id       string
	internal bool
}

// ExternalUser names an end user by the external ID your system gave them.
func ExternalUser(id string) UserRef { return UserRef{id: id} }

// InternalUser names an end user by the ID Versori assigned.
func InternalUser(id string) UserRef { return UserRef{id: id, internal: true} }

// ID returns the ID the reference holds.
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

// internalOnly is the identifier_type query of an operation the spec gives
// none: sent for an InternalUser only, since the API takes an external ID
// by default.
func (u UserRef) internalOnly() string {
	if u.internal {
		return "identifier_type=internal"
	}
	return ""
}

// Ptr returns a pointer to v, for the few optional fields where the API must
// tell "not set" from a zero value (such as UpdateHubParams.IsDefault).
func Ptr[T any](v T) *T { return &v }

// segment returns value escaped as one path segment, or a ValidationError
// naming field.
func segment(field, value string) (string, error) {
	s, problem := param.Segment(value)
	if problem != "" {
		return "", &ValidationError{Field: field, Reason: problem}
	}
	return s, nil
}

// pageQuery starts a list's query with its cursor parameters. A negative
// page size is refused with an error, beside a query that is still usable,
// so that a list can build its query and check its input in one go.
func pageQuery(first int, after, before string) (*param.Query, error) {
	q := new(param.Query)
	q.AddInt("first", first)
	q.Add("after", after)
	q.Add("before", before)
	if first < 0 {
		return q, &ValidationError{Field: "first", Reason: "must not be negative"}
	}
	return q, nil
}

// copyOf returns a copy of *p, or the zero T when p is nil: the params of a
// list, which may be nil.
func copyOf[T any](p *T) (v T) {
	if p != nil {
		v = *p
	}
	return v
}
