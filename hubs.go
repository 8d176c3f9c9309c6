package versori

import (
	"cmp"
	"context"
	"net/http"
)

// HubsService calls the hub operations. A hub groups an organisation's
// embedded integrations around one primary connector.
type HubsService service

// List returns every hub of an organisation (ListHubs): organisationID, or
// the client's (WithOrganisationID) when it is "". The API returns them all
// in one page.
func (s *HubsService) List(ctx context.Context, organisationID string, opts ...Option) (*HubPage, error) {
	org, err := segment("organisationID", cmp.Or(organisationID, clientOf(s).OrganisationID()))
	return send(ctx, s, err, call{op: "ListHubs", method: http.MethodGet, path: "/o/" + org + "/hubs"}, new(HubPage), opts)
}

// Create creates a hub (CreateHub).
func (s *HubsService) Create(ctx context.Context, params CreateHubParams, opts ...Option) (*Hub, error) {
	params.OrganisationID = cmp.Or(params.OrganisationID, clientOf(s).OrganisationID())
	params.AuthSchemeConfig = params.AuthSchemeConfig.withID()
	return send(ctx, s, params.validate(), call{op: "CreateHub", method: http.MethodPost, path: "/hubs", body: params}, new(Hub), opts)
}

// Get returns a hub (GetHub).
func (s *HubsService) Get(ctx context.Context, hubID string, opts ...Option) (*Hub, error) {
	hub, err := segment("hubID", hubID)
	return send(ctx, s, err, call{op: "GetHub", method: http.MethodGet, path: "/hubs/" + hub}, new(Hub), opts)
}

// Update changes a hub's name or default flag (UpdateHubDetails); fields left
// zero are not changed.
func (s *HubsService) Update(ctx context.Context, hubID string, params UpdateHubParams, opts ...Option) (*Hub, error) {
	hub, err := segment("hubID", hubID)
	return send(ctx, s, err, call{op: "UpdateHubDetails", method: http.MethodPatch, path: "/hubs/" + hub, body: params}, new(Hub), opts)
}

// Delete soft-deletes a hub (DeleteHub). Its users, integrations and
// activations keep working by ID, and its integrations stay deployed.
func (s *HubsService) Delete(ctx context.Context, hubID string, opts ...Option) error {
	hub, err := segment("hubID", hubID)
	return exec(ctx, s, err, call{op: "DeleteHub", method: http.MethodDelete, path: "/hubs/" + hub}, nil, opts)
}

// Hub is a hub of an organisation.
type Hub struct {
	ID               string        `json:"id" required:"true"`
	Name             string        `json:"name" required:"true"`
	PrimaryConnector ConnectorInfo `json:"primaryConnector" required:"true"`
	IsDefault        bool          `json:"isDefault" required:"true"` // the organisation's default hub
}

// ConnectorInfo describes a hub's primary connector and how end users
// authenticate to it.
type ConnectorInfo struct {
	ConnectorID      string               `json:"connectorId" required:"true"`
	Name             string               `json:"name" required:"true"`
	ImageURL         string               `json:"imageUrl" required:"true"`
	Variables        []ConnectionVariable `json:"variables" required:"true"`
	AuthSchemeConfig AuthSchemeConfig     `json:"authSchemeConfig" required:"true"`
}

// HubPage is the result of HubsService.List.
type HubPage struct {
	PageInfo
	Hubs []Hub `json:"hubs" required:"true"`
}

// CreateHubParams is the body of HubsService.Create.
type CreateHubParams struct {
	OrganisationID     string           `json:"organisationId"`
	Name               string           `json:"name"`
	PrimaryConnectorID string           `json:"primaryConnectorId"` // the connector the hub is built around
	AuthSchemeConfig   AuthSchemeConfig `json:"authSchemeConfig"`   // how end users authenticate to it
}

func (p CreateHubParams) validate() error {
	return cmp.Or(
		required("organisationId", p.OrganisationID),
		required("name", p.Name),
		required("primaryConnectorId", p.PrimaryConnectorID),
		p.AuthSchemeConfig.validate("authSchemeConfig"),
	)
}

// UpdateHubParams is the body of HubsService.Update. Zero fields are left unchanged.
type UpdateHubParams struct {
	Name      string `json:"name,omitempty"`
	IsDefault *bool  `json:"isDefault,omitempty"` // use Ptr(true) or Ptr(false); nil leaves it unchanged
}
