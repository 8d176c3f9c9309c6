package versoritest

import (
	"net/http"
	"strings"
	"testing"
)

// Activation needs a connection for every dynamic template of the environment: given
// inline, by existingConnectionId, or made before.
func TestPlatformActivationNeedsEveryDynamicTemplate(t *testing.T) {
	s, sp := newPlatformServer(t)
	u := createPUser(t, s, "u1")
	acme, zendesk := seededTemplate(t, s, "acme"), seededTemplate(t, s, "zendesk")
	activate := func(conns ...any) resp {
		t.Helper()
		if conns == nil {
			conns = []any{}
		}
		return pcall(t, s, "POST", org(s, "/activations"), map[string]any{"userId": "u1", "environmentId": sp.EnvironmentID, "connections": conns})
	}

	// With nothing, the 400 names each missing template.
	r := activate()
	r.expectError(t, http.StatusBadRequest, "connections")
	for _, tm := range sp.Templates {
		if mentions := strings.Contains(string(r.raw), tm.ID); mentions != tm.Dynamic {
			t.Errorf("error mentions %s (%s): %v, want %v", tm.Name, tm.ID, mentions, tm.Dynamic)
		}
	}

	// Acme made before, Zendesk inline, the rest by existingConnectionId.
	pcall(t, s, "POST", org(s, "/connections"), map[string]any{"connectionTemplateId": acme.ID, "externalId": "u1", "connection": connectionFor(s, acme, "k")}).expect(t, http.StatusCreated)
	var entries []any
	entries = append(entries, map[string]any{"connectionTemplateId": zendesk.ID, "connection": connectionFor(s, zendesk, "pw")})
	var missing string
	for _, tm := range sp.Templates {
		if !tm.Dynamic || tm.Name == "acme" || tm.Name == "zendesk" {
			continue
		}
		if tm.Name == "trello" {
			missing = tm.ID // left out for now
			continue
		}
		c := pcall(t, s, "POST", org(s, "/connections"), map[string]any{"connectionTemplateId": tm.ID, "externalId": "u1", "connection": connectionFor(s, tm, "s")}).expect(t, http.StatusCreated).obj
		entries = append(entries, map[string]any{"connectionTemplateId": tm.ID, "existingConnectionId": c["id"]})
	}
	r = activate(entries...)
	r.expectError(t, http.StatusBadRequest, "connections")
	if !strings.Contains(string(r.raw), missing) || strings.Contains(string(r.raw), acme.ID) {
		t.Errorf("error should name only trello: %s", r.raw)
	}
	// The failed attempt created nothing: Zendesk's inline connection was not stored.
	if n := pcall(t, s, "GET", org(s, "/connections?end_user_id="+str(u["id"])), nil).obj["totalCount"]; n != 3.0 {
		t.Errorf("%v connections after the failed activation, want 3", n)
	}
	trello := seededTemplate(t, s, "trello")
	entries = append(entries, map[string]any{"connectionTemplateId": trello.ID, "connection": connectionFor(s, trello, "v")})
	a := activate(entries...).expect(t, http.StatusOK).obj
	if dig(a, "user", "externalId") != "u1" || dig(a, "environment", "id") != sp.EnvironmentID || len(arr(a["connections"])) != 5 {
		t.Fatalf("Activation = %v", a)
	}
	if obj(a["dynamicVariables"]) == nil {
		t.Error("dynamicVariables missing")
	}
	// One activation per user and environment.
	activate().expectError(t, http.StatusConflict)
}

func TestPlatformActivationValidation(t *testing.T) {
	s, sp := newPlatformServer(t)
	u := createPUser(t, s, "u1")
	createPUser(t, s, "u2")
	connectAll(t, s, "Bearer "+s.APIKey, "u1")
	connectAll(t, s, "Bearer "+s.APIKey, "u2")
	acme, slack := seededTemplate(t, s, "acme"), seededTemplate(t, s, "slack")
	u2Conns := pcall(t, s, "GET", org(s, "/connections?end_user_id="+str(pcall(t, s, "GET", org(s, "/users/u2"), nil).obj["id"])+"&system_id="+acme.SystemID), nil).obj
	body := func(mod func(map[string]any)) map[string]any {
		b := map[string]any{"userId": "u1", "environmentId": sp.EnvironmentID, "connections": []any{}}
		mod(b)
		return b
	}
	cases := []struct {
		name   string
		body   map[string]any
		fields []string
	}{
		{"unknown user", body(func(b map[string]any) { b["userId"] = "ghost" }), []string{"userId"}},
		{"unknown environment", body(func(b map[string]any) { b["environmentId"] = zeroID }), []string{"environmentId"}},
		{"missing fields", map[string]any{}, []string{"userId", "environmentId", "connections"}},
		{"static template", body(func(b map[string]any) {
			b["connections"] = []any{map[string]any{"connectionTemplateId": slack.ID}}
		}), []string{"connections[0].connectionTemplateId"}},
		{"another user's connection", body(func(b map[string]any) {
			b["connections"] = []any{map[string]any{"connectionTemplateId": acme.ID, "existingConnectionId": dig(u2Conns, "items", 0, "id")}}
		}), []string{"connections[0].existingConnectionId"}},
		{"template twice", body(func(b map[string]any) {
			b["connections"] = []any{map[string]any{"connectionTemplateId": acme.ID}, map[string]any{"connectionTemplateId": acme.ID}}
		}), []string{"connections[1].connectionTemplateId"}},
		{"variables against the schema", body(func(b map[string]any) {
			b["dynamicVariables"] = map[string]any{"syncIntervalMinutes": 1, "region": "mars", "colour": "blue", "notifyEmail": 5}
		}), []string{"dynamicVariables.syncIntervalMinutes", "dynamicVariables.region", "dynamicVariables.colour", "dynamicVariables.notifyEmail"}},
		{"bad inline connection", body(func(b map[string]any) {
			b["connections"] = []any{map[string]any{"connectionTemplateId": acme.ID, "connection": map[string]any{"name": "x", "credentials": []any{connCred(nil, newCred("string", map[string]any{}))}}}}
		}), []string{"connections[0].connection.credentials[0].credential.data.string"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pcall(t, s, "POST", org(s, "/activations"), tc.body).expectError(t, http.StatusBadRequest, tc.fields...)
		})
	}
	// An inline connection for a template the user already has a connection for conflicts.
	conflictBody := body(func(b map[string]any) {
		b["connections"] = []any{map[string]any{"connectionTemplateId": acme.ID, "connection": connectionFor(s, acme, "again")}}
	})
	pcall(t, s, "POST", org(s, "/activations"), conflictBody).expectError(t, http.StatusConflict)
	// userId may be the Versori ID; existing connections are picked up.
	a := pcall(t, s, "POST", org(s, "/activations"), body(func(b map[string]any) {
		b["userId"] = u["id"]
		b["dynamicVariables"] = map[string]any{"syncIntervalMinutes": 15, "region": "eu"}
	})).expect(t, http.StatusOK).obj
	if compactJSON(a["dynamicVariables"]) != `{"region":"eu","syncIntervalMinutes":15}` {
		t.Errorf("dynamicVariables = %v", a["dynamicVariables"])
	}
}

func TestPlatformActivationReads(t *testing.T) {
	s, sp := newPlatformServer(t)
	a1 := activatePUser(t, s, "u1")
	a2 := activatePUser(t, s, "u2")

	list := pcall(t, s, "GET", envPath(s, "/activations"), nil).expect(t, http.StatusOK).list()
	if len(list) != 2 || dig(list[0], "id") != a1["id"] || dig(list[1], "id") != a2["id"] {
		t.Errorf("ListActivations = %v", list)
	}
	pcall(t, s, "GET", envPath(s, "/activations?static=true"), nil).expect(t, http.StatusOK)
	pcall(t, s, "GET", envPath(s, "/activations?static=maybe"), nil).expectError(t, http.StatusBadRequest, "static")
	pcall(t, s, "GET", org(s, "/environments/"+zeroID+"/activations"), nil).expectError(t, http.StatusNotFound)

	// Note the singular /environment/ and the external ID.
	mine := pcall(t, s, "GET", org(s, "/environment/"+sp.EnvironmentID+"/users/u1/activations"), nil).expect(t, http.StatusOK).list()
	if len(mine) != 1 || dig(mine[0], "id") != a1["id"] {
		t.Errorf("ListUserActivations = %v", mine)
	}
	pcall(t, s, "GET", org(s, "/environment/"+sp.EnvironmentID+"/users/"+str(dig(a1, "user", "id"))+"/activations"), nil).expectError(t, http.StatusNotFound)
	pcall(t, s, "GET", org(s, "/environments/"+sp.EnvironmentID+"/users/u1/activations"), nil).expectError(t, http.StatusNotFound)

	got := pcall(t, s, "GET", envPath(s, "/activations/"+str(a1["id"])), nil).expect(t, http.StatusOK).obj
	if compactJSON(got) != compactJSON(a1) {
		t.Errorf("GetActivation = %v\nActivateUser = %v", got, a1)
	}
	pcall(t, s, "GET", envPath(s, "/activations/"+zeroID), nil).expectError(t, http.StatusNotFound)
	pcall(t, s, "DELETE", envPath(s, "/activations/"+str(a1["id"])), nil).expect(t, http.StatusNoContent)
	pcall(t, s, "DELETE", envPath(s, "/activations/"+str(a1["id"])), nil).expectError(t, http.StatusNotFound)
	if mine := pcall(t, s, "GET", org(s, "/environment/"+sp.EnvironmentID+"/users/u1/activations"), nil).list(); len(mine) != 0 {
		t.Errorf("after delete = %v", mine)
	}
	// The user's connections survive the deactivation, so activating again needs none.
	pcall(t, s, "POST", org(s, "/activations"), map[string]any{"userId": "u1", "environmentId": sp.EnvironmentID, "connections": []any{}}).expect(t, http.StatusOK)
}

func TestPlatformDynamicVariables(t *testing.T) {
	s := newTestServer(t)
	a := activatePUser(t, s, "u1")
	vars := envPath(s, "/activations/"+str(a["id"])+"/variables")

	r := pcall(t, s, "PATCH", vars, map[string]any{"region": "eu", "syncIntervalMinutes": 30}).expect(t, http.StatusOK).obj
	if compactJSON(r) != `{"region":"eu","syncIntervalMinutes":30}` {
		t.Errorf("PATCH = %v", r)
	}
	// A merge: unnamed variables stay; null deletes.
	r = pcall(t, s, "PATCH", vars, map[string]any{"notifyEmail": "ops@acme.example", "region": nil}).expect(t, http.StatusOK).obj
	if compactJSON(r) != `{"notifyEmail":"ops@acme.example","syncIntervalMinutes":30}` {
		t.Errorf("second PATCH = %v", r)
	}
	pcall(t, s, "PATCH", vars, map[string]any{"syncIntervalMinutes": 2.5}).expectError(t, http.StatusBadRequest, "syncIntervalMinutes")
	pcall(t, s, "PATCH", vars, map[string]any{"unknown": true}).expectError(t, http.StatusBadRequest, "unknown")
	pcall(t, s, "PATCH", vars, "[]").expectError(t, http.StatusBadRequest)

	r = pcall(t, s, "PUT", vars+"/region", map[string]any{"value": "us"}).expect(t, http.StatusOK).obj
	if r["region"] != "us" || r["syncIntervalMinutes"] != 30.0 {
		t.Errorf("PUT = %v", r)
	}
	pcall(t, s, "PUT", vars+"/region", map[string]any{"value": nil}).expectError(t, http.StatusBadRequest, "value")
	pcall(t, s, "PUT", vars+"/region", map[string]any{}).expectError(t, http.StatusBadRequest, "value")
	pcall(t, s, "PUT", vars+"/region", map[string]any{"value": "mars"}).expectError(t, http.StatusBadRequest, "region")
	pcall(t, s, "PUT", vars+"/colour", map[string]any{"value": "blue"}).expectError(t, http.StatusBadRequest, "colour")
	got := pcall(t, s, "GET", envPath(s, "/activations/"+str(a["id"])), nil).obj
	if compactJSON(got["dynamicVariables"]) != `{"notifyEmail":"ops@acme.example","region":"us","syncIntervalMinutes":30}` {
		t.Errorf("stored = %v", got["dynamicVariables"])
	}
	pcall(t, s, "PUT", org(s, "/environments/"+s.Seeded().Platform.EnvironmentID+"/activations/"+zeroID+"/variables/region"), map[string]any{"value": "us"}).expectError(t, http.StatusNotFound)
}

func TestPlatformStaticUserVariables(t *testing.T) {
	s := newTestServer(t)
	path := envPath(s, "/variables")
	r := pcall(t, s, "PATCH", path, map[string]any{"region": "us"}).expect(t, http.StatusOK).obj
	if compactJSON(r) != `{"region":"us"}` {
		t.Errorf("first = %v", r)
	}
	r = pcall(t, s, "PATCH", path, map[string]any{"syncIntervalMinutes": 60}).expect(t, http.StatusOK).obj
	if compactJSON(r) != `{"region":"us","syncIntervalMinutes":60}` {
		t.Errorf("merged = %v", r)
	}
	pcall(t, s, "PATCH", path, map[string]any{"region": 1}).expectError(t, http.StatusBadRequest, "region")
	pcall(t, s, "PATCH", org(s, "/environments/"+zeroID+"/variables"), map[string]any{}).expectError(t, http.StatusNotFound)
}

func TestCheckSchema(t *testing.T) {
	t.Parallel()
	schema := object{
		"type":     "object",
		"required": []any{"a"},
		"properties": object{
			"a": object{"type": []any{"string", "null"}, "maxLength": 3, "pattern": "^x"},
			"b": object{"type": "array", "items": object{"type": "integer", "exclusiveMinimum": 0}, "maxItems": 2},
			"c": object{"const": "k"},
		},
		"additionalProperties": object{"type": "boolean"},
	}
	for _, tc := range []struct {
		value  object
		fields []string
	}{
		{object{"a": "xy"}, nil},
		{object{"a": nil, "b": []any{1, 2}, "c": "k", "extra": true}, nil},
		{object{}, []string{"a"}},
		{object{"a": "xyzw"}, []string{"a"}},
		{object{"a": "y"}, []string{"a"}},
		{object{"a": "x", "b": []any{0, 1, 2}}, []string{"b", "b[0]"}},
		{object{"a": "x", "c": "j", "extra": "no"}, []string{"c", "extra"}},
	} {
		var v validator
		checkSchema(&v, schema, tc.value, "")
		var got []string
		for _, e := range v.errs {
			got = append(got, e.Field)
		}
		if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
			t.Errorf("%v: errors at %v, want %v (%v)", tc.value, got, tc.fields, v.errs)
		}
	}
}
