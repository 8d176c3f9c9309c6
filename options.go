package versori

import (
	"context"
	"github.com/versori-go/versori/internal/union"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Option configures a client when given to NewClient, or a single call when
// given to a method: an option works in both places, a call's options
// applying on top of the client's, except WithOrganisationID (the client's
// alone) and WithResponseInfo (a call's alone). An option that is invalid (a negative
// count, a malformed header) makes NewClient, or the call, fail with a
// *ValidationError before anything is sent.
type Option func(*config) error

// Environment variables NewClient reads when no option sets the value.
const (
	envAPIKey         = "VERSORI_API_KEY"         // the API key (WithAPIKey)
	envBaseURL        = "VERSORI_BASE_URL"        // the Embedded API's base URL (WithBaseURL)
	envOrganisationID = "VERSORI_ORGANISATION_ID" // the organisation (WithOrganisationID)
)

// config is everything that shapes a call. A Client holds one, built by
// NewClient; a call with options works on a copy.
type config struct {
	baseURL    string
	orgID      string
	auth       *authorizer  // behind a pointer, so fmt prints an address, never the key
	httpClient *http.Client // as given; nil means the default
	middleware []Middleware
	retry      RetryPolicy
	logger     *slog.Logger
	maxBody    int64
	userAgent  string
	timeout    time.Duration // the whole call, retries included; 0 for none
	header     http.Header   // extra request headers
	info       *ResponseInfo

	// Derived by finish.
	client   *http.Client // httpClient with middleware, following no redirect
	uaHeader []string
	rebuild  bool // an option changed the transport since finish
}

// WithAPIKey authenticates calls with an API key, sent as
// "Authorization: Bearer <key>". Surrounding white space (a newline left by
// reading the key from a file) is removed; a key that is empty or holds
// white space or control characters inside is refused, without echoing it.
// Without this option (or WithTokenSource), NewClient reads VERSORI_API_KEY.
func WithAPIKey(key string) Option {
	key = strings.TrimSpace(key)
	var err error
	switch {
	case key == "":
		err = &ValidationError{Field: "apiKey", Reason: "is empty: pass versori.WithAPIKey(key) or set " + envAPIKey}
	case strings.IndexFunc(key, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0:
		err = &ValidationError{Field: "apiKey", Reason: "contains white space or control characters; check how it was read"}
	}
	header := []string{"Bearer " + key}
	return func(c *config) error {
		if err != nil {
			return err
		}
		c.auth = &authorizer{static: header}
		return nil
	}
}

// WithBaseURL sets the API's base URL, such as StagingBaseURL or a fake's
// URL. It must be https://, or http:// for a loopback host only, so that
// credentials never cross a network in clear text. Without this option,
// NewClient reads VERSORI_BASE_URL, then uses DefaultBaseURL.
func WithBaseURL(u string) Option {
	v, err := validateBaseURL(u)
	return func(c *config) error {
		if err != nil {
			return err
		}
		c.baseURL = v
		return nil
	}
}

// WithOrganisationID sets the organisation the client works for: the default
// for calls that take one, and the organisation of the Platform API's paths.
// Without this option, NewClient reads VERSORI_ORGANISATION_ID. It is an
// option of the client: a call refuses another organisation rather than
// quietly acting on the client's, so make a client per organisation.
func WithOrganisationID(id string) Option {
	return func(c *config) error {
		if err := required("organisationID", strings.TrimSpace(id)); err != nil {
			return err
		}
		c.orgID = strings.TrimSpace(id)
		return nil
	}
}

// WithHTTPClient sends requests through hc instead of the default client
// (DefaultTransport and a 60 s limit per attempt). The SDK uses a copy of hc
// that follows no redirect: the API never redirects, and a redirect must not
// carry credentials or a request body anywhere else.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return &ValidationError{Field: "httpClient", Reason: "is nil"}
		}
		if hc.Transport != nil && union.IsNil(hc.Transport) {
			return &ValidationError{Field: "httpClient.Transport", Reason: "is a nil pointer; leave it nil for http.DefaultTransport"}
		}
		c.httpClient, c.rebuild = hc, true
		return nil
	}
}

// Middleware wraps the transport every attempt goes through, to add tracing
// or metrics of your own. It sees each attempt, retries included, with the
// Authorization header set: do not log headers.
type Middleware func(http.RoundTripper) http.RoundTripper

// WithMiddleware wraps the client's transport with mw; with several, the
// first given is the outermost.
func WithMiddleware(mw ...Middleware) Option {
	return func(c *config) error {
		for _, m := range mw {
			if m == nil {
				return &ValidationError{Field: "middleware", Reason: "is nil"}
			}
		}
		c.middleware = append(c.middleware[:len(c.middleware):len(c.middleware)], mw...)
		c.rebuild = true
		return nil
	}
}

// WithRetryPolicy replaces the retry policy (DefaultRetryPolicy).
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config) error {
		p, err := p.normalise()
		if err != nil {
			return err
		}
		c.retry = p
		return nil
	}
}

// WithMaxRetries sets how many times a failed call may be retried; 0 turns
// retries off. It must be between 0 and MaxRetries.
func WithMaxRetries(n int) Option {
	return func(c *config) error {
		p := c.retry
		p.MaxRetries = n
		return WithRetryPolicy(p)(c)
	}
}

// WithTimeout bounds each call as a whole, retries and waits included; 0
// removes the bound. (The default *http.Client also bounds each attempt to
// 60 s.)
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return &ValidationError{Field: "timeout", Reason: "must not be negative"}
		}
		c.timeout = d
		return nil
	}
}

// WithHeader adds a header to the requests. It cannot set the headers the
// SDK owns (Authorization, Content-Type, Content-Length, Host, X-Request-Id)
// or the transport's connection-level ones (Connection, Keep-Alive,
// Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade), and a value
// may hold no control character but a tab. The value of a header whose name
// says it carries a credential (one with auth, key, token, secret, cookie,
// password, session, signature or credential in it, such as X-Api-Key or
// Proxy-Authorization) is one of the call's secrets: it never appears in an
// error, however a server echoes it. A value under 8 bytes ("1", "v2") is
// taken for no credential: redacting it would mangle the error's other text.
func WithHeader(name, value string) Option {
	canon := http.CanonicalHeaderKey(name)
	var err error
	switch {
	case !validHeaderName(name):
		err = &ValidationError{Field: "header", Reason: "name " + strconv.Quote(name) + " is not a valid header name"}
	case !validHeaderValue(value):
		err = &ValidationError{Field: "header " + canon, Reason: "value must not contain control characters (CR, LF, NUL, ...) other than a tab"}
	}
	switch canon {
	case "Authorization", "Content-Type", "Content-Length", "Host", "X-Request-Id", "Transfer-Encoding":
		err = &ValidationError{Field: "header " + canon, Reason: "is set by the SDK"}
	case "Connection", "Keep-Alive", "Proxy-Connection", "Te", "Trailer", "Upgrade":
		// Connection-level headers: the transport owns them, and HTTP/2
		// refuses (or drops) them on every request.
		err = &ValidationError{Field: "header " + canon, Reason: "is a connection-level header, which the transport sets"}
	}
	return func(c *config) error {
		if err != nil {
			return err
		}
		h := make(http.Header, len(c.header)+1)
		for k, v := range c.header {
			h[k] = v
		}
		h[canon] = append(h[canon][:len(h[canon]):len(h[canon])], value)
		c.header = h
		return nil
	}
}

// WithLogger logs one debug record per attempt (operation, method, path,
// status, attempt, duration, request ID) to l. Headers and bodies are never
// logged. Logging is off by default.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithMaxResponseBytes bounds how much of a response body the SDK reads,
// after decompression (DefaultMaxResponseBytes by default); a longer body
// fails with ErrTooLarge. See README for the memory this bounds.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return &ValidationError{Field: "maxResponseBytes", Reason: "must be positive"}
		}
		c.maxBody = n
		return nil
	}
}

// WithUserAgent puts product (such as "acme-backend/1.4") before the SDK's
// own "versori-go/<version>" in the User-Agent header.
func WithUserAgent(product string) Option {
	return func(c *config) error {
		if !validHeaderValue(product) {
			return &ValidationError{Field: "userAgent", Reason: "must not contain control characters (CR, LF, NUL, ...) other than a tab"}
		}
		c.userAgent = strings.TrimSpace(product + " versori-go/" + Version)
		c.uaHeader = []string{c.userAgent}
		return nil
	}
}

// WithResponseInfo stores the status, headers, request ID and attempts of a
// call's successful answer in info. It is an option of a single call:
// NewClient refuses it, since every call of the client, concurrent ones
// included, would write the one info.
func WithResponseInfo(info *ResponseInfo) Option {
	return func(c *config) error {
		c.info = info
		return nil
	}
}

// ResponseInfo describes a successful answer (see WithResponseInfo).
type ResponseInfo struct {
	StatusCode int         // HTTP status
	Header     http.Header // response headers
	RequestID  string      // X-Request-Id of the answer, or the one the SDK sent
	Attempts   int         // how many attempts the call took
}

// newConfig returns the configuration opts describe, with environment
// defaults for what they leave unset.
func newConfig(opts []Option) (config, error) {
	c := config{
		retry:     DefaultRetryPolicy(),
		maxBody:   DefaultMaxResponseBytes,
		userAgent: "versori-go/" + Version,
	}
	c.uaHeader = []string{c.userAgent}
	if err := c.apply(opts); err != nil {
		return config{}, err
	}
	if c.info != nil {
		return config{}, &ValidationError{Field: "responseInfo", Reason: "is an option of a single call: pass versori.WithResponseInfo to the call, not to NewClient"}
	}
	for _, env := range []struct {
		name   string
		unset  bool
		option func(string) Option
	}{
		{envAPIKey, c.auth.none(), WithAPIKey},
		{envBaseURL, c.baseURL == "", WithBaseURL},
		{envOrganisationID, c.orgID == "", WithOrganisationID},
	} {
		// An empty variable counts as unset, as in a shell's ${VAR:-default}.
		if v := os.Getenv(env.name); v != "" && env.unset {
			if err := env.option(v)(&c); err != nil {
				return config{}, &ValidationError{Field: "environment variable " + env.name, Reason: strings.TrimPrefix(err.Error(), "versori: ")}
			}
		}
	}
	if c.auth.none() {
		return config{}, &ValidationError{Field: "apiKey", Reason: "is not set: pass versori.WithAPIKey(key) (or WithTokenSource), or set " + envAPIKey}
	}
	if c.baseURL == "" {
		c.baseURL = DefaultBaseURL
	}
	c.finish()
	return c, nil
}

// apply runs opts over c.
func (c *config) apply(opts []Option) error {
	for _, opt := range opts {
		if opt == nil {
			return &ValidationError{Field: "option", Reason: "is nil"}
		}
		if err := opt(c); err != nil {
			return err
		}
	}
	return nil
}

// with returns a copy of c with a call's options applied.
func (c *config) with(opts []Option) (*config, error) {
	cc := *c
	cc.rebuild = false
	if err := cc.apply(opts); err != nil {
		return nil, err
	}
	if cc.orgID != c.orgID {
		return nil, &ValidationError{Field: "organisationID", Reason: "is the client's: pass versori.WithOrganisationID to NewClient (a client per organisation), not to a call"}
	}
	if cc.rebuild {
		cc.finish()
	}
	return &cc, nil
}

// finish derives the client the calls go through: the given (or default)
// one, wrapped in the middleware, following no redirect.
func (c *config) finish() {
	var hc http.Client
	if c.httpClient != nil {
		hc = *c.httpClient
	} else {
		hc = http.Client{Transport: DefaultTransport(), Timeout: 60 * time.Second}
	}
	if hc.Transport == nil {
		hc.Transport = http.DefaultTransport
	}
	for i := len(c.middleware) - 1; i >= 0; i-- {
		hc.Transport = c.middleware[i](hc.Transport)
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.client, c.rebuild = &hc, false
}

// authorizer makes the Authorization header of an attempt.
type authorizer struct {
	static []string    // "Bearer <API key>"
	source TokenSource // tokens sent as "JWT <token>"
}

func (a *authorizer) none() bool { return a == nil || (a.static == nil && a.source == nil) }

// header returns the Authorization value, and the secret in it.
func (a *authorizer) header(ctx context.Context) ([]string, error) {
	if a.source == nil {
		return a.static, nil
	}
	t, err := a.source.Token(ctx)
	if err != nil {
		return nil, err
	}
	if t.Value.IsZero() {
		return nil, &ValidationError{Field: "token", Reason: "is empty"}
	}
	if v := t.Value.Reveal(); strings.IndexFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		// No request can carry it; net/http would refuse every attempt.
		return nil, &ValidationError{Field: "token", Reason: "contains white space or control characters"}
	}
	return []string{"JWT " + t.Value.Reveal()}, nil
}

// DefaultTransport returns the transport the default client uses: net/http's
// defaults (HTTP/2 where the server offers it), with enough idle connections
// per host for a busy service (net/http keeps 2) and response headers bounded
// to 1 MiB.
func DefaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	t.IdleConnTimeout = 90 * time.Second
	t.MaxResponseHeaderBytes = 1 << 20
	return t
}

// validateBaseURL accepts https URLs, and http only for loopback hosts.
func validateBaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", &ValidationError{Field: "baseURL", Reason: "is not a URL"}
	}
	switch {
	case u.Host == "":
		return "", &ValidationError{Field: "baseURL", Reason: "must be an absolute URL with a host"}
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	case u.Scheme == "http":
		return "", &ValidationError{Field: "baseURL", Reason: "may use http:// only for a loopback host; use https://"}
	default:
		return "", &ValidationError{Field: "baseURL", Reason: "must use https://"}
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(raw, "?#") || u.User != nil {
		return "", &ValidationError{Field: "baseURL", Reason: "must not have a query, fragment or user info"}
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// validHeaderName reports whether name is an HTTP token.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if r >= 0x7f || r <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}

// validHeaderValue reports whether v can be sent as a header value: no
// control character but a tab (as net/http checks, on every request).
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if b := v[i]; (b < ' ' && b != '\t') || b == 0x7f {
			return false
		}
	}
	return true
}
