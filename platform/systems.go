package platform

// SystemsService calls the operations on systems and their auth scheme configs.
type SystemsService struct{ c *Client }
