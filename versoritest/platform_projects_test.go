package versoritest

import (
	"net/http"
	"testing"
)

func TestPlatformProjects(t *testing.T) {
	s, sp := newPlatformServer(t)
	list := pcall(t, s, "GET", org(s, "/projects"), nil).expect(t, http.StatusOK).obj
	projects := arr(list["projects"])
	if len(projects) != 1 || dig(projects[0], "id") != sp.ProjectID || dig(projects[0], "name") != "Orders Sync" {
		t.Fatalf("ListProjects = %v", list)
	}
	env := obj(dig(projects[0], "environments", 0))
	if env["id"] != sp.EnvironmentID || env["name"] != "production" || env["status"] != "running" || str(env["publicUrl"]) == "" || env["config"] == nil {
		t.Errorf("environment = %v", env)
	}
	p := pcall(t, s, "GET", org(s, "/projects/"+sp.ProjectID), nil).expect(t, http.StatusOK).obj
	if dig(p, "dynamicVariablesSchema", "properties", "region", "enum", 1) != "us" || dig(p, "environments", 0, "id") != sp.EnvironmentID {
		t.Errorf("GetProject = %v", p)
	}
	for _, k := range []string{"currentFiles", "settings", "metadata", "createdAt", "updatedAt"} {
		if p[k] == nil {
			t.Errorf("Project lacks %s", k)
		}
	}
	pcall(t, s, "GET", org(s, "/projects/"+zeroID), nil).expectError(t, http.StatusNotFound)
}
