package versoritest

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPlatformOperationNames(t *testing.T) {
	t.Parallel()
	ops := PlatformOperations()
	if len(ops) != 37 {
		t.Fatalf("%d operations, want the 37 of PLATFORM.md §7", len(ops))
	}
	seen := map[string]bool{}
	for _, op := range ops {
		if !strings.HasPrefix(op, "platform/") || seen[op] {
			t.Errorf("bad or repeated operation name %q", op)
		}
		seen[op] = true
	}
	for _, op := range Operations() {
		if seen[op] {
			t.Errorf("v1 operation %q clashes", op)
		}
	}
	if slices.ContainsFunc(Operations(), func(op string) bool { return strings.HasPrefix(op, "platform/") }) {
		t.Error("Operations lists Platform operations; it is v1's")
	}
}

func TestServerBaseURLs(t *testing.T) {
	s := newTestServer(t)
	if s.PlatformURL != s.URL+"/api/v2" || s.OrganisationsURL != s.URL+"/api/organisations/v1" {
		t.Errorf("PlatformURL %q, OrganisationsURL %q", s.PlatformURL, s.OrganisationsURL)
	}
}

var wildcardRE = regexp.MustCompile(`\{[a-z_]+\}`)

// Every path naming an organisation must name the fake's: any other is a 404, whoever
// asks and whatever the rest of the request holds.
func TestPlatformOrganisationScoping(t *testing.T) {
	s := newTestServer(t)
	const other = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
	for _, rt := range platformRoutes {
		method, pattern, _ := strings.Cut(rt.pattern, " ")
		if !strings.Contains(pattern, "{organisation_id}") {
			continue
		}
		t.Run(rt.op, func(t *testing.T) {
			path := strings.Replace(pattern, "{organisation_id}", other, 1)
			path = wildcardRE.ReplaceAllString(path, zeroID)
			var body any
			if method != "GET" {
				body = map[string]any{}
			}
			r := call(t, s, method, path, body)
			r.expectError(t, http.StatusNotFound)
			if !strings.Contains(str(r.obj["message"]), "organisation") {
				t.Errorf("message = %q", r.obj["message"])
			}
		})
	}
}

func TestPlatformUnknownRouteAndWrongMethod(t *testing.T) {
	s := newTestServer(t)
	pcall(t, s, "GET", "/nope", nil).expectError(t, http.StatusNotFound)
	r := pcall(t, s, "PATCH", org(s, "/users"), nil)
	r.expectError(t, http.StatusMethodNotAllowed)
	if allow := r.header.Values("Allow"); strings.Join(allow, ",") != "GET,POST" {
		t.Errorf("Allow = %v", allow)
	}
	// The v1 paths do not exist under the Platform base.
	pcall(t, s, "GET", hubPath(s, ""), nil).expectError(t, http.StatusNotFound)
}

// FailNext, the request log and Delay/Drop work for Platform operations by their
// "platform/" names.
func TestPlatformFaultsAndRequestLog(t *testing.T) {
	s := newTestServer(t)
	createPUser(t, s, "u1")
	s.ResetRequests()
	s.FailNext(OpPlatformGetEndUser, 2, Fault{Status: http.StatusServiceUnavailable, RetryAfter: "2"})
	for range 2 {
		r := pcall(t, s, "GET", org(s, "/users/u1"), nil)
		r.expectError(t, http.StatusServiceUnavailable)
		if r.header.Get("Retry-After") != "2" {
			t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
		}
	}
	pcall(t, s, "GET", org(s, "/users/u1"), nil).expect(t, http.StatusOK)
	// v1's GetEndUser is another operation: its fault is left unused.
	s.FailNext(OpGetEndUser, 1, Fault{Status: 500})
	pcall(t, s, "GET", org(s, "/users/u1"), nil).expect(t, http.StatusOK)
	s.ResetFaults()

	s.FailNext(OpPlatformListProjects, 1, Fault{Drop: true})
	// A fresh connection: net/http would resend a GET dropped on a reused one.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if res, err := fresh.Get(s.PlatformURL + org(s, "/projects")); err == nil {
		res.Body.Close()
		t.Errorf("dropped request got %d", res.StatusCode)
	}
	s.FailNext(OpPlatformGetPublicKey, 1, Fault{Delay: 30 * time.Millisecond, Pass: true})
	start := time.Now()
	callAuth(t, s, "", "GET", organisationsBasePath+"/keys/"+zeroID, nil).expectError(t, http.StatusNotFound)
	if time.Since(start) < 30*time.Millisecond {
		t.Error("delay not applied")
	}

	var ops []string
	for _, r := range s.Requests() {
		ops = append(ops, r.Operation)
	}
	want := []string{OpPlatformGetEndUser, OpPlatformGetEndUser, OpPlatformGetEndUser, OpPlatformGetEndUser, OpPlatformListProjects, OpPlatformGetPublicKey}
	if !slices.Equal(ops, want) {
		t.Errorf("logged %v, want %v", ops, want)
	}
	if p := s.Requests()[0].Path; p != "/api/v2"+org(s, "/users/u1") {
		t.Errorf("logged path %q", p)
	}
}

// Platform requests share the v1 lock: many end users connecting and activating at once,
// each with its own token, leave a consistent state.
func TestPlatformConcurrentUse(t *testing.T) {
	s := newTestServer(t)
	tok := tokens(t, s)
	const n = 8
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ext := "c" + itoa(i)
			auth := tok(ext)
			// Goroutines only record statuses: t.Fatal must stay on the test goroutine.
			if r := pcallAs(t, s, auth, "POST", org(s, "/users"), map[string]any{"externalId": ext}); r.status != http.StatusCreated {
				return
			}
			for _, tm := range s.Seeded().Platform.Templates {
				if tm.Dynamic {
					pcallAs(t, s, auth, "POST", org(s, "/connections"), map[string]any{"connectionTemplateId": tm.ID, "externalId": ext, "connection": connectionFor(s, tm, "s")})
				}
			}
			s.FailNext(OpPlatformListProjects, 1, Fault{Status: 503})
			pcallAs(t, s, auth, "GET", org(s, "/projects"), nil)
			statuses[i] = pcallAs(t, s, auth, "POST", org(s, "/activations"), map[string]any{"userId": ext, "environmentId": s.Seeded().Platform.EnvironmentID, "connections": []any{}}).status
		}()
	}
	wg.Wait()
	for i, st := range statuses {
		if st != http.StatusOK {
			t.Errorf("goroutine %d: ActivateUser = %d", i, st)
		}
	}
	if got := pcall(t, s, "GET", envPath(s, "/activations"), nil).list(); len(got) != n {
		t.Errorf("%d activations, want %d", len(got), n)
	}
}
