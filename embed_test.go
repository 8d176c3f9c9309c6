package versori_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
)

func TestEmbedIntegrations(t *testing.T) {
	t.Parallel()
	c, seeded := startSeeded(t)
	ctx := t.Context()
	user := createUser(t, c, seeded.HubID, "embed-user").Ref()

	all, err := c.Embed.ListIntegrations(ctx, seeded.HubID, user, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, all.TotalCount)
	assert.Zero(t, all.TotalConnected)
	deployed, err := c.Embed.ListIntegrations(ctx, seeded.HubID, user, &versori.ListEmbeddedIntegrationsParams{Deployed: versori.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, 2, deployed.TotalCount)
	deployedPages := collect(t, c.Embed.AllIntegrations(ctx, seeded.HubID, user, &versori.ListEmbeddedIntegrationsParams{First: 1, Deployed: versori.Ptr(true)}))
	assert.Len(t, deployedPages, 2, "the filter holds on every page")
	undeployed, err := c.Embed.ListIntegrations(ctx, seeded.HubID, user, &versori.ListEmbeddedIntegrationsParams{Deployed: versori.Ptr(false)})
	require.NoError(t, err)
	require.Len(t, undeployed.Integrations, 1)
	assert.False(t, undeployed.Integrations[0].IsDeployed)

	in, err := c.Embed.GetIntegration(ctx, seeded.HubID, user, seeded.Integrations[0].ID)
	require.NoError(t, err)
	require.Len(t, in.ConnectionTemplates, 2)
	assert.True(t, in.ConnectionTemplates[0].IsPrimary)
	assert.IsType(t, versori.OAuth2Scheme{}, in.ConnectionTemplates[1].AuthSchemeConfig.Scheme)
	_, err = c.Embed.GetIntegration(ctx, seeded.HubID, user, "01JNOSUCHINTEGRATION000000")
	assert.ErrorIs(t, err, versori.ErrNotFound)
}

func TestEmbedInitialiseOAuth2(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t)
	ctx := t.Context()
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
	u, err = url.Parse(auth.URL)
	require.NoError(t, err)
	assert.NotContains(t, u.Query().Get("scope"), "offline_access")
	assert.False(t, u.Query().Has("prompt"), "no default prompt with approval_prompt")

	params.AdditionalParams = "state=mine"
	_, err = c.Embed.InitialiseOAuth2(ctx, seeded.HubID, shopify.ConnectorID, params)
	var apiErr *versori.APIError
	require.ErrorAs(t, err, &apiErr)
	require.NotEmpty(t, apiErr.Fields)
	assert.Equal(t, "additionalParams", apiErr.Fields[0].Field)

	fake.ResetRequests()
	_, err = c.Embed.InitialiseOAuth2(ctx, seeded.HubID, shopify.ConnectorID, versori.InitialiseOAuth2Params{})
	requireValidationError(t, err, "credential.id")
	requireNothingSent(t, fake)
}
