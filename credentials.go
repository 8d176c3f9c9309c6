package versori

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"time"

	"github.com/versori-go/versori/internal/redact"
)

// CredentialType is the `type` of a credential; it decides the shape of the
// credential's data.
type CredentialType string

// The credential types the API defines.
const (
	CredentialTypeNone           CredentialType = "none"
	CredentialTypeString         CredentialType = "string"
	CredentialTypeBinary         CredentialType = "binary"
	CredentialTypeBasicAuth      CredentialType = "basic-auth"
	CredentialTypeOAuth2Client   CredentialType = "oauth2-client"
	CredentialTypeOAuth2Code     CredentialType = "oauth2-code"
	CredentialTypeOAuth2Password CredentialType = "oauth2-password"
	CredentialTypeOAuth2Token    CredentialType = "oauth2-token"
	CredentialTypeCustomFunction CredentialType = "custom-function"
	CredentialTypeCertificate    CredentialType = "certificate"
	CredentialTypeJWTBearer      CredentialType = "jwt-bearer"
)

// CredentialData is a credential's data; one variant per CredentialType, so
// that a credential's type and the shape of its data cannot disagree. Any type
// the SDK does not know decodes to UnknownCredentialData.
type CredentialData interface {
	// CredentialType is the `type` sent alongside this data.
	CredentialType() CredentialType
	isCredentialData()
}

// NoneCredential is the data of a credential of type none: a connector that
// needs no authentication. It is always the empty object.
type NoneCredential struct{}

// StringCredential is a single secret string, most often an API key.
type StringCredential struct {
	Value string `json:"value" secret:"true"`
}

// BinaryCredential is a secret that need not be text, such as a key file. It
// travels as standard base64 in `valueBase64`.
type BinaryCredential struct {
	Value []byte `secret:"true"`
}

// BasicAuthCredential is a username and password for HTTP basic auth.
type BasicAuthCredential struct {
	Username string `json:"username"`
	Password string `json:"password" secret:"true"`
}

// OAuth2ClientCredential is an OAuth 2.0 client: what is needed to issue
// tokens with the client_credentials or authorization_code grant, or to
// refresh them.
type OAuth2ClientCredential struct {
	ClientID         string   `json:"clientId"`
	ClientSecret     string   `json:"clientSecret" secret:"true"`
	AuthorizeURL     string   `json:"authorizeUrl"` // "" for client_credentials
	TokenURL         string   `json:"tokenUrl"`
	Scopes           []string `json:"scopes,omitempty"`
	AdditionalParams string   `json:"additionalParams,omitempty"` // URL-encoded, sent in the token request body
	MTLSEnabled      bool     `json:"mTLSEnabled,omitempty"`
	MTLSCredentialID string   `json:"mTLSCredentialId,omitempty"`
}

// OAuth2CodeCredential is an authorization code for the API to exchange for
// tokens. It is write-only: the credential reads back as an
// OAuth2TokenCredential of type oauth2-token.
type OAuth2CodeCredential struct {
	Code  string `json:"code" secret:"true"`
	State string `json:"state"`
}

// OAuth2PasswordCredential is a resource owner's username and password for
// the OAuth 2.0 password grant.
type OAuth2PasswordCredential struct {
	Username string `json:"username"`
	Password string `json:"password" secret:"true"`
}

// OAuth2TokenCredential is a user's OAuth 2.0 tokens. Read back, only Scopes
// (the scopes the user consented to) is meaningful: the tokens are redacted.
type OAuth2TokenCredential struct {
	Scopes       []string  `json:"scopes"` // always sent, [] when empty
	AccessToken  string    `json:"accessToken,omitempty" secret:"true"`
	TokenType    string    `json:"tokenType,omitempty"` // the API assumes "Bearer" when empty
	ExpiresAt    time.Time `json:"expiresAt,omitzero"`
	RefreshToken string    `json:"refreshToken" secret:"true"` // required by the API
}

// CertificateCredential is a PEM certificate, its private key and the CA to
// verify servers with, for TLS client authentication.
type CertificateCredential struct {
	Certificate string `json:"certificate"`
	Key         string `json:"key" secret:"true"`
	CA          string `json:"ca"`
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

// JWTBearerCredential is what the platform needs to mint JWT bearer tokens
// for a connector. The published spec does not define it; the shape is that of
// Versori's platform API, where every field is required.
type JWTBearerCredential struct {
	Algorithm                 JWTAlgorithm
	Secret                    []byte `secret:"true"` // HMAC secret or PEM private key; base64 on the wire
	Payload                   string // a JSON object, as a string
	ExpiresIn                 time.Duration
	AuthorizationHeaderPrefix string // "Bearer" or "JWT"
}

// CustomFunctionCredential is the data of a custom-function credential. The
// API publishes no shape for it, so it is kept as an opaque JSON object.
type CustomFunctionCredential struct {
	Data json.RawMessage `secret:"true"`
}

// UnknownCredentialData is the data of a credential type this SDK does not
// know. Raw is the data exactly as received and is sent back unchanged, so a
// new server-side type never breaks a caller.
type UnknownCredentialData struct {
	Type CredentialType
	Raw  json.RawMessage `secret:"true"`
}

// CredentialType returns CredentialTypeNone.
func (NoneCredential) CredentialType() CredentialType { return CredentialTypeNone }

// CredentialType returns CredentialTypeString.
func (StringCredential) CredentialType() CredentialType { return CredentialTypeString }

// CredentialType returns CredentialTypeBinary.
func (BinaryCredential) CredentialType() CredentialType { return CredentialTypeBinary }

// CredentialType returns CredentialTypeBasicAuth.
func (BasicAuthCredential) CredentialType() CredentialType { return CredentialTypeBasicAuth }

// CredentialType returns CredentialTypeOAuth2Client.
func (OAuth2ClientCredential) CredentialType() CredentialType { return CredentialTypeOAuth2Client }

// CredentialType returns CredentialTypeOAuth2Code.
func (OAuth2CodeCredential) CredentialType() CredentialType { return CredentialTypeOAuth2Code }

// CredentialType returns CredentialTypeOAuth2Password.
func (OAuth2PasswordCredential) CredentialType() CredentialType {
	return CredentialTypeOAuth2Password
}

// CredentialType returns CredentialTypeOAuth2Token.
func (OAuth2TokenCredential) CredentialType() CredentialType { return CredentialTypeOAuth2Token }

// CredentialType returns CredentialTypeCertificate.
func (CertificateCredential) CredentialType() CredentialType { return CredentialTypeCertificate }

// CredentialType returns CredentialTypeJWTBearer.
func (JWTBearerCredential) CredentialType() CredentialType { return CredentialTypeJWTBearer }

// CredentialType returns CredentialTypeCustomFunction.
func (CustomFunctionCredential) CredentialType() CredentialType {
	return CredentialTypeCustomFunction
}

// CredentialType returns the type the data arrived with.
func (d UnknownCredentialData) CredentialType() CredentialType { return d.Type }

func (NoneCredential) isCredentialData()           {}
func (StringCredential) isCredentialData()         {}
func (BinaryCredential) isCredentialData()         {}
func (BasicAuthCredential) isCredentialData()      {}
func (OAuth2ClientCredential) isCredentialData()   {}
func (OAuth2CodeCredential) isCredentialData()     {}
func (OAuth2PasswordCredential) isCredentialData() {}
func (OAuth2TokenCredential) isCredentialData()    {}
func (CertificateCredential) isCredentialData()    {}
func (JWTBearerCredential) isCredentialData()      {}
func (CustomFunctionCredential) isCredentialData() {}
func (UnknownCredentialData) isCredentialData()    {}

// binaryWire is BinaryCredential on the wire.
type binaryWire struct {
	ValueBase64 string `json:"valueBase64"`
}

// MarshalJSON encodes the value as {"valueBase64": ...}; an empty value is ""
// rather than null, since the field is required.
func (c BinaryCredential) MarshalJSON() ([]byte, error) {
	return json.Marshal(binaryWire{ValueBase64: base64.StdEncoding.EncodeToString(c.Value)})
}

// UnmarshalJSON decodes {"valueBase64": ...}; invalid base64 is an error.
func (c *BinaryCredential) UnmarshalJSON(b []byte) error {
	if isJSONNull(b) {
		return nil
	}
	var w binaryWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v, err := decodeBase64(w.ValueBase64)
	if err != nil {
		return fmt.Errorf("valueBase64: %w", err)
	}
	*c = BinaryCredential{Value: v}
	return nil
}

// MarshalJSON sends Scopes as [] when empty, since the API requires it.
func (c OAuth2TokenCredential) MarshalJSON() ([]byte, error) {
	type plain OAuth2TokenCredential
	if c.Scopes == nil {
		c.Scopes = []string{}
	}
	return json.Marshal(plain(c))
}

// jwtBearerWire is JWTBearerCredential on the wire.
type jwtBearerWire struct {
	Algorithm                 JWTAlgorithm `json:"algorithm"`
	Secret                    string       `json:"secret"`
	Payload                   string       `json:"payload"`
	ExpiresIn                 *string      `json:"expiresIn"`
	AuthorizationHeaderPrefix string       `json:"authorizationHeaderPrefix"`
}

// MarshalJSON encodes the secret as standard base64 and ExpiresIn as a Go
// duration string such as "24h0m0s", which is what the platform parses.
func (c JWTBearerCredential) MarshalJSON() ([]byte, error) {
	d := c.ExpiresIn.String()
	return json.Marshal(jwtBearerWire{
		Algorithm:                 c.Algorithm,
		Secret:                    base64.StdEncoding.EncodeToString(c.Secret),
		Payload:                   c.Payload,
		ExpiresIn:                 &d,
		AuthorizationHeaderPrefix: c.AuthorizationHeaderPrefix,
	})
}

// UnmarshalJSON decodes the wire form; invalid base64 or an invalid duration
// is an error.
func (c *JWTBearerCredential) UnmarshalJSON(b []byte) error {
	if isJSONNull(b) {
		return nil
	}
	var w jwtBearerWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	secret, err := decodeBase64(w.Secret)
	if err != nil {
		return fmt.Errorf("secret: %w", err)
	}
	var d time.Duration
	if w.ExpiresIn != nil {
		if d, err = time.ParseDuration(*w.ExpiresIn); err != nil {
			return fmt.Errorf("expiresIn: %w", err)
		}
	}
	*c = JWTBearerCredential{
		Algorithm:                 w.Algorithm,
		Secret:                    secret,
		Payload:                   w.Payload,
		ExpiresIn:                 d,
		AuthorizationHeaderPrefix: w.AuthorizationHeaderPrefix,
	}
	return nil
}

// MarshalJSON sends Data as it is, or {} when it is empty.
func (c CustomFunctionCredential) MarshalJSON() ([]byte, error) {
	if len(c.Data) == 0 {
		return []byte("{}"), nil
	}
	return c.Data, nil
}

// UnmarshalJSON keeps the object as it is. Anything but an object (or null)
// is an error: the API's credential data is always an object.
func (c *CustomFunctionCredential) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case isJSONNull(b):
		*c = CustomFunctionCredential{}
	case len(b) > 0 && b[0] == '{':
		*c = CustomFunctionCredential{Data: bytes.Clone(b)}
	default:
		return errors.New("custom-function data is not a JSON object")
	}
	return nil
}

// MarshalJSON sends Raw as it is, or {} when it is empty.
func (d UnknownCredentialData) MarshalJSON() ([]byte, error) {
	if len(d.Raw) == 0 {
		return []byte("{}"), nil
	}
	return d.Raw, nil
}

// decodeCredentialData decodes raw, the `data` of a credential, by its type t.
// Absent or null data of a known type is that type's zero value; data of an
// unknown type is kept raw. With neither a type nor data there is nothing to
// decode, and the result is nil.
func decodeCredentialData(t CredentialType, raw json.RawMessage) (CredentialData, error) {
	if len(raw) == 0 {
		raw = nil
	}
	var err error
	switch t {
	case CredentialTypeNone:
		var d NoneCredential
		err = unmarshalData(raw, &d)
		return d, dataError(t, err)
	case CredentialTypeString:
		var d StringCredential
		err = unmarshalData(raw, &d)
		return d, dataError(t, err)
	case CredentialTypeBinary:
		var d BinaryCredential
		err = unmarshalData(raw, &d)
		return d, dataError(t, err)
	case CredentialTypeBasicAuth:
		var d BasicAuthCredential
		err = unmarshalData(raw, &d)
		return d, dataError(t, err)
	case CredentialTypeOAuth2Client:
		var d OAuth2ClientCredential
		err = unmarshalData(raw, &d)
		return d, dataError(t, err)
	case CredentialTypeOAuth2Code:
		var d OAuth2CodeCredential
		err = unmarshalData(raw, &d)
		return d, dataError(t, err)
	case CredentialTypeOAuth2Password:
		var d OAuth2PasswordCredential
		err = unmarshalData(raw, &d)
		return d, dataError(t, err)
	case CredentialTypeOAuth2Token:
		var d OAuth2TokenCredential
		err = unmarshalData(raw, &d)
		return d, dataError(t, err)
	case CredentialTypeCertificate:
		var d CertificateCredential
		err = unmarshalData(raw, &d)
		return d, dataError(t, err)
	case CredentialTypeJWTBearer:
		var d JWTBearerCredential
		err = unmarshalData(raw, &d)
		return d, dataError(t, err)
	case CredentialTypeCustomFunction:
		var d CustomFunctionCredential
		err = unmarshalData(raw, &d)
		return d, dataError(t, err)
	}
	if t == "" && raw == nil {
		return nil, nil
	}
	return UnknownCredentialData{Type: t, Raw: bytes.Clone(raw)}, nil
}

// unmarshalData decodes raw into v, leaving v zero when raw is absent.
func unmarshalData(raw json.RawMessage, v any) error {
	if raw == nil {
		return nil
	}
	return json.Unmarshal(raw, v)
}

// dataError describes err, a failure to decode credential data of type t.
func dataError(t CredentialType, err error) error {
	if err == nil {
		return nil
	}
	return decodeError(string(t)+" credential data", err)
}

// decodeError describes err, a failure to decode what, without quoting the
// input: encoding/json quotes a number it could not store, and a number where
// a password belongs would otherwise end up in the error text.
func decodeError(what string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		kind, _, _ := strings.Cut(te.Value, " ")
		return fmt.Errorf("versori: decoding %s: field %q: cannot use a JSON %s as %v", what, te.Field, kind, te.Type)
	}
	return fmt.Errorf("versori: decoding %s: %w", what, err)
}

// CredentialCreate is the credential of a connection being created: a new
// one (CredentialSpec, made with NewCredential) or a reference to an existing
// one (CredentialRef, made with ExistingCredential).
type CredentialCreate interface {
	isCredentialCreate()
}

// CredentialSpec is a credential to create. Its wire `type` is always that of
// Data.
type CredentialSpec struct {
	Name string
	Data CredentialData
}

// CredentialRef refers to an existing credential by ID. The spec's schema for
// a connection's credential lists only new credentials, but its prose (and
// the API) accept a reference too, as {"id": ...}.
type CredentialRef struct {
	ID string `json:"id"`
}

// NewCredential returns a credential to create, named name, holding data.
func NewCredential(name string, data CredentialData) CredentialSpec {
	return CredentialSpec{Name: name, Data: data}
}

// ExistingCredential returns a reference to the credential with the given ID.
func ExistingCredential(id string) CredentialRef {
	return CredentialRef{ID: id}
}

func (CredentialSpec) isCredentialCreate() {}
func (CredentialRef) isCredentialCreate()  {}

// credentialSpecWire is CredentialSpec on the wire.
type credentialSpecWire struct {
	Name string          `json:"name"`
	Type CredentialType  `json:"type,omitempty"`
	Data json.RawMessage `json:"data,omitempty"`
}

// credentialSpecOut is CredentialSpec as it is encoded: Data in the same
// Marshal, rather than encoded on its own and then checked and copied again
// as a json.RawMessage. The bytes are those of credentialSpecWire.
type credentialSpecOut struct {
	Name string         `json:"name"`
	Type CredentialType `json:"type,omitempty"`
	Data CredentialData `json:"data,omitempty"`
}

// MarshalJSON encodes {name, type, data}, deriving type from Data.
func (c CredentialSpec) MarshalJSON() ([]byte, error) {
	return json.Marshal(c.wire())
}

func (c CredentialSpec) wire() credentialSpecOut {
	w := credentialSpecOut{Name: c.Name}
	if !isNil(c.Data) {
		w.Type, w.Data = c.Data.CredentialType(), c.Data
	}
	return w
}

// UnmarshalJSON decodes {name, type, data}, picking the data's variant by type.
func (c *CredentialSpec) UnmarshalJSON(b []byte) error {
	if isJSONNull(b) {
		return nil
	}
	var w credentialSpecWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	data, err := decodeCredentialData(w.Type, w.Data)
	if err != nil {
		return err
	}
	*c = CredentialSpec{Name: w.Name, Data: data}
	return nil
}

// Credential is a credential read back from the API. Its secrets are
// redacted by the API.
type Credential struct {
	ID             string
	OrganisationID string
	// Type is the wire `type`, and Data is decoded by it. A credential created
	// as oauth2-code reads back as oauth2-token.
	Type   CredentialType
	Name   string
	Usages []CredentialUsage // nil: not loaded; empty: not used by any connection
	Errors []string          // nil: not validated; empty: valid
	Data   CredentialData
	// ExpiresAt is when the API deletes the credential; zero if never.
	ExpiresAt time.Time
}

// credentialWire is Credential on the wire. omitzero keeps the API's
// distinction between an absent list and an empty one.
type credentialWire struct {
	ID             string            `json:"id"`
	OrganisationID string            `json:"organisationId"`
	Type           CredentialType    `json:"type"`
	Name           string            `json:"name"`
	Usages         []CredentialUsage `json:"usages,omitzero"`
	Errors         []string          `json:"errors,omitzero"`
	Data           json.RawMessage   `json:"data"`
	ExpiresAt      time.Time         `json:"expiresAt,omitzero"`
}

// MarshalJSON encodes the credential as the API sends it. The type is that of
// Data when Data is set, so the two cannot disagree.
func (c Credential) MarshalJSON() ([]byte, error) {
	w := credentialWire{
		ID:             c.ID,
		OrganisationID: c.OrganisationID,
		Type:           c.Type,
		Name:           c.Name,
		Usages:         c.Usages,
		Errors:         c.Errors,
		Data:           json.RawMessage("{}"),
		ExpiresAt:      c.ExpiresAt,
	}
	if !isNil(c.Data) {
		data, err := json.Marshal(c.Data)
		if err != nil {
			return nil, err
		}
		w.Type, w.Data = c.Data.CredentialType(), data
	}
	return json.Marshal(w)
}

// credentialFlatWire is credentialWire with the data of the commonest types
// (none, string, basic-auth: flat strings) decoded in the same pass, rather
// than kept raw and decoded in a second.
type credentialFlatWire struct {
	ID             string            `json:"id"`
	OrganisationID string            `json:"organisationId"`
	Type           CredentialType    `json:"type"`
	Name           string            `json:"name"`
	Usages         []CredentialUsage `json:"usages,omitzero"`
	Errors         []string          `json:"errors,omitzero"`
	Data           struct {
		Value    string `json:"value"`
		Username string `json:"username"`
		Password string `json:"password"`
	} `json:"data"`
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
}

// UnmarshalJSON decodes a credential, picking the data's variant by type.
// Malformed data of a known type is an error; data of an unknown type is kept
// as UnknownCredentialData.
func (c *Credential) UnmarshalJSON(b []byte) error {
	if isJSONNull(b) {
		return nil
	}
	// One pass for the commonest types. Anything else, or anything that
	// fails this pass, takes the two-pass decode below, which gives the
	// results and errors it always did. So does an object that might hold
	// "data" twice: the one pass would merge the two, where the two-pass
	// decode keeps the last.
	var f credentialFlatWire
	if mentionsOnce(b, "data") && json.Unmarshal(b, &f) == nil {
		var data CredentialData
		switch f.Type {
		case CredentialTypeNone:
			data = NoneCredential{}
		case CredentialTypeString:
			data = StringCredential{Value: f.Data.Value}
		case CredentialTypeBasicAuth:
			data = BasicAuthCredential{Username: f.Data.Username, Password: f.Data.Password}
		}
		if data != nil {
			*c = Credential{
				ID:             f.ID,
				OrganisationID: f.OrganisationID,
				Type:           f.Type,
				Name:           f.Name,
				Usages:         f.Usages,
				Errors:         f.Errors,
				Data:           data,
				ExpiresAt:      f.ExpiresAt,
			}
			return nil
		}
	}
	var w credentialWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	data, err := decodeCredentialData(w.Type, w.Data)
	if err != nil {
		return err
	}
	*c = Credential{
		ID:             w.ID,
		OrganisationID: w.OrganisationID,
		Type:           w.Type,
		Name:           w.Name,
		Usages:         w.Usages,
		Errors:         w.Errors,
		Data:           data,
		ExpiresAt:      w.ExpiresAt,
	}
	return nil
}

// CredentialUsage is one use of a credential; today only by a connection.
type CredentialUsage struct {
	Connection CredentialUsageConnection `json:"connection"`
}

// CredentialUsageConnection is a connection that uses a credential, with a
// summary of its connector.
type CredentialUsageConnection struct {
	ID        string           `json:"id"`
	Name      string           `json:"name"`
	Connector ConnectorSummary `json:"connector"`
	CreatedAt time.Time        `json:"createdAt"`
	UpdatedAt time.Time        `json:"updatedAt"`
}

// ConnectorSummary is a summary of a connector, whatever its protocol.
type ConnectorSummary struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisationId"`
	Name           string    `json:"name"`
	Protocol       string    `json:"protocol"` // "http" or "bigquery"
	CreatedAt      time.Time `json:"createdAt"`
	UpdatedAt      time.Time `json:"updatedAt"`
}

// ConnectionCredentialCreate is one credential of a connection being
// created, with the auth scheme config saying how the connector uses it.
type ConnectionCredentialCreate struct {
	AuthSchemeConfig AuthSchemeConfig `json:"authSchemeConfig"`
	Credential       CredentialCreate `json:"credential"`
}

// UnmarshalJSON decodes the credential as a CredentialRef when it has an id
// and neither a type nor data, and as a CredentialSpec otherwise.
func (c *ConnectionCredentialCreate) UnmarshalJSON(b []byte) error {
	if isJSONNull(b) {
		return nil
	}
	var w struct {
		AuthSchemeConfig AuthSchemeConfig `json:"authSchemeConfig"`
		Credential       json.RawMessage  `json:"credential"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	var cred CredentialCreate
	if len(w.Credential) > 0 && !isJSONNull(w.Credential) {
		var probe struct {
			ID   *string         `json:"id"`
			Type *CredentialType `json:"type"`
			Data json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(w.Credential, &probe); err != nil {
			return fmt.Errorf("credential: %w", err)
		}
		if probe.ID != nil && probe.Type == nil && probe.Data == nil {
			cred = CredentialRef{ID: *probe.ID}
		} else {
			var spec CredentialSpec
			if err := json.Unmarshal(w.Credential, &spec); err != nil {
				return err
			}
			cred = spec
		}
	}
	*c = ConnectionCredentialCreate{AuthSchemeConfig: w.AuthSchemeConfig, Credential: cred}
	return nil
}

// validate checks what the API requires of c before anything is sent; field
// is c's path, used to name the offending field.
func (c ConnectionCredentialCreate) validate(field string) error {
	if err := c.AuthSchemeConfig.validate(field + ".authSchemeConfig"); err != nil {
		return err
	}
	cf := field + ".credential"
	switch cred := c.Credential.(type) {
	case CredentialSpec:
		return cred.validate(cf)
	case *CredentialSpec:
		if cred != nil {
			return cred.validate(cf)
		}
	case CredentialRef:
		if cred.ID == "" {
			return required(cf+".id", cred.ID)
		}
		return nil
	case *CredentialRef:
		if cred != nil {
			if cred.ID == "" {
				return required(cf+".id", cred.ID)
			}
			return nil
		}
	}
	if isNil(c.Credential) {
		return &ValidationError{Field: cf, Reason: "is required"}
	}
	return nil
}

// validate checks the spec's required fields of a new credential.
func (c CredentialSpec) validate(field string) error {
	if c.Name == "" {
		return required(field+".name", c.Name)
	}
	if isNil(c.Data) {
		return &ValidationError{Field: field + ".data", Reason: "is required"}
	}
	return nil
}

// connectionCredentialsWire is ConnectionCredentialsCreate as encoded (see
// wireBodier).
type connectionCredentialsWire struct {
	Action  []connectionCredentialWire `json:"action,omitempty"`
	Trigger []connectionCredentialWire `json:"trigger,omitempty"`
}

// connectionCredentialWire is ConnectionCredentialCreate as encoded: each
// field is the value its wire method returns.
type connectionCredentialWire struct {
	AuthSchemeConfig any `json:"authSchemeConfig"`
	Credential       any `json:"credential"`
}

func (c ConnectionCredentialsCreate) wire() connectionCredentialsWire {
	return connectionCredentialsWire{Action: wireCredentials(c.Action), Trigger: wireCredentials(c.Trigger)}
}

func wireCredentials(in []ConnectionCredentialCreate) []connectionCredentialWire {
	if len(in) == 0 {
		return nil // omitted, as an empty list is
	}
	out := make([]connectionCredentialWire, len(in))
	for i, cc := range in {
		out[i].AuthSchemeConfig = cc.AuthSchemeConfig.wire()
		out[i].Credential = cc.Credential
		switch v := cc.Credential.(type) {
		case CredentialSpec:
			out[i].Credential = v.wire()
		case *CredentialSpec:
			if v != nil {
				out[i].Credential = v.wire()
			}
		}
	}
	return out
}

// ConnectionCredentialsCreate is the action and trigger credentials of a
// connection being created. Each list is applied in order, for connectors
// that need, say, both a session token and an API key.
type ConnectionCredentialsCreate struct {
	Action  []ConnectionCredentialCreate `json:"action,omitempty"`
	Trigger []ConnectionCredentialCreate `json:"trigger,omitempty"`
}

// validate checks every credential, naming the first invalid one by its path
// under field, such as "connection.credentials.action[0].credential".
func (c ConnectionCredentialsCreate) validate(field string) error {
	// Each credential is validated relative to itself, and its path built
	// only for an error: building it for every valid credential cost more
	// allocations than the rest of validation.
	for i, cc := range c.Action {
		if err := cc.validate(""); err != nil {
			return prefixField(fmt.Sprintf("%s.action[%d]", field, i), err)
		}
	}
	for i, cc := range c.Trigger {
		if err := cc.validate(""); err != nil {
			return prefixField(fmt.Sprintf("%s.trigger[%d]", field, i), err)
		}
	}
	return nil
}

// prefixField puts prefix before the field path of err, a *ValidationError
// made by a validator given a relative path.
func prefixField(prefix string, err error) error {
	var ve *ValidationError
	if errors.As(err, &ve) {
		ve.Field = prefix + ve.Field
	}
	return err
}

// ConnectionCredential is one credential of a connection, with the auth
// scheme config saying how the connector uses it.
type ConnectionCredential struct {
	ID               string           `json:"id"`
	AuthSchemeConfig AuthSchemeConfig `json:"authSchemeConfig"`
	Credential       Credential       `json:"credential"`
}

// ConnectionCredentials is the action and trigger credentials of a
// connection. omitzero keeps a list the API sent empty as [] when re-encoded.
type ConnectionCredentials struct {
	Action  []ConnectionCredential `json:"action,omitzero"`
	Trigger []ConnectionCredential `json:"trigger,omitzero"`
}

// Redaction: fmt and slog see "[REDACTED]" for every secret, however deeply
// nested (see internal/redact). json.Marshal is the wire format and is not
// redacted.

// Format prints the credential with its secret redacted.
func (c StringCredential) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// Format prints the credential with its secret redacted.
func (c BinaryCredential) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// Format prints the credential with its secret redacted.
func (c BasicAuthCredential) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// Format prints the credential with its secret redacted.
func (c OAuth2ClientCredential) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// Format prints the credential with its secret redacted.
func (c OAuth2CodeCredential) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// Format prints the credential with its secret redacted.
func (c OAuth2PasswordCredential) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// Format prints the credential with its secrets redacted.
func (c OAuth2TokenCredential) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// Format prints the credential with its secret redacted.
func (c CertificateCredential) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// Format prints the credential with its secret redacted.
func (c JWTBearerCredential) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// Format prints the credential with its data redacted.
func (c CustomFunctionCredential) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// Format prints the data's type, with the data itself redacted.
func (d UnknownCredentialData) Format(f fmt.State, verb rune) { redact.Format(f, verb, d) }

// Format prints the credential with its data's secrets redacted.
func (c CredentialSpec) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// Format prints the credential with its data's secrets redacted.
func (c Credential) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// Format prints the credential with its secrets redacted.
func (c ConnectionCredentialCreate) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// Format prints the credentials with their secrets redacted.
func (c ConnectionCredentialsCreate) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// Format prints the credential with its secrets redacted.
func (c ConnectionCredential) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// Format prints the credentials with their secrets redacted.
func (c ConnectionCredentials) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// LogValue logs the credential with its secret redacted.
func (c StringCredential) LogValue() slog.Value { return redact.LogValue(c) }

// LogValue logs the credential with its secret redacted.
func (c BinaryCredential) LogValue() slog.Value { return redact.LogValue(c) }

// LogValue logs the credential with its secret redacted.
func (c BasicAuthCredential) LogValue() slog.Value { return redact.LogValue(c) }

// LogValue logs the credential with its secret redacted.
func (c OAuth2ClientCredential) LogValue() slog.Value { return redact.LogValue(c) }

// LogValue logs the credential with its secret redacted.
func (c OAuth2CodeCredential) LogValue() slog.Value { return redact.LogValue(c) }

// LogValue logs the credential with its secret redacted.
func (c OAuth2PasswordCredential) LogValue() slog.Value { return redact.LogValue(c) }

// LogValue logs the credential with its secrets redacted.
func (c OAuth2TokenCredential) LogValue() slog.Value { return redact.LogValue(c) }

// LogValue logs the credential with its secret redacted.
func (c CertificateCredential) LogValue() slog.Value { return redact.LogValue(c) }

// LogValue logs the credential with its secret redacted.
func (c JWTBearerCredential) LogValue() slog.Value { return redact.LogValue(c) }

// LogValue logs the credential with its data redacted.
func (c CustomFunctionCredential) LogValue() slog.Value { return redact.LogValue(c) }

// LogValue logs the data's type, with the data itself redacted.
func (d UnknownCredentialData) LogValue() slog.Value { return redact.LogValue(d) }

// LogValue logs the credential with its data's secrets redacted.
func (c CredentialSpec) LogValue() slog.Value { return redact.LogValue(c) }

// LogValue logs the credential with its data's secrets redacted.
func (c Credential) LogValue() slog.Value { return redact.LogValue(c) }

// LogValue logs the credential with its secrets redacted.
func (c ConnectionCredentialCreate) LogValue() slog.Value { return redact.LogValue(c) }

// LogValue logs the credentials with their secrets redacted.
func (c ConnectionCredentialsCreate) LogValue() slog.Value { return redact.LogValue(c) }

// LogValue logs the credential with its secrets redacted.
func (c ConnectionCredential) LogValue() slog.Value { return redact.LogValue(c) }

// LogValue logs the credentials with their secrets redacted.
func (c ConnectionCredentials) LogValue() slog.Value { return redact.LogValue(c) }

// isNil reports whether v is nil or holds a nil pointer, which the union
// interfaces allow since pointers to variants also implement them.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// joinObjects merges two encoded JSON objects into one; b may be empty.
func joinObjects(a, b []byte) []byte {
	b = bytes.TrimSpace(b)
	if len(b) < 2 || bytes.Equal(b, []byte("{}")) {
		return a
	}
	out := make([]byte, 0, len(a)+len(b))
	out = append(out, a[:len(a)-1]...)
	out = append(out, ',')
	return append(out, b[1:]...)
}

// mentionsOnce reports whether b has no backslash (so no escaped member
// name) and at most one quoted string equal to key (lower-case ASCII) ignoring
// ASCII case, as encoding/json matches member names: then b cannot hold the
// member key twice.
func mentionsOnce(b []byte, key string) bool {
	if bytes.IndexByte(b, '\\') >= 0 {
		return false
	}
	n := 0
	for i := bytes.IndexByte(b, '"'); i >= 0 && i+len(key)+1 < len(b); {
		if b[i+len(key)+1] == '"' && bytes.EqualFold(b[i+1:i+1+len(key)], []byte(key)) {
			if n++; n > 1 {
				return false
			}
		}
		j := bytes.IndexByte(b[i+1:], '"')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return true
}

// isJSONNull reports whether b is the JSON literal null, which by
// encoding/json's convention an UnmarshalJSON method treats as a no-op.
func isJSONNull(b []byte) bool {
	return bytes.Equal(bytes.TrimSpace(b), []byte("null"))
}

// decodeBase64 decodes standard base64. An empty string, which is also how a
// redacted value may read back, decodes to nil so the result equals the zero
// value.
func decodeBase64(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if len(b) == 0 {
		return nil, err
	}
	return b, err
}
