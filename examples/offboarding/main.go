// Command offboarding removes an end user who left: it deactivates each of
// their integrations, then deletes the user (which also deletes their
// connections and credentials), and checks they are gone. Run again after a
// partial failure, it finishes the job.
//
//	go run ./examples/offboarding [-external-id acme-42]
//
// Offline by default: with VERSORI_API_KEY unset it starts an in-process fake
// of Versori and first gives it an end user with an activation to offboard.
//
// To run it against Versori, set:
//
//	VERSORI_API_KEY   an API key of your organisation
//	VERSORI_HUB_ID    the end user's hub
//	VERSORI_BASE_URL  optional: another API, such as versori.StagingBaseURL
//
// and pass -external-id: the end user to remove, such as one the quickstart
// created. It is deleted for good.
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
	"github.com/versori-go/versori/versoritest"
)

func main() {
	externalID := flag.String("external-id", "", "external ID of the end user to remove (offline: a demo user)")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, *externalID); err != nil {
		fmt.Fprintln(os.Stderr, "offboarding:", err)
		os.Exit(1)
	}
}

// run offboards an end user in Versori, or in an in-process fake when
// VERSORI_API_KEY is unset.
func run(ctx context.Context, w io.Writer, externalID string) error {
	if os.Getenv("VERSORI_API_KEY") != "" {
		if externalID == "" {
			return errors.New("pass -external-id: the end user to remove")
		}
		c, err := versori.NewClient() // reads VERSORI_API_KEY and VERSORI_BASE_URL
		if err != nil {
			return err
		}
		return offboard(ctx, w, c, os.Getenv("VERSORI_HUB_ID"), versori.ExternalUser(externalID))
	}
	fake := versoritest.NewServer()
	defer fake.Close()
	fmt.Fprintln(w, "VERSORI_API_KEY is unset: running offline, against an in-process fake of Versori")
	if externalID == "" {
		externalID = "leaving-customer"
	}
	if err := createLeaver(ctx, fake, externalID); err != nil {
		return fmt.Errorf("create the end user to offboard: %w", err)
	}
	fmt.Fprintf(w, "0. (offline) created %s with an activation of Slack Alerts\n", externalID)
	return offboard(ctx, w, fake.Client(), fake.Seeded().HubID, versori.ExternalUser(externalID))
}

// offboard removes an end user, named by external or internal ID.
func offboard(ctx context.Context, w io.Writer, c *versori.Client, hubID string, user versori.UserRef) error {
	if hubID == "" {
		return errors.New("set VERSORI_HUB_ID to the end user's hub")
	}

	// Collect first, then delete: deleting while paging would shift the
	// pages. An end user already gone has none left.
	var ids []string
	for a, err := range c.Activations.All(ctx, hubID, user, nil) {
		if errors.Is(err, versori.ErrNotFound) {
			break
		}
		if err != nil {
			return fmt.Errorf("list activations: %w", err)
		}
		ids = append(ids, a.ID)
	}
	fmt.Fprintf(w, "1. %s has %d activation(s)\n", user.ID(), len(ids))
	for _, id := range ids {
		// An activation already gone counts as done, so a rerun after a
		// partial failure finishes the job.
		if err := c.Activations.Delete(ctx, id); err != nil && !errors.Is(err, versori.ErrNotFound) {
			return fmt.Errorf("deactivate %s: %w", id, err)
		}
		fmt.Fprintf(w, "2. deactivated %s\n", id)
	}

	if err := c.Users.Delete(ctx, hubID, user); err != nil && !errors.Is(err, versori.ErrNotFound) {
		return fmt.Errorf("delete end user: %w", err)
	}
	fmt.Fprintf(w, "3. deleted end user %s with their connections\n", user.ID())

	if _, err := c.Users.Get(ctx, hubID, user); !errors.Is(err, versori.ErrNotFound) {
		return fmt.Errorf("end user still readable after deletion: %v", err)
	}
	fmt.Fprintln(w, "4. confirmed: the end user is gone")
	return nil
}

// createLeaver gives the fake an end user with an activation of its seeded
// "Slack Alerts", whose Slack connection takes an API key.
func createLeaver(ctx context.Context, fake *versoritest.Server, externalID string) error {
	c, seeded := fake.Client(), fake.Seeded()
	hub, err := c.Hubs.Get(ctx, seeded.HubID)
	if err != nil {
		return err
	}
	primary := versori.ActionCredential(hub.PrimaryConnector.AuthSchemeConfig, versori.APIKey(externalID+" key", "placeholder-key"))
	if _, err := c.Users.Create(ctx, hub.ID, versori.CreateEndUserParams{ExternalID: externalID, PrimaryConnection: versori.ConnectionCreate{Name: externalID, Credentials: primary}}); err != nil {
		return err
	}
	slack, err := c.Embed.GetIntegration(ctx, hub.ID, versori.ExternalUser(externalID), seeded.Integrations[1].ID)
	if err != nil {
		return err
	}
	var conns []versori.ActivationConnection
	for _, t := range slack.ConnectionTemplates {
		if !t.IsPrimary {
			credentials := versori.ActionCredential(t.AuthSchemeConfig, versori.APIKey(externalID+" "+t.Name+" key", "xoxb-placeholder"))
			conns = append(conns, versori.NewConnection{TemplateID: t.ID, Name: externalID + " " + t.Name, Credentials: credentials})
		}
	}
	_, err = c.Activations.Create(ctx, versori.CreateActivationParams{User: versori.ExternalUser(externalID), IntegrationID: slack.ID, Connections: conns})
	return err
}
