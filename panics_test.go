package versori_test

// No panics. Typed-nil pointers (a nil *ListEndUsersParams means defaults;
// a typed nil inside an interface field is invalid input), a nil
// *http.Client or a typed-nil transport inside one, retry policies with
// absurd values, and a nil context each return an error (or, for a nil
// context, may behave as context.Background()); none may panic. Each case
// runs in a subtest that recovers and fails on a panic. A client or service
// not made by NewClient (a zero value, a nil pointer) refuses every call.

import (
	"cmp"
	"context"
	"errors"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
)

// panicServer answers every operation the panic suite calls healthily, or
// with a 503 (and retryAfter, if set) when unavailable.
func panicServer(t testing.TB, unavailable bool, retryAfter string) *hostileServer {
	return startNetHTTP(t, kindHTTP1, func(w http.ResponseWriter, r *http.Request) {
		if unavailable {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			writeAnswer(w, 503, `{"code":"503000","message":"unavailable"}`)
			return
		}
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/hubs/"+hostileHubID+"/users":
			writeAnswer(w, 200, `{"totalCount":1,"users":[{"id":"01USR","externalId":"acme-42","displayName":"Acme 42","hubId":"01HUB","createdAt":"2025-03-14T09:26:53Z","updatedAt":"2025-03-14T09:26:53Z"}]}`)
		case r.Method == http.MethodGet && r.URL.Path == "/hubs/"+hostileHubID+"/users/"+hostileUserID:
			writeAnswer(w, 200, hostileEndUserJSON)
		case r.Method == http.MethodPost && r.URL.Path == "/hubs/"+hostileHubID+"/users":
			writeAnswer(w, 201, hostileEndUserJSON)
		case r.Method == http.MethodPost && r.URL.Path == "/hubs/"+hostileHubID+"/users/"+hostileUserID+"/connections":
			writeAnswer(w, 201, hostileConnectionJSON)
		default:
			healthy(w, r)
		}
	})
}

// panicCase is one input that must not panic.
type panicCase struct {
	name        string
	unavailable bool          // the server answers 503
	retryAfter  string        // with this Retry-After
	deadline    time.Duration // the caller's deadline; 0: 5 s
	opts        []versori.Option
	// call makes the call, and check checks its outcome.
	call  func(ctx context.Context, c *versori.Client) error
	check panicCheck
	// newErr, if set, checks NewClient's error instead of making a call
	// (for cases about options; the client is nil then).
	newErr newClientCheck
}

// panicCheck checks a call's outcome, and names it for RELIABILITY.md.
type panicCheck struct {
	label string
	check func(t *testing.T, err error, srv *hostileServer)
}

// newClientCheck checks NewClient's error, and names it for RELIABILITY.md.
type newClientCheck struct {
	label string
	check func(t *testing.T, err error)
}

// invalidInput: an error matching ErrValidation, and nothing sent.
var invalidInput = panicCheck{"ErrValidation; nothing sent", func(t *testing.T, err error, srv *hostileServer) {
	t.Helper()
	assert.ErrorIs(t, err, versori.ErrValidation)
	assert.Empty(t, srv.requests(), "invalid input sends nothing")
}}

// anyError: the call fails, whatever the error.
var anyError = panicCheck{"an error", func(t *testing.T, err error, _ *hostileServer) {
	t.Helper()
	assert.Error(t, err)
}}

// okOrError: a nil context may be refused or taken as context.Background();
// taken, the call reaches the server and succeeds.
var okOrError = panicCheck{"taken as context.Background(), or an error", func(t *testing.T, err error, srv *hostileServer) {
	t.Helper()
	if err == nil {
		assert.NotEmpty(t, srv.requests(), "a call that succeeded reached the server")
	}
}}

// succeeds: the call succeeds.
func succeeds(extra func(t *testing.T, srv *hostileServer)) panicCheck {
	return panicCheck{"succeeds", func(t *testing.T, err error, srv *hostileServer) {
		t.Helper()
		assert.NoError(t, err)
		if extra != nil {
			extra(t, srv)
		}
	}}
}

// nilContext is a nil context.Context, passed where a caller forgot one.
var nilContext context.Context

func userWithData(data versori.CredentialData) versori.CreateEndUserParams {
	p := hostileUserParams()
	p.PrimaryConnection.Credentials.Action[0].Credential = versori.NewCredential("k", data)
	return p
}

func connectionWith(cred versori.CredentialCreate) versori.CreateConnectionParams {
	conn := hostileConnectionCreate()
	conn.Credentials.Action[0].Credential = cred
	return versori.CreateConnectionParams{ConnectorID: "01CON", Connection: conn}
}

func hubWithScheme(s versori.AuthScheme) versori.CreateHubParams {
	p := hostileHubParams()
	p.AuthSchemeConfig.Scheme = s
	return p
}

func panicCases() []panicCase {
	createUser := func(p versori.CreateEndUserParams) func(context.Context, *versori.Client) error {
		return func(ctx context.Context, c *versori.Client) error {
			_, err := c.Users.Create(ctx, hostileHubID, p)
			return err
		}
	}
	createConnection := func(p versori.CreateConnectionParams) func(context.Context, *versori.Client) error {
		return func(ctx context.Context, c *versori.Client) error {
			_, err := c.Connections.Create(ctx, hostileHubID, versori.ExternalUser(hostileUserID), p)
			return err
		}
	}
	createHub := func(p versori.CreateHubParams) func(context.Context, *versori.Client) error {
		return func(ctx context.Context, c *versori.Client) error {
			_, err := c.Hubs.Create(ctx, p)
			return err
		}
	}
	getHub := callGetHub.do
	policy := func(p versori.RetryPolicy) []versori.Option { return []versori.Option{versori.WithRetryPolicy(p)} }
	return []panicCase{
		{name: "typed-nil *ListEndUsersParams means defaults",
			call: func(ctx context.Context, c *versori.Client) error {
				_, err := c.Users.List(ctx, hostileHubID, (*versori.ListEndUsersParams)(nil))
				return err
			},
			check: succeeds(func(t *testing.T, srv *hostileServer) {
				if reqs := srv.requests(); assert.Len(t, reqs, 1) {
					assert.Empty(t, reqs[0].Query, "defaults: no first, after or search")
				}
			})},
		{name: "typed-nil *ListEndUsersParams in All means defaults",
			call: func(ctx context.Context, c *versori.Client) error {
				for _, err := range c.Users.All(ctx, hostileHubID, (*versori.ListEndUsersParams)(nil)) {
					if err != nil {
						return err
					}
				}
				return nil
			},
			check: succeeds(nil)},
		{name: "credential data: typed-nil *StringCredential", call: createUser(userWithData((*versori.StringCredential)(nil))), check: invalidInput},
		{name: "credential data: typed-nil *BasicAuthCredential", call: createUser(userWithData((*versori.BasicAuthCredential)(nil))), check: invalidInput},
		{name: "credential data: nil", call: createUser(userWithData(nil)), check: invalidInput},
		{name: "credential: typed-nil *CredentialSpec", call: createConnection(connectionWith((*versori.CredentialSpec)(nil))), check: invalidInput},
		{name: "credential: typed-nil *CredentialRef", call: createConnection(connectionWith((*versori.CredentialRef)(nil))), check: invalidInput},
		{name: "auth scheme: typed-nil *APIKeyScheme", call: createHub(hubWithScheme((*versori.APIKeyScheme)(nil))), check: invalidInput},
		{name: "OAuth 2.0 grant: typed-nil *ClientCredentialsGrant",
			call:  createHub(hubWithScheme(versori.OAuth2Scheme{TokenURL: "https://t", Grant: (*versori.ClientCredentialsGrant)(nil)})),
			check: invalidInput},
		{name: "WithHTTPClient(nil)", opts: []versori.Option{versori.WithHTTPClient(nil)},
			newErr: newClientCheck{"NewClient: ErrValidation", func(t *testing.T, err error) { assert.ErrorIs(t, err, versori.ErrValidation) }}},
		{name: "http.Client with a typed-nil *http.Transport",
			opts:   []versori.Option{versori.WithHTTPClient(&http.Client{Transport: (*http.Transport)(nil)})},
			newErr: refused},
		{name: "RetryPolicy: MaxRetries, BaseDelay and MaxDelay at their maximum",
			opts:   policy(versori.RetryPolicy{MaxRetries: math.MaxInt, BaseDelay: math.MaxInt64, MaxDelay: math.MaxInt64}),
			newErr: refused},
		{name: "RetryPolicy: MaxRetries at versori.MaxRetries, BaseDelay and MaxDelay at their maximum", unavailable: true, deadline: 500 * time.Millisecond,
			opts: policy(versori.RetryPolicy{MaxRetries: versori.MaxRetries, BaseDelay: math.MaxInt64, MaxDelay: math.MaxInt64}),
			call: getHub, check: anyError},
		{name: "RetryPolicy: BaseDelay 2^62, MaxDelay at its maximum (the doubling overflows)", unavailable: true, deadline: 500 * time.Millisecond,
			opts: policy(versori.RetryPolicy{MaxRetries: 5, BaseDelay: 1 << 62, MaxDelay: math.MaxInt64}),
			call: getHub, check: anyError},
		{name: "RetryPolicy: MaxRetries at its maximum, 1 ns delays",
			opts:   policy(versori.RetryPolicy{MaxRetries: math.MaxInt, BaseDelay: 1, MaxDelay: 1}),
			newErr: refused},
		{name: "RetryPolicy: MaxRetries at versori.MaxRetries, 1 ns delays", unavailable: true, deadline: 2 * time.Second,
			opts: policy(versori.RetryPolicy{MaxRetries: versori.MaxRetries, BaseDelay: 1, MaxDelay: 1}),
			call: getHub, check: anyError},
		{name: "RetryPolicy: BaseDelay at its maximum, default MaxDelay", unavailable: true, deadline: 500 * time.Millisecond,
			opts: policy(versori.RetryPolicy{MaxRetries: 3, BaseDelay: math.MaxInt64}),
			call: getHub, check: anyError},
		{name: "RetryPolicy: delays at their minimum",
			opts:   policy(versori.RetryPolicy{MaxRetries: 2, BaseDelay: math.MinInt64, MaxDelay: math.MinInt64}),
			newErr: refused},
		{name: "WithMaxRetries(MaxInt) per call, MaxDelay at its maximum", unavailable: true, deadline: 500 * time.Millisecond,
			opts: policy(versori.RetryPolicy{MaxRetries: 1, BaseDelay: math.MaxInt64 / 2, MaxDelay: math.MaxInt64}),
			call: func(ctx context.Context, c *versori.Client) error {
				_, err := c.Hubs.Get(ctx, hostileHubID, versori.WithMaxRetries(math.MaxInt))
				return err
			},
			check: anyError},
		{name: "Retry-After at its maximum, MaxDelay at its maximum", unavailable: true, retryAfter: "9223372036854775807", deadline: 500 * time.Millisecond,
			opts: policy(versori.RetryPolicy{MaxRetries: 3, BaseDelay: time.Millisecond, MaxDelay: math.MaxInt64}),
			call: getHub, check: anyError},
		{name: "nil context: GetHub", call: func(_ context.Context, c *versori.Client) error { return callGetHub.do(nilContext, c) }, check: okOrError},
		{name: "nil context: GetHub against a 503", unavailable: true,
			call: func(_ context.Context, c *versori.Client) error { return callGetHub.do(nilContext, c) }, check: anyError},
		{name: "nil context: CreateEndUser", call: func(_ context.Context, c *versori.Client) error { return callCreateUser.do(nilContext, c) }, check: okOrError},
		{name: "nil context: DeleteEndUser", call: func(_ context.Context, c *versori.Client) error { return callDeleteUser.do(nilContext, c) }, check: okOrError},
		{name: "nil context: All",
			call: func(_ context.Context, c *versori.Client) error {
				for _, err := range c.Users.All(nilContext, hostileHubID, nil) {
					if err != nil {
						return err
					}
				}
				return nil
			},
			check: okOrError},
	}
}

// refused checks NewClient refused an option with a *ValidationError.
var refused = newClientCheck{"NewClient: *ValidationError", func(t *testing.T, err error) {
	t.Helper()
	var ve *versori.ValidationError
	assert.ErrorAs(t, err, &ve)
}}

func TestNoPanics(t *testing.T) {
	for _, pc := range panicCases() {
		t.Run(pc.name, func(t *testing.T) {
			t.Parallel()
			srv := panicServer(t, pc.unavailable, pc.retryAfter)
			opts := append([]versori.Option{versori.WithAPIKey(hostileKey), versori.WithBaseURL(srv.URL)}, pc.opts...)
			var c *versori.Client
			var err error
			require.NotPanics(t, func() { c, err = versori.NewClient(opts...) })
			if pc.newErr.check != nil {
				pc.newErr.check(t, err)
				return
			}
			require.NoError(t, err)
			deadline := cmp.Or(pc.deadline, 5*time.Second)
			ctx, cancel := context.WithTimeout(context.Background(), deadline)
			defer cancel()
			start := time.Now()
			require.NotPanics(t, func() { err = pc.call(ctx, c) })
			t.Logf("%v after %v", err, time.Since(start).Round(time.Millisecond))
			assert.Less(t, time.Since(start), deadline+time.Second, "the call ends by the caller's deadline")
			pc.check.check(t, err, srv)
			if err != nil {
				assert.NotContains(t, err.Error(), hostileKey)
				assert.False(t, errors.Is(err, context.Canceled) && ctx.Err() == nil, "no cancellation the caller did not ask for")
			}
		})
	}
}

// notInitialised checks a call on a client not made by NewClient: refused,
// not a panic, and nothing sent.
func notInitialised(t *testing.T, name string, call func() error) {
	t.Helper()
	var err error
	require.NotPanics(t, func() { err = call() }, name)
	require.Error(t, err, name)
	assert.ErrorIs(t, err, versori.ErrNotSent, name)
	var ve *versori.ValidationError
	assert.True(t, errors.As(err, &ve), "%s: want a *ValidationError, got %v", name, err)
}

// TestZeroClientRefusesCalls: a Client{}, a nil *Client or a zero service,
// used as if NewClient had made it, refuses every call with a
// *ValidationError and sends nothing (every method once panicked with a nil
// pointer dereference); its accessors answer empty.
func TestZeroClientRefusesCalls(t *testing.T) {
	ctx := context.Background()
	u := versori.ExternalUser("u")
	var zero versori.Client
	var nilClient *versori.Client
	calls := map[string]func() error{
		"Client{}.Do":       func() error { return zero.Do(ctx, versori.Request{Method: "GET", Path: "/hubs/x"}, nil) },
		"(*Client)(nil).Do": func() error { return nilClient.Do(ctx, versori.Request{Method: "GET", Path: "/hubs/x"}, nil) },
		"Client{}.Hubs.Get": func() error { _, err := zero.Hubs.Get(ctx, "x"); return err },
		"Client{}.Users.All": func() error {
			for _, err := range zero.Users.All(ctx, "h", nil) {
				return err
			}
			return nil
		},
		"HubsService{}.Get":                   func() error { _, err := (&versori.HubsService{}).Get(ctx, "x"); return err },
		"UsersService{}.Get":                  func() error { _, err := (&versori.UsersService{}).Get(ctx, "h", u); return err },
		"ConnectionsService{}.Get":            func() error { _, err := (&versori.ConnectionsService{}).Get(ctx, "t", u); return err },
		"IntegrationsService{}.Delete":        func() error { return (&versori.IntegrationsService{}).Delete(ctx, "i") },
		"ActivationsService{}.Get":            func() error { _, err := (&versori.ActivationsService{}).Get(ctx, "a"); return err },
		"EmbedService{}.ListIntegrations":     func() error { _, err := (&versori.EmbedService{}).ListIntegrations(ctx, "h", u, nil); return err },
		"(*ActivationsService)(nil).Get":      func() error { _, err := (*versori.ActivationsService)(nil).Get(ctx, "a"); return err },
		"(*UsersService)(nil).Delete":         func() error { return (*versori.UsersService)(nil).Delete(ctx, "h", u) },
		"(*HubsService)(nil).List":            func() error { _, err := (*versori.HubsService)(nil).List(ctx, "o"); return err },
		"(*EmbedService)(nil).GetIntegration": func() error { _, err := (*versori.EmbedService)(nil).GetIntegration(ctx, "h", u, "i"); return err },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { notInitialised(t, name, call) })
	}
	t.Run("accessors", func(t *testing.T) {
		require.NotPanics(t, func() {
			assert.Empty(t, nilClient.BaseURL())
			assert.Empty(t, nilClient.OrganisationID())
			assert.Empty(t, zero.BaseURL())
		})
	})
}
