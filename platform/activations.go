package platform

import (
	"cmp"
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"slices"
	"strconv"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/pager"
	"github.com/versori-go/versori/internal/union"
)

// ActivationsService calls the activation operations. An activation is an
// environment (a deployed integration) switched on for one end user, bound
// to their connections, with their dynamic variables.
type ActivationsService service

// Create activates an environment for an end user (ActivateUser). The API
// refuses it unless every dynamic connection template of the environment has
// a connection for the user: given here (new, or an existing one), or made
// before with ConnectionsService.Create.
func (s *ActivationsService) Create(ctx context.Context, params CreateActivationParams, opts ...versori.Option) (*Activation, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	// userId takes either kind of ID and tries Versori's first (see
	// UsersService.Get): an external ID that could be one is looked up.
	users := (*UsersService)((*service)(s)) // the same client's, nil-safe
	userID, err := users.resolve(ctx, params.User, opts)
	if err != nil {
		return nil, err
	}
	body := struct {
		UserID           string                   `json:"userId"`
		EnvironmentID    string                   `json:"environmentId"`
		Connections      []ActivationConnection   `json:"connections"`
		DynamicVariables versori.DynamicVariables `json:"dynamicVariables,omitempty"`
	}{userID, params.EnvironmentID, slices.Clone(params.Connections), params.DynamicVariables}
	for i, c := range body.Connections {
		if c.Connection != nil {
			conn := *c.Connection
			conn.Credentials = withIDs(conn.Credentials, clientOf(s).OrganisationID())
			body.Connections[i].Connection = &conn
		}
	}
	return send(ctx, s, nil, versori.Request{Operation: "ActivateUser", Method: http.MethodPost, Path: orgOf(s) + "/activations", Body: body}, new(Activation), opts)
}

// List returns every activation of an environment (ListActivations); the
// API returns them all at once.
func (s *ActivationsService) List(ctx context.Context, environmentID string, opts ...versori.Option) ([]Activation, error) {
	env, err := segment("environmentID", environmentID)
	r := versori.Request{Operation: "ListActivations", Method: http.MethodGet, Path: orgOf(s) + "/environments/" + env + "/activations"}
	return deref(send(ctx, s, err, r, new([]Activation), opts))
}

// All iterates over the activations of an environment.
func (s *ActivationsService) All(ctx context.Context, environmentID string, opts ...versori.Option) iter.Seq2[Activation, error] {
	return pager.All("ListActivations", "", func(string) ([]Activation, string, error) {
		items, err := s.List(ctx, environmentID, opts...)
		return items, "", err
	})
}

// ListForUser returns an end user's activations in one environment
// (ListUserActivations). The API takes the user's external ID only.
func (s *ActivationsService) ListForUser(ctx context.Context, environmentID string, user ExternalID, opts ...versori.Option) ([]Activation, error) {
	env, err := segment("environmentID", environmentID)
	id, idErr := segment("user", string(user))
	r := versori.Request{Operation: "ListUserActivations", Method: http.MethodGet, Path: orgOf(s) + "/environment/" + env + "/users/" + id + "/activations"}
	return deref(send(ctx, s, cmp.Or(err, idErr), r, new([]Activation), opts))
}

// AllForUser iterates over an end user's activations in one environment.
func (s *ActivationsService) AllForUser(ctx context.Context, environmentID string, user ExternalID, opts ...versori.Option) iter.Seq2[Activation, error] {
	return pager.All("ListUserActivations", "", func(string) ([]Activation, string, error) {
		items, err := s.ListForUser(ctx, environmentID, user, opts...)
		return items, "", err
	})
}

// Get returns an activation (GetActivation).
func (s *ActivationsService) Get(ctx context.Context, environmentID, activationID string, opts ...versori.Option) (*Activation, error) {
	path, err := activationPath(environmentID, activationID)
	return send(ctx, s, err, versori.Request{Operation: "GetActivation", Method: http.MethodGet, Path: orgOf(s) + path}, new(Activation), opts)
}

// Delete deactivates: it deletes the activation (DeleteActivation).
func (s *ActivationsService) Delete(ctx context.Context, environmentID, activationID string, opts ...versori.Option) error {
	path, err := activationPath(environmentID, activationID)
	return exec(ctx, s, err, versori.Request{Operation: "DeleteActivation", Method: http.MethodDelete, Path: orgOf(s) + path}, nil, opts)
}

// SetVariables sets some of an activation's dynamic variables, leaving the
// others (SetDynamicVariables), and returns them all. The API checks them
// against the project's variables schema.
func (s *ActivationsService) SetVariables(ctx context.Context, environmentID, activationID string, vars versori.DynamicVariables, opts ...versori.Option) (versori.DynamicVariables, error) {
	path, err := activationPath(environmentID, activationID)
	r := versori.Request{Operation: "SetDynamicVariables", Method: http.MethodPatch, Path: orgOf(s) + path + "/variables", Body: vars}
	return deref(send(ctx, s, cmp.Or(err, notEmpty(vars)), r, new(versori.DynamicVariables), opts))
}

// SetVariable sets one dynamic variable of an activation to value, any JSON
// value but null (SetDynamicVariable), and returns them all.
func (s *ActivationsService) SetVariable(ctx context.Context, environmentID, activationID, name string, value any, opts ...versori.Option) (versori.DynamicVariables, error) {
	path, err := activationPath(environmentID, activationID)
	variable, nameErr := segment("name", name)
	err = cmp.Or(err, nameErr)
	if err == nil && (union.IsNil(value) || string(asRaw(value)) == "null") {
		err = invalid("value", "must not be null")
	}
	body := struct {
		Value any `json:"value"`
	}{value}
	r := versori.Request{Operation: "SetDynamicVariable", Method: http.MethodPut, Path: orgOf(s) + path + "/variables/" + variable, Body: body}
	return deref(send(ctx, s, err, r, new(versori.DynamicVariables), opts))
}

// SetStaticVariables sets some of the variables of an environment's static
// activation (SetStaticUserVariables), and returns them all.
func (s *ActivationsService) SetStaticVariables(ctx context.Context, environmentID string, vars versori.DynamicVariables, opts ...versori.Option) (versori.DynamicVariables, error) {
	env, err := segment("environmentID", environmentID)
	r := versori.Request{Operation: "SetStaticUserVariables", Method: http.MethodPatch, Path: orgOf(s) + "/environments/" + env + "/variables", Body: vars}
	return deref(send(ctx, s, cmp.Or(err, notEmpty(vars)), r, new(versori.DynamicVariables), opts))
}

// GetConnection returns the connection an activation uses for one connection
// template (GetActivationConnection).
func (s *ActivationsService) GetConnection(ctx context.Context, activationID, templateID string, opts ...versori.Option) (*Connection, error) {
	tmpl, err := segment("templateID", templateID)
	id, idErr := segment("activationID", activationID)
	r := versori.Request{Operation: "GetActivationConnection", Method: http.MethodGet, Path: orgOf(s) + "/environment-systems/" + tmpl + "/activations/" + id}
	return send(ctx, s, cmp.Or(err, idErr), r, new(Connection), opts)
}

func activationPath(environmentID, activationID string) (string, error) {
	env, err := segment("environmentID", environmentID)
	id, idErr := segment("activationID", activationID)
	return "/environments/" + env + "/activations/" + id, cmp.Or(err, idErr)
}

// notEmpty refuses an empty set of variables to set: the API would change
// nothing.
func notEmpty(vars versori.DynamicVariables) error {
	if len(vars) == 0 {
		return invalid("variables", "is empty")
	}
	return nil
}

// asRaw returns value's bytes when it is raw JSON.
func asRaw(value any) []byte {
	if r, ok := value.(json.RawMessage); ok {
		return r
	}
	return nil
}

// Activation is an environment activated for an end user.
type Activation struct {
	ID               string                   `json:"id" required:"true"`
	User             EndUser                  `json:"user" required:"true"`
	Environment      *ProjectEnvironment      `json:"environment,omitempty"`
	Connections      []Connection             `json:"connections,omitempty"`
	DynamicVariables versori.DynamicVariables `json:"dynamicVariables,omitempty"`
}

// CreateActivationParams is the body of ActivationsService.Create.
type CreateActivationParams struct {
	User             User                     // the end user: an ExternalID or a UserID
	EnvironmentID    string                   // the environment to activate
	Connections      []ActivationConnection   // a connection per dynamic connection template
	DynamicVariables versori.DynamicVariables // values for the project's variables schema
}

// ActivationConnection binds a connection template to a connection when
// activating: set exactly one of Connection (a new connection) and
// ExistingConnectionID.
type ActivationConnection struct {
	TemplateID           string            `json:"connectionTemplateId"`
	Connection           *ConnectionCreate `json:"connection,omitempty"`
	ExistingConnectionID string            `json:"existingConnectionId,omitempty"`
}

func (p CreateActivationParams) validate() error {
	if p.User == nil || union.IsNil(p.User) {
		return invalid("user", "is required")
	}
	if err := required("user", p.User.userID()); err != nil {
		return err
	}
	if err := required("environmentId", p.EnvironmentID); err != nil {
		return err
	}
	for i, c := range p.Connections {
		field := "connections[" + strconv.Itoa(i) + "]"
		if err := required(field+".templateId", c.TemplateID); err != nil {
			return err
		}
		switch {
		case c.Connection != nil && c.ExistingConnectionID != "":
			return invalid(field, "sets both connection and existingConnectionId: set one")
		case c.Connection != nil:
			if err := c.Connection.validate(field + ".connection"); err != nil {
				return err
			}
		case c.ExistingConnectionID == "":
			return invalid(field, "sets neither connection nor existingConnectionId")
		}
	}
	return nil
}
