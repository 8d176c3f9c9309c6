package platform

import (
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
type TemplatesService struct{ c *Client }

// Create links a system to an environment of a project
// (CreateConnectionTemplate).
func (s *TemplatesService) Create(ctx context.Context, projectID string, params CreateConnectionTemplateParams, opts ...versori.Option) (*ConnectionTemplate, error) {
	project, err := segment("projectID", projectID)
	if err != nil {
		return nil, err
	}
	if err := required("systemId", params.SystemID); err != nil {
		return nil, err
	}
	if err := required("name", params.Name); err != nil {
		return nil, err
	}
	out := new(ConnectionTemplate)
	return result(out, s.client().call(ctx, "CreateConnectionTemplate", http.MethodPost, "/projects/"+project+"/connection-templates", nil, params, out, opts))
}

// List returns a page of a project's connection templates
// (ListProjectConnectionTemplates). params may be nil. The spec declares no
// cursor parameters here though the page has cursors; they are sent when
// set.
func (s *TemplatesService) List(ctx context.Context, projectID string, params *ListConnectionTemplatesParams, opts ...versori.Option) (*EnvironmentSystemPage, error) {
	project, err := segment("projectID", projectID)
	if err != nil {
		return nil, err
	}
	if params == nil {
		params = &ListConnectionTemplatesParams{}
	}
	q, err := pageQuery(params.First, params.After, params.Before)
	if err != nil {
		return nil, err
	}
	if params.EnvironmentID != "" {
		q.Set("env_id", params.EnvironmentID)
	}
	out := new(EnvironmentSystemPage)
	return result(out, s.client().call(ctx, "ListProjectConnectionTemplates", http.MethodGet, "/projects/"+project+"/connection-templates", q, nil, out, opts))
}

// All iterates over a project's connection templates, one page in memory at
// a time. params may be nil.
func (s *TemplatesService) All(ctx context.Context, projectID string, params *ListConnectionTemplatesParams, opts ...versori.Option) iter.Seq2[ConnectionTemplate, error] {
	p := ListConnectionTemplatesParams{}
	if params != nil {
		p = *params
	}
	return pager.All("ListProjectConnectionTemplates", p.After, func(cursor string) ([]ConnectionTemplate, string, error) {
		q := p // a copy per page: one iterator may be ranged by several goroutines
		q.After, q.Before = cursor, ""
		page, err := s.List(ctx, projectID, &q, opts...)
		if err != nil {
			return nil, "", err
		}
		return page.Items, page.Next, nil
	})
}

// Update changes a connection template's name, kind or auth scheme configs
// (UpdateConnectionTemplate). templateID is the template's own ID
// (ConnectionTemplate.ConnectionTemplateID). Zero fields are not sent.
func (s *TemplatesService) Update(ctx context.Context, projectID, templateID string, params UpdateConnectionTemplateParams, opts ...versori.Option) (*ConnectionTemplate, error) {
	path, err := templatePath(projectID, templateID)
	if err != nil {
		return nil, err
	}
	for i, id := range params.AuthSchemeConfigIDs {
		if err := required("authSchemeConfigIds["+strconv.Itoa(i)+"]", id); err != nil {
			return nil, err
		}
	}
	out := new(ConnectionTemplate)
	return result(out, s.client().call(ctx, "UpdateConnectionTemplate", http.MethodPut, path, nil, params, out, opts))
}

// Delete removes a connection template from its environment
// (DeleteConnectionTemplate). templateID is as for Update.
func (s *TemplatesService) Delete(ctx context.Context, projectID, templateID string, opts ...versori.Option) error {
	path, err := templatePath(projectID, templateID)
	if err != nil {
		return err
	}
	return s.client().call(ctx, "DeleteConnectionTemplate", http.MethodDelete, path, nil, nil, nil, opts)
}

// templatePath returns the path of one connection template.
func templatePath(projectID, templateID string) (string, error) {
	project, err := segment("projectID", projectID)
	if err != nil {
		return "", err
	}
	template, err := segment("templateID", templateID)
	if err != nil {
		return "", err
	}
	return "/projects/" + project + "/connection-templates/" + template, nil
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

// CreateConnectionTemplateParams is the body of TemplatesService.Create.
type CreateConnectionTemplateParams struct {
	SystemID      string `json:"systemId"`
	Name          string `json:"name"`                    // how integration code will reference the connection
	EnvironmentID string `json:"environmentId,omitempty"` // the environment to link the system to
	Dynamic       bool   `json:"dynamic,omitzero"`        // one connection per end user; false for one static connection
}

// ListConnectionTemplatesParams filters and pages TemplatesService.List.
type ListConnectionTemplatesParams struct {
	EnvironmentID string // only the templates of this environment
	First         int    // page size; 0 means the API's default (20)
	After         string // the page after this cursor (a PageInfo.Next)
	Before        string // the page before this cursor (a PageInfo.Prev)
}

// UpdateConnectionTemplateParams is the body of TemplatesService.Update. Zero
// fields are not sent; set Dynamic with versori.Ptr.
type UpdateConnectionTemplateParams struct {
	Name                string   `json:"name,omitempty"`
	Dynamic             *bool    `json:"dynamic,omitempty"`
	AuthSchemeConfigIDs []string `json:"authSchemeConfigIds,omitempty"` // the system's configs to use, most often one
}
