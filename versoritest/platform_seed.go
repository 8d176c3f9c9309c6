package versoritest

import (
	"maps"
	"slices"
)

// SeededPlatform describes the Platform API's seed: one project with one environment
// whose connection templates use a system of each kind of auth, so that an end user can be
// given a connection of every kind and activated. The organisation is the v1 seed's
// (Seeded.OrganisationID).
type SeededPlatform struct {
	ProjectID     string
	EnvironmentID string
	Systems       []SeededSystem             // Acme CRM, Zendesk, Shopify, NetSuite, Trello, Slack
	Templates     []SeededConnectionTemplate // the environment's: one per system, all dynamic but Slack's

	// OAuth2ClientCredentialID is the organisation's credential holding Shopify's OAuth 2.0
	// client secret: the credential.id for InitialiseOAuth2Connection (also in Shopify's
	// auth scheme config, grant.authorizationCode.credentialId).
	OAuth2ClientCredentialID string
	// OAuth1CredentialID is the credential Trello's OAuth 1.0 config names (credentialId):
	// the credential.id for InitialiseOAuth1Connection.
	OAuth1CredentialID string
	// StaticConnectionID is the static connection linked to Slack's (static) template.
	StaticConnectionID string
}

// SeededSystem is a seeded system and its one auth scheme config.
type SeededSystem struct {
	ID, Name, Domain   string
	AuthSchemeConfigID string // a client-chosen name such as "acme-api-key"
	SchemeType         string // AuthSchemeType: api-key, basic-auth, oauth2 or oauth1
	GrantType          string // for oauth2: authorizationCode or clientCredentials
}

// SeededConnectionTemplate is a seeded connection template of the environment. ID is the
// template's own ID (connectionTemplateId); the API's ConnectionTemplate.id is SystemID.
type SeededConnectionTemplate struct {
	ID, SystemID, Name    string
	Dynamic               bool
	SchemeType, GrantType string // as in SeededSystem
}

func (s SeededPlatform) clone() SeededPlatform {
	s.Systems = slices.Clone(s.Systems)
	s.Templates = slices.Clone(s.Templates)
	return s
}

// seededVariablesSchema is the seeded project's dynamic variables schema.
func seededVariablesSchema() object {
	return object{
		"type": "object",
		"properties": object{
			"syncIntervalMinutes": object{"type": "integer", "minimum": 5, "maximum": 1440, "description": "How often orders are synced."},
			"region":              object{"type": "string", "enum": []any{"eu", "us"}},
			"notifyEmail":         object{"type": "string", "minLength": 3},
		},
		"additionalProperties": false,
	}
}

// seedPlatform builds the Platform world. Callers hold f.mu.
func (f *Fake) seedPlatform() {
	ps := &f.st.platform
	now := f.now()
	org := f.st.orgID
	sp := &f.seeded.Platform

	orgCredential := func(name, typ string, data object) string {
		c := &pCredential{id: f.newID(), name: name, typ: typ, data: data, createdAt: now}
		ps.credentials.put(c.id, c)
		return c.id
	}
	sp.OAuth2ClientCredentialID = orgCredential("Shopify OAuth client", credOAuth2Client, object{"oauth2Client": object{
		"clientId": "shopify-client-id", "clientSecret": "shopify-client-secret", "tokenUrl": shopifyTokenURL,
	}})
	sp.OAuth1CredentialID = orgCredential("Trello consumer secret", credString, object{"string": object{"value": "trello-consumer-secret"}})

	type seedSystem struct {
		name, domain, baseURL, templateName string
		dynamic                             bool
		scheme                              object
	}
	member := func(id, description string, fields object) object {
		out := object{"id": id, "description": description}
		maps.Copy(out, fields)
		return out
	}
	systems := []seedSystem{
		{"Acme CRM", "acme.example", "https://api.acme.example", "acme", true, object{"type": schemeAPIKey,
			"apiKey": member("acme-api-key", "Acme CRM API key", object{"name": "X-API-Key", "in": "header"})}},
		{"Zendesk", "zendesk.com", "https://acme.zendesk.com/api/v2", "zendesk", true, object{"type": schemeBasicAuth,
			"basicAuth": member("zendesk-basic", "Zendesk agent login", nil)}},
		{"Shopify", "shopify.com", "https://shop.myshopify.com/admin/api/2025-01", "shopify", true, object{"type": schemeOAuth2,
			"oauth2": shopifyOAuth2(object{"id": "shopify-oauth",
				"grant": object{"type": "authorizationCode", "authorizationCode": object{
					"credentialId": sp.OAuth2ClientCredentialID, "organisationId": org,
					"clientId": "shopify-client-id", "clientSecret": "shopify-client-secret",
				}},
			})}},
		{"NetSuite", "netsuite.com", "https://1234567.suitetalk.api.netsuite.com", "netsuite", true, object{"type": schemeOAuth2,
			"oauth2": member("netsuite-client-credentials", "NetSuite machine to machine", object{
				"tokenUrl":      "https://1234567.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token",
				"scopes":        []any{object{"name": "rest_webservices"}},
				"defaultScopes": []any{"rest_webservices"},
				"grant":         object{"type": "clientCredentials", "clientCredentials": object{}},
			})}},
		{"Trello", "trello.com", "https://api.trello.com/1", "trello", true, object{"type": "oauth1",
			"oauth1": member("trello-oauth1", "Trello OAuth 1.0", object{
				"consumerKey": "trello-consumer-key", "consumerSecret": "trello-consumer-secret", "signatureMethod": "sha1",
				"tempCredentialEndpoint":             object{"url": "https://trello.com/1/OAuthGetRequestToken"},
				"resourceOwnerAuthorizationEndpoint": object{"url": "https://trello.com/1/OAuthAuthorizeToken"},
				"tokenEndpoint":                      object{"url": "https://trello.com/1/OAuthGetAccessToken"},
				"credentialId":                       sp.OAuth1CredentialID,
			})}},
		{"Slack", "slack.com", "https://slack.com/api", "slack", false, object{"type": schemeAPIKey,
			"apiKey": member("slack-bot-token", "Slack bot token", object{"name": "Authorization", "in": "header"})}},
	}

	p := &pProject{id: f.newID(), name: "Orders Sync", variablesSchema: seededVariablesSchema(), createdAt: now, updatedAt: now}
	ps.projects.put(p.id, p)
	env := &pEnvironment{
		id: f.newID(), projectID: p.id, name: "production", status: "running",
		publicURL: "https://orders-sync.versori.example", staticVariables: object{}, createdAt: now, updatedAt: now,
	}
	ps.environments.put(env.id, env)
	sp.ProjectID, sp.EnvironmentID = p.id, env.id

	for _, ss := range systems {
		s := &pSystem{id: f.newID(), name: ss.name, domain: ss.domain, templateBaseURL: ss.baseURL, schemes: []object{ss.scheme}, createdAt: now}
		ps.systems.put(s.id, s)
		t := &pTemplate{id: f.newID(), projectID: p.id, envID: env.id, systemID: s.id, name: ss.templateName, dynamic: ss.dynamic, createdAt: now}
		ps.templates.put(t.id, t)
		typ := ss.scheme["type"].(string)
		grant := asString(digKeys(ss.scheme, "oauth2", "grant", "type"))
		sp.Systems = append(sp.Systems, SeededSystem{ID: s.id, Name: s.name, Domain: s.domain, AuthSchemeConfigID: pSchemeID(ss.scheme), SchemeType: typ, GrantType: grant})
		sp.Templates = append(sp.Templates, SeededConnectionTemplate{ID: t.id, SystemID: s.id, Name: t.name, Dynamic: t.dynamic, SchemeType: typ, GrantType: grant})
		if !ss.dynamic {
			slackToken := orgCredential("Slack bot token", credString, object{"string": object{"value": "xoxb-fake-slack-token"}})
			conn := &pConnection{
				id: f.newID(), name: "Slack alerts", systemID: s.id, templateID: t.id,
				creds:     []pConnCred{{id: f.newID(), scheme: copyObject(ss.scheme), credID: slackToken}},
				links:     map[string]bool{t.id: true},
				createdAt: now, updatedAt: now,
			}
			ps.connections.put(conn.id, conn)
			sp.StaticConnectionID = conn.id
		}
	}
}
