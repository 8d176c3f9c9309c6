package platform_test

import (
	"bytes"
	"context"
	"github.com/go-json-experiment/json/jsontext"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/go-json-experiment/json"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
)

// The Platform's keyed unions meet arbitrary bytes here: whatever decodes
// is sent as it would be in a request, decodes again to the same variant,
// and is sent the same way twice; a known type's data is that type's.

// FuzzCredentialUnmarshal decodes arbitrary bytes as a Credential.
func FuzzCredentialUnmarshal(f *testing.F) {
	for _, seed := range []string{
		credentialJSON(platform.CredentialTypeString, `{"string":{"value":"v"}}`),
		credentialJSON(platform.CredentialTypeBasicAuth, `{"basicAuth":{"username":"u","password":"p"}}`),
		credentialJSON(platform.CredentialTypeOAuth1Token, `{"oauth1Token":{"token":"t","tokenSecret":"s","additionalParams":[{"name":"n","value":"v"}]}}`),
		credentialJSON("future-type", `{"future":{"x":1}}`),
		credentialJSON(platform.CredentialTypeString, `{"basicAuth":{"username":"u","password":"p"}}`),
		credentialJSON(platform.CredentialTypeString, `{"str\u0069ng":{"value":"v"},"string":{"value":"w"}}`),
		`{"id":"i","organisationId":"o","data":{"string":{"value":"v"}},"type":"string"}`,
		`{"id":"i","organisationId":"o","type":"none","data":null}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var c platform.Credential
		if json.Unmarshal(in, &c) != nil {
			return
		}
		if _, unknown := c.Data.(platform.UnknownCredential); c.Data != nil && !unknown && platform.CredentialTypeOf(c.Data) != c.Type {
			t.Fatalf("type %q but data %T", c.Type, c.Data)
		}
		stable(t, c, func(b []byte) (any, error) {
			var again platform.Credential
			err := json.Unmarshal(b, &again)
			if err == nil && platform.CredentialTypeOf(again.Data) != platform.CredentialTypeOf(c.Data) {
				t.Fatalf("data of type %q came back as %q", platform.CredentialTypeOf(c.Data), platform.CredentialTypeOf(again.Data))
			}
			return again, err
		})
	})
}

// FuzzAuthSchemeConfigUnmarshal decodes arbitrary bytes as an
// AuthSchemeConfig, a keyed union whose member also holds the config's ID
// and description, with OAuth 2.0's grant a keyed union inside it.
func FuzzAuthSchemeConfigUnmarshal(f *testing.F) {
	for _, seed := range []string{
		`{"type":"api-key","apiKey":{"id":"key","description":"d","name":"X-API-Key","in":"header"}}`,
		`{"apiKey":{"id":"key","description":"","name":"X-API-Key","in":"query"},"type":"api-key"}`,
		`{"type":"hmac","hmac":{"id":"sig","description":"","name":"X-Signature","in":"header","algorithm":"sha256","digestInputs":["url","body"],"encoding":"base64"}}`,
		oauth2JSON(`{"type":"authorizationCode","authorizationCode":{"credentialId":"01CRED","organisationId":"01ORGB","clientId":"cid","clientSecret":"cs"}}`),
		oauth2JSON(`{"type":"future-grant","future":{}}`),
		`{"type":"oauth1","oauth1":{"id":"o1","description":"","tokenAuth":true,"consumerKey":"k","consumerSecret":"s","signatureMethod":"sha1","tokenEndpoint":{"url":"https://x/{a}"}}}`,
		`{"type":"future","future":{"id":"f","description":"d","x":[1,2]}}`,
		`{"type":"api-key","basicAuth":{"id":"x","description":""}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var c platform.AuthSchemeConfig
		if json.Unmarshal(in, &c) != nil {
			return
		}
		if c.Scheme == nil {
			t.Fatalf("decoded without a scheme: %#v", c)
		}
		stable(t, c, func(b []byte) (any, error) {
			var again platform.AuthSchemeConfig
			err := json.Unmarshal(b, &again)
			if err == nil && (platform.SchemeTypeOf(again.Scheme) != platform.SchemeTypeOf(c.Scheme) || again.ID != c.ID) {
				t.Fatalf("%q config %q came back as %q config %q", platform.SchemeTypeOf(c.Scheme), c.ID, platform.SchemeTypeOf(again.Scheme), again.ID)
			}
			return again, err
		})
		_ = platform.AcceptedCredentials(c.Scheme)
	})
}

// stable checks that v, sent as a request body, decodes with decode to a
// value that is sent the same way.
func stable(t *testing.T, v any, decode func([]byte) (any, error)) {
	t.Helper()
	b1, err := wire(v)
	if err != nil {
		t.Fatalf("%#v is not sent: %v", v, err)
	}
	again, err := decode(b1)
	if err != nil {
		t.Fatalf("what it sends, %s, does not decode: %v", b1, err)
	}
	if b2, err := wire(again); err != nil || !bytes.Equal(b1, b2) {
		t.Fatalf("unstable (%v)\n%s\n%s", err, b1, b2)
	}
}

// wire returns the JSON the SDK sends for body (its secrets revealed, as in
// a request), through the core, with a transport that answers every request
// with its own body: no network, so a fuzz target runs it thousands of times
// a second.
func wire(body any) ([]byte, error) {
	var sent jsontext.Value
	err := echoClient().Do(context.Background(), versori.Request{Method: http.MethodPut, Path: "/echo", Body: body}, &sent)
	return sent, err
}

var echoClient = sync.OnceValue(func() *versori.Client {
	c, err := versori.NewClient(versori.WithAPIKey(testKey), versori.WithBaseURL("http://127.0.0.1:1"),
		versori.WithHTTPClient(&http.Client{Transport: echoTransport{}}))
	if err != nil {
		panic(err)
	}
	return c
})

// echoTransport answers a request with 200 and the request's body.
type echoTransport struct{}

func (echoTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		ContentLength: int64(len(b)), Body: io.NopCloser(bytes.NewReader(b)), Request: r}, nil
}
