package platform

import (
	"cmp"
	"context"
	"iter"
	"net/http"
	"strconv"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/pager"
)

// TemplatesService calls the connection template operations. A connection
// template links a system to a project's environment: it is the connection
// the environment's integration code references by name, static (one
// connection for everyone) or dynamic (one per end user).
type TemplatesService service

// Create links a system to an environment of a project
// (CreateConnectionTemplate). The environment is required: the spec's
// required list names "environment", a property it does not have, where it
// means environmentId (erratum E4), and the API refuses a link without one.
func (s *TemplatesService) Create(ctx context.Context, projectID string, params CreateConnectionTemplateParams, opts ...versori.Option) (*ConnectionTemplate, error) {
	project, err := segment("projectID", projectID)
	err = cmp.Or(err, required("systemId", params.SystemID), required("name", params.Name), required("environmentId", params.EnvironmentID))
	r := versori.Request{Operation: "CreateConnectionTemplate", Method: http.MethodPost, Path: orgOf(s) + "/projects/" + project + "/connection-templates", Body: params}
	return send(ctx, s, err, r, new(ConnectionTemplate), opts)
}

// List returns a page of a project's connection templates
// (ListProjectConnectionTemplates). params may be nil. The spec declares no
// cursor parameters here though the page has cursors; they are sent when
// set.
func (s *TemplatesService) List(ctx context.Context, projectID string, params *ListConnectionTemplatesParams, opts ...versori.Option) (*EnvironmentSystemPage, error) {
	project, err := segment("projectID", projectID)
	p := copyOf(params)
	q, qErr := pageQuery(p.First, p.After, p.Before)
	set(q, "env_id", p.EnvironmentID)
	r := versori.Request{Operation: "ListProjectConnectionTemplates", Method: http.MethodGet, Path: orgOf(s) + "/projects/" + project + "/connection-templates", Query: q}
	return send(ctx, s, cmp.Or(err, qErr), r, new(EnvironmentSystemPage), opts)
}

// All iterates over a project's connection templates, one page in memory at
// a time. params may be nil.
func (s *TemplatesService) All(ctx context.Context, projectID string, params *ListConnectionTemplatesParams, opts ...versori.Option) iter.Seq2[ConnectionTemplate, error] {
	p := copyOf(params)
	return pager.All("ListProjectConnectionTemplates", p.After, func(cursor string) ([]ConnectionTemplate, string, error) {
		page, err := s.List(ctx, projectID, p.at(cursor), opts...)
		return pager.Items(page, err, (*EnvironmentSystemPage).items)
	})
}

// Update changes a connection template's name, kind or auth scheme configs
// (UpdateConnectionTemplate). templateID is the template's own ID
// (ConnectionTemplate.ConnectionTemplateID). Zero fields are not sent.
func (s *TemplatesService) Update(ctx context.Context, projectID, templateID string, params UpdateConnectionTemplateParams, opts ...versori.Option) (*ConnectionTemplate, error) {
	path, err := templatePath(projectID, templateID)
	for i, id := range params.AuthSchemeConfigIDs {
		err = cmp.Or(err, required("authSchemeConfigIds["+strconv.Itoa(i)+"]", id))
	}
	return send(ctx, s, err, versori.Request{Operation: "UpdateConnectionTemplate", Method: http.MethodPut, Path: orgOf(s) + path, Body: params}, new(ConnectionTemplate), opts)
}

// Delete removes a connection template from its environment
// (DeleteConnectionTemplate). templateID is as for Update.
func (s *TemplatesService) Delete(ctx context.Context, projectID, templateID string, opts ...versori.Option) error {
	path, err := templatePath(projectID, templateID)
	return exec(ctx, s, err, versori.Request{Operation: "DeleteConnectionTemplate", Method: http.MethodDelete, Path: orgOf(s) + path}, nil, opts)
}

// templatePath returns the path of one connection template.
func templatePath(projectID, templateID string) (string, error) {
	project, err := segment("projectID", projectID)
	template, idErr := segment("templateID", templateID)
	return "/projects/" + project + "/connection-templates/" + template, cmp.Or(err, idErr)
}

// ConnectionTemplate is a system as linked to an environment: the connection
// the environment needs, and how it authenticates. Mind its two IDs: the
// API's `id` is the SYSTEM's (for SystemsService.InitialiseOAuth2), and
// `connectionTemplateId` is the template's own (for connections, Update and
// Delete).
type ConnectionTemplate struct {
	SystemID             string             `json:"id" required:"true"`
	ConnectionTemplateID string             `json:"connectionTemplateId,omitempty"`
	Name                 string             `json:"name" required:"true"` // how integration code references the connection
	Domain               string             `json:"domain" required:"true"`
	Dynamic              bool               `json:"dynamic" required:"true"` // one connection per end user, not one for all
	TemplateBaseURL      string             `json:"templateBaseUrl" required:"true"`
	AuthSchemeConfigs    []AuthSchemeConfig `json:"authSchemeConfigs" required:"true"` // applied in order, where there are several
}

// EnvironmentSystemPage is a page of connection templates.
type EnvironmentSystemPage struct {
	versori.PageInfo
	Items []ConnectionTemplate `json:"items" required:"true"`
}

// items returns the page's templates and the next page's cursor, for All.
func (p *EnvironmentSystemPage) items() ([]ConnectionTemplate, string) { return p.Items, p.Next }

// CreateConnectionTemplateParams is the body of TemplatesService.Create.
type CreateConnectionTemplateParams struct {
	SystemID      string `json:"systemId"`
	Name          string `json:"name"`             // how integration code will reference the connection
	EnvironmentID string `json:"environmentId"`    // the environment to link the system to (required)
	Dynamic       bool   `json:"dynamic,omitzero"` // one connection per end user; false for one static connection
}

// ListConnectionTemplatesParams filters and pages TemplatesService.List.
type ListConnectionTemplatesParams struct {
	EnvironmentID string // only the templates of this environment
	First         int    // page size; 0 means the API's default (20)
	After         string // the page after this cursor (a PageInfo.Next)
	Before        string // the page before this cursor (a PageInfo.Prev)
}

// at returns a copy of p asking for the page at cursor, for All.
func (p ListConnectionTemplatesParams) at(cursor string) *ListConnectionTemplatesParams {
	p.After, p.Before = cursor, ""
	return &p
}

// UpdateConnectionTemplateParams is the body of TemplatesService.Update. Zero
// fields are not sent; set Dynamic with versori.Ptr.
type UpdateConnectionTemplateParams struct {
	Name                string   `json:"name,omitempty"`
	Dynamic             *bool    `json:"dynamic,omitempty"`
	AuthSchemeConfigIDs []string `json:"authSchemeConfigIds,omitempty"` // the system's configs to use, most often one
}
