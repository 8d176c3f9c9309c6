package platform

// ProjectsService calls the operations on projects and their environments.
type ProjectsService struct{ c *Client }
