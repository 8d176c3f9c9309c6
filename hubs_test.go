package versori_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
)

func TestHubsLifecycle(t *testing.T) {
	c, fake := startFake(t)
	ctx := context.Background()
	seeded := fake.Seeded()

	hub, err := c.Hubs.Get(ctx, seeded.HubID)
	require.NoError(t, err)
	assert.Equal(t, seeded.PrimaryConnectorID, hub.PrimaryConnector.ConnectorID)
	assert.True(t, hub.IsDefault)
	assert.IsType(t, versori.APIKeyScheme{}, hub.PrimaryConnector.AuthSchemeConfig.Scheme)

	created, err := c.Hubs.Create(ctx, versori.CreateHubParams{
		OrganisationID:     seeded.OrganisationID,
		Name:               "Second hub",
		PrimaryConnectorID: seeded.PrimaryConnectorID,
		AuthSchemeConfig:   versori.AuthSchemeConfig{Description: "basic", Scheme: versori.BasicAuthScheme{}},
	})
	require.NoError(t, err)
	assert.Equal(t, "Second hub", created.Name)
	assert.False(t, created.IsDefault)

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

func TestHealthCheckNeedsNoKey(t *testing.T) {
	_, fake := startFake(t)
	c, err := versori.NewClient(versori.WithBaseURL(fake.URL))
	require.NoError(t, err)
	h, err := c.HealthCheck(context.Background())
	require.NoError(t, err)
	assert.NotEmpty(t, h.Message)
	_, err = c.Hubs.Get(context.Background(), fake.Seeded().HubID)
	assert.ErrorIs(t, err, versori.ErrUnauthorized)
}
