package versori

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const testKey = "vk_live_SECRET_api_key_123"

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// newTestClient returns a client for url whose retry waits are recorded, not slept.
func newTestClient(t *testing.T, url string, opts ...Option) (*Client, *[]time.Duration) {
	t.Helper()
	c, err := NewClient(append([]Option{WithAPIKey(testKey), WithBaseURL(url)}, opts...)...)
	require.NoError(t, err)
	var waits []time.Duration
	var mu sync.Mutex
	c.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	return c, &waits
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

const hubJSON = `{"id":"01HUB","name":"Acme","isDefault":true,"primaryConnector":{"connectorId":"01CON","name":"CRM","imageUrl":"https://x/y.png","variables":[],"authSchemeConfig":{"id":"01ASC","description":"","schemeType":"none"}}}`
