package platform_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

func TestFakeSystemsListAndGet(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	sp := srv.Seeded().Platform

	page, err := p.Systems.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, len(sp.Systems), page.TotalCount)
	page, err = p.Systems.List(ctx, &platform.ListSystemsParams{Search: "SHOP"})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, "Shopify", page.Items[0].Name)

	for _, want := range sp.Systems {
		got, err := p.Systems.Get(ctx, want.ID)
		require.NoError(t, err, want.Name)
		assert.Equal(t, want.Name, got.Name)
		assert.Equal(t, want.Domain, got.Domain)
		require.Len(t, got.AuthSchemeConfigs, 1, want.Name)
		assert.Equal(t, want.AuthSchemeConfigID, got.AuthSchemeConfigs[0].ID)
		assert.Equal(t, want.SchemeType, platform.SchemeTypeOf(got.AuthSchemeConfigs[0].Scheme))
	}
	_, err = p.Systems.Get(ctx, "01ARZ3NDEKTSV4RRFFQ69G5FAV")
	assert.ErrorIs(t, err, versori.ErrNotFound)
}

// The PageInfo shape on ListSystems, which declares its cursor parameters.
func TestFakeSystemsAllPagesThroughEverySystem(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	var want []string
	for _, s := range srv.Seeded().Platform.Systems {
		want = append(want, s.ID)
	}
	got, err := collect(p.Systems.All(t.Context(), &platform.ListSystemsParams{First: 4}))
	require.NoError(t, err)
	assert.ElementsMatch(t, want, systemIDs(got))
	assert.Equal(t, slices.Repeat([]string{versoritest.OpPlatformListSystems}, 2), ops(srv))

	// Ranged from several goroutines at once, each gets every system.
	rangeConcurrently(t, p.Systems.All(t.Context(), &platform.ListSystemsParams{First: 1}), len(want))
}

func TestFakeSystemsAuthSchemeConfigs(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	_, tms := seeded(srv)
	acme := tms["acme"].SystemID

	hmac := platform.AuthSchemeConfig{ID: "acme-webhook", Description: "webhook signature", Scheme: platform.HMACScheme{
		Name: "X-Signature", In: versori.InHeader, Algorithm: "sha256", DigestInputs: []versori.HMACDigestInput{"body"}, Encoding: "hex",
	}}
	got, err := p.Systems.UpsertAuthSchemeConfig(ctx, acme, hmac)
	require.NoError(t, err)
	assert.Equal(t, hmac, *got)
	req := lastRequestOf(t, srv, versoritest.OpPlatformUpsertAuthSchemeConfig)
	assert.Equal(t, http.MethodPut, req.Method)
	assert.Contains(t, req.Path, "/auth-scheme-configs/acme-webhook")

	// The same ID replaces it.
	hmac.Description = "webhook signature, v2"
	_, err = p.Systems.UpsertAuthSchemeConfig(ctx, acme, hmac)
	require.NoError(t, err)
	sys, err := p.Systems.Get(ctx, acme)
	require.NoError(t, err)
	require.Len(t, sys.AuthSchemeConfigs, 2)
	assert.Equal(t, hmac, sys.AuthSchemeConfigs[1])

	// An OAuth 1.0 config's consumer secret is sent, and redacted on read.
	oauth1 := platform.AuthSchemeConfig{ID: "acme-oauth1", Scheme: platform.OAuth1Scheme{
		TokenAuth: true, ConsumerKey: "ck", ConsumerSecret: versori.NewSecret("consumer-s3cret"), SignatureMethod: "sha256",
	}}
	got, err = p.Systems.UpsertAuthSchemeConfig(ctx, acme, oauth1)
	require.NoError(t, err)
	assert.Contains(t, string(lastRequestOf(t, srv, versoritest.OpPlatformUpsertAuthSchemeConfig).Body), "consumer-s3cret")
	assert.Empty(t, got.Scheme.(platform.OAuth1Scheme).ConsumerSecret.Reveal())
	// And read back, it can be sent again as it is.
	_, err = p.Systems.UpsertAuthSchemeConfig(ctx, acme, *got)
	require.NoError(t, err)

	// A config the API refuses.
	_, err = p.Systems.UpsertAuthSchemeConfig(ctx, acme, platform.AuthSchemeConfig{ID: "bad", Scheme: platform.APIKeyScheme{Name: "X-Key", In: "body"}})
	assert.ErrorIs(t, err, versori.ErrValidation)

	require.NoError(t, p.Systems.DeleteAuthSchemeConfig(ctx, acme, "acme-webhook"))
	require.NoError(t, p.Systems.DeleteAuthSchemeConfig(ctx, acme, "acme-oauth1"))
	assert.ErrorIs(t, p.Systems.DeleteAuthSchemeConfig(ctx, acme, "acme-webhook"), versori.ErrNotFound)
	sys, err = p.Systems.Get(ctx, acme)
	require.NoError(t, err)
	assert.Len(t, sys.AuthSchemeConfigs, 1)
}

func TestFakeSystemsInitialiseOAuth(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	sp, _ := seeded(srv)
	tms := templates(t, srv, p)

	// OAuth 2.0, from the template's scheme: its system ID, not its own.
	shopify := tms["shopify"]
	params, err := platform.NewInitialiseOAuth2Params(shopify.AuthSchemeConfigs[0].Scheme)
	require.NoError(t, err)
	assert.Equal(t, sp.OAuth2ClientCredentialID, params.Credential.ID)
	params.Prompt = "consent"
	auth, err := p.Systems.InitialiseOAuth2(ctx, shopify.SystemID, params)
	require.NoError(t, err)
	u, err := url.Parse(auth.URL)
	require.NoError(t, err)
	assert.Equal(t, "accounts.shopify.com", u.Host)
	assert.Equal(t, "shopify-client-id", u.Query().Get("client_id"))
	assert.Equal(t, "consent", u.Query().Get("prompt"))
	assert.NotEmpty(t, u.Query().Get("state"))
	_, err = p.Systems.InitialiseOAuth2(ctx, shopify.ConnectionTemplateID, params)
	assert.ErrorIs(t, err, versori.ErrNotFound, "the template's own ID is not a system's")
	// An end user connects with the code and state the provider sends back.
	newUser(t, p, "oauth")
	conn, err := p.Connections.Create(ctx, platform.CreateConnectionParams{
		TemplateID: shopify.ConnectionTemplateID, ExternalID: "oauth",
		Connection: platform.ConnectionCreate{Name: "shop", Credentials: []platform.ConnectionCredential{
			platform.CredentialFor(shopify.AuthSchemeConfigs[0], "shop", platform.OAuth2CodeCredential{Code: versori.NewSecret("code"), State: u.Query().Get("state")}),
		}},
	})
	require.NoError(t, err)
	assert.Equal(t, platform.CredentialTypeOAuth2Token, conn.Credentials[0].Credential.Type)

	// OAuth 1.0.
	trello := tms["trello"]
	params1, err := platform.NewInitialiseOAuth1Params(trello.AuthSchemeConfigs[0].Scheme)
	require.NoError(t, err)
	auth1, err := p.Systems.InitialiseOAuth1(ctx, trello.SystemID, params1)
	require.NoError(t, err)
	u, err = url.Parse(auth1.URL)
	require.NoError(t, err)
	assert.Equal(t, "trello.com", u.Host)
	assert.NotEmpty(t, u.Query().Get("oauth_token"))
	assert.JSONEq(t, `{"credential":{"id":"`+sp.OAuth1CredentialID+`","organisationId":"`+srv.Seeded().OrganisationID+`"}}`,
		string(lastRequestOf(t, srv, versoritest.OpPlatformInitialiseOAuth1Connection).Body), "the client's organisation filled in")
	_, err = p.Systems.InitialiseOAuth1(ctx, trello.SystemID, platform.InitialiseOAuth1Params{Credential: platform.OAuth1ConsumerRef{ID: "01ARZ3NDEKTSV4RRFFQ69G5FAV"}})
	assert.ErrorIs(t, err, versori.ErrValidation)
}

func TestFakeSystemsFaults(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	sp, tms := seeded(srv)

	// Initialise is a POST: not retried after a 502, retried after a 429.
	params := platform.InitialiseOAuth1Params{Credential: platform.OAuth1ConsumerRef{ID: sp.OAuth1CredentialID}}
	srv.FailNext(versoritest.OpPlatformInitialiseOAuth1Connection, 1, versoritest.Fault{Status: http.StatusBadGateway})
	_, err := p.Systems.InitialiseOAuth1(ctx, tms["trello"].SystemID, params)
	assert.ErrorIs(t, err, versori.ErrMaybeProcessed)
	srv.FailNext(versoritest.OpPlatformInitialiseOAuth2Connection, 1, versoritest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "0"})
	_, err = p.Systems.InitialiseOAuth2(ctx, tms["shopify"].SystemID, platform.InitialiseOAuth2Params{
		Credential: versori.OAuth2ClientRef{ID: sp.OAuth2ClientCredentialID}, AuthorizeURL: "https://accounts.shopify.com/oauth/authorize", ClientID: "shopify-client-id",
	})
	require.NoError(t, err)
	// GET, PUT and DELETE are retried.
	srv.FailNext(versoritest.OpPlatformGetSystem, 2, versoritest.Fault{Status: http.StatusServiceUnavailable})
	srv.FailNext(versoritest.OpPlatformListSystems, 1, versoritest.Fault{Drop: true})
	srv.FailNext(versoritest.OpPlatformUpsertAuthSchemeConfig, 1, versoritest.Fault{Status: http.StatusInternalServerError})
	srv.FailNext(versoritest.OpPlatformDeleteAuthSchemeConfig, 1, versoritest.Fault{Status: http.StatusGatewayTimeout})
	_, err = p.Systems.Get(ctx, tms["acme"].SystemID)
	require.NoError(t, err)
	_, err = p.Systems.List(ctx, nil)
	require.NoError(t, err)
	_, err = p.Systems.UpsertAuthSchemeConfig(ctx, tms["acme"].SystemID, platform.AuthSchemeConfig{ID: "k", Scheme: platform.APIKeyScheme{Name: "K", In: versori.InQuery}})
	require.NoError(t, err)
	require.NoError(t, p.Systems.DeleteAuthSchemeConfig(ctx, tms["acme"].SystemID, "k"))
}

func systemIDs(systems []platform.System) []string {
	return keysOf(systems, func(s platform.System) string { return s.ID })
}
