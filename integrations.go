package versori

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"net/http"

	"github.com/versori-go/versori/internal/redact"
)

// IntegrationsService calls the integration and connection template
// operations: what a hub offers its end users, and which connections each
// integration needs.
type IntegrationsService struct{ c *Client }

// Create creates an integration in a hub (CreateIntegration), optionally with
// its first connection template. New integrations are not deployed.
func (s *IntegrationsService) Create(ctx context.Context, hubID string, params CreateIntegrationParams, opts ...CallOption) (*Integration, error) {
	hub, err := segment("hubID", hubID)
	if err != nil {
		return nil, err
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	out := new(Integration)
	return out, s.c.do(ctx, call{op: "CreateIntegration", method: http.MethodPost, path: "/hubs/" + hub + "/integrations", body: params}, out, opts)
}

// List returns a hub's integrations, deployed or not (ListIntegrations). Do not
// show this list to end users; use EmbedService.ListIntegrations. Unlike other
// lists the API returns a total and no cursors: page with
// ListOptions.After set to the last integration's ID, or use All.
func (s *IntegrationsService) List(ctx context.Context, hubID string, params *ListIntegrationsParams, opts ...CallOption) (*IntegrationList, error) {
	hub, err := segment("hubID", hubID)
	if err != nil {
		return nil, err
	}
	if params == nil {
		params = &ListIntegrationsParams{}
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
	out := new(IntegrationList)
	return out, s.c.do(ctx, call{op: "ListIntegrations", method: http.MethodGet, path: "/hubs/" + hub + "/integrations", query: q.String()}, out, opts)
}

// All iterates over a hub's integrations, paging by the last ID seen until
// the API's total is reached or a page comes back empty. params may be nil.
func (s *IntegrationsService) All(ctx context.Context, hubID string, params *ListIntegrationsParams, opts ...CallOption) iter.Seq2[Integration, error] {
	p := ListIntegrationsParams{}
	if params != nil {
		p = *params
	}
	seen := 0
	return paginate(p.ListOptions, func(lo ListOptions) ([]Integration, PageInfo, error) {
		p.ListOptions = lo
		list, err := s.List(ctx, hubID, &p, opts...)
		if err != nil {
			return nil, PageInfo{}, err
		}
		seen += len(list.Integrations)
		info := PageInfo{TotalCount: list.Total}
		if n := len(list.Integrations); n > 0 && seen < list.Total {
			info.Next = list.Integrations[n-1].ID
		}
		return list.Integrations, info, nil
	})
}

// Get returns an integration (GetIntegration).
func (s *IntegrationsService) Get(ctx context.Context, integrationID string, opts ...CallOption) (*Integration, error) {
	id, err := segment("integrationID", integrationID)
	if err != nil {
		return nil, err
	}
	out := new(Integration)
	return out, s.c.do(ctx, call{op: "GetIntegration", method: http.MethodGet, path: "/integrations/" + id}, out, opts)
}

// Update changes an integration's details (UpdateIntegration); zero fields
// are left unchanged.
func (s *IntegrationsService) Update(ctx context.Context, integrationID string, params UpdateIntegrationParams, opts ...CallOption) (*Integration, error) {
	id, err := segment("integrationID", integrationID)
	if err != nil {
		return nil, err
	}
	if err := validSchema("variablesSchema", params.VariablesSchema); err != nil {
		return nil, err
	}
	out := new(Integration)
	return out, s.c.do(ctx, call{op: "UpdateIntegration", method: http.MethodPatch, path: "/integrations/" + id, body: params}, out, opts)
}

// Delete deletes an integration (DeleteIntegration). A deployed integration
// cannot be deleted: the API answers with an error.
func (s *IntegrationsService) Delete(ctx context.Context, integrationID string, opts ...CallOption) error {
	id, err := segment("integrationID", integrationID)
	if err != nil {
		return err
	}
	return s.c.do(ctx, call{op: "DeleteIntegration", method: http.MethodDelete, path: "/integrations/" + id}, nil, opts)
}

// CreateConnectionTemplate adds a connection template (a "hub connector") to an
// integration (CreateHubConnectionTemplate): a connector end users connect to
// when activating, and the auth scheme they use.
func (s *IntegrationsService) CreateConnectionTemplate(ctx context.Context, integrationID string, params CreateConnectionTemplateParams, opts ...CallOption) (*ConnectionTemplate, error) {
	id, err := segment("integrationID", integrationID)
	if err != nil {
		return nil, err
	}
	if err := params.validate("connectorId", "authSchemeConfig"); err != nil {
		return nil, err
	}
	out := new(ConnectionTemplate)
	return out, s.c.do(ctx, call{op: "CreateHubConnectionTemplate", method: http.MethodPost, path: "/integrations/" + id + "/connection-templates", body: params}, out, opts)
}

// ListConnectionTemplates returns a page of an integration's connection
// templates (ListIntegrationConnectionTemplates). opts may be nil.
func (s *IntegrationsService) ListConnectionTemplates(ctx context.Context, integrationID string, params *ListOptions, opts ...CallOption) (*ConnectionTemplatePage, error) {
	id, err := segment("integrationID", integrationID)
	if err != nil {
		return nil, err
	}
	if params == nil {
		params = &ListOptions{}
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	var q query
	params.addTo(&q)
	out := new(ConnectionTemplatePage)
	return out, s.c.do(ctx, call{op: "ListIntegrationConnectionTemplates", method: http.MethodGet, path: "/integrations/" + id + "/connection-templates", query: q.String()}, out, opts)
}

// AllConnectionTemplates iterates over an integration's connection templates
// page by page. params may be nil.
func (s *IntegrationsService) AllConnectionTemplates(ctx context.Context, integrationID string, params *ListOptions, opts ...CallOption) iter.Seq2[ConnectionTemplate, error] {
	start := ListOptions{}
	if params != nil {
		start = *params
	}
	return paginate(start, func(lo ListOptions) ([]ConnectionTemplate, PageInfo, error) {
		page, err := s.ListConnectionTemplates(ctx, integrationID, &lo, opts...)
		if err != nil {
			return nil, PageInfo{}, err
		}
		return page.ConnectionTemplates, page.PageInfo, nil
	})
}

// UpdateMetadata records which connection templates an integration uses
// (UpdateIntegrationMetadata).
//
// Internal: the spec tags this operation Internal; Versori's own services
// (switchboard) call it when an integration is deployed.
func (s *IntegrationsService) UpdateMetadata(ctx context.Context, integrationID string, params IntegrationMetadata, opts ...CallOption) error {
	id, err := segment("integrationID", integrationID)
	if err != nil {
		return err
	}
	if params.UsedConnectionTemplates == nil {
		params.UsedConnectionTemplates = []string{}
	}
	return s.c.do(ctx, call{op: "UpdateIntegrationMetadata", method: http.MethodPut, path: "/integrations/" + id + "/metadata", body: params}, nil, opts)
}

// Integration is an embedded integration of a hub.
type Integration struct {
	ID              string          `json:"id"`
	Name            string          `json:"name"`
	ImageURL        string          `json:"imageUrl,omitempty"`
	ScreenshotURL   string          `json:"screenshotUrl,omitempty"`
	Description     string          `json:"description,omitempty"`
	VariablesSchema json.RawMessage `json:"variablesSchema,omitempty"` // JSON schema of the dynamic variables
	BoardID         string          `json:"boardId"`                   // the board that implements it
}

// IntegrationList is the result of IntegrationsService.List.
type IntegrationList struct {
	Total        int           `json:"total"` // integrations in the hub matching the search
	Integrations []Integration `json:"integrations"`
}

// ListIntegrationsParams filters and pages IntegrationsService.List. After
// and Before take integration IDs (see List).
type ListIntegrationsParams struct {
	ListOptions
	Search string // matched against the integrations' names
}

// CreateIntegrationParams is the body of IntegrationsService.Create.
type CreateIntegrationParams struct {
	OrganisationID     string                          `json:"organisationId"`
	Name               string                          `json:"name"`
	Summary            string                          `json:"summary,omitempty"`
	Description        string                          `json:"description,omitempty"`
	VariablesSchema    json.RawMessage                 `json:"variablesSchema,omitempty"` // a JSON schema object
	ConnectionTemplate *CreateConnectionTemplateParams `json:"connectionTemplate,omitempty"`
}

// LogValue logs the params with any secret in the template masked.
func (p CreateIntegrationParams) LogValue() slog.Value { return redact.LogValue(p) }

// Format prints the params with any secret in the template masked. Without
// it, fmt prints the template pointer raw for verbs such as %s and %q.
func (p CreateIntegrationParams) Format(f fmt.State, verb rune) { redact.Format(f, verb, p) }

func (p CreateIntegrationParams) validate() error {
	if err := required("organisationId", p.OrganisationID); err != nil {
		return err
	}
	if err := required("name", p.Name); err != nil {
		return err
	}
	if err := validSchema("variablesSchema", p.VariablesSchema); err != nil {
		return err
	}
	if p.ConnectionTemplate != nil {
		return p.ConnectionTemplate.validate("connectionTemplate.connectorId", "connectionTemplate.authSchemeConfig")
	}
	return nil
}

// UpdateIntegrationParams is the body of IntegrationsService.Update. Zero
// fields are left unchanged.
type UpdateIntegrationParams struct {
	Name            string          `json:"name,omitempty"`
	ImageURL        string          `json:"imageUrl,omitempty"`
	Description     string          `json:"description,omitempty"`
	VariablesSchema json.RawMessage `json:"variablesSchema,omitempty"` // a JSON schema object
}

// validSchema checks a variables schema is a JSON object, since the API
// types it as one.
func validSchema(field string, schema json.RawMessage) error {
	if len(schema) == 0 {
		return nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(schema, &m); err != nil || m == nil {
		return &ValidationError{Field: field, Reason: "must be a JSON object"}
	}
	return nil
}

// ConnectionTemplate (a "hub connection template" or "hub connector") is a
// connector an integration needs, with the auth scheme end users connect with.
type ConnectionTemplate struct {
	ID               string               `json:"id"`
	ConnectorID      string               `json:"connectorId"`
	Name             string               `json:"name"`
	ImageURL         string               `json:"imageUrl"`
	IsUsed           bool                 `json:"isUsed"`    // used by the deployed integration
	IsPrimary        bool                 `json:"isPrimary"` // the hub's primary connector
	AuthSchemeConfig AuthSchemeConfig     `json:"authSchemeConfig"`
	Variables        []ConnectionVariable `json:"variables,omitempty"` // default variables, where the API sends them
}

// LogValue logs the template with any secret in its auth scheme masked.
func (t ConnectionTemplate) LogValue() slog.Value { return redact.LogValue(t) }

// ConnectionTemplatePage is a page of connection templates.
type ConnectionTemplatePage struct {
	PageInfo
	ConnectionTemplates []ConnectionTemplate `json:"connectionTemplates"`
}

// CreateConnectionTemplateParams is the body of
// IntegrationsService.CreateConnectionTemplate.
type CreateConnectionTemplateParams struct {
	ConnectorID      string           `json:"connectorId"`
	AuthSchemeConfig AuthSchemeConfig `json:"authSchemeConfig"`
}

// LogValue logs the params with any secret in the auth scheme masked.
func (p CreateConnectionTemplateParams) LogValue() slog.Value { return redact.LogValue(p) }

func (p CreateConnectionTemplateParams) validate(connectorField, schemeField string) error {
	if err := required(connectorField, p.ConnectorID); err != nil {
		return err
	}
	return p.AuthSchemeConfig.validate(schemeField)
}

// IntegrationMetadata is the body of IntegrationsService.UpdateMetadata.
type IntegrationMetadata struct {
	UsedConnectionTemplates []string `json:"usedConnectionTemplates"` // IDs of the templates in use
}

// LogValue logs the page with any secret in the templates' auth schemes masked.
func (p ConnectionTemplatePage) LogValue() slog.Value { return redact.LogValue(p) }
