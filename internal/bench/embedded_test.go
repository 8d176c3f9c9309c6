package bench

// The Embedded API v1 rows: each Benchmark<Row> starts one server and runs
// the same call as raw, gen and sdk (see doc.go).

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/oklog/ulid/v2"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/bench/embeddedgen"
)

// The IDs the generated client takes as ulid.ULID, parsed once, as a caller
// of it holds them.
var (
	genHubID     = ulid.MustParse(benchHubID)
	genConnector = ulid.MustParse(benchConnector)
)

// newGenClient returns the generated v1 client for srv, as it comes: with
// http.DefaultClient and a request editor adding the SDK's headers.
func newGenClient(tb testing.TB, srv *httptest.Server) *embeddedgen.ClientWithResponses {
	closeDefaultIdle(tb)
	c, err := embeddedgen.NewClientWithResponses(srv.URL, embeddedgen.WithHTTPClient(http.DefaultClient), embeddedgen.WithRequestEditorFn(genHeaders))
	return must(tb, c, err)
}

// genDecodeCredentials decodes each credential's auth scheme config and data
// from the unions' raw JSON into their variants, as the SDK does while
// decoding and as a caller of the generated client does to use them.
func genDecodeCredentials(ccs []embeddedgen.ConnectionCredential) ([]any, error) {
	var decoded []any
	for _, cc := range ccs {
		scheme, err := cc.AuthSchemeConfig.ValueByDiscriminator()
		if err != nil {
			return nil, err
		}
		var data any
		switch cc.Credential.Type {
		case embeddedgen.CredentialTypeString:
			data, err = cc.Credential.Data.AsCredentialDataString()
		case embeddedgen.CredentialTypeBasicAuth:
			data, err = cc.Credential.Data.AsCredentialDataBasicAuth()
		default:
			err = fmt.Errorf("credential type %q not handled", cc.Credential.Type)
		}
		if err != nil {
			return nil, err
		}
		decoded = append(decoded, scheme, data)
	}
	return decoded, nil
}

// genResult is what a gen call decoded: the response's model and the
// variants read out of its unions.
type genResult struct {
	value    any
	variants []any
}

// genOK returns body, what a generated client decoded for the status the
// call expects, or an error naming the status it had instead.
func genOK[T any](body *T, status int) (*T, error) {
	if body == nil {
		return nil, fmt.Errorf("status %d", status)
	}
	return body, nil
}

func genGetEndUser(ctx context.Context, c *embeddedgen.ClientWithResponses) (any, error) {
	resp, err := c.GetEndUserWithResponse(ctx, genHubID, benchUser, &embeddedgen.GetEndUserParams{IdentifierType: ptr(embeddedgen.External)})
	if err != nil {
		return nil, err
	}
	u, err := genOK(resp.JSON200, resp.StatusCode())
	if err != nil {
		return nil, err
	}
	v, err := genDecodeCredentials(u.PrimaryConnection.Credentials.Action)
	return genResult{u, v}, err
}

func genCreateConnection(ctx context.Context, c *embeddedgen.ClientWithResponses) (any, error) {
	action := make([]embeddedgen.ConnectionCredentialCreate, 2)
	a := &action[0]
	err := errors.Join(
		a.AuthSchemeConfig.FromAuthSchemeConfigAPIKey(embeddedgen.AuthSchemeConfigAPIKey{ID: benchSchemeKey, Description: "primary", SchemeType: embeddedgen.ApiKey, Name: "X-Shopify-Access-Token", In: embeddedgen.AuthSchemeConfigAPIKeyInHeader}),
		a.Credential.Data.FromCredentialDataString(embeddedgen.CredentialDataString{Value: "shpat_0f9e8d7c6b5a49382716"}),
	)
	a.Credential.Name, a.Credential.Type = "shopify key", embeddedgen.CredentialTypeString
	a = &action[1]
	err = errors.Join(err,
		a.AuthSchemeConfig.FromAuthSchemeConfigBasicAuth(embeddedgen.AuthSchemeConfigBasicAuth{ID: benchSchemeBA, Description: "primary", SchemeType: embeddedgen.AuthSchemeConfigBasicAuthSchemeTypeBasicAuth}),
		a.Credential.Data.FromCredentialDataBasicAuth(embeddedgen.CredentialDataBasicAuth{Username: "admin@acme.example", Password: "correct horse battery staple"}),
	)
	a.Credential.Name, a.Credential.Type = "shopify admin", embeddedgen.CredentialTypeBasicAuth
	if err != nil {
		return nil, err
	}
	body := embeddedgen.CreateEndUserConnectionJSONRequestBody{
		ConnectorId: genConnector,
		Connection: embeddedgen.ConnectionCreate{
			Name:        "acme-42 shopify",
			Credentials: embeddedgen.ConnectionCredentialsCreate{Action: action},
			Variables:   []embeddedgen.ConnectionVariable{{Name: "shop", Value: "acme-42.myshopify.com"}},
		},
	}
	resp, err := c.CreateEndUserConnectionWithResponse(ctx, genHubID, benchUser, &embeddedgen.CreateEndUserConnectionParams{IdentifierType: ptr(embeddedgen.External)}, body)
	if err != nil {
		return nil, err
	}
	conn, err := genOK(resp.JSON201, resp.StatusCode())
	if err != nil {
		return nil, err
	}
	v, err := genDecodeCredentials(conn.Credentials.Action)
	return genResult{conn, v}, err
}

func genListUsers(ctx context.Context, c *embeddedgen.ClientWithResponses, first int, after string) (*embeddedgen.EndUserPage, error) {
	params := &embeddedgen.ListEndUsersParams{First: &first}
	if after != "" {
		params.After = &after
	}
	resp, err := c.ListEndUsersWithResponse(ctx, genHubID, params)
	if err != nil {
		return nil, err
	}
	return genOK(resp.JSON200, resp.StatusCode())
}

func sdkGetEndUser(ctx context.Context, c *versori.Client) (any, error) {
	return c.Users.Get(ctx, benchHubID, versori.ExternalUser(benchUser))
}

func sdkCreateConnection(ctx context.Context, c *versori.Client) (any, error) {
	return c.Connections.Create(ctx, benchHubID, versori.ExternalUser(benchUser), versori.CreateConnectionParams{
		ConnectorID: benchConnector,
		Connection: versori.ConnectionCreate{
			Name: "acme-42 shopify",
			Credentials: versori.ConnectionCredentialsCreate{Action: []versori.ConnectionCredentialCreate{{
				AuthSchemeConfig: versori.AuthSchemeConfig{ID: benchSchemeKey, Description: "primary", Scheme: versori.APIKeyScheme{Name: "X-Shopify-Access-Token", In: versori.InHeader}},
				Credential:       versori.NewCredential("shopify key", versori.StringCredential{Value: versori.NewSecret("shpat_0f9e8d7c6b5a49382716")}),
			}, {
				AuthSchemeConfig: versori.AuthSchemeConfig{ID: benchSchemeBA, Description: "primary", Scheme: versori.BasicAuthScheme{}},
				Credential:       versori.NewCredential("shopify admin", versori.BasicAuthCredential{Username: "admin@acme.example", Password: versori.NewSecret("correct horse battery staple")}),
			}}},
			Variables: []versori.ConnectionVariable{{Name: "shop", Value: "acme-42.myshopify.com"}},
		},
	})
}

func sdkListUsers(ctx context.Context, c *versori.Client, first int, after string) (*versori.EndUserPage, error) {
	return c.Users.List(ctx, benchHubID, &versori.ListEndUsersParams{First: first, After: after})
}

// The v1 rows: gen is the generated v1 client.
var (
	rowGetEndUser       = newRow("GetEndUser", http.StatusOK, benchUserBody, newGenClient, newSDKClient, rawGetEndUser, genGetEndUser, sdkGetEndUser)
	rowCreateConnection = newRow("CreateEndUserConnection", http.StatusCreated, benchConnectionBody, newGenClient, newSDKClient, rawCreateConnection, genCreateConnection, sdkCreateConnection)
	rowListEndUsers1000 = newRow("ListEndUsers1000", http.StatusOK, benchPageBody, newGenClient, newSDKClient, rawListUsers1000, genListUsers1000, sdkListUsers1000)
)

func rawListUsers1000(ctx context.Context, rc rawClient) (any, error) {
	return rawListUsers(ctx, rc, 1000, "")
}

func genListUsers1000(ctx context.Context, c *embeddedgen.ClientWithResponses) (any, error) {
	return genListUsers(ctx, c, 1000, "")
}

func sdkListUsers1000(ctx context.Context, c *versori.Client) (any, error) {
	return sdkListUsers(ctx, c, 1000, "")
}

// BenchmarkGetEndUser is one GetEndUser call (an end user with a primary
// connection and credential, about 0.9 KB) over a kept-alive loopback
// connection.
func BenchmarkGetEndUser(b *testing.B) { rowGetEndUser.bench(b, runSerial) }

// BenchmarkCreateEndUserConnection is one CreateEndUserConnection call with
// two credentials; the server reads the body and answers a connection of
// about 1 KB.
func BenchmarkCreateEndUserConnection(b *testing.B) { rowCreateConnection.bench(b, runSerial) }

// BenchmarkListEndUsers1000 is one ListEndUsers call returning a page of
// 1,000 users (about 250 KB): mostly decoding.
func BenchmarkListEndUsers1000(b *testing.B) { rowListEndUsers1000.bench(b, runSerial) }

// BenchmarkGetEndUserConcurrent is GetEndUser from 64 goroutines sharing one
// client per side: raw's transport has the SDK's default settings, gen has
// http.DefaultClient (2 idle connections per host), sdk its defaults.
func BenchmarkGetEndUserConcurrent(b *testing.B) { rowGetEndUser.bench(b, runConcurrent) }
