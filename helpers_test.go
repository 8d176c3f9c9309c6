package versori

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testKey = "vk_live_SECRET_api_key_123"

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// newTestClient returns a client for url whose retry waits are recorded, not slept.
func newTestClient(t *testing.T, url string, opts ...Option) (*Client, *[]time.Duration) {
	t.Helper()
	c, err := NewClient(append([]Option{WithAPIKey(testKey), WithBaseURL(url)}, opts...)...)
	require.NoError(t, err)
	var waits []time.Duration
	var mu sync.Mutex
	c.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	return c, &waits
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

const hubJSON = `{"id":"01HUB","name":"Acme","isDefault":true,"primaryConnector":{"connectorId":"01CON","name":"CRM","imageUrl":"https://x/y.png","variables":[],"authSchemeConfig":{"id":"01ASC","description":"","schemeType":"none"}}}`

// Shared by credentials_test.go, authschemes_test.go and fuzz_test.go: one
// value of every union variant with the exact JSON the API sends and
// expects for it, the encoders the tests compare against, and the check of
// malformed documents.

// wireJSON encodes v as the SDK's requests do: secrets as their values.
func wireJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v, wireOptions)
	require.NoError(t, err, "wire-encoding %T", v)
	return b
}

// plainJSON encodes v with json/v2 and no options: secrets redacted.
func plainJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err, "encoding %T", v)
	return b
}

// malformed is a document of the wrong shape for what it is decoded into.
type malformed struct{ name, json string }

// assertMalformedRefused checks that decoding each document into a T fails,
// with an error that does not quote secret.
func assertMalformedRefused[T any](t *testing.T, secret string, docs []malformed) {
	t.Helper()
	for _, doc := range docs {
		t.Run(doc.name, func(t *testing.T) {
			var v T
			err := json.Unmarshal([]byte(doc.json), &v)
			require.Error(t, err, "decoded to %#v", v)
			assert.NotContains(t, err.Error(), secret, "the error quotes the data")
		})
	}
}

var (
	unionT0 = time.Date(2025, 8, 29, 10, 11, 12, 0, time.UTC)
	unionT1 = time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
)

// credentialDataCases is one value of every CredentialData variant (and the
// zero value of each where it differs on the wire) with its `data`.
var credentialDataCases = []struct {
	name string
	typ  CredentialType
	data CredentialData
	wire string
}{
	{"none", CredentialTypeNone, NoneCredential{}, `{}`},
	{"string", CredentialTypeString, StringCredential{Value: NewSecret("k")}, `{"value":"k"}`},
	{"string empty", CredentialTypeString, StringCredential{}, `{"value":""}`},
	{"binary", CredentialTypeBinary, BinaryCredential{ValueBase64: NewSecret("AAEC/w==")}, `{"valueBase64":"AAEC/w=="}`},
	{"basic-auth", CredentialTypeBasicAuth, BasicAuthCredential{Username: "u", Password: NewSecret("p")}, `{"username":"u","password":"p"}`},
	{"oauth2-client minimal", CredentialTypeOAuth2Client,
		OAuth2ClientCredential{ClientID: "cid", ClientSecret: NewSecret("cs"), TokenURL: "https://t"},
		`{"clientId":"cid","clientSecret":"cs","authorizeUrl":"","tokenUrl":"https://t"}`},
	{"oauth2-client full", CredentialTypeOAuth2Client, OAuth2ClientCredential{
		ClientID: "cid", ClientSecret: NewSecret("cs"), AuthorizeURL: "https://a", TokenURL: "https://t",
		Scopes: []string{"read", "write"}, AdditionalParams: "audience=x", MTLSEnabled: true, MTLSCredentialID: "01J",
	}, `{"clientId":"cid","clientSecret":"cs","authorizeUrl":"https://a","tokenUrl":"https://t",
		"scopes":["read","write"],"additionalParams":"audience=x","mTLSEnabled":true,"mTLSCredentialId":"01J"}`},
	{"oauth2-code", CredentialTypeOAuth2Code, OAuth2CodeCredential{Code: NewSecret("c"), State: "s"}, `{"code":"c","state":"s"}`},
	{"oauth2-password", CredentialTypeOAuth2Password, OAuth2PasswordCredential{Username: "u", Password: NewSecret("p")}, `{"username":"u","password":"p"}`},
	{"oauth2-token minimal", CredentialTypeOAuth2Token, OAuth2TokenCredential{Scopes: []string{}, RefreshToken: NewSecret("r")}, `{"scopes":[],"refreshToken":"r"}`},
	{"oauth2-token full", CredentialTypeOAuth2Token, OAuth2TokenCredential{
		Scopes: []string{"a"}, AccessToken: NewSecret("at"), TokenType: "Bearer", ExpiresAt: unionT0, RefreshToken: NewSecret("r"),
	}, `{"scopes":["a"],"accessToken":"at","tokenType":"Bearer","expiresAt":"2025-08-29T10:11:12Z","refreshToken":"r"}`},
	{"certificate", CredentialTypeCertificate, CertificateCredential{Certificate: "C", Key: NewSecret("K"), CA: "A"}, `{"certificate":"C","key":"K","ca":"A"}`},
	{"jwt-bearer", CredentialTypeJWTBearer, JWTBearerCredential{
		Algorithm: JWTAlgorithmRS256, Secret: NewSecret("cGVt"), Payload: `{"aud":"x"}`, ExpiresIn: "24h", AuthorizationHeaderPrefix: "JWT",
	}, `{"algorithm":"RS256","secret":"cGVt","payload":"{\"aud\":\"x\"}","expiresIn":"24h","authorizationHeaderPrefix":"JWT"}`},
	{"custom-function", CredentialTypeCustomFunction, CustomFunctionCredential{Data: NewSecretJSON([]byte(`{"fn":"sign","args":[1,{"k":null}]}`))},
		`{"fn":"sign","args":[1,{"k":null}]}`},
	{"unknown", "magic-link", UnknownCredential{Type: "magic-link", Raw: NewSecretJSON([]byte(`{"link":"https://x","n":[1,2]}`))},
		`{"link":"https://x","n":[1,2]}`},
}

// knownCredentialTypes is every credential type of the API.
var knownCredentialTypes = []CredentialType{
	CredentialTypeNone, CredentialTypeString, CredentialTypeBinary, CredentialTypeBasicAuth,
	CredentialTypeOAuth2Client, CredentialTypeOAuth2Code, CredentialTypeOAuth2Password,
	CredentialTypeOAuth2Token, CredentialTypeCertificate, CredentialTypeJWTBearer, CredentialTypeCustomFunction,
}

// grantCases is one value of every OAuth2Grant variant with its JSON.
var grantCases = []struct {
	name  string
	grant OAuth2Grant
	wire  string
}{
	{"authorization_code", AuthorizationCodeGrant{CredentialID: "01C", OrganisationID: "01O", ClientID: "cid", ClientSecret: NewSecret("cs")},
		`{"grantType":"authorization_code","credentialId":"01C","organisationId":"01O","clientId":"cid","clientSecret":"cs"}`},
	{"authorization_code empty", AuthorizationCodeGrant{}, `{"grantType":"authorization_code"}`},
	{"client_credentials", ClientCredentialsGrant{}, `{"grantType":"client_credentials"}`},
	{"password", PasswordGrant{ClientID: "cid", ClientSecret: NewSecret("cs")}, `{"grantType":"password","clientId":"cid","clientSecret":"cs"}`},
	{"password update", PasswordGrant{CredentialID: "01C", OrganisationID: "01O"}, `{"grantType":"password","credentialId":"01C","organisationId":"01O"}`},
	{"unknown", UnknownGrant{Type: "device_code", Raw: NewSecretJSON([]byte(`{"grantType":"device_code","deviceUrl":"https://d","n":[1]}`))},
		`{"grantType":"device_code","deviceUrl":"https://d","n":[1]}`},
}

// authSchemeCases is one value of every AuthScheme variant, the OAuth 2.0
// scheme with each grant, and the scheme's members on the wire (added to
// the common id and description).
var authSchemeCases = func() []struct {
	name   string
	typ    string
	scheme AuthScheme
	wire   string
} {
	cases := []struct {
		name   string
		typ    string
		scheme AuthScheme
		wire   string
	}{
		{"none", "none", NoneScheme{}, `"schemeType":"none"`},
		{"api-key", "api-key", APIKeyScheme{Name: "X-Key", In: InCookie}, `"schemeType":"api-key","name":"X-Key","in":"cookie"`},
		{"basic-auth", "basic-auth", BasicAuthScheme{}, `"schemeType":"basic-auth"`},
		{"certificate", "certificate", CertificateScheme{}, `"schemeType":"certificate"`},
		{"hmac", "hmac", HMACScheme{Name: "X-Sig", In: InHeader, Algorithm: HMACSHA256, DigestInputs: []HMACDigestInput{DigestURL, DigestBody}},
			`"schemeType":"hmac","name":"X-Sig","in":"header","algorithm":"sha256","digestInputs":["url","body"]`},
		{"oauth2 full", "oauth2", OAuth2Scheme{
			AuthorizeURL: "https://a", TokenURL: "https://t",
			Scopes:        []OAuth2Scope{{Name: "read", Description: "Read"}, {Name: "write"}},
			DefaultScopes: []string{"read"}, AdditionalAuthorizeParams: "prompt=consent", AdditionalTokenParams: "aud=x",
			MTLSEnabled: true, MTLSCredentialID: "01M", Grant: ClientCredentialsGrant{},
		}, `"schemeType":"oauth2","authorizeUrl":"https://a","tokenUrl":"https://t",
			"scopes":[{"name":"read","description":"Read"},{"name":"write"}],"defaultScopes":["read"],
			"additionalAuthorizeParams":"prompt=consent","additionalTokenParams":"aud=x","mtlsEnabled":true,"mtlsCredentialId":"01M",
			"grant":{"grantType":"client_credentials"}`},
	}
	for _, g := range grantCases {
		cases = append(cases, struct {
			name   string
			typ    string
			scheme AuthScheme
			wire   string
		}{"oauth2 " + g.name, "oauth2", OAuth2Scheme{
			AuthorizeURL: "https://a", TokenURL: "https://t", Scopes: []OAuth2Scope{}, DefaultScopes: []string{}, Grant: g.grant,
		}, `"schemeType":"oauth2","authorizeUrl":"https://a","tokenUrl":"https://t","scopes":[],"defaultScopes":[],"grant":` + g.wire})
	}
	return cases
}()
