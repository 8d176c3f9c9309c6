package platform_test

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/coverage"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

var (
	subsetRowRE   = regexp.MustCompile(`(?m)^\| (\d+) \| (\w+) \| `)
	platformRowRE = regexp.MustCompile("(?m)^\\| (\\d+) \\| (\\w+) \\| `p\\.([\\w.]+)` \\| (yes|no) \\|$")
	methodRefRE   = regexp.MustCompile("`p\\.([\\w.]+)`")
)

// section returns the text of the Markdown section whose heading starts
// with heading, up to the next heading of the same level.
func section(t *testing.T, doc, heading string) string {
	t.Helper()
	_, rest, ok := strings.Cut(doc, "\n"+heading)
	require.True(t, ok, "no section %q", heading)
	level := heading[:strings.IndexByte(heading, ' ')+1]
	if end := strings.Index(rest, "\n"+level); end >= 0 {
		rest = rest[:end]
	}
	return rest
}

// TestPlatformCoverageTable keeps README's Platform coverage table true: a
// row for each operation of PLATFORM.md §7, in its order and with its number;
// every SDK method the section names exists on *platform.Client; and the fake
// column says whether versoritest serves the operation.
func TestPlatformCoverageTable(t *testing.T) {
	t.Parallel()
	ref, err := os.ReadFile(coverage.File(t, "../../shared/versori/PLATFORM.md", "check out shared/versori/PLATFORM.md beside the repository"))
	require.NoError(t, err)
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)

	var want []string
	for i, m := range subsetRowRE.FindAllStringSubmatch(section(t, string(ref), "## 7."), -1) {
		require.Equal(t, strconv.Itoa(i+1), m[1], "PLATFORM.md §7 numbers its rows in order")
		want = append(want, m[2])
	}
	require.Len(t, want, 37, "PLATFORM.md §7 lists the embedding subset")

	p, err := platform.NewClient(versori.WithAPIKey("vtest_coverage"), versori.WithOrganisationID("01ARZ3NDEKTSV4RRFFQ69G5FAV"))
	require.NoError(t, err)
	fake := versoritest.PlatformOperations()
	text := section(t, string(readme), "## API coverage: Platform API")
	var got []string
	for _, m := range platformRowRE.FindAllStringSubmatch(text, -1) {
		n, op, method, served := m[1], m[2], m[3], m[4] == "yes"
		assert.Equal(t, strconv.Itoa(len(got)+1), n, "README's row for %s is numbered out of order", op)
		got = append(got, op)
		assert.True(t, coverage.HasMethod(p, method), "README maps %s to p.%s, which does not exist", op, method)
		assert.Equal(t, slices.Contains(fake, "platform/"+op), served, "README's fake column for %s", op)
	}
	assert.Equal(t, want, got, "README's table against PLATFORM.md §7: a row for every operation, in its order")
	// The iterators and any other method the section's prose names exist too.
	for _, m := range methodRefRE.FindAllStringSubmatch(text, -1) {
		assert.True(t, coverage.HasMethod(p, m[1]), "README names p.%s, which does not exist", m[1])
	}
}
