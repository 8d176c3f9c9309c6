package platform

// SigningKeysService calls the operations on the organisation's signing keys.
type SigningKeysService struct{ c *Client }
