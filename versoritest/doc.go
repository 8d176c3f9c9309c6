// Package versoritest is a behavioural fake of Versori's APIs for tests: the Embedded API
// v1, the Platform API (v2) and the Organisations API's signing keys.
//
// A Fake keeps hubs, end users, connections, credentials, integrations, connection
// templates and activations in memory and applies the API's rules to them: unique external
// IDs per hub, identifier_type, 404s, validation errors that name the offending fields,
// cursor pagination, redaction of secrets on read, oauth2-code credentials reading back as
// oauth2-token, and API-key and JWT authentication. Every response is shaped to validate
// against Versori's OpenAPI description of the API (embedded-api-v1.yaml).
//
// A test starts one with New, which runs it on loopback and closes it when the test ends,
// and talks to it with an SDK client from Server.Client (or, for the Platform API,
// Server.PlatformClient; see below):
//
//	func TestOnboarding(t *testing.T) {
//		srv := versoritest.New(t)
//		c := srv.Client() // pointed at srv.URL, with srv.APIKey and the fake's organisation
//		srv.FailNext(versoritest.OpCreateEndUser, 2, versoritest.Fault{Status: 429, RetryAfter: "0"})
//		err := onboard(t.Context(), c, srv.Seeded().HubID) // the code under test
//		...
//	}
//
// Fault injection (FailNext) and the request log (Requests) let a test exercise its own
// retry and error paths. On a server made by New, FailNext with an operation ID the fake
// does not serve fails the test, and faults that no request used are reported when the
// test ends (ResetFaults drops those left on purpose). A fault stops a request before it
// is handled, unless it has AfterHandling: the request is then processed and its answer
// lost (Drop) or replaced (Status), the case a caller sees as versori.ErrMaybeProcessed
// and must reconcile by looking before creating again. NewServer runs a fake outside tests
// (cmd/versori-fake uses it); NewFake is the bare http.Handler. A Fake is safe for
// concurrent use.
//
// # End-user tokens
//
// RegisterSigningKey makes the fake accept RS256 JWTs of a signing key. A token without
// sub acts for the organisation, like the API key. A token whose sub is set acts for one
// end user, sub being that user's external ID: it may call only GetEndUser,
// ListEndUserConnections, GetEndUserConnection, CreateEndUserConnection,
// ListEndUserIntegrations, GetEmbeddedIntegration, ListEndUserActivations,
// ActivateIntegration, GetActivation, DeleteActivation and UpdateDynamicVariables, for end
// users whose externalId is its sub, and InitialiseOAuth2EmbeddedConnection. Any other operation is 403; another end user's user,
// connections, integrations or activations are 404, worded as if absent, so a token cannot
// probe for them; ActivateIntegration for another end user is 403 whether or not that
// user exists.
//
// # How strict it is
//
// The fake refuses what the API (or its spec) refuses, so a client bug fails a test
// rather than production; where the API's behaviour cannot be known from outside, it
// errs towards refusing. A few things are deliberately looser.
//
//	As strict as the API
//	  auth          Bearer API key or RS256 JWT of a registered key (exp, nbf checked);
//	                end-user tokens scoped as above; "sub": "" refused
//	  bodies        JSON objects; required fields, types, enums, ULIDs and absolute URLs
//	                (format: uri) checked, every bad field named in fields
//	  credentials   data checked per type, only the spec's properties stored; secrets
//	                redacted on read at any depth; a reference is {"id"} alone and must exist
//	  OAuth 2.0     a grant's client kept in an oauth2-client credential (credentialId and
//	                organisationId both or neither); InitialiseOAuth2 needs such a credential
//	                of this organisation and its clientId; authorizeUrl "" only for
//	                client_credentials
//	  users         unique externalId per hub; identifier_type honoured (default external)
//	  activations   integration deployed and not yet activated; every non-primary template
//	                bound once; each entry existing or new, not both; variables required
//	  hubs          a soft-deleted hub takes no new end users or integrations
//	  lists         cursors validated; first any non-negative integer, no maximum
//
//	Deliberately more permissive
//	  connectors    any connector ID is accepted: the Embedded API has no connector endpoints
//	  Internal ops  UpdateIntegrationMetadata, GetDynamicVariables and
//	                UpdateDynamicVariablesInternal answer any API key
//	  parameters    ListEndUserIntegrations takes first/after/before, and
//	                ListEndUserActivations and GetEndUserConnection identifier_type, though
//	                the spec declares none there; first=0 is the default page (20)
//	  userId        ActivateIntegration takes an external or an internal ID (the spec's
//	                userIdType does not exist)
//	  OAuth 2.0     a grant credential of another organisation is taken on trust; an
//	                oauth2-code's state is not checked against the states issued
//	  other         Content-Type is not checked; connection names need not be unique; no
//	                rate limits (FailNext makes 429s); JWT iat, aud and kid are not checked,
//	                and a JWT without exp is taken (the API's rule is not documented)
//
// Beyond its schema, the fake also refuses blank (whitespace-only) names and IDs where one
// is required, blank names given to an update, and, at InitialiseOAuth2, a clientId that
// is not the credential's (the API fails that only when the provider redirects back,
// which the fake never sees).
//
// # The Platform API
//
// The same Fake also serves the 37 operations of the Platform API (v2) and the
// Organisations API that embedding needs (../shared/versori/PLATFORM.md §7), on the same
// server, with the same state lock, faults, request log and credentials:
//
//	srv.URL              Embedded API v1 (/hubs/..., /activations/...)
//	srv.PlatformURL      srv.URL + "/api/v2" (/o/{org}/users, /o/{org}/connections, ...)
//	srv.OrganisationsURL srv.URL + "/api/organisations/v1" (/organisations/{org}/keys, /keys/{id})
//
// Platform operations are named "platform/" + their operationId (OpPlatformCreateEndUser
// is "platform/CreateEndUser", OpPlatformCreateSigningKey "platform/CreateSigningKey"), so
// they never clash with v1's; FailNext and Request.Operation use these names, and
// PlatformOperations lists them. Server.PlatformClient returns a Platform SDK client
// (*platform.Client) pointed at PlatformURL, with the API key and the seeded
// organisation; its signing-key calls reach OrganisationsURL. Like Client, it applies
// its opts last, so a test acts as an end user with a token source of a key from
// SigningKeys.Create:
//
//	p := srv.PlatformClient()
//	set, _ := p.SigningKeys.Create(ctx, "backend")
//	key, _ := set.SigningKey()
//	ts, _ := key.UserTokenSource(versori.ExternalUser("acme-42"), 0)
//	asUser := srv.PlatformClient(versori.WithTokenSource(ts))
//	srv.FailNext(versoritest.OpPlatformGetEndUser, 1, versoritest.Fault{Status: 503})
//
// The v1 seeded organisation is the Platform organisation, and Seeded().Platform holds
// the Platform seed: a project with one environment, systems using an API key, basic
// auth, OAuth 2.0 authorization code (with the organisation's client credential), OAuth
// 2.0 client credentials and OAuth 1.0, a dynamic connection template for each, a static
// Slack template with a static connection, and a dynamic variables schema. The Platform
// has no operations to create projects, environments or systems, so WithoutSeed leaves it
// with none; to model an environment of fewer systems, delete the seeded project's other
// connection templates (Templates.Delete) at the start of the test. Platform errors have the Platform's Error shape {code, message, fields,
// details}; Organisations errors {code, message, cause}.
//
// Who may do what. "Authorization: Bearer <API key>" has full access. "Authorization: JWT
// <token>" is accepted for keys made by CreateSigningKey or given to RegisterSigningKey
// (RS256 only; iss https://versori.com/sk/<key ID>; exp and nbf checked; a deleted key's
// tokens are refused). A JWT without sub is an organisation (console) token: full access
// except creating and deleting end users (403), which Versori documents it is not for. A
// JWT with sub is an end user's token, sub being the end user's external ID: it may create
// that end user, read and delete it, create, read, update and delete its own connections
// and activations and set their variables, initialise OAuth, and read projects, systems
// and connection templates. Organisation-wide operations (listing end users or an
// environment's activations, static connections, links, static variables, changing
// templates or auth scheme configs, signing keys) answer 403; another end user's user,
// connections and activations answer 404 (or, in ActivateUser's userId, the 400 an unknown
// user gets), exactly as if they did not exist. GetPublicKey needs no authentication.
//
// Where the Platform fake is as strict as the API (or its spec), and where not:
//
//	Rule                                                     Fake
//	-------------------------------------------------------  ----------------------------------
//	path names another organisation                          404, as the API reveals no others
//	externalId unique per organisation                       409
//	{user_id} takes the ID or the external ID                both; ListUserActivations: external
//	                                                         only; ListConnections end_user_id:
//	                                                         ULID only (400 otherwise)
//	credential data keyed: exactly the type's key, with      400, fields name the path, e.g.
//	  its required members                                   connection.credentials[0].credential.data
//	secrets (value, password, clientSecret, tokenSecret,     "" on every read, at any depth;
//	  consumerSecret, key, ...)                              oauth2-code reads back as oauth2-token
//	one connection per end user and template                 409 (also one static per template)
//	activation needs every dynamic template connected        400 naming each missing template
//	one activation per end user and environment              409
//	dynamic variables against the project's schema           400; but only type, enum, const,
//	                                                         properties, required,
//	                                                         additionalProperties, items and the
//	                                                         min/max keywords are known; others
//	                                                         are ignored (permissive)
//	SetDynamicVariable value null                            400
//	UpsertAuthSchemeConfig path ID = body ID                 400
//	Unlink is a DELETE with a body                           400 without one
//	dynamic connection in use / static connection in use     409 / deleted anyway
//	OAuth credential must exist in the org, not zero ULID    400; but its type, and whether the
//	                                                         system's config names it, unchecked
//	oauth2-code state, oauth1 token and verifier             not checked against issued ones: the
//	                                                         exchange always succeeds (permissive)
//	first without maximum; cursors where none are declared   honoured (ListEndUsers, templates,
//	                                                         environment connections)
//	ListActivations ?static                                  validated, then ignored: the fake has
//	                                                         no static activation (permissive)
//	end-user connections only for dynamic templates; Link    400 (stricter than the spec says;
//	  only static connections to a template of their system  not verified against the API)
//	template names unique within an environment              409 (not verified)
//	LinkSystem environmentId (its required says environment) required
//	baseUrl                                                  "" on update keeps the stored one;
//	                                                         stored as scheme://host, https by
//	                                                         default, as the spec describes
//	CreateSigningKey / ListSigningKeys (declared 204 with    201 / 200 with the body
//	  a body, erratum E12)
//
// Keys given to RegisterSigningKey authenticate but are not listed by ListSigningKeys (the
// fake has no name or creation time for them). The private half of a key made by
// CreateSigningKey is returned once and not kept.
package versoritest
