package platform_test

import (
	"fmt"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
)

// oauth2JSON is an oauth2 auth scheme config with grant.
func oauth2JSON(grant string) string {
	return `{"type":"oauth2","oauth2":{"id":"my-oauth","description":"Shop OAuth",` +
		`"authorizeUrl":"https://shop.example/oauth/authorize","tokenUrl":"https://shop.example/oauth/token",` +
		`"scopes":[{"name":"read","description":"Read orders"},{"name":"write"}],"defaultScopes":["read"],` +
		`"additionalAuthorizeParams":"access_type=offline","additionalTokenParams":"audience=api",` +
		`"mtlsEnabled":true,"mtlsCredentialId":"01MTLS","pkce":true,"grant":` + grant + `}}`
}

// oauth2Scheme is the scheme of oauth2JSON.
func oauth2Scheme(grant platform.OAuth2Grant) platform.OAuth2Scheme {
	return platform.OAuth2Scheme{
		AuthorizeURL:              "https://shop.example/oauth/authorize",
		TokenURL:                  "https://shop.example/oauth/token",
		Scopes:                    []versori.OAuth2Scope{{Name: "read", Description: "Read orders"}, {Name: "write"}},
		DefaultScopes:             []string{"read"},
		AdditionalAuthorizeParams: "access_type=offline",
		AdditionalTokenParams:     "audience=api",
		MTLSEnabled:               true,
		MTLSCredentialID:          "01MTLS",
		PKCE:                      true,
		Grant:                     grant,
	}
}

func TestAuthSchemeConfigRoundTripsEverySchemeAndGrant(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   string
		want platform.AuthSchemeConfig
	}{
		{"none", `{"type":"none","none":{"id":"n","description":"no auth"}}`, platform.AuthSchemeConfig{ID: "n", Description: "no auth", Scheme: platform.NoneScheme{}}},
		{
			"api-key", `{"type":"api-key","apiKey":{"id":"key","description":"","name":"X-API-Key","in":"header"}}`,
			platform.AuthSchemeConfig{ID: "key", Scheme: platform.APIKeyScheme{Name: "X-API-Key", In: versori.InHeader}},
		},
		{"basic-auth", `{"type":"basic-auth","basicAuth":{"id":"basic","description":"d"}}`, platform.AuthSchemeConfig{ID: "basic", Description: "d", Scheme: platform.BasicAuthScheme{}}},
		{"certificate", `{"type":"certificate","certificate":{"id":"mtls","description":""}}`, platform.AuthSchemeConfig{ID: "mtls", Scheme: platform.CertificateScheme{}}},
		{
			"hmac", `{"type":"hmac","hmac":{"id":"sig","description":"","name":"X-Signature","in":"header","algorithm":"sha256","digestInputs":["url","body"],"encoding":"base64"}}`,
			platform.AuthSchemeConfig{ID: "sig", Scheme: platform.HMACScheme{Name: "X-Signature", In: versori.InHeader, Algorithm: versori.HMACSHA256, DigestInputs: []versori.HMACDigestInput{versori.DigestURL, versori.DigestBody}, Encoding: "base64"}},
		},
		{
			"oauth2 authorizationCode",
			oauth2JSON(`{"type":"authorizationCode","authorizationCode":{"credentialId":"01CRED","organisationId":"01ORGB","clientId":"cid","clientSecret":"cs"}}`),
			platform.AuthSchemeConfig{ID: "my-oauth", Description: "Shop OAuth", Scheme: oauth2Scheme(platform.AuthorizationCodeGrant{CredentialID: "01CRED", OrganisationID: "01ORGB", ClientID: "cid", ClientSecret: versori.NewSecret("cs")})},
		},
		{
			"oauth2 clientCredentials", oauth2JSON(`{"type":"clientCredentials","clientCredentials":{}}`),
			platform.AuthSchemeConfig{ID: "my-oauth", Description: "Shop OAuth", Scheme: oauth2Scheme(platform.ClientCredentialsGrant{})},
		},
		{
			"oauth2 password", oauth2JSON(`{"type":"password","password":{"credentialId":"01CRED","organisationId":"01ORGB","clientId":"cid","clientSecret":"cs"}}`),
			platform.AuthSchemeConfig{ID: "my-oauth", Description: "Shop OAuth", Scheme: oauth2Scheme(platform.PasswordGrant{CredentialID: "01CRED", OrganisationID: "01ORGB", ClientID: "cid", ClientSecret: versori.NewSecret("cs")})},
		},
		{
			"oauth1",
			`{"type":"oauth1","oauth1":{"id":"o1","description":"","consumerKey":"ck","consumerSecret":"cs","signatureMethod":"sha1","credentialId":"01CRED",` +
				`"tempCredentialEndpoint":{"url":"https://{shop}.example/oauth/request","parameterTransmission":"AUTH_STYLE_AUTHORIZATION_HEADER",` +
				`"additionalParamConfigs":[{"parameterName":"scope","targetName":"scopes","location":"LOCATION_QUERY","usages":"USAGE_TEMP_CREDENTIAL_ENDPOINT","required":true,"modifiable":false}]},` +
				`"resourceOwnerAuthorizationEndpoint":{"url":"https://shop.example/oauth/authorize"},"tokenEndpoint":{"url":"https://shop.example/oauth/access"}}}`,
			platform.AuthSchemeConfig{ID: "o1", Scheme: platform.OAuth1Scheme{
				ConsumerKey: "ck", ConsumerSecret: versori.NewSecret("cs"), SignatureMethod: "sha1", CredentialID: "01CRED",
				TempCredentialEndpoint: &platform.Endpoint{URL: "https://{shop}.example/oauth/request", ParameterTransmission: "AUTH_STYLE_AUTHORIZATION_HEADER", AdditionalParamConfigs: []platform.ParameterConfig{
					{ParameterName: "scope", TargetName: "scopes", Location: "LOCATION_QUERY", Usages: "USAGE_TEMP_CREDENTIAL_ENDPOINT", Required: true},
				}},
				ResourceOwnerAuthorizationEndpoint: &platform.Endpoint{URL: "https://shop.example/oauth/authorize"},
				TokenEndpoint:                      &platform.Endpoint{URL: "https://shop.example/oauth/access"},
			}},
		},
		{
			// As read back: the API redacts consumerSecret to "", and the
			// config must go back with it (the spec requires it), as a
			// connection credential's copy of a template's config.
			"oauth1 redacted", `{"type":"oauth1","oauth1":{"id":"o1r","description":"","consumerKey":"ck","consumerSecret":"","signatureMethod":"sha1"}}`,
			platform.AuthSchemeConfig{ID: "o1r", Scheme: platform.OAuth1Scheme{ConsumerKey: "ck", SignatureMethod: "sha1"}},
		},
		{"oauth1 token auth", `{"type":"oauth1","oauth1":{"id":"o1t","description":"","tokenAuth":true,"consumerKey":"ck","consumerSecret":"cs","signatureMethod":"sha256"}}`,
			platform.AuthSchemeConfig{ID: "o1t", Scheme: platform.OAuth1Scheme{TokenAuth: true, ConsumerKey: "ck", ConsumerSecret: versori.NewSecret("cs"), SignatureMethod: "sha256"}}},
		{
			"validation messages", `{"type":"api-key","apiKey":{"id":"key","description":"","name":"key","in":"query","validationMessages":[{"text":"unused","severity":"warning","detail":["a","b"]}]}}`,
			platform.AuthSchemeConfig{ID: "key", ValidationMessages: []versori.Message{{Text: "unused", Severity: versori.SeverityWarning, Detail: []string{"a", "b"}}}, Scheme: platform.APIKeyScheme{Name: "key", In: versori.InQuery}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var c platform.AuthSchemeConfig
			require.NoError(t, json.Unmarshal([]byte(tc.in), &c))
			assert.Equal(t, tc.want, c)
			assert.JSONEq(t, tc.in, sent(t, c), "sent back as received")
			assert.JSONEq(t, tc.in, sent(t, tc.want), "built by hand")
		})
	}
}

func TestAuthSchemeTypeOf(t *testing.T) {
	t.Parallel()
	for want, s := range map[string]platform.AuthScheme{
		"none": platform.NoneScheme{}, "api-key": &platform.APIKeyScheme{}, "basic-auth": platform.BasicAuthScheme{}, "certificate": platform.CertificateScheme{},
		"hmac": platform.HMACScheme{}, "oauth2": platform.OAuth2Scheme{}, "oauth1": platform.OAuth1Scheme{}, "secret": platform.UnknownScheme{Type: "secret"},
	} {
		assert.Equal(t, want, platform.SchemeTypeOf(s))
	}
}

func TestAuthSchemeUnknownTypeIsKeptAndResent(t *testing.T) {
	t.Parallel()
	in := `{"type":"jwt-bearer","jwtBearer":{"id":"jb","description":"signed","audience":"https://api.example","privateKey":"PK"}}`
	var c platform.AuthSchemeConfig
	require.NoError(t, json.Unmarshal([]byte(in), &c))
	u, ok := c.Scheme.(platform.UnknownScheme)
	require.True(t, ok, "%T", c.Scheme)
	assert.Equal(t, "jwt-bearer", u.Type)
	assert.JSONEq(t, in, string(u.Raw.Reveal()))
	assert.Equal(t, "jwt-bearer", platform.SchemeTypeOf(c.Scheme))
	assert.Equal(t, in, sent(t, c), "sent back byte for byte")
}

func TestAuthSchemeUnknownTypeKeepsItsIDAndDescription(t *testing.T) {
	t.Parallel()
	// A system's config of a newer scheme must still be addressable, e.g. by
	// SystemsService.DeleteAuthSchemeConfig(ctx, systemID, config.ID).
	var c platform.AuthSchemeConfig
	require.NoError(t, json.Unmarshal([]byte(`{"type":"secret","secret":{"id":"vault","description":"from the vault"}}`), &c))
	assert.Equal(t, "vault", c.ID)
	assert.Equal(t, "from the vault", c.Description)
}

func TestOAuth2UnknownGrantIsKeptAndResent(t *testing.T) {
	t.Parallel()
	grant := `{"type":"deviceCode","deviceCode":{"deviceUrl":"https://shop.example/device","clientSecret":"cs"}}`
	in := oauth2JSON(grant)
	var c platform.AuthSchemeConfig
	require.NoError(t, json.Unmarshal([]byte(in), &c))
	o, ok := c.Scheme.(platform.OAuth2Scheme)
	require.True(t, ok, "%T", c.Scheme)
	g, ok := o.Grant.(platform.UnknownGrant)
	require.True(t, ok, "%T", o.Grant)
	assert.Equal(t, "deviceCode", g.Type)
	assert.JSONEq(t, grant, string(g.Raw.Reveal()))
	assert.JSONEq(t, in, sent(t, c))
}

func TestOAuth2SchemeWithoutGrant(t *testing.T) {
	t.Parallel()
	in := `{"type":"oauth2","oauth2":{"id":"o","description":"","tokenUrl":"https://t","scopes":[],"defaultScopes":[]}}`
	var c platform.AuthSchemeConfig
	require.NoError(t, json.Unmarshal([]byte(in), &c))
	assert.Nil(t, c.Scheme.(platform.OAuth2Scheme).Grant)
	require.NoError(t, json.Unmarshal([]byte(`{"type":"oauth2","oauth2":{"id":"o","description":"","grant":null}}`), &c))
	assert.Nil(t, c.Scheme.(platform.OAuth2Scheme).Grant)
}

func TestOAuth2SchemeSendsItsRequiredLists(t *testing.T) {
	t.Parallel()
	// The spec requires scopes and defaultScopes (and grant) in an oauth2
	// config, which a client-credentials scheme has no use for.
	c := platform.AuthSchemeConfig{ID: "cc", Scheme: platform.OAuth2Scheme{TokenURL: "https://t", Grant: platform.ClientCredentialsGrant{}}}
	assert.JSONEq(t, `{"type":"oauth2","oauth2":{"id":"cc","description":"","tokenUrl":"https://t","scopes":[],"defaultScopes":[],"grant":{"type":"clientCredentials","clientCredentials":{}}}}`, sent(t, c))
}

func TestOAuth1SchemeSendsItsRequiredFieldsAsRead(t *testing.T) {
	t.Parallel()
	// The spec requires consumerKey, consumerSecret and signatureMethod in
	// an oauth1 config. The API redacts consumerSecret to "" on read, and a
	// config copied from a template, as a connection's credentials must
	// carry it, still has to send the key.
	in := `{"type":"oauth1","oauth1":{"id":"o1","description":"","consumerKey":"ck","consumerSecret":"","signatureMethod":"sha1","tokenAuth":true}}`
	var c platform.AuthSchemeConfig
	require.NoError(t, json.Unmarshal([]byte(in), &c))
	assert.JSONEq(t, in, sent(t, c))
	assert.JSONEq(t, `{"type":"oauth1","oauth1":{"id":"o1","description":"","consumerKey":"","consumerSecret":"","signatureMethod":""}}`,
		sent(t, platform.AuthSchemeConfig{ID: "o1", Scheme: platform.OAuth1Scheme{}}))
}

func TestAuthSchemeMemberMustMatchItsType(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"another scheme's member": `{"type":"api-key","basicAuth":{"id":"x","description":""}}`,
		"two schemes' members":    `{"type":"api-key","apiKey":{"id":"x","description":"","name":"k","in":"query"},"hmac":{"id":"x","description":""}}`,
		"another grant's member":  oauth2JSON(`{"type":"authorizationCode","password":{"clientId":"cid"}}`),
		"a member of a bad shape": `{"type":"api-key","apiKey":["x"]}`,
	} {
		var c platform.AuthSchemeConfig
		assert.Error(t, json.Unmarshal([]byte(in), &c), name)
	}
}

func TestAuthSchemeConfigWithoutSchemeIsNotSent(t *testing.T) {
	t.Parallel()
	s := replying(t, 204, "")
	err := newClient(t, s).Do(t.Context(), versori.Request{Method: "PUT", Path: "/echo", Body: platform.AuthSchemeConfig{ID: "x"}}, nil)
	assertRefused(t, err, "request body")
	assert.Empty(t, s.requests())
}

func TestAuthSchemeSecretsAreRedactedButSent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		scheme  platform.AuthScheme
		secrets []string
	}{
		{platform.OAuth1Scheme{ConsumerKey: "ck", ConsumerSecret: versori.NewSecret("S3CRET-consumer")}, []string{"S3CRET-consumer"}},
		{oauth2Scheme(platform.AuthorizationCodeGrant{ClientID: "cid", ClientSecret: versori.NewSecret("S3CRET-code-grant")}), []string{"S3CRET-code-grant"}},
		{oauth2Scheme(platform.PasswordGrant{ClientID: "cid", ClientSecret: versori.NewSecret("S3CRET-password-grant")}), []string{"S3CRET-password-grant"}},
		{oauth2Scheme(platform.UnknownGrant{Type: "deviceCode", Raw: versori.NewSecretJSON([]byte(`{"type":"deviceCode","deviceCode":{"s":"S3CRET-grant"}}`))}), []string{"S3CRET-grant"}},
		{platform.UnknownScheme{Type: "jwt-bearer", Raw: versori.NewSecretJSON([]byte(`{"type":"jwt-bearer","jwtBearer":{"id":"j","description":"","key":"S3CRET-scheme"}}`))}, []string{"S3CRET-scheme"}},
	} {
		t.Run(fmt.Sprintf("%T", tc.scheme), func(t *testing.T) {
			t.Parallel()
			c := platform.AuthSchemeConfig{ID: "x", Scheme: tc.scheme}
			assertRedacted(t, c, tc.secrets...)
			wire := sent(t, c)
			for _, secret := range tc.secrets {
				assert.Contains(t, wire, secret)
			}
		})
	}
}

func TestAuthSchemeConfigDecodedThroughTheCore(t *testing.T) {
	t.Parallel()
	// The core checks a 2xx body against the model's required tags; a
	// config's id and description are inside its keyed member, not beside
	// its type.
	s := replying(t, 200, `{"type":"api-key","apiKey":{"id":"key","description":"","name":"X-API-Key","in":"header"}}`)
	var c platform.AuthSchemeConfig
	require.NoError(t, newClient(t, s).Do(t.Context(), versori.Request{Method: "GET", Path: "/config"}, &c))
	assert.Equal(t, platform.AuthSchemeConfig{ID: "key", Scheme: platform.APIKeyScheme{Name: "X-API-Key", In: versori.InHeader}}, c)
}

// TestAuthSchemeConfigWithoutTypeIsAnError: type is required in an auth
// scheme config and in an OAuth 2.0 grant. Without it (absent, null or "")
// there is no scheme to keep: it is not a scheme newer than the SDK, and
// decoding it as an UnknownScheme (or UnknownGrant) of type "" made any
// credential fit it (AcceptedCredentials is nil for an unknown scheme).
func TestAuthSchemeConfigWithoutTypeIsAnError(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"no type":           `{"apiKey":{"id":"k","description":"","name":"X-Key","in":"header"}}`,
		"type after null":   `{"type":"api-key","apiKey":{"id":"k","description":""},"type":null}`,
		"a null type":       `{"type":null,"apiKey":{"id":"k","description":""}}`,
		"an empty type":     `{"type":"","future":{"id":"k","description":""}}`,
		"nothing":           `{}`,
		"a grant's type":    oauth2JSON(`{"password":{"clientId":"cid"}}`),
		"a null grant type": oauth2JSON(`{"type":null,"password":{"clientId":"cid"}}`),
	} {
		var c platform.AuthSchemeConfig
		err := json.Unmarshal([]byte(in), &c)
		if assert.Error(t, err, name) {
			assert.Contains(t, err.Error(), `"type"`, name)
		}
	}

	// Through the core: a system's config without a type.
	s := replying(t, 200, `{"id":"01SYS","name":"Shopify","domain":"myshopify.com","templateBaseUrl":"",`+
		`"authSchemeConfigs":[{"apiKey":{"id":"k","description":"","name":"X-Key","in":"header"}}]}`)
	_, err := newClient(t, s).Systems.Get(t.Context(), "01SYS")
	assertMissing(t, err, "type")
}
