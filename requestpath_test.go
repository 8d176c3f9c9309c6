package versori

// Tests of the request path's allocation savings: that what is now built once
// or reused still behaves as when it was built per request.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
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

// oldDecode is decode before the pooled buffer: a json.Decoder over the
// bounded body.
func oldDecode(c *Client, resp *http.Response, k call, requestID string, out any) error {
	defer closeBody(resp.Body)
	lr := &limitedReader{r: resp.Body, n: c.maxBody}
	err := json.NewDecoder(lr).Decode(out)
	if err == nil {
		return nil
	}
	if lr.exceeded {
		err = fmt.Errorf("%w: more than %d bytes", ErrTooLarge, c.maxBody)
	} else if errors.Is(err, io.EOF) {
		err = fmt.Errorf("empty body: %w", io.ErrUnexpectedEOF)
	}
	return &DecodeError{StatusCode: resp.StatusCode, RequestID: requestID, Method: k.method, Path: k.path, Err: err}
}

// failingBody returns body, then err.
func failingBody(body string, err error) io.ReadCloser {
	return io.NopCloser(io.MultiReader(strings.NewReader(body), errReader{err}))
}

func TestDecodeMatchesStreamDecoding(t *testing.T) {
	c, err := NewClient(WithMaxResponseBytes(64))
	require.NoError(t, err)
	reset := errors.New("connection reset")
	for _, tc := range []struct {
		name string
		body func() io.ReadCloser
	}{
		{"valid", func() io.ReadCloser { return io.NopCloser(strings.NewReader(`{"message":"ok"}`)) }},
		{"trailing whitespace", func() io.ReadCloser { return io.NopCloser(strings.NewReader(" {\"message\":\"ok\"} \n\t")) }},
		{"trailing data", func() io.ReadCloser { return io.NopCloser(strings.NewReader(`{"message":"ok"} {"message":"no"}`)) }},
		{"trailing junk", func() io.ReadCloser { return io.NopCloser(strings.NewReader(`{"message":"ok"}<html>`)) }},
		{"empty", func() io.ReadCloser { return io.NopCloser(strings.NewReader("")) }},
		{"blank", func() io.ReadCloser { return io.NopCloser(strings.NewReader("  \n")) }},
		{"truncated", func() io.ReadCloser { return io.NopCloser(strings.NewReader(`{"message":"o`)) }},
		{"malformed", func() io.ReadCloser { return io.NopCloser(strings.NewReader(`{"message":}`)) }},
		{"wrong type", func() io.ReadCloser { return io.NopCloser(strings.NewReader(`{"message":5}`)) }},
		{"not an object", func() io.ReadCloser { return io.NopCloser(strings.NewReader(`[1,2]`)) }},
		{"at the limit", func() io.ReadCloser {
			return io.NopCloser(strings.NewReader(`{"message":"` + strings.Repeat("a", 64-14) + `"}`))
		}},
		{"over the limit", func() io.ReadCloser {
			return io.NopCloser(strings.NewReader(`{"message":"` + strings.Repeat("a", 100) + `"}`))
		}},
		{"read error after the value", func() io.ReadCloser { return failingBody(`{"message":"ok"}`, reset) }},
		{"read error in the value", func() io.ReadCloser { return failingBody(`{"message":"o`, reset) }},
		{"read error at once", func() io.ReadCloser { return failingBody(``, reset) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := call{method: http.MethodGet, path: "/healthz"}
			var got, want Health
			gotErr := c.decode(&http.Response{StatusCode: 200, Body: tc.body(), ContentLength: -1}, k, "rid", &got)
			wantErr := oldDecode(c, &http.Response{StatusCode: 200, Body: tc.body()}, k, "rid", &want)
			assert.Equal(t, fmt.Sprint(wantErr), fmt.Sprint(gotErr))
			assert.Equal(t, errors.Is(wantErr, ErrTooLarge), errors.Is(gotErr, ErrTooLarge))
			assert.Equal(t, want, got)
		})
	}
}

// A body over the limit is too large even when its JSON value ends within
// it: the limit bounds what is read, and decoding a prefix again only to say
// so would cost another pass (and, for a huge value, another copy).
func TestBodyOverTheLimitIsTooLarge(t *testing.T) {
	c, err := NewClient(WithMaxResponseBytes(64))
	require.NoError(t, err)
	var got Health
	body := io.NopCloser(strings.NewReader(`{"message":"ok"}` + strings.Repeat(" ", 100)))
	err = c.decode(&http.Response{StatusCode: 200, Body: body, ContentLength: -1}, call{method: http.MethodGet, path: "/healthz"}, "rid", &got)
	assert.ErrorIs(t, err, ErrTooLarge)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "rid", de.RequestID)
}

// Decoded values must not alias the pooled buffer the body was read into:
// a later call reuses it.
func TestDecodedValuesOutliveTheBuffer(t *testing.T) {
	bodies := []string{
		`{"id":"c1","name":"n","credentials":{"action":[{"id":"x","authSchemeConfig":{"id":"a","description":"d","schemeType":"brand-new","k":"v"},"credential":{"id":"k","type":"custom-function","name":"f","data":{"fn":"keep me"}}},{"id":"y","authSchemeConfig":{"id":"b","description":"","schemeType":"api-key","name":"X-Key","in":"header"},"credential":{"id":"u","type":"from-the-future","name":"u","data":{"raw":"keep me too"}}}]},"variables":[{"name":"v","value":"w"}],"createdAt":"2025-01-02T03:04:05Z","updatedAt":"2025-01-02T03:04:05Z"}`,
		`{"id":"` + strings.Repeat("Z", 2000) + `"}`,
	}
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, bodies[int(n.Add(1)-1)%len(bodies)])
	}))
	defer srv.Close()
	c, err := NewClient(WithAPIKey(testKey), WithBaseURL(srv.URL))
	require.NoError(t, err)
	first, err := c.Connections.GetForTemplate(context.Background(), "t", ExternalUser("u"))
	require.NoError(t, err)
	before, err := json.Marshal(first)
	require.NoError(t, err)
	for range 5 {
		_, err := c.Connections.GetForTemplate(context.Background(), "t", ExternalUser("u"))
		require.NoError(t, err)
	}
	after, err := json.Marshal(first)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after))
	assert.Contains(t, string(after), "keep me too")
}

// trackedBody decides whether a failed POST may be retried: every way the
// transport can consume it must count as read, copies from GetBody included.
func TestTrackedBodyRecordsAnyRead(t *testing.T) {
	for name, consume := range map[string]func(b *trackedBody) error{
		"Read":    func(b *trackedBody) error { _, err := b.Read(make([]byte, 1)); return err },
		"WriteTo": func(b *trackedBody) error { _, err := b.WriteTo(io.Discard); return err },
		"io.Copy": func(b *trackedBody) error { _, err := io.Copy(io.Discard, b); return err },
		"GetBody copy": func(b *trackedBody) error {
			c, err := b.again()
			if err != nil {
				return err
			}
			got, err := io.ReadAll(c)
			if string(got) != `{"a":1}` {
				t.Errorf("copy read %q", got)
			}
			return err
		},
	} {
		b := newTrackedBody([]byte(`{"a":1}`))
		require.False(t, b.wasRead(), name)
		require.NoError(t, consume(b), name)
		assert.True(t, b.wasRead(), name)
	}
}
