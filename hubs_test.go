package versori_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
)

func TestHubsLifecycle(t *testing.T) {
	t.Parallel()
	c, seeded := startSeeded(t)
	ctx := t.Context()

	hub, err := c.Hubs.Get(ctx, seeded.HubID)
	require.NoError(t, err)
	assert.Equal(t, "Acme Embedded Hub", hub.Name)
	assert.Equal(t, seeded.PrimaryConnectorID, hub.PrimaryConnector.ConnectorID)
	assert.True(t, hub.IsDefault)
	assert.Equal(t, versori.APIKeyScheme{Name: "X-API-Key", In: versori.InHeader}, hub.PrimaryConnector.AuthSchemeConfig.Scheme)
	assert.Equal(t, []versori.CredentialType{versori.CredentialTypeString}, versori.AcceptedCredentials(hub.PrimaryConnector.AuthSchemeConfig.Scheme),
		"the seeded hub takes an API key, as apiKeyCredentials makes")

	created, err := c.Hubs.Create(ctx, versori.CreateHubParams{
		OrganisationID:     seeded.OrganisationID,
		Name:               "Second hub",
		PrimaryConnectorID: seeded.PrimaryConnectorID,
		AuthSchemeConfig:   versori.AuthSchemeConfig{Description: "basic", Scheme: versori.BasicAuthScheme{}},
	})
	require.NoError(t, err)
	assert.Equal(t, "Second hub", created.Name)
	assert.False(t, created.IsDefault)
	assert.NotEmpty(t, created.PrimaryConnector.AuthSchemeConfig.ID, "the SDK minted the config's ID")
	assert.IsType(t, versori.BasicAuthScheme{}, created.PrimaryConnector.AuthSchemeConfig.Scheme)

	list, err := c.Hubs.List(ctx, seeded.OrganisationID)
	require.NoError(t, err)
	assert.Len(t, list.Hubs, 2)
	assert.Equal(t, 2, list.TotalCount)

	updated, err := c.Hubs.Update(ctx, created.ID, versori.UpdateHubParams{Name: "Renamed", IsDefault: versori.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, "Renamed", updated.Name)
	assert.True(t, updated.IsDefault)
	first, err := c.Hubs.Get(ctx, seeded.HubID)
	require.NoError(t, err)
	assert.False(t, first.IsDefault, "only one default hub per organisation")

	unchanged, err := c.Hubs.Update(ctx, created.ID, versori.UpdateHubParams{})
	require.NoError(t, err)
	assert.Equal(t, "Renamed", unchanged.Name, "zero fields are left unchanged")
	assert.True(t, unchanged.IsDefault)

	require.NoError(t, c.Hubs.Delete(ctx, created.ID))
	_, err = c.Hubs.Get(ctx, created.ID)
	assert.ErrorIs(t, err, versori.ErrNotFound)
	list, err = c.Hubs.List(ctx, seeded.OrganisationID)
	require.NoError(t, err)
	assert.Len(t, list.Hubs, 1)
}

func TestHubsCreateRefusesAnOAuth2SchemeWithoutAGrant(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t)
	seeded := fake.Seeded()
	_, err := c.Hubs.Create(t.Context(), versori.CreateHubParams{
		OrganisationID:     seeded.OrganisationID,
		Name:               "OAuth hub",
		PrimaryConnectorID: seeded.PrimaryConnectorID,
		AuthSchemeConfig:   versori.AuthSchemeConfig{Scheme: versori.OAuth2Scheme{AuthorizeURL: "https://a.example/a", TokenURL: "https://a.example/t"}},
	})
	requireValidationError(t, err, "authSchemeConfig.grant")
	requireNothingSent(t, fake)
}

func TestHealthCheckNeedsNoKey(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t, versori.WithAPIKey("not-the-fakes-key"))
	h, err := c.HealthCheck(t.Context())
	require.NoError(t, err)
	assert.NotEmpty(t, h.Message)
	_, err = c.Hubs.Get(t.Context(), fake.Seeded().HubID)
	assert.ErrorIs(t, err, versori.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "not-the-fakes-key")
}

// TestOrganisationDefaultsToTheClients checks that calls taking an
// organisation use the client's (WithOrganisationID) when given "", and that
// without one they are refused before sending, naming the field.
func TestOrganisationDefaultsToTheClients(t *testing.T) {
	t.Setenv("VERSORI_ORGANISATION_ID", "") // NewClient would read it
	ctx := t.Context()
	_, fake := startFake(t)
	seeded := fake.Seeded()
	params := versori.CreateHubParams{Name: "Defaulted", PrimaryConnectorID: seeded.PrimaryConnectorID, AuthSchemeConfig: hubScheme()}

	without, err := versori.NewClient(versori.WithAPIKey(fake.APIKey), versori.WithBaseURL(fake.URL))
	require.NoError(t, err)
	_, err = without.Hubs.Create(ctx, params)
	require.ErrorIs(t, err, versori.ErrValidation)
	assert.Contains(t, err.Error(), "organisationId")
	_, err = without.Hubs.List(ctx, "")
	require.ErrorIs(t, err, versori.ErrValidation)
	assert.Contains(t, err.Error(), "organisationID")
	assert.Empty(t, fake.Requests(), "nothing is sent without an organisation")

	with, err := versori.NewClient(versori.WithAPIKey(fake.APIKey), versori.WithBaseURL(fake.URL), versori.WithOrganisationID(seeded.OrganisationID))
	require.NoError(t, err)
	hub, err := with.Hubs.Create(ctx, params)
	require.NoError(t, err)
	list, err := with.Hubs.List(ctx, "")
	require.NoError(t, err)
	assert.Len(t, list.Hubs, 2)
	assert.Contains(t, string(fake.Requests()[0].Body), `"organisationId":"`+seeded.OrganisationID+`"`)
	_, err = with.Integrations.Create(ctx, hub.ID, versori.CreateIntegrationParams{Name: "defaulted integration"})
	require.NoError(t, err)

	sent := len(fake.Requests())
	_, err = with.Hubs.List(ctx, "", versori.WithOrganisationID("another-org"))
	requireValidationError(t, err, "organisationID") // the client's alone: a call would default to the client's
	assert.Len(t, fake.Requests(), sent)
}
