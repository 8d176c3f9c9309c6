package platform_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

// templateJSON is a connection template: id is the system's, and
// connectionTemplateId the template's own.
func templateJSON(templateID string, dynamic bool) string {
	return fmt.Sprintf(`{"id":"01SYS00000000000000000000A","connectionTemplateId":%q,"name":"shopify","domain":"myshopify.com","dynamic":%t,`+
		`"templateBaseUrl":"https://{shop}.myshopify.com/admin/api/2024-01","authSchemeConfigs":[%s]}`, templateID, dynamic, oauth2ConfigJSON)
}

func TestTemplatesCreate(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, templateJSON("01TPL00000000000000000000A", true))
	tpl, err := newClient(t, s).Templates.Create(t.Context(), "01PROJ", platform.CreateConnectionTemplateParams{
		SystemID: "01SYS00000000000000000000A", Name: "shopify", EnvironmentID: "01ENV", Dynamic: true,
	})
	require.NoError(t, err)
	// Erratum E4: the spec's required list names environment; the property
	// is environmentId.
	assertSent(t, s.only(t), "POST", orgPath+"/projects/01PROJ/connection-templates", "",
		`{"systemId":"01SYS00000000000000000000A","name":"shopify","environmentId":"01ENV","dynamic":true}`)
	assert.Equal(t, &platform.ConnectionTemplate{
		SystemID:             "01SYS00000000000000000000A",
		ConnectionTemplateID: "01TPL00000000000000000000A",
		Name:                 "shopify",
		Domain:               "myshopify.com",
		Dynamic:              true,
		TemplateBaseURL:      "https://{shop}.myshopify.com/admin/api/2024-01",
		AuthSchemeConfigs:    []platform.AuthSchemeConfig{{ID: "my-oauth", Description: "Shop OAuth", Scheme: shopOAuth2}},
	}, tpl)
}

func TestTemplatesCreateSendsOnlyWhatIsSet(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, templateJSON("01TPL", false))
	_, err := newClient(t, s).Templates.Create(t.Context(), "01PROJ", platform.CreateConnectionTemplateParams{SystemID: "01SYS", Name: "shopify", EnvironmentID: "01ENV"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"systemId":"01SYS","name":"shopify","environmentId":"01ENV"}`, s.only(t).Body)
}

func TestTemplatesAnswers(t *testing.T) {
	t.Parallel()
	// connectionTemplateId is not required by the spec; dynamic is.
	s := replying(t, http.StatusOK, `{"id":"01SYS","name":"n","domain":"","dynamic":false,"templateBaseUrl":"","authSchemeConfigs":[]}`)
	tpl, err := newClient(t, s).Templates.Create(t.Context(), "01PROJ", platform.CreateConnectionTemplateParams{SystemID: "01SYS", Name: "n", EnvironmentID: "01ENV"})
	require.NoError(t, err)
	assert.Empty(t, tpl.ConnectionTemplateID)

	s = replying(t, http.StatusOK, `{"id":"01SYS","name":"n","domain":"","templateBaseUrl":"","authSchemeConfigs":[]}`)
	_, err = newClient(t, s).Templates.Create(t.Context(), "01PROJ", platform.CreateConnectionTemplateParams{SystemID: "01SYS", Name: "n", EnvironmentID: "01ENV"})
	assertMissing(t, err, "dynamic")
}

func TestTemplatesList(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, `{"totalCount":2,"next":"c2","items":[`+templateJSON("01T1", true)+`,`+templateJSON("01T2", false)+`]}`)
	page, err := newClient(t, s).Templates.List(t.Context(), "01 PROJ", &platform.ListConnectionTemplatesParams{EnvironmentID: "01ENV", First: 2, After: "c1", Before: "c0"})
	require.NoError(t, err)
	assertSent(t, s.only(t), "GET", orgPath+"/projects/01%20PROJ/connection-templates", "after=c1&before=c0&env_id=01ENV&first=2", "")
	assert.Equal(t, versori.PageInfo{TotalCount: 2, Next: "c2"}, page.PageInfo)
	require.Len(t, page.Items, 2)
	assert.Equal(t, "01T2", page.Items[1].ConnectionTemplateID)
	assert.False(t, page.Items[1].Dynamic)
}

func TestTemplatesUpdate(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, templateJSON("01TPL", false))
	tpl, err := newClient(t, s).Templates.Update(t.Context(), "01PROJ", "01TPL", platform.UpdateConnectionTemplateParams{
		Name: "shop", Dynamic: versori.Ptr(false), AuthSchemeConfigIDs: []string{"my-oauth"},
	})
	require.NoError(t, err)
	assertSent(t, s.only(t), "PUT", orgPath+"/projects/01PROJ/connection-templates/01TPL", "",
		`{"name":"shop","dynamic":false,"authSchemeConfigIds":["my-oauth"]}`)
	assert.Equal(t, "01TPL", tpl.ConnectionTemplateID)

	s = replying(t, http.StatusOK, templateJSON("01TPL", false))
	_, err = newClient(t, s).Templates.Update(t.Context(), "01PROJ", "01TPL", platform.UpdateConnectionTemplateParams{})
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, s.only(t).Body, "zero fields are not sent")
}

func TestTemplatesDelete(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusNoContent, "")
	require.NoError(t, newClient(t, s).Templates.Delete(t.Context(), "01PROJ", "01TPL"))
	assertSent(t, s.only(t), "DELETE", orgPath+"/projects/01PROJ/connection-templates/01TPL", "", "")
}

func TestTemplatesRefuseBadInput(t *testing.T) {
	t.Parallel()
	assertRefusals(t, func(ctx context.Context, c *platform.Client) []refusal {
		create := platform.CreateConnectionTemplateParams{SystemID: "01SYS", Name: "n", EnvironmentID: "01ENV"}
		return []refusal{
			{"create without project", "projectID", func() error { return errOf(c.Templates.Create(ctx, "", create)) }},
			{"create without system", "systemId", func() error {
				return errOf(c.Templates.Create(ctx, "01PROJ", platform.CreateConnectionTemplateParams{Name: "n"}))
			}},
			{"create without name", "name", func() error {
				return errOf(c.Templates.Create(ctx, "01PROJ", platform.CreateConnectionTemplateParams{SystemID: "01SYS", Name: " "}))
			}},
			// LinkSystem requires environmentId (erratum E4: its required
			// list says "environment"); the API refuses a body without it.
			{"create without environment", "environmentId", func() error {
				return errOf(c.Templates.Create(ctx, "01PROJ", platform.CreateConnectionTemplateParams{SystemID: "01SYS", Name: "n"}))
			}},
			{"list without project", "projectID", func() error { return errOf(c.Templates.List(ctx, "", nil)) }},
			{"list with a negative page size", "first", func() error {
				return errOf(c.Templates.List(ctx, "01PROJ", &platform.ListConnectionTemplatesParams{First: -1}))
			}},
			{"update without project", "projectID", func() error {
				return errOf(c.Templates.Update(ctx, "", "01TPL", platform.UpdateConnectionTemplateParams{}))
			}},
			{"update without template", "templateID", func() error {
				return errOf(c.Templates.Update(ctx, "01PROJ", "..", platform.UpdateConnectionTemplateParams{}))
			}},
			{"update with an empty config ID", "authSchemeConfigIds[1]", func() error {
				return errOf(c.Templates.Update(ctx, "01PROJ", "01TPL", platform.UpdateConnectionTemplateParams{AuthSchemeConfigIDs: []string{"a", ""}}))
			}},
			{"delete without template", "templateID", func() error { return c.Templates.Delete(ctx, "01PROJ", "") }},
			{"an iterator without project", "projectID", func() error { return errOf(collect(c.Templates.All(ctx, "", nil))) }},
		}
	})
}

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
	// names "environment"): refused before sending.
	_, err = p.Templates.Create(ctx, sp.ProjectID, platform.CreateConnectionTemplateParams{SystemID: acme.SystemID, Name: "no-env"})
	assert.ErrorIs(t, err, versori.ErrValidation)
	assert.ErrorIs(t, err, versori.ErrNotSent)

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
