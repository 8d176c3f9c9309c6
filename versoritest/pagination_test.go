package versoritest

import (
	"net/http"
	"net/url"
	"testing"
)

func TestCursorPaginationWalk(t *testing.T) {
	s := newTestServer(t)
	var want []string
	for i := range 23 {
		want = append(want, str(createUser(t, s, "user-"+itoa(i))["id"]))
	}
	base := hubPath(s, "/users?first=5")
	var got []string
	var prevs []string
	q := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("did not terminate")
		}
		r := call(t, s, "GET", base+q, nil).expect(t, http.StatusOK).obj
		if r["totalCount"] != 23.0 {
			t.Fatalf("totalCount = %v", r["totalCount"])
		}
		for _, u := range arr(r["users"]) {
			got = append(got, str(obj(u)["id"]))
		}
		if (pages == 0) != (r["prev"] == nil) {
			t.Errorf("page %d: prev = %v", pages, r["prev"])
		}
		if r["prev"] != nil {
			prevs = append(prevs, str(r["prev"]))
		}
		next, ok := r["next"].(string)
		if !ok {
			break
		}
		q = "&after=" + url.QueryEscape(next)
	}
	if len(got) != len(want) {
		t.Fatalf("walked %d users, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order differs at %d", i)
		}
	}
	// prev of the last page (items 20..22) gives the page before it: items 15..19.
	r := call(t, s, "GET", base+"&before="+url.QueryEscape(prevs[len(prevs)-1]), nil).expect(t, http.StatusOK).obj
	users := arr(r["users"])
	if len(users) != 5 || obj(users[0])["id"] != want[15] || obj(users[4])["id"] != want[19] {
		t.Errorf("prev page = %v", r)
	}
	if r["next"] == nil || r["prev"] == nil {
		t.Errorf("middle page cursors = %v / %v", r["next"], r["prev"])
	}
}

func TestPaginationParameterErrors(t *testing.T) {
	s := newTestServer(t)
	base := hubPath(s, "/users")
	for _, q := range []string{"first=-1", "first=x", "first=1.5", "first=99999999999999999999"} {
		call(t, s, "GET", base+"?"+q, nil).expectError(t, http.StatusBadRequest, "first")
	}
	call(t, s, "GET", base+"?first=100", nil).expect(t, http.StatusOK)
	call(t, s, "GET", base+"?after=!!!", nil).expectError(t, http.StatusBadRequest, "after")
	call(t, s, "GET", base+"?before="+encodeCursor("not-an-id"), nil).expectError(t, http.StatusBadRequest, "before")
	// Every cursor-paged list validates its cursor.
	sd := s.Seeded()
	createUser(t, s, "pg")
	for _, p := range []string{
		hubPath(s, "/users/pg/connections"), "/integrations/" + sd.Integrations[0].ID + "/connection-templates",
		"/embed/" + sd.HubID + "/users/pg/activations", "/embed/" + sd.HubID + "/users/pg/integrations",
	} {
		call(t, s, "GET", p+"?after=***", nil).expectError(t, http.StatusBadRequest, "after")
	}
}

func TestListIntegrationsPagesByID(t *testing.T) {
	s, sd := newSeededServer(t)
	path := hubPath(s, "/integrations")
	r := call(t, s, "GET", path+"?first=2", nil).expect(t, http.StatusOK).obj
	if r["total"] != 3.0 || len(arr(r["integrations"])) != 2 {
		t.Fatalf("first page = %v", r)
	}
	last := str(dig(r, "integrations", 1, "id"))
	r = call(t, s, "GET", path+"?first=2&after="+last, nil).expect(t, http.StatusOK).obj
	if r["total"] != 3.0 || len(arr(r["integrations"])) != 1 || dig(r, "integrations", 0, "id") != sd.Integrations[2].ID {
		t.Errorf("second page = %v", r)
	}
	r = call(t, s, "GET", path+"?before="+sd.Integrations[2].ID, nil).obj
	if len(arr(r["integrations"])) != 2 {
		t.Errorf("before = %v", r)
	}
	call(t, s, "GET", path+"?after=zzz", nil).expectError(t, http.StatusBadRequest, "after")
}

// TestFirstHasNoMaximum: the spec gives first no maximum, so any page size is served whole;
// 0, like an absent first, is the default page of 20.
func TestFirstHasNoMaximum(t *testing.T) {
	s := newTestServer(t)
	base := hubPath(s, "/users")
	for i := range 120 {
		call(t, s, "POST", base, map[string]any{"externalId": "big-" + itoa(i), "primaryConnection": apiKeyConnection("c", "s")}).expect(t, http.StatusCreated)
	}
	for q, want := range map[string]int{"first=101": 101, "first=1000": 120, "first=9223372036854775807": 120, "first=0": 20, "": 20} {
		r := call(t, s, "GET", base+"?"+q, nil).expect(t, http.StatusOK).obj
		if n := len(arr(r["users"])); n != want {
			t.Errorf("%s: %d users, want %d", q, n, want)
		}
		if _, more := r["next"]; more != (want < 120) {
			t.Errorf("%s: next = %v", q, r["next"])
		}
	}
	// ListIntegrations pages by ID but shares the rule.
	call(t, s, "GET", hubPath(s, "/integrations?first=500"), nil).expect(t, http.StatusOK)
}
