package versori_test

// Every method refuses bad input before sending, and sends every other ID,
// however awkward, to exactly the resource it names. So are header values no
// request can carry, and calls whose context has already ended.

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
)

// pathIDs are the path parameters of a call. A method reads the ones it
// needs; tests swap one of them for a bad or adversarial value.
type pathIDs struct {
	org, hub, user, integration, activation, template, connector string
}

// validIDs are plain IDs that need no escaping.
var validIDs = pathIDs{org: "01ORG", hub: "01HUB", user: "jane", integration: "01INT", activation: "01ACT", template: "01TPL", connector: "01CON"}

// pathParam is a path parameter: the field a ValidationError names, its name
// in the fake's route pattern, and how to set and get it in pathIDs.
type pathParam struct {
	field   string
	pattern string
	set     func(*pathIDs, string)
	get     func(pathIDs) string
}

var (
	pOrg = pathParam{"organisationID", "{organisation_id}",
		func(p *pathIDs, v string) { p.org = v }, func(p pathIDs) string { return p.org }}
	pHub = pathParam{"hubID", "{hub_id}",
		func(p *pathIDs, v string) { p.hub = v }, func(p pathIDs) string { return p.hub }}
	pUser = pathParam{"user", "{user_id}",
		func(p *pathIDs, v string) { p.user = v }, func(p pathIDs) string { return p.user }}
	pIntegration = pathParam{"integrationID", "{integration_id}",
		func(p *pathIDs, v string) { p.integration = v }, func(p pathIDs) string { return p.integration }}
	pActivation = pathParam{"activationID", "{activation_id}",
		func(p *pathIDs, v string) { p.activation = v }, func(p pathIDs) string { return p.activation }}
	pTemplate = pathParam{"templateID", "{connection_template_id}",
		func(p *pathIDs, v string) { p.template = v }, func(p pathIDs) string { return p.template }}
	pConnector = pathParam{"connectorID", "{connector_id}",
		func(p *pathIDs, v string) { p.connector = v }, func(p pathIDs) string { return p.connector }}
)

// badBody is a call with a bad body or parameter that is not a path
// parameter; field is what the ValidationError must name.
type badBody struct {
	field string
	call  func(ctx context.Context, c *versori.Client) error
}

// apiMethod is one exported method of the client or a service that calls
// the API.
type apiMethod struct {
	name    string // "Service.Method", as reflection names it
	op      string // the spec's operationId
	pattern string // the fake's route, for checking where IDs land
	params  []pathParam
	call    func(ctx context.Context, c *versori.Client, ids pathIDs, opts ...versori.Option) error // with a valid body
	bodies  []badBody
	// pages, on a List method's row, lists (or, all, ranges over the All
	// twin) with a page size (0: nil params). apiMethods expands the row
	// into both methods.
	pages func(ctx context.Context, c *versori.Client, ids pathIDs, first int, all bool, opts ...versori.Option) error
}

// sized returns q, or nil params when first is 0.
func sized[Q any](first int, q *Q) *Q {
	if first == 0 {
		return nil
	}
	return q
}

// withAllTwins replaces each row with pages by its List method and its All
// twin: the same operation, route and parameters, each called with nil
// params and refusing a negative page size.
func withAllTwins(ms []apiMethod) []apiMethod {
	var out []apiMethod
	for _, m := range ms {
		if m.pages == nil {
			out = append(out, m)
			continue
		}
		method := func(name string, all bool) apiMethod {
			r := m
			r.name = name
			r.call = func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return m.pages(ctx, c, p, 0, all, o...)
			}
			r.bodies = negativeFirst(func(ctx context.Context, c *versori.Client, first int) error {
				return m.pages(ctx, c, validIDs, first, all)
			})
			return r
		}
		out = append(out, method(m.name, false), method(strings.Replace(m.name, ".List", ".All", 1), true))
	}
	return out
}

// errOf drops a call's result, keeping its error.
func errOf[T any](_ T, err error) error { return err }

// drain returns the first error of an iterator.
func drain[T any](seq iter.Seq2[T, error]) error { return firstErr(seq) }

// Valid bodies, each a fresh value a bad body edits.
func hubParams() versori.CreateHubParams {
	return versori.CreateHubParams{OrganisationID: "01ORG", Name: "hub", PrimaryConnectorID: "01CON", AuthSchemeConfig: hubScheme()}
}

func userParams() versori.CreateEndUserParams {
	return versori.CreateEndUserParams{ExternalID: "jane", PrimaryConnection: primaryConnection("jane")}
}

func connParams() versori.CreateConnectionParams {
	return versori.CreateConnectionParams{ConnectorID: "01CON", Connection: primaryConnection("jane")}
}

func integrationParams() versori.CreateIntegrationParams {
	return versori.CreateIntegrationParams{OrganisationID: "01ORG", Name: "integration"}
}

func activationParams() versori.CreateActivationParams {
	return versori.CreateActivationParams{User: versori.ExternalUser("jane"), IntegrationID: "01INT", Connections: []versori.ActivationConnection{
		versori.ExistingConnection{TemplateID: "01TPL", ConnectionID: "01CNN"},
		versori.NewConnection{TemplateID: "01TPL2", Name: "new", Credentials: apiKeyCredentials("key", "k-123")},
	}}
}

func templateParams() versori.CreateConnectionTemplateParams {
	return versori.CreateConnectionTemplateParams{ConnectorID: "01CON", AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.NoneScheme{}}}
}

func oauthParams() versori.InitialiseOAuth2Params {
	return versori.InitialiseOAuth2Params{Credential: versori.OAuth2ClientRef{ID: "01CRD", OrganisationID: "01ORG"}, AuthorizeURL: "https://p.example/authorize", ClientID: "cid"}
}

// edits returns a badBody per edit of a fresh valid body, sent by send.
func edits[P any](fresh func() P, send func(context.Context, *versori.Client, P) error, cases map[string]func(*P)) []badBody {
	var out []badBody
	for field, edit := range cases {
		p := fresh()
		edit(&p)
		out = append(out, badBody{field, func(ctx context.Context, c *versori.Client) error { return send(ctx, c, p) }})
	}
	return out
}

// negativeFirst is a list call with a negative page size.
func negativeFirst(call func(ctx context.Context, c *versori.Client, first int) error) []badBody {
	return []badBody{{"first", func(ctx context.Context, c *versori.Client) error { return call(ctx, c, -1) }}}
}

// apiMethods lists every method of the client and its services that calls
// the API. TestEveryMethodIsListed keeps it complete.
func apiMethods() []apiMethod {
	createHub := func(ctx context.Context, c *versori.Client, p versori.CreateHubParams) error {
		return errOf(c.Hubs.Create(ctx, p))
	}
	hubBodies := edits(hubParams, createHub, map[string]func(*versori.CreateHubParams){
		"organisationId":          func(p *versori.CreateHubParams) { p.OrganisationID = "" },
		"name":                    func(p *versori.CreateHubParams) { p.Name = " " },
		"primaryConnectorId":      func(p *versori.CreateHubParams) { p.PrimaryConnectorID = "" },
		"authSchemeConfig.scheme": func(p *versori.CreateHubParams) { p.AuthSchemeConfig = versori.AuthSchemeConfig{} },
		"authSchemeConfig.grant": func(p *versori.CreateHubParams) {
			p.AuthSchemeConfig.Scheme = versori.OAuth2Scheme{AuthorizeURL: "https://a/a", TokenURL: "https://a/t"}
		},
	})

	createEndUser := func(ctx context.Context, c *versori.Client, p versori.CreateEndUserParams) error {
		return errOf(c.Users.Create(ctx, "01HUB", p))
	}
	createConn := func(ctx context.Context, c *versori.Client, p versori.CreateConnectionParams) error {
		return errOf(c.Connections.Create(ctx, "01HUB", versori.ExternalUser("jane"), p))
	}
	activate := func(ctx context.Context, c *versori.Client, p versori.CreateActivationParams) error {
		return errOf(c.Activations.Create(ctx, p))
	}
	userBodies := edits(userParams, createEndUser, map[string]func(*versori.CreateEndUserParams){
		"externalId": func(p *versori.CreateEndUserParams) { p.ExternalID = "" },
	})
	connBodies := edits(connParams, createConn, map[string]func(*versori.CreateConnectionParams){
		"connectorId": func(p *versori.CreateConnectionParams) { p.ConnectorID = " " },
	})
	actBodies := edits(activationParams, activate, map[string]func(*versori.CreateActivationParams){
		"user":           func(p *versori.CreateActivationParams) { p.User = versori.UserRef{} },
		"integrationId":  func(p *versori.CreateActivationParams) { p.IntegrationID = "" },
		"connections[1]": func(p *versori.CreateActivationParams) { p.Connections[1] = nil },
		"connections[0]": func(p *versori.CreateActivationParams) { p.Connections[0] = (*versori.ExistingConnection)(nil) },
		"connections[0].templateId": func(p *versori.CreateActivationParams) {
			p.Connections[0] = versori.ExistingConnection{ConnectionID: "c"}
		},
		"connections[0].connectionId": func(p *versori.CreateActivationParams) {
			p.Connections[0] = versori.ExistingConnection{TemplateID: "t"}
		},
		"connections[1].templateId": func(p *versori.CreateActivationParams) { p.Connections[1] = versori.NewConnection{Name: "n"} },
	})
	for _, bc := range badConnections() {
		userBodies = append(userBodies, edits(userParams, createEndUser, map[string]func(*versori.CreateEndUserParams){
			"primaryConnection" + bc.field: func(p *versori.CreateEndUserParams) { p.PrimaryConnection = bc.conn },
		})...)
		connBodies = append(connBodies, edits(connParams, createConn, map[string]func(*versori.CreateConnectionParams){
			"connection" + bc.field: func(p *versori.CreateConnectionParams) { p.Connection = bc.conn },
		})...)
		actBodies = append(actBodies, edits(activationParams, activate, map[string]func(*versori.CreateActivationParams){
			"connections[1]" + bc.field: func(p *versori.CreateActivationParams) {
				p.Connections[1] = versori.NewConnection{TemplateID: "01TPL2", Name: bc.conn.Name, Credentials: bc.conn.Credentials}
			},
		})...)
	}

	createIntegration := func(ctx context.Context, c *versori.Client, p versori.CreateIntegrationParams) error {
		return errOf(c.Integrations.Create(ctx, "01HUB", p))
	}
	intBodies := edits(integrationParams, createIntegration, map[string]func(*versori.CreateIntegrationParams){
		"organisationId": func(p *versori.CreateIntegrationParams) { p.OrganisationID = "" },
		"name":           func(p *versori.CreateIntegrationParams) { p.Name = "" },
		"variablesSchema": func(p *versori.CreateIntegrationParams) {
			p.VariablesSchema = json.RawMessage(`[1]`)
		},
		"connectionTemplate.connectorId": func(p *versori.CreateIntegrationParams) {
			p.ConnectionTemplate = &versori.CreateConnectionTemplateParams{AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.NoneScheme{}}}
		},
		"connectionTemplate.authSchemeConfig.scheme": func(p *versori.CreateIntegrationParams) {
			p.ConnectionTemplate = &versori.CreateConnectionTemplateParams{ConnectorID: "c"}
		},
	})
	for _, schema := range []string{`null`, `"not an object"`, `{`, `[]`} {
		intBodies = append(intBodies, edits(integrationParams, createIntegration, map[string]func(*versori.CreateIntegrationParams){
			"variablesSchema": func(p *versori.CreateIntegrationParams) { p.VariablesSchema = json.RawMessage(schema) },
		})...)
	}
	tplBodies := edits(templateParams, func(ctx context.Context, c *versori.Client, p versori.CreateConnectionTemplateParams) error {
		return errOf(c.Integrations.CreateConnectionTemplate(ctx, "01INT", p))
	}, map[string]func(*versori.CreateConnectionTemplateParams){
		"connectorId":             func(p *versori.CreateConnectionTemplateParams) { p.ConnectorID = "" },
		"authSchemeConfig.scheme": func(p *versori.CreateConnectionTemplateParams) { p.AuthSchemeConfig.Scheme = nil },
	})
	oauthBodies := edits(oauthParams, func(ctx context.Context, c *versori.Client, p versori.InitialiseOAuth2Params) error {
		return errOf(c.Embed.InitialiseOAuth2(ctx, "01HUB", "01CON", p))
	}, map[string]func(*versori.InitialiseOAuth2Params){
		"credential.id":             func(p *versori.InitialiseOAuth2Params) { p.Credential.ID = "" },
		"credential.organisationId": func(p *versori.InitialiseOAuth2Params) { p.Credential.OrganisationID = "" },
		"authorizeUrl":              func(p *versori.InitialiseOAuth2Params) { p.AuthorizeURL = "" },
		"clientId":                  func(p *versori.InitialiseOAuth2Params) { p.ClientID = "" },
	})
	doBodies := []badBody{
		{"method", func(ctx context.Context, c *versori.Client) error {
			return c.Do(ctx, versori.Request{Method: "G T", Path: "/healthz"}, nil)
		}},
		{"path", func(ctx context.Context, c *versori.Client) error {
			return c.Do(ctx, versori.Request{Method: http.MethodGet, Path: "/hubs/../healthz"}, nil)
		}},
	}
	user := func(p pathIDs) versori.UserRef { return versori.ExternalUser(p.user) }

	return withAllTwins([]apiMethod{
		{name: "Client.HealthCheck", op: "HealthCheck", pattern: "/healthz",
			call: func(ctx context.Context, c *versori.Client, _ pathIDs, o ...versori.Option) error {
				return errOf(c.HealthCheck(ctx, o...))
			}},
		{name: "Client.Do", op: "GetHub", pattern: "/hubs/{hub_id}", bodies: doBodies,
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return c.Do(ctx, versori.Request{Method: http.MethodGet, Path: "/hubs/" + url.PathEscape(p.hub), Operation: "GetHub"}, nil, o...)
			}},

		{name: "Hubs.List", op: "ListHubs", pattern: "/o/{organisation_id}/hubs", params: []pathParam{pOrg},
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return errOf(c.Hubs.List(ctx, p.org, o...))
			}},
		{name: "Hubs.Create", op: "CreateHub", pattern: "/hubs", bodies: hubBodies,
			call: func(ctx context.Context, c *versori.Client, _ pathIDs, o ...versori.Option) error {
				return errOf(c.Hubs.Create(ctx, hubParams(), o...))
			}},
		{name: "Hubs.Get", op: "GetHub", pattern: "/hubs/{hub_id}", params: []pathParam{pHub},
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return errOf(c.Hubs.Get(ctx, p.hub, o...))
			}},
		{name: "Hubs.Update", op: "UpdateHubDetails", pattern: "/hubs/{hub_id}", params: []pathParam{pHub},
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return errOf(c.Hubs.Update(ctx, p.hub, versori.UpdateHubParams{Name: "n"}, o...))
			}},
		{name: "Hubs.Delete", op: "DeleteHub", pattern: "/hubs/{hub_id}", params: []pathParam{pHub},
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return c.Hubs.Delete(ctx, p.hub, o...)
			}},

		{name: "Users.Create", op: "CreateEndUser", pattern: "/hubs/{hub_id}/users", params: []pathParam{pHub}, bodies: userBodies,
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return errOf(c.Users.Create(ctx, p.hub, userParams(), o...))
			}},
		{name: "Users.Get", op: "GetEndUser", pattern: "/hubs/{hub_id}/users/{user_id}", params: []pathParam{pHub, pUser},
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return errOf(c.Users.Get(ctx, p.hub, user(p), o...))
			}},
		{name: "Users.List", op: "ListEndUsers", pattern: "/hubs/{hub_id}/users", params: []pathParam{pHub},
			pages: func(ctx context.Context, c *versori.Client, p pathIDs, first int, all bool, o ...versori.Option) error {
				q := sized(first, &versori.ListEndUsersParams{First: first})
				if all {
					return drain(c.Users.All(ctx, p.hub, q, o...))
				}
				return errOf(c.Users.List(ctx, p.hub, q, o...))
			}},
		{name: "Users.Delete", op: "DeleteEndUser", pattern: "/hubs/{hub_id}/users/{user_id}", params: []pathParam{pHub, pUser},
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return c.Users.Delete(ctx, p.hub, user(p), o...)
			}},

		{name: "Connections.Create", op: "CreateEndUserConnection", pattern: "/hubs/{hub_id}/users/{user_id}/connections", params: []pathParam{pHub, pUser}, bodies: connBodies,
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return errOf(c.Connections.Create(ctx, p.hub, user(p), connParams(), o...))
			}},
		{name: "Connections.List", op: "ListEndUserConnections", pattern: "/hubs/{hub_id}/users/{user_id}/connections", params: []pathParam{pHub, pUser},
			pages: func(ctx context.Context, c *versori.Client, p pathIDs, first int, all bool, o ...versori.Option) error {
				q := sized(first, &versori.ListConnectionsParams{First: first})
				if all {
					return drain(c.Connections.All(ctx, p.hub, user(p), q, o...))
				}
				return errOf(c.Connections.List(ctx, p.hub, user(p), q, o...))
			}},
		{name: "Connections.Get", op: "GetEndUserConnection", pattern: "/connection-templates/{connection_template_id}/users/{user_id}", params: []pathParam{pTemplate, pUser},
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return errOf(c.Connections.Get(ctx, p.template, user(p), o...))
			}},

		{name: "Integrations.Create", op: "CreateIntegration", pattern: "/hubs/{hub_id}/integrations", params: []pathParam{pHub}, bodies: intBodies,
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return errOf(c.Integrations.Create(ctx, p.hub, integrationParams(), o...))
			}},
		{name: "Integrations.List", op: "ListIntegrations", pattern: "/hubs/{hub_id}/integrations", params: []pathParam{pHub},
			pages: func(ctx context.Context, c *versori.Client, p pathIDs, first int, all bool, o ...versori.Option) error {
				q := sized(first, &versori.ListIntegrationsParams{First: first})
				if all {
					return drain(c.Integrations.All(ctx, p.hub, q, o...))
				}
				return errOf(c.Integrations.List(ctx, p.hub, q, o...))
			}},
		{name: "Integrations.Get", op: "GetIntegration", pattern: "/integrations/{integration_id}", params: []pathParam{pIntegration},
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return errOf(c.Integrations.Get(ctx, p.integration, o...))
			}},
		{name: "Integrations.Update", op: "UpdateIntegration", pattern: "/integrations/{integration_id}", params: []pathParam{pIntegration},
			bodies: []badBody{{"variablesSchema", func(ctx context.Context, c *versori.Client) error {
				return errOf(c.Integrations.Update(ctx, "01INT", versori.UpdateIntegrationParams{VariablesSchema: json.RawMessage(`"not an object"`)}))
			}}},
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return errOf(c.Integrations.Update(ctx, p.integration, versori.UpdateIntegrationParams{Name: "n"}, o...))
			}},
		{name: "Integrations.Delete", op: "DeleteIntegration", pattern: "/integrations/{integration_id}", params: []pathParam{pIntegration},
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return c.Integrations.Delete(ctx, p.integration, o...)
			}},
		{name: "Integrations.CreateConnectionTemplate", op: "CreateHubConnectionTemplate", pattern: "/integrations/{integration_id}/connection-templates", params: []pathParam{pIntegration}, bodies: tplBodies,
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return errOf(c.Integrations.CreateConnectionTemplate(ctx, p.integration, templateParams(), o...))
			}},
		{name: "Integrations.ListConnectionTemplates", op: "ListIntegrationConnectionTemplates", pattern: "/integrations/{integration_id}/connection-templates", params: []pathParam{pIntegration},
			pages: func(ctx context.Context, c *versori.Client, p pathIDs, first int, all bool, o ...versori.Option) error {
				q := sized(first, &versori.ListConnectionTemplatesParams{First: first})
				if all {
					return drain(c.Integrations.AllConnectionTemplates(ctx, p.integration, q, o...))
				}
				return errOf(c.Integrations.ListConnectionTemplates(ctx, p.integration, q, o...))
			}},
		{name: "Integrations.UpdateMetadata", op: "UpdateIntegrationMetadata", pattern: "/integrations/{integration_id}/metadata", params: []pathParam{pIntegration},
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return c.Integrations.UpdateMetadata(ctx, p.integration, versori.IntegrationMetadata{}, o...)
			}},

		{name: "Activations.Create", op: "ActivateIntegration", pattern: "/activations", bodies: actBodies,
			call: func(ctx context.Context, c *versori.Client, _ pathIDs, o ...versori.Option) error {
				return errOf(c.Activations.Create(ctx, activationParams(), o...))
			}},
		{name: "Activations.Get", op: "GetActivation", pattern: "/activations/{activation_id}", params: []pathParam{pActivation},
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return errOf(c.Activations.Get(ctx, p.activation, o...))
			}},
		{name: "Activations.Delete", op: "DeleteActivation", pattern: "/activations/{activation_id}", params: []pathParam{pActivation},
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return c.Activations.Delete(ctx, p.activation, o...)
			}},
		{name: "Activations.List", op: "ListEndUserActivations", pattern: "/embed/{hub_id}/users/{user_id}/activations", params: []pathParam{pHub, pUser},
			pages: func(ctx context.Context, c *versori.Client, p pathIDs, first int, all bool, o ...versori.Option) error {
				q := sized(first, &versori.ListActivationsParams{First: first})
				if all {
					return drain(c.Activations.All(ctx, p.hub, user(p), q, o...))
				}
				return errOf(c.Activations.List(ctx, p.hub, user(p), q, o...))
			}},
		{name: "Activations.UpdateVariables", op: "UpdateDynamicVariables", pattern: "/activations/{activation_id}/variables", params: []pathParam{pActivation},
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return errOf(c.Activations.UpdateVariables(ctx, p.activation, versori.DynamicVariables{"a": 1}, o...))
			}},
		{name: "Activations.GetVariables", op: "GetDynamicVariables", pattern: "/integrations/{integration_id}/users/{user_id}/variables", params: []pathParam{pIntegration, pUser},
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return errOf(c.Activations.GetVariables(ctx, p.integration, user(p), o...))
			}},
		{name: "Activations.UpdateVariablesInternal", op: "UpdateDynamicVariablesInternal", pattern: "/integrations/{integration_id}/users/{user_id}/variables", params: []pathParam{pIntegration, pUser},
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return c.Activations.UpdateVariablesInternal(ctx, p.integration, user(p), versori.DynamicVariables{"a": 1}, o...)
			}},

		{name: "Embed.ListIntegrations", op: "ListEndUserIntegrations", pattern: "/embed/{hub_id}/users/{user_id}/integrations", params: []pathParam{pHub, pUser},
			pages: func(ctx context.Context, c *versori.Client, p pathIDs, first int, all bool, o ...versori.Option) error {
				q := sized(first, &versori.ListEmbeddedIntegrationsParams{First: first})
				if all {
					return drain(c.Embed.AllIntegrations(ctx, p.hub, user(p), q, o...))
				}
				return errOf(c.Embed.ListIntegrations(ctx, p.hub, user(p), q, o...))
			}},
		{name: "Embed.GetIntegration", op: "GetEmbeddedIntegration", pattern: "/embed/{hub_id}/users/{user_id}/integrations/{integration_id}", params: []pathParam{pHub, pUser, pIntegration},
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return errOf(c.Embed.GetIntegration(ctx, p.hub, user(p), p.integration, o...))
			}},
		{name: "Embed.InitialiseOAuth2", op: "InitialiseOAuth2EmbeddedConnection", pattern: "/embed/{hub_id}/connector/{connector_id}/oauth2/initialise", params: []pathParam{pHub, pConnector}, bodies: oauthBodies,
			call: func(ctx context.Context, c *versori.Client, p pathIDs, o ...versori.Option) error {
				return errOf(c.Embed.InitialiseOAuth2(ctx, p.hub, p.connector, oauthParams(), o...))
			}},
	})
}

// TestEveryMethodIsListed fails when the client or a service gains a method
// taking a context that apiMethods does not cover, so the suites below
// cannot silently miss it.
func TestEveryMethodIsListed(t *testing.T) {
	t.Parallel()
	c, err := versori.NewClient(versori.WithAPIKey("vtest_key"))
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
	services := 0
	for i := range cv.NumField() {
		f := cv.Type().Field(i)
		if f.IsExported() && strings.HasSuffix(f.Type.String(), "Service") {
			add(f.Name, cv.Field(i).Interface())
			services++
		}
	}
	assert.Equal(t, 6, services, "Hubs, Users, Connections, Integrations, Activations, Embed")
	var got []string
	for _, m := range apiMethods() {
		got = append(got, m.name)
	}
	slices.Sort(want)
	slices.Sort(got)
	assert.Equal(t, want, got)
}

// badPathValues are refused in every path parameter: blank (empty or white
// space only), or a dot segment that URL normalisation would resolve away.
var badPathValues = []string{"", " ", "\t", "\r\n", "\u00a0", ".", ".."}

// badInput is one bad call and the field its *ValidationError must name.
type badInput struct {
	method, field string
	call          func(ctx context.Context, c *versori.Client) error
}

// badInputs returns every invalid input the SDK must refuse before sending:
// each path parameter of each method with each badPathValues value, each
// body or parameter without a required value, and each method with an
// option that is refused.
func badInputs() []badInput {
	var out []badInput
	for _, m := range apiMethods() {
		for _, p := range m.params {
			for _, v := range badPathValues {
				ids := validIDs
				p.set(&ids, v)
				out = append(out, badInput{m.name, p.field, func(ctx context.Context, c *versori.Client) error { return m.call(ctx, c, ids) }})
			}
		}
		for _, b := range m.bodies {
			out = append(out, badInput{m.name, b.field, b.call})
		}
		for _, opt := range []struct {
			field string
			opt   versori.Option
		}{
			{"retryPolicy.maxRetries", versori.WithMaxRetries(-1)},
			{"retryPolicy.maxRetries", versori.WithMaxRetries(versori.MaxRetries + 1)},
			{"timeout", versori.WithTimeout(-1)},
			{"header X-Request-Id", versori.WithHeader("X-Request-Id", "mine")},
			{"option", nil},
		} {
			out = append(out, badInput{m.name, opt.field, func(ctx context.Context, c *versori.Client) error { return m.call(ctx, c, validIDs, opt.opt) }})
		}
	}
	return out
}

// TestRequiredInputRejectedBeforeSending tries every bad input of badInputs
// and checks each is a *ValidationError naming its field, with nothing sent;
// then checks each method with valid input sends exactly one request, to its
// own operation, so the refusals are down to the bad values alone.
func TestRequiredInputRejectedBeforeSending(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t, versori.WithMaxRetries(0))
	ctx := context.Background()
	bads := badInputs()
	for _, b := range bads {
		err := b.call(ctx, c)
		var ve *versori.ValidationError
		if assert.ErrorAs(t, err, &ve, "%s: %s", b.method, b.field) {
			assert.Equal(t, b.field, ve.Field, b.method)
			assert.ErrorIs(t, err, versori.ErrValidation)
			assert.ErrorIs(t, err, versori.ErrNotSent)
			assert.Contains(t, err.Error(), b.field)
		}
	}
	requireNothingSent(t, fake)
	t.Logf("%d bad inputs refused before sending", len(bads))

	for _, m := range apiMethods() {
		fake.ResetRequests()
		err := m.call(ctx, c, validIDs)
		var ve *versori.ValidationError
		assert.False(t, errors.As(err, &ve), "%s: valid input is sent: %v", m.name, err)
		reqs := fake.Requests()
		if assert.Len(t, reqs, 1, m.name) {
			assert.Equal(t, m.op, reqs[0].Operation, m.name)
		}
	}
}

// adversarialIDs are IDs that break naive path building. Blank IDs and "."
// and ".." are refused by design (see badPathValues).
var adversarialIDs = []string{
	"a/b", "/", "//", "../x", "a/../../hubs", "..%2F", "...", ".x", "x.",
	"?", "q?x=1&y=2", "#", "#frag", "%", "%2F", "%252F", "%zz", "100%",
	"a b", " lead", "trail ", "+", "a+b", ";", "a;b=c", "&", "=", "@", "jane+ops@acme.io",
	"\\", "a\\b", "\"", "'", "<>", "{id}", "[0]", "|", "`", "~", "$", "!", "*", ",", ":",
	"ünï cødé", "日本語", "😀", "\u202e", "a\u00a0b", "a\tb", "a\nb", "x\r\ny", "\x00", "\x7f",
	"\xff\xfe", // invalid UTF-8
	strings.Repeat("x", 4096),
	strings.Repeat("%2F", 500),
	strings.Repeat("ü/", 1000),
}

// pathSegments splits an escaped path and unescapes each segment.
func pathSegments(t *testing.T, escaped string) []string {
	t.Helper()
	parts := strings.Split(strings.TrimPrefix(escaped, "/"), "/")
	for i, p := range parts {
		s, err := url.PathUnescape(p)
		require.NoError(t, err, escaped)
		parts[i] = s
	}
	return parts
}

// TestAdversarialIDsReachTheFakeExactly sends every adversarial ID in every
// path parameter of every method to the fake, and checks from the fake's
// request log that the request matched the method's own operation with each
// parameter exactly as given, and that none succeeded against some other
// resource (none of these IDs exist, so each must be a 404 or 403).
func TestAdversarialIDsReachTheFakeExactly(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t, versori.WithMaxRetries(0))
	ctx := context.Background()
	// The other parameters are real, so a request that lost track of the
	// adversarial one would find a resource and succeed.
	seeded := fake.Seeded()
	real := pathIDs{
		org: seeded.OrganisationID, hub: seeded.HubID, user: "jane", integration: seeded.Integrations[0].ID,
		activation: "01ACT", template: seeded.Integrations[0].Templates[0].ID, connector: seeded.PrimaryConnectorID,
	}
	createUser(t, c, seeded.HubID, "jane")
	tried := 0
	for _, m := range apiMethods() {
		for _, p := range m.params {
			for _, id := range adversarialIDs {
				ids := real
				p.set(&ids, id)
				fake.ResetRequests()
				err := m.call(ctx, c, ids)
				tried++
				var apiErr *versori.APIError
				if !assert.ErrorAs(t, err, &apiErr, "%s %s=%q", m.name, p.field, id) {
					continue
				}
				assert.True(t, errors.Is(err, versori.ErrNotFound) || errors.Is(err, versori.ErrForbidden), "%s %s=%q: %v", m.name, p.field, id, err)
				reqs := fake.Requests()
				require.Len(t, reqs, 1, "%s %s=%q", m.name, p.field, id)
				if id == "/" && reqs[0].Operation == "" {
					// net/http's ServeMux reads a segment that unescapes to
					// exactly "/" as a trailing slash, so the fake finds no
					// route: a 404 that reaches no resource. The path the
					// SDK sent is still checked below.
					assert.Contains(t, apiErr.Message, "no route")
				} else {
					assert.Equal(t, m.op, reqs[0].Operation, "%s %s=%q routed to its own operation", m.name, p.field, id)
				}
				want := pathSegments(t, m.pattern)
				for _, q := range m.params {
					for i, s := range want {
						if s == q.pattern {
							want[i] = q.get(ids)
						}
					}
				}
				assert.Equal(t, want, pathSegments(t, reqs[0].Path), "%s %s=%q arrives exactly", m.name, p.field, id)
			}
		}
	}
	t.Logf("%d adversarial path parameters sent", tried)
}

// TestAdversarialUserIDsFindTheirOwnUser creates an end user in the fake for
// every adversarial external ID (valid UTF-8 only: JSON cannot carry the
// rest), then reads, lists connections of and deletes each through its ID in
// the path, checking every call lands on that user and no other.
func TestAdversarialUserIDsFindTheirOwnUser(t *testing.T) {
	t.Parallel()
	c, seeded := startSeeded(t)
	ctx := t.Context()
	hubID := seeded.HubID
	internal := map[string]string{} // external ID -> internal ID
	for _, id := range adversarialIDs {
		if !utf8.ValidString(id) || id == "/" {
			continue // "/": see TestAdversarialIDsReachTheFakeExactly
		}
		u := createUser(t, c, hubID, id)
		require.Equal(t, id, u.ExternalID)
		internal[id] = u.ID
	}
	for id, in := range internal {
		u, err := c.Users.Get(ctx, hubID, versori.ExternalUser(id))
		require.NoError(t, err, "%q", id)
		assert.Equal(t, in, u.ID, "%q finds its own user", id)
		u, err = c.Users.Get(ctx, hubID, versori.InternalUser(in))
		require.NoError(t, err)
		assert.Equal(t, id, u.ExternalID)
		page, err := c.Connections.List(ctx, hubID, versori.ExternalUser(id), nil)
		require.NoError(t, err, "%q", id)
		assert.Len(t, page.Connections, 1, "%q", id)
	}
	left := len(internal)
	for id := range internal {
		require.NoError(t, c.Users.Delete(ctx, hubID, versori.ExternalUser(id)), "%q", id)
		left--
		_, err := c.Users.Get(ctx, hubID, versori.ExternalUser(id))
		assert.ErrorIs(t, err, versori.ErrNotFound, "%q is gone", id)
		assert.Len(t, collect(t, c.Users.All(ctx, hubID, nil)), left, "deleting %q deleted no other user", id)
	}
	t.Logf("%d end users with adversarial external IDs created, read and deleted", len(internal))
}

// TestUnsendableHeaderValuesRefusedBeforeSending: options whose headers
// net/http refuses on every request (a control character, a
// connection-level header HTTP/2 forbids) are refused by NewClient, and a
// token no request can carry (white space, a control character) by the call,
// before any attempt. Accepted, every call failed at the transport, was
// reported as maybe processed, and was retried.
func TestUnsendableHeaderValuesRefusedBeforeSending(t *testing.T) {
	refused := map[string]versori.Option{
		"WithHeader: a control character":    versori.WithHeader("X-Trace", "a\x01b"),
		"WithHeader: DEL":                    versori.WithHeader("X-Trace", "a\x7f"),
		"WithUserAgent: a control character": versori.WithUserAgent("acme\x1b[31m/1.0"),
		"WithHeader: Connection":             versori.WithHeader("Connection", "upgrade"),
		"WithHeader: Upgrade":                versori.WithHeader("Upgrade", "websocket"),
		"WithHeader: Keep-Alive":             versori.WithHeader("Keep-Alive", "timeout=5"),
		"WithHeader: Proxy-Connection":       versori.WithHeader("Proxy-Connection", "keep-alive"),
		"WithHeader: TE":                     versori.WithHeader("TE", "gzip"),
		"WithHeader: Trailer":                versori.WithHeader("Trailer", "X-A"),
	}
	for name, opt := range refused {
		_, err := versori.NewClient(versori.WithAPIKey("k"), opt)
		assert.ErrorIs(t, err, versori.ErrValidation, name)
	}
	_, err := versori.NewClient(versori.WithAPIKey("k"), versori.WithHeader("X-Trace", "tab\tis fine"))
	assert.NoError(t, err, "a tab is a valid header value")

	for name, tok := range map[string]string{
		"CRLF":        "eyJ.a.b\r\nX-Evil: 1",
		"inner space": "eyJ.a b.c",
		"control":     "eyJ.a\x00.c",
		"DEL":         "eyJ.a\x7f.c",
	} {
		t.Run("token: "+name, func(t *testing.T) {
			srv := startNetHTTP(t, kindH2, healthy)
			c := newHostileClient(t, srv, versori.WithTokenSource(versori.StaticToken(tok)))
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_, err := c.Hubs.Get(ctx, hostileHubID)
			require.Error(t, err)
			assert.ErrorIs(t, err, versori.ErrNotSent, "a token no request can carry is not sent")
			assert.Zero(t, c.rt.total(), "nor attempted, nor retried")
			assert.NotContains(t, err.Error(), "eyJ", "the error does not show the token")
		})
	}
}

// TestEndedContextSendsNothing: a call whose context has already ended
// sends nothing, and says so (a GET once reported it may have been
// processed); a timeout too short for any attempt ends in the deadline.
func TestEndedContextSendsNothing(t *testing.T) {
	srv := startNetHTTP(t, kindHTTP1, healthy)
	c := newHostileClient(t, srv)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	past, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	for name, ctx := range map[string]context.Context{"cancelled": cancelled, "deadline passed": past} {
		for _, m := range hostileMethods {
			err := m.do(ctx, c.Client)
			assert.ErrorIs(t, err, versori.ErrNotSent, "%s %s", name, m.name)
			assert.ErrorIs(t, err, ctx.Err(), "%s %s", name, m.name)
		}
	}
	err := callGetHub.do(context.Background(), c.Client)
	require.NoError(t, err)
	for _, opt := range []versori.Option{versori.WithTimeout(time.Nanosecond), versori.WithTimeout(1)} {
		_, err := c.Hubs.Get(context.Background(), hostileHubID, opt)
		if err != nil {
			assert.ErrorIs(t, err, context.DeadlineExceeded)
		}
	}
	assert.Equal(t, 1, c.rt.total(), "only the healthy call reached the transport")
}

// TestUnknownSchemeRawMustAgreeWithType: an UnknownScheme is sent as its
// Raw, but the SDK's checks read its Type: the two may disagree.
func TestUnknownSchemeRawMustAgreeWithType(t *testing.T) {
	t.Skip("FINDING (low): UnknownScheme{Type: \"saml\", Raw: {...\"schemeType\":\"basic-auth\"...}} is sent as a basic-auth " +
		"config while SchemeTypeOf/AcceptedCredentials/checkFits see \"saml\" (any credential fits), and the config's ID and " +
		"Description (withID mints one) are dropped for Raw. The raw pass-through of known types is a deliberate escape hatch " +
		"(connections_test.go sends binary credentials through UnknownScheme{Type: \"none\"}), so refusing is a design decision; " +
		"at least Raw's schemeType should equal Type.")
	srv := startNetHTTP(t, kindHTTP1, healthy)
	c := newHostileClient(t, srv)
	p := hostileHubParams()
	p.AuthSchemeConfig = versori.AuthSchemeConfig{Scheme: versori.UnknownScheme{Type: "saml",
		Raw: versori.NewSecretJSON([]byte(`{"id":"01ASC","description":"","schemeType":"basic-auth"}`))}}
	_, err := c.Hubs.Create(context.Background(), p)
	assert.ErrorIs(t, err, versori.ErrValidation, "Raw's schemeType is not Type")
}
