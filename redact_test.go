package versori

import (
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
)

// Text a server sends is kept as one printable, bounded line, with the
// secrets the call sent removed, in every form a server might echo them.
func TestCleanerRemovesSecretsAndControls(t *testing.T) {
	t.Parallel()
	c := secretsOf([]string{"Bearer key-123"}, nil, struct {
		P Secret `json:"p"`
		Q SecretJSON
	}{P: NewSecret(`pa ss/w"rd&<>`), Q: NewSecretJSON([]byte(`{"deep":"raw-secret"}`))})
	for _, in := range []string{
		"key-123", `pa ss/w"rd&<>`, `pa ss/w\"rd&<>`, "pa+ss%2Fw%22rd%26%3C%3E", "pa%20ss%2Fw%22rd&%3C%3E", "pa ss/w&#34;rd&amp;&lt;&gt;",
		`{"deep":"raw-secret"}`,
	} {
		got := c.clean("echo: "+in+" :end", 1024)
		assert.Equal(t, "echo: [REDACTED] :end", got, in)
	}
	got := c.clean("line1\nline2\r\n\x00\x1b[31mred\u202etxt\xff  spaced", 1024)
	assert.Equal(t, "line1 line2 [31mred txt? spaced", got)
	for _, r := range got {
		assert.True(t, unicode.IsPrint(r), "%q", r)
	}
	long := c.clean(strings.Repeat("é", 1000), 100)
	assert.LessOrEqual(t, len(long), 100+len("…"))
	assert.True(t, strings.HasSuffix(long, "…"))
}
