package versori

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secretVerbs is every fmt verb, bare and with the + and # flags.
func secretVerbs() []string {
	var out []string
	for _, verb := range "bcdeEfFgGoOpqstTUvxX" {
		for _, flag := range []string{"", "+", "#", " ", "-10"} {
			out = append(out, "%"+flag+string(verb))
		}
	}
	return out
}

// secretValues builds every secret-bearing value the SDK has, each holding a
// distinct secret, and returns the values with the secrets (and the encodings
// under which a secret could leak: base64 for binary ones).
func secretValues(t *testing.T) (values map[string]any, secrets []string) {
	t.Helper()
	n := 0
	sec := func(kind string) string {
		n++
		s := fmt.Sprintf("S3CRET-%s-%02d-zq", kind, n)
		secrets = append(secrets, s)
		return s
	}
	bin := func(kind string) []byte {
		s := sec(kind)
		secrets = append(secrets, base64.StdEncoding.EncodeToString([]byte(s)), fmt.Sprintf("%x", s))
		return []byte(s)
	}
	raw := func(kind string) json.RawMessage { return json.RawMessage(`{"token":"` + sec(kind) + `"}`) }

	data := map[string]CredentialData{
		"string":          StringCredential{Value: sec("string")},
		"binary":          BinaryCredential{Value: bin("binary")},
		"basic-auth":      BasicAuthCredential{Username: "u", Password: sec("basic")},
		"oauth2-client":   OAuth2ClientCredential{ClientID: "c", ClientSecret: sec("client")},
		"oauth2-code":     OAuth2CodeCredential{Code: sec("code"), State: "st"},
		"oauth2-password": OAuth2PasswordCredential{Username: "u", Password: sec("ropc")},
		"oauth2-token":    OAuth2TokenCredential{AccessToken: sec("access"), RefreshToken: sec("refresh")},
		"certificate":     CertificateCredential{Certificate: "cert", Key: sec("tls-key")},
		"jwt-bearer":      JWTBearerCredential{Algorithm: JWTAlgorithmHS256, Secret: bin("hmac")},
		"custom-function": CustomFunctionCredential{Data: raw("custom")},
		"unknown":         UnknownCredentialData{Type: "kerberos", Raw: raw("unknown-data")},
	}
	values = map[string]any{}
	var creds []ConnectionCredentialCreate
	for name, d := range data {
		values["data "+name] = d
		values["spec "+name] = NewCredential("n", d)
		values["credential "+name] = Credential{ID: "01C", Type: d.CredentialType(), Name: "n", Data: d}
		creds = append(creds, ConnectionCredentialCreate{AuthSchemeConfig: AuthSchemeConfig{ID: "01A", Scheme: NoneScheme{}}, Credential: NewCredential("n", d)})
	}
	grants := map[string]OAuth2Grant{
		"authorization_code": AuthorizationCodeGrant{ClientID: "c", ClientSecret: sec("grant-code")},
		"password":           PasswordGrant{ClientID: "c", ClientSecret: sec("grant-ropc")},
		"unknown":            UnknownGrant{Type: "device", Raw: raw("grant-unknown")},
	}
	for name, g := range grants {
		asc := AuthSchemeConfig{ID: "01A", Scheme: OAuth2Scheme{AuthorizeURL: "a", TokenURL: "t", Grant: g}}
		values["grant "+name] = g
		values["scheme "+name] = asc
		values["hub params "+name] = CreateHubParams{OrganisationID: "o", Name: "n", PrimaryConnectorID: "c", AuthSchemeConfig: asc}
		values["template params "+name] = CreateConnectionTemplateParams{ConnectorID: "c", AuthSchemeConfig: asc}
		values["integration params "+name] = CreateIntegrationParams{OrganisationID: "o", Name: "n", ConnectionTemplate: &CreateConnectionTemplateParams{ConnectorID: "c", AuthSchemeConfig: asc}}
		values["hub "+name] = Hub{ID: "h", PrimaryConnector: ConnectorInfo{AuthSchemeConfig: asc}}
		values["template "+name] = ConnectionTemplate{ID: "t", AuthSchemeConfig: asc}
	}
	values["unknown scheme"] = AuthSchemeConfig{Scheme: UnknownScheme{Type: "saml2", Raw: raw("scheme-unknown")}}
	conn := ConnectionCreate{Name: "c", Credentials: ConnectionCredentialsCreate{Action: creds, Trigger: creds[:2]}}
	values["connection credentials"] = conn.Credentials
	values["connection create"] = conn
	values["end user params"] = CreateEndUserParams{ExternalID: "e", PrimaryConnection: conn}
	values["connection params"] = CreateConnectionParams{ConnectorID: "c", Connection: conn}
	nc := NewConnection{TemplateID: "t", Name: "n", Credentials: conn.Credentials}
	values["new connection"] = nc
	values["activate params"] = ActivateParams{UserID: "u", IntegrationID: "i", Connections: []ActivationConnection{nc}}
	readBack := ConnectionCredentials{Action: []ConnectionCredential{{AuthSchemeConfig: AuthSchemeConfig{ID: "01A", Scheme: NoneScheme{}}, Credential: Credential{Type: "string", Data: StringCredential{Value: sec("read-back")}}}}}
	values["connection"] = Connection{ID: "c", Credentials: readBack}
	values["end user"] = EndUser{ID: "u", PrimaryConnection: Connection{Credentials: readBack}}
	values["activation"] = Activation{ID: "a", User: EndUser{PrimaryConnection: Connection{Credentials: readBack}}}

	// Signing keys and tokens: the private key in every form it could leak.
	rk, _ := tokKeys(t)
	sk, err := NewSigningKey("01JSK0SECRETS", rk)
	require.NoError(t, err)
	der := x509.MarshalPKCS1PrivateKey(rk)
	secrets = append(secrets,
		rk.D.String(), rk.D.Text(16), rk.Primes[0].String(), rk.Primes[0].Text(16),
		base64.StdEncoding.EncodeToString(der)[40:120],
		strings.Split(string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der})), "\n")[3],
	)
	tok, err := sk.MintUserToken("jane")
	require.NoError(t, err)
	secrets = append(secrets, tok.Value, strings.Split(tok.Value, ".")[2])
	ts, err := sk.UserTokenSource("jane")
	require.NoError(t, err)
	values["signing key"] = sk
	values["signing key value"] = *sk
	values["token"] = tok
	values["token source"] = ts

	apiKey := sec("apikey")
	c, err := NewClient(WithAPIKey(apiKey))
	require.NoError(t, err)
	values["client"] = c
	values["client value"] = *c
	jc, err := NewClient(WithTokenSource(ts))
	require.NoError(t, err)
	values["jwt client"] = jc

	// Pointers, slices and maps of each print through other fmt paths.
	for k, v := range values {
		values[k+" in slice"] = []any{v}
		values[k+" in map"] = map[string]any{"v": v}
	}
	return values, secrets
}

// assertNoSecret fails if any secret appears in out.
func assertNoSecret(t *testing.T, what, out string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if i := strings.Index(out, s); i >= 0 {
			t.Errorf("%s leaks secret %q in %q", what, s, out[max(0, i-400):min(len(out), i+100)])
			return
		}
	}
}

// TestNoSecretInOutput prints every secret-bearing value with every fmt verb
// and logs it through slog's text and JSON handlers at debug level, while a
// client holding secrets makes calls that fail with request context (API
// errors, validation errors, connection errors); no secret may appear.
func TestNoSecretInOutput(t *testing.T) {
	values, secrets := secretValues(t)
	verbs := secretVerbs()
	printed := 0
	for name, v := range values {
		for _, verb := range verbs {
			if strings.HasSuffix(verb, "p") && !pointerLike(v) {
				// fmt handles %p before any Format method and, for a value
				// that is not a pointer, prints it raw. go vet reports that
				// misuse; no Format method can intercept it (RELIABILITY.md).
				continue
			}
			assertNoSecret(t, name+" "+verb, fmt.Sprintf(verb, v), secrets)
			printed++
		}
		assertNoSecret(t, name+" Sprint", fmt.Sprint(v)+fmt.Sprintln(v), secrets)
	}

	var logs bytes.Buffer
	debug := &slog.HandlerOptions{Level: slog.LevelDebug}
	loggers := []*slog.Logger{slog.New(slog.NewTextHandler(&logs, debug)), slog.New(slog.NewJSONHandler(&logs, debug))}
	for i, l := range loggers {
		for name, v := range values {
			if k := reflect.ValueOf(v).Kind(); i == 1 && (k == reflect.Slice || k == reflect.Map) {
				// slog resolves LogValue only for an attribute's own value;
				// the JSON handler encodes a slice or map of values with
				// encoding/json, the wire format (RELIABILITY.md).
				continue
			}
			l.Debug("value", "name", name, "v", v, slog.Any("any", v), slog.Group("g", "v", v))
		}
	}

	// Calls that fail in every way, with secrets in the request and a client
	// logging every attempt at debug level to both handlers.
	srv := newRawServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n % 3 {
		case 0:
			writeJSON(w, 422, `{"code":"422000","message":"invalid","fields":[{"field":"primaryConnection.credentials","message":"bad"}]}`)
		case 1:
			writeJSON(w, 500, `<html>upstream failed</html>`)
		default:
			writeJSON(w, 409, `{"code":"409000","message":"exists"}`)
		}
	})
	for _, l := range loggers {
		for _, base := range []string{srv.URL, "http://" + closedAddr(t)} {
			c, err := NewClient(WithAPIKey("S3CRET-apikey-call-zq"), WithBaseURL(base), WithLogger(l),
				WithRetryPolicy(RetryPolicy{MaxRetries: 1, BaseDelay: 1, MaxDelay: 1}))
			require.NoError(t, err)
			callSecrets := append([]string{"S3CRET-apikey-call-zq"}, secrets...)
			ctx := context.Background()
			var errs []error
			for name, v := range values {
				var err error
				switch p := v.(type) {
				case CreateEndUserParams:
					_, err = c.Users.Create(ctx, "01HUB", p)
				case CreateConnectionParams:
					_, err = c.Connections.Create(ctx, "01HUB", ExternalUser("u"), p)
				case ActivateParams:
					_, err = c.Activations.Create(ctx, p)
				case CreateHubParams:
					_, err = c.Hubs.Create(ctx, p)
				case CreateIntegrationParams:
					_, err = c.Integrations.Create(ctx, "01HUB", p)
				default:
					continue
				}
				require.Error(t, err, name)
				errs = append(errs, err)
			}
			// Client-side validation of values holding secrets.
			bad := CreateEndUserParams{ExternalID: "e", PrimaryConnection: ConnectionCreate{Name: "c", Credentials: ConnectionCredentialsCreate{
				Action: []ConnectionCredentialCreate{{Credential: NewCredential("", StringCredential{Value: secrets[1]})}},
			}}}
			_, err = c.Users.Create(ctx, "01HUB", bad)
			require.ErrorIs(t, err, ErrValidation)
			errs = append(errs, err)
			for _, err := range errs {
				for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
					assertNoSecret(t, "error "+verb, fmt.Sprintf(verb, err), callSecrets)
				}
				l.Error("call failed", "err", err)
			}
			assertNoSecret(t, "logs", logs.String(), callSecrets)
		}
	}
	assert.Contains(t, logs.String(), `"attempt":2`, "the client logged its attempts")
	assert.Contains(t, logs.String(), "attempt=2")
	assertNoSecret(t, "logs", logs.String(), secrets)
	t.Logf("%d values printed %d times in all (%d verbs), %d bytes of logs checked for %d secrets", len(values), printed, len(verbs), logs.Len(), len(secrets))
}

// TestHTTPBaseURLRefusedForRemoteHosts: an API key must never travel in
// clear text, so http:// is accepted for loopback hosts only, however the
// host is spelled.
func TestHTTPBaseURLRefusedForRemoteHosts(t *testing.T) {
	for _, u := range []string{
		"http://platform.versori.com", "http://10.0.0.5:8080", "http://192.168.1.1", "http://0.0.0.0",
		"http://localhost.evil.example", "http://127.0.0.1.nip.io", "http://127.1", "http://[::ffff:10.0.0.1]",
		"http://evil.example#@127.0.0.1", "http://127.0.0.1@evil.example", "HTTP://EVIL.EXAMPLE", "ws://127.0.0.1",
		"//evil.example", "http:///path", "http://[fe80::1]",
	} {
		_, err := NewClient(WithBaseURL(u), WithAPIKey(testKey))
		assert.ErrorIs(t, err, ErrValidation, u)
		if err != nil {
			assert.NotContains(t, err.Error(), testKey)
		}
	}
	for _, u := range []string{"http://127.0.0.1:1", "http://127.8.9.10", "http://localhost", "http://LOCALHOST:80", "http://[::1]:1"} {
		_, err := NewClient(WithBaseURL(u), WithAPIKey(testKey))
		assert.NoError(t, err, u)
	}
}

// TestCredentialsNotSentOnCrossHostRedirect: a redirect to another host
// (a misconfigured proxy, an attacker-controlled Location) must not carry the
// Authorization header, for a GET (302) and a POST replayed by a 307.
func TestCredentialsNotSentOnCrossHostRedirect(t *testing.T) {
	var gotAuth []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = append(gotAuth, r.Header.Get("Authorization"))
		writeJSON(w, 200, hubJSON)
	}))
	defer other.Close()
	// The same server under another host name: "localhost" instead of 127.0.0.1.
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		gotAuth = nil
		first := newRawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			http.Redirect(w, r, otherURL+r.URL.Path, status)
		})
		c, _ := newTestClient(t, first.URL)
		_, err := c.Hubs.Get(context.Background(), "01HUB")
		require.NoError(t, err, status)
		_, err = c.Hubs.Create(context.Background(), validHubParams())
		require.NoError(t, err, status)
		require.Len(t, gotAuth, 2, status)
		for _, a := range gotAuth {
			assert.Empty(t, a, "%d: Authorization dropped on a cross-host redirect", status)
		}
		for _, a := range first.attempts() {
			assert.Equal(t, "Bearer "+testKey, a.header.Get("Authorization"), "sent to the configured host")
		}
	}
}

// pointerLike reports whether %p prints v as an address rather than raw.
func pointerLike(v any) bool {
	switch reflect.ValueOf(v).Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	}
	return false
}
