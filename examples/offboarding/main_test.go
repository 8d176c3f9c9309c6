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
	if err := run(context.Background(), &out, ""); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"has 1 activation(s)", "deactivated", "confirmed: the end user is gone"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
