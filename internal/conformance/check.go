package conformance

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"
)

// Side says which half of an exchange a Violation is about.
type Side string

// The two halves of an exchange.
const (
	Request  Side = "request"
	Response Side = "response"
)

// Violation is one way an exchange breaks the spec. It keeps the validator's
// own error so a test can inspect it, and renders everything a reader needs to
// fix the failure without re-running under a debugger: what was sent, the
// validator's message and reason, and each schema failure with its location in
// the body and in the schema.
type Violation struct {
	// Side is Request or Response.
	Side Side
	// Method and URL identify the exchange.
	Method, URL string
	// Err is libopenapi-validator's error.
	Err *verrors.ValidationError
}

// Error renders the violation on several lines: a headline, then one line per
// schema failure.
func (v *Violation) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s: %s", v.Method, v.URL, v.Side, v.Err.Message)
	if v.Err.Reason != "" && v.Err.Reason != v.Err.Message {
		fmt.Fprintf(&b, ": %s", v.Err.Reason)
	}
	if v.Err.SpecLine > 0 {
		fmt.Fprintf(&b, " (spec line %d)", v.Err.SpecLine)
	}
	for _, f := range v.Err.SchemaValidationErrors {
		loc := f.FieldPath
		if loc == "" {
			loc = "$"
		}
		fmt.Fprintf(&b, "\n\t%s: %s", loc, f.Reason)
		if f.KeywordLocation != "" {
			fmt.Fprintf(&b, " [schema %s]", f.KeywordLocation)
		}
	}
	return b.String()
}

// Unwrap returns the validator's error, for errors.As.
func (v *Violation) Unwrap() error { return v.Err }

// Check validates one exchange against the spec: the request (path, query,
// headers, body) and, if resp is non-nil, the response (status and body).
// Bodies are passed separately because by the time a caller has both, the
// originals have usually been read; req and resp are not modified and their
// bodies are not touched. Known spec errata are tolerated (see tolerate.go);
// every other failure is returned as a *Violation. Beyond the spec, it also
// checks that each credential's data fits its type (see credtype.go). A nil
// result means the exchange conforms.
func (v *Validator) Check(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) []error {
	var out []error
	for _, ve := range v.check(req, reqBody, resp, respBody) {
		out = append(out, ve)
	}
	return out
}

// check returns violations after tolerating errata.
func (v *Validator) check(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) []*Violation {
	reqErrs, respErrs := v.validate(req, reqBody, resp, respBody)
	reqErrs = v.beyondSpec(reqErrs, req, decodeBody(reqBody), Request)
	if resp != nil {
		respErrs = v.beyondSpec(respErrs, req, decodeBody(respBody), Response)
	}
	var out []*Violation
	for _, e := range reqErrs {
		out = append(out, &Violation{Side: Request, Method: req.Method, URL: req.URL.String(), Err: e})
	}
	for _, e := range respErrs {
		out = append(out, &Violation{Side: Response, Method: req.Method, URL: req.URL.String(), Err: e})
	}
	return out
}

// beyondSpec applies to one side's errors, given its decoded body, what the
// harness adds to the spec: for v1, the errata tolerance (tolerate.go) and the
// credential type check (credtype.go); for the keyed specs, the keyed union
// check (keyed.go).
func (v *Validator) beyondSpec(errs []*verrors.ValidationError, req *http.Request, doc any, side Side) []*verrors.ValidationError {
	if v.keyed {
		return append(errs, checkKeyedUnions(doc, side, isAuthSchemeConfigPath(req.URL.Path))...)
	}
	errs = v.tolerate(errs, doc)
	return append(errs, v.checkCredentialTypes(doc, side, errs)...)
}

// validate runs libopenapi-validator on copies of req and resp and returns its
// raw errors, without any tolerance.
func (v *Validator) validate(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) (reqErrs, respErrs []*verrors.ValidationError) {
	// The validator consumes bodies and overwrites *request (it stores the
	// matched route in the request's context), so it only ever sees copies:
	// the caller's request may still be in use by its transport.
	r := cloneRequest(req, reqBody)
	_, reqErrs = v.v.ValidateHttpRequestSync(r)
	if resp == nil || pathNotFound(reqErrs) {
		// With no matching path the response can't be checked, and the
		// request's error already says why.
		return reqErrs, nil
	}
	r = cloneRequest(req, reqBody)
	rs := &http.Response{
		Status:        resp.Status,
		StatusCode:    resp.StatusCode,
		Proto:         resp.Proto,
		ProtoMajor:    resp.ProtoMajor,
		ProtoMinor:    resp.ProtoMinor,
		Header:        resp.Header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(respBody)),
		ContentLength: int64(len(respBody)),
		Request:       r,
	}
	_, respErrs = v.v.ValidateHttpResponse(r, rs)
	return reqErrs, respErrs
}

func cloneRequest(req *http.Request, body []byte) *http.Request {
	r := req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.GetBody = nil
	return r
}

func pathNotFound(errs []*verrors.ValidationError) bool {
	for _, e := range errs {
		if e.ValidationType == helpers.PathValidation {
			return true
		}
	}
	return false
}
