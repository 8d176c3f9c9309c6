package platform_test

import (
	"bytes"
	"context"
	stdjson "encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/testutil"
	"github.com/versori-go/versori/platform"
)

const (
	testOrg = "01ORG0000000000000000000AB"
	testKey = "vk_test_SECRET_api_key_42"
	orgPath = "/api/v2/o/" + testOrg
)

// received is one request a raw server received.
type received = testutil.Request

// rawServer is a recording test server (testutil.Server) answering with a
// handler, for asserting exactly what the SDK sent.
type rawServer struct{ *testutil.Server }

// answer is a handler's reply: status and body (sent as JSON unless empty).
type answer struct {
	status int
	body   string
}

// newRawServer starts a server whose handler sees each request and its
// number (1 for the first).
func newRawServer(t *testing.T, handler func(r *http.Request, n int) answer) *rawServer {
	t.Helper()
	return &rawServer{testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		a := handler(r, n)
		if a.body != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	})}
}

// replying returns a server that answers every request with status and body.
func replying(t *testing.T, status int, body string) *rawServer {
	return newRawServer(t, func(*http.Request, int) answer { return answer{status, body} })
}

// requests returns what the server has received so far.
func (s *rawServer) requests() []received { return s.Requests() }

// only returns the one request the server received, failing otherwise.
func (s *rawServer) only(t *testing.T) received {
	t.Helper()
	reqs := s.requests()
	require.Len(t, reqs, 1)
	return reqs[0]
}

// base is the Platform API base URL on the server.
func (s *rawServer) base() string { return s.URL + "/api/v2" }

// newClient returns a client of the server's Platform API (at /api/v2, so the
// Organisations API is at /api/organisations/v1), without retries.
func newClient(t *testing.T, s *rawServer, opts ...versori.Option) *platform.Client {
	t.Helper()
	c, err := platform.NewClient(append([]versori.Option{
		versori.WithBaseURL(s.base()),
		versori.WithOrganisationID(testOrg),
		versori.WithAPIKey(testKey),
		versori.WithMaxRetries(0),
	}, opts...)...)
	require.NoError(t, err)
	return c
}

// assertSent checks a request's method, path, query and JSON body ("" for
// none).
func assertSent(t *testing.T, r received, method, path, query, body string) {
	t.Helper()
	assert.Equal(t, method, r.Method, "method")
	assert.Equal(t, path, r.Path, "path")
	assert.Equal(t, query, r.Query, "query")
	if body == "" {
		assert.Empty(t, r.Body, "body")
		assert.Empty(t, r.Header.Get("Content-Type"))
	} else {
		assert.JSONEq(t, body, r.Body, "body")
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	}
	assert.Equal(t, "Bearer "+testKey, r.Header.Get("Authorization"))
}

// assertRefused checks err is the SDK's refusal of field, before sending.
func assertRefused(t *testing.T, err error, field string) {
	t.Helper()
	var v *versori.ValidationError
	require.ErrorAs(t, err, &v)
	assert.Equal(t, field, v.Field)
	assert.ErrorIs(t, err, versori.ErrNotSent)
}

// refusedUnpanicked checks that call neither panics nor sends, and fails with
// a ValidationError.
func refusedUnpanicked(t *testing.T, name string, call func() error) {
	t.Helper()
	var err error
	require.NotPanics(t, func() { err = call() }, name)
	var ve *versori.ValidationError
	assert.True(t, errors.As(err, &ve), "%s: want a *ValidationError, got %v", name, err)
	assert.ErrorIs(t, err, versori.ErrNotSent, name)
}

// refusal is a call the SDK must refuse before sending, and the field its
// refusal must name.
type refusal struct {
	name, field string
	call        func() error
}

// assertRefusals makes the calls refusals returns for a client of a server
// that would answer {}, checks each is refused naming its field, and that
// nothing was sent.
func assertRefusals(t *testing.T, refusals func(ctx context.Context, c *platform.Client) []refusal) {
	t.Helper()
	s := replying(t, http.StatusOK, "{}")
	for _, r := range refusals(t.Context(), newClient(t, s)) {
		t.Run(r.name, func(t *testing.T) { assertRefused(t, r.call(), r.field) })
	}
	assert.Empty(t, s.requests(), "nothing may be sent")
}

// errOf drops a call's result, keeping its error.
func errOf[T any](_ T, err error) error { return err }

// assertMissing checks err is the SDK's refusal of an answer without a
// property the operation requires, naming the property.
func assertMissing(t *testing.T, err error, property string) {
	t.Helper()
	var d *versori.DecodeError
	require.ErrorAs(t, err, &d)
	assert.Contains(t, d.Error(), strconv.Quote(property))
}

// collect drains an iterator, stopping at its first error.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var items []T
	for item, err := range seq {
		if err != nil {
			return items, err
		}
		items = append(items, item)
	}
	return items, nil
}

// sent returns the JSON the SDK sends for body, as a raw server receives it:
// the one encoding in which secrets are revealed.
func sent(t *testing.T, body any) string {
	t.Helper()
	s := replying(t, http.StatusNoContent, "")
	require.NoError(t, newClient(t, s).Do(t.Context(), versori.Request{Method: http.MethodPut, Path: "/echo", Body: body}, nil))
	return s.only(t).Body
}

// assertRedacted checks that no secret shows when v is printed with fmt's
// verbs, logged by slog's text and JSON handlers, or marshalled by
// encoding/json and json/v2, and that each of them shows [REDACTED].
func assertRedacted(t *testing.T, v any, secrets ...string) {
	t.Helper()
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("text", "value", v)
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("json", "value", v)
	v1, err := stdjson.Marshal(v)
	require.NoError(t, err)
	v2, err := json.Marshal(v)
	require.NoError(t, err)
	for name, out := range map[string]string{
		"fmt %v":        fmt.Sprintf("%v", v),
		"fmt %+v":       fmt.Sprintf("%+v", v),
		"fmt %#v":       fmt.Sprintf("%#v", v),
		"fmt %s":        fmt.Sprintf("%s", v),
		"fmt %q":        fmt.Sprintf("%q", v),
		"fmt %x":        fmt.Sprintf("%x", v),
		"slog":          logged.String(),
		"encoding/json": string(v1),
		"json/v2":       string(v2),
	} {
		for _, secret := range secrets {
			assert.NotContains(t, out, secret, name)
		}
		assert.Contains(t, out, "[REDACTED]", name)
	}
}

// transportAnswering returns an HTTP client whose every answer is status
// with body, whatever a real HTTP connection could carry, and which records
// the URLs asked for.
func transportAnswering(status int, body string, urls *[]string) *http.Client {
	return transportFunc(status, func(*http.Request) string { return body }, urls)
}

// transportFunc is transportAnswering with a body for each request.
func transportFunc(status int, reply func(*http.Request) string, urls *[]string) *http.Client {
	var mu sync.Mutex
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		*urls = append(*urls, r.Method+" "+r.URL.String())
		mu.Unlock()
		body := reply(r)
		return &http.Response{
			StatusCode: status, Status: http.StatusText(status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"application/json"}}, ContentLength: int64(len(body)),
			Body: io.NopCloser(strings.NewReader(body)), Request: r,
		}, nil
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
