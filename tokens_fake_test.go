package versori_test

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/testutil"
	"github.com/versori-go/versori/versoritest"
)

// These tests send the SDK's tokens through the fake's verification, so a
// token the SDK mints is one a verifier following Versori's rules accepts,
// and the forgeries such a verifier must refuse are refused.

const fakeTokKeyID = "01JSKFAKETOKENS"

// fakeTokWorld is a fake with the registered key and two end users.
type fakeTokWorld struct {
	srv      *versoritest.Server
	key      *rsa.PrivateKey     // registered under fakeTokKeyID
	sk       *versori.SigningKey // key, as the SDK loads it
	impostor *rsa.PrivateKey     // never registered
	hubID    string
	user     *versori.EndUser // the tokens' user
	other    *versori.EndUser // another user of the same hub
}

func newFakeTokWorld(t *testing.T) *fakeTokWorld {
	t.Helper()
	key, impostor := testutil.RSAKey(0), testutil.RSAKey(1)
	sk, err := versori.NewSigningKey(fakeTokKeyID, key)
	require.NoError(t, err)
	srv := versoritest.NewServer()
	t.Cleanup(srv.Close)
	srv.RegisterSigningKey(fakeTokKeyID, &key.PublicKey)

	admin, err := versori.NewClient(versori.WithAPIKey(srv.APIKey), versori.WithBaseURL(srv.URL))
	require.NoError(t, err)
	ctx := context.Background()
	hub, err := admin.Hubs.Get(ctx, srv.Seeded().HubID)
	require.NoError(t, err)
	create := func(externalID string) *versori.EndUser {
		u, err := admin.Users.Create(ctx, hub.ID, versori.CreateEndUserParams{
			ExternalID: externalID,
			PrimaryConnection: versori.ConnectionCreate{
				Name:        externalID + " CRM",
				Credentials: versori.ActionCredential(hub.PrimaryConnector.AuthSchemeConfig, versori.APIKey(externalID+" key", "k")),
			},
		})
		require.NoError(t, err)
		return u
	}
	w := &fakeTokWorld{srv: srv, key: key, sk: sk, impostor: impostor, hubID: hub.ID}
	w.user, w.other = create("token-user"), create("someone-else")
	return w
}

// client returns a client that authenticates with ts, without retries so a
// refusal shows at once.
func (w *fakeTokWorld) client(t *testing.T, ts versori.TokenSource) *versori.Client {
	t.Helper()
	c, err := versori.NewClient(versori.WithTokenSource(ts), versori.WithBaseURL(w.srv.URL), versori.WithMaxRetries(0))
	require.NoError(t, err)
	return c
}

// userTokens is k's source of tokens for the world's user.
func (w *fakeTokWorld) userTokens(t *testing.T, k *versori.SigningKey) versori.TokenSource {
	t.Helper()
	ts, err := k.UserTokenSource(w.user.Ref(), 0)
	require.NoError(t, err)
	return ts
}

// rawToken is a TokenSource of one hand-made token, for forgeries the SDK
// itself would never mint.
type rawToken string

func (r rawToken) Token(context.Context) (versori.Token, error) {
	return versori.Token{Value: versori.NewSecret(string(r)), ExpiresAt: time.Now().Add(time.Minute)}, nil
}

// forge signs claims with method and key, under the registered key's kid.
func forge(t *testing.T, method jwt.SigningMethod, key any, claims jwt.Claims) rawToken {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	tok.Header["kid"] = fakeTokKeyID
	s, err := tok.SignedString(key)
	require.NoError(t, err)
	return rawToken(s)
}

// claims are the claims the SDK would mint for the world's user, at now.
func (w *fakeTokWorld) claims(iss string, now time.Time) jwt.RegisteredClaims {
	return jwt.RegisteredClaims{
		Issuer:    iss,
		Subject:   w.user.ExternalID,
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now.Add(-30 * time.Second)),
		ExpiresAt: jwt.NewNumericDate(now.Add(5 * time.Minute)),
	}
}

// TestUserTokenAcceptedByFake: a token minted for the user's Ref() (sub =
// the external ID) is accepted on the end-user calls it is for.
func TestUserTokenAcceptedByFake(t *testing.T) {
	t.Parallel()
	w := newFakeTokWorld(t)
	ts := w.userTokens(t, w.sk)
	c := w.client(t, ts)
	ctx := t.Context()

	u, err := c.Users.Get(ctx, w.hubID, w.user.Ref())
	require.NoError(t, err, "Users.Get with a user token")
	assert.Equal(t, w.user.ID, u.ID)
	assert.Equal(t, "token-user", u.ExternalID)
	page, err := c.Embed.ListIntegrations(ctx, w.hubID, w.user.Ref(), nil)
	require.NoError(t, err, "Embed.ListIntegrations with a user token")
	assert.NotEmpty(t, page.Integrations)

	// The fake saw a JWT whose subject is the external ID.
	reqs := w.srv.Requests()
	last := reqs[len(reqs)-1]
	assert.Equal(t, "JWT [REDACTED]", last.Header.Get("Authorization"), "the fake's log redacts the token")
	tok, err := ts.Token(ctx)
	require.NoError(t, err)
	claims := jwt.MapClaims{}
	_, err = jwt.ParseWithClaims(tok.Value.Reveal(), claims, func(*jwt.Token) (any, error) { return &w.key.PublicKey, nil })
	require.NoError(t, err)
	assert.Equal(t, "token-user", claims["sub"], "sub is the external ID, not %s", w.user.ID)

	// An organisation token works for the organisation's calls.
	ots, err := w.sk.TokenSource(0)
	require.NoError(t, err)
	_, err = w.client(t, ots).Hubs.Get(ctx, w.hubID)
	assert.NoError(t, err)
}

// TestUserTokenScopedToItsUser: a user token reads its own user, not
// another's, and a token whose sub is the user's internal ID (what the SDK
// refuses to mint) acts for nobody.
func TestUserTokenScopedToItsUser(t *testing.T) {
	t.Parallel()
	w := newFakeTokWorld(t)
	ts := w.userTokens(t, w.sk)
	ctx := t.Context()
	_, err := w.client(t, ts).Users.Get(ctx, w.hubID, w.user.Ref())
	require.NoError(t, err, "a user's token acts for that user")
	_, err = w.client(t, ts).Users.Get(ctx, w.hubID, w.other.Ref())
	assert.True(t, errors.Is(err, versori.ErrForbidden) || errors.Is(err, versori.ErrNotFound) || errors.Is(err, versori.ErrUnauthorized), "%v", err)

	internal := forge(t, jwt.SigningMethodRS256, w.key, func() jwt.RegisteredClaims {
		c := w.claims(w.sk.Issuer(), time.Now())
		c.Subject = w.user.ID
		return c
	}())
	_, err = w.client(t, internal).Users.Get(ctx, w.hubID, w.user.Ref())
	assert.Error(t, err, "a token whose sub is the internal ID must not act for the user")
}

// TestForgedTokensRejectedByFake: tokens a verifier must refuse are refused
// with 401, each for its own reason.
func TestForgedTokensRejectedByFake(t *testing.T) {
	t.Parallel()
	w := newFakeTokWorld(t)
	iss := "https://versori.com/sk/" + fakeTokKeyID
	now := time.Now()

	impostor, err := versori.NewSigningKey(fakeTokKeyID, w.impostor)
	require.NoError(t, err)
	unregistered, err := versori.NewSigningKey("01JSKNOTREGISTERED", w.key)
	require.NoError(t, err)

	// Algorithm confusion: a verifier that takes alg from the token would
	// check an HS256 MAC keyed with the public key it holds, which anyone can
	// compute. Try both encodings a verifier might hold the key in.
	pubDER, err := x509.MarshalPKIXPublicKey(&w.key.PublicKey)
	require.NoError(t, err)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	expired := w.claims(iss, now.Add(-time.Hour))
	notYet := w.claims(iss, now.Add(time.Hour))
	notYet.IssuedAt = jwt.NewNumericDate(now)

	for _, tc := range []struct {
		name string
		ts   versori.TokenSource
		why  string // in the fake's message, so each is refused for its own reason
	}{
		{"signed by another key", w.userTokens(t, impostor), "signature is invalid"},
		{"HS256 keyed with the public key PEM", forge(t, jwt.SigningMethodHS256, pubPEM, w.claims(iss, now)), "HS256"},
		{"HS256 keyed with the public key DER", forge(t, jwt.SigningMethodHS256, pubDER, w.claims(iss, now)), "HS256"},
		{"alg none", forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, w.claims(iss, now)), "none"},
		{"issuer of another host", forge(t, jwt.SigningMethodRS256, w.key, w.claims("https://evil.example/sk/"+fakeTokKeyID, now)), "iss"},
		{"issuer without key ID", forge(t, jwt.SigningMethodRS256, w.key, w.claims("https://versori.com/sk/", now)), "iss"},
		{"no issuer", forge(t, jwt.SigningMethodRS256, w.key, w.claims("", now)), "iss"},
		{"expired", forge(t, jwt.SigningMethodRS256, w.key, expired), "expired"},
		{"not yet valid", forge(t, jwt.SigningMethodRS256, w.key, notYet), "not valid yet"},
		{"unregistered key ID", w.userTokens(t, unregistered), "unknown signing key"},
		{"not a JWT", rawToken("not-a-jwt"), "malformed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.client(t, tc.ts).Users.Get(context.Background(), w.hubID, w.user.Ref())
			require.ErrorIs(t, err, versori.ErrUnauthorized)
			var apiErr *versori.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
			assert.Contains(t, apiErr.Message, tc.why, "refused for its own reason")
			tok, _ := tc.ts.Token(context.Background())
			v := tok.Value.Reveal()
			assert.NotContains(t, err.Error(), v, "the error quotes the token")
			if sig := v[strings.LastIndex(v, ".")+1:]; sig != "" {
				assert.NotContains(t, err.Error(), sig, "the error quotes the signature")
			}
		})
	}
}
