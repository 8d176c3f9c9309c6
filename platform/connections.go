package platform

// ConnectionsService calls the operations on connections.
type ConnectionsService struct{ c *Client }
