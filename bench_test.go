package versori_test

// Benchmarks of the SDK's request path, each against a baseline that does the
// same work with net/http and encoding/json against the same local server in
// the same run, so the SDK's cost is a ratio that survives a noisy machine.
// BENCHMARKS.md has the commands, the targets and the figures.
//
// Each benchmark has sub-benchmarks "raw" (the baseline) and "sdk". Both send
// the same method, URL and query, the same headers (Authorization,
// User-Agent, Accept, a fresh X-Request-Id per call, Content-Type with a
// body) and an equivalent JSON body, and both decode the response into
// equivalent structs; TestBenchBaselinesDoTheSameWork checks that they do.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/versori-go/versori"
)

const (
	benchKey       = "vk_live_8f3a1c9e4b7d2f6a0c5e9b1d3f7a2c4e"
	benchUA        = "versori-go/" + versori.Version
	benchHubID     = "0b9d7e3c-5a41-4f2e-9c86-1d2f3a4b5c6d"
	benchUser      = "acme-42@example.com"
	benchConnector = "8c1f4e2a-7b3d-4a9e-8f6c-2e5d1b7a9c30"
	// benchGoroutines is how many goroutines share one client in the
	// concurrent benchmarks.
	benchGoroutines = 64
)

// Fixed response bodies, built once, so the server's work per call is a copy.
var (
	benchUserBody       = mustJSON(rawEndUser{ID: "7d4f2b1e-9c3a-4e8d-b6f0-5a2c1e9d8b74", ExternalID: benchUser, DisplayName: "Acme Corporation (EU)", HubID: benchHubID, PrimaryConnection: benchConnection(1), CreatedAt: benchTime, UpdatedAt: benchTime.Add(time.Hour)})
	benchConnectionBody = mustJSON(benchConnection(2))
	benchPageBody       = mustJSON(benchUserPage(1000))
)

var benchTime = time.Date(2025, 3, 14, 9, 26, 53, 589793000, time.UTC)

// benchConnection is a connection as the API returns it, with n credentials
// (secrets redacted to "").
func benchConnection(n int) rawConnection {
	c := rawConnection{
		ID:        "3e8a1f5c-2d7b-4c9e-a1f3-6b8d0e2c4a57",
		Name:      "acme-42 shopify",
		Variables: []rawVariable{{Name: "shop", Value: "acme-42.myshopify.com"}},
		CreatedAt: benchTime,
		UpdatedAt: benchTime,
	}
	c.Credentials.Trigger = []rawConnectionCredential{}
	for i := range n {
		cc := rawConnectionCredential{ID: fmt.Sprintf("c9b2e4f1-6a3d-4e7b-8c1a-%012d", i)}
		cc.AuthSchemeConfig.Description = "primary"
		cc.Credential = rawCredential{ID: fmt.Sprintf("f1a2b3c4-d5e6-4f70-8a9b-%012d", i), OrganisationID: "2a4c6e8f-1b3d-4f5a-9c7e-0d2f4a6c8e1b"}
		switch i % 2 {
		case 0:
			cc.AuthSchemeConfig.ID, cc.AuthSchemeConfig.SchemeType = "01JPD8G6Q3W0Z5R7T9V2X4Y6B8", "api-key"
			cc.AuthSchemeConfig.Name, cc.AuthSchemeConfig.In = "X-Shopify-Access-Token", "header"
			cc.Credential.Name, cc.Credential.Type, cc.Credential.Data = "shopify key", "string", json.RawMessage(`{"value":""}`)
		case 1:
			cc.AuthSchemeConfig.ID, cc.AuthSchemeConfig.SchemeType = "01JPD8G6Q3W0Z5R7T9V2X4Y6C9", "basic-auth"
			cc.Credential.Name, cc.Credential.Type, cc.Credential.Data = "shopify admin", "basic-auth", json.RawMessage(`{"username":"admin@acme.example","password":""}`)
		}
		c.Credentials.Action = append(c.Credentials.Action, cc)
	}
	return c
}

// benchUserPage is a page of n end users with a next cursor.
func benchUserPage(n int) rawEndUserPage {
	p := rawEndUserPage{TotalCount: 250_000, Next: "eyJvZmZzZXQiOjEwMDB9", Users: make([]rawEndUserSummary, n)}
	for i := range p.Users {
		p.Users[i] = rawEndUserSummary{
			ID:          fmt.Sprintf("7d4f2b1e-9c3a-4e8d-b6f0-%012d", i),
			ExternalID:  "customer-" + strconv.Itoa(100000+i) + "@example.com",
			DisplayName: "Customer " + strconv.Itoa(100000+i) + " Ltd",
			HubID:       benchHubID,
			CreatedAt:   benchTime.Add(time.Duration(i) * time.Minute),
			UpdatedAt:   benchTime.Add(time.Duration(i) * time.Hour),
		}
	}
	return p
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// The baseline's own types: what a caller of the raw API would write, with
// the same fields the SDK's types decode.
type (
	rawEndUser struct {
		ID                string        `json:"id"`
		ExternalID        string        `json:"externalId"`
		DisplayName       string        `json:"displayName"`
		HubID             string        `json:"hubId"`
		PrimaryConnection rawConnection `json:"primaryConnection"`
		CreatedAt         time.Time     `json:"createdAt"`
		UpdatedAt         time.Time     `json:"updatedAt"`
	}
	rawEndUserSummary struct {
		ID          string    `json:"id"`
		ExternalID  string    `json:"externalId"`
		DisplayName string    `json:"displayName"`
		HubID       string    `json:"hubId"`
		CreatedAt   time.Time `json:"createdAt"`
		UpdatedAt   time.Time `json:"updatedAt"`
	}
	rawEndUserPage struct {
		TotalCount int                 `json:"totalCount"`
		Next       string              `json:"next,omitempty"`
		Prev       string              `json:"prev,omitempty"`
		Users      []rawEndUserSummary `json:"users"`
	}
	rawConnection struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Credentials struct {
			Action  []rawConnectionCredential `json:"action"`
			Trigger []rawConnectionCredential `json:"trigger"`
		} `json:"credentials"`
		Variables []rawVariable `json:"variables"`
		CreatedAt time.Time     `json:"createdAt"`
		UpdatedAt time.Time     `json:"updatedAt"`
	}
	rawVariable struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	rawConnectionCredential struct {
		ID               string              `json:"id"`
		AuthSchemeConfig rawAuthSchemeConfig `json:"authSchemeConfig"`
		Credential       rawCredential       `json:"credential"`
	}
	// rawAuthSchemeConfig flattens the schemes the benchmarks use, as a raw
	// caller would.
	rawAuthSchemeConfig struct {
		ID          string `json:"id"`
		Description string `json:"description"`
		SchemeType  string `json:"schemeType"`
		Name        string `json:"name,omitempty"`
		In          string `json:"in,omitempty"`
	}
	rawCredential struct {
		ID             string          `json:"id"`
		OrganisationID string          `json:"organisationId"`
		Type           string          `json:"type"`
		Name           string          `json:"name"`
		Data           json.RawMessage `json:"data"`
		// Decoded from Data by Type, as the SDK's credential union does.
		Value any `json:"-"`
	}
	rawStringData struct {
		Value string `json:"value"`
	}
	rawBasicAuthData struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	rawConnectionCreate struct {
		ConnectorID string `json:"connectorId"`
		Connection  struct {
			Name        string `json:"name"`
			Credentials struct {
				Action []rawCredentialCreate `json:"action"`
			} `json:"credentials"`
			Variables []rawVariable `json:"variables"`
		} `json:"connection"`
	}
	rawCredentialCreate struct {
		AuthSchemeConfig rawAuthSchemeConfig `json:"authSchemeConfig"`
		Credential       struct {
			Name string `json:"name"`
			Type string `json:"type"`
			Data any    `json:"data"`
		} `json:"credential"`
	}
)

// decodeData decodes a credential's data by its type, as the SDK's union does.
func (c *rawCredential) decodeData() error {
	switch c.Type {
	case "string":
		var d rawStringData
		err := json.Unmarshal(c.Data, &d)
		c.Value = d
		return err
	case "basic-auth":
		var d rawBasicAuthData
		err := json.Unmarshal(c.Data, &d)
		c.Value = d
		return err
	}
	return nil
}

func (c *rawConnection) decodeCredentials() error {
	for i := range c.Credentials.Action {
		if err := c.Credentials.Action[i].Credential.decodeData(); err != nil {
			return err
		}
	}
	return nil
}

// rawCall is one baseline call: encode the body, build the request, set the
// headers the SDK sets, send, check the status, decode, drain and close.
func rawCall(ctx context.Context, hc *http.Client, method, target string, in, out any) error {
	var body io.Reader
	if in != nil {
		buf, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+benchKey)
	req.Header.Set("User-Agent", benchUA)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Request-Id", uuid.NewString())
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// newBenchServer serves body with status to every request, after reading the
// request body, so the server's own work per call is small and fixed.
func newBenchServer(tb testing.TB, status int, body []byte) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(benchHandler(status, body))
	tb.Cleanup(srv.Close)
	return srv
}

func benchHandler(status int, body []byte) http.Handler {
	contentType := []string{"application/json"}
	contentLength := []string{strconv.Itoa(len(body))}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		h := w.Header()
		h["Content-Type"] = contentType
		h["Content-Length"] = contentLength
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
}

// rawClientLikeSDK is a client configured as NewClient's default one, so the
// baseline and the SDK differ only in the SDK's own code.
func rawClientLikeSDK() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	t.IdleConnTimeout = 90 * time.Second
	return &http.Client{Transport: t, Timeout: 60 * time.Second}
}

// newBenchClient returns an SDK client with its defaults, for srv.
func newBenchClient(tb testing.TB, srv *httptest.Server) *versori.Client {
	tb.Helper()
	c, err := versori.NewClient(versori.WithAPIKey(benchKey), versori.WithBaseURL(srv.URL))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func userURL(base string) string {
	return base + "/hubs/" + url.PathEscape(benchHubID) + "/users/" + url.PathEscape(benchUser)
}

// The calls being measured, as the baseline and as the SDK make them.

func rawGetEndUser(ctx context.Context, hc *http.Client, base string) error {
	var u rawEndUser
	if err := rawCall(ctx, hc, http.MethodGet, userURL(base)+"?identifier_type=external", nil, &u); err != nil {
		return err
	}
	return u.PrimaryConnection.decodeCredentials()
}

func sdkGetEndUser(ctx context.Context, c *versori.Client) error {
	_, err := c.Users.Get(ctx, benchHubID, versori.ExternalUser(benchUser))
	return err
}

func rawCreateConnection(ctx context.Context, hc *http.Client, base string) error {
	var in rawConnectionCreate
	in.ConnectorID = benchConnector
	in.Connection.Name = "acme-42 shopify"
	in.Connection.Variables = []rawVariable{{Name: "shop", Value: "acme-42.myshopify.com"}}
	in.Connection.Credentials.Action = make([]rawCredentialCreate, 2)
	a := &in.Connection.Credentials.Action[0]
	a.AuthSchemeConfig = rawAuthSchemeConfig{ID: "01JPD8G6Q3W0Z5R7T9V2X4Y6B8", Description: "primary", SchemeType: "api-key", Name: "X-Shopify-Access-Token", In: "header"}
	a.Credential.Name, a.Credential.Type, a.Credential.Data = "shopify key", "string", rawStringData{Value: "shpat_0f9e8d7c6b5a49382716"}
	a = &in.Connection.Credentials.Action[1]
	a.AuthSchemeConfig = rawAuthSchemeConfig{ID: "01JPD8G6Q3W0Z5R7T9V2X4Y6C9", Description: "primary", SchemeType: "basic-auth"}
	a.Credential.Name, a.Credential.Type, a.Credential.Data = "shopify admin", "basic-auth", rawBasicAuthData{Username: "admin@acme.example", Password: "correct horse battery staple"}

	var out rawConnection
	if err := rawCall(ctx, hc, http.MethodPost, userURL(base)+"/connections?identifier_type=external", &in, &out); err != nil {
		return err
	}
	return out.decodeCredentials()
}

func sdkCreateConnection(ctx context.Context, c *versori.Client) error {
	_, err := c.Connections.Create(ctx, benchHubID, versori.ExternalUser(benchUser), versori.CreateConnectionParams{
		ConnectorID: benchConnector,
		Connection: versori.ConnectionCreate{
			Name: "acme-42 shopify",
			Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
				AuthSchemeConfig: versori.AuthSchemeConfig{ID: "01JPD8G6Q3W0Z5R7T9V2X4Y6B8", Description: "primary", Scheme: versori.APIKeyScheme{Name: "X-Shopify-Access-Token", In: versori.InHeader}},
				Credential:       versori.NewCredential("shopify key", versori.StringCredential{Value: "shpat_0f9e8d7c6b5a49382716"}),
			}, {
				AuthSchemeConfig: versori.AuthSchemeConfig{ID: "01JPD8G6Q3W0Z5R7T9V2X4Y6C9", Description: "primary", Scheme: versori.BasicAuthScheme{}},
				Credential:       versori.NewCredential("shopify admin", versori.BasicAuthCredential{Username: "admin@acme.example", Password: "correct horse battery staple"}),
			}}},
			Variables: []versori.ConnectionVariable{{Name: "shop", Value: "acme-42.myshopify.com"}},
		},
	})
	return err
}

func rawListUsers(ctx context.Context, hc *http.Client, base string) error {
	var page rawEndUserPage
	return rawCall(ctx, hc, http.MethodGet, base+"/hubs/"+url.PathEscape(benchHubID)+"/users?first=1000", nil, &page)
}

func sdkListUsers(ctx context.Context, c *versori.Client) error {
	_, err := c.Users.List(ctx, benchHubID, &versori.ListEndUsersParams{ListOptions: versori.ListOptions{First: 1000}})
	return err
}

// runSerial times call on one goroutine, after one untimed call that opens
// the connection.
func runSerial(b *testing.B, call func() error) {
	if err := call(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := call(); err != nil {
			b.Fatal(err)
		}
	}
}

// runConcurrent times call on benchGoroutines goroutines (SetParallelism
// times GOMAXPROCS) and reports calls/s. An untimed warm-up round of
// benchGoroutines concurrent calls first fills the connection pool as far as
// the transport keeps connections.
func runConcurrent(b *testing.B, call func() error) {
	var wg sync.WaitGroup
	errs := make(chan error, benchGoroutines)
	for range benchGoroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := call(); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}

	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((benchGoroutines + procs - 1) / procs)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := call(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "calls/s")
}

// BenchmarkGetEndUser is one GetEndUser call over a kept-alive loopback
// connection.
func BenchmarkGetEndUser(b *testing.B) {
	srv := newBenchServer(b, http.StatusOK, benchUserBody)
	ctx := context.Background()
	b.Run("raw", func(b *testing.B) {
		hc := rawClientLikeSDK()
		defer hc.CloseIdleConnections()
		runSerial(b, func() error { return rawGetEndUser(ctx, hc, srv.URL) })
	})
	b.Run("sdk", func(b *testing.B) {
		c := newBenchClient(b, srv)
		runSerial(b, func() error { return sdkGetEndUser(ctx, c) })
	})
}

// BenchmarkCreateEndUserConnection is one CreateEndUserConnection call with
// two credentials.
func BenchmarkCreateEndUserConnection(b *testing.B) {
	srv := newBenchServer(b, http.StatusCreated, benchConnectionBody)
	ctx := context.Background()
	b.Run("raw", func(b *testing.B) {
		hc := rawClientLikeSDK()
		defer hc.CloseIdleConnections()
		runSerial(b, func() error { return rawCreateConnection(ctx, hc, srv.URL) })
	})
	b.Run("sdk", func(b *testing.B) {
		c := newBenchClient(b, srv)
		runSerial(b, func() error { return sdkCreateConnection(ctx, c) })
	})
}

// BenchmarkListEndUsers1000 is one ListEndUsers call returning a page of
// 1,000 users: mostly decoding.
func BenchmarkListEndUsers1000(b *testing.B) {
	srv := newBenchServer(b, http.StatusOK, benchPageBody)
	ctx := context.Background()
	b.Run("raw", func(b *testing.B) {
		hc := rawClientLikeSDK()
		defer hc.CloseIdleConnections()
		runSerial(b, func() error { return rawListUsers(ctx, hc, srv.URL) })
	})
	b.Run("sdk", func(b *testing.B) {
		c := newBenchClient(b, srv)
		runSerial(b, func() error { return sdkListUsers(ctx, c) })
	})
}

// BenchmarkGetEndUserConcurrent is GetEndUser from 64 goroutines sharing one
// client; the baseline's transport has the SDK default transport's settings.
func BenchmarkGetEndUserConcurrent(b *testing.B) {
	srv := newBenchServer(b, http.StatusOK, benchUserBody)
	ctx := context.Background()
	b.Run("raw", func(b *testing.B) {
		hc := rawClientLikeSDK()
		defer hc.CloseIdleConnections()
		runConcurrent(b, func() error { return rawGetEndUser(ctx, hc, srv.URL) })
	})
	b.Run("sdk", func(b *testing.B) {
		c := newBenchClient(b, srv)
		runConcurrent(b, func() error { return sdkGetEndUser(ctx, c) })
	})
}

// BenchmarkGetEndUserConcurrentDefaults is GetEndUser from 64 goroutines
// sharing one client, each side as it comes: the baseline with
// http.DefaultClient (2 idle connections per host), the SDK with its
// defaults.
func BenchmarkGetEndUserConcurrentDefaults(b *testing.B) {
	srv := newBenchServer(b, http.StatusOK, benchUserBody)
	ctx := context.Background()
	b.Run("raw", func(b *testing.B) {
		defer http.DefaultClient.CloseIdleConnections()
		runConcurrent(b, func() error { return rawGetEndUser(ctx, http.DefaultClient, srv.URL) })
	})
	b.Run("sdk", func(b *testing.B) {
		c := newBenchClient(b, srv)
		runConcurrent(b, func() error { return sdkGetEndUser(ctx, c) })
	})
}

// TestBenchBaselinesDoTheSameWork checks that each baseline sends what the
// SDK sends (method, path, query, headers, an equivalent JSON body) and
// decodes the same response, so the benchmarks compare like with like.
func TestBenchBaselinesDoTheSameWork(t *testing.T) {
	type request struct {
		method, uri string
		header      http.Header
		body        any
	}
	var (
		mu   sync.Mutex
		reqs []request
	)
	record := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var body any
			if r.ContentLength != 0 {
				if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
					t.Errorf("request body: %v", err)
				}
			}
			mu.Lock()
			reqs = append(reqs, request{r.Method, r.RequestURI, r.Header.Clone(), body})
			mu.Unlock()
			next.ServeHTTP(w, r)
		})
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		status int
		body   []byte
		raw    func(context.Context, *http.Client, string) error
		sdk    func(context.Context, *versori.Client) error
	}{
		{"GetEndUser", http.StatusOK, benchUserBody, rawGetEndUser, sdkGetEndUser},
		{"CreateEndUserConnection", http.StatusCreated, benchConnectionBody, rawCreateConnection, sdkCreateConnection},
		{"ListEndUsers", http.StatusOK, benchPageBody, rawListUsers, sdkListUsers},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reqs = nil
			srv := httptest.NewServer(record(benchHandler(tc.status, tc.body)))
			defer srv.Close()
			hc := rawClientLikeSDK()
			defer hc.CloseIdleConnections()
			c := newBenchClient(t, srv)
			for range 2 {
				if err := tc.raw(ctx, hc, srv.URL); err != nil {
					t.Fatal(err)
				}
				if err := tc.sdk(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
			if len(reqs) != 4 {
				t.Fatalf("got %d requests, want 4", len(reqs))
			}
			ids := map[string]bool{}
			for i, r := range reqs {
				id := r.header.Get("X-Request-Id")
				if _, err := uuid.Parse(id); err != nil || ids[id] {
					t.Errorf("request %d: X-Request-Id %q is not a fresh UUID", i, id)
				}
				ids[id] = true
				r.header.Del("X-Request-Id")
				want := reqs[0] // the first baseline request
				if r.method != want.method || r.uri != want.uri {
					t.Errorf("request %d: %s %s, want %s %s", i, r.method, r.uri, want.method, want.uri)
				}
				if fmt.Sprint(r.header) != fmt.Sprint(want.header) {
					t.Errorf("request %d: headers\n%v\nwant\n%v", i, r.header, want.header)
				}
				if !jsonEqual(r.body, want.body) {
					t.Errorf("request %d: body\n%s\nwant\n%s", i, mustJSON(r.body), mustJSON(want.body))
				}
			}
		})
	}

	// Both sides decode the same responses to the same values.
	for _, tc := range []struct {
		body     []byte
		raw, sdk any
	}{
		{benchUserBody, new(rawEndUser), new(versori.EndUser)},
		{benchConnectionBody, new(rawConnection), new(versori.Connection)},
		{benchPageBody, new(rawEndUserPage), new(versori.EndUserPage)},
	} {
		var a, b any
		for _, v := range []any{tc.raw, tc.sdk} {
			if err := json.Unmarshal(tc.body, v); err != nil {
				t.Fatal(err)
			}
		}
		_ = json.Unmarshal(mustJSON(tc.raw), &a)
		_ = json.Unmarshal(mustJSON(tc.sdk), &b)
		if !jsonEqual(a, b) {
			t.Errorf("decoded %T differs:\nraw %s\nsdk %s", tc.sdk, mustJSON(a), mustJSON(b))
		}
	}
}

func jsonEqual(a, b any) bool { return string(mustJSON(a)) == string(mustJSON(b)) }
