package versori

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori/internal/testutil"
)

func TestRequestHeaders(t *testing.T) {
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, 200, hubJSON) })
	c, _ := newTestClient(t, srv.URL, WithUserAgent("acme-backend/1.4"))

	hub, err := c.Hubs.Get(context.Background(), "01HUB", WithHeader("X-Trace", "abc"))
	require.NoError(t, err)
	assert.Equal(t, "Acme", hub.Name)

	got := srv.Requests()
	require.Len(t, got, 1)
	h := got[0].Header
	assert.Equal(t, "Bearer "+testKey, h.Get("Authorization"))
	assert.Equal(t, "acme-backend/1.4 versori-go/"+Version, h.Get("User-Agent"))
	assert.Equal(t, "application/json", h.Get("Accept"))
	assert.Empty(t, h.Get("Content-Type"), "no body, no content type")
	assert.Len(t, h.Get("X-Request-Id"), 36, "a UUID request ID")
	assert.Equal(t, "abc", h.Get("X-Trace"))
	assert.Equal(t, "/hubs/01HUB", got[0].Path)
}

func TestBaseURLValidation(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want string // "" means refused
	}{
		{"https://platform.versori.com/api/embedded/v1/", "https://platform.versori.com/api/embedded/v1"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"http://localhost:8950/embedded/v1", "http://localhost:8950/embedded/v1"},
		{"http://[::1]:9000", "http://[::1]:9000"},
		{"http://platform.versori.com/api", ""},
		{"http://10.0.0.5", ""},
		{"ftp://example.com", ""},
		{"/relative", ""},
		{"https://user:pw@example.com", ""},
		{"https://example.com/?q=1", ""},
	} {
		c, err := NewClient(WithAPIKey(testKey), WithBaseURL(tc.url))
		if tc.want == "" {
			assert.ErrorIs(t, err, ErrValidation, tc.url)
			continue
		}
		require.NoError(t, err, tc.url)
		assert.Equal(t, tc.want, c.BaseURL())
	}
	c, err := NewClient(WithAPIKey(testKey))
	require.NoError(t, err)
	assert.Equal(t, DefaultBaseURL, c.BaseURL())
	_, err = NewClient(WithAPIKey(" "))
	assert.ErrorIs(t, err, ErrValidation)
}

func TestRetries(t *testing.T) {
	for _, tc := range []struct {
		name       string
		status     int
		retryAfter string
		post       bool
		attempts   int
		wait       time.Duration // exact wait expected, when Retry-After decides it
	}{
		{name: "GET 503 retried to the limit", status: 503, attempts: 3},
		{name: "GET 500", status: 500, attempts: 3},
		{name: "GET 502", status: 502, attempts: 3},
		{name: "GET 504", status: 504, attempts: 3},
		{name: "GET 408", status: 408, attempts: 3},
		{name: "GET 429 with Retry-After seconds", status: 429, retryAfter: "2", attempts: 3, wait: 2 * time.Second},
		{name: "GET 404 not retried", status: 404, attempts: 1},
		{name: "GET 400 not retried", status: 400, attempts: 1},
		{name: "GET 501 not retried", status: 501, attempts: 1},
		{name: "POST 503 not retried", status: 503, post: true, attempts: 1},
		{name: "POST 500 not retried", status: 500, post: true, attempts: 1},
		{name: "POST 429 retried", status: 429, post: true, attempts: 3},
		{name: "Retry-After over MaxDelay is not waited for", status: 503, retryAfter: "3600", attempts: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				writeJSON(w, tc.status, `{"code":"`+fmt.Sprint(tc.status)+`000","message":"nope"}`)
			})
			c, waits := newTestClient(t, srv.URL)
			var err error
			if tc.post {
				_, err = c.Hubs.Create(context.Background(), validHubParams())
			} else {
				_, err = c.Hubs.Get(context.Background(), "01HUB")
			}
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			got := srv.Requests()
			assert.Len(t, got, tc.attempts)
			assert.Len(t, *waits, tc.attempts-1)
			for _, a := range got {
				assert.Equal(t, got[0].Header.Get("X-Request-Id"), a.Header.Get("X-Request-Id"), "one request ID across retries")
				assert.Equal(t, got[0].Body, a.Body, "body replayed intact")
			}
			if tc.wait > 0 {
				for _, w := range *waits {
					assert.Equal(t, tc.wait, w)
				}
			}
		})
	}
}

func TestRetrySucceedsAndReportsAttempts(t *testing.T) {
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			writeJSON(w, 503, `{"code":"503000","message":"busy"}`)
			return
		}
		w.Header().Set("X-Request-Id", "server-req-1")
		writeJSON(w, 200, hubJSON)
	})
	c, _ := newTestClient(t, srv.URL)
	var info ResponseInfo
	_, err := c.Hubs.Get(context.Background(), "01HUB", WithResponseInfo(&info))
	require.NoError(t, err)
	assert.Equal(t, 2, info.Attempts)
	assert.Equal(t, 200, info.StatusCode)
	assert.Equal(t, "server-req-1", info.RequestID)
}

func TestRetryOverrides(t *testing.T) {
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeJSON(w, 503, `{"code":"503000","message":"busy"}`)
	})
	c, _ := newTestClient(t, srv.URL, WithRetryPolicy(RetryPolicy{MaxRetries: 0}))
	_, err := c.Hubs.Get(context.Background(), "01HUB")
	assert.ErrorIs(t, err, ErrServer)
	assert.Len(t, srv.Requests(), 1, "MaxRetries 0 turns retries off")

	_, err = c.Hubs.Get(context.Background(), "01HUB", WithMaxRetries(4))
	assert.ErrorIs(t, err, ErrServer)
	assert.Len(t, srv.Requests(), 1+5, "per-call override")
}

func TestRetryWaitBeyondDeadlineReturnsAtOnce(t *testing.T) {
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Retry-After", "20")
		writeJSON(w, 503, `{"code":"503000","message":"busy"}`)
	})
	c, waits := newTestClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := c.Hubs.Get(ctx, "01HUB")
	assert.ErrorIs(t, err, ErrServer)
	assert.Len(t, srv.Requests(), 1)
	assert.Empty(t, *waits)
}

func TestRealBackoffHonoursContext(t *testing.T) {
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeJSON(w, 503, `{"code":"503000","message":"busy"}`)
	})
	c, err := NewClient(WithAPIKey(testKey), WithBaseURL(srv.URL), WithRetryPolicy(RetryPolicy{MaxRetries: 5, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}))
	require.NoError(t, err)
	_, err = c.Hubs.Get(context.Background(), "01HUB")
	assert.ErrorIs(t, err, ErrServer)
	assert.Len(t, srv.Requests(), 6)
}

func TestPostRetriedWhenNothingWasSent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // connection refused from now on

	c, waits := newTestClient(t, "http://"+addr)
	_, err = c.Hubs.Create(context.Background(), validHubParams())
	require.Error(t, err)
	assert.Len(t, *waits, 2, "a refused POST never reached the server, so it is retried")
	assert.NotContains(t, err.Error(), testKey)
}

// countingConn counts the writes made on a connection.
type countingConn struct {
	net.Conn
	writes *atomic.Int32
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// TestPostWrittenInOneGo: over HTTP/1.1 a POST's headers and body leave in
// one write. net/http flushes the headers on their own first (a segment, and
// a wakeup of the server, more per call) unless the body is a reader it
// knows to be in memory; a GET is one write too.
func TestPostWrittenInOneGo(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		writeJSON(w, 200, hubJSON)
	}))
	defer srv.Close()
	var writes atomic.Int32
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := new(net.Dialer).DialContext(ctx, network, addr)
		return countingConn{conn, &writes}, err
	}}
	defer tr.CloseIdleConnections()
	c, err := NewClient(WithAPIKey(testKey), WithBaseURL(srv.URL), WithHTTPClient(&http.Client{Transport: tr}))
	require.NoError(t, err)
	_, err = c.Hubs.Create(context.Background(), validHubParams())
	require.NoError(t, err)
	assert.Equal(t, int32(1), writes.Swap(0), "POST")
	_, err = c.Hubs.Get(context.Background(), "01HUB")
	require.NoError(t, err)
	assert.Equal(t, int32(1), writes.Load(), "GET")
}

func TestPostNotRetriedAfterSending(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		_, _ = io.ReadAll(r.Body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close() // reset after the request arrived
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL)
	_, err := c.Hubs.Create(context.Background(), validHubParams())
	require.Error(t, err)
	assert.Equal(t, int32(1), n.Load(), "a POST the server may have processed is not sent twice")

	_, err = c.Hubs.Get(context.Background(), "01HUB")
	require.Error(t, err)
	assert.Equal(t, int32(1+3), n.Load(), "a GET is retried on a dropped connection")
}

func TestAPIErrors(t *testing.T) {
	for _, tc := range []struct {
		status   int
		body     string
		sentinel error
		code     string
		snippet  string
	}{
		{401, `{"code":"401000","message":"bad key"}`, ErrUnauthorized, "401000", ""},
		{403, `{"code":"403000","message":"no"}`, ErrForbidden, "403000", ""},
		{404, `{"code":"404000","message":"user not found"}`, ErrNotFound, "404000", ""},
		{409, `{"code":"409000","message":"exists"}`, ErrConflict, "409000", ""},
		{422, `{"code":"422000","message":"bad"}`, ErrValidation, "422000", ""},
		{400, `{"code":400000,"message":"numeric code tolerated"}`, ErrValidation, "400000", ""},
		{429, `{"code":"429000","message":"slow down"}`, ErrRateLimited, "429000", ""},
		{501, `<html><body><h1>501 Not Implemented</h1></body></html>`, ErrServer, "", "<html><body><h1>501 Not Implemented</h1></body></html>"},
		{404, `<html>` + strings.Repeat("x", 100000), ErrNotFound, "", ""},
		{403, ``, ErrForbidden, "", ""},
	} {
		srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			w.Header().Set("X-Request-Id", "req-42")
			w.WriteHeader(tc.status)
			_, _ = io.WriteString(w, tc.body)
		})
		c, _ := newTestClient(t, srv.URL, WithRetryPolicy(RetryPolicy{}))
		_, err := c.Users.Get(context.Background(), "01HUB", ExternalUser("jane"))
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.ErrorIs(t, err, tc.sentinel)
		assert.Equal(t, tc.status, apiErr.StatusCode)
		assert.Equal(t, tc.code, apiErr.Code)
		assert.Equal(t, "req-42", apiErr.RequestID)
		assert.Equal(t, "GET", apiErr.Method)
		assert.Equal(t, "/hubs/01HUB/users/jane", apiErr.Path)
		if tc.snippet != "" {
			assert.Equal(t, tc.snippet, apiErr.Snippet)
		}
		assert.LessOrEqual(t, len(apiErr.Snippet), 210, "snippet is bounded")
		assert.NotContains(t, err.Error(), testKey)
	}
}

func TestAPIErrorFields(t *testing.T) {
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeJSON(w, 400, `{"code":"400000","message":"invalid body","details":"see fields","fields":[{"field":"externalId","message":"is required"}],"extra":1}`)
	})
	c, _ := newTestClient(t, srv.URL)
	_, err := c.Hubs.Get(context.Background(), "01HUB")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, []FieldError{{Field: "externalId", Message: "is required"}}, apiErr.Fields)
	assert.Equal(t, "see fields", apiErr.Details)
	assert.Contains(t, err.Error(), "externalId: is required")
	assert.Contains(t, err.Error(), "400 Bad Request")
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		is   error
	}{
		{"malformed", `{"id": "01HUB", "name": `, io.ErrUnexpectedEOF},
		{"empty", ``, errMissing},
		{"html", `<html>oops</html>`, nil},
		{"too large", `{"id":"` + strings.Repeat("a", 4096) + `"}`, ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, 200, tc.body) })
			c, _ := newTestClient(t, srv.URL, WithMaxResponseBytes(1024))
			_, err := c.Hubs.Get(context.Background(), "01HUB")
			var decErr *DecodeError
			require.ErrorAs(t, err, &decErr)
			assert.Equal(t, 200, decErr.StatusCode)
			assert.NotEmpty(t, decErr.RequestID)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
		})
	}
}

func TestUnknownFieldsAreIgnored(t *testing.T) {
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeJSON(w, 200, `{"id":"01HUB","name":"Acme","isDefault":false,"newField":{"a":[1,2]},"primaryConnector":{"connectorId":"c","name":"n","imageUrl":"u","variables":[],"authSchemeConfig":{"id":"x","description":"","schemeType":"none"}}}`)
	})
	c, _ := newTestClient(t, srv.URL)
	hub, err := c.Hubs.Get(context.Background(), "01HUB")
	require.NoError(t, err)
	assert.Equal(t, "Acme", hub.Name)
}

func TestPathEscaping(t *testing.T) {
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, 204, ``) })
	c, _ := newTestClient(t, srv.URL)
	for _, id := range []string{"jane+ops@acme.io/eu#2?x=1 %", "../../hubs", "ünï cødé", "a/b", strings.Repeat("x", 2000)} {
		require.NoError(t, c.Users.Delete(context.Background(), "01HUB", ExternalUser(id)))
		got := srv.Requests()
		last := got[len(got)-1]
		prefix := "/hubs/01HUB/users/"
		require.True(t, strings.HasPrefix(last.Path, prefix), last.Path)
		rest := last.Path[len(prefix):]
		assert.NotContains(t, rest, "/", "the ID stays one segment")
		assert.Equal(t, "identifier_type=external", last.Query)
	}
}

func TestInvalidInputSendsNothing(t *testing.T) {
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, 200, `{}`) })
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()
	for _, tc := range []struct {
		field string
		err   error
	}{
		{"hubID", func() error { _, err := c.Hubs.Get(ctx, ""); return err }()},
		{"user", func() error { _, err := c.Users.Get(ctx, "01HUB", ExternalUser("")); return err }()},
		{"user", func() error { _, err := c.Users.Get(ctx, "01HUB", UserRef{}); return err }()},
		{"user", func() error { return c.Users.Delete(ctx, "01HUB", ExternalUser("..")) }()},
		{"user", func() error { return c.Users.Delete(ctx, "01HUB", ExternalUser(" \t")) }()},
		{"externalId", func() error { _, err := c.Users.Create(ctx, "01HUB", CreateEndUserParams{}); return err }()},
		{"first", func() error {
			_, err := c.Users.List(ctx, "01HUB", &ListEndUsersParams{First: -1})
			return err
		}()},
		{"activationID", func() error { _, err := c.Activations.Get(ctx, ""); return err }()},
		{"user", func() error { _, err := c.Activations.Create(ctx, CreateActivationParams{}); return err }()},
		{"connectorId", func() error {
			_, err := c.Connections.Create(ctx, "01HUB", ExternalUser("u"), CreateConnectionParams{})
			return err
		}()},
	} {
		var ve *ValidationError
		require.ErrorAs(t, tc.err, &ve, tc.field)
		assert.Equal(t, tc.field, ve.Field)
		assert.ErrorIs(t, tc.err, ErrValidation)
		assert.Contains(t, tc.err.Error(), tc.field)
	}
	assert.Empty(t, srv.Requests(), "nothing was sent")
}

func TestQueryStyles(t *testing.T) {
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeJSON(w, 200, `{"totalCount":0,"connections":[]}`)
	})
	c, _ := newTestClient(t, srv.URL)
	_, err := c.Connections.List(context.Background(), "01HUB", InternalUser("01USR"), &ListConnectionsParams{
		First: 5, After: "cur/sor==",
		HubConnectorIDs: []string{"01A", "01B"},
	})
	require.NoError(t, err)
	got := srv.Requests()[0]
	assert.Equal(t, "first=5&after=cur%2Fsor%3D%3D&hub_connector_id=01A,01B&identifier_type=internal", got.Query)
}

func TestSecretsStayOutOfOutput(t *testing.T) {
	var logs bytes.Buffer
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeJSON(w, 500, `{"code":"500000","message":"boom"}`)
	})
	c, _ := newTestClient(t, srv.URL, WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	_, err := c.Hubs.Get(context.Background(), "01HUB")
	require.Error(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.NotContains(t, fmt.Sprintf(verb, c), testKey)
		assert.NotContains(t, fmt.Sprintf(verb, *c), testKey)
	}
	slog.New(slog.NewTextHandler(&logs, nil)).Info("client", "c", c)
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("client", "c", c)
	assert.NotContains(t, logs.String(), testKey)
	assert.Contains(t, logs.String(), `"attempt":3`, "one debug record per attempt")
	assert.NotContains(t, err.Error(), testKey)
}

func TestCanceledContext(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	c, _ := newTestClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Hubs.Get(ctx, "01HUB")
	assert.True(t, errors.Is(err, context.DeadlineExceeded), err)
	assert.Less(t, time.Since(start), 2*time.Second)
}

func validHubParams() CreateHubParams {
	return CreateHubParams{OrganisationID: "01ORG", Name: "Hub", PrimaryConnectorID: "01CON", AuthSchemeConfig: AuthSchemeConfig{Scheme: NoneScheme{}}}
}

// roundTripFunc adapts a function to http.RoundTripper.

func TestMiddlewareOrderAndCallerClientUntouched(t *testing.T) {
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, 200, hubJSON) })
	var order []string
	mw := func(name string) Middleware {
		return func(next http.RoundTripper) http.RoundTripper {
			return roundTripFunc(func(r *http.Request) (*http.Response, error) {
				order = append(order, name)
				r.Header.Set("X-"+name, "1")
				return next.RoundTrip(r)
			})
		}
	}
	own := &http.Client{}
	c, _ := newTestClient(t, srv.URL, WithHTTPClient(own), WithMiddleware(mw("Outer"), mw("Inner")))
	_, err := c.Hubs.Get(context.Background(), "01HUB")
	require.NoError(t, err)
	assert.Equal(t, []string{"Outer", "Inner"}, order)
	assert.Equal(t, "1", srv.Requests()[0].Header.Get("X-Inner"))
	assert.Nil(t, own.Transport, "the caller's client is not modified")
	_, err = NewClient(WithMiddleware(nil))
	assert.ErrorIs(t, err, ErrValidation)
}

func TestDebugLogRecordsEachAttempt(t *testing.T) {
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("X-Request-Id", "srv-req")
		if n == 1 {
			writeJSON(w, 503, `{"code":"503000","message":"busy"}`)
			return
		}
		writeJSON(w, 200, hubJSON)
	})
	var buf bytes.Buffer
	c, _ := newTestClient(t, srv.URL, WithLogger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	_, err := c.Hubs.Get(context.Background(), "01HUB")
	require.NoError(t, err)

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 2, "one record per attempt")
	for i, want := range []string{`"status":503`, `"status":200`} {
		for _, field := range []string{`"operation":"GetHub"`, `"method":"GET"`, `"path":"/hubs/01HUB"`, `"request_id":"srv-req"`, `"duration":`, fmt.Sprintf(`"attempt":%d`, i+1), want} {
			assert.Contains(t, lines[i], field)
		}
		assert.NotContains(t, lines[i], testKey)
	}

	// Logging below debug costs nothing and writes nothing.
	buf.Reset()
	quiet, _ := newTestClient(t, srv.URL, WithLogger(slog.New(slog.NewJSONHandler(&buf, nil))))
	_, err = quiet.Hubs.Get(context.Background(), "01HUB")
	require.NoError(t, err)
	assert.Empty(t, buf.String())
}

func TestWithTimeoutBoundsTheCall(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	c, _ := newTestClient(t, srv.URL)
	start := time.Now()
	_, err := c.Hubs.Get(context.Background(), "01HUB", WithTimeout(100*time.Millisecond))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 2*time.Second, "the call ends at its timeout, retries included")
}

func TestRequestIDKeptAcrossRetriesWhateverTheServerSays(t *testing.T) {
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("X-Request-Id", fmt.Sprintf("server-%d", n))
		writeJSON(w, 503, `{"code":"503000","message":"busy"}`)
	})
	c, _ := newTestClient(t, srv.URL)
	_, err := c.Hubs.Get(context.Background(), "01HUB")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "server-3", apiErr.RequestID, "the error reports the server's ID for the last attempt")
	got := srv.Requests()
	require.Len(t, got, 3)
	for _, a := range got {
		assert.Equal(t, got[0].Header.Get("X-Request-Id"), a.Header.Get("X-Request-Id"), "the SDK sends one ID for the whole call")
	}
	assert.NotContains(t, got[0].Header.Get("X-Request-Id"), "server")
}

type callIDKey struct{}

// ctxTokenSource issues a token named after the call ID in the context, so a
// test can tell which call's token reached the server.
type ctxTokenSource struct{}

func (ctxTokenSource) Token(ctx context.Context) (Token, error) {
	id, _ := ctx.Value(callIDKey{}).(string)
	return Token{Value: NewSecret("tok-" + id), ExpiresAt: time.Now().Add(time.Hour)}, nil
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
	assert.Equal(t, []string{"versori-go/" + Version}, c.cfg.uaHeader)
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

// failingBody returns body, then err.
func failingBody(body string, err error) io.ReadCloser {
	return io.NopCloser(io.MultiReader(strings.NewReader(body), iotest.ErrReader(err)))
}

// decode turns every 2xx body into the value the operation promises or a
// DecodeError saying what was wrong; truncated marks a connection that broke
// mid-body (which an idempotent call may retry).
func TestDecode(t *testing.T) {
	reset := errors.New("connection reset")
	for _, tc := range []struct {
		name      string
		body      io.ReadCloser
		n         int64  // Content-Length, -1 for unknown
		want      string // Health.Message, or the error's text
		wantErr   error  // matched with errors.Is, when set
		truncated bool
	}{
		{"valid", io.NopCloser(strings.NewReader(`{"message":"ok"}`)), -1, "ok", nil, false},
		{"valid with Content-Length", io.NopCloser(strings.NewReader(`{"message":"ok"}`)), 16, "ok", nil, false},
		{"trailing whitespace", io.NopCloser(strings.NewReader(" {\"message\":\"ok\"} \n\t")), -1, "ok", nil, false},
		{"unknown fields", io.NopCloser(strings.NewReader(`{"message":"ok","new":[1,{"x":null}]}`)), -1, "ok", nil, false},
		{"trailing data", io.NopCloser(strings.NewReader(`{"message":"ok"} {"message":"no"}`)), -1, "after top-level value", nil, false},
		{"empty", io.NopCloser(strings.NewReader("")), -1, "the body is empty", errMissing, false},
		{"blank", io.NopCloser(strings.NewReader("  \n")), -1, "the body is empty", errMissing, false},
		{"null", io.NopCloser(strings.NewReader("null")), -1, `want a JSON object at "/", got null`, errMissing, false},
		{"array", io.NopCloser(strings.NewReader("[]")), -1, `want a JSON object at "/", got array`, errMissing, false},
		{"string", io.NopCloser(strings.NewReader(`"x"`)), -1, `want a JSON object at "/", got string`, errMissing, false},
		{"duplicate names: the last wins", io.NopCloser(strings.NewReader(`{"message":"a","message":"b"}`)), -1, "b", nil, false},
		{"invalid UTF-8", io.NopCloser(strings.NewReader("{\"message\":\"\xff\"}")), -1, "UTF-8", nil, false},
		{"truncated", io.NopCloser(strings.NewReader(`{"message":"o`)), -1, "unexpected EOF", nil, false},
		{"wrong type", io.NopCloser(strings.NewReader(`{"message":5}`)), -1, "unmarshal JSON number into Go string", nil, false},
		{"at the limit", io.NopCloser(strings.NewReader(`{"message":"` + strings.Repeat("a", 64-14) + `"}`)), -1, strings.Repeat("a", 50), nil, false},
		{"over the limit", io.NopCloser(strings.NewReader(`{"message":"` + strings.Repeat("a", 100) + `"}`)), -1, "more than 64 bytes", ErrTooLarge, false},
		{"Content-Length over the limit", io.NopCloser(strings.NewReader(`{}`)), 65, "Content-Length 65 is over the 64-byte limit", ErrTooLarge, false},
		{"read error after the value", failingBody(`{"message":"ok"}`, reset), -1, "connection reset", reset, true},
		{"read error in the value", failingBody(`{"message":"o`, reset), -1, "connection reset", reset, true},
		{"shorter than Content-Length", io.NopCloser(strings.NewReader(`{"message":"o`)), 40, "unexpected EOF", io.ErrUnexpectedEOF, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got Health
			de := decode(&http.Response{StatusCode: 200, Body: tc.body, ContentLength: tc.n}, 64, &got)
			if tc.wantErr == nil && !strings.Contains(tc.want, " ") && de == nil {
				assert.Equal(t, tc.want, got.Message)
				return
			}
			require.NotNil(t, de, "want an error containing %q", tc.want)
			assert.Contains(t, de.Err.Error(), tc.want)
			if tc.wantErr != nil {
				assert.ErrorIs(t, de, tc.wantErr)
			}
			assert.Equal(t, tc.truncated, de.truncated)
		})
	}
}

// A required property that is absent or null makes a 2xx answer an error
// naming the operation and the property, with the status and request ID.
func TestMissingRequiredPropertyIsAnError(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{}`, `required property "id" missing at "/"`},
		{`{"id":null,"name":"Acme","isDefault":true,"primaryConnector":{"connectorId":"c","name":"n","imageUrl":"u","variables":[],"authSchemeConfig":{"id":"a","description":"","schemeType":"none"}}}`, `required property "id" missing at "/"`},
		{`{"id":"01HUB","name":"Acme","isDefault":true}`, `required property "primaryConnector" missing`},
		{`{"id":"01HUB","name":"Acme","isDefault":true,"primaryConnector":{"connectorId":"c","name":"n","imageUrl":"u","variables":[{"name":"v"}],"authSchemeConfig":{"id":"a","description":"","schemeType":"none"}}}`,
			`required property "value" missing at "/primaryConnector/variables/0"`},
	} {
		srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, 200, tc.body) })
		c, _ := newTestClient(t, srv.URL)
		_, err := c.Hubs.Get(context.Background(), "01HUB")
		var de *DecodeError
		require.ErrorAs(t, err, &de, tc.body)
		assert.Contains(t, err.Error(), tc.want)
		assert.Contains(t, err.Error(), "GetHub")
		assert.Equal(t, 200, de.StatusCode)
		assert.NotEmpty(t, de.RequestID)
		assert.ErrorIs(t, err, ErrMaybeProcessed)
	}
}

// Decoded values must not alias the buffer the body was read into.
func TestDecodedValuesOutliveTheBuffer(t *testing.T) {
	bodies := []string{
		`{"id":"c1","name":"n","credentials":{"action":[{"id":"x","authSchemeConfig":{"id":"a","description":"d","schemeType":"brand-new","k":"v"},"credential":{"id":"k","organisationId":"o","type":"custom-function","name":"f","data":{"fn":"keep me"}}},{"id":"y","authSchemeConfig":{"id":"b","description":"","schemeType":"api-key","name":"X-Key","in":"header"},"credential":{"id":"u","organisationId":"o","type":"from-the-future","name":"u","data":{"raw":"keep me too"}}}]},"variables":[{"name":"v","value":"w"}],"createdAt":"2025-01-02T03:04:05Z","updatedAt":"2025-01-02T03:04:05Z"}`,
	}
	bodies = append(bodies, strings.Replace(bodies[0], `"id":"c1"`, `"id":"`+strings.Repeat("Z", 2000)+`"`, 1))
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, bodies[int(n.Add(1)-1)%len(bodies)])
	}))
	defer srv.Close()
	c, err := NewClient(WithAPIKey(testKey), WithBaseURL(srv.URL))
	require.NoError(t, err)
	first, err := c.Connections.Get(context.Background(), "t", ExternalUser("u"))
	require.NoError(t, err)
	before, err := json.Marshal(first, wireOptions)
	require.NoError(t, err)
	for range 5 {
		_, err := c.Connections.Get(context.Background(), "t", ExternalUser("u"))
		require.NoError(t, err)
	}
	after, err := json.Marshal(first, wireOptions)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after))
	assert.Contains(t, string(after), "keep me too")
}

// TestUnreadBodyProvesNothingOnlyForAPost: a transport that fails without
// reading the request body (as HTTP/2 does when a stream fails after its
// HEADERS went out) leaves a POST unsent, since no server acts on a POST
// without its body, but not a DELETE, which a server acts on by its headers
// alone. A failure to connect leaves both unsent.
func TestUnreadBodyProvesNothingOnlyForAPost(t *testing.T) {
	headersSent := errors.New("stream reset after HEADERS")
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	for _, tc := range []struct {
		name    string
		fail    error
		call    func(*Client) error
		notSent bool
	}{
		{"POST, headers sent", headersSent, func(c *Client) error { _, err := c.Hubs.Create(context.Background(), validHubParams()); return err }, true},
		{"DELETE, headers sent", headersSent, func(c *Client) error { return c.Users.Delete(context.Background(), "01HUB", ExternalUser("u")) }, false},
		{"DELETE, refused", refused, func(c *Client) error { return c.Users.Delete(context.Background(), "01HUB", ExternalUser("u")) }, true},
	} {
		hc := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, tc.fail })}
		c, err := NewClient(WithAPIKey(testKey), WithBaseURL("https://api.example"), WithHTTPClient(hc), WithMaxRetries(0))
		require.NoError(t, err)
		err = tc.call(c)
		require.Error(t, err, tc.name)
		assert.Equal(t, tc.notSent, errors.Is(err, ErrNotSent), "%s: %v", tc.name, err)
		assert.Equal(t, !tc.notSent, errors.Is(err, ErrMaybeProcessed), "%s: %v", tc.name, err)
	}
}
