package platform

// ProjectsService calls the operations on projects and their environments.
type ProjectsService struct{ c *Client }

// ProjectEnvironment is an environment of a project: where the integration
// is deployed and runs. (A placeholder until projects.go lands.)
type ProjectEnvironment struct {
	ID   string `json:"id" required:"true"`
	Name string `json:"name" required:"true"`
}
