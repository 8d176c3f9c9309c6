package versoritest

import (
	"net/http"
	"slices"
)

// pTemplateJSON is the Platform's ConnectionTemplate. Note the names: id is the system's
// ID and connectionTemplateId the template's own.
type pTemplateJSON struct {
	ID                   string   `json:"id"`
	ConnectionTemplateID string   `json:"connectionTemplateId"`
	Name                 string   `json:"name"`
	Domain               string   `json:"domain"`
	Dynamic              bool     `json:"dynamic"`
	AuthSchemeConfigs    []object `json:"authSchemeConfigs"`
	TemplateBaseURL      string   `json:"templateBaseUrl"`
}

// templateSchemes returns the auth scheme configs a template uses: those it names, in its
// order, or all of its system's if it names none.
func (f *Fake) templateSchemes(t *pTemplate) []object {
	s := f.st.platform.systems[t.systemID]
	if len(t.schemeIDs) == 0 {
		return s.schemes
	}
	var out []object
	for _, id := range t.schemeIDs {
		if c, i := s.scheme(id); i >= 0 {
			out = append(out, c)
		}
	}
	return out
}

func (f *Fake) renderPTemplate(t *pTemplate) pTemplateJSON {
	s := f.st.platform.systems[t.systemID]
	return pTemplateJSON{
		ID: s.id, ConnectionTemplateID: t.id, Name: t.name, Domain: s.domain, Dynamic: t.dynamic,
		AuthSchemeConfigs: renderAll(f.templateSchemes(t), pRedact), TemplateBaseURL: s.templateBaseURL,
	}
}

// envTemplates returns an environment's connection templates in creation order.
func (f *Fake) envTemplates(envID string) []*pTemplate {
	return f.st.platform.templates.sorted(func(t *pTemplate) bool {
		return t.envID == envID
	})
}

// templateNamed finds an environment's template by name, the handle code uses for it.
func (f *Fake) templateNamed(envID, name string) *pTemplate {
	return f.st.platform.templates.first(func(t *pTemplate) bool { return t.envID == envID && t.name == name })
}

// pTemplateFromPath resolves {project_id} and {template_id}.
func (f *Fake) pTemplateFromPath(r *http.Request) (*pTemplate, *apiError) {
	p, e := f.pProjectFromPath(r)
	if e != nil {
		return nil, e
	}
	t := f.st.platform.templates[r.PathValue("template_id")]
	if t == nil || t.projectID != p.id {
		return nil, notFound("connection template %q not found in project %s", r.PathValue("template_id"), p.id)
	}
	return t, nil
}

// pCreateTemplate links a system to an environment of the project (LinkSystem). Its
// required list names environment, but the property is environmentId (erratum E4): the
// fake requires environmentId. Names are unique within an environment, since code refers
// to a connection by its template's name.
func (f *Fake) pCreateTemplate(r *http.Request, p *pProject) (int, any, *apiError) {
	v, body := validateBody(r)
	systemID, ok := v.ulidField(body, "systemId", "systemId", true)
	if ok && f.st.platform.systems[systemID] == nil {
		v.add("systemId", "system %q not found", systemID)
	}
	name, _ := v.nonEmpty(body, "name", "name", true)
	envID, ok := v.ulidField(body, "environmentId", "environmentId", true)
	if env := f.st.platform.environments[envID]; ok && (env == nil || env.projectID != p.id) {
		v.add("environmentId", "environment %q is not an environment of project %s", envID, p.id)
	}
	dynamic, _ := v.boolean(body, "dynamic", "dynamic")
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	if f.templateNamed(envID, name) != nil {
		return 0, nil, conflict("environment %s already has a connection template named %q", envID, name)
	}
	t := &pTemplate{id: f.newID(), projectID: p.id, envID: envID, systemID: systemID, name: name, dynamic: dynamic, createdAt: f.now()}
	f.st.platform.templates.put(t.id, t)
	return http.StatusOK, f.renderPTemplate(t), nil
}

// pListTemplates pages the project's templates, those of env_id if given.
func (f *Fake) pListTemplates(r *http.Request, p *pProject) (int, any, *apiError) {
	listed, pp, e := f.projectListQuery(r, p)
	if e != nil {
		return 0, nil, e
	}
	out, info := pageOf(f.st.platform.templates, listed, pp, f.renderPTemplate)
	return http.StatusOK, listJSON{info, "items", out}, nil
}

// pUpdateTemplate changes the fields the body sets: name, dynamic and
// authSchemeConfigIds (which must name configs of the template's system).
func (f *Fake) pUpdateTemplate(r *http.Request, t *pTemplate) (int, any, *apiError) {
	v, body := validateBody(r)
	name, hasName := v.nonEmpty(body, "name", "name", false)
	dynamic, hasDynamic := v.boolean(body, "dynamic", "dynamic")
	ids, hasIDs := v.strs(body, "authSchemeConfigIds", "authSchemeConfigIds", false)
	s := f.st.platform.systems[t.systemID]
	for i, id := range ids {
		if _, at := s.scheme(id); at < 0 {
			v.add(index("authSchemeConfigIds", i), "system %s has no auth scheme config %q", s.id, id)
		}
	}
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	if other := f.templateNamed(t.envID, name); hasName && other != nil && other != t {
		return 0, nil, conflict("environment %s already has a connection template named %q", t.envID, name)
	}
	if hasName {
		t.name = name
	}
	if hasDynamic {
		t.dynamic = dynamic
	}
	if hasIDs {
		t.schemeIDs = slices.Clone(ids)
	}
	return http.StatusOK, f.renderPTemplate(t), nil
}

// pDeleteTemplate removes a template, unlinks the static connections linked to it and
// forgets it in activations. End users' connections made for it stay: they belong to the
// users.
func (f *Fake) pDeleteTemplate(_ *http.Request, t *pTemplate) (int, any, *apiError) {
	ps := &f.st.platform
	for _, conn := range ps.connections {
		delete(conn.links, t.id)
	}
	for _, a := range ps.activations {
		delete(a.connections, t.id)
	}
	delete(ps.templates, t.id)
	return http.StatusNoContent, nil, nil
}
