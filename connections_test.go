package versori_test

import (
	"cmp"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

// shopifyScheme is the seeded Shopify template's scheme: OAuth 2.0 with the
// authorization_code grant.
func shopifyScheme() versori.AuthSchemeConfig {
	return versori.AuthSchemeConfig{Description: "Shopify OAuth 2.0", Scheme: versori.OAuth2Scheme{
		AuthorizeURL: "https://accounts.shopify.com/oauth/authorize",
		TokenURL:     "https://accounts.shopify.com/oauth/token",
		Grant:        versori.AuthorizationCodeGrant{},
	}}
}

func TestConnectionsCreateListAndGet(t *testing.T) {
	t.Parallel()
	c, seeded := startSeeded(t)
	ctx := t.Context()
	user := createUser(t, c, seeded.HubID, "conn-user").Ref()

	shopify, slack := seeded.Integrations[0].Templates[1], seeded.Integrations[1].Templates[1]
	require.Equal(t, "Shopify", shopify.Name)
	require.Equal(t, "Slack", slack.Name)
	conn, err := c.Connections.Create(ctx, seeded.HubID, user, versori.CreateConnectionParams{
		ConnectorID: shopify.ConnectorID,
		Connection: versori.ConnectionCreate{
			Name: "shopify",
			Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{
				{AuthSchemeConfig: shopifyScheme(), Credential: versori.NewCredential("code", versori.OAuth2CodeCredential{Code: versori.NewSecret("auth-code-123"), State: "st"})},
				{AuthSchemeConfig: shopifyScheme(), Credential: versori.NewCredential("token", versori.OAuth2TokenCredential{
					Scopes: []string{"read_orders"}, AccessToken: versori.NewSecret("at-secret"), RefreshToken: versori.NewSecret("rt-secret"), ExpiresAt: time.Now().Add(time.Hour).UTC().Truncate(time.Second),
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
	slackKey := versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "Authorization", In: versori.InHeader}}
	ref, err := c.Connections.Create(ctx, seeded.HubID, user, versori.CreateConnectionParams{
		ConnectorID: slack.ConnectorID,
		Connection:  versori.ConnectionCreate{Name: "slack", Credentials: versori.ActionCredential(slackKey, versori.ExistingCredential(existing))},
	})
	require.NoError(t, err)
	assert.Equal(t, existing, ref.Credentials.Action[0].Credential.ID)

	_, err = c.Connections.Create(ctx, seeded.HubID, user, versori.CreateConnectionParams{
		ConnectorID: slack.ConnectorID,
		Connection:  versori.ConnectionCreate{Name: "bad ref", Credentials: versori.ActionCredential(slackKey, versori.ExistingCredential("01JNOSUCHCREDENTIAL0000000"))},
	})
	var apiErr *versori.APIError
	require.ErrorAs(t, err, &apiErr)
	require.NotEmpty(t, apiErr.Fields)
	assert.Equal(t, "connection.credentials.action[0].credential.id", apiErr.Fields[0].Field)

	all, err := c.Connections.List(ctx, seeded.HubID, user, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, all.TotalCount, "primary, shopify and slack")

	filtered, err := c.Connections.List(ctx, seeded.HubID, user, &versori.ListConnectionsParams{HubConnectorIDs: []string{shopify.ID, slack.ID}})
	require.NoError(t, err)
	assert.Equal(t, 2, filtered.TotalCount, "filtered by template, comma-joined")

	got, err := c.Connections.Get(ctx, shopify.ID, user)
	require.NoError(t, err)
	assert.Equal(t, conn.ID, got.ID)
	u, err := c.Users.Get(ctx, seeded.HubID, user)
	require.NoError(t, err)
	got, err = c.Connections.Get(ctx, shopify.ID, versori.InternalUser(u.ID))
	require.NoError(t, err)
	assert.Equal(t, conn.ID, got.ID)
	_, err = c.Connections.Get(ctx, shopify.ID, versori.ExternalUser("nobody"))
	assert.ErrorIs(t, err, versori.ErrNotFound)
}

// TestConnectionsEveryCredentialTypeIsAccepted sends one credential of every
// type, each under a scheme it fits, and checks each reads back as its type.
func TestConnectionsEveryCredentialTypeIsAccepted(t *testing.T) {
	t.Parallel()
	c, seeded := startSeeded(t)
	ctx := t.Context()
	user := createUser(t, c, seeded.HubID, "all-types").Ref()

	oauth2 := func(g versori.OAuth2Grant) versori.AuthScheme {
		return versori.OAuth2Scheme{AuthorizeURL: "https://a.example/auth", TokenURL: "https://a.example/token", Grant: g}
	}
	// No scheme the SDK knows accepts a binary credential (see
	// AcceptedCredentials), so it goes with a scheme passed through as raw
	// JSON.
	rawNone := versori.UnknownScheme{Type: "none", Raw: versori.NewSecretJSON([]byte(`{"id":"` + ulid.Make().String() + `","description":"raw","schemeType":"none"}`))}
	cases := []struct {
		scheme versori.AuthScheme
		data   versori.CredentialData
	}{
		// NoneCredential: see TestNoneCredentialIsSentWithData.
		{versori.APIKeyScheme{Name: "X-Key", In: versori.InQuery}, versori.StringCredential{Value: versori.NewSecret("string-secret")}},
		{versori.HMACScheme{Name: "X-Sig", In: versori.InHeader, Algorithm: versori.HMACSHA256, DigestInputs: []versori.HMACDigestInput{versori.DigestBody}}, versori.StringCredential{Value: versori.NewSecret("hmac-key")}},
		{rawNone, versori.BinaryCredential{ValueBase64: versori.NewSecret(base64.StdEncoding.EncodeToString([]byte{0, 1, 2, 255}))}},
		{versori.BasicAuthScheme{}, versori.BasicAuthCredential{Username: "basic-user", Password: versori.NewSecret("basic-password")}},
		{oauth2(versori.ClientCredentialsGrant{}), versori.OAuth2ClientCredential{ClientID: "client-id", ClientSecret: versori.NewSecret("client-secret"), AuthorizeURL: "https://a.example/auth", TokenURL: "https://a.example/token"}},
		{oauth2(versori.AuthorizationCodeGrant{}), versori.OAuth2CodeCredential{Code: versori.NewSecret("auth-code"), State: "state"}},
		{oauth2(versori.PasswordGrant{}), versori.OAuth2PasswordCredential{Username: "owner", Password: versori.NewSecret("owner-password")}},
		{oauth2(versori.AuthorizationCodeGrant{}), versori.OAuth2TokenCredential{RefreshToken: versori.NewSecret("refresh-token")}},
		{versori.CertificateScheme{}, versori.CertificateCredential{Certificate: "cert-pem", Key: versori.NewSecret("key-pem"), CA: "ca-pem"}},
		{versori.NoneScheme{}, versori.JWTBearerCredential{Algorithm: versori.JWTAlgorithmHS256, Secret: versori.NewSecret(base64.StdEncoding.EncodeToString([]byte("jwt-secret"))), Payload: `{"aud":"x"}`, ExpiresIn: "24h", AuthorizationHeaderPrefix: "Bearer"}},
		{versori.NoneScheme{}, versori.CustomFunctionCredential{Data: versori.NewSecretJSON([]byte(`{"fn":"sign"}`))}},
	}
	var creds []versori.ConnectionCredentialCreate
	for _, tc := range cases {
		creds = append(creds, versori.ConnectionCredentialCreate{
			AuthSchemeConfig: versori.AuthSchemeConfig{Description: versori.SchemeTypeOf(tc.scheme), Scheme: tc.scheme},
			Credential:       versori.NewCredential(string(versori.CredentialTypeOf(tc.data)), tc.data),
		})
	}
	conn, err := c.Connections.Create(ctx, seeded.HubID, user, versori.CreateConnectionParams{
		ConnectorID: seeded.PrimaryConnectorID,
		Connection:  versori.ConnectionCreate{Name: "everything", Credentials: versori.ConnectionCredentialsCreate{Action: creds}},
	})
	require.NoError(t, err)
	require.Len(t, conn.Credentials.Action, len(cases))
	for i, cc := range conn.Credentials.Action {
		want := versori.CredentialTypeOf(cases[i].data)
		if want == versori.CredentialTypeOAuth2Code {
			want = versori.CredentialTypeOAuth2Token
		}
		assert.Equal(t, want, cc.Credential.Type)
		assert.Equal(t, want, versori.CredentialTypeOf(cc.Credential.Data), "decoded to the right variant")
		assert.Equal(t, versori.SchemeTypeOf(cases[i].scheme), versori.SchemeTypeOf(cc.AuthSchemeConfig.Scheme))
	}
}

// TestNoneCredentialIsSentWithData checks a none credential goes out with
// the data the spec requires of every credential: an empty object.
func TestNoneCredentialIsSentWithData(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t)
	user, err := c.Users.Create(t.Context(), fake.Seeded().HubID, versori.CreateEndUserParams{
		ExternalID: "none-user",
		PrimaryConnection: versori.ConnectionCreate{Name: "none", Credentials: versori.ActionCredential(
			versori.AuthSchemeConfig{Scheme: versori.NoneScheme{}}, versori.NewCredential("none", versori.NoneCredential{}))},
	})
	require.NoError(t, err)
	assert.Equal(t, versori.NoneCredential{}, user.PrimaryConnection.Credentials.Action[0].Credential.Data)
	assert.Contains(t, string(fake.Requests()[0].Body), `"data":{}`)
}

// TestCredentialHelpersFitTheirSchemes creates a connection with each
// credential helper under a scheme AcceptedCredentials says it fits.
func TestCredentialHelpersFitTheirSchemes(t *testing.T) {
	t.Parallel()
	oauth2 := func(g versori.OAuth2Grant) versori.AuthScheme {
		return versori.OAuth2Scheme{AuthorizeURL: "https://a.example/auth", TokenURL: "https://a.example/token", Grant: g}
	}
	for _, tc := range []struct {
		name   string
		scheme versori.AuthScheme
		cred   versori.CredentialSpec
		stored versori.CredentialType // what the API keeps, if not cred's type
	}{
		{"APIKey", versori.APIKeyScheme{Name: "X-API-Key", In: versori.InHeader}, versori.APIKey("key", "k-123"), ""},
		{"BasicAuth", versori.BasicAuthScheme{}, versori.BasicAuth("basic", "jane", "pw"), ""},
		{"OAuth2Token", oauth2(versori.AuthorizationCodeGrant{}), versori.OAuth2Token("token", "rt-123", "read_orders"), ""},
		{"OAuth2Token/password", oauth2(versori.PasswordGrant{}), versori.OAuth2Token("token", "rt-123"), ""},
		{"OAuth2Code", oauth2(versori.AuthorizationCodeGrant{}), versori.OAuth2Code("code", "c-123", "st-9"), versori.CredentialTypeOAuth2Token}, // exchanged for tokens
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Contains(t, versori.AcceptedCredentials(tc.scheme), versori.CredentialTypeOf(tc.cred.Data))
			c, seeded := startSeeded(t)
			user := createUser(t, c, seeded.HubID, "helper-user")
			conn, err := c.Connections.Create(t.Context(), seeded.HubID, user.Ref(), versori.CreateConnectionParams{
				ConnectorID: seeded.PrimaryConnectorID,
				Connection:  versori.ConnectionCreate{Name: tc.name, Credentials: versori.ActionCredential(versori.AuthSchemeConfig{Scheme: tc.scheme}, tc.cred)},
			})
			require.NoError(t, err)
			require.Len(t, conn.Credentials.Action, 1)
			assert.Equal(t, cmp.Or(tc.stored, versori.CredentialTypeOf(tc.cred.Data)), conn.Credentials.Action[0].Credential.Type)
		})
	}
}

// TestOAuth2ClientCredentialsHelperIsNotRefused checks the SDK lets the
// credential OAuth2ClientCredentials makes go out with the scheme it is for:
// its authorizeUrl is "", as the spec says for client_credentials.
func TestOAuth2ClientCredentialsHelperIsNotRefused(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t)
	user := createUser(t, c, fake.Seeded().HubID, "cc-user")
	scheme := versori.AuthSchemeConfig{Scheme: versori.OAuth2Scheme{AuthorizeURL: "https://a.example/auth", TokenURL: "https://a.example/token", Grant: versori.ClientCredentialsGrant{}}}
	cred := versori.OAuth2ClientCredentials("client", "client-id", "client-secret", "https://a.example/token", "read")
	require.Contains(t, versori.AcceptedCredentials(scheme.Scheme), versori.CredentialTypeOf(cred.Data))
	fake.ResetRequests()
	_, err := c.Connections.Create(t.Context(), fake.Seeded().HubID, user.Ref(), versori.CreateConnectionParams{
		ConnectorID: fake.Seeded().PrimaryConnectorID,
		Connection:  versori.ConnectionCreate{Name: "cc", Credentials: versori.ActionCredential(scheme, cred)},
	})
	var ve *versori.ValidationError
	require.False(t, errors.As(err, &ve), "refused before sending: %v", err)
	assert.Equal(t, 1, countOp(fake, versoritest.OpCreateEndUserConnection), "sent")
}

// badConnection is a connection the SDK must refuse before sending, and the
// field (below the connection's own path) it must name.
type badConnection struct {
	name  string
	field string
	conn  versori.ConnectionCreate
}

// badConnections returns connections that each break one rule the SDK
// checks: a name, at least one credential, a scheme (with a grant for OAuth
// 2.0), a credential, its name, data that fits the scheme, required secret
// values, a referenced credential's ID.
func badConnections() []badConnection {
	conn := func(creds versori.ConnectionCredentialsCreate) versori.ConnectionCreate {
		return versori.ConnectionCreate{Name: "conn", Credentials: creds}
	}
	action := func(scheme versori.AuthScheme, cred versori.CredentialCreate) versori.ConnectionCreate {
		return conn(versori.ActionCredential(versori.AuthSchemeConfig{Scheme: scheme}, cred))
	}
	apiKey := versori.APIKeyScheme{Name: "X-API-Key", In: versori.InHeader}
	ok := apiKeyCredentials("key", "k-123").Action[0]
	misfitTrigger := conn(versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{ok}, Trigger: []versori.ConnectionCredentialCreate{
		ok, {AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.NoneScheme{}}, Credential: versori.APIKey("key", "k")},
	}})
	noName := conn(apiKeyCredentials("key", "k"))
	noName.Name = " "
	return []badConnection{
		{"no name", ".name", noName},
		{"no credentials", ".credentials", conn(versori.ConnectionCredentialsCreate{})},
		{"empty credential lists", ".credentials", conn(versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{}, Trigger: []versori.ConnectionCredentialCreate{}})},
		{"no scheme", ".credentials.action[0].authSchemeConfig.scheme", action(nil, versori.APIKey("key", "k"))},
		{"typed-nil scheme", ".credentials.action[0].authSchemeConfig.scheme", action((*versori.APIKeyScheme)(nil), versori.APIKey("key", "k"))},
		{"OAuth 2.0 without a grant", ".credentials.action[0].authSchemeConfig.grant", action(versori.OAuth2Scheme{AuthorizeURL: "https://a/a", TokenURL: "https://a/t"}, versori.OAuth2Token("t", "rt"))},
		{"no credential", ".credentials.action[0].credential", action(apiKey, nil)},
		{"typed-nil credential", ".credentials.action[0].credential", action(apiKey, (*versori.CredentialSpec)(nil))},
		{"no credential name", ".credentials.action[0].credential.name", action(apiKey, versori.APIKey("", "k"))},
		{"no data", ".credentials.action[0].credential.data", action(apiKey, versori.NewCredential("n", nil))},
		{"typed-nil data", ".credentials.action[0].credential.data", action(apiKey, versori.NewCredential("n", (*versori.StringCredential)(nil)))},
		{"string credential on basic-auth", ".credentials.action[0].credential.data", action(versori.BasicAuthScheme{}, versori.APIKey("key", "k"))},
		{"basic-auth credential on api-key", ".credentials.action[0].credential.data", action(apiKey, versori.BasicAuth("b", "u", "p"))},
		{"oauth2-code on client_credentials", ".credentials.action[0].credential.data", action(versori.OAuth2Scheme{AuthorizeURL: "https://a/a", TokenURL: "https://a/t", Grant: versori.ClientCredentialsGrant{}}, versori.NewCredential("c", versori.OAuth2CodeCredential{Code: versori.NewSecret("c"), State: "s"}))},
		{"misfit in a trigger", ".credentials.trigger[1].credential.data", misfitTrigger},
		{"empty API key", ".credentials.action[0].credential.data.value", action(apiKey, versori.APIKey("key", ""))},
		{"blank API key", ".credentials.action[0].credential.data.value", action(apiKey, versori.APIKey("key", " \t"))},
		{"empty password", ".credentials.action[0].credential.data.password", action(versori.BasicAuthScheme{}, versori.BasicAuth("b", "jane", ""))},
		{"empty refresh token", ".credentials.action[0].credential.data.refreshToken", action(versori.OAuth2Scheme{AuthorizeURL: "https://a/a", TokenURL: "https://a/t", Grant: versori.AuthorizationCodeGrant{}}, versori.OAuth2Token("t", ""))},
		{"empty credential reference", ".credentials.action[0].credential.id", action(apiKey, versori.ExistingCredential(""))},
	}
}

// TestConnectionValidation checks every way in for a connection (a user's
// primary connection, a new connection, a connection made while activating)
// refuses each bad connection with a *ValidationError naming the field,
// before anything is sent.
func TestConnectionValidation(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t)
	ctx := t.Context()
	hubID := fake.Seeded().HubID
	entries := []struct {
		name, prefix string
		create       func(versori.ConnectionCreate) error
	}{
		{"Users.Create", "primaryConnection", func(conn versori.ConnectionCreate) error {
			_, err := c.Users.Create(ctx, hubID, versori.CreateEndUserParams{ExternalID: "jane", PrimaryConnection: conn})
			return err
		}},
		{"Connections.Create", "connection", func(conn versori.ConnectionCreate) error {
			_, err := c.Connections.Create(ctx, hubID, versori.ExternalUser("jane"), versori.CreateConnectionParams{ConnectorID: "01CON", Connection: conn})
			return err
		}},
		{"Activations.Create", "connections[0]", func(conn versori.ConnectionCreate) error {
			_, err := c.Activations.Create(ctx, versori.CreateActivationParams{
				User: versori.ExternalUser("jane"), IntegrationID: "01INT",
				Connections: []versori.ActivationConnection{versori.NewConnection{TemplateID: "01TPL", Name: conn.Name, Credentials: conn.Credentials}},
			})
			return err
		}},
	}
	for _, e := range entries {
		for _, bc := range badConnections() {
			t.Run(e.name+"/"+bc.name, func(t *testing.T) {
				err := e.create(bc.conn)
				requireValidationError(t, err, e.prefix+bc.field)
				requireNothingSent(t, fake)
			})
		}
	}
}

// TestMisfitCredentialSaysWhy checks the refusal of a credential that does
// not fit its scheme names both types.
func TestMisfitCredentialSaysWhy(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t)
	_, err := c.Connections.Create(t.Context(), fake.Seeded().HubID, versori.ExternalUser("jane"), versori.CreateConnectionParams{
		ConnectorID: "01CON",
		Connection:  versori.ConnectionCreate{Name: "n", Credentials: versori.ActionCredential(versori.AuthSchemeConfig{Scheme: versori.BasicAuthScheme{}}, versori.APIKey("k", "secret-value"))},
	})
	ve := requireValidationError(t, err, "connection.credentials.action[0].credential.data")
	assert.Contains(t, ve.Reason, "string")
	assert.Contains(t, ve.Reason, "basic-auth")
	assert.NotContains(t, err.Error(), "secret-value")
	requireNothingSent(t, fake)
}

// TestPointerVariantsAreAcceptedLikeValues checks a pointer to a union
// variant is validated as the variant it points to, as it is encoded.
func TestPointerVariantsAreAcceptedLikeValues(t *testing.T) {
	t.Parallel()
	apiKey := &versori.APIKeyScheme{Name: "X-API-Key", In: versori.InHeader}
	spec := versori.APIKey("key", "k-123")
	ref := versori.ExistingCredential("01JNOSUCHCREDENTIAL0000000")
	for _, tc := range []struct {
		name string
		cc   versori.ConnectionCredentialCreate
		// field is what a ValidationError must name, or "" when the
		// connection must be sent.
		field string
	}{
		{name: "*APIKeyScheme", cc: versori.ConnectionCredentialCreate{AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: apiKey}, Credential: spec}},
		{name: "*StringCredential", cc: versori.ConnectionCredentialCreate{AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: apiKey}, Credential: versori.NewCredential("k", &versori.StringCredential{Value: versori.NewSecret("v")})}},
		{name: "*StringCredential on basic-auth", field: "connection.credentials.action[0].credential.data",
			cc: versori.ConnectionCredentialCreate{AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: &versori.BasicAuthScheme{}}, Credential: versori.NewCredential("k", &versori.StringCredential{Value: versori.NewSecret("v")})}},
		{name: "*CredentialSpec", cc: versori.ConnectionCredentialCreate{AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: apiKey}, Credential: &spec}},
		{name: "*CredentialRef", cc: versori.ConnectionCredentialCreate{AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: apiKey}, Credential: &ref}},
		{name: "*OAuth2Scheme without a grant", field: "connection.credentials.action[0].authSchemeConfig.grant",
			cc: versori.ConnectionCredentialCreate{AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: &versori.OAuth2Scheme{AuthorizeURL: "https://a/a", TokenURL: "https://a/t"}}, Credential: versori.OAuth2Token("t", "rt")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, fake := startFake(t)
			_, err := c.Connections.Create(t.Context(), fake.Seeded().HubID, versori.ExternalUser("nobody"), versori.CreateConnectionParams{
				ConnectorID: "01CON",
				Connection:  versori.ConnectionCreate{Name: "n", Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{tc.cc}}},
			})
			if tc.field != "" {
				requireValidationError(t, err, tc.field)
				requireNothingSent(t, fake)
				return
			}
			assert.ErrorIs(t, err, versori.ErrNotFound, "sent, to a user who does not exist")
			require.Len(t, fake.Requests(), 1)
		})
	}
}
