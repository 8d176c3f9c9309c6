package versori

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
)

// This file is the SDK's one request path, read top to bottom: a call is
// encoded once, then each attempt is authorised, sent, and its answer read,
// until one succeeds or shouldRetry (retry.go) says stop. Every operation of
// both API packages goes through do.

// call is one logical API call: an operation with its path, query and body.
type call struct {
	op     string // the spec's operationId, for logs and errors
	method string
	path   string // escaped, starting with "/"
	query  string // encoded, without "?"
	body   any    // JSON request body, or nil
}

// send makes the call k of service s, the way every typed operation is sent,
// and returns out with the answer decoded into it. prepErr is what checking
// the call's input found: when it is not nil the call is not sent. On any
// error send returns nil, so that a failed call's result is never
// half-decoded data.
func send[T any, S services](ctx context.Context, s S, prepErr error, k call, out *T, opts []Option) (*T, error) {
	if err := exec(ctx, s, prepErr, k, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// exec makes the call k of service s as send does, decoding the answer into
// out unless out is nil: a call that returns nothing passes nil.
func exec[S services](ctx context.Context, s S, prepErr error, k call, out any, opts []Option) error {
	if prepErr != nil {
		return prepErr
	}
	return clientOf(s).do(ctx, k, out, opts)
}

// do sends the call, retrying as shouldRetry allows, and decodes a 2xx body
// into out (unless out is nil). A nil ctx means context.Background().
func (c *Client) do(ctx context.Context, k call, out any, opts []Option) error {
	if c == nil || c.cfg.client == nil {
		return errNotInitialised
	}
	if ctx == nil {
		ctx = context.Background()
	}
	cfg := &c.cfg
	if len(opts) > 0 {
		var err error
		if cfg, err = c.cfg.with(opts); err != nil {
			return err
		}
	}
	if cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.timeout)
		defer cancel()
	}
	var body []byte
	if k.body != nil {
		var err error
		if body, err = json.Marshal(k.body, wireOptions); err != nil {
			return &ValidationError{Field: "request body", Reason: "cannot be encoded: " + err.Error()}
		}
	}
	// Built whole rather than appended to: one allocation, not two.
	var target string
	if k.query == "" {
		target = cfg.baseURL + k.path
	} else {
		target = cfg.baseURL + k.path + "?" + k.query
	}
	requestID := uuid.NewString()
	if err := ctx.Err(); err != nil {
		// net/http would fail the attempt the same way, but a GET's failure
		// could not say that nothing was sent.
		return &TransportError{Operation: k.op, Method: k.method, Path: k.path, RequestID: requestID, Err: err}
	}
	for attempt := 1; ; attempt++ {
		r := c.attempt(ctx, cfg, k, target, body, requestID, attempt, out)
		if r.err == nil {
			return nil
		}
		if ctx.Err() != nil || attempt > cfg.retry.MaxRetries || !shouldRetry(k.method, r) {
			return r.err
		}
		wait, ok := cfg.retry.wait(ctx, attempt, r.retryAfter)
		if !ok || c.sleep(ctx, wait) != nil {
			return r.err
		}
	}
}

// attempt makes one attempt of the call and reads its answer.
func (c *Client) attempt(ctx context.Context, cfg *config, k call, target string, body []byte, requestID string, n int, out any) attemptResult {
	start := time.Now()
	auth, err := cfg.auth.header(ctx)
	if err != nil {
		// A credential source that fails is not a network fault: report it.
		err = &TransportError{Operation: k.op, Method: k.method, Path: k.path, RequestID: requestID, Err: fmt.Errorf("getting a token: %w", err)}
		return attemptResult{err: err, permanent: true}
	}
	// The secrets the call sent, in every form a server may echo them in:
	// worked out only when something from the server is to be reported.
	var secrets *cleaner
	secretsSent := func() cleaner {
		if secrets == nil {
			s := secretsOf(auth, cfg.header, k.body)
			secrets = &s
		}
		return *secrets
	}
	resp, sent, err := c.send(ctx, cfg, k, target, body, requestID, auth)
	if err != nil {
		// net/http quotes what a server sent in some of its errors (a
		// malformed status or header line): a proxy may echo a secret there.
		err = &TransportError{Operation: k.op, Method: k.method, Path: k.path, RequestID: requestID, Sent: sent, Err: secretsSent().redact(err)}
		c.log(ctx, cfg, k, n, 0, time.Since(start), requestID, err)
		return attemptResult{err: err, sent: sent}
	}
	// Report the server's request ID where it gives a plain one without a
	// secret of the call in it, but keep sending ours: one ID for the whole
	// call, retries included.
	if id := resp.Header.Get("X-Request-Id"); id != requestID && plainID(id, auth) && (k.body == nil && cfg.header == nil || !secretsSent().holds(id)) {
		requestID = id
	}
	c.log(ctx, cfg, k, n, resp.StatusCode, time.Since(start), requestID, nil)
	if resp.StatusCode < 200 {
		// A 1xx final answer (101 Switching Protocols) hands the connection
		// over: its body is the raw connection, which neither the context nor
		// the client's timeout bounds, so reading it may never end. Close it
		// unread.
		_ = resp.Body.Close()
		e := &APIError{StatusCode: resp.StatusCode, Operation: k.op, Method: k.method, Path: k.path, RequestID: requestID}
		return attemptResult{err: e, status: resp.StatusCode, sent: true}
	}
	if resp.StatusCode > 299 {
		e := c.readError(resp, k, requestID, secretsSent())
		return attemptResult{err: e, status: resp.StatusCode, sent: true, retryAfter: e.RetryAfter}
	}
	if e := decode(resp, cfg.maxBody, out); e != nil {
		// A decoder quotes a value it cannot parse, and a JSON pointer holds
		// the server's member names.
		e.Err = secretsSent().redact(e.Err)
		e.StatusCode, e.Operation, e.Method, e.Path, e.RequestID = resp.StatusCode, k.op, k.method, k.path, requestID
		return attemptResult{err: e, status: resp.StatusCode, sent: true, truncated: e.truncated}
	}
	if cfg.info != nil {
		*cfg.info = ResponseInfo{StatusCode: resp.StatusCode, Header: resp.Header, RequestID: requestID, Attempts: n}
	}
	return attemptResult{status: resp.StatusCode, sent: true}
}

// send makes one HTTP exchange. sent reports whether any of the request may
// have reached the server, which decides whether a failed POST may be
// retried.
func (c *Client) send(ctx context.Context, cfg *config, k call, target string, body []byte, requestID string, auth []string) (resp *http.Response, sent bool, err error) {
	req, err := http.NewRequestWithContext(ctx, k.method, target, nil)
	if err != nil {
		return nil, false, err
	}
	var content *bytes.Reader // a body, which tells by its length left whether it was read
	switch {
	case body != nil:
		// No GetBody: with it, net/http re-sends a body by itself after some
		// connection failures (HTTP/2 RST_STREAM, GOAWAY, a dead pooled
		// connection), behind the SDK's retry policy; and a 307 or 308 would
		// replay it. Without it, such a failure comes back to do, which
		// repeats a request only when shouldRetry says so. The body is a
		// *bytes.Reader (behind io.NopCloser, which net/http sees through):
		// net/http then writes headers and body in one go, where a body of
		// any other type has the headers flushed first, on a segment of
		// their own.
		content = bytes.NewReader(body)
		req.Body, req.ContentLength = io.NopCloser(content), int64(len(body))
	case k.method != http.MethodGet:
		// A write without a body (a DELETE) gets an empty one for the same
		// reason: net/http re-sends a request whose Body is nil by itself.
		// It goes out as no body at all over HTTP/1.1, and as an empty DATA
		// frame over HTTP/2. Whether it was read says nothing: a server acts
		// on a DELETE's headers alone, which HTTP/2 sends before reading it.
		req.Body = io.NopCloser(strings.NewReader(""))
	}
	h := req.Header
	for name, values := range cfg.header {
		h[name] = values
	}
	h["Accept"] = jsonHeader
	h["User-Agent"] = cfg.uaHeader
	h["X-Request-Id"] = []string{requestID}
	if body != nil {
		h["Content-Type"] = jsonHeader
	}
	h["Authorization"] = auth
	resp, err = cfg.client.Do(req)
	if err != nil {
		// net/http is done with the body when Do fails, it waits for its
		// writer to stop before returning an error, except when the request
		// is cancelled: HTTP/2 then returns at once (it waits only for the
		// body's Close, a no-op here), and a writer still flushing the
		// headers goes on to Read the body. Looking at it then is a data
		// race, so a cancelled attempt that got a connection counts as sent.
		cancelled := ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
		if content != nil && !cancelled {
			return nil, content.Len() < len(body), err
		}
		// A request without a body may have been acted on as soon as its
		// headers arrived; only a failure to connect proves it was not.
		return nil, !connectFailure(err), err
	}
	return resp, true, nil
}

var jsonHeader = []string{"application/json"}

// connectFailure reports whether err happened before a connection to the
// server existed: DNS, dialling, or the TLS handshake.
func connectFailure(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	var cert *tls.CertificateVerificationError
	var rh tls.RecordHeaderError
	var alert tls.AlertError
	return (errors.As(err, &op) && op.Op == "dial") || errors.As(err, &dns) || errors.As(err, &cert) ||
		errors.As(err, &rh) || errors.As(err, &alert)
}

// DefaultMaxResponseBytes bounds how much of a response body the client
// reads, after decompression.
const DefaultMaxResponseBytes = 32 << 20

// decode reads a 2xx body into out, which must be what the operation
// promises (see checkRequired), and drains the rest for connection reuse.
// Its errors have only Err and truncated set.
func decode(resp *http.Response, limit int64, out any) *DecodeError {
	if out == nil {
		closeBody(resp.Body)
		return nil
	}
	data, err := readBody(resp.Body, resp.ContentLength, limit)
	closeBody(resp.Body)
	switch {
	case errors.Is(err, ErrTooLarge):
		return &DecodeError{Err: err}
	case err != nil:
		return &DecodeError{Err: fmt.Errorf("reading the body: %w", err), truncated: true}
	case len(bytes.TrimSpace(data)) == 0:
		return &DecodeError{Err: fmt.Errorf("%w: the body is empty", errMissing)}
	}
	if err := checkRequired(data, out); err != nil {
		return &DecodeError{Err: err}
	}
	if err := json.Unmarshal(data, out, readOptions); err != nil {
		return &DecodeError{Err: err}
	}
	return nil
}

// readOptions are the options of the SDK's response decoding. A repeated
// member name is let through, the last one winning, as encoding/json has
// always done: checking costs a map per object, and a server that repeats a
// name gains nothing it could not get by sending the value it wants once.
var readOptions = jsontext.AllowDuplicateNames(true)

// readBody reads all of r, at most limit bytes. n is the Content-Length, or
// -1 when unknown (as for a body net/http decompressed). A known length up
// to maxUpfront is read into one buffer of that size; a longer or unknown
// one in growing chunks, so no more than the bytes that arrived, the limit
// and one chunk is ever held, without the discarded copies a doubling buffer
// leaves, and then joined once. A Content-Length is trusted for no more than
// maxUpfront before its bytes arrive: with a large limit (MaxInt64 for "no
// limit"), a server claiming a terabyte would otherwise have the SDK allocate
// it, a fatal out-of-memory, before sending a byte.
func readBody(r io.Reader, n, limit int64) ([]byte, error) {
	if n > limit {
		return nil, fmt.Errorf("%w: Content-Length %d is over the %d-byte limit", ErrTooLarge, n, limit)
	}
	if n >= 0 && n <= maxUpfront {
		buf := make([]byte, n)
		_, err := io.ReadFull(r, buf)
		return buf, err
	}
	const minChunk, maxChunk = 16 << 10, 1 << 20
	var chunks [][]byte
	var total int64
	for size := int64(minChunk); ; size = min(2*size, maxChunk) {
		if room := limit - total; room < size {
			size = room + 1 // one byte over tells a body over the limit; room < size, so no overflow
		}
		chunk := make([]byte, size)
		m, err := io.ReadFull(r, chunk)
		chunks = append(chunks, chunk[:m])
		total += int64(m)
		if total > limit {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if n >= 0 && total != n {
		return nil, io.ErrUnexpectedEOF // cut off before its Content-Length
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	return bytes.Join(chunks, nil), nil
}

// maxUpfront is the most a Content-Length makes readBody allocate before the
// bytes arrive: the default limit, so that raising the limit does not let a
// server make each call allocate more at a word.
const maxUpfront = DefaultMaxResponseBytes

// maxDrain bounds how much of an unread body is drained so its connection can
// be reused; a longer one closes the connection instead.
const maxDrain = 64 << 10

func closeBody(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, maxDrain))
	_ = body.Close()
}

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 64 << 10

// readError turns a non-2xx answer into an *APIError. A body in the API's
// Error shape fills Code, Message, Fields and Details; any other is kept as a
// short Snippet. Everything from the server is cleaned of the secrets the
// call sent (it may echo them) and made one bounded line.
func (c *Client) readError(resp *http.Response, k call, requestID string, secrets cleaner) *APIError {
	raw, _ := readBody(io.LimitReader(resp.Body, maxErrorBody), -1, maxErrorBody)
	closeBody(resp.Body)
	e := &APIError{
		StatusCode: resp.StatusCode,
		Operation:  k.op,
		Method:     k.method,
		Path:       k.path,
		RequestID:  requestID,
		RetryAfter: secrets.clean(resp.Header.Get("Retry-After"), 64),
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		e.Location = secrets.clean(resp.Header.Get("Location"), 512)
	}
	var wire struct {
		Code    jsontext.Value `json:"code"`
		Message string         `json:"message"`
		Fields  []FieldError   `json:"fields"`
		Details string         `json:"details"`
		Cause   string         `json:"cause"` // the Organisations API's name for details
	}
	if json.Unmarshal(raw, &wire) != nil || (len(wire.Code) == 0 && wire.Message == "") {
		e.Snippet = secrets.clean(string(raw), 200)
		return e
	}
	code := string(wire.Code)
	if s, err := jsontext.AppendUnquote(nil, wire.Code); err == nil {
		code = string(s)
	}
	e.Code = secrets.clean(code, 64)
	e.Message = secrets.clean(wire.Message, 1024)
	e.Details = secrets.clean(cmp.Or(wire.Details, wire.Cause), 1024)
	for i, f := range wire.Fields {
		if i == 32 {
			break
		}
		e.Fields = append(e.Fields, FieldError{Field: secrets.clean(f.Field, 256), Message: secrets.clean(f.Message, 256)})
	}
	return e
}

// plainID reports whether id, a request ID a server sent, is safe to report:
// a short token of letters, digits and ._:- that does not hold the call's
// credential (a proxy may echo any header into it).
func plainID(id string, auth []string) bool {
	if id == "" || len(id) > 128 || strings.IndexFunc(id, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("._:-", r))
	}) >= 0 {
		return false
	}
	for _, a := range auth {
		if _, secret, _ := strings.Cut(a, " "); secret != "" && strings.Contains(id, secret) {
			return false
		}
	}
	return true
}

// log writes one debug record per attempt: never a header or a body, so no
// credential or secret can reach the log.
func (c *Client) log(ctx context.Context, cfg *config, k call, attempt, status int, d time.Duration, requestID string, err error) {
	if cfg.logger == nil || !cfg.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("operation", k.op),
		slog.String("method", k.method),
		slog.String("path", k.path),
		slog.Int("attempt", attempt),
		slog.Duration("duration", d),
		slog.String("request_id", requestID),
	}
	if status != 0 {
		attrs = append(attrs, slog.Int("status", status))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	cfg.logger.LogAttrs(ctx, slog.LevelDebug, "versori: request", attrs...)
}
