package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

// newFake starts a fake for the test and returns it with a client of its
// Platform API.
func newFake(t *testing.T) (*versoritest.Server, *platform.Client) {
	t.Helper()
	srv := versoritest.New(t)
	c, err := platform.NewClient(versori.WithAPIKey(srv.APIKey), versori.WithBaseURL(srv.PlatformURL), versori.WithOrganisationID(srv.Seeded().OrganisationID))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// TestQuickstart runs the flow against a fake the test keeps, and checks the
// steps it printed, that it printed no secret, and that it left nothing
// behind.
func TestQuickstart(t *testing.T) {
	srv, c := newFake(t)
	var out bytes.Buffer
	seed := srv.Seeded().Platform
	o := options{externalID: "quickstart-test", projectID: seed.ProjectID, environmentID: seed.EnvironmentID}
	if err := quickstart(t.Context(), &out, c, o, tokenKey{create: true}); err != nil {
		t.Fatalf("%v\n%s", err, &out)
	}
	got := out.String()
	t.Log("\n" + got)

	want := []string{
		`1. environment "production" (running) of project "Orders Sync"`,
		`2. end user quickstart-test created`,
		`4. shopify: the end user's browser would go to https://accounts.shopify.com/oauth/authorize?<`,
		`4. shopify: connection "quickstart-test shopify" created with a placeholder oauth2-token credential`,
		`5. environment "production" activated for quickstart-test`,
		`6. dynamic variable region set to "eu"`,
		`7. embed token for quickstart-test: [REDACTED], expires `,
		`7. with it, the front end acts as quickstart-test`,
		`8. end user quickstart-test deleted`,
	}
	for _, tmpl := range seed.Templates {
		if tmpl.Dynamic {
			want = append(want, `4. `+tmpl.Name+`: connection "quickstart-test `+tmpl.Name+`" created`, `8. connection "quickstart-test `+tmpl.Name+`" deleted`)
		}
	}
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("output lacks %q", w)
		}
	}
	assertNoSecrets(t, got, srv.APIKey)
	assertCleanedUp(t, c, seed, "quickstart-test")
}

// TestQuickstartCleansUpAfterAFailure fails the flow after activating, and
// checks that everything made so far is deleted all the same.
func TestQuickstartCleansUpAfterAFailure(t *testing.T) {
	srv, c := newFake(t)
	srv.FailNext(versoritest.OpPlatformSetDynamicVariable, 1, versoritest.Fault{Status: 400})
	var out bytes.Buffer
	err := quickstart(t.Context(), &out, c, options{externalID: "quickstart-fails"}, tokenKey{create: true})
	if err == nil || !strings.Contains(err.Error(), "set variable") {
		t.Fatalf("err = %v, want the failure of SetDynamicVariable", err)
	}
	t.Log("\n" + out.String())
	for _, w := range []string{"8. activation ", "8. end user quickstart-fails deleted"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q", w)
		}
	}
	assertCleanedUp(t, c, srv.Seeded().Platform, "quickstart-fails")
}

// TestQuickstartUnknownEnvironment names an environment the organisation
// does not have.
func TestQuickstartUnknownEnvironment(t *testing.T) {
	_, c := newFake(t)
	err := quickstart(t.Context(), io.Discard, c, options{externalID: "quickstart-none", environmentID: "01JNOSUCHENVIRONMENT000000"}, tokenKey{})
	if err == nil || !strings.Contains(err.Error(), "no project has an environment 01JNOSUCHENVIRONMENT000000") {
		t.Fatalf("err = %v", err)
	}
}

// TestRunOffline runs the program as `go run` does with VERSORI_API_KEY
// unset.
func TestRunOffline(t *testing.T) {
	t.Setenv("VERSORI_API_KEY", "")
	var out bytes.Buffer
	if err := run(&out, options{externalID: "quickstart-offline"}); err != nil {
		t.Fatalf("%v\n%s", err, &out)
	}
	got := out.String()
	if !strings.HasPrefix(got, "VERSORI_API_KEY is unset: running against the in-process fake at http://127.0.0.1:") {
		t.Errorf("output does not start by saying it runs against the fake:\n%s", got)
	}
	if !strings.HasSuffix(got, "8. end user quickstart-offline deleted\n") {
		t.Errorf("output does not end with the end user deleted:\n%s", got)
	}
	assertNoSecrets(t, got)
}

// TestRunOnline runs the program configured for the real API, with the
// fake standing in for it.
func TestRunOnline(t *testing.T) {
	srv, c := newFake(t)
	t.Setenv("VERSORI_API_KEY", srv.APIKey)
	t.Setenv("VERSORI_ORGANISATION_ID", srv.Seeded().OrganisationID)
	t.Setenv(platform.EnvBaseURL, srv.PlatformURL)

	t.Run("without a signing key", func(t *testing.T) {
		t.Setenv("VERSORI_SIGNING_KEY_ID", "")
		t.Setenv("VERSORI_SIGNING_KEY_FILE", "")
		var out bytes.Buffer
		if err := run(&out, options{externalID: "quickstart-nokey"}); err != nil {
			t.Fatalf("%v\n%s", err, &out)
		}
		got := out.String()
		if strings.Contains(got, "fake") || !strings.Contains(got, "7. no signing key") {
			t.Errorf("output:\n%s", got)
		}
		assertNoSecrets(t, got, srv.APIKey)
		assertCleanedUp(t, c, srv.Seeded().Platform, "quickstart-nokey")
	})

	t.Run("with a signing key", func(t *testing.T) {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "key.pem")
		if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		srv.RegisterSigningKey("01JQUICKSTARTKEY0000000000", &key.PublicKey)
		t.Setenv("VERSORI_SIGNING_KEY_ID", "01JQUICKSTARTKEY0000000000")
		t.Setenv("VERSORI_SIGNING_KEY_FILE", file)
		var out bytes.Buffer
		if err := run(&out, options{externalID: "quickstart-key"}); err != nil {
			t.Fatalf("%v\n%s", err, &out)
		}
		got := out.String()
		if !strings.Contains(got, "7. with it, the front end acts as quickstart-key") || strings.Contains(got, "signing key \"") {
			t.Errorf("output:\n%s", got)
		}
		assertNoSecrets(t, got, srv.APIKey)
		assertCleanedUp(t, c, srv.Seeded().Platform, "quickstart-key")
	})
}

// assertNoSecrets fails if out holds any of secrets, a placeholder secret, a
// JWT, a private key or an OAuth query.
func assertNoSecrets(t *testing.T, out string, secrets ...string) {
	t.Helper()
	for _, s := range append(secrets, "not-a-real", "eyJ", "PRIVATE KEY", "state=") {
		if strings.Contains(out, s) {
			t.Errorf("output holds %q", s)
		}
	}
}

// assertCleanedUp fails if the end user, a connection of theirs, an
// activation or a signing key is left.
func assertCleanedUp(t *testing.T, c *platform.Client, seed versoritest.SeededPlatform, externalID string) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.Users.Get(ctx, platform.ExternalID(externalID)); !errors.Is(err, versori.ErrNotFound) {
		t.Errorf("end user %s: err = %v, want not found", externalID, err)
	}
	for conn, err := range c.Connections.All(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(conn.Name, externalID+" ") {
			t.Errorf("connection %q left", conn.Name)
		}
	}
	if acts, err := c.Activations.List(ctx, seed.EnvironmentID); err != nil || len(acts) != 0 {
		t.Errorf("activations left: %d (%v)", len(acts), err)
	}
	if keys, err := c.SigningKeys.List(ctx); err != nil || len(keys.Keys) != 0 {
		t.Errorf("signing keys left: %v (%v)", keys, err)
	}
}
