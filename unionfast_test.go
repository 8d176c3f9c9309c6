package versori

// The one-pass AuthSchemeConfig codecs must behave exactly as the two-pass
// ones they short-cut; these tests keep the two-pass versions as references.

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// twoPassUnmarshal is AuthSchemeConfig.UnmarshalJSON before the one-pass
// path: the common fields, then the scheme's.
func twoPassUnmarshal(b []byte) (AuthSchemeConfig, error) {
	var base authSchemeConfigBase
	if err := json.Unmarshal(b, &base); err != nil {
		return AuthSchemeConfig{}, err
	}
	var scheme AuthScheme
	var err error
	switch base.SchemeType {
	case "api-key":
		var s APIKeyScheme
		err = json.Unmarshal(b, &s)
		scheme = s
	case "hmac":
		var s HMACScheme
		err = json.Unmarshal(b, &s)
		scheme = s
	case "none":
		scheme = NoneScheme{}
	case "basic-auth":
		scheme = BasicAuthScheme{}
	case "certificate":
		scheme = CertificateScheme{}
	case "oauth2":
		var s OAuth2Scheme
		err = json.Unmarshal(b, &s)
		scheme = s
	default:
		scheme = UnknownScheme{Type: base.SchemeType, Raw: bytes.Clone(b)}
	}
	if err != nil {
		return AuthSchemeConfig{}, decodeError(base.SchemeType+" auth scheme", err)
	}
	return AuthSchemeConfig{ID: base.ID, Description: base.Description, ValidationMessages: base.ValidationMessages, Scheme: scheme}, nil
}

func TestAuthSchemeConfigOnePassDecodeMatchesTwoPass(t *testing.T) {
	inputs := []string{
		`{"id":"01J","description":"d","schemeType":"api-key","name":"X-Key","in":"header"}`,
		`{"id":"01J","description":"d","schemeType":"api-key","name":"X-Key","in":"query","algorithm":"sha1","digestInputs":["url"],"extra":1}`,
		`{"id":"01J","description":"d","schemeType":"api-key","name":null,"in":null}`,
		`{"id":"01J","description":"d","schemeType":"api-key","NAME":"upper","Name":"mixed"}`,
		`{"id":"01J","description":"d","schemeType":"api-key","name":5}`,
		`{"id":"01J","description":"d","schemeType":"api-key","digestInputs":"not a list"}`,
		`{"id":"01J","description":"d","schemeType":"hmac","name":"X-Sig","in":"header","algorithm":"sha256","digestInputs":["body","url"]}`,
		`{"id":"01J","description":"d","schemeType":"hmac","digestInputs":null}`,
		`{"id":"01J","description":"d","schemeType":"hmac","digestInputs":[1]}`,
		`{"id":"01J","description":"d","validationMessages":[{"text":"t","severity":"warning","detail":["a"]}],"schemeType":"api-key","name":"n","in":"cookie"}`,
		`{"id":"01J","description":"d","validationMessages":"bad","schemeType":"api-key"}`,
		`{"id":"01J","description":"d","schemeType":"basic-auth","name":5}`,
		`{"id":"01J","description":"d","schemeType":"none"}`,
		`{"id":"01J","description":"d","schemeType":"oauth2","tokenUrl":"https://t","grant":{"grantType":"client_credentials"}}`,
		`{"id":"01J","description":"d","schemeType":"new-scheme","name":5}`,
		`{"id":7,"schemeType":"api-key"}`,
		`{"schemeType":"api-key","name":"a"`,
		`[]`,
	}
	for _, in := range inputs {
		var got AuthSchemeConfig
		gotErr := got.UnmarshalJSON([]byte(in))
		want, wantErr := twoPassUnmarshal([]byte(in))
		if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
			t.Errorf("%s: error %v, want %v", in, gotErr, wantErr)
			continue
		}
		if gotErr == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %#v\nwant %#v", in, got, want)
		}
	}
}

// twoPassMarshal is AuthSchemeConfig.MarshalJSON before the one-Marshal
// path, for a config with an ID and a known scheme.
func twoPassMarshal(c AuthSchemeConfig) ([]byte, error) {
	head, err := json.Marshal(authSchemeConfigBase{ID: c.ID, Description: c.Description, ValidationMessages: c.ValidationMessages, SchemeType: c.Scheme.SchemeType()})
	if err != nil {
		return nil, err
	}
	fields, err := json.Marshal(c.Scheme)
	if err != nil {
		return nil, err
	}
	return joinObjects(head, fields), nil
}

func TestAuthSchemeConfigOneMarshalMatchesTwo(t *testing.T) {
	msgs := []Message{{Text: "<b>&</b>", Severity: SeverityWarning, Detail: []string{"x"}}}
	for _, c := range []AuthSchemeConfig{
		{ID: "01J", Description: "d", Scheme: APIKeyScheme{Name: "X-Key", In: InHeader}},
		{ID: "01J", Description: "<d&>", ValidationMessages: msgs, Scheme: APIKeyScheme{Name: "a<b>", In: InQuery}},
		{ID: "01J", Scheme: APIKeyScheme{}},
		{ID: "01J", Description: "d", Scheme: NoneScheme{}},
		{ID: "01J", Description: "d", ValidationMessages: msgs, Scheme: BasicAuthScheme{}},
		{ID: "01J", Description: "d", Scheme: CertificateScheme{}},
	} {
		got, err := c.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		want, err := twoPassMarshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%T:\n got %s\nwant %s", c.Scheme, got, want)
		}
	}
}

// twoPassCredential is Credential.UnmarshalJSON before the one-pass path:
// the credential with its data raw, then the data by its type.
func twoPassCredential(b []byte) (Credential, error) {
	var w credentialWire
	if err := json.Unmarshal(b, &w); err != nil {
		return Credential{}, err
	}
	data, err := decodeCredentialData(w.Type, w.Data)
	if err != nil {
		return Credential{}, err
	}
	return Credential{ID: w.ID, OrganisationID: w.OrganisationID, Type: w.Type, Name: w.Name, Usages: w.Usages, Errors: w.Errors, Data: data, ExpiresAt: w.ExpiresAt}, nil
}

func TestCredentialOnePassDecodeMatchesTwoPass(t *testing.T) {
	const head = `{"id":"c1","organisationId":"o1","name":"n",`
	inputs := []string{
		head + `"type":"string","data":{"value":""}}`,
		head + `"type":"string","data":{"value":"v","Value":"w","username":"u"}}`,
		head + `"type":"string","data":null}`,
		head + `"type":"string"}`,
		head + `"type":"string","data":{"value":5}}`,
		head + `"type":"string","data":"text"}`,
		head + `"type":"string","data":{"password":5}}`,
		head + `"type":"basic-auth","data":{"username":"u","password":""}}`,
		head + `"type":"basic-auth","data":{"username":"u","value":5}}`,
		head + `"type":"basic-auth","data":[]}`,
		head + `"type":"none","data":{}}`,
		head + `"type":"none","data":{"value":1}}`,
		head + `"type":"none","data":5}`,
		head + `"type":"oauth2-token","data":{"scopes":["a"],"accessToken":"","refreshToken":""}}`,
		head + `"type":"binary","data":{"valueBase64":""}}`,
		head + `"type":"brand-new","data":{"value":"x"}}`,
		head + `"data":{"value":"x"}}`,
		head + `"type":"string","data":{"value":"v"},"usages":[{"connection":{"id":"k","name":"m","connector":{"id":"x","name":"y","protocol":"http","createdAt":"2025-01-02T03:04:05Z","updatedAt":"2025-01-02T03:04:05Z"},"createdAt":"2025-01-02T03:04:05Z","updatedAt":"2025-01-02T03:04:05Z"}}],"errors":[],"expiresAt":"2030-01-01T00:00:00Z"}`,
		head + `"type":"string","data":{"value":"v"},"usages":[],"errors":null}`,
		head + `"type":"string","data":{"value":"v"},"expiresAt":"not a time"}`,
		head + `"type":"string","data":{"value":"v"},"usages":5}`,
		head + `"type":7}`,
		// The same member twice: the last one wins, whole.
		head + `"type":"string","data":{"value":"a"},"data":{}}`,
		head + `"type":"basic-auth","data":{"username":"u","password":"p"},"Data":{"username":"v"}}`,
		head + `"type":"string","data":{"value":"a"},"\u0064ata":{}}`,
		head + `"type":"string","data":{"value":"data"}}`,
		`{"type":"string","data":{"value":"v"}`,
	}
	for _, in := range inputs {
		var got Credential
		gotErr := got.UnmarshalJSON([]byte(in))
		want, wantErr := twoPassCredential([]byte(in))
		if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
			t.Errorf("%s: error %v, want %v", in, gotErr, wantErr)
			continue
		}
		if gotErr == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %#v\nwant %#v", in, got, want)
		}
	}
}

func TestCredentialSpecOneMarshalMatchesTwo(t *testing.T) {
	twoPass := func(c CredentialSpec) ([]byte, error) {
		w := credentialSpecWire{Name: c.Name}
		if !isNil(c.Data) {
			data, err := json.Marshal(c.Data)
			if err != nil {
				return nil, err
			}
			w.Type, w.Data = c.Data.CredentialType(), data
		}
		return json.Marshal(w)
	}
	for _, c := range []CredentialSpec{
		NewCredential("k<&>", StringCredential{Value: "s<e>cr&t"}),
		NewCredential("k", &StringCredential{Value: "p"}),
		NewCredential("b", BasicAuthCredential{Username: "u", Password: "p"}),
		NewCredential("bin", BinaryCredential{Value: []byte{0, 1, 2}}),
		NewCredential("n", NoneCredential{}),
		NewCredential("t", OAuth2TokenCredential{RefreshToken: "r"}),
		NewCredential("j", JWTBearerCredential{Algorithm: JWTAlgorithmHS256, Secret: []byte("x"), ExpiresIn: time.Minute}),
		NewCredential("c", CustomFunctionCredential{Data: json.RawMessage(` { "a" : [1, 2] } `)}),
		NewCredential("u", UnknownCredentialData{Type: "new", Raw: json.RawMessage(`{"x": "<y>"}`)}),
		NewCredential("u", UnknownCredentialData{Type: "new", Raw: json.RawMessage(`{bad`)}),
		NewCredential("nil", nil),
		NewCredential("nilptr", (*StringCredential)(nil)),
	} {
		got, gotErr := c.MarshalJSON()
		want, wantErr := twoPass(c)
		if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
			t.Errorf("%T: error %v, want %v", c.Data, gotErr, wantErr)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%T:\n got %s\nwant %s", c.Data, got, want)
		}
	}
}

// FuzzOnePassDecodersMatchTwoPass checks the one-pass decoders against the
// two-pass references on arbitrary input.
func FuzzOnePassDecodersMatchTwoPass(f *testing.F) {
	for _, s := range []string{
		`{"id":"c1","type":"string","name":"n","data":{"value":"v"}}`,
		`{"type":"basic-auth","data":{"username":"u","password":5}}`,
		`{"id":"01J","description":"d","schemeType":"api-key","name":"X-Key","in":"header"}`,
		`{"schemeType":"hmac","digestInputs":["body"],"algorithm":"sha1"}`,
		`{"type":"string","data":{"value":"a"},"DATA":{}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var c Credential
		err := c.UnmarshalJSON(b)
		want, wantErr := twoPassCredential(b)
		if (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
			t.Fatalf("credential %q: error %v, want %v", b, err, wantErr)
		}
		if err == nil && !isJSONNull(b) && !reflect.DeepEqual(c, want) {
			t.Fatalf("credential %q:\n got %#v\nwant %#v", b, c, want)
		}
		var a AuthSchemeConfig
		err = a.UnmarshalJSON(b)
		wantA, wantErr := twoPassUnmarshal(b)
		if (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
			t.Fatalf("auth scheme %q: error %v, want %v", b, err, wantErr)
		}
		if err == nil && !isJSONNull(b) && !reflect.DeepEqual(a, wantA) {
			t.Fatalf("auth scheme %q:\n got %#v\nwant %#v", b, a, wantA)
		}
	})
}

// oldConnectionCreate encodes as ConnectionCreate.MarshalJSON did before the
// wire forms: the struct as it is, with nil Variables sent as [].
type oldConnectionCreate ConnectionCreate

func (c oldConnectionCreate) MarshalJSON() ([]byte, error) {
	type plain ConnectionCreate
	if c.Variables == nil {
		c.Variables = []ConnectionVariable{}
	}
	return json.Marshal(plain(c))
}

// The wire forms do reads all the fields of these types; a new field must be
// added to them too.
func TestWireFormsCoverEveryField(t *testing.T) {
	for _, tc := range []struct {
		v any
		n int
	}{
		{CreateConnectionParams{}, 2},
		{CreateEndUserParams{}, 3},
		{ConnectionCreate{}, 3},
		{ConnectionCredentialsCreate{}, 2},
		{ConnectionCredentialCreate{}, 2},
		{CredentialSpec{}, 2},
		{AuthSchemeConfig{}, 4},
	} {
		if got := reflect.TypeOf(tc.v).NumField(); got != tc.n {
			t.Errorf("%T has %d fields, its wire form %d: update the wire form and this test", tc.v, got, tc.n)
		}
	}
}

func TestWireBodiesEncodeAsTheParams(t *testing.T) {
	scheme := func(s AuthScheme) AuthSchemeConfig {
		return AuthSchemeConfig{ID: "01JPD8G6Q3W0Z5R7T9V2X4Y6B8", Description: "d<&>", Scheme: s}
	}
	creds := ConnectionCredentialsCreate{
		Action: []ConnectionCredentialCreate{
			{AuthSchemeConfig: scheme(APIKeyScheme{Name: "X-<Key>", In: InHeader}), Credential: NewCredential("k", StringCredential{Value: "s&<>"})},
			{AuthSchemeConfig: scheme(BasicAuthScheme{}), Credential: &CredentialSpec{Name: "b", Data: BasicAuthCredential{Username: "u", Password: "p"}}},
			{AuthSchemeConfig: scheme(NoneScheme{}), Credential: ExistingCredential("c1")},
			{AuthSchemeConfig: scheme(CertificateScheme{}), Credential: &CredentialRef{ID: "c2"}},
			{AuthSchemeConfig: scheme(&APIKeyScheme{Name: "p", In: InQuery}), Credential: (*CredentialSpec)(nil)},
			{AuthSchemeConfig: scheme(HMACScheme{Name: "sig", In: InHeader, Algorithm: HMACSHA256}), Credential: nil},
			{AuthSchemeConfig: scheme(OAuth2Scheme{TokenURL: "https://t", Grant: ClientCredentialsGrant{}}), Credential: NewCredential("o", OAuth2ClientCredential{ClientID: "i", ClientSecret: "s"})},
			{AuthSchemeConfig: AuthSchemeConfig{Scheme: UnknownScheme{Type: "x", Raw: json.RawMessage(`{"schemeType":"x","id":"1"}`)}}, Credential: NewCredential("j", JWTBearerCredential{Secret: []byte("k")})},
		},
		Trigger: []ConnectionCredentialCreate{{AuthSchemeConfig: scheme(NoneScheme{}), Credential: NewCredential("n", NoneCredential{})}},
	}
	for _, conn := range []ConnectionCreate{
		{Name: "c<1>", Credentials: creds, Variables: []ConnectionVariable{{Name: "a", Value: "<b>"}}},
		{Name: "c", Credentials: ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{}, Trigger: creds.Action[:1]}},
		{},
	} {
		for _, tc := range []struct {
			params wireBodier
			want   any
		}{
			{CreateConnectionParams{ConnectorID: "k<>", Connection: conn}, struct {
				ConnectorID string              `json:"connectorId"`
				Connection  oldConnectionCreate `json:"connection"`
			}{"k<>", oldConnectionCreate(conn)}},
			{CreateEndUserParams{ExternalID: "e&", DisplayName: "d", PrimaryConnection: conn}, struct {
				ExternalID        string              `json:"externalId"`
				DisplayName       string              `json:"displayName,omitempty"`
				PrimaryConnection oldConnectionCreate `json:"primaryConnection"`
			}{"e&", "d", oldConnectionCreate(conn)}},
			{CreateEndUserParams{ExternalID: "e", PrimaryConnection: conn}, struct {
				ExternalID        string              `json:"externalId"`
				DisplayName       string              `json:"displayName,omitempty"`
				PrimaryConnection oldConnectionCreate `json:"primaryConnection"`
			}{"e", "", oldConnectionCreate(conn)}},
		} {
			got, err := json.Marshal(tc.params.wireBody())
			if err != nil {
				t.Fatal(err)
			}
			want, err := json.Marshal(tc.want)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%T:\n got %s\nwant %s", tc.params, got, want)
			}
			// The params' own encoding is the same too.
			own, err := json.Marshal(tc.params)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(own, want) {
				t.Errorf("%T by json.Marshal:\n got %s\nwant %s", tc.params, own, want)
			}
		}
	}
}

func TestWireBodyMintsMissingIDs(t *testing.T) {
	p := CreateConnectionParams{ConnectorID: "k", Connection: ConnectionCreate{Name: "c", Credentials: ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{
		{AuthSchemeConfig: AuthSchemeConfig{Scheme: APIKeyScheme{Name: "n", In: InHeader}}, Credential: ExistingCredential("c1")},
		{AuthSchemeConfig: AuthSchemeConfig{Scheme: BasicAuthScheme{}}, Credential: ExistingCredential("c2")},
	}}}}
	b, err := json.Marshal(p.wireBody())
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Connection struct {
			Credentials struct {
				Action []struct {
					AuthSchemeConfig struct {
						ID string `json:"id"`
					} `json:"authSchemeConfig"`
				} `json:"action"`
			} `json:"credentials"`
		} `json:"connection"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, a := range out.Connection.Credentials.Action {
		if len(a.AuthSchemeConfig.ID) != 26 || ids[a.AuthSchemeConfig.ID] {
			t.Errorf("minted ID %q: want a fresh 26-character ULID", a.AuthSchemeConfig.ID)
		}
		ids[a.AuthSchemeConfig.ID] = true
	}
}
