// Package versori is a Go client for the Versori Embedded API, with which a
// SaaS backend embeds Versori integrations in its own product.
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
//  4. activates the integration for the user (Client.Activations.Create).
//
// # Clients, calls and errors
//
// Create one Client with NewClient and share it: it is safe for concurrent
// use. Every method takes a context first and honours its cancellation and
// deadline, also while waiting to retry. Per-call options (WithTimeout,
// WithHeader, WithMaxRetries, WithResponseInfo) adjust a single call.
//
// Users are referred to by a UserRef: ExternalUser for the ID your system
// gave them, InternalUser for Versori's, so the two cannot be confused.
//
// API failures are *APIError values; errors.Is matches them against
// ErrNotFound, ErrConflict, ErrValidation and the other sentinels by status.
// Input the SDK can tell is invalid (an empty ID, a missing credential) is
// refused with a *ValidationError naming the field, and nothing is sent.
//
// # Credentials
//
// Credential data and auth scheme configs are unions: one struct per variant
// (StringCredential, OAuth2TokenCredential, APIKeyScheme, OAuth2Scheme, ...)
// behind a sealed interface, so a credential's type and data cannot disagree.
// NewCredential derives the type from the data; ExistingCredential refers to
// a stored credential. Unknown variants sent by a newer API decode to
// Unknown... types that keep the raw JSON. Secrets never appear in fmt output,
// slog records or errors.
//
// # Retries
//
// GET, PUT, PATCH and DELETE are retried on connection errors and on 408,
// 429, 500, 502, 503 and 504; POST only when the API cannot have processed it
// (429, or a connection failure before anything was written). See RetryPolicy.
//
// # Testing
//
// Package versoritest is a behavioural fake of the API for your own tests,
// and cmd/versori-fake runs it as a standalone server.
package versori
