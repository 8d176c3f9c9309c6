package versori_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
)

func TestActivationsLifecycle(t *testing.T) {
	c, fake := startFake(t)
	ctx := context.Background()
	seeded := fake.Seeded()
	shopifyOrders := seeded.Integrations[0]
	user := versori.ExternalUser("act-user")
	createUser(t, c, seeded.HubID, user.ID())
	shopify := shopifyOrders.Templates[1]

	// A template with no connection bound is refused, naming it.
	_, err := c.Activations.Create(ctx, versori.ActivateParams{UserID: user.ID(), IntegrationID: shopifyOrders.ID})
	assert.ErrorIs(t, err, versori.ErrValidation)

	// A new connection created with the activation.
	a, err := c.Activations.Create(ctx, versori.ActivateParams{
		UserID:        user.ID(),
		IntegrationID: shopifyOrders.ID,
		Connections: []versori.ActivationConnection{versori.NewConnection{
			TemplateID: shopify.ID,
			Name:       "act-user shopify",
			Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
				AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.OAuth2Scheme{AuthorizeURL: "https://s.example/a", TokenURL: "https://s.example/t", Grant: versori.AuthorizationCodeGrant{}}},
				Credential:       versori.NewCredential("tok", versori.OAuth2TokenCredential{Scopes: []string{}, RefreshToken: "rt"}),
			}}},
		}},
		DynamicVariables: versori.DynamicVariables{"interval": float64(15)},
	})
	require.NoError(t, err)
	assert.Equal(t, shopifyOrders.ID, a.Integration.ID)
	assert.True(t, a.Integration.IsActivated)
	assert.Equal(t, user.ID(), a.User.ExternalID)
	assert.Equal(t, seeded.HubID, a.HubID)

	_, err = c.Activations.Create(ctx, versori.ActivateParams{UserID: user.ID(), IntegrationID: shopifyOrders.ID, Connections: []versori.ActivationConnection{versori.ExistingConnection{TemplateID: shopify.ID, ConnectionID: a.User.PrimaryConnection.ID}}})
	assert.ErrorIs(t, err, versori.ErrConflict, "already activated")

	got, err := c.Activations.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.ID)

	// Variables: read (internal), replace, replace through the internal route.
	vars, err := c.Activations.GetVariables(ctx, shopifyOrders.ID, user)
	require.NoError(t, err)
	assert.Equal(t, versori.DynamicVariables{"interval": float64(15)}, vars)
	vars, err = c.Activations.UpdateVariables(ctx, a.ID, versori.DynamicVariables{"interval": float64(30), "region": "eu"})
	require.NoError(t, err)
	assert.Equal(t, "eu", vars["region"])
	require.NoError(t, c.Activations.UpdateVariablesInternal(ctx, shopifyOrders.ID, versori.InternalUser(a.User.ID), versori.DynamicVariables{"region": "us"}))
	vars, err = c.Activations.GetVariables(ctx, shopifyOrders.ID, user)
	require.NoError(t, err)
	assert.Equal(t, versori.DynamicVariables{"region": "us"}, vars)

	page, err := c.Activations.List(ctx, seeded.HubID, user, nil)
	require.NoError(t, err)
	require.Len(t, page.Activations, 1)
	assert.Equal(t, a.ID, page.Activations[0].ID)
	page, err = c.Activations.List(ctx, seeded.HubID, versori.InternalUser(a.User.ID), &versori.ListActivationsParams{IntegrationID: seeded.Integrations[1].ID})
	require.NoError(t, err)
	assert.Empty(t, page.Activations, "filtered by integration")
	n := 0
	for act, err := range c.Activations.All(ctx, seeded.HubID, user, nil) {
		require.NoError(t, err)
		assert.Equal(t, a.ID, act.ID)
		n++
	}
	assert.Equal(t, 1, n)

	require.NoError(t, c.Activations.Delete(ctx, a.ID))
	_, err = c.Activations.Get(ctx, a.ID)
	assert.ErrorIs(t, err, versori.ErrNotFound)
	_, err = c.Activations.GetVariables(ctx, shopifyOrders.ID, user)
	assert.ErrorIs(t, err, versori.ErrNotFound)
}

func TestActivationOfUndeployedIntegrationIsRefused(t *testing.T) {
	c, fake := startFake(t)
	seeded := fake.Seeded()
	beta := seeded.Integrations[2]
	require.False(t, beta.Deployed)
	createUser(t, c, seeded.HubID, "beta-user")
	_, err := c.Activations.Create(context.Background(), versori.ActivateParams{UserID: "beta-user", IntegrationID: beta.ID})
	var apiErr *versori.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, versori.ErrValidation)
}
