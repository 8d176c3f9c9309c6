package versori_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	stdjson "encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/testutil"
)

// The concern suite for secrets: no secret the SDK holds ever shows in fmt,
// slog, encoding/json (v1 or v2) or an error, at any depth; only the SDK's
// own requests carry them. The values checked are found by reflection, not
// listed by hand: every exported type that can hold a Secret or SecretJSON
// anywhere (through fields, slices, maps, pointers, and interfaces, tried
// with each of their variants) is built with a distinct canary in every
// secret, and TestSecretTypeListIsComplete proves the list of types the
// walk starts from is every exported type of the package.

// secTypes is every exported type of package versori.
var secTypes = []reflect.Type{
	reflect.TypeFor[versori.APIError](), reflect.TypeFor[versori.APIKeyLocation](),
	reflect.TypeFor[versori.APIKeyScheme](), reflect.TypeFor[versori.Activation](),
	reflect.TypeFor[versori.ActivationConnection](), reflect.TypeFor[versori.ActivationPage](),
	reflect.TypeFor[versori.ActivationSummary](), reflect.TypeFor[versori.ActivationsService](),
	reflect.TypeFor[versori.AuthScheme](), reflect.TypeFor[versori.AuthSchemeConfig](),
	reflect.TypeFor[versori.AuthorizationCodeGrant](), reflect.TypeFor[versori.BasicAuthCredential](),
	reflect.TypeFor[versori.BasicAuthScheme](), reflect.TypeFor[versori.BinaryCredential](),
	reflect.TypeFor[versori.CertificateCredential](), reflect.TypeFor[versori.CertificateScheme](),
	reflect.TypeFor[versori.Client](), reflect.TypeFor[versori.ClientCredentialsGrant](),
	reflect.TypeFor[versori.Connection](), reflect.TypeFor[versori.ConnectionCreate](),
	reflect.TypeFor[versori.ConnectionCredential](), reflect.TypeFor[versori.ConnectionCredentialCreate](),
	reflect.TypeFor[versori.ConnectionCredentials](), reflect.TypeFor[versori.ConnectionCredentialsCreate](),
	reflect.TypeFor[versori.ConnectionPage](), reflect.TypeFor[versori.ConnectionSummary](),
	reflect.TypeFor[versori.ConnectionTemplate](), reflect.TypeFor[versori.ConnectionTemplatePage](),
	reflect.TypeFor[versori.ConnectionVariable](), reflect.TypeFor[versori.ConnectionsService](),
	reflect.TypeFor[versori.ConnectorInfo](), reflect.TypeFor[versori.ConnectorSummary](),
	reflect.TypeFor[versori.CreateActivationParams](), reflect.TypeFor[versori.CreateConnectionParams](),
	reflect.TypeFor[versori.CreateConnectionTemplateParams](), reflect.TypeFor[versori.CreateEndUserParams](),
	reflect.TypeFor[versori.CreateHubParams](), reflect.TypeFor[versori.CreateIntegrationParams](),
	reflect.TypeFor[versori.Credential](), reflect.TypeFor[versori.CredentialCreate](),
	reflect.TypeFor[versori.CredentialData](), reflect.TypeFor[versori.CredentialRef](),
	reflect.TypeFor[versori.CredentialSpec](), reflect.TypeFor[versori.CredentialType](),
	reflect.TypeFor[versori.CredentialUsage](), reflect.TypeFor[versori.CredentialUsageConnection](),
	reflect.TypeFor[versori.CustomFunctionCredential](), reflect.TypeFor[versori.DecodeError](),
	reflect.TypeFor[versori.DynamicVariables](), reflect.TypeFor[versori.EmbedService](),
	reflect.TypeFor[versori.EmbeddedIntegration](), reflect.TypeFor[versori.EmbeddedIntegrationPage](),
	reflect.TypeFor[versori.EmbeddedIntegrationSummary](), reflect.TypeFor[versori.EndUser](),
	reflect.TypeFor[versori.EndUserPage](), reflect.TypeFor[versori.EndUserSummary](),
	reflect.TypeFor[versori.ExistingConnection](), reflect.TypeFor[versori.FieldError](),
	reflect.TypeFor[versori.HMACAlgorithm](), reflect.TypeFor[versori.HMACDigestInput](),
	reflect.TypeFor[versori.HMACScheme](), reflect.TypeFor[versori.Health](), reflect.TypeFor[versori.Hub](),
	reflect.TypeFor[versori.HubPage](), reflect.TypeFor[versori.HubsService](),
	reflect.TypeFor[versori.InitialiseOAuth2Params](), reflect.TypeFor[versori.Integration](),
	reflect.TypeFor[versori.IntegrationMetadata](), reflect.TypeFor[versori.IntegrationPage](),
	reflect.TypeFor[versori.IntegrationsService](), reflect.TypeFor[versori.JWTAlgorithm](),
	reflect.TypeFor[versori.JWTBearerCredential](), reflect.TypeFor[versori.ListActivationsParams](),
	reflect.TypeFor[versori.ListConnectionTemplatesParams](), reflect.TypeFor[versori.ListConnectionsParams](),
	reflect.TypeFor[versori.ListEmbeddedIntegrationsParams](), reflect.TypeFor[versori.ListEndUsersParams](),
	reflect.TypeFor[versori.ListIntegrationsParams](), reflect.TypeFor[versori.Message](),
	reflect.TypeFor[versori.MessageSeverity](), reflect.TypeFor[versori.Middleware](),
	reflect.TypeFor[versori.NewConnection](), reflect.TypeFor[versori.NoneCredential](),
	reflect.TypeFor[versori.NoneScheme](), reflect.TypeFor[versori.OAuth2Authorization](),
	reflect.TypeFor[versori.OAuth2ClientCredential](), reflect.TypeFor[versori.OAuth2ClientRef](),
	reflect.TypeFor[versori.OAuth2CodeCredential](), reflect.TypeFor[versori.OAuth2Grant](),
	reflect.TypeFor[versori.OAuth2PasswordCredential](), reflect.TypeFor[versori.OAuth2Scheme](),
	reflect.TypeFor[versori.OAuth2Scope](), reflect.TypeFor[versori.OAuth2TokenCredential](),
	reflect.TypeFor[versori.Option](), reflect.TypeFor[versori.PageInfo](), reflect.TypeFor[versori.PasswordGrant](),
	reflect.TypeFor[versori.Request](), reflect.TypeFor[versori.ResponseInfo](), reflect.TypeFor[versori.RetryPolicy](),
	reflect.TypeFor[versori.Secret](), reflect.TypeFor[versori.SecretJSON](), reflect.TypeFor[versori.SigningKey](),
	reflect.TypeFor[versori.StringCredential](), reflect.TypeFor[versori.Token](), reflect.TypeFor[versori.TokenSource](),
	reflect.TypeFor[versori.TransportError](), reflect.TypeFor[versori.UnknownCredential](),
	reflect.TypeFor[versori.UnknownGrant](), reflect.TypeFor[versori.UnknownScheme](),
	reflect.TypeFor[versori.UpdateHubParams](), reflect.TypeFor[versori.UpdateIntegrationParams](),
	reflect.TypeFor[versori.UserRef](), reflect.TypeFor[versori.UsersService](),
	reflect.TypeFor[versori.ValidationError](),
}

var (
	secSecret     = reflect.TypeFor[versori.Secret]()
	secSecretJSON = reflect.TypeFor[versori.SecretJSON]()
)

// TestSecretTypeListIsComplete parses the package's source and checks that
// secTypes names every exported type it declares, and nothing else.
func TestSecretTypeListIsComplete(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	fset := token.NewFileSet()
	var declared []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		if f.Name.Name != "versori" {
			continue
		}
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
				for _, s := range gd.Specs {
					if ts := s.(*ast.TypeSpec); ts.Name.IsExported() {
						declared = append(declared, ts.Name.Name)
					}
				}
			}
		}
	}
	var listed []string
	for _, ty := range secTypes {
		assert.Equal(t, "github.com/versori-go/versori", ty.PkgPath(), ty.String())
		listed = append(listed, ty.Name())
	}
	slices.Sort(declared)
	slices.Sort(listed)
	assert.Equal(t, declared, listed, "secTypes must list every exported type of the package")
}

// secWalk finds which types can carry a secret.
type secWalk struct {
	mu    sync.Mutex
	memo  map[reflect.Type]bool
	vmemo map[reflect.Type][]reflect.Type
}

var secWalker = &secWalk{memo: map[reflect.Type]bool{}, vmemo: map[reflect.Type][]reflect.Type{}}

// variants returns the types an interface field can hold: every exported
// type of the package (and pointer to one) that implements it; for any,
// the secret types themselves (a DynamicVariables value, a Request body).
func (w *secWalk) variants(iface reflect.Type) []reflect.Type {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.variantsLocked(iface)
}

func (w *secWalk) variantsLocked(iface reflect.Type) []reflect.Type {
	if v, ok := w.vmemo[iface]; ok {
		return v
	}
	var out []reflect.Type
	if iface.NumMethod() == 0 {
		out = []reflect.Type{secSecret, secSecretJSON}
	}
	for _, ty := range secTypes {
		if ty.Kind() == reflect.Interface || ty.Kind() == reflect.Func {
			continue
		}
		if ty.Implements(iface) && iface.NumMethod() > 0 {
			out = append(out, ty)
		}
		if p := reflect.PointerTo(ty); p.Implements(iface) && iface.NumMethod() > 0 {
			out = append(out, p)
		}
	}
	w.vmemo[iface] = out
	return out
}

// carries reports whether a value of type ty can hold a secret.
func (w *secWalk) carries(ty reflect.Type) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.carriesLocked(ty)
}

func (w *secWalk) carriesLocked(ty reflect.Type) bool {
	if v, ok := w.memo[ty]; ok {
		return v
	}
	w.memo[ty] = false // a cycle adds nothing
	r := false
	switch {
	case ty == secSecret, ty == secSecretJSON:
		w.memo[ty] = true
		return true
	}
	switch ty.Kind() {
	case reflect.Slice:
		r = w.carriesLocked(ty.Elem())
	case reflect.Array, reflect.Pointer:
		r = w.carriesLocked(ty.Elem())
	case reflect.Map:
		r = w.carriesLocked(ty.Key()) || w.carriesLocked(ty.Elem())
	case reflect.Struct:
		for i := range ty.NumField() {
			r = r || w.carriesLocked(ty.Field(i).Type)
		}
	case reflect.Interface:
		for _, v := range w.variantsLocked(ty) {
			r = r || w.carriesLocked(v)
		}
	}
	w.memo[ty] = r
	return r
}

// secCarriers returns every exported type that can carry a secret.
func secCarriers(t *testing.T) []reflect.Type {
	var out []reflect.Type
	for _, ty := range secTypes {
		if ty.Kind() != reflect.Interface && secWalker.carries(ty) {
			out = append(out, ty)
		}
	}
	// The walk must find at least these; if it does not, it is broken.
	for _, want := range []reflect.Type{
		secSecret, secSecretJSON, reflect.TypeFor[versori.Token](), reflect.TypeFor[versori.StringCredential](),
		reflect.TypeFor[versori.AuthSchemeConfig](), reflect.TypeFor[versori.CreateActivationParams](),
		reflect.TypeFor[versori.EndUser](), reflect.TypeFor[versori.Hub](), reflect.TypeFor[versori.Request](),
		reflect.TypeFor[versori.DynamicVariables](), reflect.TypeFor[versori.EmbeddedIntegration](),
	} {
		require.Contains(t, out, want)
	}
	return out
}

// TestNoUnexportedSecretFields: fmt prints an unexported field without
// calling its methods, so a secret there would print as it is. No exported
// struct may hold one, unless the struct formats itself.
func TestNoUnexportedSecretFields(t *testing.T) {
	t.Parallel()
	formatter := reflect.TypeFor[fmt.Formatter]()
	for _, ty := range secTypes {
		if ty.Kind() != reflect.Struct || ty.Implements(formatter) {
			continue
		}
		for i := range ty.NumField() {
			if f := ty.Field(i); !f.IsExported() && secWalker.carries(f.Type) {
				t.Errorf("%s.%s is unexported and can hold a secret, which fmt would print", ty, f.Name)
			}
		}
	}
}

// secCanaryN numbers canaries across the suite, so each secret is distinct.
var secCanaryN atomic.Int64

// secPrefix starts every canary. A leak shows as the prefix in one of the
// forms fmt or an encoder could print it in.
const secPrefix = "zqCANARY"

func secCanary() string { return fmt.Sprintf("%s%05dzq", secPrefix, secCanaryN.Add(1)) }

// secForms are the prefix of every canary as plain text, hex and base64.
var secForms = []string{
	secPrefix,
	hex.EncodeToString([]byte(secPrefix)),
	strings.ToUpper(hex.EncodeToString([]byte(secPrefix))),
	base64.StdEncoding.EncodeToString([]byte(secPrefix[:6])),
}

// secFill builds a value of a type, a fresh canary in every secret. pick
// chooses each interface's variant, so values for pick = 0, 1, ... try
// every variant of every union.
type secFill struct {
	pick     int
	canaries []string
}

func (f *secFill) secret() string {
	c := secCanary()
	f.canaries = append(f.canaries, c)
	return c
}

func (f *secFill) fill(v reflect.Value, depth int) {
	if depth > 12 || !v.CanSet() {
		return
	}
	ty := v.Type()
	switch ty {
	case secSecret:
		v.Set(reflect.ValueOf(versori.NewSecret(f.secret())))
		return
	case secSecretJSON:
		v.Set(reflect.ValueOf(versori.NewSecretJSON([]byte(`{"k":"` + f.secret() + `","n":[1,null]}`))))
		return
	}
	switch ty.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Int32:
		if ty != reflect.TypeFor[time.Duration]() {
			v.SetInt(7)
		}
	case reflect.Slice:
		switch {
		case ty.Elem().Kind() == reflect.Uint8:
			v.SetBytes([]byte(`{"type":"object"}`)) // raw JSON such as a variables schema
		default:
			n := 1 // two items near the top, so lists of several show too; one deeper, to bound the size
			if depth < 3 {
				n = 2
			}
			s := reflect.MakeSlice(ty, n, n)
			for i := range n {
				f.fill(s.Index(i), depth+1)
			}
			v.Set(s)
		}
	case reflect.Map:
		m := reflect.MakeMap(ty)
		k := reflect.New(ty.Key()).Elem()
		f.fill(k, depth+1)
		e := reflect.New(ty.Elem()).Elem()
		f.fill(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(ty.Elem())
		f.fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Struct:
		for i := range ty.NumField() {
			f.fill(v.Field(i), depth+1)
		}
	case reflect.Interface:
		vars := secWalker.variants(ty)
		if len(vars) == 0 {
			return
		}
		vt := vars[f.pick%len(vars)]
		n := reflect.New(vt).Elem()
		f.fill(n, depth+1)
		v.Set(n)
	}
}

// secValue is one value to check and the canaries in it.
type secValue struct {
	name     string
	v        any
	canaries []string
}

// secValues builds values of ty for every pick up to the largest union.
func secValues(ty reflect.Type) []secValue {
	picks := 1
	for _, i := range secTypes {
		if i.Kind() == reflect.Interface {
			picks = max(picks, len(secWalker.variants(i)))
		}
	}
	var out []secValue
	for pick := range picks {
		f := &secFill{pick: pick}
		v := reflect.New(ty).Elem()
		f.fill(v, 0)
		out = append(out, secValue{fmt.Sprintf("%s#%d", ty, pick), v.Interface(), f.canaries})
	}
	return out
}

// secWrapped returns v nested in the containers a caller might keep it in:
// a pointer, a slice, a map, a struct, and behind any.
func secWrapped(v any) map[string]any {
	rv := reflect.ValueOf(v)
	ty := rv.Type()
	p := reflect.New(ty)
	p.Elem().Set(rv)
	s := reflect.MakeSlice(reflect.SliceOf(ty), 1, 1)
	s.Index(0).Set(rv)
	m := reflect.MakeMap(reflect.MapOf(reflect.TypeFor[string](), ty))
	m.SetMapIndex(reflect.ValueOf("k"), rv)
	st := reflect.New(reflect.StructOf([]reflect.StructField{
		{Name: "Inner", Type: ty}, {Name: "Ptr", Type: reflect.PointerTo(ty)}, {Name: "List", Type: s.Type()},
	})).Elem()
	st.Field(0).Set(rv)
	st.Field(1).Set(p)
	st.Field(2).Set(s)
	return map[string]any{
		"value": v, "pointer": p.Interface(), "slice": s.Interface(), "map": m.Interface(), "struct": st.Interface(),
		"[]any": []any{v, p.Interface()}, "map[string]any": map[string]any{"v": v, "p": p.Interface()},
	}
}

// secVerbs are the verbs every value is printed with.
var secVerbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10v", "%-12s", "%+q", "%#x", "% x", "%010d", "%.3s", "%T"}

// secReport checks what one test prints, logs and encodes. (fmt's wrong-
// verb output, "%!s(*T=&{...})", skips every method, so it is where a secret
// would show first; Secret keeps its value behind a pointer for that.)
type secReport struct{ t *testing.T }

// finish exists so the suites read the same; check reports as it goes.
func (r *secReport) finish() {}

// check fails if out shows any canary, in any form.
func (r *secReport) check(what, out string, extra ...string) {
	r.t.Helper()
	for _, s := range append(extra, secForms...) {
		if s == "" {
			continue
		}
		if i := strings.Index(out, s); i >= 0 {
			context := out[max(0, i-160):min(len(out), i+40)]
			r.t.Errorf("%s leaks %q: …%s…", what, s[:min(len(s), 24)], context)
			return
		}
	}
}

// show prints, logs and encodes v every way the suite checks, and
// checks none of it shows a secret.
func (r *secReport) show(name string, v any, verbs []string, extra ...string) {
	r.t.Helper()
	for _, verb := range verbs {
		r.check(name+" "+verb, fmt.Sprintf(verb, v), extra...)
	}
	r.check(name+" Sprint", fmt.Sprint(v)+fmt.Sprintln(v), extra...)

	var logs bytes.Buffer
	debug := &slog.HandlerOptions{Level: slog.LevelDebug}
	for _, h := range []slog.Handler{slog.NewTextHandler(&logs, debug), slog.NewJSONHandler(&logs, debug)} {
		slog.New(h).Debug("value", slog.Any("v", v), slog.Group("g", slog.Any("v", v)), "slice", []any{v}, "map", map[string]any{"v": v})
	}
	r.check(name+" slog", logs.String(), extra...)

	b1, err1 := stdjson.Marshal(v)
	b2, err2 := json.Marshal(v)
	r.check(name+" encoding/json", string(b1)+fmt.Sprint(err1), extra...)
	r.check(name+" json/v2", string(b2)+fmt.Sprint(err2), extra...)
}

// TestNoSecretInAnyValue: every exported type that can carry a secret, with
// every variant of its unions, at every depth and in every container.
func TestNoSecretInAnyValue(t *testing.T) {
	t.Parallel()
	carriers := secCarriers(t)
	t.Logf("%d of %d exported types can carry a secret", len(carriers), len(secTypes))
	for _, ty := range carriers {
		t.Run(ty.Name(), func(t *testing.T) {
			t.Parallel()
			r := &secReport{t: t}
			defer r.finish()
			values := secValues(ty)
			held := 0
			for i, sv := range values {
				held += len(sv.canaries)
				verbs := secVerbs
				if i == 0 {
					verbs = secEveryVerb()
				}
				r.show(sv.name, sv.v, verbs)
				for kind, w := range secWrapped(sv.v) {
					if i == 0 || kind == "struct" || kind == "[]any" {
						r.show(sv.name+" in "+kind, w, secVerbs[:5])
					}
				}
			}
			require.NotZero(t, held, "no value of %s held a secret: the walk and the filler disagree", ty)
		})
	}
}

// secEveryVerb is every fmt verb with each flag and a width. %p is among
// them: given a value that is not a pointer, fmt prints it as a bad verb,
// calling no Format method at any depth (go vet reports such a call), and
// only Secret's pointer keeps the value out of that output.
func secEveryVerb() []string { return testutil.Verbs("bcdeEfFgGoOpqstTUvxX") }

// secCreds returns credentials of every type, each secret a canary, valid
// for an unknown scheme (which takes any credential), and a few with the
// scheme they fit, half of the data as pointers.
func secCreds(f *secFill) []versori.ConnectionCredentialCreate {
	raw := func() versori.SecretJSON { return versori.NewSecretJSON([]byte(`{"k":"` + f.secret() + `"}`)) }
	s := func() versori.Secret { return versori.NewSecret(f.secret()) }
	data := []versori.CredentialData{
		versori.NoneCredential{},
		versori.StringCredential{Value: s()},
		&versori.BinaryCredential{ValueBase64: s()},
		versori.BasicAuthCredential{Username: "u", Password: s()},
		&versori.OAuth2ClientCredential{ClientID: "id", ClientSecret: s(), AuthorizeURL: "https://a", TokenURL: "https://t"},
		versori.OAuth2CodeCredential{Code: s(), State: "st"},
		&versori.OAuth2PasswordCredential{Username: "u", Password: s()},
		versori.OAuth2TokenCredential{AccessToken: s(), RefreshToken: s()},
		&versori.CertificateCredential{Certificate: "cert", Key: s(), CA: "ca"},
		versori.JWTBearerCredential{Algorithm: versori.JWTAlgorithmHS256, Secret: s(), Payload: "{}", ExpiresIn: "1h", AuthorizationHeaderPrefix: "Bearer"},
		versori.CustomFunctionCredential{Data: raw()},
		&versori.UnknownCredential{Type: "kerberos", Raw: raw()},
	}
	var out []versori.ConnectionCredentialCreate
	for _, d := range data {
		out = append(out, versori.ConnectionCredentialCreate{
			AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.UnknownScheme{Type: "future"}},
			Credential:       versori.NewCredential("n", d),
		})
	}
	return append(out,
		versori.ConnectionCredentialCreate{
			AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.OAuth2Scheme{Grant: versori.PasswordGrant{ClientID: "c", ClientSecret: s()}}},
			Credential:       versori.NewCredential("n", versori.OAuth2PasswordCredential{Username: "u", Password: s()}),
		},
		versori.ConnectionCredentialCreate{
			AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: &versori.OAuth2Scheme{Grant: &versori.AuthorizationCodeGrant{ClientID: "c", ClientSecret: s()}}},
			Credential:       versori.OAuth2Token("n", s().Reveal()),
		},
		versori.ConnectionCredentialCreate{
			AuthSchemeConfig: versori.AuthSchemeConfig{ID: "01A", Scheme: versori.UnknownScheme{Type: "saml", Raw: raw()}},
			Credential:       versori.APIKey("n", s().Reveal()),
		},
		versori.ConnectionCredentialCreate{
			AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "k", In: versori.InHeader}},
			Credential:       versori.ExistingCredential("01CRED"),
		},
	)
}

// secContainerNames are the request values that hold credentials: new
// connections, connection-create bodies, create-end-user and activation
// params.
var secContainerNames = []string{"NewConnection", "CreateConnectionParams", "CreateEndUserParams", "CreateActivationParams"}

// secContainer builds one of them, with credentials of every type inside.
func secContainer(f *secFill, name string) any {
	creds := secCreds(f)
	conn := versori.ConnectionCreate{Name: "c", Credentials: versori.ConnectionCredentialsCreate{Action: creds, Trigger: creds[len(creds)-3:]}}
	nc := versori.NewConnection{TemplateID: "t", Name: "n", Credentials: conn.Credentials}
	switch name {
	case "NewConnection":
		return nc
	case "CreateConnectionParams":
		return versori.CreateConnectionParams{ConnectorID: "c", Connection: conn}
	case "CreateEndUserParams":
		return versori.CreateEndUserParams{ExternalID: "e", PrimaryConnection: conn}
	case "CreateActivationParams":
		return versori.CreateActivationParams{User: versori.ExternalUser("u"), IntegrationID: "i",
			Connections:      []versori.ActivationConnection{nc, &nc, versori.ExistingConnection{TemplateID: "t", ConnectionID: "c"}},
			DynamicVariables: versori.DynamicVariables{"apiToken": versori.NewSecret(f.secret())}}
	}
	panic(name)
}

// TestNoSecretInContainers: the 16 container cases, the four request
// values that hold credentials as a value, a pointer, in a slice and in a
// map, printed with every verb, logged and encoded.
func TestNoSecretInContainers(t *testing.T) {
	t.Parallel()
	for _, name := range secContainerNames {
		w := secWrapped(secContainer(&secFill{}, name))
		for _, kind := range []string{"value", "pointer", "slice", "map"} {
			t.Run(name+" "+kind, func(t *testing.T) {
				t.Parallel()
				r := &secReport{t: t}
				defer r.finish()
				r.show(name+" "+kind, w[kind], secEveryVerb())
			})
		}
	}
}

// secSigningKey returns a signing key of an RSA test key, a source of its
// tokens for jane and a token from that source.
func secSigningKey(t *testing.T) (*versori.SigningKey, versori.TokenSource, versori.Token) {
	t.Helper()
	sk, err := versori.NewSigningKey("01JSKSECRETS", testutil.RSAKey(0))
	require.NoError(t, err)
	ts, err := sk.UserTokenSource(versori.ExternalUser("jane"), 0)
	require.NoError(t, err)
	tok, err := ts.Token(t.Context())
	require.NoError(t, err)
	return sk, ts, tok
}

// TestNoSecretInClientsKeysAndTokens: what holds a secret the walk cannot
// see (an API key, a private key, a token's value) prints and logs none.
func TestNoSecretInClientsKeysAndTokens(t *testing.T) {
	t.Parallel()
	sk, ts, fromSource := secSigningKey(t)
	tok, err := sk.MintUserToken(versori.ExternalUser("jane"), 0)
	require.NoError(t, err)
	apiKey := secCanary()
	c, err := versori.NewClient(versori.WithAPIKey(apiKey))
	require.NoError(t, err)
	jc, err := versori.NewClient(versori.WithTokenSource(ts))
	require.NoError(t, err)

	rk := testutil.RSAKey(0)
	der := x509.MarshalPKCS1PrivateKey(rk)
	secrets := []string{
		apiKey, tok.Value.Reveal(), strings.Split(tok.Value.Reveal(), ".")[2], fromSource.Value.Reveal(),
		rk.D.String()[:40], rk.D.Text(16)[:40], rk.Primes[0].String()[:40], rk.Primes[0].Text(16)[:40],
		base64.StdEncoding.EncodeToString(der)[40:120],
	}
	r := &secReport{t: t}
	defer r.finish()
	for name, v := range map[string]any{
		"signing key": sk, "signing key value": *sk, "token": tok, "token pointer": &tok,
		"token source": ts, "client": c, "jwt client": jc,
	} {
		for kind, w := range secWrapped(v) {
			r.show(name+" in "+kind, w, secEveryVerb(), secrets...)
		}
	}
	t.Run("client value", func(t *testing.T) {
		r := &secReport{t: t}
		defer r.finish()
		r.show("client value", *c, secVerbs, secrets...)
	})
}

// secEcho is a raw server that echoes what it received, the way a careless
// API or proxy might: the body and the Authorization header in an Error
// JSON's message, details and fields, or in an HTML 502 page.
type secEcho struct {
	*httptest.Server
	mode string // "json", "html", "leaf", "headers"
	mu   sync.Mutex
	got  []secReceived
}

type secReceived struct {
	auth string
	body []byte
}

func newSecEcho(t *testing.T, mode string) *secEcho {
	e := &secEcho{mode: mode}
	e.Server = httptest.NewServer(http.HandlerFunc(e.serve))
	t.Cleanup(e.Close)
	return e
}

func (e *secEcho) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	auth := r.Header.Get("Authorization")
	e.mu.Lock()
	e.got = append(e.got, secReceived{auth, body})
	e.mu.Unlock()
	type field struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	}
	writeJSON := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = stdjson.NewEncoder(w).Encode(v)
	}
	switch e.mode {
	case "json":
		writeJSON(http.StatusUnprocessableEntity, map[string]any{
			"code": "422000", "message": "invalid request " + string(body) + " from " + auth,
			"details": auth + " sent " + string(body),
			"fields":  []field{{"body", string(body)}, {"authorization", auth}},
		})
	case "html":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, "<html><body><h1>502 Bad Gateway</h1><pre>%s\n%s\n%s</pre></body></html>\n", auth, body, auth)
	case "leaf":
		// Each string in the body, as an API names the value it refuses.
		fields := []field{{"authorization", auth}}
		_, token, _ := strings.Cut(auth, " ")
		fields = append(fields, field{"token", token})
		var walk func(ptr string, v any)
		walk = func(ptr string, v any) {
			switch v := v.(type) {
			case string:
				fields = append(fields, field{ptr, "invalid value " + v})
			case map[string]any:
				for k, x := range v {
					walk(ptr+"/"+k, x)
				}
			case []any:
				for i, x := range v {
					walk(fmt.Sprintf("%s/%d", ptr, i), x)
				}
			}
		}
		var v any
		_ = stdjson.Unmarshal(body, &v)
		walk("", v)
		writeJSON(http.StatusBadRequest, map[string]any{"code": "400000", "message": "invalid values", "fields": fields})
	case "headers":
		w.Header().Set("X-Request-Id", auth)
		w.Header().Set("Retry-After", auth)
		w.WriteHeader(http.StatusServiceUnavailable)
	}
}

// secCall is one call that sends secrets, with the canaries it sends.
type secCall struct {
	name     string
	canaries []string
	do       func(ctx context.Context, c *versori.Client) error
}

// secCalls returns a call of every operation that sends secrets, each
// valid (so it is sent), and Client.Do with a value of every type that can
// carry one.
func secCalls(t *testing.T) []secCall {
	var calls []secCall
	add := func(name string, build func(f *secFill) func(ctx context.Context, c *versori.Client) error) {
		f := &secFill{}
		do := build(f)
		calls = append(calls, secCall{name, f.canaries, do})
	}
	add("Users.Create", func(f *secFill) func(context.Context, *versori.Client) error {
		p := secContainer(f, "CreateEndUserParams").(versori.CreateEndUserParams)
		return func(ctx context.Context, c *versori.Client) error {
			_, err := c.Users.Create(ctx, "01HUB", p)
			return err
		}
	})
	add("Connections.Create", func(f *secFill) func(context.Context, *versori.Client) error {
		p := secContainer(f, "CreateConnectionParams").(versori.CreateConnectionParams)
		return func(ctx context.Context, c *versori.Client) error {
			_, err := c.Connections.Create(ctx, "01HUB", versori.ExternalUser("u"), p)
			return err
		}
	})
	add("Activations.Create", func(f *secFill) func(context.Context, *versori.Client) error {
		p := secContainer(f, "CreateActivationParams").(versori.CreateActivationParams)
		return func(ctx context.Context, c *versori.Client) error { _, err := c.Activations.Create(ctx, p); return err }
	})
	add("Hubs.Create", func(f *secFill) func(context.Context, *versori.Client) error {
		p := versori.CreateHubParams{OrganisationID: "o", Name: "n", PrimaryConnectorID: "p", AuthSchemeConfig: versori.AuthSchemeConfig{
			Scheme: versori.OAuth2Scheme{Grant: versori.AuthorizationCodeGrant{ClientID: "c", ClientSecret: versori.NewSecret(f.secret())}}}}
		return func(ctx context.Context, c *versori.Client) error { _, err := c.Hubs.Create(ctx, p); return err }
	})
	add("Integrations.Create", func(f *secFill) func(context.Context, *versori.Client) error {
		p := versori.CreateIntegrationParams{OrganisationID: "o", Name: "n", ConnectionTemplate: &versori.CreateConnectionTemplateParams{
			ConnectorID: "c", AuthSchemeConfig: versori.AuthSchemeConfig{
				Scheme: versori.OAuth2Scheme{Grant: &versori.PasswordGrant{ClientID: "c", ClientSecret: versori.NewSecret(f.secret())}}}}}
		return func(ctx context.Context, c *versori.Client) error {
			_, err := c.Integrations.Create(ctx, "01HUB", p)
			return err
		}
	})
	add("Integrations.CreateConnectionTemplate", func(f *secFill) func(context.Context, *versori.Client) error {
		p := versori.CreateConnectionTemplateParams{ConnectorID: "c", AuthSchemeConfig: versori.AuthSchemeConfig{
			Scheme: versori.UnknownScheme{Type: "saml", Raw: versori.NewSecretJSON([]byte(`{"id":"01A","description":"","schemeType":"saml","idp":"` + f.secret() + `"}`))}}}
		return func(ctx context.Context, c *versori.Client) error {
			_, err := c.Integrations.CreateConnectionTemplate(ctx, "01INT", p)
			return err
		}
	})
	add("Activations.UpdateVariables", func(f *secFill) func(context.Context, *versori.Client) error {
		vars := versori.DynamicVariables{"token": versori.NewSecret(f.secret()), "nested": map[string]any{"raw": versori.NewSecretJSON([]byte(`"` + f.secret() + `"`))}}
		return func(ctx context.Context, c *versori.Client) error {
			_, err := c.Activations.UpdateVariables(ctx, "01ACT", vars, versori.WithMaxRetries(0))
			return err
		}
	})
	for _, ty := range secCarriers(t) {
		v := secValues(ty)[0]
		calls = append(calls, secCall{"Do " + v.name, v.canaries, func(ctx context.Context, c *versori.Client) error {
			return c.Do(ctx, versori.Request{Method: http.MethodPost, Path: "/echo", Body: v.v, Operation: "Echo"}, nil)
		}})
	}
	return calls
}

// secEchoModes are secEcho's ways of echoing a request; secAuths the
// credentials TestNoSecretInErrors sends; secErrorVerbs the verbs it prints
// each error with.
var (
	secEchoModes  = []string{"json", "html", "leaf", "headers"}
	secAuths      = []string{"api key", "jwt"}
	secErrorVerbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x"}
)

// TestNoSecretInErrors: calls that send secrets fail against servers that
// echo them back; no error, printed or logged, and no log of the client's,
// shows a secret. The requests themselves carry every secret.
func TestNoSecretInErrors(t *testing.T) {
	t.Parallel()
	_, ts, tok := secSigningKey(t)
	apiKey := secCanary()

	for _, mode := range secEchoModes {
		for _, auth := range secAuths {
			t.Run(mode+" "+auth, func(t *testing.T) {
				t.Parallel()
				srv := newSecEcho(t, mode)
				var logs bytes.Buffer
				debug := &slog.HandlerOptions{Level: slog.LevelDebug}
				logger := slog.New(slog.NewTextHandler(&logs, debug))
				jlogger := slog.New(slog.NewJSONHandler(&logs, debug))
				opts := []versori.Option{versori.WithBaseURL(srv.URL), versori.WithLogger(logger), versori.WithMaxRetries(0)}
				wantAuth := "Bearer " + apiKey
				secrets := []string{apiKey, tok.Value.Reveal(), strings.Split(tok.Value.Reveal(), ".")[2]}
				if auth == "jwt" {
					opts = append(opts, versori.WithTokenSource(ts))
					wantAuth = "JWT " + tok.Value.Reveal()
				} else {
					opts = append(opts, versori.WithAPIKey(apiKey))
				}
				c, err := versori.NewClient(opts...)
				require.NoError(t, err)
				r := &secReport{t: t}
				defer r.finish()

				calls := secCalls(t)
				for _, call := range calls {
					before := len(srv.received())
					err := call.do(context.Background(), c)
					require.Error(t, err, call.name)
					for _, verb := range secErrorVerbs {
						r.check(call.name+" error "+verb, fmt.Sprintf(verb, err), secrets...)
					}
					logger.Error("call failed", "err", err, slog.Any("error", err))
					jlogger.Error("call failed", "err", err, slog.Any("error", err))

					got := srv.received()
					if len(got) == before {
						// Refused before sending: only a value that cannot be encoded.
						assert.ErrorIs(t, err, versori.ErrNotSent, call.name)
						assert.True(t, strings.HasPrefix(call.name, "Do "), "%s was not sent: %v", call.name, err)
						continue
					}
					sent := got[len(got)-1]
					assert.Equal(t, wantAuth, sent.auth, call.name)
					for _, canary := range call.canaries {
						assert.Contains(t, string(sent.body), canary, "%s: the request carries every secret", call.name)
					}
					if mode == "json" || mode == "html" {
						assert.Contains(t, err.Error(), "[REDACTED]", "%s: the echo was there, and redacted", call.name)
					}
				}
				r.check("logs", logs.String(), secrets...)
				assert.Contains(t, logs.String(), "attempt=1", "the client logged its attempts")
			})
		}
	}
}

func (e *secEcho) received() []secReceived {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.got)
}

// TestRequestBodiesCarrySecrets: the SDK's request encoding is the one
// place secrets are sent as they are: a raw server decodes each body and
// finds every secret at its place.
func TestRequestBodiesCarrySecrets(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var bodies [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c, err := versori.NewClient(versori.WithAPIKey("k"), versori.WithBaseURL(srv.URL))
	require.NoError(t, err)

	f := &secFill{}
	p := secContainer(f, "CreateEndUserParams").(versori.CreateEndUserParams)
	_, _ = c.Users.Create(context.Background(), "01HUB", p) // 204 is no EndUser: only the body matters
	require.Len(t, bodies, 1)
	var got struct {
		ExternalID        string `json:"externalId"`
		PrimaryConnection struct {
			Credentials struct {
				Action []struct {
					AuthSchemeConfig map[string]any `json:"authSchemeConfig"`
					Credential       struct {
						Name string         `json:"name"`
						Type string         `json:"type"`
						Data map[string]any `json:"data"`
						ID   string         `json:"id"`
					} `json:"credential"`
				} `json:"action"`
			} `json:"credentials"`
		} `json:"primaryConnection"`
	}
	require.NoError(t, stdjson.Unmarshal(bodies[0], &got))
	action := got.PrimaryConnection.Credentials.Action
	require.Len(t, action, len(p.PrimaryConnection.Credentials.Action))
	for i, want := range p.PrimaryConnection.Credentials.Action {
		spec, ok := want.Credential.(versori.CredentialSpec)
		if !ok {
			assert.Equal(t, "01CRED", action[i].Credential.ID)
			continue
		}
		assert.Equal(t, string(versori.CredentialTypeOf(spec.Data)), action[i].Credential.Type, "action[%d]", i)
		wire, err := json.Marshal(spec.Data)
		require.NoError(t, err)
		if bytes.Contains(wire, []byte("[REDACTED]")) {
			b, _ := stdjson.Marshal(action[i].Credential.Data)
			assert.NotContains(t, string(b), "[REDACTED]", "action[%d] was sent redacted", i)
			assert.Contains(t, string(b), secPrefix, "action[%d] was sent without its secret", i)
		}
	}
	for _, c := range f.canaries {
		assert.Contains(t, string(bodies[0]), c, "every secret is sent")
	}
}

// TestHTTPBaseURLRefusedForRemoteHosts: an API key must never travel in
// clear text, so http:// is accepted for loopback hosts only, however the
// host is spelled, and no refusal quotes the key.
func TestHTTPBaseURLRefusedForRemoteHosts(t *testing.T) {
	t.Parallel()
	key := secCanary()
	for _, u := range []string{
		"http://platform.versori.com", "http://10.0.0.5:8080", "http://192.168.1.1", "http://0.0.0.0",
		"http://localhost.evil.example", "http://127.0.0.1.nip.io", "http://127.1", "http://[::ffff:10.0.0.1]",
		"http://evil.example#@127.0.0.1", "http://127.0.0.1@evil.example", "HTTP://EVIL.EXAMPLE", "ws://127.0.0.1",
		"//evil.example", "http:///path", "http://[fe80::1]", "https://user:" + key + "@platform.versori.com",
	} {
		_, err := versori.NewClient(versori.WithBaseURL(u), versori.WithAPIKey(key))
		assert.ErrorIs(t, err, versori.ErrValidation, u)
		if err != nil {
			assert.NotContains(t, err.Error(), key)
		}
	}
	for _, u := range []string{"http://127.0.0.1:1", "http://127.8.9.10", "http://localhost", "http://LOCALHOST:80", "http://[::1]:1"} {
		_, err := versori.NewClient(versori.WithBaseURL(u), versori.WithAPIKey(key))
		assert.NoError(t, err, u)
	}
}

// TestRedirectsNotFollowed: a redirect (a misconfigured proxy, an
// attacker's Location) is never followed, so the Authorization header and
// the body's secrets go nowhere else; the error names the Location with
// the secrets it echoes removed.
func TestRedirectsNotFollowed(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var elsewhere []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		elsewhere = append(elsewhere, r.Header.Get("Authorization"))
		mu.Unlock()
	}))
	defer other.Close()
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1) // another host name
	key := secCanary()
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, otherURL+r.URL.Path+"?key="+key, status)
		}))
		defer first.Close()
		c, err := versori.NewClient(versori.WithBaseURL(first.URL), versori.WithAPIKey(key), versori.WithMaxRetries(0))
		require.NoError(t, err)
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			t.Run(fmt.Sprint(status, " ", method), func(t *testing.T) {
				var err error
				if method == http.MethodGet {
					_, err = c.Hubs.Get(context.Background(), "01HUB")
				} else {
					p := secContainer(&secFill{}, "CreateEndUserParams").(versori.CreateEndUserParams)
					_, err = c.Users.Create(context.Background(), "01HUB", p)
				}
				r := &secReport{t: t}
				r.check("the error", fmt.Sprintf("%v %+v %#v", err, err, err), key)
				var apiErr *versori.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, status, apiErr.StatusCode)
				assert.Contains(t, apiErr.Location, "localhost", "the error names where it was sent")
				assert.Contains(t, apiErr.Location, "[REDACTED]", "the key echoed in Location is removed")
				assert.Contains(t, err.Error(), "not followed")
			})
		}
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, elsewhere, "a request followed a redirect")
}

// Secrets a hostile server or proxy echoes from what the SDK sent (the API
// key, a JWT, a secret in the body) into the places of its answer that the
// SDK copies into an error, a log record or a ResponseInfo, beyond the API's
// own error bodies that TestNoSecretInErrors covers.

// echoedSecret is a secret a call sends and a hostile answer echoes.
type echoedSecret struct {
	name   string
	secret string
	call   hostileCall
	opts   []versori.Option
}

// bodySecret is the credential secret hostileConnectionCreate sends.
const bodySecret = "s3cret-acme-42"

const echoedJWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhY21lIn0.c2lnbmF0dXJlLXBhcnQ"

func echoedSecrets() []echoedSecret {
	return []echoedSecret{
		{"API key", hostileKey, callGetUser, nil},
		{"JWT", echoedJWT, callGetUser, []versori.Option{versori.WithTokenSource(versori.StaticToken(echoedJWT))}},
		{"secret in the body", bodySecret, callCreateUser, nil},
	}
}

// assertNoSecret checks err's text, and everything logged, for the secret.
func assertNoSecret(t *testing.T, secret string, err error, logged string) {
	t.Helper()
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secret, "the error shows the secret")
	assert.NotContains(t, fmt.Sprintf("%+v", err), secret, "the error shows the secret")
	assert.NotContains(t, logged, secret, "the debug log shows the secret")
}

// debugLog returns a debug logger and what it wrote.
func debugLog() (versori.Option, *bytes.Buffer) {
	var buf bytes.Buffer
	return versori.WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))), &buf
}

// callEchoing makes es's call, without retries and with a debug log,
// against srv, and returns what the client logged and the call's error.
func (es echoedSecret) callEchoing(t *testing.T, srv *hostileServer) (logged string, err error) {
	t.Helper()
	logOpt, buf := debugLog()
	c := newHostileClient(t, srv, append([]versori.Option{withNoRetries(), logOpt}, es.opts...)...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err = es.call.do(ctx, c.Client)
	t.Log(err)
	return buf.String(), err
}

// TestNoSecretInTransportErrors: net/http quotes a malformed status line or
// header line in its error; a proxy that echoes the key it received there
// must not get the key into the caller's *TransportError or the debug log
// (the SDK once put that error's text in its TransportError as it was).
func TestNoSecretInTransportErrors(t *testing.T) {
	answers := map[string]func(secret string) string{
		"status code":    func(s string) string { return "HTTP/1.1 " + s + " OK\r\n\r\n" },
		"status line":    func(s string) string { return s + "\r\n\r\n" },
		"header line":    func(s string) string { return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n" + s + "\r\n\r\n{}" },
		"content length": func(s string) string { return "HTTP/1.1 200 OK\r\nContent-Length: " + s + "\r\n\r\n{}" },
	}
	for _, es := range echoedSecrets() {
		for name, answer := range answers {
			t.Run(es.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				srv := rawHTTP1(t, func(nc net.Conn, r *http.Request) {
					_, _ = io.WriteString(nc, answer(es.secret))
				})
				logged, err := es.callEchoing(t, srv)
				var te *versori.TransportError
				require.True(t, errors.As(err, &te), "want a *TransportError, got %v", err)
				assertNoSecret(t, es.secret, err, logged)
			})
		}
	}
}

// TestNoSecretInDecodeErrors: a 2xx body whose date (and an unknown member's
// name and value) holds the secret fails to decode; the decoder quotes the
// value it could not parse, but neither the *DecodeError, its Err, nor the
// debug log shows the secret.
func TestNoSecretInDecodeErrors(t *testing.T) {
	for _, es := range echoedSecrets() {
		t.Run(es.name, func(t *testing.T) {
			t.Parallel()
			srv := startNetHTTP(t, kindH2, func(w http.ResponseWriter, r *http.Request) {
				body := strings.Replace(hostileEndUserJSON, `"createdAt":"2025-03-14T09:26:53Z","updatedAt":"2025-03-14T09:26:53Z"}`,
					`"createdAt":"`+es.secret+`","updatedAt":"2025-03-14T09:26:53Z"}`, 1)
				body = strings.Replace(body, `"hubId":"01HUB"`, `"hubId":"01HUB","x":{"`+es.secret+`":[1,{"a":"`+es.secret+`"}]}`, 1)
				writeAnswer(w, es.call.status, body)
			})
			logged, err := es.callEchoing(t, srv)
			var de *versori.DecodeError
			require.True(t, errors.As(err, &de), "want a *DecodeError, got %v", err)
			assertNoSecret(t, es.secret, err, logged)
			assert.NotContains(t, de.Err.Error(), es.secret, "DecodeError.Err shows the secret")
		})
	}
}

// TestNoSecretInServerRequestID: a server's X-Request-Id is reported when it
// is "plain" and does not hold the credential, but a secret from the request
// body is as plain: echoed into X-Request-Id it must not reach errors, the
// debug log or ResponseInfo (it once did). A plain server ID is still
// reported.
func TestNoSecretInServerRequestID(t *testing.T) {
	for _, status := range []int{201, 400, 503} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			srv := startNetHTTP(t, kindHTTP1, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Request-Id", "req-"+bodySecret)
				body := hostileEndUserJSON
				if status != 201 {
					body = `{"code":"x","message":"no"}`
				}
				writeAnswer(w, status, body)
			})
			logOpt, logged := debugLog()
			var info versori.ResponseInfo
			c := newHostileClient(t, srv, withNoRetries(), logOpt)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_, err := c.Users.Create(ctx, hostileHubID, hostileUserParams(), versori.WithResponseInfo(&info))
			if status == 201 {
				require.NoError(t, err)
				assert.NotContains(t, info.RequestID, bodySecret, "ResponseInfo.RequestID shows the secret")
				assert.NotContains(t, logged.String(), bodySecret, "the debug log shows the secret")
				return
			}
			assertNoSecret(t, bodySecret, err, logged.String())
		})
	}
	t.Run("a plain server ID is still reported", func(t *testing.T) {
		srv := startNetHTTP(t, kindHTTP1, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "req-0042")
			writeAnswer(w, 400, `{"code":"x","message":"no"}`)
		})
		c := newHostileClient(t, srv, withNoRetries())
		_, err := c.Users.Create(context.Background(), hostileHubID, hostileUserParams())
		var ae *versori.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, "req-0042", ae.RequestID)
	})
}

// TestNoSecretInPaginationLoopError: a server whose cursor is the API key it
// was sent, repeated, ends the iteration with an error that names the cursor
// without its text.
func TestNoSecretInPaginationLoopError(t *testing.T) {
	srv := startNetHTTP(t, kindHTTP1, func(w http.ResponseWriter, r *http.Request) {
		_, key, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		writeAnswer(w, 200, `{"totalCount":9,"next":"`+key+`","users":[{"id":"01USR","externalId":"u","displayName":"U","hubId":"01HUB","createdAt":"2025-03-14T09:26:53Z","updatedAt":"2025-03-14T09:26:53Z"}]}`)
	})
	c := newHostileClient(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var last error
	for _, err := range c.Users.All(ctx, hostileHubID, nil) {
		if err != nil {
			last = err
		}
	}
	require.ErrorIs(t, last, versori.ErrPagination)
	assert.NotContains(t, last.Error(), hostileKey)
}

// TestNoSecretInInvalidSecretJSONRefusal: a SecretJSON that is not JSON is
// refused before sending, and the refusal quotes no byte of the secret (it
// once quoted the first, and a duplicate member's name).
func TestNoSecretInInvalidSecretJSONRefusal(t *testing.T) {
	srv := startNetHTTP(t, kindHTTP1, healthy)
	c := newHostileClient(t, srv)
	for name, raw := range map[string]string{
		"not JSON":         "Zsecret-value",
		"trailing garbage": `"ok" Zsecret-value`,
		"duplicate names":  `{"Zsecret-value":1,"Zsecret-value":2}`,
		"unterminated":     `"Zsecret-value`,
	} {
		err := c.Do(context.Background(), versori.Request{Method: http.MethodPut, Path: "/x", Body: map[string]any{"v": versori.NewSecretJSON([]byte(raw))}}, nil)
		require.ErrorIs(t, err, versori.ErrNotSent, name)
		assert.NotContains(t, err.Error(), "'Z'", name)
		assert.NotContains(t, err.Error(), "Zsecret", name)
	}
	assert.Empty(t, srv.requests(), "nothing is sent")
}

// TestNoSecretFromWithHeaderInErrors: a credential given with WithHeader (an
// X-Api-Key for a gateway, a Proxy-Authorization, a cookie), on the client
// or on the call, is one of the call's secrets: a server echoing every
// header it got, in the body and as the request ID, shows none of them in
// the error. A header whose name says nothing of a credential is not
// redacted.
func TestNoSecretFromWithHeaderInErrors(t *testing.T) {
	srv := startNetHTTP(t, kindHTTP1, func(w http.ResponseWriter, r *http.Request) {
		var echo []string
		for _, name := range []string{"X-Api-Key", "Proxy-Authorization", "Cookie", "X-Session-Token", "X-Tenant"} {
			echo = append(echo, name+"="+r.Header.Get(name))
		}
		w.Header().Set("X-Request-Id", r.Header.Get("X-Api-Key"))
		writeAnswer(w, 403, `{"code":"403000","message":"refused `+strings.Join(echo, " ")+`","details":"<p>`+r.Header.Get("Cookie")+`</p>"}`)
	})
	c := newHostileClient(t, srv, versori.WithHeader("X-Api-Key", "gw-credential-77"), versori.WithHeader("X-Tenant", "acme-tenant"))
	_, err := c.Hubs.Get(context.Background(), hostileHubID,
		versori.WithHeader("Proxy-Authorization", "Basic cHJveHk6c2VjcmV0"),
		versori.WithHeader("Cookie", "sid=cookie-secret-9"),
		versori.WithHeader("X-Session-Token", "session-secret-5"))
	var apiErr *versori.APIError
	require.ErrorAs(t, err, &apiErr)
	out := fmt.Sprintf("%v %+v %#v", err, apiErr, apiErr)
	for _, secret := range []string{"gw-credential-77", "cHJveHk6c2VjcmV0", "cookie-secret-9", "session-secret-5"} {
		assert.NotContains(t, out, secret)
	}
	assert.Contains(t, apiErr.Message, "X-Api-Key=[REDACTED]", "the message keeps the rest")
	assert.Contains(t, apiErr.Message, "X-Tenant=acme-tenant", "a header that is no credential is left alone")
	assert.NotEqual(t, "gw-credential-77", apiErr.RequestID)
}

// TestNoSecretFromWithHeaderPaddedWithSpaces: an HTTP/1.1 server trims the
// spaces around a header's value, and echoes the value without them.
func TestNoSecretFromWithHeaderPaddedWithSpaces(t *testing.T) {
	srv := startNetHTTP(t, kindHTTP1, func(w http.ResponseWriter, r *http.Request) {
		writeAnswer(w, 403, `{"code":"denied","message":"unknown key `+r.Header.Get("X-Api-Key")+` or proxy `+r.Header.Get("Proxy-Authorization")+`"}`)
	})
	c := newHostileClient(t, srv, withNoRetries(), versori.WithHeader("X-Api-Key", " gw-padded-secret\t"))
	_, err := c.Hubs.Get(context.Background(), hostileHubID, versori.WithHeader("Proxy-Authorization", "Basic  cHJveHk6cGFkZGVk "))
	var apiErr *versori.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.NotContains(t, apiErr.Message, "gw-padded-secret")
	assert.NotContains(t, apiErr.Message, "cHJveHk6cGFkZGVk")
}

// TestNoSecretFromWithHeaderInOtherEncodersEscapes: encoders other than Go's
// escape a header's value in a JSON or HTML body their own way: PHP writes /
// as \/, .NET writes + and & as \u002B and \u0026 (capital hex) and every
// non-ASCII character as \uXXXX, Python as \uxxxx, and html/template writes
// + as &#43;.
func TestNoSecretFromWithHeaderInOtherEncodersEscapes(t *testing.T) {
	const key = "gw/Key+é&42"
	echoes := map[string]string{
		"php":           `{"error":"bad key gw\/Key+\u00e9&42"}`,
		"dotnet":        `{"error":"bad key gw/Key\u002B\u00E9\u002642"}`,
		"python":        `{"error":"bad key gw/Key+\u00e9&42"}`,
		"html/template": `<html><body><p>bad key gw/Key&#43;é&amp;42</p></body></html>`,
	}
	for name, body := range echoes {
		t.Run(name, func(t *testing.T) {
			srv := startNetHTTP(t, kindHTTP1, func(w http.ResponseWriter, r *http.Request) {
				writeAnswer(w, 401, body)
			})
			c := newHostileClient(t, srv, withNoRetries(), versori.WithHeader("X-Api-Key", key))
			_, err := c.Hubs.Get(context.Background(), hostileHubID)
			var apiErr *versori.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.NotContains(t, apiErr.Snippet, "Key")
			assert.Contains(t, apiErr.Snippet, "bad key")
		})
	}
}

// TestShortWithHeaderValueIsNotRedacted: a credential header's value too
// short to be a credential ("1") is not one of the call's secrets: redacting
// it would hide nothing (the holes show it) and would break what a caller
// and the retry policy rely on: the Retry-After delay, the error code, the
// server's request ID.
func TestShortWithHeaderValueIsNotRedacted(t *testing.T) {
	srv := startNetHTTP(t, kindHTTP1, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "10")
		w.Header().Set("X-Request-Id", "req-100")
		writeAnswer(w, 429, `{"code":"rate_limited_1","message":"try again in 10 s"}`)
	})
	c := newHostileClient(t, srv, withNoRetries(), versori.WithHeader("X-Api-Key-Version", "1"))
	_, err := c.Hubs.Get(context.Background(), hostileHubID)
	var apiErr *versori.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "10", apiErr.RetryAfter)
	assert.Equal(t, "rate_limited_1", apiErr.Code)
	assert.Equal(t, "req-100", apiErr.RequestID)
}
