package conformance

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	yaml "go.yaml.in/yaml/v4"
)

// These tests prove the Platform harness: that it validates against the
// right spec, that each erratum it corrects is still in the spec and still
// needed, and that the keyed union check catches what the spec cannot.

const (
	pOrg  = "01HZX3QA0000000000000000CD"
	pUser = "01HZX3QA0000000000000000EF"
	pEnv  = "01HZX3QA0000000000000000GH"
)

func pdo(t *testing.T, method, path, body string, reply canned) *Exchange {
	t.Helper()
	return doThrough(t, NewPlatformRecorder, method, path, body, reply)
}

func TestPlatformRouting(t *testing.T) {
	t.Parallel()
	user := `{"id":"` + pUser + `","externalId":"x","displayName":"","organisationId":"` + pOrg + `","createdAt":"2025-01-02T03:04:05Z","updatedAt":"2025-01-02T03:04:05Z"}`
	wantPass(t, pdo(t, "GET", "/api/v2/o/"+pOrg+"/users/x", "", canned{200, user}))
	noOrg := strings.Replace(user, `"organisationId":"`+pOrg+`",`, "", 1)
	wantFail(t, pdo(t, "GET", "/api/v2/o/"+pOrg+"/users/x", "", canned{200, noOrg}), Response, "organisationId")
	// The Organisations API is checked against its own spec.
	key := `{"id":"` + pUser + `","name":"k","publicKey":"PEM","createdAt":"2025-01-02T03:04:05Z"}`
	wantPass(t, pdo(t, "GET", "/api/organisations/v1/keys/"+pUser, "", canned{200, key}))
	wantFail(t, pdo(t, "GET", "/api/organisations/v1/keys/"+pUser, "", canned{200, `{"id":"` + pUser + `"}`}), Response, "publicKey")
	wantPass(t, pdo(t, "GET", "/api/organisations/v1/keys/"+pUser, "", canned{404, `{"code":"404000","message":"nope","cause":"gone"}`}))
	// A Platform path under the Organisations base is unknown to both.
	wantFail(t, pdo(t, "GET", "/api/organisations/v1/o/"+pOrg+"/users", "", canned{404, errorBody}), Request, "/o/")
}

// rawPlatform compiles the uncorrected specs, for proving the errata are needed.
var rawPlatform = sync.OnceValues(func() (*PlatformValidator, error) {
	platform, organisations, err := PlatformSpecPaths()
	if err != nil {
		return nil, err
	}
	load := func(path string) (*Validator, error) {
		spec, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return newValidator(path, spec, true)
	}
	p, err := load(platform)
	if err != nil {
		return nil, err
	}
	o, err := load(organisations)
	if err != nil {
		return nil, err
	}
	return &PlatformValidator{platform: p, organisations: o}, nil
})

// TestPlatformErrataAreNeeded: for each corrected erratum an exchange the fake
// (and the real API) makes fails against the spec as published and passes
// against the corrected copy. If one starts passing uncorrected, the spec was
// fixed and the correction in errata.go can go. E1 and E18 are not here:
// libopenapi-validator copes with them, but they make the files invalid
// OpenAPI 3.1, so errata.go corrects them all the same.
func TestPlatformErrataAreNeeded(t *testing.T) {
	t.Parallel()
	corrected := LoadPlatformValidator(t)
	raw, err := rawPlatform()
	if err != nil {
		t.Fatal(err)
	}
	env := `{"id":"` + pEnv + `","name":"production","status":"running","createdAt":"2025-01-02T03:04:05Z","updatedAt":"2025-01-02T03:04:05Z","publicUrl":"https://x.example","config":{}}`
	scheme := `{"type":"oauth2","oauth2":{"id":"my-oauth","description":"","tokenUrl":"https://t.example","scopes":[],"defaultScopes":[],"grant":{"type":"authorizationCode","authorizationCode":{"clientId":"c"}}}}`
	o := "/api/v2/o/" + pOrg
	cases := []struct {
		id, method, path, body string
		status                 int
		respBody               string
		auth                   string
	}{
		{"E4", "POST", o + "/projects/" + pEnv + "/connection-templates", `{"systemId":"` + pUser + `","name":"n","environmentId":"` + pEnv + `"}`,
			200, `{"id":"` + pUser + `","connectionTemplateId":"` + pEnv + `","name":"n","domain":"d","dynamic":false,"authSchemeConfigs":[],"templateBaseUrl":""}`, ""},
		{"E5", "GET", o + "/projects", "", 200, `{"projects":[{"id":"` + pEnv + `","name":"p","createdAt":"2025-01-02T03:04:05Z","updatedAt":"2025-01-02T03:04:05Z","environments":[` + env + `]}]}`, ""},
		{"E6/E9", "PUT", o + "/systems/" + pUser + "/auth-scheme-configs/my-oauth", scheme, 201, scheme, ""},
		{"E7", "PUT", o + "/systems/" + pUser + "/auth-scheme-configs/o1", `{"type":"oauth1","oauth1":{"id":"o1","description":"","consumerKey":"k","consumerSecret":"s","signatureMethod":"sha1",` +
			`"tokenEndpoint":{"url":"https://t.example","additionalParamConfigs":[{"parameterName":"p","location":"LOCATION_BODY","usages":"USAGE_UNKNOWN","required":true,"modifiable":true}]}}}`,
			201, `{"type":"oauth1","oauth1":{"id":"o1","description":"","consumerKey":"k","consumerSecret":"","signatureMethod":"sha1"}}`, ""},
		{"E8", "GET", o + "/users?activated=true&environment_id=" + pEnv, "", 200, `{"totalCount":0,"users":[]}`, ""},
		{"E10", "PUT", o + "/connections/" + pUser, `{"name":"n","credentials":[],"baseUrl":""}`, 404, errorBody, ""},
		{"E12", "GET", "/api/organisations/v1/organisations/" + pOrg + "/keys", "", 200, `{"keys":[]}`, ""},
		{"E14", "POST", o + "/activations", `{"userId":"u","environmentId":"` + pEnv + `","connections":[]}`, 400, `{"code":"400000","message":"bad"}`, ""},
		{"E15", "GET", o + "/projects", "", 200, `{"projects":[]}`, "JWT a.b.c"},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, "http://127.0.0.1:1"+tc.path, strings.NewReader(tc.body))
			req.Header.Set("Authorization", "Bearer k")
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp := &http.Response{StatusCode: tc.status, Header: http.Header{"Content-Type": {"application/json"}}}
			if got := corrected.Check(req, []byte(tc.body), resp, []byte(tc.respBody)); len(got) > 0 {
				t.Errorf("corrected spec rejects it: %v", got)
			}
			if got := raw.Check(req, []byte(tc.body), resp, []byte(tc.respBody)); len(got) == 0 {
				t.Errorf("the published spec accepts it now: remove erratum %s from errata.go", tc.id)
			}
		})
	}
}

// TestPlatformErrataCheckTheirMistake: each correction refuses to apply once
// its mistake is gone, which is how a fixed spec is noticed.
func TestPlatformErrataCheckTheirMistake(t *testing.T) {
	t.Parallel()
	platform, organisations, err := PlatformSpecPaths()
	skipUnlessLoaded(t, err)
	for file, errata := range map[string][]erratum{platform: platformErrata, organisations: organisationsErrata} {
		spec, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range errata {
			var doc yaml.Node
			if err := yaml.Unmarshal(spec, &doc); err != nil {
				t.Fatal(err)
			}
			if err := e.fix(&doc); err != nil {
				t.Errorf("%s: %v", e.id, err)
				continue
			}
			if err := e.fix(&doc); err == nil {
				t.Errorf("%s applied twice: its check of the mistake does not hold", e.id)
			}
		}
	}
}

func TestKeyedUnionCheck(t *testing.T) {
	t.Parallel()
	cred := func(typ, data string) string {
		return `{"credentials":[{"id":"x","credential":{"id":"x","organisationId":"x","type":"` + typ + `","data":` + data + `}}]}`
	}
	for _, tc := range []struct {
		name, body string
		scheme     bool
		want       string // "" for no failure
	}{
		{"matching", cred("string", `{"string":{"value":"v"}}`), false, ""},
		{"other member", cred("string", `{"basicAuth":{}}`), false, `must set exactly "string", sets [basicAuth]`},
		{"two members", cred("string", `{"string":{},"binary":{}}`), false, `sets [binary, string]`},
		{"none empty", cred("none", `{}`), false, ""},
		{"none keyed", cred("none", `{"none":{}}`), false, ""},
		{"none without data", `{"credential":{"id":"x","organisationId":"x","type":"none"}}`, false, ""},
		{"reference", `{"credential":{"id":"x","organisationId":"x"}}`, false, ""},
		{"scheme", `{"authSchemeConfig":{"type":"api-key","apiKey":{}}}`, false, ""},
		{"scheme other member", `{"authSchemeConfigs":[{"type":"api-key","hmac":{}}]}`, false, `must set exactly "apiKey"`},
		{"scheme without member", `{"authSchemeConfig":{"type":"jwt-bearer","apiKey":{}}}`, false, "must set no member"},
		{"upsert body", `{"type":"oauth2","oauth1":{}}`, true, `must set exactly "oauth2"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := checkKeyedUnions(decodeBody([]byte(tc.body)), Response, tc.scheme)
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("failed: %v", got[0].SchemaValidationErrors[0].Reason)
			case tc.want != "" && (len(got) == 0 || !strings.Contains(got[0].SchemaValidationErrors[0].Reason, tc.want)):
				t.Errorf("got %v, want a failure saying %q", got, tc.want)
			}
		})
	}
}

// stopTB records the first Fatalf or Skipf and stops there, as testing does.
type stopTB struct {
	testing.TB
	fatal, skip string
}

func (s *stopTB) Helper() {}
func (s *stopTB) Fatalf(format string, args ...any) {
	s.fatal = format
	panic(s)
}
func (s *stopTB) Fatal(args ...any) { s.Fatalf("%v", args...) }
func (s *stopTB) Skipf(format string, args ...any) {
	s.skip = format
	panic(s)
}

func (s *stopTB) run(f func()) {
	defer func() {
		if r := recover(); r != nil && r != s {
			panic(r)
		}
	}()
	f()
}

// Missing Platform specs skip a test, except under CI, where they fail it.
func TestPlatformSpecsMissing(t *testing.T) {
	t.Setenv(PlatformSpecDirEnv, t.TempDir())
	_, _, err := PlatformSpecPaths()
	if !errors.Is(err, ErrSpecNotFound) || !strings.Contains(err.Error(), platformSpecFile) {
		t.Fatalf("PlatformSpecPaths() err = %v, want ErrSpecNotFound naming the file", err)
	}
	t.Setenv("CI", "")
	tb := &stopTB{TB: t}
	tb.run(func() { skipUnlessLoaded(tb, err) })
	if tb.skip == "" || tb.fatal != "" {
		t.Errorf("outside CI: skip %q, fatal %q; want a skip", tb.skip, tb.fatal)
	}
	t.Setenv("CI", "true")
	tb = &stopTB{TB: t}
	tb.run(func() { skipUnlessLoaded(tb, err) })
	if tb.fatal == "" || tb.skip != "" {
		t.Errorf("under CI: skip %q, fatal %q; want a failure", tb.skip, tb.fatal)
	}
}
