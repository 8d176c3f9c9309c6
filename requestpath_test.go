package versori

// Tests of the request path's allocation savings: that what is now built once
// or reused still behaves as when it was built per request.

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type callIDKey struct{}

// ctxTokenSource issues a token named after the call ID in the context, so a
// test can tell which call's token reached the server.
type ctxTokenSource struct{}

func (ctxTokenSource) Token(ctx context.Context) (Token, error) {
	id, _ := ctx.Value(callIDKey{}).(string)
	return Token{Value: "tok-" + id, ExpiresAt: time.Now().Add(time.Hour)}, nil
}

// The Authorization value is reused while it is unchanged; a changed one
// must reach the server on the call that asked for it, also when calls with
// different tokens run concurrently.
func TestAuthorizationFollowsTokenChanges(t *testing.T) {
	var bad atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got, want := r.Header.Get("Authorization"), "JWT tok-"+r.Header.Get("X-Call"); got != want {
			bad.Add(1)
			t.Errorf("Authorization %q, want %q", got, want)
		}
		writeJSON(w, http.StatusOK, `{"message":"ok"}`)
	}))
	defer srv.Close()
	c, err := NewClient(WithTokenSource(ctxTokenSource{}), WithBaseURL(srv.URL))
	require.NoError(t, err)

	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				// Half the calls repeat a token, half change it.
				id := strconv.Itoa(g%2) + "-" + strconv.Itoa(i/2*(g%2))
				ctx := context.WithValue(context.Background(), callIDKey{}, id)
				_, err := c.HealthCheck(ctx, WithHeader("X-Call", id))
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, bad.Load())
}

// Header values shared between requests must survive a middleware that
// replaces or adds to them.
func TestSharedHeaderValuesSurviveMiddleware(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []http.Header
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r.Header.Clone())
		writeJSON(w, http.StatusOK, `{"message":"ok"}`)
	}))
	defer srv.Close()
	mw := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			r.Header.Set("User-Agent", "changed")
			r.Header.Add("Authorization", "extra")
			r.Header.Add("Accept", "text/plain")
			return next.RoundTrip(r)
		})
	}
	c, err := NewClient(WithAPIKey(testKey), WithBaseURL(srv.URL), WithMiddleware(mw))
	require.NoError(t, err)
	for range 2 {
		_, err := c.HealthCheck(context.Background())
		require.NoError(t, err)
	}
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, seen, 2)
	for _, h := range seen {
		assert.Equal(t, []string{"Bearer " + testKey, "extra"}, h.Values("Authorization"))
		assert.Equal(t, []string{"application/json", "text/plain"}, h.Values("Accept"))
	}
	assert.Equal(t, []string{"versori-go/" + Version}, c.uaHeader)
	assert.Equal(t, []string{"application/json"}, jsonHeader)
}

// A successful call drains what the decoder left of the body (here trailing
// whitespace), so consecutive calls share one connection.
func TestSuccessfulCallsReuseTheConnection(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"message":"ok"}`+"\n\n   \n")
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := NewClient(WithAPIKey(testKey), WithBaseURL(srv.URL))
	require.NoError(t, err)
	for range 5 {
		h, err := c.HealthCheck(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "ok", h.Message)
	}
	assert.Equal(t, int32(1), conns.Load())
}
