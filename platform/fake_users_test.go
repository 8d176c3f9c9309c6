package platform_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

func TestFakeUsersLifecycle(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()

	// An external ID with characters a path must escape still names the user.
	ext := platform.ExternalID("acme/42 ?#%@example.com")
	created, err := p.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: ext, DisplayName: "Acme"})
	require.NoError(t, err)
	assert.Equal(t, ext, created.ExternalID)
	assert.Equal(t, "Acme", created.DisplayName)
	assert.Equal(t, srv.Seeded().OrganisationID, created.OrganisationID)
	assert.False(t, created.CreatedAt.IsZero())

	byExternal, err := p.Users.Get(ctx, ext)
	require.NoError(t, err)
	byID, err := p.Users.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, created, byExternal)
	assert.Equal(t, created, byID)

	require.NoError(t, p.Users.Delete(ctx, ext))
	_, err = p.Users.Get(ctx, created.ID)
	assert.ErrorIs(t, err, versori.ErrNotFound)
	err = p.Users.Delete(ctx, created.ID)
	assert.ErrorIs(t, err, versori.ErrNotFound)
}

func TestFakeUsersDeleteByVersoriID(t *testing.T) {
	t.Parallel()
	_, p := newFake(t)
	u := newUser(t, p, "by-id")
	require.NoError(t, p.Users.Delete(t.Context(), u.ID))
	_, err := p.Users.Get(t.Context(), u.ExternalID)
	assert.ErrorIs(t, err, versori.ErrNotFound)
}

func TestFakeUsersDuplicateExternalIDConflicts(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	first := newUser(t, p, "dup")
	_, err := p.Users.Create(t.Context(), platform.CreateEndUserParams{ExternalID: "dup", DisplayName: "again"})
	require.ErrorIs(t, err, versori.ErrConflict)
	var apiErr *versori.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusConflict, apiErr.StatusCode)
	assert.Equal(t, "CreateEndUser", apiErr.Operation)
	// A 409 is an answer, not a fault: no retry, and the first user stands.
	assert.Equal(t, []string{versoritest.OpPlatformCreateEndUser, versoritest.OpPlatformCreateEndUser}, ops(srv))
	got, err := p.Users.Get(t.Context(), platform.ExternalID("dup"))
	require.NoError(t, err)
	assert.Equal(t, first, got)
}

func TestFakeUsersListAndFilters(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	activate(t, srv, p, "active-1")
	newUser(t, p, "idle-1")
	newUser(t, p, "idle-2")

	page, err := p.Users.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, page.TotalCount)
	assert.Len(t, page.Users, 3)
	assert.Empty(t, page.Next)

	page, err = p.Users.List(ctx, &platform.ListEndUsersParams{Search: "IDLE"})
	require.NoError(t, err)
	assert.ElementsMatch(t, []platform.ExternalID{"idle-1", "idle-2"}, externalIDs(page.Users))

	env := srv.Seeded().Platform.EnvironmentID
	page, err = p.Users.List(ctx, &platform.ListEndUsersParams{Activated: versori.Ptr(true), EnvironmentID: env})
	require.NoError(t, err)
	assert.Equal(t, []platform.ExternalID{"active-1"}, externalIDs(page.Users))
	page, err = p.Users.List(ctx, &platform.ListEndUsersParams{Activated: versori.Ptr(false), EnvironmentID: env})
	require.NoError(t, err)
	assert.ElementsMatch(t, []platform.ExternalID{"idle-1", "idle-2"}, externalIDs(page.Users))
}

// The PageInfo shape: Users.All follows next through every page.
func TestFakeUsersAllPagesThroughEveryUser(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	var want []platform.ExternalID
	for _, id := range []platform.ExternalID{"u1", "u2", "u3", "u4", "u5"} {
		newUser(t, p, id)
		want = append(want, id)
	}
	resetRequests(srv)

	got, err := collect(p.Users.All(t.Context(), &platform.ListEndUsersParams{First: 2}))
	require.NoError(t, err)
	assert.ElementsMatch(t, want, externalIDs(got))
	assert.Equal(t, slices.Repeat([]string{versoritest.OpPlatformListEndUsers}, 3), ops(srv), "3 pages of 2")

	// The first page of a List is where All starts; its next is the second's.
	first, err := p.Users.List(t.Context(), &platform.ListEndUsersParams{First: 2})
	require.NoError(t, err)
	rest, err := collect(p.Users.All(t.Context(), &platform.ListEndUsersParams{First: 2, After: first.Next}))
	require.NoError(t, err)
	assert.Equal(t, externalIDs(got), append(externalIDs(first.Users), externalIDs(rest)...))
}

func TestFakeUsersFaults(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	newUser(t, p, "f1")
	resetRequests(srv)

	// A GET is retried through 503s.
	srv.FailNext(versoritest.OpPlatformGetEndUser, 2, versoritest.Fault{Status: http.StatusServiceUnavailable})
	_, err := p.Users.Get(ctx, platform.ExternalID("f1"))
	require.NoError(t, err)
	assert.Len(t, ops(srv), 3)

	// A POST is not retried after a 503: the server may have acted on it.
	resetRequests(srv)
	srv.FailNext(versoritest.OpPlatformCreateEndUser, 1, versoritest.Fault{Status: http.StatusServiceUnavailable})
	_, err = p.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "f2"})
	assert.ErrorIs(t, err, versori.ErrServer)
	assert.ErrorIs(t, err, versori.ErrMaybeProcessed)
	assert.Len(t, ops(srv), 1)

	// It is retried after a 429, which says it was not processed.
	resetRequests(srv)
	srv.FailNext(versoritest.OpPlatformCreateEndUser, 1, versoritest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "0"})
	_, err = p.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "f2"})
	require.NoError(t, err)
	assert.Len(t, ops(srv), 2)

	// Out of retries, the last error is returned.
	srv.FailNext(versoritest.OpPlatformListEndUsers, 3, versoritest.Fault{Status: http.StatusBadGateway})
	_, err = p.Users.List(ctx, nil)
	assert.ErrorIs(t, err, versori.ErrServer)

	// A dropped connection on a DELETE is retried.
	srv.FailNext(versoritest.OpPlatformDeleteEndUser, 1, versoritest.Fault{Drop: true})
	require.NoError(t, p.Users.Delete(ctx, platform.ExternalID("f2")))
}

func externalIDs(users []platform.EndUser) []platform.ExternalID {
	out := make([]platform.ExternalID, len(users))
	for i, u := range users {
		out[i] = u.ExternalID
	}
	return out
}

// TestUsersExternalIDThatIsAnotherUsersID: the API's {user_id} (and an
// activation's userId) take either kind of ID and try Versori's first, so an
// end user who chose another user's Versori ID as their external ID would be
// that other user to every call made with ExternalID(theirs): Get would
// return the victim, Delete delete them, an activation bind them.
func TestUsersExternalIDThatIsAnotherUsersID(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	victim, err := c.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "victim"})
	require.NoError(t, err)
	chosen := platform.ExternalID(victim.ID)
	attacker, err := c.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: chosen})
	require.NoError(t, err, "the attacker registers with the victim's Versori ID as external ID")

	got, err := c.Users.Get(ctx, chosen)
	require.NoError(t, err)
	assert.Equal(t, attacker.ID, got.ID, "Get(ExternalID) returned another user")
	got, err = c.Users.Get(ctx, &chosen)
	require.NoError(t, err)
	assert.Equal(t, attacker.ID, got.ID, "Get(*ExternalID) returned another user")

	_, err = c.Users.Get(ctx, platform.UserID(victim.ExternalID))
	assert.ErrorIs(t, err, versori.ErrNotFound, "a UserID is not looked up as an external ID")

	connectAll(t, c, templates(t, srv, c), chosen)
	a, err := c.Activations.Create(ctx, platform.CreateActivationParams{User: chosen, EnvironmentID: srv.Seeded().Platform.EnvironmentID})
	require.NoError(t, err)
	assert.Equal(t, attacker.ID, a.User.ID, "the activation went to another user")

	require.NoError(t, c.Users.Delete(ctx, chosen))
	_, err = c.Users.Get(ctx, victim.ID)
	require.NoError(t, err, "deleting the attacker's user deleted the victim")
	_, err = c.Users.Get(ctx, attacker.ID)
	assert.ErrorIs(t, err, versori.ErrNotFound)
}
