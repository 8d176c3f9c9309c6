package versori

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

// Option configures a Client in NewClient.
type Option func(*Client) error

// WithAPIKey authenticates every call with the API key, sent as
// "Authorization: Bearer <key>". The key is never logged or printed.
func WithAPIKey(key string) Option {
	return func(c *Client) error {
		if strings.TrimSpace(key) == "" {
			return &ValidationError{Field: "apiKey", Reason: "is empty"}
		}
		header := "Bearer " + key
		c.auth = func(context.Context) (string, error) { return header, nil }
		return nil
	}
}

// WithBaseURL sets the API's base URL, such as StagingBaseURL or a fake's
// URL. It must be https://, or http:// for a loopback host only.
func WithBaseURL(u string) Option {
	return func(c *Client) error {
		v, err := validateBaseURL(u)
		if err != nil {
			return err
		}
		c.baseURL = v
		return nil
	}
}

// WithHTTPClient sends requests through hc instead of the default client
// (which uses DefaultTransport and a 60 s per-attempt timeout).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return &ValidationError{Field: "httpClient", Reason: "is nil"}
		}
		c.httpClient = hc
		return nil
	}
}

// WithRetryPolicy replaces the default retry policy (2 retries).
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) error {
		if p.MaxRetries < 0 {
			return &ValidationError{Field: "retryPolicy.maxRetries", Reason: "must not be negative"}
		}
		c.retry = p.withDefaults()
		return nil
	}
}

// WithUserAgent puts product (such as "acme-backend/1.4") before the SDK's own
// "versori-go/<version>" in the User-Agent header.
func WithUserAgent(product string) Option {
	return func(c *Client) error {
		if product != "" {
			c.userAgent = product + " versori-go/" + Version
		}
		return nil
	}
}

// WithLogger logs one debug record per attempt (operation, method, path,
// status, attempt, duration, request ID) to l. Headers and bodies are never
// logged. Logging is off by default.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		c.logger = l
		return nil
	}
}

// WithMaxResponseBytes bounds how much of a response body is read (default
// DefaultMaxResponseBytes); a longer body fails with ErrTooLarge.
func WithMaxResponseBytes(n int64) Option {
	return func(c *Client) error {
		if n <= 0 {
			return &ValidationError{Field: "maxResponseBytes", Reason: "must be positive"}
		}
		c.maxBody = n
		return nil
	}
}

// Middleware wraps the transport every request goes through, to add
// tracing, metrics or logging of your own. It sees each attempt, retries
// included, with the Authorization header already set: do not log headers.
type Middleware func(http.RoundTripper) http.RoundTripper

// WithMiddleware wraps the client's transport with mw. With several, the
// first given is the outermost.
func WithMiddleware(mw ...Middleware) Option {
	return func(c *Client) error {
		for _, m := range mw {
			if m == nil {
				return &ValidationError{Field: "middleware", Reason: "is nil"}
			}
		}
		c.middleware = append(c.middleware, mw...)
		return nil
	}
}

// CallOption adjusts a single call.
type CallOption func(*callConfig)

type callConfig struct {
	timeout time.Duration
	header  http.Header
	retries int
	info    *ResponseInfo
}

// WithTimeout bounds the whole call, retries and waits included.
func WithTimeout(d time.Duration) CallOption {
	return func(c *callConfig) { c.timeout = d }
}

// WithHeader adds a header to the call's requests. It cannot replace the
// SDK's own Authorization header.
func WithHeader(name, value string) CallOption {
	return func(c *callConfig) {
		if c.header == nil {
			c.header = http.Header{}
		}
		c.header.Add(name, value)
	}
}

// WithMaxRetries overrides the client's retry count for this call; 0 turns
// retries off.
func WithMaxRetries(n int) CallOption {
	return func(c *callConfig) { c.retries = max(n, 0) }
}

// WithResponseInfo stores the status, headers and request ID of the call's
// successful response in info.
func WithResponseInfo(info *ResponseInfo) CallOption {
	return func(c *callConfig) { c.info = info }
}

// ResponseInfo describes a successful response.
type ResponseInfo struct {
	StatusCode int         // HTTP status
	Header     http.Header // response headers
	RequestID  string      // X-Request-Id of the response, or the one the SDK sent
	Attempts   int         // how many attempts the call took
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sleepContext waits for d or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
