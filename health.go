package versori

import (
	"context"
	"net/http"
)

// HealthCheck reports whether the API is up (HealthCheck). It needs no
// credentials.
func (c *Client) HealthCheck(ctx context.Context, opts ...Option) (*Health, error) {
	out := new(Health)
	return out, c.do(ctx, call{op: "HealthCheck", method: http.MethodGet, path: "/healthz"}, out, opts)
}

// Health is the result of HealthCheck.
type Health struct {
	Message string `json:"message"`
}
