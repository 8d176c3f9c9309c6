// Package versori is a Go client for Versori's Embedded API v1, with which a
// SaaS backend embeds Versori integrations in its own product. Its sibling
// package platform covers Versori's current Platform API on the same core.
//
// # The activation flow
//
// A hub groups an organisation's embedded integrations around a primary
// connector (usually the SaaS product itself). Your backend:
//
//  1. registers each customer as an end user of the hub, with a primary
//     connection holding their credentials for the primary connector
//     (Client.Users.Create);
//  2. lists the integrations the user can activate (Client.Embed.ListIntegrations)
//     and reads the connection templates one needs (Client.Embed.GetIntegration);
//  3. gives the user a connection for each template, with credentials from
//     your systems (Client.Connections.Create) or through OAuth 2.0
//     (Client.Embed.InitialiseOAuth2);
//  4. activates the integration for the user (Client.Activations.Create);
//  5. mints a short-lived token for the user's browser (SigningKey.MintUserToken).
//
// # Clients and options
//
// Create one Client with NewClient and share it: it is safe for concurrent
// use. NewClient reads VERSORI_API_KEY, VERSORI_BASE_URL and
// VERSORI_ORGANISATION_ID when no option sets them. There is one Option type:
// every option works on NewClient and on a single call, where it applies on
// top of the client's. Every method takes a context first and honours its
// cancellation and deadline, also while waiting to retry; a nil context is
// context.Background(). Client.Do sends a call the typed API does not have
// yet through the same request path.
//
// # Errors
//
// Every error from a call says whether the request may have been processed:
// errors.Is(err, ErrNotSent) means nothing reached the server;
// errors.Is(err, ErrMaybeProcessed) means the server may have acted on it
// (look before repeating a create); an error matching neither is an answer
// below 500 (a 4xx, or a redirect): the server refused the request and did
// not act on it. Retrying an input the SDK or server refused
// (errors.Is(err, ErrValidation)) fails the same way; retrying after
// ErrNotSent or ErrRateLimited is safe. Answers the SDK could not use are
// typed:
//
//   - *ValidationError: input refused before sending, naming the field;
//   - *APIError: a non-2xx answer (including a redirect, which is never
//     followed), matched by status with ErrNotFound, ErrConflict, ...;
//   - *DecodeError: a 2xx answer without what the operation promises;
//   - *TransportError: no answer (connection failure, deadline).
//
// # Unions and secrets
//
// Credential data, auth schemes and OAuth 2.0 grants are unions: one struct
// per variant behind a sealed interface, so a credential's type and data
// cannot disagree; a table maps each discriminator to its variant. A variant
// a newer API sends decodes to an Unknown... type that keeps the raw JSON and
// sends it back unchanged. Every secret is a Secret (or SecretJSON): it
// prints, logs and marshals as [REDACTED] at any depth, through fmt, slog and
// encoding/json, and only the SDK's requests carry its value.
//
// # Retries
//
// GET, PUT, PATCH and DELETE are retried on connection errors, a cut-off
// answer, and 408, 429, 500, 502, 503 and 504; POST only when the API cannot
// have processed it (429, or a connection failure before its body was read).
// The transport is never allowed to re-send a body by itself. See RetryPolicy.
//
// # Names
//
// One naming scheme, throughout: a service per resource on the client
// (Client.Users) with the verbs Create, Get, List, All (an iterator over
// every page), Update and Delete, and <Verb><Thing> for a sub-resource
// (Integrations.CreateConnectionTemplate); a call's input is
// <Verb><Resource>Params (CreateEndUserParams, ListEndUsersParams); what a
// call returns is named for the resource (EndUser), a list's page
// <Resource>Page, and a list's items, where they are shorter, <Resource>Summary;
// a union's variants are <Variant><Union> (StringCredential, APIKeyScheme,
// PasswordGrant), and the variant of an unknown discriminator is
// Unknown<Union> (UnknownCredential, UnknownScheme, UnknownGrant).
//
// # Testing
//
// Package versoritest is a behavioural fake of the API for your own tests
// (versoritest.New(t) and its Client method), and cmd/versori-fake runs it as
// a standalone server.
package versori
