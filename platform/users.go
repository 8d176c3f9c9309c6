package platform

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/pager"
	"github.com/versori-go/versori/internal/param"
	"github.com/versori-go/versori/internal/union"
)

// UsersService calls the end-user operations. An end user is one of your
// customers, known to the organisation by the external ID you gave them.
type UsersService service

// Create registers an end user (CreateEndUser). The external ID must be
// unique in the organisation: a duplicate fails with versori.ErrConflict,
// which makes a retried create safe to reconcile.
func (s *UsersService) Create(ctx context.Context, params CreateEndUserParams, opts ...versori.Option) (*EndUser, error) {
	err := required("externalId", string(params.ExternalID))
	return send(ctx, s, err, versori.Request{Operation: "CreateEndUser", Method: http.MethodPost, Path: orgOf(s) + "/users", Body: params}, new(EndUser), opts)
}

// Get returns an end user by external ID or by Versori's ID (GetEndUser).
//
// The API's {user_id} takes either kind and tries Versori's IDs first, so an
// external ID that is also another user's Versori ID names that other user.
// Get checks that the answer is the user asked for; when it is not, it looks
// the external ID up with ListEndUsers instead, and a UserID that names no
// user fails with versori.ErrNotFound.
func (s *UsersService) Get(ctx context.Context, user User, opts ...versori.Option) (*EndUser, error) {
	id, err := userSegment("user", user)
	out, err := send(ctx, s, err, versori.Request{Operation: "GetEndUser", Method: http.MethodGet, Path: orgOf(s) + "/users/" + id}, new(EndUser), opts)
	if err != nil {
		return nil, err
	}
	switch u := union.Deref(user).(type) { // a *ExternalID is a User too
	case ExternalID:
		if out.ExternalID != u {
			return s.byExternalID(ctx, u, opts)
		}
	case UserID:
		if out.ID != u {
			return nil, fmt.Errorf("platform: GetEndUser: no end user has ID %q, though one has it as external ID: %w", u, versori.ErrNotFound)
		}
	}
	return out, nil
}

// byExternalID finds the end user whose external ID is exactly id among
// those ListEndUsers' search matches.
func (s *UsersService) byExternalID(ctx context.Context, id ExternalID, opts []versori.Option) (*EndUser, error) {
	for u, err := range s.All(ctx, &ListEndUsersParams{Search: string(id)}, opts...) {
		if err != nil {
			return nil, err
		}
		if u.ExternalID == id {
			return &u, nil
		}
	}
	return nil, fmt.Errorf("platform: GetEndUser: no end user has external ID %q: %w", id, versori.ErrNotFound)
}

// resolve returns the ID to send for user where the API takes either kind of
// ID and tries Versori's first: user's own, unless it is an external ID that
// could be read as a Versori ID, which is looked up (Get) so that it cannot
// name another user.
func (s *UsersService) resolve(ctx context.Context, user User, opts []versori.Option) (string, error) {
	if _, err := userSegment("user", user); err != nil {
		return "", err
	}
	ext, ok := union.Deref(user).(ExternalID)
	if !ok || !isVersoriID(string(ext)) {
		return user.userID(), nil
	}
	u, err := s.Get(ctx, ext, opts...)
	if err != nil {
		return "", err
	}
	return string(u.ID), nil
}

// List returns a page of the organisation's end users (ListEndUsers). params
// may be nil. The spec declares no cursor parameters here though the page
// has cursors; they are sent when set.
func (s *UsersService) List(ctx context.Context, params *ListEndUsersParams, opts ...versori.Option) (*EndUserPage, error) {
	p := copyOf(params)
	q, err := pageQuery(p.First, p.After, p.Before)
	if (p.Activated == nil) != (p.EnvironmentID == "") {
		err = cmp.Or(err, invalid("activated", "and environmentId go together: set both or neither"))
	}
	set(q, "search", p.Search)
	if p.Activated != nil {
		q.Set("activated", strconv.FormatBool(*p.Activated))
	}
	set(q, "environment_id", p.EnvironmentID)
	out := &EndUserPage{Users: make([]EndUser, 0, param.PageCap(p.First))}
	return send(ctx, s, err, versori.Request{Operation: "ListEndUsers", Method: http.MethodGet, Path: orgOf(s) + "/users", Query: q}, out, opts)
}

// All iterates over the organisation's end users, one page in memory at a
// time. params may be nil.
func (s *UsersService) All(ctx context.Context, params *ListEndUsersParams, opts ...versori.Option) iter.Seq2[EndUser, error] {
	p := copyOf(params)
	return pager.All("ListEndUsers", p.After, func(cursor string) ([]EndUser, string, error) {
		page, err := s.List(ctx, p.at(cursor), opts...)
		return pager.Items(page, err, (*EndUserPage).items)
	})
}

// Delete deletes an end user (DeleteEndUser). The spec shares Get's path
// parameter, so an external ID is sent as Get sends it (that Delete accepts
// one is not verified), except one that could be read as a Versori ID: that
// one is looked up first (see Get), so that it cannot delete another user.
func (s *UsersService) Delete(ctx context.Context, user User, opts ...versori.Option) error {
	id, err := s.resolve(ctx, user, opts)
	if err != nil {
		return err
	}
	id, err = segment("user", id)
	return exec(ctx, s, err, versori.Request{Operation: "DeleteEndUser", Method: http.MethodDelete, Path: orgOf(s) + "/users/" + id}, nil, opts)
}

// EndUser is an end user of the organisation.
type EndUser struct {
	ID             UserID     `json:"id" required:"true"`
	ExternalID     ExternalID `json:"externalId" required:"true"`
	DisplayName    string     `json:"displayName" required:"true"`
	OrganisationID string     `json:"organisationId" required:"true"`
	CreatedAt      time.Time  `json:"createdAt" required:"true"`
	UpdatedAt      time.Time  `json:"updatedAt" required:"true"`
}

// Ref returns the user as a versori.UserRef by external ID, for minting the
// user's tokens with a versori.SigningKey.
func (u EndUser) Ref() versori.UserRef { return versori.ExternalUser(string(u.ExternalID)) }

// EndUserPage is a page of end users.
type EndUserPage struct {
	versori.PageInfo
	Users []EndUser `json:"users" required:"true"`
}

// items returns the page's users and the next page's cursor, for All.
func (p *EndUserPage) items() ([]EndUser, string) { return p.Users, p.Next }

// CreateEndUserParams is the body of UsersService.Create.
type CreateEndUserParams struct {
	ExternalID  ExternalID `json:"externalId"` // immutable: prefer your system's stable user ID to an email address
	DisplayName string     `json:"displayName,omitempty"`
}

// ListEndUsersParams filters and pages UsersService.List.
type ListEndUsersParams struct {
	First  int    // page size; 0 means the API's default (20)
	After  string // the page after this cursor (a PageInfo.Next)
	Before string // the page before this cursor (a PageInfo.Prev)
	Search string // matched against the users' ID, external ID and display name
	// Activated, with EnvironmentID, keeps the users activated (or not) on
	// that environment. The two go together.
	Activated     *bool
	EnvironmentID string
}

// at returns a copy of p asking for the page at cursor, for All.
func (p ListEndUsersParams) at(cursor string) *ListEndUsersParams {
	p.After, p.Before = cursor, ""
	return &p
}

// pageQuery starts a list's query with its cursor parameters. A negative
// page size is refused with an error, beside a query that is still usable,
// so that a list can build its query and check its input in one go.
func pageQuery(first int, after, before string) (url.Values, error) {
	q := url.Values{}
	if first > 0 {
		q.Set("first", strconv.Itoa(first))
	}
	set(q, "after", after)
	set(q, "before", before)
	if first < 0 {
		return q, invalid("first", "must not be negative")
	}
	return q, nil
}

// set sets the query parameter name to value, unless value is empty.
func set(q url.Values, name, value string) {
	if value != "" {
		q.Set(name, value)
	}
}
