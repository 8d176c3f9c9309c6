package versoritest

import (
	"net/http"
)

// pEnvironmentJSON is the Platform's ProjectEnvironment. Its required list also names
// lastDeployedAt, which is not a property (erratum E5); the fake does not send it.
type pEnvironmentJSON struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Status    string   `json:"status"`
	CreatedAt string   `json:"createdAt"`
	UpdatedAt string   `json:"updatedAt"`
	PublicURL string   `json:"publicUrl"`
	Config    struct{} `json:"config"`
}

func renderPEnvironment(e *pEnvironment) pEnvironmentJSON {
	return pEnvironmentJSON{
		ID: e.id, Name: e.name, Status: e.status, PublicURL: e.publicURL,
		CreatedAt: formatTime(e.createdAt), UpdatedAt: formatTime(e.updatedAt),
	}
}

// pProjectSummaryJSON is the Platform's ProjectSummary.
type pProjectSummaryJSON struct {
	ID           string             `json:"id"`
	Name         string             `json:"name"`
	CreatedAt    string             `json:"createdAt"`
	UpdatedAt    string             `json:"updatedAt"`
	Environments []pEnvironmentJSON `json:"environments"`
}

// pProjectJSON is the Platform's Project. The fake holds no code, so currentFiles is
// empty; settings and metadata are empty objects.
type pProjectJSON struct {
	pProjectSummaryJSON
	CurrentFiles struct {
		Files  []any    `json:"files"`
		Labels struct{} `json:"labels"`
	} `json:"currentFiles"`
	DynamicVariablesSchema object   `json:"dynamicVariablesSchema,omitempty"`
	Settings               struct{} `json:"settings"`
	Metadata               struct{} `json:"metadata"`
}

// projectEnvironments returns a project's environments in creation order.
func (f *Fake) projectEnvironments(projectID string) []*pEnvironment {
	return f.st.platform.environments.sorted(func(e *pEnvironment) bool {
		return e.projectID == projectID
	})
}

func (f *Fake) renderPProjectSummary(p *pProject) pProjectSummaryJSON {
	return pProjectSummaryJSON{
		ID: p.id, Name: p.name, CreatedAt: formatTime(p.createdAt), UpdatedAt: formatTime(p.updatedAt),
		Environments: renderAll(f.projectEnvironments(p.id), renderPEnvironment),
	}
}

// pListProjects lists every project, each with its environments; the API does not page it.
func (f *Fake) pListProjects(*http.Request) (int, any, *apiError) {
	return http.StatusOK, map[string]any{"projects": renderAll(f.st.platform.projects.sorted(nil), f.renderPProjectSummary)}, nil
}

// pProjectFromPath finds {project_id}.
func (f *Fake) pProjectFromPath(r *http.Request) (*pProject, *apiError) {
	return f.st.platform.projects.find("project", r.PathValue("project_id"))
}

// pEnvironmentFromPath finds {environment_id}.
func (f *Fake) pEnvironmentFromPath(r *http.Request) (*pEnvironment, *apiError) {
	return f.st.platform.environments.find("environment", r.PathValue("environment_id"))
}

func (f *Fake) pGetProject(_ *http.Request, p *pProject) (int, any, *apiError) {
	out := pProjectJSON{pProjectSummaryJSON: f.renderPProjectSummary(p), DynamicVariablesSchema: copyObjectOrNil(p.variablesSchema)}
	out.CurrentFiles.Files = []any{}
	return http.StatusOK, out, nil
}

// projectListQuery parses the query of a list of project p's resources: its page
// parameters, and env_id, which if set must name one of the project's environments. It
// returns which templates the list is of: p's, or only env_id's.
func (f *Fake) projectListQuery(r *http.Request, p *pProject) (func(*pTemplate) bool, pageParams, *apiError) {
	q := r.URL.Query()
	pp, e := parsePlatformPage(q)
	if e != nil {
		return nil, pp, e
	}
	envID := q.Get("env_id")
	if env := f.st.platform.environments[envID]; envID != "" && (env == nil || env.projectID != p.id) {
		return nil, pp, badField("env_id", "not an environment of project "+p.id)
	}
	listed := func(t *pTemplate) bool { return t.projectID == p.id && (envID == "" || t.envID == envID) }
	return listed, pp, nil
}
