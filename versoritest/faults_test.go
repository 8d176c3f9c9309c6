package versoritest

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestFailNextStatusAndRetryAfter(t *testing.T) {
	s := newTestServer(t)
	path := hubPath(s, "")
	s.FailNext(OpGetHub, 2, Fault{Status: http.StatusServiceUnavailable, RetryAfter: "1"})
	s.FailNext(OpGetHub, 1, Fault{Body: `{"code":"500000","message":"custom"}`})
	for i := range 2 {
		r := call(t, s, "GET", path, nil)
		r.expectError(t, http.StatusServiceUnavailable)
		if r.header.Get("Retry-After") != "1" || r.header.Get("X-Request-Id") == "" {
			t.Errorf("call %d headers = %v", i, r.header)
		}
	}
	r := call(t, s, "GET", path, nil)
	r.expect(t, http.StatusInternalServerError)
	if r.obj["message"] != "custom" {
		t.Errorf("custom body = %s", r.raw)
	}
	call(t, s, "GET", path, nil).expect(t, http.StatusOK)
	// Other operations are not affected, and faults hit before auth.
	s.FailNext(OpGetHub, 1, Fault{Status: 429})
	call(t, s, "GET", "/o/"+s.Seeded().OrganisationID+"/hubs", nil).expect(t, http.StatusOK)
	callAuth(t, s, "", "GET", path, nil).expectError(t, 429)
}

func TestFailNextDrop(t *testing.T) {
	s := newTestServer(t)
	s.FailNext(OpHealthCheck, 1, Fault{Drop: true})
	res, err := http.Get(s.URL + "/healthz")
	if err == nil {
		res.Body.Close()
		t.Fatalf("dropped request got %d", res.StatusCode)
	}
	call(t, s, "GET", "/healthz", nil).expect(t, http.StatusOK)
}

func TestFailNextDelay(t *testing.T) {
	s := newTestServer(t)
	s.FailNext(OpHealthCheck, 1, Fault{Delay: 5 * time.Second, Status: 502})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/healthz", nil)
	start := time.Now()
	_, err := http.DefaultClient.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Error("delay did not stop with the request context")
	}

	// A short delay, then the fault's status; Pass makes it a slow success instead.
	s.FailNext(OpHealthCheck, 1, Fault{Delay: 30 * time.Millisecond, Status: 502})
	s.FailNext(OpHealthCheck, 1, Fault{Delay: 30 * time.Millisecond, Pass: true})
	start = time.Now()
	call(t, s, "GET", "/healthz", nil).expectError(t, 502)
	call(t, s, "GET", "/healthz", nil).expect(t, http.StatusOK)
	if time.Since(start) < 60*time.Millisecond {
		t.Error("delays not applied")
	}
}

func TestRequestLog(t *testing.T) {
	s := newTestServer(t)
	s.ResetRequests()
	call(t, s, "GET", hubPath(s, "/users/"+pathEscape("a/b c")+"?identifier_type=external"), nil)
	createUser(t, s, "logged")
	callAuth(t, s, "JWT some.token.here", "GET", "/nope", nil)
	s.FailNext(OpHealthCheck, 1, Fault{})
	call(t, s, "GET", "/healthz", nil)

	reqs := s.Requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests logged", len(reqs))
	}
	r := reqs[0]
	if r.Operation != OpGetEndUser || r.Method != "GET" || r.Path != hubPath(s, "/users/a%2Fb%20c") || r.RawQuery != "identifier_type=external" {
		t.Errorf("req 0 = %+v", r)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer [REDACTED]" {
		t.Errorf("Authorization logged as %q", got)
	}
	if reqs[1].Operation != OpCreateEndUser || len(reqs[1].Body) == 0 {
		t.Errorf("req 1 = %+v", reqs[1])
	}
	if reqs[2].Operation != "" || reqs[2].Header.Get("Authorization") != "JWT [REDACTED]" {
		t.Errorf("req 2 = %+v", reqs[2])
	}
	if reqs[3].Operation != OpHealthCheck {
		t.Errorf("faulted request not logged: %+v", reqs[3])
	}
	// Requests returns a copy.
	reqs[0].Header.Set("X", "y")
	if s.Requests()[0].Header.Get("X") != "" {
		t.Error("Requests shares state with the log")
	}
	s.ResetRequests()
	if len(s.Requests()) != 0 {
		t.Error("ResetRequests kept requests")
	}
}

func TestConcurrentUse(t *testing.T) {
	s := newTestServer(t)
	// Goroutines only record statuses: t.Fatal must not be called off the test goroutine.
	var wg sync.WaitGroup
	statuses := make([][2]int, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := "c" + itoa(i)
			body := map[string]any{"externalId": id, "primaryConnection": apiKeyConnection(id, "s")}
			statuses[i][0] = call(t, s, "POST", hubPath(s, "/users"), body).status
			statuses[i][1] = activateSlack(t, s, id).status
			call(t, s, "GET", hubPath(s, "/users?first=3"), nil)
			s.FailNext(OpGetHub, 1, Fault{Status: 503})
			call(t, s, "GET", hubPath(s, ""), nil)
			_ = s.Requests()
			_ = s.Seeded()
		}()
	}
	wg.Wait()
	for i, st := range statuses {
		if st != [2]int{201, 200} {
			t.Errorf("goroutine %d: statuses %v", i, st)
		}
	}
	r := call(t, s, "GET", hubPath(s, "/users"), nil).obj
	if r["totalCount"] != 8.0 {
		t.Errorf("totalCount = %v", r["totalCount"])
	}
}

func TestWithClock(t *testing.T) {
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.FixedZone("X", 3600))
	s := newTestServer(t, WithClock(func() time.Time { return at }))
	u := createUser(t, s, "u1")
	if u["createdAt"] != "2025-03-01T11:00:00Z" {
		t.Errorf("createdAt = %v", u["createdAt"])
	}
	// IDs still follow creation order when the clock stands still.
	u2 := createUser(t, s, "u2")
	if str(u2["id"]) <= str(u["id"]) {
		t.Error("IDs not increasing under a frozen clock")
	}
}
