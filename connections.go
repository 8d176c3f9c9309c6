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

// ConnectionsService calls the end-user connection operations. A connection
// holds the credentials an end user gives for one connector.
type ConnectionsService service

// Create gives an end user a new connection to a connector
// (CreateEndUserConnection), for credentials that come from your systems
// rather than from the user in the embedded UI.
func (s *ConnectionsService) Create(ctx context.Context, hubID string, user UserRef, params CreateConnectionParams, opts ...Option) (*Connection, error) {
	path, q, err := userPath("/hubs/", hubID, user)
	err = cmp.Or(err, params.validate())
	params.Connection.Credentials = params.Connection.Credentials.withIDs()
	return send(ctx, s, err, call{op: "CreateEndUserConnection", method: http.MethodPost, path: path + "/connections", query: q, body: params}, new(Connection), opts)
}

// List returns a page of an end user's connections (ListEndUserConnections).
// params may be nil.
func (s *ConnectionsService) List(ctx context.Context, hubID string, user UserRef, params *ListConnectionsParams, opts ...Option) (*ConnectionPage, error) {
	path, idType, err := userPath("/hubs/", hubID, user)
	p := copyOf(params)
	q, qErr := pageQuery(p.First, p.After, p.Before)
	q.AddList("hub_connector_id", p.HubConnectorIDs)
	out := &ConnectionPage{Connections: make([]ConnectionSummary, 0, param.PageCap(p.First))}
	return send(ctx, s, cmp.Or(err, qErr), call{op: "ListEndUserConnections", method: http.MethodGet, path: path + "/connections", query: joinQuery(q.String(), idType)}, out, opts)
}

// All iterates over an end user's connections, one page in memory at a time.
// params may be nil.
func (s *ConnectionsService) All(ctx context.Context, hubID string, user UserRef, params *ListConnectionsParams, opts ...Option) iter.Seq2[ConnectionSummary, error] {
	p := copyOf(params)
	return pager.All("ListEndUserConnections", p.After, func(cursor string) ([]ConnectionSummary, string, error) {
		page, err := s.List(ctx, hubID, user, p.at(cursor), opts...)
		return pager.Items(page, err, (*ConnectionPage).items)
	})
}

// Get returns the end user's connection for a connection template
// (GetEndUserConnection). The spec defines no identifier_type here; it is
// sent only for an InternalUser.
func (s *ConnectionsService) Get(ctx context.Context, templateID string, user UserRef, opts ...Option) (*Connection, error) {
	tmpl, err := segment("templateID", templateID)
	id, idErr := segment("user", user.id)
	k := call{op: "GetEndUserConnection", method: http.MethodGet, path: "/connection-templates/" + tmpl + "/users/" + id, query: user.internalOnly()}
	return send(ctx, s, cmp.Or(err, idErr), k, new(Connection), opts)
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

// items returns the page's connections and the next page's cursor, for All.
func (p *ConnectionPage) items() ([]ConnectionSummary, string) { return p.Connections, p.Next }

// ConnectionCreate is a new connection: a name, the credentials for the
// connector's actions and triggers, and connection variables.
type ConnectionCreate struct {
	Name        string                      `json:"name"`
	Credentials ConnectionCredentialsCreate `json:"credentials"`
	Variables   []ConnectionVariable        `json:"variables"` // sent as [] when nil: the API requires it
}

func (c ConnectionCreate) validate(field string) error {
	return cmp.Or(required(field+".name", c.Name), c.Credentials.validate(field+".credentials"))
}

// CreateConnectionParams is the body of ConnectionsService.Create.
type CreateConnectionParams struct {
	ConnectorID string           `json:"connectorId"`
	Connection  ConnectionCreate `json:"connection"`
}

func (p CreateConnectionParams) validate() error {
	return cmp.Or(required("connectorId", p.ConnectorID), p.Connection.validate("connection"))
}

// ListConnectionsParams filters and pages ConnectionsService.List.
type ListConnectionsParams struct {
	First           int      // page size; 0 means the API's default (20)
	After           string   // the page after this cursor (a PageInfo.Next)
	Before          string   // the page before this cursor (a PageInfo.Prev)
	HubConnectorIDs []string // only connections for these hub connectors
}

// at returns a copy of p asking for the page at cursor, for All.
func (p ListConnectionsParams) at(cursor string) *ListConnectionsParams {
	p.After, p.Before = cursor, ""
	return &p
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
