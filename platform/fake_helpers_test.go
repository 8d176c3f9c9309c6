package platform_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

// The fake_*_test.go files run the Platform SDK against versoritest's fake,
// one file per resource: the happy paths and the API's rules, through the
// same calls a user makes. TestMain checks that, together, they exercised
// every operation the fake serves.

// quickRetries keeps the SDK's retries (two, as by default) but makes their
// waits short, so fault tests run fast.
var quickRetries = versori.WithRetryPolicy(versori.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 50 * time.Millisecond})

// exercised collects the operations the fakes of this binary were sent.
var exercised = struct {
	sync.Mutex
	ops map[string]bool
}{ops: map[string]bool{}}

// TestMain runs the tests and then, when all of them ran and passed, fails
// if some Platform operation was never sent to a fake.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && flag.Lookup("test.skip").Value.String() == "" {
		exercised.Lock()
		var missing []string
		for _, op := range versoritest.PlatformOperations() {
			if !exercised.ops[op] {
				missing = append(missing, op)
			}
		}
		exercised.Unlock()
		if len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: the fake_*_test.go files never exercised %v\n", missing)
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
	b, err := json.Marshal(v)
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
