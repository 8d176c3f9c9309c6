package versori_test

// The hostile suite's shared pieces: the SDK calls it makes, the client it
// makes them with (the SDK's kind of transport behind a counting
// RoundTripper), and the servers it makes them against:
//
//   - kindHTTP1: httptest.NewServer, plain HTTP/1.1;
//   - kindH2: net/http's own HTTP/2 server over TLS (httptest with
//     EnableHTTP2), which is what most production stacks look like;
//   - kindRawH2: an HTTP/2 server written frame by frame with
//     golang.org/x/net/http2's Framer over a TLS listener (ALPN h2), for the
//     faults only frames can make: RST_STREAM with a chosen code, GOAWAY with
//     a chosen last-stream-id, a connection closed mid-DATA, settings of
//     its choosing, header blocks left open;
//   - rawHTTP1 (kindHTTP1 too): a plain-HTTP listener that reads the request
//     and then writes whatever bytes the test likes, for answers net/http's
//     server would never send (malformed status and header lines, lying
//     Content-Lengths, 1xx storms).
//
// Every server counts what it sees (handler invocations; HEADERS frames on
// the raw server) and its open connections, so a test can compare what the
// SDK sent (its attempts, counted by countingTransport) with what reached
// the server. The suites use only the SDK's public API, so that they
// survive a rewrite of its request path; adapt the builders here if a name
// changes.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/versori-go/versori"
)

const (
	hostileKey        = "vk_live_HOSTILE_api_key_0042"
	hostileHubID      = "01HUB"
	hostileUserID     = "acme-42"
	hostileActivation = "01ACT"
	// warmupHubID is a hub every hostile server answers normally and counts
	// nowhere: a GET for it opens the connection that a "reused connection"
	// case then faults.
	warmupHubID = "WARMUP"
	// otherHost is a second host name for the same loopback servers: the
	// test transport dials it as 127.0.0.1, and the test certificate is
	// valid for it, so a redirect can cross hosts over TLS too.
	otherHost = "example.com"
)

// hostilePolicy keeps the SDK's own retries fast: the hostile suites count
// attempts, they do not time backoff.
var hostilePolicy = versori.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

// hostileDeadline bounds a call whose transport may loop by itself: net/http's
// HTTP/2 transport re-sends on its own connection after 0 s, 1 s, 2 s, 4 s, ...
// (up to 8 sends), and without any backoff or count on a new connection each
// time when the one it used became unusable (see transport_test.go). What the
// server saw within it is recorded.
const hostileDeadline = 1500 * time.Millisecond

// Healthy answers, valid against the spec (every required property present).
const (
	hostileHubJSON        = `{"id":"01HUB","name":"Acme","isDefault":true,"primaryConnector":{"connectorId":"01CON","name":"CRM","imageUrl":"https://x/y.png","variables":[],"authSchemeConfig":{"id":"01ASC","description":"","schemeType":"none"}}}`
	hostileConnectionJSON = `{"id":"01CONN","name":"acme-42 CRM","credentials":{"action":[]},"variables":[],"createdAt":"2025-03-14T09:26:53Z","updatedAt":"2025-03-14T09:26:53Z"}`
	hostileEndUserJSON    = `{"id":"01USR","externalId":"acme-42","displayName":"Acme 42","hubId":"01HUB","primaryConnection":` + hostileConnectionJSON + `,"createdAt":"2025-03-14T09:26:53Z","updatedAt":"2025-03-14T09:26:53Z"}`
	hostileVariablesJSON  = `{"dynamicVariables":{"region":"eu"}}`
)

// hostileCall is one SDK call as the hostile suites make it.
type hostileCall struct {
	name   string // "GET GetHub"
	op     string // the spec's operationId
	method string
	// write: POST, PUT, PATCH, DELETE. A write must reach the server at most
	// once per attempt the SDK makes.
	write  bool
	do     func(ctx context.Context, c *versori.Client) error
	status int    // a healthy server's status
	answer string // and body
}

func hostileHubParams() versori.CreateHubParams {
	return versori.CreateHubParams{
		OrganisationID: "01ORG", Name: "Acme", PrimaryConnectorID: "01CON",
		AuthSchemeConfig: versori.AuthSchemeConfig{ID: "01ASC", Scheme: versori.APIKeyScheme{Name: "X-Key", In: versori.InHeader}},
	}
}

func hostileConnectionCreate() versori.ConnectionCreate {
	return versori.ConnectionCreate{
		Name: "acme-42 CRM",
		Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
			AuthSchemeConfig: versori.AuthSchemeConfig{ID: "01ASC", Scheme: versori.APIKeyScheme{Name: "X-API-Key", In: versori.InHeader}},
			Credential:       versori.NewCredential("acme-42 key", versori.StringCredential{Value: versori.NewSecret("s3cret-acme-42")}),
		}}},
	}
}

func hostileUserParams() versori.CreateEndUserParams {
	return versori.CreateEndUserParams{ExternalID: hostileUserID, DisplayName: "Acme 42", PrimaryConnection: hostileConnectionCreate()}
}

var (
	callGetHub = hostileCall{
		name: "GET GetHub", op: "GetHub", method: http.MethodGet, status: 200, answer: hostileHubJSON,
		do: func(ctx context.Context, c *versori.Client) error {
			_, err := c.Hubs.Get(ctx, hostileHubID)
			return err
		},
	}
	callCreateHub = hostileCall{
		name: "POST CreateHub", op: "CreateHub", method: http.MethodPost, write: true, status: 201, answer: hostileHubJSON,
		do: func(ctx context.Context, c *versori.Client) error {
			_, err := c.Hubs.Create(ctx, hostileHubParams())
			return err
		},
	}
	callUpdateVariables = hostileCall{
		name: "PUT UpdateDynamicVariables", op: "UpdateDynamicVariables", method: http.MethodPut, write: true, status: 200, answer: hostileVariablesJSON,
		do: func(ctx context.Context, c *versori.Client) error {
			_, err := c.Activations.UpdateVariables(ctx, hostileActivation, versori.DynamicVariables{"region": "eu"})
			return err
		},
	}
	callDeleteUser = hostileCall{
		name: "DELETE DeleteEndUser", op: "DeleteEndUser", method: http.MethodDelete, write: true, status: 204,
		do: func(ctx context.Context, c *versori.Client) error {
			return c.Users.Delete(ctx, hostileHubID, versori.ExternalUser(hostileUserID))
		},
	}
	callGetUser = hostileCall{
		name: "GET GetEndUser", op: "GetEndUser", method: http.MethodGet, status: 200, answer: hostileEndUserJSON,
		do: func(ctx context.Context, c *versori.Client) error {
			_, err := c.Users.Get(ctx, hostileHubID, versori.ExternalUser(hostileUserID))
			return err
		},
	}
	callCreateUser = hostileCall{
		name: "POST CreateEndUser", op: "CreateEndUser", method: http.MethodPost, write: true, status: 201, answer: hostileEndUserJSON,
		do: func(ctx context.Context, c *versori.Client) error {
			_, err := c.Users.Create(ctx, hostileHubID, hostileUserParams())
			return err
		},
	}
	callCreateConnection = hostileCall{
		name: "POST CreateEndUserConnection", op: "CreateEndUserConnection", method: http.MethodPost, write: true, status: 201, answer: hostileConnectionJSON,
		do: func(ctx context.Context, c *versori.Client) error {
			_, err := c.Connections.Create(ctx, hostileHubID, versori.ExternalUser(hostileUserID),
				versori.CreateConnectionParams{ConnectorID: "01CON", Connection: hostileConnectionCreate()})
			return err
		},
	}
)

// hostileMethods are the matrix's columns: one call per HTTP method. DELETE
// is a write without a body.
var hostileMethods = []hostileCall{callGetHub, callCreateHub, callUpdateVariables, callDeleteUser}

// countingTransport counts the attempts the SDK makes (each RoundTrip is one)
// and records the protocol of every response it gets.
type countingTransport struct {
	next     http.RoundTripper
	mu       sync.Mutex
	attempts map[string]int // by method
	protos   []int          // ProtoMajor of each response
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.attempts[r.Method]++
	c.mu.Unlock()
	resp, err := c.next.RoundTrip(r)
	if resp != nil {
		c.mu.Lock()
		c.protos = append(c.protos, resp.ProtoMajor)
		c.mu.Unlock()
	}
	return resp, err
}

func (c *countingTransport) count(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.attempts[method]
}

func (c *countingTransport) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.attempts {
		n += v
	}
	return n
}

func (c *countingTransport) responseProtos() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]int(nil), c.protos...)
}

func (c *countingTransport) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.attempts = map[string]int{}
	c.protos = nil
}

// sdkTransport is the SDK's kind of transport: a clone of
// http.DefaultTransport, HTTP/2 forced on, trusting clientTLS (nil for plain
// HTTP), and dialling otherHost as loopback.
func sdkTransport(clientTLS *tls.Config) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ForceAttemptHTTP2 = true
	if clientTLS != nil {
		tr.TLSClientConfig = clientTLS.Clone()
	}
	d := &net.Dialer{Timeout: 5 * time.Second}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if host, port, err := net.SplitHostPort(addr); err == nil && host == otherHost {
			addr = net.JoinHostPort("127.0.0.1", port)
		}
		return d.DialContext(ctx, network, addr)
	}
	return tr
}

// hostileClient is an SDK client for one hostile server, with the transport
// under it exposed for counting and for closing its idle connections.
type hostileClient struct {
	*versori.Client
	rt *countingTransport
	tr *http.Transport
}

// newHostileClient returns a client for s through WithHTTPClient, with
// hostilePolicy and opts. The transport's idle connections are closed when
// the test ends.
func newHostileClient(t testing.TB, s *hostileServer, opts ...versori.Option) *hostileClient {
	t.Helper()
	tr := sdkTransport(s.clientTLS)
	rt := &countingTransport{next: tr, attempts: map[string]int{}}
	c, err := versori.NewClient(append([]versori.Option{
		versori.WithAPIKey(hostileKey),
		versori.WithBaseURL(s.URL),
		versori.WithHTTPClient(&http.Client{Transport: rt}),
		versori.WithRetryPolicy(hostilePolicy),
	}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(tr.CloseIdleConnections)
	return &hostileClient{Client: c, rt: rt, tr: tr}
}

// withNoRetries turns the SDK's own retries off.
func withNoRetries() versori.Option {
	return versori.WithRetryPolicy(versori.RetryPolicy{MaxRetries: 0})
}

// warmUp makes one healthy call, so that the next call meets a reused
// connection, and forgets it was made.
func (c *hostileClient) warmUp(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := c.Hubs.Get(ctx, warmupHubID)
	require.NoError(t, err, "warm-up call")
	c.rt.reset()
}

// serverKind is the kind of hostile server.
type serverKind string

const (
	kindHTTP1 serverKind = "http1"  // httptest.NewServer: HTTP/1.1 in clear
	kindH2    serverKind = "h2"     // net/http's HTTP/2 server over TLS
	kindRawH2 serverKind = "raw-h2" // HTTP/2 frame by frame over TLS
)

// netHTTPKinds are the servers a handler can run on.
var netHTTPKinds = []serverKind{kindHTTP1, kindH2}

// serverRequest is one request a hostile server received.
type serverRequest struct {
	Method, Path, Query string
	Proto               int // ProtoMajor
	Auth                string
	Body                string
	Complete            bool // the whole body arrived (END_STREAM, or the handler read it)
}

// connTracker counts a server's connections.
type connTracker struct {
	open, total atomic.Int64
}

func (c *connTracker) opened() { c.open.Add(1); c.total.Add(1) }
func (c *connTracker) closed() { c.open.Add(-1) }

// hook is an http.Server ConnState hook.
func (c *connTracker) hook(_ net.Conn, st http.ConnState) {
	switch st {
	case http.StateNew:
		c.opened()
	case http.StateHijacked, http.StateClosed:
		c.closed()
	}
}

// hostileServer is a running hostile server of any kind.
type hostileServer struct {
	kind      serverKind
	URL       string
	clientTLS *tls.Config // trusts the server; nil for plain HTTP
	conns     connTracker
	mu        sync.Mutex
	reqs      []serverRequest
}

func (s *hostileServer) record(r serverRequest) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, r)
	return len(s.reqs) - 1
}

func (s *hostileServer) update(i int, f func(*serverRequest)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.reqs[i])
}

// requests returns what the server received, warm-up calls excluded.
func (s *hostileServer) requests() []serverRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]serverRequest(nil), s.reqs...)
}

// count returns how many requests with method reached the server: handler
// invocations, or HEADERS frames on the raw server.
func (s *hostileServer) count(method string) int {
	n := 0
	for _, r := range s.requests() {
		if r.Method == method {
			n++
		}
	}
	return n
}

// closedAfter closes the client's idle connections until the server has no
// open connection, and reports whether that happened within d. It closes
// them on every poll: net/http finishes a dial in the background after the
// request that started it has given up, and pools the connection then.
func (s *hostileServer) closedAfter(c *hostileClient, d time.Duration) bool {
	return eventually(d, func() bool {
		c.tr.CloseIdleConnections()
		return s.conns.open.Load() == 0
	})
}

func isWarmup(path string) bool { return path == "/hubs/"+warmupHubID }

// startNetHTTP starts h on a net/http server of kind (kindHTTP1 or kindH2).
// Every request's body is read whole before h runs (so every fault comes
// after the server has the body), and recorded.
func startNetHTTP(t testing.TB, kind serverKind, h http.HandlerFunc) *hostileServer {
	t.Helper()
	s := &hostileServer{kind: kind}
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if isWarmup(r.URL.Path) {
			writeAnswer(w, 200, hostileHubJSON)
			return
		}
		s.record(serverRequest{
			Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Proto: r.ProtoMajor,
			Auth: r.Header.Get("Authorization"), Body: string(body), Complete: err == nil,
		})
		r.Body = io.NopCloser(bytes.NewReader(body))
		h(w, r)
	}))
	ts.Config.ConnState = s.conns.hook
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // hostile handlers make net/http complain
	switch kind {
	case kindHTTP1:
		ts.Start()
	case kindH2:
		ts.EnableHTTP2 = true
		ts.StartTLS()
		pool := x509.NewCertPool()
		pool.AddCert(ts.Certificate())
		s.clientTLS = &tls.Config{RootCAs: pool}
	default:
		t.Fatalf("startNetHTTP: kind %q has no net/http server", kind)
	}
	s.URL = ts.URL
	t.Cleanup(ts.Close)
	return s
}

// writeAnswer writes a JSON answer.
func writeAnswer(w http.ResponseWriter, status int, body string) {
	if body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// healthy answers r as a healthy API would for its method.
func healthy(w http.ResponseWriter, r *http.Request) {
	m := callByMethod(r.Method)
	writeAnswer(w, m.status, m.answer)
}

func callByMethod(method string) hostileCall {
	for _, m := range hostileMethods {
		if m.method == method {
			return m
		}
	}
	panic("no hostile call for " + method)
}

// hijackClose closes an HTTP/1.1 connection under a handler without
// answering; on HTTP/2, which cannot be hijacked, it aborts the handler
// (net/http then resets the stream).
func hijackClose(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// hostileCertificate returns httptest's certificate (valid for 127.0.0.1,
// ::1 and example.com) and a pool trusting it, for the raw HTTP/2 server.
var hostileCertificate = sync.OnceValues(func() (tls.Certificate, *x509.CertPool) {
	ts := httptest.NewUnstartedServer(http.NotFoundHandler())
	ts.StartTLS()
	defer ts.Close()
	pool := x509.NewCertPool()
	pool.AddCert(ts.Certificate())
	return ts.TLS.Certificates[0], pool
})

// startConnServer accepts connections on ln and runs serve on each, with
// its 1-based number, counting it in conns while it is open. When the test
// ends it closes them all and waits for their goroutines.
func startConnServer(t testing.TB, ln net.Listener, conns *connTracker, serve func(nc net.Conn, n int)) {
	t.Helper()
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		closing bool
		open    = map[net.Conn]struct{}{}
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := 1; ; n++ {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			if closing {
				mu.Unlock()
				_ = nc.Close()
				continue
			}
			open[nc] = struct{}{}
			wg.Add(1)
			mu.Unlock()
			conns.opened()
			go func(n int) {
				defer wg.Done()
				defer conns.closed()
				defer func() {
					mu.Lock()
					delete(open, nc)
					mu.Unlock()
					_ = nc.Close()
				}()
				_ = nc.SetDeadline(time.Now().Add(30 * time.Second)) // no test conversation lasts longer
				serve(nc, n)
			}(n)
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		closing = true
		for c := range open {
			_ = c.Close()
		}
		mu.Unlock()
		_ = ln.Close()
		wg.Wait()
	})
}

// rawHTTP1 is a plain-HTTP server that reads one request per connection,
// records it, and then lets answer write whatever bytes it likes.
func rawHTTP1(t testing.TB, answer func(nc net.Conn, r *http.Request)) *hostileServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &hostileServer{kind: kindHTTP1, URL: "http://" + ln.Addr().String()}
	startConnServer(t, ln, &s.conns, func(nc net.Conn, _ int) {
		r, err := http.ReadRequest(bufio.NewReader(nc))
		if err != nil {
			return
		}
		body, _ := io.ReadAll(r.Body)
		s.record(serverRequest{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Proto: 1,
			Auth: r.Header.Get("Authorization"), Body: string(body), Complete: true})
		answer(nc, r)
	})
	return s
}

// stall blocks until the connection is closed (by the client, or by the
// server's cleanup).
func stall(nc net.Conn) { _, _ = io.Copy(io.Discard, nc) }

// rawH2Request is a request the raw HTTP/2 server received whole.
type rawH2Request struct {
	StreamID     uint32
	Method, Path string
	Body         []byte
	Conn         int // 1-based index of its connection
	OnConn       int // 1-based index of the request on its connection: 1 on a fresh connection
}

// rawH2Handler answers a request, frame by frame, once its END_STREAM came.
type rawH2Handler func(w *rawH2Conn, r *rawH2Request)

// rawH2Conn writes frames to one connection of the raw HTTP/2 server.
type rawH2Conn struct {
	nc     net.Conn
	fr     *http2.Framer
	enc    *hpack.Encoder
	buf    bytes.Buffer
	closed bool
}

// HeaderBlock writes a HEADERS frame with the pairs kv (pseudo-headers
// first), ending the header block or not.
func (w *rawH2Conn) HeaderBlock(id uint32, endHeaders, endStream bool, kv ...string) error {
	w.buf.Reset()
	for i := 0; i+1 < len(kv); i += 2 {
		_ = w.enc.WriteField(hpack.HeaderField{Name: kv[i], Value: kv[i+1]})
	}
	return w.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: w.buf.Bytes(), EndStream: endStream, EndHeaders: endHeaders})
}

// Headers writes a whole header block: :status and the header pairs kv.
func (w *rawH2Conn) Headers(id uint32, status int, endStream bool, kv ...string) error {
	return w.HeaderBlock(id, true, endStream, append([]string{":status", strconv.Itoa(status)}, kv...)...)
}

// Data writes a DATA frame (p must fit one frame: 16 KiB).
func (w *rawH2Conn) Data(id uint32, p string, endStream bool) {
	_ = w.fr.WriteData(id, endStream, []byte(p))
}

// Respond writes a whole answer.
func (w *rawH2Conn) Respond(id uint32, status int, body string) {
	if body == "" {
		_ = w.Headers(id, status, true)
		return
	}
	_ = w.Headers(id, status, false, "content-type", "application/json", "content-length", strconv.Itoa(len(body)))
	w.Data(id, body, true)
}

// Reset writes RST_STREAM.
func (w *rawH2Conn) Reset(id uint32, code http2.ErrCode) { _ = w.fr.WriteRSTStream(id, code) }

// GoAway writes GOAWAY.
func (w *rawH2Conn) GoAway(lastStreamID uint32, code http2.ErrCode) error {
	return w.fr.WriteGoAway(lastStreamID, code, []byte("hostile"))
}

// Close closes the TCP connection.
func (w *rawH2Conn) Close() {
	w.closed = true
	_ = w.nc.Close()
}

// startRawH2 starts a raw HTTP/2 server that sends settings first and
// answers every request with h (warm-up requests are answered normally). It
// counts a request when its HEADERS frame arrives.
func startRawH2(t testing.TB, h rawH2Handler, settings ...http2.Setting) *hostileServer {
	t.Helper()
	cert, roots := hostileCertificate()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{http2.NextProtoTLS}})
	require.NoError(t, err)
	s := &hostileServer{kind: kindRawH2, URL: "https://" + ln.Addr().String(), clientTLS: &tls.Config{RootCAs: roots}}
	startConnServer(t, ln, &s.conns, func(nc net.Conn, n int) { s.serveRawH2(nc, n, settings, h) })
	return s
}

func (s *hostileServer) serveRawH2(nc net.Conn, connSeq int, settings []http2.Setting, h rawH2Handler) {
	tc := nc.(*tls.Conn)
	if err := tc.Handshake(); err != nil || tc.ConnectionState().NegotiatedProtocol != http2.NextProtoTLS {
		return
	}
	preface := make([]byte, len(http2.ClientPreface))
	if _, err := io.ReadFull(tc, preface); err != nil || string(preface) != http2.ClientPreface {
		return
	}
	w := &rawH2Conn{nc: tc, fr: http2.NewFramer(tc, tc)}
	w.fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	w.enc = hpack.NewEncoder(&w.buf)
	if w.fr.WriteSettings(settings...) != nil {
		return
	}
	type pending struct {
		req *rawH2Request
		idx int // in s.reqs; -1 for a warm-up
	}
	streams := map[uint32]pending{}
	onConn := 0
	handle := func(p pending) {
		if p.idx >= 0 {
			s.update(p.idx, func(r *serverRequest) { r.Body, r.Complete = string(p.req.Body), true })
		}
		if isWarmup(p.req.Path) {
			w.Respond(p.req.StreamID, 200, hostileHubJSON)
			return
		}
		h(w, p.req)
	}
	for !w.closed {
		f, err := w.fr.ReadFrame()
		if err != nil {
			return
		}
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if !f.IsAck() {
				_ = w.fr.WriteSettingsAck()
			}
		case *http2.PingFrame:
			if !f.IsAck() {
				_ = w.fr.WritePing(true, f.Data)
			}
		case *http2.MetaHeadersFrame:
			onConn++
			r := &rawH2Request{StreamID: f.StreamID, Method: f.PseudoValue("method"), Path: f.PseudoValue("path"), Conn: connSeq, OnConn: onConn}
			p := pending{req: r, idx: -1}
			if !isWarmup(r.Path) {
				path, query, _ := strings.Cut(r.Path, "?")
				var auth string
				for _, hf := range f.RegularFields() {
					if hf.Name == "authorization" {
						auth = hf.Value
					}
				}
				p.idx = s.record(serverRequest{Method: r.Method, Path: path, Query: query, Proto: 2, Auth: auth})
			}
			if f.StreamEnded() {
				handle(p)
			} else {
				streams[f.StreamID] = p
			}
		case *http2.DataFrame:
			p, ok := streams[f.StreamID]
			if !ok {
				continue
			}
			p.req.Body = append(p.req.Body, f.Data()...)
			if n := uint32(len(f.Data())); n > 0 {
				_ = w.fr.WriteWindowUpdate(0, n)
			}
			if f.StreamEnded() {
				delete(streams, f.StreamID)
				handle(p)
			}
		case *http2.GoAwayFrame:
			return
		}
	}
}

// endlessJSON writes `{"id":"xxxx…` until the client goes away or max bytes
// are written: a 2xx body only the size limit can stop.
func endlessJSON(w io.Writer, max int64) {
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	if _, err := io.WriteString(w, `{"id":"`); err != nil {
		return
	}
	for written := int64(0); written < max; written += int64(len(chunk)) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// gzipBombSize is what the gzip bomb decompresses to.
const gzipBombSize = 128 << 20

// gzipBomb is about 128 KiB of gzip that decompresses to 128 MiB of
// `{"id":"xxxx…`: one gzip member for the first MiB, then copies of one for
// a MiB of x (a gzip reader reads concatenated members as one stream, as
// net/http's transparent decompression does), so building it compresses 2 MiB
// rather than 128.
var gzipBomb = sync.OnceValue(func() []byte {
	member := func(prefix string) []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, _ = io.WriteString(zw, prefix)
		_, _ = zw.Write(bytes.Repeat([]byte("x"), 1<<20))
		_ = zw.Close()
		return b.Bytes()
	}
	bomb := member(`{"id":"`)
	rest := member("")
	for range gzipBombSize>>20 - 1 {
		bomb = append(bomb, rest...)
	}
	return bomb
})

// heapSampler records the peak of the heap's object bytes while it runs.
type heapSampler struct {
	stop, done chan struct{}
	base, peak uint64
}

func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// startHeapSampler collects garbage, takes the baseline and samples the heap
// every 200 µs until growth is called.
func startHeapSampler() *heapSampler {
	runtime.GC()
	s := &heapSampler{stop: make(chan struct{}), done: make(chan struct{}), base: heapObjects()}
	s.peak = s.base
	go func() {
		defer close(s.done)
		tick := time.NewTicker(200 * time.Microsecond)
		defer tick.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-tick.C:
				s.peak = max(s.peak, heapObjects())
			}
		}
	}()
	return s
}

// growth stops the sampler and returns the peak growth over the baseline.
func (s *heapSampler) growth() uint64 {
	close(s.stop)
	<-s.done
	s.peak = max(s.peak, heapObjects())
	return s.peak - s.base
}

// raceEnabled reports whether the test binary was built with -race.
var raceEnabled = sync.OnceValue(func() bool {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-race" {
				return s.Value == "true"
			}
		}
	}
	return false
})

// eventually polls cond until it holds or d passes.
func eventually(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// goroutineDump returns every goroutine's stack, for a leak report.
func goroutineDump() string {
	buf := make([]byte, 4<<20)
	return string(buf[:runtime.Stack(buf, true)])
}

// wordRegexp matches name as a whole identifier, so "id" does not match
// "hubId" or "identifier_type".
func wordRegexp(name string) *regexp.Regexp {
	return regexp.MustCompile(`(^|[^A-Za-z0-9_])` + regexp.QuoteMeta(name) + `([^A-Za-z0-9_]|$)`)
}

// withoutField returns the JSON object obj without its top-level key.
func withoutField(obj, key string) string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(obj), &m); err != nil {
		panic(err)
	}
	if _, ok := m[key]; !ok {
		panic("no " + key + " in " + obj)
	}
	delete(m, key)
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// errText is err's text, or "ok".
func errText(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

// shortErr is a one-line error summary for a table cell.
func shortErr(err error) string {
	s := errText(err)
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return strings.ReplaceAll(s, "|", "/")
}

// outcomeTable renders recorded outcomes as a Markdown table, rows sorted.
func outcomeTable(header string, rows map[string]string) string {
	keys := make([]string, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(header + "\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "| %s | %s |\n", k, rows[k])
	}
	return b.String()
}
