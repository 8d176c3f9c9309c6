package platform

import (
	"context"
	"os"
	"strings"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/param"
)

// Base URLs of the Platform API. The Organisations API (signing keys) is
// reached at the same host, under /api/organisations/v1.
const (
	DefaultBaseURL = "https://platform.versori.com/api/v2"
	StagingBaseURL = "https://platform-staging.versori.com/api/v2"
)

// EnvBaseURL is the environment variable NewClient reads for the Platform
// API's base URL when no versori.WithBaseURL option sets it.
const EnvBaseURL = "VERSORI_PLATFORM_BASE_URL"

// Client calls the Platform API for one organisation. It is safe for
// concurrent use: make one and share it. Its services group the API's
// operations by resource.
type Client struct {
	Users       *UsersService       // end users
	Activations *ActivationsService // environments activated for end users, and their variables
	Connections *ConnectionsService // connections and their credentials
	Templates   *TemplatesService   // connection templates: the systems an environment connects to
	Systems     *SystemsService     // systems and their auth scheme configs
	Projects    *ProjectsService    // projects and their environments
	SigningKeys *SigningKeysService // the organisation's signing keys (Organisations API)

	core *versori.Client
	org  string         // the organisation's path, "/o/<id>"
	orgs versori.Option // the Organisations API's base URL, for signing-key calls
	// orgsErr says why the Organisations API's base URL could not be derived.
	orgsErr error
}

// NewClient returns a client of the Platform API configured by opts, the
// same options as versori.NewClient's. It needs an organisation
// (versori.WithOrganisationID, or VERSORI_ORGANISATION_ID) and credentials
// (versori.WithAPIKey, or a token source such as versori.StaticToken or a
// signing key's, or VERSORI_API_KEY). The base URL is DefaultBaseURL unless
// versori.WithBaseURL or VERSORI_PLATFORM_BASE_URL says otherwise.
func NewClient(opts ...versori.Option) (*Client, error) {
	base := DefaultBaseURL
	if v, ok := os.LookupEnv(EnvBaseURL); ok {
		base = v
	}
	core, err := versori.NewClient(append([]versori.Option{versori.WithBaseURL(base)}, opts...)...)
	if err != nil {
		return nil, err
	}
	org, problem := param.Segment(core.OrganisationID())
	if problem != "" {
		return nil, &versori.ValidationError{Field: "organisationID", Reason: "is not set: pass versori.WithOrganisationID(id) or set VERSORI_ORGANISATION_ID"}
	}
	c := &Client{core: core, org: "/o/" + org}
	if orgs, ok := organisationsURL(core.BaseURL()); ok {
		c.orgs = versori.WithBaseURL(orgs)
	} else {
		c.orgsErr = &versori.ValidationError{Field: "baseURL", Reason: "does not end in /api/v2, so the Organisations API's URL (…/api/organisations/v1) cannot be derived from it"}
	}
	c.Users = &UsersService{c: c}
	c.Activations = &ActivationsService{c: c}
	c.Connections = &ConnectionsService{c: c}
	c.Templates = &TemplatesService{c: c}
	c.Systems = &SystemsService{c: c}
	c.Projects = &ProjectsService{c: c}
	c.SigningKeys = &SigningKeysService{c: c, organisations: true}
	return c, nil
}

// organisationsURL returns the Organisations API's base URL for a Platform
// API base URL: the same host, /api/organisations/v1 in place of /api/v2.
func organisationsURL(base string) (string, bool) {
	prefix, ok := strings.CutSuffix(base, "/api/v2")
	return prefix + "/api/organisations/v1", ok
}

// BaseURL returns the Platform API base URL the client sends requests to.
func (c *Client) BaseURL() string { return c.coreClient().BaseURL() }

// OrganisationID returns the organisation the client works for.
func (c *Client) OrganisationID() string { return c.coreClient().OrganisationID() }

// coreClient returns the core client, nil for a Client that NewClient did
// not make; the core refuses calls on nil.
func (c *Client) coreClient() *versori.Client {
	if c == nil {
		return nil
	}
	return c.core
}

// errNotInitialised is the error of a call on a Client that NewClient did
// not make (a Client{}, a nil *Client, or a service of neither).
var errNotInitialised = &versori.ValidationError{Field: "client", Reason: "is not initialised: make it with platform.NewClient"}

// Do sends r, with a path below the Platform API's base URL, through the
// same request path as every typed call (see versori.Client.Do).
func (c *Client) Do(ctx context.Context, r versori.Request, out any, opts ...versori.Option) error {
	return c.do(ctx, r, out, opts)
}

// do sends r through the core client: the package's one way into it.
func (c *Client) do(ctx context.Context, r versori.Request, out any, opts []versori.Option) error {
	if c.coreClient() == nil {
		return errNotInitialised
	}
	return c.core.Do(ctx, r, out, opts...)
}

// service is what every service is: a handle on its client, and the API its
// calls go to. Each service type is defined as a service (type UsersService
// service), as in go-github, so that one nil-safe path serves them all.
type service struct {
	c *Client
	// organisations: the calls go to the Organisations API (signing keys),
	// not to paths below the organisation in the Platform API.
	organisations bool
}

// services are the Client's service types.
type services interface {
	*UsersService | *ActivationsService | *ConnectionsService | *TemplatesService | *SystemsService | *ProjectsService | *SigningKeysService
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

// orgOf returns the path of the client's organisation, "/o/<id>", which
// begins the path of every Platform API operation of the organisation; ""
// for a nil or zero service, whose calls fail before any path is used. A
// call site builds the whole path in one concatenation, so its parts need no
// allocation of their own.
func orgOf[S services](s S) string {
	if c := clientOf(s); c != nil {
		return c.org
	}
	return ""
}

// do sends r, a call of the service. The Organisations API has a base URL of
// its own, which a call's own versori.WithBaseURL cannot change.
func (s *service) do(ctx context.Context, r versori.Request, out any, opts []versori.Option) error {
	switch {
	case s == nil || s.c == nil:
		return errNotInitialised
	case s.organisations && s.c.orgsErr != nil:
		return s.c.orgsErr
	case s.organisations:
		opts = append(opts[:len(opts):len(opts)], s.c.orgs)
	}
	return s.c.do(ctx, r, out, opts)
}

// send makes the call r of service s and returns out with the answer
// decoded into it. prepErr is what checking the call's input found: when it
// is not nil the call is not sent. On any error send returns nil, so that a
// failed call's result is never half-decoded data.
func send[T any, S services](ctx context.Context, s S, prepErr error, r versori.Request, out *T, opts []versori.Option) (*T, error) {
	if err := exec(ctx, s, prepErr, r, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// exec makes the call r of service s as send does, decoding the answer into
// out unless out is nil: a call that returns nothing passes nil.
func exec[S services](ctx context.Context, s S, prepErr error, r versori.Request, out any, opts []versori.Option) error {
	if prepErr != nil {
		return prepErr
	}
	return (*service)(s).do(ctx, r, out, opts)
}

// deref returns *p, or the zero T when p is nil: send's result for the calls
// that return a map or a slice rather than a pointer.
func deref[T any](p *T, err error) (T, error) {
	if p == nil {
		var zero T
		return zero, err
	}
	return *p, err
}

// copyOf returns a copy of *p, or the zero T when p is nil: the params of a
// list, which may be nil.
func copyOf[T any](p *T) (v T) {
	if p != nil {
		v = *p
	}
	return v
}

// segment returns value escaped as one path segment, or a ValidationError
// naming field.
func segment(field, value string) (string, error) {
	s, problem := param.Segment(value)
	return s, invalid(field, problem)
}

// invalid returns a ValidationError for field unless problem is empty.
func invalid(field, problem string) error {
	if problem == "" {
		return nil
	}
	return &versori.ValidationError{Field: field, Reason: problem}
}

// required refuses an empty or blank value.
func required(field, value string) error {
	if strings.TrimSpace(value) == "" {
		return invalid(field, "is required")
	}
	return nil
}
