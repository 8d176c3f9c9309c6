package versori

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/oklog/ulid/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// apiCredential is a credential as the API sends it, with data.
func apiCredential(typ CredentialType, data string) string {
	return fmt.Sprintf(`{"id":"01JAAAAAAAAAAAAAAAAAAAAAAA","organisationId":"01JBBBBBBBBBBBBBBBBBBBBBBB",
		"type":%q,"name":"n","data":%s,"expiresAt":"2025-09-01T00:00:00Z"}`, typ, data)
}

// TestCredentialRoundTrip: the API's JSON of every credential type decodes
// to its variant, and encodes back, with the wire options, to the same JSON.
func TestCredentialRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tc := range credentialDataCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.JSONEq(t, tc.wire, string(wireJSON(t, credentialDataWire(tc.data))), "data alone")

			in := apiCredential(tc.typ, tc.wire)
			var c Credential
			require.NoError(t, json.Unmarshal([]byte(in), &c))
			want := Credential{ID: "01JAAAAAAAAAAAAAAAAAAAAAAA", OrganisationID: "01JBBBBBBBBBBBBBBBBBBBBBBB",
				Type: tc.typ, Name: "n", Data: tc.data, ExpiresAt: unionT1}
			assert.Equal(t, want, c)
			assert.Equal(t, tc.typ, CredentialTypeOf(c.Data))
			assert.JSONEq(t, in, string(wireJSON(t, c)), "decode then encode")
		})
	}
}

// TestCredentialTypesDecodeToTheirVariant: every type the API has decodes
// to its own variant, never to UnknownCredential, and each variant is sent
// as its type.
func TestCredentialTypesDecodeToTheirVariant(t *testing.T) {
	t.Parallel()
	seen := map[reflect.Type]CredentialType{}
	for _, ct := range knownCredentialTypes {
		d, err := decodeCredentialData(ct, jsontext.Value(`{}`), nil)
		require.NoError(t, err, ct)
		if _, unknown := d.(UnknownCredential); unknown {
			t.Errorf("%s decoded as unknown", ct)
		}
		assert.Equal(t, ct, CredentialTypeOf(d))
		if prev, dup := seen[reflect.TypeOf(d)]; dup {
			t.Errorf("%s and %s decode to the same %T", prev, ct, d)
		}
		seen[reflect.TypeOf(d)] = ct
	}
}

// TestCredentialUnknownTypeKeepsRawJSON: data of a type this SDK does not
// know keeps its JSON as received, and is sent back as the same JSON value,
// its numbers as written (compacted: white space and escapes, which JSON
// does not distinguish, are normalised on the way out).
func TestCredentialUnknownTypeKeepsRawJSON(t *testing.T) {
	t.Parallel()
	const data = `{"publicKey" : "pk", "nested":{"a":[true,null,1.5e3, -0, 1e400, 12345678901234567890123]},"s":"\u00e9<>"}`
	const compact = `{"publicKey":"pk","nested":{"a":[true,null,1.5e3,-0,1e400,12345678901234567890123]},"s":"é<>"}`
	in := `{"id":"i","organisationId":"o","type":"passkey","name":"n","data":` + data + `,"errors":[]}`
	var c Credential
	require.NoError(t, json.Unmarshal([]byte(in), &c))
	u, ok := c.Data.(UnknownCredential)
	require.True(t, ok, "got %T", c.Data)
	assert.Equal(t, CredentialType("passkey"), u.Type)
	assert.Equal(t, CredentialType("passkey"), c.Type)
	assert.Equal(t, data, string(u.Raw.Reveal()), "raw kept byte for byte")
	assert.NotNil(t, c.Errors, `"errors":[] decodes as empty, not nil`)

	out := wireJSON(t, c)
	assert.Equal(t, `{"id":"i","organisationId":"o","type":"passkey","name":"n","errors":[],"data":`+compact+`}`, string(out))

	// From then on it is stable: decoding what was sent and sending it again
	// gives the same bytes.
	var again Credential
	require.NoError(t, json.Unmarshal(out, &again))
	assert.Equal(t, compact, string(again.Data.(UnknownCredential).Raw.Reveal()))
	assert.Equal(t, string(out), string(wireJSON(t, again)))

	// A CredentialSpec of unknown data sends the raw data and its type.
	spec := wireJSON(t, NewCredential("n", u))
	assert.Equal(t, `{"name":"n","type":"passkey","data":`+compact+`}`, string(spec))
}

func TestCredentialNullAndAbsentData(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		json string
		want CredentialData
	}{
		{`{"type":"string"}`, StringCredential{}},
		{`{"type":"string","data":null}`, StringCredential{}},
		{`{"type":"none","data":null}`, NoneCredential{}},
		{`{"type":"custom-function"}`, CustomFunctionCredential{}},
		{`{"type":"later"}`, UnknownCredential{Type: "later"}},
		{`{"type":"later","data":null}`, UnknownCredential{Type: "later", Raw: NewSecretJSON([]byte("null"))}},
		{`{}`, UnknownCredential{}},
	} {
		var c Credential
		require.NoError(t, json.Unmarshal([]byte(tc.json), &c), tc.json)
		assert.Equal(t, tc.want, c.Data, tc.json)
	}
}

func TestCredentialOAuth2CodeReadsBackAsToken(t *testing.T) {
	t.Parallel()
	var c Credential
	require.NoError(t, json.Unmarshal([]byte(`{"id":"i","organisationId":"o","type":"oauth2-token","name":"n",
		"data":{"scopes":["read"],"refreshToken":""}}`), &c))
	assert.Equal(t, OAuth2TokenCredential{Scopes: []string{"read"}}, c.Data)
	assert.Equal(t, CredentialTypeOAuth2Token, c.Type)
}

// TestCredentialListsKeepAbsentVersusEmpty: usages and errors tell "not
// loaded" (absent, nil) from "none" (empty).
func TestCredentialListsKeepAbsentVersusEmpty(t *testing.T) {
	t.Parallel()
	usage := CredentialUsage{Connection: CredentialUsageConnection{
		ID: "c1", Name: "conn", CreatedAt: unionT0, UpdatedAt: unionT1,
		Connector: ConnectorSummary{ID: "k1", OrganisationID: "o1", Name: "Shopify", Protocol: "http", CreatedAt: unionT0, UpdatedAt: unionT1},
	}}
	for _, tc := range []struct {
		name string
		in   Credential
		wire string
	}{
		{"absent", Credential{ID: "i", OrganisationID: "o", Type: "none", Name: "n", Data: NoneCredential{}},
			`{"id":"i","organisationId":"o","type":"none","name":"n","data":{}}`},
		{"empty", Credential{ID: "i", OrganisationID: "o", Type: "none", Name: "n", Data: NoneCredential{}, Usages: []CredentialUsage{}, Errors: []string{}},
			`{"id":"i","organisationId":"o","type":"none","name":"n","data":{},"usages":[],"errors":[]}`},
		{"set", Credential{ID: "i", OrganisationID: "o", Type: "none", Name: "n", Data: NoneCredential{}, Usages: []CredentialUsage{usage}, Errors: []string{"expired"}},
			`{"id":"i","organisationId":"o","type":"none","name":"n","data":{},"errors":["expired"],"usages":[{"connection":{
			"id":"c1","name":"conn","createdAt":"2025-08-29T10:11:12Z","updatedAt":"2025-09-01T00:00:00Z",
			"connector":{"id":"k1","organisationId":"o1","name":"Shopify","protocol":"http",
			"createdAt":"2025-08-29T10:11:12Z","updatedAt":"2025-09-01T00:00:00Z"}}}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out Credential
			require.NoError(t, json.Unmarshal([]byte(tc.wire), &out))
			assert.Equal(t, tc.in, out)
			assert.JSONEq(t, tc.wire, string(wireJSON(t, out)))
		})
	}
}

// TestCredentialMalformedDataIsAnError: data that does not have its type's
// shape is refused, and the error does not quote it.
func TestCredentialMalformedDataIsAnError(t *testing.T) {
	t.Parallel()
	assertMalformedRefused[Credential](t, "987654321", []malformed{
		{"string value is a number", `{"type":"string","data":{"value":987654321}}`},
		{"string data is a string", `{"type":"string","data":"987654321"}`},
		{"string data is an array", `{"type":"string","data":["987654321"]}`},
		{"basic-auth password is an object", `{"type":"basic-auth","data":{"username":"u","password":{"p":987654321}}}`},
		{"oauth2-client scopes not an array", `{"type":"oauth2-client","data":{"scopes":"987654321"}}`},
		{"oauth2-token refreshToken a number", `{"type":"oauth2-token","data":{"scopes":[],"refreshToken":987654321}}`},
		{"jwt-bearer secret a bool", `{"type":"jwt-bearer","data":{"secret":true}}`},
		{"custom-function not an object", `{"type":"custom-function","data":[987654321]}`},
		{"custom-function a string", `{"type":"custom-function","data":"987654321"}`},
		{"none is an array", `{"type":"none","data":[987654321]}`},
		{"type is a number", `{"type":987654321,"data":{}}`},
		{"errors not an array", `{"type":"none","data":{},"errors":"987654321"}`},
		{"truncated", `{"type":"string","data":{"value":"987654321`},
	})
}

// TestCredentialSpecDerivesType: a credential to create is sent with the
// type of its data, whatever form the data takes.
func TestCredentialSpecDerivesType(t *testing.T) {
	t.Parallel()
	for _, tc := range credentialDataCases {
		t.Run(tc.name, func(t *testing.T) {
			want := fmt.Sprintf(`{"name":"n","type":%q,"data":%s}`, tc.typ, tc.wire)
			spec := NewCredential("n", tc.data)
			assert.JSONEq(t, want, string(wireJSON(t, spec)))
			assert.JSONEq(t, want, string(wireJSON(t, &spec)), "a *CredentialSpec")

			// A pointer to the variant encodes like the value.
			ptr := reflect.New(reflect.TypeOf(tc.data))
			ptr.Elem().Set(reflect.ValueOf(tc.data))
			pspec := NewCredential("n", ptr.Interface().(CredentialData))
			assert.Equal(t, string(wireJSON(t, spec)), string(wireJSON(t, pspec)), "&%T", tc.data)
			assert.Equal(t, tc.typ, CredentialTypeOf(pspec.Data))

			// Within a Credential too.
			c := Credential{ID: "i", Name: "n", Data: ptr.Interface().(CredentialData)}
			assert.Equal(t, string(wireJSON(t, Credential{ID: "i", Name: "n", Type: tc.typ, Data: tc.data})), string(wireJSON(t, c)))
		})
	}
	assert.Equal(t, `{"id":"01JCRED"}`, string(wireJSON(t, ExistingCredential("01JCRED"))))

	// The helpers build the types they name.
	for _, tc := range []struct {
		spec CredentialSpec
		want string
	}{
		{APIKey("k", "v"), `{"name":"k","type":"string","data":{"value":"v"}}`},
		{BasicAuth("b", "u", "p"), `{"name":"b","type":"basic-auth","data":{"username":"u","password":"p"}}`},
		{OAuth2ClientCredentials("c", "id", "s", "https://t", "a", "b"),
			`{"name":"c","type":"oauth2-client","data":{"clientId":"id","clientSecret":"s","authorizeUrl":"","tokenUrl":"https://t","scopes":["a","b"]}}`},
		{OAuth2Token("o", "r"), `{"name":"o","type":"oauth2-token","data":{"scopes":[],"refreshToken":"r"}}`},
	} {
		assert.JSONEq(t, tc.want, string(wireJSON(t, tc.spec)))
	}
}

// TestCredentialTypedNilData: a nil or typed-nil variant never panics, in
// encoding, printing, CredentialTypeOf or validation.
func TestCredentialTypedNilData(t *testing.T) {
	t.Parallel()
	nils := []CredentialData{nil}
	for _, tc := range credentialDataCases {
		nils = append(nils, reflect.Zero(reflect.PointerTo(reflect.TypeOf(tc.data))).Interface().(CredentialData))
	}
	for _, d := range nils {
		t.Run(fmt.Sprintf("%T", d), func(t *testing.T) {
			assert.NotPanics(t, func() { _ = CredentialTypeOf(d) })
			assert.Equal(t, `{"name":"n"}`, string(wireJSON(t, NewCredential("n", d))))
			var c Credential
			assert.NotPanics(t, func() { c = Credential{ID: "i", Type: "string", Name: "n", Data: d} })
			assert.JSONEq(t, `{"id":"i","organisationId":"","type":"string","name":"n","data":{}}`, string(wireJSON(t, c)))
			assert.NotPanics(t, func() { _ = fmt.Sprintf("%v %+v %#v", c, NewCredential("n", d), d) })
			err := ConnectionCredentialCreate{
				AuthSchemeConfig: AuthSchemeConfig{Scheme: NoneScheme{}},
				Credential:       NewCredential("n", d),
			}.validate("c")
			assertField(t, err, "c.credential.data", "is required")
			for _, s := range []AuthScheme{nil, NoneScheme{}, UnknownScheme{Type: "x"}, OAuth2Scheme{}} {
				assert.NotPanics(t, func() { _ = fits(s, d) }, "fits(%#v, %#v)", s, d)
			}
		})
	}
}

// assertField fails unless err is a *ValidationError for field whose reason
// contains reason.
func assertField(t *testing.T, err error, field, reason string) {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("got %v; want a *ValidationError for %s", err, field)
		return
	}
	assert.ErrorIs(t, err, ErrValidation)
	assert.ErrorIs(t, err, ErrNotSent)
	assert.Equal(t, field, ve.Field, "field (reason %q)", ve.Reason)
	assert.Contains(t, ve.Reason, reason)
}

func TestConnectionCredentialCreateEncoding(t *testing.T) {
	t.Parallel()
	apiKey := ConnectionCredentialCreate{
		AuthSchemeConfig: AuthSchemeConfig{ID: "01A", Scheme: APIKeyScheme{Name: "X-API-Key", In: InHeader}},
		Credential:       NewCredential("key", StringCredential{Value: NewSecret("v")}),
	}
	const apiKeyWire = `{"authSchemeConfig":{"id":"01A","description":"","schemeType":"api-key","name":"X-API-Key","in":"header"},
		"credential":{"name":"key","type":"string","data":{"value":"v"}}}`
	ref := ConnectionCredentialCreate{
		AuthSchemeConfig: AuthSchemeConfig{ID: "01B", Description: "d", Scheme: BasicAuthScheme{}},
		Credential:       ExistingCredential("01CRED"),
	}
	const refWire = `{"authSchemeConfig":{"id":"01B","description":"d","schemeType":"basic-auth"},"credential":{"id":"01CRED"}}`
	unknown := ConnectionCredentialCreate{
		AuthSchemeConfig: AuthSchemeConfig{ID: "01C", Scheme: NoneScheme{}},
		Credential:       NewCredential("x", UnknownCredential{Type: "future", Raw: NewSecretJSON([]byte(`{"a":1}`))}),
	}
	const unknownWire = `{"authSchemeConfig":{"id":"01C","description":"","schemeType":"none"},"credential":{"name":"x","type":"future","data":{"a":1}}}`

	assert.JSONEq(t, apiKeyWire, string(wireJSON(t, apiKey)))
	assert.JSONEq(t, refWire, string(wireJSON(t, ref)))
	assert.JSONEq(t, unknownWire, string(wireJSON(t, unknown)))
	assert.JSONEq(t, `{"action":[`+apiKeyWire+`,`+unknownWire+`],"trigger":[`+refWire+`]}`,
		string(wireJSON(t, ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{apiKey, unknown}, Trigger: []ConnectionCredentialCreate{ref}})))
	assert.JSONEq(t, `{"action":[`+apiKeyWire+`]}`,
		string(wireJSON(t, ActionCredential(apiKey.AuthSchemeConfig, apiKey.Credential))), "ActionCredential; no triggers, none sent")
}

// TestConnectionCredentialsRoundTrip: a connection's credentials, as the API
// sends them, decode and encode back to the same JSON.
func TestConnectionCredentialsRoundTrip(t *testing.T) {
	t.Parallel()
	const wire = `{"action":[{"id":"01CC","authSchemeConfig":{"id":"01A","description":"","schemeType":"api-key","name":"key","in":"query"},
		"credential":{"id":"01C","organisationId":"01O","type":"string","name":"n","data":{"value":""}}},
		{"id":"01CD","authSchemeConfig":{"id":"01B","description":"","schemeType":"oauth2","authorizeUrl":"https://a","tokenUrl":"https://t",
		"scopes":[],"defaultScopes":[],"grant":{"grantType":"authorization_code"}},
		"credential":{"id":"01D","organisationId":"01O","type":"oauth2-token","name":"n","data":{"scopes":["a"],"refreshToken":""}}}],"trigger":[]}`
	var cc ConnectionCredentials
	require.NoError(t, json.Unmarshal([]byte(wire), &cc))
	require.Len(t, cc.Action, 2)
	assert.Equal(t, StringCredential{}, cc.Action[0].Credential.Data)
	assert.Equal(t, APIKeyScheme{Name: "key", In: InQuery}, cc.Action[0].AuthSchemeConfig.Scheme)
	assert.Equal(t, AuthorizationCodeGrant{}, cc.Action[1].AuthSchemeConfig.Scheme.(OAuth2Scheme).Grant)
	assert.NotNil(t, cc.Trigger)
	assert.JSONEq(t, wire, string(wireJSON(t, cc)))
}

// TestConnectionCredentialsCreateValidate: what the API would refuse is
// refused before sending, naming the field.
func TestConnectionCredentialsCreateValidate(t *testing.T) {
	t.Parallel()
	good := ConnectionCredentialCreate{
		AuthSchemeConfig: AuthSchemeConfig{Scheme: APIKeyScheme{Name: "k", In: InHeader}},
		Credential:       NewCredential("n", StringCredential{Value: NewSecret("v")}),
	}
	with := func(f func(*ConnectionCredentialCreate)) ConnectionCredentialCreate {
		c := good
		f(&c)
		return c
	}
	const base = "primaryConnection.credentials"
	for _, tc := range []struct {
		name          string
		in            ConnectionCredentialsCreate
		field, reason string // "" when valid
	}{
		{"valid", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{good}, Trigger: []ConnectionCredentialCreate{good}}, "", ""},
		{"valid ref", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.Credential = ExistingCredential("01C")
		})}}, "", ""},
		{"valid oauth2", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.AuthSchemeConfig.Scheme = OAuth2Scheme{Grant: PasswordGrant{}}
			c.Credential = OAuth2Token("n", "r")
		})}}, "", ""},
		{"valid pointer data", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.Credential = NewCredential("n", &StringCredential{Value: NewSecret("v")})
		})}}, "", ""},
		{"empty", ConnectionCredentialsCreate{}, base, "holds no credential"},
		{"credential nil", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{good, with(func(c *ConnectionCredentialCreate) {
			c.Credential = nil
		})}}, base + ".action[1].credential", "is required"},
		{"credential nil pointer", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.Credential = (*CredentialSpec)(nil)
		})}}, base + ".action[0].credential", "is required"},
		{"name empty", ConnectionCredentialsCreate{Trigger: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.Credential = NewCredential(" ", StringCredential{Value: NewSecret("v")})
		})}}, base + ".trigger[0].credential.name", "is required"},
		{"data nil", ConnectionCredentialsCreate{Trigger: []ConnectionCredentialCreate{good, good, with(func(c *ConnectionCredentialCreate) {
			c.Credential = NewCredential("n", nil)
		})}}, base + ".trigger[2].credential.data", "is required"},
		{"required value empty", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.AuthSchemeConfig.Scheme = BasicAuthScheme{}
			c.Credential = BasicAuth("n", "u", "")
		})}}, base + ".action[0].credential.data.password", "is required"},
		{"data does not fit", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.Credential = BasicAuth("n", "u", "p")
		})}}, base + ".action[0].credential.data", "basic-auth credential, which does not fit the api-key auth scheme"},
		{"ref id empty", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.Credential = ExistingCredential("")
		})}}, base + ".action[0].credential.id", "is required"},
		{"scheme nil", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.AuthSchemeConfig.Scheme = nil
		})}}, base + ".action[0].authSchemeConfig.scheme", "is required"},
		{"scheme typed nil", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.AuthSchemeConfig.Scheme = (*APIKeyScheme)(nil)
		})}}, base + ".action[0].authSchemeConfig.scheme", "is required"},
		{"oauth2 grant nil", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.AuthSchemeConfig.Scheme = OAuth2Scheme{}
		})}}, base + ".action[0].authSchemeConfig.grant", "is required"},
		{"oauth2 grant typed nil", ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{with(func(c *ConnectionCredentialCreate) {
			c.AuthSchemeConfig.Scheme = OAuth2Scheme{Grant: (*PasswordGrant)(nil)}
		})}}, base + ".action[0].authSchemeConfig.grant", "is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.validate(base)
			if tc.field == "" {
				assert.NoError(t, err)
				return
			}
			assertField(t, err, tc.field, tc.reason)
		})
	}
}

// TestConnectionCredentialsCreateValidatePointers: pointers to the variants
// of every union are accepted as their values are.
func TestConnectionCredentialsCreateValidatePointers(t *testing.T) {
	t.Parallel()
	t.Run("pointer scheme without grant", func(t *testing.T) {
		err := ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{{
			AuthSchemeConfig: AuthSchemeConfig{Scheme: &OAuth2Scheme{}},
			Credential:       OAuth2Token("n", "r"),
		}}}.validate("c")
		assertField(t, err, "c.action[0].authSchemeConfig.grant", "is required")
	})
	t.Run("pointer credential", func(t *testing.T) {
		spec := APIKey("n", "v")
		ref := ExistingCredential("01C")
		for _, cred := range []CredentialCreate{&spec, &ref} {
			err := ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{{
				AuthSchemeConfig: AuthSchemeConfig{Scheme: APIKeyScheme{Name: "k", In: InHeader}},
				Credential:       cred,
			}}}.validate("c")
			assert.NoError(t, err, "%T", cred)
		}
	})
}

// TestConnectionCredentialsCreateWithIDs: the services mint an ID for each
// auth scheme config that has none, once, and leave set IDs and the
// caller's slices alone.
func TestConnectionCredentialsCreateWithIDs(t *testing.T) {
	t.Parallel()
	set := ConnectionCredentialCreate{AuthSchemeConfig: AuthSchemeConfig{ID: "01SET", Scheme: NoneScheme{}}, Credential: ExistingCredential("c")}
	unset := ConnectionCredentialCreate{AuthSchemeConfig: AuthSchemeConfig{Scheme: NoneScheme{}}, Credential: ExistingCredential("c")}

	in := ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{set, unset}, Trigger: []ConnectionCredentialCreate{unset}}
	out := in.withIDs()
	assert.Equal(t, "01SET", out.Action[0].AuthSchemeConfig.ID, "a set ID is kept")
	for _, id := range []string{out.Action[1].AuthSchemeConfig.ID, out.Trigger[0].AuthSchemeConfig.ID} {
		_, err := ulid.ParseStrict(id)
		assert.NoError(t, err, "minted %q", id)
	}
	assert.NotEqual(t, out.Action[1].AuthSchemeConfig.ID, out.Trigger[0].AuthSchemeConfig.ID, "IDs are unique")
	assert.Empty(t, in.Action[1].AuthSchemeConfig.ID, "the caller's slice is not written")
	assert.Empty(t, in.Trigger[0].AuthSchemeConfig.ID)

	// Minted once: encoding the result twice gives the same bytes, and
	// minting again keeps the IDs.
	assert.Equal(t, string(wireJSON(t, out)), string(wireJSON(t, out)))
	assert.Equal(t, out, out.withIDs())

	// All set: the same slices come back, nothing is copied.
	all := ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{set}, Trigger: []ConnectionCredentialCreate{set}}
	got := all.withIDs()
	assert.Same(t, &all.Action[0], &got.Action[0])
	assert.Same(t, &all.Trigger[0], &got.Trigger[0])
	assert.Equal(t, ConnectionCredentialsCreate{}, ConnectionCredentialsCreate{}.withIDs())
}

// TestCreateActivationParamsWithIDs: an activation's new connections get
// IDs as a connection's credentials do; existing ones are left alone.
func TestCreateActivationParamsWithIDs(t *testing.T) {
	t.Parallel()
	creds := ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{{
		AuthSchemeConfig: AuthSchemeConfig{Scheme: NoneScheme{}}, Credential: ExistingCredential("c"),
	}}}
	nc := NewConnection{TemplateID: "t", Name: "n", Credentials: creds}
	in := CreateActivationParams{User: ExternalUser("u"), IntegrationID: "i",
		Connections: []ActivationConnection{nc, &nc, ExistingConnection{TemplateID: "t", ConnectionID: "c"}}}
	out := in.withIDs()
	for i := range 2 {
		got, ok := out.Connections[i].(NewConnection)
		require.True(t, ok, "%T", out.Connections[i])
		assert.NotEmpty(t, got.Credentials.Action[0].AuthSchemeConfig.ID)
	}
	assert.Equal(t, in.Connections[2], out.Connections[2])
	assert.Empty(t, nc.Credentials.Action[0].AuthSchemeConfig.ID, "the caller's connection is not written")
	assert.Empty(t, in.Connections[0].(NewConnection).Credentials.Action[0].AuthSchemeConfig.ID)
	b1, b2 := wireJSON(t, out), wireJSON(t, out)
	assert.Equal(t, string(b1), string(b2))
	assert.True(t, bytes.Contains(b1, []byte(`"variables":[]`)))
	assert.True(t, strings.Contains(string(b1), `"userId":"u"`))
}

// TestEmptyRequiredListsAreSentAsArrays: lists the API requires are sent
// as [] when empty, never null or absent.
func TestEmptyRequiredListsAreSentAsArrays(t *testing.T) {
	t.Parallel()
	assert.JSONEq(t, `{"scopes":[],"refreshToken":"r"}`, string(wireJSON(t, OAuth2TokenCredential{RefreshToken: NewSecret("r")})))
	assert.JSONEq(t, `{"id":"x","description":"","schemeType":"oauth2","authorizeUrl":"","tokenUrl":"","scopes":[],"defaultScopes":[],
		"grant":{"grantType":"client_credentials"}}`, string(wireJSON(t, AuthSchemeConfig{ID: "x", Scheme: OAuth2Scheme{Grant: ClientCredentialsGrant{}}})))
	assert.JSONEq(t, `{"id":"x","description":"","schemeType":"hmac","name":"","in":"","algorithm":"","digestInputs":[]}`,
		string(wireJSON(t, AuthSchemeConfig{ID: "x", Scheme: HMACScheme{}})))
	assert.JSONEq(t, `{}`, string(wireJSON(t, CustomFunctionCredential{})))
	assert.JSONEq(t, `{}`, string(wireJSON(t, ConnectionCredentialsCreate{})), "neither list is required")
	assert.Contains(t, string(wireJSON(t, ConnectionCreate{Name: "n"})), `"variables":[]`)
	assert.Contains(t, string(wireJSON(t, NewConnection{Name: "n"})), `"variables":[]`)
}

// TestPrintedCredentialsStayUseful: redaction hides the secret only.
func TestPrintedCredentialsStayUseful(t *testing.T) {
	t.Parallel()
	got := fmt.Sprintf("%+v", NewCredential("shopify key", BasicAuthCredential{Username: "alice", Password: NewSecret("pw-9f8e")}))
	assert.Contains(t, got, "shopify key")
	assert.Contains(t, got, "alice")
	assert.Contains(t, got, "[REDACTED]")
	assert.NotContains(t, got, "pw-9f8e")
}
