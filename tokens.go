package versori

import (
	"bytes"
	"context"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/golang-jwt/jwt/v5"

	"github.com/versori-go/versori/internal/redact"
)

// Tokens are meant to be short-lived: one handed to a browser cannot be
// revoked, so its lifetime bounds the harm a leaked one can do.
const (
	// DefaultTokenTTL is how long a minted token is valid unless WithTTL
	// says otherwise.
	DefaultTokenTTL = 15 * time.Minute
	// MaxTokenTTL is the longest lifetime WithTTL accepts.
	MaxTokenTTL = 24 * time.Hour
)

// MinSigningKeyBits is the smallest RSA modulus a SigningKey accepts; shorter
// keys are no longer considered safe for RS256.
const MinSigningKeyBits = 2048

// notBeforeSkew backdates nbf so that a token is accepted at once even when
// Versori's clock runs a little behind ours.
const notBeforeSkew = 30 * time.Second

// SigningKey is an organisation's RSA signing key with the key ID Versori
// gave it. It mints RS256 JWTs that Versori verifies with the public half.
// Printing or logging it shows only the key ID and the public key's
// fingerprint, never the private key. It is safe for concurrent use.
type SigningKey struct {
	keyID string
	key   *rsa.PrivateKey // a pointer, so fmt prints only an address if a SigningKey is nested in an unexported field
}

// ParseSigningKey loads an unencrypted RSA private key of at least
// MinSigningKeyBits bits from PEM, in PKCS#1 ("RSA PRIVATE KEY") or PKCS#8
// ("PRIVATE KEY") form. Other PEM blocks in the input, such as a
// certificate, are skipped. Encrypted keys and non-RSA keys are refused with
// a *ValidationError that says why; no error ever contains key material.
func ParseSigningKey(keyID string, pemBytes []byte) (*SigningKey, error) {
	if err := validateKeyID(keyID); err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(pemBytes)) == 0 {
		return nil, keyError("is empty")
	}
	var (
		key     *rsa.PrivateKey
		skipped []string
		rest    = pemBytes
	)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
			return nil, keyError("is an encrypted PEM key; decrypt it first (for example with `openssl pkey -in key.pem -out plain.pem`)")
		}
		var (
			k   *rsa.PrivateKey
			err error
		)
		switch block.Type {
		case "RSA PRIVATE KEY":
			k, err = parsePKCS1(block.Bytes)
		case "PRIVATE KEY":
			k, err = parsePKCS8(block.Bytes)
		case "EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY":
			return nil, keyError(fmt.Sprintf("is a %q block; Versori signing keys are RSA keys (RS256) in PKCS#1 or PKCS#8 PEM", block.Type))
		default:
			skipped = append(skipped, block.Type)
			continue
		}
		if err != nil {
			return nil, err
		}
		if key != nil {
			// Which of two keys matches keyID cannot be known; guessing would
			// mint tokens Versori rejects.
			return nil, keyError("holds more than one private key")
		}
		key = k
	}
	if key == nil {
		if len(skipped) > 0 {
			return nil, keyError(fmt.Sprintf("holds no private key (found %s)", strings.Join(quoteAll(skipped), ", ")))
		}
		return nil, keyError("is not PEM: no -----BEGIN ... PRIVATE KEY----- block found")
	}
	return NewSigningKey(keyID, key)
}

func parsePKCS1(der []byte) (*rsa.PrivateKey, error) {
	k, err := x509.ParsePKCS1PrivateKey(der)
	if err != nil {
		return nil, keyError("has an \"RSA PRIVATE KEY\" block that is not a valid PKCS#1 RSA key")
	}
	return k, nil
}

func parsePKCS8(der []byte) (*rsa.PrivateKey, error) {
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, keyError("has a \"PRIVATE KEY\" block that is not a valid PKCS#8 key")
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, keyError(fmt.Sprintf("is a %s key; Versori signing keys are RSA keys (RS256)", keyKind(k)))
	}
	return rk, nil
}

// keyKind names a parsed key's algorithm by its type alone, so that an error
// never prints the key itself.
func keyKind(k any) string {
	switch k.(type) {
	case *ecdsa.PrivateKey:
		return "EC (ECDSA)"
	case ed25519.PrivateKey:
		return "Ed25519"
	case *ecdh.PrivateKey:
		return "X25519/ECDH"
	}
	return fmt.Sprintf("%T", k)
}

func quoteAll(s []string) []string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return q
}

// keyError is a ValidationError about the signing key itself. Its reason is
// always written here, never copied from a parser, so it cannot echo key
// bytes.
func keyError(reason string) error {
	return &ValidationError{Field: "signingKey", Reason: reason}
}

// NewSigningKey wraps an RSA private key of at least MinSigningKeyBits bits,
// registered with Versori under keyID. The key must not be modified
// afterwards.
func NewSigningKey(keyID string, key *rsa.PrivateKey) (*SigningKey, error) {
	if err := validateKeyID(keyID); err != nil {
		return nil, err
	}
	if key == nil || key.N == nil {
		return nil, keyError("is nil")
	}
	if bits := key.N.BitLen(); bits < MinSigningKeyBits {
		return nil, keyError(fmt.Sprintf("is %d bits; RS256 signing keys need at least %d", bits, MinSigningKeyBits))
	}
	if err := key.Validate(); err != nil {
		return nil, keyError("is not a consistent RSA private key")
	}
	return &SigningKey{keyID: keyID, key: key}, nil
}

// validateKeyID rejects IDs that cannot stand in the issuer URL's path.
func validateKeyID(id string) error {
	if id == "" {
		return &ValidationError{Field: "keyID", Reason: "is required"}
	}
	if strings.ContainsFunc(id, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("/?#", r)
	}) {
		return &ValidationError{Field: "keyID", Reason: "must not contain spaces, control characters, '/', '?' or '#'"}
	}
	return nil
}

// KeyID returns the ID Versori gave the key; it is sent as the token's kid.
func (k *SigningKey) KeyID() string { return k.keyID }

// Issuer returns the iss claim of the key's tokens,
// "https://versori.com/sk/<KEY_ID>".
func (k *SigningKey) Issuer() string { return "https://versori.com/sk/" + k.keyID }

// PublicKey returns the public half of the key, the part Versori holds.
func (k *SigningKey) PublicKey() *rsa.PublicKey { return &k.key.PublicKey }

// fingerprint identifies the public key as "SHA256:<base64>" of its PKIX
// encoding, so a key in a log can be matched to the one uploaded to Versori.
func (k *SigningKey) fingerprint() string {
	der, err := x509.MarshalPKIXPublicKey(&k.key.PublicKey)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(der)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}

// Format prints the key ID and public key fingerprint, whatever the verb.
func (k *SigningKey) Format(f fmt.State, verb rune) {
	if k == nil {
		fmt.Fprint(f, "<nil>")
		return
	}
	if k.key == nil {
		fmt.Fprintf(f, "versori.SigningKey{KeyID: %q}", k.keyID)
		return
	}
	fmt.Fprintf(f, "versori.SigningKey{KeyID: %q, Fingerprint: %q}", k.keyID, k.fingerprint())
}

// LogValue logs the key ID and public key fingerprint.
func (k *SigningKey) LogValue() slog.Value {
	if k == nil || k.key == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(slog.String("key_id", k.keyID), slog.String("fingerprint", k.fingerprint()))
}

// Token is a signed JWT. Value is the secret to send as
// "Authorization: JWT <Value>"; printing or logging a Token masks it.
type Token struct {
	Value     string    `secret:"true"` // the compact JWT
	ExpiresAt time.Time // the exp claim
}

// Format prints the token with Value masked, whatever the verb.
func (t Token) Format(f fmt.State, verb rune) { redact.Format(f, verb, t) }

// LogValue logs the token with Value masked.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(slog.String("value", redact.String(t.Value)), slog.Time("expires_at", t.ExpiresAt))
}

// TokenOption adjusts the tokens a SigningKey mints.
type TokenOption func(*tokenConfig)

type tokenConfig struct {
	ttl time.Duration
	now func() time.Time
}

// WithTTL sets how long minted tokens are valid: more than zero and at most
// MaxTokenTTL. The default is DefaultTokenTTL.
func WithTTL(d time.Duration) TokenOption {
	return func(c *tokenConfig) { c.ttl = d }
}

// WithClock makes tokens take their times from now instead of time.Now (a
// nil now is ignored); tests use it to mint at a fixed time and to age cached
// tokens.
func WithClock(now func() time.Time) TokenOption {
	return func(c *tokenConfig) {
		if now != nil {
			c.now = now
		}
	}
}

func newTokenConfig(opts []TokenOption) (tokenConfig, error) {
	c := tokenConfig{ttl: DefaultTokenTTL, now: time.Now}
	for _, opt := range opts {
		opt(&c)
	}
	if c.ttl <= 0 {
		return c, &ValidationError{Field: "ttl", Reason: "must be positive"}
	}
	if c.ttl > MaxTokenTTL {
		return c, &ValidationError{Field: "ttl", Reason: fmt.Sprintf("must be at most %s", MaxTokenTTL)}
	}
	return c, nil
}

// MintUserToken signs a token that acts for one end user: sub is userID,
// the end user's external ID (the externalId it was created with, not
// Versori's ID). It is what a backend hands to its front end for the
// embedded UI.
func (k *SigningKey) MintUserToken(userID string, opts ...TokenOption) (Token, error) {
	if err := required("userID", userID); err != nil {
		return Token{}, err
	}
	return k.mintWith(userID, opts)
}

// MintToken signs a token for the organisation itself, with no sub, for a
// backend's own calls.
func (k *SigningKey) MintToken(opts ...TokenOption) (Token, error) {
	return k.mintWith("", opts)
}

func (k *SigningKey) mintWith(sub string, opts []TokenOption) (Token, error) {
	if k == nil || k.key == nil {
		return Token{}, errors.New("versori: minting a token: nil SigningKey; use ParseSigningKey or NewSigningKey")
	}
	cfg, err := newTokenConfig(opts)
	if err != nil {
		return Token{}, err
	}
	return k.mint(sub, cfg.ttl, cfg.now())
}

// mint signs a token issued at now. JWT times have whole seconds, so now is
// truncated first and ExpiresAt equals the exp claim exactly.
func (k *SigningKey) mint(sub string, ttl time.Duration, now time.Time) (Token, error) {
	now = now.Truncate(time.Second)
	exp := now.Add(ttl)
	claims := jwt.RegisteredClaims{
		Issuer:    k.Issuer(),
		Subject:   sub,
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now.Add(-notBeforeSkew)),
		ExpiresAt: jwt.NewNumericDate(exp),
	}
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = k.keyID
	v, err := t.SignedString(k.key)
	if err != nil {
		// jwt's errors name the failure, never the key or the token.
		return Token{}, fmt.Errorf("versori: signing token with key %s: %w", k.keyID, err)
	}
	return Token{Value: v, ExpiresAt: exp}, nil
}

// TokenSource supplies the token for each request of a Client made with
// WithTokenSource. Implementations must be safe for concurrent use, and
// their errors must not contain tokens.
type TokenSource interface {
	Token(ctx context.Context) (Token, error)
}

// UserTokenSource returns a TokenSource of tokens for one end user (see
// MintUserToken). It reuses a token until shortly before it expires (one
// minute, or a tenth of the TTL when that is shorter), then mints the next;
// concurrent callers share one refresh. Invalid options are reported here,
// not on first use.
func (k *SigningKey) UserTokenSource(userID string, opts ...TokenOption) (TokenSource, error) {
	if err := required("userID", userID); err != nil {
		return nil, err
	}
	return k.newSource(userID, opts)
}

// TokenSource returns a TokenSource of organisation tokens (see MintToken),
// cached and refreshed as UserTokenSource's are.
func (k *SigningKey) TokenSource(opts ...TokenOption) (TokenSource, error) {
	return k.newSource("", opts)
}

func (k *SigningKey) newSource(sub string, opts []TokenOption) (TokenSource, error) {
	if k == nil || k.key == nil {
		return nil, keyError("is nil")
	}
	cfg, err := newTokenConfig(opts)
	if err != nil {
		return nil, err
	}
	return &cachingSource{
		mint:   func(now time.Time) (Token, error) { return k.mint(sub, cfg.ttl, now) },
		now:    cfg.now,
		margin: min(time.Minute, cfg.ttl/10),
	}, nil
}

// cachingSource mints through mint and reuses the token while more than
// margin of its life is left. The margin covers the request's time in flight
// and a server clock running ahead of ours.
type cachingSource struct {
	mint   func(now time.Time) (Token, error)
	now    func() time.Time
	margin time.Duration

	// mu is held while minting, so that callers arriving during a refresh
	// wait for its token instead of each signing their own.
	mu sync.Mutex
	// tok is a pointer because fmt, printing a cachingSource held in some
	// caller's unexported field, cannot call Format and would print a Token
	// value's secret; a nested pointer prints as an address.
	tok *Token
}

// Token returns the cached token, or a fresh one when it is near expiry.
func (s *cachingSource) Token(ctx context.Context) (Token, error) {
	if err := ctx.Err(); err != nil {
		return Token{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.tok != nil && now.Before(s.tok.ExpiresAt.Add(-s.margin)) {
		return *s.tok, nil
	}
	t, err := s.mint(now)
	if err != nil {
		return Token{}, err
	}
	s.tok = &t
	return t, nil
}

// Format prints the source without its token.
func (s *cachingSource) Format(f fmt.State, verb rune) {
	fmt.Fprint(f, "versori.TokenSource{}")
}

// WithTokenSource authenticates every call with a token from ts, sent as
// "Authorization: JWT <token>", instead of an API key. ts is asked once per
// attempt, so a retried call picks up a refreshed token.
func WithTokenSource(ts TokenSource) Option {
	return func(c *Client) error {
		if ts == nil {
			return &ValidationError{Field: "tokenSource", Reason: "is nil"}
		}
		c.auth = func(ctx context.Context) (string, error) {
			t, err := ts.Token(ctx)
			if err != nil {
				return "", fmt.Errorf("token source: %w", err)
			}
			if t.Value == "" {
				return "", errors.New("token source: returned an empty token")
			}
			return "JWT " + t.Value, nil
		}
		return nil
	}
}
