package versori

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// Version is the SDK's version, sent in the User-Agent header.
const Version = "0.1.0"

// Base URLs of the Embedded API.
const (
	DefaultBaseURL = "https://platform.versori.com/api/embedded/v1"
	StagingBaseURL = "https://platform-staging.versori.com/api/embedded/v1"
)

// DefaultMaxResponseBytes bounds how much of a response body the client reads.
const DefaultMaxResponseBytes = 32 << 20

// Client calls the Embedded API. It is safe for concurrent use; make one and
// share it. Its services group the API's operations by resource.
type Client struct {
	Hubs         *HubsService         // hubs of an organisation
	Users        *UsersService        // end users of a hub
	Connections  *ConnectionsService  // end users' connections and their credentials
	Integrations *IntegrationsService // a hub's integrations and their connection templates
	Activations  *ActivationsService  // integrations activated for end users, and their variables
	Embed        *EmbedService        // the end-user-facing embed endpoints

	baseURL    string // without a trailing slash
	httpClient *http.Client
	auth       authorizer
	userAgent  string
	retry      RetryPolicy
	logger     *slog.Logger
	maxBody    int64
	middleware []Middleware

	// Header values built once rather than per request. Requests share
	// them, which is safe because a RoundTripper must not modify a request
	// (and Header.Set and Add replace or copy a value slice, never write
	// into it).
	uaHeader []string
	// lastAuth is the last Authorization value sent. It holds a secret, so
	// it sits behind a pointer, which fmt prints as an address, never as
	// the value (atomic.Value would print it).
	lastAuth *atomic.Pointer[[]string]

	// sleep waits between attempts; tests replace it to keep retries instant.
	sleep func(ctx context.Context, d time.Duration) error
}

// authorizer returns the Authorization header value for one attempt.
type authorizer func(ctx context.Context) (string, error)

// NewClient returns a client configured by opts. With no options it talks to
// the production API without credentials; pass WithAPIKey (or
// WithTokenSource) for every call but HealthCheck.
func NewClient(opts ...Option) (*Client, error) {
	c := &Client{
		baseURL:   DefaultBaseURL,
		userAgent: "versori-go/" + Version,
		retry:     DefaultRetryPolicy(),
		maxBody:   DefaultMaxResponseBytes,
		sleep:     sleepContext,
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	c.uaHeader = []string{c.userAgent}
	c.lastAuth = new(atomic.Pointer[[]string])
	if c.httpClient == nil {
		c.httpClient = &http.Client{Transport: DefaultTransport(), Timeout: 60 * time.Second}
	}
	if len(c.middleware) > 0 {
		// Wrap a copy, so a caller's *http.Client is never modified.
		hc := *c.httpClient
		if hc.Transport == nil {
			hc.Transport = http.DefaultTransport
		}
		for i := len(c.middleware) - 1; i >= 0; i-- {
			hc.Transport = c.middleware[i](hc.Transport)
		}
		c.httpClient = &hc
	}
	c.Hubs = &HubsService{c}
	c.Users = &UsersService{c}
	c.Connections = &ConnectionsService{c}
	c.Integrations = &IntegrationsService{c}
	c.Activations = &ActivationsService{c}
	c.Embed = &EmbedService{c}
	return c, nil
}

// DefaultTransport returns the transport NewClient uses when no
// *http.Client is given: net/http's defaults, but keeping enough idle
// connections per host for a busy service (net/http keeps only 2).
func DefaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	t.IdleConnTimeout = 90 * time.Second
	return t
}

// BaseURL returns the API base URL the client sends requests to.
func (c *Client) BaseURL() string { return c.baseURL }

// Format prints the client without its credentials.
func (c *Client) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "versori.Client{BaseURL: %q}", c.baseURL)
}

// LogValue logs the client without its credentials.
func (c *Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("base_url", c.baseURL))
}

// wireBodier is a request body that gives do an equivalent value to encode,
// one without MarshalJSON methods around its bulk. encoding/json checks and
// copies the output of every MarshalJSON it calls, so JSON nested in n of
// them is encoded once and scanned n more times; the value from wireBody
// encodes to the same bytes in one go.
type wireBodier interface {
	wireBody() any
}

// call is one logical API call: an operation with its path, query and body.
type call struct {
	op     string // the spec's operationId, for logs
	method string
	path   string // escaped, starting with "/"
	query  string // encoded, without "?"
	body   any    // JSON request body, or nil
}

// do sends the call, retrying as the policy allows, and decodes a 2xx body
// into out (when out is not nil). It is the one request path of the SDK.
func (c *Client) do(ctx context.Context, k call, out any, opts []CallOption) error {
	cfg := callConfig{retries: c.retry.MaxRetries}
	if len(opts) > 0 {
		cfg = cfg.with(opts)
	}
	if cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.timeout)
		defer cancel()
	}

	var body []byte
	if k.body != nil {
		v := k.body
		if w, ok := v.(wireBodier); ok {
			v = w.wireBody()
		}
		var err error
		if body, err = json.Marshal(v); err != nil {
			return fmt.Errorf("versori: %s: encoding request: %w", k.op, err)
		}
	}
	// One concatenation: one allocation.
	var target string
	if k.query != "" {
		target = c.baseURL + k.path + "?" + k.query
	} else {
		target = c.baseURL + k.path
	}
	requestID := uuid.NewString()
	idempotent := k.method != http.MethodPost

	for attempt := 1; ; attempt++ {
		var auth string
		if c.auth != nil {
			// A failing credential source is not a transient network fault:
			// report it rather than retry it.
			v, err := c.auth(ctx)
			if err != nil {
				return fmt.Errorf("versori: %s %s: authorization: %w", k.method, k.path, err)
			}
			auth = v
		}
		start := time.Now()
		resp, sent, err := c.send(ctx, k, target, body, requestID, auth, cfg.header)
		if err != nil {
			if ctx.Err() != nil || !(idempotent || !sent) || attempt > cfg.retries {
				c.log(ctx, k, attempt, 0, time.Since(start), requestID, err)
				return fmt.Errorf("versori: %s %s: %w", k.method, k.path, err)
			}
			c.log(ctx, k, attempt, 0, time.Since(start), requestID, err)
			wait, ok := c.retry.wait(ctx, attempt, "")
			if !ok || c.sleep(ctx, wait) != nil {
				return fmt.Errorf("versori: %s %s: %w", k.method, k.path, err)
			}
			continue
		}
		// Report the server's request ID where it gives one, but keep
		// sending ours: one ID for the whole call, retries included.
		reportID := requestID
		if id := resp.Header.Get("X-Request-Id"); id != "" {
			reportID = id
		}
		c.log(ctx, k, attempt, resp.StatusCode, time.Since(start), reportID, nil)

		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			if cfg.info != nil {
				*cfg.info = ResponseInfo{StatusCode: resp.StatusCode, Header: resp.Header, RequestID: reportID, Attempts: attempt}
			}
			err := c.decode(resp, k, reportID, out)
			// A body cut off by the connection is a connection error: an
			// idempotent call may be repeated to get all of it.
			var de *DecodeError
			if err == nil || !idempotent || attempt > cfg.retries || ctx.Err() != nil || !errors.As(err, &de) || !de.interrupted {
				return err
			}
			if wait, ok := c.retry.wait(ctx, attempt, ""); !ok || c.sleep(ctx, wait) != nil {
				return err
			}
			continue
		}

		apiErr := c.readError(resp, k, reportID)
		if attempt > cfg.retries || !retryableStatus(resp.StatusCode, idempotent) {
			return apiErr
		}
		wait, ok := c.retry.wait(ctx, attempt, apiErr.RetryAfter)
		if !ok {
			return apiErr
		}
		if err := c.sleep(ctx, wait); err != nil {
			return apiErr
		}
	}
}

// with returns cfg with opts applied. It is a function of its own so that
// only calls with options pay for cfg escaping to the heap (a CallOption is
// an unknown func, so the compiler must assume it keeps its argument);
// inlined, it would make do's cfg escape on every call.
//
//go:noinline
func (cfg callConfig) with(opts []CallOption) callConfig {
	for _, opt := range opts {
		opt(&cfg)
	}
	return cfg
}

// send makes one attempt. sent reports whether any of the request may have
// reached the server, which decides whether a failed POST may be retried.
func (c *Client) send(ctx context.Context, k call, target string, body []byte, requestID, auth string, extra http.Header) (resp *http.Response, sent bool, err error) {
	req, err := http.NewRequestWithContext(ctx, k.method, target, nil)
	if err != nil {
		return nil, false, err
	}
	var tracked *trackedBody
	if body != nil {
		tracked = newTrackedBody(body)
		req.Body, req.ContentLength, req.GetBody = tracked, int64(len(body)), tracked.again
	}
	h := req.Header
	h["Accept"] = jsonHeader
	h["User-Agent"] = c.uaHeader
	h["X-Request-Id"] = []string{requestID}
	if body != nil {
		h["Content-Type"] = jsonHeader
	}
	for name, values := range extra {
		h[name] = values
	}
	if auth != "" {
		h["Authorization"] = c.authHeader(auth)
	}
	resp, err = c.httpClient.Do(req)
	// Only a request with a body can be known unsent; a body-less one may
	// have been acted on as soon as its headers arrived.
	return resp, tracked == nil || tracked.wasRead(), err
}

// authHeader returns auth as a header value, reusing the last one when auth
// is unchanged (an API key never changes; a token, rarely), which saves an
// allocation per request.
func (c *Client) authHeader(auth string) []string {
	if last := c.lastAuth.Load(); last != nil && (*last)[0] == auth {
		return *last
	}
	v := []string{auth}
	c.lastAuth.Store(&v)
	return v
}

var jsonHeader = []string{"application/json"}

// log writes one debug record per attempt: never headers or bodies, so no
// credential or secret can reach the log.
func (c *Client) log(ctx context.Context, k call, attempt, status int, d time.Duration, requestID string, err error) {
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("operation", k.op),
		slog.String("method", k.method),
		slog.String("path", k.path),
		slog.Int("attempt", attempt),
		slog.Duration("duration", d),
		slog.String("request_id", requestID),
	}
	if status != 0 {
		attrs = append(attrs, slog.Int("status", status))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "versori: request", attrs...)
}

// validateBaseURL accepts https URLs, and http only for loopback hosts, so an
// API key is never sent in clear text over a network.
func validateBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", &ValidationError{Field: "baseURL", Reason: err.Error()}
	}
	switch {
	case u.Host == "":
		return "", &ValidationError{Field: "baseURL", Reason: "must be an absolute URL with a host"}
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	case u.Scheme == "http":
		return "", &ValidationError{Field: "baseURL", Reason: "http:// is only allowed for loopback hosts; use https://"}
	default:
		return "", &ValidationError{Field: "baseURL", Reason: "scheme must be https"}
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", &ValidationError{Field: "baseURL", Reason: "must not have a query, fragment or user info"}
	}
	return strings.TrimRight(u.String(), "/"), nil
}
