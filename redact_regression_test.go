package versori

import (
	"fmt"
	"strings"
	"testing"
)

// TestCreateIntegrationParamsRedactedWithEveryVerb: the connection template
// is held by pointer, and fmt prints a pointer given a verb it does not suit
// (%s, %q, %d, ...) raw, bypassing the auth scheme's own redaction. The
// params must redact themselves.
func TestCreateIntegrationParamsRedactedWithEveryVerb(t *testing.T) {
	const secret = "S3CRET-template-client-secret"
	p := CreateIntegrationParams{OrganisationID: "o", Name: "n", ConnectionTemplate: &CreateConnectionTemplateParams{
		ConnectorID: "c",
		AuthSchemeConfig: AuthSchemeConfig{ID: "01A", Scheme: OAuth2Scheme{
			AuthorizeURL: "a", TokenURL: "t", Grant: AuthorizationCodeGrant{ClientID: "c", ClientSecret: secret},
		}},
	}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%c", "%t"} {
		for _, v := range []any{p, &p, []any{p}} {
			if out := fmt.Sprintf(verb, v); strings.Contains(out, secret) {
				t.Errorf("%s leaks the client secret: %s", verb, out)
			}
		}
	}
}
