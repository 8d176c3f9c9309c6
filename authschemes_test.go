package versori

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	stdjson "encoding/json"

	"github.com/go-json-experiment/json"
	"github.com/oklog/ulid/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// apiAuthSchemeConfig is an AuthSchemeConfig as the API sends it.
func apiAuthSchemeConfig(members string) string {
	return `{"id":"01JAAAAAAAAAAAAAAAAAAAAAAA","description":"main",` + members + `}`
}

// pointerTo returns a pointer to a copy of v, as the union interface I.
func pointerTo[I any](v I) I {
	p := reflect.New(reflect.TypeOf(v))
	p.Elem().Set(reflect.ValueOf(v))
	return p.Interface().(I)
}

// typedNil returns a nil pointer to v's type, as the union interface I.
func typedNil[I any](v I) I {
	return reflect.Zero(reflect.PointerTo(reflect.TypeOf(v))).Interface().(I)
}

// TestAuthSchemeConfigRoundTrip: every scheme, and the OAuth 2.0 scheme with
// every grant, decodes from the API's JSON to its variant and encodes back
// to the same JSON.
func TestAuthSchemeConfigRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tc := range authSchemeCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := apiAuthSchemeConfig(tc.wire)
			var c AuthSchemeConfig
			require.NoError(t, json.Unmarshal([]byte(in), &c))
			assert.Equal(t, AuthSchemeConfig{ID: "01JAAAAAAAAAAAAAAAAAAAAAAA", Description: "main", Scheme: tc.scheme}, c)
			assert.Equal(t, tc.typ, SchemeTypeOf(c.Scheme))
			out := wireJSON(t, c)
			assert.JSONEq(t, in, string(out))

			// The common members come first, the discriminator among them.
			assert.True(t, strings.HasPrefix(string(out), `{"id":"01JAAAAAAAAAAAAAAAAAAAAAAA","description":"main","schemeType":"`+tc.typ+`"`), "%s", out)

			// Within the models that carry one.
			tmpl := ConnectionTemplate{ID: "t", AuthSchemeConfig: c}
			var back ConnectionTemplate
			require.NoError(t, json.Unmarshal(wireJSON(t, tmpl), &back))
			assert.Equal(t, tmpl, back)
		})
	}
}

// TestAuthSchemeConfigEncodingIsDeterministic: encoding does not mint IDs
// (the services do, once, when sending), so the same config always gives
// the same bytes, with every encoder.
func TestAuthSchemeConfigEncodingIsDeterministic(t *testing.T) {
	t.Parallel()
	for _, tc := range authSchemeCases {
		c := AuthSchemeConfig{Scheme: tc.scheme}
		w1, w2 := wireJSON(t, c), wireJSON(t, c)
		assert.Equal(t, string(w1), string(w2), tc.name)
		assert.Contains(t, string(w1), `"id":""`, "no ID is minted by encoding")
		assert.Equal(t, string(plainJSON(t, c)), string(plainJSON(t, c)), tc.name)
		v1a, err := stdjson.Marshal(c)
		require.NoError(t, err)
		v1b, err := stdjson.Marshal(c)
		require.NoError(t, err)
		assert.Equal(t, string(v1a), string(v1b), tc.name)
	}
}

// TestAuthSchemeConfigWithID: the services mint a ULID for a config without
// an ID, once, and keep a set ID.
func TestAuthSchemeConfigWithID(t *testing.T) {
	t.Parallel()
	c := AuthSchemeConfig{Description: "d", Scheme: APIKeyScheme{Name: "k", In: InHeader}}
	minted := c.withID()
	_, err := ulid.ParseStrict(minted.ID)
	assert.NoError(t, err, "minted %q", minted.ID)
	assert.Empty(t, c.ID, "the caller's config is not written")
	assert.Equal(t, minted, minted.withID(), "minted once")
	assert.Equal(t, string(wireJSON(t, minted)), string(wireJSON(t, minted)))
	assert.NotEqual(t, minted.ID, c.withID().ID, "each config gets its own")

	set := AuthSchemeConfig{ID: "01GIVEN", Scheme: NoneScheme{}}
	assert.Equal(t, set, set.withID())
}

// TestAuthSchemeConfigUnknownSchemeKeepsRawJSON: a scheme this SDK does not
// know keeps the whole object as received and sends it back.
func TestAuthSchemeConfigUnknownSchemeKeepsRawJSON(t *testing.T) {
	t.Parallel()
	const in = `{"id":"01A", "description":"d","schemeType":"aws-sigv4","region":"eu-west-2","service":"s3","opts":{"x":[1,2.50]}}`
	var c AuthSchemeConfig
	require.NoError(t, json.Unmarshal([]byte(in), &c))
	u, ok := c.Scheme.(UnknownScheme)
	require.True(t, ok, "got %T", c.Scheme)
	assert.Equal(t, "aws-sigv4", u.Type)
	assert.Equal(t, "aws-sigv4", SchemeTypeOf(c.Scheme))
	assert.Equal(t, "01A", c.ID)
	assert.Equal(t, "d", c.Description)
	assert.Equal(t, in, string(u.Raw.Reveal()), "raw kept byte for byte")
	out := wireJSON(t, c)
	assert.Equal(t, `{"id":"01A","description":"d","schemeType":"aws-sigv4","region":"eu-west-2","service":"s3","opts":{"x":[1,2.50]}}`, string(out))
	assert.Equal(t, string(out), string(wireJSON(t, AuthSchemeConfig{Scheme: &u})), "a pointer encodes like the value")
	assert.Equal(t, `"[REDACTED]"`, string(plainJSON(t, c)), "raw may hold secrets")

	// Without Raw, an unknown scheme sends the common members and its type.
	assert.Equal(t, `{"id":"01B","description":"","schemeType":"later"}`,
		string(wireJSON(t, AuthSchemeConfig{ID: "01B", Scheme: UnknownScheme{Type: "later"}})))
}

func TestAuthSchemeConfigWithoutSchemeIsNotEncoded(t *testing.T) {
	t.Parallel()
	for _, s := range []AuthScheme{nil, (*APIKeyScheme)(nil), (*OAuth2Scheme)(nil), (*UnknownScheme)(nil)} {
		c := AuthSchemeConfig{ID: "x", Scheme: s}
		var err error
		assert.NotPanics(t, func() { _, err = json.Marshal(c, wireOptions) })
		assert.ErrorContains(t, err, "AuthSchemeConfig has no Scheme", "%T", s)
		assert.NotPanics(t, func() { _ = fmt.Sprintf("%v %+v %#v", c, c, c) })
		assertField(t, c.validate("f"), "f.scheme", "is required")
	}
}

func TestAuthSchemeConfigValidationMessages(t *testing.T) {
	t.Parallel()
	const in = `{"id":"01A","description":"","validationMessages":[{"text":"t","severity":"warning","detail":["a","b"]},
		{"text":"u","severity":"error"},{"text":"v","severity":"info"}],"schemeType":"none"}`
	var c AuthSchemeConfig
	require.NoError(t, json.Unmarshal([]byte(in), &c))
	assert.Equal(t, []Message{
		{Text: "t", Severity: SeverityWarning, Detail: []string{"a", "b"}},
		{Text: "u", Severity: SeverityError},
		{Text: "v", Severity: SeverityInfo},
	}, c.ValidationMessages)
	assert.JSONEq(t, in, string(wireJSON(t, c)))
	c.ValidationMessages = nil
	assert.NotContains(t, string(wireJSON(t, c)), "validationMessages", "omitted when empty")
}

// TestAuthSchemeConfigMalformedIsAnError: a scheme or grant that does not
// have its type's shape is refused, and the error does not quote it.
func TestAuthSchemeConfigMalformedIsAnError(t *testing.T) {
	t.Parallel()
	assertMalformedRefused[AuthSchemeConfig](t, "987654321", []malformed{
		{"api-key name is a number", `{"id":"a","description":"","schemeType":"api-key","name":987654321,"in":"header"}`},
		{"hmac digestInputs not an array", `{"id":"a","description":"","schemeType":"hmac","digestInputs":"987654321"}`},
		{"oauth2 grant a string", `{"id":"a","description":"","schemeType":"oauth2","grant":"987654321"}`},
		{"oauth2 grant an array", `{"id":"a","description":"","schemeType":"oauth2","grant":["987654321"]}`},
		{"oauth2 client secret a number", `{"id":"a","description":"","schemeType":"oauth2","grant":{"grantType":"password","clientSecret":987654321}}`},
		{"oauth2 scopes of strings", `{"id":"a","description":"","schemeType":"oauth2","scopes":["987654321"],"grant":{"grantType":"client_credentials"}}`},
		{"grantType a number", `{"id":"a","description":"","schemeType":"oauth2","grant":{"grantType":987654321}}`},
		{"schemeType a number", `{"id":"a","description":"","schemeType":987654321}`},
		{"id a number", `{"id":987654321,"description":"","schemeType":"none"}`},
		{"not an object", `[987654321]`},
		{"a string", `"987654321"`},
		{"truncated", `{"id":"a","description":"","schemeType":"oauth2","grant":{"grantType":"password","clientSecret":"987654321`},
	})
}

// TestOAuth2SchemeGrant: a grant's absence, null and unknown grants.
func TestOAuth2SchemeGrant(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		json string
		want OAuth2Grant
	}{
		{`{}`, nil},
		{`{"grant":null}`, nil},
		{`{"grant":{}}`, UnknownGrant{Raw: NewSecretJSON([]byte(`{}`))}},
		{`{"grant":{"grantType":"device_code", "x":1}}`, UnknownGrant{Type: "device_code", Raw: NewSecretJSON([]byte(`{"grantType":"device_code", "x":1}`))}},
		{`{"grant":{"grantType":"password","clientSecret":"s","extra":[1]}}`, PasswordGrant{ClientSecret: NewSecret("s")}},
	} {
		var s OAuth2Scheme
		require.NoError(t, json.Unmarshal([]byte(tc.json), &s), tc.json)
		assert.Equal(t, tc.want, s.Grant, tc.json)
	}
	// An unknown grant without Raw still sends its type.
	assert.JSONEq(t, `{"authorizeUrl":"","tokenUrl":"","scopes":[],"defaultScopes":[],"grant":{"grantType":"device_code"}}`,
		string(wireJSON(t, OAuth2Scheme{Grant: UnknownGrant{Type: "device_code"}})))
	// No grant: none is sent (validation refuses it first).
	assert.JSONEq(t, `{"authorizeUrl":"","tokenUrl":"","scopes":[],"defaultScopes":[]}`, string(wireJSON(t, OAuth2Scheme{})))
	// A grant's secret is redacted outside the wire.
	assert.Contains(t, string(plainJSON(t, OAuth2Scheme{Grant: PasswordGrant{ClientSecret: NewSecret("s3")}})), `"clientSecret":"[REDACTED]"`)
}

// TestPointerVariantsEncodeLikeValues: a pointer to a scheme or grant is
// sent as the value is.
func TestPointerVariantsEncodeLikeValues(t *testing.T) {
	t.Parallel()
	for _, tc := range authSchemeCases {
		want := string(wireJSON(t, AuthSchemeConfig{ID: "x", Scheme: tc.scheme}))
		assert.Equal(t, want, string(wireJSON(t, AuthSchemeConfig{ID: "x", Scheme: pointerTo(tc.scheme)})), "&%s", tc.name)
		assert.Equal(t, tc.typ, SchemeTypeOf(pointerTo(tc.scheme)))
	}
	for _, tc := range grantCases {
		t.Run(tc.name, func(t *testing.T) {
			want := string(wireJSON(t, OAuth2Scheme{Grant: tc.grant}))
			assert.Equal(t, want, string(wireJSON(t, OAuth2Scheme{Grant: pointerTo(tc.grant)})))
		})
	}
}

// TestTypedNilSchemesAndGrants: nil pointers to variants never panic.
func TestTypedNilSchemesAndGrants(t *testing.T) {
	t.Parallel()
	for _, tc := range authSchemeCases {
		s := typedNil(tc.scheme)
		assert.NotPanics(t, func() {
			_ = SchemeTypeOf(s)
			_ = AcceptedCredentials(s)
			_ = fits(s, StringCredential{Value: NewSecret("v")})
			_ = checkFits("f", s, StringCredential{Value: NewSecret("v")})
			_ = fmt.Sprintf("%v %+v %#v", s, AuthSchemeConfig{Scheme: s}, s)
		}, "%T", s)
		assert.Nil(t, AcceptedCredentials(s), "%T", s)
	}
	for _, tc := range grantCases {
		g := typedNil(tc.grant)
		s := OAuth2Scheme{Grant: g}
		assert.NotPanics(t, func() {
			assert.Nil(t, AcceptedCredentials(s))
			assert.NotContains(t, string(wireJSON(t, s)), "grant")
			_ = fmt.Sprintf("%v %+v %#v", s, s, g)
		}, "%T", g)
		assertField(t, AuthSchemeConfig{Scheme: s}.validate("f"), "f.grant", "is required")
	}
}

// TestAcceptedCredentials is the table of AcceptedCredentials, for every
// scheme and grant, as values and as pointers.
func TestAcceptedCredentials(t *testing.T) {
	t.Parallel()
	oauth := func(g OAuth2Grant) OAuth2Scheme { return OAuth2Scheme{Grant: g} }
	for _, tc := range []struct {
		scheme AuthScheme
		want   []CredentialType
	}{
		{NoneScheme{}, []CredentialType{CredentialTypeNone}},
		{APIKeyScheme{}, []CredentialType{CredentialTypeString}},
		{HMACScheme{}, []CredentialType{CredentialTypeString}},
		{BasicAuthScheme{}, []CredentialType{CredentialTypeBasicAuth}},
		{CertificateScheme{}, []CredentialType{CredentialTypeCertificate}},
		{oauth(AuthorizationCodeGrant{}), []CredentialType{CredentialTypeOAuth2Code, CredentialTypeOAuth2Token}},
		{oauth(&AuthorizationCodeGrant{}), []CredentialType{CredentialTypeOAuth2Code, CredentialTypeOAuth2Token}},
		{oauth(ClientCredentialsGrant{}), []CredentialType{CredentialTypeOAuth2Client}},
		{oauth(&ClientCredentialsGrant{}), []CredentialType{CredentialTypeOAuth2Client}},
		{oauth(PasswordGrant{}), []CredentialType{CredentialTypeOAuth2Password, CredentialTypeOAuth2Token}},
		{oauth(&PasswordGrant{}), []CredentialType{CredentialTypeOAuth2Password, CredentialTypeOAuth2Token}},
		{oauth(UnknownGrant{Type: "device_code"}), nil},
		{oauth(nil), nil},
		{UnknownScheme{Type: "saml"}, nil},
		{nil, nil},
	} {
		assert.Equal(t, tc.want, AcceptedCredentials(tc.scheme), "%#v", tc.scheme)
		if tc.scheme != nil {
			assert.Equal(t, tc.want, AcceptedCredentials(pointerTo(tc.scheme)), "&%#v", tc.scheme)
		}
	}
}

// TestFits checks fits for every scheme against every credential type: a
// credential fits when its type is accepted, when the scheme accepts
// anything, or when the spec ties its type to no scheme.
func TestFits(t *testing.T) {
	t.Parallel()
	for _, sc := range authSchemeCases {
		accepted := AcceptedCredentials(sc.scheme)
		for _, dc := range credentialDataCases {
			want := accepted == nil
			for _, a := range accepted {
				want = want || a == dc.typ
			}
			switch dc.data.(type) {
			case BinaryCredential, JWTBearerCredential, CustomFunctionCredential, UnknownCredential:
				want = true
			}
			assert.Equal(t, want, fits(sc.scheme, dc.data), "%s with %s", sc.name, dc.name)
			assert.Equal(t, want, fits(pointerTo(sc.scheme), pointerTo(dc.data)), "&%s with &%s", sc.name, dc.name)
			err := checkFits("f", sc.scheme, dc.data)
			if !want {
				assertField(t, err, "f", fmt.Sprintf("is a %s credential, which does not fit the %s", dc.typ, sc.typ))
			}
		}
	}
}

// TestCheckFitsRefusesEmptyRequiredValues: a credential whose required
// value is empty or blank is refused, naming the value.
func TestCheckFitsRefusesEmptyRequiredValues(t *testing.T) {
	t.Parallel()
	const field = "primaryConnection.credentials.action[0].credential.data"
	for _, tc := range []struct {
		data    CredentialData
		missing string // the first required member left empty; "" when valid
	}{
		{NoneCredential{}, ""},
		{StringCredential{}, "value"},
		{StringCredential{Value: NewSecret(" \t")}, "value"},
		{StringCredential{Value: NewSecret("v")}, ""},
		{BinaryCredential{}, "valueBase64"},
		{BasicAuthCredential{Password: NewSecret("p")}, "username"},
		{BasicAuthCredential{Username: "u"}, "password"},
		{BasicAuthCredential{Username: "u", Password: NewSecret("\n")}, "password"},
		{OAuth2ClientCredential{TokenURL: "t", AuthorizeURL: "a"}, "clientId"},
		{OAuth2ClientCredential{ClientID: "c", TokenURL: "t", AuthorizeURL: "a"}, "clientSecret"},
		{OAuth2ClientCredential{ClientID: "c", ClientSecret: NewSecret("s"), AuthorizeURL: "a"}, "tokenUrl"},
		{OAuth2CodeCredential{State: "s"}, "code"},
		{OAuth2CodeCredential{Code: NewSecret("c")}, "state"},
		{OAuth2PasswordCredential{Username: "u"}, "password"},
		{OAuth2TokenCredential{}, "refreshToken"},
		{OAuth2TokenCredential{RefreshToken: NewSecret("r")}, ""},
		{CertificateCredential{Certificate: "c", CA: "a"}, "key"},
		{JWTBearerCredential{}, "algorithm"},
		{JWTBearerCredential{Algorithm: "HS256", Payload: "{}", ExpiresIn: "1h", AuthorizationHeaderPrefix: "Bearer"}, "secret"},
	} {
		for _, d := range []CredentialData{tc.data, pointerTo(tc.data)} {
			err := checkFits(field, UnknownScheme{Type: "any"}, d)
			if tc.missing == "" {
				assert.NoError(t, err, "%#v", d)
				continue
			}
			assertField(t, err, field+"."+tc.missing, "is required")
		}
	}
	for _, d := range []CredentialData{CustomFunctionCredential{}, &CustomFunctionCredential{}} {
		assertField(t, checkFits(field, NoneScheme{}, d), field, "custom-function credential needs its JSON object")
	}
	assert.NoError(t, checkFits(field, NoneScheme{}, CustomFunctionCredential{Data: NewSecretJSON([]byte(`{"a":1}`))}))

	t.Run("client_credentials client without authorizeUrl", func(t *testing.T) {
		err := checkFits(field, OAuth2Scheme{Grant: ClientCredentialsGrant{}}, OAuth2ClientCredentials("n", "id", "secret", "https://t").Data)
		assert.NoError(t, err)
	})
	t.Run("pointer oauth2 scheme names its grant", func(t *testing.T) {
		err := checkFits(field, &OAuth2Scheme{Grant: PasswordGrant{}}, StringCredential{Value: NewSecret("v")})
		assertField(t, err, field, "does not fit the oauth2 password auth scheme")
	})
}
