package versori

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori/internal/testutil"
)

// A nil context behaves as context.Background(), as documented.
func TestNilContextIsBackground(t *testing.T) {
	t.Parallel()
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, 200, hubJSON) })
	c, _ := newTestClient(t, srv.URL)
	//lint:ignore SA1012 a nil context is what this test is about
	hub, err := c.Hubs.Get(nil, "01HUB") //nolint:staticcheck
	require.NoError(t, err)
	assert.Equal(t, "Acme", hub.Name)
}

// A call's options apply to that call only, on top of the client's.
func TestCallOptionsLayerOnTheClient(t *testing.T) {
	t.Parallel()
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, hubJSON) })
	c, _ := newTestClient(t, srv.URL, WithHeader("X-Client", "c"), WithUserAgent("app/1"))
	var info ResponseInfo
	_, err := c.Hubs.Get(context.Background(), "01HUB", WithHeader("X-Call", "1"), WithResponseInfo(&info), WithUserAgent("other/2"))
	require.NoError(t, err)
	_, err = c.Hubs.Get(context.Background(), "01HUB")
	require.NoError(t, err)
	got := srv.Requests()
	require.Len(t, got, 2)
	assert.Equal(t, "c", got[0].Header.Get("X-Client"))
	assert.Equal(t, "1", got[0].Header.Get("X-Call"))
	assert.Equal(t, "other/2 versori-go/"+Version, got[0].Header.Get("User-Agent"))
	assert.Equal(t, "c", got[1].Header.Get("X-Client"))
	assert.Empty(t, got[1].Header.Get("X-Call"), "a call's header does not stick to the client")
	assert.Equal(t, "app/1 versori-go/"+Version, got[1].Header.Get("User-Agent"))
	assert.Equal(t, 200, info.StatusCode)
	assert.Equal(t, 1, info.Attempts)
}

// Invalid options fail NewClient, or the call, before anything is sent.
func TestInvalidOptionsSendNothing(t *testing.T) {
	t.Parallel()
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, hubJSON) })
	c, _ := newTestClient(t, srv.URL)
	for name, opt := range map[string]Option{
		"nil option":              nil,
		"header Authorization":    WithHeader("Authorization", "Bearer other"),
		"header X-Request-ID":     WithHeader("x-request-id", "mine"),
		"header name with colon":  WithHeader("X:Y", "v"),
		"header value with CRLF":  WithHeader("X-Y", "v\r\nInjected: 1"),
		"negative timeout":        WithTimeout(-time.Second),
		"nil http client":         WithHTTPClient(nil),
		"nil middleware":          WithMiddleware(nil),
		"zero response limit":     WithMaxResponseBytes(0),
		"typed nil token source":  WithTokenSource((*cachingSource)(nil)),
		"blank organisation":      WithOrganisationID(" "),
		"user agent with newline": WithUserAgent("a\nb"),
		"http base URL elsewhere": WithBaseURL("http://example.com"),
	} {
		_, err := NewClient(WithAPIKey(testKey), opt)
		assert.ErrorIs(t, err, ErrValidation, "NewClient: %s", name)
		_, err = c.Hubs.Get(context.Background(), "01HUB", opt)
		assert.ErrorIs(t, err, ErrValidation, "call: %s", name)
		assert.ErrorIs(t, err, ErrNotSent, "call: %s", name)
	}
	assert.Empty(t, srv.Requests())
}

// The client follows no redirect: a 3xx is an APIError naming the status
// and Location, and the target, on another port, receives nothing.
func TestRedirectIsNotFollowed(t *testing.T) {
	t.Parallel()
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		writeJSON(w, 200, hubJSON)
	}))
	defer other.Close()
	for _, status := range []int{301, 302, 303, 307, 308} {
		srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			http.Redirect(w, r, other.URL+"/hubs/01HUB", status)
		})
		c, _ := newTestClient(t, srv.URL)
		_, err := c.Hubs.Create(context.Background(), CreateHubParams{OrganisationID: "o", Name: "n", PrimaryConnectorID: "p",
			AuthSchemeConfig: AuthSchemeConfig{Scheme: NoneScheme{}}})
		var e *APIError
		require.ErrorAs(t, err, &e, "status %d", status)
		assert.Equal(t, status, e.StatusCode)
		assert.Equal(t, other.URL+"/hubs/01HUB", e.Location)
		assert.Contains(t, err.Error(), other.URL)
		assert.Len(t, srv.Requests(), 1, "a redirect is not retried")
	}
	assert.Zero(t, elsewhere.Load(), "nothing reached the redirect target")
}
