package versoritest

import (
	"net/http"
	"strings"
)

// Request is one request the fake received, as recorded before it was handled.
type Request struct {
	Operation string      // the spec operationId matched ("" if none matched)
	Method    string      // HTTP method
	Path      string      // path as received on the wire, escaped (r.URL.EscapedPath())
	RawQuery  string      // query string without "?"
	Header    http.Header // copy; the Authorization value replaced by "<scheme> [REDACTED]"
	Body      []byte      // body as received (at most 1 MiB + 1 byte)
}

// Requests returns a copy of every request received, in order, including rejected and
// faulted ones.
func (f *Fake) Requests() []Request {
	f.logMu.Lock()
	defer f.logMu.Unlock()
	out := make([]Request, len(f.requests))
	for i, r := range f.requests {
		r.Header = r.Header.Clone()
		r.Body = append([]byte(nil), r.Body...)
		out[i] = r
	}
	return out
}

// ResetRequests empties the request log.
func (f *Fake) ResetRequests() {
	f.logMu.Lock()
	defer f.logMu.Unlock()
	f.requests = nil
}

func (f *Fake) record(op string, r *http.Request, body []byte) {
	h := r.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	// The log is handed to tests that may print it; keep credentials out of it.
	if v := h.Get("Authorization"); v != "" {
		scheme, _, ok := strings.Cut(v, " ")
		if ok {
			h.Set("Authorization", scheme+" [REDACTED]")
		} else {
			h.Set("Authorization", "[REDACTED]")
		}
	}
	rec := Request{
		Operation: op,
		Method:    r.Method,
		Path:      r.URL.EscapedPath(),
		RawQuery:  r.URL.RawQuery,
		Header:    h,
		Body:      append([]byte(nil), body...),
	}
	f.logMu.Lock()
	f.requests = append(f.requests, rec)
	f.logMu.Unlock()
}
