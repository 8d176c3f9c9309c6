package conformance_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/conformance"
	"github.com/versori-go/versori/platform"
	"github.com/versori-go/versori/versoritest"
)

// step runs the calls of a conformance run, stopping the test at the first
// call that does not end as expected.
type step struct{ t *testing.T }

// ok requires err to be nil.
func (s step) ok(what string, err error) {
	s.t.Helper()
	if err != nil {
		s.t.Fatalf("%s: %v", what, err)
	}
}

// is requires err to match target.
func (s step) is(what string, err, target error) {
	s.t.Helper()
	if !errors.Is(err, target) {
		s.t.Fatalf("%s: got %v, want %v", what, err, target)
	}
}

// assertExercised fails t for every one of ops that the fake was not sent.
func assertExercised(t *testing.T, fake *versoritest.Server, ops []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range fake.Requests() {
		seen[r.Operation] = true
	}
	for _, op := range ops {
		if !seen[op] {
			t.Errorf("operation %s was not exercised", op)
		}
	}
}

// TestPlatformSDKConforms drives all 37 operations of the Platform and
// Organisations APIs through the platform SDK against the fake, and fails if
// any request the SDK sent or any response the fake returned breaks
// platform-api.yaml or organisations-api-v1.yaml (with errata.go's
// corrections), or if an operation went unexercised. Error answers (400
// with fields, 401, 403, 404, 409, an injected 503) are validated too.
func TestPlatformSDKConforms(t *testing.T) {
	t.Parallel()
	rec := conformance.NewPlatformRecorder(t, http.DefaultTransport)
	fake := versoritest.New(t)
	through := []versori.Option{
		versori.WithHTTPClient(&http.Client{Transport: rec}),
		versori.WithRetryPolicy(versori.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 50 * time.Millisecond}),
	}
	p := fake.PlatformClient(through...)
	ctx := context.Background()
	s := step{t}
	sd := fake.Seeded()
	sp := sd.Platform
	const missing = "01ARZ3NDEKTSV4RRFFQ69G5FAV"

	// Projects and systems.
	_, err := p.Projects.List(ctx)
	s.ok("ListProjects", err)
	_, err = p.Projects.Get(ctx, sp.ProjectID)
	s.ok("GetProject", err)
	_, err = p.Projects.Get(ctx, missing)
	s.is("GetProject missing", err, versori.ErrNotFound)
	for _, err := range p.Systems.All(ctx, &platform.ListSystemsParams{First: 4}) {
		s.ok("ListSystems", err)
	}
	_, err = p.Systems.List(ctx, &platform.ListSystemsParams{Search: "shop"})
	s.ok("ListSystems search", err)
	byName := map[string]platform.ConnectionTemplate{}
	for tm, err := range p.Templates.All(ctx, sp.ProjectID, &platform.ListConnectionTemplatesParams{EnvironmentID: sp.EnvironmentID, First: 4}) {
		s.ok("ListProjectConnectionTemplates", err)
		byName[tm.Name] = tm
	}
	acme := byName["acme"]
	_, err = p.Systems.Get(ctx, acme.SystemID)
	s.ok("GetSystem", err)

	// Auth scheme configs of every kind the SDK sends (E6, E7, E9).
	for _, c := range []platform.AuthSchemeConfig{
		{ID: "conf-hmac", Scheme: platform.HMACScheme{Name: "X-Sig", In: versori.InHeader, Algorithm: "sha256", DigestInputs: []versori.HMACDigestInput{"body", "url"}, Encoding: "hex"}},
		{ID: "conf-oauth", Description: "OAuth", Scheme: platform.OAuth2Scheme{
			AuthorizeURL: "https://acme.example/authorize", TokenURL: "https://acme.example/token", PKCE: true,
			Scopes: []versori.OAuth2Scope{{Name: "read", Description: "Read"}}, DefaultScopes: []string{"read"},
			Grant: platform.AuthorizationCodeGrant{CredentialID: sp.OAuth2ClientCredentialID, OrganisationID: sd.OrganisationID, ClientID: "cid", ClientSecret: versori.NewSecret("cs")},
		}},
		{ID: "conf-password", Scheme: platform.OAuth2Scheme{TokenURL: "https://acme.example/token", Grant: platform.PasswordGrant{ClientID: "cid"}}},
		{ID: "conf-oauth1", Scheme: platform.OAuth1Scheme{
			TokenAuth: true, ConsumerKey: "ck", ConsumerSecret: versori.NewSecret("cs"), SignatureMethod: "sha256",
			TokenEndpoint: &platform.Endpoint{URL: "https://acme.example/oauth1/token", ParameterTransmission: "AUTH_STYLE_FORM", AdditionalParamConfigs: []platform.ParameterConfig{
				{ParameterName: "realm", Location: "LOCATION_BODY", Usages: "USAGE_TOKEN_REQUEST_ENDPOINT", Required: true},
			}},
		}},
	} {
		got, err := p.Systems.UpsertAuthSchemeConfig(ctx, acme.SystemID, c)
		s.ok("UpsertAuthSchemeConfig "+c.ID, err)
		// As read back, with its secrets redacted, it can be sent again.
		_, err = p.Systems.UpsertAuthSchemeConfig(ctx, acme.SystemID, *got)
		s.ok("UpsertAuthSchemeConfig as read "+c.ID, err)
		s.ok("DeleteAuthSchemeConfig "+c.ID, p.Systems.DeleteAuthSchemeConfig(ctx, acme.SystemID, c.ID))
	}
	// Valid to the spec, but the browser flow needs its endpoints: a 400.
	_, err = p.Systems.UpsertAuthSchemeConfig(ctx, acme.SystemID, platform.AuthSchemeConfig{ID: "conf-bad", Scheme: platform.OAuth1Scheme{ConsumerKey: "ck", SignatureMethod: "sha1"}})
	s.is("UpsertAuthSchemeConfig refused", err, versori.ErrValidation)
	s.is("DeleteAuthSchemeConfig missing", p.Systems.DeleteAuthSchemeConfig(ctx, acme.SystemID, "conf-hmac"), versori.ErrNotFound)

	// Connection templates (LinkSystem's environmentId: E4).
	static, err := p.Templates.Create(ctx, sp.ProjectID, platform.CreateConnectionTemplateParams{SystemID: acme.SystemID, Name: "acme-static", EnvironmentID: sp.EnvironmentID})
	s.ok("CreateConnectionTemplate", err)
	_, err = p.Templates.Create(ctx, sp.ProjectID, platform.CreateConnectionTemplateParams{SystemID: acme.SystemID, Name: "acme-static", EnvironmentID: sp.EnvironmentID})
	s.is("CreateConnectionTemplate duplicate", err, versori.ErrConflict)
	_, err = p.Templates.Update(ctx, sp.ProjectID, static.ConnectionTemplateID, platform.UpdateConnectionTemplateParams{Name: "acme-static", Dynamic: versori.Ptr(false), AuthSchemeConfigIDs: []string{"acme-api-key"}})
	s.ok("UpdateConnectionTemplate", err)
	_, err = p.Templates.Update(ctx, sp.ProjectID, missing, platform.UpdateConnectionTemplateParams{Name: "x"})
	s.is("UpdateConnectionTemplate missing", err, versori.ErrNotFound)

	// End users.
	user, err := p.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "conf-user", DisplayName: "Conformance"})
	s.ok("CreateEndUser", err)
	_, err = p.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "conf-user"})
	s.is("CreateEndUser duplicate", err, versori.ErrConflict)
	second, err := p.Users.Create(ctx, platform.CreateEndUserParams{ExternalID: "conf-second"})
	s.ok("CreateEndUser second", err)
	for _, err := range p.Users.All(ctx, &platform.ListEndUsersParams{First: 1}) {
		s.ok("ListEndUsers", err)
	}
	_, err = p.Users.List(ctx, &platform.ListEndUsersParams{Search: "conf", Activated: versori.Ptr(false), EnvironmentID: sp.EnvironmentID})
	s.ok("ListEndUsers filtered", err)
	_, err = p.Users.Get(ctx, user.ExternalID)
	s.ok("GetEndUser external", err)
	_, err = p.Users.Get(ctx, user.ID)
	s.ok("GetEndUser internal", err)
	_, err = p.Users.Get(ctx, platform.ExternalID("nobody"))
	s.is("GetEndUser missing", err, versori.ErrNotFound)

	// A connection for every dynamic template, each kind of credential.
	conns := map[string]*platform.Connection{}
	for name, tm := range byName {
		if !tm.Dynamic {
			continue
		}
		conn, err := p.Connections.Create(ctx, platform.CreateConnectionParams{
			TemplateID: tm.ConnectionTemplateID, ExternalID: user.ExternalID,
			Connection: platform.ConnectionCreate{Name: name, BaseURL: "https://" + name + ".example", Credentials: []platform.ConnectionCredential{
				platform.CredentialFor(tm.AuthSchemeConfigs[0], name, credentialFor(tm.AuthSchemeConfigs[0].Scheme)),
			}},
		})
		s.ok("CreateConnection "+name, err)
		conns[name] = conn
	}
	_, err = p.Connections.Create(ctx, platform.CreateConnectionParams{TemplateID: acme.ConnectionTemplateID, ExternalID: user.ExternalID,
		Connection: platform.ConnectionCreate{Name: "again", Credentials: conns["acme"].Credentials[:0:0]}})
	s.is("CreateConnection refused before sending", err, versori.ErrNotSent)
	_, err = p.Connections.Create(ctx, platform.CreateConnectionParams{TemplateID: acme.ConnectionTemplateID, ExternalID: user.ExternalID,
		Connection: platform.ConnectionCreate{Name: "again", Credentials: []platform.ConnectionCredential{
			platform.CredentialFor(acme.AuthSchemeConfigs[0], "k", platform.StringCredential{Value: versori.NewSecret("v")}),
		}}})
	s.is("CreateConnection duplicate", err, versori.ErrConflict)
	// A static connection for the new static template, by reference to the
	// credential of the acme connection.
	cc := conns["acme"].Credentials[0]
	staticConn, err := p.Connections.Create(ctx, platform.CreateConnectionParams{TemplateID: static.ConnectionTemplateID,
		Connection: platform.ConnectionCreate{Name: "static", Credentials: []platform.ConnectionCredential{platform.ExistingCredential(cc.AuthSchemeConfig, cc.Credential.ID)}}})
	s.ok("CreateConnection static", err)

	for _, err := range p.Connections.All(ctx, &platform.ListConnectionsParams{First: 2}) {
		s.ok("ListConnections", err)
	}
	_, err = p.Connections.List(ctx, &platform.ListConnectionsParams{EndUserID: user.ID, SystemID: acme.SystemID})
	s.ok("ListConnections filtered", err)
	_, err = p.Connections.List(ctx, &platform.ListConnectionsParams{EndUserID: "conf-user"})
	s.is("ListConnections by external ID", err, versori.ErrValidation)
	_, err = p.Connections.Get(ctx, conns["zendesk"].ID)
	s.ok("GetConnection", err)
	_, err = p.Connections.Get(ctx, missing)
	s.is("GetConnection missing", err, versori.ErrNotFound)
	// Baseurl "" (E10) keeps the stored one; the credential kept by reference.
	zcc := conns["zendesk"].Credentials[0]
	_, err = p.Connections.Update(ctx, conns["zendesk"].ID, platform.UpdateConnectionParams{Name: "zendesk renamed",
		Credentials: []platform.ConnectionCredential{platform.ExistingCredential(zcc.AuthSchemeConfig, zcc.Credential.ID)}})
	s.ok("UpdateConnection", err)

	// Links: Unlink is a DELETE with a body (E13).
	s.ok("UnlinkConnectionFromEnvironment", p.Connections.Unlink(ctx, staticConn.ID, static.ConnectionTemplateID))
	s.is("UnlinkConnectionFromEnvironment again", p.Connections.Unlink(ctx, staticConn.ID, static.ConnectionTemplateID), versori.ErrNotFound)
	s.ok("LinkConnectionToEnvironment", p.Connections.Link(ctx, staticConn.ID, static.ConnectionTemplateID))
	s.is("LinkConnectionToEnvironment again", p.Connections.Link(ctx, staticConn.ID, static.ConnectionTemplateID), versori.ErrConflict)
	for _, err := range p.Connections.AllStatic(ctx, sp.ProjectID, sp.EnvironmentID, &platform.ListStaticConnectionsParams{First: 1}) {
		s.ok("ListEnvironmentConnections", err)
	}

	// OAuth initialise (additionalParams: E1).
	shopify := byName["shopify"]
	init2, err := platform.NewInitialiseOAuth2Params(shopify.AuthSchemeConfigs[0].Scheme)
	s.ok("NewInitialiseOAuth2Params", err)
	init2.Prompt, init2.AdditionalParams = "consent", "foo=bar"
	_, err = p.Systems.InitialiseOAuth2(ctx, shopify.SystemID, init2)
	s.ok("InitialiseOAuth2Connection", err)
	init2.Credential.ID = missing
	_, err = p.Systems.InitialiseOAuth2(ctx, shopify.SystemID, init2)
	s.is("InitialiseOAuth2Connection refused", err, versori.ErrValidation)
	init1, err := platform.NewInitialiseOAuth1Params(byName["trello"].AuthSchemeConfigs[0].Scheme)
	s.ok("NewInitialiseOAuth1Params", err)
	_, err = p.Systems.InitialiseOAuth1(ctx, byName["trello"].SystemID, init1)
	s.ok("InitialiseOAuth1Connection", err)

	// Activations (their environment: E5; error answers: E14).
	_, err = p.Activations.Create(ctx, platform.CreateActivationParams{User: second.ExternalID, EnvironmentID: sp.EnvironmentID})
	s.is("ActivateUser without connections", err, versori.ErrValidation)
	var inline []platform.ActivationConnection
	for name, tm := range byName {
		if tm.Dynamic && name != "acme" {
			c := platform.ConnectionCreate{Name: name, Credentials: []platform.ConnectionCredential{
				platform.CredentialFor(tm.AuthSchemeConfigs[0], name, credentialFor(tm.AuthSchemeConfigs[0].Scheme)),
			}}
			inline = append(inline, platform.ActivationConnection{TemplateID: tm.ConnectionTemplateID, Connection: &c})
		}
	}
	_, err = p.Activations.Create(ctx, platform.CreateActivationParams{User: second.ID, EnvironmentID: sp.EnvironmentID, Connections: inline})
	s.is("ActivateUser missing acme", err, versori.ErrValidation)
	a, err := p.Activations.Create(ctx, platform.CreateActivationParams{
		User: user.ID, EnvironmentID: sp.EnvironmentID,
		Connections:      []platform.ActivationConnection{{TemplateID: acme.ConnectionTemplateID, ExistingConnectionID: conns["acme"].ID}},
		DynamicVariables: versori.DynamicVariables{"syncIntervalMinutes": 15},
	})
	s.ok("ActivateUser", err)
	_, err = p.Activations.Create(ctx, platform.CreateActivationParams{User: user.ExternalID, EnvironmentID: sp.EnvironmentID})
	s.is("ActivateUser again", err, versori.ErrConflict)
	for _, err := range p.Activations.All(ctx, sp.EnvironmentID) {
		s.ok("ListActivations", err)
	}
	_, err = p.Activations.Get(ctx, sp.EnvironmentID, a.ID)
	s.ok("GetActivation", err)
	_, err = p.Activations.Get(ctx, sp.EnvironmentID, missing)
	s.is("GetActivation missing", err, versori.ErrNotFound)
	for _, err := range p.Activations.AllForUser(ctx, sp.EnvironmentID, user.ExternalID) {
		s.ok("ListUserActivations", err)
	}
	_, err = p.Activations.ListForUser(ctx, sp.EnvironmentID, "nobody")
	s.is("ListUserActivations missing", err, versori.ErrNotFound)
	_, err = p.Activations.SetVariables(ctx, sp.EnvironmentID, a.ID, versori.DynamicVariables{"region": "eu", "notifyEmail": "ops@acme.example"})
	s.ok("SetDynamicVariables", err)
	_, err = p.Activations.SetVariables(ctx, sp.EnvironmentID, a.ID, versori.DynamicVariables{"unknown": 1})
	s.is("SetDynamicVariables refused", err, versori.ErrValidation)
	_, err = p.Activations.SetVariable(ctx, sp.EnvironmentID, a.ID, "region", "us")
	s.ok("SetDynamicVariable", err)
	_, err = p.Activations.SetVariable(ctx, sp.EnvironmentID, a.ID, "region", 7)
	s.is("SetDynamicVariable refused", err, versori.ErrValidation)
	_, err = p.Activations.SetStaticVariables(ctx, sp.EnvironmentID, versori.DynamicVariables{"region": "eu"})
	s.ok("SetStaticUserVariables", err)
	_, err = p.Activations.SetStaticVariables(ctx, missing, versori.DynamicVariables{"region": "eu"})
	s.is("SetStaticUserVariables missing", err, versori.ErrNotFound)
	for _, tm := range byName {
		_, err = p.Activations.GetConnection(ctx, a.ID, tm.ConnectionTemplateID)
		s.ok("GetActivationConnection "+tm.Name, err)
	}
	_, err = p.Activations.GetConnection(ctx, a.ID, missing)
	s.is("GetActivationConnection missing", err, versori.ErrNotFound)
	s.is("DeleteConnection in use", p.Connections.Delete(ctx, conns["acme"].ID), versori.ErrConflict)

	// Signing keys (E12) and the tokens of their end users (E15).
	set, err := p.SigningKeys.Create(ctx, "conformance")
	s.ok("CreateSigningKey", err)
	for _, err := range p.SigningKeys.All(ctx) {
		s.ok("ListSigningKeys", err)
	}
	_, err = p.SigningKeys.GetPublicKey(ctx, set.ID)
	s.ok("GetPublicKey", err)
	key, err := set.SigningKey()
	s.ok("SigningKey", err)
	ts, err := key.UserTokenSource(user.Ref(), 0)
	s.ok("UserTokenSource", err)
	me := fake.PlatformClient(append(through, versori.WithTokenSource(ts))...)
	_, err = me.Users.Get(ctx, user.ExternalID)
	s.ok("GetEndUser as the user", err)
	_, err = me.Users.Get(ctx, second.ExternalID)
	s.is("GetEndUser as another user", err, versori.ErrNotFound)
	_, err = me.Users.List(ctx, nil)
	s.is("ListEndUsers as a user", err, versori.ErrForbidden)
	_, err = me.SigningKeys.List(ctx)
	s.is("ListSigningKeys as a user", err, versori.ErrForbidden)
	s.ok("DeleteSigningKey", p.SigningKeys.Delete(ctx, set.ID))
	s.is("DeleteSigningKey again", p.SigningKeys.Delete(ctx, set.ID), versori.ErrNotFound)
	_, err = me.Users.Get(ctx, user.ExternalID)
	s.is("GetEndUser with a deleted key's token", err, versori.ErrUnauthorized)
	_, err = p.SigningKeys.GetPublicKey(ctx, set.ID)
	s.is("GetPublicKey deleted", err, versori.ErrNotFound)

	// An injected fault, retried; a wrong key.
	fake.FailNext(versoritest.OpPlatformGetEndUser, 1, versoritest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "0"})
	_, err = p.Users.Get(ctx, user.ExternalID)
	s.ok("GetEndUser after a 503", err)
	_, err = fake.PlatformClient(append(through, versori.WithAPIKey("wrong"))...).Projects.List(ctx)
	s.is("ListProjects with a wrong key", err, versori.ErrUnauthorized)

	// Clean up.
	s.ok("DeleteActivation", p.Activations.Delete(ctx, sp.EnvironmentID, a.ID))
	s.is("DeleteActivation again", p.Activations.Delete(ctx, sp.EnvironmentID, a.ID), versori.ErrNotFound)
	s.ok("DeleteConnection", p.Connections.Delete(ctx, conns["acme"].ID))
	s.ok("DeleteConnection static", p.Connections.Delete(ctx, staticConn.ID))
	s.ok("DeleteConnectionTemplate", p.Templates.Delete(ctx, sp.ProjectID, static.ConnectionTemplateID))
	s.is("DeleteConnectionTemplate again", p.Templates.Delete(ctx, sp.ProjectID, static.ConnectionTemplateID), versori.ErrNotFound)
	s.ok("DeleteEndUser", p.Users.Delete(ctx, user.ExternalID))
	s.ok("DeleteEndUser by ID", p.Users.Delete(ctx, second.ID))
	s.is("DeleteEndUser again", p.Users.Delete(ctx, user.ID), versori.ErrNotFound)

	rec.Assert(t)
	// Every request the fake got went through the recorder.
	if got, want := len(rec.Exchanges()), len(fake.Requests()); got != want {
		t.Errorf("the recorder saw %d exchanges, the fake %d requests", got, want)
	}
	assertExercised(t, fake, versoritest.PlatformOperations())
	t.Logf("%d exchanges, all %d operations", len(rec.Exchanges()), len(versoritest.PlatformOperations()))
}

// credentialFor returns credential data that fits scheme: the type
// platform.AcceptedCredentials names first.
func credentialFor(scheme platform.AuthScheme) platform.CredentialData {
	secret := versori.NewSecret("s3cret")
	accepted := platform.AcceptedCredentials(scheme)
	if len(accepted) == 0 {
		return platform.NoneCredential{}
	}
	return map[platform.CredentialType]platform.CredentialData{
		platform.CredentialTypeNone:           platform.NoneCredential{},
		platform.CredentialTypeString:         platform.StringCredential{Value: secret},
		platform.CredentialTypeBasicAuth:      platform.BasicAuthCredential{Username: "u", Password: secret},
		platform.CredentialTypeCertificate:    platform.CertificateCredential{Certificate: "cert", Key: secret, CA: "ca"},
		platform.CredentialTypeOAuth2Code:     platform.OAuth2CodeCredential{Code: secret, State: "state"},
		platform.CredentialTypeOAuth2Client:   platform.OAuth2ClientCredential{ClientID: "id", ClientSecret: secret, TokenURL: "https://n.example/token", Scopes: []string{"a"}},
		platform.CredentialTypeOAuth2Password: platform.OAuth2PasswordCredential{Username: "u", Password: secret},
		platform.CredentialTypeOAuth1:         platform.OAuth1Credential{State: "state", OAuthToken: "token", OAuthVerifier: secret},
		platform.CredentialTypeOAuth1Token:    platform.OAuth1TokenCredential{Token: secret, TokenSecret: secret, AdditionalParams: []platform.AdditionalParam{{Name: "realm", Value: "r"}}},
	}[accepted[0]]
}
