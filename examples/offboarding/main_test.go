package main

import (
	"strings"
	"testing"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

// TestOffboard offboards an end user with an activation in a fake made for
// the test, then runs again, as after a partial failure.
func TestOffboard(t *testing.T) {
	srv := versoritest.New(t)
	if err := createLeaver(t.Context(), srv, "acme-42"); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := offboard(t.Context(), &out, srv.Client(), srv.Seeded().HubID, versori.ExternalUser("acme-42")); err != nil {
		t.Fatalf("offboard: %v\noutput:\n%s", err, &out)
	}
	for _, want := range []string{"1. acme-42 has 1 activation(s)", "2. deactivated", "4. confirmed: the end user is gone"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, &out)
		}
	}
	out.Reset()
	if err := offboard(t.Context(), &out, srv.Client(), srv.Seeded().HubID, versori.ExternalUser("acme-42")); err != nil || !strings.Contains(out.String(), "0 activation(s)") {
		t.Errorf("second run: %v\noutput:\n%s", err, &out)
	}
}
