package versori_test

// Client.Do, the escape hatch for calls the typed API does not have.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

// getEndUserRequest is GetEndUser for a user by external ID, made by hand.
func getEndUserRequest(hubID, externalID string) versori.Request {
	return versori.Request{
		Method:    http.MethodGet,
		Path:      "/hubs/" + url.PathEscape(hubID) + "/users/" + url.PathEscape(externalID),
		Query:     url.Values{"identifier_type": {"external"}},
		Operation: "GetEndUser",
	}
}

func TestDoGetsTheSameUserAsUsersGet(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t)
	ctx := context.Background()
	hubID := fake.Seeded().HubID
	createUser(t, c, hubID, "jane+ops@acme.io/eu #1")

	fake.ResetRequests()
	typed, err := c.Users.Get(ctx, hubID, versori.ExternalUser("jane+ops@acme.io/eu #1"))
	require.NoError(t, err)
	var viaDo versori.EndUser
	require.NoError(t, c.Do(ctx, getEndUserRequest(hubID, "jane+ops@acme.io/eu #1"), &viaDo))
	assert.Equal(t, *typed, viaDo)

	reqs := fake.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, versoritest.OpGetEndUser, reqs[1].Operation)
	assert.Equal(t, reqs[0].Path, reqs[1].Path, "the same escaped path")
	assert.Equal(t, reqs[0].RawQuery, reqs[1].RawQuery)
	assert.Equal(t, reqs[0].Header.Get("Authorization"), reqs[1].Header.Get("Authorization"), "the client's credentials")
	assert.Equal(t, reqs[0].Header.Get("User-Agent"), reqs[1].Header.Get("User-Agent"))

	var raw json.RawMessage
	require.NoError(t, c.Do(ctx, getEndUserRequest(hubID, "jane+ops@acme.io/eu #1"), &raw))
	assert.Contains(t, string(raw), `"externalId":"jane+ops@acme.io/eu #1"`)
}

func TestDoErrorsAreTheTypedOnes(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t)
	ctx := context.Background()
	hubID := fake.Seeded().HubID

	var u versori.EndUser
	err := c.Do(ctx, getEndUserRequest(hubID, "nobody"), &u)
	var apiErr *versori.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, versori.ErrNotFound)
	assert.Equal(t, "GetEndUser", apiErr.Operation)
	assert.Equal(t, http.MethodGet, apiErr.Method)

	// A 2xx answer without what the type promises.
	fake.FailNext(versoritest.OpGetHub, 1, versoritest.Fault{Status: http.StatusOK, Body: `{}`})
	err = c.Do(ctx, versori.Request{Method: "get", Path: "/hubs/" + hubID, Operation: "GetHub"}, &u)
	var decodeErr *versori.DecodeError
	require.ErrorAs(t, err, &decodeErr)
	assert.Equal(t, "GetHub", decodeErr.Operation)
	assert.Equal(t, http.MethodGet, decodeErr.Method, "the method is sent upper case")
	assert.ErrorIs(t, err, versori.ErrMaybeProcessed)
}

// TestDoSendsSecretsInTheBody creates a user through Do: the Secret in the
// body goes out as its value, as in a typed call.
func TestDoSendsSecretsInTheBody(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t)
	ctx := context.Background()
	hubID := fake.Seeded().HubID
	body := versori.CreateEndUserParams{
		ExternalID: "via-do",
		PrimaryConnection: versori.ConnectionCreate{Name: "crm", Credentials: versori.ActionCredential(
			versori.AuthSchemeConfig{ID: "01JA2B3C4D5E6F7G8H9J0K1M2N", Description: "key", Scheme: versori.APIKeyScheme{Name: "X-API-Key", In: versori.InHeader}},
			versori.APIKey("key", "sk_live_via_do"),
		)},
	}
	var u versori.EndUser
	require.NoError(t, c.Do(ctx, versori.Request{Method: http.MethodPost, Path: "/hubs/" + hubID + "/users", Body: body, Operation: "CreateEndUser"}, &u))
	assert.Equal(t, "via-do", u.ExternalID)
	reqs := fake.Requests()
	require.Len(t, reqs, 1)
	assert.Contains(t, string(reqs[0].Body), `"value":"sk_live_via_do"`)
	assert.Equal(t, "application/json", reqs[0].Header.Get("Content-Type"))

	// With nil out, the answer is not decoded.
	require.NoError(t, c.Do(ctx, versori.Request{Method: http.MethodDelete, Path: "/hubs/" + hubID + "/users/via-do", Operation: "DeleteEndUser"}, nil))
	_, err := c.Users.Get(ctx, hubID, versori.ExternalUser("via-do"))
	assert.ErrorIs(t, err, versori.ErrNotFound)
}

// TestDoRefusesABadMethodOrPathBeforeSending checks Do refuses a method
// that is not an HTTP token and a path that is not one escaped path below
// the base URL.
func TestDoRefusesABadMethodOrPathBeforeSending(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t)
	ctx := t.Context()
	for _, method := range []string{"", "GE T", "GET\n", "GET/", "DÉLÈTE"} {
		err := c.Do(ctx, versori.Request{Method: method, Path: "/healthz"}, nil)
		requireValidationError(t, err, "method")
	}
	for _, path := range []string{
		"", "healthz", "https://example.com/healthz", "/hubs?x=1", "/hubs#x",
		"/hubs/a b", "/hubs/a\tb", "/hubs/a\x00", "/hubs/a\x7f",
		"/./healthz", "/hubs/../healthz", "/hubs/%2e%2e/healthz", "/hubs/%zz", "/hubs/100%",
	} {
		err := c.Do(ctx, versori.Request{Method: http.MethodGet, Path: path}, nil)
		requireValidationError(t, err, "path")
	}
	// A body that cannot be encoded as JSON.
	err := c.Do(ctx, versori.Request{Method: http.MethodPost, Path: "/hubs", Body: func() {}}, nil)
	requireValidationError(t, err, "request body")
	// An option that is refused.
	err = c.Do(ctx, versori.Request{Method: http.MethodGet, Path: "/healthz"}, nil, versori.WithMaxRetries(-1))
	requireValidationError(t, err, "retryPolicy.maxRetries")
	requireNothingSent(t, fake)

	require.NoError(t, c.Do(ctx, versori.Request{Method: http.MethodGet, Path: "/healthz"}, nil))
	assert.Len(t, fake.Requests(), 1)
}
