package versori

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const testKey = "vk_live_SECRET_api_key_123"

// seen is what a raw test server received on one attempt.
type seen struct {
	method, path, query string
	header              http.Header
	body                string
}

// rawServer answers each attempt with handler and records what it saw.
type rawServer struct {
	*httptest.Server
	mu    sync.Mutex
	calls []seen
}

func newRawServer(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, attempt int)) *rawServer {
	t.Helper()
	s := &rawServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.calls = append(s.calls, seen{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Clone(), string(body)})
		n := len(s.calls)
		s.mu.Unlock()
		handler(w, r, n)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *rawServer) attempts() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.calls...)
}

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
