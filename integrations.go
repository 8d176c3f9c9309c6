package versori

import (
	"cmp"
	"context"
	"encoding/json"
	"iter"
	"net/http"

	"github.com/versori-go/versori/internal/pager"
)

// IntegrationsService calls the integration and connection template
// operations: what a hub offers its end users, and which connections each
// integration needs.
type IntegrationsService service

// Create creates an integration in a hub (CreateIntegration), optionally with
// its first connection template. New integrations are not deployed.
func (s *IntegrationsService) Create(ctx context.Context, hubID string, params CreateIntegrationParams, opts ...Option) (*Integration, error) {
	params.OrganisationID = cmp.Or(params.OrganisationID, clientOf(s).OrganisationID())
	hub, err := segment("hubID", hubID)
	err = cmp.Or(err, params.validate())
	if t := params.ConnectionTemplate; t != nil {
		withID := *t
		withID.AuthSchemeConfig = withID.AuthSchemeConfig.withID()
		params.ConnectionTemplate = &withID
	}
	return send(ctx, s, err, call{op: "CreateIntegration", method: http.MethodPost, path: "/hubs/" + hub + "/integrations", body: params}, new(Integration), opts)
}

// List returns a hub's integrations, deployed or not (ListIntegrations). Do
// not show this list to end users; use EmbedService.ListIntegrations. Unlike
// other lists the API returns a total and no cursors: page with After set to
// the last integration's ID, or use All.
func (s *IntegrationsService) List(ctx context.Context, hubID string, params *ListIntegrationsParams, opts ...Option) (*IntegrationPage, error) {
	hub, err := segment("hubID", hubID)
	p := copyOf(params)
	q, qErr := pageQuery(p.First, p.After, p.Before)
	q.Add("search", p.Search)
	return send(ctx, s, cmp.Or(err, qErr), call{op: "ListIntegrations", method: http.MethodGet, path: "/hubs/" + hub + "/integrations", query: q.String()}, new(IntegrationPage), opts)
}

// All iterates over a hub's integrations, paging by the last ID seen until
// the API's total is reached or a page comes back empty. params may be nil.
func (s *IntegrationsService) All(ctx context.Context, hubID string, params *ListIntegrationsParams, opts ...Option) iter.Seq2[Integration, error] {
	p := copyOf(params)
	return func(yield func(Integration, error) bool) {
		seen := 0 // per iteration, so ranging twice over one iterator starts afresh
		pages := pager.All("ListIntegrations", p.After, func(cursor string) ([]Integration, string, error) {
			page, err := s.List(ctx, hubID, p.at(cursor), opts...)
			if err != nil {
				return nil, "", err
			}
			seen += len(page.Integrations)
			if n := len(page.Integrations); n > 0 && seen < page.Total {
				return page.Integrations, page.Integrations[n-1].ID, nil
			}
			return page.Integrations, "", nil
		})
		pages(yield)
	}
}

// Get returns an integration (GetIntegration).
func (s *IntegrationsService) Get(ctx context.Context, integrationID string, opts ...Option) (*Integration, error) {
	id, err := segment("integrationID", integrationID)
	return send(ctx, s, err, call{op: "GetIntegration", method: http.MethodGet, path: "/integrations/" + id}, new(Integration), opts)
}

// Update changes an integration's details (UpdateIntegration); zero fields
// are left unchanged.
func (s *IntegrationsService) Update(ctx context.Context, integrationID string, params UpdateIntegrationParams, opts ...Option) (*Integration, error) {
	id, err := segment("integrationID", integrationID)
	err = cmp.Or(err, validSchema("variablesSchema", params.VariablesSchema))
	return send(ctx, s, err, call{op: "UpdateIntegration", method: http.MethodPatch, path: "/integrations/" + id, body: params}, new(Integration), opts)
}

// Delete deletes an integration (DeleteIntegration). A deployed integration
// cannot be deleted: the API answers with an error.
func (s *IntegrationsService) Delete(ctx context.Context, integrationID string, opts ...Option) error {
	id, err := segment("integrationID", integrationID)
	return exec(ctx, s, err, call{op: "DeleteIntegration", method: http.MethodDelete, path: "/integrations/" + id}, nil, opts)
}

// CreateConnectionTemplate adds a connection template (a "hub connector") to an
// integration (CreateHubConnectionTemplate): a connector end users connect to
// when activating, and the auth scheme they use.
func (s *IntegrationsService) CreateConnectionTemplate(ctx context.Context, integrationID string, params CreateConnectionTemplateParams, opts ...Option) (*ConnectionTemplate, error) {
	id, err := segment("integrationID", integrationID)
	err = cmp.Or(err, params.validate("connectorId", "authSchemeConfig"))
	params.AuthSchemeConfig = params.AuthSchemeConfig.withID()
	k := call{op: "CreateHubConnectionTemplate", method: http.MethodPost, path: "/integrations/" + id + "/connection-templates", body: params}
	return send(ctx, s, err, k, new(ConnectionTemplate), opts)
}

// ListConnectionTemplates returns a page of an integration's connection
// templates (ListIntegrationConnectionTemplates). params may be nil.
func (s *IntegrationsService) ListConnectionTemplates(ctx context.Context, integrationID string, params *ListConnectionTemplatesParams, opts ...Option) (*ConnectionTemplatePage, error) {
	id, err := segment("integrationID", integrationID)
	p := copyOf(params)
	q, qErr := pageQuery(p.First, p.After, p.Before)
	k := call{op: "ListIntegrationConnectionTemplates", method: http.MethodGet, path: "/integrations/" + id + "/connection-templates", query: q.String()}
	return send(ctx, s, cmp.Or(err, qErr), k, new(ConnectionTemplatePage), opts)
}

// AllConnectionTemplates iterates over an integration's connection
// templates, one page in memory at a time. params may be nil.
func (s *IntegrationsService) AllConnectionTemplates(ctx context.Context, integrationID string, params *ListConnectionTemplatesParams, opts ...Option) iter.Seq2[ConnectionTemplate, error] {
	p := copyOf(params)
	return pager.All("ListIntegrationConnectionTemplates", p.After, func(cursor string) ([]ConnectionTemplate, string, error) {
		page, err := s.ListConnectionTemplates(ctx, integrationID, p.at(cursor), opts...)
		return pager.Items(page, err, (*ConnectionTemplatePage).items)
	})
}

// UpdateMetadata records which connection templates an integration uses
// (UpdateIntegrationMetadata).
//
// Internal: the spec tags this operation Internal; Versori's own services
// (switchboard) call it when an integration is deployed.
func (s *IntegrationsService) UpdateMetadata(ctx context.Context, integrationID string, params IntegrationMetadata, opts ...Option) error {
	id, err := segment("integrationID", integrationID)
	if params.UsedConnectionTemplates == nil {
		params.UsedConnectionTemplates = []string{} // the API takes an array, not null
	}
	return exec(ctx, s, err, call{op: "UpdateIntegrationMetadata", method: http.MethodPut, path: "/integrations/" + id + "/metadata", body: params}, nil, opts)
}

// Integration is an embedded integration of a hub.
type Integration struct {
	ID              string          `json:"id" required:"true"`
	Name            string          `json:"name" required:"true"`
	ImageURL        string          `json:"imageUrl,omitempty"`
	ScreenshotURL   string          `json:"screenshotUrl,omitempty"`
	Description     string          `json:"description,omitempty"`
	VariablesSchema json.RawMessage `json:"variablesSchema,omitempty"` // JSON schema of the dynamic variables
	BoardID         string          `json:"boardId" required:"true"`   // the board that implements it
}

// IntegrationPage is the result of IntegrationsService.List: a total, and no
// cursors.
type IntegrationPage struct {
	Total        int           `json:"total" required:"true"` // integrations in the hub matching the search
	Integrations []Integration `json:"integrations" required:"true"`
}

// ListIntegrationsParams filters and pages IntegrationsService.List. After
// and Before take integration IDs (see List).
type ListIntegrationsParams struct {
	First  int    // page size; 0 means the API's default (20)
	After  string // the page after this integration ID
	Before string // the page before this integration ID
	Search string // matched against the integrations' names
}

// at returns a copy of p asking for the page after the integration ID
// cursor, for All.
func (p ListIntegrationsParams) at(cursor string) *ListIntegrationsParams {
	p.After, p.Before = cursor, ""
	return &p
}

// ListConnectionTemplatesParams pages IntegrationsService.ListConnectionTemplates.
type ListConnectionTemplatesParams struct {
	First  int    // page size; 0 means the API's default (20)
	After  string // the page after this cursor (a PageInfo.Next)
	Before string // the page before this cursor (a PageInfo.Prev)
}

// at returns a copy of p asking for the page at cursor, for
// IntegrationsService.AllConnectionTemplates.
func (p ListConnectionTemplatesParams) at(cursor string) *ListConnectionTemplatesParams {
	p.After, p.Before = cursor, ""
	return &p
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

func (p CreateIntegrationParams) validate() error {
	err := cmp.Or(required("organisationId", p.OrganisationID), required("name", p.Name), validSchema("variablesSchema", p.VariablesSchema))
	if err == nil && p.ConnectionTemplate != nil {
		err = p.ConnectionTemplate.validate("connectionTemplate.connectorId", "connectionTemplate.authSchemeConfig")
	}
	return err
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
	ID               string               `json:"id" required:"true"`
	ConnectorID      string               `json:"connectorId" required:"true"`
	Name             string               `json:"name" required:"true"`
	ImageURL         string               `json:"imageUrl" required:"true"`
	IsUsed           bool                 `json:"isUsed" required:"true"`    // used by the deployed integration
	IsPrimary        bool                 `json:"isPrimary" required:"true"` // the hub's primary connector
	AuthSchemeConfig AuthSchemeConfig     `json:"authSchemeConfig" required:"true"`
	Variables        []ConnectionVariable `json:"variables,omitempty"` // default variables, where the API sends them
}

// ConnectionTemplatePage is a page of connection templates.
type ConnectionTemplatePage struct {
	PageInfo
	ConnectionTemplates []ConnectionTemplate `json:"connectionTemplates" required:"true"`
}

// items returns the page's templates and the next page's cursor, for
// IntegrationsService.AllConnectionTemplates.
func (p *ConnectionTemplatePage) items() ([]ConnectionTemplate, string) {
	return p.ConnectionTemplates, p.Next
}

// CreateConnectionTemplateParams is the body of
// IntegrationsService.CreateConnectionTemplate.
type CreateConnectionTemplateParams struct {
	ConnectorID      string           `json:"connectorId"`
	AuthSchemeConfig AuthSchemeConfig `json:"authSchemeConfig"`
}

func (p CreateConnectionTemplateParams) validate(connectorField, schemeField string) error {
	return cmp.Or(required(connectorField, p.ConnectorID), p.AuthSchemeConfig.validate(schemeField))
}

// IntegrationMetadata is the body of IntegrationsService.UpdateMetadata.
type IntegrationMetadata struct {
	UsedConnectionTemplates []string `json:"usedConnectionTemplates"` // IDs of the templates in use
}
