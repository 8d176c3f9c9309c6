// Command oauth2-connect connects an end user to a system that uses OAuth 2.0
// with the authorization code grant: it asks Versori for the provider's
// authorize URL to send the user to, then, as your redirect handler would,
// hands the code from the redirect back to Versori, which exchanges it and
// keeps the tokens; with that connection it activates the integration.
//
//	go run ./examples/oauth2-connect [-external-id acme-42] [-client-id ...]
//
// Offline by default: with VERSORI_API_KEY unset it starts an in-process fake
// of Versori and plays the user's part, approving at once.
//
// To run it against Versori, set:
//
//	VERSORI_API_KEY               an API key of your organisation
//	VERSORI_HUB_ID                the hub to create the end user in
//	VERSORI_ORGANISATION_ID       your organisation's ID, with VERSORI_OAUTH2_CREDENTIAL_ID
//	VERSORI_OAUTH2_CREDENTIAL_ID  the stored OAuth 2.0 client (an oauth2-client credential),
//	                              where the template's grant names none
//	VERSORI_BASE_URL              optional: another API, such as versori.StagingBaseURL
//
// The hub's primary connector must take an API key (the example stores a
// placeholder), and the hub must have a deployed integration with an OAuth
// 2.0 authorization code template. Open the URL it prints, approve, and paste
// the code from the redirect when asked. Pass -client-id where the template's
// grant names no client ID. The end user is left in place.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

func main() {
	externalID := flag.String("external-id", "oauth-demo-"+time.Now().Format("20060102-150405"), "your ID for the customer: the end user's external ID")
	clientID := flag.String("client-id", "", "the OAuth 2.0 client ID (default: the template grant's)")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, *externalID, *clientID); err != nil {
		fmt.Fprintln(os.Stderr, "oauth2-connect:", err)
		os.Exit(1)
	}
}

// approveFunc sends the end user to authorizeURL and returns the code and
// state the provider's redirect carries back.
type approveFunc func(authorizeURL string) (code, state string, err error)

// run connects an end user in Versori, or in an in-process fake when
// VERSORI_API_KEY is unset.
func run(ctx context.Context, w io.Writer, externalID, clientID string) error {
	if os.Getenv("VERSORI_API_KEY") != "" {
		c, err := versori.NewClient() // reads VERSORI_API_KEY, VERSORI_BASE_URL and VERSORI_ORGANISATION_ID
		if err != nil {
			return err
		}
		return connectOAuth2(ctx, w, c, os.Getenv("VERSORI_HUB_ID"), externalID, clientID, askForCode(w, os.Stdin))
	}
	fake := versoritest.NewServer()
	defer fake.Close()
	fmt.Fprintln(w, "VERSORI_API_KEY is unset: running offline, against an in-process fake of Versori")
	return connectOAuth2(ctx, w, fake.Client(), fake.Seeded().HubID, externalID, clientID, pretendApproval(w))
}

// connectOAuth2 creates an end user and connects them, through OAuth 2.0, to
// the system of the first integration that needs it, activating it.
func connectOAuth2(ctx context.Context, w io.Writer, c *versori.Client, hubID, externalID, clientID string, approve approveFunc) error {
	if hubID == "" {
		return errors.New("set VERSORI_HUB_ID to the hub to work in")
	}
	hub, err := c.Hubs.Get(ctx, hubID)
	if err != nil {
		return fmt.Errorf("get hub: %w", err)
	}
	primary := versori.ActionCredential(hub.PrimaryConnector.AuthSchemeConfig, versori.APIKey(externalID+" key", "placeholder-key"))
	user, err := c.Users.Create(ctx, hub.ID, versori.CreateEndUserParams{ExternalID: externalID, PrimaryConnection: versori.ConnectionCreate{Name: externalID, Credentials: primary}})
	if err != nil {
		return fmt.Errorf("create end user: %w", err)
	}
	fmt.Fprintf(w, "1. end user %s created\n", user.ExternalID)

	integration, tmpl, scheme, err := findOAuth2Template(ctx, c, hub.ID, user.Ref())
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "2. %q needs an OAuth 2.0 connection to %s\n", integration.Name, tmpl.Name)

	// The OAuth 2.0 client (with its secret) is a credential stored in
	// Versori: the template's grant names it, or you pass its ID.
	client := versori.OAuth2ClientRef{ID: os.Getenv("VERSORI_OAUTH2_CREDENTIAL_ID"), OrganisationID: c.OrganisationID()}
	if g, ok := scheme.Grant.(versori.AuthorizationCodeGrant); ok && g.CredentialID != "" {
		client = versori.OAuth2ClientRef{ID: g.CredentialID, OrganisationID: g.OrganisationID}
		if clientID == "" {
			clientID = g.ClientID
		}
	}
	if client.ID == "" || client.OrganisationID == "" {
		return errors.New("the template's grant names no OAuth 2.0 client: set VERSORI_OAUTH2_CREDENTIAL_ID and VERSORI_ORGANISATION_ID")
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

	code, state, err := approve(auth.URL)
	if err != nil {
		return err
	}
	// Your redirect handler receives ?code=...&state=... and gives both to
	// Versori as an oauth2-code credential; Versori exchanges the code and
	// keeps the tokens, so it reads back as an oauth2-token credential.
	codeCredential := versori.OAuth2Code(externalID+" "+tmpl.Name, code, state)
	a, err := c.Activations.Create(ctx, versori.CreateActivationParams{
		User:          user.Ref(),
		IntegrationID: integration.ID,
		Connections: []versori.ActivationConnection{versori.NewConnection{
			TemplateID:  tmpl.ID,
			Name:        externalID + " " + tmpl.Name,
			Credentials: versori.ActionCredential(tmpl.AuthSchemeConfig, codeCredential),
		}},
	})
	if err != nil {
		return fmt.Errorf("activate: %w", err)
	}
	fmt.Fprintf(w, "4. code exchanged and %q activated (activation %s)\n", a.Integration.Name, a.ID)

	conn, err := c.Connections.Get(ctx, tmpl.ID, user.Ref())
	if err != nil {
		return fmt.Errorf("get connection: %w", err)
	}
	fmt.Fprintf(w, "5. the connection's credential is now of type %s: Versori holds the tokens\n", conn.Credentials.Action[0].Credential.Type)
	return nil
}

// findOAuth2Template returns the first deployed integration with an OAuth 2.0
// authorization code template.
func findOAuth2Template(ctx context.Context, c *versori.Client, hubID string, user versori.UserRef) (*versori.EmbeddedIntegration, versori.ConnectionTemplate, versori.OAuth2Scheme, error) {
	deployed := &versori.ListEmbeddedIntegrationsParams{Deployed: versori.Ptr(true)}
	for summary, err := range c.Embed.AllIntegrations(ctx, hubID, user, deployed) {
		if err != nil {
			return nil, versori.ConnectionTemplate{}, versori.OAuth2Scheme{}, fmt.Errorf("list integrations: %w", err)
		}
		in, err := c.Embed.GetIntegration(ctx, hubID, user, summary.ID)
		if err != nil {
			return nil, versori.ConnectionTemplate{}, versori.OAuth2Scheme{}, fmt.Errorf("get integration: %w", err)
		}
		for _, t := range in.ConnectionTemplates {
			s, ok := t.AuthSchemeConfig.Scheme.(versori.OAuth2Scheme)
			if _, code := s.Grant.(versori.AuthorizationCodeGrant); ok && code && !t.IsPrimary {
				return in, t, s, nil
			}
		}
	}
	return nil, versori.ConnectionTemplate{}, versori.OAuth2Scheme{}, errors.New("no deployed integration needs an OAuth 2.0 authorization code connection")
}

// pretendApproval plays the user and the provider offline: it approves at
// once and returns a made-up code with the state Versori issued.
func pretendApproval(w io.Writer) approveFunc {
	return func(authorizeURL string) (string, string, error) {
		fmt.Fprintln(w, "   (offline: pretending the user approved and the provider redirected back)")
		state, err := stateOf(authorizeURL)
		return "offline-code", state, err // the fake takes any code
	}
}

// askForCode asks for the code of the real redirect.
func askForCode(w io.Writer, in io.Reader) approveFunc {
	return func(authorizeURL string) (string, string, error) {
		fmt.Fprint(w, "   paste the code from the redirect: ")
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && line == "" {
			return "", "", fmt.Errorf("reading the code: %w", err)
		}
		state, err := stateOf(authorizeURL)
		return strings.TrimSpace(line), state, err
	}
}

// stateOf returns the state Versori put in the authorize URL, which the
// redirect carries back.
func stateOf(authorizeURL string) (string, error) {
	u, err := url.Parse(authorizeURL)
	if err != nil {
		return "", fmt.Errorf("authorize URL: %w", err)
	}
	return u.Query().Get("state"), nil
}
