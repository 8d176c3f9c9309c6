package versori_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
)

func TestEmbedIntegrations(t *testing.T) {
	c, fake := startFake(t)
	ctx := context.Background()
	seeded := fake.Seeded()
	user := versori.ExternalUser("embed-user")
	createUser(t, c, seeded.HubID, user.ID())

	all, err := c.Embed.ListIntegrations(ctx, seeded.HubID, user, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, all.TotalCount)
	deployed, err := c.Embed.ListIntegrations(ctx, seeded.HubID, user, &versori.ListEmbeddedIntegrationsParams{Deployed: versori.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, 2, deployed.TotalCount)
	undeployed, err := c.Embed.ListIntegrations(ctx, seeded.HubID, user, &versori.ListEmbeddedIntegrationsParams{Deployed: versori.Ptr(false)})
	require.NoError(t, err)
	require.Len(t, undeployed.Integrations, 1)
	assert.False(t, undeployed.Integrations[0].IsDeployed)

	var names []string
	for in, err := range c.Embed.AllIntegrations(ctx, seeded.HubID, user, &versori.ListEmbeddedIntegrationsParams{ListOptions: versori.ListOptions{First: 1}}) {
		require.NoError(t, err)
		names = append(names, in.Name)
	}
	assert.Len(t, names, 3)

	in, err := c.Embed.GetIntegration(ctx, seeded.HubID, user, seeded.Integrations[0].ID)
	require.NoError(t, err)
	require.Len(t, in.ConnectionTemplates, 2)
	assert.True(t, in.ConnectionTemplates[0].IsPrimary)
	assert.IsType(t, versori.OAuth2Scheme{}, in.ConnectionTemplates[1].AuthSchemeConfig.Scheme)
	_, err = c.Embed.GetIntegration(ctx, seeded.HubID, user, "01JNOSUCHINTEGRATION000000")
	assert.ErrorIs(t, err, versori.ErrNotFound)
}

func TestEmbedInitialiseOAuth2(t *testing.T) {
	c, fake := startFake(t)
	ctx := context.Background()
	seeded := fake.Seeded()
	shopify := seeded.Integrations[0].Templates[1]
	params := versori.InitialiseOAuth2Params{
		Credential:       versori.OAuth2ClientRef{ID: shopify.OAuth2ClientCredentialID, OrganisationID: seeded.OrganisationID},
		AuthorizeURL:     "https://accounts.shopify.com/oauth/authorize?tenant=acme",
		ClientID:         shopify.OAuth2ClientID,
		Scopes:           []string{"read_orders", "write_orders"},
		AdditionalParams: "access_type=offline&foo=bar%20baz",
	}
	auth, err := c.Embed.InitialiseOAuth2(ctx, seeded.HubID, shopify.ConnectorID, params)
	require.NoError(t, err)
	u, err := url.Parse(auth.URL)
	require.NoError(t, err)
	q := u.Query()
	assert.Equal(t, "accounts.shopify.com", u.Host)
	assert.Equal(t, "acme", q.Get("tenant"), "the authorize URL's own query is kept")
	assert.Equal(t, shopify.OAuth2ClientID, q.Get("client_id"))
	assert.Equal(t, "code", q.Get("response_type"))
	assert.Equal(t, "login", q.Get("prompt"))
	assert.Equal(t, "bar baz", q.Get("foo"))
	assert.NotEmpty(t, q.Get("state"))
	assert.NotEmpty(t, q.Get("redirect_uri"))
	assert.ElementsMatch(t, []string{"read_orders", "write_orders", "offline_access"}, strings.Fields(q.Get("scope")))

	params.DisableOfflineAccess = true
	params.AdditionalParams = "approval_prompt=force"
	auth, err = c.Embed.InitialiseOAuth2(ctx, seeded.HubID, shopify.ConnectorID, params)
	require.NoError(t, err)
	u, _ = url.Parse(auth.URL)
	assert.NotContains(t, u.Query().Get("scope"), "offline_access")
	assert.False(t, u.Query().Has("prompt"), "no default prompt with approval_prompt")

	params.AdditionalParams = "state=mine"
	_, err = c.Embed.InitialiseOAuth2(ctx, seeded.HubID, shopify.ConnectorID, params)
	var apiErr *versori.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "additionalParams", apiErr.Fields[0].Field)

	_, err = c.Embed.InitialiseOAuth2(ctx, seeded.HubID, shopify.ConnectorID, versori.InitialiseOAuth2Params{})
	var ve *versori.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "credential.id", ve.Field)
}
