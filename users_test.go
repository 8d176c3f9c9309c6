package versori_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
)

func TestUsersLifecycle(t *testing.T) {
	c, fake := startFake(t)
	ctx := context.Background()
	hubID := fake.Seeded().HubID

	u := createUser(t, c, hubID, "acme-42")
	assert.Equal(t, "acme-42", u.ExternalID)
	assert.Equal(t, hubID, u.HubID)
	assert.NotEmpty(t, u.ID)
	assert.False(t, u.CreatedAt.IsZero())
	require.Len(t, u.PrimaryConnection.Credentials.Action, 1)
	cred := u.PrimaryConnection.Credentials.Action[0].Credential
	assert.Equal(t, versori.CredentialTypeString, cred.Type)
	assert.Equal(t, versori.StringCredential{}, cred.Data, "the API redacts the secret on read")
	assert.IsType(t, versori.APIKeyScheme{}, u.PrimaryConnection.Credentials.Action[0].AuthSchemeConfig.Scheme)

	byExternal, err := c.Users.Get(ctx, hubID, versori.ExternalUser("acme-42"))
	require.NoError(t, err)
	byInternal, err := c.Users.Get(ctx, hubID, versori.InternalUser(u.ID))
	require.NoError(t, err)
	assert.Equal(t, u.ID, byExternal.ID)
	assert.Equal(t, u.ID, byInternal.ID)

	_, err = c.Users.Get(ctx, hubID, versori.InternalUser("acme-42"))
	assert.ErrorIs(t, err, versori.ErrNotFound, "an external ID is not an internal one")

	_, err = c.Users.Create(ctx, hubID, versori.CreateEndUserParams{
		ExternalID:        "acme-42",
		PrimaryConnection: versori.ConnectionCreate{Name: "dup", Credentials: apiKeyCredential("dup", "k")},
	})
	assert.ErrorIs(t, err, versori.ErrConflict, "external IDs are unique per hub")

	require.NoError(t, c.Users.Delete(ctx, hubID, versori.ExternalUser("acme-42")))
	_, err = c.Users.Get(ctx, hubID, versori.ExternalUser("acme-42"))
	assert.ErrorIs(t, err, versori.ErrNotFound)
	assert.ErrorIs(t, c.Users.Delete(ctx, hubID, versori.ExternalUser("acme-42")), versori.ErrNotFound)
}

func TestUsersWithAwkwardExternalIDs(t *testing.T) {
	c, fake := startFake(t)
	ctx := context.Background()
	hubID := fake.Seeded().HubID
	ids := []string{"jane+ops@acme.io/eu#2?x=1 %", "a/b", "a%2Fb", "ünï cødé", "x?y=z&w", "#frag", "...", "sp ace"}
	for _, id := range ids {
		createUser(t, c, hubID, id)
	}
	for _, id := range ids {
		u, err := c.Users.Get(ctx, hubID, versori.ExternalUser(id))
		require.NoError(t, err, id)
		assert.Equal(t, id, u.ExternalID, "reached the right user")
	}
}

func TestUsersListPaginationAndSearch(t *testing.T) {
	c, fake := startFake(t)
	ctx := context.Background()
	hubID := fake.Seeded().HubID
	for i := range 7 {
		createUser(t, c, hubID, fmt.Sprintf("page-user-%d", i))
	}
	createUser(t, c, hubID, "someone-else")

	page, err := c.Users.List(ctx, hubID, &versori.ListEndUsersParams{ListOptions: versori.ListOptions{First: 3}})
	require.NoError(t, err)
	assert.Equal(t, 8, page.TotalCount)
	assert.Len(t, page.Users, 3)
	require.NotEmpty(t, page.Next)

	second, err := c.Users.List(ctx, hubID, &versori.ListEndUsersParams{ListOptions: versori.ListOptions{First: 3, After: page.Next}})
	require.NoError(t, err)
	assert.Equal(t, "page-user-3", second.Users[0].ExternalID)
	require.NotEmpty(t, second.Prev)
	back, err := c.Users.List(ctx, hubID, &versori.ListEndUsersParams{ListOptions: versori.ListOptions{First: 3, Before: second.Prev}})
	require.NoError(t, err)
	assert.Equal(t, page.Users, back.Users)

	var all []string
	for u, err := range c.Users.All(ctx, hubID, &versori.ListEndUsersParams{ListOptions: versori.ListOptions{First: 2}}) {
		require.NoError(t, err)
		all = append(all, u.ExternalID)
	}
	assert.Len(t, all, 8)

	found, err := c.Users.List(ctx, hubID, &versori.ListEndUsersParams{Search: "SOMEONE"})
	require.NoError(t, err)
	require.Len(t, found.Users, 1)
	assert.Equal(t, "someone-else", found.Users[0].ExternalID)

	_, err = c.Users.List(ctx, hubID, &versori.ListEndUsersParams{ListOptions: versori.ListOptions{After: "not-a-cursor"}})
	assert.ErrorIs(t, err, versori.ErrValidation)
}

func TestUsersCreateValidationFromAPI(t *testing.T) {
	c, fake := startFake(t)
	// Passes the SDK's checks (which only cover what the SDK can know) but
	// not the API's: the data of a string credential needs a value.
	_, err := c.Users.Create(context.Background(), fake.Seeded().HubID, versori.CreateEndUserParams{
		ExternalID: "x",
		PrimaryConnection: versori.ConnectionCreate{Name: "n", Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
			AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.HMACScheme{Name: "X-Sig", In: versori.InHeader, Algorithm: "md5", DigestInputs: []versori.HMACDigestInput{versori.DigestBody}}},
			Credential:       versori.NewCredential("c", versori.StringCredential{Value: "v"}),
		}}}},
	})
	var apiErr *versori.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, versori.ErrValidation)
	require.NotEmpty(t, apiErr.Fields)
	assert.Contains(t, apiErr.Fields[0].Field, "authSchemeConfig.algorithm")
}
