package versori

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
)

// This file holds the request path's body handling: the request body that
// tells whether it was sent, and the bounded reading and decoding of
// responses, successful or not. client.go holds the path itself.

// trackedBody is a request body that records whether the transport ever
// read it. A server cannot have processed a POST whose body it never
// received, so an attempt that failed before the first read (refused, reset
// while connecting, a dead pooled connection) may safely be retried. This
// costs one allocation, where an httptrace hook costs several and a context
// lookup at every step of the transport.
type trackedBody struct {
	r    bytes.Reader
	data []byte
	// read is shared with the copies GetBody makes (for redirects and
	// net/http's own retries), so reading any of them counts.
	read *atomic.Bool
	own  atomic.Bool
}

func newTrackedBody(data []byte) *trackedBody {
	b := &trackedBody{data: data}
	b.r.Reset(data)
	b.read = &b.own
	return b
}

// Read reads the body, recording that it was read.
func (b *trackedBody) Read(p []byte) (int, error) {
	b.read.Store(true)
	return b.r.Read(p)
}

// WriteTo is Read for io.Copy, which prefers it; without it bytes.Reader's
// own WriteTo would not be reached, but neither would the record.
func (b *trackedBody) WriteTo(w io.Writer) (int64, error) {
	b.read.Store(true)
	return b.r.WriteTo(w)
}

// Close does nothing: the body is in memory.
func (b *trackedBody) Close() error { return nil }

// again returns a fresh copy of the body sharing the read record.
func (b *trackedBody) again() (io.ReadCloser, error) {
	c := &trackedBody{data: b.data, read: b.read}
	c.r.Reset(b.data)
	return c, nil
}

func (b *trackedBody) wasRead() bool { return b.read.Load() }

// decode reads a 2xx body into out, bounded by the client's limit, and
// drains what is left so the connection can be reused.
//
// The body is read into a pooled buffer and decoded with json.Unmarshal,
// rather than through a json.Decoder, whose buffer starts small and is
// reallocated as it grows (for a page of 1,000 users, most of the call's
// allocated bytes). Anything out of the ordinary (trailing data, a read
// error, a body over the limit, malformed JSON) is decoded again as a stream
// over what was read, followed by the read error, so results and errors are
// those of a json.Decoder reading the body. Decoding never keeps a slice of
// its input (encoding/json copies, and this package's UnmarshalJSON methods
// clone what they keep), so the buffer can be reused.
func (c *Client) decode(resp *http.Response, k call, requestID string, out any) error {
	if out == nil {
		closeBody(resp.Body)
		return nil
	}
	buf := getBodyBuffer()
	defer putBodyBuffer(buf)
	if n := resp.ContentLength; n > 0 && n <= c.maxBody {
		buf.Grow(int(n) + bytes.MinRead) // ReadFrom needs MinRead free to see EOF without growing
	}
	lr := &limitedReader{r: resp.Body, n: c.maxBody}
	_, rerr := buf.ReadFrom(lr)
	tooLarge := lr.exceeded
	// Drain through lr rather than closeBody's own io.LimitReader: one
	// allocation fewer on every call.
	lr.drain(resp.Body)
	if tooLarge {
		// Decoding a prefix would only cost another pass over up to the
		// limit's worth of bytes to report the same thing.
		return &DecodeError{StatusCode: resp.StatusCode, RequestID: requestID, Method: k.method, Path: k.path,
			Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, c.maxBody)}
	}
	if rerr == nil && json.Unmarshal(buf.Bytes(), out) == nil {
		return nil
	}
	var src io.Reader = bytes.NewReader(buf.Bytes())
	if rerr != nil {
		src = io.MultiReader(src, errReader{rerr})
	}
	err := json.NewDecoder(src).Decode(out)
	if err == nil {
		return nil
	}
	if rerr != nil {
		// The connection failed mid-body; what was read decodes no further.
		return &DecodeError{StatusCode: resp.StatusCode, RequestID: requestID, Method: k.method, Path: k.path, Err: err, interrupted: true}
	}
	if errors.Is(err, io.EOF) {
		err = fmt.Errorf("empty body: %w", io.ErrUnexpectedEOF)
	}
	return &DecodeError{StatusCode: resp.StatusCode, RequestID: requestID, Method: k.method, Path: k.path, Err: err}
}

// errReader returns err, to replay a read error after the bytes read before it.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// bodyBuffers holds buffers for decode. A buffer grown beyond
// maxPooledBuffer is left to the garbage collector, so one huge response does
// not pin its size in memory for good.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledBuffer = 1 << 20

func getBodyBuffer() *bytes.Buffer { return bodyBuffers.Get().(*bytes.Buffer) }

func putBodyBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledBuffer {
		return
	}
	b.Reset()
	bodyBuffers.Put(b)
}

// maxErrorBody bounds how much of an error response is read.
const maxErrorBody = 64 << 10

// readError turns a non-2xx response into an *APIError. A body in the API's
// Error shape fills Code, Message, Fields and Details; any other body (an
// HTML page from a proxy) is kept as a short snippet.
func (c *Client) readError(resp *http.Response, k call, requestID string) *APIError {
	defer closeBody(resp.Body)
	e := &APIError{
		StatusCode: resp.StatusCode,
		RequestID:  requestID,
		Method:     k.method,
		Path:       k.path,
		RetryAfter: resp.Header.Get("Retry-After"),
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var wire struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
		Fields  []FieldError    `json:"fields"`
		Details string          `json:"details"`
	}
	if json.Unmarshal(raw, &wire) == nil && (len(wire.Code) > 0 || wire.Message != "") {
		e.Code = codeString(wire.Code)
		e.Message = wire.Message
		e.Fields = wire.Fields
		e.Details = wire.Details
		return e
	}
	e.Snippet = snippet(raw)
	return e
}

// codeString accepts the code as the spec's string or, leniently, a number.
func codeString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(raw))
}

// snippet returns the start of a body as one printable line.
func snippet(raw []byte) string {
	const max = 200
	s := strings.ToValidUTF8(string(raw), "?")
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "") + "…"
	}
	return s
}

// maxDrain bounds how much of an unread body is drained for connection reuse;
// a longer one closes the connection instead.
const maxDrain = 64 << 10

// closeBody drains a bounded amount so the connection can be reused, then closes.
func closeBody(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, maxDrain))
	_ = body.Close()
}

// drain reads up to maxDrain more of body, as closeBody does, reusing l, then
// closes body.
func (l *limitedReader) drain(body io.ReadCloser) {
	*l = limitedReader{r: body, n: maxDrain}
	_, _ = io.Copy(io.Discard, l)
	_ = body.Close()
}

// limitedReader reads at most n bytes and records whether the body was longer.
type limitedReader struct {
	r        io.Reader
	n        int64
	exceeded bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		// Probe one byte to tell "exactly at the limit" from "over it".
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			l.exceeded = true
			return 0, ErrTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}
