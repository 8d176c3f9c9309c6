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
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/versori-go/versori/internal/testutil"
)

// tokShortKey is a 1024-bit key, too short to accept, made once per test
// binary: RSA key generation is slow (seconds under -race).
var tokShortKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 1024) })

// tokRSA returns a 2048-bit key and a 1024-bit one, too short to accept.
func tokRSA(t *testing.T) (good, short *rsa.PrivateKey) {
	t.Helper()
	short, err := tokShortKey()
	require.NoError(t, err)
	return testutil.RSAKey(0), short
}

const tokKeyID = "01JSK0TESTKEY"

var tokEpoch = time.Date(2025, 3, 4, 10, 20, 30, 0, time.UTC)

// tokSigningKey returns a key whose clock is clock (time.Now when nil).
func tokSigningKey(t *testing.T, clock func() time.Time) *SigningKey {
	t.Helper()
	k, _ := tokRSA(t)
	sk, err := NewSigningKey(tokKeyID, k)
	require.NoError(t, err)
	sk.now = clock
	return sk
}

func pemOf(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func pkcs8(t *testing.T, key any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return der
}

// tokClock is a settable clock, safe for concurrent use.
type tokClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *tokClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *tokClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// tokParse verifies a minted token the way Versori does: RS256 only, with
// the public key, its issuer, at the given time.
func tokParse(t *testing.T, sk *SigningKey, value Secret, at time.Time) (*jwt.Token, jwt.MapClaims) {
	t.Helper()
	claims := jwt.MapClaims{}
	tok, err := jwt.ParseWithClaims(value.Reveal(), claims,
		func(*jwt.Token) (any, error) { return sk.PublicKey(), nil },
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithTimeFunc(func() time.Time { return at }),
		jwt.WithIssuer(sk.Issuer()),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
	)
	require.NoError(t, err, "the minted token does not verify")
	return tok, claims
}

// tokIsFieldError reports whether err is a *ValidationError for field.
func tokIsFieldError(err error, field string) bool {
	var ve *ValidationError
	return errors.As(err, &ve) && ve.Field == field && errors.Is(err, ErrValidation)
}

func TestParseSigningKeyLoadsPKCS1AndPKCS8(t *testing.T) {
	t.Parallel()
	k, _ := tokRSA(t)
	for name, p := range map[string][]byte{
		"PKCS#1":                pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k)),
		"PKCS#8":                pemOf("PRIVATE KEY", pkcs8(t, k)),
		"after text and a cert": append([]byte("key for acme\n"+string(pemOf("CERTIFICATE", []byte{1, 2, 3}))), pemOf("PRIVATE KEY", pkcs8(t, k))...),
		"CRLF":                  bytes.ReplaceAll(pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k)), []byte("\n"), []byte("\r\n")),
	} {
		t.Run(name, func(t *testing.T) {
			sk, err := ParseSigningKey(tokKeyID, p)
			require.NoError(t, err)
			assert.Equal(t, tokKeyID, sk.KeyID())
			assert.True(t, sk.PublicKey().Equal(&k.PublicKey))
			assert.Equal(t, "https://versori.com/sk/"+tokKeyID, sk.Issuer())
		})
	}
}

func TestParseSigningKeyRejections(t *testing.T) {
	t.Parallel()
	k, small := tokRSA(t)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ecDER, err := x509.MarshalECPrivateKey(ec)
	require.NoError(t, err)
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	pubDER, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	require.NoError(t, err)
	legacyEncrypted := pem.EncodeToMemory(&pem.Block{
		Type:    "RSA PRIVATE KEY",
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"},
		Bytes:   x509.MarshalPKCS1PrivateKey(k)[:512],
	})
	good := pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k))
	secrets := tokSecrets(k)

	for _, tc := range []struct {
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
		{"key ID with query", "a?b", good, "keyID", "must not contain"},
		{"key ID with control", "a\x00b", good, "keyID", "must not contain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sk, err := ParseSigningKey(tc.keyID, tc.pem)
			require.Error(t, err, "got %v", sk)
			assert.True(t, tokIsFieldError(err, tc.field), "error %v (%T); want a ValidationError for %s", err, err, tc.field)
			assert.Contains(t, err.Error(), tc.want)
			tokAssertNoSecret(t, err.Error(), secrets)
		})
	}
}

func TestNewSigningKeyRejections(t *testing.T) {
	t.Parallel()
	k, small := tokRSA(t)
	for name, key := range map[string]*rsa.PrivateKey{"nil": nil, "empty": {}, "1024-bit": small} {
		_, err := NewSigningKey(tokKeyID, key)
		assert.True(t, tokIsFieldError(err, "signingKey"), "%s: %v", name, err)
	}
	inconsistent := *k
	inconsistent.D = new(big.Int).Add(k.D, big.NewInt(2))
	_, err := NewSigningKey(tokKeyID, &inconsistent)
	assert.True(t, tokIsFieldError(err, "signingKey"), "an inconsistent key: %v", err)

	// A zero or nil SigningKey refuses to mint, and says how to get one.
	for _, sk := range []*SigningKey{{}, nil} {
		_, err := sk.MintToken(0)
		assert.True(t, tokIsFieldError(err, "signingKey"), "%v", err)
		_, err = sk.MintUserToken(ExternalUser("u"), 0)
		assert.True(t, tokIsFieldError(err, "signingKey"), "%v", err)
		_, err = sk.TokenSource(0)
		assert.True(t, tokIsFieldError(err, "signingKey"), "%v", err)
		_, err = sk.UserTokenSource(ExternalUser("u"), 0)
		assert.True(t, tokIsFieldError(err, "signingKey"), "%v", err)
		assert.NotPanics(t, func() { _ = fmt.Sprintf("%v %+v", sk, sk); slog.New(slog.DiscardHandler).Info("k", "k", sk) })
	}
}

// TestMintUserToken: a user token is RS256 with no kid (Versori names the
// key by iss, as in all its examples), is issued
// by https://versori.com/sk/<key ID>, has the end user's EXTERNAL ID as
// its subject, and iat, nbf (backdated) and exp in whole seconds.
func TestMintUserToken(t *testing.T) {
	t.Parallel()
	now := tokEpoch.Add(700 * time.Millisecond) // JWT times are whole seconds
	sk := tokSigningKey(t, func() time.Time { return now })
	user := EndUser{ID: "01JUSERINTERNALULID0000000", ExternalID: "acme-42", HubID: "01HUB"}
	tok, err := sk.MintUserToken(user.Ref(), 0)
	require.NoError(t, err)
	assert.Equal(t, tokEpoch.Add(DefaultTokenTTL), tok.ExpiresAt, "TTL 0 is DefaultTokenTTL; ExpiresAt is the exp claim")

	parsed, claims := tokParse(t, sk, tok.Value, now)
	assert.Equal(t, "RS256", parsed.Header["alg"])
	assert.NotContains(t, parsed.Header, "kid")
	assert.Equal(t, jwt.MapClaims{
		"iss": "https://versori.com/sk/" + tokKeyID,
		"sub": "acme-42",
		"iat": float64(tokEpoch.Unix()),
		"nbf": float64(tokEpoch.Add(-notBeforeSkew).Unix()),
		"exp": float64(tokEpoch.Add(DefaultTokenTTL).Unix()),
	}, claims)

	// The subject is the external ID however the user is named.
	for _, ref := range []UserRef{ExternalUser("acme-42"), EndUserSummary{ID: user.ID, ExternalID: "acme-42"}.Ref()} {
		tok, err := sk.MintUserToken(ref, 0)
		require.NoError(t, err)
		_, claims := tokParse(t, sk, tok.Value, now)
		assert.Equal(t, "acme-42", claims["sub"], "%v", ref)
	}

	// Versori refuses it once expired, and under another algorithm.
	_, err = jwt.Parse(tok.Value.Reveal(), func(*jwt.Token) (any, error) { return sk.PublicKey(), nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(func() time.Time { return tok.ExpiresAt.Add(time.Second) }))
	assert.ErrorIs(t, err, jwt.ErrTokenExpired)
	_, err = jwt.Parse(tok.Value.Reveal(), func(*jwt.Token) (any, error) { return []byte("k"), nil }, jwt.WithValidMethods([]string{"HS256"}))
	assert.Error(t, err, "verified as HS256")
}

// TestUserTokensRefuseInternalUsers: Versori reads sub as an external ID,
// so a token for an InternalUser would act for another user, or none.
func TestUserTokensRefuseInternalUsers(t *testing.T) {
	t.Parallel()
	sk := tokSigningKey(t, nil)
	for _, tc := range []struct {
		user   UserRef
		reason string
	}{
		{InternalUser("01JUSERINTERNALULID0000000"), "is an InternalUser: a token's subject is the end user's external ID"},
		{ExternalUser(""), "is required"},
		{ExternalUser(" \t"), "is required"},
		{UserRef{}, "is required"},
	} {
		tok, err := sk.MintUserToken(tc.user, 0)
		assert.True(t, tokIsFieldError(err, "user"), "MintUserToken(%v): %v", tc.user, err)
		if err != nil {
			assert.Contains(t, err.Error(), tc.reason)
		}
		assert.Empty(t, tok.Value)
		ts, err := sk.UserTokenSource(tc.user, 0)
		assert.True(t, tokIsFieldError(err, "user"), "UserTokenSource(%v): %v", tc.user, err)
		assert.Nil(t, ts)
	}
}

func TestMintTokenHasNoSubject(t *testing.T) {
	t.Parallel()
	sk := tokSigningKey(t, nil)
	tok, err := sk.MintToken(0)
	require.NoError(t, err)
	_, claims := tokParse(t, sk, tok.Value, time.Now())
	assert.NotContains(t, claims, "sub")
	assert.Equal(t, sk.Issuer(), claims["iss"])
}

// TestTokenTTL: 0 is DefaultTokenTTL; up to MaxTokenTTL is taken as it is;
// a negative TTL or one over MaxTokenTTL is refused, by every constructor.
func TestTokenTTL(t *testing.T) {
	t.Parallel()
	sk := tokSigningKey(t, func() time.Time { return tokEpoch })
	for _, tc := range []struct{ ttl, want time.Duration }{
		{0, DefaultTokenTTL}, {time.Second, time.Second}, {time.Hour, time.Hour}, {MaxTokenTTL, MaxTokenTTL},
	} {
		for name, mint := range map[string]func() (Token, error){
			"MintUserToken": func() (Token, error) { return sk.MintUserToken(ExternalUser("u"), tc.ttl) },
			"MintToken":     func() (Token, error) { return sk.MintToken(tc.ttl) },
			"UserTokenSource": func() (Token, error) {
				ts, err := sk.UserTokenSource(ExternalUser("u"), tc.ttl)
				if err != nil {
					return Token{}, err
				}
				return ts.Token(context.Background())
			},
			"TokenSource": func() (Token, error) {
				ts, err := sk.TokenSource(tc.ttl)
				if err != nil {
					return Token{}, err
				}
				return ts.Token(context.Background())
			},
		} {
			tok, err := mint()
			require.NoError(t, err, "%s(%v)", name, tc.ttl)
			assert.Equal(t, tokEpoch.Add(tc.want), tok.ExpiresAt, "%s(%v)", name, tc.ttl)
			_, claims := tokParse(t, sk, tok.Value, tokEpoch)
			assert.Equal(t, float64(tokEpoch.Add(tc.want).Unix()), claims["exp"], "%s(%v)", name, tc.ttl)
		}
	}
	for _, ttl := range []time.Duration{-time.Nanosecond, -time.Minute, MaxTokenTTL + time.Nanosecond, 1 << 62} {
		_, err := sk.MintUserToken(ExternalUser("u"), ttl)
		assert.True(t, tokIsFieldError(err, "ttl"), "MintUserToken(%v): %v", ttl, err)
		_, err = sk.MintToken(ttl)
		assert.True(t, tokIsFieldError(err, "ttl"), "MintToken(%v): %v", ttl, err)
		_, err = sk.UserTokenSource(ExternalUser("u"), ttl)
		assert.True(t, tokIsFieldError(err, "ttl"), "UserTokenSource(%v): %v", ttl, err)
		_, err = sk.TokenSource(ttl)
		assert.True(t, tokIsFieldError(err, "ttl"), "TokenSource(%v): %v", ttl, err)
	}
}

// tokCountMints wraps a caching source's mint to count its calls, after a
// delay that widens the window for a second refresh to slip in.
func tokCountMints(t *testing.T, ts TokenSource, delay time.Duration) *atomic.Int32 {
	t.Helper()
	src, ok := ts.(*cachingSource)
	require.True(t, ok, "%T", ts)
	var n atomic.Int32
	mint := src.mint
	src.mint = func(now time.Time) (Token, error) {
		n.Add(1)
		time.Sleep(delay)
		return mint(now)
	}
	return &n
}

// TestTokenSourceCachesAndRefreshes: a token is reused until a margin of
// min(1 minute, TTL/10) before it expires, then replaced.
func TestTokenSourceCachesAndRefreshes(t *testing.T) {
	t.Parallel()
	clock := &tokClock{t: tokEpoch}
	sk := tokSigningKey(t, clock.Now)
	ts, err := sk.UserTokenSource(ExternalUser("acme-42"), 10*time.Minute)
	require.NoError(t, err)
	mints := tokCountMints(t, ts, 0)
	ctx := context.Background()

	first, err := ts.Token(ctx)
	require.NoError(t, err)
	_, claims := tokParse(t, sk, first.Value, clock.Now())
	assert.Equal(t, "acme-42", claims["sub"])

	clock.Advance(9*time.Minute - time.Second)
	again, err := ts.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, first, again, "re-minted with %v of its life left", first.ExpiresAt.Sub(clock.Now()))
	assert.Equal(t, int32(1), mints.Load())

	clock.Advance(time.Second) // one minute left: the margin
	fresh, err := ts.Token(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, first.Value, fresh.Value, "not refreshed one minute before expiry")
	assert.Equal(t, int32(2), mints.Load())
	assert.Equal(t, tokEpoch.Add(19*time.Minute), fresh.ExpiresAt)
	_, claims = tokParse(t, sk, fresh.Value, clock.Now())
	assert.Equal(t, "acme-42", claims["sub"])

	// Past expiry (a machine asleep), a fresh token, never the dead one.
	clock.Advance(time.Hour)
	late, err := ts.Token(ctx)
	require.NoError(t, err)
	assert.True(t, late.ExpiresAt.After(clock.Now()))

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = ts.Token(canceled)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, int32(3), mints.Load(), "a canceled call mints nothing")
}

func TestTokenSourceShortTTLMargin(t *testing.T) {
	t.Parallel()
	clock := &tokClock{t: tokEpoch}
	sk := tokSigningKey(t, clock.Now)
	ts, err := sk.TokenSource(30 * time.Second)
	require.NoError(t, err)
	first, err := ts.Token(context.Background())
	require.NoError(t, err)
	clock.Advance(26 * time.Second) // the margin is 3 s, a tenth of the TTL
	tok, err := ts.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, first.Value, tok.Value, "a 30 s token was refreshed with 4 s left")
	clock.Advance(time.Second)
	tok, err = ts.Token(context.Background())
	require.NoError(t, err)
	assert.NotEqual(t, first.Value, tok.Value, "a 30 s token was not refreshed with 3 s left")
}

// TestTokenSourceConcurrent: callers arriving together share one refresh,
// and minting is safe from many goroutines (run with -race).
func TestTokenSourceConcurrent(t *testing.T) {
	t.Parallel()
	clock := &tokClock{t: tokEpoch}
	sk := tokSigningKey(t, clock.Now)
	ts, err := sk.UserTokenSource(ExternalUser("acme-42"), 0)
	require.NoError(t, err)
	mints := tokCountMints(t, ts, 5*time.Millisecond)

	for round := 1; round <= 3; round++ {
		var wg sync.WaitGroup
		values := make([]Secret, 32)
		errs := make([]error, len(values))
		for i := range values {
			wg.Go(func() {
				tok, err := ts.Token(context.Background())
				// Direct mints on the same key, at the same time.
				_, err2 := sk.MintUserToken(ExternalUser(fmt.Sprint("user-", i)), time.Minute)
				values[i], errs[i] = tok.Value, errors.Join(err, err2)
			})
		}
		wg.Wait()
		for i := range values {
			require.NoError(t, errs[i])
			require.Equal(t, values[0], values[i], "round %d: goroutine %d got another token", round, i)
		}
		assert.Equal(t, int32(round), mints.Load(), "round %d: one mint per expiry", round)
		tokParse(t, sk, values[0], clock.Now())
		clock.Advance(DefaultTokenTTL) // expire it, so the next round refreshes
	}
}

// TestWithTokenSourceSendsJWT: a client with a token source sends
// "Authorization: JWT <token>", the cached token while it lasts.
func TestWithTokenSourceSendsJWT(t *testing.T) {
	t.Parallel()
	sk := tokSigningKey(t, nil)
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

	ts, err := sk.UserTokenSource(ExternalUser("acme-42"), 0)
	require.NoError(t, err)
	c, err := NewClient(WithBaseURL(srv.URL), WithTokenSource(ts))
	require.NoError(t, err)
	for range 2 {
		_, err := c.HealthCheck(context.Background())
		require.NoError(t, err)
	}
	want, err := ts.Token(context.Background())
	require.NoError(t, err)
	require.Len(t, seen, 2)
	assert.Equal(t, "JWT "+want.Value.Reveal(), seen[0])
	assert.Equal(t, seen[0], seen[1], "the cached token")
	_, claims := tokParse(t, sk, NewSecret(strings.TrimPrefix(seen[0], "JWT ")), time.Now())
	assert.Equal(t, "acme-42", claims["sub"])

	_, err = NewClient(WithTokenSource(nil))
	assert.True(t, tokIsFieldError(err, "tokenSource"), "%v", err)
	_, err = NewClient(WithTokenSource((*cachingSource)(nil)))
	assert.True(t, tokIsFieldError(err, "tokenSource"), "a typed nil: %v", err)
}

// tokFailingSource fails with its error, or gives an empty token.
type tokFailingSource struct{ err error }

func (s tokFailingSource) Token(context.Context) (Token, error) { return Token{}, s.err }

// TestWithTokenSourceErrors: a source that fails stops the call before
// anything is sent, with its error wrapped.
func TestWithTokenSourceErrors(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls.Add(1) }))
	defer srv.Close()
	boom := errors.New("vault unreachable")
	for _, tc := range []struct {
		src  TokenSource
		want string
	}{
		{tokFailingSource{boom}, "vault unreachable"},
		{tokFailingSource{}, "token is empty"},
	} {
		c, err := NewClient(WithBaseURL(srv.URL), WithTokenSource(tc.src))
		require.NoError(t, err)
		_, err = c.HealthCheck(context.Background())
		require.Error(t, err)
		assert.Contains(t, err.Error(), tc.want)
		assert.Contains(t, err.Error(), "getting a token")
		assert.ErrorIs(t, err, ErrNotSent)
		var te *TransportError
		assert.ErrorAs(t, err, &te)
		if tc.src.(tokFailingSource).err != nil {
			assert.ErrorIs(t, err, boom)
		}
	}
	assert.Zero(t, calls.Load(), "requests sent without a token")
}

// tokSecrets lists text that must never be printed: pieces of the key's
// DER (as in its PEM), and its private exponent and primes in several bases.
func tokSecrets(k *rsa.PrivateKey) []string {
	var s []string
	b64 := base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PrivateKey(k))
	s = append(s, b64[100:164], b64[len(b64)-200:len(b64)-136])
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

// TestSecretsStayOutOfTokenOutput: a key, a token and a source print and
// log their identity (key ID, fingerprint, expiry), never key material or
// the token.
func TestSecretsStayOutOfTokenOutput(t *testing.T) {
	t.Parallel()
	k, _ := tokRSA(t)
	sk, err := ParseSigningKey(tokKeyID, pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k)))
	require.NoError(t, err)
	ts, err := sk.UserTokenSource(ExternalUser("acme-42"), 0)
	require.NoError(t, err)
	tok, err := ts.Token(context.Background())
	require.NoError(t, err)
	secrets := tokSecrets(k)
	parts := strings.Split(tok.Value.Reveal(), ".")
	secrets = append(secrets, tok.Value.Reveal(), parts[1], parts[2])

	type holder struct {
		Key *SigningKey
		Src TokenSource
		Tok Token
	}
	values := []any{sk, *sk, tok, &tok, ts, holder{sk, ts, tok}, &holder{sk, ts, tok}, []any{sk, tok}, map[string]any{"k": sk, "t": tok}}
	var out strings.Builder
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10v"} {
		for _, v := range values {
			fmt.Fprintf(&out, verb+"\n", v)
		}
	}
	for _, h := range []slog.Handler{slog.NewTextHandler(&out, nil), slog.NewJSONHandler(&out, nil)} {
		slog.New(h).Info("minted", "key", sk, "token", tok, "source", ts, "group", slog.GroupValue(slog.Any("k", sk), slog.Any("t", tok)))
	}
	tokAssertNoSecret(t, out.String(), secrets)
	for _, want := range []string{tokKeyID, "SHA256:", "[REDACTED]"} {
		assert.Contains(t, out.String(), want)
	}
	assert.Equal(t, fmt.Sprintf(`versori.SigningKey{KeyID: %q, Fingerprint: %q}`, tokKeyID, sk.fingerprint()), fmt.Sprintf("%v", sk))
	assert.Contains(t, fmt.Sprintf("%+v", tok), "Value:[REDACTED]")
	assert.Contains(t, fmt.Sprintf("%+v", tok), "ExpiresAt:")
	assert.NotContains(t, fmt.Sprintf("%v", Token{}), "REDACTED", "an empty token printed as set")
}
