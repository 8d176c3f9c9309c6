package versori

import (
	"bytes"
	"context"
	stdjson "encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/versori-go/versori/internal/union"
)

// The fuzz targets of the root package: every union decoder, the credential
// spec encoder, the error decoder, the required-property check, the
// response decoder, Retry-After, path segments and the activation request.
// .ci/fuzz.sh runs each. Seed corpora: testdata/fuzz/<FuzzName>/.
//
// Invariants throughout: nothing panics; what decodes encodes (with the
// request encoding) and decodes again to the same bytes; and a canary put
// in a secret's place in the input shows in no error, print, log or
// redacting encoding.

// fzCanary stands for a secret in fuzz inputs.
const fzCanary = "zqFUZZS3CRETzq"

// fzSecretMembers are the members that hold a secret in some variant.
var fzSecretMembers = []string{"value", "valueBase64", "password", "clientSecret", "code", "accessToken", "refreshToken", "key", "secret"}

// fzPlant puts the canary where an input has "@S@" as the value of a
// secret member.
func fzPlant(b []byte) []byte {
	for _, m := range fzSecretMembers {
		b = bytes.ReplaceAll(b, []byte(`"`+m+`":"@S@"`), []byte(`"`+m+`":"`+fzCanary+`"`))
	}
	return b
}

// fzNoCanary fails if out shows the canary.
func fzNoCanary(t *testing.T, what, out string) {
	t.Helper()
	if i := strings.Index(out, fzCanary); i >= 0 {
		t.Fatalf("%s shows a secret: …%s…", what, out[max(0, i-120):min(len(out), i+40)])
	}
}

// fzDecoded is a fuzz function of bytes: it puts the canary in them,
// decodes them into a T and hands what decodes to check. The error of what
// does not decode must not show the canary.
func fzDecoded[T any](check func(t *testing.T, v T)) func(*testing.T, []byte) {
	return func(t *testing.T, b []byte) {
		var v T
		if err := json.Unmarshal(fzPlant(b), &v); err != nil {
			fzNoCanary(t, "the error", err.Error())
			return
		}
		check(t, v)
	}
}

// fzShow prints, logs and encodes v (not for the wire), failing if any of
// it shows the canary.
func fzShow(t *testing.T, v any) {
	t.Helper()
	var out bytes.Buffer
	fmt.Fprintf(&out, "%v %+v %#v", v, v, v)
	for _, h := range []slog.Handler{slog.NewTextHandler(&out, nil), slog.NewJSONHandler(&out, nil)} {
		slog.New(h).Info("v", "v", v)
	}
	b1, _ := stdjson.Marshal(v)
	b2, _ := json.Marshal(v)
	out.Write(b1)
	out.Write(b2)
	fzNoCanary(t, fmt.Sprintf("printing %T", v), out.String())
}

// fzWire is the request encoding, maps sorted so encodings compare.
func fzWire(v any) ([]byte, error) { return json.Marshal(v, wireOptions, json.Deterministic(true)) }

// fzStable checks that what decoded into v encodes, decodes again into a
// fresh value of its type, and encodes to the same bytes.
func fzStable(t *testing.T, v any) []byte {
	t.Helper()
	b1, err := fzWire(v)
	if err != nil {
		t.Fatalf("%T decoded but does not encode: %v\n%#v", v, err, v)
	}
	v2 := reflect.New(reflect.TypeOf(v).Elem()).Interface()
	if err := json.Unmarshal(b1, v2); err != nil {
		t.Fatalf("%T encoded as %s, which does not decode: %v", v, b1, err)
	}
	b2, err := fzWire(v2)
	if err != nil || !bytes.Equal(b1, b2) {
		t.Fatalf("%T: unstable encoding (%v)\n%s\n%s", v, err, b1, b2)
	}
	return b1
}

// FuzzCredentialUnmarshal decodes arbitrary bytes as a Credential: its
// data must agree with its type, and it must round-trip.
func FuzzCredentialUnmarshal(f *testing.F) {
	for _, tc := range credentialDataCases {
		f.Add([]byte(apiCredential(tc.typ, tc.wire)))
	}
	f.Add([]byte(`{"id":"i","organisationId":"o","type":"basic-auth","name":"n","data":{"username":"u","password":"@S@"}}`))
	f.Fuzz(fzDecoded(func(t *testing.T, c Credential) {
		if union.IsNil(c.Data) {
			t.Fatalf("decoded without data: %#v", c)
		}
		if got := CredentialTypeOf(c.Data); got != c.Type {
			t.Fatalf("type %q but data %T (%q)", c.Type, c.Data, got)
		}
		fzShow(t, c)
		fzStable(t, &c)
		// The data sent back as a new credential keeps its type.
		spec, err := fzWire(NewCredential(c.Name, c.Data))
		if err != nil {
			t.Fatalf("the data does not encode as a CredentialSpec: %v", err)
		}
		var w struct {
			Type CredentialType `json:"type"`
		}
		if err := json.Unmarshal(spec, &w); err != nil || w.Type != c.Type {
			t.Fatalf("CredentialSpec %s: type %q, want %q (%v)", spec, w.Type, c.Type, err)
		}
	}))
}

// FuzzCredentialSpecEncode builds a CredentialSpec from arbitrary data of
// an arbitrary type: it encodes with its data's type, and what it sends
// decodes back to data that encodes the same.
func FuzzCredentialSpecEncode(f *testing.F) {
	for _, tc := range credentialDataCases {
		f.Add("n", string(tc.typ), []byte(tc.wire))
	}
	f.Add("key", "string", []byte(`{"value":"@S@"}`))
	f.Fuzz(func(t *testing.T, name, typ string, data []byte) {
		data = fzPlant(data)
		if !jsontext.Value(data).IsValid() {
			return // the decoder only ever hands decodeCredentialData a valid value
		}
		d, err := decodeCredentialData(CredentialType(typ), jsontext.Value(data), nil)
		if err != nil {
			fzNoCanary(t, "the error", err.Error())
			return
		}
		spec := NewCredential(name, d)
		fzShow(t, spec)
		b, err := fzWire(spec)
		if !utf8.ValidString(name) || !utf8.ValidString(typ) {
			if err == nil {
				t.Fatalf("invalid UTF-8 encoded: %q", b)
			}
			return
		}
		if err != nil {
			t.Fatalf("does not encode: %v\n%#v", err, spec)
		}
		var w struct {
			Name string         `json:"name"`
			Type CredentialType `json:"type"`
			Data jsontext.Value `json:"data"`
		}
		if err := json.Unmarshal(b, &w); err != nil {
			t.Fatalf("sent %s, which does not decode: %v", b, err)
		}
		if w.Name != name || w.Type != CredentialType(typ) || w.Type != CredentialTypeOf(d) {
			t.Fatalf("sent %s for name %q, type %q", b, name, typ)
		}
		d2, err := decodeCredentialData(w.Type, w.Data, nil)
		if err != nil {
			t.Fatalf("sent data %s does not decode as %s: %v", w.Data, w.Type, err)
		}
		if b2, err := fzWire(NewCredential(name, d2)); err != nil || !bytes.Equal(b, b2) {
			t.Fatalf("unstable (%v)\n%s\n%s", err, b, b2)
		}
	})
}

// FuzzAuthSchemeConfigUnmarshal decodes arbitrary bytes as an
// AuthSchemeConfig: it always has a scheme, encodes the same twice, and
// round-trips.
func FuzzAuthSchemeConfigUnmarshal(f *testing.F) {
	for _, tc := range authSchemeCases {
		f.Add([]byte(apiAuthSchemeConfig(tc.wire)))
	}
	f.Add([]byte(`{"id":"a","description":"","schemeType":"oauth2","grant":{"grantType":"password","clientSecret":"@S@"}}`))
	f.Fuzz(fzDecoded(func(t *testing.T, c AuthSchemeConfig) {
		if union.IsNil(c.Scheme) {
			t.Fatalf("decoded without a scheme: %#v", c)
		}
		fzShow(t, c)
		b1 := fzStable(t, &c)
		if again, err := fzWire(c); err != nil || !bytes.Equal(b1, again) {
			t.Fatalf("encoding twice differs (%v)\n%s\n%s", err, b1, again)
		}
		var c2 AuthSchemeConfig
		if err := json.Unmarshal(b1, &c2); err != nil || SchemeTypeOf(c2.Scheme) != SchemeTypeOf(c.Scheme) {
			t.Fatalf("schemeType %q came back as %q (%v)", SchemeTypeOf(c.Scheme), SchemeTypeOf(c2.Scheme), err)
		}
		_ = c.validate("f")
		_ = AcceptedCredentials(c.Scheme)
	}))
}

// FuzzOAuth2SchemeUnmarshal decodes arbitrary bytes as an OAuth2Scheme, the
// union nested in another (its grant): it round-trips, and an unknown
// grant keeps valid raw JSON.
func FuzzOAuth2SchemeUnmarshal(f *testing.F) {
	for _, g := range grantCases {
		f.Add([]byte(`{"authorizeUrl":"a","tokenUrl":"t","scopes":[],"defaultScopes":[],"grant":` + g.wire + `}`))
	}
	f.Add([]byte(`{"grant":{"grantType":"authorization_code","clientId":"c","clientSecret":"@S@"}}`))
	f.Fuzz(fzDecoded(func(t *testing.T, s OAuth2Scheme) {
		fzShow(t, s)
		fzStable(t, &s)
		if g, ok := s.Grant.(UnknownGrant); ok && !jsontext.Value(g.Raw.Reveal()).IsValid() {
			t.Fatalf("unknown grant kept invalid raw JSON %q", g.Raw.Reveal())
		}
		_ = AcceptedCredentials(s)
	}))
}

// FuzzReadError feeds readError any status, body and Retry-After, with a
// secret the call sent echoed where the input says (@S@ JSON-escaped, as a
// JSON server would, @R@ raw): it always yields an *APIError with the
// call's details, one bounded printable line per field, classified by
// status alone, and never the secret.
func FuzzReadError(f *testing.F) {
	f.Add(404, []byte(`{"code":"404000","message":"not found"}`), "", "")
	f.Add(503, []byte(`<html>busy @R@</html>`), "120", "p@ss w0rd")
	f.Add(422, []byte(`{"code":"422000","message":"bad @S@","fields":[{"field":"password","message":"@S@ is weak"}],"details":"@S@"}`), "@R@", `"<&>'\`)
	c := &Client{}
	k := call{op: "GetHub", method: http.MethodGet, path: "/hubs/x"}
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter, secret string) {
		canary := fzCanary + secret
		quoted, _ := stdjson.Marshal(canary)
		body = bytes.ReplaceAll(body, []byte("@S@"), quoted[1:len(quoted)-1])
		body = bytes.ReplaceAll(body, []byte("@R@"), []byte(canary))
		retryAfter = strings.ReplaceAll(retryAfter, "@R@", canary)
		resp := &http.Response{
			StatusCode: status,
			Header:     http.Header{"Retry-After": {retryAfter}, "Location": {"https://x/?k=" + url.QueryEscape(canary)}},
			Body:       io.NopCloser(bytes.NewReader(body)),
		}
		e := c.readError(resp, k, "req-1", secretsOf([]string{"Bearer " + canary}, nil, struct{ S Secret }{NewSecret(canary)}))
		if e == nil {
			t.Fatal("nil *APIError")
		}
		if e.StatusCode != status || e.RequestID != "req-1" || e.Method != "GET" || e.Path != "/hubs/x" || e.Operation != "GetHub" {
			t.Fatalf("call details lost: %+v", e)
		}
		for _, f := range []struct {
			name, v string
			max     int
		}{{"Snippet", e.Snippet, 200}, {"Code", e.Code, 64}, {"Message", e.Message, 1024}, {"Details", e.Details, 1024},
			{"RetryAfter", e.RetryAfter, 64}, {"Location", e.Location, 512}} {
			fzOneLine(t, f.name, f.v, f.max)
		}
		if len(e.Fields) > 32 {
			t.Fatalf("%d fields", len(e.Fields))
		}
		for _, fe := range e.Fields {
			fzOneLine(t, "Field", fe.Field, 256)
			fzOneLine(t, "Field message", fe.Message, 256)
		}
		msg := e.Error()
		if !strings.Contains(msg, strconv.Itoa(status)) {
			t.Fatalf("status missing from %q", msg)
		}
		if errors.Is(e, ErrNotFound) != (status == 404) || errors.Is(e, ErrServer) != (status >= 500) ||
			errors.Is(e, ErrMaybeProcessed) != (status >= 500) || errors.Is(e, ErrRateLimited) != (status == 429) {
			t.Fatalf("status %d misclassified", status)
		}
		out := fmt.Sprintf("%v %+v %#v", e, e, e)
		fzNoCanary(t, "the error", out)
	})
}

// fzOneLine fails unless s is valid UTF-8, one line, at most max bytes
// (and the ellipsis).
func fzOneLine(t *testing.T, name, s string, max int) {
	t.Helper()
	if len(s) > max+len("…") || strings.ContainsAny(s, "\n\r\t") || !utf8.ValidString(s) {
		t.Fatalf("%s is not one bounded printable line: %q", name, s)
	}
}

// fzOutputs are the types a 2xx answer decodes into.
func fzOutputs() []any {
	return []any{
		new(Hub), new(HubPage), new(EndUser), new(EndUserPage), new(Connection), new(ConnectionPage),
		new(Integration), new(IntegrationPage), new(ConnectionTemplate), new(ConnectionTemplatePage),
		new(Activation), new(ActivationPage), new(EmbeddedIntegration), new(EmbeddedIntegrationPage),
		new(DynamicVariables), new(OAuth2Authorization), new(Health), new(Credential), new(AuthSchemeConfig),
		new(ConnectionCredentials),
	}
}

// fzRequired is checkRequired's oracle: whether v, a document decoded by
// encoding/json into any, has every required property that type t asks
// for, at any depth.
func fzRequired(t reflect.Type, v any) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		return true
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		return ok && fzFields(t, m)
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return true
		}
		a, ok := v.([]any)
		if !ok {
			return false
		}
		for _, x := range a {
			if !fzRequired(t.Elem(), x) {
				return false
			}
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		for _, x := range m {
			if x != nil && !fzRequired(t.Elem(), x) {
				return false
			}
		}
	}
	return true
}

func fzFields(t reflect.Type, m map[string]any) bool {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			if !fzFields(ft, m) {
				return false
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		x := m[name]
		if x == nil {
			if f.Tag.Get("required") == "true" {
				return false
			}
			continue
		}
		if !fzRequired(ft, x) {
			return false
		}
	}
	return true
}

// TestCheckRequiredNamesThePlace: a missing property is reported at the
// object that lacks it, and one spelled with an escape is not missing.
func TestCheckRequiredNamesThePlace(t *testing.T) {
	t.Parallel()
	var m struct {
		ID    string `json:"id" required:"true"`
		Inner struct {
			Name string `json:"name" required:"true"`
		} `json:"inner"`
	}
	err := checkRequired([]byte(`{"id":"x","inner":{"other":1,"last":2}}`), &m)
	if !errors.Is(err, errMissing) || !strings.Contains(err.Error(), `"name" missing`) {
		t.Fatalf("got %v", err)
	}
	t.Run("escaped name", func(t *testing.T) {
		b := []byte(`{"\u0069d":"x","inner":{"name":"n"}}`)
		if err := json.Unmarshal(b, &m); err != nil || m.ID != "x" {
			t.Fatalf("json.Unmarshal: %v, %q", err, m.ID)
		}
		if err := checkRequired(b, &m); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("place", func(t *testing.T) {
		if !strings.Contains(err.Error(), `missing at "/inner"`) || strings.Contains(err.Error(), "/inner/") {
			t.Fatalf("got %v", err)
		}
	})
}

// FuzzCheckRequired checks checkRequired against its oracle on every
// output type: it never panics, and for every document json.Unmarshal
// accepts, it fails exactly when a required property is missing or null,
// and then only with errMissing.
func FuzzCheckRequired(f *testing.F) {
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"id":"i","externalId":"e","displayName":"d","hubId":"h","createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z",
		"primaryConnection":{"id":"c","name":"n","variables":[],"createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z",
		"credentials":{"action":[],"trigger":[]}}}`))
	f.Add([]byte(`{"users":[{"id":"i"}],"totalCount":1}`))
	f.Add([]byte(`{"action":[null],"trigger":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, out := range fzOutputs() {
			err := checkRequired(b, out)
			if json.Unmarshal(b, out) != nil {
				continue
			}
			if err != nil && !errors.Is(err, errMissing) {
				t.Fatalf("%T: json.Unmarshal accepts %q, but checkRequired: %v", out, b, err)
			}
			dec := stdjson.NewDecoder(bytes.NewReader(b))
			dec.UseNumber()
			var doc any
			if dec.Decode(&doc) != nil {
				continue
			}
			if want := fzRequired(reflect.TypeOf(out), doc); want != (err == nil) {
				t.Fatalf("%T: %q: checkRequired says %v; a required property is %s", out, b, err, map[bool]string{true: "not missing", false: "missing"}[want])
			}
		}
	})
}

// FuzzResponseDecode decodes arbitrary 2xx bodies (empty, null, {}, [],
// strings, huge numbers, deep nesting, invalid UTF-8, duplicate names, cut
// off) into every output type: decode never panics, succeeds only when
// json.Unmarshal and checkRequired do, and what it decodes round-trips.
func FuzzResponseDecode(f *testing.F) {
	for _, s := range []string{``, `null`, `{}`, `[]`, `"x"`, `1e400`, `{"id":1e999999}`, strings.Repeat(`[`, 10000),
		"{\"id\":\"\xff\"}", `{"id":"a","id":"b"}`, `{"id":"a","name":`, `{"message":"ok"}`, `{"url":"https://x"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		b = fzPlant(b)
		for i, out := range fzOutputs() {
			n := int64(len(b))
			if i%2 == 1 {
				n = -1 // as for a body net/http decompressed
			}
			resp := &http.Response{StatusCode: 200, ContentLength: n, Body: io.NopCloser(bytes.NewReader(b))}
			e := decode(resp, DefaultMaxResponseBytes, out)
			fresh := reflect.New(reflect.TypeOf(out).Elem()).Interface()
			ok := json.Unmarshal(b, fresh, readOptions) == nil && checkRequired(b, fresh) == nil && len(bytes.TrimSpace(b)) > 0
			if (e == nil) != ok {
				t.Fatalf("%T: decode says %v, but json.Unmarshal and checkRequired say ok=%v for %q", out, e, ok, b)
			}
			if e != nil {
				if e.Err == nil {
					t.Fatalf("%T: a DecodeError without Err", out)
				}
				fzNoCanary(t, "the error", e.Error())
				continue
			}
			if _, untyped := out.(*DynamicVariables); !untyped { // its strings are no Secret, whatever their names
				fzShow(t, out)
			}
			b1 := fzStable(t, out)
			again := reflect.New(reflect.TypeOf(out).Elem()).Interface()
			resp = &http.Response{StatusCode: 200, ContentLength: int64(len(b1)), Body: io.NopCloser(bytes.NewReader(b1))}
			if e := decode(resp, DefaultMaxResponseBytes, again); e != nil {
				t.Fatalf("%T: what decoded and was encoded as %s is not an answer any more: %v", out, b1, e)
			}
		}
	})
}

// TestDecodeRefusesEmptyAnswers: an empty body, null, and {} are not what
// any operation promises (DecodeError's doc), for every output type but
// DynamicVariables, Health and ConnectionCredentials, whose {} is an answer
// (the spec requires none of their properties).
func TestDecodeRefusesEmptyAnswers(t *testing.T) {
	t.Parallel()
	var accepted []string
	for _, out := range fzOutputs() {
		for _, body := range []string{"", " ", "null", "{}"} {
			switch out.(type) {
			case *DynamicVariables, *Health, *ConnectionCredentials: // {} is an answer: a map, and objects the spec requires nothing of
				if body == "{}" {
					continue
				}
			}
			resp := &http.Response{StatusCode: 200, ContentLength: int64(len(body)), Body: io.NopCloser(strings.NewReader(body))}
			if e := decode(resp, DefaultMaxResponseBytes, out); e == nil {
				accepted = append(accepted, fmt.Sprintf("%T %q", out, body))
			} else if !errors.Is(e, ErrMaybeProcessed) {
				t.Errorf("%T %q: %v is not ErrMaybeProcessed", out, body, e)
			}
		}
	}
	if len(accepted) > 0 {
		t.Errorf("accepted answers that lack what the spec requires: %s", strings.Join(accepted, ", "))
	}
}

// FuzzParseRetryAfter: any header value gives a wait that is never
// negative, or none; the policy's wait stays within [0, MaxDelay].
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "1", "120", "-1", "99999999999999999999", "Wed, 21 Oct 2015 07:28:00 GMT", "Sun, 06 Nov 2994 08:49:37 GMT", "soon", ""} {
		f.Add(s)
	}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v, now)
		if !ok {
			if d != 0 {
				t.Fatalf("no wait, but %v, for %q", d, v)
			}
			return
		}
		if d < 0 {
			t.Fatalf("negative wait %v for %q", d, v)
		}
		p := DefaultRetryPolicy()
		if w, ok := p.wait(context.Background(), 1, v); ok && (w < 0 || w > p.MaxDelay) {
			t.Fatalf("wait %v for %q outside [0, MaxDelay]", w, v)
		}
	})
}

// FuzzSegment: an ID is refused with a ValidationError (empty, blank, a dot
// segment) or becomes one path segment that decodes back to exactly it.
func FuzzSegment(f *testing.F) {
	for _, s := range []string{"01HUB", "a/b?c#d", "..", ".", "%2F", " ", "\x00", "a b", "é", "\u202e", "a%zz", "/", "a;b", "a+b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		seg, err := segment("id", id)
		if strings.TrimSpace(id) == "" || id == "." || id == ".." {
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != "id" {
				t.Fatalf("%q not refused: %v", id, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("%q refused: %v", id, err)
		}
		if strings.ContainsAny(seg, "/?#") {
			t.Fatalf("%q escaped to %q, which leaves its segment", id, seg)
		}
		u, err := url.Parse("https://h/hubs/" + seg + "/users")
		if err != nil {
			t.Fatalf("%q escaped to an unparsable %q: %v", id, seg, err)
		}
		parts := strings.Split(u.EscapedPath(), "/")
		if len(parts) != 4 {
			t.Fatalf("%q became %d segments: %q", id, len(parts)-1, u.EscapedPath())
		}
		if back, err := url.PathUnescape(parts[2]); err != nil || back != id {
			t.Fatalf("%q came back as %q (%v)", id, back, err)
		}
	})
}

// FuzzCreateActivationParamsEncoding builds an activation request from
// arbitrary strings, with either ActivationConnection variant: its request
// encoding keeps every value (of valid UTF-8) and its shape, and its
// redacting encoding keeps the secret out.
func FuzzCreateActivationParamsEncoding(f *testing.F) {
	f.Add("jane@acme.io", "01INT", "01TPL", "01CNN", "conn", "key", "s3cret", "region", true)
	f.Fuzz(func(t *testing.T, user, integration, template, connection, name, credName, secret, varName string, existing bool) {
		var ac ActivationConnection = NewConnection{TemplateID: template, Name: name, Credentials: ConnectionCredentialsCreate{
			Action: []ConnectionCredentialCreate{{
				AuthSchemeConfig: AuthSchemeConfig{ID: "01A", Scheme: APIKeyScheme{Name: "X", In: InHeader}},
				Credential:       APIKey(credName, secret),
			}},
		}}
		if existing {
			ac = ExistingConnection{TemplateID: template, ConnectionID: connection}
		}
		p := CreateActivationParams{User: ExternalUser(user), IntegrationID: integration, Connections: []ActivationConnection{ac},
			DynamicVariables: DynamicVariables{varName: NewSecret(secret)}}
		_ = p.validate()
		_ = p.withIDs()
		b, err := json.Marshal(p, wireOptions)
		used := []string{user, integration, template, secret, varName, name, credName}
		if existing {
			used = append(used[:5], connection)
		}
		for _, s := range used {
			if !utf8.ValidString(s) {
				if err == nil {
					t.Fatalf("invalid UTF-8 encoded: %q", b)
				}
				return
			}
		}
		if err != nil {
			t.Fatalf("encoding: %v", err)
		}
		var w struct {
			UserID           string                    `json:"userId"`
			IntegrationID    string                    `json:"integrationId"`
			Connections      []map[string]any          `json:"connections"`
			DynamicVariables map[string]string         `json:"dynamicVariables"`
			Variables        []any                     `json:"variables"`
			Rest             map[string]jsontext.Value `json:",unknown"`
		}
		if err := json.Unmarshal(b, &w); err != nil {
			t.Fatalf("invalid JSON %s: %v", b, err)
		}
		if len(w.Connections) != 1 || w.Variables == nil || len(w.Variables) != 0 || len(w.Rest) != 0 {
			t.Fatalf("shape lost: %s", b)
		}
		_, hasConnID := w.Connections[0]["connectionId"]
		_, hasCreds := w.Connections[0]["credentials"]
		if hasConnID != existing || hasCreds == existing {
			t.Fatalf("variant lost: %s", b)
		}
		if w.UserID != user || w.IntegrationID != integration || w.DynamicVariables[varName] != secret || w.Connections[0]["templateId"] != template {
			t.Fatalf("values lost: %s", b)
		}
		plain, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("redacting encoding: %v", err)
		}
		if err := json.Unmarshal(plain, &w); err != nil {
			t.Fatalf("invalid JSON %s: %v", plain, err)
		}
		if secret != "" && w.DynamicVariables[varName] != "[REDACTED]" {
			t.Fatalf("the secret variable was encoded as %q", w.DynamicVariables[varName])
		}
		fmt.Fprintf(io.Discard, "%v %+v %#v", p, p, p)
	})
}
