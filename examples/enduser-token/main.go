// Command enduser-token mints a JWT for one end user with an organisation's
// signing key and calls the Embedded API with it, as a backend does before
// handing such a token to the embedded UI in its front end.
//
// With VERSORI_API_KEY unset it runs against the in-process fake: it makes
// an RSA key pair, registers the public half with the fake as Versori would
// hold it, and goes on from there. To use the real API set VERSORI_API_KEY,
// VERSORI_HUB_ID, optionally VERSORI_BASE_URL, and the signing key:
// VERSORI_SIGNING_KEY_ID (the ID Versori gave the key) and
// VERSORI_SIGNING_KEY_FILE (its RSA private key, PEM).
//
//	go run ./examples/enduser-token
package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/examples/internal/exampleenv"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "enduser-token failed:", err)
		os.Exit(1)
	}
}

// run creates an end user with the API key, then reads that user and their
// integrations with a token minted for them, and deletes the user again.
func run(ctx context.Context, w io.Writer) (err error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	env, err := exampleenv.Setup(w)
	if err != nil {
		return err
	}
	defer env.Close()
	key, err := signingKey(env, w)
	if err != nil {
		return err
	}
	admin := env.Client // authenticated with the API key

	hub, err := admin.Hubs.Get(ctx, env.HubID)
	if err != nil {
		return fmt.Errorf("get hub: %w", err)
	}
	externalID := "token-demo-" + randomHex(4)
	primary := hub.PrimaryConnector.AuthSchemeConfig
	user, err := admin.Users.Create(ctx, hub.ID, versori.CreateEndUserParams{
		ExternalID:  externalID,
		DisplayName: "Token demo user",
		PrimaryConnection: versori.ConnectionCreate{
			Name: externalID + " " + hub.PrimaryConnector.Name,
			Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
				AuthSchemeConfig: primary,
				Credential:       versori.NewCredential(externalID+" primary", exampleenv.DemoCredential(primary.Scheme)),
			}}},
		},
	})
	if err != nil {
		return fmt.Errorf("create end user: %w", err)
	}
	fmt.Fprintf(w, "1. end user %s created with the API key (Versori ID %s)\n", user.ExternalID, user.ID)
	// The user exists only for this demonstration; don't leave it behind in
	// a real hub, even when a later step fails.
	defer func() {
		dctx, dcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer dcancel()
		if derr := admin.Users.Delete(dctx, hub.ID, versori.InternalUser(user.ID)); derr != nil {
			err = errors.Join(err, fmt.Errorf("delete end user %s: %w", user.ID, derr))
			return
		}
		fmt.Fprintf(w, "5. end user %s deleted with the API key\n", user.ExternalID)
	}()

	// sub is the end user's external ID, the ID you created the user with:
	// Versori's authentication docs say to "make the subject your end users
	// external ID". The token may then reach only that end user's resources.
	ts, err := key.UserTokenSource(user.ExternalID, versori.WithTTL(5*time.Minute))
	if err != nil {
		return fmt.Errorf("token source: %w", err)
	}
	tok, err := ts.Token(ctx)
	if err != nil {
		return fmt.Errorf("mint token: %w", err)
	}
	// A backend would hand tok.Value to its front end here. It is a
	// credential: it is not printed, and a Token prints it masked.
	fmt.Fprintf(w, "2. minted a token for sub=%s with key %s, valid until %s\n", user.ExternalID, key.KeyID(), tok.ExpiresAt.Format(time.RFC3339))

	// A client made with WithTokenSource sends "Authorization: JWT <token>"
	// and, being given the source rather than one token, mints a fresh one
	// whenever the cached one nears expiry.
	asUser, err := versori.NewClient(versori.WithBaseURL(admin.BaseURL()), versori.WithTokenSource(ts))
	if err != nil {
		return err
	}
	me, err := asUser.Users.Get(ctx, hub.ID, versori.InternalUser(user.ID))
	if err != nil {
		return fmt.Errorf("get end user with the token: %w", err)
	}
	fmt.Fprintf(w, "3. with the token: read end user %s (%q)\n", me.ExternalID, me.DisplayName)
	page, err := asUser.Embed.ListIntegrations(ctx, hub.ID, versori.InternalUser(user.ID), nil)
	if err != nil {
		return fmt.Errorf("list integrations with the token: %w", err)
	}
	fmt.Fprintf(w, "4. with the token: %d integrations listed for the user, %d activated\n", len(page.Integrations), page.TotalConnected)
	return nil
}

// exampleKeyID is the key ID the example registers with the fake.
const exampleKeyID = "example-signing-key"

// signingKey loads the organisation's signing key for the real API, or
// makes one and registers its public half with the fake.
func signingKey(env *exampleenv.Env, w io.Writer) (*versori.SigningKey, error) {
	if env.Fake != nil {
		// 2048 bits is the least the SDK accepts for RS256.
		priv, err := rsa.GenerateKey(rand.Reader, versori.MinSigningKeyBits)
		if err != nil {
			return nil, fmt.Errorf("generate signing key: %w", err)
		}
		key, err := versori.NewSigningKey(exampleKeyID, priv)
		if err != nil {
			return nil, err
		}
		env.Fake.RegisterSigningKey(key.KeyID(), key.PublicKey())
		fmt.Fprintf(w, "generated signing key %v and registered its public key with the fake\n", key)
		return key, nil
	}
	keyID, file := os.Getenv("VERSORI_SIGNING_KEY_ID"), os.Getenv("VERSORI_SIGNING_KEY_FILE")
	if keyID == "" || file == "" {
		return nil, errors.New("VERSORI_SIGNING_KEY_ID and VERSORI_SIGNING_KEY_FILE (a PEM RSA private key) must be set when VERSORI_API_KEY is")
	}
	pemBytes, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read VERSORI_SIGNING_KEY_FILE: %w", err)
	}
	key, err := versori.ParseSigningKey(keyID, pemBytes)
	if err != nil {
		return nil, fmt.Errorf("VERSORI_SIGNING_KEY_FILE %s: %w", file, err)
	}
	return key, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
