package platform_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

func TestFakeSigningKeysLifecycle(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()

	set, err := p.SigningKeys.Create(ctx, "backend")
	require.NoError(t, err)
	assert.Equal(t, "backend", set.Name)
	assert.Contains(t, set.PrivateKey.Reveal(), "BEGIN PRIVATE KEY")
	assertNoSecret(t, set, set.PrivateKey.Reveal())
	key, err := set.SigningKey()
	require.NoError(t, err)
	assert.Equal(t, set.ID, key.KeyID())
	// The Organisations API is reached beside the Platform API.
	assert.Equal(t, "/api/organisations/v1/organisations/"+srv.Seeded().OrganisationID+"/keys",
		lastRequestOf(t, srv, versoritest.OpPlatformCreateSigningKey).Path)

	list, err := p.SigningKeys.List(ctx)
	require.NoError(t, err)
	require.Len(t, list.Keys, 1)
	assert.Equal(t, platform.PublicKey{ID: set.ID, Name: set.Name, PublicKey: set.PublicKey, CreatedAt: set.CreatedAt}, list.Keys[0])

	// Anyone may read a public key: no organisation, no credentials needed.
	pub, err := srv.PlatformClient(versori.WithAPIKey("not-the-key")).SigningKeys.GetPublicKey(ctx, set.ID)
	require.NoError(t, err)
	assert.Equal(t, list.Keys[0], *pub)
	assert.Equal(t, "/api/organisations/v1/keys/"+set.ID, lastRequestOf(t, srv, versoritest.OpPlatformGetPublicKey).Path)

	// Tokens of the key work until it is deleted.
	newUser(t, p, "holder")
	me := asUser(t, srv, key, "holder")
	_, err = me.Users.Get(ctx, platform.ExternalID("holder"))
	require.NoError(t, err)
	require.NoError(t, p.SigningKeys.Delete(ctx, set.ID))
	_, err = me.Users.Get(ctx, platform.ExternalID("holder"))
	assert.ErrorIs(t, err, versori.ErrUnauthorized)
	assert.ErrorIs(t, p.SigningKeys.Delete(ctx, set.ID), versori.ErrNotFound)
	_, err = p.SigningKeys.GetPublicKey(ctx, set.ID)
	assert.ErrorIs(t, err, versori.ErrNotFound)
}

// The wrapper shape, {keys: [...]}: All makes one call.
func TestFakeSigningKeysAll(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	a, b := signingKey(t, p), signingKey(t, p)
	resetRequests(srv)
	keys, err := collect(p.SigningKeys.All(t.Context()))
	require.NoError(t, err)
	var ids []string
	for _, k := range keys {
		ids = append(ids, k.ID)
	}
	assert.ElementsMatch(t, []string{a.KeyID(), b.KeyID()}, ids)
	assert.Equal(t, []string{versoritest.OpPlatformListSigningKeys}, ops(srv))
}

// An end user's token acts for that end user only: their own user,
// connections and activations, and the configuration the embedded UI reads.
func TestFakeEndUserTokenActsOnlyForItsUser(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	env := srv.Seeded().Platform.EnvironmentID
	tms := templates(t, srv, p)
	key := signingKey(t, p)
	other := activate(t, srv, p, "other")
	resetRequests(srv)

	// The token's user may create itself, as Versori's embed SDK does.
	me := asUser(t, srv, key, "me@acme.example")
	mine, err := me.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "me@acme.example"})
	require.NoError(t, err)
	got, err := me.Users.Get(ctx, mine.ID)
	require.NoError(t, err)
	assert.Equal(t, mine, got)
	conns := connectAll(t, me, tms, "me@acme.example")
	a, err := me.Activations.Create(ctx, platform.CreateActivationParams{User: platform.ExternalID("me@acme.example"), EnvironmentID: env})
	require.NoError(t, err)
	_, err = me.Activations.SetVariable(ctx, env, a.ID, "region", "eu")
	require.NoError(t, err)
	_, err = me.Activations.GetConnection(ctx, a.ID, tms["acme"].ConnectionTemplateID)
	require.NoError(t, err)
	page, err := me.Connections.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, page.Items, len(conns), "its own connections only")
	acts, err := me.Activations.ListForUser(ctx, env, "me@acme.example")
	require.NoError(t, err)
	assert.Len(t, acts, 1)
	// It reads the organisation's configuration.
	_, err = me.Projects.List(ctx)
	require.NoError(t, err)
	_, err = me.Systems.List(ctx, nil)
	require.NoError(t, err)
	_, err = me.Templates.List(ctx, srv.Seeded().Platform.ProjectID, nil)
	require.NoError(t, err)

	// Another end user's resources look absent.
	_, err = me.Users.Get(ctx, platform.ExternalID("other"))
	assert.ErrorIs(t, err, versori.ErrNotFound)
	_, err = me.Activations.Get(ctx, env, other.ID)
	assert.ErrorIs(t, err, versori.ErrNotFound)
	_, err = me.Connections.Get(ctx, other.Connections[0].ID)
	assert.ErrorIs(t, err, versori.ErrNotFound)
	_, err = me.Activations.ListForUser(ctx, env, "other")
	assert.ErrorIs(t, err, versori.ErrNotFound)
	assert.ErrorIs(t, me.Users.Delete(ctx, platform.ExternalID("other")), versori.ErrNotFound)
	// Acting for another end user is forbidden.
	_, err = me.Connections.Create(ctx, platform.CreateConnectionParams{TemplateID: tms["acme"].ConnectionTemplateID, ExternalID: "other", Connection: connectionFor(t, tms["acme"])})
	assert.ErrorIs(t, err, versori.ErrForbidden)
	_, err = me.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "someone-else"})
	assert.ErrorIs(t, err, versori.ErrForbidden)
	// Organisation-wide operations are forbidden.
	_, err = me.Users.List(ctx, nil)
	assert.ErrorIs(t, err, versori.ErrForbidden)
	_, err = me.Activations.List(ctx, env)
	assert.ErrorIs(t, err, versori.ErrForbidden)
	_, err = me.SigningKeys.List(ctx)
	assert.ErrorIs(t, err, versori.ErrForbidden)
	_, err = me.Activations.SetStaticVariables(ctx, env, versori.DynamicVariables{"region": "eu"})
	assert.ErrorIs(t, err, versori.ErrForbidden)

	// It may deactivate and delete itself.
	require.NoError(t, me.Activations.Delete(ctx, env, a.ID))
	require.NoError(t, me.Users.Delete(ctx, platform.ExternalID("me@acme.example")))
	// Every request carried the token, none the API key.
	for _, r := range srv.Requests() {
		assert.Equal(t, "JWT [REDACTED]", r.Header.Get("Authorization"), r.Operation)
	}
}

// A token without a subject acts for the organisation, but may not create or
// delete end users.
func TestFakeOrganisationTokenCannotManageEndUsers(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	ts, err := signingKey(t, p).TokenSource(0)
	require.NoError(t, err)
	console := srv.PlatformClient(versori.WithTokenSource(ts))
	newUser(t, p, "existing")

	_, err = console.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "new"})
	assert.ErrorIs(t, err, versori.ErrForbidden)
	assert.ErrorIs(t, console.Users.Delete(ctx, platform.ExternalID("existing")), versori.ErrForbidden)
	users, err := console.Users.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, users.Users, 1)
	_, err = console.SigningKeys.List(ctx)
	require.NoError(t, err)
}

func TestFakeSigningKeysFaults(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	// A key made by a create that failed after reaching the server may exist:
	// the error says so, and the create is not repeated.
	srv.FailNext(versoritest.OpPlatformCreateSigningKey, 1, versoritest.Fault{Status: http.StatusServiceUnavailable})
	_, err := p.SigningKeys.Create(ctx, "lost")
	assert.ErrorIs(t, err, versori.ErrMaybeProcessed)
	assert.Len(t, srv.Requests(), 1)

	key := signingKey(t, p)
	srv.FailNext(versoritest.OpPlatformListSigningKeys, 1, versoritest.Fault{Status: http.StatusBadGateway})
	srv.FailNext(versoritest.OpPlatformGetPublicKey, 1, versoritest.Fault{Drop: true})
	srv.FailNext(versoritest.OpPlatformDeleteSigningKey, 1, versoritest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "0"})
	_, err = p.SigningKeys.List(ctx)
	require.NoError(t, err)
	_, err = p.SigningKeys.GetPublicKey(ctx, key.KeyID())
	require.NoError(t, err)
	require.NoError(t, p.SigningKeys.Delete(ctx, key.KeyID()))

	// The Organisations API's errors ({code, message, cause}) decode too.
	err = p.SigningKeys.Delete(ctx, key.KeyID())
	var apiErr *versori.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.NotEmpty(t, apiErr.Message)
	assert.Equal(t, "DeleteSigningKey", apiErr.Operation)
}
