package platform

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/union"
)

// This file holds the Platform API's auth scheme union and its OAuth 2.0
// grants. Both are keyed: {"type": "api-key", "apiKey": {...}}, the common
// fields (id, description) inside the keyed member.

// AuthSchemeConfig says how a system uses a credential: an ID (a name the
// client chooses, such as "my-oauth", unique in its list), a description,
// and one scheme.
type AuthSchemeConfig struct {
	ID                 string            `json:"id"`
	Description        string            `json:"description"`
	ValidationMessages []versori.Message `json:"validationMessages,omitempty"` // the API's findings; ignored on input
	Scheme             AuthScheme        `json:"-"`
}

// AuthScheme is the scheme of an AuthSchemeConfig: one struct per `type`. A
// scheme this SDK does not know (the spec's types jwt-bearer and secret have
// no config) decodes to UnknownScheme.
type AuthScheme interface{ schemeType() string }

// NoneScheme is a system that needs no authentication.
type NoneScheme struct{}

// APIKeyScheme sends a string credential as the query parameter, header or
// cookie Name.
type APIKeyScheme struct {
	Name string                 `json:"name,omitempty" required:"true"`
	In   versori.APIKeyLocation `json:"in,omitempty" required:"true"`
}

// BasicAuthScheme sends a basic-auth credential as HTTP basic auth.
type BasicAuthScheme struct{}

// CertificateScheme uses a certificate credential for TLS client auth.
type CertificateScheme struct{}

// HMACScheme signs requests, or verifies webhook calls, with an HMAC.
type HMACScheme struct {
	Name         string                    `json:"name,omitempty" required:"true"`
	In           versori.APIKeyLocation    `json:"in,omitempty" required:"true"`
	Algorithm    versori.HMACAlgorithm     `json:"algorithm,omitempty" required:"true"`
	DigestInputs []versori.HMACDigestInput `json:"digestInputs,omitempty"`             // hashed in this order
	Encoding     string                    `json:"encoding,omitempty" required:"true"` // "hex", "base64" or "base64url"
}

// OAuth2Scheme authenticates with OAuth 2.0, using the grant in Grant.
type OAuth2Scheme struct {
	AuthorizeURL              string                `json:"authorizeUrl,omitempty"`
	TokenURL                  string                `json:"tokenUrl,omitempty" required:"true"`
	Scopes                    []versori.OAuth2Scope `json:"scopes"`        // required by the spec: sent as [] when empty
	DefaultScopes             []string              `json:"defaultScopes"` // required by the spec: sent as [] when empty
	AdditionalAuthorizeParams string                `json:"additionalAuthorizeParams,omitempty"`
	AdditionalTokenParams     string                `json:"additionalTokenParams,omitempty"`
	MTLSEnabled               bool                  `json:"mtlsEnabled,omitzero"`
	MTLSCredentialID          string                `json:"mtlsCredentialId,omitempty"`
	PKCE                      bool                  `json:"pkce,omitzero"`
	Grant                     OAuth2Grant           `json:"-"`
}

// OAuth1Scheme authenticates with OAuth 1.0: through the browser flow
// (InitialiseOAuth1) or, with TokenAuth, with an OAuth1TokenCredential.
//
// ConsumerKey, ConsumerSecret and SignatureMethod are required by the spec and
// sent even when empty: the API reads ConsumerSecret back as "", and a config
// copied from a template must still carry it.
type OAuth1Scheme struct {
	TokenAuth                          bool           `json:"tokenAuth,omitzero"`
	ConsumerKey                        string         `json:"consumerKey" required:"true"`
	ConsumerSecret                     versori.Secret `json:"consumerSecret"`
	TempCredentialEndpoint             *Endpoint      `json:"tempCredentialEndpoint,omitempty"`
	ResourceOwnerAuthorizationEndpoint *Endpoint      `json:"resourceOwnerAuthorizationEndpoint,omitempty"`
	TokenEndpoint                      *Endpoint      `json:"tokenEndpoint,omitempty"`
	SignatureMethod                    string         `json:"signatureMethod" required:"true"` // "sha256" or "sha1"
	CredentialID                       string         `json:"credentialId,omitempty"`          // the stored consumer credential
}

// Endpoint is an OAuth 1.0 endpoint.
type Endpoint struct {
	URL                    string            `json:"url" required:"true"` // may hold {templated} values
	ParameterTransmission  string            `json:"parameterTransmission,omitempty"`
	AdditionalParamConfigs []ParameterConfig `json:"additionalParamConfigs,omitempty"`
}

// ParameterConfig describes one extra parameter of an OAuth 1.0 endpoint.
type ParameterConfig struct {
	ParameterName string `json:"parameterName" required:"true"`
	TargetName    string `json:"targetName,omitempty"`
	Location      string `json:"location" required:"true"`
	Usages        string `json:"usages" required:"true"` // the spec's required list says "usage" (erratum E7)
	Required      bool   `json:"required" required:"true"`
	Modifiable    bool   `json:"modifiable" required:"true"`
}

// UnknownScheme is a scheme this SDK does not know: Raw is the whole
// AuthSchemeConfig object as received, sent back unchanged. The config's ID,
// Description and ValidationMessages are read from Raw's one member, where
// it has one, so that the config can still be named by its ID.
type UnknownScheme struct {
	Type string
	Raw  versori.SecretJSON
}

func (NoneScheme) schemeType() string        { return "none" }
func (APIKeyScheme) schemeType() string      { return "api-key" }
func (BasicAuthScheme) schemeType() string   { return "basic-auth" }
func (CertificateScheme) schemeType() string { return "certificate" }
func (HMACScheme) schemeType() string        { return "hmac" }
func (OAuth2Scheme) schemeType() string      { return "oauth2" }
func (OAuth1Scheme) schemeType() string      { return "oauth1" }
func (u UnknownScheme) schemeType() string   { return u.Type }

// authSchemes is the auth scheme union's table, by the member each scheme's
// config sits under.
var authSchemes = union.NewKeyed("auth scheme", AuthScheme.schemeType, map[string]AuthScheme{
	"none":        NoneScheme{},
	"apiKey":      APIKeyScheme{},
	"basicAuth":   BasicAuthScheme{},
	"certificate": CertificateScheme{},
	"hmac":        HMACScheme{},
	"oauth2":      OAuth2Scheme{},
	"oauth1":      OAuth1Scheme{},
})

// SchemeTypeOf returns the type a scheme is sent as ("" for nil).
func SchemeTypeOf(s AuthScheme) string { return union.TagOf(s, AuthScheme.schemeType) }

// authSchemeHead is the common part of a config, inside its keyed member.
type authSchemeHead struct {
	ID                 string            `json:"id"`
	Description        string            `json:"description"`
	ValidationMessages []versori.Message `json:"validationMessages,omitempty"`
}

// MarshalJSONTo encodes {"type": ..., "<key>": {id, description, ...}}; an
// UnknownScheme with Raw is sent as Raw.
func (c AuthSchemeConfig) MarshalJSONTo(enc *jsontext.Encoder) error {
	scheme := union.Deref(c.Scheme)
	if u, ok := scheme.(UnknownScheme); ok && !u.Raw.IsZero() {
		return json.MarshalEncode(enc, u.Raw)
	}
	row, ok := authSchemes.Lookup(scheme)
	if !ok {
		return fmt.Errorf("versori: AuthSchemeConfig has no known Scheme (%T)", c.Scheme)
	}
	var inner any = scheme
	if o, ok := scheme.(OAuth2Scheme); ok {
		inner = o.wire() // flat takes structs without JSON methods
	}
	return writeKeyed(enc, row, func(enc *jsontext.Encoder) error {
		return union.EncodeFlat(enc, authSchemeHead{c.ID, c.Description, c.ValidationMessages}, inner)
	})
}

// MarshalJSON is MarshalJSONTo for encoding/json, with secrets redacted.
func (c AuthSchemeConfig) MarshalJSON() ([]byte, error) { return json.Marshal(c) }

// UnmarshalJSONFrom decodes a config, its scheme by its type.
func (c *AuthSchemeConfig) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	tag, row, member, known, err := readKeyed(raw, authSchemes, dec.Options())
	if err != nil {
		return fmt.Errorf("auth scheme config: %w", err)
	}
	var head authSchemeHead
	if !known {
		// Best effort: a member of another shape leaves the head empty.
		if len(member) > 0 && json.Unmarshal(member, &head, dec.Options()) != nil {
			head = authSchemeHead{}
		}
		*c = AuthSchemeConfig{ID: head.ID, Description: head.Description, ValidationMessages: head.ValidationMessages,
			Scheme: UnknownScheme{Type: tag, Raw: versori.NewSecretJSON(raw)}}
		return nil
	}
	// The head and the scheme share the member: one pass decodes both.
	variant := row.Type
	if row.Tag == "oauth2" {
		variant = oauth2InType
	}
	scheme, err := union.DecodeFlat(member, &head, variant, dec.Options())
	if o, ok := scheme.(oauth2In); ok && err == nil {
		scheme, err = o.scheme(dec.Options())
	}
	if err != nil {
		return fmt.Errorf("%s auth scheme: %w", tag, err)
	}
	*c = AuthSchemeConfig{ID: head.ID, Description: head.Description, ValidationMessages: head.ValidationMessages, Scheme: scheme.(AuthScheme)}
	return nil
}

// OAuth2Grant is the grant of an OAuth2Scheme: one struct per `type`. A grant
// this SDK does not know decodes to UnknownGrant.
type OAuth2Grant interface{ grantType() string }

// AuthorizationCodeGrant is the authorization code grant. CredentialID and
// OrganisationID name the stored client credential that InitialiseOAuth2
// uses.
type AuthorizationCodeGrant struct {
	CredentialID   string         `json:"credentialId,omitempty"`
	OrganisationID string         `json:"organisationId,omitempty"`
	ClientID       string         `json:"clientId,omitempty"`
	ClientSecret   versori.Secret `json:"clientSecret,omitempty"`
}

// ClientCredentialsGrant is the client credentials grant.
type ClientCredentialsGrant struct{}

// PasswordGrant is the password grant; its fields work as in
// AuthorizationCodeGrant.
type PasswordGrant struct {
	CredentialID   string         `json:"credentialId,omitempty"`
	OrganisationID string         `json:"organisationId,omitempty"`
	ClientID       string         `json:"clientId,omitempty"`
	ClientSecret   versori.Secret `json:"clientSecret,omitempty"`
}

// UnknownGrant is a grant this SDK does not know: Raw is the whole grant
// object as received, sent back unchanged.
type UnknownGrant struct {
	Type string
	Raw  versori.SecretJSON
}

func (AuthorizationCodeGrant) grantType() string { return "authorizationCode" }
func (ClientCredentialsGrant) grantType() string { return "clientCredentials" }
func (PasswordGrant) grantType() string          { return "password" }
func (u UnknownGrant) grantType() string         { return u.Type }

// grants is the grant union's table: a grant's member key is its type.
var grants = union.NewKeyed("grant", OAuth2Grant.grantType, map[string]OAuth2Grant{
	"authorizationCode": AuthorizationCodeGrant{},
	"clientCredentials": ClientCredentialsGrant{},
	"password":          PasswordGrant{},
})

// oauth2In is an OAuth2Scheme as read: its fields, and its keyed grant still
// to decode. It has no JSON methods, so that DecodeFlat can read it beside
// a config's head.
type oauth2In struct {
	OAuth2Scheme
	Grant jsontext.Value `json:"grant"`
}

var oauth2InType = reflect.TypeFor[oauth2In]()

// scheme returns the OAuth2Scheme with its grant decoded.
func (o oauth2In) scheme(opts json.Options) (OAuth2Scheme, error) {
	s := o.OAuth2Scheme
	if len(o.Grant) > 0 && o.Grant.Kind() != 'n' {
		var g grantWire
		if err := json.Unmarshal(o.Grant, &g, opts); err != nil {
			return s, fmt.Errorf("grant: %w", err)
		}
		s.Grant = g.grant
	}
	return s, nil
}

// oauth2Members are an OAuth2Scheme's members as sent: its fields and its
// keyed grant.
type oauth2Members struct {
	OAuth2Scheme
	Grant any `json:"grant,omitempty"`
}

// wire returns s's members as sent.
func (s OAuth2Scheme) wire() oauth2Members {
	w := oauth2Members{OAuth2Scheme: s}
	if g := union.Deref(s.Grant); !union.IsNil(g) {
		w.Grant = grantWire{g}
	}
	return w
}

// grantWire is a grant on the wire: {"type": ..., "<type>": {...}}.
type grantWire struct{ grant OAuth2Grant }

func (g grantWire) MarshalJSONTo(enc *jsontext.Encoder) error {
	if u, ok := g.grant.(UnknownGrant); ok {
		return json.MarshalEncode(enc, u.Raw)
	}
	row, ok := grants.Lookup(g.grant)
	if !ok {
		return fmt.Errorf("versori: unknown OAuth2Grant %T", g.grant)
	}
	return writeKeyed(enc, row, func(enc *jsontext.Encoder) error { return json.MarshalEncode(enc, g.grant) })
}

func (g *grantWire) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	tag, row, member, known, err := readKeyed(raw, grants, dec.Options())
	if err != nil {
		return err
	}
	if !known {
		g.grant = UnknownGrant{Type: tag, Raw: versori.NewSecretJSON(raw)}
		return nil
	}
	g.grant, err = union.Decode[OAuth2Grant](row, member, dec.Options())
	return err
}

// writeKeyed writes {"type": row.Tag, row.Key: <what member writes>}.
// member writes straight into enc: a value passed as an any would be boxed
// and then copied by the encoder.
func writeKeyed(enc *jsontext.Encoder, row union.Variant, member func(*jsontext.Encoder) error) error {
	for _, tok := range []jsontext.Token{jsontext.BeginObject, jsontext.String("type"), jsontext.String(row.Tag), jsontext.String(row.Key)} {
		if err := enc.WriteToken(tok); err != nil {
			return err
		}
	}
	if err := member(enc); err != nil {
		return err
	}
	return enc.WriteToken(jsontext.EndObject)
}

// readKeyed reads {"type": ..., "<key>": {...}}: the type, its row (known is
// false for a type the table lacks) and the member under the type's key, or
// for an unknown type its one member, if it has exactly one. A member under
// another variant's key is an error: the key must agree with the type. So is
// no type (absent, null or ""): the spec requires it, and an object without
// one is no variant at all, not one newer than the SDK.
func readKeyed[I any](raw jsontext.Value, table *union.Table[I], opts json.Options) (tag string, row union.Variant, member jsontext.Value, known bool, err error) {
	// The type may come after the members, so they are looked at once the
	// whole object is read.
	type keyed struct {
		row   union.Variant
		value jsontext.Value
	}
	var (
		byKey        [2]keyed // the members under a variant's key: one, unless the object is wrong
		keyedMembers = byKey[:0]
		only         jsontext.Value // the one member other than type, for an unknown type
		onlyName     []byte
		others       int // how many members other than type, by name
	)
	err = union.Members(raw, func(name []byte, value jsontext.Value) error {
		if string(name) == "type" {
			switch {
			case value.Kind() == 'n':
				tag = ""
			case value.Kind() == '"' && bytes.IndexByte(value, '\\') < 0:
				text := value[1 : len(value)-1]
				if r, ok := table.ByTag(string(text)); ok {
					tag = r.Tag // the table's own string: no allocation
				} else {
					tag = string(text)
				}
			default:
				return json.Unmarshal(value, &tag, opts)
			}
			return nil
		}
		if others == 0 || string(name) != string(onlyName) {
			others++
		}
		only, onlyName = value, name
		if r, ok := table.ByKey(string(name)); ok {
			keyedMembers = append(keyedMembers, keyed{r, value})
		}
		return nil
	})
	if err != nil {
		return "", row, nil, false, err
	}
	if tag == "" {
		// type is required: without one there is no variant, known or not.
		return "", row, nil, false, errors.New(`required property "type" is missing, null or empty`)
	}
	if row, known = table.ByTag(tag); !known {
		if others == 1 {
			member = only
		}
		return tag, row, member, false, nil
	}
	for _, m := range keyedMembers {
		if m.row.Key != row.Key {
			return tag, row, nil, false, fmt.Errorf("type %q does not match its member %q", tag, m.row.Key)
		}
		member = m.value // the last one, as a repeated name decodes
	}
	return tag, row, member, true, nil
}
