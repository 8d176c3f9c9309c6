package versori

import (
	"cmp"
	"context"
	"encoding/json"
	"iter"
	"net/http"

	"github.com/versori-go/versori/internal/pager"
	"github.com/versori-go/versori/internal/param"
)

// EmbedService calls the end-user-facing operations behind Versori's embedded
// integration hub UI: the integrations an end user can see and activate, and
// the start of an OAuth 2.0 connection.
type EmbedService service

// ListIntegrations returns a page of the integrations available to an end
// user (ListEndUserIntegrations), each saying whether the user activated it.
// params may be nil.
func (s *EmbedService) ListIntegrations(ctx context.Context, hubID string, user UserRef, params *ListEmbeddedIntegrationsParams, opts ...Option) (*EmbeddedIntegrationPage, error) {
	path, idType, err := userPath("/embed/", hubID, user)
	p := copyOf(params)
	q, qErr := pageQuery(p.First, p.After, p.Before)
	q.AddBool("deployed", p.Deployed)
	out := &EmbeddedIntegrationPage{Integrations: make([]EmbeddedIntegrationSummary, 0, param.PageCap(p.First))}
	return send(ctx, s, cmp.Or(err, qErr), call{op: "ListEndUserIntegrations", method: http.MethodGet, path: path + "/integrations", query: joinQuery(q.String(), idType)}, out, opts)
}

// AllIntegrations iterates over the integrations available to an end user,
// one page in memory at a time. params may be nil.
func (s *EmbedService) AllIntegrations(ctx context.Context, hubID string, user UserRef, params *ListEmbeddedIntegrationsParams, opts ...Option) iter.Seq2[EmbeddedIntegrationSummary, error] {
	p := copyOf(params)
	return pager.All("ListEndUserIntegrations", p.After, func(cursor string) ([]EmbeddedIntegrationSummary, string, error) {
		page, err := s.ListIntegrations(ctx, hubID, user, p.at(cursor), opts...)
		return pager.Items(page, err, (*EmbeddedIntegrationPage).items)
	})
}

// GetIntegration returns an integration as the end user sees it, with the
// connection templates they must connect to activate it (GetEmbeddedIntegration).
func (s *EmbedService) GetIntegration(ctx context.Context, hubID string, user UserRef, integrationID string, opts ...Option) (*EmbeddedIntegration, error) {
	path, idType, err := userPath("/embed/", hubID, user)
	integration, idErr := segment("integrationID", integrationID)
	k := call{op: "GetEmbeddedIntegration", method: http.MethodGet, path: path + "/integrations/" + integration, query: idType}
	return send(ctx, s, cmp.Or(err, idErr), k, new(EmbeddedIntegration), opts)
}

// InitialiseOAuth2 returns the URL of the OAuth 2.0 provider's authorize
// endpoint to send the end user to (InitialiseOAuth2EmbeddedConnection). Only
// URLs made by this call work: the API adds a state it checks on the redirect.
func (s *EmbedService) InitialiseOAuth2(ctx context.Context, hubID, connectorID string, params InitialiseOAuth2Params, opts ...Option) (*OAuth2Authorization, error) {
	params.Credential.OrganisationID = cmp.Or(params.Credential.OrganisationID, clientOf(s).OrganisationID())
	hub, err := segment("hubID", hubID)
	connector, idErr := segment("connectorID", connectorID)
	k := call{op: "InitialiseOAuth2EmbeddedConnection", method: http.MethodPost, path: "/embed/" + hub + "/connector/" + connector + "/oauth2/initialise", body: params}
	return send(ctx, s, cmp.Or(err, idErr, params.validate()), k, new(OAuth2Authorization), opts)
}

// EmbeddedIntegrationSummary is an integration as an end user sees it in a list.
type EmbeddedIntegrationSummary struct {
	ID              string          `json:"id" required:"true"`
	Name            string          `json:"name" required:"true"`
	ImageURL        string          `json:"imageUrl" required:"true"`
	Description     string          `json:"description" required:"true"`
	VariablesSchema json.RawMessage `json:"variablesSchema,omitempty"`   // JSON schema of the dynamic variables
	IsDeployed      bool            `json:"isDeployed" required:"true"`  // only deployed integrations can be activated
	IsActivated     bool            `json:"isActivated" required:"true"` // activated for this end user
}

// EmbeddedIntegration is an integration as an end user sees it, with what is
// needed to activate it.
type EmbeddedIntegration struct {
	EmbeddedIntegrationSummary
	ConnectionTemplates []ConnectionTemplate `json:"connectionTemplates" required:"true"` // connections to make when activating
}

// EmbeddedIntegrationPage is a page of integrations available to an end user.
type EmbeddedIntegrationPage struct {
	PageInfo
	Integrations   []EmbeddedIntegrationSummary `json:"integrations" required:"true"`
	TotalConnected int                          `json:"totalConnected"` // how many the user has activated
}

// items returns the page's integrations and the next page's cursor, for
// AllIntegrations.
func (p *EmbeddedIntegrationPage) items() ([]EmbeddedIntegrationSummary, string) {
	return p.Integrations, p.Next
}

// ListEmbeddedIntegrationsParams filters and pages EmbedService.ListIntegrations.
// The spec declares no cursor parameters for this call although its result is
// a cursor page; they are sent when set.
type ListEmbeddedIntegrationsParams struct {
	First    int    // page size; 0 means the API's default (20)
	After    string // the page after this cursor (a PageInfo.Next)
	Before   string // the page before this cursor (a PageInfo.Prev)
	Deployed *bool  // only deployed (Ptr(true)) or undeployed (Ptr(false)) integrations; nil for all
}

// at returns a copy of p asking for the page at cursor, for AllIntegrations.
func (p ListEmbeddedIntegrationsParams) at(cursor string) *ListEmbeddedIntegrationsParams {
	p.After, p.Before = cursor, ""
	return &p
}

// InitialiseOAuth2Params is the body of EmbedService.InitialiseOAuth2.
type InitialiseOAuth2Params struct {
	Credential           OAuth2ClientRef `json:"credential"`   // the stored OAuth 2.0 client (its secret stays with Versori)
	AuthorizeURL         string          `json:"authorizeUrl"` // the provider's authorize endpoint
	ClientID             string          `json:"clientId"`     // must match the stored client's ID
	Scopes               []string        `json:"scopes,omitempty"`
	DisableOfflineAccess bool            `json:"disableOfflineAccess,omitzero"` // do not add the offline_access scope
	Prompt               string          `json:"prompt,omitempty"`              // default "login", unless AdditionalParams has approval_prompt
	AdditionalParams     string          `json:"additionalParams,omitempty"`    // URL-encoded extra query; must not repeat a standard parameter
}

func (p InitialiseOAuth2Params) validate() error {
	return cmp.Or(
		required("credential.id", p.Credential.ID),
		required("credential.organisationId", p.Credential.OrganisationID),
		required("authorizeUrl", p.AuthorizeURL),
		required("clientId", p.ClientID),
	)
}

// OAuth2ClientRef identifies the credential holding an OAuth 2.0 client.
type OAuth2ClientRef struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisationId"`
}

// OAuth2Authorization is the result of EmbedService.InitialiseOAuth2.
type OAuth2Authorization struct {
	URL string `json:"url" required:"true"` // where to redirect the end user
}
