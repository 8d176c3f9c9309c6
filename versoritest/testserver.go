package versoritest

import (
	"maps"
	"slices"
	"testing"

	"github.com/versori-go/versori"
)

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
			t.Errorf("versoritest: %d %s queued with FailNext(%s) never used: the code under test made fewer %s calls than the test expected (ResetFaults drops faults left on purpose)",
				left[op], plural(left[op], "fault", "faults"), op, op)
		}
	})
	return s
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
	all := append([]versori.Option{
		versori.WithAPIKey(s.APIKey),
		versori.WithBaseURL(s.URL),
		versori.WithOrganisationID(s.Seeded().OrganisationID),
	}, opts...)
	c, err := versori.NewClient(all...)
	if err != nil {
		if s.tb != nil {
			s.tb.Helper()
			s.tb.Fatalf("versoritest: Client: %v", err)
		}
		panic("versoritest: Client: " + err.Error())
	}
	return c
}
