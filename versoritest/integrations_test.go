package versoritest

import (
	"net/http"
	"testing"
)

func TestIntegrations(t *testing.T) {
	s, sd := newSeededServer(t)
	integrations := hubPath(s, "/integrations")
	body := map[string]any{
		"organisationId": sd.OrganisationID, "name": "HubSpot Sync", "description": "d",
		"variablesSchema": map[string]any{"type": "object"},
		"connectionTemplate": map[string]any{"connectorId": "01HZY00000000000000000HSPT",
			"authSchemeConfig": map[string]any{"id": "01HZY0000000000000000000AD", "description": "", "schemeType": "none"}},
	}
	in := call(t, s, "POST", integrations, body).expect(t, http.StatusOK).obj
	id := str(in["id"])
	if in["name"] != "HubSpot Sync" || !isULID(str(in["boardId"])) || dig(in, "variablesSchema", "type") != "object" {
		t.Fatalf("CreateIntegration = %v", in)
	}
	call(t, s, "POST", integrations, map[string]any{"name": ""}).expectError(t, http.StatusBadRequest, "organisationId", "name")
	call(t, s, "POST", integrations, map[string]any{"organisationId": "01HZY0000000000000000000XX", "name": "x"}).expectError(t, http.StatusBadRequest, "organisationId")
	call(t, s, "POST", integrations, map[string]any{"organisationId": sd.OrganisationID, "name": "x", "connectionTemplate": map[string]any{}}).
		expectError(t, http.StatusBadRequest, "connectionTemplate.connectorId", "connectionTemplate.authSchemeConfig")

	// The template came with the integration.
	tpl := call(t, s, "GET", "/integrations/"+id+"/connection-templates", nil).expect(t, http.StatusOK).obj
	if tpl["totalCount"] != 1.0 || dig(tpl, "connectionTemplates", 0, "name") != "Connector 01HZY00000000000000000HSPT" ||
		dig(tpl, "connectionTemplates", 0, "isPrimary") != false || dig(tpl, "connectionTemplates", 0, "variables") == nil ||
		dig(tpl, "connectionTemplates", 0, "connectionTemplates") == nil {
		t.Errorf("templates = %v", tpl)
	}

	list := call(t, s, "GET", integrations+"?search=sync", nil).expect(t, http.StatusOK).obj
	if list["total"] != 2.0 { // Shopify Orders Sync and HubSpot Sync
		t.Errorf("search = %v", list)
	}
	if _, has := list["totalCount"]; has {
		t.Error("ListIntegrations uses total, not totalCount")
	}

	u := call(t, s, "PATCH", "/integrations/"+id, map[string]any{"imageUrl": "https://img.example/h.png"}).expect(t, http.StatusOK).obj
	if u["name"] != "HubSpot Sync" || u["imageUrl"] != "https://img.example/h.png" || u["description"] != "d" {
		t.Errorf("UpdateIntegration = %v", u)
	}
	call(t, s, "PATCH", "/integrations/"+id, map[string]any{"imageUrl": "nope", "name": ""}).expectError(t, http.StatusBadRequest, "imageUrl", "name")
	if g := call(t, s, "GET", "/integrations/"+id, nil).expect(t, http.StatusOK).obj; g["name"] != "HubSpot Sync" {
		t.Errorf("GetIntegration = %v", g)
	}

	// Deployed integrations cannot be deleted.
	if err := s.SetDeployed(id, true); err != nil {
		t.Fatal(err)
	}
	call(t, s, "DELETE", "/integrations/"+id, nil).expectError(t, http.StatusConflict)
	_ = s.SetDeployed(id, false)
	call(t, s, "DELETE", "/integrations/"+id, nil).expect(t, http.StatusNoContent)
	call(t, s, "GET", "/integrations/"+id, nil).expectError(t, http.StatusNotFound)
	call(t, s, "GET", "/integrations/"+id+"/connection-templates", nil).expectError(t, http.StatusNotFound)
	if err := s.SetDeployed(id, true); err == nil {
		t.Error("SetDeployed on a deleted integration succeeded")
	}
}

func TestConnectionTemplates(t *testing.T) {
	s, sd := newSeededServer(t)
	beta := sd.Integrations[2]
	path := "/integrations/" + beta.ID + "/connection-templates"
	shopifyConnector := sd.Integrations[0].Templates[1].ConnectorID
	tpl := call(t, s, "POST", path, map[string]any{"connectorId": shopifyConnector, "authSchemeConfig": oauth2Scheme()}).expect(t, http.StatusOK).obj
	if tpl["name"] != "Shopify" || tpl["isPrimary"] != false || tpl["isUsed"] != false || str(dig(tpl, "authSchemeConfig", "grant", "clientSecret")) != "" {
		t.Errorf("CreateHubConnectionTemplate = %v", tpl)
	}
	p := call(t, s, "POST", path, map[string]any{"connectorId": sd.PrimaryConnectorID, "authSchemeConfig": oauth2Scheme()}).expect(t, http.StatusOK).obj
	if p["isPrimary"] != true || p["name"] != "Acme CRM" {
		t.Errorf("primary template = %v", p)
	}
	call(t, s, "POST", path, map[string]any{"connectorId": "x"}).expectError(t, http.StatusBadRequest, "connectorId", "authSchemeConfig")

	// Metadata marks exactly the listed templates used.
	meta := "/integrations/" + beta.ID + "/metadata"
	call(t, s, "PUT", meta, map[string]any{"usedConnectionTemplates": []any{tpl["id"]}}).expect(t, http.StatusNoContent)
	list := call(t, s, "GET", path, nil).obj
	used := map[any]any{}
	for _, x := range arr(list["connectionTemplates"]) {
		used[obj(x)["id"]] = obj(x)["isUsed"]
	}
	if used[tpl["id"]] != true || used[beta.Templates[0].ID] != false || used[p["id"]] != false {
		t.Errorf("isUsed = %v", used)
	}
	call(t, s, "PUT", meta, map[string]any{"usedConnectionTemplates": []any{sd.Integrations[0].Templates[0].ID}}).
		expectError(t, http.StatusBadRequest, "usedConnectionTemplates[0]")
}

func TestDeleteIntegrationRemovesActivations(t *testing.T) {
	s, sd := newSeededServer(t)
	createUser(t, s, "u1")
	a := activateSlack(t, s, "u1").expect(t, http.StatusOK).obj
	if err := s.SetDeployed(sd.Integrations[1].ID, false); err != nil {
		t.Fatal(err)
	}
	call(t, s, "DELETE", "/integrations/"+sd.Integrations[1].ID, nil).expect(t, http.StatusNoContent)
	call(t, s, "GET", "/activations/"+str(a["id"]), nil).expectError(t, http.StatusNotFound)
}
