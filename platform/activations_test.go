package platform_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

func TestFakeActivationsLifecycle(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	env := srv.Seeded().Platform.EnvironmentID
	a := activate(t, srv, p, "life")

	assert.Equal(t, platform.ExternalID("life"), a.User.ExternalID)
	require.NotNil(t, a.Environment)
	assert.Equal(t, env, a.Environment.ID)
	assert.Len(t, a.Connections, 5, "one per dynamic template")
	assert.Equal(t, versori.DynamicVariables{"region": "eu"}, a.DynamicVariables)

	got, err := p.Activations.Get(ctx, env, a.ID)
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.ID)
	assert.Equal(t, connectionIDs(a.Connections), connectionIDs(got.Connections))

	require.NoError(t, p.Activations.Delete(ctx, env, a.ID))
	_, err = p.Activations.Get(ctx, env, a.ID)
	assert.ErrorIs(t, err, versori.ErrNotFound)
	assert.ErrorIs(t, p.Activations.Delete(ctx, env, a.ID), versori.ErrNotFound)
	// Deactivating keeps the user's connections.
	user, err := p.Users.Get(ctx, platform.ExternalID("life"))
	require.NoError(t, err)
	page, err := p.Connections.List(ctx, &platform.ListConnectionsParams{EndUserID: user.ID})
	require.NoError(t, err)
	assert.Len(t, page.Items, 5)
}

// The API refuses an activation until every dynamic template of the
// environment has a connection for the user.
func TestFakeActivationsNeedEveryDynamicTemplateConnected(t *testing.T) {
	t.Parallel()
	srv, p, tms := newFakeWithUser(t, "partial")
	ctx := t.Context()
	env := srv.Seeded().Platform.EnvironmentID

	var connected []string
	for _, name := range []string{"acme", "netsuite", "shopify", "trello", "zendesk"} {
		_, err := p.Activations.Create(ctx, platform.CreateActivationParams{User: platform.ExternalID("partial"), EnvironmentID: env})
		require.ErrorIs(t, err, versori.ErrValidation, "connected %v", connected)
		var apiErr *versori.APIError
		require.ErrorAs(t, err, &apiErr)
		missing := 0
		for _, f := range apiErr.Fields {
			if f.Field == "connections" {
				missing++
			}
		}
		assert.Equal(t, 5-len(connected), missing, "one field error per template left")
		connect(t, p, "partial", tms[name])
		connected = append(connected, name)
	}
	_, err := p.Activations.Create(ctx, platform.CreateActivationParams{User: platform.ExternalID("partial"), EnvironmentID: env})
	require.NoError(t, err)
	// One activation per user and environment.
	_, err = p.Activations.Create(ctx, platform.CreateActivationParams{User: platform.ExternalID("partial"), EnvironmentID: env})
	assert.ErrorIs(t, err, versori.ErrConflict)
}

// Connections given when activating: new ones, and existing ones by ID; the
// user is named by Versori's ID.
func TestFakeActivationsWithNewAndExistingConnections(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	env := srv.Seeded().Platform.EnvironmentID
	tms := templates(t, srv, p)
	user := newUser(t, p, "inline")
	existing := connect(t, p, "inline", tms["acme"])

	var conns []platform.ActivationConnection
	for _, name := range []string{"netsuite", "shopify", "trello", "zendesk"} {
		c := connectionFor(t, tms[name])
		conns = append(conns, platform.ActivationConnection{TemplateID: tms[name].ConnectionTemplateID, Connection: &c})
	}
	conns = append(conns, platform.ActivationConnection{TemplateID: tms["acme"].ConnectionTemplateID, ExistingConnectionID: existing.ID})
	// Variables the project's schema refuses are the API's 400, naming them.
	_, err := p.Activations.Create(ctx, platform.CreateActivationParams{
		User: user.ID, EnvironmentID: env, Connections: conns, DynamicVariables: versori.DynamicVariables{"region": "mars"},
	})
	var apiErr *versori.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Len(t, apiErr.Fields, 1)
	assert.Equal(t, "dynamicVariables.region", apiErr.Fields[0].Field)

	a, err := p.Activations.Create(ctx, platform.CreateActivationParams{
		User: user.ID, EnvironmentID: env, Connections: conns,
		DynamicVariables: versori.DynamicVariables{"syncIntervalMinutes": 15},
	})
	require.NoError(t, err)
	assert.Len(t, a.Connections, 5)
	assert.Contains(t, connectionIDs(a.Connections), existing.ID)
	for _, c := range a.Connections {
		for _, name := range []string{"netsuite", "shopify", "trello", "zendesk"} {
			assertNoSecret(t, c, secretOf(name))
		}
	}
	// The SDK minted the new credentials' IDs and named the organisation.
	var body struct {
		Connections []struct {
			Connection *struct {
				Credentials []struct {
					ID         string
					Credential struct{ ID, OrganisationID string }
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal(lastRequestOf(t, srv, versoritest.OpPlatformActivateUser).Body, &body))
	for _, c := range body.Connections[:4] {
		require.NotNil(t, c.Connection)
		assert.Len(t, c.Connection.Credentials[0].ID, 26)
		assert.Len(t, c.Connection.Credentials[0].Credential.ID, 26)
		assert.Equal(t, srv.Seeded().OrganisationID, c.Connection.Credentials[0].Credential.OrganisationID)
	}

	// The connection the activation uses for each template.
	for name, tm := range tms {
		got, err := p.Activations.GetConnection(ctx, a.ID, tm.ConnectionTemplateID)
		require.NoError(t, err, name)
		assert.Equal(t, tm.ConnectionTemplateID, got.TemplateID, name)
	}
	got, err := p.Activations.GetConnection(ctx, a.ID, tms["slack"].ConnectionTemplateID)
	require.NoError(t, err)
	assert.Equal(t, srv.Seeded().Platform.StaticConnectionID, got.ID, "a static template's is the static connection")

}

func TestFakeActivationsVariables(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	env := srv.Seeded().Platform.EnvironmentID
	a := activate(t, srv, p, "vars")

	vars, err := p.Activations.SetVariables(ctx, env, a.ID, versori.DynamicVariables{"syncIntervalMinutes": 30, "notifyEmail": "ops@acme.example"})
	require.NoError(t, err)
	assert.Equal(t, versori.DynamicVariables{"region": "eu", "syncIntervalMinutes": 30.0, "notifyEmail": "ops@acme.example"}, vars)

	vars, err = p.Activations.SetVariable(ctx, env, a.ID, "region", "us")
	require.NoError(t, err)
	assert.Equal(t, "us", vars["region"])
	assert.JSONEq(t, `{"value":"us"}`, string(lastRequestOf(t, srv, versoritest.OpPlatformSetDynamicVariable).Body))
	vars, err = p.Activations.SetVariable(ctx, env, a.ID, "syncIntervalMinutes", json.RawMessage(`45`))
	require.NoError(t, err)
	assert.Equal(t, 45.0, vars["syncIntervalMinutes"])

	// A null deletes a variable (a merge patch).
	vars, err = p.Activations.SetVariables(ctx, env, a.ID, versori.DynamicVariables{"notifyEmail": nil})
	require.NoError(t, err)
	assert.NotContains(t, vars, "notifyEmail")
	got, err := p.Activations.Get(ctx, env, a.ID)
	require.NoError(t, err)
	assert.Equal(t, vars, got.DynamicVariables)

	// The project's schema is applied.
	_, err = p.Activations.SetVariable(ctx, env, a.ID, "syncIntervalMinutes", 1)
	assert.ErrorIs(t, err, versori.ErrValidation)
	_, err = p.Activations.SetVariables(ctx, env, a.ID, versori.DynamicVariables{"unknown": true})
	assert.ErrorIs(t, err, versori.ErrValidation)
	// A null value is refused before sending.
	_, err = p.Activations.SetVariable(ctx, env, a.ID, "region", nil)
	assert.ErrorIs(t, err, versori.ErrNotSent)

	static, err := p.Activations.SetStaticVariables(ctx, env, versori.DynamicVariables{"region": "us"})
	require.NoError(t, err)
	assert.Equal(t, versori.DynamicVariables{"region": "us"}, static)
	static, err = p.Activations.SetStaticVariables(ctx, env, versori.DynamicVariables{"syncIntervalMinutes": 60})
	require.NoError(t, err)
	assert.Equal(t, versori.DynamicVariables{"region": "us", "syncIntervalMinutes": 60.0}, static)
	_, err = p.Activations.SetStaticVariables(ctx, "01ARZ3NDEKTSV4RRFFQ69G5FAV", versori.DynamicVariables{"region": "us"})
	assert.ErrorIs(t, err, versori.ErrNotFound)
}

// The bare-array shape: List and ListForUser return every activation at
// once, and All and AllForUser iterate over that one answer.
func TestFakeActivationsListsAndIterators(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	env := srv.Seeded().Platform.EnvironmentID
	var want []string
	for _, u := range []platform.ExternalID{"l1", "l2", "l3"} {
		want = append(want, activate(t, srv, p, u).ID)
	}

	list, err := p.Activations.List(ctx, env)
	require.NoError(t, err)
	assert.ElementsMatch(t, want, activationIDs(list))
	resetRequests(srv)
	all, err := collect(p.Activations.All(ctx, env))
	require.NoError(t, err)
	assert.ElementsMatch(t, want, activationIDs(all))
	assert.Equal(t, []string{versoritest.OpPlatformListActivations}, ops(srv), "one call")

	mine, err := p.Activations.ListForUser(ctx, env, "l2")
	require.NoError(t, err)
	assert.Equal(t, want[1:2], activationIDs(mine))
	resetRequests(srv)
	mine, err = collect(p.Activations.AllForUser(ctx, env, "l2"))
	require.NoError(t, err)
	assert.Equal(t, want[1:2], activationIDs(mine))
	assert.Equal(t, []string{versoritest.OpPlatformListUserActivations}, ops(srv))

	// Breaking out of an iterator stops it.
	for a, err := range p.Activations.All(ctx, env) {
		require.NoError(t, err)
		assert.Contains(t, want, a.ID)
		break
	}
	// An unknown user has no activations to list: 404.
	_, err = p.Activations.ListForUser(ctx, env, "nobody")
	assert.ErrorIs(t, err, versori.ErrNotFound)
	// Errors are yielded once.
	srv.FailNext(versoritest.OpPlatformListActivations, 3, versoritest.Fault{Status: http.StatusServiceUnavailable})
	items, err := collect(p.Activations.All(ctx, env))
	assert.ErrorIs(t, err, versori.ErrServer)
	assert.Empty(t, items)
}

func TestFakeActivationsFaults(t *testing.T) {
	t.Parallel()
	srv, p, tms := newFakeWithUser(t, "faulty")
	ctx := t.Context()
	env := srv.Seeded().Platform.EnvironmentID
	connectAll(t, p, tms, "faulty")

	// ActivateUser is a POST: a 500 is not retried, a 429 is.
	srv.FailNext(versoritest.OpPlatformActivateUser, 1, versoritest.Fault{Status: http.StatusInternalServerError})
	_, err := p.Activations.Create(ctx, platform.CreateActivationParams{User: platform.ExternalID("faulty"), EnvironmentID: env})
	assert.ErrorIs(t, err, versori.ErrMaybeProcessed)
	srv.FailNext(versoritest.OpPlatformActivateUser, 1, versoritest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "0"})
	a, err := p.Activations.Create(ctx, platform.CreateActivationParams{User: platform.ExternalID("faulty"), EnvironmentID: env})
	require.NoError(t, err)

	// The variable operations are PATCH and PUT: retried.
	resetRequests(srv)
	srv.FailNext(versoritest.OpPlatformSetDynamicVariables, 1, versoritest.Fault{Status: http.StatusBadGateway})
	srv.FailNext(versoritest.OpPlatformSetDynamicVariable, 1, versoritest.Fault{Drop: true})
	srv.FailNext(versoritest.OpPlatformSetStaticUserVariables, 1, versoritest.Fault{Status: http.StatusGatewayTimeout})
	srv.FailNext(versoritest.OpPlatformGetActivationConnection, 1, versoritest.Fault{Status: http.StatusServiceUnavailable})
	_, err = p.Activations.SetVariables(ctx, env, a.ID, versori.DynamicVariables{"region": "us"})
	require.NoError(t, err)
	_, err = p.Activations.SetVariable(ctx, env, a.ID, "region", "eu")
	require.NoError(t, err)
	_, err = p.Activations.SetStaticVariables(ctx, env, versori.DynamicVariables{"region": "eu"})
	require.NoError(t, err)
	_, err = p.Activations.GetConnection(ctx, a.ID, tms["acme"].ConnectionTemplateID)
	require.NoError(t, err)
	assert.Len(t, srv.Requests(), 8, "each once more")

	// Out of retries, a GET or DELETE returns the last error.
	srv.FailNext(versoritest.OpPlatformGetActivation, 3, versoritest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "0"})
	_, err = p.Activations.Get(ctx, env, a.ID)
	assert.ErrorIs(t, err, versori.ErrServer)
	srv.FailNext(versoritest.OpPlatformListUserActivations, 1, versoritest.Fault{Status: http.StatusUnauthorized})
	_, err = p.Activations.ListForUser(ctx, env, "faulty")
	assert.ErrorIs(t, err, versori.ErrUnauthorized)
	srv.FailNext(versoritest.OpPlatformDeleteActivation, 1, versoritest.Fault{Status: http.StatusConflict})
	assert.ErrorIs(t, p.Activations.Delete(ctx, env, a.ID), versori.ErrConflict)
	require.NoError(t, p.Activations.Delete(ctx, env, a.ID))
}

// activationIDs returns the activations' IDs, sorted.
func activationIDs(as []platform.Activation) []string {
	return slices.Sorted(slices.Values(keysOf(as, func(a platform.Activation) string { return a.ID })))
}
