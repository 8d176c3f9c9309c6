package platform_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

func TestFakeConnectionsEveryKindOfCredential(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	tms := templates(t, srv, p)
	user := newUser(t, p, "acme-42")
	conns := connectAll(t, p, tms, user.ExternalID)
	require.Len(t, conns, 5, "acme, zendesk, shopify, netsuite and trello are dynamic")

	for name, conn := range conns {
		tm := tms[name]
		assert.Equal(t, tm.ConnectionTemplateID, conn.TemplateID, name)
		assert.Equal(t, tm.SystemID, conn.SystemID, name)
		require.Len(t, conn.Credentials, 1, name)
		cred := conn.Credentials[0]
		assert.NotEmpty(t, cred.ID, name)
		assert.NotEmpty(t, cred.Credential.ID, name)
		assert.Equal(t, srv.Seeded().OrganisationID, cred.Credential.OrganisationID, name)
		assert.Equal(t, tm.AuthSchemeConfigs[0].ID, cred.AuthSchemeConfig.ID, name)
		// The API got the secret, and does not say it again.
		lastBodyOf(t, srv, versoritest.OpPlatformCreateConnection, secretOf(name))
		assertNoSecret(t, conn, secretOf(name))
	}
	// An oauth2-code credential is exchanged: it reads back as oauth2-token.
	assert.Equal(t, platform.CredentialTypeOAuth2Token, conns["shopify"].Credentials[0].Credential.Type)
	assert.IsType(t, platform.OAuth2TokenCredential{}, conns["shopify"].Credentials[0].Credential.Data)
}

func TestFakeConnectionsRedactedOnRead(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	tms := templates(t, srv, p)
	user := newUser(t, p, "redact")
	created := connect(t, p, user.ExternalID, tms["zendesk"])

	got, err := p.Connections.Get(ctx, created.ID)
	require.NoError(t, err)
	data, ok := got.Credentials[0].Credential.Data.(platform.BasicAuthCredential)
	require.True(t, ok, "%T", got.Credentials[0].Credential.Data)
	assert.Equal(t, "zendesk-user", data.Username)
	assert.Empty(t, data.Password.Reveal(), "the password reads back redacted")
	assertNoSecret(t, got, secretOf("zendesk"))

	// So does every list, and the activation's copy.
	page, err := p.Connections.List(ctx, &platform.ListConnectionsParams{EndUserID: user.ID})
	require.NoError(t, err)
	assertNoSecret(t, page, secretOf("zendesk"))

	// Auth scheme configs too: Shopify's grant keeps its client secret.
	sys, err := p.Systems.Get(ctx, tms["shopify"].SystemID)
	require.NoError(t, err)
	grant := sys.AuthSchemeConfigs[0].Scheme.(platform.OAuth2Scheme).Grant.(platform.AuthorizationCodeGrant)
	assert.Equal(t, "shopify-client-id", grant.ClientID)
	assert.Empty(t, grant.ClientSecret.Reveal())
	assertNoSecret(t, sys, "shopify-client-secret")
}

func TestFakeConnectionsOnePerUserAndTemplate(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	tms := templates(t, srv, p)
	newUser(t, p, "one")
	newUser(t, p, "two")
	connect(t, p, "one", tms["acme"])

	_, err := p.Connections.Create(t.Context(), platform.CreateConnectionParams{
		TemplateID: tms["acme"].ConnectionTemplateID, ExternalID: "one", Connection: connectionFor(t, tms["acme"]),
	})
	assert.ErrorIs(t, err, versori.ErrConflict)
	// Another template, or another user, is fine.
	connect(t, p, "one", tms["zendesk"])
	connect(t, p, "two", tms["acme"])
	// A static template has one static connection: Slack's is seeded.
	_, err = p.Connections.Create(t.Context(), platform.CreateConnectionParams{
		TemplateID: tms["slack"].ConnectionTemplateID, Connection: connectionFor(t, tms["slack"]),
	})
	assert.ErrorIs(t, err, versori.ErrConflict)
}

func TestFakeConnectionsListFilters(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	tms := templates(t, srv, p)
	one, two := newUser(t, p, "one"), newUser(t, p, "two")
	a1 := connect(t, p, "one", tms["acme"])
	z1 := connect(t, p, "one", tms["zendesk"])
	a2 := connect(t, p, "two", tms["acme"])

	page, err := p.Connections.List(ctx, &platform.ListConnectionsParams{EndUserID: one.ID})
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{a1.ID, z1.ID}, connectionIDs(page.Items))
	page, err = p.Connections.List(ctx, &platform.ListConnectionsParams{SystemID: tms["acme"].SystemID})
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{a1.ID, a2.ID}, connectionIDs(page.Items))
	page, err = p.Connections.List(ctx, &platform.ListConnectionsParams{SystemID: tms["acme"].SystemID, EndUserID: two.ID})
	require.NoError(t, err)
	assert.Equal(t, []string{a2.ID}, connectionIDs(page.Items))
	// end_user_id takes Versori's ID only, which the SDK's UserID type says;
	// an external ID passed as one is refused by the API.
	_, err = p.Connections.List(ctx, &platform.ListConnectionsParams{EndUserID: platform.UserID("one")})
	assert.ErrorIs(t, err, versori.ErrValidation)
}

// The PageInfo shape again, on two more lists: Connections.All and
// Connections.AllStatic follow next through every page.
func TestFakeConnectionsAllPagesThroughEveryConnection(t *testing.T) {
	t.Parallel()
	srv, p, tms := newFakeWithUser(t, "pager")
	ctx := t.Context()
	want := []string{srv.Seeded().Platform.StaticConnectionID}
	for _, c := range connectAll(t, p, tms, "pager") {
		want = append(want, c.ID)
	}
	resetRequests(srv)
	got, err := collect(p.Connections.All(ctx, &platform.ListConnectionsParams{First: 2}))
	require.NoError(t, err)
	assert.ElementsMatch(t, want, connectionIDs(got))
	assert.Equal(t, slices.Repeat([]string{versoritest.OpPlatformListConnections}, 3), ops(srv), "6 connections, 3 pages of 2")

	// Static connections: link a second one to a new static template.
	sp := srv.Seeded().Platform
	tm, err := p.Templates.Create(ctx, sp.ProjectID, platform.CreateConnectionTemplateParams{
		SystemID: tms["acme"].SystemID, Name: "acme-static", EnvironmentID: sp.EnvironmentID,
	})
	require.NoError(t, err)
	static, err := p.Connections.Create(ctx, platform.CreateConnectionParams{TemplateID: tm.ConnectionTemplateID, Connection: connectionFor(t, tms["acme"])})
	require.NoError(t, err)
	resetRequests(srv)
	statics, err := collect(p.Connections.AllStatic(ctx, sp.ProjectID, sp.EnvironmentID, &platform.ListStaticConnectionsParams{First: 1}))
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{sp.StaticConnectionID, static.ID}, connectionIDs(statics))
	assert.Equal(t, slices.Repeat([]string{versoritest.OpPlatformListEnvironmentConnections}, 2), ops(srv))
	page, err := p.Connections.ListStatic(ctx, sp.ProjectID, "", nil)
	require.NoError(t, err)
	assert.Equal(t, 2, page.TotalCount)
}

func TestFakeConnectionsUpdate(t *testing.T) {
	t.Parallel()
	srv, p, tms := newFakeWithUser(t, "upd")
	ctx := t.Context()
	conn := connect(t, p, "upd", tms["acme"])

	scheme := tms["acme"].AuthSchemeConfigs[0]
	updated, err := p.Connections.Update(ctx, conn.ID, platform.UpdateConnectionParams{
		Name:        "renamed",
		BaseURL:     "eu.acme.example/v2",
		Credentials: []platform.ConnectionCredential{platform.CredentialFor(scheme, "rotated", platform.StringCredential{Value: versori.NewSecret("rotated-s3cret")})},
	})
	require.NoError(t, err)
	assert.Equal(t, "renamed", updated.Name)
	assert.Equal(t, "https://eu.acme.example", updated.BaseURL, "the API keeps scheme and host")
	assert.Equal(t, "rotated", updated.Credentials[0].Credential.Name)
	assert.True(t, !updated.UpdatedAt.Before(conn.UpdatedAt))
	assertNoSecret(t, updated, "rotated-s3cret")

	// BaseURL "" keeps the stored one: UpdateConnectionParams sends it.
	again, err := p.Connections.Update(ctx, conn.ID, platform.UpdateConnectionParams{
		Name:        "renamed again",
		Credentials: []platform.ConnectionCredential{platform.CredentialFor(scheme, "rotated", platform.StringCredential{Value: versori.NewSecret("x")})},
	})
	require.NoError(t, err)
	assert.Equal(t, "https://eu.acme.example", again.BaseURL)
	assert.JSONEq(t, `""`, string(field(t, lastBodyOf(t, srv, versoritest.OpPlatformUpdateConnection, ""), "baseUrl")))

	_, err = p.Connections.Update(ctx, "01ARZ3NDEKTSV4RRFFQ69G5FAV", platform.UpdateConnectionParams{Name: "x", Credentials: again.Credentials[:0:0]})
	assert.ErrorIs(t, err, versori.ErrValidation, "no credential: refused before sending")
}

// A connection's secrets read back redacted, so an update that keeps a
// credential refers to it by ID instead of sending it again.
func TestFakeConnectionsUpdateKeepsACredentialByReference(t *testing.T) {
	t.Parallel()
	srv, p, tms := newFakeWithUser(t, "keep")
	ctx := t.Context()
	conn := connect(t, p, "keep", tms["zendesk"])
	read, err := p.Connections.Get(ctx, conn.ID)
	require.NoError(t, err)
	kept := read.Credentials[0]

	// Sent back as read, the redacted password is refused before sending.
	_, err = p.Connections.Update(ctx, conn.ID, platform.UpdateConnectionParams{Name: "renamed", Credentials: read.Credentials})
	assert.ErrorIs(t, err, versori.ErrNotSent)

	updated, err := p.Connections.Update(ctx, conn.ID, platform.UpdateConnectionParams{
		Name:        "renamed",
		Credentials: []platform.ConnectionCredential{{AuthSchemeConfig: kept.AuthSchemeConfig, Credential: platform.Credential{ID: kept.Credential.ID}}},
	})
	require.NoError(t, err)
	assert.Equal(t, "renamed", updated.Name)
	assert.Equal(t, kept.Credential, updated.Credentials[0].Credential, "the same credential, its data as stored")
	var sent struct {
		Credentials []struct{ Credential json.RawMessage }
	}
	require.NoError(t, json.Unmarshal(lastBodyOf(t, srv, versoritest.OpPlatformUpdateConnection, "renamed"), &sent))
	assert.JSONEq(t, `{"id":"`+kept.Credential.ID+`","organisationId":"`+srv.Seeded().OrganisationID+`"}`, string(sent.Credentials[0].Credential))

	// ExistingCredential says the same.
	assert.Equal(t, platform.ConnectionCredential{AuthSchemeConfig: kept.AuthSchemeConfig, Credential: platform.Credential{ID: kept.Credential.ID}},
		platform.ExistingCredential(kept.AuthSchemeConfig, kept.Credential.ID))
	// A reference to a credential that does not exist is the API's 400.
	_, err = p.Connections.Update(ctx, conn.ID, platform.UpdateConnectionParams{
		Name: "renamed", Credentials: []platform.ConnectionCredential{platform.ExistingCredential(kept.AuthSchemeConfig, "01ARZ3NDEKTSV4RRFFQ69G5FAV")},
	})
	assert.ErrorIs(t, err, versori.ErrValidation)
	assert.NotErrorIs(t, err, versori.ErrNotSent)
}

func TestFakeConnectionsDelete(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	a := activate(t, srv, p, "del")
	acmeTemplate := templates(t, srv, p)["acme"].ConnectionTemplateID
	acme := a.Connections[slices.IndexFunc(a.Connections, func(c platform.Connection) bool { return c.TemplateID == acmeTemplate })]

	// An end user's connection an activation uses cannot go.
	err := p.Connections.Delete(ctx, acme.ID)
	assert.ErrorIs(t, err, versori.ErrConflict)
	// A static one goes even though linked and used.
	require.NoError(t, p.Connections.Delete(ctx, srv.Seeded().Platform.StaticConnectionID))
	_, err = p.Connections.Get(ctx, srv.Seeded().Platform.StaticConnectionID)
	assert.ErrorIs(t, err, versori.ErrNotFound)
	// Once deactivated, the user's connection goes too.
	require.NoError(t, p.Activations.Delete(ctx, srv.Seeded().Platform.EnvironmentID, a.ID))
	require.NoError(t, p.Connections.Delete(ctx, acme.ID))
	assert.ErrorIs(t, p.Connections.Delete(ctx, acme.ID), versori.ErrNotFound)
}

func TestFakeConnectionsLinkAndUnlink(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	sp := srv.Seeded().Platform
	tms := templates(t, srv, p)
	slack := tms["slack"].ConnectionTemplateID

	// Unlink is a DELETE with a body naming the template.
	require.NoError(t, p.Connections.Unlink(ctx, sp.StaticConnectionID, slack))
	req := lastRequestOf(t, srv, versoritest.OpPlatformUnlinkConnectionFromEnvironment)
	assert.Equal(t, http.MethodDelete, req.Method)
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"connectionTemplateId":"`+slack+`"}`, string(req.Body))
	statics, err := p.Connections.ListStatic(ctx, sp.ProjectID, sp.EnvironmentID, nil)
	require.NoError(t, err)
	assert.Empty(t, statics.Items)
	assert.ErrorIs(t, p.Connections.Unlink(ctx, sp.StaticConnectionID, slack), versori.ErrNotFound)

	require.NoError(t, p.Connections.Link(ctx, sp.StaticConnectionID, slack))
	assert.ErrorIs(t, p.Connections.Link(ctx, sp.StaticConnectionID, slack), versori.ErrConflict)
	statics, err = p.Connections.ListStatic(ctx, sp.ProjectID, sp.EnvironmentID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{sp.StaticConnectionID}, connectionIDs(statics.Items))

	// Only static connections are linked, to a template of their system.
	newUser(t, p, "linker")
	mine := connect(t, p, "linker", tms["acme"])
	assert.ErrorIs(t, p.Connections.Link(ctx, mine.ID, tms["acme"].ConnectionTemplateID), versori.ErrValidation)
	assert.ErrorIs(t, p.Connections.Link(ctx, sp.StaticConnectionID, tms["acme"].ConnectionTemplateID), versori.ErrValidation)
}

func TestFakeConnectionsFaults(t *testing.T) {
	t.Parallel()
	srv, p, tms := newFakeWithUser(t, "faulty")
	ctx := t.Context()

	// A create the server may have acted on is not repeated.
	srv.FailNext(versoritest.OpPlatformCreateConnection, 1, versoritest.Fault{Status: http.StatusBadGateway})
	_, err := p.Connections.Create(ctx, platform.CreateConnectionParams{TemplateID: tms["acme"].ConnectionTemplateID, ExternalID: "faulty", Connection: connectionFor(t, tms["acme"])})
	assert.ErrorIs(t, err, versori.ErrMaybeProcessed)
	conn := connect(t, p, "faulty", tms["acme"])

	// The DELETE with a body keeps its body when retried.
	resetRequests(srv)
	srv.FailNext(versoritest.OpPlatformUnlinkConnectionFromEnvironment, 1, versoritest.Fault{Status: http.StatusServiceUnavailable})
	require.NoError(t, p.Connections.Unlink(ctx, srv.Seeded().Platform.StaticConnectionID, tms["slack"].ConnectionTemplateID))
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, reqs[0].Body, reqs[1].Body)
	assert.NotEmpty(t, reqs[1].Body)

	// A PUT is retried through a dropped connection; the update lands once.
	srv.FailNext(versoritest.OpPlatformUpdateConnection, 1, versoritest.Fault{Drop: true})
	_, err = p.Connections.Update(ctx, conn.ID, platform.UpdateConnectionParams{Name: "after drop", Credentials: []platform.ConnectionCredential{
		platform.CredentialFor(tms["acme"].AuthSchemeConfigs[0], "k", platform.StringCredential{Value: versori.NewSecret("v")}),
	}})
	require.NoError(t, err)
	got, err := p.Connections.Get(ctx, conn.ID)
	require.NoError(t, err)
	assert.Equal(t, "after drop", got.Name)

	// Faults on every other connection operation surface as the API's errors.
	srv.FailNext(versoritest.OpPlatformListConnections, 3, versoritest.Fault{Status: http.StatusInternalServerError})
	_, err = p.Connections.List(ctx, nil)
	assert.ErrorIs(t, err, versori.ErrServer)
	srv.FailNext(versoritest.OpPlatformLinkConnectionToEnvironment, 1, versoritest.Fault{Status: http.StatusForbidden})
	assert.ErrorIs(t, p.Connections.Link(ctx, srv.Seeded().Platform.StaticConnectionID, tms["slack"].ConnectionTemplateID), versori.ErrForbidden)
}

// lastBodyOf returns the body of the last request for op that contains want.
func lastBodyOf(t *testing.T, srv *versoritest.Server, op, want string) []byte {
	t.Helper()
	reqs := srv.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Operation == op && bytes.Contains(reqs[i].Body, []byte(want)) {
			return reqs[i].Body
		}
	}
	t.Fatalf("no %s request with %q", op, want)
	return nil
}

// field returns one top-level member of a JSON object.
func field(t *testing.T, body []byte, name string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &m))
	return m[name]
}

// TestConnectionsPageWithoutItemsIsAnError: ConnectionPage requires items,
// as the other pages require theirs; a page without them (or with them
// misnamed) is not an empty page, which would end All silently.
func TestConnectionsPageWithoutItemsIsAnError(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"totalCount":2}`, `{"totalCount":2,"items":null}`, `{"totalCount":2,"Items":[]}`} {
		s := replying(t, http.StatusOK, body)
		c := newClient(t, s)
		_, err := c.Connections.List(t.Context(), nil)
		assertMissing(t, err, "items")
		_, err = c.Connections.ListStatic(t.Context(), "01PROJ", "01ENV", nil)
		assertMissing(t, err, "items")
		_, err = collect(c.Connections.All(t.Context(), nil))
		assertMissing(t, err, "items")
	}
}

// TestConnectionsRefuseAnAdditionalParamWithoutName: an OAuth 1.0 token's
// additional parameters each require a name (AdditionalParam); one without
// is refused before sending, like the credential's own required values.
func TestConnectionsRefuseAnAdditionalParamWithoutName(t *testing.T) {
	t.Parallel()
	scheme := platform.AuthSchemeConfig{ID: "o1", Scheme: platform.OAuth1Scheme{TokenAuth: true, ConsumerKey: "ck", SignatureMethod: "sha1"}}
	data := platform.OAuth1TokenCredential{Token: versori.NewSecret("t"), TokenSecret: versori.NewSecret("ts"),
		AdditionalParams: []platform.AdditionalParam{{Name: "realm", Value: "1"}, {Name: " ", Value: "2"}}}
	conn := platform.ConnectionCreate{Name: "c", Credentials: []platform.ConnectionCredential{platform.CredentialFor(scheme, "n", data)}}
	assertRefusals(t, func(ctx context.Context, c *platform.Client) []refusal {
		return []refusal{
			{"create", "connection.credentials[0].credential.data.additionalParams[1].name", func() error {
				return errOf(c.Connections.Create(ctx, platform.CreateConnectionParams{TemplateID: "01TPL", Connection: conn}))
			}},
			{"update", "credentials[0].credential.data.additionalParams[1].name", func() error {
				return errOf(c.Connections.Update(ctx, "01CONN", platform.UpdateConnectionParams{Name: "c", Credentials: conn.Credentials}))
			}},
		}
	})
}
