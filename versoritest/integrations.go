package versoritest

import (
	"net/http"
	"strings"
)

// integrationJSON is the spec's Integration.
type integrationJSON struct {
	integrationBaseJSON
	BoardID string `json:"boardId"`
}

// integrationBaseJSON is what the spec's Integration and EmbeddedIntegrationSummary both
// say of an integration, in their order.
type integrationBaseJSON struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	ImageURL        string `json:"imageUrl"`
	Description     string `json:"description"`
	VariablesSchema object `json:"variablesSchema,omitempty"`
}

func renderIntegrationBase(in *integration) integrationBaseJSON {
	return integrationBaseJSON{
		ID: in.id, Name: in.name, ImageURL: in.imageURL, Description: in.description,
		VariablesSchema: copyObjectOrNil(in.variablesSchema),
	}
}

func renderIntegration(in *integration) integrationJSON {
	return integrationJSON{integrationBaseJSON: renderIntegrationBase(in), BoardID: in.boardID}
}

func copyObjectOrNil(m object) object {
	if m == nil {
		return nil
	}
	return copyObject(m)
}

// createIntegration runs on a live hub (liveHubFromPath): a soft-deleted one takes no new
// integrations, only reads by ID go on working there.
func (f *Fake) createIntegration(r *http.Request, h *hub) (int, any, *apiError) {
	v, body := validateBody(r)
	if org, ok := v.ulidField(body, "organisationId", "organisationId", true); ok && org != h.orgID {
		v.add("organisationId", "must be the hub's organisation")
	}
	name, _ := v.nonEmpty(body, "name", "name", true)
	description, _ := v.str(body, "description", "description", false)
	summary, _ := v.str(body, "summary", "summary", false)
	schema, _ := v.obj(body, "variablesSchema", "variablesSchema", false)
	var tmpl *templateInput
	if m, ok := v.obj(body, "connectionTemplate", "connectionTemplate", false); ok {
		t := validateTemplateCreate(v, m, "connectionTemplate")
		f.checkGrantCredential(v, t.scheme, "connectionTemplate.authSchemeConfig")
		tmpl = &t
	}
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	// New integrations are never deployed: deployment happens outside this API (SetDeployed).
	in := &integration{
		id: f.newID(), hubID: h.id, name: name, imageURL: defaultIntegrationImageURL,
		description: description, summary: summary, variablesSchema: copyObjectOrNil(schema),
		boardID: f.newID(), createdAt: f.now(),
	}
	f.st.integrations.put(in.id, in)
	if tmpl != nil {
		f.storeTemplate(in, *tmpl, false)
	}
	return http.StatusOK, renderIntegration(in), nil
}

// listIntegrations answers the spec's {total, integrations} shape, which has no cursors;
// after and before are therefore plain integration IDs (exclusive bounds).
func (f *Fake) listIntegrations(r *http.Request, h *hub) (int, any, *apiError) {
	p, e := parseIDBounds(r.URL.Query())
	if e != nil {
		return 0, nil, e
	}
	search := strings.ToLower(r.URL.Query().Get("search"))
	out, info := pageOf(f.st.integrations, func(in *integration) bool {
		return in.hubID == h.id && strings.Contains(strings.ToLower(in.name), search)
	}, p, renderIntegration)
	return http.StatusOK, struct {
		Total        int               `json:"total"`
		Integrations []integrationJSON `json:"integrations"`
	}{info.TotalCount, out}, nil
}

// integrationFromPath finds {integration_id}.
func (f *Fake) integrationFromPath(r *http.Request) (*integration, *apiError) {
	return f.st.integrations.find("integration", r.PathValue("integration_id"))
}

func (f *Fake) getIntegration(_ *http.Request, in *integration) (int, any, *apiError) {
	return http.StatusOK, renderIntegration(in), nil
}

// updateIntegration changes only the fields present in the body.
func (f *Fake) updateIntegration(r *http.Request, in *integration) (int, any, *apiError) {
	v, body := validateBody(r)
	name, hasName := v.nonEmpty(body, "name", "name", false)
	imageURL, hasImage := v.absURL(body, "imageUrl", "imageUrl", false)
	description, hasDescription := v.str(body, "description", "description", false)
	schema, hasSchema := v.obj(body, "variablesSchema", "variablesSchema", false)
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	if hasName {
		in.name = name
	}
	if hasImage {
		in.imageURL = imageURL
	}
	if hasDescription {
		in.description = description
	}
	if hasSchema {
		in.variablesSchema = copyObject(schema)
	}
	return http.StatusOK, renderIntegration(in), nil
}

// deleteIntegration refuses deployed integrations (409), as the spec says, and takes the
// integration's templates and activations with it.
func (f *Fake) deleteIntegration(_ *http.Request, in *integration) (int, any, *apiError) {
	if in.deployed {
		return 0, nil, conflict("integration %s is deployed; undeploy it before deleting", in.id)
	}
	f.st.templates.deleteWhere(func(t *template) bool { return t.integrationID == in.id })
	f.st.activations.deleteWhere(func(a *activation) bool { return a.integrationID == in.id })
	delete(f.st.integrations, in.id)
	return http.StatusNoContent, nil, nil
}

// SetDeployed marks an integration deployed or not. Deployment is done in Versori's
// platform, not through the Embedded API, so tests flip it here.
func (f *Fake) SetDeployed(integrationID string, deployed bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	in, e := f.st.integrations.find("integration", integrationID)
	if e != nil {
		return e
	}
	in.deployed = deployed
	return nil
}
