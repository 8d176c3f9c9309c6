package versori

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/versori-go/versori/internal/pager"
)

// Sentinel errors classify failures for errors.Is, whatever their type.
var (
	ErrUnauthorized = errors.New("versori: unauthorized")       // 401
	ErrForbidden    = errors.New("versori: forbidden")          // 403
	ErrNotFound     = errors.New("versori: not found")          // 404
	ErrConflict     = errors.New("versori: conflict")           // 409
	ErrValidation   = errors.New("versori: invalid request")    // 400, 422, or refused before sending
	ErrRateLimited  = errors.New("versori: rate limited")       // 429
	ErrServer       = errors.New("versori: server error")       // 5xx
	ErrTooLarge     = errors.New("versori: response too large") // a body over the client's limit

	// ErrNotSent matches an error after which nothing can have been
	// processed: the SDK refused the input, or no attempt reached the server.
	// Retrying such a call never duplicates a write, though input the SDK
	// refused (ErrValidation) is refused again. A 4xx answer matches neither
	// ErrNotSent nor ErrMaybeProcessed: the server refused the request.
	ErrNotSent = errors.New("versori: request not sent")

	// ErrMaybeProcessed matches an error after which the server may have
	// acted on the request: the connection failed after the request went
	// out, the server answered 5xx, or a 2xx answer could not be read. Before
	// repeating a create, look for what it may have created (see README).
	ErrMaybeProcessed = errors.New("versori: request may have been processed")

	// ErrPagination matches the error an iterator yields when the server's
	// pages would never end: a cursor seen before, or an empty page that
	// points on.
	ErrPagination = pager.ErrLoop
)

// APIError is a non-2xx answer. Code, Message, Fields and Details come from
// the API's Error body; any other body (an HTML page from a proxy) is kept as
// a short Snippet. Every string that came from the server is one printable
// line, bounded, with the secrets the call sent removed.
type APIError struct {
	StatusCode int          // HTTP status code
	Code       string       // the API's error code, e.g. "404000"
	Message    string       // the API's message
	Fields     []FieldError // per-field problems, if any
	Details    string       // extra detail from the API, if any
	Snippet    string       // start of a body that was not an Error object
	Location   string       // for a 3xx, where the server redirected to: the SDK follows no redirect
	RetryAfter string       // the Retry-After header, if any
	Operation  string       // the API operation, e.g. "CreateEndUser"
	Method     string       // HTTP method of the call
	Path       string       // request path below the base URL
	RequestID  string       // X-Request-Id of the answer, or the one the SDK sent
}

// FieldError names one invalid field by its path, such as
// "connection.credentials.action[0].credential.data".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error returns one line: the call, the status, the API's code, message and
// fields, and the request ID.
func (e *APIError) Error() string {
	var b strings.Builder
	writeCall(&b, e.Operation, e.Method, e.Path)
	b.WriteString(strconv.Itoa(e.StatusCode))
	if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteString(" " + text)
	}
	if e.Code != "" {
		b.WriteString(" (code " + e.Code + ")")
	}
	switch {
	case e.Location != "":
		b.WriteString(": redirect to " + strconv.Quote(e.Location) + " not followed")
	case e.Message != "":
		b.WriteString(": " + e.Message)
	case e.Snippet != "":
		b.WriteString(": " + strconv.Quote(e.Snippet))
	}
	// A field the message already states, as "field: message", is not
	// repeated.
	listed := 0
	for _, f := range e.Fields {
		text := f.Field + ": " + f.Message
		if strings.Contains(e.Message, text) {
			continue
		}
		if listed == 0 {
			b.WriteString(" [")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(text)
		listed++
	}
	if listed > 0 {
		b.WriteByte(']')
	}
	writeRequestID(&b, e.RequestID)
	return b.String()
}

// Is matches the sentinel of e's status, and ErrMaybeProcessed for a 5xx:
// a server error never proves the request was not acted on.
func (e *APIError) Is(target error) bool {
	s := e.StatusCode
	switch target {
	case ErrUnauthorized:
		return s == http.StatusUnauthorized
	case ErrForbidden:
		return s == http.StatusForbidden
	case ErrNotFound:
		return s == http.StatusNotFound
	case ErrConflict:
		return s == http.StatusConflict
	case ErrValidation:
		return s == http.StatusBadRequest || s == http.StatusUnprocessableEntity
	case ErrRateLimited:
		return s == http.StatusTooManyRequests
	case ErrServer, ErrMaybeProcessed:
		return s >= 500
	}
	return false
}

// DecodeError is a 2xx answer the SDK could not use: a body that is not JSON,
// is cut off, is over the size limit, or lacks what the operation promises
// (an empty body, null, {}, or a required property missing). The server
// did answer with success, so a write it reports on was processed.
type DecodeError struct {
	StatusCode int    // HTTP status of the answer
	Operation  string // the API operation
	Method     string // HTTP method of the call
	Path       string // request path below the base URL
	RequestID  string // X-Request-Id of the answer, or the one the SDK sent
	Err        error  // what was wrong

	truncated bool // the connection broke while the body was read
}

// Error describes the call, the status and what was wrong with the body.
func (e *DecodeError) Error() string {
	var b strings.Builder
	writeCall(&b, e.Operation, e.Method, e.Path)
	b.WriteString(strconv.Itoa(e.StatusCode) + " answer: ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	writeRequestID(&b, e.RequestID)
	return b.String()
}

// Unwrap returns Err, so errors.Is(err, ErrTooLarge) works.
func (e *DecodeError) Unwrap() error { return e.Err }

// Is matches ErrMaybeProcessed: the server answered with success.
func (e *DecodeError) Is(target error) bool { return target == ErrMaybeProcessed }

// TransportError is a call that got no answer: the connection could not be
// made or broke, the context ended, or no credentials could be had. Sent says
// whether the request may have reached the server; errors.Is matches
// ErrNotSent or ErrMaybeProcessed accordingly.
type TransportError struct {
	Operation string // the API operation
	Method    string // HTTP method of the call
	Path      string // request path below the base URL
	RequestID string // the X-Request-Id the SDK sent
	Sent      bool   // whether any of the request may have reached the server
	Err       error  // the underlying error, such as context.DeadlineExceeded
}

// Error describes the call, whether it may have been processed, and the cause.
func (e *TransportError) Error() string {
	var b strings.Builder
	writeCall(&b, e.Operation, e.Method, e.Path)
	if e.Sent {
		b.WriteString("may have been processed: ")
	} else {
		b.WriteString("not sent: ")
	}
	err := e.Err
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		err = ue.Err // its method and URL would repeat the call's
	}
	if err != nil {
		b.WriteString(err.Error())
	}
	writeRequestID(&b, e.RequestID)
	return b.String()
}

// Unwrap returns Err.
func (e *TransportError) Unwrap() error { return e.Err }

// Is matches ErrMaybeProcessed when Sent, ErrNotSent otherwise.
func (e *TransportError) Is(target error) bool {
	return (target == ErrMaybeProcessed && e.Sent) || (target == ErrNotSent && !e.Sent)
}

// ValidationError is input the SDK refused before sending anything: a
// missing ID, an empty required field, a credential that does not fit its
// auth scheme. It matches ErrValidation and ErrNotSent.
type ValidationError struct {
	Field  string // the field, as a path such as "connection.credentials.action[0].credential"
	Reason string // what is wrong with it, such as "is required"
}

// Error returns "versori: <field> <reason>".
func (e *ValidationError) Error() string { return "versori: " + e.Field + " " + e.Reason }

// Is matches ErrValidation and ErrNotSent.
func (e *ValidationError) Is(target error) bool {
	return target == ErrValidation || target == ErrNotSent
}

func writeCall(b *strings.Builder, op, method, path string) {
	b.WriteString("versori: ")
	if op != "" {
		b.WriteString(op + " ")
	}
	b.WriteString(method + " " + path + ": ")
}

func writeRequestID(b *strings.Builder, id string) {
	if id != "" {
		b.WriteString(" (request " + id + ")")
	}
}

// required returns a ValidationError for field when value is empty or blank.
func required(field, value string) error {
	if strings.TrimSpace(value) == "" {
		return &ValidationError{Field: field, Reason: "is required"}
	}
	return nil
}

// errNotInitialised is the error of a call on a Client that NewClient did
// not make (a Client{}, a nil *Client, or a service of neither).
var errNotInitialised = &ValidationError{Field: "client", Reason: "is not initialised: make it with versori.NewClient"}
