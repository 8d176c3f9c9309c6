package versoritest

import (
	"net/http"
	"strings"
	"testing"
)

func TestHealthCheckNeedsNoAuth(t *testing.T) {
	s := newTestServer(t)
	r := callAuth(t, s, "", "GET", "/healthz", nil).expect(t, http.StatusOK)
	if r.obj["message"] != "ok" {
		t.Fatalf("body = %s", r.raw)
	}
}

func TestUnknownRouteAndWrongMethod(t *testing.T) {
	s := newTestServer(t)
	call(t, s, "GET", "/nope", nil).expectError(t, http.StatusNotFound)
	r := call(t, s, "PUT", hubPath(s, ""), nil)
	r.expectError(t, http.StatusMethodNotAllowed)
	if allow := r.header.Values("Allow"); len(allow) != 3 {
		t.Errorf("Allow = %v, want GET, PATCH, DELETE", allow)
	}
}

func TestRequestIDEchoed(t *testing.T) {
	s := newTestServer(t)
	req, _ := http.NewRequest("GET", s.URL+"/healthz", nil)
	req.Header.Set("X-Request-ID", "abc-123")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("X-Request-Id"); got != "abc-123" {
		t.Errorf("X-Request-Id = %q", got)
	}
	r := call(t, s, "GET", "/nope", nil)
	if len(r.header.Get("X-Request-Id")) != 36 {
		t.Errorf("generated X-Request-Id = %q, want a uuid", r.header.Get("X-Request-Id"))
	}
}

func TestBodyRules(t *testing.T) {
	s := newTestServer(t)
	path := hubPath(s, "/users")
	call(t, s, "POST", path, "{not json").expectError(t, http.StatusBadRequest)
	call(t, s, "POST", path, "").expectError(t, http.StatusBadRequest)
	call(t, s, "POST", path, "[]").expectError(t, http.StatusBadRequest)
	call(t, s, "POST", path, "{} {}").expectError(t, http.StatusBadRequest)
	big := `{"externalId":"` + strings.Repeat("x", maxBodyBytes) + `"}`
	call(t, s, "POST", path, big).expectError(t, http.StatusRequestEntityTooLarge)
}

// TestUncleanPathsReachNoRouteWithoutAuth: unclean, double-encoded and
// case-changed paths reach no operation without authentication, and no
// other operation than their own.
func TestUncleanPathsReachNoRouteWithoutAuth(t *testing.T) {
	s := newTestServer(t)
	orgID := s.Seeded().OrganisationID
	for _, path := range []string{
		"/o/" + orgID + "/hubs/../hubs",
		"/o/" + orgID + "//hubs",
		"/o/" + orgID + "/hubs/",
		"/O/" + orgID + "/HUBS",
		"/o/" + orgID + "%2Fhubs",
		"/o/" + orgID + "/%68ubs",
		"/api/organisations/v1/keys/x/../../organisations/" + orgID + "/keys",
		"/api/organisations/v1/keys/..%2F..%2Forganisations%2F" + orgID + "%2Fkeys",
		"/api/v2/o/" + orgID + "/users/..%2F..%2F..%2Fv1",
	} {
		r := callAuth(t, s, "", "GET", path, nil)
		if r.status == http.StatusOK {
			t.Errorf("GET %s without credentials: 200 %s", path, r.raw)
		}
	}
}
