package versori

import (
	"cmp"
	"context"
	"iter"
	"net/http"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/versori-go/versori/internal/pager"
	"github.com/versori-go/versori/internal/param"
	"github.com/versori-go/versori/internal/union"
)

// ActivationsService calls the activation operations. An activation is an
// integration switched on for one end user, bound to their connections.
type ActivationsService service

// Create activates an integration for an end user (ActivateIntegration),
// binding each of its connection templates to a connection of the user's or
// to a new one. Templates left out must already be satisfied (the primary
// connector by the user's primary connection), or the API refuses.
func (s *ActivationsService) Create(ctx context.Context, params CreateActivationParams, opts ...Option) (*Activation, error) {
	return send(ctx, s, params.validate(), call{op: "ActivateIntegration", method: http.MethodPost, path: "/activations", body: params.withIDs()}, new(Activation), opts)
}

// Get returns an activation (GetActivation).
func (s *ActivationsService) Get(ctx context.Context, activationID string, opts ...Option) (*Activation, error) {
	id, err := segment("activationID", activationID)
	return send(ctx, s, err, call{op: "GetActivation", method: http.MethodGet, path: "/activations/" + id}, new(Activation), opts)
}

// Delete deactivates: it deletes the activation (DeleteActivation).
func (s *ActivationsService) Delete(ctx context.Context, activationID string, opts ...Option) error {
	id, err := segment("activationID", activationID)
	return exec(ctx, s, err, call{op: "DeleteActivation", method: http.MethodDelete, path: "/activations/" + id}, nil, opts)
}

// List returns a page of an end user's activations (ListEndUserActivations).
// params may be nil. The spec defines no identifier_type here; it is sent only
// for an InternalUser.
func (s *ActivationsService) List(ctx context.Context, hubID string, user UserRef, params *ListActivationsParams, opts ...Option) (*ActivationPage, error) {
	path, _, err := userPath("/embed/", hubID, user)
	p := copyOf(params)
	q, qErr := pageQuery(p.First, p.After, p.Before)
	q.Add("integration_id", p.IntegrationID)
	out := &ActivationPage{Activations: make([]ActivationSummary, 0, param.PageCap(p.First))}
	return send(ctx, s, cmp.Or(err, qErr), call{op: "ListEndUserActivations", method: http.MethodGet, path: path + "/activations", query: joinQuery(q.String(), user.internalOnly())}, out, opts)
}

// All iterates over an end user's activations, one page in memory at a time.
// params may be nil.
func (s *ActivationsService) All(ctx context.Context, hubID string, user UserRef, params *ListActivationsParams, opts ...Option) iter.Seq2[ActivationSummary, error] {
	p := copyOf(params)
	return pager.All("ListEndUserActivations", p.After, func(cursor string) ([]ActivationSummary, string, error) {
		page, err := s.List(ctx, hubID, user, p.at(cursor), opts...)
		return pager.Items(page, err, (*ActivationPage).items)
	})
}

// UpdateVariables replaces an activation's dynamic variables
// (UpdateDynamicVariables) and returns them as stored.
func (s *ActivationsService) UpdateVariables(ctx context.Context, activationID string, vars DynamicVariables, opts ...Option) (DynamicVariables, error) {
	id, err := segment("activationID", activationID)
	if vars == nil {
		vars = DynamicVariables{} // the API takes an object, not null
	}
	body := variablesBody{vars}
	out, err := send(ctx, s, err, call{op: "UpdateDynamicVariables", method: http.MethodPut, path: "/activations/" + id + "/variables", body: body}, new(variablesBody), opts)
	if err != nil {
		return nil, err
	}
	return out.DynamicVariables, nil
}

// GetVariables returns the dynamic variables of an end user's activation of
// an integration (GetDynamicVariables).
//
// Internal: the spec tags this operation Internal, meant for Versori's own
// services; prefer the Activation you hold.
func (s *ActivationsService) GetVariables(ctx context.Context, integrationID string, user UserRef, opts ...Option) (DynamicVariables, error) {
	path, q, err := variablesPath(integrationID, user)
	vars, err := send(ctx, s, err, call{op: "GetDynamicVariables", method: http.MethodGet, path: path, query: q}, new(DynamicVariables), opts)
	if err != nil {
		return nil, err
	}
	return *vars, nil
}

// UpdateVariablesInternal replaces the dynamic variables of an end user's
// activation of an integration (UpdateDynamicVariablesInternal).
//
// Internal: the spec tags this operation Internal, meant for Versori's own
// services; use UpdateVariables instead.
func (s *ActivationsService) UpdateVariablesInternal(ctx context.Context, integrationID string, user UserRef, vars DynamicVariables, opts ...Option) error {
	path, q, err := variablesPath(integrationID, user)
	if vars == nil {
		vars = DynamicVariables{} // the API takes an object, not null
	}
	return exec(ctx, s, err, call{op: "UpdateDynamicVariablesInternal", method: http.MethodPut, path: path, query: q, body: vars}, nil, opts)
}

// variablesBody is the body of UpdateDynamicVariables, and its answer.
type variablesBody struct {
	DynamicVariables DynamicVariables `json:"dynamicVariables"`
}

// variablesPath returns the path of an end user's dynamic variables for an
// integration, and the identifier_type query for user.
func variablesPath(integrationID string, user UserRef) (path, query string, err error) {
	integration, err := segment("integrationID", integrationID)
	id, idErr := segment("user", user.id)
	if err = cmp.Or(err, idErr); err != nil {
		return "", "", err
	}
	return "/integrations/" + integration + "/users/" + id + "/variables", "identifier_type=" + user.identifierType(), nil
}

// Activation is an integration activated for an end user.
type Activation struct {
	ID          string                     `json:"id" required:"true"`
	User        EndUser                    `json:"user" required:"true"`
	HubID       string                     `json:"hubId" required:"true"`
	Integration EmbeddedIntegrationSummary `json:"integration" required:"true"`
}

// ActivationSummary is an activation as listed for one end user.
type ActivationSummary struct {
	ID          string                     `json:"id" required:"true"`
	HubID       string                     `json:"hubId" required:"true"`
	Integration EmbeddedIntegrationSummary `json:"integration" required:"true"`
}

// ActivationPage is a page of an end user's activations.
type ActivationPage struct {
	PageInfo
	Activations []ActivationSummary `json:"activations" required:"true"`
}

// items returns the page's activations and the next page's cursor, for All.
func (p *ActivationPage) items() ([]ActivationSummary, string) { return p.Activations, p.Next }

// ListActivationsParams filters and pages ActivationsService.List.
type ListActivationsParams struct {
	First         int    // page size; 0 means the API's default (20)
	After         string // the page after this cursor (a PageInfo.Next)
	Before        string // the page before this cursor (a PageInfo.Prev)
	IntegrationID string // only activations of this integration
}

// at returns a copy of p asking for the page at cursor, for All.
func (p ListActivationsParams) at(cursor string) *ListActivationsParams {
	p.After, p.Before = cursor, ""
	return &p
}

// CreateActivationParams is the body of ActivationsService.Create.
type CreateActivationParams struct {
	User             UserRef                // the end user, by external or internal ID
	IntegrationID    string                 // the integration to activate
	Connections      []ActivationConnection // one per connection template to bind
	DynamicVariables DynamicVariables       // values for the integration's variables schema
}

// MarshalJSONTo encodes the activation request. It also sends
// "variables": [] because the spec still lists that retired property as
// required.
func (p CreateActivationParams) MarshalJSONTo(enc *jsontext.Encoder) error {
	return json.MarshalEncode(enc, struct {
		UserID           string                 `json:"userId"`
		IntegrationID    string                 `json:"integrationId"`
		Connections      []ActivationConnection `json:"connections"`
		DynamicVariables DynamicVariables       `json:"dynamicVariables,omitempty"`
		Variables        []struct{}             `json:"variables"`
	}{p.User.id, p.IntegrationID, p.Connections, p.DynamicVariables, []struct{}{}})
}

func (p CreateActivationParams) validate() error {
	if err := cmp.Or(required("user", p.User.id), required("integrationId", p.IntegrationID)); err != nil {
		return err
	}
	for i, c := range p.Connections {
		field := "connections[" + strconv.Itoa(i) + "]"
		if union.IsNil(c) {
			return &ValidationError{Field: field, Reason: "is nil"}
		}
		if err := union.Deref(c).validate(field); err != nil {
			return err
		}
	}
	return nil
}

// withIDs returns p with IDs minted for the auth scheme configs of its new
// connections.
func (p CreateActivationParams) withIDs() CreateActivationParams {
	conns := make([]ActivationConnection, len(p.Connections))
	for i, c := range p.Connections {
		if n, ok := union.Deref(c).(NewConnection); ok {
			n.Credentials = n.Credentials.withIDs()
			c = n
		}
		conns[i] = c
	}
	p.Connections = conns
	return p
}

// ActivationConnection binds a connection template to a connection when
// activating: ExistingConnection or NewConnection.
type ActivationConnection interface {
	validate(field string) error
}

// ExistingConnection binds a template to a connection the end user has.
type ExistingConnection struct {
	TemplateID   string `json:"templateId"`
	ConnectionID string `json:"connectionId"`
}

func (c ExistingConnection) validate(field string) error {
	return cmp.Or(required(field+".templateId", c.TemplateID), required(field+".connectionId", c.ConnectionID))
}

// NewConnection binds a template to a connection made with the activation.
type NewConnection struct {
	TemplateID  string                      `json:"templateId"`
	Name        string                      `json:"name"`
	Credentials ConnectionCredentialsCreate `json:"credentials"`
	Variables   []ConnectionVariable        `json:"variables"` // sent as [] when nil: the API requires it
}

func (c NewConnection) validate(field string) error {
	return cmp.Or(required(field+".templateId", c.TemplateID), required(field+".name", c.Name), c.Credentials.validate(field+".credentials"))
}
