package platform_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
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
