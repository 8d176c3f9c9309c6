package versori_test

// No redirect is followed. The Versori API does not redirect, so a 3xx comes
// from a proxy or a misconfiguration: it must end the call with an
// *APIError naming the status and the Location, and the redirect target must
// receive nothing at all (no Authorization, no body), whichever status,
// method, host, port or scheme.

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
)

// redirectTarget is where a redirect points, relative to the origin.
type redirectTarget struct {
	name   string
	origin serverKind // the server the SDK calls
	target serverKind // the server the Location names
	host   string     // the Location's host: 127.0.0.1 or otherHost
}

var redirectTargets = []redirectTarget{
	{"http: same host, other port", kindHTTP1, kindHTTP1, "127.0.0.1"},
	{"http: other host", kindHTTP1, kindHTTP1, otherHost},
	{"https (HTTP/2): same host, other port", kindH2, kindH2, "127.0.0.1"},
	{"https (HTTP/2): other host", kindH2, kindH2, otherHost},
	{"https (HTTP/2) → http: same host", kindH2, kindHTTP1, "127.0.0.1"},
}

var (
	redirectStatuses = []int{301, 302, 303, 307, 308}
	redirectCalls    = []hostileCall{callGetHub, callCreateHub}
)

// redirectCell is an origin that redirects every request to a target that
// answers anything healthily.
type redirectCell struct {
	origin, target *hostileServer
	location       string // for a request to /hubs/01HUB
	client         *hostileClient
}

func newRedirectCell(t testing.TB, rt redirectTarget, status int) *redirectCell {
	t.Helper()
	target := startNetHTTP(t, rt.target, func(w http.ResponseWriter, r *http.Request) {
		writeAnswer(w, 200, hostileHubJSON)
	})
	base := strings.Replace(target.URL, "127.0.0.1", rt.host, 1)
	origin := startNetHTTP(t, rt.origin, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", base+r.URL.RequestURI())
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`<a href="` + base + r.URL.RequestURI() + `">moved</a>`))
	})
	return &redirectCell{origin: origin, target: target, location: base, client: newHostileClient(t, origin)}
}

func TestNoRedirectFollowed(t *testing.T) {
	for _, rt := range redirectTargets {
		for _, status := range redirectStatuses {
			for _, m := range redirectCalls {
				t.Run(rt.name+"/"+http.StatusText(status)+"/"+m.method, func(t *testing.T) {
					t.Parallel()
					cell := newRedirectCell(t, rt, status)
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					defer cancel()
					err := m.do(ctx, cell.client.Client)

					for _, r := range cell.target.requests() {
						t.Logf("the redirect target received %s %s (Authorization sent: %t, body: %d bytes)", r.Method, r.Path, r.Auth != "", len(r.Body))
						assert.Empty(t, r.Auth, "the API key went to %s", cell.location)
						assert.Empty(t, r.Body, "the request body went to %s", cell.location)
					}
					assert.Empty(t, cell.target.requests(), "the redirect target receives nothing")
					assert.Len(t, cell.origin.requests(), 1, "the origin is asked once: a 3xx is not retried")

					var ae *versori.APIError
					if assert.True(t, errors.As(err, &ae), "a %d is an *APIError; got %v", status, err) {
						assert.Equal(t, status, ae.StatusCode)
						assert.Contains(t, err.Error(), cell.location, "the error names the Location")
					}
					if rt.origin == kindH2 {
						for _, p := range cell.client.rt.responseProtos() {
							if p != 2 {
								// Only the followed hop to a plain-HTTP target may be HTTP/1.1.
								assert.Equal(t, kindHTTP1, rt.target, "the origin answered over HTTP/%d", p)
							}
						}
						require.NotEmpty(t, cell.client.rt.responseProtos())
						assert.Equal(t, 2, cell.client.rt.responseProtos()[0], "the origin answered over HTTP/2")
					}
				})
			}
		}
	}
}
