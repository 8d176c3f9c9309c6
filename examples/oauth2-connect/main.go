// Command oauth2-connect connects an end user to an OAuth 2.0 system: it asks
// Versori for the provider's authorize URL to send the user to, then, as your
// redirect handler would, hands the authorization code back to Versori, which
// exchanges it and keeps the tokens; finally it activates the integration.
//
// With VERSORI_API_KEY unset it runs against the in-process fake and plays the
// user's part itself. For the real API also set VERSORI_OAUTH2_CREDENTIAL_ID
// (the stored OAuth 2.0 client) and VERSORI_ORGANISATION_ID, and paste the
// code from the redirect when asked.
//
//	go run ./examples/oauth2-connect [-external-id acme-42] [-client-id ...]
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/examples/internal/exampleenv"
)

func main() {
	externalID := flag.String("external-id", "oauth-demo-"+ulid.Make().String()[20:], "external ID of the end user to create")
	clientID := flag.String("client-id", "", "the OAuth 2.0 client ID stored in the credential (default: the template grant's)")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, os.Stdin, *externalID, *clientID); err != nil {
		fmt.Fprintln(os.Stderr, "oauth2-connect failed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, in io.Reader, externalID, clientID string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	env, err := exampleenv.Setup(w)
	if err != nil {
		return err
	}
	defer env.Close()
	c := env.Client
	user := versori.ExternalUser(externalID)

	hub, err := c.Hubs.Get(ctx, env.HubID)
	if err != nil {
		return fmt.Errorf("get hub: %w", err)
	}
	primary := hub.PrimaryConnector.AuthSchemeConfig
	if _, err := c.Users.Create(ctx, hub.ID, versori.CreateEndUserParams{
		ExternalID: externalID,
		PrimaryConnection: versori.ConnectionCreate{Name: externalID + " primary", Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
			AuthSchemeConfig: primary,
			Credential:       versori.NewCredential(externalID+" primary", exampleenv.DemoCredential(primary.Scheme)),
		}}}},
	}); err != nil {
		return fmt.Errorf("create end user: %w", err)
	}
	fmt.Fprintf(w, "1. end user %s created\n", externalID)

	integration, tmpl, scheme, err := findOAuth2Template(ctx, c, hub.ID, user)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "2. %q needs an OAuth 2.0 connection to %s\n", integration.Name, tmpl.Name)

	// The OAuth 2.0 client (with its secret) is a credential stored in
	// Versori; the template's grant names it, or you pass its ID.
	client := versori.OAuth2ClientRef{ID: os.Getenv("VERSORI_OAUTH2_CREDENTIAL_ID"), OrganisationID: env.OrganisationID}
	if g, ok := scheme.Grant.(versori.AuthorizationCodeGrant); ok && g.CredentialID != "" {
		client = versori.OAuth2ClientRef{ID: g.CredentialID, OrganisationID: g.OrganisationID}
		if clientID == "" {
			clientID = g.ClientID
		}
	}
	if client.ID == "" || client.OrganisationID == "" {
		return errors.New("set VERSORI_OAUTH2_CREDENTIAL_ID and VERSORI_ORGANISATION_ID")
	}
	if clientID == "" {
		return errors.New("set -client-id to the client ID stored in the OAuth 2.0 credential")
	}
	auth, err := c.Embed.InitialiseOAuth2(ctx, hub.ID, tmpl.ConnectorID, versori.InitialiseOAuth2Params{
		Credential:   client,
		AuthorizeURL: scheme.AuthorizeURL,
		ClientID:     clientID,
		Scopes:       scheme.DefaultScopes,
	})
	if err != nil {
		return fmt.Errorf("initialise OAuth 2.0: %w", err)
	}
	fmt.Fprintf(w, "3. send the user to:\n   %s\n", auth.URL)

	code, state, err := authorizationCode(env.Fake != nil, auth.URL, w, in)
	if err != nil {
		return err
	}
	// Your redirect handler receives ?code=...&state=... and gives both to
	// Versori as an oauth2-code credential; Versori exchanges the code and
	// keeps the tokens, so it reads back as an oauth2-token credential.
	a, err := c.Activations.Create(ctx, versori.CreateActivationParams{
		User:          versori.ExternalUser(externalID),
		IntegrationID: integration.ID,
		Connections: []versori.ActivationConnection{versori.NewConnection{
			TemplateID: tmpl.ID,
			Name:       externalID + " " + tmpl.Name,
			Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
				AuthSchemeConfig: tmpl.AuthSchemeConfig,
				Credential:       versori.NewCredential(externalID+" "+tmpl.Name, versori.OAuth2CodeCredential{Code: versori.NewSecret(code), State: state}),
			}}},
		}},
	})
	if err != nil {
		return fmt.Errorf("activate: %w", err)
	}
	fmt.Fprintf(w, "4. code exchanged and %q activated (activation %s)\n", a.Integration.Name, a.ID)

	conn, err := c.Connections.Get(ctx, tmpl.ID, user)
	if err != nil {
		return fmt.Errorf("get connection: %w", err)
	}
	cred := conn.Credentials.Action[0].Credential
	fmt.Fprintf(w, "5. the connection's credential is now of type %s (tokens held by Versori)\n", cred.Type)
	return nil
}

// findOAuth2Template returns the first deployed integration with an OAuth 2.0
// connection template.
func findOAuth2Template(ctx context.Context, c *versori.Client, hubID string, user versori.UserRef) (*versori.EmbeddedIntegration, versori.ConnectionTemplate, versori.OAuth2Scheme, error) {
	for summary, err := range c.Embed.AllIntegrations(ctx, hubID, user, &versori.ListEmbeddedIntegrationsParams{Deployed: versori.Ptr(true)}) {
		if err != nil {
			return nil, versori.ConnectionTemplate{}, versori.OAuth2Scheme{}, fmt.Errorf("list integrations: %w", err)
		}
		in, err := c.Embed.GetIntegration(ctx, hubID, user, summary.ID)
		if err != nil {
			return nil, versori.ConnectionTemplate{}, versori.OAuth2Scheme{}, fmt.Errorf("get integration: %w", err)
		}
		for _, t := range in.ConnectionTemplates {
			if s, ok := t.AuthSchemeConfig.Scheme.(versori.OAuth2Scheme); ok && !t.IsPrimary {
				return in, t, s, nil
			}
		}
	}
	return nil, versori.ConnectionTemplate{}, versori.OAuth2Scheme{}, errors.New("no deployed integration needs an OAuth 2.0 connection")
}

// authorizationCode plays the provider's redirect offline, or asks for the
// code the real redirect carried.
func authorizationCode(offline bool, authorizeURL string, w io.Writer, in io.Reader) (code, state string, err error) {
	u, err := url.Parse(authorizeURL)
	if err != nil {
		return "", "", fmt.Errorf("authorize URL: %w", err)
	}
	state = u.Query().Get("state")
	if offline {
		fmt.Fprintln(w, "   (offline: pretending the user approved and the provider redirected back)")
		return "demo-" + rand.Text()[:12], state, nil
	}
	fmt.Fprint(w, "   paste the code from the redirect: ")
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && line == "" {
		return "", "", fmt.Errorf("reading the code: %w", err)
	}
	return strings.TrimSpace(line), state, nil
}
