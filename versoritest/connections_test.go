package versoritest

import (
	"net/http"
	"testing"
)

func TestEndUserConnections(t *testing.T) {
	s, sd := newSeededServer(t)
	createUser(t, s, "u1")
	base := hubPath(s, "/users/u1/connections")
	shopify := sd.Integrations[0].Templates[1]
	slack := sd.Integrations[1].Templates[1]
	create := func(connector, name string) map[string]any {
		return call(t, s, "POST", base, map[string]any{"connectorId": connector, "connection": apiKeyConnection(name, "x")}).expect(t, http.StatusCreated).obj
	}
	c1 := create(shopify.ConnectorID, "shop-1")
	create(slack.ConnectorID, "slack-1")
	c3 := create(shopify.ConnectorID, "shop-2")
	if c1["createdAt"] == nil || dig(c1, "credentials", "trigger") == nil || c1["variables"] == nil {
		t.Errorf("Connection = %v", c1)
	}

	call(t, s, "POST", base, map[string]any{"connectorId": "01HZY0000000000000000000ZZ", "connection": apiKeyConnection("x", "x")}).
		expectError(t, http.StatusBadRequest, "connectorId")
	call(t, s, "POST", base, map[string]any{"connectorId": shopify.ConnectorID}).expectError(t, http.StatusBadRequest, "connection")
	call(t, s, "POST", hubPath(s, "/users/ghost/connections"), map[string]any{"connectorId": shopify.ConnectorID, "connection": apiKeyConnection("x", "x")}).
		expectError(t, http.StatusNotFound)

	count := func(query string) float64 {
		t.Helper()
		r := call(t, s, "GET", base+query, nil).expect(t, http.StatusOK).obj
		return r["totalCount"].(float64)
	}
	if n := count(""); n != 4 { // the primary connection too
		t.Errorf("all = %v", n)
	}
	if n := count("?hub_connector_id=" + shopify.ConnectorID); n != 2 {
		t.Errorf("by connector = %v", n)
	}
	if n := count("?hub_connector_id=" + slack.ID); n != 1 {
		t.Errorf("by template = %v", n)
	}
	if n := count("?hub_connector_id=" + slack.ID + "," + sd.PrimaryConnectorID); n != 2 {
		t.Errorf("comma-joined = %v", n)
	}

	// GetEndUserConnection: the most recent connection for the template's connector.
	g := call(t, s, "GET", "/connection-templates/"+shopify.ID+"/users/u1", nil).expect(t, http.StatusOK).obj
	if g["id"] != c3["id"] {
		t.Errorf("GetEndUserConnection = %v, want %v", g["id"], c3["id"])
	}
	u := call(t, s, "GET", hubPath(s, "/users/u1"), nil).obj
	g = call(t, s, "GET", "/connection-templates/"+shopify.ID+"/users/"+str(u["id"])+"?identifier_type=internal", nil).expect(t, http.StatusOK).obj
	if g["id"] != c3["id"] {
		t.Error("identifier_type=internal did not find the user by internal ID")
	}
	// user_id is an external ID unless identifier_type says otherwise, even where another
	// user's external ID is this user's internal ID.
	call(t, s, "GET", "/connection-templates/"+shopify.ID+"/users/"+str(u["id"]), nil).expectError(t, http.StatusNotFound)
	twin := createUser(t, s, str(u["id"]))
	g = call(t, s, "GET", "/connection-templates/"+sd.Integrations[0].Templates[0].ID+"/users/"+str(u["id"])+"?identifier_type=internal", nil).expect(t, http.StatusOK).obj
	if g["id"] != dig(u, "primaryConnection", "id") {
		t.Errorf("identifier_type=internal reached %v, want u1's primary connection (not %v's)", g["id"], twin["id"])
	}
	call(t, s, "GET", "/connection-templates/"+shopify.ID+"/users/u1?identifier_type=email", nil).expectError(t, http.StatusBadRequest, "identifier_type")
	call(t, s, "GET", "/connection-templates/"+sd.Integrations[2].Templates[0].ID+"/users/ghost", nil).expectError(t, http.StatusNotFound)
	call(t, s, "GET", "/connection-templates/01HZY0000000000000000000ZZ/users/u1", nil).expectError(t, http.StatusNotFound)
	createUser(t, s, "u2")
	call(t, s, "GET", "/connection-templates/"+shopify.ID+"/users/u2", nil).expectError(t, http.StatusNotFound)
}
