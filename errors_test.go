package versori

import (
	"errors"
	"io"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Each error type says whether the request may have been processed, and
// matches its sentinels.
func TestErrorsSayWhetherProcessed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err         error
		notSent     bool
		maybe       bool
		sentinels   []error
		notMatching []error
	}{
		{&ValidationError{Field: "f", Reason: "is required"}, true, false, []error{ErrValidation}, []error{ErrServer}},
		{&TransportError{Sent: false}, true, false, nil, []error{ErrValidation}},
		{&TransportError{Sent: true}, false, true, nil, nil},
		{&DecodeError{StatusCode: 201}, false, true, nil, []error{ErrValidation}},
		{&APIError{StatusCode: 400}, false, false, []error{ErrValidation}, []error{ErrServer}},
		{&APIError{StatusCode: 401}, false, false, []error{ErrUnauthorized}, nil},
		{&APIError{StatusCode: 403}, false, false, []error{ErrForbidden}, nil},
		{&APIError{StatusCode: 404}, false, false, []error{ErrNotFound}, []error{ErrConflict}},
		{&APIError{StatusCode: 409}, false, false, []error{ErrConflict}, nil},
		{&APIError{StatusCode: 422}, false, false, []error{ErrValidation}, nil},
		{&APIError{StatusCode: 429}, false, false, []error{ErrRateLimited}, []error{ErrServer}},
		{&APIError{StatusCode: 307, Location: "https://elsewhere/"}, false, false, nil, []error{ErrServer, ErrNotFound}},
		{&APIError{StatusCode: 500}, false, true, []error{ErrServer}, nil},
		{&APIError{StatusCode: 503}, false, true, []error{ErrServer}, nil},
	} {
		assert.Equal(t, tc.notSent, errors.Is(tc.err, ErrNotSent), "%#v ErrNotSent", tc.err)
		assert.Equal(t, tc.maybe, errors.Is(tc.err, ErrMaybeProcessed), "%#v ErrMaybeProcessed", tc.err)
		for _, s := range tc.sentinels {
			assert.ErrorIs(t, tc.err, s)
		}
		for _, s := range tc.notMatching {
			assert.NotErrorIs(t, tc.err, s)
		}
	}
}

func TestErrorStrings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&ValidationError{Field: "connection.name", Reason: "is required"}, "versori: connection.name is required"},
		{&APIError{StatusCode: 404, Code: "404000", Message: "end user not found", Operation: "GetEndUser", Method: "GET", Path: "/hubs/h/users/u", RequestID: "r1"},
			"versori: GetEndUser GET /hubs/h/users/u: 404 Not Found (code 404000): end user not found (request r1)"},
		{&APIError{StatusCode: 400, Message: "bad", Fields: []FieldError{{"a", "x"}, {"b", "y"}}, Method: "POST", Path: "/p"},
			"versori: POST /p: 400 Bad Request: bad [a: x; b: y]"},
		// A field the message already states is not repeated.
		{&APIError{StatusCode: 400, Message: `validation failed: region: must be one of ["eu","us"]`, Fields: []FieldError{{"region", `must be one of ["eu","us"]`}, {"b", "y"}}, Method: "PATCH", Path: "/p"},
			`versori: PATCH /p: 400 Bad Request: validation failed: region: must be one of ["eu","us"] [b: y]`},
		{&APIError{StatusCode: 400, Message: "validation failed: a: x", Fields: []FieldError{{"a", "x"}}, Method: "POST", Path: "/p"},
			"versori: POST /p: 400 Bad Request: validation failed: a: x"},
		{&APIError{StatusCode: 302, Location: "https://evil.example/x", Operation: "GetHub", Method: "GET", Path: "/hubs/h"},
			`versori: GetHub GET /hubs/h: 302 Found: redirect to "https://evil.example/x" not followed`},
		{&APIError{StatusCode: 502, Snippet: "<html>bad gateway</html>", Method: "GET", Path: "/p"},
			`versori: GET /p: 502 Bad Gateway: "<html>bad gateway</html>"`},
		{&TransportError{Operation: "CreateEndUser", Method: "POST", Path: "/hubs/h/users", Sent: true, Err: errors.New("connection reset"), RequestID: "r2"},
			"versori: CreateEndUser POST /hubs/h/users: may have been processed: connection reset (request r2)"},
		{&TransportError{Method: "GET", Path: "/p", Err: errors.New("connection refused")},
			"versori: GET /p: not sent: connection refused"},
		{&TransportError{Method: "POST", Path: "/p", Sent: true, Err: &url.Error{Op: "Post", URL: "https://api.example/p?x=1", Err: io.EOF}},
			"versori: POST /p: may have been processed: EOF"}, // the *url.Error's method and URL repeat the call
	} {
		assert.Equal(t, tc.want, tc.err.Error())
	}
}
