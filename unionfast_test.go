package versori

// The one-pass AuthSchemeConfig codecs must behave exactly as the two-pass
// ones they short-cut; these tests keep the two-pass versions as references.

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
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
	default:
		var c AuthSchemeConfig
		err := c.UnmarshalJSON(b) // other schemes take the unchanged path
		return c, err
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
