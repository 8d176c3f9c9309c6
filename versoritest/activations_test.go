package versoritest

import (
	"net/http"
	"testing"
)

// slackConnection is an ActivationConnectionCreateNew for the seeded Slack template.
func slackConnection(s *Server) map[string]any {
	c := apiKeyConnection("slack", "xoxb-secret")
	c["templateId"] = s.Seeded().Integrations[1].Templates[1].ID
	return c
}

func activateSlack(t *testing.T, s *Server, userID string) resp {
	t.Helper()
	return call(t, s, "POST", "/activations", map[string]any{
		"userId": userID, "integrationId": s.Seeded().Integrations[1].ID, "variables": []any{},
		"connections": []any{slackConnection(s)}, "dynamicVariables": map[string]any{"channel": "#alerts"},
	})
}

func TestActivateIntegration(t *testing.T) {
	s, sd := newSeededServer(t)
	u := createUser(t, s, "u1")
	a := activateSlack(t, s, "u1").expect(t, http.StatusOK).obj
	if dig(a, "user", "id") != u["id"] || a["hubId"] != sd.HubID || dig(a, "integration", "id") != sd.Integrations[1].ID || dig(a, "integration", "isActivated") != true {
		t.Fatalf("Activation = %v", a)
	}
	id := str(a["id"])
	if g := call(t, s, "GET", "/activations/"+id, nil).expect(t, http.StatusOK).obj; g["id"] != id {
		t.Errorf("GetActivation = %v", g)
	}
	activateSlack(t, s, "u1").expectError(t, http.StatusConflict)

	// The new Slack connection now exists for the user.
	conns := call(t, s, "GET", hubPath(s, "/users/u1/connections?hub_connector_id="+sd.Integrations[1].Templates[1].ID), nil).obj
	if conns["totalCount"] != 1.0 {
		t.Errorf("slack connections = %v", conns)
	}

	call(t, s, "DELETE", "/activations/"+id, nil).expect(t, http.StatusNoContent)
	call(t, s, "GET", "/activations/"+id, nil).expectError(t, http.StatusNotFound)
	call(t, s, "DELETE", "/activations/"+id, nil).expectError(t, http.StatusNotFound)
	// Internal user IDs work too.
	activateSlack(t, s, str(u["id"])).expect(t, http.StatusOK)
}

func TestActivationRules(t *testing.T) {
	s, sd := newSeededServer(t)
	u := createUser(t, s, "u1")
	createUser(t, s, "u2")
	shopify := sd.Integrations[0]
	// An existing connection of u1 to Shopify, and one of u2.
	shopConn := func(user string) string {
		c := apiKeyConnection("shop", "shpat")
		return str(call(t, s, "POST", hubPath(s, "/users/"+user+"/connections"), map[string]any{"connectorId": shopify.Templates[1].ConnectorID, "connection": c}).expect(t, http.StatusCreated).obj["id"])
	}
	mine, theirs := shopConn("u1"), shopConn("u2")
	body := func(user, integration string, conns ...any) map[string]any {
		if conns == nil {
			conns = []any{}
		}
		return map[string]any{"userId": user, "integrationId": integration, "connections": conns, "variables": []any{}}
	}
	without := func(key string, m map[string]any) map[string]any {
		delete(m, key)
		return m
	}
	with := func(key string, v any, m map[string]any) map[string]any {
		m[key] = v
		return m
	}
	existing := func(template, conn string) map[string]any {
		return map[string]any{"templateId": template, "connectionId": conn}
	}
	newShop := func() map[string]any {
		c := apiKeyConnection("shop-new", "shpat")
		c["templateId"] = shopify.Templates[1].ID
		return c
	}
	tests := []struct {
		name   string
		body   map[string]any
		status int
		fields []string
	}{
		{"unknown integration", body("u1", "01HZY0000000000000000000NO"), 400, []string{"integrationId"}},
		{"not deployed", body("u1", sd.Integrations[2].ID), 400, []string{"integrationId"}},
		{"unknown user", body("nobody", shopify.ID), 400, []string{"userId"}},
		{"missing template connection", body("u1", shopify.ID), 400, []string{"connections"}},
		{"template of another integration", body("u1", shopify.ID, existing(sd.Integrations[1].Templates[1].ID, mine)), 400, []string{"connections[0].templateId"}},
		{"someone else's connection", body("u1", shopify.ID, existing(shopify.Templates[1].ID, theirs)), 400, []string{"connections[0].connectionId"}},
		{"connection to another connector", body("u1", shopify.ID, existing(shopify.Templates[1].ID, str(dig(u, "primaryConnection", "id")))), 400, []string{"connections[0].connectionId"}},
		{"bad new connection", body("u1", shopify.ID, map[string]any{"templateId": shopify.Templates[1].ID, "credentials": map[string]any{}}), 400, []string{"connections[0].name", "connections[0].variables"}},
		{"missing connections", without("connections", body("u1", shopify.ID)), 400, []string{"connections"}},
		// The spec's ActivationCreate lists variables as required (see versori/README.md).
		{"missing variables", without("variables", body("u1", shopify.ID, existing(shopify.Templates[1].ID, mine))), 400, []string{"variables"}},
		{"variables not an array", with("variables", map[string]any{}, body("u1", shopify.ID, existing(shopify.Templates[1].ID, mine))), 400, []string{"variables"}},
		// An entry is ActivationConnectionCreateExisting or ...New (a oneOf), never both.
		{"existing and new at once", body("u1", shopify.ID, with("connectionId", mine, newShop())), 400, []string{"connections[0].connectionId"}},
		{"template bound twice", body("u1", shopify.ID, existing(shopify.Templates[1].ID, mine), newShop()), 400, []string{"connections[1].templateId"}},
		{"existing connection", body("u1", shopify.ID, existing(shopify.Templates[1].ID, mine)), 200, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, s, "POST", "/activations", tt.body)
			if tt.status == 200 {
				r.expect(t, 200)
				return
			}
			r.expectError(t, tt.status, tt.fields...)
		})
	}
}

func TestListEndUserActivations(t *testing.T) {
	s, sd := newSeededServer(t)
	u := createUser(t, s, "u1")
	activateSlack(t, s, "u1").expect(t, http.StatusOK)
	c := apiKeyConnection("shop", "x")
	c["templateId"] = sd.Integrations[0].Templates[1].ID
	call(t, s, "POST", "/activations", map[string]any{"userId": "u1", "integrationId": sd.Integrations[0].ID, "connections": []any{c}, "variables": []any{}}).expect(t, http.StatusOK)

	base := "/embed/" + sd.HubID + "/users/"
	r := call(t, s, "GET", base+"u1/activations", nil).expect(t, http.StatusOK).obj
	if r["totalCount"] != 2.0 || dig(r, "activations", 0, "hubId") != sd.HubID || dig(r, "activations", 0, "integration", "isActivated") != true {
		t.Fatalf("ListEndUserActivations = %v", r)
	}
	r = call(t, s, "GET", base+"u1/activations?integration_id="+sd.Integrations[0].ID, nil).obj
	if r["totalCount"] != 1.0 || dig(r, "activations", 0, "integration", "id") != sd.Integrations[0].ID {
		t.Errorf("filtered = %v", r)
	}
	r = call(t, s, "GET", base+str(u["id"])+"/activations?identifier_type=internal", nil).expect(t, http.StatusOK).obj
	if r["totalCount"] != 2.0 {
		t.Errorf("internal = %v", r)
	}
	call(t, s, "GET", base+"u1/activations?integration_id=bad", nil).expectError(t, http.StatusBadRequest, "integration_id")
	call(t, s, "GET", base+"ghost/activations", nil).expectError(t, http.StatusNotFound)
}

func TestDynamicVariables(t *testing.T) {
	s, sd := newSeededServer(t)
	u := createUser(t, s, "u1")
	a := activateSlack(t, s, "u1").expect(t, http.StatusOK).obj
	path := "/integrations/" + sd.Integrations[1].ID + "/users/u1/variables"
	if r := call(t, s, "GET", path, nil).expect(t, http.StatusOK).obj; r["channel"] != "#alerts" {
		t.Errorf("initial variables = %v", r)
	}
	r := call(t, s, "PUT", "/activations/"+str(a["id"])+"/variables", map[string]any{"dynamicVariables": map[string]any{"n": 1}}).expect(t, http.StatusOK)
	if dig(r.obj, "dynamicVariables", "n") != 1.0 {
		t.Errorf("UpdateDynamicVariables = %s", r.raw)
	}
	// Replaced, not merged.
	if g := call(t, s, "GET", path, nil).obj; g["channel"] != nil || g["n"] != 1.0 {
		t.Errorf("after update = %v", g)
	}
	call(t, s, "PUT", path, map[string]any{"k": "v"}).expect(t, http.StatusNoContent)
	internal := "/integrations/" + sd.Integrations[1].ID + "/users/" + str(u["id"]) + "/variables?identifier_type=internal"
	if g := call(t, s, "GET", internal, nil).obj; g["k"] != "v" || len(g) != 1 {
		t.Errorf("after internal update = %v", g)
	}
	call(t, s, "PUT", "/activations/"+str(a["id"])+"/variables", map[string]any{"dynamicVariables": "x"}).expectError(t, http.StatusBadRequest, "dynamicVariables")
	call(t, s, "PUT", "/activations/01HZY0000000000000000000NO/variables", map[string]any{}).expectError(t, http.StatusNotFound)
	call(t, s, "GET", "/integrations/"+sd.Integrations[0].ID+"/users/u1/variables", nil).expectError(t, http.StatusNotFound)
}
