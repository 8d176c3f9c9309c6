// Package platform is a Go client for Versori's Platform API (/api/v2) and
// the Organisations API's signing keys: end users, their connections and
// activations, connection templates, systems, projects and environments.
//
// It shares the root package's request core: the same versori.Option values
// configure it, its errors are versori's (*versori.APIError, ErrNotFound,
// ErrNotSent, ...), secrets are versori.Secret, and retries, limits and
// redaction work the same way.
package platform
