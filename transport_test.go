package versori_test

// At-most-once writes on the real production path. Every case is served to
// a GET, a POST, a PUT and a body-less DELETE, over each server kind the
// case can run on, and the cell records how many attempts the SDK made
// (counted by the RoundTripper under it) and how many the server saw
// (handler invocations; HEADERS frames on the raw HTTP/2 server). A write
// (POST, PUT, DELETE) must reach the server exactly as often as the SDK
// attempted it: the transport must not re-send it by itself. Each case says
// how many attempts the SDK makes per method, and what the server sees of a
// GET, which net/http does re-send by itself in places (getSends); the cells
// assert both.
//
// TestReliabilityDocInSync renders the outcomes recorded in
// transportOutcomes into RELIABILITY.md (and TestTransportAtMostOnce logs
// them as a table).
//
// Beside the matrix: a server that breaks HTTP framing (over HTTP/1.1 byte
// by byte, over HTTP/2 frame by frame) cannot hold a call past its deadline
// or end it with the wrong kind of error (TestBrokenFramingEndsByTheDeadline),
// and a TLS certificate for another host ends a call before anything is
// sent (TestCertificateForAnotherHostRefused).
//
// Where net/http (Go 1.26, h2_bundle.go and transport.go) re-sends by itself:
//
//   - (*http2Transport).RoundTripOpt loops `for retry := 0; ; retry++` while
//     retry <= 6 and http2shouldRetryRequest allows: the error is
//     http2canRetryError (errClientConnUnusable, errClientConnGotGoAway,
//     RST_STREAM REFUSED_STREAM, or RST_STREAM PROTOCOL_ERROR from the peer)
//     and the body is nil/NoBody (re-sent as is) or GetBody gives a fresh
//     copy. The first re-send is immediate, then 1 s, 2 s, 4 s, 8 s, 16 s,
//     32 s (+ up to 10 % jitter): up to 8 sends per call on a healthy
//     connection (REFUSED_STREAM: 3 within 1.5 s).
//   - The re-send asks the no-dial pool for a connection. RST_STREAM
//     PROTOCOL_ERROR marks the connection doNotReuse (processResetStream),
//     GOAWAY marks it dead (processGoAway), so the pool answers
//     ErrNoCachedConn and RoundTripOpt returns it at once.
//   - (*Transport).roundTrip then loops on http2isNoCachedConnError without
//     consulting shouldRetryRequest: rewindBody calls GetBody again, getConn
//     dials a new TLS connection, and the request is sent again, with no
//     backoff and no count; only the context stops it (about one send per
//     TLS handshake: ~100-400 in 1.5 s here, ~16,000 in the SDK's default
//     60 s client timeout).
//   - HTTP/1.1 (persistConn.shouldRetryRequest) re-sends only replayable
//     requests (GET/HEAD/OPTIONS/TRACE, or any method with an
//     Idempotency-Key header) once, on a reused connection the server closed
//     before answering, and any request with GetBody when nothing was written.

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"

	"github.com/versori-go/versori"
)

// transportCase is one row of the at-most-once matrix.
type transportCase struct {
	name  string
	kinds []serverKind
	// reused: a healthy call opens the connection first, so the fault meets
	// a reused connection (net/http retries differently on those).
	reused  bool
	handler http.HandlerFunc // for kindHTTP1 and kindH2; runs after the body was read
	frames  rawH2Handler     // for kindRawH2; runs after END_STREAM
	// postSafe: the answer proves the request was not processed (429), so
	// the SDK may send a POST again. Otherwise a POST reaches the server at
	// most once in all.
	postSafe bool
	// attempts is the number of attempts the SDK makes, per method in
	// hostileMethods order (GET, POST, PUT, DELETE). The server sees a write
	// exactly that often, and a GET as get says.
	attempts [4]int
	get      getSends
}

// The SDK's attempts per method (GET, POST, PUT, DELETE) under
// hostilePolicy's 2 retries.
var (
	// idempotentRetried: a connection failure or a 5xx; a POST that may have
	// been processed is not sent again.
	idempotentRetried = [4]int{3, 1, 3, 3}
	// allRetried: a 429 proves the request unprocessed, so a POST is retried too.
	allRetried = [4]int{3, 3, 3, 3}
	// bodyCutOff: a 2xx body the connection cut off; a DELETE reads no body,
	// so its 2xx was the answer.
	bodyCutOff = [4]int{3, 1, 3, 1}
	// getNeverReturned: net/http kept re-sending the GET until the caller's
	// deadline, so the SDK's first attempt was its last.
	getNeverReturned = [4]int{1, 1, 3, 3}
)

// getSends is what the server sees of a GET, beyond the SDK's attempts:
// net/http re-sends a body-less request by itself in places (see above).
type getSends int

const (
	// getAsAttempted: the server saw exactly the SDK's attempts.
	getAsAttempted getSends = iota
	// getOneResend: net/http re-sent it once by itself, so the server saw
	// one more than the SDK's attempts.
	getOneResend
	// getResentWithBackoff: the HTTP/2 transport re-sent it at once and
	// after about 1 s; its next wait (2 s) passes the caller's 1.5 s
	// deadline. The server saw 2 or 3, the SDK made 1 attempt.
	getResentWithBackoff
	// getResentUntilDeadline: net/http re-sent it on a fresh connection
	// each time, without backoff or count, until the caller's deadline. The
	// server saw at least 2 (tens to hundreds, depending on the machine), the
	// SDK made 1 attempt.
	getResentUntilDeadline
)

// check asserts what the server saw of a GET the SDK attempted sdk times.
func (g getSends) check(t *testing.T, sdk, server int) {
	t.Helper()
	switch g {
	case getAsAttempted:
		assert.Equal(t, sdk, server, "the server saw the GET as often as the SDK sent it")
	case getOneResend:
		assert.Equal(t, sdk+1, server, "net/http re-sent the GET once by itself")
	case getResentWithBackoff:
		assert.Equal(t, 1, sdk)
		assert.GreaterOrEqual(t, server, 2, "the HTTP/2 transport re-sent the GET at once")
		assert.LessOrEqual(t, server, 3, "the HTTP/2 transport's next re-send comes after 3 s, past the deadline")
	case getResentUntilDeadline:
		assert.Equal(t, 1, sdk)
		assert.GreaterOrEqual(t, server, 2, "net/http re-sent the GET until the deadline")
	}
}

// render shows what the server saw of a GET the SDK attempted sdk times, as
// check asserts it: exactly, or as a bound where the count depends on
// timing.
func (g getSends) render(sdk int) string {
	switch g {
	case getOneResend:
		return strconv.Itoa(sdk + 1)
	case getResentWithBackoff:
		return "2–3"
	case getResentUntilDeadline:
		return "≥ 2"
	}
	return strconv.Itoa(sdk)
}

// transportOutcome is what one cell of the matrix observed.
type transportOutcome struct {
	sdk    int // attempts the SDK made (RoundTrip calls under it)
	server int // attempts the server saw
	err    string
	ok     bool // the cell's assertions held
}

// transportCases is the matrix, in the order of its table.
func transportCases() []transportCase {
	abort := func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) }
	status := func(code int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			writeAnswer(w, code, fmt.Sprintf(`{"code":"%d000","message":"injected"}`, code))
		}
	}
	cutOff := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "4096")
		w.WriteHeader(bodyStatus(r.Method))
		_, _ = io.WriteString(w, hostileHubJSON[:40])
		w.(http.Flusher).Flush()
		hijackClose(w)
	}
	rst := func(code http2.ErrCode, thenClose bool) rawH2Handler {
		return func(w *rawH2Conn, r *rawH2Request) {
			w.Reset(r.StreamID, code)
			if thenClose {
				w.Close()
			}
		}
	}
	goAwayBelow := func(code http2.ErrCode) rawH2Handler {
		return func(w *rawH2Conn, r *rawH2Request) {
			var last uint32
			if r.StreamID > 2 {
				last = r.StreamID - 2
			}
			w.GoAway(last, code)
			w.Close()
		}
	}
	startedThen := func(goAway bool) rawH2Handler {
		return func(w *rawH2Conn, r *rawH2Request) {
			w.Headers(r.StreamID, bodyStatus(r.Method), false, "content-type", "application/json", "content-length", "4096")
			w.Data(r.StreamID, hostileHubJSON[:40], false)
			if goAway {
				w.GoAway(r.StreamID, http2.ErrCodeNo)
			}
			w.Close()
		}
	}
	raw := []serverKind{kindRawH2}
	return []transportCase{
		{name: "handler aborts after reading the body", kinds: netHTTPKinds, handler: abort, attempts: idempotentRetried},
		// HTTP/1.1 re-sends a GET once on a reused connection the server
		// closed before answering; HTTP/2 gets RST_STREAM INTERNAL_ERROR,
		// on which it re-sends nothing.
		{name: "handler aborts after reading the body, reused connection", kinds: []serverKind{kindHTTP1}, reused: true, handler: abort,
			attempts: idempotentRetried, get: getOneResend},
		{name: "handler aborts after reading the body, reused connection", kinds: []serverKind{kindH2}, reused: true, handler: abort,
			attempts: idempotentRetried},
		{name: "2xx cut off mid-body", kinds: netHTTPKinds, handler: cutOff, attempts: bodyCutOff},
		{name: "503, small body", kinds: netHTTPKinds, handler: status(503), attempts: idempotentRetried},
		{name: "429, small body", kinds: netHTTPKinds, handler: status(429), postSafe: true, attempts: allRetried},
		{name: "RST_STREAM PROTOCOL_ERROR after the body", kinds: raw, frames: rst(http2.ErrCodeProtocol, false),
			attempts: getNeverReturned, get: getResentUntilDeadline},
		{name: "RST_STREAM PROTOCOL_ERROR after the body, then connection closed", kinds: raw, frames: rst(http2.ErrCodeProtocol, true),
			attempts: getNeverReturned, get: getResentUntilDeadline},
		{name: "RST_STREAM REFUSED_STREAM after the body", kinds: raw, frames: rst(http2.ErrCodeRefusedStream, false),
			attempts: getNeverReturned, get: getResentWithBackoff},
		{name: "RST_STREAM INTERNAL_ERROR after the body", kinds: raw, frames: rst(http2.ErrCodeInternal, false), attempts: idempotentRetried},
		{name: "GOAWAY NO_ERROR, last-stream-id below the request, after the body", kinds: raw, frames: goAwayBelow(http2.ErrCodeNo),
			attempts: getNeverReturned, get: getResentUntilDeadline},
		// The GET that met the GOAWAY on the reused connection is re-sent
		// once on a new one, where the GOAWAY's error code ends it.
		{name: "GOAWAY PROTOCOL_ERROR, last-stream-id below the request, reused connection", kinds: raw, reused: true, frames: goAwayBelow(http2.ErrCodeProtocol),
			attempts: idempotentRetried, get: getOneResend},
		{name: "GOAWAY after the response started", kinds: raw, frames: startedThen(true), attempts: bodyCutOff},
		{name: "connection closed mid-DATA", kinds: raw, frames: startedThen(false), attempts: bodyCutOff},
	}
}

func transportCaseNamed(t testing.TB, name string) transportCase {
	t.Helper()
	for _, tc := range transportCases() {
		if tc.name == name {
			return tc
		}
	}
	t.Fatalf("no transport case %q", name)
	return transportCase{}
}

// bodyStatus is the 2xx a healthy answer with a body has for method (a
// DELETE's 204 has none: 200).
func bodyStatus(method string) int {
	if method == http.MethodPost {
		return 201
	}
	return 200
}

// transportCell is one case on one server kind, with its own server and
// client, ready to make calls.
type transportCell struct {
	tc     transportCase
	kind   serverKind
	srv    *hostileServer
	client *hostileClient
}

func newTransportCell(t testing.TB, tc transportCase, kind serverKind) *transportCell {
	t.Helper()
	var srv *hostileServer
	if kind == kindRawH2 {
		srv = startRawH2(t, tc.frames)
	} else {
		srv = startNetHTTP(t, kind, tc.handler)
	}
	return &transportCell{tc: tc, kind: kind, srv: srv, client: newHostileClient(t, srv)}
}

// run makes call m within deadline and returns what each side counted.
func (c *transportCell) run(t testing.TB, m hostileCall, deadline time.Duration) transportOutcome {
	t.Helper()
	if c.tc.reused {
		c.client.warmUp(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	err := m.do(ctx, c.client.Client)
	return transportOutcome{sdk: c.client.rt.count(m.method), server: c.srv.count(m.method), err: shortErr(err)}
}

// transportOutcomes holds the outcome of every cell run in this process,
// keyed by transportKey. TestReliabilityDocInSync renders it.
var transportOutcomes sync.Map

// transportKey names a cell: "case | kind | method".
func transportKey(tc transportCase, kind serverKind, m hostileCall) string {
	return tc.name + " | " + string(kind) + " | " + m.method
}

func TestTransportAtMostOnce(t *testing.T) {
	t.Run("cells", runTransportMatrix)
	rows := map[string]string{}
	transportOutcomes.Range(func(k, v any) bool {
		o := v.(transportOutcome)
		rows[k.(string)] = fmt.Sprintf("%d | %d | %s", o.sdk, o.server, o.err)
		return true
	})
	t.Logf("\n%s", outcomeTable("| case | server | method | SDK attempts | server saw | error |\n|---|---|---|---|---|---|", rows))
}

// runTransportMatrix runs every cell of the matrix as a parallel subtest of
// t, asserting it and recording its outcome in transportOutcomes.
func runTransportMatrix(t *testing.T) {
	for _, tc := range transportCases() {
		for _, kind := range tc.kinds {
			for mi, m := range hostileMethods {
				t.Run(tc.name+"/"+string(kind)+"/"+m.method, func(t *testing.T) {
					t.Parallel()
					cell := newTransportCell(t, tc, kind)
					out := cell.run(t, m, hostileDeadline)
					t.Logf("SDK attempts %d, server saw %d: %s", out.sdk, out.server, out.err)
					assertTransportCell(t, cell, m, tc.attempts[mi], out)
					out.ok = !t.Failed()
					transportOutcomes.Store(transportKey(tc, kind, m), out)
				})
			}
		}
	}
}

func assertTransportCell(t *testing.T, cell *transportCell, m hostileCall, attempts int, out transportOutcome) {
	t.Helper()
	assert.Equal(t, attempts, out.sdk, "the SDK's attempts")
	if m.write {
		assert.Equal(t, out.sdk, out.server,
			"%s reached the server %d times in %d SDK attempts: the transport must not re-send a write by itself", m.method, out.server, out.sdk)
		if m.method == http.MethodPost && !cell.tc.postSafe {
			assert.LessOrEqual(t, out.server, 1, "a POST the server may have processed is never sent again")
		}
	} else {
		cell.tc.get.check(t, out.sdk, out.server)
	}
	switch cell.kind {
	case kindRawH2:
		// The raw server speaks nothing but HTTP/2: seeing the request
		// proves the client used it.
		assert.Positive(t, out.server, "the raw HTTP/2 server saw the request")
	case kindH2:
		for _, r := range cell.srv.requests() {
			assert.Equal(t, 2, r.Proto, "the request came over HTTP/2")
		}
		for _, p := range cell.client.rt.responseProtos() {
			assert.Equal(t, 2, p, "the response came over HTTP/2")
		}
	}
	assert.True(t, cell.srv.closedAfter(cell.client, 3*time.Second),
		"%d connections still open on the server after the client closed its idle ones: a response body was left open", cell.srv.conns.open.Load())
}

// TestEveryPOSTAtMostOnceOverHTTP2 makes each POST the SDK has a body for
// against the fault reported from production (RST_STREAM PROTOCOL_ERROR
// after the body was read, and the connection then closed) and requires it
// to reach the server once.
func TestEveryPOSTAtMostOnceOverHTTP2(t *testing.T) {
	tc := transportCaseNamed(t, "RST_STREAM PROTOCOL_ERROR after the body, then connection closed")
	for _, m := range []hostileCall{callCreateHub, callCreateUser, callCreateConnection} {
		t.Run(m.op, func(t *testing.T) {
			t.Parallel()
			cell := newTransportCell(t, tc, kindRawH2)
			start := time.Now()
			out := cell.run(t, m, hostileDeadline)
			t.Logf("%s: the server saw the POST %d times in %v (SDK attempts %d): %s", m.op, out.server, time.Since(start).Round(time.Millisecond), out.sdk, out.err)
			assert.Positive(t, out.server)
			assert.LessOrEqual(t, out.server, out.sdk, "the transport re-sent the POST by itself")
			assert.LessOrEqual(t, out.server, 1, "a POST whose body the server read is sent once")
			for _, r := range cell.srv.requests() {
				assert.True(t, r.Complete, "the server read the whole body")
			}
		})
	}
}

// TestConnectionReusedAfterErrorAnswers: error answers with small bodies
// leave the connection reusable, so a run of them costs one connection.
func TestConnectionReusedAfterErrorAnswers(t *testing.T) {
	statuses := []int{400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504}
	for _, kind := range netHTTPKinds {
		t.Run(string(kind), func(t *testing.T) {
			var mu sync.Mutex
			n := 0
			srv := startNetHTTP(t, kind, func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				code := statuses[n%len(statuses)]
				n++
				mu.Unlock()
				if code == 404 { // a proxy's HTML page rather than the API's JSON
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(code)
					_, _ = io.WriteString(w, "<html><body>"+strings.Repeat("not found ", 200)+"</body></html>")
					return
				}
				writeAnswer(w, code, fmt.Sprintf(`{"code":"%d000","message":"injected","details":"%s"}`, code, strings.Repeat("d", 512)))
			})
			c := newHostileClient(t, srv, withNoRetries())
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			for i := range statuses {
				m := hostileMethods[i%len(hostileMethods)]
				err := m.do(ctx, c.Client)
				require.Error(t, err, "answer %d", statuses[i])
			}
			assert.Equal(t, len(statuses), c.rt.total(), "one attempt per call")
			assert.Len(t, srv.requests(), len(statuses))
			assert.EqualValues(t, 1, srv.conns.total.Load(), "the server saw one connection for %d error answers", len(statuses))
			if kind == kindH2 {
				for _, p := range c.rt.responseProtos() {
					assert.Equal(t, 2, p)
				}
			}
		})
	}
}

// framingDeadline bounds every call against a server that breaks HTTP
// framing; a call must end within framingDeadline + framingSlack.
const (
	framingDeadline = 300 * time.Millisecond
	framingSlack    = 700 * time.Millisecond
)

// framingCase is a server that breaks HTTP framing (byte by byte over
// HTTP/1.1, frame by frame over HTTP/2) and what the SDK's call against it
// must end with.
type framingCase struct {
	name  string
	start func(t testing.TB) *hostileServer
	call  hostileCall
	check func(t *testing.T, err error)
}

// isA, isDeadline, isOK and isError are the checks a framingCase ends with.
func isA[E error](t *testing.T, err error) {
	t.Helper()
	assert.ErrorAs(t, err, new(E))
}

func isDeadline(t *testing.T, err error) {
	t.Helper()
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func isOK(t *testing.T, err error) {
	t.Helper()
	assert.NoError(t, err)
}

func isError(t *testing.T, err error) {
	t.Helper()
	assert.Error(t, err)
}

// http1Answering is a raw HTTP/1.1 server that writes raw to every request
// and then waits for the client to go.
func http1Answering(raw string) func(testing.TB) *hostileServer {
	return func(t testing.TB) *hostileServer {
		return rawHTTP1(t, func(nc net.Conn, _ *http.Request) { _, _ = io.WriteString(nc, raw); stall(nc) })
	}
}

// h2Answering is a raw HTTP/2 server that sends settings and answers every
// request with h.
func h2Answering(h rawH2Handler, settings ...http2.Setting) func(testing.TB) *hostileServer {
	return func(t testing.TB) *hostileServer { return startRawH2(t, h, settings...) }
}

func framingCases() []framingCase {
	hub := hostileHubJSON
	cl := strconv.Itoa(len(hub))
	return []framingCase{
		// HTTP/1.1, byte by byte.
		{"http1: 101 Switching Protocols, then silence", http1Answering("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: evil\r\n\r\n"), callGetHub,
			func(t *testing.T, err error) {
				var ae *versori.APIError
				require.True(t, errors.As(err, &ae), "a 101 is an answer the SDK cannot use: an *APIError, got %v", err)
				assert.Equal(t, http.StatusSwitchingProtocols, ae.StatusCode)
			}},
		{"http1: 101 Switching Protocols to a POST", http1Answering("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: evil\r\n\r\n"), callCreateHub, isError},
		{"http1: status line, then silence mid-headers", http1Answering("HTTP/1.1 200 OK\r\nContent-Type: appl"), callGetHub, isDeadline},
		{"http1: 2xx headers, then silence mid-body", http1Answering("HTTP/1.1 200 OK\r\nContent-Length: 400\r\n\r\n{\"id\""), callGetHub, isDeadline},
		{"http1: 100 Continue forever", func(t testing.TB) *hostileServer {
			return rawHTTP1(t, func(nc net.Conn, _ *http.Request) {
				for {
					if _, err := io.WriteString(nc, "HTTP/1.1 100 Continue\r\n\r\n"); err != nil {
						return
					}
				}
			})
		}, callGetHub, isA[*versori.TransportError]},
		{"http1: 103 Early Hints, then the answer", http1Answering("HTTP/1.1 103 Early Hints\r\nLink: </x>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: " + cl + "\r\n\r\n" + hub), callGetHub, isOK},
		{"http1: Content-Length and Transfer-Encoding both", http1Answering("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n" + strconv.FormatInt(int64(len(hub)), 16) + "\r\n" + hub + "\r\n0\r\n\r\n"), callGetHub, isOK},
		{"http1: two Content-Lengths that disagree", http1Answering("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"), callGetHub, isA[*versori.TransportError]},
		{"http1: negative Content-Length", http1Answering("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nabcd"), callGetHub, isA[*versori.TransportError]},
		{"http1: Content-Length over the limit", http1Answering("HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775807\r\n\r\n{"), callGetHub,
			func(t *testing.T, err error) { assert.ErrorIs(t, err, versori.ErrTooLarge) }},
		{"http1: Transfer-Encoding gzip, chunked", http1Answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"), callGetHub, isA[*versori.TransportError]},
		{"http1: chunk size overflow", http1Answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nabc"), callGetHub, isA[*versori.DecodeError]},
		{"http1: Content-Encoding gzip on plain JSON", http1Answering("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + cl + "\r\n\r\n" + hub), callGetHub, isA[*versori.DecodeError]},
		{"http1: 204 with a body", http1Answering("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello"), callGetHub, isA[*versori.DecodeError]},

		// HTTP/2, frame by frame.
		{"h2: no flow-control window for the POST body", h2Answering(func(*rawH2Conn, *rawH2Request) {}, http2.Setting{ID: http2.SettingInitialWindowSize, Val: 0}), callCreateHub, isDeadline},
		{"h2: HEADERS without END_HEADERS, no CONTINUATION", h2Answering(func(w *rawH2Conn, r *rawH2Request) { _ = w.HeaderBlock(r.StreamID, false, false, ":status", "200") }), callGetHub, isDeadline},
		{"h2: 103 forever", h2Answering(func(w *rawH2Conn, r *rawH2Request) {
			for w.Headers(r.StreamID, 103, false, "link", "</x>") == nil {
			}
		}), callGetHub, isError},
		{"h2: 101 to a request", h2Answering(func(w *rawH2Conn, r *rawH2Request) { _ = w.Headers(r.StreamID, 101, false) }), callGetHub, isError},
		{"h2: GOAWAY storm", h2Answering(func(w *rawH2Conn, r *rawH2Request) {
			for range 1000 {
				if w.GoAway(r.StreamID, http2.ErrCodeNo) != nil {
					return
				}
			}
		}), callCreateHub, isError},
		{"h2: trailers, one claiming a Content-Length", h2Answering(func(w *rawH2Conn, r *rawH2Request) {
			_ = w.Headers(r.StreamID, 201, false, "trailer", "x-t")
			w.Data(r.StreamID, hub, false)
			_ = w.HeaderBlock(r.StreamID, true, true, "x-t", "1", "content-length", "1")
		}), callCreateHub, isOK},
		{"h2: Content-Length shorter than the DATA", h2Answering(func(w *rawH2Conn, r *rawH2Request) {
			_ = w.Headers(r.StreamID, 200, false, "content-length", "5")
			w.Data(r.StreamID, hub, true)
		}), callGetHub, isError},
	}
}

// TestBrokenFramingEndsByTheDeadline: whatever framing a server breaks, the
// call ends by its deadline, with the error the case names.
func TestBrokenFramingEndsByTheDeadline(t *testing.T) {
	for _, tc := range framingCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := tc.start(t)
			c := newHostileClient(t, srv, withNoRetries())
			ctx, cancel := context.WithTimeout(context.Background(), framingDeadline)
			defer cancel()
			start := time.Now()
			done := make(chan error, 1)
			go func() { done <- tc.call.do(ctx, c.Client) }()
			select {
			case err := <-done:
				assert.Less(t, time.Since(start), framingDeadline+framingSlack, "the call outlived its deadline")
				t.Logf("%v after %v", err, time.Since(start).Round(time.Millisecond))
				tc.check(t, err)
			case <-time.After(framingDeadline + framingSlack):
				t.Fatalf("the call is still running %v after its %v deadline", framingSlack, framingDeadline)
			}
		})
	}
}

// TestCertificateForAnotherHostRefused: a certificate the client trusts,
// but issued to another host name, ends the call before anything is sent.
func TestCertificateForAnotherHostRefused(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "versori.invalid"}, DNSNames: []string{"versori.invalid"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, NextProtos: []string{"h2", "http/1.1"}})
	require.NoError(t, err)
	srv := &hostileServer{URL: "https://" + ln.Addr().String(), clientTLS: &tls.Config{RootCAs: pool}}
	var handshakes atomic.Int32
	startConnServer(t, ln, &srv.conns, func(nc net.Conn, _ int) {
		if nc.(*tls.Conn).Handshake() == nil {
			handshakes.Add(1)
		}
	})
	for _, m := range []hostileCall{callGetHub, callCreateHub} {
		c := newHostileClient(t, srv, withNoRetries())
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err := m.do(ctx, c.Client)
		cancel()
		var cv *tls.CertificateVerificationError
		require.True(t, errors.As(err, &cv), "%s: want a certificate error, got %v", m.name, err)
		assert.ErrorIs(t, err, versori.ErrNotSent, m.name)
	}
	assert.Zero(t, handshakes.Load(), "the client completed a handshake with a certificate for another host")
}

// TestH2CancelWhileHeadersBlocked: over HTTP/2, a context that ends while
// the transport's writer is still flushing a request's headers makes
// RoundTrip return at once (net/http waits only for the body's Close, not
// for its writer), and the writer then goes on to Read the body. Telling
// whether the body was read by looking at it after Do failed is then a data
// race with that Read (go test -race).
func TestH2CancelWhileHeadersBlocked(t *testing.T) {
	const padding = 8 << 20
	cert, roots := hostileCertificate()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2"}})
	require.NoError(t, err)
	defer ln.Close()
	gate := make(chan struct{})
	served := make(chan struct{})
	var got atomic.Int64
	go func() {
		defer close(served)
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		_ = nc.(*tls.Conn).Handshake()
		<-gate // read nothing until the call has failed: the client's writes block
		_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, 64<<10)
		for {
			n, err := nc.Read(buf)
			got.Add(int64(n))
			if err != nil {
				return
			}
		}
	}()
	tr := sdkTransport(&tls.Config{RootCAs: roots})
	defer tr.CloseIdleConnections()
	c, err := versori.NewClient(versori.WithAPIKey(hostileKey), versori.WithBaseURL("https://"+ln.Addr().String()),
		versori.WithHTTPClient(&http.Client{Transport: tr}), withNoRetries())
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	_, err = c.Hubs.Create(ctx, hostileHubParams(), versori.WithHeader("X-Padding", strings.Repeat("a", padding)))
	cancel()
	close(gate)
	require.Error(t, err)
	var te *versori.TransportError
	require.True(t, errors.As(err, &te), "%v", err)
	// Its headers went out: it may not be reported as never sent.
	require.ErrorIs(t, err, versori.ErrMaybeProcessed)
	// Let the writer finish flushing the headers and reach the body.
	for deadline := time.Now().Add(20 * time.Second); got.Load() < padding/2 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	tr.CloseIdleConnections()
}
