package conformance

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// These tests prove the harness catches what it must and forgives only the
// spec errata, by sending real requests through a Recorder to a tiny server
// that answers with canned bodies.

const (
	hubID  = "01HZX3Q9Z8K4M2N6P7R5S3T1VW"
	connID = "01HZX3QA0000000000000000AB"
	orgID  = "01HZX3QA0000000000000000CD"
)

const errorBody = `{"code":"404000","message":"not found"}`

// canned is one server reply.
type canned struct {
	status int
	body   string
}

// server answers "METHOD /path" with canned replies and 500s anything else.
func server(t *testing.T, replies map[string]canned) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		c, ok := replies[r.Method+" "+r.URL.Path]
		if !ok {
			t.Errorf("server: unexpected %s %s", r.Method, r.URL.Path)
			c = canned{http.StatusInternalServerError, `{"code":"500000","message":"unexpected"}`}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(c.status)
		io.WriteString(w, c.body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// do sends one request through a fresh Recorder and returns its only
// exchange, checking that the caller still sees the server's body.
func do(t *testing.T, method, path, body string, reply canned) *Exchange {
	t.Helper()
	return doThrough(t, NewRecorder, method, path, body, reply)
}

// doThrough is do with a Recorder made by newRecorder.
func doThrough(t *testing.T, newRecorder func(testing.TB, http.RoundTripper) *Recorder, method, path, body string, reply canned) *Exchange {
	t.Helper()
	srv := server(t, map[string]canned{method + " " + strings.SplitN(path, "?", 2)[0]: reply})
	rec := newRecorder(t, srv.Client().Transport)
	client := &http.Client{Transport: rec}

	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer k") // the Platform spec requires one
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != reply.body {
		t.Fatalf("caller read %q, server sent %q", got, reply.body)
	}
	exs := rec.Exchanges()
	if len(exs) != 1 {
		t.Fatalf("recorded %d exchanges, want 1", len(exs))
	}
	if string(exs[0].RequestBody) != body || string(exs[0].ResponseBody) != reply.body {
		t.Fatalf("recorded bodies %q / %q, want %q / %q", exs[0].RequestBody, exs[0].ResponseBody, body, reply.body)
	}
	return exs[0]
}

// wantPass fails unless ex conforms.
func wantPass(t *testing.T, ex *Exchange) {
	t.Helper()
	for _, v := range ex.Violations {
		t.Errorf("%s: unexpected violation:\n%v", ex, v)
	}
}

// wantFail fails unless ex has exactly one violation, on side, whose
// rendering contains every one of wants.
func wantFail(t *testing.T, ex *Exchange, side Side, wants ...string) {
	t.Helper()
	if len(ex.Violations) != 1 {
		t.Fatalf("%s: got %d violations, want 1: %v", ex, len(ex.Violations), ex.Violations)
	}
	v := ex.Violations[0].(*Violation)
	if v.Side != side {
		t.Errorf("violation is about the %s, want %s: %v", v.Side, side, v)
	}
	msg := v.Error()
	for _, w := range wants {
		if !strings.Contains(msg, w) {
			t.Errorf("violation does not mention %q:\n%s", w, msg)
		}
	}
	t.Logf("caught as expected:\n%s", msg)
}

func TestHealthz(t *testing.T) {
	wantPass(t, do(t, "GET", "/healthz", "", canned{200, `{"message":"ok"}`}))
}

func TestHubMissingPrimaryConnector(t *testing.T) {
	ex := do(t, "GET", "/hubs/"+hubID, "", canned{200, `{"id":"` + hubID + `","name":"h","isDefault":true}`})
	wantFail(t, ex, Response, "primaryConnector")
}

func TestHubValid(t *testing.T) {
	hub := `{"id":"` + hubID + `","name":"h","isDefault":true,"primaryConnector":{` +
		`"connectorId":"` + connID + `","name":"Shopify","imageUrl":"https://example.com/s.png","variables":[],` +
		`"authSchemeConfig":{"id":"` + hubID + `","description":"key","schemeType":"api-key","name":"X-Key","in":"header"}}}`
	ex := do(t, "GET", "/hubs/"+hubID, "", canned{200, hub})
	wantPass(t, ex)
}

func TestBadULIDInPath(t *testing.T) {
	ex := do(t, "GET", "/hubs/not-a-ulid", "", canned{404, errorBody})
	wantFail(t, ex, Request, "hub_id", "ulid")
}

func TestULIDFormat(t *testing.T) {
	for s, want := range map[string]bool{
		hubID:                         true,
		strings.ToLower(hubID):        true,
		"7ZZZZZZZZZZZZZZZZZZZZZZZZZ":  true,
		"8ZZZZZZZZZZZZZZZZZZZZZZZZZ":  false, // overflows 128 bits
		"01HZX3Q9Z8K4M2N6P7R5S3T1V":   false, // 25 characters
		"01HZX3Q9Z8K4M2N6P7R5S3T1VWX": false, // 27
		"01HZX3Q9Z8K4M2N6P7R5S3T1VU":  false, // U is not Crockford
		"01HZX3Q9Z8K4M2N6P7R5S3T1VI":  false, // nor I, L, O
	} {
		if got := checkULID(s) == nil; got != want {
			t.Errorf("checkULID(%q) ok = %v, want %v", s, got, want)
		}
	}
	if checkULID(42) != nil {
		t.Error("checkULID must leave non-strings to `type`")
	}
}

func TestCreateEndUserMissingExternalID(t *testing.T) {
	body := `{"primaryConnection":{"name":"c","variables":[],"credentials":{}}}`
	ex := do(t, "POST", "/hubs/"+hubID+"/users", body, canned{400, `{"code":"400000","message":"bad"}`})
	wantFail(t, ex, Request, "externalId")
}

// connectionBody is a CreateEndUserConnection body with one action
// credential of the given type and data.
func connectionBody(typ, data string) string {
	return `{"connectorId":"` + connID + `","connection":{"name":"acme","variables":[],"credentials":{"action":[` +
		`{"authSchemeConfig":{"id":"` + hubID + `","description":"d","schemeType":"basic-auth"},` +
		`"credential":{"name":"cred","type":"` + typ + `","data":` + data + `}}]}}}`
}

// connectionResponse is a Connection response with one action credential.
func connectionResponse(typ, data string) string {
	return `{"id":"` + connID + `","name":"acme","variables":[],` +
		`"createdAt":"2025-01-02T03:04:05Z","updatedAt":"2025-01-02T03:04:05Z",` +
		`"credentials":{"action":[{"id":"` + connID + `",` +
		`"authSchemeConfig":{"id":"` + hubID + `","description":"d","schemeType":"basic-auth"},` +
		`"credential":{"id":"` + connID + `","organisationId":"` + orgID + `","name":"cred","type":"` + typ + `","data":` + data + `}}]}}`
}

const connectionsPath = "/hubs/" + hubID + "/users/acme-42/connections"

var tolerated = map[string]string{
	"basic-auth":      `{"username":"u","password":"p"}`,
	"oauth2-password": `{"username":"u","password":"p"}`,
	"jwt-bearer":      `{"algorithm":"RS256","secret":"c2VjcmV0","payload":"{}","expiresIn":"24h","authorizationHeaderPrefix":"Bearer"}`,
	"custom-function": `{"anything":{"goes":[1,2]}}`,
}

func TestErrataToleratedInRequestAndResponse(t *testing.T) {
	for typ, data := range tolerated {
		t.Run(typ, func(t *testing.T) {
			ex := do(t, "POST", connectionsPath, connectionBody(typ, data), canned{201, connectionResponse(typ, data)})
			wantPass(t, ex)
		})
	}
}

// TestErrataStillInSpec proves the tolerance is needed: without it the
// validator rejects every erratum body. If this fails, the spec was fixed and
// tolerate.go can go.
func TestErrataStillInSpec(t *testing.T) {
	v := LoadValidator(t)
	for typ, data := range tolerated {
		body := connectionBody(typ, data)
		req := httptest.NewRequest("POST", "http://127.0.0.1:1"+connectionsPath, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		reqErrs, _ := v.validate(req, []byte(body), nil, nil)
		if len(reqErrs) == 0 {
			t.Errorf("%s: spec now accepts this credential; remove its tolerance", typ)
		}
	}
}

func TestStringCredentialMissingValue(t *testing.T) {
	// {"valu": ...} fits no data subschema at all.
	ex := do(t, "POST", connectionsPath, connectionBody("string", `{"valu":"k"}`), canned{400, errorBody})
	wantFail(t, ex, Request, "credential.data", "missing property 'value'")
}

func TestStringCredentialEmptyData(t *testing.T) {
	// {} passes the spec (it is CredentialDataNone) but not for type string.
	ex := do(t, "POST", connectionsPath, connectionBody("string", `{}`), canned{400, errorBody})
	wantFail(t, ex, Request, "$.connection.credentials.action[0].credential.data", `"string"`, "'value'")
}

// TestToleranceIsNarrow: the errata are forgiven only for their own types,
// only at a credential's data, and not for a malformed body of those types.
func TestToleranceIsNarrow(t *testing.T) {
	cases := []struct {
		name, typ, data string
		wants           []string
	}{
		// Basic-auth data under a type whose schema is unambiguous.
		{"string with basic-auth data", "string", `{"username":"u","password":"p"}`, []string{"subschemas 3, 7 matched"}},
		// Basic-auth type whose data matches two other subschemas.
		{"basic-auth matching string and binary", "basic-auth", `{"value":"v","valueBase64":"dg=="}`, []string{"subschemas 1, 2 matched"}},
		// Basic-auth type with data that matches nothing.
		{"basic-auth missing password", "basic-auth", `{"username":"u"}`, []string{"missing property 'password'"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ex := do(t, "POST", connectionsPath, connectionBody(c.typ, c.data), canned{400, errorBody})
			if len(ex.Violations) == 0 {
				t.Fatalf("%s: tolerated, want a violation", ex)
			}
			msg := fmt.Sprint(ex.Violations)
			for _, w := range c.wants {
				if !strings.Contains(msg, w) {
					t.Errorf("violations do not mention %q:\n%s", w, msg)
				}
			}
		})
	}

	// A tolerated credential does not hide another error in the same body.
	body := strings.Replace(connectionBody("jwt-bearer", tolerated["jwt-bearer"]), `"name":"acme",`, ``, 1)
	ex := do(t, "POST", connectionsPath, body, canned{400, errorBody})
	wantFail(t, ex, Request, "missing property 'name'")
}

func TestErrorShaped404(t *testing.T) {
	wantPass(t, do(t, "GET", "/hubs/"+hubID, "", canned{404, errorBody}))
}

func TestNonErrorShaped404(t *testing.T) {
	ex := do(t, "GET", "/hubs/"+hubID, "", canned{404, `{"error":"not found"}`})
	wantFail(t, ex, Response, "'code'", "'message'")
}

func TestUnknownPath(t *testing.T) {
	ex := do(t, "GET", "/nope", "", canned{404, errorBody})
	wantFail(t, ex, Request, "/nope")
}

func TestQueryParameters(t *testing.T) {
	// hub_connector_id is a comma-joined array (explode: false).
	page := `{"totalCount":0,"connections":[]}`
	q := "?hub_connector_id=" + connID + "," + hubID + "&identifier_type=external&first=10"
	wantPass(t, do(t, "GET", connectionsPath+q, "", canned{200, page}))

	ex := do(t, "GET", connectionsPath+"?identifier_type=email", "", canned{200, page})
	wantFail(t, ex, Request, "identifier_type")
}

// fakeTB records Errorf calls so a test can check that Assert fails.
type fakeTB struct {
	testing.TB
	errs []string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errs = append(f.errs, fmt.Sprintf(format, args...))
}

func TestAssertListsEveryInvalidExchange(t *testing.T) {
	srv := server(t, map[string]canned{
		"GET /healthz":                   {200, `{"message":"ok"}`},
		"GET /hubs/" + hubID:             {404, `{"error":"nope"}`},
		"POST /hubs/" + hubID + "/users": {400, errorBody},
	})
	rec := NewRecorder(t, srv.Client().Transport)
	client := &http.Client{Transport: rec}

	var wg sync.WaitGroup
	for range 4 { // concurrently, to exercise the locks under -race
		wg.Add(3)
		go func() { defer wg.Done(); get(t, client, srv.URL+"/healthz") }()
		go func() { defer wg.Done(); get(t, client, srv.URL+"/hubs/"+hubID) }()
		go func() {
			defer wg.Done()
			resp, err := client.Post(srv.URL+"/hubs/"+hubID+"/users", "application/json", strings.NewReader(`{}`))
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}()
	}
	wg.Wait()

	if n := len(rec.Exchanges()); n != 12 {
		t.Fatalf("recorded %d exchanges, want 12", n)
	}
	ftb := &fakeTB{TB: t}
	rec.Assert(ftb)
	if len(ftb.errs) != 1 {
		t.Fatalf("Assert reported %d times, want once: %q", len(ftb.errs), ftb.errs)
	}
	msg := ftb.errs[0]
	if !strings.Contains(msg, "8 of 12 exchanges") {
		t.Errorf("Assert message does not count the 8 bad exchanges:\n%s", msg)
	}
	if strings.Contains(msg, "/healthz") {
		t.Errorf("Assert lists a valid exchange:\n%s", msg)
	}
	t.Logf("Assert says:\n%s", msg)

	rec.Reset()
	ftb = &fakeTB{TB: t}
	rec.Assert(ftb)
	if len(ftb.errs) != 0 {
		t.Errorf("Assert after Reset reported %q", ftb.errs)
	}
}

func get(t *testing.T, c *http.Client, url string) {
	resp, err := c.Get(url)
	if err != nil {
		t.Error(err)
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

func TestTransportErrorValidatesRequestOnly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hj, _ := w.(http.Hijacker)
		conn, _, _ := hj.Hijack()
		conn.Close() // drop the connection: no response at all
	}))
	defer srv.Close()
	rec := NewRecorder(t, srv.Client().Transport)
	_, err := (&http.Client{Transport: rec}).Get(srv.URL + "/healthz")
	if err == nil {
		t.Fatal("want a transport error")
	}
	ex := rec.Exchanges()[0]
	if ex.Err == nil || ex.Response != nil {
		t.Errorf("exchange = %+v, want the error and no response", ex)
	}
	wantPass(t, ex)
}

func TestSpecPath(t *testing.T) {
	t.Setenv(SpecEnv, "")
	p, err := SpecPath()
	if err != nil {
		skipMissingSpec(t, err) // fails under CI
	}
	if !strings.HasSuffix(p, "shared/versori/embedded-api-v1.yaml") {
		t.Errorf("SpecPath() = %q", p)
	}

	t.Setenv(SpecEnv, "/nonexistent/spec.yaml")
	if _, err := SpecPath(); !errors.Is(err, ErrSpecNotFound) || !strings.Contains(err.Error(), "/nonexistent/spec.yaml") {
		t.Errorf("SpecPath() with a bad %s: err = %v, want ErrSpecNotFound naming the path", SpecEnv, err)
	}
}

// TestConcurrentCheck runs Check from many goroutines so that -race would
// catch shared state in the validator (Validator holds no lock of its own).
func TestConcurrentCheck(t *testing.T) {
	v := LoadValidator(t)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			typ := []string{"basic-auth", "jwt-bearer", "string", "oauth2-password"}[i%4]
			body := connectionBody(typ, tolerated["basic-auth"])
			req := httptest.NewRequest("POST", "http://127.0.0.1:1"+connectionsPath, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			resp := &http.Response{StatusCode: 404, Header: http.Header{"Content-Type": {"application/json"}}}
			got := v.Check(req, []byte(body), resp, []byte(errorBody))
			if wantBad := typ == "string"; (len(got) > 0) != wantBad {
				t.Errorf("%s: violations %v, want some: %v", typ, got, wantBad)
			}
		})
	}
	wg.Wait()
}

func TestNoContent(t *testing.T) {
	wantPass(t, do(t, "DELETE", "/hubs/"+hubID, "", canned{204, ""}))
}

// TestUndocumentedStatus: /healthz declares only 200 and no default, so any
// other status (an injected 503, say) is a violation.
func TestUndocumentedStatus(t *testing.T) {
	ex := do(t, "GET", "/healthz", "", canned{503, `{"code":"503000","message":"down"}`})
	wantFail(t, ex, Response, "503")
}

// referenceBody is a CreateEndUserConnection body whose credential is the raw JSON cred.
func referenceBody(cred string) string {
	return `{"connectorId":"` + connID + `","connection":{"name":"acme","variables":[],"credentials":{"action":[` +
		`{"authSchemeConfig":{"id":"` + hubID + `","description":"d","schemeType":"basic-auth"},"credential":` + cred + `}]}}}`
}

// TestCredentialReferenceTolerance: a credential given as a reference
// ({"id": ...}) passes, as the spec's prose allows, but nothing else that
// lacks CredentialCreate's required properties does.
func TestCredentialReferenceTolerance(t *testing.T) {
	resp := canned{201, connectionResponse("string", `{"value":""}`)}
	wantPass(t, do(t, "POST", connectionsPath, referenceBody(`{"id":"`+connID+`"}`), resp))
	for name, cred := range map[string]string{
		"id and name": `{"id":"` + connID + `","name":"n"}`,
		"empty id":    `{"id":""}`,
		"numeric id":  `{"id":7}`,
		"no id":       `{"name":"n"}`,
	} {
		t.Run(name, func(t *testing.T) {
			ex := do(t, "POST", connectionsPath, referenceBody(cred), resp)
			if len(ex.Violations) == 0 {
				t.Errorf("%s was tolerated", cred)
			}
		})
	}
}
