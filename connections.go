package versori

import (
	"context"
	"encoding/json"
	"iter"
	"log/slog"
	"net/http"
	"time"

	"github.com/versori-go/versori/internal/redact"
)

// ConnectionsService calls the end-user connection operations. A connection
// holds the credentials an end user gives for one connector.
type ConnectionsService struct{ c *Client }

// Create gives an end user a new connection to a connector
// (CreateEndUserConnection), for credentials that come from your systems
// rather than from the user in the embedded UI.
func (s *ConnectionsService) Create(ctx context.Context, hubID string, user UserRef, params CreateConnectionParams, opts ...CallOption) (*Connection, error) {
	path, q, err := userPath("/hubs/", hubID, user)
	if err != nil {
		return nil, err
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	out := new(Connection)
	return out, s.c.do(ctx, call{op: "CreateEndUserConnection", method: http.MethodPost, path: path + "/connections", query: q, body: params}, out, opts)
}

// List returns a page of an end user's connections (ListEndUserConnections).
// params may be nil.
func (s *ConnectionsService) List(ctx context.Context, hubID string, user UserRef, params *ListConnectionsParams, opts ...CallOption) (*ConnectionPage, error) {
	path, idType, err := userPath("/hubs/", hubID, user)
	if err != nil {
		return nil, err
	}
	if params == nil {
		params = &ListConnectionsParams{}
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	var q query
	params.addTo(&q)
	q.addList("hub_connector_id", params.HubConnectorIDs)
	if q.err != nil {
		return nil, q.err
	}
	out := new(ConnectionPage)
	return out, s.c.do(ctx, call{op: "ListEndUserConnections", method: http.MethodGet, path: path + "/connections", query: joinQuery(q.String(), idType)}, out, opts)
}

// All iterates over an end user's connections page by page. params may be nil.
func (s *ConnectionsService) All(ctx context.Context, hubID string, user UserRef, params *ListConnectionsParams, opts ...CallOption) iter.Seq2[ConnectionSummary, error] {
	p := ListConnectionsParams{}
	if params != nil {
		p = *params
	}
	return paginate(p.ListOptions, func(lo ListOptions) ([]ConnectionSummary, PageInfo, error) {
		p.ListOptions = lo
		page, err := s.List(ctx, hubID, user, &p, opts...)
		if err != nil {
			return nil, PageInfo{}, err
		}
		return page.Connections, page.PageInfo, nil
	})
}

// GetForTemplate returns the end user's connection for a connection template
// (GetEndUserConnection). The spec defines no identifier_type here; it is
// sent only for an InternalUser.
func (s *ConnectionsService) GetForTemplate(ctx context.Context, templateID string, user UserRef, opts ...CallOption) (*Connection, error) {
	tmpl, err := segment("templateID", templateID)
	if err != nil {
		return nil, err
	}
	id, err := segment("userID", user.id)
	if err != nil {
		return nil, err
	}
	var q string
	if user.internal {
		q = "identifier_type=internal"
	}
	out := new(Connection)
	return out, s.c.do(ctx, call{op: "GetEndUserConnection", method: http.MethodGet, path: "/connection-templates/" + tmpl + "/users/" + id, query: q}, out, opts)
}

// Connection is an end user's connection to a connector, with its credentials
// (secrets redacted by the API) and variables.
type Connection struct {
	ID          string                `json:"id"`
	Name        string                `json:"name"`
	Credentials ConnectionCredentials `json:"credentials"`
	Variables   []ConnectionVariable  `json:"variables"`
	CreatedAt   time.Time             `json:"createdAt"`
	UpdatedAt   time.Time             `json:"updatedAt"`
}

// LogValue logs the connection with every credential secret masked.
func (c Connection) LogValue() slog.Value { return redact.LogValue(c) }

// ConnectionSummary is a connection as listed, without its credentials.
type ConnectionSummary struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
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

// MarshalJSON encodes the connection, sending nil Variables as [] since the
// API requires the field.
func (c ConnectionCreate) MarshalJSON() ([]byte, error) {
	return json.Marshal(c.wire())
}

// connectionCreateWire is ConnectionCreate as encoded, without MarshalJSON
// methods where they can be avoided (see wireBodier).
type connectionCreateWire struct {
	Name        string                    `json:"name"`
	Credentials connectionCredentialsWire `json:"credentials"`
	Variables   []ConnectionVariable      `json:"variables"`
}

func (c ConnectionCreate) wire() connectionCreateWire {
	w := connectionCreateWire{Name: c.Name, Credentials: c.Credentials.wire(), Variables: c.Variables}
	if w.Variables == nil {
		w.Variables = []ConnectionVariable{}
	}
	return w
}

// LogValue logs the connection with every credential secret masked.
func (c ConnectionCreate) LogValue() slog.Value { return redact.LogValue(c) }

func (c ConnectionCreate) validate(field string) error {
	if c.Name == "" {
		return required(field+".name", c.Name)
	}
	// Paths are built only for an error (see ConnectionCredentialsCreate.validate).
	if err := c.Credentials.validate(""); err != nil {
		return prefixField(field+".credentials", err)
	}
	return nil
}

// CreateConnectionParams is the body of ConnectionsService.Create.
type CreateConnectionParams struct {
	ConnectorID string           `json:"connectorId"`
	Connection  ConnectionCreate `json:"connection"`
}

// LogValue logs the params with every credential secret masked.
func (p CreateConnectionParams) LogValue() slog.Value { return redact.LogValue(p) }

// wireBody returns the params to encode (see wireBodier).
func (p CreateConnectionParams) wireBody() any {
	return struct {
		ConnectorID string               `json:"connectorId"`
		Connection  connectionCreateWire `json:"connection"`
	}{p.ConnectorID, p.Connection.wire()}
}

func (p CreateConnectionParams) validate() error {
	if err := required("connectorId", p.ConnectorID); err != nil {
		return err
	}
	return p.Connection.validate("connection")
}

// ListConnectionsParams filters and pages ConnectionsService.List.
type ListConnectionsParams struct {
	ListOptions
	HubConnectorIDs []string // only connections for these hub connectors (sent comma-joined)
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
