package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRunOffline(t *testing.T) {
	t.Setenv("VERSORI_API_KEY", "")
	var out bytes.Buffer
	if err := run(context.Background(), &out, strings.NewReader(""), "oauth-test", ""); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"response_type=code", "credential is now of type oauth2-token"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
