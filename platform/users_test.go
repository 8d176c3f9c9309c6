package platform_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

func endUserJSON(id, externalID string) string {
	return fmt.Sprintf(`{"id":%q,"externalId":%q,"displayName":"Acme Ltd","organisationId":%q,"createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-03T03:04:05.5Z"}`, id, externalID, testOrg)
}

func TestUsersCreate(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusCreated, endUserJSON("01USER00000000000000000001", "acme-42"))
	u, err := newClient(t, s).Users.Create(t.Context(), platform.CreateEndUserParams{ExternalID: "acme-42", DisplayName: "Acme Ltd"})
	require.NoError(t, err)
	assertSent(t, s.only(t), "POST", orgPath+"/users", "", `{"externalId":"acme-42","displayName":"Acme Ltd"}`)
	assert.Equal(t, &platform.EndUser{
		ID:             "01USER00000000000000000001",
		ExternalID:     "acme-42",
		DisplayName:    "Acme Ltd",
		OrganisationID: testOrg,
		CreatedAt:      time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		UpdatedAt:      time.Date(2026, 1, 3, 3, 4, 5, 5e8, time.UTC),
	}, u)
	assert.Equal(t, versori.ExternalUser("acme-42"), u.Ref())
}

func TestUsersCreateOmitsAnEmptyDisplayName(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusCreated, endUserJSON("01USER00000000000000000001", "acme-42"))
	_, err := newClient(t, s).Users.Create(t.Context(), platform.CreateEndUserParams{ExternalID: "acme-42"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"externalId":"acme-42"}`, s.only(t).Body)
}

func TestUsersGetTakesEitherIDEscaped(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		user    platform.User
		path    string
		id, ext string // the user the server answers with: the one asked for
	}{
		{platform.ExternalID("acme-42"), "/users/acme-42", "01USER00000000000000000001", "acme-42"},
		{platform.UserID("01USER00000000000000000001"), "/users/01USER00000000000000000001", "01USER00000000000000000001", "acme-42"},
		{platform.ExternalID("a/b c?d#e%f@x.com"), "/users/a%2Fb%20c%3Fd%23e%25f@x.com", "01USER00000000000000000001", "a/b c?d#e%f@x.com"},
	} {
		s := replying(t, http.StatusOK, endUserJSON(tc.id, tc.ext))
		u, err := newClient(t, s).Users.Get(t.Context(), tc.user)
		require.NoError(t, err)
		assertSent(t, s.only(t), "GET", orgPath+tc.path, "", "")
		assert.Equal(t, platform.ExternalID(tc.ext), u.ExternalID)
	}
}

func TestUsersList(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, `{"totalCount":3,"next":"c2","prev":"c0","users":[`+endUserJSON("01U1", "a")+`,`+endUserJSON("01U2", "b")+`]}`)
	page, err := newClient(t, s).Users.List(t.Context(), &platform.ListEndUsersParams{
		First: 2, After: "c1", Before: "c9", Search: "ac me", Activated: versori.Ptr(false), EnvironmentID: "01ENV",
	})
	require.NoError(t, err)
	assertSent(t, s.only(t), "GET", orgPath+"/users", "activated=false&after=c1&before=c9&environment_id=01ENV&first=2&search=ac+me", "")
	assert.Equal(t, versori.PageInfo{TotalCount: 3, Next: "c2", Prev: "c0"}, page.PageInfo)
	require.Len(t, page.Users, 2)
	assert.Equal(t, platform.ExternalID("b"), page.Users[1].ExternalID)
}

func TestUsersDelete(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusNoContent, "")
	require.NoError(t, newClient(t, s).Users.Delete(t.Context(), platform.ExternalID("acme 42")))
	assertSent(t, s.only(t), "DELETE", orgPath+"/users/acme%2042", "", "")
}

func TestUsersRefuseBadInput(t *testing.T) {
	t.Parallel()
	assertRefusals(t, func(ctx context.Context, c *platform.Client) []refusal {
		return []refusal{
			{"create without external ID", "externalId", func() error { return errOf(c.Users.Create(ctx, platform.CreateEndUserParams{DisplayName: "x"})) }},
			{"create with a blank external ID", "externalId", func() error { return errOf(c.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: " "})) }},
			{"get nil", "user", func() error { return errOf(c.Users.Get(ctx, nil)) }},
			{"get empty", "user", func() error { return errOf(c.Users.Get(ctx, platform.ExternalID(""))) }},
			{"get dot-dot", "user", func() error { return errOf(c.Users.Get(ctx, platform.UserID(".."))) }},
			{"negative page size", "first", func() error { return errOf(c.Users.List(ctx, &platform.ListEndUsersParams{First: -1})) }},
			{"activated alone", "activated", func() error {
				return errOf(c.Users.List(ctx, &platform.ListEndUsersParams{Activated: versori.Ptr(true)}))
			}},
			{"environment alone", "activated", func() error { return errOf(c.Users.List(ctx, &platform.ListEndUsersParams{EnvironmentID: "01ENV"})) }},
			{"delete nil", "user", func() error { return c.Users.Delete(ctx, nil) }},
			{"delete dot", "user", func() error { return c.Users.Delete(ctx, platform.ExternalID(".")) }},
		}
	})
}

func TestUsersAnswersWithoutRequiredPropertiesAreErrors(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, `{"id":"01U1","displayName":"x","organisationId":"o","createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:05Z"}`)
	_, err := newClient(t, s).Users.Get(t.Context(), platform.ExternalID("a"))
	assertMissing(t, err, "externalId")
}

func TestUsersAPIErrors(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusConflict, `{"code":"409000","message":"external ID taken","fields":[{"field":"externalId","message":"exists"}]}`)
	_, err := newClient(t, s).Users.Create(t.Context(), platform.CreateEndUserParams{ExternalID: "acme-42"})
	require.ErrorIs(t, err, versori.ErrConflict)
	var e *versori.APIError
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "409000", e.Code)
	assert.Equal(t, "CreateEndUser", e.Operation)
	assert.Equal(t, "/o/"+testOrg+"/users", e.Path)
	assert.Equal(t, []versori.FieldError{{Field: "externalId", Message: "exists"}}, e.Fields)
}

// TestUsersTypedNilUserRefused: a nil *ExternalID or *UserID is a User (the
// value types' methods are the pointers' too); Get and Delete refuse it
// without sending, where it was once dereferenced.
func TestUsersTypedNilUserRefused(t *testing.T) {
	s := replying(t, http.StatusOK, endUserJSON("01USER00000000000000000001", "acme-42"))
	c := newClient(t, s)
	for name, u := range map[string]platform.User{"*ExternalID": (*platform.ExternalID)(nil), "*UserID": (*platform.UserID)(nil)} {
		refusedUnpanicked(t, "Get "+name, func() error { _, err := c.Users.Get(t.Context(), u); return err })
		refusedUnpanicked(t, "Delete "+name, func() error { return c.Users.Delete(t.Context(), u) })
	}
	assert.Empty(t, s.requests())
}

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
