package versori_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

// These tests send the SDK's tokens through the fake's verification, so a
// token the SDK mints is known to be one a verifier that follows Versori's
// rules accepts, and the forgeries a verifier must refuse are refused.

const fakeTokKeyID = "01JSKFAKETOKENS"

// RSA key generation is slow under -race; each key is made once.
var (
	fakeTokOnce sync.Once
	fakeTokKeys [2]*rsa.PrivateKey
	fakeTokErr  error
)

// fakeTokRSA returns two distinct 2048-bit keys: the registered one and an
// impostor.
func fakeTokRSA(t *testing.T) (registered, other *rsa.PrivateKey) {
	t.Helper()
	fakeTokOnce.Do(func() {
		for i := range fakeTokKeys {
			if fakeTokKeys[i], fakeTokErr = rsa.GenerateKey(rand.Reader, 2048); fakeTokErr != nil {
				return
			}
		}
	})
	if fakeTokErr != nil {
		t.Fatal(fakeTokErr)
	}
	return fakeTokKeys[0], fakeTokKeys[1]
}

// fakeTokWorld is a fake with the registered key and one end user.
type fakeTokWorld struct {
	srv        *versoritest.Server
	key        *rsa.PrivateKey // registered under fakeTokKeyID
	other      *rsa.PrivateKey // never registered
	hubID      string
	userID     string // the end user's Versori ID
	externalID string // its external ID: the tokens' sub
}

func newFakeTokWorld(t *testing.T) *fakeTokWorld {
	t.Helper()
	key, other := fakeTokRSA(t)
	srv := versoritest.NewServer()
	t.Cleanup(srv.Close)
	srv.RegisterSigningKey(fakeTokKeyID, &key.PublicKey)

	admin, err := versori.NewClient(versori.WithAPIKey(srv.APIKey), versori.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	hub, err := admin.Hubs.Get(ctx, srv.Seeded().HubID)
	if err != nil {
		t.Fatal(err)
	}
	scheme := hub.PrimaryConnector.AuthSchemeConfig
	user, err := admin.Users.Create(ctx, hub.ID, versori.CreateEndUserParams{
		ExternalID: "token-user",
		PrimaryConnection: versori.ConnectionCreate{
			Name: "token-user CRM",
			Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
				AuthSchemeConfig: scheme,
				Credential:       versori.NewCredential("token-user key", versori.StringCredential{Value: "k"}),
			}}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fakeTokWorld{srv: srv, key: key, other: other, hubID: hub.ID, userID: user.ID, externalID: user.ExternalID}
}

// client returns a client that authenticates with ts, without retries so a
// rejection shows at once.
func (w *fakeTokWorld) client(t *testing.T, ts versori.TokenSource) *versori.Client {
	t.Helper()
	c, err := versori.NewClient(versori.WithTokenSource(ts), versori.WithBaseURL(w.srv.URL),
		versori.WithRetryPolicy(versori.RetryPolicy{MaxRetries: 0}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// getUser fetches the world's end user with a token from ts.
func (w *fakeTokWorld) getUser(t *testing.T, ts versori.TokenSource) (*versori.EndUser, error) {
	t.Helper()
	return w.client(t, ts).Users.Get(context.Background(), w.hubID, versori.InternalUser(w.userID))
}

// rawToken is a TokenSource of one hand-made token, for forgeries the SDK
// itself would never mint.
type rawToken string

func (r rawToken) Token(context.Context) (versori.Token, error) {
	return versori.Token{Value: string(r), ExpiresAt: time.Now().Add(time.Minute)}, nil
}

// forge signs claims with method and key, with the registered key's kid.
func forge(t *testing.T, method jwt.SigningMethod, key any, claims jwt.Claims) rawToken {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	tok.Header["kid"] = fakeTokKeyID
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return rawToken(s)
}

func (w *fakeTokWorld) claims(iss string) jwt.RegisteredClaims {
	now := time.Now()
	return jwt.RegisteredClaims{
		Issuer:    iss,
		Subject:   w.externalID,
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now.Add(-30 * time.Second)),
		ExpiresAt: jwt.NewNumericDate(now.Add(5 * time.Minute)),
	}
}

func TestUserTokenAcceptedByFake(t *testing.T) {
	w := newFakeTokWorld(t)
	sk, err := versori.NewSigningKey(fakeTokKeyID, w.key)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := sk.UserTokenSource(w.externalID)
	if err != nil {
		t.Fatal(err)
	}
	u, err := w.getUser(t, ts)
	if err != nil {
		t.Fatalf("Users.Get with a user token: %v", err)
	}
	if u.ID != w.userID || u.ExternalID != "token-user" {
		t.Errorf("got user %s (%s), want %s (token-user)", u.ID, u.ExternalID, w.userID)
	}
	// The end-user-facing endpoints are what these tokens are for.
	page, err := w.client(t, ts).Embed.ListIntegrations(context.Background(), w.hubID, versori.InternalUser(w.userID), nil)
	if err != nil {
		t.Fatalf("Embed.ListIntegrations with a user token: %v", err)
	}
	if len(page.Integrations) == 0 {
		t.Error("Embed.ListIntegrations returned no integrations")
	}

	// The fake must have seen a JWT, not fallen back to some other auth.
	reqs := w.srv.Requests()
	if got := reqs[len(reqs)-1].Header.Get("Authorization"); !strings.HasPrefix(got, "JWT ") {
		t.Errorf("last request's Authorization = %q, want a JWT", got)
	}
}

func TestForgedTokensRejectedByFake(t *testing.T) {
	w := newFakeTokWorld(t)
	iss := "https://versori.com/sk/" + fakeTokKeyID
	now := time.Now()

	// A SigningKey pairing the registered key ID with the wrong private key
	// mints tokens that look right in every field but the signature.
	impostor, err := versori.NewSigningKey(fakeTokKeyID, w.other)
	if err != nil {
		t.Fatal(err)
	}
	unregistered, err := versori.NewSigningKey("01JSKNOTREGISTERED", w.key)
	if err != nil {
		t.Fatal(err)
	}
	registered, err := versori.NewSigningKey(fakeTokKeyID, w.key)
	if err != nil {
		t.Fatal(err)
	}
	source := func(k *versori.SigningKey, opts ...versori.TokenOption) versori.TokenSource {
		t.Helper()
		ts, err := k.UserTokenSource(w.externalID, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}

	// Algorithm confusion: a verifier that takes alg from the token would
	// check an HS256 MAC keyed with the public key it holds, which anyone can
	// compute. Try both encodings a verifier might hold the key in.
	pubDER, err := x509.MarshalPKIXPublicKey(&w.key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})

	for _, tc := range []struct {
		name string
		ts   versori.TokenSource
		why  string // in the fake's message, so each is refused for its own reason
	}{
		{"signed by another key", source(impostor), "signature is invalid"},
		{"HS256 keyed with the public key PEM", forge(t, jwt.SigningMethodHS256, pubPEM, w.claims(iss)), "HS256"},
		{"HS256 keyed with the public key DER", forge(t, jwt.SigningMethodHS256, pubDER, w.claims(iss)), "HS256"},
		{"alg none", forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, w.claims(iss)), "none"},
		{"issuer of another host", forge(t, jwt.SigningMethodRS256, w.key, w.claims("https://evil.example/sk/"+fakeTokKeyID)), "issuer"},
		{"issuer without key ID", forge(t, jwt.SigningMethodRS256, w.key, w.claims("https://versori.com/sk/")), "issuer"},
		{"no issuer", forge(t, jwt.SigningMethodRS256, w.key, w.claims("")), "issuer"},
		{"expired", source(registered, versori.WithClock(func() time.Time { return now.Add(-time.Hour) })), "expired"},
		{"not yet valid", source(registered, versori.WithClock(func() time.Time { return now.Add(time.Hour) })), "not valid yet"},
		{"unregistered key ID", source(unregistered), "unknown signing key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.getUser(t, tc.ts)
			if !errors.Is(err, versori.ErrUnauthorized) {
				t.Fatalf("Users.Get = %v, want ErrUnauthorized", err)
			}
			var apiErr *versori.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
				t.Fatalf("error %v is not a 401 *APIError", err)
			}
			if !strings.Contains(apiErr.Message, tc.why) {
				t.Errorf("refused for %q, want a reason mentioning %q", apiErr.Message, tc.why)
			}
		})
	}
}
