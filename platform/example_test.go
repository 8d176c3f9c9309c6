package platform_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

// The examples run against versoritest's fake, seeded with one project, one
// environment and its connection templates. Real code makes its client with
// platform.NewClient(), which reads VERSORI_API_KEY and
// VERSORI_ORGANISATION_ID.

// exampleFake starts a fake and a Platform client for it.
func exampleFake() (*platform.Client, *versoritest.Server) {
	srv := versoritest.NewServer()
	return srv.PlatformClient(), srv
}

// exampleTemplate returns the seeded environment's template of the system
// named name, with its auth scheme configs as the API lists them.
func exampleTemplate(ctx context.Context, c *platform.Client, srv *versoritest.Server, name string) platform.ConnectionTemplate {
	seed := srv.Seeded().Platform
	params := &platform.ListConnectionTemplatesParams{EnvironmentID: seed.EnvironmentID}
	for t, err := range c.Templates.All(ctx, seed.ProjectID, params) {
		if err != nil {
			log.Fatal(err)
		}
		if t.Name == name {
			return t
		}
	}
	log.Fatalf("no template %q", name)
	return platform.ConnectionTemplate{}
}

// exampleUser creates the end user the examples act for.
func exampleUser(ctx context.Context, c *platform.Client) *platform.EndUser {
	user, err := c.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "acme-42", DisplayName: "Acme Ltd"})
	if err != nil {
		log.Fatal(err)
	}
	return user
}

// exampleCredential returns placeholder data for scheme, of the first
// credential type it accepts.
func exampleCredential(scheme platform.AuthScheme) platform.CredentialData {
	for _, t := range platform.AcceptedCredentials(scheme) {
		switch t {
		case platform.CredentialTypeString:
			return platform.StringCredential{Value: versori.NewSecret("key")}
		case platform.CredentialTypeBasicAuth:
			return platform.BasicAuthCredential{Username: "acme", Password: versori.NewSecret("pw")}
		case platform.CredentialTypeOAuth2Token:
			return platform.OAuth2TokenCredential{RefreshToken: versori.NewSecret("refresh")}
		case platform.CredentialTypeOAuth2Client:
			return platform.OAuth2ClientCredential{ClientID: "acme", ClientSecret: versori.NewSecret("secret"), TokenURL: scheme.(platform.OAuth2Scheme).TokenURL}
		case platform.CredentialTypeOAuth1:
			return platform.OAuth1Credential{State: "state", OAuthToken: "token", OAuthVerifier: versori.NewSecret("verifier")}
		case platform.CredentialTypeOAuth1Token:
			return platform.OAuth1TokenCredential{Token: versori.NewSecret("t"), TokenSecret: versori.NewSecret("s")}
		}
	}
	log.Fatalf("no placeholder for a %s scheme", platform.SchemeTypeOf(scheme))
	return nil
}

func ExampleNewClient() {
	c, err := platform.NewClient(
		versori.WithAPIKey("vkey_example"),           // or leave it out and set VERSORI_API_KEY
		versori.WithOrganisationID("01ORG42"),        // or VERSORI_ORGANISATION_ID
		versori.WithBaseURL(platform.StagingBaseURL), // or VERSORI_PLATFORM_BASE_URL; production by default
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.BaseURL(), c.OrganisationID())

	// Without an organisation, there is no client.
	_, err = platform.NewClient(versori.WithAPIKey("vkey_example"), versori.WithOrganisationID(""))
	fmt.Println(errors.Is(err, versori.ErrValidation))
	// Output:
	// https://platform-staging.versori.com/api/v2 01ORG42
	// true
}

func ExampleUsersService_Create() {
	c, srv := exampleFake()
	defer srv.Close()
	ctx := context.Background()

	user, err := c.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "acme-42", DisplayName: "Acme Ltd"})
	if err != nil {
		log.Fatal(err)
	}
	// Every call that takes an end user takes your ID or Versori's.
	byExternal, err := c.Users.Get(ctx, platform.ExternalID("acme-42"))
	if err != nil {
		log.Fatal(err)
	}
	byID, err := c.Users.Get(ctx, user.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(byExternal.DisplayName, byID.ExternalID, byExternal.ID == byID.ID)

	_, err = c.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "acme-42"})
	fmt.Println(errors.Is(err, versori.ErrConflict))
	// Output:
	// Acme Ltd acme-42 true
	// true
}

func ExampleUsersService_All() {
	c, srv := exampleFake()
	defer srv.Close()
	ctx := context.Background()
	for _, id := range []platform.ExternalID{"a-1", "a-2", "a-3"} {
		if _, err := c.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: id}); err != nil {
			log.Fatal(err)
		}
	}
	// All fetches page after page (two users a page here) as the loop asks.
	for u, err := range c.Users.All(ctx, &platform.ListEndUsersParams{First: 2}) {
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
	c, srv := exampleFake()
	defer srv.Close()
	ctx := context.Background()
	user := exampleUser(ctx, c)

	// The template's auth scheme says which credential fits.
	t := exampleTemplate(ctx, c, srv, "acme")
	scheme := t.AuthSchemeConfigs[0]
	fmt.Println(platform.SchemeTypeOf(scheme.Scheme), platform.AcceptedCredentials(scheme.Scheme))

	conn, err := c.Connections.Create(ctx, platform.CreateConnectionParams{
		TemplateID: t.ConnectionTemplateID,
		ExternalID: user.ExternalID,
		Connection: platform.ConnectionCreate{
			Name: "acme-42 CRM",
			Credentials: []platform.ConnectionCredential{
				platform.CredentialFor(scheme, "acme-42 key", platform.StringCredential{Value: versori.NewSecret("sk_live_123")}),
			},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	cred := conn.Credentials[0].Credential
	fmt.Printf("%s: credential %q of type %s; secret read back: %q\n", conn.Name, cred.Name, cred.Type, cred.Data.(platform.StringCredential).Value)

	// A credential that does not fit the scheme is refused before anything is sent.
	_, err = c.Connections.Create(ctx, platform.CreateConnectionParams{
		TemplateID: t.ConnectionTemplateID,
		ExternalID: user.ExternalID,
		Connection: platform.ConnectionCreate{
			Name: "wrong",
			Credentials: []platform.ConnectionCredential{
				platform.CredentialFor(scheme, "wrong", platform.BasicAuthCredential{Username: "u", Password: versori.NewSecret("p")}),
			},
		},
	})
	fmt.Println(errors.Is(err, versori.ErrNotSent))
	// Output:
	// api-key [string]
	// acme-42 CRM: credential "acme-42 key" of type string; secret read back: ""
	// true
}

func ExampleActivationsService_Create() {
	c, srv := exampleFake()
	defer srv.Close()
	ctx := context.Background()
	seed := srv.Seeded().Platform
	env := seed.EnvironmentID
	user := exampleUser(ctx, c)

	// Activating needs a connection for every dynamic template of the
	// environment: here, a new one for each, made in the same call.
	var bindings []platform.ActivationConnection
	for t, err := range c.Templates.All(ctx, seed.ProjectID, &platform.ListConnectionTemplatesParams{EnvironmentID: env}) {
		if err != nil {
			log.Fatal(err)
		}
		if !t.Dynamic {
			continue
		}
		scheme := t.AuthSchemeConfigs[0]
		bindings = append(bindings, platform.ActivationConnection{
			TemplateID: t.ConnectionTemplateID,
			Connection: &platform.ConnectionCreate{
				Name:        "acme-42 " + t.Name,
				Credentials: []platform.ConnectionCredential{platform.CredentialFor(scheme, t.Name, exampleCredential(scheme.Scheme))},
			},
		})
	}
	a, err := c.Activations.Create(ctx, platform.CreateActivationParams{
		User:             user.ExternalID,
		EnvironmentID:    env,
		Connections:      bindings,
		DynamicVariables: versori.DynamicVariables{"region": "eu"},
	})
	if err != nil {
		log.Fatal(err)
	}
	vars, err := c.Activations.SetVariable(ctx, env, a.ID, "syncIntervalMinutes", 15)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(bindings), "connections;", "region", vars["region"], "every", vars["syncIntervalMinutes"], "minutes")

	// An end user without a connection for every dynamic template is
	// refused, each missing template named in the error's fields.
	other, err := c.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "acme-43"})
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.Activations.Create(ctx, platform.CreateActivationParams{User: other.ExternalID, EnvironmentID: env})
	var apiErr *versori.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("refused:", apiErr.StatusCode, len(apiErr.Fields), "templates missing")
	}
	// And a second activation of the same user in the same environment
	// conflicts.
	_, err = c.Activations.Create(ctx, platform.CreateActivationParams{User: user.ExternalID, EnvironmentID: env})
	if errors.As(err, &apiErr) {
		fmt.Println("again:", apiErr.StatusCode)
	}
	// Output:
	// 5 connections; region eu every 15 minutes
	// refused: 400 5 templates missing
	// again: 409
}

func ExampleProjectsService_List() {
	c, srv := exampleFake()
	defer srv.Close()
	list, err := c.Projects.List(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range list.Projects {
		for _, e := range p.Environments {
			fmt.Println(p.Name, "/", e.Name, e.Status)
		}
	}
	// Output:
	// Orders Sync / production running
}

func ExampleTemplatesService_All() {
	c, srv := exampleFake()
	defer srv.Close()
	seed := srv.Seeded().Platform
	params := &platform.ListConnectionTemplatesParams{EnvironmentID: seed.EnvironmentID}
	for t, err := range c.Templates.All(context.Background(), seed.ProjectID, params) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(t.Name, t.Dynamic, platform.SchemeTypeOf(t.AuthSchemeConfigs[0].Scheme))
	}
	// Output:
	// acme true api-key
	// zendesk true basic-auth
	// shopify true oauth2
	// netsuite true oauth2
	// trello true oauth1
	// slack false api-key
}

func ExampleSystemsService_InitialiseOAuth2() {
	c, srv := exampleFake()
	defer srv.Close()
	ctx := context.Background()
	var shopify versoritest.SeededSystem
	for _, s := range srv.Seeded().Platform.Systems {
		if s.Name == "Shopify" {
			shopify = s
		}
	}
	system, err := c.Systems.Get(ctx, shopify.ID)
	if err != nil {
		log.Fatal(err)
	}
	// The system's auth scheme has what the authorisation URL needs.
	params, err := platform.NewInitialiseOAuth2Params(system.AuthSchemeConfigs[0].Scheme)
	if err != nil {
		log.Fatal(err)
	}
	auth, err := c.Systems.InitialiseOAuth2(ctx, system.ID, params)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(system.Name, auth.URL != "")
	// Output:
	// Shopify true
}

func ExampleSigningKeysService_Create() {
	c, srv := exampleFake()
	defer srv.Close()
	ctx := context.Background()
	user := exampleUser(ctx, c)

	// The private half of a signing key is returned once, by Create: keep it
	// in your secret store.
	set, err := c.SigningKeys.Create(ctx, "embed tokens")
	if err != nil {
		log.Fatal(err)
	}
	key, err := set.SigningKey()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(set.Name, set.PrivateKey) // printing a secret never shows it

	// Mint the end user's token (its subject is their external ID) for your
	// front end; with it, calls act as that end user only.
	token, err := key.MintUserToken(user.Ref(), 0)
	if err != nil {
		log.Fatal(err)
	}
	asUser := srv.PlatformClient(versori.WithTokenSource(versori.StaticToken(token.Value.Reveal())))
	me, err := asUser.Users.Get(ctx, platform.ExternalID("acme-42"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(me.DisplayName)
	// Output:
	// embed tokens [REDACTED]
	// Acme Ltd
}
