package versori

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"
)

// Version is the SDK's version, sent in the User-Agent header.
const Version = "0.2.0"

// Base URLs of the Embedded API.
const (
	DefaultBaseURL = "https://platform.versori.com/api/embedded/v1"
	StagingBaseURL = "https://platform-staging.versori.com/api/embedded/v1"
)

// Client calls the Embedded API. It is safe for concurrent use: make one and
// share it. Its services group the API's operations by resource.
type Client struct {
	Hubs         *HubsService         // hubs of an organisation
	Users        *UsersService        // end users of a hub
	Connections  *ConnectionsService  // end users' connections and their credentials
	Integrations *IntegrationsService // a hub's integrations and their connection templates
	Activations  *ActivationsService  // integrations activated for end users, and their variables
	Embed        *EmbedService        // the end-user-facing embed operations

	cfg    config
	common service // what every service is: a handle on this client
	// sleep waits between attempts; tests replace it to keep retries instant.
	sleep func(ctx context.Context, d time.Duration) error
}

// NewClient returns a client configured by opts. Credentials are required:
// WithAPIKey or WithTokenSource, or else the VERSORI_API_KEY environment
// variable; VERSORI_BASE_URL and VERSORI_ORGANISATION_ID are read likewise
// when no option sets them. An explicit option always wins.
func NewClient(opts ...Option) (*Client, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, sleep: sleep}
	c.common.c = c
	c.Hubs = (*HubsService)(&c.common)
	c.Users = (*UsersService)(&c.common)
	c.Connections = (*ConnectionsService)(&c.common)
	c.Integrations = (*IntegrationsService)(&c.common)
	c.Activations = (*ActivationsService)(&c.common)
	c.Embed = (*EmbedService)(&c.common)
	return c, nil
}

// BaseURL returns the API base URL the client sends requests to.
func (c *Client) BaseURL() string {
	if c == nil {
		return ""
	}
	return c.cfg.baseURL
}

// OrganisationID returns the organisation set with WithOrganisationID (or
// VERSORI_ORGANISATION_ID), or "".
func (c *Client) OrganisationID() string {
	if c == nil {
		return ""
	}
	return c.cfg.orgID
}

// Format prints the client without its credentials, whatever the verb. Its
// receiver is a value so that a Client value, not only a pointer, prints so.
func (c Client) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "versori.Client{BaseURL: %q}", c.cfg.baseURL)
}

// LogValue logs the client without its credentials.
func (c Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("base_url", c.cfg.baseURL))
}

// Request is a call for Client.Do: an operation the typed API does not have
// yet, or a field it does not know.
type Request struct {
	Method    string     // HTTP method, such as "GET"
	Path      string     // the path below the base URL, escaped, starting with "/"
	Query     url.Values // query parameters, or nil
	Body      any        // the request body, sent as JSON; nil for none
	Operation string     // a name for the call in logs and errors, such as the spec's operationId
}

// Do sends r through the same request path as every typed call: the client's
// credentials, retries, logging, limits and redaction (a Secret in Body is
// sent, and kept out of errors). A 2xx body is decoded into out unless out
// is nil; out may be a *json.RawMessage to keep it as it is.
func (c *Client) Do(ctx context.Context, r Request, out any, opts ...Option) error {
	if !validHeaderName(r.Method) {
		return &ValidationError{Field: "method", Reason: "must be an HTTP method such as GET"}
	}
	switch {
	case !strings.HasPrefix(r.Path, "/"):
		return &ValidationError{Field: "path", Reason: `must start with "/"`}
	case strings.ContainsAny(r.Path, "?#") || strings.IndexFunc(r.Path, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0:
		return &ValidationError{Field: "path", Reason: "must be an escaped path without a query, fragment, space or control character"}
	}
	for seg := range strings.SplitSeq(r.Path, "/") {
		if u, err := url.PathUnescape(seg); err != nil || u == "." || u == ".." {
			return &ValidationError{Field: "path", Reason: "must be escaped, without . or .. segments"}
		}
	}
	return c.do(ctx, call{op: r.Operation, method: strings.ToUpper(r.Method), path: r.Path, query: r.Query.Encode(), body: r.Body}, out, opts)
}

// service is what every service is: a handle on its client. Each service
// type is defined as a service (type UsersService service), as in go-github,
// so that one nil-safe accessor serves them all.
type service struct{ c *Client }

// services are the Client's service types.
type services interface {
	*HubsService | *UsersService | *ConnectionsService | *IntegrationsService | *ActivationsService | *EmbedService
}

// clientOf returns the client of s, nil for a nil or zero service (one of a
// Client that NewClient did not make), whose calls then fail with a
// ValidationError rather than a nil dereference.
func clientOf[S services](s S) *Client {
	if svc := (*service)(s); svc != nil {
		return svc.c
	}
	return nil
}
