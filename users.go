package versori

import (
	"context"
	"iter"
	"log/slog"
	"net/http"
	"time"

	"github.com/versori-go/versori/internal/redact"
)

// UsersService calls the end-user operations. An end user is one of your
// customers, registered in a hub under an external ID of your choosing.
type UsersService struct{ c *Client }

// Create registers an end user in a hub with their primary connection
// (CreateEndUser). The external ID must be unique in the hub: a duplicate
// fails with ErrConflict.
func (s *UsersService) Create(ctx context.Context, hubID string, params CreateEndUserParams, opts ...CallOption) (*EndUser, error) {
	hub, err := segment("hubID", hubID)
	if err != nil {
		return nil, err
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	out := new(EndUser)
	return out, s.c.do(ctx, call{op: "CreateEndUser", method: http.MethodPost, path: "/hubs/" + hub + "/users", body: params}, out, opts)
}

// Get returns an end user (GetEndUser).
func (s *UsersService) Get(ctx context.Context, hubID string, user UserRef, opts ...CallOption) (*EndUser, error) {
	path, q, err := userPath("/hubs/", hubID, user)
	if err != nil {
		return nil, err
	}
	out := new(EndUser)
	return out, s.c.do(ctx, call{op: "GetEndUser", method: http.MethodGet, path: path, query: q}, out, opts)
}

// List returns a page of a hub's end users (ListEndUsers). params may be nil.
func (s *UsersService) List(ctx context.Context, hubID string, params *ListEndUsersParams, opts ...CallOption) (*EndUserPage, error) {
	hub, err := segment("hubID", hubID)
	if err != nil {
		return nil, err
	}
	if params == nil {
		params = &ListEndUsersParams{}
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	var q query
	params.addTo(&q)
	q.addString("search", params.Search)
	if q.err != nil {
		return nil, q.err
	}
	out := new(EndUserPage)
	return out, s.c.do(ctx, call{op: "ListEndUsers", method: http.MethodGet, path: "/hubs/" + hub + "/users", query: q.String()}, out, opts)
}

// All iterates over a hub's end users page by page, following the cursors
// from params (which may be nil). It stops at the first error, yielding it.
func (s *UsersService) All(ctx context.Context, hubID string, params *ListEndUsersParams, opts ...CallOption) iter.Seq2[EndUserSummary, error] {
	p := ListEndUsersParams{}
	if params != nil {
		p = *params
	}
	return paginate(p.ListOptions, func(lo ListOptions) ([]EndUserSummary, PageInfo, error) {
		p.ListOptions = lo
		page, err := s.List(ctx, hubID, &p, opts...)
		if err != nil {
			return nil, PageInfo{}, err
		}
		return page.Users, page.PageInfo, nil
	})
}

// Delete deletes an end user with their connections and activations (DeleteEndUser).
func (s *UsersService) Delete(ctx context.Context, hubID string, user UserRef, opts ...CallOption) error {
	path, q, err := userPath("/hubs/", hubID, user)
	if err != nil {
		return err
	}
	return s.c.do(ctx, call{op: "DeleteEndUser", method: http.MethodDelete, path: path, query: q}, nil, opts)
}

// userPath returns {prefix}{hub_id}/users/{user_id}, where prefix is
// "/hubs/" or "/embed/", and the identifier_type query for user.
func userPath(prefix, hubID string, user UserRef) (path, query string, err error) {
	hub, err := segment("hubID", hubID)
	if err != nil {
		return "", "", err
	}
	id, err := segment("userID", user.id)
	if err != nil {
		return "", "", err
	}
	return prefix + hub + "/users/" + id, "identifier_type=" + user.identifierType(), nil
}

// EndUser is an end user with their primary connection.
type EndUser struct {
	ID                string     `json:"id"`         // Versori's ID for the user
	ExternalID        string     `json:"externalId"` // your ID for the user, unique in the hub
	DisplayName       string     `json:"displayName"`
	HubID             string     `json:"hubId"`
	PrimaryConnection Connection `json:"primaryConnection"` // the user's connection to the hub's primary connector
	CreatedAt         time.Time  `json:"createdAt"`
	UpdatedAt         time.Time  `json:"updatedAt"`
}

// LogValue logs the user with any secret in their connection masked.
func (u EndUser) LogValue() slog.Value { return redact.LogValue(u) }

// EndUserSummary is an end user as listed, without their connection.
type EndUserSummary struct {
	ID          string    `json:"id"`
	ExternalID  string    `json:"externalId"`
	DisplayName string    `json:"displayName"`
	HubID       string    `json:"hubId"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// EndUserPage is a page of end users.
type EndUserPage struct {
	PageInfo
	Users []EndUserSummary `json:"users"`
}

// CreateEndUserParams is the body of UsersService.Create.
type CreateEndUserParams struct {
	ExternalID        string           `json:"externalId"` // immutable: prefer your system's stable user ID to an email address
	DisplayName       string           `json:"displayName,omitempty"`
	PrimaryConnection ConnectionCreate `json:"primaryConnection"` // the user's connection to the hub's primary connector
}

// LogValue logs the params with every credential secret masked.
func (p CreateEndUserParams) LogValue() slog.Value { return redact.LogValue(p) }

// wireBody returns the params to encode (see wireBodier).
func (p CreateEndUserParams) wireBody() any {
	return struct {
		ExternalID        string               `json:"externalId"`
		DisplayName       string               `json:"displayName,omitempty"`
		PrimaryConnection connectionCreateWire `json:"primaryConnection"`
	}{p.ExternalID, p.DisplayName, p.PrimaryConnection.wire()}
}

func (p CreateEndUserParams) validate() error {
	if err := required("externalId", p.ExternalID); err != nil {
		return err
	}
	return p.PrimaryConnection.validate("primaryConnection")
}

// ListEndUsersParams filters and pages UsersService.List.
type ListEndUsersParams struct {
	ListOptions
	Search string // matched against the users' ID, external ID and display name
}
