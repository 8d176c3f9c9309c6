// Command versori-fake runs the versoritest fake of the Versori Embedded API
// as a standalone HTTP server, so that programs not written in Go (curl
// scripts, front ends, Versori's JavaScript SDK) can be developed and tested
// against it without the network.
//
// Usage:
//
//	go run github.com/versori-go/versori/cmd/versori-fake [flags]
//
//	-addr 127.0.0.1:8950      address to listen on; only loopback unless -allow-remote
//	-allow-remote             allow a non-loopback -addr (the fake has no TLS)
//	-seed=true                seed a hub, its primary connector, integrations and templates
//	-api-key KEY              API key to accept (default versoritest.DefaultAPIKey, or a
//	                          random key with -allow-remote)
//	-signing-key-id ID        with -signing-public-key: accept end-user JWTs of this key
//	-signing-public-key FILE  PEM file with the RSA public key (or a certificate)
//	-log                      log each request to stderr
//
// The same server also serves the Platform API (v2) under <base URL>/api/v2
// and the Organisations API's signing keys under
// <base URL>/api/organisations/v1, as platform.versori.com does.
//
// On start it prints the base URLs, the API key and the seeded IDs, and a curl
// command to try. Point a client at the base URL (the Embedded API's paths,
// such as /hubs/{hubId}, sit right under it; the Platform's, such as
// /o/{org}/users, under the Platform URL) with "Authorization: Bearer <API
// key>", or "Authorization: JWT <token>" for tokens of the registered signing
// key or of a key made with the Organisations API's CreateSigningKey.
// State lives in memory and is gone when the server stops. SIGINT or SIGTERM
// shuts it down gracefully.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/versori-go/versori/versoritest"
)

// shutdownTimeout bounds how long in-flight requests may take to finish once
// a signal arrives, so that Ctrl-C never hangs on a stuck client.
const shutdownTimeout = 5 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "versori-fake:", err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "versori-fake:", err)
		os.Exit(1)
	}
}

// usageError is a mistake in the command line, reported with exit status 2
// as the flag package does.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

type options struct {
	addr          string
	allowRemote   bool
	seed          bool
	apiKey        string
	signingKeyID  string
	signingPubKey string
	logRequests   bool
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("versori-fake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8950", "`address` to listen on; loopback only unless -allow-remote")
	fs.BoolVar(&o.allowRemote, "allow-remote", false, "allow listening on a non-loopback address (plain HTTP, no TLS)")
	fs.BoolVar(&o.seed, "seed", true, "seed a hub with a primary connector, integrations and connection templates")
	fs.StringVar(&o.apiKey, "api-key", "", "API `key` to accept as \"Authorization: Bearer <key>\" (default "+versoritest.DefaultAPIKey+", or a random key with -allow-remote)")
	fs.StringVar(&o.signingKeyID, "signing-key-id", "", "signing key `ID` whose end-user JWTs to accept (needs -signing-public-key)")
	fs.StringVar(&o.signingPubKey, "signing-public-key", "", "PEM `file` with the signing key's RSA public key or certificate (needs -signing-key-id)")
	fs.BoolVar(&o.logRequests, "log", false, "log each request to stderr")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		// The flag package has already printed the error and usage.
		return o, usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return o, usageError{fmt.Sprintf("unexpected arguments: %s", strings.Join(fs.Args(), " "))}
	}
	if (o.signingKeyID == "") != (o.signingPubKey == "") {
		return o, usageError{"-signing-key-id and -signing-public-key go together"}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["api-key"] && strings.TrimSpace(o.apiKey) == "" {
		return o, usageError{"-api-key must not be empty"}
	}
	if err := checkAddr(o.addr, o.allowRemote); err != nil {
		return o, err
	}
	return o, nil
}

// checkAddr refuses addresses other machines could reach unless allowRemote:
// the fake speaks plain HTTP and anyone holding its API key can write to it.
// Only IP literals and "localhost" count as loopback, because a host name
// could resolve to anything.
func checkAddr(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usageError{fmt.Sprintf("-addr %q: %v", addr, err)}
	}
	if allowRemote || isLoopback(host) {
		return nil
	}
	what := fmt.Sprintf("%q", host)
	if host == "" {
		what = "all interfaces"
	}
	return usageError{fmt.Sprintf("-addr %q listens on %s, which is not loopback; use 127.0.0.1 or add -allow-remote", addr, what)}
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// run starts the server and serves until ctx is done, then shuts it down.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	apiKey := o.apiKey
	if apiKey == "" {
		apiKey = versoritest.DefaultAPIKey
		if o.allowRemote {
			// DefaultAPIKey is published in the SDK's source; on a reachable
			// server it would let anyone on the network in.
			apiKey = randomKey()
		}
	}
	fakeOpts := []versoritest.Option{versoritest.WithAPIKey(apiKey)}
	if !o.seed {
		fakeOpts = append(fakeOpts, versoritest.WithoutSeed())
	}
	fake := versoritest.NewFake(fakeOpts...)
	if o.signingKeyID != "" {
		pemBytes, err := os.ReadFile(o.signingPubKey)
		if err != nil {
			return fmt.Errorf("reading -signing-public-key: %w", err)
		}
		pub, err := parsePublicKey(pemBytes)
		if err != nil {
			return fmt.Errorf("-signing-public-key %s: %w", o.signingPubKey, err)
		}
		fake.RegisterSigningKey(o.signingKeyID, pub)
	}

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	var h http.Handler = fake
	if o.logRequests {
		h = logRequests(fake, stderr)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	baseURL := "http://" + ln.Addr().String()
	printBanner(stdout, baseURL, apiKey, fake.Seeded(), o.signingKeyID)

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stderr, "versori-fake: shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func randomKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return "vtest_" + hex.EncodeToString(b)
}

// printBanner tells the user, in a few lines, how to reach the fake. The
// first line ends with the base URL, which scripts (and the tests) wait for.
func printBanner(w io.Writer, baseURL, apiKey string, s versoritest.Seeded, signingKeyID string) {
	fmt.Fprintf(w, "versori-fake listening on %s\n", baseURL)
	fmt.Fprintf(w, "  API key:        %s  (Authorization: Bearer <key>)\n", apiKey)
	if signingKeyID != "" {
		fmt.Fprintf(w, "  signing key:    %s  (Authorization: JWT <token>, iss https://versori.com/sk/%s)\n", signingKeyID, signingKeyID)
	}
	fmt.Fprintf(w, "  platform API:   %s%s  (e.g. /o/%s/users)\n", baseURL, platformBasePath, s.OrganisationID)
	fmt.Fprintf(w, "  organisations:  %s%s  (e.g. /organisations/%s/keys)\n", baseURL, organisationsBasePath, s.OrganisationID)
	fmt.Fprintf(w, "  organisation:   %s\n", s.OrganisationID)
	if s.HubID == "" {
		fmt.Fprintln(w, "  not seeded: create a hub with POST /hubs")
		fmt.Fprintf(w, "  try: curl -H 'Authorization: Bearer %s' %s/o/%s/hubs\n", apiKey, baseURL, s.OrganisationID)
		return
	}
	fmt.Fprintf(w, "  hub:            %s  (primary connector %s)\n", s.HubID, s.PrimaryConnectorID)
	for _, in := range s.Integrations {
		fmt.Fprintf(w, "  integration:    %s  %q, %s\n", in.ID, in.Name, either(in.Deployed, "deployed", "not deployed"))
		for _, t := range in.Templates {
			fmt.Fprintf(w, "    template:     %s  %s (%s%s)\n", t.ID, t.Name, t.SchemeType, either(t.Primary, ", primary", ""))
		}
	}
	printPlatformSeed(w, s.Platform)
	fmt.Fprintf(w, "  try: curl -H 'Authorization: Bearer %s' %s/hubs/%s\n", apiKey, baseURL, s.HubID)
	fmt.Fprintf(w, "       curl -H 'Authorization: Bearer %s' %s%s/o/%s/projects\n", apiKey, baseURL, platformBasePath, s.OrganisationID)
}

// Where the fake serves the Platform and Organisations APIs, below the base URL.
const (
	platformBasePath      = "/api/v2"
	organisationsBasePath = "/api/organisations/v1"
)

// printPlatformSeed lists the Platform API's seeded project, environment and
// connection templates.
func printPlatformSeed(w io.Writer, p versoritest.SeededPlatform) {
	if p.ProjectID == "" {
		return
	}
	fmt.Fprintf(w, "  project:        %s  (Platform; environment %s)\n", p.ProjectID, p.EnvironmentID)
	for _, t := range p.Templates {
		scheme := t.SchemeType + either(t.GrantType != "", " "+t.GrantType, "")
		fmt.Fprintf(w, "    template:     %s  %s (%s, %s)\n", t.ID, t.Name, scheme, either(t.Dynamic, "dynamic", "static"))
	}
}

// either is yes if cond holds, else no: the banner's words for a flag.
func either(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// logRequests logs one line per request, after it is served.
func logRequests(next http.Handler, w io.Writer) http.Handler {
	var mu sync.Mutex // requests are served concurrently; w need not be safe for that
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: rw, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "%s %s %s %d %s\n", start.Format(time.TimeOnly), r.Method, r.URL.RequestURI(), sw.status, time.Since(start).Round(time.Microsecond))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Hijack passes through to the underlying writer, because the fake drops
// connections for its "drop" faults by hijacking them.
func (s *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := s.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("response writer cannot be hijacked")
	}
	return hj.Hijack()
}
