package union

import (
	"bytes"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
)

type flatHead struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

type flatVariant struct {
	Name string `json:"name,omitempty"`
	In   string `json:"in,omitempty"`
}

type flatClash struct {
	Type string `json:"type"`
}

type flatMethods struct{}

func (flatMethods) MarshalJSONTo(enc *jsontext.Encoder) error {
	return enc.WriteToken(jsontext.Null)
}

// encodeFlat returns EncodeFlat's output for head and variant.
func encodeFlat(head, variant any) (string, error) {
	var buf bytes.Buffer
	err := EncodeFlat(jsontext.NewEncoder(&buf), head, variant)
	return strings.TrimSpace(buf.String()), err
}

func TestEncodeFlat(t *testing.T) {
	for _, tc := range []struct {
		variant any
		want    string
	}{
		{flatVariant{Name: "X-Key", In: "header"}, `{"id":"a","type":"api-key","name":"X-Key","in":"header"}`},
		{flatVariant{}, `{"id":"a","type":"api-key"}`},
		{struct{}{}, `{"id":"a","type":"api-key"}`},
	} {
		got, err := encodeFlat(flatHead{"a", "api-key"}, tc.variant)
		if err != nil || got != tc.want {
			t.Errorf("EncodeFlat(%+v) = %s, %v; want %s", tc.variant, got, err, tc.want)
		}
	}
}

// TestEncodeFlatRefuses checks the parts EncodeFlat cannot flatten are
// errors, not objects with members silently dropped.
func TestEncodeFlatRefuses(t *testing.T) {
	for name, variant := range map[string]any{
		"a member in both":  flatClash{"x"},
		"JSON methods":      flatMethods{},
		"not a struct":      "x",
		"pointer to struct": &flatVariant{},
		"nil":               nil,
	} {
		for range 2 { // the second answer comes from the cache
			if got, err := encodeFlat(flatHead{"a", "t"}, variant); err == nil {
				t.Errorf("%s: EncodeFlat = %s, want an error", name, got)
			}
		}
	}
}
