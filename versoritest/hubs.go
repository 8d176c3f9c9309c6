package versoritest

import (
	"net/http"
)

// Images used where the API requires an imageUrl but nothing supplied one. They must be
// absolute URLs because the spec marks imageUrl `format: uri`.
const (
	defaultConnectorImageURL   = "https://assets.versori.com/images/connector-placeholder.png"
	defaultIntegrationImageURL = "https://assets.versori.com/images/integration-placeholder.png"
)

// connectorFor returns the connector with this ID, registering an unknown one: the
// Embedded API has no connector endpoints, so any connector ID a client names is accepted.
func (f *Fake) connectorFor(id string) *connector {
	c := f.st.connectors[id]
	if c == nil {
		c = &connector{id: id, name: "Connector " + id, imageURL: defaultConnectorImageURL}
		f.st.connectors.put(id, c)
	}
	return c
}

// hubFromPath finds {hub_id}, even soft-deleted: a deleted hub still serves its users,
// integrations and activations by ID, as the spec's DeleteHub says.
func (f *Fake) hubFromPath(r *http.Request) (*hub, *apiError) {
	return f.st.hubs.find("hub", r.PathValue("hub_id"))
}

// liveHubFromPath finds {hub_id} unless soft-deleted: a deleted hub is hidden from the hub
// endpoints and takes no new end users or integrations.
func (f *Fake) liveHubFromPath(r *http.Request) (*hub, *apiError) {
	h, e := f.hubFromPath(r)
	if e == nil && h.deleted {
		return nil, notFound("hub %q not found", h.id)
	}
	return h, e
}

type hubJSON struct {
	ID               string            `json:"id"`
	Name             string            `json:"name"`
	PrimaryConnector connectorInfoJSON `json:"primaryConnector"`
	IsDefault        bool              `json:"isDefault"`
}

// connectorInfoJSON is the spec's ConnectorInfo, which it describes as it does a
// HubConnectionTemplate: a connector as a hub or integration uses it.
type connectorInfoJSON struct {
	ConnectorID      string               `json:"connectorId"`
	Name             string               `json:"name"`
	ImageURL         string               `json:"imageUrl"`
	Variables        []connectionVariable `json:"variables"`
	AuthSchemeConfig object               `json:"authSchemeConfig"`
}

// connectorInfo says what a hub or template says of its connector: its name and image,
// and the auth scheme config it is used with, redacted.
func (f *Fake) connectorInfo(connectorID string, scheme object) connectorInfoJSON {
	c := f.connectorFor(connectorID)
	return connectorInfoJSON{
		ConnectorID: c.id, Name: c.name, ImageURL: c.imageURL,
		Variables: []connectionVariable{}, AuthSchemeConfig: redact(scheme),
	}
}

func (f *Fake) renderHub(h *hub) hubJSON {
	return hubJSON{
		ID: h.id, Name: h.name, IsDefault: h.isDefault,
		PrimaryConnector: f.connectorInfo(h.primaryConnector, h.authSchemeConfig),
	}
}

func (f *Fake) listHubs(r *http.Request) (int, any, *apiError) {
	if r.PathValue("organisation_id") != f.st.orgID {
		return 0, nil, notFound("organisation %q not found", r.PathValue("organisation_id"))
	}
	// The spec calls this paginated but declares no cursor parameters: all hubs, one page.
	out := renderAll(f.st.hubs.sorted(func(h *hub) bool { return !h.deleted }), f.renderHub)
	return http.StatusOK, listJSON{pageInfo{TotalCount: len(out)}, "hubs", out}, nil
}

func (f *Fake) createHub(r *http.Request) (int, any, *apiError) {
	v, body := validateBody(r)
	if org, ok := v.ulidField(body, "organisationId", "organisationId", true); ok && org != f.st.orgID {
		v.add("organisationId", "organisation %s is not this API key's organisation", org)
	}
	name, _ := v.nonEmpty(body, "name", "name", true)
	connectorID, _ := v.ulidField(body, "primaryConnectorId", "primaryConnectorId", true)
	var scheme object
	if m, ok := v.obj(body, "authSchemeConfig", "authSchemeConfig", true); ok {
		scheme = validateAuthScheme(v, m, "authSchemeConfig")
		f.checkGrantCredential(v, scheme, "authSchemeConfig")
	}
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	h := &hub{
		id: f.newID(), orgID: f.st.orgID, name: name, primaryConnector: connectorID,
		authSchemeConfig: f.storeGrantCredential(scheme), createdAt: f.now(),
	}
	f.connectorFor(connectorID)
	// An organisation's first hub becomes its default, so there always is one to find.
	h.isDefault = f.st.hubs.first(func(o *hub) bool { return !o.deleted && o.isDefault }) == nil
	f.st.hubs.put(h.id, h)
	return http.StatusCreated, f.renderHub(h), nil
}

func (f *Fake) getHub(_ *http.Request, h *hub) (int, any, *apiError) {
	return http.StatusOK, f.renderHub(h), nil
}

func (f *Fake) updateHub(r *http.Request, h *hub) (int, any, *apiError) {
	v, body := validateBody(r)
	name, hasName := v.nonEmpty(body, "name", "name", false)
	isDefault, hasDefault := v.boolean(body, "isDefault", "isDefault")
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	if hasName {
		h.name = name
	}
	if hasDefault {
		if isDefault {
			// Only one hub of an organisation can be its default.
			for _, other := range f.st.hubs {
				if other.orgID == h.orgID {
					other.isDefault = false
				}
			}
		}
		h.isDefault = isDefault
	}
	return http.StatusOK, f.renderHub(h), nil
}

func (f *Fake) deleteHub(_ *http.Request, h *hub) (int, any, *apiError) {
	h.deleted = true
	h.isDefault = false
	return http.StatusNoContent, nil, nil
}
