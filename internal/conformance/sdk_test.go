package conformance_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/conformance"
	"github.com/versori-go/versori/versoritest"
)

// TestEveryOperationConforms runs every operation of the spec through the SDK
// against the fake, recording each exchange, and fails if any request the SDK
// sent or any response the fake returned does not validate against the spec.
// Error responses (400 with fields, 401, 404, 409) are exercised too.
func TestEveryOperationConforms(t *testing.T) {
	rec := conformance.NewRecorder(t, http.DefaultTransport)
	fake := versoritest.New(t)
	c := fake.Client(versori.WithHTTPClient(&http.Client{Transport: rec}))
	ctx := context.Background()
	seeded := fake.Seeded()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	wantErr := func(what string, err, target error) {
		t.Helper()
		if !errors.Is(err, target) {
			t.Fatalf("%s: got %v, want %v", what, err, target)
		}
	}

	_, err := c.HealthCheck(ctx)
	must("HealthCheck", err)

	// Hubs.
	hub, err := c.Hubs.Get(ctx, seeded.HubID)
	must("GetHub", err)
	_, err = c.Hubs.List(ctx, seeded.OrganisationID)
	must("ListHubs", err)
	hub2, err := c.Hubs.Create(ctx, versori.CreateHubParams{
		OrganisationID: seeded.OrganisationID, Name: "Second", PrimaryConnectorID: seeded.PrimaryConnectorID,
		AuthSchemeConfig: versori.AuthSchemeConfig{Description: "basic", Scheme: versori.BasicAuthScheme{}},
	})
	must("CreateHub", err)
	_, err = c.Hubs.Update(ctx, hub2.ID, versori.UpdateHubParams{Name: "Renamed", IsDefault: versori.Ptr(false)})
	must("UpdateHubDetails", err)
	must("DeleteHub", c.Hubs.Delete(ctx, hub2.ID))
	_, err = c.Hubs.Get(ctx, hub2.ID)
	wantErr("GetHub deleted", err, versori.ErrNotFound)

	// End users, with a primary connection using the hub's own scheme.
	user := versori.ExternalUser("conf-user+1@acme.io")
	created, err := c.Users.Create(ctx, hub.ID, versori.CreateEndUserParams{
		ExternalID: user.ID(), DisplayName: "Conformance",
		PrimaryConnection: versori.ConnectionCreate{Name: "primary", Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
			AuthSchemeConfig: hub.PrimaryConnector.AuthSchemeConfig,
			Credential:       versori.NewCredential("key", versori.StringCredential{Value: versori.NewSecret("k-secret")}),
		}}}},
	})
	must("CreateEndUser", err)
	_, err = c.Users.Create(ctx, hub.ID, versori.CreateEndUserParams{ExternalID: user.ID(), PrimaryConnection: versori.ConnectionCreate{Name: "dup",
		Credentials: versori.ActionCredential(hub.PrimaryConnector.AuthSchemeConfig, versori.APIKey("key", "k-secret"))}})
	wantErr("CreateEndUser duplicate", err, versori.ErrConflict)
	_, err = c.Users.Get(ctx, hub.ID, user)
	must("GetEndUser", err)
	_, err = c.Users.Get(ctx, hub.ID, versori.InternalUser(created.ID))
	must("GetEndUser internal", err)
	_, err = c.Users.Get(ctx, hub.ID, versori.ExternalUser("nobody"))
	wantErr("GetEndUser missing", err, versori.ErrNotFound)
	_, err = c.Users.List(ctx, hub.ID, &versori.ListEndUsersParams{First: 1, Search: "conf"})
	must("ListEndUsers", err)

	// Connections with every credential type and every auth scheme.
	shopify := seeded.Integrations[0].Templates[1]
	slack := seeded.Integrations[1].Templates[1]
	var creds []versori.ConnectionCredentialCreate
	// Each credential type with a scheme it fits, and each scheme with a
	// credential that fits it (versori.AcceptedCredentials).
	for _, d := range allCredentialData() {
		creds = append(creds, versori.ConnectionCredentialCreate{
			AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: schemeFor(d)},
			Credential:       versori.NewCredential(string(versori.CredentialTypeOf(d)), d),
		})
	}
	for _, s := range allSchemes() {
		creds = append(creds, versori.ConnectionCredentialCreate{
			AuthSchemeConfig: versori.AuthSchemeConfig{Description: versori.SchemeTypeOf(s), Scheme: s},
			Credential:       versori.NewCredential("for "+versori.SchemeTypeOf(s), dataFor(s)),
		})
	}
	conn, err := c.Connections.Create(ctx, hub.ID, user, versori.CreateConnectionParams{
		ConnectorID: shopify.ConnectorID,
		Connection:  versori.ConnectionCreate{Name: "everything", Credentials: versori.ConnectionCredentialsCreate{Action: creds, Trigger: creds[:1]}, Variables: []versori.ConnectionVariable{{Name: "shop", Value: "acme"}}},
	})
	must("CreateEndUserConnection", err)
	// Valid to the spec, but for a connector the hub does not use: a 400 with fields.
	_, err = c.Connections.Create(ctx, hub.ID, user, versori.CreateConnectionParams{
		ConnectorID: ulid.Make().String(),
		Connection: versori.ConnectionCreate{Name: "bad", Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
			AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "X", In: versori.InHeader}},
			Credential:       versori.NewCredential("c", versori.StringCredential{Value: versori.NewSecret("v")}),
		}}}},
	})
	wantErr("CreateEndUserConnection invalid", err, versori.ErrValidation)
	// A credential may reference an existing one (see versori/README.md).
	_, err = c.Connections.Create(ctx, hub.ID, user, versori.CreateConnectionParams{
		ConnectorID: slack.ConnectorID,
		Connection: versori.ConnectionCreate{Name: "by reference", Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
			AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "Authorization", In: versori.InHeader}},
			Credential:       versori.ExistingCredential(created.PrimaryConnection.Credentials.Action[0].Credential.ID),
		}}}},
	})
	must("CreateEndUserConnection by reference", err)
	_, err = c.Connections.List(ctx, hub.ID, user, &versori.ListConnectionsParams{First: 2, HubConnectorIDs: []string{shopify.ID, slack.ID}})
	must("ListEndUserConnections", err)
	_, err = c.Connections.Get(ctx, shopify.ID, user)
	must("GetEndUserConnection", err)

	// Integrations and templates.
	in, err := c.Integrations.Create(ctx, hub.ID, versori.CreateIntegrationParams{
		OrganisationID: seeded.OrganisationID, Name: "Conformance", Summary: "s", Description: "d",
		VariablesSchema: json.RawMessage(`{"type":"object"}`),
		ConnectionTemplate: &versori.CreateConnectionTemplateParams{
			ConnectorID: seeded.PrimaryConnectorID, AuthSchemeConfig: hub.PrimaryConnector.AuthSchemeConfig,
		},
	})
	must("CreateIntegration", err)
	_, err = c.Integrations.List(ctx, hub.ID, &versori.ListIntegrationsParams{First: 2, Search: "o"})
	must("ListIntegrations", err)
	_, err = c.Integrations.Get(ctx, in.ID)
	must("GetIntegration", err)
	_, err = c.Integrations.Update(ctx, in.ID, versori.UpdateIntegrationParams{Name: "Renamed", ImageURL: "https://img.example/x.png", Description: "new", VariablesSchema: json.RawMessage(`{"type":"object"}`)})
	must("UpdateIntegration", err)
	tmpl, err := c.Integrations.CreateConnectionTemplate(ctx, in.ID, versori.CreateConnectionTemplateParams{
		ConnectorID: shopify.ConnectorID,
		AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.OAuth2Scheme{
			AuthorizeURL: "https://s.example/a", TokenURL: "https://s.example/t",
			Scopes: []versori.OAuth2Scope{{Name: "read"}}, DefaultScopes: []string{"read"},
			Grant: versori.PasswordGrant{ClientID: "id", ClientSecret: versori.NewSecret("cs-secret")},
		}},
	})
	must("CreateHubConnectionTemplate", err)
	_, err = c.Integrations.ListConnectionTemplates(ctx, in.ID, &versori.ListConnectionTemplatesParams{First: 1})
	must("ListIntegrationConnectionTemplates", err)
	must("UpdateIntegrationMetadata", c.Integrations.UpdateMetadata(ctx, in.ID, versori.IntegrationMetadata{UsedConnectionTemplates: []string{tmpl.ID}}))
	must("DeleteIntegration", c.Integrations.Delete(ctx, in.ID))

	// Embed.
	_, err = c.Embed.ListIntegrations(ctx, hub.ID, user, &versori.ListEmbeddedIntegrationsParams{Deployed: versori.Ptr(true)})
	must("ListEndUserIntegrations", err)
	_, err = c.Embed.GetIntegration(ctx, hub.ID, user, seeded.Integrations[0].ID)
	must("GetEmbeddedIntegration", err)
	_, err = c.Embed.InitialiseOAuth2(ctx, hub.ID, shopify.ConnectorID, versori.InitialiseOAuth2Params{
		Credential:   versori.OAuth2ClientRef{ID: shopify.OAuth2ClientCredentialID, OrganisationID: seeded.OrganisationID},
		AuthorizeURL: "https://accounts.shopify.com/oauth/authorize", ClientID: shopify.OAuth2ClientID, Scopes: []string{"read_orders"},
		Prompt: "consent", AdditionalParams: "foo=bar",
	})
	must("InitialiseOAuth2EmbeddedConnection", err)

	// Activations, with an existing and a new connection.
	a, err := c.Activations.Create(ctx, versori.CreateActivationParams{
		User: user, IntegrationID: seeded.Integrations[0].ID,
		Connections:      []versori.ActivationConnection{versori.ExistingConnection{TemplateID: shopify.ID, ConnectionID: conn.ID}},
		DynamicVariables: versori.DynamicVariables{"interval": 5},
	})
	must("ActivateIntegration existing", err)
	_, err = c.Activations.Create(ctx, versori.CreateActivationParams{
		User: versori.InternalUser(created.ID), IntegrationID: seeded.Integrations[1].ID,
		Connections: []versori.ActivationConnection{versori.NewConnection{
			TemplateID: slack.ID, Name: "slack",
			Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
				AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "Authorization", In: versori.InHeader}},
				Credential:       versori.NewCredential("bot", versori.StringCredential{Value: versori.NewSecret("xoxb")}),
			}}},
		}},
	})
	must("ActivateIntegration new", err)
	_, err = c.Activations.Get(ctx, a.ID)
	must("GetActivation", err)
	_, err = c.Activations.List(ctx, hub.ID, user, &versori.ListActivationsParams{First: 1, IntegrationID: seeded.Integrations[0].ID})
	must("ListEndUserActivations", err)
	_, err = c.Activations.UpdateVariables(ctx, a.ID, versori.DynamicVariables{"interval": 10})
	must("UpdateDynamicVariables", err)
	_, err = c.Activations.GetVariables(ctx, seeded.Integrations[0].ID, user)
	must("GetDynamicVariables", err)
	must("UpdateDynamicVariablesInternal", c.Activations.UpdateVariablesInternal(ctx, seeded.Integrations[0].ID, user, versori.DynamicVariables{"interval": 15}))
	must("DeleteActivation", c.Activations.Delete(ctx, a.ID))
	must("DeleteEndUser", c.Users.Delete(ctx, hub.ID, user))

	// A key the fake does not know.
	anon, err := versori.NewClient(versori.WithAPIKey("not-the-key"), versori.WithBaseURL(fake.URL), versori.WithHTTPClient(&http.Client{Transport: rec}))
	must("NewClient", err)
	_, err = anon.Hubs.Get(ctx, hub.ID)
	wantErr("GetHub with a wrong key", err, versori.ErrUnauthorized)

	rec.Assert(t)
	if n := len(rec.Exchanges()); n < 38 {
		t.Errorf("only %d exchanges recorded", n)
	}
	assertExercised(t, fake, versoritest.Operations())
}

func allCredentialData() []versori.CredentialData {
	return []versori.CredentialData{
		versori.NoneCredential{},
		versori.StringCredential{Value: versori.NewSecret("s")},
		versori.BinaryCredential{ValueBase64: versori.NewSecret("AAEC/w==")},
		versori.BasicAuthCredential{Username: "u", Password: versori.NewSecret("p")},
		versori.OAuth2ClientCredential{ClientID: "id", ClientSecret: versori.NewSecret("cs"), AuthorizeURL: "https://a.example/auth", TokenURL: "https://a.example/token", Scopes: []string{"a"}, AdditionalParams: "x=1", MTLSEnabled: true, MTLSCredentialID: "c"},
		versori.OAuth2CodeCredential{Code: versori.NewSecret("c"), State: "s"},
		versori.OAuth2PasswordCredential{Username: "u", Password: versori.NewSecret("p")},
		versori.OAuth2TokenCredential{Scopes: []string{"read"}, AccessToken: versori.NewSecret("at"), TokenType: "Bearer", ExpiresAt: time.Now().UTC().Add(time.Hour).Truncate(time.Second), RefreshToken: versori.NewSecret("r")},
		versori.CertificateCredential{Certificate: "cert", Key: versori.NewSecret("key"), CA: "ca"},
		versori.JWTBearerCredential{Algorithm: versori.JWTAlgorithmRS256, Secret: versori.NewSecret("and0LXNlY3JldA=="), Payload: `{"aud":"x"}`, ExpiresIn: "1h0m0s", AuthorizationHeaderPrefix: "JWT"},
		versori.CustomFunctionCredential{Data: versori.NewSecretJSON([]byte(`{"fn":"sign"}`))},
	}
}

// schemeFor returns a scheme d fits: the first of allSchemes whose accepted
// credentials hold d's type, or none for a type no scheme is tied to.
func schemeFor(d versori.CredentialData) versori.AuthScheme {
	for _, s := range allSchemes() {
		if slices.Contains(versori.AcceptedCredentials(s), versori.CredentialTypeOf(d)) {
			return s
		}
	}
	return versori.NoneScheme{}
}

// dataFor returns credential data that fits s.
func dataFor(s versori.AuthScheme) versori.CredentialData {
	for _, d := range allCredentialData() {
		if accepted := versori.AcceptedCredentials(s); len(accepted) > 0 && accepted[0] == versori.CredentialTypeOf(d) {
			return d
		}
	}
	return versori.StringCredential{Value: versori.NewSecret("v")}
}

func allSchemes() []versori.AuthScheme {
	return []versori.AuthScheme{
		versori.NoneScheme{},
		versori.APIKeyScheme{Name: "X-API-Key", In: versori.InQuery},
		versori.BasicAuthScheme{},
		versori.CertificateScheme{},
		versori.HMACScheme{Name: "X-Sig", In: versori.InHeader, Algorithm: versori.HMACSHA256, DigestInputs: []versori.HMACDigestInput{versori.DigestBody, versori.DigestURL}},
		versori.OAuth2Scheme{AuthorizeURL: "https://a.example/a", TokenURL: "https://a.example/t", Scopes: []versori.OAuth2Scope{{Name: "r", Description: "read"}}, DefaultScopes: []string{"r"},
			AdditionalAuthorizeParams: "a=1", AdditionalTokenParams: "b=2", MTLSEnabled: true, MTLSCredentialID: "m", Grant: versori.AuthorizationCodeGrant{ClientID: "id", ClientSecret: versori.NewSecret("s")}},
		versori.OAuth2Scheme{AuthorizeURL: "https://a.example/a", TokenURL: "https://a.example/t", Grant: versori.ClientCredentialsGrant{}},
		versori.OAuth2Scheme{AuthorizeURL: "https://a.example/a", TokenURL: "https://a.example/t", Grant: versori.PasswordGrant{ClientID: "id", ClientSecret: versori.NewSecret("s")}},
	}
}
