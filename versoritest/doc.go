// Package versoritest is a behavioural fake of the Versori Embedded API for tests.
//
// A Fake keeps hubs, end users, connections, credentials, integrations, connection
// templates and activations in memory and applies the API's rules to them: unique external
// IDs per hub, identifier_type, 404s, validation errors that name the offending fields,
// cursor pagination, redaction of secrets on read, oauth2-code credentials reading back as
// oauth2-token, and API-key and JWT authentication. Every response is shaped to validate
// against Versori's OpenAPI description of the API (embedded-api-v1.yaml).
//
// A test starts one with New, which runs it on loopback and closes it when the test ends,
// and talks to it with an SDK client from Server.Client:
//
//	func TestOnboarding(t *testing.T) {
//		srv := versoritest.New(t)
//		c := srv.Client() // pointed at srv.URL with srv.APIKey
//		srv.FailNext(versoritest.OpCreateEndUser, 2, versoritest.Fault{Status: 429, RetryAfter: "0"})
//		err := onboard(t.Context(), c, srv.Seeded().HubID) // the code under test
//		...
//	}
//
// Fault injection (FailNext) and the request log (Requests) let a test exercise its own
// retry and error paths. On a server made by New, FailNext with an operation ID the fake
// does not serve fails the test, and faults that no request used are reported when the
// test ends (ResetFaults drops those left on purpose). NewServer runs a fake outside tests
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
//	                rate limits (FailNext makes 429s); JWT iat, aud and kid are not checked
//
// Beyond its schema, the fake also refuses blank (whitespace-only) names and IDs where one
// is required, and, at InitialiseOAuth2, a clientId that is not the credential's (the API
// fails that only when the provider redirects back, which the fake never sees).
package versoritest
