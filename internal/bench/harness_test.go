package bench

// The harness every row shares: one httptest server per row serving a fixed
// body, the three sides run back to back in an order BENCH_ORDER chooses, and
// the serial and concurrent timing loops.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/versori-go/versori"
)

const (
	benchKey = "vk_live_8f3a1c9e4b7d2f6a0c5e9b1d3f7a2c4e"
	benchUA  = "versori-go/" + versori.Version
	// benchGoroutines is how many goroutines share one client in the
	// concurrent rows.
	benchGoroutines = 64
)

// sides are the three ways each row makes its call, in the default order.
var sides = []string{"raw", "gen", "sdk"}

// sideOrder is the order in which a row runs its sides: BENCH_ORDER, a
// comma-separated permutation of raw,gen,sdk (default raw,gen,sdk). .ci/bench
// rotates it from run to run so that no side always runs first (on a cold
// server and CPU caches) or last.
var sideOrder = sync.OnceValues(func() ([]string, error) {
	return parseSideOrder(os.Getenv("BENCH_ORDER"))
})

func parseSideOrder(env string) ([]string, error) {
	if env == "" {
		return sides, nil
	}
	order := strings.Split(env, ",")
	sorted := slices.Sorted(slices.Values(order))
	if want := slices.Sorted(slices.Values(sides)); !slices.Equal(sorted, want) {
		return nil, fmt.Errorf("BENCH_ORDER=%q: want a permutation of %s", env, strings.Join(sides, ","))
	}
	return order, nil
}

// runSides runs a row's sides as sub-benchmarks named raw, gen and sdk, in
// sideOrder. A side that is not written yet is nil and skipped with todo.
func runSides(b *testing.B, raw, gen, sdk func(*testing.B), todo string) {
	order, err := sideOrder()
	if err != nil {
		b.Fatal(err)
	}
	fns := map[string]func(*testing.B){"raw": raw, "gen": gen, "sdk": sdk}
	for _, name := range order {
		fn := fns[name]
		if fn == nil {
			fn = func(b *testing.B) { b.Skip(todo) }
		}
		b.Run(name, fn)
	}
}

var benchTime = time.Date(2025, 3, 14, 9, 26, 53, 589793000, time.UTC)

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// newBenchServer serves body with status to every request, after reading the
// request body, so the server's own work per call is small and the same for
// every side.
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

// rawClient is the raw side's client: an http.Client configured as
// versori.NewClient's default one, so that raw and sdk differ only in the
// SDK's own code, and the server's base URL.
type rawClient struct {
	hc   *http.Client
	base string
}

// newRawClient returns a raw client for srv, its idle connections closed
// when tb ends.
func newRawClient(tb testing.TB, srv *httptest.Server) rawClient {
	rc := newUnboundedRawClient(tb, srv)
	rc.hc.Timeout = 60 * time.Second
	return rc
}

// newUnboundedRawClient is newRawClient without the 60 s limit per call, as
// gen's http.DefaultClient has none.
func newUnboundedRawClient(tb testing.TB, srv *httptest.Server) rawClient {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	t.IdleConnTimeout = 90 * time.Second
	hc := &http.Client{Transport: t}
	tb.Cleanup(hc.CloseIdleConnections)
	return rawClient{hc, srv.URL}
}

// newSDKClient returns an SDK client with its defaults, for srv.
func newSDKClient(tb testing.TB, srv *httptest.Server) *versori.Client {
	c, err := versori.NewClient(versori.WithAPIKey(benchKey), versori.WithBaseURL(srv.URL))
	return must(tb, c, err)
}

// must returns c, failing tb on err.
func must[C any](tb testing.TB, c C, err error) C {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// genHeaders is the generated clients' request editor: the headers the SDK
// sets, on every request (the generated code sets Content-Type for a body
// itself; this only fills it in if it did not).
func genHeaders(_ context.Context, req *http.Request) error {
	h := req.Header
	h.Set("Authorization", "Bearer "+benchKey)
	h.Set("User-Agent", benchUA)
	h.Set("Accept", "application/json")
	h.Set("X-Request-Id", uuid.NewString())
	if req.Body != nil && h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	return nil
}

// closeDefaultIdle closes http.DefaultClient's idle connections when tb ends,
// so a gen side leaves none behind for the next row.
func closeDefaultIdle(tb testing.TB) {
	tb.Cleanup(http.DefaultClient.CloseIdleConnections)
}

// call is one call of a row on one side; it returns what it decoded (for
// TestSidesDoTheSameWork; the benchmarks drop it).
type call func() (any, error)

// sideFunc makes one side's call against srv, with a client of its own that
// lives as long as tb.
type sideFunc func(tb testing.TB, srv *httptest.Server) call

// row is one benchmark row: the server's fixed reply and the same call made
// three ways. A nil side is one not written yet; todo says why.
type row struct {
	name          string
	status        int
	body          []byte
	raw, gen, sdk sideFunc
	todo          string
}

// newRow makes a row: the server answers status and body, and each side
// makes its call with its own client, gen's made by newGen and sdk's by
// newSDK (one generated client and one SDK client per API).
func newRow[G, S any](name string, status int, body []byte,
	newGen func(testing.TB, *httptest.Server) G, newSDK func(testing.TB, *httptest.Server) S,
	raw func(context.Context, rawClient) (any, error), gen func(context.Context, G) (any, error), sdk func(context.Context, S) (any, error),
) row {
	return row{name: name, status: status, body: body, raw: side(newRawClient, raw), gen: side(newGen, gen), sdk: side(newSDK, sdk)}
}

// side returns the row's side by name.
func (r row) side(name string) sideFunc {
	return map[string]sideFunc{"raw": r.raw, "gen": r.gen, "sdk": r.sdk}[name]
}

// bench runs the row's three sides against one server, each timed by run.
func (r row) bench(b *testing.B, run func(*testing.B, call)) {
	srv := newBenchServer(b, r.status, r.body)
	timed := func(mk sideFunc) func(*testing.B) {
		if mk == nil {
			return nil
		}
		return func(b *testing.B) { run(b, mk(b, srv)) }
	}
	runSides(b, timed(r.raw), timed(r.gen), timed(r.sdk), r.todo)
}

// side makes a side of f, with a client newClient makes for the row's
// server, living as long as tb.
func side[C any](newClient func(testing.TB, *httptest.Server) C, f func(context.Context, C) (any, error)) sideFunc {
	return func(tb testing.TB, srv *httptest.Server) call {
		c := newClient(tb, srv)
		ctx := context.Background()
		return func() (any, error) { return f(ctx, c) }
	}
}

// runSerial times c on one goroutine, after one untimed call that opens the
// connection.
func runSerial(b *testing.B, c call) {
	if _, err := c(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c(); err != nil {
			b.Fatal(err)
		}
	}
}

// runConcurrent times c on benchGoroutines goroutines (SetParallelism times
// GOMAXPROCS) and reports calls/s. An untimed warm-up round of
// benchGoroutines concurrent calls first fills the connection pool as far as
// the side's transport keeps connections.
func runConcurrent(b *testing.B, c call) {
	var wg sync.WaitGroup
	errs := make(chan error, benchGoroutines)
	for range benchGoroutines {
		wg.Go(func() {
			if _, err := c(); err != nil {
				errs <- err
			}
		})
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
			if _, err := c(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "calls/s")
}

func ptr[T any](v T) *T { return &v }
