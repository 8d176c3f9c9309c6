package versori

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// RSA key generation takes a noticeable fraction of a second, so each key
// is made once per test binary.
var (
	tokKeyOnce  sync.Once
	tokRSA2048  *rsa.PrivateKey
	tokRSA1024  *rsa.PrivateKey
	tokKeyError error
)

func tokKeys(t *testing.T) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	tokKeyOnce.Do(func() {
		if tokRSA2048, tokKeyError = rsa.GenerateKey(rand.Reader, 2048); tokKeyError != nil {
			return
		}
		tokRSA1024, tokKeyError = rsa.GenerateKey(rand.Reader, 1024)
	})
	if tokKeyError != nil {
		t.Fatal(tokKeyError)
	}
	return tokRSA2048, tokRSA1024
}

const tokKeyID = "01JSK0TESTKEY"

func tokSigningKey(t *testing.T) *SigningKey {
	t.Helper()
	k, _ := tokKeys(t)
	sk, err := NewSigningKey(tokKeyID, k)
	if err != nil {
		t.Fatal(err)
	}
	return sk
}

func pemOf(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func pkcs8(t *testing.T, key any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// fakeClock is a settable clock safe for concurrent reads.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var tokEpoch = time.Date(2025, 3, 4, 10, 20, 30, 0, time.UTC)

func TestParseSigningKeyLoadsPKCS1AndPKCS8(t *testing.T) {
	k, _ := tokKeys(t)
	for name, p := range map[string][]byte{
		"PKCS#1":                pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k)),
		"PKCS#8":                pemOf("PRIVATE KEY", pkcs8(t, k)),
		"after text and a cert": append([]byte("key for acme\n"+string(pemOf("CERTIFICATE", []byte{1, 2, 3}))), pemOf("PRIVATE KEY", pkcs8(t, k))...),
		"CRLF":                  bytes.ReplaceAll(pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k)), []byte("\n"), []byte("\r\n")),
	} {
		t.Run(name, func(t *testing.T) {
			sk, err := ParseSigningKey(tokKeyID, p)
			if err != nil {
				t.Fatal(err)
			}
			if sk.KeyID() != tokKeyID || !sk.PublicKey().Equal(&k.PublicKey) {
				t.Errorf("loaded key %v does not match", sk)
			}
			if got, want := sk.Issuer(), "https://versori.com/sk/"+tokKeyID; got != want {
				t.Errorf("Issuer() = %q; want %q", got, want)
			}
		})
	}
}

func TestParseSigningKeyRejections(t *testing.T) {
	k, small := tokKeys(t)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalECPrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	legacyEncrypted := pem.EncodeToMemory(&pem.Block{
		Type:    "RSA PRIVATE KEY",
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"},
		Bytes:   x509.MarshalPKCS1PrivateKey(k)[:512],
	})
	good := pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k))

	tests := []struct {
		name, keyID string
		pem         []byte
		field, want string
	}{
		{"empty", tokKeyID, nil, "signingKey", "is empty"},
		{"blank", tokKeyID, []byte(" \n\t"), "signingKey", "is empty"},
		{"garbage", tokKeyID, []byte("not a key at all"), "signingKey", "not PEM"},
		{"bare DER", tokKeyID, x509.MarshalPKCS1PrivateKey(k), "signingKey", "not PEM"},
		{"EC SEC1", tokKeyID, pemOf("EC PRIVATE KEY", ecDER), "signingKey", `"EC PRIVATE KEY"`},
		{"EC PKCS#8", tokKeyID, pemOf("PRIVATE KEY", pkcs8(t, ec)), "signingKey", "EC (ECDSA) key"},
		{"Ed25519 PKCS#8", tokKeyID, pemOf("PRIVATE KEY", pkcs8(t, ed)), "signingKey", "Ed25519 key"},
		{"encrypted PKCS#8", tokKeyID, pemOf("ENCRYPTED PRIVATE KEY", []byte("opaque")), "signingKey", "encrypted"},
		{"encrypted PKCS#1", tokKeyID, legacyEncrypted, "signingKey", "encrypted"},
		{"1024-bit", tokKeyID, pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(small)), "signingKey", "1024 bits"},
		{"public key only", tokKeyID, pemOf("PUBLIC KEY", pubDER), "signingKey", `no private key (found "PUBLIC KEY")`},
		{"corrupt PKCS#1", tokKeyID, pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k)[:700]), "signingKey", "not a valid PKCS#1"},
		{"corrupt PKCS#8", tokKeyID, pemOf("PRIVATE KEY", pkcs8(t, k)[:700]), "signingKey", "not a valid PKCS#8"},
		{"two keys", tokKeyID, append(append([]byte{}, good...), good...), "signingKey", "more than one"},
		{"no key ID", "", good, "keyID", "is required"},
		{"key ID with slash", "a/b", good, "keyID", "must not contain"},
		{"key ID with space", "a b", good, "keyID", "must not contain"},
	}
	secrets := tokSecrets(k)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sk, err := ParseSigningKey(tc.keyID, tc.pem)
			if err == nil {
				t.Fatalf("ParseSigningKey = %v; want an error", sk)
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != tc.field || !errors.Is(err, ErrValidation) {
				t.Fatalf("error %v (%T); want a ValidationError for %s", err, err, tc.field)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q; want it to mention %q", err, tc.want)
			}
			tokAssertNoSecret(t, err.Error(), secrets)
		})
	}
}

func TestNewSigningKeyRejections(t *testing.T) {
	_, small := tokKeys(t)
	for name, key := range map[string]*rsa.PrivateKey{"nil": nil, "empty": {}, "1024-bit": small} {
		if _, err := NewSigningKey(tokKeyID, key); !errors.Is(err, ErrValidation) {
			t.Errorf("%s: err = %v; want a validation error", name, err)
		}
	}
	var zero SigningKey
	if _, err := zero.MintToken(); err == nil {
		t.Error("minting with a zero SigningKey succeeded")
	}
	if _, err := zero.TokenSource(); err == nil {
		t.Error("a zero SigningKey made a token source")
	}
}

// tokParse verifies a minted token the way Versori would: RS256 only, with
// the public key, at the given time.
func tokParse(t *testing.T, sk *SigningKey, value string, at time.Time) (*jwt.Token, jwt.MapClaims) {
	t.Helper()
	claims := jwt.MapClaims{}
	tok, err := jwt.ParseWithClaims(value, claims,
		func(*jwt.Token) (any, error) { return sk.PublicKey(), nil },
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithTimeFunc(func() time.Time { return at }),
		jwt.WithIssuer(sk.Issuer()),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
	)
	if err != nil {
		t.Fatalf("minted token does not verify: %v", err)
	}
	return tok, claims
}

func TestMintUserToken(t *testing.T) {
	sk := tokSigningKey(t)
	now := tokEpoch.Add(700 * time.Millisecond) // JWT times are whole seconds
	tok, err := sk.MintUserToken("acme-42", WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	if want := tokEpoch.Add(DefaultTokenTTL); !tok.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt = %v; want %v", tok.ExpiresAt, want)
	}
	parsed, claims := tokParse(t, sk, tok.Value, now)
	if parsed.Header["alg"] != "RS256" || parsed.Header["kid"] != tokKeyID {
		t.Errorf("header = %v; want alg RS256 and kid %s", parsed.Header, tokKeyID)
	}
	want := map[string]any{
		"iss": "https://versori.com/sk/" + tokKeyID,
		"sub": "acme-42",
		"iat": float64(tokEpoch.Unix()),
		"nbf": float64(tokEpoch.Add(-notBeforeSkew).Unix()),
		"exp": float64(tokEpoch.Add(DefaultTokenTTL).Unix()),
	}
	if len(claims) != len(want) {
		t.Errorf("claims = %v; want exactly %v", claims, want)
	}
	for name, v := range want {
		if claims[name] != v {
			t.Errorf("claim %s = %v; want %v", name, claims[name], v)
		}
	}

	// Versori must refuse it once expired, and it must not be accepted
	// with another algorithm's verifier.
	_, err = jwt.Parse(tok.Value, func(*jwt.Token) (any, error) { return sk.PublicKey(), nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(func() time.Time { return tok.ExpiresAt.Add(time.Second) }))
	if !errors.Is(err, jwt.ErrTokenExpired) {
		t.Errorf("parsing after exp: err = %v; want ErrTokenExpired", err)
	}
	_, err = jwt.Parse(tok.Value, func(*jwt.Token) (any, error) { return []byte("k"), nil }, jwt.WithValidMethods([]string{"HS256"}))
	if err == nil {
		t.Error("token verified as HS256")
	}

	if _, err := sk.MintUserToken(""); !tokIsFieldError(err, "userID") {
		t.Errorf("empty user ID: err = %v; want a ValidationError for userID", err)
	}
}

func TestMintTokenHasNoSubject(t *testing.T) {
	sk := tokSigningKey(t)
	tok, err := sk.MintToken()
	if err != nil {
		t.Fatal(err)
	}
	_, claims := tokParse(t, sk, tok.Value, time.Now())
	if _, ok := claims["sub"]; ok {
		t.Errorf("organisation token has sub: %v", claims)
	}
}

func TestTokenTTL(t *testing.T) {
	sk := tokSigningKey(t)
	clock := func() time.Time { return tokEpoch }
	for _, ttl := range []time.Duration{time.Second, time.Hour, MaxTokenTTL} {
		tok, err := sk.MintUserToken("u", WithClock(clock), WithTTL(ttl))
		if err != nil {
			t.Errorf("WithTTL(%v): %v", ttl, err)
			continue
		}
		if !tok.ExpiresAt.Equal(tokEpoch.Add(ttl)) {
			t.Errorf("WithTTL(%v): ExpiresAt = %v", ttl, tok.ExpiresAt)
		}
		_, claims := tokParse(t, sk, tok.Value, tokEpoch)
		if claims["exp"] != float64(tokEpoch.Add(ttl).Unix()) {
			t.Errorf("WithTTL(%v): exp = %v", ttl, claims["exp"])
		}
	}
	for _, ttl := range []time.Duration{0, -time.Minute, MaxTokenTTL + time.Second} {
		if _, err := sk.MintUserToken("u", WithTTL(ttl)); !tokIsFieldError(err, "ttl") {
			t.Errorf("MintUserToken WithTTL(%v): err = %v; want a ValidationError for ttl", ttl, err)
		}
		if _, err := sk.MintToken(WithTTL(ttl)); !tokIsFieldError(err, "ttl") {
			t.Errorf("MintToken WithTTL(%v): err = %v; want a ValidationError for ttl", ttl, err)
		}
		if _, err := sk.UserTokenSource("u", WithTTL(ttl)); !tokIsFieldError(err, "ttl") {
			t.Errorf("UserTokenSource WithTTL(%v): err = %v; want a ValidationError for ttl", ttl, err)
		}
	}
	if _, err := sk.UserTokenSource(""); !tokIsFieldError(err, "userID") {
		t.Errorf("UserTokenSource(\"\"): err = %v; want a ValidationError for userID", err)
	}
}

func TestTokenSourceCachesAndRefreshes(t *testing.T) {
	sk := tokSigningKey(t)
	clock := &fakeClock{t: tokEpoch}
	ts, err := sk.UserTokenSource("acme-42", WithClock(clock.Now), WithTTL(10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	src := ts.(*cachingSource)
	var mints atomic.Int32
	mint := src.mint
	src.mint = func(now time.Time) (Token, error) { mints.Add(1); return mint(now) }
	ctx := context.Background()

	first, err := ts.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, claims := tokParse(t, sk, first.Value, clock.Now())
	if claims["sub"] != "acme-42" {
		t.Errorf("sub = %v", claims["sub"])
	}

	// Margin is min(1 min, TTL/10) = 1 min: reused until 9 min have passed.
	clock.Advance(9*time.Minute - time.Second)
	again, err := ts.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again.Value != first.Value || mints.Load() != 1 {
		t.Errorf("token re-minted with %v of its life left", first.ExpiresAt.Sub(clock.Now()))
	}

	clock.Advance(time.Second)
	fresh, err := ts.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Value == first.Value || mints.Load() != 2 {
		t.Error("token not refreshed one minute before expiry")
	}
	if want := tokEpoch.Add(19 * time.Minute); !fresh.ExpiresAt.Equal(want) {
		t.Errorf("refreshed ExpiresAt = %v; want %v", fresh.ExpiresAt, want)
	}
	tokParse(t, sk, fresh.Value, clock.Now())

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := ts.Token(canceled); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: err = %v", err)
	}
}

func TestTokenSourceShortTTLMargin(t *testing.T) {
	sk := tokSigningKey(t)
	clock := &fakeClock{t: tokEpoch}
	ts, err := sk.TokenSource(WithClock(clock.Now), WithTTL(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	first, _ := ts.Token(context.Background())
	clock.Advance(26 * time.Second) // margin is 3 s, a tenth of the TTL
	if tok, _ := ts.Token(context.Background()); tok.Value != first.Value {
		t.Error("a 30 s token was refreshed with 4 s left; the margin should be 3 s")
	}
	clock.Advance(time.Second)
	if tok, _ := ts.Token(context.Background()); tok.Value == first.Value {
		t.Error("a 30 s token was not refreshed with 3 s left")
	}
}

func TestTokenSourceConcurrent(t *testing.T) {
	sk := tokSigningKey(t)
	clock := &fakeClock{t: tokEpoch}
	ts, err := sk.UserTokenSource("acme-42", WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	src := ts.(*cachingSource)
	var mints atomic.Int32
	mint := src.mint
	src.mint = func(now time.Time) (Token, error) {
		mints.Add(1)
		time.Sleep(5 * time.Millisecond) // widen the window for a second refresh to slip in
		return mint(now)
	}

	for round := 1; round <= 3; round++ {
		var wg sync.WaitGroup
		values := make([]string, 50)
		errs := make([]error, 50)
		for i := range values {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tok, err := ts.Token(context.Background())
				values[i], errs[i] = tok.Value, err
			}()
		}
		wg.Wait()
		for i := range values {
			if errs[i] != nil || values[i] != values[0] {
				t.Fatalf("round %d: goroutine %d got err %v or a different token", round, i, errs[i])
			}
		}
		if got := mints.Load(); got != int32(round) {
			t.Fatalf("round %d: %d mints; want one per expiry", round, got)
		}
		tokParse(t, sk, values[0], clock.Now())
		clock.Advance(DefaultTokenTTL) // expire it, so the next round refreshes
	}
}

func TestWithTokenSourceSendsJWT(t *testing.T) {
	sk := tokSigningKey(t)
	var (
		mu   sync.Mutex
		seen []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"message":"ok"}`)
	}))
	defer srv.Close()

	ts, err := sk.UserTokenSource("acme-42")
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(WithBaseURL(srv.URL), WithTokenSource(ts))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := c.HealthCheck(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	want, _ := ts.Token(context.Background())
	if len(seen) != 2 || seen[0] != "JWT "+want.Value || seen[1] != seen[0] {
		t.Fatalf("Authorization headers = %q; want the cached token twice as \"JWT <token>\"", seen)
	}
	_, claims := tokParse(t, sk, strings.TrimPrefix(seen[0], "JWT "), time.Now())
	if claims["sub"] != "acme-42" {
		t.Errorf("sub = %v", claims["sub"])
	}

	if _, err := NewClient(WithTokenSource(nil)); !tokIsFieldError(err, "tokenSource") {
		t.Errorf("WithTokenSource(nil): err = %v", err)
	}
}

// tokFailingSource fails with an error of its own, or returns an empty token.
type tokFailingSource struct{ err error }

func (s tokFailingSource) Token(context.Context) (Token, error) { return Token{}, s.err }

func TestWithTokenSourceErrors(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	defer srv.Close()
	boom := errors.New("vault unreachable")
	for _, tc := range []struct {
		src  TokenSource
		want string
	}{
		{tokFailingSource{boom}, "vault unreachable"},
		{tokFailingSource{}, "empty token"},
	} {
		c, err := NewClient(WithBaseURL(srv.URL), WithTokenSource(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.HealthCheck(context.Background(), WithMaxRetries(0))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "token source") {
			t.Errorf("err = %v; want a token source error mentioning %q", err, tc.want)
		}
		if tc.src.(tokFailingSource).err != nil && !errors.Is(err, boom) {
			t.Errorf("err = %v does not wrap the source's error", err)
		}
	}
	if calls.Load() != 0 {
		t.Errorf("%d requests sent without a token", calls.Load())
	}
}

// tokSecrets lists text that must never be printed: the key's PEM bodies,
// its private exponent and primes in several bases.
func tokSecrets(k *rsa.PrivateKey) []string {
	var s []string
	for _, der := range [][]byte{x509.MarshalPKCS1PrivateKey(k)} {
		b64 := base64.StdEncoding.EncodeToString(der)
		s = append(s, b64[100:164], b64[len(b64)-200:len(b64)-136])
	}
	if der, err := x509.MarshalPKCS8PrivateKey(k); err == nil {
		b64 := base64.StdEncoding.EncodeToString(der)
		s = append(s, b64[len(b64)-200:len(b64)-136])
	}
	for _, n := range append([]*big.Int{k.D}, k.Primes...) {
		s = append(s, n.String()[:40], n.Text(16)[:40], fmt.Sprintf("%x", n.Bytes()[:20]))
	}
	return s
}

func tokAssertNoSecret(t *testing.T, out string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(strings.ToLower(out), strings.ToLower(s)) {
			t.Fatalf("output leaks a secret (%q…):\n%s", s[:12], out)
		}
	}
}

func tokIsFieldError(err error, field string) bool {
	var ve *ValidationError
	return errors.As(err, &ve) && ve.Field == field && errors.Is(err, ErrValidation)
}

func TestSecretsStayOutOfTokenOutput(t *testing.T) {
	k, _ := tokKeys(t)
	sk, err := ParseSigningKey(tokKeyID, pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k)))
	if err != nil {
		t.Fatal(err)
	}
	ts, err := sk.UserTokenSource("acme-42")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := ts.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	secrets := tokSecrets(k)
	parts := strings.Split(tok.Value, ".")
	secrets = append(secrets, tok.Value, parts[1], parts[2])

	type holder struct {
		key *SigningKey
		src TokenSource
	}
	values := []any{sk, *sk, tok, &tok, ts, holder{sk, ts}, []any{sk, tok}, map[string]any{"k": sk, "t": tok}}
	var out strings.Builder
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		for _, v := range values {
			fmt.Fprintf(&out, verb+"\n", v)
		}
	}
	for _, h := range []slog.Handler{slog.NewTextHandler(&out, nil), slog.NewJSONHandler(&out, nil)} {
		slog.New(h).Info("minted", "key", sk, "token", tok, "source", ts, "group", slog.GroupValue(slog.Any("k", sk), slog.Any("t", tok)))
	}
	tokAssertNoSecret(t, out.String(), secrets)
	for _, want := range []string{tokKeyID, "SHA256:", "[REDACTED]"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if got := fmt.Sprintf("%v", sk); got != fmt.Sprintf(`versori.SigningKey{KeyID: %q, Fingerprint: %q}`, tokKeyID, sk.fingerprint()) {
		t.Errorf("%%v of a SigningKey = %s", got)
	}
	if got := fmt.Sprintf("%+v", tok); !strings.Contains(got, "Value:[REDACTED]") || !strings.Contains(got, "ExpiresAt:") {
		t.Errorf("%%+v of a Token = %s", got)
	}
	if got := fmt.Sprintf("%v", Token{}); strings.Contains(got, "REDACTED") {
		t.Errorf("an empty token printed as set: %s", got)
	}
}
