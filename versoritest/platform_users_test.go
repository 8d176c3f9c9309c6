package versoritest

import (
	"net/http"
	"net/url"
	"testing"
)

func TestPlatformEndUserLifecycle(t *testing.T) {
	s := newTestServer(t)
	u := createPUser(t, s, "acme-42")
	for _, k := range []string{"id", "externalId", "displayName", "organisationId", "createdAt", "updatedAt"} {
		if _, ok := u[k]; !ok {
			t.Errorf("EndUser lacks %s: %v", k, u)
		}
	}
	if u["organisationId"] != s.Seeded().OrganisationID || u["externalId"] != "acme-42" || !isULID(str(u["id"])) {
		t.Fatalf("CreateEndUser = %v", u)
	}
	// displayName defaults to "" and is still sent.
	r := pcall(t, s, "POST", org(s, "/users"), map[string]any{"externalId": "nameless"}).expect(t, http.StatusCreated)
	if v, ok := r.obj["displayName"]; !ok || v != "" {
		t.Errorf("displayName = %v, %v", v, ok)
	}
	pcall(t, s, "POST", org(s, "/users"), map[string]any{"externalId": "acme-42"}).expectError(t, http.StatusConflict)
	pcall(t, s, "POST", org(s, "/users"), map[string]any{"externalId": ""}).expectError(t, http.StatusBadRequest, "externalId")
	pcall(t, s, "POST", org(s, "/users"), map[string]any{"displayName": 7}).expectError(t, http.StatusBadRequest, "externalId", "displayName")

	// Get and Delete take the Versori ID or the external ID.
	id := str(u["id"])
	if got := pcall(t, s, "GET", org(s, "/users/acme-42"), nil).expect(t, http.StatusOK).obj; got["id"] != id {
		t.Errorf("GET by external ID = %v", got)
	}
	if got := pcall(t, s, "GET", org(s, "/users/"+id), nil).expect(t, http.StatusOK).obj; got["externalId"] != "acme-42" {
		t.Errorf("GET by ID = %v", got)
	}
	pcall(t, s, "GET", org(s, "/users/nobody"), nil).expectError(t, http.StatusNotFound)
	pcall(t, s, "DELETE", org(s, "/users/"+id), nil).expect(t, http.StatusNoContent)
	pcall(t, s, "GET", org(s, "/users/acme-42"), nil).expectError(t, http.StatusNotFound)
	pcall(t, s, "DELETE", org(s, "/users/acme-42"), nil).expectError(t, http.StatusNotFound)
	pcall(t, s, "DELETE", org(s, "/users/nameless"), nil).expect(t, http.StatusNoContent)
}

// Platform and v1 end users are separate worlds: the same external ID may exist in both.
func TestPlatformEndUsersAreNotV1Users(t *testing.T) {
	s := newTestServer(t)
	createUser(t, s, "shared")
	pcall(t, s, "GET", org(s, "/users/shared"), nil).expectError(t, http.StatusNotFound)
	createPUser(t, s, "shared")
}

func TestPlatformExternalIDsWithSpecialCharacters(t *testing.T) {
	s := newTestServer(t)
	ids := []string{"a/b", "what?x=1", "hash#tag", "100%", "two words", "ünïcødé✓", "jane@example.com", "a%2Fb"}
	for _, id := range ids {
		createPUser(t, s, id)
	}
	for _, id := range ids {
		r := pcall(t, s, "GET", org(s, "/users/"+url.PathEscape(id)), nil).expect(t, http.StatusOK)
		if r.obj["externalId"] != id {
			t.Errorf("GET %q reached %v", id, r.obj["externalId"])
		}
	}
	pcall(t, s, "DELETE", org(s, "/users/"+url.PathEscape("a/b")), nil).expect(t, http.StatusNoContent)
	pcall(t, s, "GET", org(s, "/users/"+url.PathEscape("a%2Fb")), nil).expect(t, http.StatusOK)
}

func TestPlatformListEndUsers(t *testing.T) {
	s := newTestServer(t)
	for _, id := range []string{"alpha", "beta", "gamma", "delta", "epsilon"} {
		createPUser(t, s, id)
	}
	pcall(t, s, "POST", org(s, "/users"), map[string]any{"externalId": "zeta", "displayName": "Beta Tester"}).expect(t, http.StatusCreated)

	r := pcall(t, s, "GET", org(s, "/users?search=BETA"), nil).expect(t, http.StatusOK).obj
	if r["totalCount"] != 2.0 || len(arr(r["users"])) != 2 {
		t.Fatalf("search BETA = %v", r)
	}

	// Cursor pages, though the spec declares no cursor parameters here; no maximum on first.
	var seen []string
	next := ""
	for range 10 {
		q := "?first=2"
		if next != "" {
			q += "&after=" + next
		}
		page := pcall(t, s, "GET", org(s, "/users"+q), nil).expect(t, http.StatusOK).obj
		if page["totalCount"] != 6.0 {
			t.Fatalf("totalCount = %v", page["totalCount"])
		}
		for _, u := range arr(page["users"]) {
			seen = append(seen, str(obj(u)["externalId"]))
		}
		if next = str(page["next"]); next == "" {
			break
		}
	}
	if len(seen) != 6 || seen[0] != "alpha" || seen[5] != "zeta" {
		t.Errorf("walked %v", seen)
	}
	last := pcall(t, s, "GET", org(s, "/users?first=2&after="+encodeCursor(str(pcall(t, s, "GET", org(s, "/users/delta"), nil).obj["id"]))), nil).obj
	if prev := str(last["prev"]); prev == "" {
		t.Errorf("page after delta has no prev: %v", last)
	} else {
		back := pcall(t, s, "GET", org(s, "/users?first=2&before="+prev), nil).obj
		if got := dig(back, "users", 1, "externalId"); got != "delta" {
			t.Errorf("page before %v ends with %v", prev, got)
		}
	}
	if all := pcall(t, s, "GET", org(s, "/users?first=500"), nil).expect(t, http.StatusOK).obj; len(arr(all["users"])) != 6 {
		t.Errorf("first=500 gave %d users", len(arr(all["users"])))
	}
	pcall(t, s, "GET", org(s, "/users?first=0"), nil).expectError(t, http.StatusBadRequest, "first")
	pcall(t, s, "GET", org(s, "/users?after=nope"), nil).expectError(t, http.StatusBadRequest, "after")
}

func TestPlatformListEndUsersByActivation(t *testing.T) {
	s := newTestServer(t)
	env := s.Seeded().Platform.EnvironmentID
	createPUser(t, s, "idle")
	activatePUser(t, s, "active")

	only := func(q, want string) {
		t.Helper()
		r := pcall(t, s, "GET", org(s, "/users?"+q), nil).expect(t, http.StatusOK).obj
		if r["totalCount"] != 1.0 || dig(r, "users", 0, "externalId") != want {
			t.Errorf("%s = %v, want only %s", q, r, want)
		}
	}
	only("activated=true&environment_id="+env, "active")
	only("activated=false&environment_id="+env, "idle")
	only("activated=false&environment_id="+env+"&search=id", "idle")
	// The two go together.
	pcall(t, s, "GET", org(s, "/users?activated=true"), nil).expectError(t, http.StatusBadRequest, "environment_id")
	pcall(t, s, "GET", org(s, "/users?environment_id="+env), nil).expectError(t, http.StatusBadRequest, "activated")
	pcall(t, s, "GET", org(s, "/users?activated=yes&environment_id="+env), nil).expectError(t, http.StatusBadRequest, "activated")
	pcall(t, s, "GET", org(s, "/users?activated=true&environment_id="+zeroID), nil).expectError(t, http.StatusBadRequest, "environment_id")
}

func TestPlatformDeleteEndUserDeletesConnectionsAndActivations(t *testing.T) {
	s := newTestServer(t)
	a := activatePUser(t, s, "leaver")
	conns := pcall(t, s, "GET", org(s, "/connections?end_user_id="+str(dig(a, "user", "id"))), nil).obj
	if conns["totalCount"] != 5.0 {
		t.Fatalf("connections = %v", conns["totalCount"])
	}
	pcall(t, s, "DELETE", org(s, "/users/leaver"), nil).expect(t, http.StatusNoContent)
	pcall(t, s, "GET", envPath(s, "/activations/"+str(a["id"])), nil).expectError(t, http.StatusNotFound)
	pcall(t, s, "GET", org(s, "/connections/"+str(dig(conns, "items", 0, "id"))), nil).expectError(t, http.StatusNotFound)
	// The same external ID can be used again, for a new user.
	if u := createPUser(t, s, "leaver"); u["id"] == dig(a, "user", "id") {
		t.Error("re-created user kept the old ID")
	}
}
