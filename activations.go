package versori

import (
	"context"
	"encoding/json"
	"iter"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/versori-go/versori/internal/redact"
)

// ActivationsService calls the activation operations. An activation is an
// integration switched on for one end user, bound to their connections.
type ActivationsService struct{ c *Client }

// Create activates an integration for an end user (ActivateIntegration),
// binding each of its connection templates to an existing connection of the
// user or to a new one. Templates left out must already be satisfied (the
// primary connector by the user's primary connection), or the API refuses.
func (s *ActivationsService) Create(ctx context.Context, params ActivateParams, opts ...CallOption) (*Activation, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	out := new(Activation)
	return out, s.c.do(ctx, call{op: "ActivateIntegration", method: http.MethodPost, path: "/activations", body: params}, out, opts)
}

// Get returns an activation (GetActivation).
func (s *ActivationsService) Get(ctx context.Context, activationID string, opts ...CallOption) (*Activation, error) {
	id, err := segment("activationID", activationID)
	if err != nil {
		return nil, err
	}
	out := new(Activation)
	return out, s.c.do(ctx, call{op: "GetActivation", method: http.MethodGet, path: "/activations/" + id}, out, opts)
}

// Delete deactivates: it deletes the activation (DeleteActivation).
func (s *ActivationsService) Delete(ctx context.Context, activationID string, opts ...CallOption) error {
	id, err := segment("activationID", activationID)
	if err != nil {
		return err
	}
	return s.c.do(ctx, call{op: "DeleteActivation", method: http.MethodDelete, path: "/activations/" + id}, nil, opts)
}

// List returns a page of an end user's activations (ListEndUserActivations).
// params may be nil. The spec defines no identifier_type here; it is sent only
// for an InternalUser.
func (s *ActivationsService) List(ctx context.Context, hubID string, user UserRef, params *ListActivationsParams, opts ...CallOption) (*ActivationPage, error) {
	path, _, err := userPath("/embed/", hubID, user)
	if err != nil {
		return nil, err
	}
	if params == nil {
		params = &ListActivationsParams{}
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	var q query
	params.addTo(&q)
	q.addString("integration_id", params.IntegrationID)
	if user.internal {
		q.addString("identifier_type", "internal")
	}
	if q.err != nil {
		return nil, q.err
	}
	out := new(ActivationPage)
	return out, s.c.do(ctx, call{op: "ListEndUserActivations", method: http.MethodGet, path: path + "/activations", query: q.String()}, out, opts)
}

// All iterates over an end user's activations page by page. params may be nil.
func (s *ActivationsService) All(ctx context.Context, hubID string, user UserRef, params *ListActivationsParams, opts ...CallOption) iter.Seq2[EndUserActivation, error] {
	p := ListActivationsParams{}
	if params != nil {
		p = *params
	}
	return paginate(p.ListOptions, func(lo ListOptions) ([]EndUserActivation, PageInfo, error) {
		p.ListOptions = lo
		page, err := s.List(ctx, hubID, user, &p, opts...)
		if err != nil {
			return nil, PageInfo{}, err
		}
		return page.Activations, page.PageInfo, nil
	})
}

// UpdateVariables replaces an activation's dynamic variables
// (UpdateDynamicVariables) and returns them as stored.
func (s *ActivationsService) UpdateVariables(ctx context.Context, activationID string, vars DynamicVariables, opts ...CallOption) (DynamicVariables, error) {
	id, err := segment("activationID", activationID)
	if err != nil {
		return nil, err
	}
	if vars == nil {
		vars = DynamicVariables{}
	}
	var out struct {
		DynamicVariables DynamicVariables `json:"dynamicVariables"`
	}
	body := struct {
		DynamicVariables DynamicVariables `json:"dynamicVariables"`
	}{vars}
	err = s.c.do(ctx, call{op: "UpdateDynamicVariables", method: http.MethodPut, path: "/activations/" + id + "/variables", body: body}, &out, opts)
	return out.DynamicVariables, err
}

// GetVariables returns the dynamic variables of an end user's activation of an
// integration (GetDynamicVariables).
//
// Internal: the spec tags this operation Internal, meant for Versori's own
// services; prefer UpdateVariables and the Activation you hold.
func (s *ActivationsService) GetVariables(ctx context.Context, integrationID string, user UserRef, opts ...CallOption) (DynamicVariables, error) {
	path, q, err := variablesPath(integrationID, user)
	if err != nil {
		return nil, err
	}
	var out DynamicVariables
	return out, s.c.do(ctx, call{op: "GetDynamicVariables", method: http.MethodGet, path: path, query: q}, &out, opts)
}

// UpdateVariablesInternal replaces the dynamic variables of an end user's
// activation of an integration (UpdateDynamicVariablesInternal).
//
// Internal: the spec tags this operation Internal, meant for Versori's own
// services; use UpdateVariables instead.
func (s *ActivationsService) UpdateVariablesInternal(ctx context.Context, integrationID string, user UserRef, vars DynamicVariables, opts ...CallOption) error {
	path, q, err := variablesPath(integrationID, user)
	if err != nil {
		return err
	}
	if vars == nil {
		vars = DynamicVariables{}
	}
	return s.c.do(ctx, call{op: "UpdateDynamicVariablesInternal", method: http.MethodPut, path: path, query: q, body: vars}, nil, opts)
}

func variablesPath(integrationID string, user UserRef) (path, query string, err error) {
	integration, err := segment("integrationID", integrationID)
	if err != nil {
		return "", "", err
	}
	id, err := segment("userID", user.id)
	if err != nil {
		return "", "", err
	}
	return "/integrations/" + integration + "/users/" + id + "/variables", "identifier_type=" + user.identifierType(), nil
}

// Activation is an integration activated for an end user.
type Activation struct {
	ID          string                     `json:"id"`
	User        EndUser                    `json:"user"`
	HubID       string                     `json:"hubId"`
	Integration EmbeddedIntegrationSummary `json:"integration"`
}

// LogValue logs the activation with any secret in the user's connection masked.
func (a Activation) LogValue() slog.Value { return redact.LogValue(a) }

// EndUserActivation is an activation as listed for one end user.
type EndUserActivation struct {
	ID          string                     `json:"id"`
	HubID       string                     `json:"hubId"`
	Integration EmbeddedIntegrationSummary `json:"integration"`
}

// ActivationPage is a page of an end user's activations.
type ActivationPage struct {
	PageInfo
	Activations []EndUserActivation `json:"activations"`
}

// ListActivationsParams filters and pages ActivationsService.List.
type ListActivationsParams struct {
	ListOptions
	IntegrationID string // only activations of this integration
}

// ActivateParams is the body of ActivationsService.Create.
type ActivateParams struct {
	// UserID is the end user's external ID or, failing a match, Versori's
	// internal ID. (The spec mentions a userIdType field it does not define.)
	UserID           string
	IntegrationID    string
	Connections      []ActivationConnection // one per connection template to bind
	DynamicVariables DynamicVariables       // values for the integration's variables schema
}

// MarshalJSON encodes the activation request. It also sends "variables": []
// because the spec still lists that retired property as required.
func (p ActivateParams) MarshalJSON() ([]byte, error) {
	conns := p.Connections
	if conns == nil {
		conns = []ActivationConnection{}
	}
	return json.Marshal(struct {
		UserID           string                 `json:"userId"`
		IntegrationID    string                 `json:"integrationId"`
		Connections      []ActivationConnection `json:"connections"`
		DynamicVariables DynamicVariables       `json:"dynamicVariables,omitempty"`
		Variables        []struct{}             `json:"variables"`
	}{p.UserID, p.IntegrationID, conns, p.DynamicVariables, []struct{}{}})
}

// LogValue logs the params with every credential secret masked.
func (p ActivateParams) LogValue() slog.Value { return redact.LogValue(p) }

func (p ActivateParams) validate() error {
	if err := required("userId", p.UserID); err != nil {
		return err
	}
	if err := required("integrationId", p.IntegrationID); err != nil {
		return err
	}
	for i, c := range p.Connections {
		field := "connections[" + strconv.Itoa(i) + "]"
		if c == nil {
			return &ValidationError{Field: field, Reason: "is nil"}
		}
		if err := c.validate(field); err != nil {
			return err
		}
	}
	return nil
}

// ActivationConnection binds a connection template to a connection when
// activating: ExistingConnection or NewConnection.
type ActivationConnection interface {
	validate(field string) error
}

// ExistingConnection binds a template to a connection the end user already has.
type ExistingConnection struct {
	TemplateID   string `json:"templateId"`
	ConnectionID string `json:"connectionId"`
}

func (c ExistingConnection) validate(field string) error {
	if err := required(field+".templateId", c.TemplateID); err != nil {
		return err
	}
	return required(field+".connectionId", c.ConnectionID)
}

// NewConnection binds a template to a connection created with the activation.
type NewConnection struct {
	TemplateID  string                      `json:"templateId"`
	Name        string                      `json:"name"`
	Credentials ConnectionCredentialsCreate `json:"credentials"`
	Variables   []ConnectionVariable        `json:"variables"` // sent as [] when nil: the API requires it
}

// MarshalJSON encodes the connection, sending nil Variables as [].
func (c NewConnection) MarshalJSON() ([]byte, error) {
	type wire NewConnection
	if c.Variables == nil {
		c.Variables = []ConnectionVariable{}
	}
	return json.Marshal(wire(c))
}

// LogValue logs the connection with every credential secret masked.
func (c NewConnection) LogValue() slog.Value { return redact.LogValue(c) }

func (c NewConnection) validate(field string) error {
	if err := required(field+".templateId", c.TemplateID); err != nil {
		return err
	}
	if err := required(field+".name", c.Name); err != nil {
		return err
	}
	return c.Credentials.validate(field + ".credentials")
}
