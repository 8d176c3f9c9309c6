package versori_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

// newShopifyConnection binds the Shopify template of the seeded "Shopify
// Orders Sync" integration to a new connection holding a refresh token.
func newShopifyConnection(templateID, name string) versori.NewConnection {
	return versori.NewConnection{
		TemplateID:  templateID,
		Name:        name,
		Credentials: versori.ActionCredential(shopifyScheme(), versori.OAuth2Token("shopify token", "rt-"+name)),
	}
}

// newSlackConnection binds the Slack template of the seeded "Slack Alerts"
// integration to a new connection holding a bot token.
func newSlackConnection(templateID, name string) versori.NewConnection {
	return versori.NewConnection{
		TemplateID:  templateID,
		Name:        name,
		Credentials: versori.ActionCredential(versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "Authorization", In: versori.InHeader}}, versori.APIKey("bot token", "xoxb-"+name)),
	}
}

func TestActivationsLifecycle(t *testing.T) {
	t.Parallel()
	c, seeded := startSeeded(t)
	ctx := t.Context()
	shopifyOrders := seeded.Integrations[0]
	shopify := shopifyOrders.Templates[1]
	user := createUser(t, c, seeded.HubID, "act-user").Ref()

	// A template with no connection bound is refused by the API.
	_, err := c.Activations.Create(ctx, versori.CreateActivationParams{User: user, IntegrationID: shopifyOrders.ID})
	assert.ErrorIs(t, err, versori.ErrValidation)
	var apiErr *versori.APIError
	assert.ErrorAs(t, err, &apiErr)

	// A new connection created with the activation.
	a, err := c.Activations.Create(ctx, versori.CreateActivationParams{
		User:             user,
		IntegrationID:    shopifyOrders.ID,
		Connections:      []versori.ActivationConnection{newShopifyConnection(shopify.ID, "act-user shopify")},
		DynamicVariables: versori.DynamicVariables{"interval": float64(15)},
	})
	require.NoError(t, err)
	assert.Equal(t, shopifyOrders.ID, a.Integration.ID)
	assert.True(t, a.Integration.IsActivated)
	assert.Equal(t, user.ID(), a.User.ExternalID)
	assert.Equal(t, user, a.User.Ref())
	assert.Equal(t, seeded.HubID, a.HubID)

	_, err = c.Activations.Create(ctx, versori.CreateActivationParams{User: user, IntegrationID: shopifyOrders.ID, Connections: []versori.ActivationConnection{
		versori.ExistingConnection{TemplateID: shopify.ID, ConnectionID: a.User.PrimaryConnection.ID},
	}})
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

	require.NoError(t, c.Activations.Delete(ctx, a.ID))
	_, err = c.Activations.Get(ctx, a.ID)
	assert.ErrorIs(t, err, versori.ErrNotFound)
	_, err = c.Activations.GetVariables(ctx, shopifyOrders.ID, user)
	assert.ErrorIs(t, err, versori.ErrNotFound)
}

// TestActivationsCreateTakesAUserRef activates the same user by external ID
// and by internal ID: both reach that user in the fake.
func TestActivationsCreateTakesAUserRef(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		ref  func(*versori.EndUser) versori.UserRef
	}{
		{"ExternalUser", func(u *versori.EndUser) versori.UserRef { return versori.ExternalUser(u.ExternalID) }},
		{"InternalUser", func(u *versori.EndUser) versori.UserRef { return versori.InternalUser(u.ID) }},
		{"EndUser.Ref", (*versori.EndUser).Ref},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, seeded := startSeeded(t)
			ctx := t.Context()
			createUser(t, c, seeded.HubID, "someone-else")
			u := createUser(t, c, seeded.HubID, "act-user")
			slackAlerts := seeded.Integrations[1]
			a, err := c.Activations.Create(ctx, versori.CreateActivationParams{
				User:          tc.ref(u),
				IntegrationID: slackAlerts.ID,
				Connections:   []versori.ActivationConnection{newSlackConnection(slackAlerts.Templates[1].ID, "slack")},
			})
			require.NoError(t, err)
			assert.Equal(t, u.ID, a.User.ID)
			assert.Equal(t, "act-user", a.User.ExternalID)

			acts := collect(t, c.Activations.All(ctx, seeded.HubID, u.Ref(), nil))
			require.Len(t, acts, 1)
			assert.Equal(t, a.ID, acts[0].ID)
			assert.Empty(t, collect(t, c.Activations.All(ctx, seeded.HubID, versori.ExternalUser("someone-else"), nil)), "no other user was activated")
		})
	}
}

// TestActivationsAllFiltersEveryPage checks the integration filter holds on
// every page. (What every All iterator does is in iterators_test.go.)
func TestActivationsAllFiltersEveryPage(t *testing.T) {
	t.Parallel()
	c, seeded := startSeeded(t)
	ctx := t.Context()
	u := createUser(t, c, seeded.HubID, "act-user")
	shopifyOrders, slackAlerts := seeded.Integrations[0], seeded.Integrations[1]
	_, err := c.Activations.Create(ctx, versori.CreateActivationParams{User: u.Ref(), IntegrationID: shopifyOrders.ID, Connections: []versori.ActivationConnection{
		newShopifyConnection(shopifyOrders.Templates[1].ID, "shopify"),
	}})
	require.NoError(t, err)
	_, err = c.Activations.Create(ctx, versori.CreateActivationParams{User: u.Ref(), IntegrationID: slackAlerts.ID, Connections: []versori.ActivationConnection{
		newSlackConnection(slackAlerts.Templates[1].ID, "slack"),
	}})
	require.NoError(t, err)

	filtered := collect(t, c.Activations.All(ctx, seeded.HubID, versori.InternalUser(u.ID), &versori.ListActivationsParams{First: 1, IntegrationID: seeded.Integrations[1].ID}))
	require.Len(t, filtered, 1)
	assert.Equal(t, seeded.Integrations[1].ID, filtered[0].Integration.ID)
}

func TestActivationOfUndeployedIntegrationIsRefused(t *testing.T) {
	t.Parallel()
	c, seeded := startSeeded(t)
	beta := seeded.Integrations[2]
	require.False(t, beta.Deployed)
	u := createUser(t, c, seeded.HubID, "beta-user")
	_, err := c.Activations.Create(t.Context(), versori.CreateActivationParams{User: u.Ref(), IntegrationID: beta.ID})
	var apiErr *versori.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, versori.ErrValidation)
}

// TestActivationsCreateValidation checks bad activations are refused, naming
// the field, with nothing sent: a missing user or integration, and nil,
// typed-nil or incomplete connection bindings. Bad new connections are in
// TestConnectionValidation.
func TestActivationsCreateValidation(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t)
	good := func() versori.CreateActivationParams {
		return versori.CreateActivationParams{User: versori.ExternalUser("jane"), IntegrationID: "01INT", Connections: []versori.ActivationConnection{
			versori.ExistingConnection{TemplateID: "01TPL", ConnectionID: "01CNN"},
			newShopifyConnection("01TPL2", "n"),
		}}
	}
	for _, tc := range []struct {
		field string
		edit  func(*versori.CreateActivationParams)
	}{
		{"user", func(p *versori.CreateActivationParams) { p.User = versori.UserRef{} }},
		{"user", func(p *versori.CreateActivationParams) { p.User = versori.InternalUser(" ") }},
		{"integrationId", func(p *versori.CreateActivationParams) { p.IntegrationID = "" }},
		{"connections[1]", func(p *versori.CreateActivationParams) { p.Connections[1] = nil }},
		{"connections[1]", func(p *versori.CreateActivationParams) { p.Connections[1] = (*versori.NewConnection)(nil) }},
		{"connections[0]", func(p *versori.CreateActivationParams) { p.Connections[0] = (*versori.ExistingConnection)(nil) }},
		{"connections[0].templateId", func(p *versori.CreateActivationParams) {
			p.Connections[0] = versori.ExistingConnection{ConnectionID: "c"}
		}},
		{"connections[0].connectionId", func(p *versori.CreateActivationParams) {
			p.Connections[0] = &versori.ExistingConnection{TemplateID: "t"}
		}},
		{"connections[1].templateId", func(p *versori.CreateActivationParams) { p.Connections[1] = versori.NewConnection{Name: "n"} }},
		{"connections[1].credentials", func(p *versori.CreateActivationParams) {
			p.Connections[1] = &versori.NewConnection{TemplateID: "t", Name: "n"}
		}},
	} {
		p := good()
		tc.edit(&p)
		_, err := c.Activations.Create(t.Context(), p)
		requireValidationError(t, err, tc.field)
	}
	requireNothingSent(t, fake)

	// The same activation, valid, is sent (and refused by the API: there is
	// no such integration).
	_, err := c.Activations.Create(t.Context(), good())
	var apiErr *versori.APIError
	assert.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 1, countOp(fake, versoritest.OpActivateIntegration))
}
