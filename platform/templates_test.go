package platform_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
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
	_, err := newClient(t, s).Templates.Create(t.Context(), "01PROJ", platform.CreateConnectionTemplateParams{SystemID: "01SYS", Name: "shopify"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"systemId":"01SYS","name":"shopify"}`, s.only(t).Body)
}

func TestTemplatesAnswers(t *testing.T) {
	t.Parallel()
	// connectionTemplateId is not required by the spec; dynamic is.
	s := replying(t, http.StatusOK, `{"id":"01SYS","name":"n","domain":"","dynamic":false,"templateBaseUrl":"","authSchemeConfigs":[]}`)
	tpl, err := newClient(t, s).Templates.Create(t.Context(), "01PROJ", platform.CreateConnectionTemplateParams{SystemID: "01SYS", Name: "n"})
	require.NoError(t, err)
	assert.Empty(t, tpl.ConnectionTemplateID)

	s = replying(t, http.StatusOK, `{"id":"01SYS","name":"n","domain":"","templateBaseUrl":"","authSchemeConfigs":[]}`)
	_, err = newClient(t, s).Templates.Create(t.Context(), "01PROJ", platform.CreateConnectionTemplateParams{SystemID: "01SYS", Name: "n"})
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
		create := platform.CreateConnectionTemplateParams{SystemID: "01SYS", Name: "n"}
		return []refusal{
			{"create without project", "projectID", func() error { return errOf(c.Templates.Create(ctx, "", create)) }},
			{"create without system", "systemId", func() error {
				return errOf(c.Templates.Create(ctx, "01PROJ", platform.CreateConnectionTemplateParams{Name: "n"}))
			}},
			{"create without name", "name", func() error {
				return errOf(c.Templates.Create(ctx, "01PROJ", platform.CreateConnectionTemplateParams{SystemID: "01SYS", Name: " "}))
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
