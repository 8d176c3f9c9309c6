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
	if err := run(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"Orders sync" needs 2 connections`) {
		t.Errorf("unexpected output:\n%s", out.String())
	}
}
