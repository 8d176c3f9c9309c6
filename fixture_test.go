package versori_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

// startFake starts a seeded fake and a client for it.
func startFake(t *testing.T, opts ...versori.Option) (*versori.Client, *versoritest.Server) {
	t.Helper()
	fake := versoritest.New(t)
	return fake.Client(opts...), fake
}

// apiKeyCredential is a primary connection credential fitting the seeded
// hub's api-key scheme.
func apiKeyCredential(name, key string) versori.ConnectionCredentialsCreate {
	return versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
		AuthSchemeConfig: versori.AuthSchemeConfig{Description: "Acme CRM API key", Scheme: versori.APIKeyScheme{Name: "X-API-Key", In: versori.InHeader}},
		Credential:       versori.NewCredential(name, versori.StringCredential{Value: key}),
	}}}
}

// createUser registers an end user in the seeded hub.
func createUser(t *testing.T, c *versori.Client, hubID, externalID string) *versori.EndUser {
	t.Helper()
	u, err := c.Users.Create(context.Background(), hubID, versori.CreateEndUserParams{
		ExternalID:        externalID,
		DisplayName:       "User " + externalID,
		PrimaryConnection: versori.ConnectionCreate{Name: externalID + " CRM", Credentials: apiKeyCredential(externalID+" key", "secret-"+externalID)},
	})
	require.NoError(t, err)
	return u
}
