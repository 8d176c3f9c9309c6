package platform

import (
	"cmp"
	"context"
	"iter"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/pager"
	"github.com/versori-go/versori/internal/param"
	"github.com/versori-go/versori/internal/union"
)

// ConnectionsService calls the connection operations. A connection holds the
// credentials for one system: an end user's (dynamic) connection, made for
// one end user and connection template, or a static one, shared.
type ConnectionsService service

// Create makes a connection for a connection template (CreateConnection):
// the end user's own when params.ExternalID is set (one per user and
// template), a static one otherwise. Credential and connection-credential
// IDs left empty are minted, and the organisation filled in, as Versori's
// own clients do.
func (s *ConnectionsService) Create(ctx context.Context, params CreateConnectionParams, opts ...versori.Option) (*Connection, error) {
	err := cmp.Or(required("templateId", params.TemplateID), params.Connection.validate("connection"))
	params.Connection.Credentials = withIDs(params.Connection.Credentials, clientOf(s).OrganisationID())
	body := struct {
		TemplateID string           `json:"connectionTemplateId"`
		Connection ConnectionCreate `json:"connection"`
		ExternalID ExternalID       `json:"externalId,omitempty"`
	}{params.TemplateID, params.Connection, params.ExternalID}
	return send(ctx, s, err, versori.Request{Operation: "CreateConnection", Method: http.MethodPost, Path: orgOf(s) + "/connections", Body: body}, new(Connection), opts)
}

// List returns a page of the organisation's connections (ListConnections),
// filtered by system or end user. params may be nil.
func (s *ConnectionsService) List(ctx context.Context, params *ListConnectionsParams, opts ...versori.Option) (*ConnectionPage, error) {
	p := copyOf(params)
	q, err := pageQuery(p.First, p.After, p.Before)
	set(q, "system_id", p.SystemID)
	set(q, "end_user_id", string(p.EndUserID))
	out := &ConnectionPage{Items: make([]Connection, 0, param.PageCap(p.First))}
	return send(ctx, s, err, versori.Request{Operation: "ListConnections", Method: http.MethodGet, Path: orgOf(s) + "/connections", Query: q}, out, opts)
}

// All iterates over the connections List returns, one page in memory at a
// time. params may be nil.
func (s *ConnectionsService) All(ctx context.Context, params *ListConnectionsParams, opts ...versori.Option) iter.Seq2[Connection, error] {
	p := copyOf(params)
	return pager.All("ListConnections", p.After, func(cursor string) ([]Connection, string, error) {
		page, err := s.List(ctx, p.at(cursor), opts...)
		return pager.Items(page, err, (*ConnectionPage).items)
	})
}

// Get returns a connection (GetConnection).
func (s *ConnectionsService) Get(ctx context.Context, connectionID string, opts ...versori.Option) (*Connection, error) {
	id, err := segment("connectionID", connectionID)
	return send(ctx, s, err, versori.Request{Operation: "GetConnection", Method: http.MethodGet, Path: orgOf(s) + "/connections/" + id}, new(Connection), opts)
}

// Update replaces a connection's name, credentials and base URL
// (UpdateConnection). It is a full replace: send every credential the
// connection keeps.
func (s *ConnectionsService) Update(ctx context.Context, connectionID string, params UpdateConnectionParams, opts ...versori.Option) (*Connection, error) {
	id, err := segment("connectionID", connectionID)
	err = cmp.Or(err, ConnectionCreate{Name: params.Name, Credentials: params.Credentials}.validate(""))
	params.Credentials = withIDs(params.Credentials, clientOf(s).OrganisationID())
	return send(ctx, s, err, versori.Request{Operation: "UpdateConnection", Method: http.MethodPut, Path: orgOf(s) + "/connections/" + id, Body: params}, new(Connection), opts)
}

// Delete deletes a connection (DeleteConnection). An end user's connection
// in use by an activation cannot be deleted; a static one is deleted even
// when in use.
func (s *ConnectionsService) Delete(ctx context.Context, connectionID string, opts ...versori.Option) error {
	id, err := segment("connectionID", connectionID)
	return exec(ctx, s, err, versori.Request{Operation: "DeleteConnection", Method: http.MethodDelete, Path: orgOf(s) + "/connections/" + id}, nil, opts)
}

// Link links a static connection to a connection template
// (LinkConnectionToEnvironment).
func (s *ConnectionsService) Link(ctx context.Context, connectionID, templateID string, opts ...versori.Option) error {
	return s.link(ctx, "LinkConnectionToEnvironment", http.MethodPost, connectionID, templateID, opts)
}

// Unlink unlinks a static connection from a connection template
// (UnlinkConnectionFromEnvironment). The API takes a DELETE with a body.
func (s *ConnectionsService) Unlink(ctx context.Context, connectionID, templateID string, opts ...versori.Option) error {
	return s.link(ctx, "UnlinkConnectionFromEnvironment", http.MethodDelete, connectionID, templateID, opts)
}

func (s *ConnectionsService) link(ctx context.Context, op, method, connectionID, templateID string, opts []versori.Option) error {
	id, err := segment("connectionID", connectionID)
	body := struct {
		TemplateID string `json:"connectionTemplateId"`
	}{templateID}
	r := versori.Request{Operation: op, Method: method, Path: orgOf(s) + "/connections/" + id + "/link", Body: body}
	return exec(ctx, s, cmp.Or(err, required("templateId", templateID)), r, nil, opts)
}

// ListStatic returns a page of the static connections of a project's
// environment (ListEnvironmentConnections). params may be nil.
func (s *ConnectionsService) ListStatic(ctx context.Context, projectID, environmentID string, params *ListStaticConnectionsParams, opts ...versori.Option) (*ConnectionPage, error) {
	project, err := segment("projectID", projectID)
	p := copyOf(params)
	q, qErr := pageQuery(p.First, p.After, p.Before)
	set(q, "env_id", environmentID)
	r := versori.Request{Operation: "ListEnvironmentConnections", Method: http.MethodGet, Path: orgOf(s) + "/projects/" + project + "/connections", Query: q}
	return send(ctx, s, cmp.Or(err, qErr), r, new(ConnectionPage), opts)
}

// AllStatic iterates over the static connections ListStatic returns.
func (s *ConnectionsService) AllStatic(ctx context.Context, projectID, environmentID string, params *ListStaticConnectionsParams, opts ...versori.Option) iter.Seq2[Connection, error] {
	p := copyOf(params)
	return pager.All("ListEnvironmentConnections", p.After, func(cursor string) ([]Connection, string, error) {
		page, err := s.ListStatic(ctx, projectID, environmentID, p.at(cursor), opts...)
		return pager.Items(page, err, (*ConnectionPage).items)
	})
}

// Connection is a connection, with its credentials (secrets redacted).
type Connection struct {
	ID          string                 `json:"id" required:"true"`
	Name        string                 `json:"name" required:"true"`
	Credentials []ConnectionCredential `json:"credentials" required:"true"`
	BaseURL     string                 `json:"baseUrl,omitempty"`
	SystemID    string                 `json:"systemId,omitempty"`
	TemplateID  string                 `json:"connectionTemplateId,omitempty"`
	CreatedAt   time.Time              `json:"createdAt" required:"true"`
	UpdatedAt   time.Time              `json:"updatedAt" required:"true"`
}

// ConnectionPage is a page of connections.
type ConnectionPage struct {
	versori.PageInfo
	Items []Connection `json:"items" required:"true"`
}

// items returns the page's connections and the next page's cursor, for All
// and AllStatic.
func (p *ConnectionPage) items() ([]Connection, string) { return p.Items, p.Next }

// ConnectionCredential is one credential of a connection, with the auth
// scheme config saying how the system uses it: as read, and as sent (the SDK
// mints the IDs left empty).
type ConnectionCredential struct {
	ID               string           `json:"id" required:"true"`
	AuthSchemeConfig AuthSchemeConfig `json:"authSchemeConfig,omitzero"`
	Credential       Credential       `json:"credential,omitzero"`
}

// CredentialFor returns a connection credential named name holding data,
// used as scheme says: copy scheme from the connection template (or system)
// the connection is for.
func CredentialFor(scheme AuthSchemeConfig, name string, data CredentialData) ConnectionCredential {
	return ConnectionCredential{AuthSchemeConfig: scheme, Credential: Credential{Name: name, Data: data}}
}

// ExistingCredential returns a connection credential that keeps the stored
// credential with this ID as it is, used as scheme says: it is sent as
// {id, organisationId} alone. Reads redact a credential's secrets, so an
// update that keeps a credential refers to it this way rather than sending
// what it read (cc being one of the connection's credentials):
//
//	platform.ExistingCredential(cc.AuthSchemeConfig, cc.Credential.ID)
func ExistingCredential(scheme AuthSchemeConfig, credentialID string) ConnectionCredential {
	return ConnectionCredential{AuthSchemeConfig: scheme, Credential: Credential{ID: credentialID}}
}

// ConnectionCreate is a new connection: a name, its credentials, and the
// base URL of the system's API ("" to use the template's).
type ConnectionCreate struct {
	Name        string                 `json:"name"`
	Credentials []ConnectionCredential `json:"credentials"`
	BaseURL     string                 `json:"baseUrl,omitempty"`
}

// CreateConnectionParams says what ConnectionsService.Create makes.
type CreateConnectionParams struct {
	TemplateID string           // the connection template's ID (its connectionTemplateId)
	ExternalID ExternalID       // the end user it is for; empty for a static connection
	Connection ConnectionCreate // the connection
}

// UpdateConnectionParams is the body of ConnectionsService.Update.
type UpdateConnectionParams struct {
	Name        string                 `json:"name"`
	Credentials []ConnectionCredential `json:"credentials"` // every one the connection keeps: new ones, or ExistingCredential
	BaseURL     string                 `json:"baseUrl"`     // "" leaves it unchanged
}

// ListConnectionsParams filters and pages ConnectionsService.List.
type ListConnectionsParams struct {
	First     int    // page size; 0 means the API's default (20)
	After     string // the page after this cursor (a PageInfo.Next)
	Before    string // the page before this cursor (a PageInfo.Prev)
	SystemID  string // only connections to this system
	EndUserID UserID // only this end user's connections: Versori's ID, which the API requires here
}

// at returns a copy of p asking for the page at cursor, for All.
func (p ListConnectionsParams) at(cursor string) *ListConnectionsParams {
	p.After, p.Before = cursor, ""
	return &p
}

// ListStaticConnectionsParams pages ConnectionsService.ListStatic.
type ListStaticConnectionsParams struct {
	First  int    // page size; 0 means the API's default (20)
	After  string // the page after this cursor (a PageInfo.Next)
	Before string // the page before this cursor (a PageInfo.Prev)
}

// at returns a copy of p asking for the page at cursor, for AllStatic.
func (p ListStaticConnectionsParams) at(cursor string) *ListStaticConnectionsParams {
	p.After, p.Before = cursor, ""
	return &p
}

// validate checks a connection before it is sent: a name, at least one
// credential, each with a scheme and data that fits it, its required values
// set, or a reference to a stored credential (an ID without data).
func (c ConnectionCreate) validate(field string) error {
	prefix := field
	if prefix != "" {
		prefix += "."
	}
	if err := required(prefix+"name", c.Name); err != nil {
		return err
	}
	if len(c.Credentials) == 0 {
		return invalid(prefix+"credentials", "holds no credential: a connection needs at least one")
	}
	for i, cc := range c.Credentials {
		f := prefix + "credentials[" + strconv.Itoa(i) + "]"
		scheme, data := union.Deref(cc.AuthSchemeConfig.Scheme), union.Deref(cc.Credential.Data)
		switch {
		case union.IsNil(data) && cc.Credential.ID != "":
			continue // a reference to a stored credential (ExistingCredential)
		case union.IsNil(scheme):
			return invalid(f+".authSchemeConfig.scheme", "is required")
		case union.IsNil(data):
			return invalid(f+".credential.data", "is required")
		case !fits(scheme, data):
			return invalid(f+".credential.data", "is a "+string(CredentialTypeOf(data))+" credential, which does not fit the "+SchemeTypeOf(scheme)+" auth scheme")
		}
		if name := union.MissingRequired(data); name != "" {
			return invalid(f+".credential.data."+name, "is required")
		}
		if t, ok := data.(OAuth1TokenCredential); ok {
			for j, p := range t.AdditionalParams {
				if err := required(f+".credential.data.additionalParams["+strconv.Itoa(j)+"].name", p.Name); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// withIDs returns creds with an ID minted for each connection credential and
// credential that has none, and the organisation filled in, as the API
// requires them even when creating: Versori's own clients send fresh ULIDs.
func withIDs(creds []ConnectionCredential, org string) []ConnectionCredential {
	out := make([]ConnectionCredential, len(creds))
	for i, c := range creds {
		if c.ID == "" {
			c.ID = ulid.Make().String()
		}
		if c.Credential.ID == "" {
			c.Credential.ID = ulid.Make().String()
		}
		if c.Credential.OrganisationID == "" {
			c.Credential.OrganisationID = org
		}
		out[i] = c
	}
	return out
}

// fits reports whether data fits scheme (see AcceptedCredentials).
func fits(scheme AuthScheme, data CredentialData) bool {
	if _, ok := data.(UnknownCredential); ok {
		return true
	}
	accepted := AcceptedCredentials(scheme)
	return accepted == nil || slices.Contains(accepted, CredentialTypeOf(data))
}

// AcceptedCredentials returns the credential types that fit scheme, the
// first being the one to create; nil means any (an unknown scheme or
// grant):
//
//	scheme                               credential data
//	NoneScheme                           NoneCredential
//	APIKeyScheme, HMACScheme             StringCredential
//	BasicAuthScheme                      BasicAuthCredential
//	CertificateScheme                    CertificateCredential
//	OAuth2Scheme, authorizationCode      OAuth2CodeCredential, OAuth2TokenCredential
//	OAuth2Scheme, clientCredentials      OAuth2ClientCredential
//	OAuth2Scheme, password               OAuth2PasswordCredential, OAuth2TokenCredential
//	OAuth1Scheme                         OAuth1Credential (OAuth1TokenCredential with TokenAuth)
func AcceptedCredentials(scheme AuthScheme) []CredentialType {
	switch s := union.Deref(scheme).(type) {
	case NoneScheme:
		return []CredentialType{CredentialTypeNone}
	case APIKeyScheme, HMACScheme:
		return []CredentialType{CredentialTypeString}
	case BasicAuthScheme:
		return []CredentialType{CredentialTypeBasicAuth}
	case CertificateScheme:
		return []CredentialType{CredentialTypeCertificate}
	case OAuth1Scheme:
		if s.TokenAuth {
			return []CredentialType{CredentialTypeOAuth1Token}
		}
		return []CredentialType{CredentialTypeOAuth1}
	case OAuth2Scheme:
		switch union.Deref(s.Grant).(type) {
		case AuthorizationCodeGrant:
			return []CredentialType{CredentialTypeOAuth2Code, CredentialTypeOAuth2Token}
		case ClientCredentialsGrant:
			return []CredentialType{CredentialTypeOAuth2Client}
		case PasswordGrant:
			return []CredentialType{CredentialTypeOAuth2Password, CredentialTypeOAuth2Token}
		}
	}
	return nil
}
