package platform

import (
	"fmt"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/union"
)

// This file holds the Platform API's credential union. Unlike the Embedded
// API's, a credential's data is KEYED by its type, {"type": "basic-auth",
// "data": {"basicAuth": {...}}}, and nothing in the spec ties the key to the
// type: the SDK does, so the two cannot disagree.

// CredentialType is the `type` of a credential; it decides the key and shape
// of its data.
type CredentialType string

// The credential types of the Platform API.
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
	CredentialTypeOAuth1         CredentialType = "oauth1"
	CredentialTypeOAuth1Token    CredentialType = "oauth1-token"
)

// CredentialData is a credential's data: one struct per CredentialType. Data
// of a type this SDK does not know decodes to UnknownCredential.
type CredentialData interface{ credentialType() CredentialType }

// NoneCredential is the data of a credential of type none.
type NoneCredential struct{}

// StringCredential is one secret string, most often an API key.
type StringCredential struct {
	Value versori.Secret `json:"value" required:"true"`
}

// BinaryCredential is a secret that need not be text, in standard base64.
type BinaryCredential struct {
	ValueBase64 versori.Secret `json:"valueBase64" required:"true"`
}

// BasicAuthCredential is a username and password for HTTP basic auth.
type BasicAuthCredential struct {
	Username string         `json:"username" required:"true"`
	Password versori.Secret `json:"password" required:"true"`
}

// OAuth2ClientCredential is an OAuth 2.0 client for the client_credentials
// grant.
type OAuth2ClientCredential struct {
	ClientID         string         `json:"clientId" required:"true"`
	ClientSecret     versori.Secret `json:"clientSecret" required:"true"`
	TokenURL         string         `json:"tokenUrl" required:"true"`
	Scopes           []string       `json:"scopes,omitempty"`
	AdditionalParams string         `json:"additionalParams,omitempty"` // URL-encoded, sent in the token request
	MTLSEnabled      bool           `json:"mTLSEnabled,omitzero"`
	MTLSCredentialID string         `json:"mTLSCredentialId,omitempty"`
}

// OAuth2CodeCredential is the code and state the provider redirected back
// with, for the API to exchange; it reads back as an OAuth2TokenCredential.
type OAuth2CodeCredential struct {
	Code             versori.Secret `json:"code" required:"true"`
	State            string         `json:"state" required:"true"`
	AdditionalParams string         `json:"additionalParams,omitempty"`
}

// OAuth2PasswordCredential is a resource owner's username and password.
type OAuth2PasswordCredential struct {
	Username string         `json:"username" required:"true"`
	Password versori.Secret `json:"password" required:"true"`
}

// OAuth2TokenCredential is a user's OAuth 2.0 tokens; read back, only Scopes
// is meaningful.
type OAuth2TokenCredential struct {
	Scopes       []string       `json:"scopes" required:"true"` // sent as [] when empty
	AccessToken  versori.Secret `json:"accessToken,omitempty"`
	TokenType    string         `json:"tokenType,omitempty"` // "Bearer" when empty
	ExpiresAt    time.Time      `json:"expiresAt,omitzero"`
	RefreshToken versori.Secret `json:"refreshToken" required:"true"`
}

// CertificateCredential is a PEM certificate, its key and the CA, for TLS
// client authentication.
type CertificateCredential struct {
	Certificate string         `json:"certificate" required:"true"`
	Key         versori.Secret `json:"key" required:"true"`
	CA          string         `json:"ca" required:"true"`
}

// OAuth1Credential is the result of an OAuth 1.0 browser flow, for the API to
// exchange for a token.
type OAuth1Credential struct {
	State         string         `json:"state" required:"true"`
	OAuthToken    string         `json:"oauthToken" required:"true"`
	OAuthVerifier versori.Secret `json:"oauthVerifier" required:"true"`
}

// OAuth1TokenCredential is an OAuth 1.0 token, for a scheme with TokenAuth.
type OAuth1TokenCredential struct {
	Token            versori.Secret    `json:"token" required:"true"`
	TokenSecret      versori.Secret    `json:"tokenSecret" required:"true"`
	AdditionalParams []AdditionalParam `json:"additionalParams,omitempty"`
}

// AdditionalParam is a name and value sent along with an OAuth 1.0 token.
type AdditionalParam struct {
	Name  string `json:"name" required:"true"`
	Value string `json:"value,omitempty"`
}

// UnknownCredential is the data of a credential type this SDK does not
// know: Raw is the whole `data` object as received, sent back unchanged.
type UnknownCredential struct {
	Type CredentialType
	Raw  versori.SecretJSON
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
func (OAuth1Credential) credentialType() CredentialType         { return CredentialTypeOAuth1 }
func (OAuth1TokenCredential) credentialType() CredentialType    { return CredentialTypeOAuth1Token }
func (u UnknownCredential) credentialType() CredentialType      { return u.Type }

// credentialTypes is the credential union's table, by the key of `data`
// each type's data sits under.
var credentialTypes = union.NewKeyed("credential data", CredentialData.credentialType, map[string]CredentialData{
	"none":           NoneCredential{},
	"string":         StringCredential{},
	"binary":         BinaryCredential{},
	"basicAuth":      BasicAuthCredential{},
	"oauth2Client":   OAuth2ClientCredential{},
	"oauth2Code":     OAuth2CodeCredential{},
	"oauth2Password": OAuth2PasswordCredential{},
	"oauth2Token":    OAuth2TokenCredential{},
	"certificate":    CertificateCredential{},
	"oauth1":         OAuth1Credential{},
	"oauth1Token":    OAuth1TokenCredential{},
})

// CredentialTypeOf returns the type data is sent as ("" for nil).
func CredentialTypeOf(data CredentialData) CredentialType {
	return union.TagOf(data, CredentialData.credentialType)
}

// Credential is a credential: as read back (its secrets redacted by the
// API), and as sent inside a connection, where the SDK fills in ID and
// OrganisationID when they are empty.
type Credential struct {
	ID             string         `json:"id" required:"true"`
	OrganisationID string         `json:"organisationId" required:"true"`
	Type           CredentialType `json:"type,omitempty"` // an oauth2-code credential reads back as oauth2-token
	Name           string         `json:"name,omitempty"`
	Errors         []string       `json:"errors,omitzero"`
	Data           CredentialData `json:"data,omitempty"`
	ExpiresAt      time.Time      `json:"expiresAt,omitzero"` // when the API deletes it; zero for never
}

// credentialHead is a Credential on the wire but for its data.
type credentialHead struct {
	ID             string         `json:"id"`
	OrganisationID string         `json:"organisationId"`
	Type           CredentialType `json:"type,omitempty"`
	Name           string         `json:"name,omitempty"`
	Errors         []string       `json:"errors,omitzero"`
	ExpiresAt      time.Time      `json:"expiresAt,omitzero"`
}

// MarshalJSONTo encodes the credential with its data keyed by its type; the
// type is Data's when Data is set.
func (c Credential) MarshalJSONTo(enc *jsontext.Encoder) error {
	w := struct {
		credentialHead
		Data credentialDataOut `json:"data,omitempty"`
	}{credentialHead: credentialHead{c.ID, c.OrganisationID, c.Type, c.Name, c.Errors, c.ExpiresAt}}
	if data := union.Deref(c.Data); !union.IsNil(data) {
		w.Type = CredentialTypeOf(data)
		if u, ok := data.(UnknownCredential); ok {
			w.Data.raw = u.Raw
		} else {
			row, _ := credentialTypes.Lookup(data)
			w.Data.keyed = union.Keyed{Key: row.Key, Value: data}
		}
	}
	return json.MarshalEncode(enc, &w)
}

// credentialDataOut is a credential's data as sent: a known type's data
// under its key, an unknown type's raw data as it came, or null (omitted)
// for none. A struct field rather than an any holding one of them, so that
// encoding it neither boxes nor copies it.
type credentialDataOut struct {
	keyed union.Keyed
	raw   versori.SecretJSON
}

func (d *credentialDataOut) MarshalJSONTo(enc *jsontext.Encoder) error {
	switch {
	case d.keyed.Value != nil:
		return d.keyed.MarshalJSONTo(enc)
	case !d.raw.IsZero():
		return json.MarshalEncode(enc, d.raw)
	}
	return enc.WriteToken(jsontext.Null)
}

// MarshalJSON is MarshalJSONTo for encoding/json, with secrets redacted.
func (c Credential) MarshalJSON() ([]byte, error) { return json.Marshal(c) }

// UnmarshalJSONFrom decodes a credential, its data by its type. Data under
// another type's key, or under several keys, is an error.
func (c *Credential) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var w struct {
		credentialHead
		Data jsontext.Value `json:"data"`
	}
	if err := json.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	*c = Credential{ID: w.ID, OrganisationID: w.OrganisationID, Type: w.Type, Name: w.Name, Errors: w.Errors, ExpiresAt: w.ExpiresAt}
	if len(w.Data) == 0 || w.Data.Kind() == 'n' {
		w.Data = nil
	} else if w.Data.Kind() != '{' {
		return fmt.Errorf("%s credential data is a JSON %s, not an object", w.Type, union.KindName(w.Data.Kind()))
	}
	row, known := credentialTypes.ByTag(string(w.Type))
	if !known {
		if w.Type != "" || len(w.Data) > 0 {
			raw := w.Data
			if raw == nil {
				raw = jsontext.Value("{}") // no data is sent back as none
			}
			c.Data = UnknownCredential{Type: w.Type, Raw: versori.NewSecretJSON(raw)}
		}
		return nil
	}
	data, err := union.DecodeKeyed[CredentialData](w.Data, row, dec.Options())
	if err != nil {
		return fmt.Errorf("%s credential data: %w", w.Type, err)
	}
	c.Data = data
	return nil
}
