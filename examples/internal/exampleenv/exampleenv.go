// Package exampleenv connects the example programs to the Versori API, or to
// the in-process fake when VERSORI_API_KEY is unset, so every example runs
// offline by default.
package exampleenv

import (
	"fmt"
	"io"
	"os"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

// Env is where an example runs.
type Env struct {
	Client         *versori.Client
	HubID          string
	OrganisationID string              // from VERSORI_ORGANISATION_ID for the real API
	Fake           *versoritest.Server // nil when talking to the real API
}

// Setup returns a client for the real API when VERSORI_API_KEY is set (with
// VERSORI_BASE_URL and VERSORI_ORGANISATION_ID, optional, and
// VERSORI_HUB_ID), and otherwise starts the
// fake, says so on w, and returns a client for it. Call Close when done.
func Setup(w io.Writer, opts ...versori.Option) (*Env, error) {
	key := os.Getenv("VERSORI_API_KEY")
	if key == "" {
		fake := versoritest.NewServer()
		fmt.Fprintf(w, "VERSORI_API_KEY is unset: running against the in-process fake at %s\n", fake.URL)
		c, err := versori.NewClient(append([]versori.Option{versori.WithAPIKey(fake.APIKey), versori.WithBaseURL(fake.URL)}, opts...)...)
		if err != nil {
			fake.Close()
			return nil, err
		}
		seeded := fake.Seeded()
		return &Env{Client: c, HubID: seeded.HubID, OrganisationID: seeded.OrganisationID, Fake: fake}, nil
	}
	hubID := os.Getenv("VERSORI_HUB_ID")
	if hubID == "" {
		return nil, fmt.Errorf("VERSORI_HUB_ID must be set when VERSORI_API_KEY is")
	}
	all := []versori.Option{versori.WithAPIKey(key)}
	if base := os.Getenv("VERSORI_BASE_URL"); base != "" {
		all = append(all, versori.WithBaseURL(base))
	}
	c, err := versori.NewClient(append(all, opts...)...)
	if err != nil {
		return nil, err
	}
	return &Env{Client: c, HubID: hubID, OrganisationID: os.Getenv("VERSORI_ORGANISATION_ID")}, nil
}

// Close stops the fake, if one was started.
func (e *Env) Close() {
	if e.Fake != nil {
		e.Fake.Close()
	}
}

// DemoCredential returns placeholder credential data that fits scheme, for
// examples that connect an end user without a real account behind it.
func DemoCredential(scheme versori.AuthScheme) versori.CredentialData {
	switch scheme.(type) {
	case versori.APIKeyScheme:
		return versori.StringCredential{Value: versori.NewSecret("demo-api-key")}
	case versori.BasicAuthScheme:
		return versori.BasicAuthCredential{Username: "demo", Password: versori.NewSecret("demo-password")}
	case versori.OAuth2Scheme:
		return versori.OAuth2TokenCredential{Scopes: []string{}, RefreshToken: versori.NewSecret("demo-refresh-token")}
	case versori.HMACScheme:
		return versori.StringCredential{Value: versori.NewSecret("demo-hmac-secret")}
	case versori.CertificateScheme:
		return versori.CertificateCredential{Certificate: "-----BEGIN CERTIFICATE-----", Key: versori.NewSecret("-----BEGIN PRIVATE KEY-----"), CA: "-----BEGIN CERTIFICATE-----"}
	default:
		return versori.NoneCredential{}
	}
}
