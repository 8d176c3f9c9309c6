package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/versori-go/versori/internal/testutil"
	"github.com/versori-go/versori/versoritest"
)

// TestBinary builds the command and runs it as a user would: it must print
// its URL, serve the seeded hub to the API key only, and exit 0 on SIGTERM.
func TestBinary(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("sends SIGTERM, which Windows does not have")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found:", err)
	}
	bin := filepath.Join(t.TempDir(), "versori-fake")
	build := exec.Command(goBin, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	// Port 0 lets the kernel pick a free port, with no race against other
	// tests; the banner says which one.
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	reaped := false
	t.Cleanup(func() {
		if !reaped {
			_ = cmd.Process.Kill()
			<-exited
		}
	})

	banner := make(chan map[string]string, 1)
	go func() {
		banner <- readBanner(stdout)
		_, _ = io.Copy(io.Discard, stdout)
		exited <- cmd.Wait()
	}()
	var fields map[string]string
	select {
	case fields = <-banner:
	case <-time.After(10 * time.Second):
		t.Fatalf("no banner within 10s; stderr:\n%s", stderr.String())
	}
	baseURL, hubID := fields["url"], fields["hub"]
	if !strings.HasPrefix(baseURL, "http://127.0.0.1:") || hubID == "" {
		t.Fatalf("banner: url %q, hub %q", baseURL, hubID)
	}
	if fields["key"] != versoritest.DefaultAPIKey {
		t.Errorf("API key = %q, want the default", fields["key"])
	}

	if got := status(t, http.MethodGet, baseURL+"/healthz", ""); got != http.StatusOK {
		t.Errorf("GET /healthz = %d, want 200", got)
	}
	if got := status(t, http.MethodGet, baseURL+"/hubs/"+hubID, "Bearer "+versoritest.DefaultAPIKey); got != http.StatusOK {
		t.Errorf("GET /hubs/{hub} with the API key = %d, want 200", got)
	}
	if got := status(t, http.MethodGet, baseURL+"/hubs/"+hubID, ""); got != http.StatusUnauthorized {
		t.Errorf("GET /hubs/{hub} without a key = %d, want 401", got)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		reaped = true
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("still running 5s after SIGTERM")
	}
}

// readBanner reads the banner up to its curl line and returns the base URL
// ("url"), API key ("key"), hub ID ("hub"), organisation ID ("org"), the
// Platform and Organisations base URLs ("platform", "organisations") and the
// Platform project ID ("project").
func readBanner(r io.Reader) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if u, ok := strings.CutPrefix(line, "versori-fake listening on "); ok {
			out["url"] = u
		}
		f := strings.Fields(line)
		switch {
		case len(f) >= 3 && f[0] == "API" && f[1] == "key:":
			out["key"] = f[2]
		case len(f) >= 2 && f[0] == "hub:":
			out["hub"] = f[1]
		case len(f) >= 3 && f[0] == "platform" && f[1] == "API:":
			out["platform"] = f[2]
		case len(f) >= 2 && f[0] == "organisations:":
			out["organisations"] = f[1]
		case len(f) >= 2 && f[0] == "organisation:":
			out["org"] = f[1]
		case len(f) >= 2 && f[0] == "project:":
			out["project"] = f[1]
		case len(f) >= 1 && f[0] == "try:":
			return out
		}
	}
	return out
}

// syncBuffer is a bytes.Buffer that run's goroutines can write while the
// test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startRun runs the command in-process and returns its base URL and
// stdout, stopping it (and checking it stopped cleanly) at cleanup.
func startRun(t *testing.T, args ...string) (string, *syncBuffer, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), &stdout, &stderr) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if u := readBanner(strings.NewReader(stdout.String()))["url"]; u != "" {
			return u, &stdout, &stderr
		}
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v; stderr:\n%s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatal("no banner within 5s")
	return "", nil, nil
}

// status sends a request without a body and returns its status, draining the response.
func status(t *testing.T, method, url, auth string) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// The command serves the Platform and Organisations APIs too, at the URLs its
// banner prints.
func TestRunServesPlatform(t *testing.T) {
	u, stdout, _ := startRun(t)
	b := readBanner(strings.NewReader(stdout.String()))
	if b["platform"] != u+"/api/v2" || b["organisations"] != u+"/api/organisations/v1" || b["project"] == "" {
		t.Fatalf("banner:\n%s", stdout.String())
	}
	key := "Bearer " + versoritest.DefaultAPIKey
	if got := status(t, http.MethodGet, b["platform"]+"/o/"+b["org"]+"/projects/"+b["project"], key); got != http.StatusOK {
		t.Errorf("GetProject = %d, want 200", got)
	}
	if got := status(t, http.MethodGet, b["organisations"]+"/organisations/"+b["org"]+"/keys", key); got != http.StatusOK {
		t.Errorf("ListSigningKeys = %d, want 200", got)
	}
}

func TestRunUnseededWithKeyAndLog(t *testing.T) {
	u, stdout, stderr := startRun(t, "-seed=false", "-api-key", "k-123", "-log")
	out := stdout.String()
	if !strings.Contains(out, "not seeded") || strings.Contains(out, "hub:") {
		t.Errorf("banner for an unseeded fake:\n%s", out)
	}
	orgID := strings.Fields(out[strings.Index(out, "organisation:"):])[1]
	if got := status(t, http.MethodGet, u+"/o/"+orgID+"/hubs", "Bearer k-123"); got != http.StatusOK {
		t.Errorf("ListHubs with -api-key = %d, want 200", got)
	}
	if got := status(t, http.MethodGet, u+"/o/"+orgID+"/hubs", "Bearer "+versoritest.DefaultAPIKey); got != http.StatusUnauthorized {
		t.Errorf("ListHubs with the default key = %d, want 401", got)
	}
	if log := stderr.String(); !strings.Contains(log, "GET /o/"+orgID+"/hubs 200") || !strings.Contains(log, "401") {
		t.Errorf("request log:\n%s", log)
	}
}

func TestRunAllowRemoteMakesRandomKey(t *testing.T) {
	// Still bound to loopback: the test only checks the key choice.
	_, stdout, _ := startRun(t, "-allow-remote")
	key := readBanner(strings.NewReader(stdout.String()))["key"]
	if key == "" || key == versoritest.DefaultAPIKey {
		t.Errorf("API key with -allow-remote = %q, want a random one", key)
	}
}

func writePEM(t *testing.T, typ string, der []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunAcceptsJWTsOfSigningKey(t *testing.T) {
	key := testutil.RSAKey(0)
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	u, stdout, _ := startRun(t, "-signing-key-id", "sk-1", "-signing-public-key", writePEM(t, "PUBLIC KEY", der))
	if out := stdout.String(); !strings.Contains(out, "signing key:    sk-1") {
		t.Errorf("banner does not name the signing key:\n%s", out)
	}
	hubID := readBanner(strings.NewReader(stdout.String()))["hub"]

	// Organisation tokens (no sub): an end-user token may not call GetHub.
	mint := func(iss string) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.RegisteredClaims{
			Issuer: iss, ExpiresAt: jwt.NewNumericDate(time.Now().Add(time.Minute)),
		})
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got := status(t, http.MethodGet, u+"/hubs/"+hubID, "JWT "+mint("https://versori.com/sk/sk-1")); got != http.StatusOK {
		t.Errorf("GetHub with a token of the registered key = %d, want 200", got)
	}
	if got := status(t, http.MethodGet, u+"/hubs/"+hubID, "JWT "+mint("https://versori.com/sk/sk-2")); got != http.StatusUnauthorized {
		t.Errorf("GetHub with a token of another key ID = %d, want 401", got)
	}
}

func TestParseFlagsRejects(t *testing.T) {
	pub := writePEM(t, "PUBLIC KEY", []byte("unused"))
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"all interfaces", []string{"-addr", ":8950"}, "not loopback"},
		{"LAN address", []string{"-addr", "192.168.1.10:8950"}, "not loopback"},
		{"host name", []string{"-addr", "example.com:8950"}, "not loopback"},
		{"no port", []string{"-addr", "127.0.0.1"}, "missing port"},
		{"key ID alone", []string{"-signing-key-id", "k"}, "go together"},
		{"public key alone", []string{"-signing-public-key", pub}, "go together"},
		{"empty API key", []string{"-api-key", ""}, "must not be empty"},
		{"stray argument", []string{"serve"}, "unexpected arguments"},
		{"unknown flag", []string{"-port", "1"}, "not defined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseFlags(tc.args, io.Discard)
			var ue usageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("parseFlags(%q) = %v, want a usage error containing %q", tc.args, err, tc.want)
			}
		})
	}
}

func TestParseFlagsAccepts(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"-addr", "localhost:0"},
		{"-addr", "[::1]:8950"},
		{"-addr", "127.0.0.2:8950"},
		{"-addr", ":8950", "-allow-remote"},
		{"-addr", "0.0.0.0:8950", "-allow-remote"},
	} {
		if _, err := parseFlags(args, io.Discard); err != nil {
			t.Errorf("parseFlags(%q): %v", args, err)
		}
	}
	o, err := parseFlags(nil, io.Discard)
	if err != nil || o.addr != "127.0.0.1:8950" || !o.seed {
		t.Errorf("defaults: %+v, %v", o, err)
	}
}

func TestRunReportsBadPublicKeyFile(t *testing.T) {
	err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-signing-key-id", "k", "-signing-public-key", filepath.Join(t.TempDir(), "missing.pem")}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "-signing-public-key") {
		t.Errorf("run with a missing key file = %v", err)
	}
}
