package platform

import (
	"cmp"
	"context"
	"iter"
	"net/http"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/pager"
	"github.com/versori-go/versori/internal/union"
)

// SystemsService calls the operations on systems and their auth scheme
// configs. A system is an API the organisation's integrations connect to; its
// auth scheme configs say how a connection's credential is used with it.
type SystemsService service

// List returns a page of the organisation's systems (ListSystems). params may
// be nil.
func (s *SystemsService) List(ctx context.Context, params *ListSystemsParams, opts ...versori.Option) (*SystemPage, error) {
	p := copyOf(params)
	q, err := pageQuery(p.First, p.After, p.Before)
	set(q, "search", p.Search)
	return send(ctx, s, err, versori.Request{Operation: "ListSystems", Method: http.MethodGet, Path: orgOf(s) + "/systems", Query: q}, new(SystemPage), opts)
}

// All iterates over the organisation's systems, one page in memory at a time.
// params may be nil.
func (s *SystemsService) All(ctx context.Context, params *ListSystemsParams, opts ...versori.Option) iter.Seq2[System, error] {
	p := copyOf(params)
	return pager.All("ListSystems", p.After, func(cursor string) ([]System, string, error) {
		page, err := s.List(ctx, p.at(cursor), opts...)
		return pager.Items(page, err, (*SystemPage).items)
	})
}

// Get returns a system with its auth scheme configs (GetSystem).
func (s *SystemsService) Get(ctx context.Context, systemID string, opts ...versori.Option) (*System, error) {
	id, err := segment("systemID", systemID)
	return send(ctx, s, err, versori.Request{Operation: "GetSystem", Method: http.MethodGet, Path: orgOf(s) + "/systems/" + id}, new(System), opts)
}

// UpsertAuthSchemeConfig adds config to a system, or replaces the system's
// config with the same ID (UpsertAuthSchemeConfig). The ID is the caller's
// choice (a name such as "my-oauth", unique among the system's configs) and
// is sent in the path as well as the body, which the API requires to agree.
func (s *SystemsService) UpsertAuthSchemeConfig(ctx context.Context, systemID string, config AuthSchemeConfig, opts ...versori.Option) (*AuthSchemeConfig, error) {
	path, err := configPath(systemID, "config.id", config.ID)
	err = cmp.Or(err, validateScheme("config.scheme", config.Scheme))
	return send(ctx, s, err, versori.Request{Operation: "UpsertAuthSchemeConfig", Method: http.MethodPut, Path: orgOf(s) + path, Body: config}, new(AuthSchemeConfig), opts)
}

// DeleteAuthSchemeConfig removes an auth scheme config from a system
// (DeleteAuthSchemeConfig).
func (s *SystemsService) DeleteAuthSchemeConfig(ctx context.Context, systemID, configID string, opts ...versori.Option) error {
	path, err := configPath(systemID, "configID", configID)
	return exec(ctx, s, err, versori.Request{Operation: "DeleteAuthSchemeConfig", Method: http.MethodDelete, Path: orgOf(s) + path}, nil, opts)
}

// validateScheme checks a scheme to be created: set, with the values the
// spec requires of its type (its fields tagged required), and an OAuth 2.0
// scheme with a grant. A scheme read back from the API is not held to this:
// it is sent back as read.
func validateScheme(field string, scheme AuthScheme) error {
	scheme = union.Deref(scheme)
	if union.IsNil(scheme) {
		return invalid(field, "is required")
	}
	if name := union.MissingRequired(scheme); name != "" {
		return invalid(field+"."+name, "is required")
	}
	if o, ok := scheme.(OAuth2Scheme); ok && union.IsNil(union.Deref(o.Grant)) {
		return invalid(field+".grant", "is required")
	}
	return nil
}

// configPath returns the path of a system's auth scheme config, whose ID is
// the field idField.
func configPath(systemID, idField, configID string) (string, error) {
	sys, err := segment("systemID", systemID)
	id, idErr := segment(idField, configID)
	return "/systems/" + sys + "/auth-scheme-configs/" + id, cmp.Or(err, idErr)
}

// InitialiseOAuth2 returns the URL of the OAuth 2.0 provider's authorize
// endpoint to send a user to, to connect to a system
// (InitialiseOAuth2Connection). systemID is the system's ID, which a
// ConnectionTemplate holds in SystemID, not its ConnectionTemplateID. Only
// URLs made by this call work: the API adds a state it checks on the
// redirect. NewInitialiseOAuth2Params fills params from the system's OAuth2
// scheme. An empty Credential.OrganisationID is the client's organisation.
func (s *SystemsService) InitialiseOAuth2(ctx context.Context, systemID string, params InitialiseOAuth2Params, opts ...versori.Option) (*versori.OAuth2Authorization, error) {
	sys, err := segment("systemID", systemID)
	params.Credential.OrganisationID = cmp.Or(params.Credential.OrganisationID, clientOf(s).OrganisationID())
	r := versori.Request{Operation: "InitialiseOAuth2Connection", Method: http.MethodPost, Path: orgOf(s) + "/systems/" + sys + "/oauth2/initialise", Body: params}
	return send(ctx, s, cmp.Or(err, params.validate()), r, new(versori.OAuth2Authorization), opts)
}

// InitialiseOAuth1 returns the URL of the OAuth 1.0 provider's authorize
// endpoint to send a user to, to connect to a system
// (InitialiseOAuth1Connection). systemID is as for InitialiseOAuth2.
// NewInitialiseOAuth1Params fills params from the system's OAuth1 scheme. An
// empty Credential.OrganisationID is the client's organisation.
func (s *SystemsService) InitialiseOAuth1(ctx context.Context, systemID string, params InitialiseOAuth1Params, opts ...versori.Option) (*OAuth1Authorization, error) {
	sys, err := segment("systemID", systemID)
	params.Credential.OrganisationID = cmp.Or(params.Credential.OrganisationID, clientOf(s).OrganisationID())
	r := versori.Request{Operation: "InitialiseOAuth1Connection", Method: http.MethodPost, Path: orgOf(s) + "/systems/" + sys + "/oauth1/initialise", Body: params}
	return send(ctx, s, cmp.Or(err, required("credential.id", params.Credential.ID)), r, new(OAuth1Authorization), opts)
}

// System is an API the organisation connects to, and the ways it
// authenticates.
type System struct {
	ID                string             `json:"id" required:"true"`
	Name              string             `json:"name" required:"true"`
	Domain            string             `json:"domain" required:"true"`
	TemplateBaseURL   string             `json:"templateBaseUrl" required:"true"` // may hold {templated} values a connection fills in
	AuthSchemeConfigs []AuthSchemeConfig `json:"authSchemeConfigs" required:"true"`
}

// SystemPage is a page of systems.
type SystemPage struct {
	versori.PageInfo
	Items []System `json:"items" required:"true"`
}

// items returns the page's systems and the next page's cursor, for All.
func (p *SystemPage) items() ([]System, string) { return p.Items, p.Next }

// ListSystemsParams filters and pages SystemsService.List.
type ListSystemsParams struct {
	First  int    // page size; 0 means the API's default (20)
	After  string // the page after this cursor (a PageInfo.Next)
	Before string // the page before this cursor (a PageInfo.Prev)
	Search string // matched against the systems' names
}

// at returns a copy of p asking for the page at cursor, for All.
func (p ListSystemsParams) at(cursor string) *ListSystemsParams {
	p.After, p.Before = cursor, ""
	return &p
}

// InitialiseOAuth2Params is the body of SystemsService.InitialiseOAuth2.
type InitialiseOAuth2Params struct {
	Credential           versori.OAuth2ClientRef `json:"credential"`   // the stored OAuth 2.0 client (its secret stays with Versori)
	AuthorizeURL         string                  `json:"authorizeUrl"` // the provider's authorize endpoint
	ClientID             string                  `json:"clientId"`     // must match the stored client's ID
	Scopes               []string                `json:"scopes,omitempty"`
	DisableOfflineAccess bool                    `json:"disableOfflineAccess,omitzero"` // do not add the offline_access scope
	Prompt               string                  `json:"prompt,omitempty"`              // default "login", unless AdditionalParams has approval_prompt
	AdditionalParams     string                  `json:"additionalParams,omitempty"`    // URL-encoded extra query; must not repeat a standard parameter
	// RedirectURL is where the provider sends the user back to, instead of
	// Versori's own page. It is in the spec versori/cli uses, not yet in the
	// published one; an oauth2-code credential must then repeat it.
	RedirectURL string `json:"redirectUrl,omitempty"`
}

// NewInitialiseOAuth2Params returns the parameters of InitialiseOAuth2 for a
// system's OAuth 2.0 scheme with the authorization code grant, as a
// System's or a ConnectionTemplate's AuthSchemeConfig holds it: the grant's
// stored client credential and client ID, the scheme's authorize URL, and
// its default scopes as the scopes to ask for (set Scopes to ask for
// others). Any other scheme or grant is refused with a
// *versori.ValidationError.
func NewInitialiseOAuth2Params(scheme AuthScheme) (InitialiseOAuth2Params, error) {
	o, ok := union.Deref(scheme).(OAuth2Scheme)
	if !ok {
		return InitialiseOAuth2Params{}, invalid("scheme", "is not an OAuth 2.0 scheme (OAuth2Scheme)")
	}
	g, ok := union.Deref(o.Grant).(AuthorizationCodeGrant)
	if !ok {
		return InitialiseOAuth2Params{}, invalid("scheme.grant", "is not the authorization code grant (AuthorizationCodeGrant)")
	}
	return InitialiseOAuth2Params{
		Credential:   versori.OAuth2ClientRef{ID: g.CredentialID, OrganisationID: g.OrganisationID},
		AuthorizeURL: o.AuthorizeURL,
		ClientID:     g.ClientID,
		Scopes:       append([]string(nil), o.DefaultScopes...),
	}, nil
}

func (p InitialiseOAuth2Params) validate() error {
	return cmp.Or(
		required("credential.id", p.Credential.ID),
		required("credential.organisationId", p.Credential.OrganisationID),
		required("authorizeUrl", p.AuthorizeURL),
		required("clientId", p.ClientID),
	)
}

// InitialiseOAuth1Params is the body of SystemsService.InitialiseOAuth1.
type InitialiseOAuth1Params struct {
	Credential OAuth1ConsumerRef `json:"credential"` // the stored OAuth 1.0 consumer
}

// OAuth1ConsumerRef identifies the stored credential of an OAuth 1.0
// consumer: an OAuth1Scheme's CredentialID, in its organisation.
type OAuth1ConsumerRef struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisationId"`
}

// NewInitialiseOAuth1Params returns the parameters of InitialiseOAuth1 for a
// system's OAuth 1.0 scheme: its stored consumer credential. Any other
// scheme, or one without a CredentialID, is refused with a
// *versori.ValidationError.
func NewInitialiseOAuth1Params(scheme AuthScheme) (InitialiseOAuth1Params, error) {
	o, ok := union.Deref(scheme).(OAuth1Scheme)
	if !ok {
		return InitialiseOAuth1Params{}, invalid("scheme", "is not an OAuth 1.0 scheme (OAuth1Scheme)")
	}
	if err := required("scheme.credentialId", o.CredentialID); err != nil {
		return InitialiseOAuth1Params{}, err
	}
	return InitialiseOAuth1Params{Credential: OAuth1ConsumerRef{ID: o.CredentialID}}, nil
}

// OAuth1Authorization is the result of SystemsService.InitialiseOAuth1.
type OAuth1Authorization struct {
	URL string `json:"url" required:"true"` // where to redirect the user
}
