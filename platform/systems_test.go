package platform_test

import (
	"context"
	"fmt"
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

const (
	apiKeyConfigJSON = `{"type":"api-key","apiKey":{"id":"shop-key","description":"Admin API key","name":"X-Shopify-Access-Token","in":"header"}}`
	oauth2ConfigJSON = `{"type":"oauth2","oauth2":{"id":"my-oauth","description":"Shop OAuth","authorizeUrl":"https://{shop}.myshopify.com/admin/oauth/authorize",` +
		`"tokenUrl":"https://{shop}.myshopify.com/admin/oauth/access_token","scopes":[{"name":"read_orders","description":"Read orders"},{"name":"write_orders"}],` +
		`"defaultScopes":["read_orders"],"grant":{"type":"authorizationCode","authorizationCode":{"credentialId":"01CRED000000000000000000AA","organisationId":"01ORGLIB00000000000000000A","clientId":"shop-client"}}}}`
)

func systemJSON(id string) string {
	return fmt.Sprintf(`{"id":%q,"name":"Shopify","domain":"myshopify.com","templateBaseUrl":"https://{shop}.myshopify.com/admin/api/2024-01","authSchemeConfigs":[%s,%s]}`, id, apiKeyConfigJSON, oauth2ConfigJSON)
}

// shopOAuth2 is the scheme of oauth2ConfigJSON.
var shopOAuth2 = platform.OAuth2Scheme{
	AuthorizeURL:  "https://{shop}.myshopify.com/admin/oauth/authorize",
	TokenURL:      "https://{shop}.myshopify.com/admin/oauth/access_token",
	Scopes:        []versori.OAuth2Scope{{Name: "read_orders", Description: "Read orders"}, {Name: "write_orders"}},
	DefaultScopes: []string{"read_orders"},
	Grant:         platform.AuthorizationCodeGrant{CredentialID: "01CRED000000000000000000AA", OrganisationID: "01ORGLIB00000000000000000A", ClientID: "shop-client"},
}

func TestSystemsGet(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, systemJSON("01SYS00000000000000000000A"))
	sys, err := newClient(t, s).Systems.Get(t.Context(), "01SYS00000000000000000000A")
	require.NoError(t, err)
	assertSent(t, s.only(t), "GET", orgPath+"/systems/01SYS00000000000000000000A", "", "")
	assert.Equal(t, &platform.System{
		ID:              "01SYS00000000000000000000A",
		Name:            "Shopify",
		Domain:          "myshopify.com",
		TemplateBaseURL: "https://{shop}.myshopify.com/admin/api/2024-01",
		AuthSchemeConfigs: []platform.AuthSchemeConfig{
			{ID: "shop-key", Description: "Admin API key", Scheme: platform.APIKeyScheme{Name: "X-Shopify-Access-Token", In: versori.InHeader}},
			{ID: "my-oauth", Description: "Shop OAuth", Scheme: shopOAuth2},
		},
	}, sys)
}

func TestSystemsGetEscapesTheID(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, systemJSON("x"))
	_, err := newClient(t, s).Systems.Get(t.Context(), "a/b?c")
	require.NoError(t, err)
	assert.Equal(t, orgPath+"/systems/a%2Fb%3Fc", s.only(t).Path)
}

func TestSystemsAnswerWithoutRequiredPropertyIsAnError(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, `{"id":"01SYS","name":"Shopify","domain":"myshopify.com","templateBaseUrl":""}`)
	_, err := newClient(t, s).Systems.Get(t.Context(), "01SYS")
	assertMissing(t, err, "authSchemeConfigs")
}

func TestSystemsList(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, `{"totalCount":2,"next":"c2","prev":"c0","items":[`+systemJSON("01S1")+`,`+systemJSON("01S2")+`]}`)
	page, err := newClient(t, s).Systems.List(t.Context(), &platform.ListSystemsParams{First: 2, After: "c1", Before: "c3", Search: "shop & co"})
	require.NoError(t, err)
	assertSent(t, s.only(t), "GET", orgPath+"/systems", "after=c1&before=c3&first=2&search=shop+%26+co", "")
	assert.Equal(t, versori.PageInfo{TotalCount: 2, Next: "c2", Prev: "c0"}, page.PageInfo)
	require.Len(t, page.Items, 2)
	assert.Equal(t, "01S2", page.Items[1].ID)
	assert.Equal(t, shopOAuth2, page.Items[1].AuthSchemeConfigs[1].Scheme)
}

func TestSystemsUpsertAuthSchemeConfig(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusCreated, `{"type":"oauth2","oauth2":{"id":"my oauth","description":"","tokenUrl":"https://t","scopes":[],"defaultScopes":[],`+
		`"grant":{"type":"password","password":{"credentialId":"01CRED","organisationId":"`+testOrg+`","clientId":"cid","clientSecret":""}},"validationMessages":[{"text":"credential created","severity":"info"}]}}`)
	config := platform.AuthSchemeConfig{ID: "my oauth", Scheme: platform.OAuth2Scheme{TokenURL: "https://t", Grant: platform.PasswordGrant{ClientID: "cid", ClientSecret: versori.NewSecret("S3CRET")}}}
	got, err := newClient(t, s).Systems.UpsertAuthSchemeConfig(t.Context(), "01SYS", config)
	require.NoError(t, err)
	assertSent(t, s.only(t), "PUT", orgPath+"/systems/01SYS/auth-scheme-configs/my%20oauth", "",
		`{"type":"oauth2","oauth2":{"id":"my oauth","description":"","tokenUrl":"https://t","scopes":[],"defaultScopes":[],"grant":{"type":"password","password":{"clientId":"cid","clientSecret":"S3CRET"}}}}`)
	assert.Equal(t, &platform.AuthSchemeConfig{ID: "my oauth", ValidationMessages: []versori.Message{{Text: "credential created", Severity: versori.SeverityInfo}}, Scheme: platform.OAuth2Scheme{
		TokenURL: "https://t", Scopes: []versori.OAuth2Scope{}, DefaultScopes: []string{},
		Grant: platform.PasswordGrant{CredentialID: "01CRED", OrganisationID: testOrg, ClientID: "cid"},
	}}, got)
}

func TestSystemsUpsertResendsAnUnknownScheme(t *testing.T) {
	t.Parallel()
	unknown := `{"type":"secret","secret":{"id":"vault","description":"","path":"kv/shop"}}`
	s := newRawServer(t, func(_ *http.Request, n int) answer {
		if n == 1 {
			return answer{http.StatusOK, `{"id":"01SYS","name":"Shop","domain":"","templateBaseUrl":"","authSchemeConfigs":[` + unknown + `]}`}
		}
		return answer{http.StatusCreated, unknown}
	})
	c := newClient(t, s)
	sys, err := c.Systems.Get(t.Context(), "01SYS")
	require.NoError(t, err)
	got, err := c.Systems.UpsertAuthSchemeConfig(t.Context(), sys.ID, sys.AuthSchemeConfigs[0])
	require.NoError(t, err)
	r := s.requests()[1]
	assertSent(t, r, "PUT", orgPath+"/systems/01SYS/auth-scheme-configs/vault", "", unknown)
	assert.Equal(t, unknown, r.Body, "byte for byte")
	assert.Equal(t, "vault", got.ID)
	assert.Equal(t, "secret", platform.SchemeTypeOf(got.Scheme))
}

func TestSystemsDeleteAuthSchemeConfig(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusNoContent, "")
	require.NoError(t, newClient(t, s).Systems.DeleteAuthSchemeConfig(t.Context(), "01SYS", "my/oauth"))
	assertSent(t, s.only(t), "DELETE", orgPath+"/systems/01SYS/auth-scheme-configs/my%2Foauth", "", "")
}

func TestSystemsInitialiseOAuth2FromTheSystemsScheme(t *testing.T) {
	t.Parallel()
	const authorize = "https://acme.myshopify.com/admin/oauth/authorize?client_id=shop-client&state=xyz"
	s := newRawServer(t, func(_ *http.Request, n int) answer {
		if n == 1 {
			return answer{http.StatusOK, systemJSON("01SYS")}
		}
		return answer{http.StatusOK, `{"url":"` + authorize + `"}`}
	})
	c := newClient(t, s)
	sys, err := c.Systems.Get(t.Context(), "01SYS")
	require.NoError(t, err)
	params, err := platform.NewInitialiseOAuth2Params(sys.AuthSchemeConfigs[1].Scheme)
	require.NoError(t, err)
	params.Prompt = "consent"
	auth, err := c.Systems.InitialiseOAuth2(t.Context(), sys.ID, params)
	require.NoError(t, err)
	assert.Equal(t, authorize, auth.URL)
	assertSent(t, s.requests()[1], "POST", orgPath+"/systems/01SYS/oauth2/initialise", "",
		`{"credential":{"id":"01CRED000000000000000000AA","organisationId":"01ORGLIB00000000000000000A"},`+
			`"authorizeUrl":"https://{shop}.myshopify.com/admin/oauth/authorize","clientId":"shop-client","scopes":["read_orders"],"prompt":"consent"}`)
}

func TestSystemsInitialiseOAuth2EveryField(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, `{"url":"https://idp.example/authorize?x"}`)
	_, err := newClient(t, s).Systems.InitialiseOAuth2(t.Context(), "01SYS", platform.InitialiseOAuth2Params{
		Credential:           versori.OAuth2ClientRef{ID: "01CRED"}, // the organisation is the client's
		AuthorizeURL:         "https://idp.example/authorize",
		ClientID:             "cid",
		Scopes:               []string{"openid", "custom"},
		DisableOfflineAccess: true,
		Prompt:               "consent+select_account",
		AdditionalParams:     "bar=baz&foo=cat%20bob",
		RedirectURL:          "http://127.0.0.1:8080/callback",
	})
	require.NoError(t, err)
	assertSent(t, s.only(t), "POST", orgPath+"/systems/01SYS/oauth2/initialise", "",
		`{"credential":{"id":"01CRED","organisationId":"`+testOrg+`"},"authorizeUrl":"https://idp.example/authorize","clientId":"cid",`+
			`"scopes":["openid","custom"],"disableOfflineAccess":true,"prompt":"consent+select_account","additionalParams":"bar=baz&foo=cat%20bob",`+
			`"redirectUrl":"http://127.0.0.1:8080/callback"}`)
}

func TestNewInitialiseOAuth2Params(t *testing.T) {
	t.Parallel()
	p, err := platform.NewInitialiseOAuth2Params(&shopOAuth2)
	require.NoError(t, err)
	assert.Equal(t, platform.InitialiseOAuth2Params{
		Credential:   versori.OAuth2ClientRef{ID: "01CRED000000000000000000AA", OrganisationID: "01ORGLIB00000000000000000A"},
		AuthorizeURL: "https://{shop}.myshopify.com/admin/oauth/authorize",
		ClientID:     "shop-client",
		Scopes:       []string{"read_orders"},
	}, p)
	p.Scopes[0] = "changed"
	assert.Equal(t, "read_orders", shopOAuth2.DefaultScopes[0], "the scheme's scopes are copied")

	withPointerGrant := shopOAuth2
	withPointerGrant.Grant = &platform.AuthorizationCodeGrant{CredentialID: "01C", ClientID: "cid"}
	p, err = platform.NewInitialiseOAuth2Params(withPointerGrant)
	require.NoError(t, err)
	assert.Equal(t, "01C", p.Credential.ID)

	for _, tc := range []struct {
		scheme platform.AuthScheme
		field  string
	}{
		{nil, "scheme"},
		{platform.APIKeyScheme{}, "scheme"},
		{platform.UnknownScheme{Type: "oauth3"}, "scheme"},
		{platform.OAuth2Scheme{}, "scheme.grant"},
		{platform.OAuth2Scheme{Grant: platform.ClientCredentialsGrant{}}, "scheme.grant"},
		{platform.OAuth2Scheme{Grant: platform.PasswordGrant{CredentialID: "01C"}}, "scheme.grant"},
	} {
		_, err := platform.NewInitialiseOAuth2Params(tc.scheme)
		assertRefused(t, err, tc.field)
	}
}

func TestSystemsInitialiseOAuth1(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, `{"url":"https://shop.example/oauth/authorize?oauth_token=t"}`)
	params, err := platform.NewInitialiseOAuth1Params(platform.OAuth1Scheme{ConsumerKey: "ck", CredentialID: "01CRED"})
	require.NoError(t, err)
	auth, err := newClient(t, s).Systems.InitialiseOAuth1(t.Context(), "01SYS", params)
	require.NoError(t, err)
	assert.Equal(t, "https://shop.example/oauth/authorize?oauth_token=t", auth.URL)
	assertSent(t, s.only(t), "POST", orgPath+"/systems/01SYS/oauth1/initialise", "", `{"credential":{"id":"01CRED","organisationId":"`+testOrg+`"}}`)

	for _, tc := range []struct {
		scheme platform.AuthScheme
		field  string
	}{
		{shopOAuth2, "scheme"},
		{platform.OAuth1Scheme{ConsumerKey: "ck"}, "scheme.credentialId"},
	} {
		_, err := platform.NewInitialiseOAuth1Params(tc.scheme)
		assertRefused(t, err, tc.field)
	}
}

func TestSystemsInitialiseAnswerWithoutURLIsAnError(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, `{}`)
	c := newClient(t, s)
	_, err := c.Systems.InitialiseOAuth1(t.Context(), "01SYS", platform.InitialiseOAuth1Params{Credential: platform.OAuth1ConsumerRef{ID: "01C"}})
	var d *versori.DecodeError
	require.ErrorAs(t, err, &d)
	_, err = c.Systems.InitialiseOAuth2(t.Context(), "01SYS", platform.InitialiseOAuth2Params{Credential: versori.OAuth2ClientRef{ID: "01C"}, AuthorizeURL: "https://a", ClientID: "c"})
	require.ErrorAs(t, err, &d)
}

func TestSystemsRefuseBadInput(t *testing.T) {
	t.Parallel()
	assertRefusals(t, func(ctx context.Context, c *platform.Client) []refusal {
		apiKey := platform.AuthSchemeConfig{ID: "k", Scheme: platform.APIKeyScheme{Name: "k", In: versori.InQuery}}
		oauth2 := platform.InitialiseOAuth2Params{Credential: versori.OAuth2ClientRef{ID: "01C"}, AuthorizeURL: "https://a", ClientID: "c"}
		without := func(edit func(*platform.InitialiseOAuth2Params)) platform.InitialiseOAuth2Params {
			p := oauth2
			edit(&p)
			return p
		}
		return []refusal{
			{"list with a negative page size", "first", func() error { return errOf(c.Systems.List(ctx, &platform.ListSystemsParams{First: -2})) }},
			{"get without ID", "systemID", func() error { return errOf(c.Systems.Get(ctx, "")) }},
			{"get dot-dot", "systemID", func() error { return errOf(c.Systems.Get(ctx, "..")) }},
			{"upsert without system", "systemID", func() error { return errOf(c.Systems.UpsertAuthSchemeConfig(ctx, " ", apiKey)) }},
			{"upsert without config ID", "config.id", func() error {
				return errOf(c.Systems.UpsertAuthSchemeConfig(ctx, "01SYS", platform.AuthSchemeConfig{Scheme: platform.NoneScheme{}}))
			}},
			{"upsert without scheme", "config.scheme", func() error {
				return errOf(c.Systems.UpsertAuthSchemeConfig(ctx, "01SYS", platform.AuthSchemeConfig{ID: "k"}))
			}},
			{"upsert with a nil scheme pointer", "config.scheme", func() error {
				return errOf(c.Systems.UpsertAuthSchemeConfig(ctx, "01SYS", platform.AuthSchemeConfig{ID: "k", Scheme: (*platform.APIKeyScheme)(nil)}))
			}},
			// What the spec requires of each scheme, and the API refuses without.
			{"upsert an API key scheme without a name", "config.scheme.name", func() error {
				return errOf(c.Systems.UpsertAuthSchemeConfig(ctx, "01SYS", platform.AuthSchemeConfig{ID: "k", Scheme: platform.APIKeyScheme{In: versori.InQuery}}))
			}},
			{"upsert an API key scheme without where it goes", "config.scheme.in", func() error {
				return errOf(c.Systems.UpsertAuthSchemeConfig(ctx, "01SYS", platform.AuthSchemeConfig{ID: "k", Scheme: &platform.APIKeyScheme{Name: "X-Key"}}))
			}},
			{"upsert an HMAC scheme without an algorithm", "config.scheme.algorithm", func() error {
				return errOf(c.Systems.UpsertAuthSchemeConfig(ctx, "01SYS", platform.AuthSchemeConfig{ID: "k", Scheme: platform.HMACScheme{Name: "X-Sig", In: versori.InHeader, Encoding: "hex"}}))
			}},
			{"upsert an OAuth 2.0 scheme without a grant", "config.scheme.grant", func() error {
				return errOf(c.Systems.UpsertAuthSchemeConfig(ctx, "01SYS", platform.AuthSchemeConfig{ID: "k", Scheme: platform.OAuth2Scheme{TokenURL: "https://t"}}))
			}},
			{"upsert an OAuth 2.0 scheme with a nil grant pointer", "config.scheme.grant", func() error {
				return errOf(c.Systems.UpsertAuthSchemeConfig(ctx, "01SYS", platform.AuthSchemeConfig{ID: "k", Scheme: platform.OAuth2Scheme{TokenURL: "https://t", Grant: (*platform.PasswordGrant)(nil)}}))
			}},
			{"upsert an OAuth 2.0 scheme without a token URL", "config.scheme.tokenUrl", func() error {
				return errOf(c.Systems.UpsertAuthSchemeConfig(ctx, "01SYS", platform.AuthSchemeConfig{ID: "k", Scheme: platform.OAuth2Scheme{Grant: platform.ClientCredentialsGrant{}}}))
			}},
			{"upsert an OAuth 1.0 scheme without a consumer key", "config.scheme.consumerKey", func() error {
				return errOf(c.Systems.UpsertAuthSchemeConfig(ctx, "01SYS", platform.AuthSchemeConfig{ID: "k", Scheme: platform.OAuth1Scheme{SignatureMethod: "sha1"}}))
			}},
			{"delete config without system", "systemID", func() error { return c.Systems.DeleteAuthSchemeConfig(ctx, "", "k") }},
			{"delete config without ID", "configID", func() error { return c.Systems.DeleteAuthSchemeConfig(ctx, "01SYS", "") }},
			{"oauth2 without system", "systemID", func() error { return errOf(c.Systems.InitialiseOAuth2(ctx, "", oauth2)) }},
			{"oauth2 without credential", "credential.id", func() error {
				return errOf(c.Systems.InitialiseOAuth2(ctx, "01SYS", without(func(p *platform.InitialiseOAuth2Params) { p.Credential.ID = "" })))
			}},
			{"oauth2 without authorize URL", "authorizeUrl", func() error {
				return errOf(c.Systems.InitialiseOAuth2(ctx, "01SYS", without(func(p *platform.InitialiseOAuth2Params) { p.AuthorizeURL = "" })))
			}},
			{"oauth2 without client ID", "clientId", func() error {
				return errOf(c.Systems.InitialiseOAuth2(ctx, "01SYS", without(func(p *platform.InitialiseOAuth2Params) { p.ClientID = "" })))
			}},
			{"oauth1 without system", "systemID", func() error {
				return errOf(c.Systems.InitialiseOAuth1(ctx, "", platform.InitialiseOAuth1Params{Credential: platform.OAuth1ConsumerRef{ID: "01C"}}))
			}},
			{"oauth1 without credential", "credential.id", func() error {
				return errOf(c.Systems.InitialiseOAuth1(ctx, "01SYS", platform.InitialiseOAuth1Params{}))
			}},
		}
	})
}

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
