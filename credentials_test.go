package versori

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
)

// jsonEq fails t unless want and got are the same JSON value.
func jsonEq(t *testing.T, want string, got []byte) {
	t.Helper()
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expected JSON %s: %v", want, err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("bad JSON %s: %v", got, err)
	}
	if !reflect.DeepEqual(w, g) {
		t.Errorf("JSON differs\nwant %s\ngot  %s", want, got)
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %T: %v", v, err)
	}
	return b
}

var (
	t0 = time.Date(2025, 8, 29, 10, 11, 12, 0, time.UTC)
	t1 = time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
)

// credentialDataCases is one value of every CredentialData variant with the
// exact `data` the API expects for it.
var credentialDataCases = []struct {
	name string
	data CredentialData
	wire string
}{
	{"none", NoneCredential{}, `{}`},
	{"string", StringCredential{Value: "k"}, `{"value":"k"}`},
	{"string empty", StringCredential{}, `{"value":""}`},
	{"binary", BinaryCredential{Value: []byte{0, 1, 2, 0xff}}, `{"valueBase64":"AAEC/w=="}`},
	{"binary empty", BinaryCredential{}, `{"valueBase64":""}`},
	{"basic-auth", BasicAuthCredential{Username: "u", Password: "p"}, `{"username":"u","password":"p"}`},
	{"oauth2-client minimal", OAuth2ClientCredential{ClientID: "cid", ClientSecret: "cs", TokenURL: "https://t"},
		`{"clientId":"cid","clientSecret":"cs","authorizeUrl":"","tokenUrl":"https://t"}`},
	{"oauth2-client full", OAuth2ClientCredential{
		ClientID: "cid", ClientSecret: "cs", AuthorizeURL: "https://a", TokenURL: "https://t",
		Scopes: []string{"read", "write"}, AdditionalParams: "audience=x", MTLSEnabled: true, MTLSCredentialID: "01J",
	}, `{"clientId":"cid","clientSecret":"cs","authorizeUrl":"https://a","tokenUrl":"https://t",
		"scopes":["read","write"],"additionalParams":"audience=x","mTLSEnabled":true,"mTLSCredentialId":"01J"}`},
	{"oauth2-code", OAuth2CodeCredential{Code: "c", State: "s"}, `{"code":"c","state":"s"}`},
	{"oauth2-password", OAuth2PasswordCredential{Username: "u", Password: "p"}, `{"username":"u","password":"p"}`},
	{"oauth2-token minimal", OAuth2TokenCredential{Scopes: []string{}, RefreshToken: "r"}, `{"scopes":[],"refreshToken":"r"}`},
	{"oauth2-token full", OAuth2TokenCredential{
		Scopes: []string{"a"}, AccessToken: "at", TokenType: "Bearer", ExpiresAt: t0, RefreshToken: "r",
	}, `{"scopes":["a"],"accessToken":"at","tokenType":"Bearer","expiresAt":"2025-08-29T10:11:12Z","refreshToken":"r"}`},
	{"certificate", CertificateCredential{Certificate: "C", Key: "K", CA: "A"}, `{"certificate":"C","key":"K","ca":"A"}`},
	{"jwt-bearer", JWTBearerCredential{
		Algorithm: JWTAlgorithmRS256, Secret: []byte("pem"), Payload: `{"aud":"x"}`,
		ExpiresIn: 24 * time.Hour, AuthorizationHeaderPrefix: "JWT",
	}, `{"algorithm":"RS256","secret":"cGVt","payload":"{\"aud\":\"x\"}","expiresIn":"24h0m0s","authorizationHeaderPrefix":"JWT"}`},
	{"jwt-bearer zero", JWTBearerCredential{},
		`{"algorithm":"","secret":"","payload":"","expiresIn":"0s","authorizationHeaderPrefix":""}`},
	{"custom-function", CustomFunctionCredential{Data: json.RawMessage(`{"fn":"sign","args":[1,{"k":null}]}`)},
		`{"fn":"sign","args":[1,{"k":null}]}`},
	{"unknown", UnknownCredentialData{Type: "magic-link", Raw: json.RawMessage(`{"link":"https://x","n":[1,2]}`)},
		`{"link":"https://x","n":[1,2]}`},
}

func TestCredentialDataRoundTrip(t *testing.T) {
	for _, tc := range credentialDataCases {
		t.Run(tc.name, func(t *testing.T) {
			jsonEq(t, tc.wire, mustMarshal(t, tc.data))

			in := Credential{
				ID: "01JAAAAAAAAAAAAAAAAAAAAAAA", OrganisationID: "01JBBBBBBBBBBBBBBBBBBBBBBB",
				Type: tc.data.CredentialType(), Name: "n", Data: tc.data, ExpiresAt: t1,
			}
			wire := fmt.Sprintf(`{"id":"01JAAAAAAAAAAAAAAAAAAAAAAA","organisationId":"01JBBBBBBBBBBBBBBBBBBBBBBB",
				"type":%q,"name":"n","data":%s,"expiresAt":"2025-09-01T00:00:00Z"}`, tc.data.CredentialType(), tc.wire)
			b := mustMarshal(t, in)
			jsonEq(t, wire, b)
			var out Credential
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatalf("unmarshal %s: %v", b, err)
			}
			if !reflect.DeepEqual(in, out) {
				t.Errorf("round trip\nin  %#v\nout %#v", in, out)
			}

			spec := NewCredential("n", tc.data)
			sb := mustMarshal(t, spec)
			jsonEq(t, fmt.Sprintf(`{"name":"n","type":%q,"data":%s}`, tc.data.CredentialType(), tc.wire), sb)
			var specOut CredentialSpec
			if err := json.Unmarshal(sb, &specOut); err != nil {
				t.Fatalf("unmarshal spec %s: %v", sb, err)
			}
			if !reflect.DeepEqual(spec, specOut) {
				t.Errorf("spec round trip\nin  %#v\nout %#v", spec, specOut)
			}
		})
	}
}

func TestCredentialTypesAreDistinct(t *testing.T) {
	all := []CredentialType{
		CredentialTypeNone, CredentialTypeString, CredentialTypeBinary, CredentialTypeBasicAuth,
		CredentialTypeOAuth2Client, CredentialTypeOAuth2Code, CredentialTypeOAuth2Password,
		CredentialTypeOAuth2Token, CredentialTypeCustomFunction, CredentialTypeCertificate, CredentialTypeJWTBearer,
	}
	seen := map[CredentialType]bool{}
	for _, ct := range all {
		if seen[ct] {
			t.Errorf("duplicate %q", ct)
		}
		seen[ct] = true
		// Every known type decodes to its own variant, never Unknown.
		d, err := decodeCredentialData(ct, json.RawMessage(`{}`))
		if err != nil {
			t.Fatalf("%s: %v", ct, err)
		}
		if d.CredentialType() != ct {
			t.Errorf("%s decoded as %T (%s)", ct, d, d.CredentialType())
		}
		if _, ok := d.(UnknownCredentialData); ok {
			t.Errorf("%s decoded as unknown", ct)
		}
	}
}

func TestCredentialUnknownTypeKeepsRawJSON(t *testing.T) {
	in := `{"id":"i","organisationId":"o","type":"passkey","name":"n",
		"data":{"publicKey":"pk","nested":{"a":[true,null,1.5e3]},"s":"\u00e9<>"},"errors":[]}`
	var c Credential
	if err := json.Unmarshal([]byte(in), &c); err != nil {
		t.Fatal(err)
	}
	u, ok := c.Data.(UnknownCredentialData)
	if !ok || u.Type != "passkey" || c.Type != "passkey" {
		t.Fatalf("got %T %q, want UnknownCredentialData passkey", c.Data, c.Type)
	}
	jsonEq(t, `{"publicKey":"pk","nested":{"a":[true,null,1.5e3]},"s":"é<>"}`, u.Raw)
	jsonEq(t, in, mustMarshal(t, c))
	if c.Errors == nil || len(c.Errors) != 0 {
		t.Errorf("errors: [] must decode as empty, not nil: %#v", c.Errors)
	}
}

func TestCredentialOAuth2CodeReadsBackAsToken(t *testing.T) {
	var c Credential
	err := json.Unmarshal([]byte(`{"id":"i","organisationId":"o","type":"oauth2-token","name":"n",
		"data":{"scopes":["read"],"refreshToken":""}}`), &c)
	if err != nil {
		t.Fatal(err)
	}
	want := OAuth2TokenCredential{Scopes: []string{"read"}}
	if !reflect.DeepEqual(c.Data, want) || c.Type != CredentialTypeOAuth2Token {
		t.Errorf("got %#v, want %#v", c.Data, want)
	}
}

func TestCredentialListsKeepAbsentVersusEmpty(t *testing.T) {
	usage := CredentialUsage{Connection: CredentialUsageConnection{
		ID: "c1", Name: "conn", CreatedAt: t0, UpdatedAt: t1,
		Connector: ConnectorSummary{ID: "k1", OrganisationID: "o1", Name: "Shopify", Protocol: "http", CreatedAt: t0, UpdatedAt: t1},
	}}
	cases := []struct {
		name string
		in   Credential
		wire string
	}{
		{"absent", Credential{ID: "i", OrganisationID: "o", Name: "n", Data: NoneCredential{}},
			`{"id":"i","organisationId":"o","type":"none","name":"n","data":{}}`},
		{"empty", Credential{ID: "i", OrganisationID: "o", Name: "n", Data: NoneCredential{}, Usages: []CredentialUsage{}, Errors: []string{}},
			`{"id":"i","organisationId":"o","type":"none","name":"n","data":{},"usages":[],"errors":[]}`},
		{"set", Credential{ID: "i", OrganisationID: "o", Name: "n", Data: NoneCredential{}, Usages: []CredentialUsage{usage}, Errors: []string{"expired"}},
			`{"id":"i","organisationId":"o","type":"none","name":"n","data":{},"errors":["expired"],"usages":[{"connection":{
			"id":"c1","name":"conn","createdAt":"2025-08-29T10:11:12Z","updatedAt":"2025-09-01T00:00:00Z",
			"connector":{"id":"k1","organisationId":"o1","name":"Shopify","protocol":"http",
			"createdAt":"2025-08-29T10:11:12Z","updatedAt":"2025-09-01T00:00:00Z"}}}]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := mustMarshal(t, tc.in)
			jsonEq(t, tc.wire, b)
			var out Credential
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatal(err)
			}
			tc.in.Type = CredentialTypeNone // decoding fills Type from the wire
			if !reflect.DeepEqual(tc.in, out) {
				t.Errorf("round trip\nin  %#v\nout %#v", tc.in, out)
			}
		})
	}
}

func TestEmptyRequiredListsAreSentAsArrays(t *testing.T) {
	jsonEq(t, `{"scopes":[],"refreshToken":"r"}`, mustMarshal(t, OAuth2TokenCredential{RefreshToken: "r"}))
	jsonEq(t, `{"id":"x","description":"","schemeType":"oauth2","authorizeUrl":"","tokenUrl":"","scopes":[],"defaultScopes":[],
		"grant":{"grantType":"client_credentials"}}`,
		mustMarshal(t, AuthSchemeConfig{ID: "x", Scheme: OAuth2Scheme{Grant: ClientCredentialsGrant{}}}))
	jsonEq(t, `{"id":"x","description":"","schemeType":"hmac","name":"","in":"","algorithm":"","digestInputs":[]}`,
		mustMarshal(t, AuthSchemeConfig{ID: "x", Scheme: HMACScheme{}}))
	jsonEq(t, `{}`, mustMarshal(t, CustomFunctionCredential{}))
	jsonEq(t, `{"valueBase64":""}`, mustMarshal(t, BinaryCredential{}))
}

func TestNewCredentialDerivesType(t *testing.T) {
	for _, tc := range credentialDataCases {
		spec := NewCredential("name", tc.data)
		var w struct {
			Type CredentialType `json:"type"`
		}
		if err := json.Unmarshal(mustMarshal(t, spec), &w); err != nil {
			t.Fatal(err)
		}
		if w.Type != tc.data.CredentialType() {
			t.Errorf("%s: type %q, want %q", tc.name, w.Type, tc.data.CredentialType())
		}
	}
	jsonEq(t, `{"id":"01JCRED"}`, mustMarshal(t, ExistingCredential("01JCRED")))
}

func TestConnectionCredentialCreateRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		in   ConnectionCredentialCreate
		wire string
	}{
		{"new credential", ConnectionCredentialCreate{
			AuthSchemeConfig: AuthSchemeConfig{ID: "01A", Scheme: APIKeyScheme{Name: "X-API-Key", In: InHeader}},
			Credential:       NewCredential("key", StringCredential{Value: "v"}),
		}, `{"authSchemeConfig":{"id":"01A","description":"","schemeType":"api-key","name":"X-API-Key","in":"header"},
			"credential":{"name":"key","type":"string","data":{"value":"v"}}}`},
		{"existing credential", ConnectionCredentialCreate{
			AuthSchemeConfig: AuthSchemeConfig{ID: "01B", Description: "d", Scheme: BasicAuthScheme{}},
			Credential:       ExistingCredential("01CRED"),
		}, `{"authSchemeConfig":{"id":"01B","description":"d","schemeType":"basic-auth"},"credential":{"id":"01CRED"}}`},
		{"unknown credential type", ConnectionCredentialCreate{
			AuthSchemeConfig: AuthSchemeConfig{ID: "01C", Scheme: NoneScheme{}},
			Credential:       NewCredential("x", UnknownCredentialData{Type: "future", Raw: json.RawMessage(`{"a":1}`)}),
		}, `{"authSchemeConfig":{"id":"01C","description":"","schemeType":"none"},"credential":{"name":"x","type":"future","data":{"a":1}}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := mustMarshal(t, tc.in)
			jsonEq(t, tc.wire, b)
			var out ConnectionCredentialCreate
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(tc.in, out) {
				t.Errorf("round trip\nin  %#v\nout %#v", tc.in, out)
			}
		})
	}

	all := ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{cases[0].in}, Trigger: []ConnectionCredentialCreate{cases[1].in}}
	b := mustMarshal(t, all)
	jsonEq(t, `{"action":[`+cases[0].wire+`],"trigger":[`+cases[1].wire+`]}`, b)
	var out ConnectionCredentialsCreate
	if err := json.Unmarshal(b, &out); err != nil || !reflect.DeepEqual(all, out) {
		t.Errorf("round trip: %v\n%#v", err, out)
	}
	jsonEq(t, `{}`, mustMarshal(t, ConnectionCredentialsCreate{}))
}

func TestConnectionCredentialsRoundTrip(t *testing.T) {
	in := ConnectionCredentials{Action: []ConnectionCredential{{
		ID:               "01CC",
		AuthSchemeConfig: AuthSchemeConfig{ID: "01A", Scheme: APIKeyScheme{Name: "key", In: InQuery}},
		Credential:       Credential{ID: "01C", OrganisationID: "01O", Type: CredentialTypeString, Name: "n", Data: StringCredential{}},
	}}, Trigger: []ConnectionCredential{}}
	wire := `{"action":[{"id":"01CC","authSchemeConfig":{"id":"01A","description":"","schemeType":"api-key","name":"key","in":"query"},
		"credential":{"id":"01C","organisationId":"01O","type":"string","name":"n","data":{"value":""}}}],"trigger":[]}`
	b := mustMarshal(t, in)
	jsonEq(t, wire, b)
	var out ConnectionCredentials
	if err := json.Unmarshal(b, &out); err != nil || !reflect.DeepEqual(in, out) {
		t.Errorf("round trip: %v\nin  %#v\nout %#v", err, in, out)
	}
}

var authSchemeCases = []struct {
	name   string
	scheme AuthScheme
	wire   string // the scheme's fields, added to the common ones
}{
	{"none", NoneScheme{}, `"schemeType":"none"`},
	{"api-key", APIKeyScheme{Name: "X-Key", In: InCookie}, `"schemeType":"api-key","name":"X-Key","in":"cookie"`},
	{"basic-auth", BasicAuthScheme{}, `"schemeType":"basic-auth"`},
	{"certificate", CertificateScheme{}, `"schemeType":"certificate"`},
	{"hmac", HMACScheme{Name: "X-Sig", In: InHeader, Algorithm: HMACSHA256, DigestInputs: []HMACDigestInput{DigestURL, DigestBody}},
		`"schemeType":"hmac","name":"X-Sig","in":"header","algorithm":"sha256","digestInputs":["url","body"]`},
	{"oauth2 authorization_code", OAuth2Scheme{
		AuthorizeURL: "https://a", TokenURL: "https://t",
		Scopes:        []OAuth2Scope{{Name: "read", Description: "Read"}, {Name: "write"}},
		DefaultScopes: []string{"read"}, AdditionalAuthorizeParams: "prompt=consent", AdditionalTokenParams: "aud=x",
		MTLSEnabled: true, MTLSCredentialID: "01M",
		Grant: AuthorizationCodeGrant{CredentialID: "01C", OrganisationID: "01O", ClientID: "cid", ClientSecret: "cs"},
	}, `"schemeType":"oauth2","authorizeUrl":"https://a","tokenUrl":"https://t",
		"scopes":[{"name":"read","description":"Read"},{"name":"write"}],"defaultScopes":["read"],
		"additionalAuthorizeParams":"prompt=consent","additionalTokenParams":"aud=x","mtlsEnabled":true,"mtlsCredentialId":"01M",
		"grant":{"grantType":"authorization_code","credentialId":"01C","organisationId":"01O","clientId":"cid","clientSecret":"cs"}`},
	{"oauth2 authorization_code minimal", OAuth2Scheme{
		AuthorizeURL: "https://a", TokenURL: "https://t", Scopes: []OAuth2Scope{}, DefaultScopes: []string{},
		Grant: AuthorizationCodeGrant{},
	}, `"schemeType":"oauth2","authorizeUrl":"https://a","tokenUrl":"https://t","scopes":[],"defaultScopes":[],
		"grant":{"grantType":"authorization_code"}`},
	{"oauth2 client_credentials", OAuth2Scheme{
		TokenURL: "https://t", Scopes: []OAuth2Scope{}, DefaultScopes: []string{}, Grant: ClientCredentialsGrant{},
	}, `"schemeType":"oauth2","authorizeUrl":"","tokenUrl":"https://t","scopes":[],"defaultScopes":[],
		"grant":{"grantType":"client_credentials"}`},
	{"oauth2 password", OAuth2Scheme{
		TokenURL: "https://t", Scopes: []OAuth2Scope{}, DefaultScopes: []string{},
		Grant: PasswordGrant{ClientID: "cid", ClientSecret: "cs"},
	}, `"schemeType":"oauth2","authorizeUrl":"","tokenUrl":"https://t","scopes":[],"defaultScopes":[],
		"grant":{"grantType":"password","clientId":"cid","clientSecret":"cs"}`},
	{"oauth2 unknown grant", OAuth2Scheme{
		TokenURL: "https://t", Scopes: []OAuth2Scope{}, DefaultScopes: []string{},
		Grant: UnknownGrant{Type: "device_code", Raw: json.RawMessage(`{"grantType":"device_code","deviceUrl":"https://d","n":[1]}`)},
	}, `"schemeType":"oauth2","authorizeUrl":"","tokenUrl":"https://t","scopes":[],"defaultScopes":[],
		"grant":{"grantType":"device_code","deviceUrl":"https://d","n":[1]}`},
}

func TestAuthSchemeConfigRoundTrip(t *testing.T) {
	for _, tc := range authSchemeCases {
		t.Run(tc.name, func(t *testing.T) {
			in := AuthSchemeConfig{ID: "01JAAAAAAAAAAAAAAAAAAAAAAA", Description: "main", Scheme: tc.scheme}
			b := mustMarshal(t, in)
			jsonEq(t, `{"id":"01JAAAAAAAAAAAAAAAAAAAAAAA","description":"main",`+tc.wire+`}`, b)
			var out AuthSchemeConfig
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatalf("unmarshal %s: %v", b, err)
			}
			if !reflect.DeepEqual(in, out) {
				t.Errorf("round trip\nin  %#v\nout %#v", in, out)
			}
			if out.Scheme.SchemeType() == "" {
				t.Error("empty scheme type")
			}
		})
	}
}

func TestAuthSchemeConfigValidationMessages(t *testing.T) {
	in := `{"id":"01A","description":"","schemeType":"none",
		"validationMessages":[{"text":"t","severity":"warning","detail":["a","b"]},{"text":"u","severity":"error"}]}`
	var c AuthSchemeConfig
	if err := json.Unmarshal([]byte(in), &c); err != nil {
		t.Fatal(err)
	}
	want := []Message{{Text: "t", Severity: SeverityWarning, Detail: []string{"a", "b"}}, {Text: "u", Severity: SeverityError}}
	if !reflect.DeepEqual(c.ValidationMessages, want) {
		t.Errorf("got %#v", c.ValidationMessages)
	}
	jsonEq(t, in, mustMarshal(t, c))
	c.ValidationMessages = nil
	if bytes.Contains(mustMarshal(t, c), []byte("validationMessages")) {
		t.Error("empty validationMessages must be omitted")
	}
	_ = SeverityInfo
}

func TestAuthSchemeConfigUnknownSchemeKeepsRawJSON(t *testing.T) {
	in := `{"id":"01A","description":"d","schemeType":"aws-sigv4","region":"eu-west-2","service":"s3","opts":{"x":[1,2]}}`
	var c AuthSchemeConfig
	if err := json.Unmarshal([]byte(in), &c); err != nil {
		t.Fatal(err)
	}
	u, ok := c.Scheme.(UnknownScheme)
	if !ok || u.Type != "aws-sigv4" || c.ID != "01A" || c.Description != "d" {
		t.Fatalf("got %#v", c)
	}
	if !bytes.Equal(u.Raw, []byte(in)) {
		t.Errorf("raw %s", u.Raw)
	}
	jsonEq(t, in, mustMarshal(t, c))

	// Without Raw, an unknown scheme still sends the common fields and its type.
	jsonEq(t, `{"id":"01B","description":"","schemeType":"later"}`,
		mustMarshal(t, AuthSchemeConfig{ID: "01B", Scheme: UnknownScheme{Type: "later"}}))
	if _, err := json.Marshal(AuthSchemeConfig{Scheme: UnknownScheme{Raw: json.RawMessage(`[1]`)}}); err == nil {
		t.Error("a non-object raw scheme must not encode")
	}
}

func TestAuthSchemeConfigMintsULID(t *testing.T) {
	var got struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(mustMarshal(t, AuthSchemeConfig{Scheme: NoneScheme{}}), &got); err != nil {
		t.Fatal(err)
	}
	if _, err := ulid.ParseStrict(got.ID); err != nil {
		t.Errorf("minted id %q is not a ULID: %v", got.ID, err)
	}
	if err := json.Unmarshal(mustMarshal(t, AuthSchemeConfig{ID: "01GIVEN", Scheme: NoneScheme{}}), &got); err != nil || got.ID != "01GIVEN" {
		t.Errorf("given id not kept: %q %v", got.ID, err)
	}
	if _, err := json.Marshal(AuthSchemeConfig{ID: "x"}); err == nil {
		t.Error("a config without a scheme must not encode")
	}
}

func TestMalformedDataIsAnError(t *testing.T) {
	const secret = "987654321"
	cases := []struct {
		name, json string
	}{
		{"string value is a number", `{"type":"string","data":{"value":987654321}}`},
		{"string data is a string", `{"type":"string","data":"987654321"}`},
		{"binary invalid base64", `{"type":"binary","data":{"valueBase64":"987654321!"}}`},
		{"basic-auth password is an object", `{"type":"basic-auth","data":{"username":"u","password":{"p":987654321}}}`},
		{"oauth2-client scopes not an array", `{"type":"oauth2-client","data":{"scopes":"a"}}`},
		{"oauth2-token bad expiresAt", `{"type":"oauth2-token","data":{"scopes":[],"refreshToken":"x","expiresAt":"soon"}}`},
		{"oauth2-token refreshToken a number", `{"type":"oauth2-token","data":{"scopes":[],"refreshToken":987654321}}`},
		{"jwt-bearer invalid base64", `{"type":"jwt-bearer","data":{"secret":"%%%"}}`},
		{"jwt-bearer invalid duration", `{"type":"jwt-bearer","data":{"secret":"","expiresIn":"a day"}}`},
		{"jwt-bearer empty duration", `{"type":"jwt-bearer","data":{"secret":"","expiresIn":""}}`},
		{"custom-function not an object", `{"type":"custom-function","data":[987654321]}`},
		{"none is an array", `{"type":"none","data":[]}`},
		{"type is a number", `{"type":1,"data":{}}`},
		{"errors not an array", `{"type":"none","data":{},"errors":"e"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c Credential
			err := json.Unmarshal([]byte(tc.json), &c)
			if err == nil {
				t.Fatalf("no error; got %#v", c)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error quotes the data: %v", err)
			}
			var s CredentialSpec
			if err := json.Unmarshal([]byte(tc.json), &s); err == nil && !strings.Contains(tc.name, "errors") {
				t.Errorf("CredentialSpec: no error")
			}
		})
	}

	schemes := []struct {
		name, json string
	}{
		{"api-key name is a number", `{"id":"a","description":"","schemeType":"api-key","name":987654321,"in":"header"}`},
		{"hmac digestInputs not an array", `{"id":"a","description":"","schemeType":"hmac","digestInputs":"body"}`},
		{"oauth2 grant not an object", `{"id":"a","description":"","schemeType":"oauth2","grant":"987654321"}`},
		{"oauth2 client secret a number", `{"id":"a","description":"","schemeType":"oauth2","grant":{"grantType":"password","clientSecret":987654321}}`},
		{"oauth2 scopes of strings", `{"id":"a","description":"","schemeType":"oauth2","scopes":["read"],"grant":{"grantType":"client_credentials"}}`},
		{"schemeType a number", `{"id":"a","description":"","schemeType":7}`},
		{"not an object", `[1]`},
	}
	for _, tc := range schemes {
		t.Run(tc.name, func(t *testing.T) {
			var c AuthSchemeConfig
			err := json.Unmarshal([]byte(tc.json), &c)
			if err == nil {
				t.Fatalf("no error; got %#v", c)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error quotes the data: %v", err)
			}
		})
	}
}

func TestNullAndAbsentData(t *testing.T) {
	cases := []struct {
		json string
		want CredentialData
	}{
		{`{"type":"string"}`, StringCredential{}},
		{`{"type":"string","data":null}`, StringCredential{}},
		{`{"type":"custom-function","data":null}`, CustomFunctionCredential{}},
		{`{"type":"later"}`, UnknownCredentialData{Type: "later"}},
		{`{}`, nil},
	}
	for _, tc := range cases {
		var c Credential
		if err := json.Unmarshal([]byte(tc.json), &c); err != nil {
			t.Fatalf("%s: %v", tc.json, err)
		}
		if !reflect.DeepEqual(c.Data, tc.want) {
			t.Errorf("%s: got %#v, want %#v", tc.json, c.Data, tc.want)
		}
	}
	var c Credential
	if err := json.Unmarshal([]byte(`null`), &c); err != nil || !reflect.DeepEqual(c, Credential{}) {
		t.Errorf("null: %v %#v", err, c)
	}
}

func TestValidate(t *testing.T) {
	good := ConnectionCredentialCreate{
		AuthSchemeConfig: AuthSchemeConfig{Scheme: APIKeyScheme{Name: "k", In: InHeader}},
		Credential:       NewCredential("n", StringCredential{Value: "v"}),
	}
	with := func(f func(*ConnectionCredentialCreate)) ConnectionCredentialCreate {
		c := good
		f(&c)
		return c
	}
	const base = "primaryConnection.credentials"
	cases := []struct {
		name      string
		in        ConnectionCredentialsCreate
		field     string // "" when valid
		reasonHas string
	}{
		{"empty is valid", ConnectionCredentialsCreate{}, "", ""},
		{"valid", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{good}, Trigger: []ConnectionCredentialCreate{good}}, "", ""},
		{"valid ref", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.Credential = ExistingCredential("01C")
		})}}, "", ""},
		{"valid oauth2", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.AuthSchemeConfig.Scheme = OAuth2Scheme{Grant: ClientCredentialsGrant{}}
		})}}, "", ""},
		{"credential nil", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{good, with(func(c *ConnectionCredentialCreate) {
			c.Credential = nil
		})}}, base + ".action[1].credential", "is required"},
		{"credential nil pointer", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.Credential = (*CredentialSpec)(nil)
		})}}, base + ".action[0].credential", "is required"},
		{"name empty", ConnectionCredentialsCreate{Trigger: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.Credential = NewCredential("", StringCredential{})
		})}}, base + ".trigger[0].credential.name", "is required"},
		{"data nil", ConnectionCredentialsCreate{Trigger: []ConnectionCredentialCreate{good, good, with(func(c *ConnectionCredentialCreate) {
			c.Credential = NewCredential("n", nil)
		})}}, base + ".trigger[2].credential.data", "is required"},
		{"data nil pointer", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.Credential = &CredentialSpec{Name: "n", Data: (*StringCredential)(nil)}
		})}}, base + ".action[0].credential.data", "is required"},
		{"ref id empty", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.Credential = ExistingCredential("")
		})}}, base + ".action[0].credential.id", "is required"},
		{"scheme nil", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.AuthSchemeConfig.Scheme = nil
		})}}, base + ".action[0].authSchemeConfig", "scheme is required"},
		{"oauth2 grant nil", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.AuthSchemeConfig.Scheme = OAuth2Scheme{}
		})}}, base + ".action[0].authSchemeConfig.grant", "is required"},
		{"oauth2 pointer grant nil", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.AuthSchemeConfig.Scheme = &OAuth2Scheme{}
		})}}, base + ".action[0].authSchemeConfig.grant", "is required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.validate(base)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrValidation) {
				t.Fatalf("got %v, want a *ValidationError", err)
			}
			if ve.Field != tc.field || !strings.Contains(ve.Reason, tc.reasonHas) {
				t.Errorf("got field %q reason %q, want %q %q", ve.Field, ve.Reason, tc.field, tc.reasonHas)
			}
		})
	}
}

func TestSecretsNeverPrintedOrLogged(t *testing.T) {
	var secrets []string
	n := 0
	s := func() string {
		n++
		v := fmt.Sprintf("s3cr3t-%02d-zq", n)
		secrets = append(secrets, v)
		return v
	}
	b := func() []byte { return []byte(s()) }
	raw := func() json.RawMessage { return json.RawMessage(`{"k":"` + s() + `"}`) }

	data := []CredentialData{
		StringCredential{Value: s()},
		BinaryCredential{Value: b()},
		BasicAuthCredential{Username: "u", Password: s()},
		OAuth2ClientCredential{ClientID: "cid", ClientSecret: s(), TokenURL: "https://t"},
		OAuth2CodeCredential{Code: s(), State: "state"},
		OAuth2PasswordCredential{Username: "u", Password: s()},
		OAuth2TokenCredential{AccessToken: s(), RefreshToken: s(), ExpiresAt: t0},
		CertificateCredential{Certificate: "cert", Key: s(), CA: "ca"},
		JWTBearerCredential{Algorithm: JWTAlgorithmHS256, Secret: b(), ExpiresIn: time.Hour},
		CustomFunctionCredential{Data: raw()},
		UnknownCredentialData{Type: "future", Raw: raw()},
	}
	dataSecrets := len(secrets)
	grants := []OAuth2Grant{
		AuthorizationCodeGrant{ClientID: "cid", ClientSecret: s()},
		PasswordGrant{ClientID: "cid", ClientSecret: s()},
		UnknownGrant{Type: "device", Raw: raw()},
	}
	var schemes []AuthScheme
	for _, g := range grants {
		schemes = append(schemes, OAuth2Scheme{TokenURL: "https://t", Grant: g}, &OAuth2Scheme{Grant: g})
	}
	schemes = append(schemes, UnknownScheme{Type: "future", Raw: raw()})

	var values []any
	var creates []ConnectionCredentialCreate
	var reads []ConnectionCredential
	for i, d := range data {
		spec := NewCredential("name", d)
		cred := Credential{ID: "id", Type: d.CredentialType(), Name: "name", Data: d}
		asc := AuthSchemeConfig{ID: "01A", Scheme: schemes[i%len(schemes)]}
		cc := ConnectionCredentialCreate{AuthSchemeConfig: asc, Credential: spec}
		rc := ConnectionCredential{ID: "cc", AuthSchemeConfig: asc, Credential: cred}
		creates = append(creates, cc)
		reads = append(reads, rc)
		values = append(values, d, spec, &spec, cred, &cred, cc, rc)
	}
	for _, g := range grants {
		values = append(values, g)
	}
	for _, sc := range schemes {
		values = append(values, sc, AuthSchemeConfig{Scheme: sc})
	}
	values = append(values,
		ConnectionCredentialsCreate{Action: creates, Trigger: creates[:2]},
		&ConnectionCredentialsCreate{Action: creates},
		ConnectionCredentials{Action: reads, Trigger: reads[3:]},
		&ConnectionCredentials{Trigger: reads},
	)

	forms := func(sec string) []string {
		return []string{sec, base64.StdEncoding.EncodeToString([]byte(sec)), hex.EncodeToString([]byte(sec)),
			strings.TrimRight(base64.StdEncoding.EncodeToString([]byte(sec)), "=")}
	}
	check := func(what, out string) {
		t.Helper()
		for _, sec := range secrets {
			for _, f := range forms(sec) {
				if strings.Contains(out, f) {
					t.Errorf("%s leaks %q:\n%s", what, f, out)
					return
				}
			}
		}
	}

	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
			check(fmt.Sprintf("%s of %T", verb, v), fmt.Sprintf(verb, v))
		}
		check(fmt.Sprintf("Sprint of %T", v), fmt.Sprint(v)+fmt.Sprintln(v))
	}
	// Inside other values too: a slice, a map and an anonymous struct.
	check("slice", fmt.Sprintf("%+v %#v", values, values))
	check("map", fmt.Sprintf("%v %#v", map[string]any{"v": values}, map[string]any{"v": values}))
	check("struct", fmt.Sprintf("%+v", struct{ V []any }{values}))

	var logs bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&logs, nil), slog.NewJSONHandler(&logs, nil)} {
		l := slog.New(h)
		for _, v := range values {
			l.Info("value", "v", v, slog.Any("any", v), slog.Group("g", "v", v))
		}
	}
	check("slog", logs.String())
	if !strings.Contains(logs.String(), "[REDACTED]") {
		t.Error("slog output lacks the mask")
	}

	// The wire format, by contrast, carries every secret: that is how they are sent.
	wire := string(mustMarshal(t, ConnectionCredentialsCreate{Action: creates}))
	for _, sec := range secrets[:dataSecrets] {
		if !strings.Contains(wire, sec) && !strings.Contains(wire, base64.StdEncoding.EncodeToString([]byte(sec))) {
			t.Errorf("wire JSON lacks secret %q", sec)
		}
	}
}

func TestPrintedValuesStayUseful(t *testing.T) {
	got := fmt.Sprintf("%+v", NewCredential("shopify key", BasicAuthCredential{Username: "alice", Password: "pw"}))
	if !strings.Contains(got, "shopify key") || !strings.Contains(got, "alice") || !strings.Contains(got, "[REDACTED]") {
		t.Errorf("got %s", got)
	}
}
