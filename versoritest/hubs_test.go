package versoritest

import (
	"net/http"
	"testing"
)

func newHubBody(s *Server, name string) map[string]any {
	return map[string]any{
		"organisationId": s.Seeded().OrganisationID, "name": name, "primaryConnectorId": "01HZY00000000000000000CXNN",
		"authSchemeConfig": map[string]any{"id": "01HZY0000000000000000000AB", "description": "", "schemeType": "basic-auth"},
	}
}

func TestHubs(t *testing.T) {
	s, sd := newSeededServer(t)
	list := call(t, s, "GET", "/o/"+sd.OrganisationID+"/hubs", nil).expect(t, http.StatusOK).obj
	if list["totalCount"] != 1.0 || dig(list, "hubs", 0, "id") != sd.HubID || dig(list, "hubs", 0, "isDefault") != true {
		t.Fatalf("ListHubs = %v", list)
	}
	if dig(list, "hubs", 0, "primaryConnector", "name") != "Acme CRM" || dig(list, "hubs", 0, "primaryConnector", "authSchemeConfig", "name") != "X-API-Key" {
		t.Errorf("primaryConnector = %v", dig(list, "hubs", 0, "primaryConnector"))
	}
	call(t, s, "GET", "/o/01HZY00000000000000000NORG/hubs", nil).expectError(t, http.StatusNotFound)

	h := call(t, s, "POST", "/hubs", newHubBody(s, "Second")).expect(t, http.StatusCreated).obj
	id := str(h["id"])
	if h["isDefault"] != false || dig(h, "primaryConnector", "name") != "Connector 01HZY00000000000000000CXNN" {
		t.Errorf("CreateHub = %v", h)
	}
	if v := dig(h, "primaryConnector", "variables"); v == nil {
		t.Error("primaryConnector.variables missing")
	}

	// isDefault true moves the default to this hub.
	call(t, s, "PATCH", "/hubs/"+id, map[string]any{"isDefault": true}).expect(t, http.StatusOK)
	if call(t, s, "GET", hubPath(s, ""), nil).obj["isDefault"] != false {
		t.Error("old default hub still default")
	}
	u := call(t, s, "PATCH", "/hubs/"+id, map[string]any{"name": "Renamed"}).expect(t, http.StatusOK).obj
	if u["name"] != "Renamed" || u["isDefault"] != true {
		t.Errorf("UpdateHubDetails = %v", u)
	}
	call(t, s, "PATCH", "/hubs/"+id, map[string]any{"name": 3}).expectError(t, http.StatusBadRequest, "name")
	// A blank name is refused on update as on create.
	call(t, s, "PATCH", "/hubs/"+id, map[string]any{"name": "  "}).expectError(t, http.StatusBadRequest, "name")

	// Soft delete: hub endpoints 404 and the list omits it, but its users keep working.
	call(t, s, "POST", "/hubs/"+id+"/users", map[string]any{"externalId": "x", "primaryConnection": apiKeyConnection("x", "s")}).expect(t, http.StatusCreated)
	call(t, s, "DELETE", "/hubs/"+id, nil).expect(t, http.StatusNoContent)
	call(t, s, "GET", "/hubs/"+id, nil).expectError(t, http.StatusNotFound)
	call(t, s, "DELETE", "/hubs/"+id, nil).expectError(t, http.StatusNotFound)
	if n := call(t, s, "GET", "/o/"+sd.OrganisationID+"/hubs", nil).obj["totalCount"]; n != 1.0 {
		t.Errorf("totalCount after delete = %v", n)
	}
	call(t, s, "GET", "/hubs/"+id+"/users/x", nil).expect(t, http.StatusOK)
	// Nothing new goes into a deleted hub: only reads by ID go on working.
	call(t, s, "POST", "/hubs/"+id+"/users", map[string]any{"externalId": "y", "primaryConnection": apiKeyConnection("y", "s")}).expectError(t, http.StatusNotFound)
	call(t, s, "POST", "/hubs/"+id+"/integrations", map[string]any{"organisationId": sd.OrganisationID, "name": "late"}).expectError(t, http.StatusNotFound)
}

func TestCreateHubValidation(t *testing.T) {
	s := newTestServer(t)
	body := map[string]any{
		"organisationId": "01HZY00000000000000000NORG", "name": "",
		"authSchemeConfig": map[string]any{"id": "nope", "schemeType": "api-key", "in": "body"},
	}
	call(t, s, "POST", "/hubs", body).expectError(t, http.StatusBadRequest,
		"organisationId", "name", "primaryConnectorId", "authSchemeConfig.id",
		"authSchemeConfig.description", "authSchemeConfig.name", "authSchemeConfig.in")
	// A well-formed ID of another organisation is refused too.
	other := newHubBody(s, "Other")
	other["organisationId"] = "01HZY0000000000000000000XX"
	call(t, s, "POST", "/hubs", other).expectError(t, http.StatusBadRequest, "organisationId")
}

func TestFirstHubIsDefault(t *testing.T) {
	s := newTestServer(t, WithoutSeed())
	if s.Seeded().OrganisationID == "" || s.Seeded().HubID != "" {
		t.Fatalf("Seeded = %+v", s.Seeded())
	}
	h := call(t, s, "POST", "/hubs", newHubBody(s, "Only")).expect(t, http.StatusCreated).obj
	if h["isDefault"] != true {
		t.Error("first hub of an organisation should be its default")
	}
}
