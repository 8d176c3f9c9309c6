package platform

// TemplatesService calls the operations on connection templates.
type TemplatesService struct{ c *Client }
