package versori_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
)

func TestIntegrationsLifecycle(t *testing.T) {
	c, fake := startFake(t)
	ctx := context.Background()
	seeded := fake.Seeded()

	in, err := c.Integrations.Create(ctx, seeded.HubID, versori.CreateIntegrationParams{
		OrganisationID:  seeded.OrganisationID,
		Name:            "Invoices Sync",
		Summary:         "Sync invoices",
		Description:     "Copies invoices from the CRM to accounting.",
		VariablesSchema: json.RawMessage(`{"type":"object","properties":{"interval":{"type":"integer"}}}`),
		ConnectionTemplate: &versori.CreateConnectionTemplateParams{
			ConnectorID:      seeded.PrimaryConnectorID,
			AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "X-API-Key", In: versori.InHeader}},
		},
	})
	require.NoError(t, err)
	assert.Equal(t, "Invoices Sync", in.Name)
	assert.NotEmpty(t, in.BoardID)
	assert.JSONEq(t, `{"type":"object","properties":{"interval":{"type":"integer"}}}`, string(in.VariablesSchema))

	got, err := c.Integrations.Get(ctx, in.ID)
	require.NoError(t, err)
	assert.Equal(t, in.ID, got.ID)

	updated, err := c.Integrations.Update(ctx, in.ID, versori.UpdateIntegrationParams{Description: "New text", VariablesSchema: json.RawMessage(`{"type":"object"}`)})
	require.NoError(t, err)
	assert.Equal(t, "New text", updated.Description)
	assert.Equal(t, "Invoices Sync", updated.Name, "unchanged")
	_, err = c.Integrations.Update(ctx, in.ID, versori.UpdateIntegrationParams{VariablesSchema: json.RawMessage(`[1]`)})
	assert.ErrorIs(t, err, versori.ErrValidation, "a schema must be a JSON object")

	tmpl, err := c.Integrations.CreateConnectionTemplate(ctx, in.ID, versori.CreateConnectionTemplateParams{
		ConnectorID:      seeded.Integrations[1].Templates[1].ConnectorID,
		AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "Authorization", In: versori.InHeader}},
	})
	require.NoError(t, err)
	assert.False(t, tmpl.IsPrimary)
	assert.Equal(t, "Slack", tmpl.Name)

	templates, err := c.Integrations.ListConnectionTemplates(ctx, in.ID, nil)
	require.NoError(t, err)
	require.Len(t, templates.ConnectionTemplates, 2)
	assert.True(t, templates.ConnectionTemplates[0].IsPrimary)
	n := 0
	for range c.Integrations.AllConnectionTemplates(ctx, in.ID, &versori.ListOptions{First: 1}) {
		n++
	}
	assert.Equal(t, 2, n)

	require.NoError(t, c.Integrations.UpdateMetadata(ctx, in.ID, versori.IntegrationMetadata{UsedConnectionTemplates: []string{tmpl.ID}}))
	templates, err = c.Integrations.ListConnectionTemplates(ctx, in.ID, nil)
	require.NoError(t, err)
	assert.False(t, templates.ConnectionTemplates[0].IsUsed)
	assert.True(t, templates.ConnectionTemplates[1].IsUsed)

	// Deployed integrations cannot be deleted.
	require.NoError(t, fake.SetDeployed(in.ID, true))
	assert.Error(t, c.Integrations.Delete(ctx, in.ID))
	require.NoError(t, fake.SetDeployed(in.ID, false))
	require.NoError(t, c.Integrations.Delete(ctx, in.ID))
	_, err = c.Integrations.Get(ctx, in.ID)
	assert.ErrorIs(t, err, versori.ErrNotFound)
}

func TestIntegrationsListPagesByID(t *testing.T) {
	c, fake := startFake(t)
	ctx := context.Background()
	seeded := fake.Seeded()
	for i := range 5 {
		_, err := c.Integrations.Create(ctx, seeded.HubID, versori.CreateIntegrationParams{OrganisationID: seeded.OrganisationID, Name: fmt.Sprintf("Extra %d", i)})
		require.NoError(t, err)
	}
	list, err := c.Integrations.List(ctx, seeded.HubID, &versori.ListIntegrationsParams{ListOptions: versori.ListOptions{First: 3}})
	require.NoError(t, err)
	assert.Equal(t, 8, list.Total)
	assert.Len(t, list.Integrations, 3)

	var names []string
	for in, err := range c.Integrations.All(ctx, seeded.HubID, &versori.ListIntegrationsParams{ListOptions: versori.ListOptions{First: 3}}) {
		require.NoError(t, err)
		names = append(names, in.Name)
	}
	assert.Len(t, names, 8)

	found, err := c.Integrations.List(ctx, seeded.HubID, &versori.ListIntegrationsParams{Search: "extra 3"})
	require.NoError(t, err)
	require.Len(t, found.Integrations, 1)
	assert.Equal(t, 1, found.Total)
}
