package versori

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Sentinel errors classify failures so callers can branch with errors.Is,
// whether the error came from the API (an *APIError, matched by status) or
// from the SDK's own checks before sending (a *ValidationError matches
// ErrValidation).
var (
	ErrUnauthorized = errors.New("versori: unauthorized")       // 401
	ErrForbidden    = errors.New("versori: forbidden")          // 403
	ErrNotFound     = errors.New("versori: not found")          // 404
	ErrConflict     = errors.New("versori: conflict")           // 409
	ErrValidation   = errors.New("versori: invalid request")    // 400, 422, or rejected before sending
	ErrRateLimited  = errors.New("versori: rate limited")       // 429
	ErrServer       = errors.New("versori: server error")       // 5xx
	ErrTooLarge     = errors.New("versori: response too large") // a body over the client's limit
)

// APIError is a non-2xx response from the Embedded API. Code, Message, Fields
// and Details come from the API's Error body; when the body is not that shape
// (an HTML page from a proxy, say), Snippet holds its start so nothing the
// caller needs is lost.
type APIError struct {
	StatusCode int          // HTTP status code
	Code       string       // machine-readable error code, e.g. "404000"
	Message    string       // human-readable message
	Fields     []FieldError // per-field validation problems, if any
	Details    string       // extra detail from the API, if any
	RequestID  string       // X-Request-Id of the response, or the one the SDK sent
	Method     string       // HTTP method of the call
	Path       string       // request path, relative to the base URL
	RetryAfter string       // the Retry-After header, if the API sent one
	Snippet    string       // start of a body that was not an Error JSON object
}

// FieldError names one invalid field, as a path such as "connection.credentials.action[0].credential.data".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error returns a one-line description: method, path, status, code, message and fields.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("versori: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteByte(' ')
		b.WriteString(text)
	}
	if e.Code != "" {
		b.WriteString(" (code ")
		b.WriteString(e.Code)
		b.WriteByte(')')
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	} else if e.Snippet != "" {
		b.WriteString(": ")
		b.WriteString(strconv.Quote(e.Snippet))
	}
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(" [")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field)
		b.WriteString(": ")
		b.WriteString(f.Message)
		if i == len(e.Fields)-1 {
			b.WriteByte(']')
		}
	}
	if e.RequestID != "" {
		b.WriteString(" (request ")
		b.WriteString(e.RequestID)
		b.WriteByte(')')
	}
	return b.String()
}

// Is reports whether target is the sentinel for e's status code, so that
// errors.Is(err, ErrNotFound) holds for any 404.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrValidation:
		return e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnprocessableEntity
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500
	}
	return false
}

// ValidationError is input the SDK refused before sending anything: a missing
// ID, an empty required field, a credential with no data. It matches
// ErrValidation.
type ValidationError struct {
	Field  string // the offending field, as a path such as "primaryConnection.credentials.action[0].credential"
	Reason string // what is wrong with it
}

// Error returns "versori: invalid <field>: <reason>".
func (e *ValidationError) Error() string {
	return fmt.Sprintf("versori: invalid %s: %s", e.Field, e.Reason)
}

// Is reports whether target is ErrValidation.
func (e *ValidationError) Is(target error) bool { return target == ErrValidation }

// required returns a ValidationError for field when value is empty.
func required(field, value string) error {
	if value == "" {
		return &ValidationError{Field: field, Reason: "is required"}
	}
	return nil
}

// DecodeError is a 2xx response whose body could not be decoded: malformed or
// truncated JSON, an empty body, or one over the size limit. It keeps the call
// and response details the caller needs to report it.
type DecodeError struct {
	StatusCode int    // HTTP status of the response
	RequestID  string // X-Request-Id of the response, or the one the SDK sent
	Method     string // HTTP method of the call
	Path       string // request path, relative to the base URL
	Snippet    string // start of the body, when there was one
	Err        error  // the underlying decoding or reading error

	// interrupted is set when reading the body failed (the connection
	// broke), as opposed to a body that arrived whole but does not decode.
	interrupted bool
}

// Error describes the call, the status and the decoding failure.
func (e *DecodeError) Error() string {
	msg := fmt.Sprintf("versori: %s %s: %d response: decoding body: %v", e.Method, e.Path, e.StatusCode, e.Err)
	if e.RequestID != "" {
		msg += " (request " + e.RequestID + ")"
	}
	return msg
}

// Unwrap returns the underlying error, so errors.Is(err, ErrTooLarge) works.
func (e *DecodeError) Unwrap() error { return e.Err }
