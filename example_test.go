package versori_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

// exampleFake starts a fake and a client for it, for the examples. Real code
// makes its client with versori.NewClient(), which reads VERSORI_API_KEY, or
// with versori.WithAPIKey.
func exampleFake(opts ...versori.Option) (*versori.Client, *versoritest.Server) {
	c, fake, err := launchFake(opts...)
	if err != nil {
		log.Fatal(err)
	}
	return c, fake
}

func ExampleNewClient() {
	c, err := versori.NewClient(
		versori.WithAPIKey("vkey_example"), // or leave it out and set VERSORI_API_KEY
		versori.WithBaseURL(versori.StagingBaseURL),
		versori.WithUserAgent("acme-backend/1.4"),
		versori.WithRetryPolicy(versori.RetryPolicy{MaxRetries: 3, MaxDelay: 10 * time.Second}),
		versori.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.BaseURL())
	fmt.Println(c) // never the key
	// Output:
	// https://platform-staging.versori.com/api/embedded/v1
	// versori.Client{BaseURL: "https://platform-staging.versori.com/api/embedded/v1"}
}

func ExampleUsersService_Create() {
	c, fake := exampleFake()
	defer fake.Close()
	ctx := context.Background()

	// The hub's primary connector takes an API key in the X-API-Key header.
	scheme := versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "X-API-Key", In: versori.InHeader}}
	user, err := c.Users.Create(ctx, fake.Seeded().HubID, versori.CreateEndUserParams{
		ExternalID:  "acme-42",
		DisplayName: "Acme Ltd",
		PrimaryConnection: versori.ConnectionCreate{
			Name:        "acme-42 CRM",
			Credentials: versori.ActionCredential(scheme, versori.APIKey("acme-42 key", "sk_live_123")),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	cred := user.PrimaryConnection.Credentials.Action[0].Credential
	fmt.Println(user.ExternalID, user.DisplayName, user.Ref())
	fmt.Printf("credential %q of type %s; secret read back: %q\n", cred.Name, cred.Type, cred.Data.(versori.StringCredential).Value)
	// Output:
	// acme-42 Acme Ltd external:acme-42
	// credential "acme-42 key" of type string; secret read back: ""
}

func ExampleUsersService_All() {
	c, fake := exampleFake()
	defer fake.Close()
	ctx := context.Background()
	hubID := fake.Seeded().HubID
	scheme := versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "X-API-Key", In: versori.InHeader}}
	for _, id := range []string{"a-1", "a-2", "a-3"} {
		_, err := c.Users.Create(ctx, hubID, versori.CreateEndUserParams{
			ExternalID:        id,
			PrimaryConnection: versori.ConnectionCreate{Name: id, Credentials: versori.ActionCredential(scheme, versori.APIKey(id, "key-"+id))},
		})
		if err != nil {
			log.Fatal(err)
		}
	}

	// All follows the cursors page by page (here, pages of 2), holding one
	// page at a time.
	for u, err := range c.Users.All(ctx, hubID, &versori.ListEndUsersParams{First: 2}) {
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

func ExampleConnectionsService_Create() {
	c, fake := exampleFake()
	defer fake.Close()
	ctx := context.Background()
	seeded := fake.Seeded()
	user := createExampleUser(c, seeded.HubID, "acme-42")

	// The Slack connector takes a bot token as an API key in the
	// Authorization header: AcceptedCredentials says which credentials fit.
	slack := seeded.Integrations[1].Templates[1]
	scheme := versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "Authorization", In: versori.InHeader}}
	fmt.Println("accepted:", versori.AcceptedCredentials(scheme.Scheme))
	conn, err := c.Connections.Create(ctx, seeded.HubID, user, versori.CreateConnectionParams{
		ConnectorID: slack.ConnectorID,
		Connection: versori.ConnectionCreate{
			Name:        "acme-42 slack",
			Credentials: versori.ActionCredential(scheme, versori.APIKey("slack bot token", "xoxb-123")),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(conn.Name, conn.Credentials.Action[0].Credential.Type)

	// A credential that does not fit the scheme is refused before sending.
	_, err = c.Connections.Create(ctx, seeded.HubID, user, versori.CreateConnectionParams{
		ConnectorID: slack.ConnectorID,
		Connection: versori.ConnectionCreate{
			Name:        "wrong",
			Credentials: versori.ActionCredential(scheme, versori.BasicAuth("slack login", "jane", "pw")),
		},
	})
	fmt.Println(errors.Is(err, versori.ErrNotSent), err)
	// Output:
	// accepted: [string]
	// acme-42 slack string
	// true versori: connection.credentials.action[0].credential.data is a basic-auth credential, which does not fit the api-key auth scheme
}

func ExampleActivationsService_Create() {
	c, fake := exampleFake()
	defer fake.Close()
	ctx := context.Background()
	seeded := fake.Seeded()
	slackAlerts := seeded.Integrations[1] // needs the primary connector and Slack
	user := createExampleUser(c, seeded.HubID, "acme-42")

	slack := slackAlerts.Templates[1]
	a, err := c.Activations.Create(ctx, versori.CreateActivationParams{
		User:          user, // versori.ExternalUser("acme-42"), or versori.InternalUser(id)
		IntegrationID: slackAlerts.ID,
		Connections: []versori.ActivationConnection{versori.NewConnection{
			TemplateID: slack.ID,
			Name:       "acme-42 slack",
			Credentials: versori.ActionCredential(
				versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "Authorization", In: versori.InHeader}},
				versori.APIKey("slack bot token", "xoxb-123"),
			),
		}},
		DynamicVariables: versori.DynamicVariables{"channel": "#alerts"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Integration.Name, "activated for", a.User.ExternalID)
	// Output: Slack Alerts activated for acme-42
}

func ExampleHubsService_Get() {
	c, fake := exampleFake()
	defer fake.Close()

	hub, err := c.Hubs.Get(context.Background(), fake.Seeded().HubID)
	if err != nil {
		log.Fatal(err)
	}
	scheme := hub.PrimaryConnector.AuthSchemeConfig.Scheme
	fmt.Println(hub.Name, "is built around", hub.PrimaryConnector.Name)
	fmt.Println("end users connect with:", versori.SchemeTypeOf(scheme), versori.AcceptedCredentials(scheme))
	// Output:
	// Acme Embedded Hub is built around Acme CRM
	// end users connect with: api-key [string]
}

func ExampleIntegrationsService_All() {
	c, fake := exampleFake()
	defer fake.Close()

	for in, err := range c.Integrations.All(context.Background(), fake.Seeded().HubID, &versori.ListIntegrationsParams{First: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(in.Name)
	}
	// Output:
	// Shopify Orders Sync
	// Slack Alerts
	// Beta Integration
}

func ExampleEmbedService_ListIntegrations() {
	c, fake := exampleFake()
	defer fake.Close()
	seeded := fake.Seeded()
	user := createExampleUser(c, seeded.HubID, "acme-42")

	page, err := c.Embed.ListIntegrations(context.Background(), seeded.HubID, user, &versori.ListEmbeddedIntegrationsParams{Deployed: versori.Ptr(true)})
	if err != nil {
		log.Fatal(err)
	}
	for _, in := range page.Integrations {
		fmt.Printf("%s (activated: %t)\n", in.Name, in.IsActivated)
	}
	// Output:
	// Shopify Orders Sync (activated: false)
	// Slack Alerts (activated: false)
}

// Do calls an operation the typed API does not have yet, through the same
// request path: credentials, retries, errors and redaction.
func ExampleClient_Do() {
	c, fake := exampleFake()
	defer fake.Close()
	hubID := fake.Seeded().HubID
	createExampleUser(c, hubID, "jane@acme.io")

	var user struct {
		ID         string `json:"id"`
		ExternalID string `json:"externalId"`
	}
	err := c.Do(context.Background(), versori.Request{
		Method:    http.MethodGet,
		Path:      "/hubs/" + url.PathEscape(hubID) + "/users/" + url.PathEscape("jane@acme.io"),
		Query:     url.Values{"identifier_type": {"external"}},
		Operation: "GetEndUser",
	}, &user)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(user.ExternalID)

	err = c.Do(context.Background(), versori.Request{Method: http.MethodGet, Path: "/hubs/" + hubID + "/users/nobody", Operation: "GetEndUser"}, &user)
	fmt.Println(errors.Is(err, versori.ErrNotFound))
	// Output:
	// jane@acme.io
	// true
}

func ExampleAPIError() {
	c, fake := exampleFake()
	defer fake.Close()

	_, err := c.Users.Get(context.Background(), fake.Seeded().HubID, versori.ExternalUser("nobody"))
	if errors.Is(err, versori.ErrNotFound) {
		fmt.Println("no such user")
	}
	var apiErr *versori.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Method, apiErr.Operation)
	}
	// Output:
	// no such user
	// 404 GET GetEndUser
}

func ExampleValidationError() {
	c, fake := exampleFake()
	defer fake.Close()

	// Refused before anything is sent.
	_, err := c.Users.Get(context.Background(), "", versori.ExternalUser("acme-42"))
	var ve *versori.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Field, ve.Reason)
	}
	fmt.Println(errors.Is(err, versori.ErrValidation), errors.Is(err, versori.ErrNotSent))
	// Output:
	// hubID is required
	// true true
}

// ErrNotSent says nothing reached the API, whatever the cause: input the SDK
// refused, or a connection that could not be made. Such a call is always
// safe to repeat; ErrMaybeProcessed says the opposite.
func Example_errNotSent() {
	c, fake := exampleFake()
	hubID := fake.Seeded().HubID
	fake.Close() // nothing listens any more

	_, err := c.Users.Create(context.Background(), hubID, versori.CreateEndUserParams{
		ExternalID: "acme-42",
		PrimaryConnection: versori.ConnectionCreate{Name: "crm", Credentials: versori.ActionCredential(
			versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "X-API-Key", In: versori.InHeader}},
			versori.APIKey("key", "sk_live_123"),
		)},
	}, versori.WithMaxRetries(0))
	var te *versori.TransportError
	switch {
	case errors.Is(err, versori.ErrNotSent):
		fmt.Println("not sent: safe to retry later")
	case errors.Is(err, versori.ErrMaybeProcessed):
		fmt.Println("may have been created: look the user up before retrying")
	}
	fmt.Println(errors.As(err, &te), te.Sent)
	// Output:
	// not sent: safe to retry later
	// true false
}

// Test your own code against the fake, including its retry and error paths.
func Example_testingWithVersoritest() {
	c, fake := exampleFake(versori.WithRetryPolicy(versori.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond}))
	defer fake.Close()

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

// createExampleUser registers an end user with an API key for the hub's
// primary connector, and returns their reference.
func createExampleUser(c *versori.Client, hubID, externalID string) versori.UserRef {
	u, err := c.Users.Create(context.Background(), hubID, versori.CreateEndUserParams{
		ExternalID:        externalID,
		PrimaryConnection: primaryConnection(externalID),
	})
	if err != nil {
		log.Fatal(err)
	}
	return u.Ref()
}
