package versori_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
)

func TestConnectionsCreateListAndGetForTemplate(t *testing.T) {
	c, fake := startFake(t)
	ctx := context.Background()
	seeded := fake.Seeded()
	user := versori.ExternalUser("conn-user")
	createUser(t, c, seeded.HubID, user.ID())

	var shopify, slack = seeded.Integrations[0].Templates[1], seeded.Integrations[1].Templates[1]
	require.Equal(t, "Shopify", shopify.Name)
	oauth := versori.AuthSchemeConfig{Scheme: versori.OAuth2Scheme{
		AuthorizeURL: "https://accounts.shopify.com/oauth/authorize",
		TokenURL:     "https://accounts.shopify.com/oauth/token",
		Grant:        versori.AuthorizationCodeGrant{},
	}}
	conn, err := c.Connections.Create(ctx, seeded.HubID, user, versori.CreateConnectionParams{
		ConnectorID: shopify.ConnectorID,
		Connection: versori.ConnectionCreate{
			Name: "shopify",
			Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{
				{AuthSchemeConfig: oauth, Credential: versori.NewCredential("code", versori.OAuth2CodeCredential{Code: "auth-code-123", State: "st"})},
				{AuthSchemeConfig: oauth, Credential: versori.NewCredential("token", versori.OAuth2TokenCredential{
					Scopes: []string{"read_orders"}, AccessToken: "at-secret", RefreshToken: "rt-secret", ExpiresAt: time.Now().Add(time.Hour).UTC().Truncate(time.Second),
				})},
			}},
			Variables: []versori.ConnectionVariable{{Name: "shop", Value: "acme"}},
		},
	})
	require.NoError(t, err)
	require.Len(t, conn.Credentials.Action, 2)
	assert.Equal(t, versori.CredentialTypeOAuth2Token, conn.Credentials.Action[0].Credential.Type, "an oauth2-code is exchanged and reads back as oauth2-token")
	tok, ok := conn.Credentials.Action[1].Credential.Data.(versori.OAuth2TokenCredential)
	require.True(t, ok)
	assert.Empty(t, tok.AccessToken, "redacted")
	assert.Empty(t, tok.RefreshToken, "redacted")
	assert.Equal(t, []string{"read_orders"}, tok.Scopes)
	assert.Equal(t, []versori.ConnectionVariable{{Name: "shop", Value: "acme"}}, conn.Variables)

	// A credential may reference an existing one instead of creating it.
	existing := conn.Credentials.Action[1].Credential.ID
	ref, err := c.Connections.Create(ctx, seeded.HubID, user, versori.CreateConnectionParams{
		ConnectorID: slack.ConnectorID,
		Connection: versori.ConnectionCreate{Name: "slack", Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
			AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "Authorization", In: versori.InHeader}},
			Credential:       versori.ExistingCredential(existing),
		}}}},
	})
	require.NoError(t, err)
	assert.Equal(t, existing, ref.Credentials.Action[0].Credential.ID)

	_, err = c.Connections.Create(ctx, seeded.HubID, user, versori.CreateConnectionParams{
		ConnectorID: slack.ConnectorID,
		Connection: versori.ConnectionCreate{Name: "bad ref", Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
			AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.NoneScheme{}},
			Credential:       versori.ExistingCredential("01JNOSUCHCREDENTIAL0000000"),
		}}}},
	})
	var apiErr *versori.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "connection.credentials.action[0].credential.id", apiErr.Fields[0].Field)

	all, err := c.Connections.List(ctx, seeded.HubID, user, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, all.TotalCount, "primary, shopify and slack")

	filtered, err := c.Connections.List(ctx, seeded.HubID, user, &versori.ListConnectionsParams{HubConnectorIDs: []string{shopify.ID, slack.ID}})
	require.NoError(t, err)
	assert.Equal(t, 2, filtered.TotalCount, "filtered by template, comma-joined")

	var names []string
	for s, err := range c.Connections.All(ctx, seeded.HubID, user, &versori.ListConnectionsParams{ListOptions: versori.ListOptions{First: 1}}) {
		require.NoError(t, err)
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"conn-user CRM", "shopify", "slack"}, names)

	got, err := c.Connections.GetForTemplate(ctx, shopify.ID, user)
	require.NoError(t, err)
	assert.Equal(t, conn.ID, got.ID)
	u, err := c.Users.Get(ctx, seeded.HubID, user)
	require.NoError(t, err)
	got, err = c.Connections.GetForTemplate(ctx, shopify.ID, versori.InternalUser(u.ID))
	require.NoError(t, err)
	assert.Equal(t, conn.ID, got.ID)
	_, err = c.Connections.GetForTemplate(ctx, shopify.ID, versori.ExternalUser("nobody"))
	assert.ErrorIs(t, err, versori.ErrNotFound)
}

func TestConnectionsEveryCredentialTypeIsAccepted(t *testing.T) {
	c, fake := startFake(t)
	ctx := context.Background()
	seeded := fake.Seeded()
	user := versori.ExternalUser("all-types")
	createUser(t, c, seeded.HubID, user.ID())

	data := []versori.CredentialData{
		versori.NoneCredential{},
		versori.StringCredential{Value: "s"},
		versori.BinaryCredential{Value: []byte{0, 1, 2, 255}},
		versori.BasicAuthCredential{Username: "u", Password: "p"},
		versori.OAuth2ClientCredential{ClientID: "id", ClientSecret: "cs", AuthorizeURL: "https://a.example/auth", TokenURL: "https://a.example/token"},
		versori.OAuth2CodeCredential{Code: "c", State: "s"},
		versori.OAuth2PasswordCredential{Username: "u", Password: "p"},
		versori.OAuth2TokenCredential{Scopes: []string{}, RefreshToken: "r"},
		versori.CertificateCredential{Certificate: "cert", Key: "key", CA: "ca"},
		versori.JWTBearerCredential{Algorithm: versori.JWTAlgorithmHS256, Secret: []byte("jwt-secret"), Payload: `{"aud":"x"}`, ExpiresIn: 24 * time.Hour, AuthorizationHeaderPrefix: "Bearer"},
		versori.CustomFunctionCredential{Data: []byte(`{"fn":"sign"}`)},
	}
	var creds []versori.ConnectionCredentialCreate
	for _, d := range data {
		creds = append(creds, versori.ConnectionCredentialCreate{
			AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.NoneScheme{}},
			Credential:       versori.NewCredential(string(d.CredentialType()), d),
		})
	}
	conn, err := c.Connections.Create(ctx, seeded.HubID, user, versori.CreateConnectionParams{
		ConnectorID: seeded.PrimaryConnectorID,
		Connection:  versori.ConnectionCreate{Name: "everything", Credentials: versori.ConnectionCredentialsCreate{Action: creds}},
	})
	require.NoError(t, err)
	require.Len(t, conn.Credentials.Action, len(data))
	for i, cc := range conn.Credentials.Action {
		want := data[i].CredentialType()
		if want == versori.CredentialTypeOAuth2Code {
			want = versori.CredentialTypeOAuth2Token
		}
		assert.Equal(t, want, cc.Credential.Type)
		assert.Equal(t, want, cc.Credential.Data.CredentialType(), "decoded to the right variant")
	}
}
