package versori_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"time"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

// exampleClient starts a fake for the examples; real code would use
// versori.NewClient(versori.WithAPIKey(os.Getenv("VERSORI_API_KEY"))).
func exampleClient() (*versori.Client, *versoritest.Server) {
	fake := versoritest.NewServer()
	c, err := versori.NewClient(versori.WithAPIKey(fake.APIKey), versori.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	return c, fake
}

func ExampleNewClient() {
	c, err := versori.NewClient(
		versori.WithAPIKey(os.Getenv("VERSORI_API_KEY")+"example-key"),
		versori.WithBaseURL(versori.StagingBaseURL),
		versori.WithUserAgent("acme-backend/1.4"),
		versori.WithRetryPolicy(versori.RetryPolicy{MaxRetries: 3, MaxDelay: 10 * time.Second}),
		versori.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.BaseURL())
	// Output: https://platform-staging.versori.com/api/embedded/v1
}

func ExampleUsersService_Create() {
	c, fake := exampleClient()
	defer fake.Close()
	ctx := context.Background()

	user, err := c.Users.Create(ctx, fake.Seeded().HubID, versori.CreateEndUserParams{
		ExternalID:  "acme-42",
		DisplayName: "Acme Ltd",
		PrimaryConnection: versori.ConnectionCreate{
			Name: "acme-42 CRM",
			Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
				AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "X-API-Key", In: versori.InHeader}},
				Credential:       versori.NewCredential("acme-42 key", versori.StringCredential{Value: "sk_live_..."}),
			}}},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	cred := user.PrimaryConnection.Credentials.Action[0].Credential
	fmt.Println(user.ExternalID, user.DisplayName)
	fmt.Printf("credential %q of type %s; secret read back: %q\n", cred.Name, cred.Type, cred.Data.(versori.StringCredential).Value)
	// Output:
	// acme-42 Acme Ltd
	// credential "acme-42 key" of type string; secret read back: ""
}

func ExampleUsersService_All() {
	c, fake := exampleClient()
	defer fake.Close()
	ctx := context.Background()
	hubID := fake.Seeded().HubID
	for _, id := range []string{"a-1", "a-2", "a-3"} {
		_, err := c.Users.Create(ctx, hubID, versori.CreateEndUserParams{
			ExternalID:        id,
			PrimaryConnection: versori.ConnectionCreate{Name: id, Credentials: versori.ConnectionCredentialsCreate{}},
		})
		if err != nil {
			log.Fatal(err)
		}
	}

	// All follows the cursors page by page (here, pages of 2).
	for u, err := range c.Users.All(ctx, hubID, &versori.ListEndUsersParams{ListOptions: versori.ListOptions{First: 2}}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.ExternalID)
	}
	// Output:
	// a-1
	// a-2
	// a-3
}

func ExampleAPIError() {
	c, fake := exampleClient()
	defer fake.Close()

	_, err := c.Users.Get(context.Background(), fake.Seeded().HubID, versori.ExternalUser("nobody"))
	if errors.Is(err, versori.ErrNotFound) {
		fmt.Println("no such user")
	}
	var apiErr *versori.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Method)
	}
	// Output:
	// no such user
	// 404 GET
}

func ExampleValidationError() {
	c, fake := exampleClient()
	defer fake.Close()

	// Refused before anything is sent.
	_, err := c.Users.Get(context.Background(), "", versori.ExternalUser("acme-42"))
	var ve *versori.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Field, errors.Is(err, versori.ErrValidation))
	}
	// Output: hubID true
}

func ExampleActivationsService_Create() {
	c, fake := exampleClient()
	defer fake.Close()
	ctx := context.Background()
	seeded := fake.Seeded()
	slackAlerts := seeded.Integrations[1] // needs the primary connector and Slack

	user := versori.ExternalUser("acme-42")
	_, err := c.Users.Create(ctx, seeded.HubID, versori.CreateEndUserParams{
		ExternalID:        user.ID(),
		PrimaryConnection: versori.ConnectionCreate{Name: "crm", Credentials: versori.ConnectionCredentialsCreate{}},
	})
	if err != nil {
		log.Fatal(err)
	}
	slack := slackAlerts.Templates[1]
	a, err := c.Activations.Create(ctx, versori.ActivateParams{
		UserID:        user.ID(),
		IntegrationID: slackAlerts.ID,
		Connections: []versori.ActivationConnection{versori.NewConnection{
			TemplateID: slack.ID,
			Name:       "acme-42 slack",
			Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
				AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "Authorization", In: versori.InHeader}},
				Credential:       versori.NewCredential("slack bot token", versori.StringCredential{Value: "xoxb-..."}),
			}}},
		}},
		DynamicVariables: versori.DynamicVariables{"channel": "#alerts"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Integration.Name, "activated for", a.User.ExternalID)
	// Output: Slack Alerts activated for acme-42
}

// Test your own code against the fake, including its retry and error paths.
func Example_testingWithVersoritest() {
	fake := versoritest.NewServer()
	defer fake.Close()
	c, _ := versori.NewClient(versori.WithAPIKey(fake.APIKey), versori.WithBaseURL(fake.URL),
		versori.WithRetryPolicy(versori.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond}))

	// The next two GetHub calls fail with 503; the SDK retries through them.
	fake.FailNext(versoritest.OpGetHub, 2, versoritest.Fault{Status: 503})
	hub, err := c.Hubs.Get(context.Background(), fake.Seeded().HubID)
	fmt.Println(hub.Name, err)

	for _, r := range fake.Requests() {
		fmt.Println(r.Operation, r.Method)
	}
	// Output:
	// Acme Embedded Hub <nil>
	// GetHub GET
	// GetHub GET
	// GetHub GET
}
