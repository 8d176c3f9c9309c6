package versoritest

import (
	"bytes"
	"context"
	"crypto/rsa"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

// DefaultAPIKey is the API key a Fake accepts unless WithAPIKey says otherwise. It looks like
// a real key so code that checks key shapes keeps working, but it grants nothing anywhere.
const DefaultAPIKey = "vtest_4f1c9a2e7b6d4e0f8a1c3b5d7e9f0a2b"

// maxBodyBytes is the largest request body the fake accepts (1 MiB); larger bodies get 413.
const maxBodyBytes = 1 << 20

// Fake is an in-memory Versori: the Embedded API v1, the Platform API and the signing keys of
// the Organisations API. It is an http.Handler; use NewServer (or New in a test) to run it on a
// loopback port. All methods are safe for concurrent use.
type Fake struct {
	cfg config
	mux *http.ServeMux
	ops map[string]string // ServeMux pattern -> operationId

	mu     sync.Mutex // guards st, ids, seeded and keys
	st     *state
	ids    *idGen
	seeded Seeded
	keys   map[string]*rsa.PublicKey

	logMu    sync.Mutex // guards requests and faults; never held while handling
	requests []Request
	faults   map[string][]*queuedFault

	tb testing.TB // the test of New(t), else nil; set before the first request
}

// Option configures a Fake.
type Option func(*config)

type config struct {
	apiKey string
	seed   bool
	clock  func() time.Time
}

// WithAPIKey sets the API key the fake accepts as "Authorization: Bearer <key>".
func WithAPIKey(key string) Option { return func(c *config) { c.apiKey = key } }

// WithoutSeed starts the fake empty but for its organisation, for tests that build all of
// their own state.
func WithoutSeed() Option { return func(c *config) { c.seed = false } }

// WithClock sets the clock used for resource timestamps and ULID times (default time.Now).
// JWT exp and nbf are checked against the wall clock regardless, as the real API does, so a
// frozen test clock never makes freshly minted tokens look expired.
func WithClock(now func() time.Time) Option { return func(c *config) { c.clock = now } }

// NewFake returns a Fake with its state (seeded unless WithoutSeed), ready to serve as an
// http.Handler. Tests usually want New, which also runs it on loopback.
func NewFake(opts ...Option) *Fake {
	cfg := config{apiKey: DefaultAPIKey, seed: true, clock: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	f := &Fake{
		cfg:    cfg,
		mux:    http.NewServeMux(),
		ops:    map[string]string{},
		st:     &state{},
		ids:    newIDGen(),
		keys:   map[string]*rsa.PublicKey{},
		faults: map[string][]*queuedFault{},
	}
	for _, rt := range routes {
		f.ops[rt.pattern] = rt.op
		f.mux.HandleFunc(rt.pattern, f.serveOp(rt.handle))
	}
	f.routePlatform()
	f.mu.Lock()
	f.st.orgID = f.newID()
	f.seeded = Seeded{OrganisationID: f.st.orgID}
	if cfg.seed {
		f.seed()
	}
	f.mu.Unlock()
	return f
}

// Seeded describes what NewFake seeded, so tests and examples can find IDs.
func (f *Fake) Seeded() Seeded {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.seeded
	s.Integrations = make([]SeededIntegration, len(f.seeded.Integrations))
	for i, in := range f.seeded.Integrations {
		in.Templates = append([]SeededTemplate(nil), in.Templates...)
		s.Integrations[i] = in
	}
	s.Platform = f.seeded.Platform.clone()
	return s
}

// RegisterSigningKey makes the fake accept RS256 JWTs signed by the key's private half whose
// iss is "https://versori.com/sk/<keyID>", sent as "Authorization: JWT <token>".
func (f *Fake) RegisterSigningKey(keyID string, pub *rsa.PublicKey) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keys[keyID] = pub
}

// ServeHTTP routes, records and authenticates the request, applies any queued fault, then
// runs the operation. Order: route, record, fault, auth (and an end-user token's scope),
// size limit, handler; so a fault is served even to an unauthenticated request, and
// unknown routes get 404/405 without auth. A fault with AfterHandling comes last instead,
// in place of the answer.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := r.Header.Get("X-Request-ID")
	if reqID == "" {
		reqID = uuid.NewString()
	}
	w.Header().Set("X-Request-Id", reqID)

	_, pattern := f.mux.Handler(r)
	op := f.ops[pattern]

	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	}
	f.record(op, r, body)

	if fault, ok := f.takeFault(op); ok {
		if fault.AfterHandling {
			fault.Pass = false
			f.serve(&discarded{header: http.Header{}}, r, op, body)
			f.applyFault(w, r, fault)
			return
		}
		if done := f.applyFault(w, r, fault); done {
			return
		}
	}
	f.serve(w, r, op, body)
}

// serve authenticates the request (and an end-user token's scope), checks its size, and
// runs its operation.
func (f *Fake) serve(w http.ResponseWriter, r *http.Request, op string, body []byte) {
	if op == "" {
		f.serveUnmatched(w, r)
		return
	}
	if op != OpHealthCheck && op != OpPlatformGetPublicKey {
		c, e := f.authenticate(r)
		if e == nil && !isPlatformOp(op) {
			e = scopeOperation(op, c) // the Platform's routes and handlers scope their callers themselves
		}
		if e != nil {
			writeError(w, e)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), callerKey{}, c))
	}
	if len(body) > maxBodyBytes {
		writeError(w, newError(http.StatusRequestEntityTooLarge, "request body exceeds %d bytes", maxBodyBytes))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	f.mux.ServeHTTP(w, r)
}

// serveOp adapts a handlerFunc: it holds the state lock for the whole operation, so each
// request sees and leaves a consistent state.
func (f *Fake) serveOp(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		status, body, e := h(f, r)
		f.mu.Unlock()
		switch {
		case e != nil:
			writeError(w, e)
		case body == nil:
			w.WriteHeader(status)
		default:
			writeJSON(w, status, body)
		}
	}
}

// serveUnmatched answers 405 when the path exists for other methods, else 404, both with an
// Error body (ServeMux's own replies are plain text).
func (f *Fake) serveUnmatched(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := f.mux.Handler(probe); f.ops[p] != "" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) > 0 {
		for _, m := range allowed {
			w.Header().Add("Allow", m)
		}
		writeError(w, newError(http.StatusMethodNotAllowed, "method %s not allowed on %s", r.Method, r.URL.EscapedPath()))
		return
	}
	writeError(w, notFound("no route for %s %s", r.Method, r.URL.EscapedPath()))
}

// now is the fake's clock in UTC, truncated to seconds because timestamps are sent as
// RFC 3339 without fractions and must compare equal after a round trip.
func (f *Fake) now() time.Time { return f.cfg.clock().UTC().Truncate(time.Second) }

// newID mints a ULID; callers hold f.mu.
func (f *Fake) newID() string { return f.ids.next(f.cfg.clock()) }

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (f *Fake) healthCheck(*http.Request) (int, any, *apiError) {
	return http.StatusOK, map[string]string{"message": "ok"}, nil
}
