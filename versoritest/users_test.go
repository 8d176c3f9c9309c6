package versoritest

import (
	"net/http"
	"strings"
	"testing"
)

func TestEndUserLifecycle(t *testing.T) {
	s := newTestServer(t)
	hub := s.Seeded().HubID
	u := createUser(t, s, "acme-42")
	if u["externalId"] != "acme-42" || u["hubId"] != hub || dig(u, "primaryConnection", "name") != "acme-42" {
		t.Fatalf("CreateEndUser = %v", u)
	}
	if dig(u, "primaryConnection", "credentials", "trigger") == nil {
		t.Error("credentials.trigger must be present even when empty")
	}
	// displayName defaults to "".
	r := call(t, s, "POST", hubPath(s, "/users"), map[string]any{"externalId": "nameless", "primaryConnection": apiKeyConnection("n", "s")}).expect(t, http.StatusCreated)
	if v, ok := r.obj["displayName"]; !ok || v != "" {
		t.Errorf("displayName = %v, %v", v, ok)
	}
	// Duplicate external ID in the hub.
	call(t, s, "POST", hubPath(s, "/users"), map[string]any{"externalId": "acme-42", "primaryConnection": apiKeyConnection("d", "s")}).expectError(t, http.StatusConflict)

	id := str(u["id"])
	call(t, s, "GET", hubPath(s, "/users/acme-42"), nil).expect(t, http.StatusOK)
	call(t, s, "GET", hubPath(s, "/users/acme-42?identifier_type=external"), nil).expect(t, http.StatusOK)
	call(t, s, "GET", hubPath(s, "/users/"+id+"?identifier_type=internal"), nil).expect(t, http.StatusOK)
	call(t, s, "GET", hubPath(s, "/users/"+id), nil).expectError(t, http.StatusNotFound)
	call(t, s, "GET", hubPath(s, "/users/acme-42?identifier_type=internal"), nil).expectError(t, http.StatusNotFound)
	call(t, s, "GET", hubPath(s, "/users/acme-42?identifier_type=email"), nil).expectError(t, http.StatusBadRequest, "identifier_type")
	call(t, s, "GET", "/hubs/01HZY000000000000000000HUB/users/acme-42", nil).expectError(t, http.StatusNotFound)

	call(t, s, "DELETE", hubPath(s, "/users/"+id+"?identifier_type=internal"), nil).expect(t, http.StatusNoContent)
	call(t, s, "GET", hubPath(s, "/users/acme-42"), nil).expectError(t, http.StatusNotFound)
	call(t, s, "DELETE", hubPath(s, "/users/acme-42"), nil).expectError(t, http.StatusNotFound)
}

func TestCreateEndUserValidation(t *testing.T) {
	s := newTestServer(t)
	path := hubPath(s, "/users")
	call(t, s, "POST", path, map[string]any{"externalId": ""}).expectError(t, http.StatusBadRequest, "externalId", "primaryConnection")
	call(t, s, "POST", path, map[string]any{"externalId": "x", "primaryConnection": map[string]any{"credentials": map[string]any{}}}).
		expectError(t, http.StatusBadRequest, "primaryConnection.name", "primaryConnection.variables")
	// Nothing was created by the failed requests.
	if n := call(t, s, "GET", path, nil).obj["totalCount"]; n != 0.0 {
		t.Errorf("totalCount = %v", n)
	}
}

// External IDs may hold any character; percent-encoded they must reach the right user.
func TestExternalIDsWithSpecialCharacters(t *testing.T) {
	s := newTestServer(t)
	ids := []string{"a/b", "what?x=1", "hash#tag", "100%", "two words", "plus+sign", "ünïcødé✓", "jane@example.com", "a%2Fb"}
	for _, id := range ids {
		createUser(t, s, id)
	}
	for _, id := range ids {
		r := call(t, s, "GET", hubPath(s, "/users/"+pathEscape(id)), nil).expect(t, http.StatusOK)
		if r.obj["externalId"] != id {
			t.Errorf("GET %q reached %v", id, r.obj["externalId"])
		}
	}
	call(t, s, "DELETE", hubPath(s, "/users/"+pathEscape("a/b")), nil).expect(t, http.StatusNoContent)
	call(t, s, "GET", hubPath(s, "/users/"+pathEscape("a%2Fb")), nil).expect(t, http.StatusOK)
}

func TestListEndUsersSearch(t *testing.T) {
	s := newTestServer(t)
	createUser(t, s, "alpha")
	createUser(t, s, "beta")
	b := call(t, s, "POST", hubPath(s, "/users"), map[string]any{"externalId": "gamma", "displayName": "Beta Tester", "primaryConnection": apiKeyConnection("g", "s")}).obj
	r := call(t, s, "GET", hubPath(s, "/users?search=BETA"), nil).expect(t, http.StatusOK).obj
	if r["totalCount"] != 2.0 {
		t.Fatalf("search BETA = %v", r)
	}
	if _, has := obj(dig(r, "users", 0))["primaryConnection"]; has {
		t.Error("EndUserSummary should not carry primaryConnection")
	}
	id := str(b["id"])
	r = call(t, s, "GET", hubPath(s, "/users?search="+strings.ToLower(id[10:])), nil).obj
	if r["totalCount"] != 1.0 || dig(r, "users", 0, "externalId") != "gamma" {
		t.Errorf("search by id = %v", r)
	}
}

func TestDeleteEndUserDeletesConnectionsAndActivations(t *testing.T) {
	s := newTestServer(t)
	u := createUser(t, s, "u1")
	a := activateSlack(t, s, "u1").expect(t, http.StatusOK).obj
	call(t, s, "DELETE", hubPath(s, "/users/u1"), nil).expect(t, http.StatusNoContent)
	call(t, s, "GET", "/activations/"+str(a["id"]), nil).expectError(t, http.StatusNotFound)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.st.connections {
		if c.userID == str(u["id"]) {
			t.Errorf("connection %s survived its user", c.id)
		}
	}
}
