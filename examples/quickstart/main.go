// Command quickstart is the Embedded API's activation flow from start to
// finish: it creates an end user with their primary connection, gives them a
// connection for an integration, activates the integration and reads the
// activation back, printing each step. Creating the end user shows the
// retry-safe create: what to do when a create fails.
//
//	go run ./examples/quickstart [-external-id acme-42]
//
// Offline by default: with VERSORI_API_KEY unset it starts an in-process fake
// of Versori (versoritest.NewServer) and runs against it; the fake cuts the
// connection of the first create, to show the retry-safe create at work.
//
// To run it against Versori, set:
//
//	VERSORI_API_KEY   an API key of your organisation
//	VERSORI_HUB_ID    the hub to create the end user in
//	VERSORI_BASE_URL  optional: another API, such as versori.StagingBaseURL
//
// The hub's primary connector must take an API key, and the hub must have a
// deployed integration whose other connection templates all take an API key
// and which needs no dynamic variables.
// The connections hold placeholder keys, so use a test hub. The end user is
// left in place: go run ./examples/offboarding -external-id <id> removes it.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

func main() {
	externalID := flag.String("external-id", "quickstart-"+rand.Text()[:6], "your ID for the customer: the end user's external ID")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *externalID); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run runs the quickstart against Versori, or against an in-process fake
// when VERSORI_API_KEY is unset.
func run(ctx context.Context, w io.Writer, externalID string) error {
	if os.Getenv("VERSORI_API_KEY") != "" {
		c, err := versori.NewClient() // reads VERSORI_API_KEY and VERSORI_BASE_URL
		if err != nil {
			return err
		}
		return quickstart(ctx, w, c, os.Getenv("VERSORI_HUB_ID"), externalID)
	}
	fake := versoritest.NewServer()
	defer fake.Close()
	fmt.Fprintln(w, "VERSORI_API_KEY is unset: running offline, against an in-process fake of Versori")
	fmt.Fprintln(w, "(the fake cuts the connection of the first create, to show the retry-safe create)")
	fake.FailNext(versoritest.OpCreateEndUser, 1, versoritest.Fault{Drop: true})
	return quickstart(ctx, w, fake.Client(), fake.Seeded().HubID, externalID)
}

// placeholderKey stands for the API keys a real backend would store: the
// customer's key for your product, and theirs for the systems they connect.
const placeholderKey = "placeholder-key"

// quickstart is the flow itself. It needs only a client and a hub, so its
// test runs it against versoritest.New(t).
func quickstart(ctx context.Context, w io.Writer, c *versori.Client, hubID, externalID string) error {
	if hubID == "" {
		return errors.New("set VERSORI_HUB_ID to the hub to work in")
	}
	hub, err := c.Hubs.Get(ctx, hubID)
	if err != nil {
		return fmt.Errorf("get hub: %w", err)
	}
	fmt.Fprintf(w, "1. hub %q, built around %s\n", hub.Name, hub.PrimaryConnector.Name)

	// The primary connection authenticates the end user to your product,
	// the hub's primary connector, in the way the hub's auth scheme says.
	user, err := createEndUser(ctx, w, c, hub.ID, versori.CreateEndUserParams{
		ExternalID:  externalID,
		DisplayName: "Quickstart customer",
		PrimaryConnection: versori.ConnectionCreate{
			Name:        externalID + " " + hub.PrimaryConnector.Name,
			Credentials: versori.ActionCredential(hub.PrimaryConnector.AuthSchemeConfig, versori.APIKey(externalID+" key", placeholderKey)),
		},
	})
	if err != nil {
		return fmt.Errorf("create end user: %w", err)
	}
	fmt.Fprintf(w, "2. end user %s created (Versori ID %s)\n", user.ExternalID, user.ID)

	integration, err := findIntegration(ctx, c, hub.ID, user.Ref())
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "3. activating %q, which connects to %d system(s)\n", integration.Name, len(integration.ConnectionTemplates))

	// The primary connection covers the primary connector's template; every
	// other template needs a connection of the end user's.
	var bindings []versori.ActivationConnection
	for _, tmpl := range integration.ConnectionTemplates {
		if tmpl.IsPrimary {
			fmt.Fprintf(w, "4. %s: the primary connection\n", tmpl.Name)
			continue
		}
		conn, err := c.Connections.Create(ctx, hub.ID, user.Ref(), versori.CreateConnectionParams{
			ConnectorID: tmpl.ConnectorID,
			Connection: versori.ConnectionCreate{
				Name:        externalID + " " + tmpl.Name,
				Credentials: versori.ActionCredential(tmpl.AuthSchemeConfig, versori.APIKey(externalID+" "+tmpl.Name+" key", placeholderKey)),
			},
		})
		if err != nil {
			return fmt.Errorf("connect %s: %w", tmpl.Name, err)
		}
		fmt.Fprintf(w, "4. %s: connection %q created\n", tmpl.Name, conn.Name)
		bindings = append(bindings, versori.ExistingConnection{TemplateID: tmpl.ID, ConnectionID: conn.ID})
	}

	activation, err := c.Activations.Create(ctx, versori.CreateActivationParams{
		User:          user.Ref(),
		IntegrationID: integration.ID,
		Connections:   bindings,
	})
	if err != nil {
		return fmt.Errorf("activate: %w", err)
	}
	fmt.Fprintf(w, "5. activated (activation %s)\n", activation.ID)

	page, err := c.Activations.List(ctx, hub.ID, user.Ref(), nil)
	if err != nil {
		return fmt.Errorf("list activations: %w", err)
	}
	fmt.Fprintf(w, "6. read back: %s has %d activation(s)\n", user.ExternalID, page.TotalCount)
	return nil
}

// createEndUser creates an end user, and is safe to retry and to run again:
// every error says whether the request may have reached Versori.
//
//   - errors.Is(err, versori.ErrNotSent): nothing reached Versori, so trying
//     again is safe (unless Versori's answer would not change: ErrValidation);
//   - errors.Is(err, versori.ErrMaybeProcessed): Versori may have created
//     the user before the answer was lost, so look the user up by external
//     ID before trying again;
//   - errors.Is(err, versori.ErrConflict): the user exists, made by an
//     earlier attempt or run.
//
// The SDK has already retried what it safely could before returning.
func createEndUser(ctx context.Context, w io.Writer, c *versori.Client, hubID string, params versori.CreateEndUserParams) (*versori.EndUser, error) {
	const attempts = 3
	ref := versori.ExternalUser(params.ExternalID)
	for attempt := 1; ; attempt++ {
		user, err := c.Users.Create(ctx, hubID, params)
		switch {
		case err == nil:
			return user, nil
		case errors.Is(err, versori.ErrConflict):
			fmt.Fprintf(w, "   %s exists already: reading it\n", params.ExternalID)
			return c.Users.Get(ctx, hubID, ref)
		case errors.Is(err, versori.ErrMaybeProcessed):
			fmt.Fprintf(w, "   create failed, but may have been processed: %v\n", err)
			found, lookupErr := c.Users.Get(ctx, hubID, ref)
			if lookupErr == nil {
				fmt.Fprintf(w, "   looked %s up: found, so the create went through\n", params.ExternalID)
				return found, nil
			}
			if !errors.Is(lookupErr, versori.ErrNotFound) {
				return nil, fmt.Errorf("%w; then looking the user up: %w", err, lookupErr)
			}
			fmt.Fprintf(w, "   looked %s up: not found, so creating again is safe\n", params.ExternalID)
		case errors.Is(err, versori.ErrNotSent) && !errors.Is(err, versori.ErrValidation):
			fmt.Fprintf(w, "   create not sent, so trying again is safe: %v\n", err)
		default:
			return nil, err // refused: trying again would not help
		}
		if attempt == attempts {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(attempt) * 100 * time.Millisecond):
		}
	}
}

// findIntegration returns the first deployed integration the end user has
// not activated whose connection templates, beside the primary one, all take
// an API key: AcceptedCredentials says which credentials a scheme takes.
func findIntegration(ctx context.Context, c *versori.Client, hubID string, user versori.UserRef) (*versori.EmbeddedIntegration, error) {
	deployed := &versori.ListEmbeddedIntegrationsParams{Deployed: versori.Ptr(true)}
	for summary, err := range c.Embed.AllIntegrations(ctx, hubID, user, deployed) {
		if err != nil {
			return nil, fmt.Errorf("list integrations: %w", err)
		}
		if summary.IsActivated {
			continue
		}
		integration, err := c.Embed.GetIntegration(ctx, hubID, user, summary.ID)
		if err != nil {
			return nil, fmt.Errorf("get integration %q: %w", summary.Name, err)
		}
		if takesAPIKeys(integration.ConnectionTemplates) {
			return integration, nil
		}
	}
	return nil, errors.New("no deployed integration left to activate whose connections all take an API key")
}

// takesAPIKeys reports whether every template but the primary one takes an
// API key (a string credential).
func takesAPIKeys(templates []versori.ConnectionTemplate) bool {
	for _, t := range templates {
		if !t.IsPrimary && !slices.Contains(versori.AcceptedCredentials(t.AuthSchemeConfig.Scheme), versori.CredentialTypeString) {
			return false
		}
	}
	return true
}
