package versoritest

import (
	"fmt"
	"maps"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
)

// Server is a Fake running on an httptest.Server on loopback. The Fake's
// methods (FailNext, Requests, Seeded, ...) are promoted: go doc lists them
// under Fake.
type Server struct {
	*Fake
	URL    string // base URL to give the SDK, e.g. http://127.0.0.1:PORT (no trailing slash)
	APIKey string // the API key the fake accepts

	PlatformURL      string // base URL of the Platform API (v2): URL + "/api/v2"
	OrganisationsURL string // base URL of the Organisations API: URL + "/api/organisations/v1"

	ts *httptest.Server
}

// NewServer starts a Fake on a loopback port, for use outside tests (cmd/versori-fake, example
// programs). The caller must call Close. In a test, use New.
func NewServer(opts ...Option) *Server {
	f := NewFake(opts...)
	ts := httptest.NewServer(f)
	return &Server{
		Fake: f, URL: ts.URL, APIKey: f.cfg.apiKey, ts: ts,
		PlatformURL: ts.URL + platformBasePath, OrganisationsURL: ts.URL + organisationsBasePath,
	}
}

// Close shuts the server down, closing any idle or delayed connections.
func (s *Server) Close() {
	s.ts.CloseClientConnections()
	s.ts.Close()
}

// New starts a Fake on a loopback port for the test t and closes it when t and its
// subtests finish (t.Cleanup). A server made by New also reports misuse through t:
// FailNext with an operation the fake does not serve fails the test, and faults queued
// with FailNext that no request used are reported at cleanup.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := NewServer(opts...)
	s.tb = t
	t.Cleanup(func() {
		s.Close()
		left := s.unusedFaults()
		for _, op := range slices.Sorted(maps.Keys(left)) {
			t.Errorf("versoritest: %d %s queued with FailNext(%s) never used: the code under test made fewer %s calls than the test expected (ResetFaults drops faults left on purpose)%s",
				left[op], plural(left[op], "fault", "faults"), op, op, s.otherAPIHint(op))
		}
	})
	return s
}

// otherAPIHint names the other API's operation of the same name when the
// code under test called that one instead: the SDK's errors name both by the
// spec's operationId, so a test may queue a fault under the wrong one.
func (s *Server) otherAPIHint(op string) string {
	other, ok := strings.CutPrefix(op, platformOpPrefix)
	if !ok {
		other = platformOpPrefix + op
	}
	for _, r := range s.Requests() {
		if r.Operation == other {
			return fmt.Sprintf("; it did call %s, the other API's operation of that name: did you mean FailNext(%q)?", other, other)
		}
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Client returns an SDK client pointed at the server: its URL as the base URL, its API
// key, and its organisation (Seeded().OrganisationID, which Client.OrganisationID then
// returns). Setting all three keeps VERSORI_API_KEY, VERSORI_BASE_URL and
// VERSORI_ORGANISATION_ID, which versori.NewClient would otherwise read, from leaking in
// from the environment. opts are applied after those, so they may override any of them
// (to call with an end-user token, say) or add any other option. It fails the test of
// New(t), or panics for a server made by NewServer, if versori.NewClient refuses the
// options.
func (s *Server) Client(opts ...versori.Option) *versori.Client {
	if s.tb != nil {
		s.tb.Helper()
	}
	return newClient(s, "Client", versori.NewClient, opts,
		versori.WithBaseURL(s.URL), versori.WithOrganisationID(s.Seeded().OrganisationID))
}

// PlatformClient returns a Platform API client pointed at the server: PlatformURL as the
// base URL (so its signing-key calls reach OrganisationsURL), the server's API key and the
// seeded organisation. opts are applied after those, as for Client: to act as an end user,
// pass versori.WithTokenSource with a token source of a key made by SigningKeys.Create or
// given to RegisterSigningKey. It fails the test of New(t), or panics for a server made by
// NewServer, if platform.NewClient refuses the options.
func (s *Server) PlatformClient(opts ...versori.Option) *platform.Client {
	if s.tb != nil {
		s.tb.Helper()
	}
	return newClient(s, "PlatformClient", platform.NewClient, opts,
		versori.WithBaseURL(s.PlatformURL), versori.WithOrganisationID(s.Seeded().OrganisationID))
}

// newClient makes a client of the server with dial: the server's API key and own, then
// the caller's opts. name is the method making it, for the failure message.
func newClient[C any](s *Server, name string, dial func(...versori.Option) (C, error), opts []versori.Option, own ...versori.Option) C {
	all := append(append([]versori.Option{versori.WithAPIKey(s.APIKey)}, own...), opts...)
	c, err := dial(all...)
	if err != nil {
		if s.tb != nil {
			s.tb.Helper()
			s.tb.Fatalf("versoritest: %s: %v", name, err)
		}
		panic("versoritest: " + name + ": " + err.Error())
	}
	return c
}
