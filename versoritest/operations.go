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
	{OpGetHub, "GET /hubs/{hub_id}", (*Fake).getHub},
	{OpUpdateHubDetails, "PATCH /hubs/{hub_id}", (*Fake).updateHub},
	{OpDeleteHub, "DELETE /hubs/{hub_id}", (*Fake).deleteHub},
	{OpCreateEndUser, "POST /hubs/{hub_id}/users", (*Fake).createEndUser},
	{OpListEndUsers, "GET /hubs/{hub_id}/users", (*Fake).listEndUsers},
	{OpGetEndUser, "GET /hubs/{hub_id}/users/{user_id}", (*Fake).getEndUser},
	{OpDeleteEndUser, "DELETE /hubs/{hub_id}/users/{user_id}", (*Fake).deleteEndUser},
	{OpCreateEndUserConnection, "POST /hubs/{hub_id}/users/{user_id}/connections", (*Fake).createEndUserConnection},
	{OpListEndUserConnections, "GET /hubs/{hub_id}/users/{user_id}/connections", (*Fake).listEndUserConnections},
	{OpCreateIntegration, "POST /hubs/{hub_id}/integrations", (*Fake).createIntegration},
	{OpListIntegrations, "GET /hubs/{hub_id}/integrations", (*Fake).listIntegrations},
	{OpDeleteIntegration, "DELETE /integrations/{integration_id}", (*Fake).deleteIntegration},
	{OpUpdateIntegration, "PATCH /integrations/{integration_id}", (*Fake).updateIntegration},
	{OpGetIntegration, "GET /integrations/{integration_id}", (*Fake).getIntegration},
	{OpCreateHubConnectionTemplate, "POST /integrations/{integration_id}/connection-templates", (*Fake).createTemplate},
	{OpListIntegrationConnectionTemplates, "GET /integrations/{integration_id}/connection-templates", (*Fake).listTemplates},
	{OpUpdateIntegrationMetadata, "PUT /integrations/{integration_id}/metadata", (*Fake).updateIntegrationMetadata},
	{OpGetDynamicVariables, "GET /integrations/{integration_id}/users/{user_id}/variables", (*Fake).getDynamicVariables},
	{OpUpdateDynamicVariablesInternal, "PUT /integrations/{integration_id}/users/{user_id}/variables", (*Fake).updateDynamicVariablesInternal},
	{OpGetEndUserConnection, "GET /connection-templates/{connection_template_id}/users/{user_id}", (*Fake).getEndUserConnection},
	{OpListEndUserIntegrations, "GET /embed/{hub_id}/users/{user_id}/integrations", (*Fake).listEndUserIntegrations},
	{OpGetEmbeddedIntegration, "GET /embed/{hub_id}/users/{user_id}/integrations/{integration_id}", (*Fake).getEmbeddedIntegration},
	{OpInitialiseOAuth2EmbeddedConnection, "POST /embed/{hub_id}/connector/{connector_id}/oauth2/initialise", (*Fake).initialiseOAuth2},
	{OpListEndUserActivations, "GET /embed/{hub_id}/users/{user_id}/activations", (*Fake).listEndUserActivations},
	{OpActivateIntegration, "POST /activations", (*Fake).activateIntegration},
	{OpGetActivation, "GET /activations/{activation_id}", (*Fake).getActivation},
	{OpDeleteActivation, "DELETE /activations/{activation_id}", (*Fake).deleteActivation},
	{OpUpdateDynamicVariables, "PUT /activations/{activation_id}/variables", (*Fake).updateDynamicVariables},
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
