package platform

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
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
	tpl, err := newClient(t, s).Templates.Create(t.Context(), "01PROJ", CreateConnectionTemplateParams{
		SystemID: "01SYS00000000000000000000A", Name: "shopify", EnvironmentID: "01ENV", Dynamic: true,
	})
	require.NoError(t, err)
	// Erratum E4: the spec's required list names environment; the property
	// is environmentId.
	assertSent(t, s.only(t), "POST", orgPath+"/projects/01PROJ/connection-templates", "",
		`{"systemId":"01SYS00000000000000000000A","name":"shopify","environmentId":"01ENV","dynamic":true}`)
	assert.Equal(t, &ConnectionTemplate{
		SystemID:             "01SYS00000000000000000000A",
		ConnectionTemplateID: "01TPL00000000000000000000A",
		Name:                 "shopify",
		Domain:               "myshopify.com",
		Dynamic:              true,
		TemplateBaseURL:      "https://{shop}.myshopify.com/admin/api/2024-01",
		AuthSchemeConfigs:    []AuthSchemeConfig{{ID: "my-oauth", Description: "Shop OAuth", Scheme: shopOAuth2}},
	}, tpl)
}

func TestTemplatesCreateSendsOnlyWhatIsSet(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, templateJSON("01TPL", false))
	_, err := newClient(t, s).Templates.Create(t.Context(), "01PROJ", CreateConnectionTemplateParams{SystemID: "01SYS", Name: "shopify"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"systemId":"01SYS","name":"shopify"}`, s.only(t).Body)
}

func TestTemplatesAnswers(t *testing.T) {
	t.Parallel()
	// connectionTemplateId is not required by the spec; dynamic is.
	s := replying(t, http.StatusOK, `{"id":"01SYS","name":"n","domain":"","dynamic":false,"templateBaseUrl":"","authSchemeConfigs":[]}`)
	tpl, err := newClient(t, s).Templates.Create(t.Context(), "01PROJ", CreateConnectionTemplateParams{SystemID: "01SYS", Name: "n"})
	require.NoError(t, err)
	assert.Empty(t, tpl.ConnectionTemplateID)

	s = replying(t, http.StatusOK, `{"id":"01SYS","name":"n","domain":"","templateBaseUrl":"","authSchemeConfigs":[]}`)
	_, err = newClient(t, s).Templates.Create(t.Context(), "01PROJ", CreateConnectionTemplateParams{SystemID: "01SYS", Name: "n"})
	var d *versori.DecodeError
	require.ErrorAs(t, err, &d)
	assert.Contains(t, d.Error(), `"dynamic"`)
}

func TestTemplatesList(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, `{"totalCount":2,"next":"c2","items":[`+templateJSON("01T1", true)+`,`+templateJSON("01T2", false)+`]}`)
	page, err := newClient(t, s).Templates.List(t.Context(), "01 PROJ", &ListConnectionTemplatesParams{EnvironmentID: "01ENV", First: 2, After: "c1", Before: "c0"})
	require.NoError(t, err)
	assertSent(t, s.only(t), "GET", orgPath+"/projects/01%20PROJ/connection-templates", "after=c1&before=c0&env_id=01ENV&first=2", "")
	assert.Equal(t, versori.PageInfo{TotalCount: 2, Next: "c2"}, page.PageInfo)
	require.Len(t, page.Items, 2)
	assert.Equal(t, "01T2", page.Items[1].ConnectionTemplateID)
	assert.False(t, page.Items[1].Dynamic)
}

func TestTemplatesListWithoutParams(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, `{"totalCount":0,"items":[]}`)
	_, err := newClient(t, s).Templates.List(t.Context(), "01PROJ", nil)
	require.NoError(t, err)
	assertSent(t, s.only(t), "GET", orgPath+"/projects/01PROJ/connection-templates", "", "")
}

func TestTemplatesAll(t *testing.T) {
	t.Parallel()
	pages := []string{
		`{"totalCount":3,"next":"c1","items":[` + templateJSON("01T1", true) + `]}`,
		`{"totalCount":3,"next":"c2","items":[` + templateJSON("01T2", true) + `]}`,
		`{"totalCount":3,"items":[` + templateJSON("01T3", true) + `]}`,
	}
	s := newRawServer(t, func(_ *http.Request, n int) answer { return answer{http.StatusOK, pages[n-1]} })
	templates, err := collect(newClient(t, s).Templates.All(t.Context(), "01PROJ", &ListConnectionTemplatesParams{EnvironmentID: "01ENV"}))
	require.NoError(t, err)
	require.Len(t, templates, 3)
	assert.Equal(t, "01T3", templates[2].ConnectionTemplateID)
	reqs := s.requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "env_id=01ENV", reqs[0].Query)
	assert.Equal(t, "after=c2&env_id=01ENV", reqs[2].Query)
}

func TestTemplatesAllStopsOnARepeatedCursor(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, `{"totalCount":1,"next":"again","items":[`+templateJSON("01T1", true)+`]}`)
	templates, err := collect(newClient(t, s).Templates.All(t.Context(), "01PROJ", nil))
	require.ErrorIs(t, err, versori.ErrPagination)
	assert.Len(t, templates, 2)
}

func TestTemplatesUpdate(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, templateJSON("01TPL", false))
	tpl, err := newClient(t, s).Templates.Update(t.Context(), "01PROJ", "01TPL", UpdateConnectionTemplateParams{
		Name: "shop", Dynamic: versori.Ptr(false), AuthSchemeConfigIDs: []string{"my-oauth"},
	})
	require.NoError(t, err)
	assertSent(t, s.only(t), "PUT", orgPath+"/projects/01PROJ/connection-templates/01TPL", "",
		`{"name":"shop","dynamic":false,"authSchemeConfigIds":["my-oauth"]}`)
	assert.Equal(t, "01TPL", tpl.ConnectionTemplateID)

	s = replying(t, http.StatusOK, templateJSON("01TPL", false))
	_, err = newClient(t, s).Templates.Update(t.Context(), "01PROJ", "01TPL", UpdateConnectionTemplateParams{})
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
	s := replying(t, http.StatusOK, "{}")
	c := newClient(t, s)
	ctx := t.Context()
	create := CreateConnectionTemplateParams{SystemID: "01SYS", Name: "n"}
	for _, tc := range []struct {
		name, field string
		call        func() error
	}{
		{"create without project", "projectID", func() error { _, err := c.Templates.Create(ctx, "", create); return err }},
		{"create without system", "systemId", func() error {
			_, err := c.Templates.Create(ctx, "01PROJ", CreateConnectionTemplateParams{Name: "n"})
			return err
		}},
		{"create without name", "name", func() error {
			_, err := c.Templates.Create(ctx, "01PROJ", CreateConnectionTemplateParams{SystemID: "01SYS", Name: " "})
			return err
		}},
		{"list without project", "projectID", func() error { _, err := c.Templates.List(ctx, "", nil); return err }},
		{"list with a negative page size", "first", func() error {
			_, err := c.Templates.List(ctx, "01PROJ", &ListConnectionTemplatesParams{First: -1})
			return err
		}},
		{"update without project", "projectID", func() error {
			_, err := c.Templates.Update(ctx, "", "01TPL", UpdateConnectionTemplateParams{})
			return err
		}},
		{"update without template", "templateID", func() error {
			_, err := c.Templates.Update(ctx, "01PROJ", "..", UpdateConnectionTemplateParams{})
			return err
		}},
		{"update with an empty config ID", "authSchemeConfigIds[1]", func() error {
			_, err := c.Templates.Update(ctx, "01PROJ", "01TPL", UpdateConnectionTemplateParams{AuthSchemeConfigIDs: []string{"a", ""}})
			return err
		}},
		{"delete without template", "templateID", func() error { return c.Templates.Delete(ctx, "01PROJ", "") }},
	} {
		t.Run(tc.name, func(t *testing.T) { assertRefused(t, tc.call(), tc.field) })
	}
	// An iterator refuses the same way, once.
	_, err := collect(c.Templates.All(ctx, "", nil))
	assertRefused(t, err, "projectID")
	assert.Empty(t, s.requests(), "nothing may be sent")
}
