package versoritest

import "maps"

// Seeded describes what NewFake seeded, so tests and examples can find IDs. With WithoutSeed
// only OrganisationID is set.
type Seeded struct {
	OrganisationID     string
	HubID              string
	PrimaryConnectorID string
	Integrations       []SeededIntegration // two deployed, then one not deployed

	Platform SeededPlatform // the Platform API's seed (platform_seed.go)
}

// SeededIntegration is a seeded integration and its connection templates.
type SeededIntegration struct {
	ID, Name  string
	Deployed  bool
	Templates []SeededTemplate
}

// SeededTemplate is a seeded connection template; SchemeType is its auth scheme's type.
type SeededTemplate struct {
	ID, ConnectorID, Name string
	Primary               bool
	SchemeType            string
	// For an oauth2 template, the OAuth 2.0 client its grant names: the oauth2-client
	// credential (grant.credentialId) and its client ID, as InitialiseOAuth2 needs them.
	OAuth2ClientCredentialID, OAuth2ClientID string
}

// seededShopifyClientID is the client ID of the seeded Shopify OAuth 2.0 client.
const seededShopifyClientID = "acme-shopify-app"

// Where the seeded Shopify app, in both APIs' seeds, sends users to authorise and gets
// its tokens.
const (
	shopifyAuthorizeURL = "https://accounts.shopify.com/oauth/authorize"
	shopifyTokenURL     = "https://accounts.shopify.com/oauth/token"
)

// shopifyOAuth2 is the seeded Shopify app's OAuth 2.0 auth scheme config, the same in both
// APIs' seeds but for the fields each adds: its ID, scheme type and grant.
func shopifyOAuth2(fields object) object {
	scheme := object{
		"description": "Shopify OAuth 2.0", "authorizeUrl": shopifyAuthorizeURL, "tokenUrl": shopifyTokenURL,
		"scopes": []any{
			object{"name": "read_orders", "description": "Read orders"},
			object{"name": "write_orders", "description": "Modify orders"},
		},
		"defaultScopes": []any{"read_orders"},
	}
	maps.Copy(scheme, fields)
	return scheme
}

// seed builds the default world: the hub "Acme Embedded Hub" built around an "Acme CRM"
// connector (API key in X-API-Key), and three integrations. Callers hold f.mu.
func (f *Fake) seed() {
	acme := f.addConnector("Acme CRM", "https://assets.acme.example/brand/acme-crm-logo.png")
	shopify := f.addConnector("Shopify", "https://cdn.shopify.com/static/shopify-favicon.png")
	slack := f.addConnector("Slack", "https://a.slack-edge.com/80588/marketing/img/meta/slack_hash_128.png")

	acmeScheme := func() object {
		return object{"id": f.newID(), "description": "Acme CRM API key", "schemeType": schemeAPIKey, "name": "X-API-Key", "in": "header"}
	}
	// The hub's Shopify app: its client secret lives in an oauth2-client credential that
	// the template's grant names, as the API stores it.
	shopifyClient := &credential{
		id: f.newID(), orgID: f.st.orgID, name: "Shopify OAuth 2.0 client", typ: credOAuth2Client,
		data: object{
			"clientId": seededShopifyClientID, "clientSecret": randomToken(),
			"authorizeUrl": shopifyAuthorizeURL, "tokenUrl": shopifyTokenURL,
		},
	}
	f.st.credentials.put(shopifyClient.id, shopifyClient)
	shopifyScheme := shopifyOAuth2(object{
		"id": f.newID(), "schemeType": schemeOAuth2,
		"grant": object{
			"grantType": "authorization_code", "clientId": seededShopifyClientID,
			"credentialId": shopifyClient.id, "organisationId": f.st.orgID,
		},
	})
	slackScheme := object{"id": f.newID(), "description": "Slack bot token", "schemeType": schemeAPIKey, "name": "Authorization", "in": "header"}

	h := &hub{
		id: f.newID(), orgID: f.st.orgID, name: "Acme Embedded Hub", primaryConnector: acme.id,
		authSchemeConfig: acmeScheme(), isDefault: true, createdAt: f.now(),
	}
	f.st.hubs.put(h.id, h)
	f.seeded.HubID = h.id
	f.seeded.PrimaryConnectorID = acme.id

	type tmpl struct {
		c      *connector
		scheme object
	}
	add := func(name, description string, deployed bool, image string, templates ...tmpl) {
		in := &integration{
			id: f.newID(), hubID: h.id, name: name, imageURL: image, description: description,
			boardID: f.newID(), deployed: deployed, createdAt: f.now(),
		}
		f.st.integrations.put(in.id, in)
		si := SeededIntegration{ID: in.id, Name: name, Deployed: deployed}
		for _, t := range templates {
			st := f.storeTemplate(in, templateInput{connectorID: t.c.id, scheme: t.scheme}, true)
			seeded := SeededTemplate{
				ID: st.id, ConnectorID: t.c.id, Name: t.c.name,
				Primary: t.c.id == acme.id, SchemeType: t.scheme["schemeType"].(string),
			}
			if g, ok := t.scheme["grant"].(object); ok {
				seeded.OAuth2ClientCredentialID, _ = g["credentialId"].(string)
				seeded.OAuth2ClientID, _ = g["clientId"].(string)
			}
			si.Templates = append(si.Templates, seeded)
		}
		f.seeded.Integrations = append(f.seeded.Integrations, si)
	}
	add("Shopify Orders Sync", "Sync Shopify orders into Acme CRM.", true, shopify.imageURL,
		tmpl{acme, acmeScheme()}, tmpl{shopify, shopifyScheme})
	add("Slack Alerts", "Post Acme CRM alerts to a Slack channel.", true, slack.imageURL,
		tmpl{acme, acmeScheme()}, tmpl{slack, slackScheme})
	add("Beta Integration", "An integration still being built.", false, defaultIntegrationImageURL,
		tmpl{acme, acmeScheme()})

	f.seedPlatform()
}

func (f *Fake) addConnector(name, image string) *connector {
	c := &connector{id: f.newID(), name: name, imageURL: image}
	f.st.connectors.put(c.id, c)
	return c
}
