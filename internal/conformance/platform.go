package conformance

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// PlatformSpecDirEnv names the environment variable that overrides the
// directory holding platform-api.yaml and organisations-api-v1.yaml.
const PlatformSpecDirEnv = "VERSORI_PLATFORM_SPEC_DIR"

// The Platform and Organisations specs, beside the repository like the
// Embedded API's (see ../shared/versori/PLATFORM.md).
const (
	platformSpecDir       = "../shared/versori"
	platformSpecFile      = "platform-api.yaml"
	organisationsSpecFile = "organisations-api-v1.yaml"
)

// organisationsBasePath is where the Organisations API lives, as on
// platform.versori.com and on the versoritest fake; every other request is
// for the Platform API.
const organisationsBasePath = "/api/organisations/v1"

// PlatformSpecPaths returns the paths of platform-api.yaml and
// organisations-api-v1.yaml: in $VERSORI_PLATFORM_SPEC_DIR if set, else in
// ../shared/versori/ relative to the repository root. It returns an error
// wrapping ErrSpecNotFound if either is missing, naming where it looked.
func PlatformSpecPaths() (platform, organisations string, err error) {
	dir := os.Getenv(PlatformSpecDirEnv)
	if dir == "" {
		root, err := repoRoot()
		if err != nil {
			return "", "", fmt.Errorf("%w: %v; set %s", ErrSpecNotFound, err, PlatformSpecDirEnv)
		}
		dir = filepath.Join(root, filepath.FromSlash(platformSpecDir))
	}
	platform = filepath.Join(dir, platformSpecFile)
	organisations = filepath.Join(dir, organisationsSpecFile)
	for _, p := range []string{platform, organisations} {
		if _, err := os.Stat(p); err != nil {
			return "", "", fmt.Errorf("%w: %s (set %s to override): %v", ErrSpecNotFound, p, PlatformSpecDirEnv, err)
		}
	}
	return platform, organisations, nil
}

// PlatformValidator checks exchanges with the Platform API (v2) against
// platform-api.yaml and those with the Organisations API (paths under
// /api/organisations/v1) against organisations-api-v1.yaml, both corrected
// for the errata in errata.go. Like Validator, it is safe for concurrent use.
type PlatformValidator struct {
	platform, organisations *Validator
}

// LoadPlatform reads, corrects and compiles both specs once per process and
// returns the shared PlatformValidator.
func LoadPlatform() (*PlatformValidator, error) { return loadPlatformOnce() }

var loadPlatformOnce = sync.OnceValues(func() (*PlatformValidator, error) {
	platform, organisations, err := PlatformSpecPaths()
	if err != nil {
		return nil, err
	}
	return NewPlatformValidator(platform, organisations)
})

// NewPlatformValidator compiles the two specs at these paths, with the errata
// of errata.go applied in memory. Most callers want LoadPlatform or
// LoadPlatformValidator, which share one.
func NewPlatformValidator(platformPath, organisationsPath string) (*PlatformValidator, error) {
	platform, err := loadCorrected(platformPath, platformErrata)
	if err != nil {
		return nil, err
	}
	organisations, err := loadCorrected(organisationsPath, organisationsErrata)
	if err != nil {
		return nil, err
	}
	return &PlatformValidator{platform: platform, organisations: organisations}, nil
}

func loadCorrected(path string, errata []erratum) (*Validator, error) {
	spec, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("conformance: read spec: %w", err)
	}
	corrected, err := applyErrata(filepath.Base(path), spec, errata)
	if err != nil {
		return nil, err
	}
	return newValidator(path, corrected, true)
}

// LoadPlatformValidator returns the shared PlatformValidator for a test,
// skipping the test if a spec is missing, or failing it when CI is set, as
// LoadValidator does.
func LoadPlatformValidator(t testing.TB) *PlatformValidator {
	t.Helper()
	v, err := LoadPlatform()
	skipUnlessLoaded(t, err)
	return v
}

// Check validates one exchange against the spec of the API it is for; see
// Validator.Check.
func (p *PlatformValidator) Check(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) []error {
	return p.validatorFor(req).Check(req, reqBody, resp, respBody)
}

// Path names both specs.
func (p *PlatformValidator) Path() string {
	return p.platform.Path() + " and " + p.organisations.Path()
}

func (p *PlatformValidator) validatorFor(req *http.Request) *Validator {
	if strings.HasPrefix(req.URL.Path, organisationsBasePath+"/") {
		return p.organisations
	}
	return p.platform
}
