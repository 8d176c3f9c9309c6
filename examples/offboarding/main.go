// Command offboarding removes an end user who left: it deactivates each of
// their integrations, then deletes the user (which also deletes their
// connections and credentials), and checks they are gone.
//
// With VERSORI_API_KEY unset it runs against the in-process fake, first
// creating a user with an activation to offboard. For the real API set
// VERSORI_API_KEY, VERSORI_HUB_ID and -external-id.
//
//	go run ./examples/offboarding [-external-id acme-42]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/examples/internal/exampleenv"
)

func main() {
	externalID := flag.String("external-id", "", "external ID of the end user to offboard (offline: a demo user)")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *externalID); err != nil {
		fmt.Fprintln(os.Stderr, "offboarding failed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, externalID string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	env, err := exampleenv.Setup(w)
	if err != nil {
		return err
	}
	defer env.Close()
	c := env.Client

	if env.Fake != nil {
		if externalID == "" {
			externalID = "leaving-customer"
		}
		if err := createDemoUser(ctx, env, externalID); err != nil {
			return err
		}
		fmt.Fprintf(w, "0. (offline) created %s with an activation to offboard\n", externalID)
	}
	if externalID == "" {
		return errors.New("-external-id is required with the real API")
	}
	user := versori.ExternalUser(externalID)

	// Collect first, then delete: deleting while paging would shift the pages.
	var ids []string
	for a, err := range c.Activations.All(ctx, env.HubID, user, nil) {
		if err != nil {
			return fmt.Errorf("list activations: %w", err)
		}
		ids = append(ids, a.ID)
	}
	fmt.Fprintf(w, "1. %s has %d activation(s)\n", externalID, len(ids))
	for _, id := range ids {
		// An activation already gone counts as done, so a rerun after a
		// partial failure finishes the job.
		if err := c.Activations.Delete(ctx, id); err != nil && !errors.Is(err, versori.ErrNotFound) {
			return fmt.Errorf("deactivate %s: %w", id, err)
		}
		fmt.Fprintf(w, "2. deactivated %s\n", id)
	}

	if err := c.Users.Delete(ctx, env.HubID, user); err != nil && !errors.Is(err, versori.ErrNotFound) {
		return fmt.Errorf("delete end user: %w", err)
	}
	fmt.Fprintf(w, "3. deleted end user %s with their connections\n", externalID)

	if _, err := c.Users.Get(ctx, env.HubID, user); !errors.Is(err, versori.ErrNotFound) {
		return fmt.Errorf("end user still readable after deletion: %v", err)
	}
	fmt.Fprintln(w, "4. confirmed: the end user is gone")
	return nil
}

// createDemoUser gives the fake a user with one activation.
func createDemoUser(ctx context.Context, env *exampleenv.Env, externalID string) error {
	c := env.Client
	hub, err := c.Hubs.Get(ctx, env.HubID)
	if err != nil {
		return err
	}
	primary := hub.PrimaryConnector.AuthSchemeConfig
	if _, err := c.Users.Create(ctx, hub.ID, versori.CreateEndUserParams{
		ExternalID: externalID,
		PrimaryConnection: versori.ConnectionCreate{Name: externalID, Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
			AuthSchemeConfig: primary,
			Credential:       versori.NewCredential(externalID, exampleenv.DemoCredential(primary.Scheme)),
		}}}},
	}); err != nil {
		return err
	}
	slack := env.Fake.Seeded().Integrations[1]
	tmpl := slack.Templates[1]
	_, err = c.Activations.Create(ctx, versori.CreateActivationParams{
		User:          versori.ExternalUser(externalID),
		IntegrationID: slack.ID,
		Connections: []versori.ActivationConnection{versori.NewConnection{
			TemplateID: tmpl.ID,
			Name:       externalID + " " + tmpl.Name,
			Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
				AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "Authorization", In: versori.InHeader}},
				Credential:       versori.NewCredential(externalID+" slack", versori.StringCredential{Value: versori.NewSecret("xoxb-demo")}),
			}}},
		}},
	})
	return err
}
