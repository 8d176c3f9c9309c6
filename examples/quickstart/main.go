// Command quickstart runs the end-user activation flow of the Versori
// Embedded API: it registers an end user with a primary connection, finds an
// integration they can activate, connects them to what it needs, activates
// it, and reads the activation back.
//
// With VERSORI_API_KEY unset it runs against the in-process fake; set
// VERSORI_API_KEY, VERSORI_HUB_ID and optionally VERSORI_BASE_URL to use the
// real API.
//
//	go run ./examples/quickstart [-external-id acme-42]
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/examples/internal/exampleenv"
)

func main() {
	externalID := flag.String("external-id", "", "external ID of the end user to create (default: a fresh one)")
	flag.Parse()
	if *externalID == "" {
		*externalID = "quickstart-" + randomHex(4)
	}
	if err := run(*externalID); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart failed:", err)
		os.Exit(1)
	}
}

func run(externalID string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	env, err := exampleenv.Setup(os.Stdout)
	if err != nil {
		return err
	}
	defer env.Close()
	c := env.Client

	hub, err := c.Hubs.Get(ctx, env.HubID)
	if err != nil {
		return fmt.Errorf("get hub: %w", err)
	}
	fmt.Printf("1. hub %q, built around %s\n", hub.Name, hub.PrimaryConnector.Name)

	// The end user's primary connection authenticates them to the hub's
	// primary connector, using the scheme the hub configures for it.
	primary := hub.PrimaryConnector.AuthSchemeConfig
	user, err := c.Users.Create(ctx, hub.ID, versori.CreateEndUserParams{
		ExternalID:  externalID,
		DisplayName: "Quickstart user",
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
	fmt.Printf("2. end user %s created (Versori ID %s)\n", user.ExternalID, user.ID)
	ref := versori.ExternalUser(user.ExternalID)

	var chosen *versori.EmbeddedIntegrationSummary
	deployed := 0
	for in, err := range c.Embed.AllIntegrations(ctx, hub.ID, ref, &versori.ListEmbeddedIntegrationsParams{Deployed: versori.Ptr(true)}) {
		if err != nil {
			return fmt.Errorf("list integrations: %w", err)
		}
		deployed++
		if chosen == nil && !in.IsActivated {
			chosen = &in
		}
	}
	if chosen == nil {
		return errors.New("no deployed integration left to activate for this user")
	}
	fmt.Printf("3. %d deployed integrations available; activating %q\n", deployed, chosen.Name)

	integration, err := c.Embed.GetIntegration(ctx, hub.ID, ref, chosen.ID)
	if err != nil {
		return fmt.Errorf("get integration: %w", err)
	}
	fmt.Printf("4. %q needs %d connections\n", integration.Name, len(integration.ConnectionTemplates))

	// Templates for the primary connector are covered by the primary
	// connection; every other one gets a connection of its own.
	var bindings []versori.ActivationConnection
	for _, tmpl := range integration.ConnectionTemplates {
		if tmpl.IsPrimary {
			continue
		}
		conn, err := c.Connections.Create(ctx, hub.ID, ref, versori.CreateConnectionParams{
			ConnectorID: tmpl.ConnectorID,
			Connection: versori.ConnectionCreate{
				Name: externalID + " " + tmpl.Name,
				Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
					AuthSchemeConfig: tmpl.AuthSchemeConfig,
					Credential:       versori.NewCredential(externalID+" "+tmpl.Name, exampleenv.DemoCredential(tmpl.AuthSchemeConfig.Scheme)),
				}}},
			},
		})
		if err != nil {
			return fmt.Errorf("create connection for %s: %w", tmpl.Name, err)
		}
		fmt.Printf("5. connection %q created for template %s\n", conn.Name, tmpl.Name)
		bindings = append(bindings, versori.ExistingConnection{TemplateID: tmpl.ID, ConnectionID: conn.ID})
	}

	activation, err := c.Activations.Create(ctx, versori.CreateActivationParams{
		User:             user.Ref(),
		IntegrationID:    integration.ID,
		Connections:      bindings,
		DynamicVariables: versori.DynamicVariables{"syncIntervalMinutes": 15},
	})
	if err != nil {
		return fmt.Errorf("activate: %w", err)
	}
	fmt.Printf("6. activated: activation %s\n", activation.ID)

	again, err := c.Activations.Get(ctx, activation.ID)
	if err != nil {
		return fmt.Errorf("get activation: %w", err)
	}
	fmt.Printf("7. read back: %q is activated for %s\n", again.Integration.Name, again.User.ExternalID)

	page, err := c.Activations.List(ctx, hub.ID, ref, nil)
	if err != nil {
		return fmt.Errorf("list activations: %w", err)
	}
	fmt.Printf("8. %s has %d activation(s)\n", user.ExternalID, page.TotalCount)
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
