package versori_test

// The one set of builders for tests and examples that run against the fake
// (versoritest). Every fake-backed test starts its fake through launchFake,
// so switching to versoritest.New(t) later is a change in one place.

import (
	"context"
	"fmt"
	"iter"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

// launchFake starts a seeded fake and a client for it, opts applying on top
// of the fake's key and URL. On error the fake is already closed.
func launchFake(opts ...versori.Option) (*versori.Client, *versoritest.Server, error) {
	srv := versoritest.NewServer()
	c, err := versori.NewClient(append([]versori.Option{versori.WithAPIKey(srv.APIKey), versori.WithBaseURL(srv.URL)}, opts...)...)
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return c, srv, nil
}

// fastRetries keeps the waits between retries to a millisecond at most, so
// tests that inject faults stay quick.
var fastRetries = versori.WithRetryPolicy(versori.RetryPolicy{MaxRetries: 2, BaseDelay: time.Microsecond, MaxDelay: time.Millisecond})

// startFake starts a seeded fake for the test, closed when it ends, and a
// client for it that retries without waiting; opts apply on top.
func startFake(t testing.TB, opts ...versori.Option) (*versori.Client, *versoritest.Server) {
	t.Helper()
	c, srv, err := launchFake(append([]versori.Option{fastRetries}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	return c, srv
}

// startSeeded starts a fake as startFake does, for a test that needs only a
// client and what the fake was seeded with.
func startSeeded(t testing.TB, opts ...versori.Option) (*versori.Client, versoritest.Seeded) {
	t.Helper()
	c, srv := startFake(t, opts...)
	return c, srv.Seeded()
}

// hubScheme is the auth scheme of the seeded hub's primary connector (Acme
// CRM): an API key in the X-API-Key header.
func hubScheme() versori.AuthSchemeConfig {
	return versori.AuthSchemeConfig{Description: "Acme CRM API key", Scheme: versori.APIKeyScheme{Name: "X-API-Key", In: versori.InHeader}}
}

// apiKeyCredentials returns connection credentials fitting the seeded hub's
// api-key scheme: one action credential holding key.
func apiKeyCredentials(name, key string) versori.ConnectionCredentialsCreate {
	return versori.ActionCredential(hubScheme(), versori.APIKey(name, key))
}

// primaryConnection returns a valid primary connection for the seeded hub.
func primaryConnection(externalID string) versori.ConnectionCreate {
	return versori.ConnectionCreate{Name: externalID + " CRM", Credentials: apiKeyCredentials(externalID+" key", "secret-"+externalID)}
}

// createUser registers an end user in the hub with a primary connection.
func createUser(t testing.TB, c *versori.Client, hubID, externalID string) *versori.EndUser {
	t.Helper()
	u, err := c.Users.Create(context.Background(), hubID, versori.CreateEndUserParams{
		ExternalID:        externalID,
		DisplayName:       "User " + externalID,
		PrimaryConnection: primaryConnection(externalID),
	})
	require.NoError(t, err)
	return u
}

// userID is the external ID createUsers gives its i-th user.
func userID(i int) string { return fmt.Sprintf("u-%03d", i) }

// createUsers registers n end users in the hub, userID(0) to userID(n-1).
func createUsers(t testing.TB, c *versori.Client, hubID string, n int) {
	t.Helper()
	for i := range n {
		createUser(t, c, hubID, userID(i))
	}
}

// collect ranges over seq, failing the test at the first error.
func collect[T any](t testing.TB, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

// firstErr returns the first error an iterator yields, or nil.
func firstErr[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// countOp returns how many requests the fake matched to operation op.
func countOp(srv *versoritest.Server, op string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Operation == op {
			n++
		}
	}
	return n
}

// requireValidationError checks err is a *ValidationError naming field,
// matching ErrValidation and ErrNotSent.
func requireValidationError(t testing.TB, err error, field string) *versori.ValidationError {
	t.Helper()
	var ve *versori.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, field, ve.Field, "%v", err)
	require.ErrorIs(t, err, versori.ErrValidation)
	require.ErrorIs(t, err, versori.ErrNotSent)
	require.Contains(t, err.Error(), field)
	return ve
}

// requireNothingSent checks the fake received no request at all.
func requireNothingSent(t testing.TB, srv *versoritest.Server) {
	t.Helper()
	require.Empty(t, srv.Requests(), "nothing reached the fake")
}
