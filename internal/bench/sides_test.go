package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"

	"github.com/google/uuid"
)

// TestSidesDoTheSameWork checks, for every row, that the sides send the same
// request (method, escaped path, query, headers, an equivalent JSON body) and
// decode the response to the same values, so that the benchmarks compare like
// with like. A side not written yet (nil) is skipped, with its row's todo.
func TestSidesDoTheSameWork(t *testing.T) {
	rows := []row{
		rowGetEndUser, rowCreateConnection, rowListEndUsers1000,
		platformRowGetEndUser, platformRowCreateConnection, platformRowListEndUsers1000,
		platformRowGetEndUserUnbounded, platformRowCreateConnectionUnbounded,
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			var (
				mu   sync.Mutex
				reqs []recorded
			)
			next := benchHandler(r.status, r.body)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				rec := recorded{method: req.Method, path: req.URL.EscapedPath(), query: req.URL.Query(), header: req.Header.Clone()}
				var buf bytes.Buffer
				if _, err := buf.ReadFrom(req.Body); err != nil {
					t.Errorf("reading request body: %v", err)
				}
				if buf.Len() > 0 {
					if err := json.Unmarshal(buf.Bytes(), &rec.body); err != nil {
						t.Errorf("request body: %v", err)
					}
				}
				mu.Lock()
				reqs = append(reqs, rec)
				mu.Unlock()
				next.ServeHTTP(w, req)
			}))
			defer srv.Close()

			var (
				names   []string
				results []any
			)
			for _, name := range sides {
				mk := r.side(name)
				if mk == nil {
					t.Logf("%s: skipped (%s)", name, r.todo)
					continue
				}
				c := mk(t, srv)
				for range 2 { // twice: a fresh X-Request-Id per call
					v, err := c()
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					names, results = append(names, name), append(results, v)
				}
			}
			if len(reqs) != len(names) {
				t.Fatalf("server saw %d requests, want %d", len(reqs), len(names))
			}

			ids := map[string]bool{}
			want := reqs[0] // raw's first request
			for i, rec := range reqs {
				id := rec.header.Get("X-Request-Id")
				if _, err := uuid.Parse(id); err != nil || ids[id] {
					t.Errorf("%s request: X-Request-Id %q is not a fresh UUID", names[i], id)
				}
				ids[id] = true
				rec.header.Del("X-Request-Id")
				if rec.method != want.method || rec.path != want.path || !reflect.DeepEqual(rec.query, want.query) {
					t.Errorf("%s request: %s %s %v, want %s %s %v", names[i], rec.method, rec.path, rec.query, want.method, want.path, want.query)
				}
				if !reflect.DeepEqual(rec.header, want.header) {
					t.Errorf("%s request: headers\n%v\nwant\n%v", names[i], rec.header, want.header)
				}
				if got, want := mustJSON(rec.body), mustJSON(want.body); !bytes.Equal(got, want) {
					t.Errorf("%s request: body\n%s\nwant\n%s", names[i], got, want)
				}
			}

			// Every side decoded the same values: compared as JSON, with
			// absent, null and [] taken as the same (the generated types omit
			// empty lists the others keep), and, where a side read variants
			// out of unions, those too.
			wantResult := normalised(t, results[0])
			wantVariants := variantsOf(t, results[0])
			for i, v := range results {
				if got := normalised(t, v); got != wantResult {
					t.Errorf("%s decoded\n%s\nwant (raw)\n%s", names[i], got, wantResult)
				}
				if got := variantsOf(t, v); got != "" && got != wantVariants {
					t.Errorf("%s decoded union variants\n%s\nwant (raw)\n%s", names[i], got, wantVariants)
				}
			}
		})
	}
}

type recorded struct {
	method, path string
	query        map[string][]string
	header       http.Header
	body         any
}

// normalised is v as canonical JSON (sorted keys), without null values and
// empty lists.
func normalised(t *testing.T, v any) string {
	t.Helper()
	if g, ok := v.(genResult); ok {
		v = g.value
	}
	var tree any
	if err := json.Unmarshal(mustJSON(v), &tree); err != nil {
		t.Fatal(err)
	}
	return string(mustJSON(prune(tree)))
}

func prune(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			e = prune(e)
			if l, ok := e.([]any); e == nil || ok && len(l) == 0 {
				delete(v, k)
				continue
			}
			v[k] = e
		}
	case []any:
		for i, e := range v {
			v[i] = prune(e)
		}
	}
	return v
}

// variantsOf returns, for a side that reads union variants out of a decoded
// value in a step of its own (raw and gen for v1 credentials), each
// credential's auth scheme config and data as normalised JSON; "" for others.
func variantsOf(t *testing.T, v any) string {
	t.Helper()
	var out []any
	switch v := v.(type) {
	case genResult:
		out = v.variants
	case *rawEndUser:
		out = v.PrimaryConnection.variants()
	case *rawConnection:
		out = v.variants()
	default:
		return ""
	}
	if len(out) == 0 {
		return ""
	}
	return normalised(t, out)
}

func (c *rawConnection) variants() []any {
	var out []any
	for _, cc := range c.Credentials.Action {
		out = append(out, cc.AuthSchemeConfig, cc.Credential.Value)
	}
	return out
}

// TestParseSideOrder checks BENCH_ORDER's parsing.
func TestParseSideOrder(t *testing.T) {
	for env, want := range map[string]string{
		"":            "[raw gen sdk]",
		"sdk,raw,gen": "[sdk raw gen]",
		"gen,sdk,raw": "[gen sdk raw]",
		"raw,gen":     "error",
		"raw,raw,sdk": "error",
		"raw,gen,SDK": "error",
	} {
		order, err := parseSideOrder(env)
		got := fmt.Sprint(order)
		if err != nil {
			got = "error"
		}
		if got != want {
			t.Errorf("parseSideOrder(%q) = %s (%v), want %s", env, got, err, want)
		}
	}
}
