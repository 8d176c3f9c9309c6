package main

import (
	"io"
	"strings"
	"testing"

	"github.com/versori-go/versori/versoritest"
)

// TestConnectOAuth2 connects an end user in a fake made for the test, with a
// code "pasted" on standard input as in a real run.
func TestConnectOAuth2(t *testing.T) {
	srv := versoritest.New(t)
	approve := askForCode(io.Discard, strings.NewReader("the-code\n"))
	var out strings.Builder
	if err := connectOAuth2(t.Context(), &out, srv.Client(), srv.Seeded().HubID, "acme-42", "", approve); err != nil {
		t.Fatalf("connectOAuth2: %v\noutput:\n%s", err, &out)
	}
	for _, want := range []string{
		`2. "Shopify Orders Sync" needs an OAuth 2.0 connection to Shopify`,
		"response_type=code",
		"client_id=" + srv.Seeded().Integrations[0].Templates[1].OAuth2ClientID,
		"credential is now of type oauth2-token",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, &out)
		}
	}
}
