package platform_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/testutil"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

const orgsPath = "/api/organisations/v1/organisations/" + testOrg

// testKeyPair is an RSA key pair as the Organisations API hands it out: the
// private half PKCS #8, the public half PKIX, both PEM.
var testKeyPair = sync.OnceValues(func() (private, public string) {
	key := testutil.RSAKey(0)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		panic(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}))
})

func signingKeySetJSON() string {
	private, public := testKeyPair()
	return fmt.Sprintf(`{"id":"01KEY00000000000000000000A","name":"backend","publicKey":%q,"privateKey":%q,"createdAt":"2026-03-04T05:06:07Z"}`, public, private)
}

func publicKeyJSON(id string) string {
	_, public := testKeyPair()
	return fmt.Sprintf(`{"id":%q,"name":"backend","publicKey":%q,"createdAt":"2026-03-04T05:06:07Z"}`, id, public)
}

func TestSigningKeysCreate(t *testing.T) {
	t.Parallel()
	private, public := testKeyPair()
	for _, status := range []int{http.StatusOK, http.StatusCreated} {
		s := replying(t, status, signingKeySetJSON())
		set, err := newClient(t, s).SigningKeys.Create(t.Context(), "backend")
		require.NoError(t, err, status)
		assertSent(t, s.only(t), "POST", orgsPath+"/keys", "", `{"name":"backend"}`)
		assert.Equal(t, &platform.SigningKeySet{
			ID: "01KEY00000000000000000000A", Name: "backend", PublicKey: public, PrivateKey: versori.NewSecret(private),
			CreatedAt: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC),
		}, set)
	}
}

func TestSigningKeysCreateAndListDecodeA204WithABody(t *testing.T) {
	t.Parallel()
	// Erratum E12: the spec declares both answers 204 with a JSON body. A
	// transport that hands over such a body gets it decoded.
	var urls []string
	c := newClient(t, replying(t, 500, ""), versori.WithHTTPClient(transportAnswering(http.StatusNoContent, signingKeySetJSON(), &urls)))
	set, err := c.SigningKeys.Create(t.Context(), "backend")
	require.NoError(t, err)
	assert.Equal(t, "01KEY00000000000000000000A", set.ID)
	assert.NotEmpty(t, set.PrivateKey)

	c = newClient(t, replying(t, 500, ""), versori.WithHTTPClient(transportAnswering(http.StatusNoContent, `{"keys":[`+publicKeyJSON("01K1")+`]}`, &urls)))
	list, err := c.SigningKeys.List(t.Context())
	require.NoError(t, err)
	require.Len(t, list.Keys, 1)
	assert.Equal(t, "01K1", list.Keys[0].ID)
}

func TestSigningKeysCreateWhenA204BodyCannotArrive(t *testing.T) {
	t.Parallel()
	// Over a real connection net/http reads no body after a 204, whatever
	// the server wrote: the call then fails, saying a key may have been
	// made, rather than returning a key without its private half.
	s := newRawServer(t, func(*http.Request, int) answer { return answer{http.StatusOK, ""} })
	s.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		body := signingKeySetJSON()
		fmt.Fprintf(buf, "HTTP/1.1 204 No Content\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
		_ = buf.Flush()
	})
	_, err := newClient(t, s).SigningKeys.Create(t.Context(), "backend")
	var d *versori.DecodeError
	require.ErrorAs(t, err, &d)
	assert.Equal(t, http.StatusNoContent, d.StatusCode)
	assert.ErrorIs(t, err, versori.ErrMaybeProcessed)
}

func TestSigningKeySetLoadsAKeyThatMintsVerifiableTokens(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, signingKeySetJSON())
	set, err := newClient(t, s).SigningKeys.Create(t.Context(), "backend")
	require.NoError(t, err)
	key, err := set.SigningKey()
	require.NoError(t, err)
	assert.Equal(t, "01KEY00000000000000000000A", key.KeyID())
	tok, err := key.MintUserToken(versori.ExternalUser("acme-42"), time.Minute)
	require.NoError(t, err)

	// The public half GetPublicKey returns verifies it.
	block, _ := pem.Decode([]byte(set.PublicKey))
	require.NotNil(t, block)
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	require.NoError(t, err)
	claims := jwt.MapClaims{}
	_, err = jwt.ParseWithClaims(tok.Value.Reveal(), claims, func(*jwt.Token) (any, error) { return pub, nil }, jwt.WithValidMethods([]string{"RS256"}))
	require.NoError(t, err)
	assert.Equal(t, "acme-42", claims["sub"])
	assert.Equal(t, "https://versori.com/sk/01KEY00000000000000000000A", claims["iss"])

	_, err = (&platform.SigningKeySet{ID: "01KEY", PrivateKey: versori.NewSecret("not a key")}).SigningKey()
	var v *versori.ValidationError
	require.ErrorAs(t, err, &v)
	assert.NotContains(t, err.Error(), "not a key")
}

func TestSigningKeySetPrivateKeyIsRedacted(t *testing.T) {
	t.Parallel()
	private, _ := testKeyPair()
	set := platform.SigningKeySet{ID: "01KEY", Name: "backend", PrivateKey: versori.NewSecret(private)}
	body := strings.Split(private, "\n")[1] // a line of the key's base64
	assertRedacted(t, set, body)
	assertRedacted(t, &set, body)
}

func TestSigningKeysList(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, `{"keys":[`+publicKeyJSON("01K1")+`,`+publicKeyJSON("01K2")+`]}`)
	list, err := newClient(t, s).SigningKeys.List(t.Context())
	require.NoError(t, err)
	assertSent(t, s.only(t), "GET", orgsPath+"/keys", "", "")
	_, public := testKeyPair()
	assert.Equal(t, []platform.PublicKey{
		{ID: "01K1", Name: "backend", PublicKey: public, CreatedAt: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)},
		{ID: "01K2", Name: "backend", PublicKey: public, CreatedAt: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)},
	}, list.Keys)
}

func TestSigningKeysDelete(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusNoContent, "")
	require.NoError(t, newClient(t, s).SigningKeys.Delete(t.Context(), "01KEY/1"))
	assertSent(t, s.only(t), "DELETE", orgsPath+"/keys/01KEY%2F1", "", "")
}

func TestSigningKeysGetPublicKeyIsNotOrganisationScoped(t *testing.T) {
	t.Parallel()
	s := replying(t, http.StatusOK, publicKeyJSON("01KEY"))
	key, err := newClient(t, s).SigningKeys.GetPublicKey(t.Context(), "01KEY")
	require.NoError(t, err)
	assertSent(t, s.only(t), "GET", "/api/organisations/v1/keys/01KEY", "", "")
	assert.Equal(t, "01KEY", key.ID)
}

func TestSigningKeysAnswersWithoutRequiredPropertiesAreErrors(t *testing.T) {
	t.Parallel()
	// A key set without its private half must not pass for a key.
	s := replying(t, http.StatusOK, `{"id":"01KEY","name":"backend","publicKey":"p","createdAt":"2026-03-04T05:06:07Z"}`)
	_, err := newClient(t, s).SigningKeys.Create(t.Context(), "backend")
	assertMissing(t, err, "privateKey")

	s = replying(t, http.StatusOK, `{}`)
	_, err = newClient(t, s).SigningKeys.List(t.Context())
	assertMissing(t, err, "keys")
}

func TestSigningKeysErrors(t *testing.T) {
	t.Parallel()
	// The Organisations API's Error has cause where the Platform API's has
	// details.
	s := replying(t, http.StatusNotFound, `{"code":"404000","message":"signing key not found","cause":"no such key"}`)
	err := newClient(t, s).SigningKeys.Delete(t.Context(), "01KEY")
	require.ErrorIs(t, err, versori.ErrNotFound)
	var e *versori.APIError
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "DeleteSigningKey", e.Operation)
	assert.Equal(t, "/organisations/"+testOrg+"/keys/01KEY", e.Path)
	assert.Equal(t, "no such key", e.Details)
}

func TestSigningKeysRefuseBadInput(t *testing.T) {
	t.Parallel()
	assertRefusals(t, func(ctx context.Context, c *platform.Client) []refusal {
		return []refusal{
			{"create with a blank name", "name", func() error { return errOf(c.SigningKeys.Create(ctx, " ")) }},
			{"delete without ID", "keyID", func() error { return c.SigningKeys.Delete(ctx, "") }},
			{"delete dot-dot", "keyID", func() error { return c.SigningKeys.Delete(ctx, "..") }},
			{"public key without ID", "keyID", func() error { return errOf(c.SigningKeys.GetPublicKey(ctx, "")) }},
		}
	})
}

func TestOrganisationsBaseURLIsDerived(t *testing.T) {
	t.Parallel()
	t.Run("from a test server's /api/v2", func(t *testing.T) {
		t.Parallel()
		s := newRawServer(t, func(r *http.Request, _ int) answer {
			if strings.HasSuffix(r.URL.Path, "/keys") {
				return answer{http.StatusOK, `{"keys":[]}`}
			}
			return answer{http.StatusOK, `{"projects":[]}`}
		})
		c := newClient(t, s)
		_, err := c.SigningKeys.List(t.Context(), versori.WithHeader("X-Trace", "1"))
		require.NoError(t, err)
		_, err = c.Projects.List(t.Context())
		require.NoError(t, err)
		reqs := s.requests()
		assert.Equal(t, "/api/organisations/v1/organisations/"+testOrg+"/keys", reqs[0].Path)
		assert.Equal(t, "1", reqs[0].Header.Get("X-Trace"), "a call's options apply too")
		assert.Equal(t, orgPath+"/projects", reqs[1].Path, "the Platform API's base is untouched")
	})
	t.Run("from the default base URL", func(t *testing.T) {
		t.Parallel()
		var urls []string
		c, err := platform.NewClient(versori.WithOrganisationID("org 1"), versori.WithAPIKey(testKey),
			versori.WithHTTPClient(transportFunc(http.StatusOK, func(r *http.Request) string {
				switch {
				case strings.HasSuffix(r.URL.Path, "/keys"):
					return `{"keys":[]}`
				case strings.Contains(r.URL.Path, "/keys/"):
					return publicKeyJSON("01KEY")
				}
				return `{"projects":[]}`
			}, &urls)))
		require.NoError(t, err)
		_, err = c.SigningKeys.List(t.Context())
		require.NoError(t, err)
		_, err = c.SigningKeys.GetPublicKey(t.Context(), "01KEY")
		require.NoError(t, err)
		_, err = c.Projects.List(t.Context())
		require.NoError(t, err)
		assert.Equal(t, []string{
			"GET https://platform.versori.com/api/organisations/v1/organisations/org%201/keys",
			"GET https://platform.versori.com/api/organisations/v1/keys/01KEY",
			"GET https://platform.versori.com/api/v2/o/org%201/projects",
		}, urls)
	})
	t.Run("not from a base without /api/v2", func(t *testing.T) {
		t.Parallel()
		s := replying(t, http.StatusOK, `{"projects":[]}`)
		c, err := platform.NewClient(versori.WithBaseURL(s.URL+"/v2"), versori.WithOrganisationID(testOrg), versori.WithAPIKey(testKey))
		require.NoError(t, err)
		ctx := t.Context()
		_, err = c.SigningKeys.Create(ctx, "backend")
		assertRefused(t, err, "baseURL")
		_, err = c.SigningKeys.List(ctx)
		assertRefused(t, err, "baseURL")
		_, err = collect(c.SigningKeys.All(ctx))
		assertRefused(t, err, "baseURL")
		assertRefused(t, c.SigningKeys.Delete(ctx, "01KEY"), "baseURL")
		_, err = c.SigningKeys.GetPublicKey(ctx, "01KEY")
		assertRefused(t, err, "baseURL")
		assert.Empty(t, s.requests(), "nothing may be sent")

		_, err = c.Projects.List(ctx)
		require.NoError(t, err, "the Platform API still works")
		assert.Equal(t, "/v2/o/"+testOrg+"/projects", s.only(t).Path)
	})
}

func TestFakeSigningKeysLifecycle(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()

	set, err := p.SigningKeys.Create(ctx, "backend")
	require.NoError(t, err)
	assert.Equal(t, "backend", set.Name)
	assert.Contains(t, set.PrivateKey.Reveal(), "BEGIN PRIVATE KEY")
	assertNoSecret(t, set, set.PrivateKey.Reveal())
	key, err := set.SigningKey()
	require.NoError(t, err)
	assert.Equal(t, set.ID, key.KeyID())
	// The Organisations API is reached beside the Platform API.
	assert.Equal(t, "/api/organisations/v1/organisations/"+srv.Seeded().OrganisationID+"/keys",
		lastRequestOf(t, srv, versoritest.OpPlatformCreateSigningKey).Path)

	list, err := p.SigningKeys.List(ctx)
	require.NoError(t, err)
	require.Len(t, list.Keys, 1)
	assert.Equal(t, platform.PublicKey{ID: set.ID, Name: set.Name, PublicKey: set.PublicKey, CreatedAt: set.CreatedAt}, list.Keys[0])

	// Anyone may read a public key: no organisation, no credentials needed.
	pub, err := srv.PlatformClient(versori.WithAPIKey("not-the-key")).SigningKeys.GetPublicKey(ctx, set.ID)
	require.NoError(t, err)
	assert.Equal(t, list.Keys[0], *pub)
	assert.Equal(t, "/api/organisations/v1/keys/"+set.ID, lastRequestOf(t, srv, versoritest.OpPlatformGetPublicKey).Path)

	// Tokens of the key work until it is deleted.
	newUser(t, p, "holder")
	me := asUser(t, srv, key, "holder")
	_, err = me.Users.Get(ctx, platform.ExternalID("holder"))
	require.NoError(t, err)
	require.NoError(t, p.SigningKeys.Delete(ctx, set.ID))
	_, err = me.Users.Get(ctx, platform.ExternalID("holder"))
	assert.ErrorIs(t, err, versori.ErrUnauthorized)
	assert.ErrorIs(t, p.SigningKeys.Delete(ctx, set.ID), versori.ErrNotFound)
	_, err = p.SigningKeys.GetPublicKey(ctx, set.ID)
	assert.ErrorIs(t, err, versori.ErrNotFound)
}

// The wrapper shape, {keys: [...]}: All makes one call.
func TestFakeSigningKeysAll(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	a, b := signingKey(t, p), signingKey(t, p)
	resetRequests(srv)
	keys, err := collect(p.SigningKeys.All(t.Context()))
	require.NoError(t, err)
	var ids []string
	for _, k := range keys {
		ids = append(ids, k.ID)
	}
	assert.ElementsMatch(t, []string{a.KeyID(), b.KeyID()}, ids)
	assert.Equal(t, []string{versoritest.OpPlatformListSigningKeys}, ops(srv))
}

// An end user's token acts for that end user only: their own user,
// connections and activations, and the configuration the embedded UI reads.
func TestFakeEndUserTokenActsOnlyForItsUser(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	env := srv.Seeded().Platform.EnvironmentID
	tms := templates(t, srv, p)
	key := signingKey(t, p)
	other := activate(t, srv, p, "other")
	resetRequests(srv)

	// The token's user may create itself, as Versori's embed SDK does.
	me := asUser(t, srv, key, "me@acme.example")
	mine, err := me.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "me@acme.example"})
	require.NoError(t, err)
	got, err := me.Users.Get(ctx, mine.ID)
	require.NoError(t, err)
	assert.Equal(t, mine, got)
	conns := connectAll(t, me, tms, "me@acme.example")
	a, err := me.Activations.Create(ctx, platform.CreateActivationParams{User: platform.ExternalID("me@acme.example"), EnvironmentID: env})
	require.NoError(t, err)
	_, err = me.Activations.SetVariable(ctx, env, a.ID, "region", "eu")
	require.NoError(t, err)
	_, err = me.Activations.GetConnection(ctx, a.ID, tms["acme"].ConnectionTemplateID)
	require.NoError(t, err)
	page, err := me.Connections.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, page.Items, len(conns), "its own connections only")
	acts, err := me.Activations.ListForUser(ctx, env, "me@acme.example")
	require.NoError(t, err)
	assert.Len(t, acts, 1)
	// It reads the organisation's configuration.
	_, err = me.Projects.List(ctx)
	require.NoError(t, err)
	_, err = me.Systems.List(ctx, nil)
	require.NoError(t, err)
	_, err = me.Templates.List(ctx, srv.Seeded().Platform.ProjectID, nil)
	require.NoError(t, err)

	// Another end user's resources look absent.
	_, err = me.Users.Get(ctx, platform.ExternalID("other"))
	assert.ErrorIs(t, err, versori.ErrNotFound)
	_, err = me.Activations.Get(ctx, env, other.ID)
	assert.ErrorIs(t, err, versori.ErrNotFound)
	_, err = me.Connections.Get(ctx, other.Connections[0].ID)
	assert.ErrorIs(t, err, versori.ErrNotFound)
	_, err = me.Activations.ListForUser(ctx, env, "other")
	assert.ErrorIs(t, err, versori.ErrNotFound)
	assert.ErrorIs(t, me.Users.Delete(ctx, platform.ExternalID("other")), versori.ErrNotFound)
	// Acting for another end user is forbidden.
	_, err = me.Connections.Create(ctx, platform.CreateConnectionParams{TemplateID: tms["acme"].ConnectionTemplateID, ExternalID: "other", Connection: connectionFor(t, tms["acme"])})
	assert.ErrorIs(t, err, versori.ErrForbidden)
	_, err = me.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "someone-else"})
	assert.ErrorIs(t, err, versori.ErrForbidden)
	// Organisation-wide operations are forbidden.
	_, err = me.Users.List(ctx, nil)
	assert.ErrorIs(t, err, versori.ErrForbidden)
	_, err = me.Activations.List(ctx, env)
	assert.ErrorIs(t, err, versori.ErrForbidden)
	_, err = me.SigningKeys.List(ctx)
	assert.ErrorIs(t, err, versori.ErrForbidden)
	_, err = me.Activations.SetStaticVariables(ctx, env, versori.DynamicVariables{"region": "eu"})
	assert.ErrorIs(t, err, versori.ErrForbidden)

	// It may deactivate and delete itself.
	require.NoError(t, me.Activations.Delete(ctx, env, a.ID))
	require.NoError(t, me.Users.Delete(ctx, platform.ExternalID("me@acme.example")))
	// Every request carried the token, none the API key.
	for _, r := range srv.Requests() {
		assert.Equal(t, "JWT [REDACTED]", r.Header.Get("Authorization"), r.Operation)
	}
}

// A token without a subject acts for the organisation, but may not create or
// delete end users.
func TestFakeOrganisationTokenCannotManageEndUsers(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	ts, err := signingKey(t, p).TokenSource(0)
	require.NoError(t, err)
	console := srv.PlatformClient(versori.WithTokenSource(ts))
	newUser(t, p, "existing")

	_, err = console.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "new"})
	assert.ErrorIs(t, err, versori.ErrForbidden)
	assert.ErrorIs(t, console.Users.Delete(ctx, platform.ExternalID("existing")), versori.ErrForbidden)
	users, err := console.Users.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, users.Users, 1)
	_, err = console.SigningKeys.List(ctx)
	require.NoError(t, err)
}

func TestFakeSigningKeysFaults(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	ctx := t.Context()
	// A key made by a create that failed after reaching the server may exist:
	// the error says so, and the create is not repeated.
	srv.FailNext(versoritest.OpPlatformCreateSigningKey, 1, versoritest.Fault{Status: http.StatusServiceUnavailable})
	_, err := p.SigningKeys.Create(ctx, "lost")
	assert.ErrorIs(t, err, versori.ErrMaybeProcessed)
	assert.Len(t, srv.Requests(), 1)

	key := signingKey(t, p)
	srv.FailNext(versoritest.OpPlatformListSigningKeys, 1, versoritest.Fault{Status: http.StatusBadGateway})
	srv.FailNext(versoritest.OpPlatformGetPublicKey, 1, versoritest.Fault{Drop: true})
	srv.FailNext(versoritest.OpPlatformDeleteSigningKey, 1, versoritest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "0"})
	_, err = p.SigningKeys.List(ctx)
	require.NoError(t, err)
	_, err = p.SigningKeys.GetPublicKey(ctx, key.KeyID())
	require.NoError(t, err)
	require.NoError(t, p.SigningKeys.Delete(ctx, key.KeyID()))

	// The Organisations API's errors ({code, message, cause}) decode too.
	err = p.SigningKeys.Delete(ctx, key.KeyID())
	var apiErr *versori.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.NotEmpty(t, apiErr.Message)
	assert.Equal(t, "DeleteSigningKey", apiErr.Operation)
}
