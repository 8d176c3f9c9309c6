// Package conformance checks HTTP exchanges against Versori's OpenAPI
// description of the Embedded API (embedded-api-v1.yaml) and, through a
// PlatformValidator, of the Platform API (platform-api.yaml) and the
// Organisations API (organisations-api-v1.yaml).
//
// It is a test-only nested module so that the SDK's own go.mod never pulls in
// libopenapi-validator (which needs go 1.26 and about 30 modules). Tests use
// it through a Recorder:
//
//	rec := conformance.NewRecorder(t, http.DefaultTransport)
//	defer rec.Assert(t)
//	client := &http.Client{Transport: rec}
//
// The spec is not part of the repository: it lives beside it, in
// ../shared/versori/, or wherever VERSORI_OPENAPI_SPEC points.
package conformance

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
)

// SpecEnv names the environment variable that overrides where the spec is
// read from, for checkouts that do not sit beside ../shared/.
const SpecEnv = "VERSORI_OPENAPI_SPEC"

// specRelPath is where the spec lives relative to the repository root: beside
// the repository, never inside it (see ../shared/README.md).
const specRelPath = "../shared/versori/embedded-api-v1.yaml"

// ErrSpecNotFound reports that the spec file could not be located; tests skip
// on it outside CI and fail on it in CI.
var ErrSpecNotFound = errors.New("conformance: OpenAPI spec not found")

// SpecPath returns the path of embedded-api-v1.yaml: $VERSORI_OPENAPI_SPEC if
// set, else ../shared/versori/embedded-api-v1.yaml relative to the repository
// root (the directory holding go.work). It returns an error wrapping
// ErrSpecNotFound if the file is not there, naming where it looked.
func SpecPath() (string, error) {
	if p := os.Getenv(SpecEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%w: %s=%s: %v", ErrSpecNotFound, SpecEnv, p, err)
		}
		return p, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", fmt.Errorf("%w: %v; set %s", ErrSpecNotFound, err, SpecEnv)
	}
	p := filepath.Join(root, filepath.FromSlash(specRelPath))
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%w: %s (set %s to override): %v", ErrSpecNotFound, p, SpecEnv, err)
	}
	return p, nil
}

// repoRoot walks up from this package's directory to the one holding go.work.
// It starts from the source file's own location rather than the working
// directory so that callers in any package of the workspace find the same root.
func repoRoot() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	start := filepath.Dir(file)
	if !ok || !filepath.IsAbs(start) {
		// -trimpath or an unusual build: fall back to the working directory,
		// which for `go test` is the package directory.
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		start = wd
	}
	for dir := start; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.work above %s", start)
		}
		dir = parent
	}
}

// ulidRE matches a canonical ULID: 26 characters of Crockford base32, the
// first at most 7 so the 128-bit value does not overflow. Lower case is
// accepted because ULID parsers (oklog/ulid among them) are case-insensitive.
var ulidRE = regexp.MustCompile(`^[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}$`)

// checkULID is the `format: ulid` assertion. JSON Schema applies formats only
// to strings, so any other type passes here and is left to `type`.
func checkULID(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if !ulidRE.MatchString(s) {
		return fmt.Errorf("%q is not a ULID (26 characters of Crockford base32)", s)
	}
	return nil
}

// Validator checks requests and responses against the Embedded API spec.
// It is safe for concurrent use without a lock of its own:
// libopenapi-validator documents its router, schema caches and body codecs as
// concurrency-safe (and tests that), and TestConcurrentCheck runs it from many
// goroutines under -race. Its one hazard is that it overwrites the
// *http.Request it validates, so Check only ever hands it copies.
type Validator struct {
	v validator.Validator
	// path is where the spec was loaded from, for messages.
	path string
	// ambiguous holds the data oneOf index pairs of erratum 1 (tolerate.go).
	ambiguous map[[2]int]bool
	// credReqs holds each credential type's required data properties
	// (credtype.go).
	credReqs map[string][]string
	// keyed is set for the Platform and Organisations specs, whose credential
	// data and auth scheme configs are keyed unions (keyed.go) and which have
	// none of the v1 errata tolerated in tolerate.go.
	keyed bool
}

// Path returns the file the spec was loaded from.
func (v *Validator) Path() string { return v.path }

// Load reads and compiles the spec once per process and returns the shared
// Validator. Compiling takes about a second, so every test shares one.
func Load() (*Validator, error) { return loadOnce() }

var loadOnce = sync.OnceValues(func() (*Validator, error) {
	path, err := SpecPath()
	if err != nil {
		return nil, err
	}
	return NewValidator(path)
})

// NewValidator compiles the spec at path into a new Validator. Most callers
// want Load or LoadValidator, which share one.
func NewValidator(path string) (*Validator, error) {
	spec, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("conformance: read spec: %w", err)
	}
	return newValidator(path, spec, false)
}

// newValidator compiles spec, read from path, into a Validator.
func newValidator(path string, spec []byte, keyed bool) (*Validator, error) {
	doc, err := libopenapi.NewDocument(spec)
	if err != nil {
		return nil, fmt.Errorf("conformance: parse spec %s: %w", path, err)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("conformance: build model from %s: %w", path, err)
	}
	v := validator.NewValidatorFromV3Model(&model.Model,
		// Without this, format (date-time, uri, ulid) is only an annotation.
		config.WithFormatAssertions(),
		config.WithCustomFormat("ulid", checkULID),
	)
	return &Validator{
		v:         v,
		path:      path,
		ambiguous: ambiguousPairs(&model.Model),
		credReqs:  credentialRequirements(&model.Model),
		keyed:     keyed,
	}, nil
}

// LoadValidator returns the shared Validator for a test. If the spec is
// missing the test is skipped with a message saying where it was looked for,
// except when CI is set: CI must never skip conformance silently, so there
// the test fails instead.
func LoadValidator(t testing.TB) *Validator {
	t.Helper()
	v, err := Load()
	skipUnlessLoaded(t, err)
	return v
}

// skipUnlessLoaded fails t if err is a real error, and skips it if the spec
// is missing, except under CI, where that fails too.
func skipUnlessLoaded(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	skipMissingSpec(t, err)
}

// skipMissingSpec ends a test that cannot find the spec: it skips with err, which says
// where the spec was looked for, except when CI is set, where it fails, because CI must
// never report a conformance test ok that did not run. Any other error fails the test.
func skipMissingSpec(t testing.TB, err error) {
	t.Helper()
	if !errors.Is(err, ErrSpecNotFound) {
		t.Fatal(err)
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%v (CI is set: conformance tests must not be skipped)", err)
	}
	t.Skipf("skipping: %v", err)
}
