package versoritest

import (
	"net/http"
	"testing"
)

func TestPlatformConnectionTemplates(t *testing.T) {
	s, sp := newPlatformServer(t)
	base := org(s, "/projects/"+sp.ProjectID+"/connection-templates")
	acme := seededTemplate(t, s, "acme")

	list := pcall(t, s, "GET", base+"?env_id="+sp.EnvironmentID, nil).expect(t, http.StatusOK).obj
	if list["totalCount"] != 6.0 {
		t.Fatalf("templates = %v", list)
	}
	first := obj(dig(list, "items", 0))
	// id is the system's ID; connectionTemplateId the template's.
	if first["id"] != acme.SystemID || first["connectionTemplateId"] != acme.ID || first["name"] != "acme" || first["dynamic"] != true ||
		first["domain"] != "acme.example" || len(arr(first["authSchemeConfigs"])) != 1 {
		t.Errorf("first template = %v", first)
	}

	// LinkSystem: environmentId is required (the spec's required list says "environment").
	link := map[string]any{"systemId": acme.SystemID, "name": "acme-static", "environmentId": sp.EnvironmentID}
	created := pcall(t, s, "POST", base, link).expect(t, http.StatusOK).obj
	if created["dynamic"] != false || created["id"] != acme.SystemID || created["connectionTemplateId"] == acme.ID {
		t.Errorf("created = %v", created)
	}
	pcall(t, s, "POST", base, link).expectError(t, http.StatusConflict)
	pcall(t, s, "POST", base, map[string]any{"systemId": zeroID, "name": "x", "environment": sp.EnvironmentID}).
		expectError(t, http.StatusBadRequest, "systemId", "environmentId")
	pcall(t, s, "POST", base, map[string]any{"systemId": acme.SystemID, "name": "", "environmentId": zeroID, "dynamic": "yes"}).
		expectError(t, http.StatusBadRequest, "name", "environmentId", "dynamic")
	pcall(t, s, "POST", org(s, "/projects/"+zeroID+"/connection-templates"), link).expectError(t, http.StatusNotFound)

	// Pages, with no declared cursor parameters.
	p1 := pcall(t, s, "GET", base+"?first=4", nil).obj
	p2 := pcall(t, s, "GET", base+"?first=4&after="+str(p1["next"]), nil).obj
	if len(arr(p1["items"])) != 4 || len(arr(p2["items"])) != 3 || str(p2["next"]) != "" || str(p2["prev"]) == "" {
		t.Errorf("pages: %v / %v", p1, p2)
	}
	pcall(t, s, "GET", base+"?env_id="+zeroID, nil).expectError(t, http.StatusBadRequest, "env_id")

	// Update: only what the body sets; auth scheme config IDs must be the system's.
	path := base + "/" + str(created["connectionTemplateId"])
	u := pcall(t, s, "PUT", path, map[string]any{"dynamic": true, "authSchemeConfigIds": []any{"acme-api-key"}}).expect(t, http.StatusOK).obj
	if u["name"] != "acme-static" || u["dynamic"] != true || dig(u, "authSchemeConfigs", 0, "apiKey", "id") != "acme-api-key" {
		t.Errorf("updated = %v", u)
	}
	pcall(t, s, "PUT", path, map[string]any{"authSchemeConfigIds": []any{"nope"}}).expectError(t, http.StatusBadRequest, "authSchemeConfigIds[0]")
	pcall(t, s, "PUT", path, map[string]any{"name": "acme"}).expectError(t, http.StatusConflict)
	pcall(t, s, "PUT", path, map[string]any{"name": ""}).expectError(t, http.StatusBadRequest, "name")
	pcall(t, s, "PUT", path, map[string]any{"name": " \t"}).expectError(t, http.StatusBadRequest, "name") // blank, refused as on create
	pcall(t, s, "PUT", base+"/"+zeroID, map[string]any{}).expectError(t, http.StatusNotFound)

	pcall(t, s, "DELETE", path, nil).expect(t, http.StatusNoContent)
	pcall(t, s, "DELETE", path, nil).expectError(t, http.StatusNotFound)
	if n := pcall(t, s, "GET", base, nil).obj["totalCount"]; n != 6.0 {
		t.Errorf("after delete: %v templates", n)
	}
}

// Deleting a template leaves end users' connections but forgets it in activations and
// unlinks static connections.
func TestPlatformDeleteTemplateInUse(t *testing.T) {
	s, sp := newPlatformServer(t)
	a := activatePUser(t, s, "u1")
	acme, slack := seededTemplate(t, s, "acme"), seededTemplate(t, s, "slack")
	base := org(s, "/projects/"+sp.ProjectID+"/connection-templates/")
	pcall(t, s, "DELETE", base+acme.ID, nil).expect(t, http.StatusNoContent)
	pcall(t, s, "DELETE", base+slack.ID, nil).expect(t, http.StatusNoContent)
	got := pcall(t, s, "GET", envPath(s, "/activations/"+str(a["id"])), nil).obj
	if len(arr(got["connections"])) != 4 {
		t.Errorf("activation keeps %d connections", len(arr(got["connections"])))
	}
	if n := pcall(t, s, "GET", org(s, "/projects/"+sp.ProjectID+"/connections"), nil).obj["totalCount"]; n != 0.0 {
		t.Errorf("static connections still linked: %v", n)
	}
	pcall(t, s, "GET", org(s, "/connections/"+sp.StaticConnectionID), nil).expect(t, http.StatusOK)
	// The acme connection is no longer used by the activation, so it can be deleted.
	conns := pcall(t, s, "GET", org(s, "/connections?system_id="+acme.SystemID), nil).obj
	pcall(t, s, "DELETE", org(s, "/connections/"+str(dig(conns, "items", 0, "id"))), nil).expect(t, http.StatusNoContent)
}
