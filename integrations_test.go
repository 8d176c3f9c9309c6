package versori_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

func TestIntegrationsLifecycle(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t)
	ctx := t.Context()
	seeded := fake.Seeded()

	in, err := c.Integrations.Create(ctx, seeded.HubID, versori.CreateIntegrationParams{
		OrganisationID:  seeded.OrganisationID,
		Name:            "Invoices Sync",
		Summary:         "Sync invoices",
		Description:     "Copies invoices from the CRM to accounting.",
		VariablesSchema: json.RawMessage(`{"type":"object","properties":{"interval":{"type":"integer"}}}`),
		ConnectionTemplate: &versori.CreateConnectionTemplateParams{
			ConnectorID:      seeded.PrimaryConnectorID,
			AuthSchemeConfig: hubScheme(),
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
	fake.ResetRequests()
	_, err = c.Integrations.Update(ctx, in.ID, versori.UpdateIntegrationParams{VariablesSchema: json.RawMessage(`[1]`)})
	requireValidationError(t, err, "variablesSchema")
	requireNothingSent(t, fake)

	slack := seeded.Integrations[1].Templates[1]
	tmpl, err := c.Integrations.CreateConnectionTemplate(ctx, in.ID, versori.CreateConnectionTemplateParams{
		ConnectorID:      slack.ConnectorID,
		AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "Authorization", In: versori.InHeader}},
	})
	require.NoError(t, err)
	assert.False(t, tmpl.IsPrimary)
	assert.Equal(t, "Slack", tmpl.Name)

	templates, err := c.Integrations.ListConnectionTemplates(ctx, in.ID, nil)
	require.NoError(t, err)
	require.Len(t, templates.ConnectionTemplates, 2)
	assert.True(t, templates.ConnectionTemplates[0].IsPrimary)

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

// addIntegrations creates n more integrations in the seeded hub, which has 3,
// and returns them.
func addIntegrations(t *testing.T, c *versori.Client, seeded versoritest.Seeded, n int) []*versori.Integration {
	t.Helper()
	var out []*versori.Integration
	for i := range n {
		in, err := c.Integrations.Create(t.Context(), seeded.HubID, versori.CreateIntegrationParams{OrganisationID: seeded.OrganisationID, Name: fmt.Sprintf("Extra %d", i)})
		require.NoError(t, err)
		out = append(out, in)
	}
	return out
}

func TestIntegrationsListPagesByID(t *testing.T) {
	t.Parallel()
	c, seeded := startSeeded(t)
	ctx := t.Context()
	hubID := seeded.HubID
	addIntegrations(t, c, seeded, 5)

	page, err := c.Integrations.List(ctx, hubID, &versori.ListIntegrationsParams{First: 3})
	require.NoError(t, err)
	assert.Equal(t, 8, page.Total)
	require.Len(t, page.Integrations, 3)
	next, err := c.Integrations.List(ctx, hubID, &versori.ListIntegrationsParams{First: 3, After: page.Integrations[2].ID})
	require.NoError(t, err)
	require.Len(t, next.Integrations, 3)
	assert.NotEqual(t, page.Integrations[2].ID, next.Integrations[0].ID)

	names := collect(t, c.Integrations.All(ctx, hubID, &versori.ListIntegrationsParams{First: 3}))
	assert.Len(t, names, 8)

	found, err := c.Integrations.List(ctx, hubID, &versori.ListIntegrationsParams{Search: "extra 3"})
	require.NoError(t, err)
	require.Len(t, found.Integrations, 1)
	assert.Equal(t, 1, found.Total)
}
