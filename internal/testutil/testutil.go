// Package testutil holds what the tests of the root and platform packages,
// the fake (versoritest, cmd/versori-fake) and the benchmarks share: a test
// server that records what it receives, a server of end-user pages made up on
// the fly with the heap measurements that go with it, and RSA keys made once
// per process. It is for tests only and
// imports no SDK package, so that the SDK's internal tests can use it too.
package testutil

import (
	"crypto/rand"
	"crypto/rsa"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Request is what a Server received: one request, one attempt of a call.
type Request struct {
	Method string
	Path   string // escaped, as sent
	Query  string // raw, as sent
	Header http.Header
	Body   string
}

// Server is an httptest server that records every request before its
// handler answers it.
type Server struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []Request
}

// NewServer starts a Server, closed when t ends, whose handler sees each
// request with its number (1 for the first).
func NewServer(t testing.TB, handler func(w http.ResponseWriter, r *http.Request, n int)) *Server {
	t.Helper()
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, Request{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Clone(), string(body)})
		n := len(s.reqs)
		s.mu.Unlock()
		handler(w, r, n)
	}))
	t.Cleanup(s.Close)
	return s
}

// Requests returns what the server has received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// UsersPages serves a v1 hub of total end users, made up on the fly, in
// cursor pages of the query's first (20 by default); the cursor is the
// offset in decimal. User i has the external ID "customer-<i>@example.com".
// It holds nothing between calls, so the only memory that can grow with the
// number of pages is the client's, and it allocates little, so that its own
// work stays small beside the client's.
func UsersPages(total int, hubID string) http.Handler {
	created := time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC).Format(time.RFC3339Nano)
	tail := ` Ltd","hubId":"` + hubID + `","createdAt":"` + created + `","updatedAt":"` + created + `"}`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		first, _ := strconv.Atoi(q.Get("first"))
		off, _ := strconv.Atoi(q.Get("after"))
		if first <= 0 {
			first = 20
		}
		end := min(off+first, total)
		b := make([]byte, 0, 256*(end-off)+64)
		b = append(b, `{"totalCount":`...)
		b = strconv.AppendInt(b, int64(total), 10)
		if end < total {
			b = append(b, `,"next":"`...)
			b = strconv.AppendInt(b, int64(end), 10)
			b = append(b, '"')
		}
		b = append(b, `,"users":[`...)
		for i := off; i < end; i++ {
			if i > off {
				b = append(b, ',')
			}
			b = append(b, `{"id":"01JPD8F9E2F4G6`...) // a ULID: 14 + 12 characters
			b = appendPadded(b, i)
			b = append(b, `","externalId":"customer-`...)
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, `@example.com","displayName":"Customer `...)
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, tail...)
		}
		b = append(b, "]}"...)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		_, _ = w.Write(b)
	})
}

// appendPadded appends i as 12 decimal digits.
func appendPadded(b []byte, i int) []byte {
	s := strconv.Itoa(i)
	for range 12 - len(s) {
		b = append(b, '0')
	}
	return append(b, s...)
}

// ExternalID is the external ID UsersPages gives user i.
func ExternalID(i int) string { return "customer-" + strconv.Itoa(i) + "@example.com" }

// LiveHeap returns, after a full collection, the bytes of live heap objects
// and of heap spans in use. Two collections empty sync.Pool's victim cache
// too.
func LiveHeap() (live, inUse int64) {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc), int64(m.HeapInuse)
}

// PageBytes is the size of the page of pageSize users UsersPages serves at
// base: the larger of its JSON and what decode makes of it, measured on the
// live heap.
func PageBytes(base string, pageSize int, decode func([]byte) (any, error)) (int64, error) {
	resp, err := http.Get(base + "/hubs/h/users?first=" + strconv.Itoa(pageSize))
	if err != nil {
		return 0, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return 0, err
	}
	before, _ := LiveHeap()
	v, err := decode(body)
	decoded, _ := LiveHeap()
	runtime.KeepAlive(v)
	return max(int64(len(body)), decoded-before), err
}

// rsaKeys are the keys RSAKey hands out, in order.
var rsaKeys struct {
	sync.Mutex
	keys []*rsa.PrivateKey
}

// RSAKey returns the process's i-th 2048-bit RSA test key, made on first
// use: generating one takes a noticeable fraction of a second (seconds under
// the race detector), so every test of a process shares them.
func RSAKey(i int) *rsa.PrivateKey {
	rsaKeys.Lock()
	defer rsaKeys.Unlock()
	for len(rsaKeys.keys) <= i {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err) // crypto/rand does not fail
		}
		rsaKeys.keys = append(rsaKeys.keys, k)
	}
	return rsaKeys.keys[i]
}

// Verbs returns each of the fmt verbs in verbs, bare and with each flag and
// a width, as format strings ("%v", "%+v", "%#12.3v", ...).
func Verbs(verbs string) []string {
	var out []string
	for _, verb := range verbs {
		for _, flag := range []string{"", "+", "#", " ", "-", "0", "12", "-12", ".4", "#12.3", "+#"} {
			out = append(out, "%"+flag+string(verb))
		}
	}
	return out
}
