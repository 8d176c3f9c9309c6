package platform_test

import (
	"bytes"
	"context"
	stdjson "encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/testutil"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

const (
	testOrg = "01ORG0000000000000000000AB"
	testKey = "vk_test_SECRET_api_key_42"
	orgPath = "/api/v2/o/" + testOrg
)

// received is one request a raw server received.
type received = testutil.Request

// rawServer is a recording test server (testutil.Server) answering with a
// handler, for asserting exactly what the SDK sent.
type rawServer struct{ *testutil.Server }

// answer is a handler's reply: status and body (sent as JSON unless empty).
type answer struct {
	status int
	body   string
}

// newRawServer starts a server whose handler sees each request and its
// number (1 for the first).
func newRawServer(t *testing.T, handler func(r *http.Request, n int) answer) *rawServer {
	t.Helper()
	return &rawServer{testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		a := handler(r, n)
		if a.body != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	})}
}

// replying returns a server that answers every request with status and body.
func replying(t *testing.T, status int, body string) *rawServer {
	return newRawServer(t, func(*http.Request, int) answer { return answer{status, body} })
}

// requests returns what the server has received so far.
func (s *rawServer) requests() []received { return s.Requests() }

// only returns the one request the server received, failing otherwise.
func (s *rawServer) only(t *testing.T) received {
	t.Helper()
	reqs := s.requests()
	require.Len(t, reqs, 1)
	return reqs[0]
}

// base is the Platform API base URL on the server.
func (s *rawServer) base() string { return s.URL + "/api/v2" }

// newClient returns a client of the server's Platform API (at /api/v2, so the
// Organisations API is at /api/organisations/v1), without retries.
func newClient(t *testing.T, s *rawServer, opts ...versori.Option) *platform.Client {
	t.Helper()
	c, err := platform.NewClient(append([]versori.Option{
		versori.WithBaseURL(s.base()),
		versori.WithOrganisationID(testOrg),
		versori.WithAPIKey(testKey),
		versori.WithMaxRetries(0),
	}, opts...)...)
	require.NoError(t, err)
	return c
}

// assertSent checks a request's method, path, query and JSON body ("" for
// none).
func assertSent(t *testing.T, r received, method, path, query, body string) {
	t.Helper()
	assert.Equal(t, method, r.Method, "method")
	assert.Equal(t, path, r.Path, "path")
	assert.Equal(t, query, r.Query, "query")
	if body == "" {
		assert.Empty(t, r.Body, "body")
		assert.Empty(t, r.Header.Get("Content-Type"))
	} else {
		assert.JSONEq(t, body, r.Body, "body")
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	}
	assert.Equal(t, "Bearer "+testKey, r.Header.Get("Authorization"))
}

// assertRefused checks err is the SDK's refusal of field, before sending.
func assertRefused(t *testing.T, err error, field string) {
	t.Helper()
	var v *versori.ValidationError
	require.ErrorAs(t, err, &v)
	assert.Equal(t, field, v.Field)
	assert.ErrorIs(t, err, versori.ErrNotSent)
}

// refusedUnpanicked checks that call neither panics nor sends, and fails with
// a ValidationError.
func refusedUnpanicked(t *testing.T, name string, call func() error) {
	t.Helper()
	var err error
	require.NotPanics(t, func() { err = call() }, name)
	var ve *versori.ValidationError
	assert.True(t, errors.As(err, &ve), "%s: want a *ValidationError, got %v", name, err)
	assert.ErrorIs(t, err, versori.ErrNotSent, name)
}

// refusal is a call the SDK must refuse before sending, and the field its
// refusal must name.
type refusal struct {
	name, field string
	call        func() error
}

// assertRefusals makes the calls refusals returns for a client of a server
// that would answer {}, checks each is refused naming its field, and that
// nothing was sent.
func assertRefusals(t *testing.T, refusals func(ctx context.Context, c *platform.Client) []refusal) {
	t.Helper()
	s := replying(t, http.StatusOK, "{}")
	for _, r := range refusals(t.Context(), newClient(t, s)) {
		t.Run(r.name, func(t *testing.T) { assertRefused(t, r.call(), r.field) })
	}
	assert.Empty(t, s.requests(), "nothing may be sent")
}

// errOf drops a call's result, keeping its error.
func errOf[T any](_ T, err error) error { return err }

// assertMissing checks err is the SDK's refusal of an answer without a
// property the operation requires, naming the property.
func assertMissing(t *testing.T, err error, property string) {
	t.Helper()
	var d *versori.DecodeError
	require.ErrorAs(t, err, &d)
	assert.Contains(t, d.Error(), strconv.Quote(property))
}

// collect drains an iterator, stopping at its first error.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var items []T
	for item, err := range seq {
		if err != nil {
			return items, err
		}
		items = append(items, item)
	}
	return items, nil
}

// sent returns the JSON the SDK sends for body, as a raw server receives it:
// the one encoding in which secrets are revealed.
func sent(t *testing.T, body any) string {
	t.Helper()
	s := replying(t, http.StatusNoContent, "")
	require.NoError(t, newClient(t, s).Do(t.Context(), versori.Request{Method: http.MethodPut, Path: "/echo", Body: body}, nil))
	return s.only(t).Body
}

// assertRedacted checks that no secret shows when v is printed with fmt's
// verbs, logged by slog's text and JSON handlers, or marshalled by
// encoding/json and json/v2, and that each of them shows [REDACTED].
func assertRedacted(t *testing.T, v any, secrets ...string) {
	t.Helper()
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("text", "value", v)
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("json", "value", v)
	v1, err := stdjson.Marshal(v)
	require.NoError(t, err)
	v2, err := json.Marshal(v)
	require.NoError(t, err)
	for name, out := range map[string]string{
		"fmt %v":        fmt.Sprintf("%v", v),
		"fmt %+v":       fmt.Sprintf("%+v", v),
		"fmt %#v":       fmt.Sprintf("%#v", v),
		"fmt %s":        fmt.Sprintf("%s", v),
		"fmt %q":        fmt.Sprintf("%q", v),
		"fmt %x":        fmt.Sprintf("%x", v),
		"slog":          logged.String(),
		"encoding/json": string(v1),
		"json/v2":       string(v2),
	} {
		for _, secret := range secrets {
			assert.NotContains(t, out, secret, name)
		}
		assert.Contains(t, out, "[REDACTED]", name)
	}
}

// transportAnswering returns an HTTP client whose every answer is status
// with body, whatever a real HTTP connection could carry, and which records
// the URLs asked for.
func transportAnswering(status int, body string, urls *[]string) *http.Client {
	return transportFunc(status, func(*http.Request) string { return body }, urls)
}

// transportFunc is transportAnswering with a body for each request.
func transportFunc(status int, reply func(*http.Request) string, urls *[]string) *http.Client {
	var mu sync.Mutex
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		*urls = append(*urls, r.Method+" "+r.URL.String())
		mu.Unlock()
		body := reply(r)
		return &http.Response{
			StatusCode: status, Status: http.StatusText(status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"application/json"}}, ContentLength: int64(len(body)),
			Body: io.NopCloser(strings.NewReader(body)), Request: r,
		}, nil
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// The TestFake* tests, each beside the raw-server tests of its resource, run
// the Platform SDK against versoritest's fake: the happy paths and the API's
// rules, through the same calls a user makes. TestMain checks that, together,
// they exercised every operation the fake serves.

// quickRetries keeps the SDK's retries (two, as by default) but makes their
// waits short, so fault tests run fast.
var quickRetries = versori.WithRetryPolicy(versori.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 50 * time.Millisecond})

// exercised collects the operations the fakes of this binary were sent.
var exercised = struct {
	sync.Mutex
	ops map[string]bool
}{ops: map[string]bool{}}

// TestMain runs the tests and then, when all of them ran and passed, fails
// if some Platform operation was never sent to a fake. Listing the tests
// (-list) runs none, so it checks nothing then.
func TestMain(m *testing.M) {
	code := m.Run()
	ranAll := flag.Lookup("test.run").Value.String() == "" && flag.Lookup("test.skip").Value.String() == ""
	if code == 0 && ranAll && flag.Lookup("test.list").Value.String() == "" {
		exercised.Lock()
		var missing []string
		for _, op := range versoritest.PlatformOperations() {
			if !exercised.ops[op] {
				missing = append(missing, op)
			}
		}
		exercised.Unlock()
		if len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: the TestFake* tests never exercised %v\n", missing)
			code = 1
		}
	}
	os.Exit(code)
}

// recordExercised notes the operations the fake has been sent.
func recordExercised(srv *versoritest.Server) {
	exercised.Lock()
	defer exercised.Unlock()
	for _, r := range srv.Requests() {
		exercised.ops[r.Operation] = true
	}
}

// resetRequests empties the fake's request log, noting its operations first.
func resetRequests(srv *versoritest.Server) {
	recordExercised(srv)
	srv.ResetRequests()
}

// newFake starts a fake for t and returns it with a Platform client of it
// (API key, seeded organisation, quick retries; opts after those).
func newFake(t *testing.T, opts ...versoritest.Option) (*versoritest.Server, *platform.Client) {
	t.Helper()
	srv := versoritest.New(t, opts...)
	t.Cleanup(func() { recordExercised(srv) })
	return srv, srv.PlatformClient(quickRetries)
}

// newFakeWithUser is newFake with an end user of the given external ID made
// in it, and the seeded environment's connection templates, by name, to
// connect them to.
func newFakeWithUser(t *testing.T, user platform.ExternalID) (*versoritest.Server, *platform.Client, map[string]platform.ConnectionTemplate) {
	t.Helper()
	srv, p := newFake(t)
	tms := templates(t, srv, p)
	newUser(t, p, user)
	return srv, p, tms
}

// seeded returns the fake's Platform seed and its connection templates by
// name (acme, zendesk, shopify, netsuite, trello, slack).
func seeded(srv *versoritest.Server) (versoritest.SeededPlatform, map[string]versoritest.SeededConnectionTemplate) {
	sp := srv.Seeded().Platform
	byName := map[string]versoritest.SeededConnectionTemplate{}
	for _, tm := range sp.Templates {
		byName[tm.Name] = tm
	}
	return sp, byName
}

// templates returns the seeded environment's connection templates as the API
// describes them, by name.
func templates(t *testing.T, srv *versoritest.Server, p *platform.Client) map[string]platform.ConnectionTemplate {
	t.Helper()
	sp := srv.Seeded().Platform
	out := map[string]platform.ConnectionTemplate{}
	for tm, err := range p.Templates.All(t.Context(), sp.ProjectID, &platform.ListConnectionTemplatesParams{EnvironmentID: sp.EnvironmentID}) {
		require.NoError(t, err)
		out[tm.Name] = tm
	}
	return out
}

// newUser creates an end user.
func newUser(t *testing.T, p *platform.Client, externalID platform.ExternalID) *platform.EndUser {
	t.Helper()
	u, err := p.Users.Create(t.Context(), platform.CreateEndUserParams{ExternalID: externalID, DisplayName: "User " + string(externalID)})
	require.NoError(t, err)
	return u
}

// secretOf is the secret a test credential for template holds: distinctive,
// so tests can look for it in what they read back.
func secretOf(template string) string { return "s3cret-" + template + "-value" }

// dataFor returns credential data that fits scheme: the first type
// platform.AcceptedCredentials lists, with secretOf(name) as its secrets.
func dataFor(t *testing.T, scheme platform.AuthScheme, name string) platform.CredentialData {
	t.Helper()
	secret := versori.NewSecret(secretOf(name))
	accepted := platform.AcceptedCredentials(scheme)
	require.NotEmpty(t, accepted, "no credential type fits %T", scheme)
	switch accepted[0] {
	case platform.CredentialTypeString:
		return platform.StringCredential{Value: secret}
	case platform.CredentialTypeBasicAuth:
		return platform.BasicAuthCredential{Username: name + "-user", Password: secret}
	case platform.CredentialTypeOAuth2Code:
		return platform.OAuth2CodeCredential{Code: secret, State: "state-" + name}
	case platform.CredentialTypeOAuth2Client:
		return platform.OAuth2ClientCredential{ClientID: name + "-client", ClientSecret: secret, TokenURL: "https://" + name + ".example/token", Scopes: []string{"read"}}
	case platform.CredentialTypeOAuth1:
		return platform.OAuth1Credential{State: "state-" + name, OAuthToken: name + "-token", OAuthVerifier: secret}
	}
	t.Fatalf("dataFor: no test data for %s", accepted[0])
	return nil
}

// connectionFor returns a new connection for a template, its one credential
// fitting the template's first auth scheme config.
func connectionFor(t *testing.T, tm platform.ConnectionTemplate) platform.ConnectionCreate {
	t.Helper()
	require.NotEmpty(t, tm.AuthSchemeConfigs, "template %s has no auth scheme config", tm.Name)
	scheme := tm.AuthSchemeConfigs[0]
	return platform.ConnectionCreate{
		Name:        tm.Name + " connection",
		Credentials: []platform.ConnectionCredential{platform.CredentialFor(scheme, tm.Name+" credential", dataFor(t, scheme.Scheme, tm.Name))},
	}
}

// connect gives an end user a connection for the template.
func connect(t *testing.T, p *platform.Client, user platform.ExternalID, tm platform.ConnectionTemplate) *platform.Connection {
	t.Helper()
	conn, err := p.Connections.Create(t.Context(), platform.CreateConnectionParams{
		TemplateID: tm.ConnectionTemplateID, ExternalID: user, Connection: connectionFor(t, tm),
	})
	require.NoError(t, err)
	return conn
}

// connectAll gives an end user a connection for every dynamic template of the
// seeded environment, and returns them by template name.
func connectAll(t *testing.T, p *platform.Client, tms map[string]platform.ConnectionTemplate, user platform.ExternalID) map[string]*platform.Connection {
	t.Helper()
	out := map[string]*platform.Connection{}
	for _, name := range slices.Sorted(maps.Keys(tms)) {
		if tm := tms[name]; tm.Dynamic {
			out[name] = connect(t, p, user, tm)
		}
	}
	return out
}

// activate creates an end user with a connection for every dynamic template
// and activates them on the seeded environment.
func activate(t *testing.T, srv *versoritest.Server, p *platform.Client, user platform.ExternalID) *platform.Activation {
	t.Helper()
	newUser(t, p, user)
	connectAll(t, p, templates(t, srv, p), user)
	a, err := p.Activations.Create(t.Context(), platform.CreateActivationParams{
		User: user, EnvironmentID: srv.Seeded().Platform.EnvironmentID,
		DynamicVariables: versori.DynamicVariables{"region": "eu"},
	})
	require.NoError(t, err)
	return a
}

// signingKey makes a signing key with the organisation's client and loads it.
func signingKey(t *testing.T, p *platform.Client) *versori.SigningKey {
	t.Helper()
	set, err := p.SigningKeys.Create(t.Context(), "test key")
	require.NoError(t, err)
	key, err := set.SigningKey()
	require.NoError(t, err)
	return key
}

// asUser returns a client of the fake that acts as one end user, with tokens
// of key whose sub is the user's external ID.
func asUser(t *testing.T, srv *versoritest.Server, key *versori.SigningKey, user platform.ExternalID) *platform.Client {
	t.Helper()
	ts, err := key.UserTokenSource(platform.EndUser{ExternalID: user}.Ref(), 0)
	require.NoError(t, err)
	return srv.PlatformClient(quickRetries, versori.WithTokenSource(ts))
}

// ops returns the operations of the requests the fake received, in order.
func ops(srv *versoritest.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		out = append(out, r.Operation)
	}
	return out
}

// assertNoSecret fails if secret shows in v as JSON or printed.
func assertNoSecret(t *testing.T, v any, secret string) {
	t.Helper()
	b, err := stdjson.Marshal(v)
	require.NoError(t, err)
	assert.NotContains(t, string(b), secret)
	assert.NotContains(t, fmt.Sprintf("%+v", v), secret)
}

// lastRequestOf returns the last request the fake received for op.
func lastRequestOf(t *testing.T, srv *versoritest.Server, op string) versoritest.Request {
	t.Helper()
	reqs := srv.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Operation == op {
			return reqs[i]
		}
	}
	t.Fatalf("no %s request", op)
	return versoritest.Request{}
}

// rangeConcurrently ranges over seq from several goroutines at once, each
// expecting want items and no error.
func rangeConcurrently[T any](t *testing.T, seq func(func(T, error) bool), want int) {
	t.Helper()
	const goroutines = 4
	counts := make(chan int, goroutines)
	for range goroutines {
		go func() {
			n := 0
			for _, err := range seq {
				if err != nil {
					t.Error(err)
					break
				}
				n++
			}
			counts <- n
		}()
	}
	for range goroutines {
		assert.Equal(t, want, <-counts)
	}
}

// keysOf returns key(item) for each item, in order.
func keysOf[T, K any](items []T, key func(T) K) []K {
	out := make([]K, len(items))
	for i, item := range items {
		out[i] = key(item)
	}
	return out
}

func connectionIDs(conns []platform.Connection) []string {
	return keysOf(conns, func(c platform.Connection) string { return c.ID })
}
