package versori_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

// The Embedded API v1 client and the Platform client share one request core:
// these tests put a fault below it, in a RoundTripper middleware, and check
// that both clients retry it the same way, a GET and a POST each: as many
// attempts, the same waits, the same error types and sentinels.

// below is a middleware that fails the first n attempts of every call (told
// apart by their X-Request-Id, which the core keeps across retries) with
// fault, then passes them through. It records each attempt.
type below struct {
	n     int
	fault func(r *http.Request) (*http.Response, error)

	mu       sync.Mutex
	attempts []attempt
}

type attempt struct {
	requestID string
	at        time.Time
}

func (b *below) middleware(next http.RoundTripper) http.RoundTripper {
	return transportFunc(func(r *http.Request) (*http.Response, error) {
		id := r.Header.Get("X-Request-Id")
		b.mu.Lock()
		n := 0
		for _, a := range b.attempts {
			if a.requestID == id {
				n++
			}
		}
		b.attempts = append(b.attempts, attempt{id, time.Now()})
		b.mu.Unlock()
		if n < b.n {
			return b.fault(r)
		}
		return next.RoundTrip(r)
	})
}

type transportFunc func(*http.Request) (*http.Response, error)

func (f transportFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// answer returns a fault that answers status, with Retry-After when set.
func answer(status int, retryAfter string) func(*http.Request) (*http.Response, error) {
	return func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			r.Body.Close()
		}
		h := http.Header{"Content-Type": {"application/json"}}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		body := fmt.Sprintf(`{"code":"%d000","message":"injected below the core"}`, status)
		return &http.Response{
			StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: h, Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: r,
		}, nil
	}
}

// reset returns a fault that fails as a connection reset by the server, after
// reading the request body when afterBody is set (the request was then sent).
func reset(afterBody bool) func(*http.Request) (*http.Response, error) {
	return func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			if afterBody {
				_, _ = io.Copy(io.Discard, r.Body)
			}
			r.Body.Close()
		}
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	}
}

// outcome is what a call through a fault came to, as far as retrying goes.
type outcome struct {
	Attempts  int
	SameID    bool   // every attempt carried the call's one X-Request-Id
	ErrType   string // "" for success
	Status    int    // an APIError's
	Sentinels []string
}

var sentinels = []struct {
	name string
	err  error
}{
	{"ErrServer", versori.ErrServer}, {"ErrRateLimited", versori.ErrRateLimited},
	{"ErrMaybeProcessed", versori.ErrMaybeProcessed}, {"ErrNotSent", versori.ErrNotSent},
}

func outcomeOf(b *below, err error) outcome {
	b.mu.Lock()
	defer b.mu.Unlock()
	o := outcome{Attempts: len(b.attempts), SameID: true}
	for _, a := range b.attempts {
		o.SameID = o.SameID && a.requestID == b.attempts[0].requestID
	}
	if err != nil {
		o.ErrType = fmt.Sprintf("%T", err)
		var apiErr *versori.APIError
		if errors.As(err, &apiErr) {
			o.Status = apiErr.StatusCode
		}
		for _, s := range sentinels {
			if errors.Is(err, s.err) {
				o.Sentinels = append(o.Sentinels, s.name)
			}
		}
	}
	return o
}

// corePolicy is the retry policy both clients are given: three retries, so
// that the default (two) would show.
var corePolicy = versori.RetryPolicy{MaxRetries: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Second}

// coreCalls are a GET and a POST of each client against the fake, through
// the middleware mw. Each POST creates an end user with a fresh external ID.
func coreCalls(t *testing.T, srv *versoritest.Server, mw versori.Middleware) map[string]func(context.Context) error {
	t.Helper()
	opts := []versori.Option{versori.WithRetryPolicy(corePolicy), versori.WithMiddleware(mw)}
	v1, p := srv.Client(opts...), srv.PlatformClient(opts...)
	hub := srv.Seeded().HubID
	var mu sync.Mutex
	n := 0
	fresh := func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		return fmt.Sprintf("core-%d", n)
	}
	return map[string]func(context.Context) error{
		"v1 GET": func(ctx context.Context) error { _, err := v1.Hubs.Get(ctx, hub); return err },
		"v1 POST": func(ctx context.Context) error {
			_, err := v1.Users.Create(ctx, hub, versori.CreateEndUserParams{ExternalID: fresh(), PrimaryConnection: primaryConnection("core")})
			return err
		},
		"platform GET": func(ctx context.Context) error {
			_, err := p.Projects.Get(ctx, srv.Seeded().Platform.ProjectID)
			return err
		},
		"platform POST": func(ctx context.Context) error {
			_, err := p.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: platform.ExternalID(fresh())})
			return err
		},
	}
}

func TestSameCoreRetriesFaultsBelowItTheSame(t *testing.T) {
	t.Parallel()
	const (
		apiErr   = "*versori.APIError"
		transErr = "*versori.TransportError"
	)
	maybe := []string{"ErrServer", "ErrMaybeProcessed"}
	for _, tc := range []struct {
		name      string
		n         int
		fault     func(*http.Request) (*http.Response, error)
		get, post outcome
	}{
		{
			name: "503 twice, then through", n: 2, fault: answer(http.StatusServiceUnavailable, ""),
			get: outcome{Attempts: 3, SameID: true},
			// A POST answered 5xx may have been processed: not repeated.
			post: outcome{Attempts: 1, SameID: true, ErrType: apiErr, Status: 503, Sentinels: maybe},
		},
		{
			name: "503 beyond the retries", n: 10, fault: answer(http.StatusServiceUnavailable, ""),
			get:  outcome{Attempts: 4, SameID: true, ErrType: apiErr, Status: 503, Sentinels: maybe},
			post: outcome{Attempts: 1, SameID: true, ErrType: apiErr, Status: 503, Sentinels: maybe},
		},
		{
			name: "429 twice, then through", n: 2, fault: answer(http.StatusTooManyRequests, "0"),
			get:  outcome{Attempts: 3, SameID: true},
			post: outcome{Attempts: 3, SameID: true},
		},
		{
			name: "Retry-After beyond MaxDelay is not waited for", n: 1, fault: answer(http.StatusTooManyRequests, "3600"),
			get:  outcome{Attempts: 1, SameID: true, ErrType: apiErr, Status: 429, Sentinels: []string{"ErrRateLimited"}},
			post: outcome{Attempts: 1, SameID: true, ErrType: apiErr, Status: 429, Sentinels: []string{"ErrRateLimited"}},
		},
		{
			name: "connection reset before the request went out, twice", n: 2, fault: reset(false),
			get: outcome{Attempts: 3, SameID: true},
			// A POST that never left is repeated too.
			post: outcome{Attempts: 3, SameID: true},
		},
		{
			name: "connection reset after the request went out", n: 1, fault: reset(true),
			get:  outcome{Attempts: 2, SameID: true},
			post: outcome{Attempts: 1, SameID: true, ErrType: transErr, Sentinels: []string{"ErrMaybeProcessed"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := versoritest.New(t)
			got := map[string]outcome{}
			for _, name := range []string{"v1 GET", "v1 POST", "platform GET", "platform POST"} {
				b := &below{n: tc.n, fault: tc.fault}
				err := coreCalls(t, srv, b.middleware)[name](t.Context())
				got[name] = outcomeOf(b, err)
			}
			assert.Equal(t, tc.get, got["v1 GET"], "v1 GET")
			assert.Equal(t, tc.post, got["v1 POST"], "v1 POST")
			assert.Equal(t, got["v1 GET"], got["platform GET"], "platform GET, as v1's")
			assert.Equal(t, got["v1 POST"], got["platform POST"], "platform POST, as v1's")
		})
	}
}

// Both clients wait as Retry-After says, and neither starts a wait that would
// pass the context's deadline: it returns the last error at once.
func TestSameCoreWaitsTheSame(t *testing.T) {
	t.Parallel()
	srv := versoritest.New(t)
	for _, method := range []string{"GET", "POST"} {
		for _, client := range []string{"v1", "platform"} {
			name := client + " " + method
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				b := &below{n: 1, fault: answer(http.StatusTooManyRequests, "1")}
				require.NoError(t, coreCalls(t, srv, b.middleware)[name](t.Context()))
				require.Len(t, b.attempts, 2)
				assert.GreaterOrEqual(t, b.attempts[1].at.Sub(b.attempts[0].at), time.Second, "Retry-After: 1 honoured")

				b = &below{n: 1, fault: answer(http.StatusTooManyRequests, "1")}
				ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
				defer cancel()
				start := time.Now()
				err := coreCalls(t, srv, b.middleware)[name](ctx)
				assert.Less(t, time.Since(start), 500*time.Millisecond, "no wait past the deadline")
				assert.ErrorIs(t, err, versori.ErrRateLimited, "the last error, not the context's")
				assert.NotErrorIs(t, err, context.DeadlineExceeded)
				assert.Len(t, b.attempts, 1)
			})
		}
	}
}
