package versoritest

import "net/http"

// Operation IDs, exactly as the spec's operationId values. FailNext and Request.Operation
// use them.
const (
	OpListHubs                           = "ListHubs"
	OpCreateHub                          = "CreateHub"
	OpGetHub                             = "GetHub"
	OpUpdateHubDetails                   = "UpdateHubDetails"
	OpDeleteHub                          = "DeleteHub"
	OpCreateEndUser                      = "CreateEndUser"
	OpListEndUsers                       = "ListEndUsers"
	OpGetEndUser                         = "GetEndUser"
	OpDeleteEndUser                      = "DeleteEndUser"
	OpCreateEndUserConnection            = "CreateEndUserConnection"
	OpListEndUserConnections             = "ListEndUserConnections"
	OpCreateIntegration                  = "CreateIntegration"
	OpListIntegrations                   = "ListIntegrations"
	OpDeleteIntegration                  = "DeleteIntegration"
	OpUpdateIntegration                  = "UpdateIntegration"
	OpGetIntegration                     = "GetIntegration"
	OpCreateHubConnectionTemplate        = "CreateHubConnectionTemplate"
	OpListIntegrationConnectionTemplates = "ListIntegrationConnectionTemplates"
	OpUpdateIntegrationMetadata          = "UpdateIntegrationMetadata"
	OpGetDynamicVariables                = "GetDynamicVariables"
	OpUpdateDynamicVariablesInternal     = "UpdateDynamicVariablesInternal"
	OpGetEndUserConnection               = "GetEndUserConnection"
	OpListEndUserIntegrations            = "ListEndUserIntegrations"
	OpGetEmbeddedIntegration             = "GetEmbeddedIntegration"
	OpInitialiseOAuth2EmbeddedConnection = "InitialiseOAuth2EmbeddedConnection"
	OpListEndUserActivations             = "ListEndUserActivations"
	OpActivateIntegration                = "ActivateIntegration"
	OpGetActivation                      = "GetActivation"
	OpDeleteActivation                   = "DeleteActivation"
	OpUpdateDynamicVariables             = "UpdateDynamicVariables"
	OpHealthCheck                        = "HealthCheck"
)

// handlerFunc is an operation's logic. It runs with Fake.mu held and returns the status and
// body to send (body nil for 204), or an error in the spec's Error shape.
type handlerFunc func(f *Fake, r *http.Request) (int, any, *apiError)

// on makes the handler of an operation on the resource its path names: load finds the
// resource, or answers the error (a 404, mostly), then act runs with it. Each resource's
// loader says once how its path finds it and who may see it; each route names the one
// it uses.
func on[T any](load func(*Fake, *http.Request) (T, *apiError), act func(*Fake, *http.Request, T) (int, any, *apiError)) handlerFunc {
	return func(f *Fake, r *http.Request) (int, any, *apiError) {
		x, e := load(f, r)
		if e != nil {
			return 0, nil, e
		}
		return act(f, r, x)
	}
}

// route binds an operationId to its ServeMux pattern.
type route struct {
	op      string
	pattern string
	handle  handlerFunc
}

// routes lists every operation in the spec, in the spec's order.
var routes = []route{
	{OpListHubs, "GET /o/{organisation_id}/hubs", (*Fake).listHubs},
	{OpCreateHub, "POST /hubs", (*Fake).createHub},
	{OpGetHub, "GET /hubs/{hub_id}", on((*Fake).liveHubFromPath, (*Fake).getHub)},
	{OpUpdateHubDetails, "PATCH /hubs/{hub_id}", on((*Fake).liveHubFromPath, (*Fake).updateHub)},
	{OpDeleteHub, "DELETE /hubs/{hub_id}", on((*Fake).liveHubFromPath, (*Fake).deleteHub)},
	{OpCreateEndUser, "POST /hubs/{hub_id}/users", on((*Fake).liveHubFromPath, (*Fake).createEndUser)},
	{OpListEndUsers, "GET /hubs/{hub_id}/users", on((*Fake).hubFromPath, (*Fake).listEndUsers)},
	{OpGetEndUser, "GET /hubs/{hub_id}/users/{user_id}", on((*Fake).userFromPath, (*Fake).getEndUser)},
	{OpDeleteEndUser, "DELETE /hubs/{hub_id}/users/{user_id}", on((*Fake).userFromPath, (*Fake).deleteEndUser)},
	{OpCreateEndUserConnection, "POST /hubs/{hub_id}/users/{user_id}/connections", on((*Fake).userFromPath, (*Fake).createEndUserConnection)},
	{OpListEndUserConnections, "GET /hubs/{hub_id}/users/{user_id}/connections", on((*Fake).userFromPath, (*Fake).listEndUserConnections)},
	{OpCreateIntegration, "POST /hubs/{hub_id}/integrations", on((*Fake).liveHubFromPath, (*Fake).createIntegration)},
	{OpListIntegrations, "GET /hubs/{hub_id}/integrations", on((*Fake).hubFromPath, (*Fake).listIntegrations)},
	{OpDeleteIntegration, "DELETE /integrations/{integration_id}", on((*Fake).integrationFromPath, (*Fake).deleteIntegration)},
	{OpUpdateIntegration, "PATCH /integrations/{integration_id}", on((*Fake).integrationFromPath, (*Fake).updateIntegration)},
	{OpGetIntegration, "GET /integrations/{integration_id}", on((*Fake).integrationFromPath, (*Fake).getIntegration)},
	{OpCreateHubConnectionTemplate, "POST /integrations/{integration_id}/connection-templates", on((*Fake).integrationFromPath, (*Fake).createTemplate)},
	{OpListIntegrationConnectionTemplates, "GET /integrations/{integration_id}/connection-templates", on((*Fake).integrationFromPath, (*Fake).listTemplates)},
	{OpUpdateIntegrationMetadata, "PUT /integrations/{integration_id}/metadata", on((*Fake).integrationFromPath, (*Fake).updateIntegrationMetadata)},
	{OpGetDynamicVariables, "GET /integrations/{integration_id}/users/{user_id}/variables", on((*Fake).activationFromVariablesPath, (*Fake).getDynamicVariables)},
	{OpUpdateDynamicVariablesInternal, "PUT /integrations/{integration_id}/users/{user_id}/variables", on((*Fake).activationFromVariablesPath, (*Fake).updateDynamicVariablesInternal)},
	{OpGetEndUserConnection, "GET /connection-templates/{connection_template_id}/users/{user_id}", (*Fake).getEndUserConnection},
	{OpListEndUserIntegrations, "GET /embed/{hub_id}/users/{user_id}/integrations", on((*Fake).userFromPath, (*Fake).listEndUserIntegrations)},
	{OpGetEmbeddedIntegration, "GET /embed/{hub_id}/users/{user_id}/integrations/{integration_id}", on((*Fake).userFromPath, (*Fake).getEmbeddedIntegration)},
	{OpInitialiseOAuth2EmbeddedConnection, "POST /embed/{hub_id}/connector/{connector_id}/oauth2/initialise", on((*Fake).hubFromPath, (*Fake).initialiseOAuth2)},
	{OpListEndUserActivations, "GET /embed/{hub_id}/users/{user_id}/activations", on((*Fake).userFromPath, (*Fake).listEndUserActivations)},
	{OpActivateIntegration, "POST /activations", (*Fake).activateIntegration},
	{OpGetActivation, "GET /activations/{activation_id}", on((*Fake).activationFromPath, (*Fake).getActivation)},
	{OpDeleteActivation, "DELETE /activations/{activation_id}", on((*Fake).activationFromPath, (*Fake).deleteActivation)},
	{OpUpdateDynamicVariables, "PUT /activations/{activation_id}/variables", on((*Fake).activationFromPath, (*Fake).updateDynamicVariables)},
	{OpHealthCheck, "GET /healthz", (*Fake).healthCheck},
}

// Operations returns the operationIds the fake implements, in the spec's order.
func Operations() []string {
	ops := make([]string, len(routes))
	for i, r := range routes {
		ops[i] = r.op
	}
	return ops
}
