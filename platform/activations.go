package platform

// ActivationsService calls the operations on activations.
type ActivationsService struct{ c *Client }
