// Package versoritest is a behavioural fake of the Versori Embedded API for tests.
//
// A Fake keeps hubs, end users, connections, credentials, integrations, connection
// templates and activations in memory and applies the API's rules to them: unique external
// IDs per hub, identifier_type, 404s, validation errors that name the offending fields,
// cursor pagination, redaction of secrets on read, oauth2-code credentials reading back as
// oauth2-token, and API-key and JWT authentication. Every response is shaped to validate
// against Versori's OpenAPI description of the API (embedded-api-v1.yaml).
//
// Tests usually start a Server, which runs a Fake on a loopback httptest.Server:
//
//	srv := versoritest.NewServer()
//	defer srv.Close()
//	// point the SDK at srv.URL with srv.APIKey; srv.Seeded() holds the seeded IDs.
//
// Fault injection (FailNext) and the request log (Requests) let a test exercise its own
// retry and error paths. A Fake is safe for concurrent use.
package versoritest
