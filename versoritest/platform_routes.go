package versoritest

import (
	"net/http"
	"strings"
)

// Base paths of the Platform API (v2) and the Organisations API on the fake's server, as on
// https://platform.versori.com. The Embedded API v1 stays at the server root.
const (
	platformBasePath      = "/api/v2"
	organisationsBasePath = "/api/organisations/v1"
)

// platformOpPrefix starts every Platform and Organisations operation name, so that
// "platform/CreateEndUser" never clashes with v1's "CreateEndUser".
const platformOpPrefix = "platform/"

// isPlatformOp reports whether op is one of the Platform or Organisations operations.
func isPlatformOp(op string) bool { return strings.HasPrefix(op, platformOpPrefix) }

// Operation names of the Platform API (v2) and of the Organisations API's signing-key
// operations: "platform/" + the spec's operationId. FailNext and Request.Operation use them.
const (
	OpPlatformCreateEndUser                   = platformOpPrefix + "CreateEndUser"
	OpPlatformListEndUsers                    = platformOpPrefix + "ListEndUsers"
	OpPlatformGetEndUser                      = platformOpPrefix + "GetEndUser"
	OpPlatformDeleteEndUser                   = platformOpPrefix + "DeleteEndUser"
	OpPlatformActivateUser                    = platformOpPrefix + "ActivateUser"
	OpPlatformListActivations                 = platformOpPrefix + "ListActivations"
	OpPlatformGetActivation                   = platformOpPrefix + "GetActivation"
	OpPlatformDeleteActivation                = platformOpPrefix + "DeleteActivation"
	OpPlatformListUserActivations             = platformOpPrefix + "ListUserActivations"
	OpPlatformSetDynamicVariables             = platformOpPrefix + "SetDynamicVariables"
	OpPlatformSetDynamicVariable              = platformOpPrefix + "SetDynamicVariable"
	OpPlatformSetStaticUserVariables          = platformOpPrefix + "SetStaticUserVariables"
	OpPlatformCreateConnection                = platformOpPrefix + "CreateConnection"
	OpPlatformListConnections                 = platformOpPrefix + "ListConnections"
	OpPlatformGetConnection                   = platformOpPrefix + "GetConnection"
	OpPlatformUpdateConnection                = platformOpPrefix + "UpdateConnection"
	OpPlatformDeleteConnection                = platformOpPrefix + "DeleteConnection"
	OpPlatformLinkConnectionToEnvironment     = platformOpPrefix + "LinkConnectionToEnvironment"
	OpPlatformUnlinkConnectionFromEnvironment = platformOpPrefix + "UnlinkConnectionFromEnvironment"
	OpPlatformGetActivationConnection         = platformOpPrefix + "GetActivationConnection"
	OpPlatformListEnvironmentConnections      = platformOpPrefix + "ListEnvironmentConnections"
	OpPlatformInitialiseOAuth2Connection      = platformOpPrefix + "InitialiseOAuth2Connection"
	OpPlatformInitialiseOAuth1Connection      = platformOpPrefix + "InitialiseOAuth1Connection"
	OpPlatformCreateConnectionTemplate        = platformOpPrefix + "CreateConnectionTemplate"
	OpPlatformListProjectConnectionTemplates  = platformOpPrefix + "ListProjectConnectionTemplates"
	OpPlatformUpdateConnectionTemplate        = platformOpPrefix + "UpdateConnectionTemplate"
	OpPlatformDeleteConnectionTemplate        = platformOpPrefix + "DeleteConnectionTemplate"
	OpPlatformUpsertAuthSchemeConfig          = platformOpPrefix + "UpsertAuthSchemeConfig"
	OpPlatformDeleteAuthSchemeConfig          = platformOpPrefix + "DeleteAuthSchemeConfig"
	OpPlatformListSystems                     = platformOpPrefix + "ListSystems"
	OpPlatformGetSystem                       = platformOpPrefix + "GetSystem"
	OpPlatformListProjects                    = platformOpPrefix + "ListProjects"
	OpPlatformGetProject                      = platformOpPrefix + "GetProject"

	// Organisations API.
	OpPlatformCreateSigningKey = platformOpPrefix + "CreateSigningKey"
	OpPlatformListSigningKeys  = platformOpPrefix + "ListSigningKeys"
	OpPlatformDeleteSigningKey = platformOpPrefix + "DeleteSigningKey"
	OpPlatformGetPublicKey     = platformOpPrefix + "GetPublicKey"
)

// platformRoute binds a Platform or Organisations operation to its ServeMux pattern, and
// says who may call it (see platform_auth.go); its handler finds the caller with callerOf.
type platformRoute struct {
	op        string
	pattern   string
	handle    handlerFunc
	orgsAPI   bool // an Organisations API operation: errors use its Error shape
	public    bool // needs no authentication (GetPublicKey)
	orgWide   bool // acts on the whole organisation: end-user tokens are refused
	noConsole bool // creates or deletes end users, which organisation JWTs may not
}

func pRoute(op, method, path string, h handlerFunc) platformRoute {
	return platformRoute{op: op, pattern: method + " " + platformBasePath + path, handle: h}
}

func orgsRoute(op, method, path string, h handlerFunc) platformRoute {
	return platformRoute{op: op, pattern: method + " " + organisationsBasePath + path, handle: h, orgsAPI: true}
}

// forOrg marks an operation that acts on the whole organisation.
func (rt platformRoute) forOrg() platformRoute { rt.orgWide = true; return rt }

// notForConsole marks an operation that organisation JWTs may not call.
func (rt platformRoute) notForConsole() platformRoute { rt.noConsole = true; return rt }

// forAnyone marks an operation that needs no authentication: the spec tags it public and
// declares no security for it.
func (rt platformRoute) forAnyone() platformRoute { rt.public = true; return rt }

// platformRoutes lists the 37 operations of PLATFORM.md §7, in its order.
var platformRoutes = []platformRoute{
	pRoute(OpPlatformCreateEndUser, "POST", "/o/{organisation_id}/users", (*Fake).pCreateEndUser).notForConsole(),
	pRoute(OpPlatformListEndUsers, "GET", "/o/{organisation_id}/users", (*Fake).pListEndUsers).forOrg(),
	pRoute(OpPlatformGetEndUser, "GET", "/o/{organisation_id}/users/{user_id}", on((*Fake).pUserFromPath, (*Fake).pGetEndUser)),
	pRoute(OpPlatformDeleteEndUser, "DELETE", "/o/{organisation_id}/users/{user_id}", on((*Fake).pUserFromPath, (*Fake).pDeleteEndUser)).notForConsole(),
	pRoute(OpPlatformActivateUser, "POST", "/o/{organisation_id}/activations", (*Fake).pActivateUser),
	pRoute(OpPlatformListActivations, "GET", "/o/{organisation_id}/environments/{environment_id}/activations", on((*Fake).pEnvironmentFromPath, (*Fake).pListActivations)).forOrg(),
	pRoute(OpPlatformGetActivation, "GET", "/o/{organisation_id}/environments/{environment_id}/activations/{activation_id}", on((*Fake).pActivationFromPath, (*Fake).pGetActivation)),
	pRoute(OpPlatformDeleteActivation, "DELETE", "/o/{organisation_id}/environments/{environment_id}/activations/{activation_id}", on((*Fake).pActivationFromPath, (*Fake).pDeleteActivation)),
	pRoute(OpPlatformListUserActivations, "GET", "/o/{organisation_id}/environment/{environment_id}/users/{external_user_id}/activations", on((*Fake).pEnvironmentFromPath, (*Fake).pListUserActivations)),
	pRoute(OpPlatformSetDynamicVariables, "PATCH", "/o/{organisation_id}/environments/{environment_id}/activations/{activation_id}/variables", on((*Fake).pActivationFromPath, (*Fake).pSetDynamicVariables)),
	pRoute(OpPlatformSetDynamicVariable, "PUT", "/o/{organisation_id}/environments/{environment_id}/activations/{activation_id}/variables/{variable_name}", on((*Fake).pActivationFromPath, (*Fake).pSetDynamicVariable)),
	pRoute(OpPlatformSetStaticUserVariables, "PATCH", "/o/{organisation_id}/environments/{environment_id}/variables", on((*Fake).pEnvironmentFromPath, (*Fake).pSetStaticUserVariables)).forOrg(),
	pRoute(OpPlatformCreateConnection, "POST", "/o/{organisation_id}/connections", (*Fake).pCreateConnection),
	pRoute(OpPlatformListConnections, "GET", "/o/{organisation_id}/connections", (*Fake).pListConnections),
	pRoute(OpPlatformGetConnection, "GET", "/o/{organisation_id}/connections/{connection_id}", on((*Fake).pConnectionFromPath, (*Fake).pGetConnection)),
	pRoute(OpPlatformUpdateConnection, "PUT", "/o/{organisation_id}/connections/{connection_id}", on((*Fake).pConnectionFromPath, (*Fake).pUpdateConnection)),
	pRoute(OpPlatformDeleteConnection, "DELETE", "/o/{organisation_id}/connections/{connection_id}", on((*Fake).pConnectionFromPath, (*Fake).pDeleteConnection)),
	pRoute(OpPlatformLinkConnectionToEnvironment, "POST", "/o/{organisation_id}/connections/{connection_id}/link", on((*Fake).pConnectionFromPath, (*Fake).pLinkConnection)).forOrg(),
	pRoute(OpPlatformUnlinkConnectionFromEnvironment, "DELETE", "/o/{organisation_id}/connections/{connection_id}/link", on((*Fake).pConnectionFromPath, (*Fake).pUnlinkConnection)).forOrg(),
	pRoute(OpPlatformGetActivationConnection, "GET", "/o/{organisation_id}/environment-systems/{env_system_id}/activations/{activation_id}", (*Fake).pGetActivationConnection),
	pRoute(OpPlatformListEnvironmentConnections, "GET", "/o/{organisation_id}/projects/{project_id}/connections", on((*Fake).pProjectFromPath, (*Fake).pListEnvironmentConnections)).forOrg(),
	pRoute(OpPlatformInitialiseOAuth2Connection, "POST", "/o/{organisation_id}/systems/{system_id}/oauth2/initialise", on((*Fake).pSystemFromPath, (*Fake).pInitialiseOAuth2)),
	pRoute(OpPlatformInitialiseOAuth1Connection, "POST", "/o/{organisation_id}/systems/{system_id}/oauth1/initialise", on((*Fake).pSystemFromPath, (*Fake).pInitialiseOAuth1)),
	pRoute(OpPlatformCreateConnectionTemplate, "POST", "/o/{organisation_id}/projects/{project_id}/connection-templates", on((*Fake).pProjectFromPath, (*Fake).pCreateTemplate)).forOrg(),
	pRoute(OpPlatformListProjectConnectionTemplates, "GET", "/o/{organisation_id}/projects/{project_id}/connection-templates", on((*Fake).pProjectFromPath, (*Fake).pListTemplates)),
	pRoute(OpPlatformUpdateConnectionTemplate, "PUT", "/o/{organisation_id}/projects/{project_id}/connection-templates/{template_id}", on((*Fake).pTemplateFromPath, (*Fake).pUpdateTemplate)).forOrg(),
	pRoute(OpPlatformDeleteConnectionTemplate, "DELETE", "/o/{organisation_id}/projects/{project_id}/connection-templates/{template_id}", on((*Fake).pTemplateFromPath, (*Fake).pDeleteTemplate)).forOrg(),
	pRoute(OpPlatformUpsertAuthSchemeConfig, "PUT", "/o/{organisation_id}/systems/{system_id}/auth-scheme-configs/{auth_scheme_config_id}", on((*Fake).pSystemFromPath, (*Fake).pUpsertAuthSchemeConfig)).forOrg(),
	pRoute(OpPlatformDeleteAuthSchemeConfig, "DELETE", "/o/{organisation_id}/systems/{system_id}/auth-scheme-configs/{auth_scheme_config_id}", on((*Fake).pSystemFromPath, (*Fake).pDeleteAuthSchemeConfig)).forOrg(),
	pRoute(OpPlatformListSystems, "GET", "/o/{organisation_id}/systems", (*Fake).pListSystems),
	pRoute(OpPlatformGetSystem, "GET", "/o/{organisation_id}/systems/{system_id}", on((*Fake).pSystemFromPath, (*Fake).pGetSystem)),
	pRoute(OpPlatformListProjects, "GET", "/o/{organisation_id}/projects", (*Fake).pListProjects),
	pRoute(OpPlatformGetProject, "GET", "/o/{organisation_id}/projects/{project_id}", on((*Fake).pProjectFromPath, (*Fake).pGetProject)),

	orgsRoute(OpPlatformCreateSigningKey, "POST", "/organisations/{organisation_id}/keys", (*Fake).pCreateSigningKey).forOrg(),
	orgsRoute(OpPlatformListSigningKeys, "GET", "/organisations/{organisation_id}/keys", (*Fake).pListSigningKeys).forOrg(),
	orgsRoute(OpPlatformDeleteSigningKey, "DELETE", "/organisations/{organisation_id}/keys/{key_id}", (*Fake).pDeleteSigningKey).forOrg(),
	orgsRoute(OpPlatformGetPublicKey, "GET", "/keys/{id}", (*Fake).pGetPublicKey).forAnyone(),
}

// PlatformOperations returns the names of the Platform and Organisations operations the
// fake implements ("platform/" + operationId), in the order of PLATFORM.md §7. Operations
// lists the Embedded API v1 ones.
func PlatformOperations() []string {
	ops := make([]string, len(platformRoutes))
	for i, r := range platformRoutes {
		ops[i] = r.op
	}
	return ops
}

// routePlatform registers the Platform and Organisations routes on the fake's mux.
func (f *Fake) routePlatform() {
	for _, rt := range platformRoutes {
		f.ops[rt.pattern] = rt.op
		f.mux.HandleFunc(rt.pattern, f.servePlatformOp(rt))
	}
}

// servePlatformOp runs the operation through serveOp like any v1 operation: under the
// lock, with the same error writer, but in the Organisations API's Error shape for its
// operations.
func (f *Fake) servePlatformOp(rt platformRoute) http.HandlerFunc {
	return f.serveOp(func(f *Fake, r *http.Request) (int, any, *apiError) {
		status, body, e := f.runPlatformOp(rt, r)
		if e != nil && rt.orgsAPI {
			return e.Status, organisationsError(e), nil
		}
		return status, body, e
	})
}

// runPlatformOp runs the operation if its path names the fake's organisation (any other is
// a 404, as the API does not reveal whether other organisations exist) and the route lets
// the caller in.
func (f *Fake) runPlatformOp(rt platformRoute, r *http.Request) (int, any, *apiError) {
	if org := r.PathValue("organisation_id"); !rt.public && org != f.st.orgID {
		return 0, nil, notFound("organisation %q not found", org)
	}
	switch kind := callerOf(r).kind; {
	case rt.orgWide && kind == callerEndUser:
		return 0, nil, forbidden("an end-user token cannot use this operation")
	case rt.noConsole && kind == callerConsole:
		return 0, nil, forbidden("an organisation JWT cannot create or delete end users; use an API key or the end user's own JWT")
	}
	return rt.handle(f, r)
}

// organisationsErrorJSON is the Organisations API's Error: {code, message, cause}. A
// validation error's fields are folded into cause.
type organisationsErrorJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Cause   string `json:"cause,omitempty"`
}

func organisationsError(e *apiError) organisationsErrorJSON {
	causes := make([]string, 0, len(e.Fields)+1)
	for _, fe := range e.Fields {
		causes = append(causes, fe.Field+": "+fe.Message)
	}
	if e.Details != "" {
		causes = append(causes, e.Details)
	}
	return organisationsErrorJSON{Code: e.Code, Message: e.Message, Cause: strings.Join(causes, "; ")}
}
