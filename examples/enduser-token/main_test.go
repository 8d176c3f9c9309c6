package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/versori-go/versori/versoritest"
)

// TestEndUserToken runs the flow against a fake made for the test: the
// token reads its own end user and not the other, and both users are gone
// at the end.
func TestEndUserToken(t *testing.T) {
	srv := versoritest.New(t)
	key, err := registerNewKey(srv)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := endUserToken(t.Context(), &out, srv.Client(), srv.Seeded().HubID, key); err != nil {
		t.Fatalf("endUserToken: %v\noutput:\n%s", err, &out)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`2\. minted token \[REDACTED\] for sub=alice-\w+,`),
		regexp.MustCompile(`3\. with alice's token: read alice-\w+, and listed 3 integrations`),
		regexp.MustCompile(`4\. with alice's token: bob-\w+ is not found \(404\)`),
		regexp.MustCompile(`5\. end user alice-\w+ deleted`),
		regexp.MustCompile(`5\. end user bob-\w+ deleted`),
	} {
		if !want.MatchString(out.String()) {
			t.Errorf("output does not match %s:\n%s", want, &out)
		}
	}
	if strings.Contains(out.String(), "eyJ") {
		t.Errorf("output shows a JWT:\n%s", &out)
	}
	users, err := srv.Client().Users.List(t.Context(), srv.Seeded().HubID, nil)
	if err != nil || len(users.Users) != 0 {
		t.Errorf("after the run: %+v, %v; want no end user", users, err)
	}
}

// TestEndUserTokenReportsCleanUp checks that a failed deletion is reported,
// and that the other end user is still deleted.
func TestEndUserTokenReportsCleanUp(t *testing.T) {
	srv := versoritest.New(t)
	key, err := registerNewKey(srv)
	if err != nil {
		t.Fatal(err)
	}
	srv.FailNext(versoritest.OpDeleteEndUser, 1, versoritest.Fault{Status: http.StatusForbidden})
	err = endUserToken(t.Context(), io.Discard, srv.Client(), srv.Seeded().HubID, key)
	if err == nil || !strings.Contains(err.Error(), "delete end user bob-") {
		t.Errorf("err = %v, want the failed deletion of bob", err)
	}
	users, err := srv.Client().Users.List(t.Context(), srv.Seeded().HubID, nil)
	if err != nil || len(users.Users) != 1 {
		t.Errorf("after the run: %+v, %v; want bob alone", users, err)
	}
}

// TestSigningKeyFromEnv checks the messages of a missing or wrong key, which
// stop the example before any call.
func TestSigningKeyFromEnv(t *testing.T) {
	dir := t.TempDir()
	// A public key where the private one belongs is an easy mistake.
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	public := filepath.Join(dir, "public.pem")
	if err := os.WriteFile(public, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ id, file, want string }{
		{"", "", "set VERSORI_SIGNING_KEY_ID and VERSORI_SIGNING_KEY_FILE"},
		{"01JSK", filepath.Join(dir, "missing.pem"), "read VERSORI_SIGNING_KEY_FILE"},
		{"01JSK", public, "no private key"},
	} {
		t.Setenv("VERSORI_SIGNING_KEY_ID", tc.id)
		t.Setenv("VERSORI_SIGNING_KEY_FILE", tc.file)
		if _, err := signingKeyFromEnv(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("with %q, %q: err = %v, want %q", tc.id, tc.file, err, tc.want)
		}
	}
}
