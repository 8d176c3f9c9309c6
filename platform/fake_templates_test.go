package platform_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

func TestFakeTemplatesLifecycle(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	sp, seededTemplates := seeded(srv)
	acme := seededTemplates["acme"]

	tm, err := p.Templates.Create(ctx, sp.ProjectID, platform.CreateConnectionTemplateParams{
		SystemID: acme.SystemID, Name: "acme-backup", EnvironmentID: sp.EnvironmentID, Dynamic: true,
	})
	require.NoError(t, err)
	// Mind the two IDs: id is the system's, connectionTemplateId the template's.
	assert.Equal(t, acme.SystemID, tm.SystemID)
	assert.NotEmpty(t, tm.ConnectionTemplateID)
	assert.NotEqual(t, tm.SystemID, tm.ConnectionTemplateID)
	assert.True(t, tm.Dynamic)
	assert.Equal(t, "acme.example", tm.Domain)
	require.Len(t, tm.AuthSchemeConfigs, 1)
	assert.Equal(t, "acme-api-key", tm.AuthSchemeConfigs[0].ID)

	// Names are unique within an environment.
	_, err = p.Templates.Create(ctx, sp.ProjectID, platform.CreateConnectionTemplateParams{SystemID: acme.SystemID, Name: "acme-backup", EnvironmentID: sp.EnvironmentID})
	assert.ErrorIs(t, err, versori.ErrConflict)
	// The environment is required (erratum E4: the spec's required list
	// names "environment").
	_, err = p.Templates.Create(ctx, sp.ProjectID, platform.CreateConnectionTemplateParams{SystemID: acme.SystemID, Name: "no-env"})
	assert.ErrorIs(t, err, versori.ErrValidation)

	updated, err := p.Templates.Update(ctx, sp.ProjectID, tm.ConnectionTemplateID, platform.UpdateConnectionTemplateParams{
		Name: "acme-spare", Dynamic: versori.Ptr(false), AuthSchemeConfigIDs: []string{"acme-api-key"},
	})
	require.NoError(t, err)
	assert.Equal(t, "acme-spare", updated.Name)
	assert.False(t, updated.Dynamic)
	assert.JSONEq(t, `{"name":"acme-spare","dynamic":false,"authSchemeConfigIds":["acme-api-key"]}`,
		string(lastRequestOf(t, srv, versoritest.OpPlatformUpdateConnectionTemplate).Body))
	// Zero fields are not sent, so they stay.
	updated, err = p.Templates.Update(ctx, sp.ProjectID, tm.ConnectionTemplateID, platform.UpdateConnectionTemplateParams{Name: "acme-spare-2"})
	require.NoError(t, err)
	assert.False(t, updated.Dynamic)
	assert.JSONEq(t, `{"name":"acme-spare-2"}`, string(lastRequestOf(t, srv, versoritest.OpPlatformUpdateConnectionTemplate).Body))
	_, err = p.Templates.Update(ctx, sp.ProjectID, tm.ConnectionTemplateID, platform.UpdateConnectionTemplateParams{AuthSchemeConfigIDs: []string{"not-a-config"}})
	assert.ErrorIs(t, err, versori.ErrValidation)

	require.NoError(t, p.Templates.Delete(ctx, sp.ProjectID, tm.ConnectionTemplateID))
	assert.ErrorIs(t, p.Templates.Delete(ctx, sp.ProjectID, tm.ConnectionTemplateID), versori.ErrNotFound)
	_, err = p.Templates.Update(ctx, sp.ProjectID, tm.ConnectionTemplateID, platform.UpdateConnectionTemplateParams{Name: "gone"})
	assert.ErrorIs(t, err, versori.ErrNotFound)
}

// A static template's static connection is unlinked when the template goes.
func TestFakeTemplatesDeleteUnlinksStaticConnections(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	sp, tms := seeded(srv)
	require.NoError(t, p.Templates.Delete(ctx, sp.ProjectID, tms["slack"].ID))
	statics, err := p.Connections.ListStatic(ctx, sp.ProjectID, sp.EnvironmentID, nil)
	require.NoError(t, err)
	assert.Empty(t, statics.Items)
	_, err = p.Connections.Get(ctx, sp.StaticConnectionID)
	assert.NoError(t, err, "the connection stays")
}

// The PageInfo shape on a list whose spec declares no cursor parameters.
func TestFakeTemplatesAllPagesThroughEveryTemplate(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	sp := srv.Seeded().Platform
	var want []string
	for _, tm := range sp.Templates {
		want = append(want, tm.ID)
	}
	got, err := collect(p.Templates.All(t.Context(), sp.ProjectID, &platform.ListConnectionTemplatesParams{EnvironmentID: sp.EnvironmentID, First: 4}))
	require.NoError(t, err)
	assert.ElementsMatch(t, want, templateIDs(got))
	assert.Equal(t, slices.Repeat([]string{versoritest.OpPlatformListProjectConnectionTemplates}, 2), ops(srv))

	page, err := p.Templates.List(t.Context(), sp.ProjectID, nil)
	require.NoError(t, err)
	assert.Equal(t, 6, page.TotalCount)
	_, err = p.Templates.List(t.Context(), "01ARZ3NDEKTSV4RRFFQ69G5FAV", nil)
	assert.ErrorIs(t, err, versori.ErrNotFound)
}

// An iterator is a value: several goroutines may range over the same one.
func TestFakeTemplatesAllRangedConcurrently(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	sp := srv.Seeded().Platform
	all := p.Templates.All(t.Context(), sp.ProjectID, &platform.ListConnectionTemplatesParams{First: 1})
	rangeConcurrently(t, all, len(sp.Templates))
}

func TestFakeTemplatesFaults(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	sp, tms := seeded(srv)

	// CreateConnectionTemplate is a POST: a 503 is not retried.
	srv.FailNext(versoritest.OpPlatformCreateConnectionTemplate, 1, versoritest.Fault{Status: http.StatusServiceUnavailable})
	_, err := p.Templates.Create(ctx, sp.ProjectID, platform.CreateConnectionTemplateParams{SystemID: tms["acme"].SystemID, Name: "x", EnvironmentID: sp.EnvironmentID})
	assert.ErrorIs(t, err, versori.ErrMaybeProcessed)
	// A page that fails part-way through All ends it with the error, once.
	srv.FailNext(versoritest.OpPlatformListProjectConnectionTemplates, 1, versoritest.Fault{Status: http.StatusNotFound})
	items, err := collect(p.Templates.All(ctx, sp.ProjectID, nil))
	assert.ErrorIs(t, err, versori.ErrNotFound)
	assert.Empty(t, items)
	// PUT and DELETE are retried.
	srv.FailNext(versoritest.OpPlatformUpdateConnectionTemplate, 1, versoritest.Fault{Status: http.StatusBadGateway})
	srv.FailNext(versoritest.OpPlatformDeleteConnectionTemplate, 2, versoritest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "0"})
	_, err = p.Templates.Update(ctx, sp.ProjectID, tms["acme"].ID, platform.UpdateConnectionTemplateParams{Name: "acme-2"})
	require.NoError(t, err)
	require.NoError(t, p.Templates.Delete(ctx, sp.ProjectID, tms["acme"].ID))
}

func templateIDs(tms []platform.ConnectionTemplate) []string {
	return keysOf(tms, func(tm platform.ConnectionTemplate) string { return tm.ConnectionTemplateID })
}
