package versori_test

import (
	"context"
	"errors"
	"maps"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

// newFake starts a seeded fake for the test.
func newFake(t *testing.T) *versoritest.Server {
	t.Helper()
	return versoritest.New(t)
}

// fakeClient returns a client for the fake with waits between retries of a
// millisecond at most.
func fakeClient(t *testing.T, srv *versoritest.Server, opts ...versori.Option) *versori.Client {
	t.Helper()
	fast := versori.WithRetryPolicy(versori.RetryPolicy{MaxRetries: 2, BaseDelay: time.Microsecond, MaxDelay: time.Millisecond})
	return srv.Client(append([]versori.Option{fast}, opts...)...)
}

// pathSegments splits an escaped path and unescapes each segment.
func pathSegments(t *testing.T, escaped string) []string {
	t.Helper()
	parts := strings.Split(strings.TrimPrefix(escaped, "/"), "/")
	for i, p := range parts {
		s, err := url.PathUnescape(p)
		require.NoError(t, err, escaped)
		parts[i] = s
	}
	return parts
}

// TestAdversarialIDsReachTheFakeExactly sends every adversarial ID in every
// path parameter of every method to the fake, and checks from the fake's
// request log that the request matched the method's own operation with each
// parameter exactly as given, and that none succeeded against some other
// resource (none of these IDs exist, so each must be a 404).
func TestAdversarialIDsReachTheFakeExactly(t *testing.T) {
	srv := newFake(t)
	c := fakeClient(t, srv, versori.WithRetryPolicy(versori.RetryPolicy{}))
	ctx := context.Background()
	// The other parameters are real, so a request that lost track of the
	// adversarial one would find a resource and succeed.
	seed := srv.Seeded()
	real := map[string]string{
		"{organisation_id}": seed.OrganisationID, "{hub_id}": seed.HubID, "{user_id}": "jane",
		"{integration_id}": seed.Integrations[0].ID, "{activation_id}": "01ACT",
		"{connection_template_id}": seed.Integrations[0].Templates[0].ID, "{connector_id}": seed.PrimaryConnectorID,
	}
	tried := 0
	for _, m := range versori.PathMethods() {
		for _, p := range m.Params {
			for _, id := range versori.AdversarialIDs {
				ids := maps.Clone(real)
				ids[p] = id
				srv.ResetRequests()
				err := m.Call(ctx, c, ids)
				tried++
				var api *versori.APIError
				if !assert.ErrorAs(t, err, &api, "%s %s=%q", m.Name, p, id) {
					continue
				}
				assert.True(t, errors.Is(err, versori.ErrNotFound) || errors.Is(err, versori.ErrForbidden), "%s %s=%q: %v", m.Name, p, id, err)
				reqs := srv.Requests()
				require.Len(t, reqs, 1, "%s %s=%q", m.Name, p, id)
				if id == "/" && reqs[0].Operation == "" {
					// net/http's ServeMux reads a segment that unescapes to
					// exactly "/" as a trailing slash, so the fake finds no
					// route: a 404 that reaches no resource. The path the
					// SDK sent is still checked below.
					assert.Contains(t, api.Message, "no route")
				} else {
					assert.Equal(t, m.Op, reqs[0].Operation, "%s %s=%q routed to its own operation", m.Name, p, id)
				}
				want := pathSegments(t, m.Pattern)
				for i, s := range want {
					if v, ok := ids[s]; ok {
						want[i] = v
					}
				}
				assert.Equal(t, want, pathSegments(t, reqs[0].Path), "%s %s=%q arrives exactly", m.Name, p, id)
			}
		}
	}
	t.Logf("%d adversarial path parameters sent", tried)
}

// TestAdversarialUserIDsFindTheirOwnUser creates an end user in the fake for
// every adversarial external ID (valid UTF-8 only: JSON cannot carry the
// rest), then reads, lists connections of and deletes each through its ID in
// the path, checking every call lands on that user and no other.
func TestAdversarialUserIDsFindTheirOwnUser(t *testing.T) {
	srv := newFake(t)
	c := fakeClient(t, srv)
	ctx := context.Background()
	hub := srv.Seeded().HubID
	internal := map[string]string{} // external ID -> internal ID
	for _, id := range versori.AdversarialIDs {
		if !utf8.ValidString(id) || id == "/" {
			continue // "/": see TestAdversarialIDsReachTheFakeExactly
		}
		u, err := c.Users.Create(ctx, hub, versori.CreateEndUserParams{ExternalID: id, PrimaryConnection: versori.GoodConn()})
		if strings.TrimSpace(id) == "" {
			// The API refuses blank external IDs itself; the SDK passes them on.
			assert.ErrorIs(t, err, versori.ErrValidation, "%q", id)
			continue
		}
		require.NoError(t, err, "%q", id)
		require.Equal(t, id, u.ExternalID)
		internal[id] = u.ID
	}
	for id, in := range internal {
		u, err := c.Users.Get(ctx, hub, versori.ExternalUser(id))
		require.NoError(t, err, "%q", id)
		assert.Equal(t, in, u.ID, "%q finds its own user", id)
		u, err = c.Users.Get(ctx, hub, versori.InternalUser(in))
		require.NoError(t, err)
		assert.Equal(t, id, u.ExternalID)
		page, err := c.Connections.List(ctx, hub, versori.ExternalUser(id), nil)
		require.NoError(t, err, "%q", id)
		assert.Len(t, page.Connections, 1, "%q", id)
	}
	left := len(internal)
	for id := range internal {
		require.NoError(t, c.Users.Delete(ctx, hub, versori.ExternalUser(id)), "%q", id)
		left--
		_, err := c.Users.Get(ctx, hub, versori.ExternalUser(id))
		assert.ErrorIs(t, err, versori.ErrNotFound, "%q is gone", id)
		n := 0
		for _, err := range c.Users.All(ctx, hub, nil) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, left, n, "deleting %q deleted no other user", id)
	}
	t.Logf("%d end users with adversarial external IDs created, read and deleted", len(internal))
}
