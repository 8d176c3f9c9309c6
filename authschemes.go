package versori

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/oklog/ulid/v2"

	"github.com/versori-go/versori/internal/redact"
)

// This file holds the auth scheme union: how a connector uses a credential.
// The credential union itself is in credentials.go.

// MessageSeverity is how serious a Message is.
type MessageSeverity string

// The severities of a Message.
const (
	SeverityInfo    MessageSeverity = "info"
	SeverityWarning MessageSeverity = "warning"
	SeverityError   MessageSeverity = "error"
)

// Message is a validation message the API attaches to an AuthSchemeConfig.
type Message struct {
	Text     string          `json:"text"`
	Severity MessageSeverity `json:"severity"`
	Detail   []string        `json:"detail,omitempty"`
}

// AuthSchemeConfig says how a connector uses a credential to authenticate:
// the common fields plus one scheme, flattened into one object on the wire.
type AuthSchemeConfig struct {
	// ID is a ULID, unique within its list. The client generates it: when it
	// is empty, MarshalJSON mints a new one each time it encodes.
	ID string
	// Description tells apart configurations of the same scheme; the API
	// requires it, so it is sent even when empty.
	Description string
	// ValidationMessages are the API's findings; it ignores them on input.
	ValidationMessages []Message
	Scheme             AuthScheme
}

// AuthScheme is the scheme of an AuthSchemeConfig, one variant per
// `schemeType`. Any scheme the SDK does not know decodes to UnknownScheme.
type AuthScheme interface {
	// SchemeType is the `schemeType` sent for this scheme.
	SchemeType() string
	isAuthScheme()
}

// NoneScheme is a connector that needs no authentication.
type NoneScheme struct{}

// APIKeyLocation is where an API key, or an HMAC signature, goes in a request.
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
	Name string         `json:"name"`
	In   APIKeyLocation `json:"in"`
}

// BasicAuthScheme sends a basic-auth credential as HTTP basic auth.
type BasicAuthScheme struct{}

// CertificateScheme uses a certificate credential for TLS client
// authentication.
type CertificateScheme struct{}

// HMACAlgorithm is the hash an HMAC signature uses.
type HMACAlgorithm string

// The hashes an HMAC signature can use.
const (
	HMACSHA1   HMACAlgorithm = "sha1"
	HMACSHA256 HMACAlgorithm = "sha256"
	HMACSHA512 HMACAlgorithm = "sha512"
)

// HMACDigestInput is a part of a request that is fed into an HMAC signature.
type HMACDigestInput string

// The parts of a request an HMAC signature can cover.
const (
	DigestBody HMACDigestInput = "body"
	DigestURL  HMACDigestInput = "url"
)

// HMACScheme signs requests (or, for webhook triggers, verifies them) with an
// HMAC carried in the query parameter, header or cookie Name.
type HMACScheme struct {
	Name      string         `json:"name"`
	In        APIKeyLocation `json:"in"`
	Algorithm HMACAlgorithm  `json:"algorithm"`
	// DigestInputs are hashed in this order.
	DigestInputs []HMACDigestInput `json:"digestInputs"`
}

// OAuth2Scope is one scope an OAuth 2.0 application offers.
type OAuth2Scope struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// OAuth2Scheme authenticates with OAuth 2.0 using the grant in Grant.
type OAuth2Scheme struct {
	AuthorizeURL string
	TokenURL     string
	// Scopes are all the scopes the application supports; DefaultScopes are
	// requested unless the user chooses otherwise. Both are always sent.
	Scopes                    []OAuth2Scope
	DefaultScopes             []string
	AdditionalAuthorizeParams string // URL-encoded query added to AuthorizeURL
	AdditionalTokenParams     string // form-encoded, added to the token request body
	MTLSEnabled               bool
	// MTLSCredentialID may be left empty with MTLSEnabled: the API then links
	// the connection's certificate credential itself.
	MTLSCredentialID string
	Grant            OAuth2Grant
}

// UnknownScheme is a scheme this SDK does not know. Raw is the whole
// AuthSchemeConfig object as received; when set, it is sent back unchanged
// and the AuthSchemeConfig's other fields are not encoded.
type UnknownScheme struct {
	Type string
	Raw  json.RawMessage `secret:"true"`
}

// SchemeType returns "none".
func (NoneScheme) SchemeType() string { return "none" }

// SchemeType returns "api-key".
func (APIKeyScheme) SchemeType() string { return "api-key" }

// SchemeType returns "basic-auth".
func (BasicAuthScheme) SchemeType() string { return "basic-auth" }

// SchemeType returns "certificate".
func (CertificateScheme) SchemeType() string { return "certificate" }

// SchemeType returns "hmac".
func (HMACScheme) SchemeType() string { return "hmac" }

// SchemeType returns "oauth2".
func (OAuth2Scheme) SchemeType() string { return "oauth2" }

// SchemeType returns the schemeType the scheme arrived with.
func (s UnknownScheme) SchemeType() string { return s.Type }

func (NoneScheme) isAuthScheme()        {}
func (APIKeyScheme) isAuthScheme()      {}
func (BasicAuthScheme) isAuthScheme()   {}
func (CertificateScheme) isAuthScheme() {}
func (HMACScheme) isAuthScheme()        {}
func (OAuth2Scheme) isAuthScheme()      {}
func (UnknownScheme) isAuthScheme()     {}

// MarshalJSON sends DigestInputs as [] when empty, since the API requires it.
func (s HMACScheme) MarshalJSON() ([]byte, error) {
	type plain HMACScheme
	if s.DigestInputs == nil {
		s.DigestInputs = []HMACDigestInput{}
	}
	return json.Marshal(plain(s))
}

// oauth2SchemeWire is OAuth2Scheme on the wire. Note the spelling mtls*,
// unlike OAuth2ClientCredential's mTLS*: both are the spec's.
type oauth2SchemeWire struct {
	AuthorizeURL              string          `json:"authorizeUrl"`
	TokenURL                  string          `json:"tokenUrl"`
	Scopes                    []OAuth2Scope   `json:"scopes"`
	DefaultScopes             []string        `json:"defaultScopes"`
	AdditionalAuthorizeParams string          `json:"additionalAuthorizeParams,omitempty"`
	AdditionalTokenParams     string          `json:"additionalTokenParams,omitempty"`
	MTLSEnabled               bool            `json:"mtlsEnabled,omitempty"`
	MTLSCredentialID          string          `json:"mtlsCredentialId,omitempty"`
	Grant                     json.RawMessage `json:"grant,omitempty"`
}

// MarshalJSON encodes the scheme's own fields (without schemeType).
func (s OAuth2Scheme) MarshalJSON() ([]byte, error) {
	w := oauth2SchemeWire{
		AuthorizeURL:              s.AuthorizeURL,
		TokenURL:                  s.TokenURL,
		Scopes:                    s.Scopes,
		DefaultScopes:             s.DefaultScopes,
		AdditionalAuthorizeParams: s.AdditionalAuthorizeParams,
		AdditionalTokenParams:     s.AdditionalTokenParams,
		MTLSEnabled:               s.MTLSEnabled,
		MTLSCredentialID:          s.MTLSCredentialID,
	}
	if w.Scopes == nil {
		w.Scopes = []OAuth2Scope{}
	}
	if w.DefaultScopes == nil {
		w.DefaultScopes = []string{}
	}
	if !isNil(s.Grant) {
		g, err := json.Marshal(s.Grant)
		if err != nil {
			return nil, err
		}
		w.Grant = g
	}
	return json.Marshal(w)
}

// UnmarshalJSON decodes the scheme's fields, picking the grant's variant by
// its grantType.
func (s *OAuth2Scheme) UnmarshalJSON(b []byte) error {
	if isJSONNull(b) {
		return nil
	}
	var w oauth2SchemeWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	grant, err := decodeGrant(w.Grant)
	if err != nil {
		return err
	}
	*s = OAuth2Scheme{
		AuthorizeURL:              w.AuthorizeURL,
		TokenURL:                  w.TokenURL,
		Scopes:                    w.Scopes,
		DefaultScopes:             w.DefaultScopes,
		AdditionalAuthorizeParams: w.AdditionalAuthorizeParams,
		AdditionalTokenParams:     w.AdditionalTokenParams,
		MTLSEnabled:               w.MTLSEnabled,
		MTLSCredentialID:          w.MTLSCredentialID,
		Grant:                     grant,
	}
	return nil
}

// MarshalJSON sends Raw as it is, or {} when it is empty.
func (s UnknownScheme) MarshalJSON() ([]byte, error) {
	if len(s.Raw) == 0 {
		return []byte("{}"), nil
	}
	return s.Raw, nil
}

// authSchemeConfigBase is the common part of AuthSchemeConfig on the wire.
type authSchemeConfigBase struct {
	ID                 string    `json:"id"`
	Description        string    `json:"description"`
	ValidationMessages []Message `json:"validationMessages,omitempty"`
	SchemeType         string    `json:"schemeType"`
}

// authSchemeConfigFlat is the common part with the fields of the schemes
// that are flat, so that such a config decodes in one pass rather than two.
type authSchemeConfigFlat struct {
	authSchemeConfigBase
	Name         string            `json:"name"`
	In           APIKeyLocation    `json:"in"`
	Algorithm    HMACAlgorithm     `json:"algorithm"`
	DigestInputs []HMACDigestInput `json:"digestInputs"`
}

// apiKeyConfigWire is an AuthSchemeConfig with an APIKeyScheme on the wire:
// the same bytes as joining the common part and the scheme, in one Marshal.
type apiKeyConfigWire struct {
	authSchemeConfigBase
	APIKeyScheme
}

// MarshalJSON encodes the common fields and the scheme's fields as one
// object, minting an ID when there is none. An UnknownScheme with Raw is sent
// as Raw.
func (c AuthSchemeConfig) MarshalJSON() ([]byte, error) {
	if p, ok := c.Scheme.(*UnknownScheme); ok && p != nil {
		c.Scheme = *p
	}
	if u, ok := c.Scheme.(UnknownScheme); ok && len(u.Raw) > 0 {
		if t := bytes.TrimSpace(u.Raw); len(t) == 0 || t[0] != '{' {
			return nil, errors.New("versori: UnknownScheme.Raw is not a JSON object")
		}
		return u.Raw, nil
	}
	if isNil(c.Scheme) {
		return nil, errors.New("versori: AuthSchemeConfig has no scheme")
	}
	base := authSchemeConfigBase{
		ID:                 c.ID,
		Description:        c.Description,
		ValidationMessages: c.ValidationMessages,
		SchemeType:         c.Scheme.SchemeType(),
	}
	if base.ID == "" {
		base.ID = ulid.Make().String()
	}
	if w, ok := c.flatWire(base); ok {
		return json.Marshal(w)
	}
	head, err := json.Marshal(base)
	if err != nil {
		return nil, err
	}
	var fields []byte
	if _, unknown := c.Scheme.(UnknownScheme); !unknown {
		if fields, err = json.Marshal(c.Scheme); err != nil {
			return nil, err
		}
	}
	return joinObjects(head, fields), nil
}

// decodeSchemeBase decodes the common fields of an AuthSchemeConfig.
func decodeSchemeBase(b []byte) (authSchemeConfigBase, error) {
	var base authSchemeConfigBase
	err := json.Unmarshal(b, &base)
	return base, err
}

// flatWire returns, for the commonest schemes, a value that encodes as c in
// one Marshal, base being c's common part: an API key with the common part,
// or the common part alone for the schemes without fields. Others need the
// two-part encoding of MarshalJSON.
func (c AuthSchemeConfig) flatWire(base authSchemeConfigBase) (any, bool) {
	switch s := c.Scheme.(type) {
	case APIKeyScheme:
		return apiKeyConfigWire{base, s}, true
	case NoneScheme, BasicAuthScheme, CertificateScheme:
		return base, true
	}
	return nil, false
}

// wire returns a value that encodes as c, without MarshalJSON when c's scheme
// allows (see wireBodier). An empty ID is minted here, as MarshalJSON would.
func (c AuthSchemeConfig) wire() any {
	switch c.Scheme.(type) {
	case APIKeyScheme, NoneScheme, BasicAuthScheme, CertificateScheme:
		base := authSchemeConfigBase{ID: c.ID, Description: c.Description, ValidationMessages: c.ValidationMessages, SchemeType: c.Scheme.SchemeType()}
		if base.ID == "" {
			base.ID = ulid.Make().String()
		}
		w, _ := c.flatWire(base)
		return w
	}
	return c
}

// UnmarshalJSON decodes the common fields and picks the scheme's variant by
// schemeType. A scheme the SDK does not know keeps the whole object raw.
func (c *AuthSchemeConfig) UnmarshalJSON(b []byte) error {
	if isJSONNull(b) {
		return nil
	}
	// One pass decodes the common fields and a flat scheme's; other schemes
	// take their fields in a second. If it fails (a field of some other
	// scheme has an unexpected type, say), the common fields are decoded on
	// their own, as they always were, and any error is reported as before.
	var base authSchemeConfigBase // not passed to Unmarshal here, so it stays off the heap
	var flat authSchemeConfigFlat
	if json.Unmarshal(b, &flat) == nil {
		var scheme AuthScheme
		switch flat.SchemeType {
		case "api-key":
			scheme = APIKeyScheme{Name: flat.Name, In: flat.In}
		case "hmac":
			scheme = HMACScheme{Name: flat.Name, In: flat.In, Algorithm: flat.Algorithm, DigestInputs: flat.DigestInputs}
		}
		if scheme != nil {
			*c = AuthSchemeConfig{
				ID:                 flat.ID,
				Description:        flat.Description,
				ValidationMessages: flat.ValidationMessages,
				Scheme:             scheme,
			}
			return nil
		}
		base = flat.authSchemeConfigBase
	} else {
		var err error
		if base, err = decodeSchemeBase(b); err != nil {
			return err
		}
	}
	var (
		scheme AuthScheme
		err    error
	)
	switch base.SchemeType {
	case "none":
		scheme = NoneScheme{}
	case "basic-auth":
		scheme = BasicAuthScheme{}
	case "certificate":
		scheme = CertificateScheme{}
	case "api-key":
		var s APIKeyScheme
		err = json.Unmarshal(b, &s)
		scheme = s
	case "hmac":
		var s HMACScheme
		err = json.Unmarshal(b, &s)
		scheme = s
	case "oauth2":
		var s OAuth2Scheme
		err = json.Unmarshal(b, &s)
		scheme = s
	default:
		scheme = UnknownScheme{Type: base.SchemeType, Raw: bytes.Clone(b)}
	}
	if err != nil {
		return decodeError(base.SchemeType+" auth scheme", err)
	}
	*c = AuthSchemeConfig{
		ID:                 base.ID,
		Description:        base.Description,
		ValidationMessages: base.ValidationMessages,
		Scheme:             scheme,
	}
	return nil
}

// OAuth2Grant is the grant of an OAuth2Scheme, one variant per `grantType`.
// Any grant the SDK does not know decodes to UnknownGrant.
type OAuth2Grant interface {
	// GrantType is the `grantType` sent for this grant.
	GrantType() string
	isOAuth2Grant()
}

// AuthorizationCodeGrant is the authorization_code grant. With CredentialID
// and OrganisationID empty the API creates a credential for the client ID and
// secret; with both set it updates that credential.
type AuthorizationCodeGrant struct {
	CredentialID   string `json:"credentialId,omitempty"`
	OrganisationID string `json:"organisationId,omitempty"`
	ClientID       string `json:"clientId,omitempty"`
	ClientSecret   string `json:"clientSecret,omitempty" secret:"true"`
}

// ClientCredentialsGrant is the client_credentials grant: the client ID and
// secret come with the connection's credential.
type ClientCredentialsGrant struct{}

// PasswordGrant is the password grant; its fields work as in
// AuthorizationCodeGrant.
type PasswordGrant struct {
	CredentialID   string `json:"credentialId,omitempty"`
	OrganisationID string `json:"organisationId,omitempty"`
	ClientID       string `json:"clientId,omitempty"`
	ClientSecret   string `json:"clientSecret,omitempty" secret:"true"`
}

// UnknownGrant is a grant this SDK does not know. Raw is the whole grant
// object as received and is sent back unchanged.
type UnknownGrant struct {
	Type string
	Raw  json.RawMessage `secret:"true"`
}

// GrantType returns "authorization_code".
func (AuthorizationCodeGrant) GrantType() string { return "authorization_code" }

// GrantType returns "client_credentials".
func (ClientCredentialsGrant) GrantType() string { return "client_credentials" }

// GrantType returns "password".
func (PasswordGrant) GrantType() string { return "password" }

// GrantType returns the grantType the grant arrived with.
func (g UnknownGrant) GrantType() string { return g.Type }

func (AuthorizationCodeGrant) isOAuth2Grant() {}
func (ClientCredentialsGrant) isOAuth2Grant() {}
func (PasswordGrant) isOAuth2Grant()          {}
func (UnknownGrant) isOAuth2Grant()           {}

// grantTypeWire carries a grant's discriminator.
type grantTypeWire struct {
	GrantType string `json:"grantType"`
}

// MarshalJSON encodes the grant with its grantType.
func (g AuthorizationCodeGrant) MarshalJSON() ([]byte, error) {
	type plain AuthorizationCodeGrant
	return json.Marshal(struct {
		grantTypeWire
		plain
	}{grantTypeWire{g.GrantType()}, plain(g)})
}

// MarshalJSON encodes the grant with its grantType.
func (g ClientCredentialsGrant) MarshalJSON() ([]byte, error) {
	return json.Marshal(grantTypeWire{g.GrantType()})
}

// MarshalJSON encodes the grant with its grantType.
func (g PasswordGrant) MarshalJSON() ([]byte, error) {
	type plain PasswordGrant
	return json.Marshal(struct {
		grantTypeWire
		plain
	}{grantTypeWire{g.GrantType()}, plain(g)})
}

// MarshalJSON sends Raw as it is, or {"grantType": Type} when it is empty.
func (g UnknownGrant) MarshalJSON() ([]byte, error) {
	if len(g.Raw) == 0 {
		return json.Marshal(grantTypeWire{g.Type})
	}
	return g.Raw, nil
}

// decodeGrant decodes a grant object by its grantType; an absent or null
// grant is nil.
func decodeGrant(raw json.RawMessage) (OAuth2Grant, error) {
	if len(raw) == 0 || isJSONNull(raw) {
		return nil, nil
	}
	var t grantTypeWire
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, fmt.Errorf("grant: %w", err)
	}
	switch t.GrantType {
	case "authorization_code":
		var g AuthorizationCodeGrant
		err := json.Unmarshal(raw, &g)
		return g, err
	case "client_credentials":
		return ClientCredentialsGrant{}, nil
	case "password":
		var g PasswordGrant
		err := json.Unmarshal(raw, &g)
		return g, err
	}
	return UnknownGrant{Type: t.GrantType, Raw: bytes.Clone(raw)}, nil
}

// validate checks the config has a scheme, and an OAuth 2.0 scheme a grant;
// field is the config's path.
func (c AuthSchemeConfig) validate(field string) error {
	switch s := c.Scheme.(type) {
	case OAuth2Scheme:
		if isNil(s.Grant) {
			return &ValidationError{Field: field + ".grant", Reason: "is required"}
		}
	case *OAuth2Scheme:
		if s != nil && isNil(s.Grant) {
			return &ValidationError{Field: field + ".grant", Reason: "is required"}
		}
	}
	if isNil(c.Scheme) {
		return &ValidationError{Field: field, Reason: "scheme is required"}
	}
	return nil
}

// Format prints the scheme's type, with the raw object redacted.
func (s UnknownScheme) Format(f fmt.State, verb rune) { redact.Format(f, verb, s) }

// Format prints the grant's type, with the raw object redacted.
func (g UnknownGrant) Format(f fmt.State, verb rune) { redact.Format(f, verb, g) }

// Format prints the grant with its client secret redacted.
func (g AuthorizationCodeGrant) Format(f fmt.State, verb rune) { redact.Format(f, verb, g) }

// Format prints the grant with its client secret redacted.
func (g PasswordGrant) Format(f fmt.State, verb rune) { redact.Format(f, verb, g) }

// Format prints the scheme with its grant's secrets redacted.
func (s OAuth2Scheme) Format(f fmt.State, verb rune) { redact.Format(f, verb, s) }

// Format prints the config with its scheme's secrets redacted.
func (c AuthSchemeConfig) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// LogValue logs the scheme's type, with the raw object redacted.
func (s UnknownScheme) LogValue() slog.Value { return redact.LogValue(s) }

// LogValue logs the grant's type, with the raw object redacted.
func (g UnknownGrant) LogValue() slog.Value { return redact.LogValue(g) }

// LogValue logs the grant with its client secret redacted.
func (g AuthorizationCodeGrant) LogValue() slog.Value { return redact.LogValue(g) }

// LogValue logs the grant with its client secret redacted.
func (g PasswordGrant) LogValue() slog.Value { return redact.LogValue(g) }

// LogValue logs the scheme with its grant's secrets redacted.
func (s OAuth2Scheme) LogValue() slog.Value { return redact.LogValue(s) }

// LogValue logs the config with its scheme's secrets redacted.
func (c AuthSchemeConfig) LogValue() slog.Value { return redact.LogValue(c) }
