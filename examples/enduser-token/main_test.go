package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunOffline runs the example's whole flow against the fake, as
// `go run ./examples/enduser-token` does with VERSORI_API_KEY unset.
func TestRunOffline(t *testing.T) {
	t.Setenv("VERSORI_API_KEY", "")
	var out strings.Builder
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, out.String())
	}
	for _, want := range []string{
		"running against the in-process fake",
		"registered its public key with the fake",
		"1. end user token-demo-",
		"2. minted a token for sub=",
		"3. with the token: read end user token-demo-",
		"4. with the token: 3 integrations listed",
		"5. end user token-demo-",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "eyJ") {
		t.Errorf("output shows a JWT:\n%s", out.String())
	}
}

// TestRunRealNeedsSigningKey checks that, aimed at the real API, the example
// stops with a clear message before any call when the key is missing or bad.
// No request is sent, so it needs no network.
func TestRunRealNeedsSigningKey(t *testing.T) {
	t.Setenv("VERSORI_API_KEY", "not-a-real-key")
	t.Setenv("VERSORI_HUB_ID", "01JHUB")
	t.Setenv("VERSORI_BASE_URL", "http://127.0.0.1:1") // refuses connections, should anything be sent

	t.Setenv("VERSORI_SIGNING_KEY_ID", "")
	t.Setenv("VERSORI_SIGNING_KEY_FILE", "")
	if err := run(context.Background(), io.Discard); err == nil || !strings.Contains(err.Error(), "VERSORI_SIGNING_KEY_ID and VERSORI_SIGNING_KEY_FILE") {
		t.Errorf("without a signing key: %v", err)
	}

	dir := t.TempDir()
	t.Setenv("VERSORI_SIGNING_KEY_ID", "01JSK")
	t.Setenv("VERSORI_SIGNING_KEY_FILE", filepath.Join(dir, "missing.pem"))
	if err := run(context.Background(), io.Discard); err == nil || !strings.Contains(err.Error(), "read VERSORI_SIGNING_KEY_FILE") {
		t.Errorf("with a missing key file: %v", err)
	}

	// A public key where the private one belongs is an easy mistake.
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	pubFile := filepath.Join(dir, "public.pem")
	if err := os.WriteFile(pubFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VERSORI_SIGNING_KEY_FILE", pubFile)
	if err := run(context.Background(), io.Discard); err == nil || !strings.Contains(err.Error(), "no private key") {
		t.Errorf("with a public key file: %v", err)
	}
}
