package versori

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fault matrix: every fault in faultCases is served to a GET, a POST, a
// PUT and a DELETE, first on every attempt ("always") and then on the first
// attempt only ("once", where a retry must then succeed and lose nothing).
// RELIABILITY.md's table is rendered from this list (see
// TestReliabilityDocInSync), so the document says what the tests assert.

// faultPolicy keeps the suite fast: retry waits are recorded rather than slept
// (see newFaultClient), and MaxDelay is above the 3 s HTTP-date Retry-After
// the matrix uses but below the "beyond MaxDelay" one.
var faultPolicy = RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Second}

// faultMethod is one SDK call per HTTP method, with the body it must put on
// the wire and the 2xx answer a healthy server gives it.
type faultMethod struct {
	method  string
	name    string // the SDK call, for the table
	call    func(ctx context.Context, c *Client) (any, error)
	body    string // exact request body expected on every attempt; "" for none
	status  int    // healthy answer
	answer  string // healthy answer's body
	decoded any    // what call returns after the healthy answer
}

// faultPostParams has a fixed auth scheme ID, so the expected body is exact.
var faultPostParams = CreateHubParams{
	OrganisationID: "01ORG", Name: "Hub ü/?#%", PrimaryConnectorID: "01CON",
	AuthSchemeConfig: AuthSchemeConfig{ID: "01ASC", Scheme: APIKeyScheme{Name: "X-Key", In: InHeader}},
}

var faultHub = &Hub{
	ID: "01HUB", Name: "Acme", IsDefault: true,
	PrimaryConnector: ConnectorInfo{
		ConnectorID: "01CON", Name: "CRM", ImageURL: "https://x/y.png", Variables: []ConnectionVariable{},
		AuthSchemeConfig: AuthSchemeConfig{ID: "01ASC", Scheme: NoneScheme{}},
	},
}

var faultMethods = []faultMethod{
	{
		method: http.MethodGet, name: "Hubs.Get",
		call:   func(ctx context.Context, c *Client) (any, error) { return c.Hubs.Get(ctx, "01HUB") },
		status: 200, answer: hubJSON, decoded: faultHub,
	},
	{
		method: http.MethodPost, name: "Hubs.Create",
		call:   func(ctx context.Context, c *Client) (any, error) { return c.Hubs.Create(ctx, faultPostParams) },
		body:   `{"organisationId":"01ORG","name":"Hub ü/?#%","primaryConnectorId":"01CON","authSchemeConfig":{"id":"01ASC","description":"","schemeType":"api-key","name":"X-Key","in":"header"}}`,
		status: 201, answer: hubJSON, decoded: faultHub,
	},
	{
		method: http.MethodPut, name: "Activations.UpdateVariables",
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.Activations.UpdateVariables(ctx, "01ACT", DynamicVariables{"region": "eu", "n": 1.5})
		},
		body:   `{"dynamicVariables":{"n":1.5,"region":"eu"}}`,
		status: 200, answer: `{"dynamicVariables":{"n":1.5,"region":"eu"}}`,
		decoded: DynamicVariables{"region": "eu", "n": 1.5},
	},
	{
		method: http.MethodDelete, name: "Users.Delete",
		call: func(ctx context.Context, c *Client) (any, error) {
			return nil, c.Users.Delete(ctx, "01HUB", ExternalUser("jane@acme.io"))
		},
		status: 204,
	},
}

// faultExpect is the outcome of one call under a fault.
type faultExpect struct {
	attempts int      // attempts the SDK made (round trips through its transport)
	err      errCheck // the error the caller gets
}

// errCheck checks the error a call returned, and names it for the table.
type errCheck struct {
	label string
	check func(t *testing.T, err error)
}

var okCheck = errCheck{"ok", func(t *testing.T, err error) { t.Helper(); require.NoError(t, err) }}

func apiErrCheck(status int, sentinel error, name string) errCheck {
	return errCheck{fmt.Sprintf("APIError %d (%s)", status, name), func(t *testing.T, err error) {
		t.Helper()
		var e *APIError
		require.ErrorAs(t, err, &e)
		assert.Equal(t, status, e.StatusCode)
		assert.ErrorIs(t, err, sentinel)
		assert.NotEmpty(t, e.RequestID)
		assert.NotEmpty(t, e.Method)
		assert.True(t, strings.HasPrefix(e.Path, "/"), e.Path)
	}}
}

func decodeErrCheck(target error, name string) errCheck {
	return errCheck{"DecodeError (" + name + ")", func(t *testing.T, err error) {
		t.Helper()
		var e *DecodeError
		require.ErrorAs(t, err, &e)
		assert.GreaterOrEqual(t, e.StatusCode, 200)
		assert.NotEmpty(t, e.RequestID)
		if target != nil {
			assert.ErrorIs(t, err, target)
		}
		var api *APIError
		assert.False(t, errors.As(err, &api), "a 2xx is never an APIError")
	}}
}

// connErrCheck checks a TransportError; sent says whether the request may
// have reached the server, and so whether it is ErrMaybeProcessed or
// ErrNotSent.
func connErrCheck(target error, name string, sent bool) errCheck {
	label := "TransportError, not sent (" + name + ")"
	if sent {
		label = "TransportError, maybe processed (" + name + ")"
	}
	return errCheck{label, func(t *testing.T, err error) {
		t.Helper()
		var te *TransportError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, sent, te.Sent)
		if sent {
			assert.ErrorIs(t, err, ErrMaybeProcessed)
		} else {
			assert.ErrorIs(t, err, ErrNotSent)
		}
		if target != nil {
			assert.ErrorIs(t, err, target)
		}
		var api *APIError
		assert.False(t, errors.As(err, &api))
	}}
}

var deadlineCheck = errCheck{"TransportError, context.DeadlineExceeded", func(t *testing.T, err error) {
	t.Helper()
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var te *TransportError
	require.ErrorAs(t, err, &te)
}}

// faultCase is one row of the matrix.
type faultCase struct {
	group string // section of the table
	name  string
	// serve answers a faulted attempt. Nil for refused and hang, which need
	// no HTTP server at all.
	serve   func(w http.ResponseWriter, r *http.Request)
	refused bool // nothing listens on the port
	hang    bool // a listener accepts and never reads nor answers
	// deadline is the caller's context deadline (default 30 s); the call
	// must end within it plus deadlineSlack.
	deadline time.Duration
	// want is the outcome per method, in faultMethods order, when every
	// attempt is faulted.
	want [4]faultExpect
	// postSafe: the fault proves the request was not processed, so a POST
	// may be sent again (429, connection refused). For any other fault the
	// matrix asserts a POST reached the server at most once.
	postSafe bool
	// waits, if set, checks the retry waits the SDK chose.
	waits func(t *testing.T, waits []time.Duration)
	// decoded, if set, replaces the check of a successful result.
	decoded func(t *testing.T, method string, got any)
	// alwaysOnly: run only the "always" mode (the fault makes the first
	// attempt final, so "once" would repeat it byte for byte).
	alwaysOnly bool
	opts       []Option // extra client options
}

// deadlineSlack is scheduling tolerance on a loaded machine; it stays under the
// 3 s by which a Retry-After of 5 s would overshoot a 2 s deadline.
const deadlineSlack = 2 * time.Second

// allMethods is one outcome for every method; idemPost splits the
// idempotent methods from POST.
func allMethods(e faultExpect) [4]faultExpect        { return [4]faultExpect{e, e, e, e} }
func idemPost(idem, post faultExpect) [4]faultExpect { return [4]faultExpect{idem, post, idem, idem} }

// statusSentinel is an error status, the sentinel its APIError matches (nil
// for none) and that sentinel's name.
type statusSentinel struct {
	status   int
	sentinel error
	name     string
}

// retryStatuses are the statuses an idempotent call retries.
var retryStatuses = []statusSentinel{
	{500, ErrServer, "ErrServer"},
	{502, ErrServer, "ErrServer"},
	{503, ErrServer, "ErrServer"},
	{504, ErrServer, "ErrServer"},
	{408, nil, "not a sentinel"},
	{429, ErrRateLimited, "ErrRateLimited"},
}

// faultCases builds the matrix. Its order is the table's order.
func faultCases() []faultCase {
	var cases []faultCase
	for _, s := range retryStatuses {
		check := apiErrCheck(s.status, s.sentinel, s.name)
		if s.sentinel == nil {
			check = errCheck{fmt.Sprintf("APIError %d", s.status), func(t *testing.T, err error) {
				t.Helper()
				var e *APIError
				require.ErrorAs(t, err, &e)
				assert.Equal(t, s.status, e.StatusCode)
				for _, sentinel := range []error{ErrServer, ErrRateLimited, ErrNotFound, ErrValidation} {
					assert.NotErrorIs(t, err, sentinel)
				}
			}}
		}
		post := faultExpect{1, check}
		if s.status == 429 {
			post = faultExpect{3, check} // a 429 proves the request was refused unprocessed
		}
		retried := idemPost(faultExpect{3, check}, post)
		once := idemPost(faultExpect{1, check}, faultExpect{1, check})
		status := func(retryAfter func() string) func(w http.ResponseWriter, r *http.Request) {
			return func(w http.ResponseWriter, r *http.Request) {
				if retryAfter != nil {
					w.Header().Set("Retry-After", retryAfter())
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(s.status)
				fmt.Fprintf(w, `{"code":"%d000","message":"injected"}`, s.status)
			}
		}
		group := fmt.Sprintf("%d %s", s.status, http.StatusText(s.status))
		cases = append(cases,
			faultCase{group: group, name: "no Retry-After", serve: status(nil), want: retried, postSafe: s.status == 429,
				waits: func(t *testing.T, w []time.Duration) {
					for i, d := range w { // full jitter under the exponential ceiling
						assert.LessOrEqual(t, d, faultPolicy.BaseDelay<<i, "wait %d", i)
					}
				}},
			faultCase{group: group, name: "Retry-After: 1 (seconds)", serve: status(func() string { return "1" }), want: retried, postSafe: s.status == 429,
				waits: func(t *testing.T, w []time.Duration) {
					for _, d := range w {
						assert.Equal(t, time.Second, d)
					}
				}},
			faultCase{group: group, name: "Retry-After: HTTP date 3 s ahead", postSafe: s.status == 429,
				serve: status(func() string { return time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat) }), want: retried,
				waits: func(t *testing.T, w []time.Duration) {
					for _, d := range w { // the date has whole seconds
						assert.Greater(t, d, time.Second)
						assert.LessOrEqual(t, d, 3*time.Second)
					}
				}},
			faultCase{group: group, name: "Retry-After: HTTP date in the past", postSafe: s.status == 429,
				serve: status(func() string { return "Wed, 21 Oct 2015 07:28:00 GMT" }), want: retried,
				waits: func(t *testing.T, w []time.Duration) {
					for _, d := range w {
						assert.Zero(t, d, "a past date means retry now")
					}
				}},
			faultCase{group: group, name: "Retry-After: 5 beyond a 2 s deadline", deadline: 2 * time.Second, alwaysOnly: true,
				serve: status(func() string { return "5" }), want: once, postSafe: s.status == 429,
				waits: func(t *testing.T, w []time.Duration) { assert.Empty(t, w, "a wait past the deadline is not taken") }},
			faultCase{group: group, name: "Retry-After: 3600 beyond MaxDelay", alwaysOnly: true,
				serve: status(func() string { return "3600" }), want: once, postSafe: s.status == 429,
				waits: func(t *testing.T, w []time.Duration) { assert.Empty(t, w, "a wait over MaxDelay is not taken") }},
		)
	}

	connCheck := connErrCheck(nil, "connection", true)
	cases = append(cases,
		faultCase{group: "connection", name: "refused", refused: true, alwaysOnly: true, postSafe: true,
			want: allMethods(faultExpect{3, connErrCheck(syscall.ECONNREFUSED, "ECONNREFUSED", false)})},
		faultCase{group: "connection", name: "closed (FIN) after the request, before a response",
			serve: func(w http.ResponseWriter, r *http.Request) { hijackClose(w, false) },
			want:  idemPost(faultExpect{3, connErrCheck(io.EOF, "EOF", true)}, faultExpect{1, connErrCheck(io.EOF, "EOF", true)})},
		faultCase{group: "connection", name: "reset (RST) after the request, before a response",
			serve: func(w http.ResponseWriter, r *http.Request) { hijackClose(w, true) },
			want:  idemPost(faultExpect{3, connCheck}, faultExpect{1, connCheck})},
		faultCase{group: "connection", name: "200 cut off mid-body",
			serve: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "4096")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(200)
				_, _ = io.WriteString(w, hubJSON[:40])
				w.(http.Flusher).Flush()
				hijackClose(w, false)
			},
			// A body cut off by the connection is a connection error: GET
			// and PUT are repeated to get all of it; a POST, which the server
			// has processed, is not. DELETE reads no body: the 200 already
			// said it was done.
			want: [4]faultExpect{
				{3, decodeErrCheck(io.ErrUnexpectedEOF, "io.ErrUnexpectedEOF")},
				{1, decodeErrCheck(io.ErrUnexpectedEOF, "io.ErrUnexpectedEOF")},
				{3, decodeErrCheck(io.ErrUnexpectedEOF, "io.ErrUnexpectedEOF")},
				{1, okCheck},
			}},
		faultCase{group: "connection", name: "accepts, never answers (300 ms deadline)", hang: true, alwaysOnly: true,
			deadline: 300 * time.Millisecond, want: allMethods(faultExpect{1, deadlineCheck})},
		faultCase{group: "connection", name: "headers, then a body trickling past the 300 ms deadline", alwaysOnly: true,
			deadline: 300 * time.Millisecond,
			serve: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(200)
				_, _ = io.WriteString(w, `{"id":"01HUB","name":"`)
				trickle(w, r, strings.Repeat("a", 1<<20), 10*time.Millisecond)
			},
			want: [4]faultExpect{
				{1, decodeErrCheck(context.DeadlineExceeded, "context.DeadlineExceeded")},
				{1, decodeErrCheck(context.DeadlineExceeded, "context.DeadlineExceeded")},
				{1, decodeErrCheck(context.DeadlineExceeded, "context.DeadlineExceeded")},
				{1, okCheck}, // DELETE's 200 is success; draining stops at the deadline
			}},
	)
	// A slow body that does finish is a success, not a fault, for every
	// method: the SDK has no read timeout of its own below the caller's.
	cases = append(cases, faultCase{group: "connection", name: "slow body trickling 16 B / 5 ms, finishing", alwaysOnly: true,
		serve: func(w http.ResponseWriter, r *http.Request) {
			m := methodByName(r.Method)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(m.status)
			trickle(w, r, m.answer, 5*time.Millisecond)
		},
		want: allMethods(faultExpect{1, okCheck})})

	notDecoded := faultExpect{1, okCheck} // DELETE reads no body
	bodyErr := func(target error, name string) [4]faultExpect {
		e := faultExpect{1, decodeErrCheck(target, name)}
		return [4]faultExpect{e, e, e, notDecoded}
	}
	ok200 := func(body string) func(w http.ResponseWriter, r *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(200)
			_, _ = io.WriteString(w, body)
		}
	}
	cases = append(cases,
		faultCase{group: "200 body", name: "malformed JSON", serve: ok200(`{"id":"01HUB","name":`), want: bodyErr(io.ErrUnexpectedEOF, "io.ErrUnexpectedEOF")},
		faultCase{group: "200 body", name: "HTML", serve: ok200(`<html><body>Bad gateway</body></html>`), want: bodyErr(nil, "jsontext.SyntacticError")},
		faultCase{group: "200 body", name: "empty", serve: ok200(``), want: bodyErr(errMissing, "empty body")},
		faultCase{group: "200 body", name: "null", serve: ok200(`null`), want: bodyErr(errMissing, "not an object")},
		// UpdateDynamicVariables promises an object whose one property is
		// optional: {} is a valid answer there, and nothing else.
		faultCase{group: "200 body", name: "{} (required properties missing)", serve: ok200(`{}`), alwaysOnly: true,
			want: func() [4]faultExpect {
				w := bodyErr(errMissing, "required property missing")
				w[2] = faultExpect{1, okCheck}
				return w
			}(),
			decoded: func(t *testing.T, method string, got any) {
				assert.Empty(t, got, "%s: {} holds no variables", method)
			}},
		// The limit is lowered to 1 MiB here so that the matrix stays
		// quick; TestHugeBodyMemoryBounded covers the default limit.
		faultCase{group: "200 body", name: "50 MiB (over a 1 MiB limit)", alwaysOnly: true,
			opts: []Option{WithMaxResponseBytes(1 << 20)},
			serve: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(200)
				writeHuge(w, 50<<20)
			},
			want: bodyErr(ErrTooLarge, "ErrTooLarge")},
		faultCase{group: "200 body", name: "unknown fields and enum values", alwaysOnly: true,
			serve:   func(w http.ResponseWriter, r *http.Request) { unknownAnswer(w, r, false) },
			want:    allMethods(faultExpect{1, okCheck}),
			decoded: checkUnknownDecoded(false)},
		faultCase{group: "200 body", name: "unknown union variants (scheme, grant)", alwaysOnly: true,
			serve:   func(w http.ResponseWriter, r *http.Request) { unknownAnswer(w, r, true) },
			want:    allMethods(faultExpect{1, okCheck}),
			decoded: checkUnknownDecoded(true)},
	)

	for _, s := range []statusSentinel{
		{401, ErrUnauthorized, "ErrUnauthorized"},
		{403, ErrForbidden, "ErrForbidden"},
		{404, ErrNotFound, "ErrNotFound"},
		{409, ErrConflict, "ErrConflict"},
		{422, ErrValidation, "ErrValidation"},
	} {
		base := apiErrCheck(s.status, s.sentinel, s.name)
		shaped := errCheck{base.label + ", Code+Message", func(t *testing.T, err error) {
			t.Helper()
			base.check(t, err)
			var e *APIError
			require.ErrorAs(t, err, &e)
			assert.Equal(t, fmt.Sprintf("%d001", s.status), e.Code)
			assert.Equal(t, "thing went wrong", e.Message)
			assert.Equal(t, []FieldError{{Field: "name", Message: "is bad"}}, e.Fields)
			assert.Empty(t, e.Snippet)
		}}
		html := errCheck{base.label + ", Snippet", func(t *testing.T, err error) {
			t.Helper()
			base.check(t, err)
			var e *APIError
			require.ErrorAs(t, err, &e)
			assert.Empty(t, e.Code)
			assert.Equal(t, fmt.Sprintf("<html><head><title>%d</title></head> <body>proxy says no</body></html>", s.status), e.Snippet)
			assert.Contains(t, err.Error(), "proxy says no")
		}}
		group := fmt.Sprintf("%d %s", s.status, http.StatusText(s.status))
		cases = append(cases,
			faultCase{group: group, name: "Error body", alwaysOnly: true, want: allMethods(faultExpect{1, shaped}),
				serve: func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(s.status)
					fmt.Fprintf(w, `{"code":"%d001","message":"thing went wrong","fields":[{"field":"name","message":"is bad"}]}`, s.status)
				}},
			faultCase{group: group, name: "HTML body", alwaysOnly: true, want: allMethods(faultExpect{1, html}),
				serve: func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(s.status)
					fmt.Fprintf(w, "<html><head><title>%d</title></head>\n<body>proxy says no</body></html>", s.status)
				}},
		)
	}
	return cases
}

func methodByName(method string) faultMethod {
	for _, m := range faultMethods {
		if m.method == method {
			return m
		}
	}
	panic("no method " + method)
}

// hijackClose closes the connection under a handler without answering;
// with rst it resets it (SO_LINGER 0) instead of a clean close.
func hijackClose(w http.ResponseWriter, rst bool) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok && rst {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// trickle writes body 16 bytes at a time, every, until done or the client goes.
func trickle(w http.ResponseWriter, r *http.Request, body string, every time.Duration) {
	f := w.(http.Flusher)
	for len(body) > 0 {
		n := min(16, len(body))
		if _, err := io.WriteString(w, body[:n]); err != nil {
			return
		}
		f.Flush()
		body = body[n:]
		select {
		case <-r.Context().Done():
			return
		case <-time.After(every):
		}
	}
}

// writeHuge writes a syntactically endless JSON string of n bytes, so only
// the size limit can stop the decoder.
func writeHuge(w io.Writer, n int) {
	chunk := []byte(`{"id":"` + strings.Repeat("x", 64<<10-7))
	if _, err := w.Write(chunk); err != nil {
		return
	}
	for i := range chunk {
		chunk[i] = 'x'
	}
	for written := len(chunk); written < n; written += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return // the client stopped reading at its limit
		}
	}
}

// unknownHub is a hub as a newer API might send it: new fields everywhere,
// an enum value this SDK does not know, or a scheme and grant it does not know.
const (
	unknownEnumHub = `{"id":"01HUB","name":"Acme","isDefault":true,"tier":"gold","labels":{"a":[1,2]},` +
		`"primaryConnector":{"connectorId":"01CON","name":"CRM","imageUrl":"u","variables":[],"region":"eu",` +
		`"authSchemeConfig":{"id":"01ASC","description":"","schemeType":"api-key","name":"X-Key","in":"body","rotation":"daily",` +
		`"validationMessages":[{"text":"t","severity":"fatal"}]}}}`
	unknownVariantHub = `{"id":"01HUB","name":"Acme","isDefault":true,` +
		`"primaryConnector":{"connectorId":"01CON","name":"CRM","imageUrl":"u","variables":[],` +
		`"authSchemeConfig":{"id":"01ASC","description":"","schemeType":"saml2","idpUrl":"https://idp","grant":{"grantType":"device_code","x":1}}}}`
	unknownVariantGrantHub = `{"id":"01HUB","name":"Acme","isDefault":true,` +
		`"primaryConnector":{"connectorId":"01CON","name":"CRM","imageUrl":"u","variables":[],` +
		`"authSchemeConfig":{"id":"01ASC","description":"","schemeType":"oauth2","authorizeUrl":"a","tokenUrl":"t","scopes":[],"defaultScopes":[],"grant":{"grantType":"device_code","deviceUrl":"d"}}}}`
)

func unknownAnswer(w http.ResponseWriter, r *http.Request, variant bool) {
	status, body := 200, unknownEnumHub
	switch r.Method {
	case http.MethodGet:
		if variant {
			body = unknownVariantHub
		}
	case http.MethodPost:
		status = 201
		if variant {
			body = unknownVariantGrantHub
		}
	case http.MethodPut:
		body = `{"dynamicVariables":{"region":"eu","n":1.5,"future":{"kind":"new"}},"etag":"x"}`
	default:
		status, body = 204, ""
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// checkUnknownDecoded checks nothing the SDK does not know was lost: unknown
// enum values are kept as they came, unknown variants keep their raw JSON.
func checkUnknownDecoded(variant bool) func(t *testing.T, method string, got any) {
	return func(t *testing.T, method string, got any) {
		t.Helper()
		switch method {
		case http.MethodGet, http.MethodPost:
			hub := got.(*Hub)
			assert.Equal(t, "Acme", hub.Name)
			scheme := hub.PrimaryConnector.AuthSchemeConfig
			switch {
			case !variant:
				assert.Equal(t, APIKeyScheme{Name: "X-Key", In: "body"}, scheme.Scheme, "unknown enum value kept")
				assert.Equal(t, MessageSeverity("fatal"), scheme.ValidationMessages[0].Severity)
			case method == http.MethodGet:
				u, ok := scheme.Scheme.(UnknownScheme)
				require.True(t, ok, "%T", scheme.Scheme)
				assert.Equal(t, "saml2", u.Type)
				assert.Contains(t, string(u.Raw.Reveal()), `"idpUrl":"https://idp"`)
				b, err := json.Marshal(scheme, wireOptions)
				require.NoError(t, err)
				assert.JSONEq(t, `{"id":"01ASC","description":"","schemeType":"saml2","idpUrl":"https://idp","grant":{"grantType":"device_code","x":1}}`, string(b), "sent back unchanged")
			default:
				o, ok := scheme.Scheme.(OAuth2Scheme)
				require.True(t, ok, "%T", scheme.Scheme)
				g, ok := o.Grant.(UnknownGrant)
				require.True(t, ok, "%T", o.Grant)
				assert.Equal(t, "device_code", g.Type)
				assert.JSONEq(t, `{"grantType":"device_code","deviceUrl":"d"}`, string(g.Raw.Reveal()))
			}
		case http.MethodPut:
			assert.Equal(t, DynamicVariables{"region": "eu", "n": 1.5, "future": map[string]any{"kind": "new"}}, got)
		default:
			assert.Nil(t, got)
		}
	}
}

// faultAttempt is what a test server saw of one request.
type faultAttempt struct {
	method, path, query, body, requestID string
}

// faultServer serves faults by mode and records every attempt.
type faultServer struct {
	mu       sync.Mutex
	attempts []faultAttempt
}

func (s *faultServer) seen() []faultAttempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]faultAttempt(nil), s.attempts...)
}

// newFaultClient returns a client for base whose round trips are counted and
// whose retry waits are recorded instead of slept.
func newFaultClient(t *testing.T, base string, opts ...Option) (*Client, *atomic.Int32, func() []time.Duration) {
	t.Helper()
	var n atomic.Int32
	count := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			n.Add(1)
			return next.RoundTrip(r)
		})
	}
	c, err := NewClient(append([]Option{WithAPIKey(testKey), WithBaseURL(base), WithRetryPolicy(faultPolicy), WithMiddleware(count)}, opts...)...)
	require.NoError(t, err)
	var mu sync.Mutex
	var waits []time.Duration
	c.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	return c, &n, func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Duration(nil), waits...)
	}
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// hangListener accepts connections and never reads from or answers them.
func hangListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

func TestFaultMatrix(t *testing.T) {
	for _, fc := range faultCases() {
		for mi, m := range faultMethods {
			for _, once := range []bool{false, true} {
				if once && (fc.alwaysOnly || fc.refused || fc.hang) {
					continue
				}
				mode := "always"
				if once {
					mode = "once"
				}
				t.Run(fc.group+"/"+fc.name+"/"+m.method+"/"+mode, func(t *testing.T) {
					runFault(t, fc, m, fc.want[mi], once)
				})
			}
		}
	}
}

func runFault(t *testing.T, fc faultCase, m faultMethod, want faultExpect, once bool) {
	srv := &faultServer{}
	var base string
	switch {
	case fc.refused:
		base = "http://" + closedAddr(t)
	case fc.hang:
		base = hangListener(t)
	default:
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			srv.mu.Lock()
			srv.attempts = append(srv.attempts, faultAttempt{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, string(body), r.Header.Get("X-Request-Id")})
			n := len(srv.attempts)
			srv.mu.Unlock()
			if !once || n == 1 {
				fc.serve(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(m.status)
			_, _ = io.WriteString(w, m.answer)
		}))
		t.Cleanup(ts.Close)
		base = ts.URL
	}
	c, rounds, waits := newFaultClient(t, base, fc.opts...)

	deadline := cmp.Or(fc.deadline, 30*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	start := time.Now()
	got, err := m.call(ctx, c)
	elapsed := time.Since(start)
	assert.Less(t, elapsed, deadline+deadlineSlack, "the call ends by the caller's deadline")

	// "once" faults only the first attempt: where the SDK retries, the retry
	// must succeed with the healthy answer; otherwise it is as "always".
	wantAttempts, check := want.attempts, want.err
	if once && want.attempts > 1 {
		wantAttempts, check = 2, okCheck
	}
	assert.Equal(t, wantAttempts, int(rounds.Load()), "attempts")
	check.check(t, err)
	if err == nil {
		if fc.decoded != nil && !(once && wantAttempts == 2) {
			fc.decoded(t, m.method, got)
		} else if m.decoded != nil {
			assert.Equal(t, m.decoded, got)
		}
	}
	if fc.waits != nil && !once {
		fc.waits(t, waits())
	}
	if !once {
		assert.Len(t, waits(), wantAttempts-1, "one wait between attempts")
	}

	seen := srv.seen()
	if !fc.refused && !fc.hang {
		assert.Len(t, seen, wantAttempts, "attempts the server saw")
	}
	if m.method == http.MethodPost && !fc.postSafe {
		assert.LessOrEqual(t, len(seen), 1, "a POST that may have been processed is never sent again")
	}
	for i, a := range seen {
		assert.Equal(t, m.method, a.method)
		assert.Equal(t, m.body, a.body, "attempt %d: the body is the same on every attempt", i+1)
		assert.Equal(t, seen[0].requestID, a.requestID, "one X-Request-Id across retries")
		assert.Equal(t, seen[0].path, a.path)
		assert.Equal(t, seen[0].query, a.query)
	}
	if err != nil {
		assert.NotContains(t, err.Error(), testKey)
	}
}

// hugeBodyCases are TestHugeBodyMemoryBounded's limits and the most each
// call may allocate in all. readBody reads a body of unknown length (this one
// is chunked) in chunks of 16 KiB growing to 1 MiB, and gives up as soon as it
// holds more than the limit, so a call allocates the limit and at most one
// chunk more, whatever the body's size, plus hugeBodySlack for the transport's
// own buffers and whatever else runs meanwhile.
var hugeBodyCases = []struct {
	name     string
	limit    int64 // 0: DefaultMaxResponseBytes
	maxAlloc uint64
}{
	{"1 MiB limit", 1 << 20, 1<<20 + 1<<20 + hugeBodySlack},
	{"default 32 MiB limit", 0, DefaultMaxResponseBytes + 1<<20 + hugeBodySlack},
}

// hugeBodySlack is what TestHugeBodyMemoryBounded allows beyond the limit and
// one chunk.
const hugeBodySlack = 4 << 20

// hugeBodySize is the body TestHugeBodyMemoryBounded serves.
const hugeBodySize = 50 << 20

// TestHugeBodyMemoryBounded serves a 50 MiB 200 body and checks the SDK
// allocates in proportion to its limit, not to the body: it stops reading at
// the limit, returns ErrTooLarge, and drops the connection.
func TestHugeBodyMemoryBounded(t *testing.T) {
	for _, tc := range hugeBodyCases {
		t.Run(tc.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				writeHuge(w, hugeBodySize)
			}))
			defer ts.Close()
			opts := []Option{WithAPIKey(testKey), WithBaseURL(ts.URL)}
			if tc.limit > 0 {
				opts = append(opts, WithMaxResponseBytes(tc.limit))
			}
			c, err := NewClient(opts...)
			require.NoError(t, err)

			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err = c.Hubs.Get(context.Background(), "01HUB")
			runtime.ReadMemStats(&after)

			assert.ErrorIs(t, err, ErrTooLarge)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Contains(t, err.Error(), "response too large")
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("allocated %d KiB for a 50 MiB body", alloc>>10)
			assert.Less(t, alloc, tc.maxAlloc, "allocation bounded by the limit, not the body")
		})
	}
}
