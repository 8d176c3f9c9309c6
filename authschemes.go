package versori

import (
	"errors"
	"fmt"
	"slices"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/oklog/ulid/v2"

	"github.com/versori-go/versori/internal/union"
)

// This file holds the auth scheme union (how a connector uses a credential),
// its OAuth 2.0 grants, and which credentials fit which scheme. Both unions
// are flattened on the wire: the discriminator sits among the variant's own
// members.

// AuthSchemeConfig says how a connector uses a credential: the common fields
// and one scheme, one JSON object on the wire.
type AuthSchemeConfig struct {
	// ID is a ULID, unique within its list, that the client chooses. Left
	// empty, the SDK mints one when it sends the config.
	ID string `json:"id" required:"true"`
	// Description tells configurations of the same scheme apart.
	Description        string    `json:"description" required:"true"`
	ValidationMessages []Message `json:"validationMessages,omitempty"` // the API's findings; ignored on input
	// Scheme is sent as the schemeType and the scheme's own members beside
	// the common ones (the tag names what an answer must hold; the encoding
	// is MarshalJSONTo's).
	Scheme AuthScheme `json:"schemeType" required:"true"`
}

// AuthScheme is the scheme of an AuthSchemeConfig: one struct per
// `schemeType`. A scheme this SDK does not know decodes to UnknownScheme.
type AuthScheme interface{ schemeType() string }

// NoneScheme is a connector that needs no authentication.
type NoneScheme struct{}

// APIKeyLocation is where an API key, or an HMAC signature, goes.
type APIKeyLocation string

// The places an API key can go.
const (
	InQuery  APIKeyLocation = "query"
	InHeader APIKeyLocation = "header"
	InCookie APIKeyLocation = "cookie"
)

// APIKeyScheme sends a string credential as the query parameter, header or
// cookie Name.
type APIKeyScheme struct {
	Name string         `json:"name" required:"true"`
	In   APIKeyLocation `json:"in" required:"true"`
}

// BasicAuthScheme sends a basic-auth credential as HTTP basic auth.
type BasicAuthScheme struct{}

// CertificateScheme uses a certificate credential for TLS client auth.
type CertificateScheme struct{}

// HMACAlgorithm is the hash an HMAC signature uses.
type HMACAlgorithm string

// The hashes an HMAC signature can use.
const (
	HMACSHA1   HMACAlgorithm = "sha1"
	HMACSHA256 HMACAlgorithm = "sha256"
	HMACSHA512 HMACAlgorithm = "sha512"
)

// HMACDigestInput is a part of a request fed into an HMAC signature.
type HMACDigestInput string

// The parts of a request an HMAC signature can cover.
const (
	DigestBody HMACDigestInput = "body"
	DigestURL  HMACDigestInput = "url"
)

// HMACScheme signs requests (or, for webhook triggers, verifies them) with an
// HMAC of a string credential, carried in the query parameter, header or
// cookie Name.
type HMACScheme struct {
	Name         string            `json:"name" required:"true"`
	In           APIKeyLocation    `json:"in" required:"true"`
	Algorithm    HMACAlgorithm     `json:"algorithm" required:"true"`
	DigestInputs []HMACDigestInput `json:"digestInputs" required:"true"` // hashed in this order
}

// OAuth2Scope is one scope an OAuth 2.0 application offers.
type OAuth2Scope struct {
	Name        string `json:"name" required:"true"`
	Description string `json:"description,omitempty"`
}

// OAuth2Scheme authenticates with OAuth 2.0, using the grant in Grant.
type OAuth2Scheme struct {
	AuthorizeURL string `json:"authorizeUrl" required:"true"`
	TokenURL     string `json:"tokenUrl" required:"true"`
	// Scopes are all the scopes the application offers; DefaultScopes are
	// requested unless the user chooses otherwise.
	Scopes                    []OAuth2Scope `json:"scopes" required:"true"`
	DefaultScopes             []string      `json:"defaultScopes" required:"true"`
	AdditionalAuthorizeParams string        `json:"additionalAuthorizeParams,omitempty"` // URL-encoded, added to AuthorizeURL
	AdditionalTokenParams     string        `json:"additionalTokenParams,omitempty"`     // form-encoded, added to the token request
	MTLSEnabled               bool          `json:"mtlsEnabled,omitzero"`
	// MTLSCredentialID may stay empty with MTLSEnabled: the API then links
	// the connection's certificate credential itself.
	MTLSCredentialID string      `json:"mtlsCredentialId,omitempty"`
	Grant            OAuth2Grant `json:"grant" required:"true"`
}

// UnknownScheme is a scheme this SDK does not know. Raw is the whole
// AuthSchemeConfig object as received and is sent back unchanged.
type UnknownScheme struct {
	Type string
	Raw  SecretJSON
}

func (NoneScheme) schemeType() string        { return "none" }
func (APIKeyScheme) schemeType() string      { return "api-key" }
func (BasicAuthScheme) schemeType() string   { return "basic-auth" }
func (CertificateScheme) schemeType() string { return "certificate" }
func (HMACScheme) schemeType() string        { return "hmac" }
func (OAuth2Scheme) schemeType() string      { return "oauth2" }
func (u UnknownScheme) schemeType() string   { return u.Type }

// authSchemes is the auth scheme union's table, by schemeType.
var authSchemes = union.New[AuthScheme]("auth scheme", AuthScheme.schemeType,
	NoneScheme{}, APIKeyScheme{}, BasicAuthScheme{}, CertificateScheme{}, HMACScheme{}, OAuth2Scheme{})

// SchemeTypeOf returns the schemeType a scheme is sent as ("" for nil).
func SchemeTypeOf(s AuthScheme) string { return union.TagOf(s, AuthScheme.schemeType) }

// authSchemeConfigHead is the common part of an AuthSchemeConfig on the wire.
type authSchemeConfigHead struct {
	ID                 string    `json:"id"`
	Description        string    `json:"description"`
	ValidationMessages []Message `json:"validationMessages,omitempty"`
	SchemeType         string    `json:"schemeType"`
}

// MarshalJSONTo encodes the common fields and the scheme's as one object. An
// UnknownScheme with Raw is sent as Raw.
func (c AuthSchemeConfig) MarshalJSONTo(enc *jsontext.Encoder) error {
	c.Scheme = union.Deref(c.Scheme)
	if u, ok := c.Scheme.(UnknownScheme); ok && !u.Raw.IsZero() {
		return json.MarshalEncode(enc, u.Raw)
	}
	if union.IsNil(c.Scheme) {
		return errors.New("versori: AuthSchemeConfig has no Scheme")
	}
	head := authSchemeConfigHead{c.ID, c.Description, c.ValidationMessages, SchemeTypeOf(c.Scheme)}
	var scheme any = c.Scheme
	switch s := c.Scheme.(type) {
	case UnknownScheme:
		scheme = struct{}{}
	case OAuth2Scheme:
		scheme = s.wire() // EncodeFlat takes structs without JSON methods
	}
	return union.EncodeFlat(enc, head, scheme)
}

// MarshalJSON is MarshalJSONTo for encoding/json, with secrets redacted.
func (c AuthSchemeConfig) MarshalJSON() ([]byte, error) { return json.Marshal(c) }

// UnmarshalJSONFrom decodes the common fields, then the scheme by its
// schemeType; a scheme the SDK does not know keeps the whole object.
func (c *AuthSchemeConfig) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	var head authSchemeConfigHead
	if err := json.Unmarshal(raw, &head, dec.Options()); err != nil {
		return err
	}
	*c = AuthSchemeConfig{ID: head.ID, Description: head.Description, ValidationMessages: head.ValidationMessages}
	c.Scheme, err = authSchemes.DecodeTag(head.SchemeType, raw, dec.Options(), func() AuthScheme {
		return UnknownScheme{Type: head.SchemeType, Raw: NewSecretJSON(raw)}
	})
	return err
}

// withID returns c with a new ID when it has none.
func (c AuthSchemeConfig) withID() AuthSchemeConfig {
	if c.ID == "" {
		c.ID = ulid.Make().String()
	}
	return c
}

// validate checks the config has a scheme, and an OAuth 2.0 scheme a grant.
func (c AuthSchemeConfig) validate(field string) error {
	if union.IsNil(c.Scheme) {
		return &ValidationError{Field: field + ".scheme", Reason: "is required"}
	}
	if s, ok := union.Deref(c.Scheme).(OAuth2Scheme); ok && union.IsNil(s.Grant) {
		return &ValidationError{Field: field + ".grant", Reason: "is required"}
	}
	return nil
}

// MarshalJSONTo encodes the scheme with its grant.
func (s OAuth2Scheme) MarshalJSONTo(enc *jsontext.Encoder) error {
	w := s.wire()
	return json.MarshalEncode(enc, &w)
}

// oauth2SchemeWire is an OAuth2Scheme as sent: its fields and its grant,
// which encodes its grantType among its own members.
type oauth2SchemeWire struct {
	oauth2SchemeFields
	Grant any `json:"grant,omitempty"`
}

// oauth2SchemeFields is OAuth2Scheme without its JSON methods.
type oauth2SchemeFields OAuth2Scheme

// wire returns s as it is sent.
func (s OAuth2Scheme) wire() oauth2SchemeWire {
	w := oauth2SchemeWire{oauth2SchemeFields: oauth2SchemeFields(s)}
	if !union.IsNil(s.Grant) {
		w.Grant = grantWire{s.Grant}
	}
	return w
}

// UnmarshalJSONFrom decodes the scheme, its grant by the grantType.
func (s *OAuth2Scheme) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	type plain OAuth2Scheme
	var w struct {
		plain
		Grant jsontext.Value `json:"grant"`
	}
	if err := json.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	*s = OAuth2Scheme(w.plain)
	if len(w.Grant) == 0 || w.Grant.Kind() == 'n' {
		s.Grant = nil
		return nil
	}
	var g grantWire
	if err := json.Unmarshal(w.Grant, &g, dec.Options()); err != nil {
		return err
	}
	s.Grant = g.grant
	return nil
}

// OAuth2Grant is the grant of an OAuth2Scheme: one struct per `grantType`.
// A grant this SDK does not know decodes to UnknownGrant.
type OAuth2Grant interface{ grantType() string }

// AuthorizationCodeGrant is the authorization_code grant. With CredentialID
// and OrganisationID empty the API stores the client ID and secret as a new
// credential; with both set it updates that credential.
type AuthorizationCodeGrant struct {
	CredentialID   string `json:"credentialId,omitempty"`
	OrganisationID string `json:"organisationId,omitempty"`
	ClientID       string `json:"clientId,omitempty"`
	ClientSecret   Secret `json:"clientSecret,omitempty"`
}

// ClientCredentialsGrant is the client_credentials grant: the client ID and
// secret come with each connection's oauth2-client credential.
type ClientCredentialsGrant struct{}

// PasswordGrant is the password grant; its fields work as in
// AuthorizationCodeGrant.
type PasswordGrant struct {
	CredentialID   string `json:"credentialId,omitempty"`
	OrganisationID string `json:"organisationId,omitempty"`
	ClientID       string `json:"clientId,omitempty"`
	ClientSecret   Secret `json:"clientSecret,omitempty"`
}

// UnknownGrant is a grant this SDK does not know. Raw is the whole grant
// object as received and is sent back unchanged.
type UnknownGrant struct {
	Type string
	Raw  SecretJSON
}

func (AuthorizationCodeGrant) grantType() string { return "authorization_code" }
func (ClientCredentialsGrant) grantType() string { return "client_credentials" }
func (PasswordGrant) grantType() string          { return "password" }
func (u UnknownGrant) grantType() string         { return u.Type }

// grants is the grant union's table, by grantType.
var grants = union.New[OAuth2Grant]("grant", OAuth2Grant.grantType, AuthorizationCodeGrant{}, ClientCredentialsGrant{}, PasswordGrant{})

// grantWire is a grant on the wire: its grantType among its own members.
type grantWire struct{ grant OAuth2Grant }

func (g grantWire) MarshalJSONTo(enc *jsontext.Encoder) error {
	g.grant = union.Deref(g.grant)
	var variant any = g.grant
	if u, ok := g.grant.(UnknownGrant); ok {
		if !u.Raw.IsZero() {
			return json.MarshalEncode(enc, u.Raw)
		}
		variant = struct{}{} // only its type is known
	}
	return union.EncodeFlat(enc, struct {
		GrantType string `json:"grantType"`
	}{g.grant.grantType()}, variant)
}

func (g *grantWire) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	var head struct {
		GrantType string `json:"grantType"`
	}
	if err := json.Unmarshal(raw, &head, dec.Options()); err != nil {
		return err
	}
	g.grant, err = grants.DecodeTag(head.GrantType, raw, dec.Options(), func() OAuth2Grant {
		return UnknownGrant{Type: head.GrantType, Raw: NewSecretJSON(raw)}
	})
	return err
}

// AcceptedCredentials returns the credential types that fit scheme, the
// first being the one to create. The API refuses a connection whose
// credential does not fit its auth scheme; the SDK refuses it first, naming
// the field, so nothing is sent:
//
//	scheme                               credential data
//	NoneScheme                           NoneCredential
//	APIKeyScheme, HMACScheme             StringCredential (APIKey)
//	BasicAuthScheme                      BasicAuthCredential (BasicAuth)
//	CertificateScheme                    CertificateCredential
//	OAuth2Scheme, authorization_code     OAuth2CodeCredential, OAuth2TokenCredential (OAuth2Token)
//	OAuth2Scheme, client_credentials     OAuth2ClientCredential (OAuth2ClientCredentials)
//	OAuth2Scheme, password               OAuth2PasswordCredential, OAuth2TokenCredential
//
// An UnknownScheme, an OAuth2Scheme without a known grant, and the types the
// spec ties to no scheme (binary, jwt-bearer, custom-function, unknown types)
// are not checked: nil means any.
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

// fits reports whether data fits scheme (see AcceptedCredentials).
func fits(scheme AuthScheme, data CredentialData) bool {
	switch union.Deref(data).(type) {
	case BinaryCredential, JWTBearerCredential, CustomFunctionCredential, UnknownCredential:
		return true
	}
	accepted := AcceptedCredentials(scheme)
	return accepted == nil || slices.Contains(accepted, CredentialTypeOf(data))
}

// checkFits refuses data that does not fit scheme, or that leaves a required
// value empty (a required string or Secret, as tagged `required:"true"`).
func checkFits(field string, scheme AuthScheme, data CredentialData) error {
	data = union.Deref(data)
	if !fits(scheme, data) {
		return &ValidationError{Field: field, Reason: fmt.Sprintf("is a %s credential, which does not fit the %s auth scheme", CredentialTypeOf(data), schemeName(scheme))}
	}
	if cf, ok := data.(CustomFunctionCredential); ok && cf.Data.IsZero() {
		return &ValidationError{Field: field, Reason: "is empty: a custom-function credential needs its JSON object"}
	}
	if name := union.MissingRequired(data); name != "" {
		return &ValidationError{Field: field + "." + name, Reason: "is required"}
	}
	return nil
}

func schemeName(s AuthScheme) string {
	name := SchemeTypeOf(s)
	if o, ok := union.Deref(s).(OAuth2Scheme); ok && !union.IsNil(o.Grant) {
		if row, ok := grants.Lookup(o.Grant); ok {
			name += " " + row.Tag
		}
	}
	return name
}
