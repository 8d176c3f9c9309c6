package bench

// The Platform API (v2) rows, the place for every Platform benchmark.
//
// Convention: a Platform row is BenchmarkPlatform<Row> in this file, with
// sub-benchmarks raw, gen and sdk like the v1 rows (so .ci/bench pairs them
// the same way); its pieces are named platformRaw<Call>, platformGen<Call>
// and platformSDK<Call>, and its row value platformRow<Row>. raw and gen are
// written against platformgen (the 33 Platform operations of PLATFORM.md §7),
// sdk against the SDK's platform package; TestSidesDoTheSameWork checks the
// three alike.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/bench/platformgen"
	"github.com/versori-go/versori/platform"
)

// Platform IDs are ULIDs; externalId and auth scheme config IDs are the
// caller's strings.
const (
	platformOrgID      = "01JPD9A1B2C3D4E5F6G7H8J9K0"
	platformUserID     = "01JPD9A2C3D4E5F6G7H8J9K0M1"
	platformUser       = "acme-42"
	platformConnID     = "01JPD9A3D4E5F6G7H8J9K0M1N2"
	platformTemplateID = "01JPD9A4E5F6G7H8J9K0M1N2P3"
	platformSystemID   = "01JPD9A5F6G7H8J9K0M1N2P3Q4"
)

// A connection's credentials have these IDs (connection credential, then
// credential), at most two of them. The Platform's ConnectionCredential is one
// schema for create and read, and requires both IDs in a create body
// (PLATFORM.md §8.3): they are fixed here, where a real caller mints fresh
// ULIDs.
var platformCredIDs = [2][2]string{
	{"01JPD9B6G7H8J9K0M1N2000000", "01JPD9B7H8J9K0M1N2P3000000"},
	{"01JPD9B6G7H8J9K0M1N2000001", "01JPD9B7H8J9K0M1N2P3000001"},
}

// The IDs the generated client takes as ulid.ULID, parsed once, as a caller
// of it holds them.
var (
	platformGenOrgID    = ulid.MustParse(platformOrgID)
	platformGenTemplate = ulid.MustParse(platformTemplateID)
	platformGenCredIDs  = [2][2]ulid.ULID{
		{ulid.MustParse(platformCredIDs[0][0]), ulid.MustParse(platformCredIDs[0][1])},
		{ulid.MustParse(platformCredIDs[1][0]), ulid.MustParse(platformCredIDs[1][1])},
	}
)

// Fixed Platform response bodies.
var (
	platformUserBody = mustJSON(platformRawEndUser{
		rawUser:        rawUser{ID: platformUserID, ExternalID: platformUser, DisplayName: "Acme Corporation (EU)", CreatedAt: benchTime, UpdatedAt: benchTime.Add(time.Hour)},
		OrganisationID: platformOrgID,
	})
	platformConnectionBody = mustJSON(platformConnection(2))
	platformPageBody       = mustJSON(newUserPage(1000, "01JPD9C8J9K0M1N2P3Q4", "", func(u rawUser) platformRawEndUser {
		return platformRawEndUser{rawUser: u, OrganisationID: platformOrgID}
	}))
)

// platformCredentials are n (at most 2) credentials of a connection: an API
// key, then basic auth, with secrets key and password (redacted to "" on
// read).
func platformCredentials(n int, key, password string) []platformRawConnectionCredential {
	ccs := make([]platformRawConnectionCredential, n)
	for i := range ccs {
		cc := &ccs[i]
		cc.ID, cc.Credential.ID = platformCredIDs[i][0], platformCredIDs[i][1]
		cc.Credential.OrganisationID = platformOrgID
		switch i % 2 {
		case 0:
			cc.AuthSchemeConfig.Type = "api-key"
			cc.AuthSchemeConfig.APIKey = &platformRawAPIKeyScheme{ID: "shopify-token", Description: "primary", Name: "X-Shopify-Access-Token", In: "header"}
			cc.Credential.Name, cc.Credential.Type = "shopify key", "string"
			cc.Credential.Data.String = &rawStringData{Value: key}
		case 1:
			cc.AuthSchemeConfig.Type = "basic-auth"
			cc.AuthSchemeConfig.BasicAuth = &platformRawSchemeBase{ID: "shopify-admin", Description: "primary"}
			cc.Credential.Name, cc.Credential.Type = "shopify admin", "basic-auth"
			cc.Credential.Data.BasicAuth = &rawBasicAuthData{Username: "admin@acme.example", Password: password}
		}
	}
	return ccs
}

// platformConnection is an end user's connection as the API returns it, with
// n credentials.
func platformConnection(n int) platformRawConnection {
	return platformRawConnection{
		ID: platformConnID, Name: "acme-42 shopify", BaseURL: "https://acme-42.myshopify.com",
		SystemID: platformSystemID, ConnectionTemplateID: platformTemplateID,
		Credentials: platformCredentials(n, "", ""),
		CreatedAt:   benchTime, UpdatedAt: benchTime,
	}
}

// The raw side's own Platform types. Credential data and auth scheme configs
// are keyed objects (PLATFORM.md §8), so one pass decodes them.
type (
	platformRawEndUser struct {
		rawUser
		OrganisationID string `json:"organisationId"`
	}
	platformRawConnection struct {
		ID                   string                            `json:"id"`
		Name                 string                            `json:"name"`
		BaseURL              string                            `json:"baseUrl,omitempty"`
		SystemID             string                            `json:"systemId,omitempty"`
		ConnectionTemplateID string                            `json:"connectionTemplateId,omitempty"`
		Credentials          []platformRawConnectionCredential `json:"credentials"`
		CreatedAt            time.Time                         `json:"createdAt"`
		UpdatedAt            time.Time                         `json:"updatedAt"`
	}
	platformRawConnectionCredential struct {
		ID               string                      `json:"id"`
		AuthSchemeConfig platformRawAuthSchemeConfig `json:"authSchemeConfig"`
		Credential       platformRawCredential       `json:"credential"`
	}
	platformRawAuthSchemeConfig struct {
		Type      string                   `json:"type"`
		APIKey    *platformRawAPIKeyScheme `json:"apiKey,omitempty"`
		BasicAuth *platformRawSchemeBase   `json:"basicAuth,omitempty"`
	}
	platformRawSchemeBase struct {
		ID          string `json:"id"`
		Description string `json:"description"`
	}
	platformRawAPIKeyScheme struct {
		ID          string `json:"id"`
		Description string `json:"description"`
		Name        string `json:"name"`
		In          string `json:"in"`
	}
	platformRawCredential struct {
		ID             string `json:"id"`
		OrganisationID string `json:"organisationId"`
		Name           string `json:"name"`
		Type           string `json:"type"`
		Data           struct {
			String    *rawStringData    `json:"string,omitempty"`
			BasicAuth *rawBasicAuthData `json:"basicAuth,omitempty"`
		} `json:"data"`
	}
	platformRawConnectionCreate struct {
		ConnectionTemplateID string `json:"connectionTemplateId"`
		ExternalID           string `json:"externalId,omitempty"`
		Connection           struct {
			Name        string                            `json:"name"`
			BaseURL     string                            `json:"baseUrl,omitempty"`
			Credentials []platformRawConnectionCredential `json:"credentials"`
		} `json:"connection"`
	}
)

func platformOrgURL(base string) string { return base + "/o/" + url.PathEscape(platformOrgID) }

func platformRawGetEndUser(ctx context.Context, rc rawClient) (any, error) {
	var u platformRawEndUser
	return &u, rawCall(ctx, rc, http.MethodGet, platformOrgURL(rc.base)+"/users/"+url.PathEscape(platformUser), nil, &u)
}

// platformRawCreateConnection creates an end user's (dynamic) connection
// with two credentials.
func platformRawCreateConnection(ctx context.Context, rc rawClient) (any, error) {
	var in platformRawConnectionCreate
	in.ConnectionTemplateID = platformTemplateID
	in.ExternalID = platformUser
	in.Connection.Name = "acme-42 shopify"
	in.Connection.BaseURL = "https://acme-42.myshopify.com"
	in.Connection.Credentials = platformCredentials(2, "shpat_0f9e8d7c6b5a49382716", "correct horse battery staple")
	var out platformRawConnection
	return &out, rawCall(ctx, rc, http.MethodPost, platformOrgURL(rc.base)+"/connections", &in, &out)
}

// platformRawListUsers lists end users. The spec declares no first/after on
// ListEndUsers (PLATFORM.md §5), so no side sends them; the server answers
// 1,000 users.
func platformRawListUsers(ctx context.Context, rc rawClient) (any, error) {
	var page rawPage[platformRawEndUser]
	return &page, rawCall(ctx, rc, http.MethodGet, platformOrgURL(rc.base)+"/users", nil, &page)
}

// newPlatformGenClient returns the generated Platform client for srv, as it
// comes: with http.DefaultClient and a request editor adding the SDK's
// headers.
func newPlatformGenClient(tb testing.TB, srv *httptest.Server) *platformgen.ClientWithResponses {
	closeDefaultIdle(tb)
	c, err := platformgen.NewClientWithResponses(srv.URL, platformgen.WithHTTPClient(http.DefaultClient), platformgen.WithRequestEditorFn(genHeaders))
	return must(tb, c, err)
}

func platformGenGetEndUser(ctx context.Context, c *platformgen.ClientWithResponses) (any, error) {
	resp, err := c.GetEndUserWithResponse(ctx, platformGenOrgID, platformUser)
	if err != nil {
		return nil, err
	}
	return genOK(resp.JSON200, resp.StatusCode())
}

func platformGenCreateConnection(ctx context.Context, c *platformgen.ClientWithResponses) (any, error) {
	creds := make([]platformgen.ConnectionCredential, 2)
	creds[0] = platformgen.ConnectionCredential{
		ID: platformGenCredIDs[0][0],
		AuthSchemeConfig: &platformgen.AuthSchemeConfig{Type: platformgen.AuthSchemeTypeApiKey, ApiKey: &platformgen.AuthSchemeConfigAPIKey{
			ID: "shopify-token", Description: "primary", Name: "X-Shopify-Access-Token", In: platformgen.AuthSchemeConfigAPIKeyInHeader,
		}},
		Credential: &platformgen.Credential{
			ID: platformGenCredIDs[0][1], OrganisationID: platformGenOrgID,
			Name: ptr("shopify key"), Type: platformgen.CredentialTypeString,
			Data: &platformgen.CredentialData{String: &platformgen.CredentialDataString{Value: "shpat_0f9e8d7c6b5a49382716"}},
		},
	}
	creds[1] = platformgen.ConnectionCredential{
		ID: platformGenCredIDs[1][0],
		AuthSchemeConfig: &platformgen.AuthSchemeConfig{Type: platformgen.AuthSchemeTypeBasicAuth, BasicAuth: &platformgen.AuthSchemeConfigBasicAuth{
			ID: "shopify-admin", Description: "primary",
		}},
		Credential: &platformgen.Credential{
			ID: platformGenCredIDs[1][1], OrganisationID: platformGenOrgID,
			Name: ptr("shopify admin"), Type: platformgen.CredentialTypeBasicAuth,
			Data: &platformgen.CredentialData{BasicAuth: &platformgen.CredentialDataBasicAuth{Username: "admin@acme.example", Password: "correct horse battery staple"}},
		},
	}
	resp, err := c.CreateConnectionWithResponse(ctx, platformGenOrgID, platformgen.CreateConnectionJSONRequestBody{
		EnvironmentSystemID: platformGenTemplate,
		ExternalId:          ptr(platformUser),
		Connection: platformgen.ConnectionCreate{
			Name:        "acme-42 shopify",
			BaseURL:     "https://acme-42.myshopify.com",
			Credentials: creds,
		},
	})
	if err != nil {
		return nil, err
	}
	return genOK(resp.JSON201, resp.StatusCode())
}

func platformGenListUsers(ctx context.Context, c *platformgen.ClientWithResponses) (any, error) {
	resp, err := c.ListEndUsersWithResponse(ctx, platformGenOrgID, nil)
	if err != nil {
		return nil, err
	}
	return genOK(resp.JSON200, resp.StatusCode())
}

// newPlatformSDKClient returns the SDK's Platform client for srv, with its
// defaults.
func newPlatformSDKClient(tb testing.TB, srv *httptest.Server) *platform.Client {
	c, err := platform.NewClient(versori.WithAPIKey(benchKey), versori.WithBaseURL(srv.URL), versori.WithOrganisationID(platformOrgID))
	return must(tb, c, err)
}

// newUnboundedPlatformSDKClient is newPlatformSDKClient given a client with
// the SDK's default transport and no limit per attempt: what the default
// client's 60 s bound costs is the difference.
func newUnboundedPlatformSDKClient(tb testing.TB, srv *httptest.Server) *platform.Client {
	hc := &http.Client{Transport: versori.DefaultTransport()}
	tb.Cleanup(hc.CloseIdleConnections)
	c, err := platform.NewClient(versori.WithAPIKey(benchKey), versori.WithBaseURL(srv.URL), versori.WithOrganisationID(platformOrgID), versori.WithHTTPClient(hc))
	return must(tb, c, err)
}

func platformSDKGetEndUser(ctx context.Context, c *platform.Client) (any, error) {
	return c.Users.Get(ctx, platform.ExternalID(platformUser))
}

// platformSDKCreateConnection sets the credential IDs the other sides send;
// a caller would leave them empty for the SDK to mint.
func platformSDKCreateConnection(ctx context.Context, c *platform.Client) (any, error) {
	key := platform.CredentialFor(
		platform.AuthSchemeConfig{ID: "shopify-token", Description: "primary", Scheme: platform.APIKeyScheme{Name: "X-Shopify-Access-Token", In: versori.InHeader}},
		"shopify key", platform.StringCredential{Value: versori.NewSecret("shpat_0f9e8d7c6b5a49382716")})
	key.ID, key.Credential.ID = platformCredIDs[0][0], platformCredIDs[0][1]
	admin := platform.CredentialFor(
		platform.AuthSchemeConfig{ID: "shopify-admin", Description: "primary", Scheme: platform.BasicAuthScheme{}},
		"shopify admin", platform.BasicAuthCredential{Username: "admin@acme.example", Password: versori.NewSecret("correct horse battery staple")})
	admin.ID, admin.Credential.ID = platformCredIDs[1][0], platformCredIDs[1][1]
	return c.Connections.Create(ctx, platform.CreateConnectionParams{
		TemplateID: platformTemplateID,
		ExternalID: platformUser,
		Connection: platform.ConnectionCreate{
			Name:        "acme-42 shopify",
			BaseURL:     "https://acme-42.myshopify.com",
			Credentials: []platform.ConnectionCredential{key, admin},
		},
	})
}

func platformSDKListUsers(ctx context.Context, c *platform.Client) (any, error) {
	return c.Users.List(ctx, nil)
}

// The Platform rows: gen is the generated Platform client.
var (
	platformRowGetEndUser       = newRow("PlatformGetEndUser", http.StatusOK, platformUserBody, newPlatformGenClient, newPlatformSDKClient, platformRawGetEndUser, platformGenGetEndUser, platformSDKGetEndUser)
	platformRowCreateConnection = newRow("PlatformCreateConnection", http.StatusCreated, platformConnectionBody, newPlatformGenClient, newPlatformSDKClient, platformRawCreateConnection, platformGenCreateConnection, platformSDKCreateConnection)
	// The get and create rows again with no side bounding an attempt in
	// time, as gen's http.DefaultClient does not: raw's client without its
	// timeout, and the SDK given a client without one.
	platformRowGetEndUserUnbounded = row{
		name: "PlatformGetEndUserUnbounded", status: http.StatusOK, body: platformUserBody,
		raw: side(newUnboundedRawClient, platformRawGetEndUser), gen: side(newPlatformGenClient, platformGenGetEndUser), sdk: side(newUnboundedPlatformSDKClient, platformSDKGetEndUser),
	}
	platformRowCreateConnectionUnbounded = row{
		name: "PlatformCreateConnectionUnbounded", status: http.StatusCreated, body: platformConnectionBody,
		raw: side(newUnboundedRawClient, platformRawCreateConnection), gen: side(newPlatformGenClient, platformGenCreateConnection), sdk: side(newUnboundedPlatformSDKClient, platformSDKCreateConnection),
	}
	platformRowListEndUsers1000 = newRow("PlatformListEndUsers1000", http.StatusOK, platformPageBody, newPlatformGenClient, newPlatformSDKClient, platformRawListUsers, platformGenListUsers, platformSDKListUsers)
)

// BenchmarkPlatformGetEndUser is one Platform GetEndUser call by external ID.
func BenchmarkPlatformGetEndUser(b *testing.B) { platformRowGetEndUser.bench(b, runSerial) }

// BenchmarkPlatformCreateConnection is one Platform CreateConnection call for
// an end user, with two credentials.
func BenchmarkPlatformCreateConnection(b *testing.B) {
	platformRowCreateConnection.bench(b, runSerial)
}

// BenchmarkPlatformGetEndUserUnbounded is BenchmarkPlatformGetEndUser with no
// side bounding an attempt in time.
func BenchmarkPlatformGetEndUserUnbounded(b *testing.B) {
	platformRowGetEndUserUnbounded.bench(b, runSerial)
}

// BenchmarkPlatformCreateConnectionUnbounded is
// BenchmarkPlatformCreateConnection with no side bounding an attempt in time.
func BenchmarkPlatformCreateConnectionUnbounded(b *testing.B) {
	platformRowCreateConnectionUnbounded.bench(b, runSerial)
}

// BenchmarkPlatformListEndUsers1000 is one Platform ListEndUsers call
// returning a page of 1,000 users.
func BenchmarkPlatformListEndUsers1000(b *testing.B) {
	platformRowListEndUsers1000.bench(b, runSerial)
}

// BenchmarkPlatformGetEndUserConcurrent is Platform GetEndUser from 64
// goroutines sharing one client per side.
func BenchmarkPlatformGetEndUserConcurrent(b *testing.B) {
	platformRowGetEndUser.bench(b, runConcurrent)
}
