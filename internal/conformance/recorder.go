package conformance

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// Exchange is one request and its response as seen by a Recorder.
type Exchange struct {
	// Request is the request as the caller passed it. Its body has been
	// consumed: use RequestBody.
	Request *http.Request
	// RequestBody is the full request body (empty if there was none).
	RequestBody []byte
	// Response is the response returned to the caller, or nil if the
	// transport failed. Its body belongs to the caller: use ResponseBody.
	Response *http.Response
	// ResponseBody is the full response body, or what could be read of it
	// when Err is a body read error.
	ResponseBody []byte
	// Err is the transport's error, or the error met reading the response
	// body. When it is set the response was not validated (a dropped
	// connection says nothing about conformance), only the request.
	Err error
	// Violations lists how the exchange breaks the spec (each a *Violation);
	// empty when it conforms.
	Violations []error
}

// String identifies the exchange as "METHOD URL -> status" for messages.
func (e *Exchange) String() string {
	s := e.Request.Method + " " + e.Request.URL.String()
	switch {
	case e.Err != nil:
		return s + " -> error: " + e.Err.Error()
	case e.Response != nil:
		return s + " -> " + e.Response.Status
	}
	return s
}

// Recorder is an http.RoundTripper that passes each request to another
// transport, records the request and response bodies (handing the caller
// bodies that read the same), and validates every exchange against the spec.
// It is safe for concurrent use, like any RoundTripper must be.
//
// Use it around the transport of the client under test:
//
//	rec := conformance.NewRecorder(t, http.DefaultTransport)
//	defer rec.Assert(t)
//	client := &http.Client{Transport: rec}
type Recorder struct {
	next http.RoundTripper
	v    Checker

	mu        sync.Mutex
	exchanges []*Exchange
}

// NewRecorder returns a Recorder wrapping next (http.DefaultTransport if nil)
// that validates against the shared spec. Like LoadValidator, it skips t when
// the spec is missing, or fails it when CI is set.
func NewRecorder(t testing.TB, next http.RoundTripper) *Recorder {
	t.Helper()
	return NewRecorderWith(LoadValidator(t), next)
}

// NewPlatformRecorder returns a Recorder wrapping next (http.DefaultTransport
// if nil) that validates against the Platform and Organisations specs. Like
// LoadPlatformValidator, it skips t when they are missing, or fails it when
// CI is set.
func NewPlatformRecorder(t testing.TB, next http.RoundTripper) *Recorder {
	t.Helper()
	return NewRecorderWith(LoadPlatformValidator(t), next)
}

// Checker validates one exchange, as Validator.Check does. *Validator and
// *PlatformValidator are Checkers.
type Checker interface {
	Check(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) []error
	// Path names the spec (or specs) checked against, for messages.
	Path() string
}

// NewRecorderWith returns a Recorder that validates with v, for callers that
// load a Validator themselves.
func NewRecorderWith(v Checker, next http.RoundTripper) *Recorder {
	if next == nil {
		next = http.DefaultTransport
	}
	return &Recorder{next: next, v: v}
}

// RoundTrip implements http.RoundTripper. Validation failures never change
// what the caller sees: the response and error are the wrapped transport's.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	reqBody, err := drain(req.Body)
	if err != nil {
		return nil, fmt.Errorf("conformance: read request body: %w", err)
	}
	// A RoundTripper must not modify the caller's request, so the wrapped
	// transport gets a copy whose body replays the bytes just read.
	out := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		out.Body = io.NopCloser(bytes.NewReader(reqBody))
		out.GetBody = func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(reqBody)), nil
		}
	}

	ex := &Exchange{Request: req, RequestBody: reqBody}
	resp, err := r.next.RoundTrip(out)
	if err != nil {
		ex.Err = err
		r.finish(ex)
		return nil, err
	}

	respBody, readErr := io.ReadAll(resp.Body)
	resp.Body.Close()
	ex.Response, ex.ResponseBody, ex.Err = resp, respBody, readErr
	// The caller reads the same bytes, and the same error after them, so a
	// fault injected mid-body still reaches the code under test.
	resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(respBody), errReader{readErr}))
	r.finish(ex)
	return resp, nil
}

// finish validates ex and records it.
func (r *Recorder) finish(ex *Exchange) {
	resp := ex.Response
	if ex.Err != nil {
		resp = nil
	}
	ex.Violations = r.v.Check(ex.Request, ex.RequestBody, resp, ex.ResponseBody)
	r.mu.Lock()
	r.exchanges = append(r.exchanges, ex)
	r.mu.Unlock()
}

// Exchanges returns the exchanges recorded so far, in the order they
// completed.
func (r *Recorder) Exchanges() []*Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*Exchange(nil), r.exchanges...)
}

// Reset forgets the recorded exchanges, for tests that check phases
// separately.
func (r *Recorder) Reset() {
	r.mu.Lock()
	r.exchanges = nil
	r.mu.Unlock()
}

// Err returns an error listing every exchange that breaks the spec, or nil.
func (r *Recorder) Err() error {
	var bad []string
	all := r.Exchanges()
	for i, ex := range all {
		if len(ex.Violations) == 0 {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "exchange %d: %s", i+1, ex)
		for _, v := range ex.Violations {
			b.WriteString("\n  ")
			b.WriteString(strings.ReplaceAll(v.Error(), "\n", "\n  "))
		}
		bad = append(bad, b.String())
	}
	if len(bad) == 0 {
		return nil
	}
	return fmt.Errorf("%d of %d exchanges break %s:\n%s",
		len(bad), len(all), r.v.Path(), strings.Join(bad, "\n"))
}

// Assert fails t, without stopping it, listing every exchange that breaks the
// spec. Call it once the exchanges are done, typically with defer.
func (r *Recorder) Assert(t testing.TB) {
	t.Helper()
	if err := r.Err(); err != nil {
		t.Errorf("conformance: %v", err)
	}
}

// drain reads and closes a request body; a RoundTripper must close it even
// on error.
func drain(body io.ReadCloser) ([]byte, error) {
	if body == nil || body == http.NoBody {
		return nil, nil
	}
	defer body.Close()
	return io.ReadAll(body)
}

// errReader returns err (io.EOF when nil) on every read.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) {
	if e.err == nil {
		return 0, io.EOF
	}
	return 0, e.err
}

var _ http.RoundTripper = (*Recorder)(nil)
