package versori_test

// Attacks from the wire: a hostile server (or a broken proxy) answering the
// SDK's requests over plain HTTP/1.1 written byte by byte, and over HTTP/2
// on TLS written frame by frame. Every call carries a short deadline; the
// one property checked everywhere is that the deadline holds and the call
// ends with an error of the right kind. The cases not already in
// transport_test.go, response_test.go and redirect_test.go.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/versori-go/versori"
)

// attackDeadline bounds every attacked call; a call must end within
// attackDeadline + attackSlack.
const (
	attackDeadline = 300 * time.Millisecond
	attackSlack    = 700 * time.Millisecond
)

// connServer runs serve on each accepted connection and, when the test ends,
// closes them all and waits for their goroutines.
type connServer struct {
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns map[net.Conn]bool
	done  bool
}

func startConnServer(t testing.TB, ln net.Listener, serve func(nc net.Conn)) *connServer {
	t.Helper()
	s := &connServer{ln: ln, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			if s.done {
				s.mu.Unlock()
				_ = nc.Close()
				continue
			}
			s.conns[nc] = true
			s.wg.Add(1)
			s.mu.Unlock()
			go func() {
				defer s.wg.Done()
				defer func() {
					s.mu.Lock()
					delete(s.conns, nc)
					s.mu.Unlock()
					_ = nc.Close()
				}()
				_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
				serve(nc)
			}()
		}
	}()
	t.Cleanup(func() {
		s.mu.Lock()
		s.done = true
		for nc := range s.conns {
			_ = nc.Close()
		}
		s.mu.Unlock()
		_ = ln.Close()
		s.wg.Wait()
	})
	return s
}

// rawHTTP1 is a plain-HTTP server that reads one request per connection and
// then lets answer write whatever bytes it likes.
func rawHTTP1(t testing.TB, answer func(nc net.Conn, r *http.Request)) *hostileServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &hostileServer{kind: kindHTTP1, URL: "http://" + ln.Addr().String()}
	startConnServer(t, ln, func(nc net.Conn) {
		r, err := http.ReadRequest(bufio.NewReader(nc))
		if err != nil {
			return
		}
		body, _ := io.ReadAll(r.Body)
		srv.record(serverRequest{Method: r.Method, Path: r.URL.EscapedPath(), Proto: 1, Auth: r.Header.Get("Authorization"), Body: string(body), Complete: true})
		answer(nc, r)
	})
	return srv
}

// stall blocks until the connection is closed (by the client, or by the
// server's cleanup).
func stall(nc net.Conn) { _, _ = io.Copy(io.Discard, nc) }

// h2Script is an HTTP/2 server over TLS that sends settings first and calls
// onHeaders for every request's HEADERS, without waiting for its body.
type h2Script struct {
	settings  []http2.Setting
	onHeaders func(w *h2ScriptConn, id uint32)
}

// h2ScriptConn writes frames on one connection of an h2Script server.
type h2ScriptConn struct {
	nc  net.Conn
	mu  sync.Mutex
	fr  *http2.Framer
	buf bytes.Buffer
	enc *hpack.Encoder
}

// headers writes HEADERS with the pairs kv.
func (w *h2ScriptConn) headers(id uint32, endHeaders, endStream bool, kv ...string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Reset()
	for i := 0; i+1 < len(kv); i += 2 {
		_ = w.enc.WriteField(hpack.HeaderField{Name: kv[i], Value: kv[i+1]})
	}
	return w.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: w.buf.Bytes(), EndHeaders: endHeaders, EndStream: endStream})
}

func (w *h2ScriptConn) data(id uint32, endStream bool, p string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.fr.WriteData(id, endStream, []byte(p))
}

func (w *h2ScriptConn) goAway(last uint32) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.fr.WriteGoAway(last, http2.ErrCodeNo, nil)
}

func startH2Script(t testing.TB, s h2Script) *hostileServer {
	t.Helper()
	cert, roots := hostileCertificate()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{http2.NextProtoTLS}})
	require.NoError(t, err)
	srv := &hostileServer{kind: kindRawH2, URL: "https://" + ln.Addr().String(), clientTLS: &tls.Config{RootCAs: roots}}
	startConnServer(t, ln, func(nc net.Conn) {
		tc := nc.(*tls.Conn)
		if tc.Handshake() != nil {
			return
		}
		preface := make([]byte, len(http2.ClientPreface))
		if _, err := io.ReadFull(tc, preface); err != nil {
			return
		}
		w := &h2ScriptConn{nc: tc, fr: http2.NewFramer(tc, tc)}
		w.fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
		w.enc = hpack.NewEncoder(&w.buf)
		w.mu.Lock()
		err := w.fr.WriteSettings(s.settings...)
		w.mu.Unlock()
		if err != nil {
			return
		}
		var wg sync.WaitGroup
		defer wg.Wait()
		defer func() { _ = tc.Close() }()
		for {
			f, err := w.fr.ReadFrame()
			if err != nil {
				return
			}
			switch f := f.(type) {
			case *http2.SettingsFrame:
				if !f.IsAck() {
					w.mu.Lock()
					_ = w.fr.WriteSettingsAck()
					w.mu.Unlock()
				}
			case *http2.PingFrame:
				if !f.IsAck() {
					w.mu.Lock()
					_ = w.fr.WritePing(true, f.Data)
					w.mu.Unlock()
				}
			case *http2.MetaHeadersFrame:
				srv.record(serverRequest{Method: f.PseudoValue("method"), Path: f.PseudoValue("path"), Proto: 2})
				wg.Add(1)
				go func(id uint32) {
					defer wg.Done()
					s.onHeaders(w, id)
				}(f.StreamID)
			}
		}
	})
	return srv
}

// attackCase is a hostile server and what the SDK's call against it must
// end with.
type attackCase struct {
	name  string
	start func(t testing.TB) *hostileServer
	call  hostileCall
	check func(t *testing.T, err error)
}

func isTransportError(t *testing.T, err error) {
	t.Helper()
	var te *versori.TransportError
	assert.True(t, errors.As(err, &te), "want a *TransportError, got %v", err)
}

func isDeadline(t *testing.T, err error) {
	t.Helper()
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "want the deadline, got %v", err)
}

func isDecodeError(t *testing.T, err error) {
	t.Helper()
	var de *versori.DecodeError
	assert.True(t, errors.As(err, &de), "want a *DecodeError, got %v", err)
}

func isOK(t *testing.T, err error) {
	t.Helper()
	assert.NoError(t, err)
}

func http1Answering(raw string) func(testing.TB) *hostileServer {
	return func(t testing.TB) *hostileServer {
		return rawHTTP1(t, func(nc net.Conn, _ *http.Request) { _, _ = io.WriteString(nc, raw); stall(nc) })
	}
}

func h2Answering(settings []http2.Setting, on func(w *h2ScriptConn, id uint32)) func(testing.TB) *hostileServer {
	return func(t testing.TB) *hostileServer { return startH2Script(t, h2Script{settings, on}) }
}

func attackCases() []attackCase {
	hub := hostileHubJSON
	cl := strconv.Itoa(len(hub))
	return []attackCase{
		// HTTP/1.1, byte by byte.
		{"http1: 101 Switching Protocols, then silence", http1Answering("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: evil\r\n\r\n"), callGetHub,
			func(t *testing.T, err error) {
				var ae *versori.APIError
				require.True(t, errors.As(err, &ae), "a 101 is an answer the SDK cannot use: an *APIError, got %v", err)
				assert.Equal(t, http.StatusSwitchingProtocols, ae.StatusCode)
			}},
		{"http1: 101 Switching Protocols to a POST", http1Answering("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: evil\r\n\r\n"), callCreateHub,
			func(t *testing.T, err error) { assert.Error(t, err) }},
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
		}, callGetHub, isTransportError},
		{"http1: 103 Early Hints, then the answer", http1Answering("HTTP/1.1 103 Early Hints\r\nLink: </x>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: " + cl + "\r\n\r\n" + hub), callGetHub, isOK},
		{"http1: Content-Length and Transfer-Encoding both", http1Answering("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n" + strconv.FormatInt(int64(len(hub)), 16) + "\r\n" + hub + "\r\n0\r\n\r\n"), callGetHub, isOK},
		{"http1: two Content-Lengths that disagree", http1Answering("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"), callGetHub, isTransportError},
		{"http1: negative Content-Length", http1Answering("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nabcd"), callGetHub, isTransportError},
		{"http1: Content-Length over the limit", http1Answering("HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775807\r\n\r\n{"), callGetHub,
			func(t *testing.T, err error) { assert.ErrorIs(t, err, versori.ErrTooLarge) }},
		{"http1: Transfer-Encoding gzip, chunked", http1Answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"), callGetHub, isTransportError},
		{"http1: chunk size overflow", http1Answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nabc"), callGetHub, isDecodeError},
		{"http1: Content-Encoding gzip on plain JSON", http1Answering("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + cl + "\r\n\r\n" + hub), callGetHub, isDecodeError},
		{"http1: 204 with a body", http1Answering("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello"), callGetHub, isDecodeError},

		// HTTP/2, frame by frame.
		{"h2: no flow-control window for the POST body", h2Answering([]http2.Setting{{ID: http2.SettingInitialWindowSize, Val: 0}}, func(*h2ScriptConn, uint32) {}), callCreateHub, isDeadline},
		{"h2: HEADERS without END_HEADERS, no CONTINUATION", h2Answering(nil, func(w *h2ScriptConn, id uint32) { _ = w.headers(id, false, false, ":status", "200") }), callGetHub, isDeadline},
		{"h2: 103 forever", h2Answering(nil, func(w *h2ScriptConn, id uint32) {
			for w.headers(id, true, false, ":status", "103", "link", "</x>") == nil {
			}
		}), callGetHub, func(t *testing.T, err error) { assert.Error(t, err) }},
		{"h2: 101 to a request", h2Answering(nil, func(w *h2ScriptConn, id uint32) { _ = w.headers(id, true, false, ":status", "101") }), callGetHub,
			func(t *testing.T, err error) { assert.Error(t, err) }},
		{"h2: GOAWAY storm", h2Answering(nil, func(w *h2ScriptConn, id uint32) {
			for range 1000 {
				if w.goAway(id) != nil {
					return
				}
			}
		}), callCreateHub, func(t *testing.T, err error) { assert.Error(t, err) }},
		{"h2: trailers, one claiming a Content-Length", h2Answering(nil, func(w *h2ScriptConn, id uint32) {
			_ = w.headers(id, true, false, ":status", "201", "trailer", "x-t")
			_ = w.data(id, false, hub)
			_ = w.headers(id, true, true, "x-t", "1", "content-length", "1")
		}), callCreateHub, isOK},
		{"h2: Content-Length shorter than the DATA", h2Answering(nil, func(w *h2ScriptConn, id uint32) {
			_ = w.headers(id, true, false, ":status", "200", "content-length", "5")
			_ = w.data(id, true, hub)
		}), callGetHub, func(t *testing.T, err error) { assert.Error(t, err) }},
	}
}

// TestAttackTransportDeadlineHolds: whatever the server does, the call ends
// by its deadline, with the error the case names.
func TestAttackTransportDeadlineHolds(t *testing.T) {
	for _, tc := range attackCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := tc.start(t)
			c := newHostileClient(t, srv, withNoRetries())
			ctx, cancel := context.WithTimeout(context.Background(), attackDeadline)
			defer cancel()
			start := time.Now()
			done := make(chan error, 1)
			go func() { done <- tc.call.do(ctx, c.Client) }()
			select {
			case err := <-done:
				assert.Less(t, time.Since(start), attackDeadline+attackSlack, "the call outlived its deadline")
				t.Logf("%v after %v", err, time.Since(start).Round(time.Millisecond))
				tc.check(t, err)
			case <-time.After(attackDeadline + attackSlack):
				t.Fatalf("the call is still running %v after its %v deadline", attackSlack, attackDeadline)
			}
		})
	}
}

// TestAttackTLSCertificateForAnotherHost: a certificate the client trusts,
// but issued to another host name, ends the call before anything is sent.
func TestAttackTLSCertificateForAnotherHost(t *testing.T) {
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
	var got sync.Map
	startConnServer(t, ln, func(nc net.Conn) {
		if nc.(*tls.Conn).Handshake() == nil {
			got.Store("handshake", true)
		}
	})
	srv := &hostileServer{URL: "https://" + ln.Addr().String(), clientTLS: &tls.Config{RootCAs: pool}}
	for _, m := range []hostileCall{callGetHub, callCreateHub} {
		c := newHostileClient(t, srv, withNoRetries())
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err := m.do(ctx, c.Client)
		cancel()
		var cv *tls.CertificateVerificationError
		require.True(t, errors.As(err, &cv), "%s: want a certificate error, got %v", m.name, err)
		assert.ErrorIs(t, err, versori.ErrNotSent, m.name)
	}
	_, handshook := got.Load("handshake")
	assert.False(t, handshook, "the client completed a handshake with a certificate for another host")
}
