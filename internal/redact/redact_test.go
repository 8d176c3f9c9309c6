package redact_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/versori-go/versori/internal/redact"
)

type inner struct {
	Token string `secret:"true"`
}

func (i inner) Format(f fmt.State, verb rune) { redact.Format(f, verb, i) }

type outer struct {
	Name     string
	Password string `secret:"true"`
	Key      []byte `secret:"true"`
	Empty    string `secret:"true"`
	Inner    inner
	List     []inner
	Any      any
	hidden   string
}

func (o outer) Format(f fmt.State, verb rune) { redact.Format(f, verb, o) }
func (o outer) LogValue() slog.Value          { return redact.LogValue(o) }

func TestFormatMasksSecretsForEveryVerb(t *testing.T) {
	v := outer{
		Name:     "visible-name",
		Password: "pw-secret-1",
		Key:      []byte("key-secret-2"),
		Inner:    inner{Token: "tok-secret-3"},
		List:     []inner{{Token: "tok-secret-4"}},
		Any:      inner{Token: "tok-secret-5"},
		hidden:   "hidden-secret-6",
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		for _, val := range []any{v, &v} {
			out := fmt.Sprintf(verb, val)
			if strings.Contains(out, "secret") {
				t.Errorf("%s printed a secret: %s", verb, out)
			}
		}
	}
	if got := fmt.Sprintf("%+v", v); !strings.Contains(got, "Name:visible-name") || !strings.Contains(got, "Password:"+redact.Mask) || !strings.Contains(got, "Empty:") {
		t.Errorf("%%+v = %s; want names, the mask for set secrets, empty for unset ones", got)
	}
	if got := fmt.Sprintf("%#v", v); !strings.HasPrefix(got, "redact_test.outer{Name:\"visible-name\"") {
		t.Errorf("%%#v = %s; want Go syntax with the type name", got)
	}
}

func TestLogValueMasksSecretsInBothHandlers(t *testing.T) {
	v := outer{Name: "n", Password: "pw-secret-1", Inner: inner{Token: "tok-secret-3"}}
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		slog.New(h).Info("msg", "value", v, "ptr", &v)
	}
	if strings.Contains(buf.String(), "secret") || !strings.Contains(buf.String(), redact.Mask) {
		t.Errorf("log output leaks or lacks the mask:\n%s", buf.String())
	}
}

func TestString(t *testing.T) {
	if redact.String("") != "" || redact.String("x") != redact.Mask {
		t.Error("String must mask set values and keep empty ones empty")
	}
}

func TestFormatNilPointer(t *testing.T) {
	var p *outer
	if got := fmt.Sprintf("%v", p); got != "<nil>" {
		t.Errorf("nil pointer printed %q", got)
	}
}
