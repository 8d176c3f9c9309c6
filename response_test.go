package versori_test

// Hostile 2xx bodies and memory.
//
// A 2xx body that is not what the operation promises is an error, not a
// zero value: a *DecodeError naming the operation and the missing required
// property, with the status and request ID. Unknown extra fields are fine.
//
// Every byte held from a response is bounded after decompression, on every
// path (2xx body, error body, a retried attempt's body being drained), and
// the bound holds for N concurrent calls: with the default limit, peak heap
// growth stays within N × (limit + 1 MiB) + 64 MiB.

import (
	"context"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
)

// bodyOperation is an operation whose 2xx body is checked.
type bodyOperation struct {
	call  hostileCall
	valid string // a valid answer
	other string // a required property besides id
}

var bodyOperations = []bodyOperation{
	{callGetUser, hostileEndUserJSON, "externalId"},
	{callCreateUser, hostileEndUserJSON, "hubId"},
	{callGetHub, hostileHubJSON, "primaryConnector"},
}

// hostileBody is a 2xx body an operation must refuse.
type hostileBody struct {
	name  string
	body  func(op bodyOperation) string
	field func(op bodyOperation) string // the missing property the error names; "" when the body is no object at all
}

func constBody(s string) func(bodyOperation) string { return func(bodyOperation) string { return s } }

var (
	noField = constBody("")
	idField = constBody("id")
)

var hostileBodies = []hostileBody{
	{"{}", constBody(`{}`), idField},
	{"null", constBody(`null`), noField},
	{"empty", constBody(``), noField},
	{"[]", constBody(`[]`), noField},
	{`"x"`, constBody(`"x"`), noField},
	{"object without id", func(op bodyOperation) string { return withoutField(op.valid, "id") }, idField},
	{"object without another required property", func(op bodyOperation) string { return withoutField(op.valid, op.other) },
		func(op bodyOperation) string { return op.other }},
}

// newBodyServer answers every request with status and body.
func newBodyServer(t testing.TB, kind serverKind, status int, body string) *hostileServer {
	return startNetHTTP(t, kind, func(w http.ResponseWriter, r *http.Request) { writeAnswer(w, status, body) })
}

func TestHostile2xxBodiesAreErrors(t *testing.T) {
	for _, kind := range netHTTPKinds {
		for _, op := range bodyOperations {
			for _, hb := range hostileBodies {
				t.Run(string(kind)+"/"+op.call.op+"/"+hb.name, func(t *testing.T) {
					t.Parallel()
					srv := newBodyServer(t, kind, op.call.status, hb.body(op))
					c := newHostileClient(t, srv)
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					defer cancel()
					err := op.call.do(ctx, c.Client)
					t.Logf("%s answered %d %q: %v", op.call.op, op.call.status, hb.body(op), err)

					var de *versori.DecodeError
					require.True(t, errors.As(err, &de), "a 2xx body without what %s promises is a *DecodeError, not a zero value; got %v", op.call.op, err)
					assert.Equal(t, op.call.status, de.StatusCode)
					if op.call.write {
						assert.True(t, de.StatusCode >= 200 && de.StatusCode < 300, "the error shows the write was processed")
					}
					assert.NotEmpty(t, de.RequestID)
					msg := err.Error()
					assert.Contains(t, msg, op.call.op, "the error names the operation")
					assert.Contains(t, msg, strconv.Itoa(op.call.status), "the error names the status")
					assert.Contains(t, msg, de.RequestID, "the error names the request ID")
					if f := hb.field(op); f != "" {
						assert.Regexp(t, wordRegexp(f), msg, "the error names the missing property %q", f)
					}
					var ae *versori.APIError
					assert.False(t, errors.As(err, &ae), "a 2xx is never an *APIError")
					assert.Len(t, srv.requests(), 1, "a body that arrived whole is not asked for again")
				})
			}
			t.Run(string(kind)+"/"+op.call.op+"/unknown extra fields", func(t *testing.T) {
				t.Parallel()
				body := op.valid[:len(op.valid)-1] + `,"futureField":{"a":[1,2]},"anotherOne":"x"}`
				srv := newBodyServer(t, kind, op.call.status, body)
				c := newHostileClient(t, srv)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				assert.NoError(t, op.call.do(ctx, c.Client), "unknown fields in a valid body are fine")
			})
		}
	}
}

// memoryCalls is N: the calls made at once against a hostile body.
const memoryCalls = 8

// memoryPath is a path a response body takes through the SDK.
type memoryPath struct {
	name   string
	status int  // what the server answers
	gzip   bool // a gzip bomb (Content-Encoding: gzip) instead of an endless body
	check  func(t *testing.T, err error)
}

func memoryPaths() []memoryPath {
	tooLarge := func(t *testing.T, err error) {
		t.Helper()
		var de *versori.DecodeError
		assert.True(t, errors.As(err, &de), "a *DecodeError; got %v", err)
		assert.ErrorIs(t, err, versori.ErrTooLarge)
	}
	apiErr := func(status int) func(t *testing.T, err error) {
		return func(t *testing.T, err error) {
			t.Helper()
			var ae *versori.APIError
			if assert.True(t, errors.As(err, &ae), "an *APIError; got %v", err) {
				assert.Equal(t, status, ae.StatusCode)
			}
		}
	}
	var paths []memoryPath
	for _, gz := range []bool{false, true} {
		kind := "endless body"
		if gz {
			kind = "gzip bomb"
		}
		paths = append(paths,
			memoryPath{"2xx body, " + kind, 200, gz, tooLarge},
			memoryPath{"non-2xx body, " + kind, 400, gz, apiErr(400)},
			memoryPath{"retried attempts' bodies drained (503), " + kind, 503, gz, apiErr(503)},
		)
	}
	return paths
}

// newMemoryServer answers every request with status and an endless JSON
// body (no Content-Length) or a gzip bomb. The first `together` requests
// wait for one another (up to 2 s), so that their bodies are read at the
// same time and the peak measured is that of concurrent calls.
func newMemoryServer(t testing.TB, kind serverKind, p memoryPath, together int) *hostileServer {
	bomb := gzipBomb()
	var mu sync.Mutex
	arrived := 0
	all := make(chan struct{})
	return startNetHTTP(t, kind, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if arrived++; arrived == together {
			close(all)
		}
		wait := arrived <= together
		mu.Unlock()
		if wait {
			select {
			case <-all:
			case <-time.After(2 * time.Second):
			}
		}
		w.Header().Set("Content-Type", "application/json")
		if p.gzip {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Length", strconv.Itoa(len(bomb)))
			w.WriteHeader(p.status)
			_, _ = w.Write(bomb)
			return
		}
		w.WriteHeader(p.status)
		endlessJSON(w, 1<<40)
	})
}

// memoryBound is the most heap growth allowed for n concurrent calls at the
// response limit: n × (limit + 1 MiB) + 64 MiB of slack.
func memoryBound(n int, limit int64) uint64 {
	return uint64(n)*uint64(limit+1<<20) + 64<<20
}

// TestResponseMemoryBounded makes memoryCalls calls at once against a body
// only the limit can stop, on every path, over HTTP/1.1 and HTTP/2, with the
// default limit, and bounds the peak heap growth. The heap is sampled every
// 200 µs with the GC target lowered to 10 %, so that the figure is close to
// what the calls hold rather than to garbage not yet collected.
func TestResponseMemoryBounded(t *testing.T) {
	limit := int64(versori.DefaultMaxResponseBytes)
	bound := memoryBound(memoryCalls, limit)
	for _, kind := range netHTTPKinds {
		for _, p := range memoryPaths() {
			t.Run(string(kind)+"/"+p.name, func(t *testing.T) {
				if p.status < 300 && raceEnabled() {
					t.Skip("reading 8 × 32 MiB under the race detector takes minutes; run without -race")
				}
				srv := newMemoryServer(t, kind, p, memoryCalls)
				c := newHostileClient(t, srv)
				ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
				defer cancel()

				defer debug.SetGCPercent(debug.SetGCPercent(10))
				sampler := startHeapSampler()
				start := time.Now()
				errs := make([]error, memoryCalls)
				var wg sync.WaitGroup
				for i := range errs {
					wg.Add(1)
					go func() {
						defer wg.Done()
						errs[i] = callGetHub.do(ctx, c.Client)
					}()
				}
				wg.Wait()
				growth := sampler.growth()
				t.Logf("%d concurrent calls, limit %d MiB: peak heap growth %.1f MiB (bound %d MiB) in %v; the server saw %d requests",
					memoryCalls, limit>>20, float64(growth)/(1<<20), bound>>20, time.Since(start).Round(time.Millisecond), len(srv.requests()))
				for _, err := range errs {
					p.check(t, err)
				}
				assert.LessOrEqual(t, growth, bound, "peak heap growth for %d calls at the %d MiB limit", memoryCalls, limit>>20)
				if kind == kindH2 {
					for _, proto := range c.rt.responseProtos() {
						assert.Equal(t, 2, proto)
					}
				}
				assert.True(t, srv.closedAfter(c, 5*time.Second), "%d connections left open", srv.conns.open.Load())
			})
		}
	}
}

// TestFailedCallReturnsNilResult: a typed call that fails returns a nil
// result next to its error, never a zero value or one decoded half-way from
// a body that failed to decode, which a caller reading the result first
// would act on.
func TestFailedCallReturnsNilResult(t *testing.T) {
	var status atomic.Int32
	srv := startNetHTTP(t, kindHTTP1, func(w http.ResponseWriter, r *http.Request) {
		switch status.Load() {
		case 404:
			writeAnswer(w, 404, `{"code":"404000","message":"no"}`)
		default: // required properties all there, a date that does not parse
			writeAnswer(w, 200, strings.Replace(hostileEndUserJSON, `"createdAt":"2025-03-14T09:26:53Z","updatedAt":"2025-03-14T09:26:53Z"}`, `"createdAt":"yesterday","updatedAt":"2025-03-14T09:26:53Z"}`, 1))
		}
	})
	c := newHostileClient(t, srv, withNoRetries())
	for _, s := range []int32{404, 200} {
		status.Store(s)
		u, err := c.Users.Get(context.Background(), hostileHubID, versori.ExternalUser(hostileUserID))
		require.Error(t, err, s)
		assert.Nil(t, u, "%d: the result of a failed call is nil, not %+v", s, u)
		h, err := c.Hubs.Get(context.Background(), hostileHubID)
		require.Error(t, err, s)
		assert.Nil(t, h, "%d", s)
	}
}

// hugeContentLengths are Content-Lengths a 2xx answer claims and never
// sends: 1 TiB (more than the machine has), 64 TiB, and the largest int64.
var hugeContentLengths = []int64{1 << 40, 1 << 46, math.MaxInt64}

// callWithHugeContentLength makes a GetHub call, with no practical body
// limit, against a server that claims cl bytes, sends two and closes.
func callWithHugeContentLength(t *testing.T, cl int64) error {
	srv := rawHTTP1(t, func(nc net.Conn, _ *http.Request) {
		_, _ = io.WriteString(nc, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "+strconv.FormatInt(cl, 10)+"\r\n\r\n{}")
	})
	c := newHostileClient(t, srv, withNoRetries(), versori.WithMaxResponseBytes(math.MaxInt64))
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return callGetHub.do(ctx, c.Client)
}

// TestHugeContentLengthNotPreallocated: with a large WithMaxResponseBytes
// (MaxInt64 reads as "no limit"), a 2xx answer claiming a huge
// Content-Length and sending two bytes ends in a *DecodeError for the body
// cut off. readBody once trusted the Content-Length and made a buffer of
// that size before reading a byte: a 1 TiB claim killed the process (fatal
// "out of memory", which no recover catches), MaxInt64 made it panic. Each
// claim is made in a child process, so a crash fails this test rather than
// the whole run.
func TestHugeContentLengthNotPreallocated(t *testing.T) {
	if v := os.Getenv("VERSORI_TEST_CONTENT_LENGTH"); v != "" {
		cl, err := strconv.ParseInt(v, 10, 64)
		require.NoError(t, err)
		var callErr error
		require.NotPanics(t, func() { callErr = callWithHugeContentLength(t, cl) })
		var de *versori.DecodeError
		require.True(t, errors.As(callErr, &de), "want a *DecodeError (a body cut off), got %v", callErr)
		assert.ErrorIs(t, callErr, io.ErrUnexpectedEOF, "the body ended before its Content-Length")
		return
	}
	for _, cl := range hugeContentLengths {
		t.Run(strconv.FormatInt(cl, 10), func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHugeContentLengthNotPreallocated$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), "VERSORI_TEST_CONTENT_LENGTH="+strconv.FormatInt(cl, 10))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("a Content-Length of %d bytes that never came: %v\n%s", cl, err, tail(out, 1500))
			}
		})
	}
}

// tail returns the last n bytes of b.
func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
