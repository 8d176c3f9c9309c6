package versori

import (
	"cmp"
	"context"
	"iter"
	"net/http"
	"time"

	"github.com/versori-go/versori/internal/pager"
	"github.com/versori-go/versori/internal/param"
)

// UsersService calls the end-user operations. An end user is one of your
// customers, registered in a hub under an external ID of your choosing.
type UsersService service

// Create registers an end user in a hub with their primary connection
// (CreateEndUser). The external ID must be unique in the hub: a duplicate
// fails with ErrConflict, which makes a retried create safe to reconcile.
func (s *UsersService) Create(ctx context.Context, hubID string, params CreateEndUserParams, opts ...Option) (*EndUser, error) {
	hub, err := segment("hubID", hubID)
	err = cmp.Or(err, params.validate())
	params.PrimaryConnection.Credentials = params.PrimaryConnection.Credentials.withIDs()
	return send(ctx, s, err, call{op: "CreateEndUser", method: http.MethodPost, path: "/hubs/" + hub + "/users", body: params}, new(EndUser), opts)
}

// Get returns an end user (GetEndUser).
func (s *UsersService) Get(ctx context.Context, hubID string, user UserRef, opts ...Option) (*EndUser, error) {
	path, q, err := userPath("/hubs/", hubID, user)
	return send(ctx, s, err, call{op: "GetEndUser", method: http.MethodGet, path: path, query: q}, new(EndUser), opts)
}

// List returns a page of a hub's end users (ListEndUsers). params may be nil.
func (s *UsersService) List(ctx context.Context, hubID string, params *ListEndUsersParams, opts ...Option) (*EndUserPage, error) {
	hub, err := segment("hubID", hubID)
	p := copyOf(params)
	q, qErr := pageQuery(p.First, p.After, p.Before)
	q.Add("search", p.Search)
	out := &EndUserPage{Users: make([]EndUserSummary, 0, param.PageCap(p.First))}
	return send(ctx, s, cmp.Or(err, qErr), call{op: "ListEndUsers", method: http.MethodGet, path: "/hubs/" + hub + "/users", query: q.String()}, out, opts)
}

// All iterates over a hub's end users, one page in memory at a time, from
// the page params selects (params may be nil). It stops at the first error,
// yielding it.
func (s *UsersService) All(ctx context.Context, hubID string, params *ListEndUsersParams, opts ...Option) iter.Seq2[EndUserSummary, error] {
	p := copyOf(params)
	return pager.All("ListEndUsers", p.After, func(cursor string) ([]EndUserSummary, string, error) {
		page, err := s.List(ctx, hubID, p.at(cursor), opts...)
		return pager.Items(page, err, (*EndUserPage).items)
	})
}

// Delete deletes an end user with their connections and activations
// (DeleteEndUser).
func (s *UsersService) Delete(ctx context.Context, hubID string, user UserRef, opts ...Option) error {
	path, q, err := userPath("/hubs/", hubID, user)
	return exec(ctx, s, err, call{op: "DeleteEndUser", method: http.MethodDelete, path: path, query: q}, nil, opts)
}

// userPath returns {prefix}{hub_id}/users/{user_id}, where prefix is "/hubs/"
// or "/embed/", and the identifier_type query for user.
func userPath(prefix, hubID string, user UserRef) (path, query string, err error) {
	hub, err := segment("hubID", hubID)
	id, idErr := segment("user", user.id)
	if err = cmp.Or(err, idErr); err != nil {
		return "", "", err
	}
	return prefix + hub + "/users/" + id, "identifier_type=" + user.identifierType(), nil
}

// EndUser is an end user with their primary connection.
type EndUser struct {
	ID                string     `json:"id" required:"true"`         // Versori's ID for the user
	ExternalID        string     `json:"externalId" required:"true"` // your ID for the user, unique in the hub
	DisplayName       string     `json:"displayName" required:"true"`
	HubID             string     `json:"hubId" required:"true"`
	PrimaryConnection Connection `json:"primaryConnection" required:"true"` // to the hub's primary connector
	CreatedAt         time.Time  `json:"createdAt" required:"true"`
	UpdatedAt         time.Time  `json:"updatedAt" required:"true"`
}

// Ref returns the user's reference by external ID: the ID calls take, and the
// subject of the user's tokens.
func (u EndUser) Ref() UserRef { return ExternalUser(u.ExternalID) }

// EndUserSummary is an end user as listed, without their connection.
type EndUserSummary struct {
	ID          string    `json:"id" required:"true"`
	ExternalID  string    `json:"externalId" required:"true"`
	DisplayName string    `json:"displayName" required:"true"`
	HubID       string    `json:"hubId" required:"true"`
	CreatedAt   time.Time `json:"createdAt" required:"true"`
	UpdatedAt   time.Time `json:"updatedAt" required:"true"`
}

// Ref returns the user's reference by external ID.
func (u EndUserSummary) Ref() UserRef { return ExternalUser(u.ExternalID) }

// EndUserPage is a page of end users.
type EndUserPage struct {
	PageInfo
	Users []EndUserSummary `json:"users" required:"true"`
}

// items returns the page's users and the next page's cursor, for All.
func (p *EndUserPage) items() ([]EndUserSummary, string) { return p.Users, p.Next }

// CreateEndUserParams is the body of UsersService.Create.
type CreateEndUserParams struct {
	ExternalID        string           `json:"externalId"` // immutable: prefer your system's stable user ID to an email address
	DisplayName       string           `json:"displayName,omitempty"`
	PrimaryConnection ConnectionCreate `json:"primaryConnection"` // to the hub's primary connector
}

func (p CreateEndUserParams) validate() error {
	return cmp.Or(required("externalId", p.ExternalID), p.PrimaryConnection.validate("primaryConnection"))
}

// ListEndUsersParams filters and pages UsersService.List.
type ListEndUsersParams struct {
	First  int    // page size; 0 means the API's default (20)
	After  string // the page after this cursor (a PageInfo.Next)
	Before string // the page before this cursor (a PageInfo.Prev)
	Search string // matched against the users' ID, external ID and display name
}

// at returns a copy of p asking for the page at cursor, for All.
func (p ListEndUsersParams) at(cursor string) *ListEndUsersParams {
	p.After, p.Before = cursor, ""
	return &p
}
