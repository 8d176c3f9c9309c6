package versori_test

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/coverage"
	"github.com/versori-go/versori/versoritest"
)

// specPath finds Versori's OpenAPI spec beside the repository, skipping the
// test when it is absent, except in CI where a skip would hide a failure.
func specPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("VERSORI_OPENAPI_SPEC")
	if p == "" {
		p = "../shared/versori/embedded-api-v1.yaml"
	}
	return coverage.File(t, p, "set VERSORI_OPENAPI_SPEC")
}

var (
	operationIDRE = regexp.MustCompile(`(?m)^\s+operationId:\s*(\w+)\s*$`)
	coverageRowRE = regexp.MustCompile("(?m)^\\| (\\w+) \\| `c\\.([\\w.]+)` \\| (yes|no) \\|")
)

// TestCoverageTable keeps README's coverage table true: every operation in
// the spec has a row, every row's SDK method exists, and the fake column says
// whether versoritest implements the operation.
func TestCoverageTable(t *testing.T) {
	t.Parallel()
	spec, err := os.ReadFile(specPath(t))
	require.NoError(t, err)
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)

	var specOps []string
	for _, m := range operationIDRE.FindAllStringSubmatch(string(spec), -1) {
		specOps = append(specOps, m[1])
	}
	require.NotEmpty(t, specOps)

	c, err := versori.NewClient(versori.WithAPIKey("vtest_coverage"))
	require.NoError(t, err)
	fakeOps := versoritest.Operations()
	rows := map[string]bool{}
	for _, m := range coverageRowRE.FindAllStringSubmatch(string(readme), -1) {
		op, method, fake := m[1], m[2], m[3] == "yes"
		assert.False(t, rows[op], "README lists %s twice", op)
		rows[op] = true
		assert.Contains(t, specOps, op, "README lists %s, which the spec does not define", op)
		assert.True(t, coverage.HasMethod(c, method), "README maps %s to c.%s, which does not exist", op, method)
		assert.Equal(t, slices.Contains(fakeOps, op), fake, "README's fake column for %s", op)
	}
	for _, op := range specOps {
		assert.True(t, rows[op], "operation %s of the spec has no row (and maybe no method) in README's coverage table", op)
	}
}
