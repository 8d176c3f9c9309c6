// Command hub-setup sets up what end users will see: a hub built around your
// product's connector, an integration in it, and the connection templates
// that say which systems an end user connects, and how.
//
// With VERSORI_API_KEY unset it runs against the in-process fake. For the real
// API set VERSORI_API_KEY, VERSORI_HUB_ID (any hub, used by the shared set-up),
// VERSORI_ORGANISATION_ID, VERSORI_PRIMARY_CONNECTOR_ID (your product's
// connector) and VERSORI_CONNECTOR_ID (the system the integration connects to).
//
//	go run ./examples/hub-setup
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/examples/internal/exampleenv"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "hub-setup failed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	env, err := exampleenv.Setup(w)
	if err != nil {
		return err
	}
	defer env.Close()
	c := env.Client

	primaryConnector, otherConnector := os.Getenv("VERSORI_PRIMARY_CONNECTOR_ID"), os.Getenv("VERSORI_CONNECTOR_ID")
	if env.Fake != nil {
		seeded := env.Fake.Seeded()
		primaryConnector = seeded.PrimaryConnectorID
		otherConnector = seeded.Integrations[0].Templates[1].ConnectorID // Shopify
	}
	if env.OrganisationID == "" || primaryConnector == "" || otherConnector == "" {
		return errors.New("set VERSORI_ORGANISATION_ID, VERSORI_PRIMARY_CONNECTOR_ID and VERSORI_CONNECTOR_ID")
	}

	// End users authenticate to your product with an API key in a header.
	productAuth := versori.AuthSchemeConfig{
		Description: "Your product's API key",
		Scheme:      versori.APIKeyScheme{Name: "X-API-Key", In: versori.InHeader},
	}
	hub, err := c.Hubs.Create(ctx, versori.CreateHubParams{
		OrganisationID:     env.OrganisationID,
		Name:               "Partner integrations",
		PrimaryConnectorID: primaryConnector,
		AuthSchemeConfig:   productAuth,
	})
	if err != nil {
		return fmt.Errorf("create hub: %w", err)
	}
	fmt.Fprintf(w, "1. hub %q created around connector %s\n", hub.Name, hub.PrimaryConnector.ConnectorID)

	// The integration starts with its primary template; its variables schema
	// shapes the dynamic variables end users give when activating.
	integration, err := c.Integrations.Create(ctx, hub.ID, versori.CreateIntegrationParams{
		OrganisationID:  env.OrganisationID,
		Name:            "Orders sync",
		Summary:         "Copy new orders into your product",
		Description:     "Every few minutes, new orders are copied into your product.",
		VariablesSchema: json.RawMessage(`{"type":"object","properties":{"syncIntervalMinutes":{"type":"integer","minimum":5}}}`),
		ConnectionTemplate: &versori.CreateConnectionTemplateParams{
			ConnectorID:      primaryConnector,
			AuthSchemeConfig: productAuth,
		},
	})
	if err != nil {
		return fmt.Errorf("create integration: %w", err)
	}
	fmt.Fprintf(w, "2. integration %q created (not deployed yet)\n", integration.Name)

	// The other system uses OAuth 2.0 with the authorization code grant.
	tmpl, err := c.Integrations.CreateConnectionTemplate(ctx, integration.ID, versori.CreateConnectionTemplateParams{
		ConnectorID: otherConnector,
		AuthSchemeConfig: versori.AuthSchemeConfig{
			Description: "Store OAuth 2.0",
			Scheme: versori.OAuth2Scheme{
				AuthorizeURL:  "https://accounts.shopify.com/oauth/authorize",
				TokenURL:      "https://accounts.shopify.com/oauth/token",
				Scopes:        []versori.OAuth2Scope{{Name: "read_orders", Description: "Read orders"}},
				DefaultScopes: []string{"read_orders"},
				Grant:         versori.AuthorizationCodeGrant{},
			},
		},
	})
	if err != nil {
		return fmt.Errorf("create connection template: %w", err)
	}
	fmt.Fprintf(w, "3. template %q added (%s)\n", tmpl.Name, versori.SchemeTypeOf(tmpl.AuthSchemeConfig.Scheme))

	n := 0
	for t, err := range c.Integrations.AllConnectionTemplates(ctx, integration.ID, nil) {
		if err != nil {
			return fmt.Errorf("list templates: %w", err)
		}
		n++
		fmt.Fprintf(w, "   - %s (primary: %t)\n", t.Name, t.IsPrimary)
	}
	fmt.Fprintf(w, "4. %q needs %d connections\n", integration.Name, n)

	list, err := c.Integrations.List(ctx, hub.ID, nil)
	if err != nil {
		return fmt.Errorf("list integrations: %w", err)
	}
	fmt.Fprintf(w, "5. hub %q has %d integration(s); deploy them from Versori to offer them to end users\n", hub.Name, list.Total)
	return nil
}
