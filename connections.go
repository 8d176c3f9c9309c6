package versori

import (
	"context"
	"iter"
	"net/http"
	"time"

	"github.com/versori-go/versori/internal/param"

	"github.com/versori-go/versori/internal/pager"
)

// ConnectionsService calls the end-user connection operations. A connection
// holds the credentials an end user gives for one connector.
type ConnectionsService struct{ c *Client }

// Create gives an end user a new connection to a connector
// (CreateEndUserConnection), for credentials that come from your systems
// rather than from the user in the embedded UI.
func (s *ConnectionsService) Create(ctx context.Context, hubID string, user UserRef, params CreateConnectionParams, opts ...Option) (*Connection, error) {
	path, q, err := userPath("/hubs/", hubID, user)
	if err != nil {
		return nil, err
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	params.Connection.Credentials = params.Connection.Credentials.withIDs()
	out := new(Connection)
	return result(out, s.client().do(ctx, call{op: "CreateEndUserConnection", method: http.MethodPost, path: path + "/connections", query: q, body: params}, out, opts))
}

// List returns a page of an end user's connections (ListEndUserConnections).
// params may be nil.
func (s *ConnectionsService) List(ctx context.Context, hubID string, user UserRef, params *ListConnectionsParams, opts ...Option) (*ConnectionPage, error) {
	path, idType, err := userPath("/hubs/", hubID, user)
	if err != nil {
		return nil, err
	}
	if params == nil {
		params = &ListConnectionsParams{}
	}
	q, err := pageQuery(params.First, params.After, params.Before)
	if err != nil {
		return nil, err
	}
	q.AddList("hub_connector_id", params.HubConnectorIDs)
	out := &ConnectionPage{Connections: make([]ConnectionSummary, 0, param.PageCap(params.First))}
	return result(out, s.client().do(ctx, call{op: "ListEndUserConnections", method: http.MethodGet, path: path + "/connections", query: joinQuery(q.String(), idType)}, out, opts))
}

// All iterates over an end user's connections, one page in memory at a time.
// params may be nil.
func (s *ConnectionsService) All(ctx context.Context, hubID string, user UserRef, params *ListConnectionsParams, opts ...Option) iter.Seq2[ConnectionSummary, error] {
	p := ListConnectionsParams{}
	if params != nil {
		p = *params
	}
	return pager.All("ListEndUserConnections", p.After, func(cursor string) ([]ConnectionSummary, string, error) {
		q := p // a copy per page: one iterator may be ranged by several goroutines
		q.After, q.Before = cursor, ""
		page, err := s.List(ctx, hubID, user, &q, opts...)
		if err != nil {
			return nil, "", err
		}
		return page.Connections, page.Next, nil
	})
}

// Get returns the end user's connection for a connection template
// (GetEndUserConnection). The spec defines no identifier_type here; it is
// sent only for an InternalUser.
func (s *ConnectionsService) Get(ctx context.Context, templateID string, user UserRef, opts ...Option) (*Connection, error) {
	tmpl, err := segment("templateID", templateID)
	if err != nil {
		return nil, err
	}
	id, err := segment("user", user.id)
	if err != nil {
		return nil, err
	}
	var q string
	if user.internal {
		q = "identifier_type=internal"
	}
	out := new(Connection)
	return result(out, s.client().do(ctx, call{op: "GetEndUserConnection", method: http.MethodGet, path: "/connection-templates/" + tmpl + "/users/" + id, query: q}, out, opts))
}

// Connection is an end user's connection to a connector, with its
// credentials (secrets redacted by the API) and variables.
type Connection struct {
	ID          string                `json:"id" required:"true"`
	Name        string                `json:"name" required:"true"`
	Credentials ConnectionCredentials `json:"credentials" required:"true"`
	Variables   []ConnectionVariable  `json:"variables" required:"true"`
	CreatedAt   time.Time             `json:"createdAt" required:"true"`
	UpdatedAt   time.Time             `json:"updatedAt" required:"true"`
}

// ConnectionSummary is a connection as listed, without its credentials.
type ConnectionSummary struct {
	ID        string    `json:"id" required:"true"`
	Name      string    `json:"name" required:"true"`
	CreatedAt time.Time `json:"createdAt" required:"true"`
	UpdatedAt time.Time `json:"updatedAt" required:"true"`
}

// ConnectionPage is a page of connections.
type ConnectionPage struct {
	PageInfo
	Connections []ConnectionSummary `json:"connections"`
}

// ConnectionCreate is a new connection: a name, the credentials for the
// connector's actions and triggers, and connection variables.
type ConnectionCreate struct {
	Name        string                      `json:"name"`
	Credentials ConnectionCredentialsCreate `json:"credentials"`
	Variables   []ConnectionVariable        `json:"variables"` // sent as [] when nil: the API requires it
}

func (c ConnectionCreate) validate(field string) error {
	if err := required(field+".name", c.Name); err != nil {
		return err
	}
	return c.Credentials.validate(field + ".credentials")
}

// CreateConnectionParams is the body of ConnectionsService.Create.
type CreateConnectionParams struct {
	ConnectorID string           `json:"connectorId"`
	Connection  ConnectionCreate `json:"connection"`
}

func (p CreateConnectionParams) validate() error {
	if err := required("connectorId", p.ConnectorID); err != nil {
		return err
	}
	return p.Connection.validate("connection")
}

// ListConnectionsParams filters and pages ConnectionsService.List.
type ListConnectionsParams struct {
	First           int      // page size; 0 means the API's default (20)
	After           string   // the page after this cursor (a PageInfo.Next)
	Before          string   // the page before this cursor (a PageInfo.Prev)
	HubConnectorIDs []string // only connections for these hub connectors
}

// joinQuery joins two encoded query strings.
func joinQuery(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "&" + b
}
