// Command hub-setup sets up what end users will see: a hub built around your
// product's connector, an integration in it, and the connection templates
// that say which systems an end user connects, and how.
//
//	go run ./examples/hub-setup
//
// Offline by default: with VERSORI_API_KEY unset it starts an in-process fake
// of Versori and runs against it, with the fake's connectors.
//
// To run it against Versori, set:
//
//	VERSORI_API_KEY               an API key of your organisation
//	VERSORI_ORGANISATION_ID       your organisation's ID
//	VERSORI_PRIMARY_CONNECTOR_ID  the connector of your product, which the hub is built around
//	VERSORI_CONNECTOR_ID          a connector the integration connects to, with OAuth 2.0
//	VERSORI_BASE_URL              optional: another API, such as versori.StagingBaseURL
//
// Both connectors must exist in the organisation. The example creates a hub
// "Partner integrations" with an integration "Orders sync", and leaves them.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "hub-setup:", err)
		os.Exit(1)
	}
}

// run sets up a hub in Versori, or in an in-process fake when
// VERSORI_API_KEY is unset.
func run(ctx context.Context, w io.Writer) error {
	if os.Getenv("VERSORI_API_KEY") != "" {
		c, err := versori.NewClient() // reads VERSORI_API_KEY, VERSORI_BASE_URL and VERSORI_ORGANISATION_ID
		if err != nil {
			return err
		}
		return setUpHub(ctx, w, c, os.Getenv("VERSORI_PRIMARY_CONNECTOR_ID"), os.Getenv("VERSORI_CONNECTOR_ID"))
	}
	fake := versoritest.NewServer()
	defer fake.Close()
	fmt.Fprintln(w, "VERSORI_API_KEY is unset: running offline, against an in-process fake of Versori")
	seeded := fake.Seeded()
	shopify := seeded.Integrations[0].Templates[1].ConnectorID
	return setUpHub(ctx, w, fake.Client(), seeded.PrimaryConnectorID, shopify)
}

// setUpHub creates the hub, in the client's organisation, and its
// integration.
func setUpHub(ctx context.Context, w io.Writer, c *versori.Client, primaryConnector, otherConnector string) error {
	if c.OrganisationID() == "" || primaryConnector == "" || otherConnector == "" {
		return errors.New("set VERSORI_ORGANISATION_ID, VERSORI_PRIMARY_CONNECTOR_ID and VERSORI_CONNECTOR_ID")
	}

	// End users authenticate to your product with an API key in a header.
	productAuth := versori.AuthSchemeConfig{
		Description: "Your product's API key",
		Scheme:      versori.APIKeyScheme{Name: "X-API-Key", In: versori.InHeader},
	}
	hub, err := c.Hubs.Create(ctx, versori.CreateHubParams{
		OrganisationID:     c.OrganisationID(),
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
		OrganisationID:  c.OrganisationID(),
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
