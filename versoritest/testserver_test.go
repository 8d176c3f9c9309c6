package versoritest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

func TestNewClosesAtCleanup(t *testing.T) {
	t.Parallel()
	var url string
	t.Run("inner", func(t *testing.T) {
		srv := versoritest.New(t)
		url = srv.URL
		res, err := http.Get(url + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	})
	if res, err := http.Get(url + "/healthz"); err == nil {
		res.Body.Close()
		t.Fatalf("server still answering after its test ended: %d", res.StatusCode)
	}
}

func TestClient(t *testing.T) {
	t.Parallel()
	srv := versoritest.New(t, versoritest.WithAPIKey("k-client-test"))
	ctx := context.Background()
	hub, err := srv.Client().Hubs.Get(ctx, srv.Seeded().HubID)
	if err != nil || hub.ID != srv.Seeded().HubID {
		t.Fatalf("Hubs.Get = %+v, %v", hub, err)
	}
	if got := srv.Requests()[0].Header.Get("Authorization"); got != "Bearer [REDACTED]" {
		t.Errorf("Authorization = %q, want the server's API key as Bearer", got)
	}
	// Options given to Client come after its own, so they override them.
	_, err = srv.Client(versori.WithAPIKey("wrong")).Hubs.Get(ctx, srv.Seeded().HubID)
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("with WithAPIKey(wrong): err = %v, want a 401", err)
	}
	other := versoritest.New(t)
	if _, err := srv.Client(versori.WithBaseURL(other.URL)).HealthCheck(ctx); err != nil || len(other.Requests()) != 1 {
		t.Errorf("with WithBaseURL(other): err = %v, other got %d requests", err, len(other.Requests()))
	}
}

func TestPlatformClient(t *testing.T) {
	t.Parallel()
	srv := versoritest.New(t, versoritest.WithAPIKey("k-platform-client-test"))
	ctx := context.Background()
	p := srv.PlatformClient()
	if p.BaseURL() != srv.PlatformURL || p.OrganisationID() != srv.Seeded().OrganisationID {
		t.Errorf("BaseURL, OrganisationID = %q, %q; want %q, %q", p.BaseURL(), p.OrganisationID(), srv.PlatformURL, srv.Seeded().OrganisationID)
	}
	project, err := p.Projects.Get(ctx, srv.Seeded().Platform.ProjectID)
	if err != nil || project.ID != srv.Seeded().Platform.ProjectID {
		t.Fatalf("Projects.Get = %+v, %v", project, err)
	}
	// The Organisations API is reached too, at OrganisationsURL.
	if _, err := p.SigningKeys.List(ctx); err != nil {
		t.Errorf("SigningKeys.List: %v", err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].Operation != versoritest.OpPlatformGetProject || reqs[1].Operation != versoritest.OpPlatformListSigningKeys {
		t.Fatalf("requests = %+v, want GetProject then ListSigningKeys", reqs)
	}
	if got := reqs[0].Header.Get("Authorization"); got != "Bearer [REDACTED]" {
		t.Errorf("Authorization = %q, want the server's API key as Bearer", got)
	}
	// Options given to PlatformClient come after its own, so they override them.
	_, err = srv.PlatformClient(versori.WithAPIKey("wrong")).Projects.List(ctx)
	if !errors.Is(err, versori.ErrUnauthorized) {
		t.Errorf("with WithAPIKey(wrong): err = %v, want a 401", err)
	}
	if p := srv.PlatformClient(versori.WithOrganisationID("01ARZ3NDEKTSV4RRFFQ69G5FAV")); p.OrganisationID() != "01ARZ3NDEKTSV4RRFFQ69G5FAV" {
		t.Errorf("WithOrganisationID did not override: %q", p.OrganisationID())
	}
	// An unseeded fake still has its organisation.
	empty := versoritest.New(t, versoritest.WithoutSeed())
	list, err := empty.PlatformClient().Projects.List(ctx)
	if err != nil || len(list.Projects) != 0 {
		t.Errorf("unseeded Projects.List = %+v, %v; want none", list, err)
	}
}

// get sends GET path to srv with its API key and returns the status, without the SDK's
// retries (which would use up faults).
func get(t *testing.T, srv *versoritest.Server, path string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+srv.APIKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func TestClientPanicsWithoutTest(t *testing.T) {
	t.Parallel()
	srv := versoritest.NewServer()
	defer srv.Close()
	for name, client := range map[string]func(){
		"Client":         func() { srv.Client(versori.WithAPIKey("")) },
		"PlatformClient": func() { srv.PlatformClient(versori.WithAPIKey("")) },
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), name+": ") {
					t.Errorf("%s with a refused option: recovered %v, want a panic naming it", name, r)
				}
			}()
			client()
		}()
	}
}

// recordingTB is a testing.TB that records what a Server made by New reports to it,
// so the tests can check the reports without failing themselves.
type recordingTB struct {
	testing.TB // nil: only the methods below may be called
	mu         sync.Mutex
	errs       []string
	cleanups   []func()
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// Fatalf records the message and ends the calling goroutine, as testing.T's does.
func (r *recordingTB) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

func (r *recordingTB) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

// finish runs the cleanups, last registered first, and returns the errors reported.
func (r *recordingTB) finish() []string {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.errs
}

func TestFailNextUnknownOperationFailsTheTest(t *testing.T) {
	t.Parallel()
	rec := &recordingTB{}
	srv := versoritest.New(rec)
	srv.FailNext("GetHubb", 1, versoritest.Fault{Status: 503})
	// Nothing was queued: the next GetHub succeeds.
	if _, err := srv.Client().Hubs.Get(context.Background(), srv.Seeded().HubID); err != nil {
		t.Errorf("GetHub after a refused FailNext: %v", err)
	}
	errs := rec.finish()
	if len(errs) != 1 {
		t.Fatalf("reported %q, want one error", errs)
	}
	for _, want := range []string{`"GetHubb"`, versoritest.OpGetHub, versoritest.OpActivateIntegration, versoritest.OpHealthCheck} {
		if !strings.Contains(errs[0], want) {
			t.Errorf("report %q does not mention %s", errs[0], want)
		}
	}
}

// TestFailNextInvalidStatusFailsTheTest: a Fault whose Status is no final
// HTTP status fails the test of New(t), naming Status, and queues nothing, so
// the next call is served; valid ones queue without a report. Such a fault
// once made the handler panic on the server's goroutine (net/http cannot
// write a status below 100 or above 999): the client saw a dropped
// connection, the test a stack trace in the log and no failure naming the
// mistake.
func TestFailNextInvalidStatusFailsTheTest(t *testing.T) {
	t.Parallel()
	for _, status := range []int{-1, 42, 99, 101, 1000, 1 << 20} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			rec := &recordingTB{}
			srv := versoritest.New(rec)
			srv.FailNext(versoritest.OpHealthCheck, 1, versoritest.Fault{Status: status})
			if got := get(t, srv, "/healthz"); got != http.StatusOK {
				t.Errorf("HealthCheck after FailNext(Status %d) = %d, want 200: the invalid fault was queued", status, got)
			}
			if errs := rec.finish(); len(errs) != 1 || !strings.Contains(errs[0], "Status") {
				t.Errorf("FailNext(Status %d) reported %q; want one error naming Status", status, errs)
			}
		})
	}
	t.Run("valid statuses queue", func(t *testing.T) {
		srv := versoritest.New(t)
		for _, status := range []int{0, 200, 204, 418, 599} {
			srv.FailNext(versoritest.OpHealthCheck, 1, versoritest.Fault{Status: status})
		}
		srv.ResetFaults()
	})
}

// TestFailNextMistakesPanicWithoutTest: on a fake not made by New(t), a
// FailNext mistake panics, saying what is wrong.
func TestFailNextMistakesPanicWithoutTest(t *testing.T) {
	t.Parallel()
	for _, m := range []struct {
		name  string
		op    string
		n     int
		fault versoritest.Fault
		want  []string
	}{
		{"unknown operation", "ListUsers", 0, versoritest.Fault{}, []string{`"ListUsers"`, versoritest.OpListEndUsers}},
		{"invalid Status", versoritest.OpHealthCheck, 1, versoritest.Fault{Status: 42}, []string{"Status"}},
	} {
		for name, fake := range map[string]interface {
			FailNext(string, int, versoritest.Fault)
		}{"NewFake": versoritest.NewFake(), "NewServer": versoritest.NewServer()} {
			func() {
				defer func() {
					msg := fmt.Sprint(recover())
					for _, want := range m.want {
						if !strings.Contains(msg, want) {
							t.Errorf("%s, %s: FailNext(%s) panicked with %q, want it to mention %s", m.name, name, m.op, msg, want)
						}
					}
				}()
				fake.FailNext(m.op, m.n, m.fault)
			}()
			if s, ok := fake.(*versoritest.Server); ok {
				s.Close()
			}
		}
	}
}

func TestUnusedFaultsReportedAtCleanup(t *testing.T) {
	t.Parallel()
	rec := &recordingTB{}
	srv := versoritest.New(rec)
	srv.FailNext(versoritest.OpGetHub, 3, versoritest.Fault{Status: 503})
	srv.FailNext(versoritest.OpCreateEndUser, 1, versoritest.Fault{Status: 429})
	srv.FailNext(versoritest.OpHealthCheck, 1, versoritest.Fault{Status: 500})
	get(t, srv, "/hubs/"+srv.Seeded().HubID) // uses one GetHub fault
	get(t, srv, "/healthz")                  // uses the HealthCheck fault
	errs := rec.finish()
	if len(errs) != 2 {
		t.Fatalf("reported %q, want one error per operation with faults left", errs)
	}
	all := strings.Join(errs, "\n")
	for _, want := range []string{"FailNext(" + versoritest.OpGetHub + ")", "2 faults", "FailNext(" + versoritest.OpCreateEndUser + ")", "1 fault "} {
		if !strings.Contains(all, want) {
			t.Errorf("reports %q do not mention %q", all, want)
		}
	}
}

// TestUnusedFaultNamesTheOtherAPIsOperation: a fault queued under one API's
// operation when the code under test called the other API's operation of
// the same name (the SDK's errors name both by the spec's operationId) is
// reported with the name it should have had; one whose counterpart was not
// called is reported without a guess.
func TestUnusedFaultNamesTheOtherAPIsOperation(t *testing.T) {
	t.Parallel()
	rec := &recordingTB{}
	srv := versoritest.New(rec)
	srv.FailNext(versoritest.OpCreateEndUser, 1, versoritest.Fault{Status: 503})      // meant for the Platform's
	srv.FailNext(versoritest.OpPlatformGetEndUser, 1, versoritest.Fault{Status: 503}) // meant for v1's
	srv.FailNext(versoritest.OpGetHub, 1, versoritest.Fault{Status: 503})             // not called at all
	ctx := context.Background()
	if _, err := srv.PlatformClient().Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "acme-42"}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Client().Users.Get(ctx, srv.Seeded().HubID, versori.ExternalUser("acme-42")); err == nil || !errors.Is(err, versori.ErrNotFound) {
		t.Fatalf("v1 GetEndUser of a Platform user: %v, want not found", err)
	}
	errs := rec.finish()
	if len(errs) != 3 {
		t.Fatalf("reported %q, want one error per operation with faults left", errs)
	}
	all := strings.Join(errs, "\n")
	for _, want := range []string{
		`FailNext(CreateEndUser) never used`, `did you mean FailNext("platform/CreateEndUser")?`,
		`did you mean FailNext("GetEndUser")?`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("reports %q do not mention %q", all, want)
		}
	}
	for _, e := range errs {
		if strings.Contains(e, "FailNext(GetHub)") && strings.Contains(e, "did you mean") {
			t.Errorf("a fault whose counterpart was not called got a guess: %q", e)
		}
	}
}

// TestAfterHandlingFaultKeepsTheWrite: a fault with AfterHandling lets the
// request be processed and then loses its answer, a dropped connection or an
// error status in its place, so the SDK reports that the write may have been
// processed, does not repeat it, and the created user is there to be found.
func TestAfterHandlingFaultKeepsTheWrite(t *testing.T) {
	t.Parallel()
	for name, fault := range map[string]versoritest.Fault{
		"drop":   {Drop: true, AfterHandling: true},
		"status": {Status: http.StatusBadGateway, AfterHandling: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := versoritest.New(t)
			p := srv.PlatformClient()
			ctx := context.Background()
			srv.FailNext(versoritest.OpPlatformCreateEndUser, 1, fault)
			_, err := p.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "acme-42"})
			if !errors.Is(err, versori.ErrMaybeProcessed) {
				t.Fatalf("Create = %v, want an error that may have been processed", err)
			}
			if _, err := p.Users.Get(ctx, platform.ExternalID("acme-42")); err != nil {
				t.Errorf("the user the lost answer created is not there: %v", err)
			}
			creates := 0
			for _, r := range srv.Requests() {
				if r.Operation == versoritest.OpPlatformCreateEndUser {
					creates++
				}
			}
			if creates != 1 {
				t.Errorf("%d CreateEndUser requests, want 1: a POST that may have been processed is not repeated", creates)
			}
		})
	}
	t.Run("before handling", func(t *testing.T) {
		t.Parallel()
		srv := versoritest.New(t)
		p := srv.PlatformClient()
		srv.FailNext(versoritest.OpPlatformCreateEndUser, 1, versoritest.Fault{Status: http.StatusBadGateway})
		_, _ = p.Users.Create(context.Background(), platform.CreateEndUserParams{ExternalID: "acme-42"})
		if _, err := p.Users.Get(context.Background(), platform.ExternalID("acme-42")); !errors.Is(err, versori.ErrNotFound) {
			t.Errorf("without AfterHandling the fault stops the request before it is handled; Get = %v", err)
		}
	})
}

func TestResetFaultsDropsQueuedFaults(t *testing.T) {
	t.Parallel()
	rec := &recordingTB{}
	srv := versoritest.New(rec)
	srv.FailNext(versoritest.OpGetHub, 1000, versoritest.Fault{Status: 503}) // an outage
	if got := get(t, srv, "/hubs/"+srv.Seeded().HubID); got != http.StatusServiceUnavailable {
		t.Errorf("GetHub during the outage = %d, want 503", got)
	}
	srv.ResetFaults()
	if got := get(t, srv, "/hubs/"+srv.Seeded().HubID); got != http.StatusOK {
		t.Errorf("GetHub after ResetFaults = %d, want 200", got)
	}
	if errs := rec.finish(); len(errs) != 0 {
		t.Errorf("reported %q after ResetFaults", errs)
	}
}

// TestClientIgnoresTheEnvironment checks that a developer's VERSORI_* variables
// (a real organisation, even a malformed value) never reach a client of the fake.
func TestClientIgnoresTheEnvironment(t *testing.T) {
	t.Setenv("VERSORI_API_KEY", "not a key")
	t.Setenv("VERSORI_BASE_URL", "http://example.com/not-loopback")
	t.Setenv("VERSORI_ORGANISATION_ID", " ")
	srv := versoritest.New(t)
	c := srv.Client()
	if got, want := c.OrganisationID(), srv.Seeded().OrganisationID; got != want {
		t.Errorf("OrganisationID() = %q, want the fake's %q", got, want)
	}
	if _, err := c.Hubs.Get(t.Context(), srv.Seeded().HubID); err != nil {
		t.Errorf("Hubs.Get: %v", err)
	}
	if got := srv.Client(versori.WithOrganisationID("01OTHER")).OrganisationID(); got != "01OTHER" {
		t.Errorf("with WithOrganisationID: OrganisationID() = %q", got)
	}
}

func TestClientFailsTheTestOnRefusedOption(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, want string
		client     func(*versoritest.Server)
	}{
		{"Client", "apiKey", func(srv *versoritest.Server) { srv.Client(versori.WithAPIKey("")) }},
		{"PlatformClient", "organisationID", func(srv *versoritest.Server) { srv.PlatformClient(versori.WithOrganisationID("")) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recordingTB{}
			srv := versoritest.New(rec)
			done := make(chan struct{})
			go func() {
				defer close(done)
				tc.client(srv)
				t.Error(tc.name + " returned after a refused option")
			}()
			<-done
			if errs := rec.finish(); len(errs) != 1 || !strings.Contains(errs[0], tc.name+": ") || !strings.Contains(errs[0], tc.want) {
				t.Errorf("reported %q, want the refused option", errs)
			}
		})
	}
}
