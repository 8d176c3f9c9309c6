package versoritest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// apiError is an error response in the spec's Error shape. Handlers return it rather than
// writing directly, so every failure path produces the same body.
type apiError struct {
	Status  int          `json:"-"`
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Fields  []fieldError `json:"fields,omitempty"`
	Details string       `json:"details,omitempty"`
}

// fieldError names one invalid request field by its JSON path, e.g. "a.b[0].c".
type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *apiError) Error() string { return fmt.Sprintf("%d: %s", e.Status, e.Message) }

// errorCode is the six-digit code Versori's SDKs expect: the status followed by 000.
func errorCode(status int) string { return strconv.Itoa(status * 1000) }

func newError(status int, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: errorCode(status), Message: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) *apiError {
	return newError(http.StatusNotFound, format, args...)
}

func conflict(format string, args ...any) *apiError {
	return newError(http.StatusConflict, format, args...)
}

// badField is a 400 naming one field.
func badField(field, message string) *apiError {
	return validationError([]fieldError{{Field: field, Message: message}})
}

func validationError(fields []fieldError) *apiError {
	e := newError(http.StatusBadRequest, "validation failed")
	e.Fields = fields
	if len(fields) == 1 {
		e.Message = "validation failed: " + fields[0].Field + ": " + fields[0].Message
	}
	return e
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.Status, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Only our own wire structs reach here; failing to encode them is a bug in the fake.
		status = http.StatusInternalServerError
		body, _ = json.Marshal(newError(status, "encoding response: %v", err))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
