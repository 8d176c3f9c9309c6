package versoritest

import (
	"net/http"
	"testing"
)

func TestPlatformSeed(t *testing.T) {
	s, sp := newPlatformServer(t)
	if !isULID(sp.ProjectID) || !isULID(sp.EnvironmentID) || !isULID(sp.OAuth2ClientCredentialID) || !isULID(sp.OAuth1CredentialID) || !isULID(sp.StaticConnectionID) {
		t.Fatalf("seeded IDs = %+v", sp)
	}
	kinds := map[string]bool{}
	for i, sys := range sp.Systems {
		kinds[sys.SchemeType+"/"+sys.GrantType] = true
		tm := sp.Templates[i]
		if tm.SystemID != sys.ID || tm.Dynamic != (sys.Name != "Slack") || tm.SchemeType != sys.SchemeType {
			t.Errorf("template %d = %+v for system %+v", i, tm, sys)
		}
	}
	for _, k := range []string{"api-key/", "basic-auth/", "oauth2/authorizationCode", "oauth2/clientCredentials", "oauth1/"} {
		if !kinds[k] {
			t.Errorf("no seeded system with %s", k)
		}
	}
	// Seeded returns a copy.
	sp.Systems[0].Name = "changed"
	if s.Seeded().Platform.Systems[0].Name == "changed" {
		t.Error("Seeded shares its slices")
	}
}

func TestPlatformWithoutSeed(t *testing.T) {
	s := newTestServer(t, WithoutSeed())
	if sp := s.Seeded().Platform; sp.ProjectID != "" || len(sp.Systems) != 0 {
		t.Errorf("Platform seed = %+v", sp)
	}
	if p := pcall(t, s, "GET", org(s, "/projects"), nil).expect(t, http.StatusOK).obj; len(arr(p["projects"])) != 0 {
		t.Errorf("projects = %v", p)
	}
	if sys := pcall(t, s, "GET", org(s, "/systems"), nil).expect(t, http.StatusOK).obj; sys["totalCount"] != 0.0 {
		t.Errorf("systems = %v", sys)
	}
	createPUser(t, s, "still-works")
}
