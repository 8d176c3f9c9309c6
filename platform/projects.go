package platform

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"time"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/pager"
)

// ProjectsService calls the project operations the SDK needs: a project is an
// integration, deployed to one or more environments, and end users are
// activated on an environment.
type ProjectsService service

// List returns the organisation's projects with their environments
// (ListProjects). The API returns them all at once.
func (s *ProjectsService) List(ctx context.Context, opts ...versori.Option) (*ProjectList, error) {
	return send(ctx, s, nil, versori.Request{Operation: "ListProjects", Method: http.MethodGet, Path: orgOf(s) + "/projects"}, new(ProjectList), opts)
}

// All iterates over the organisation's projects. It makes one call, as List
// does: the API does not page them.
func (s *ProjectsService) All(ctx context.Context, opts ...versori.Option) iter.Seq2[ProjectSummary, error] {
	return pager.All("ListProjects", "", func(string) ([]ProjectSummary, string, error) {
		list, err := s.List(ctx, opts...)
		return pager.Items(list, err, (*ProjectList).items)
	})
}

// Get returns a project with its environments and its variables schema
// (GetProject).
func (s *ProjectsService) Get(ctx context.Context, projectID string, opts ...versori.Option) (*Project, error) {
	id, err := segment("projectID", projectID)
	return send(ctx, s, err, versori.Request{Operation: "GetProject", Method: http.MethodGet, Path: orgOf(s) + "/projects/" + id}, new(Project), opts)
}

// ProjectSummary is a project as listed.
type ProjectSummary struct {
	ID           string               `json:"id" required:"true"`
	Name         string               `json:"name" required:"true"`
	CreatedAt    time.Time            `json:"createdAt" required:"true"`
	UpdatedAt    time.Time            `json:"updatedAt" required:"true"`
	Environments []ProjectEnvironment `json:"environments" required:"true"`
	Starred      bool                 `json:"starred,omitzero"` // in the spec versori/cli uses, not yet in the published one
}

// ProjectList is the result of ProjectsService.List.
type ProjectList struct {
	Projects []ProjectSummary `json:"projects" required:"true"`
}

// items returns the projects, for All: the API returns them all, so there is
// no next page.
func (l *ProjectList) items() ([]ProjectSummary, string) { return l.Projects, "" }

// Project is a project in full. The parts that are the project's code and
// configuration rather than the SDK's business are kept as the API sent
// them.
type Project struct {
	ID                     string               `json:"id" required:"true"`
	Name                   string               `json:"name" required:"true"`
	Environments           []ProjectEnvironment `json:"environments" required:"true"`
	CreatedAt              time.Time            `json:"createdAt" required:"true"`
	UpdatedAt              time.Time            `json:"updatedAt" required:"true"`
	DynamicVariablesSchema json.RawMessage      `json:"dynamicVariablesSchema,omitempty"` // the JSON schema of an activation's dynamic variables
	CurrentFiles           json.RawMessage      `json:"currentFiles" required:"true"`     // the project's files and labels: {files: [{filename, content}], labels}
	Settings               json.RawMessage      `json:"settings" required:"true"`
	Metadata               json.RawMessage      `json:"metadata" required:"true"`
	Starred                bool                 `json:"starred,omitzero"` // as in ProjectSummary
}

// ProjectEnvironment is an environment a project is deployed to: what end
// users are activated on.
type ProjectEnvironment struct {
	ID        string            `json:"id" required:"true"`
	Name      string            `json:"name" required:"true"`
	Status    EnvironmentStatus `json:"status" required:"true"`
	CreatedAt time.Time         `json:"createdAt" required:"true"`
	UpdatedAt time.Time         `json:"updatedAt" required:"true"`
	PublicURL string            `json:"publicUrl" required:"true"` // where the environment's HTTP triggers are served
	// The spec's required list also names lastDeployedAt, which is not a
	// property (erratum E5): it is neither required nor decoded.
	ExecutionPool   string            `json:"executionPool,omitempty"`
	Labels          map[string]string `json:"labels,omitempty"`
	Config          json.RawMessage   `json:"config" required:"true"` // deployment settings: {deploymentSpec: {replicas, autoscaling, ...}}
	Files           json.RawMessage   `json:"files,omitempty"`        // the deployed files: [{filename, content}]
	DeployedVersion *ProjectVersion   `json:"deployedVersion,omitempty"`
}

// EnvironmentStatus is the state of a ProjectEnvironment.
type EnvironmentStatus string

// The statuses of an environment the spec lists.
const (
	EnvironmentRunning   EnvironmentStatus = "running"
	EnvironmentSuspended EnvironmentStatus = "suspended"
	EnvironmentError     EnvironmentStatus = "error"
	EnvironmentDraft     EnvironmentStatus = "draft"
)

// ProjectVersion is a named version of a project's files.
type ProjectVersion struct {
	ID          string            `json:"id" required:"true"`
	Name        string            `json:"name" required:"true"` // unique in the project
	Description string            `json:"description,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	State       string            `json:"state" required:"true"` // draft, failed, ready or superseded
	CreatedAt   time.Time         `json:"createdAt" required:"true"`
}
