package versori

import (
	"fmt"
	"strconv"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/versori-go/versori/internal/union"
)

// This file holds the credential union: a credential's type and the shape of
// its data, which cannot disagree. The auth schemes that use credentials are
// in authschemes.go.

// CredentialType is the `type` of a credential; it decides the shape of the
// credential's data.
type CredentialType string

// The credential types of the Embedded API.
const (
	CredentialTypeNone           CredentialType = "none"
	CredentialTypeString         CredentialType = "string"
	CredentialTypeBinary         CredentialType = "binary"
	CredentialTypeBasicAuth      CredentialType = "basic-auth"
	CredentialTypeOAuth2Client   CredentialType = "oauth2-client"
	CredentialTypeOAuth2Code     CredentialType = "oauth2-code"
	CredentialTypeOAuth2Password CredentialType = "oauth2-password"
	CredentialTypeOAuth2Token    CredentialType = "oauth2-token"
	CredentialTypeCertificate    CredentialType = "certificate"
	CredentialTypeJWTBearer      CredentialType = "jwt-bearer"
	CredentialTypeCustomFunction CredentialType = "custom-function"
)

// CredentialData is a credential's data: one struct per CredentialType, so a
// credential's type is always that of its data. Data of a type this SDK does
// not know decodes to UnknownCredential and is sent back as it came.
type CredentialData interface{ credentialType() CredentialType }

// NoneCredential is the data of a credential of type none: a connector that
// needs no authentication.
type NoneCredential struct{}

// StringCredential is one secret string, most often an API key.
type StringCredential struct {
	Value Secret `json:"value" required:"true"`
}

// BinaryCredential is a secret that need not be text, such as a key file, in
// standard base64.
type BinaryCredential struct {
	ValueBase64 Secret `json:"valueBase64" required:"true"`
}

// BasicAuthCredential is a username and password for HTTP basic auth.
type BasicAuthCredential struct {
	Username string `json:"username" required:"true"`
	Password Secret `json:"password" required:"true"`
}

// OAuth2ClientCredential is an OAuth 2.0 client: what the API needs to get
// tokens with the client_credentials or authorization_code grant.
type OAuth2ClientCredential struct {
	ClientID         string   `json:"clientId" required:"true"`
	ClientSecret     Secret   `json:"clientSecret" required:"true"`
	AuthorizeURL     string   `json:"authorizeUrl" required:"present"` // sent even when "": right for client_credentials
	TokenURL         string   `json:"tokenUrl" required:"true"`
	Scopes           []string `json:"scopes,omitempty"`
	AdditionalParams string   `json:"additionalParams,omitempty"` // URL-encoded, sent in the token request
	MTLSEnabled      bool     `json:"mTLSEnabled,omitzero"`
	MTLSCredentialID string   `json:"mTLSCredentialId,omitempty"`
}

// OAuth2CodeCredential is an authorization code for the API to exchange for
// tokens. It reads back as an OAuth2TokenCredential of type oauth2-token.
type OAuth2CodeCredential struct {
	Code  Secret `json:"code" required:"true"`
	State string `json:"state" required:"true"`
}

// OAuth2PasswordCredential is a resource owner's username and password for
// the OAuth 2.0 password grant.
type OAuth2PasswordCredential struct {
	Username string `json:"username" required:"true"`
	Password Secret `json:"password" required:"true"`
}

// OAuth2TokenCredential is a user's OAuth 2.0 tokens. Read back, only Scopes
// (those the user consented to) is meaningful: the tokens are redacted.
type OAuth2TokenCredential struct {
	Scopes       []string  `json:"scopes" required:"true"` // sent as [] when empty
	AccessToken  Secret    `json:"accessToken,omitempty"`
	TokenType    string    `json:"tokenType,omitempty"` // "Bearer" when empty
	ExpiresAt    time.Time `json:"expiresAt,omitzero"`
	RefreshToken Secret    `json:"refreshToken" required:"true"`
}

// CertificateCredential is a PEM certificate, its private key, and the CA to
// verify servers with, for TLS client authentication.
type CertificateCredential struct {
	Certificate string `json:"certificate" required:"true"`
	Key         Secret `json:"key" required:"true"`
	CA          string `json:"ca" required:"true"`
}

// JWTAlgorithm is the signing algorithm of a jwt-bearer credential.
type JWTAlgorithm string

// The algorithms a jwt-bearer credential may sign with.
const (
	JWTAlgorithmHS256 JWTAlgorithm = "HS256"
	JWTAlgorithmHS384 JWTAlgorithm = "HS384"
	JWTAlgorithmHS512 JWTAlgorithm = "HS512"
	JWTAlgorithmRS256 JWTAlgorithm = "RS256"
	JWTAlgorithmRS384 JWTAlgorithm = "RS384"
	JWTAlgorithmRS512 JWTAlgorithm = "RS512"
)

// JWTBearerCredential is what the API needs to mint JWT bearer tokens for a
// connector. The published spec leaves it out; this is the shape of Versori's
// Platform API, where every field is required.
type JWTBearerCredential struct {
	Algorithm                 JWTAlgorithm `json:"algorithm" required:"true"`
	Secret                    Secret       `json:"secret" required:"true"`                    // HMAC secret or PEM private key, in standard base64
	Payload                   string       `json:"payload" required:"true"`                   // a JSON object, as a string
	ExpiresIn                 string       `json:"expiresIn" required:"true"`                 // a Go duration such as "24h"
	AuthorizationHeaderPrefix string       `json:"authorizationHeaderPrefix" required:"true"` // "Bearer" or "JWT"
}

// CustomFunctionCredential is the data of a custom-function credential. The
// API publishes no shape for it: Data is the JSON object as it is.
type CustomFunctionCredential struct {
	Data SecretJSON
}

// UnknownCredential is the data of a credential type this SDK does not know.
// Raw is the data as received, and is sent back unchanged.
type UnknownCredential struct {
	Type CredentialType
	Raw  SecretJSON
}

func (NoneCredential) credentialType() CredentialType           { return CredentialTypeNone }
func (StringCredential) credentialType() CredentialType         { return CredentialTypeString }
func (BinaryCredential) credentialType() CredentialType         { return CredentialTypeBinary }
func (BasicAuthCredential) credentialType() CredentialType      { return CredentialTypeBasicAuth }
func (OAuth2ClientCredential) credentialType() CredentialType   { return CredentialTypeOAuth2Client }
func (OAuth2CodeCredential) credentialType() CredentialType     { return CredentialTypeOAuth2Code }
func (OAuth2PasswordCredential) credentialType() CredentialType { return CredentialTypeOAuth2Password }
func (OAuth2TokenCredential) credentialType() CredentialType    { return CredentialTypeOAuth2Token }
func (CertificateCredential) credentialType() CredentialType    { return CredentialTypeCertificate }
func (JWTBearerCredential) credentialType() CredentialType      { return CredentialTypeJWTBearer }
func (CustomFunctionCredential) credentialType() CredentialType { return CredentialTypeCustomFunction }
func (u UnknownCredential) credentialType() CredentialType      { return u.Type }

// credentialTypes is the credential union's table.
var credentialTypes = union.New[CredentialData]("credential data", CredentialData.credentialType,
	NoneCredential{}, StringCredential{}, BinaryCredential{}, BasicAuthCredential{},
	OAuth2ClientCredential{}, OAuth2CodeCredential{}, OAuth2PasswordCredential{}, OAuth2TokenCredential{},
	CertificateCredential{}, JWTBearerCredential{}, CustomFunctionCredential{},
)

// CredentialTypeOf returns the credential type of data: the type it is sent
// as ("" for nil).
func CredentialTypeOf(data CredentialData) CredentialType {
	return union.TagOf(data, CredentialData.credentialType)
}

// decodeCredentialData decodes raw, a credential's data, by its type t:
// absent data of a known type is that type's zero value, data of an unknown
// type is kept as it came.
func decodeCredentialData(t CredentialType, raw jsontext.Value, opts json.Options) (CredentialData, error) {
	data := raw
	if raw.Kind() == 'n' {
		data = nil
	}
	return credentialTypes.DecodeTag(string(t), data, opts, func() CredentialData {
		return UnknownCredential{Type: t, Raw: NewSecretJSON(raw)}
	})
}

// MarshalJSONTo encodes the data's JSON object as it is ({} when empty).
func (c CustomFunctionCredential) MarshalJSONTo(enc *jsontext.Encoder) error {
	if c.Data.IsZero() {
		return enc.WriteValue(jsontext.Value("{}"))
	}
	return json.MarshalEncode(enc, c.Data)
}

// UnmarshalJSONFrom keeps the JSON object as it is; anything but an object is
// an error, as the API's credential data is always one.
func (c *CustomFunctionCredential) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if v.Kind() != '{' {
		return fmt.Errorf("custom-function data is a JSON %s, not an object", union.KindName(v.Kind()))
	}
	c.Data = NewSecretJSON(v)
	return nil
}

// CredentialCreate is the credential of a connection being created: a new
// one (CredentialSpec, made with NewCredential) or a reference to one that
// exists (CredentialRef, made with ExistingCredential).
type CredentialCreate interface{ isCredentialCreate() }

// CredentialSpec is a credential to create. Its `type` is always its Data's.
type CredentialSpec struct {
	Name string
	Data CredentialData
}

// CredentialRef refers to an existing credential by ID. The spec's schema
// lists only new credentials, but its prose and the API accept a reference.
type CredentialRef struct {
	ID string `json:"id"`
}

// NewCredential returns a credential to create, named name, holding data.
func NewCredential(name string, data CredentialData) CredentialSpec {
	return CredentialSpec{Name: name, Data: data}
}

// ExistingCredential returns a reference to the credential with this ID.
func ExistingCredential(id string) CredentialRef { return CredentialRef{ID: id} }

func (CredentialSpec) isCredentialCreate() {}
func (CredentialRef) isCredentialCreate()  {}

// MarshalJSONTo encodes {name, type, data}, the type taken from Data.
func (c CredentialSpec) MarshalJSONTo(enc *jsontext.Encoder) error {
	w := struct {
		Name string         `json:"name"`
		Type CredentialType `json:"type,omitempty"`
		Data any            `json:"data,omitzero"` // {} (a none credential) is sent: the API requires data
	}{Name: c.Name}
	if !union.IsNil(c.Data) {
		w.Type, w.Data = CredentialTypeOf(c.Data), credentialDataWire(c.Data)
	}
	return json.MarshalEncode(enc, &w)
}

// MarshalJSON is MarshalJSONTo for encoding/json, with secrets redacted.
func (c CredentialSpec) MarshalJSON() ([]byte, error) { return json.Marshal(c) }

// credentialDataWire returns what d encodes as: an unknown type's raw data.
func credentialDataWire(d CredentialData) any {
	d = union.Deref(d)
	if u, ok := d.(UnknownCredential); ok {
		return u.Raw
	}
	return d
}

// Credential is a credential read back from the API, its secrets redacted.
type Credential struct {
	ID             string            `json:"id" required:"true"`
	OrganisationID string            `json:"organisationId" required:"true"`
	Type           CredentialType    `json:"type" required:"true"` // an oauth2-code credential reads back as oauth2-token
	Name           string            `json:"name" required:"true"`
	Usages         []CredentialUsage `json:"usages,omitzero"` // nil: not loaded; empty: not used
	Errors         []string          `json:"errors,omitzero"` // nil: not validated; empty: valid
	Data           CredentialData    `json:"data" required:"true"`
	ExpiresAt      time.Time         `json:"expiresAt,omitzero"` // when the API deletes it; zero for never
}

// credentialWire is Credential on the wire, its data not yet decoded.
type credentialWire struct {
	ID             string            `json:"id"`
	OrganisationID string            `json:"organisationId"`
	Type           CredentialType    `json:"type"`
	Name           string            `json:"name"`
	Usages         []CredentialUsage `json:"usages,omitzero"`
	Errors         []string          `json:"errors,omitzero"`
	Data           jsontext.Value    `json:"data,omitzero"`
	ExpiresAt      time.Time         `json:"expiresAt,omitzero"`
}

// UnmarshalJSONFrom decodes a credential, its data by its type.
func (c *Credential) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var w credentialWire
	if err := json.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	data, err := decodeCredentialData(w.Type, w.Data, dec.Options())
	if err != nil {
		return err
	}
	*c = Credential{ID: w.ID, OrganisationID: w.OrganisationID, Type: w.Type, Name: w.Name,
		Usages: w.Usages, Errors: w.Errors, Data: data, ExpiresAt: w.ExpiresAt}
	return nil
}

// MarshalJSONTo encodes the credential as the API sends it; the type is its
// Data's when Data is set.
func (c Credential) MarshalJSONTo(enc *jsontext.Encoder) error {
	type plain Credential
	w := struct {
		plain
		Data any `json:"data"`
	}{plain: plain(c), Data: jsontext.Value("{}")}
	if !union.IsNil(c.Data) {
		w.Type, w.Data = CredentialTypeOf(c.Data), credentialDataWire(c.Data)
	}
	return json.MarshalEncode(enc, w)
}

// MarshalJSON is MarshalJSONTo for encoding/json, with secrets redacted.
func (c Credential) MarshalJSON() ([]byte, error) { return json.Marshal(c) }

// The common credentials, one call each. Each returns a credential to create,
// named name (as Versori's UI shows it); see AcceptedCredentials for the
// auth schemes each fits.

// APIKey returns a string credential holding an API key.
func APIKey(name, key string) CredentialSpec {
	return NewCredential(name, StringCredential{Value: NewSecret(key)})
}

// BasicAuth returns a username and password for HTTP basic auth.
func BasicAuth(name, username, password string) CredentialSpec {
	return NewCredential(name, BasicAuthCredential{Username: username, Password: NewSecret(password)})
}

// OAuth2ClientCredentials returns an OAuth 2.0 client for the
// client_credentials grant: its ID and secret, and the token URL.
func OAuth2ClientCredentials(name, clientID, clientSecret, tokenURL string, scopes ...string) CredentialSpec {
	return NewCredential(name, OAuth2ClientCredential{ClientID: clientID, ClientSecret: NewSecret(clientSecret), TokenURL: tokenURL, Scopes: scopes})
}

// OAuth2Code returns the code and state the OAuth 2.0 provider redirected the
// user back with, for the API to exchange for tokens (see
// EmbedService.InitialiseOAuth2).
func OAuth2Code(name, code, state string) CredentialSpec {
	return NewCredential(name, OAuth2CodeCredential{Code: NewSecret(code), State: state})
}

// OAuth2Token returns a user's OAuth 2.0 refresh token, with the scopes they
// consented to, for an authorization_code or password grant.
func OAuth2Token(name, refreshToken string, scopes ...string) CredentialSpec {
	return NewCredential(name, OAuth2TokenCredential{RefreshToken: NewSecret(refreshToken), Scopes: scopes})
}

// ActionCredential returns the credentials of a connection with one action
// credential, used as scheme says: the usual connection, in one call.
func ActionCredential(scheme AuthSchemeConfig, credential CredentialCreate) ConnectionCredentialsCreate {
	return ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{{AuthSchemeConfig: scheme, Credential: credential}}}
}

// CredentialUsage is one use of a credential: today only by a connection.
type CredentialUsage struct {
	Connection CredentialUsageConnection `json:"connection" required:"true"`
}

// CredentialUsageConnection is a connection that uses a credential, with a
// summary of its connector.
type CredentialUsageConnection struct {
	ID        string           `json:"id" required:"true"`
	Name      string           `json:"name" required:"true"`
	Connector ConnectorSummary `json:"connector" required:"true"`
	CreatedAt time.Time        `json:"createdAt" required:"true"`
	UpdatedAt time.Time        `json:"updatedAt" required:"true"`
}

// ConnectorSummary is a summary of a connector, whatever its protocol.
type ConnectorSummary struct {
	ID             string    `json:"id" required:"true"`
	OrganisationID string    `json:"organisationId" required:"true"`
	Name           string    `json:"name" required:"true"`
	Protocol       string    `json:"protocol" required:"true"` // "http" or "bigquery"
	CreatedAt      time.Time `json:"createdAt" required:"true"`
	UpdatedAt      time.Time `json:"updatedAt" required:"true"`
}

// ConnectionCredentialCreate is one credential of a connection being
// created, with the auth scheme config saying how the connector uses it.
type ConnectionCredentialCreate struct {
	AuthSchemeConfig AuthSchemeConfig `json:"authSchemeConfig"`
	Credential       CredentialCreate `json:"credential"`
}

// ConnectionCredentialsCreate is the action and trigger credentials of a
// connection being created, each list applied in order.
type ConnectionCredentialsCreate struct {
	Action  []ConnectionCredentialCreate `json:"action,omitempty"`
	Trigger []ConnectionCredentialCreate `json:"trigger,omitempty"`
}

// ConnectionCredential is one credential of a connection, with the auth
// scheme config saying how the connector uses it.
type ConnectionCredential struct {
	ID               string           `json:"id" required:"true"`
	AuthSchemeConfig AuthSchemeConfig `json:"authSchemeConfig" required:"true"`
	Credential       Credential       `json:"credential" required:"true"`
}

// ConnectionCredentials is the action and trigger credentials of a
// connection.
type ConnectionCredentials struct {
	Action  []ConnectionCredential `json:"action"`
	Trigger []ConnectionCredential `json:"trigger"`
}

// validate checks what the API requires of the credentials before anything
// is sent, naming the first invalid one by its path under field.
func (c ConnectionCredentialsCreate) validate(field string) error {
	if len(c.Action) == 0 && len(c.Trigger) == 0 {
		return &ValidationError{Field: field, Reason: "holds no credential: a connection needs at least one"}
	}
	for _, list := range []struct {
		name  string
		items []ConnectionCredentialCreate
	}{{"action", c.Action}, {"trigger", c.Trigger}} {
		for i, cc := range list.items {
			if err := cc.validate(field + "." + list.name + "[" + strconv.Itoa(i) + "]"); err != nil {
				return err
			}
		}
	}
	return nil
}

// withIDs returns c with an ID minted for every auth scheme config that has
// none, copying only what it changes.
func (c ConnectionCredentialsCreate) withIDs() ConnectionCredentialsCreate {
	fill := func(items []ConnectionCredentialCreate) []ConnectionCredentialCreate {
		out := items
		for i := range items {
			if items[i].AuthSchemeConfig.ID == "" {
				if &out[0] == &items[0] {
					out = append([]ConnectionCredentialCreate(nil), items...)
				}
				out[i].AuthSchemeConfig = out[i].AuthSchemeConfig.withID()
			}
		}
		return out
	}
	return ConnectionCredentialsCreate{Action: fill(c.Action), Trigger: fill(c.Trigger)}
}

func (c ConnectionCredentialCreate) validate(field string) error {
	if err := c.AuthSchemeConfig.validate(field + ".authSchemeConfig"); err != nil {
		return err
	}
	switch cred := union.Deref(c.Credential).(type) {
	case CredentialSpec:
		if err := required(field+".credential.name", cred.Name); err != nil {
			return err
		}
		if union.IsNil(cred.Data) {
			return &ValidationError{Field: field + ".credential.data", Reason: "is required"}
		}
		return checkFits(field+".credential.data", c.AuthSchemeConfig.Scheme, cred.Data)
	case CredentialRef:
		return required(field+".credential.id", cred.ID)
	}
	return &ValidationError{Field: field + ".credential", Reason: "is required: use NewCredential or ExistingCredential"}
}
