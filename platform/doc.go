// Package platform is a Go client for Versori's Platform API (/api/v2) and
// the Organisations API's signing keys: end users, their connections and
// activations, connection templates, systems, projects and environments.
//
// It shares the root package's request core: the same versori.Option values
// configure it, its errors are versori's (*versori.APIError, ErrNotFound,
// ErrNotSent, ...), secrets are versori.Secret, and retries, limits and
// redaction work the same way.
//
// # Organisation and IDs
//
// The organisation is the client's (versori.WithOrganisationID or
// VERSORI_ORGANISATION_ID, required by NewClient); a call refuses another
// one. Where the API takes only a Versori ID or only an external ID, the
// parameter is a UserID or an ExternalID, so the other kind does not
// compile; where it takes either, it is a User.
//
// # Lists
//
// Every list has an iterator (All, AllForUser, AllStatic) over the API's
// three page shapes: cursor pages, bare arrays and wrappers. Iterators stop
// with versori.ErrPagination on a cursor seen before or an empty page that
// points on. The spec declares no cursor parameters on ListEndUsers,
// ListEnvironmentConnections and ListProjectConnectionTemplates though their
// pages carry cursors: the SDK sends after and before when set (not
// verified against the API).
//
// # Spec errata
//
// Versori's spec (PLATFORM.md §10) has errors that affect calls. The SDK
// follows the API, not the error, and each has a test:
//
//   - E4: LinkSystem's required list names environment; the SDK requires
//     and sends environmentId (Templates.Create).
//   - E5: ProjectEnvironment's required lastDeployedAt is no property; it is
//     neither required nor decoded (Projects.List, Projects.Get).
//   - E6: the OAuth 2.0 authorization code and password grants require a
//     grantType that is no property; the grant's key and type say which
//     grant it is, and no grantType is sent or required.
//   - E7: ParameterConfig requires usage; the property is usages, which the
//     SDK sends and reads (OAuth1Scheme).
//   - E8: ListEndUsers' environment_id says uuid; it takes the environment's
//     ULID as a plain string.
//   - E9: an auth scheme config's id is a name the client chooses ("my-oauth"),
//     not a ULID; it is never checked as one.
//   - E10: a connection's baseUrl may be "" or a host without a scheme; it is
//     a plain string.
//   - E12: CreateSigningKey and ListSigningKeys are declared 204 with a body;
//     any 2xx is success and its body is decoded.
//   - E13: UnlinkConnectionFromEnvironment is a DELETE with a body; the SDK
//     sends it (Connections.Unlink).
//   - E14: four operations declare no error response; every non-2xx answer
//     is decoded as the API's Error into a *versori.APIError.
//   - E15: the Organisations API declares no security; signing-key calls
//     carry the client's credentials like every other call.
//   - E16: jwt-bearer credentials have no schema; their data decodes to
//     UnknownCredential and is sent back as it came.
//   - E21: GetActivationConnection's activation_id is named EnvSystemID in
//     the spec; Activations.GetConnection takes the activation's ID and the
//     connection template's.
//
// The others (E1-E3, E11, E17-E20) trip code generators and validators or
// lie outside the operations covered; internal/conformance corrects all of
// them in memory before validating the SDK's requests and the fake's
// answers.
//
// # Not verified
//
// PLATFORM.md marks one behaviour unverified: that DeleteEndUser takes an
// external ID as GetEndUser does. Users.Delete sends one as Get does, after
// looking up an external ID that could be read as a Versori ID, so that it
// cannot delete another end user.
package platform
