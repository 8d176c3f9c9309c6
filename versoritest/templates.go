package versoritest

import (
	"net/http"
)

// templateInput is a validated HubConnectionTemplateCreate.
type templateInput struct {
	connectorID string
	scheme      object
}

func validateTemplateCreate(v *validator, m object, path string) templateInput {
	var in templateInput
	in.connectorID, _ = v.ulidField(m, "connectorId", join(path, "connectorId"), true)
	if s, ok := v.obj(m, "authSchemeConfig", join(path, "authSchemeConfig"), true); ok {
		in.scheme = validateAuthScheme(v, s, join(path, "authSchemeConfig"))
	}
	return in
}

func (f *Fake) storeTemplate(in *integration, ti templateInput, used bool) *template {
	f.connectorFor(ti.connectorID)
	t := &template{id: f.newID(), integrationID: in.id, connectorID: ti.connectorID, authSchemeConfig: f.storeGrantCredential(ti.scheme), isUsed: used}
	f.st.templates.put(t.id, t)
	return t
}

// templateJSON is the spec's HubConnectionTemplate. Its `required` list names
// connectionTemplates and variables although neither is a property (see versori/README.md,
// "Known inconsistencies"); both are sent as empty arrays so responses validate.
type templateJSON struct {
	ID string `json:"id"`
	connectorInfoJSON
	IsUsed              bool  `json:"isUsed"`
	IsPrimary           bool  `json:"isPrimary"`
	ConnectionTemplates []any `json:"connectionTemplates"`
}

func (f *Fake) isPrimaryTemplate(t *template) bool {
	in := f.st.integrations[t.integrationID]
	return in != nil && f.st.hubs[in.hubID].primaryConnector == t.connectorID
}

func (f *Fake) renderTemplate(t *template) templateJSON {
	return templateJSON{
		ID: t.id, connectorInfoJSON: f.connectorInfo(t.connectorID, t.authSchemeConfig),
		IsUsed: t.isUsed, IsPrimary: f.isPrimaryTemplate(t), ConnectionTemplates: []any{},
	}
}

// integrationTemplates returns an integration's templates in creation order.
func (f *Fake) integrationTemplates(integrationID string) []*template {
	return f.st.templates.sorted(func(t *template) bool {
		return t.integrationID == integrationID
	})
}

func (f *Fake) createTemplate(r *http.Request, in *integration) (int, any, *apiError) {
	v, body := validateBody(r)
	ti := validateTemplateCreate(v, body, "")
	f.checkGrantCredential(v, ti.scheme, "authSchemeConfig")
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	return http.StatusOK, f.renderTemplate(f.storeTemplate(in, ti, false)), nil
}

func (f *Fake) listTemplates(r *http.Request, in *integration) (int, any, *apiError) {
	p, e := parsePage(r.URL.Query())
	if e != nil {
		return 0, nil, e
	}
	out, info := pageOf(f.st.templates, func(t *template) bool { return t.integrationID == in.id }, p, f.renderTemplate)
	return http.StatusOK, listJSON{info, "connectionTemplates", out}, nil
}

// updateIntegrationMetadata marks exactly the listed templates as used.
func (f *Fake) updateIntegrationMetadata(r *http.Request, in *integration) (int, any, *apiError) {
	v, body := validateBody(r)
	ids, _ := v.strs(body, "usedConnectionTemplates", "usedConnectionTemplates", false)
	used := map[string]bool{}
	for i, id := range ids {
		if t := f.st.templates[id]; t == nil || t.integrationID != in.id {
			v.add(index("usedConnectionTemplates", i), "connection template %q does not belong to this integration", id)
		}
		used[id] = true
	}
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	for _, t := range f.integrationTemplates(in.id) {
		t.isUsed = used[t.id]
	}
	return http.StatusNoContent, nil, nil
}
