// Command enduser-token mints a token for one end user with your
// organisation's signing key, as a backend does before handing it to the
// embedded UI in its front end, and shows what the token may do: act for
// that end user, and see nothing of any other. The token's sub is the end
// user's external ID (user.Ref()), as Versori requires.
//
//	go run ./examples/enduser-token
//
// Offline by default: with VERSORI_API_KEY unset it starts an in-process fake
// of Versori, makes an RSA key pair and registers its public half with the
// fake, as Versori holds the public half of your signing key.
//
// To run it against Versori, set:
//
//	VERSORI_API_KEY           an API key of your organisation
//	VERSORI_HUB_ID            the hub to create two end users in
//	VERSORI_SIGNING_KEY_ID    the ID Versori gave your organisation's signing key
//	VERSORI_SIGNING_KEY_FILE  that key's RSA private key, PEM (PKCS #1 or #8)
//	VERSORI_BASE_URL          optional: another API, such as versori.StagingBaseURL
//
// The hub's primary connector must take an API key (the users' connections
// hold a placeholder). The example deletes the two end users it creates.
package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

func main() {
	// On Ctrl-C the calls stop, and the end users are still deleted.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "enduser-token:", err)
		os.Exit(1)
	}
}

// run mints tokens against Versori, or against an in-process fake when
// VERSORI_API_KEY is unset.
func run(ctx context.Context, w io.Writer) error {
	if os.Getenv("VERSORI_API_KEY") != "" {
		admin, err := versori.NewClient() // reads VERSORI_API_KEY and VERSORI_BASE_URL
		if err != nil {
			return err
		}
		key, err := signingKeyFromEnv()
		if err != nil {
			return err
		}
		return endUserToken(ctx, w, admin, os.Getenv("VERSORI_HUB_ID"), key)
	}
	fake := versoritest.NewServer()
	defer fake.Close()
	key, err := registerNewKey(fake)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "VERSORI_API_KEY is unset: running offline, against an in-process fake of Versori that holds the public half of %v\n", key)
	return endUserToken(ctx, w, fake.Client(), fake.Seeded().HubID, key)
}

// endUserToken creates two end users with the API key (admin), then acts
// for the first with a token of its own. It deletes both users when done.
func endUserToken(ctx context.Context, w io.Writer, admin *versori.Client, hubID string, key *versori.SigningKey) (err error) {
	if hubID == "" {
		return errors.New("set VERSORI_HUB_ID to the hub to work in")
	}
	hub, err := admin.Hubs.Get(ctx, hubID)
	if err != nil {
		return fmt.Errorf("get hub: %w", err)
	}
	suffix := rand.Text()[:6]
	var users []*versori.EndUser
	for _, name := range []string{"alice", "bob"} {
		id := name + "-" + suffix
		primary := versori.ActionCredential(hub.PrimaryConnector.AuthSchemeConfig, versori.APIKey(id+" key", "placeholder-key"))
		user, createErr := admin.Users.Create(ctx, hub.ID, versori.CreateEndUserParams{ExternalID: id, PrimaryConnection: versori.ConnectionCreate{Name: id, Credentials: primary}})
		if createErr != nil {
			return fmt.Errorf("create end user %s: %w", id, createErr)
		}
		// The users exist only for this demonstration: don't leave them
		// behind in a real hub, even when a later step fails.
		defer func() { err = errors.Join(err, deleteUser(ctx, w, admin, hub.ID, user)) }()
		users = append(users, user)
	}
	alice, bob := users[0], users[1]
	fmt.Fprintf(w, "1. end users %s and %s created with the API key\n", alice.ExternalID, bob.ExternalID)

	// A source rather than one token: the client it is given to mints a
	// fresh token whenever the last one nears expiry. Its sub is alice's
	// external ID; an InternalUser would be refused.
	ts, err := key.UserTokenSource(alice.Ref(), 5*time.Minute)
	if err != nil {
		return fmt.Errorf("token source: %w", err)
	}
	tok, err := ts.Token(ctx)
	if err != nil {
		return fmt.Errorf("mint token: %w", err)
	}
	// A backend hands tok.Value.Reveal() to its front end. It is a
	// credential, so it prints masked.
	fmt.Fprintf(w, "2. minted token %v for sub=%s, valid until %s\n", tok.Value, alice.ExternalID, tok.ExpiresAt.Format(time.RFC3339))

	// The client sends "Authorization: JWT <token>" instead of the API key.
	asAlice, err := versori.NewClient(versori.WithBaseURL(admin.BaseURL()), versori.WithTokenSource(ts))
	if err != nil {
		return err
	}
	me, err := asAlice.Users.Get(ctx, hub.ID, alice.Ref())
	if err != nil {
		return fmt.Errorf("read %s with its own token: %w", alice.ExternalID, err)
	}
	page, err := asAlice.Embed.ListIntegrations(ctx, hub.ID, alice.Ref(), nil)
	if err != nil {
		return fmt.Errorf("list integrations with the token: %w", err)
	}
	fmt.Fprintf(w, "3. with alice's token: read %s, and listed %d integrations for it\n", me.ExternalID, len(page.Integrations))

	// Another end user is out of the token's reach, and answers 404 as if
	// it did not exist, so a token cannot even learn who else there is.
	_, err = asAlice.Users.Get(ctx, hub.ID, bob.Ref())
	if !errors.Is(err, versori.ErrNotFound) {
		return fmt.Errorf("read %s with alice's token: got %v, want not found", bob.ExternalID, err)
	}
	fmt.Fprintf(w, "4. with alice's token: %s is not found (404), as if it did not exist\n", bob.ExternalID)
	return nil
}

// deleteUser deletes an end user the example created.
func deleteUser(ctx context.Context, w io.Writer, admin *versori.Client, hubID string, user *versori.EndUser) error {
	// Clean up even when ctx has ended, within a bound of its own.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := admin.Users.Delete(ctx, hubID, user.Ref()); err != nil {
		return fmt.Errorf("delete end user %s: %w", user.ExternalID, err)
	}
	fmt.Fprintf(w, "5. end user %s deleted with the API key\n", user.ExternalID)
	return nil
}

// registerNewKey makes a signing key and registers its public half with the
// fake, as Versori holds your organisation's.
func registerNewKey(fake *versoritest.Server) (*versori.SigningKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, versori.MinSigningKeyBits)
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	key, err := versori.NewSigningKey("example-signing-key", priv)
	if err != nil {
		return nil, err
	}
	fake.RegisterSigningKey(key.KeyID(), key.PublicKey())
	return key, nil
}

// signingKeyFromEnv reads the signing key VERSORI_SIGNING_KEY_ID and
// VERSORI_SIGNING_KEY_FILE name.
func signingKeyFromEnv() (*versori.SigningKey, error) {
	keyID, file := os.Getenv("VERSORI_SIGNING_KEY_ID"), os.Getenv("VERSORI_SIGNING_KEY_FILE")
	if keyID == "" || file == "" {
		return nil, errors.New("set VERSORI_SIGNING_KEY_ID and VERSORI_SIGNING_KEY_FILE (a PEM RSA private key) with VERSORI_API_KEY")
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
