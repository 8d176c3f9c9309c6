package versori

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pathIDs are the path parameters of a call. A method reads the ones it
// needs; tests swap one of them for a bad or adversarial value.
type pathIDs struct {
	org, hub, user, integration, activation, template, connector string
}

// validIDs are plain IDs that need no escaping.
var validIDs = pathIDs{org: "01ORG", hub: "01HUB", user: "jane", integration: "01INT", activation: "01ACT", template: "01TPL", connector: "01CON"}

// pathParam names a path parameter: the field a ValidationError reports, how to
// set it in pathIDs, and its name in the fake's route pattern.
type pathParam struct {
	field   string
	pattern string
	set     func(*pathIDs, string)
}

var (
	pOrg         = pathParam{"organisationID", "{organisation_id}", func(p *pathIDs, v string) { p.org = v }}
	pHub         = pathParam{"hubID", "{hub_id}", func(p *pathIDs, v string) { p.hub = v }}
	pUser        = pathParam{"userID", "{user_id}", func(p *pathIDs, v string) { p.user = v }}
	pIntegration = pathParam{"integrationID", "{integration_id}", func(p *pathIDs, v string) { p.integration = v }}
	pActivation  = pathParam{"activationID", "{activation_id}", func(p *pathIDs, v string) { p.activation = v }}
	pTemplate    = pathParam{"templateID", "{connection_template_id}", func(p *pathIDs, v string) { p.template = v }}
	pConnector   = pathParam{"connectorID", "{connector_id}", func(p *pathIDs, v string) { p.connector = v }}
)

// badBody is a call whose body lacks a required value; field is what the
// ValidationError must name.
type badBody struct {
	field string
	call  func(ctx context.Context, c *Client) error
}

// apiMethod is one exported method of a service that calls the API.
type apiMethod struct {
	name    string // "Service.Method", as reflection names it
	op      string // the spec's operationId
	pattern string // the fake's route, for checking where IDs land
	params  []pathParam
	call    func(ctx context.Context, c *Client, ids pathIDs) error // with a valid body
	bodies  []badBody
}

// drainSeq returns the first error of an iterator.
func drainSeq[T any](seq func(yield func(T, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

func errOf[T any](_ T, err error) error { return err }

// credential builders for valid and invalid bodies.
func goodCred() ConnectionCredentialCreate {
	return ConnectionCredentialCreate{
		AuthSchemeConfig: AuthSchemeConfig{Scheme: APIKeyScheme{Name: "X-API-Key", In: InHeader}}, // ID minted on encoding
		Credential:       NewCredential("key", StringCredential{Value: "s3cret-value"}),
	}
}

func goodConn() ConnectionCreate {
	return ConnectionCreate{Name: "conn", Credentials: ConnectionCredentialsCreate{Action: []ConnectionCredentialCreate{goodCred()}}}
}

// badConns are connections missing one required value each, with the field
// path (under the connection's own path) the SDK must name.
func badConns() []struct {
	field string
	conn  ConnectionCreate
} {
	noScheme := goodCred()
	noScheme.AuthSchemeConfig.Scheme = nil
	noGrant := goodCred()
	noGrant.AuthSchemeConfig.Scheme = OAuth2Scheme{AuthorizeURL: "a", TokenURL: "t"}
	noCred := goodCred()
	noCred.Credential = nil
	noName := goodCred()
	noName.Credential = NewCredential("", StringCredential{Value: "v"})
	noData := goodCred()
	noData.Credential = NewCredential("n", nil)
	noRef := goodCred()
	noRef.Credential = ExistingCredential("")
	with := func(field string, cc ConnectionCredentialCreate, trigger bool) struct {
		field string
		conn  ConnectionCreate
	} {
		c := goodConn()
		if trigger {
			c.Credentials.Trigger = []ConnectionCredentialCreate{goodCred(), cc}
			return struct {
				field string
				conn  ConnectionCreate
			}{".credentials.trigger[1]" + field, c}
		}
		c.Credentials.Action = []ConnectionCredentialCreate{cc}
		return struct {
			field string
			conn  ConnectionCreate
		}{".credentials.action[0]" + field, c}
	}
	noConnName := goodConn()
	noConnName.Name = ""
	return []struct {
		field string
		conn  ConnectionCreate
	}{
		{".name", noConnName},
		with(".authSchemeConfig", noScheme, false),
		with(".authSchemeConfig.grant", noGrant, false),
		with(".credential", noCred, false),
		with(".credential.name", noName, false),
		with(".credential.data", noData, true),
		with(".credential.id", noRef, false),
	}
}

// apiMethods lists every method of every service that calls the API.
// TestEveryMethodIsListed keeps it complete.
func apiMethods() []apiMethod {
	hubParams := func() CreateHubParams { return validHubParams() }
	userParams := func() CreateEndUserParams {
		return CreateEndUserParams{ExternalID: "jane", PrimaryConnection: goodConn()}
	}
	connParams := func() CreateConnectionParams {
		return CreateConnectionParams{ConnectorID: "01CON", Connection: goodConn()}
	}
	intParams := func() CreateIntegrationParams {
		return CreateIntegrationParams{OrganisationID: "01ORG", Name: "i"}
	}
	actParams := func() ActivateParams {
		return ActivateParams{UserID: "jane", IntegrationID: "01INT", Connections: []ActivationConnection{
			ExistingConnection{TemplateID: "01TPL", ConnectionID: "01CNN"},
			NewConnection{TemplateID: "01TPL2", Name: "n", Credentials: goodConn().Credentials},
		}}
	}
	oauthParams := func() InitialiseOAuth2Params {
		return InitialiseOAuth2Params{Credential: OAuth2ClientRef{ID: "01CRD", OrganisationID: "01ORG"}, AuthorizeURL: "https://p/authorize", ClientID: "cid"}
	}

	var userBodies, connBodies, actBodies, hubBodies, intBodies, tplBodies, oauthBodies []badBody
	for _, f := range []struct {
		field string
		edit  func(*CreateHubParams)
	}{
		{"organisationId", func(p *CreateHubParams) { p.OrganisationID = "" }},
		{"name", func(p *CreateHubParams) { p.Name = "" }},
		{"primaryConnectorId", func(p *CreateHubParams) { p.PrimaryConnectorID = "" }},
		{"authSchemeConfig", func(p *CreateHubParams) { p.AuthSchemeConfig = AuthSchemeConfig{} }},
		{"authSchemeConfig.grant", func(p *CreateHubParams) { p.AuthSchemeConfig.Scheme = &OAuth2Scheme{} }},
	} {
		p := hubParams()
		f.edit(&p)
		hubBodies = append(hubBodies, badBody{f.field, func(ctx context.Context, c *Client) error { return errOf(c.Hubs.Create(ctx, p)) }})
	}
	p := userParams()
	p.ExternalID = ""
	userBodies = append(userBodies, badBody{"externalId", func(ctx context.Context, c *Client) error { return errOf(c.Users.Create(ctx, "01HUB", p)) }})
	for _, bc := range badConns() {
		up := userParams()
		up.PrimaryConnection = bc.conn
		userBodies = append(userBodies, badBody{"primaryConnection" + bc.field, func(ctx context.Context, c *Client) error {
			return errOf(c.Users.Create(ctx, "01HUB", up))
		}})
		cp := connParams()
		cp.Connection = bc.conn
		connBodies = append(connBodies, badBody{"connection" + bc.field, func(ctx context.Context, c *Client) error {
			return errOf(c.Connections.Create(ctx, "01HUB", ExternalUser("jane"), cp))
		}})
		ap := actParams()
		ap.Connections = []ActivationConnection{NewConnection{TemplateID: "01TPL", Name: bc.conn.Name, Credentials: bc.conn.Credentials}}
		actBodies = append(actBodies, badBody{"connections[0]" + bc.field, func(ctx context.Context, c *Client) error {
			return errOf(c.Activations.Create(ctx, ap))
		}})
	}
	cp := connParams()
	cp.ConnectorID = ""
	connBodies = append(connBodies, badBody{"connectorId", func(ctx context.Context, c *Client) error {
		return errOf(c.Connections.Create(ctx, "01HUB", ExternalUser("jane"), cp))
	}})
	for _, f := range []struct {
		field string
		edit  func(*ActivateParams)
	}{
		{"userId", func(p *ActivateParams) { p.UserID = "" }},
		{"integrationId", func(p *ActivateParams) { p.IntegrationID = "" }},
		{"connections[1]", func(p *ActivateParams) { p.Connections[1] = nil }},
		{"connections[0].templateId", func(p *ActivateParams) { p.Connections[0] = ExistingConnection{ConnectionID: "c"} }},
		{"connections[0].connectionId", func(p *ActivateParams) { p.Connections[0] = ExistingConnection{TemplateID: "t"} }},
		{"connections[1].templateId", func(p *ActivateParams) { p.Connections[1] = NewConnection{Name: "n"} }},
	} {
		ap := actParams()
		f.edit(&ap)
		actBodies = append(actBodies, badBody{f.field, func(ctx context.Context, c *Client) error { return errOf(c.Activations.Create(ctx, ap)) }})
	}
	for _, f := range []struct {
		field string
		edit  func(*CreateIntegrationParams)
	}{
		{"organisationId", func(p *CreateIntegrationParams) { p.OrganisationID = "" }},
		{"name", func(p *CreateIntegrationParams) { p.Name = "" }},
		{"variablesSchema", func(p *CreateIntegrationParams) { p.VariablesSchema = json.RawMessage(`[1]`) }},
		{"variablesSchema", func(p *CreateIntegrationParams) { p.VariablesSchema = json.RawMessage(`null`) }},
		{"connectionTemplate.connectorId", func(p *CreateIntegrationParams) {
			p.ConnectionTemplate = &CreateConnectionTemplateParams{AuthSchemeConfig: AuthSchemeConfig{Scheme: NoneScheme{}}}
		}},
		{"connectionTemplate.authSchemeConfig", func(p *CreateIntegrationParams) {
			p.ConnectionTemplate = &CreateConnectionTemplateParams{ConnectorID: "c"}
		}},
	} {
		ip := intParams()
		f.edit(&ip)
		intBodies = append(intBodies, badBody{f.field, func(ctx context.Context, c *Client) error { return errOf(c.Integrations.Create(ctx, "01HUB", ip)) }})
	}
	for _, f := range []struct {
		field string
		p     CreateConnectionTemplateParams
	}{
		{"connectorId", CreateConnectionTemplateParams{AuthSchemeConfig: AuthSchemeConfig{Scheme: NoneScheme{}}}},
		{"authSchemeConfig", CreateConnectionTemplateParams{ConnectorID: "c"}},
	} {
		tplBodies = append(tplBodies, badBody{f.field, func(ctx context.Context, c *Client) error {
			return errOf(c.Integrations.CreateConnectionTemplate(ctx, "01INT", f.p))
		}})
	}
	for _, f := range []struct {
		field string
		edit  func(*InitialiseOAuth2Params)
	}{
		{"credential.id", func(p *InitialiseOAuth2Params) { p.Credential.ID = "" }},
		{"credential.organisationId", func(p *InitialiseOAuth2Params) { p.Credential.OrganisationID = "" }},
		{"authorizeUrl", func(p *InitialiseOAuth2Params) { p.AuthorizeURL = "" }},
		{"clientId", func(p *InitialiseOAuth2Params) { p.ClientID = "" }},
	} {
		op := oauthParams()
		f.edit(&op)
		oauthBodies = append(oauthBodies, badBody{f.field, func(ctx context.Context, c *Client) error {
			return errOf(c.Embed.InitialiseOAuth2(ctx, "01HUB", "01CON", op))
		}})
	}
	negative := func(call func(ctx context.Context, c *Client, lo ListOptions) error) []badBody {
		return []badBody{{"first", func(ctx context.Context, c *Client) error { return call(ctx, c, ListOptions{First: -1}) }}}
	}
	badSchema := json.RawMessage(`"not an object"`)

	return []apiMethod{
		{name: "Client.HealthCheck", op: "HealthCheck", pattern: "/healthz",
			call: func(ctx context.Context, c *Client, _ pathIDs) error { return errOf(c.HealthCheck(ctx)) }},

		{name: "Hubs.List", op: "ListHubs", pattern: "/o/{organisation_id}/hubs", params: []pathParam{pOrg},
			call: func(ctx context.Context, c *Client, p pathIDs) error { return errOf(c.Hubs.List(ctx, p.org)) }},
		{name: "Hubs.Create", op: "CreateHub", pattern: "/hubs", bodies: hubBodies,
			call: func(ctx context.Context, c *Client, _ pathIDs) error { return errOf(c.Hubs.Create(ctx, hubParams())) }},
		{name: "Hubs.Get", op: "GetHub", pattern: "/hubs/{hub_id}", params: []pathParam{pHub},
			call: func(ctx context.Context, c *Client, p pathIDs) error { return errOf(c.Hubs.Get(ctx, p.hub)) }},
		{name: "Hubs.Update", op: "UpdateHubDetails", pattern: "/hubs/{hub_id}", params: []pathParam{pHub},
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Hubs.Update(ctx, p.hub, UpdateHubParams{Name: "n"}))
			}},
		{name: "Hubs.Delete", op: "DeleteHub", pattern: "/hubs/{hub_id}", params: []pathParam{pHub},
			call: func(ctx context.Context, c *Client, p pathIDs) error { return c.Hubs.Delete(ctx, p.hub) }},

		{name: "Users.Create", op: "CreateEndUser", pattern: "/hubs/{hub_id}/users", params: []pathParam{pHub}, bodies: userBodies,
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Users.Create(ctx, p.hub, userParams()))
			}},
		{name: "Users.Get", op: "GetEndUser", pattern: "/hubs/{hub_id}/users/{user_id}", params: []pathParam{pHub, pUser},
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Users.Get(ctx, p.hub, ExternalUser(p.user)))
			}},
		{name: "Users.List", op: "ListEndUsers", pattern: "/hubs/{hub_id}/users", params: []pathParam{pHub},
			bodies: negative(func(ctx context.Context, c *Client, lo ListOptions) error {
				return errOf(c.Users.List(ctx, "01HUB", &ListEndUsersParams{ListOptions: lo}))
			}),
			call: func(ctx context.Context, c *Client, p pathIDs) error { return errOf(c.Users.List(ctx, p.hub, nil)) }},
		{name: "Users.All", op: "ListEndUsers", pattern: "/hubs/{hub_id}/users", params: []pathParam{pHub},
			bodies: negative(func(ctx context.Context, c *Client, lo ListOptions) error {
				return drainSeq(c.Users.All(ctx, "01HUB", &ListEndUsersParams{ListOptions: lo}))
			}),
			call: func(ctx context.Context, c *Client, p pathIDs) error { return drainSeq(c.Users.All(ctx, p.hub, nil)) }},
		{name: "Users.Delete", op: "DeleteEndUser", pattern: "/hubs/{hub_id}/users/{user_id}", params: []pathParam{pHub, pUser},
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return c.Users.Delete(ctx, p.hub, ExternalUser(p.user))
			}},

		{name: "Connections.Create", op: "CreateEndUserConnection", pattern: "/hubs/{hub_id}/users/{user_id}/connections", params: []pathParam{pHub, pUser}, bodies: connBodies,
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Connections.Create(ctx, p.hub, ExternalUser(p.user), connParams()))
			}},
		{name: "Connections.List", op: "ListEndUserConnections", pattern: "/hubs/{hub_id}/users/{user_id}/connections", params: []pathParam{pHub, pUser},
			bodies: negative(func(ctx context.Context, c *Client, lo ListOptions) error {
				return errOf(c.Connections.List(ctx, "01HUB", ExternalUser("jane"), &ListConnectionsParams{ListOptions: lo}))
			}),
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Connections.List(ctx, p.hub, ExternalUser(p.user), nil))
			}},
		{name: "Connections.All", op: "ListEndUserConnections", pattern: "/hubs/{hub_id}/users/{user_id}/connections", params: []pathParam{pHub, pUser},
			bodies: negative(func(ctx context.Context, c *Client, lo ListOptions) error {
				return drainSeq(c.Connections.All(ctx, "01HUB", ExternalUser("jane"), &ListConnectionsParams{ListOptions: lo}))
			}),
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return drainSeq(c.Connections.All(ctx, p.hub, ExternalUser(p.user), nil))
			}},
		{name: "Connections.GetForTemplate", op: "GetEndUserConnection", pattern: "/connection-templates/{connection_template_id}/users/{user_id}", params: []pathParam{pTemplate, pUser},
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Connections.GetForTemplate(ctx, p.template, ExternalUser(p.user)))
			}},

		{name: "Integrations.Create", op: "CreateIntegration", pattern: "/hubs/{hub_id}/integrations", params: []pathParam{pHub}, bodies: intBodies,
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Integrations.Create(ctx, p.hub, intParams()))
			}},
		{name: "Integrations.List", op: "ListIntegrations", pattern: "/hubs/{hub_id}/integrations", params: []pathParam{pHub},
			bodies: negative(func(ctx context.Context, c *Client, lo ListOptions) error {
				return errOf(c.Integrations.List(ctx, "01HUB", &ListIntegrationsParams{ListOptions: lo}))
			}),
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Integrations.List(ctx, p.hub, nil))
			}},
		{name: "Integrations.All", op: "ListIntegrations", pattern: "/hubs/{hub_id}/integrations", params: []pathParam{pHub},
			bodies: negative(func(ctx context.Context, c *Client, lo ListOptions) error {
				return drainSeq(c.Integrations.All(ctx, "01HUB", &ListIntegrationsParams{ListOptions: lo}))
			}),
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return drainSeq(c.Integrations.All(ctx, p.hub, nil))
			}},
		{name: "Integrations.Get", op: "GetIntegration", pattern: "/integrations/{integration_id}", params: []pathParam{pIntegration},
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Integrations.Get(ctx, p.integration))
			}},
		{name: "Integrations.Update", op: "UpdateIntegration", pattern: "/integrations/{integration_id}", params: []pathParam{pIntegration},
			bodies: []badBody{{"variablesSchema", func(ctx context.Context, c *Client) error {
				return errOf(c.Integrations.Update(ctx, "01INT", UpdateIntegrationParams{VariablesSchema: badSchema}))
			}}},
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Integrations.Update(ctx, p.integration, UpdateIntegrationParams{Name: "n"}))
			}},
		{name: "Integrations.Delete", op: "DeleteIntegration", pattern: "/integrations/{integration_id}", params: []pathParam{pIntegration},
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return c.Integrations.Delete(ctx, p.integration)
			}},
		{name: "Integrations.CreateConnectionTemplate", op: "CreateHubConnectionTemplate", pattern: "/integrations/{integration_id}/connection-templates", params: []pathParam{pIntegration}, bodies: tplBodies,
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Integrations.CreateConnectionTemplate(ctx, p.integration, CreateConnectionTemplateParams{ConnectorID: "01CON", AuthSchemeConfig: AuthSchemeConfig{Scheme: NoneScheme{}}}))
			}},
		{name: "Integrations.ListConnectionTemplates", op: "ListIntegrationConnectionTemplates", pattern: "/integrations/{integration_id}/connection-templates", params: []pathParam{pIntegration},
			bodies: negative(func(ctx context.Context, c *Client, lo ListOptions) error {
				return errOf(c.Integrations.ListConnectionTemplates(ctx, "01INT", &lo))
			}),
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Integrations.ListConnectionTemplates(ctx, p.integration, nil))
			}},
		{name: "Integrations.AllConnectionTemplates", op: "ListIntegrationConnectionTemplates", pattern: "/integrations/{integration_id}/connection-templates", params: []pathParam{pIntegration},
			bodies: negative(func(ctx context.Context, c *Client, lo ListOptions) error {
				return drainSeq(c.Integrations.AllConnectionTemplates(ctx, "01INT", &lo))
			}),
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return drainSeq(c.Integrations.AllConnectionTemplates(ctx, p.integration, nil))
			}},
		{name: "Integrations.UpdateMetadata", op: "UpdateIntegrationMetadata", pattern: "/integrations/{integration_id}/metadata", params: []pathParam{pIntegration},
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return c.Integrations.UpdateMetadata(ctx, p.integration, IntegrationMetadata{})
			}},

		{name: "Activations.Create", op: "ActivateIntegration", pattern: "/activations", bodies: actBodies,
			call: func(ctx context.Context, c *Client, _ pathIDs) error {
				return errOf(c.Activations.Create(ctx, actParams()))
			}},
		{name: "Activations.Get", op: "GetActivation", pattern: "/activations/{activation_id}", params: []pathParam{pActivation},
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Activations.Get(ctx, p.activation))
			}},
		{name: "Activations.Delete", op: "DeleteActivation", pattern: "/activations/{activation_id}", params: []pathParam{pActivation},
			call: func(ctx context.Context, c *Client, p pathIDs) error { return c.Activations.Delete(ctx, p.activation) }},
		{name: "Activations.List", op: "ListEndUserActivations", pattern: "/embed/{hub_id}/users/{user_id}/activations", params: []pathParam{pHub, pUser},
			bodies: negative(func(ctx context.Context, c *Client, lo ListOptions) error {
				return errOf(c.Activations.List(ctx, "01HUB", ExternalUser("jane"), &ListActivationsParams{ListOptions: lo}))
			}),
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Activations.List(ctx, p.hub, ExternalUser(p.user), nil))
			}},
		{name: "Activations.All", op: "ListEndUserActivations", pattern: "/embed/{hub_id}/users/{user_id}/activations", params: []pathParam{pHub, pUser},
			bodies: negative(func(ctx context.Context, c *Client, lo ListOptions) error {
				return drainSeq(c.Activations.All(ctx, "01HUB", ExternalUser("jane"), &ListActivationsParams{ListOptions: lo}))
			}),
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return drainSeq(c.Activations.All(ctx, p.hub, ExternalUser(p.user), nil))
			}},
		{name: "Activations.UpdateVariables", op: "UpdateDynamicVariables", pattern: "/activations/{activation_id}/variables", params: []pathParam{pActivation},
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Activations.UpdateVariables(ctx, p.activation, DynamicVariables{"a": 1}))
			}},
		{name: "Activations.GetVariables", op: "GetDynamicVariables", pattern: "/integrations/{integration_id}/users/{user_id}/variables", params: []pathParam{pIntegration, pUser},
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Activations.GetVariables(ctx, p.integration, ExternalUser(p.user)))
			}},
		{name: "Activations.UpdateVariablesInternal", op: "UpdateDynamicVariablesInternal", pattern: "/integrations/{integration_id}/users/{user_id}/variables", params: []pathParam{pIntegration, pUser},
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return c.Activations.UpdateVariablesInternal(ctx, p.integration, ExternalUser(p.user), DynamicVariables{"a": 1})
			}},

		{name: "Embed.ListIntegrations", op: "ListEndUserIntegrations", pattern: "/embed/{hub_id}/users/{user_id}/integrations", params: []pathParam{pHub, pUser},
			bodies: negative(func(ctx context.Context, c *Client, lo ListOptions) error {
				return errOf(c.Embed.ListIntegrations(ctx, "01HUB", ExternalUser("jane"), &ListEmbeddedIntegrationsParams{ListOptions: lo}))
			}),
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Embed.ListIntegrations(ctx, p.hub, ExternalUser(p.user), nil))
			}},
		{name: "Embed.AllIntegrations", op: "ListEndUserIntegrations", pattern: "/embed/{hub_id}/users/{user_id}/integrations", params: []pathParam{pHub, pUser},
			bodies: negative(func(ctx context.Context, c *Client, lo ListOptions) error {
				return drainSeq(c.Embed.AllIntegrations(ctx, "01HUB", ExternalUser("jane"), &ListEmbeddedIntegrationsParams{ListOptions: lo}))
			}),
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return drainSeq(c.Embed.AllIntegrations(ctx, p.hub, ExternalUser(p.user), nil))
			}},
		{name: "Embed.GetIntegration", op: "GetEmbeddedIntegration", pattern: "/embed/{hub_id}/users/{user_id}/integrations/{integration_id}", params: []pathParam{pHub, pUser, pIntegration},
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Embed.GetIntegration(ctx, p.hub, ExternalUser(p.user), p.integration))
			}},
		{name: "Embed.InitialiseOAuth2", op: "InitialiseOAuth2EmbeddedConnection", pattern: "/embed/{hub_id}/connector/{connector_id}/oauth2/initialise", params: []pathParam{pHub, pConnector}, bodies: oauthBodies,
			call: func(ctx context.Context, c *Client, p pathIDs) error {
				return errOf(c.Embed.InitialiseOAuth2(ctx, p.hub, p.connector, oauthParams()))
			}},
	}
}

// TestEveryMethodIsListed fails when a service gains an API method that
// apiMethods does not cover, so the bad-input suites cannot silently miss it.
func TestEveryMethodIsListed(t *testing.T) {
	c, err := NewClient()
	require.NoError(t, err)
	ctxType := reflect.TypeFor[context.Context]()
	var want []string
	add := func(prefix string, v any) {
		rt := reflect.TypeOf(v)
		for i := range rt.NumMethod() {
			m := rt.Method(i)
			if m.Type.NumIn() > 1 && m.Type.In(1) == ctxType { // receiver, then ctx
				want = append(want, prefix+"."+m.Name)
			}
		}
	}
	add("Client", c)
	cv := reflect.ValueOf(c).Elem()
	for i := range cv.NumField() {
		f := cv.Type().Field(i)
		if f.IsExported() && strings.HasSuffix(f.Type.String(), "Service") {
			add(f.Name, cv.Field(i).Interface())
		}
	}
	var got []string
	for _, m := range apiMethods() {
		got = append(got, m.name)
	}
	sort.Strings(want)
	sort.Strings(got)
	assert.Equal(t, want, got)
	assert.Len(t, want, 37, "update RELIABILITY.md when the API surface changes")
}

// countingServer answers every request with a 404 Error body and counts them.
func countingServer(t *testing.T) (*Client, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := newRawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		n.Add(1)
		writeJSON(w, 404, `{"code":"404000","message":"not here"}`)
	})
	c, _ := newTestClient(t, srv.URL, WithRetryPolicy(RetryPolicy{}))
	return c, &n
}

// badInputs returns every invalid input the SDK must refuse before sending:
// each path parameter of each method empty, "." and "..", the zero UserRef,
// and each required body field missing.
func badInputs() []struct {
	method, field string
	call          func(ctx context.Context, c *Client) error
} {
	type bad = struct {
		method, field string
		call          func(ctx context.Context, c *Client) error
	}
	var out []bad
	for _, m := range apiMethods() {
		for _, p := range m.params {
			for _, v := range []string{"", ".", ".."} {
				ids := validIDs
				p.set(&ids, v)
				out = append(out, bad{m.name, p.field, func(ctx context.Context, c *Client) error { return m.call(ctx, c, ids) }})
			}
		}
		for _, b := range m.bodies {
			out = append(out, bad{m.name, b.field, b.call})
		}
	}
	// The zero UserRef, never made by ExternalUser or InternalUser.
	var zero UserRef
	out = append(out,
		bad{"Users.Get", "userID", func(ctx context.Context, c *Client) error { return errOf(c.Users.Get(ctx, "01HUB", zero)) }},
		bad{"Connections.List", "userID", func(ctx context.Context, c *Client) error { return errOf(c.Connections.List(ctx, "01HUB", zero, nil)) }},
		bad{"Activations.List", "userID", func(ctx context.Context, c *Client) error { return errOf(c.Activations.List(ctx, "01HUB", zero, nil)) }},
	)
	return out
}

// TestRequiredInputRejectedBeforeSending tries every bad input of badInputs
// and checks each is a ValidationError naming its field, with nothing sent;
// then checks each method with valid input does send, so the refusals are
// down to the bad values alone.
func TestRequiredInputRejectedBeforeSending(t *testing.T) {
	c, sent := countingServer(t)
	ctx := context.Background()
	bads := badInputs()
	for _, b := range bads {
		err := b.call(ctx, c)
		var ve *ValidationError
		if assert.ErrorAs(t, err, &ve, "%s: %s", b.method, b.field) {
			assert.Equal(t, b.field, ve.Field, b.method)
			assert.ErrorIs(t, err, ErrValidation)
			assert.Contains(t, err.Error(), b.field)
		}
	}
	assert.Zero(t, sent.Load(), "no bad input reached the wire")
	t.Logf("%d bad inputs refused before sending", len(bads))

	for _, m := range apiMethods() {
		before := sent.Load()
		err := m.call(ctx, c, validIDs)
		assert.ErrorIs(t, err, ErrNotFound, "%s: valid input is sent", m.name)
		assert.Equal(t, before+1, sent.Load(), m.name)
	}
}

// adversarialIDs are IDs that break naive path building. "." and ".." are
// refused by design (URL normalisation would resolve them away); see
// badInputs.
var adversarialIDs = []string{
	"a/b", "/", "//", "../x", "a/../../hubs", "..%2F", "...", ".x", "x.",
	"?", "q?x=1&y=2", "#", "#frag", "%", "%2F", "%252F", "%zz", "100%",
	" ", "a b", " lead", "trail ", "+", "a+b", ";", "a;b=c", "&", "=", "@", "jane+ops@acme.io",
	"\\", "a\\b", "\"", "'", "<>", "{id}", "[0]", "|", "`", "~", "$", "!", "*", ",", ":",
	"ünï cødé", "日本語", "😀", "\u202e", "\u00a0", "\t", "a\nb", "\r\n", "\x00", "\x7f",
	"\xff\xfe", // invalid UTF-8
	strings.Repeat("x", 4096),
	strings.Repeat("%2F", 500),
	strings.Repeat("ü/", 1000),
}
