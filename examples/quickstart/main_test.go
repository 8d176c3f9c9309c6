package main

import "testing"

// TestRunOffline runs the quickstart's whole flow against the fake, as
// `go run ./examples/quickstart` does with VERSORI_API_KEY unset. run prints
// to stdout, which `go test -v` shows.
func TestRunOffline(t *testing.T) {
	t.Setenv("VERSORI_API_KEY", "")
	if err := run("quickstart-test"); err != nil {
		t.Fatal(err)
	}
}
