package platform_test

import (
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
)

// credentialJSON is a credential as the API sends and takes it.
func credentialJSON(typ platform.CredentialType, data string) string {
	return fmt.Sprintf(`{"id":"01CRED0000000000000000000A","organisationId":%q,"type":%q,"name":"cred","data":%s}`, testOrg, typ, data)
}

func TestCredentialRoundTripsEveryType(t *testing.T) {
	t.Parallel()
	expires := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		typ  platform.CredentialType
		data string // the whole data object
		want platform.CredentialData
	}{
		{platform.CredentialTypeNone, `{"none":{}}`, platform.NoneCredential{}},
		{platform.CredentialTypeString, `{"string":{"value":"api-key-1"}}`, platform.StringCredential{Value: versori.NewSecret("api-key-1")}},
		{platform.CredentialTypeBinary, `{"binary":{"valueBase64":"c2VjcmV0"}}`, platform.BinaryCredential{ValueBase64: versori.NewSecret("c2VjcmV0")}},
		{platform.CredentialTypeBasicAuth, `{"basicAuth":{"username":"ann","password":"pw"}}`, platform.BasicAuthCredential{Username: "ann", Password: versori.NewSecret("pw")}},
		{
			platform.CredentialTypeOAuth2Client,
			`{"oauth2Client":{"clientId":"cid","clientSecret":"cs","tokenUrl":"https://idp.example/token","scopes":["read","write"],"additionalParams":"audience=api","mTLSEnabled":true,"mTLSCredentialId":"01MTLS"}}`,
			platform.OAuth2ClientCredential{ClientID: "cid", ClientSecret: versori.NewSecret("cs"), TokenURL: "https://idp.example/token", Scopes: []string{"read", "write"}, AdditionalParams: "audience=api", MTLSEnabled: true, MTLSCredentialID: "01MTLS"},
		},
		{platform.CredentialTypeOAuth2Code, `{"oauth2Code":{"code":"c0de","state":"st","additionalParams":"x=1"}}`, platform.OAuth2CodeCredential{Code: versori.NewSecret("c0de"), State: "st", AdditionalParams: "x=1"}},
		{platform.CredentialTypeOAuth2Password, `{"oauth2Password":{"username":"ann","password":"pw"}}`, platform.OAuth2PasswordCredential{Username: "ann", Password: versori.NewSecret("pw")}},
		{
			platform.CredentialTypeOAuth2Token,
			`{"oauth2Token":{"scopes":["read"],"accessToken":"at","tokenType":"Bearer","expiresAt":"2026-07-01T12:00:00Z","refreshToken":"rt"}}`,
			platform.OAuth2TokenCredential{Scopes: []string{"read"}, AccessToken: versori.NewSecret("at"), TokenType: "Bearer", ExpiresAt: expires, RefreshToken: versori.NewSecret("rt")},
		},
		{platform.CredentialTypeOAuth2Token, `{"oauth2Token":{"scopes":[],"refreshToken":"rt"}}`, platform.OAuth2TokenCredential{Scopes: []string{}, RefreshToken: versori.NewSecret("rt")}},
		{
			platform.CredentialTypeCertificate,
			`{"certificate":{"certificate":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n","key":"-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n","ca":""}}`,
			platform.CertificateCredential{Certificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", Key: versori.NewSecret("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n")},
		},
		{platform.CredentialTypeOAuth1, `{"oauth1":{"state":"st","oauthToken":"tok","oauthVerifier":"ver"}}`, platform.OAuth1Credential{State: "st", OAuthToken: "tok", OAuthVerifier: versori.NewSecret("ver")}},
		{
			platform.CredentialTypeOAuth1Token,
			`{"oauth1Token":{"token":"tok","tokenSecret":"ts","additionalParams":[{"name":"realm","value":"123"},{"name":"flag"}]}}`,
			platform.OAuth1TokenCredential{Token: versori.NewSecret("tok"), TokenSecret: versori.NewSecret("ts"), AdditionalParams: []platform.AdditionalParam{{Name: "realm", Value: "123"}, {Name: "flag"}}},
		},
	} {
		t.Run(string(tc.typ), func(t *testing.T) {
			t.Parallel()
			in := credentialJSON(tc.typ, tc.data)
			var c platform.Credential
			require.NoError(t, json.Unmarshal([]byte(in), &c))
			assert.Equal(t, tc.want, c.Data)
			assert.Equal(t, tc.typ, c.Type)
			assert.Equal(t, tc.typ, platform.CredentialTypeOf(c.Data))
			assert.JSONEq(t, in, sent(t, c), "sent back as received")

			// A pointer to a variant is sent as the variant.
			p := c
			p.Data = pointerTo(c.Data)
			assert.JSONEq(t, in, sent(t, p))
		})
	}
}

// pointerTo returns a pointer to a copy of a variant, as a CredentialData.
func pointerTo(d platform.CredentialData) platform.CredentialData {
	p := reflect.New(reflect.TypeOf(d))
	p.Elem().Set(reflect.ValueOf(d))
	return p.Interface().(platform.CredentialData)
}

func TestCredentialHeadRoundTrips(t *testing.T) {
	t.Parallel()
	in := `{"id":"01CRED0000000000000000000A","organisationId":"` + testOrg + `","type":"oauth2-token","name":"shop","errors":["token expired"],"expiresAt":"2026-07-01T12:00:00Z","data":{"oauth2Token":{"scopes":["read"],"refreshToken":""}}}`
	var c platform.Credential
	require.NoError(t, json.Unmarshal([]byte(in), &c))
	assert.Equal(t, platform.Credential{
		ID: "01CRED0000000000000000000A", OrganisationID: testOrg, Type: platform.CredentialTypeOAuth2Token, Name: "shop",
		Errors: []string{"token expired"}, ExpiresAt: time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC),
		Data: platform.OAuth2TokenCredential{Scopes: []string{"read"}},
	}, c)
	assert.JSONEq(t, in, sent(t, c))
}

func TestCredentialDecodedThroughTheCore(t *testing.T) {
	t.Parallel()
	// As the API reads a credential back: its secret redacted.
	s := replying(t, http.StatusOK, credentialJSON(platform.CredentialTypeBasicAuth, `{"basicAuth":{"username":"ann","password":""}}`))
	var c platform.Credential
	require.NoError(t, newClient(t, s).Do(t.Context(), versori.Request{Method: "GET", Path: "/credential"}, &c))
	assert.Equal(t, platform.BasicAuthCredential{Username: "ann"}, c.Data)

	s = replying(t, http.StatusOK, `{"organisationId":"o","type":"none"}`)
	err := newClient(t, s).Do(t.Context(), versori.Request{Method: "GET", Path: "/credential"}, &c)
	var d *versori.DecodeError
	require.ErrorAs(t, err, &d, "id is required")
}

func TestCredentialTypeComesFromItsData(t *testing.T) {
	t.Parallel()
	c := platform.Credential{ID: "01C", OrganisationID: testOrg, Type: platform.CredentialTypeBasicAuth, Data: platform.StringCredential{Value: versori.NewSecret("v")}}
	assert.JSONEq(t, `{"id":"01C","organisationId":"`+testOrg+`","type":"string","data":{"string":{"value":"v"}}}`, sent(t, c))

	// Without data (as versori/cli sends a none credential), the type stays.
	c = platform.Credential{ID: "01C", OrganisationID: testOrg, Type: platform.CredentialTypeNone}
	assert.JSONEq(t, `{"id":"01C","organisationId":"`+testOrg+`","type":"none"}`, sent(t, c))
}

func TestCredentialUnknownTypeIsKeptAndResent(t *testing.T) {
	t.Parallel()
	for _, data := range []string{
		`{"jwtBearer":{"privateKey":"PK-SECRET","claims":{"aud":"x","n":[1,2]}}}`,
		`{"a":1,"b":{"c":null},"d":"e"}`, // several members, in an order a map would not keep
	} {
		in := credentialJSON("jwt-bearer", data)
		var c platform.Credential
		require.NoError(t, json.Unmarshal([]byte(in), &c))
		u, ok := c.Data.(platform.UnknownCredential)
		require.True(t, ok, "%T", c.Data)
		assert.Equal(t, platform.CredentialType("jwt-bearer"), u.Type)
		assert.JSONEq(t, data, string(u.Raw.Reveal()))
		assert.Equal(t, platform.CredentialType("jwt-bearer"), platform.CredentialTypeOf(c.Data))
		assert.JSONEq(t, in, sent(t, c))
	}
}

func TestCredentialDataMustMatchItsType(t *testing.T) {
	t.Parallel()
	for name, data := range map[string]string{
		"another type's key": `{"basicAuth":{"username":"u","password":"p"}}`,
		"two types' keys":    `{"string":{"value":"v"},"binary":{"valueBase64":"dg=="}}`,
		"an unknown key too": `{"string":{"value":"v"},"extra":{}}`,
		"not an object":      `{"string":"v"}`,
	} {
		var c platform.Credential
		err := json.Unmarshal([]byte(credentialJSON(platform.CredentialTypeString, data)), &c)
		assert.Error(t, err, name)
	}
}

func TestCredentialSecretsAreRedactedButSent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		data    platform.CredentialData
		secrets []string
	}{
		{platform.StringCredential{Value: versori.NewSecret("S3CRET-string")}, []string{"S3CRET-string"}},
		{platform.BinaryCredential{ValueBase64: versori.NewSecret("S3CRET-binary")}, []string{"S3CRET-binary"}},
		{platform.BasicAuthCredential{Username: "ann", Password: versori.NewSecret("S3CRET-basic")}, []string{"S3CRET-basic"}},
		{platform.OAuth2ClientCredential{ClientID: "cid", ClientSecret: versori.NewSecret("S3CRET-client"), TokenURL: "https://t"}, []string{"S3CRET-client"}},
		{platform.OAuth2CodeCredential{Code: versori.NewSecret("S3CRET-code"), State: "st"}, []string{"S3CRET-code"}},
		{platform.OAuth2PasswordCredential{Username: "ann", Password: versori.NewSecret("S3CRET-password")}, []string{"S3CRET-password"}},
		{platform.OAuth2TokenCredential{AccessToken: versori.NewSecret("S3CRET-access"), RefreshToken: versori.NewSecret("S3CRET-refresh")}, []string{"S3CRET-access", "S3CRET-refresh"}},
		{platform.CertificateCredential{Certificate: "cert", Key: versori.NewSecret("S3CRET-key"), CA: "ca"}, []string{"S3CRET-key"}},
		{platform.OAuth1Credential{State: "st", OAuthToken: "tok", OAuthVerifier: versori.NewSecret("S3CRET-verifier")}, []string{"S3CRET-verifier"}},
		{platform.OAuth1TokenCredential{Token: versori.NewSecret("S3CRET-token"), TokenSecret: versori.NewSecret("S3CRET-tokensecret")}, []string{"S3CRET-token", "S3CRET-tokensecret"}},
		{platform.UnknownCredential{Type: "jwt-bearer", Raw: versori.NewSecretJSON([]byte(`{"jwtBearer":{"privateKey":"S3CRET-jwt"}}`))}, []string{"S3CRET-jwt"}},
	} {
		t.Run(fmt.Sprintf("%T", tc.data), func(t *testing.T) {
			t.Parallel()
			c := platform.Credential{ID: "01C", OrganisationID: testOrg, Name: "n", Data: tc.data}
			assertRedacted(t, c, tc.secrets...)
			assertRedacted(t, tc.data, tc.secrets...)
			wire := sent(t, c)
			for _, secret := range tc.secrets {
				assert.Contains(t, wire, secret)
			}
		})
	}
}
