package versoritest

import (
	"net/url"
	"slices"
	"strings"
)

// oauth2StandardParams are set by the API itself; additionalParams may not override them.
var oauth2StandardParams = []string{"client_id", "redirect_uri", "response_type", "state", "scope", "prompt"}

// oauth2Init is a validated InitialiseOAuth2ConnectionRequest, whose shape the Embedded
// API v1 and the Platform API share.
type oauth2Init struct {
	credentialID, organisationID string
	authorizeURL, clientID       string
	scopes                       []string
	disableOfflineAccess         bool
	prompt                       string
	additional                   url.Values
}

// validateOAuth2Init checks an InitialiseOAuth2ConnectionRequest body.
func validateOAuth2Init(v *validator, body object) oauth2Init {
	var in oauth2Init
	if c, ok := v.obj(body, "credential", "credential", true); ok {
		in.credentialID, _ = v.ulidField(c, "id", "credential.id", true)
		in.organisationID, _ = v.ulidField(c, "organisationId", "credential.organisationId", true)
	}
	in.authorizeURL, _ = v.absURL(body, "authorizeUrl", "authorizeUrl", true)
	in.clientID, _ = v.nonEmpty(body, "clientId", "clientId", true)
	in.scopes, _ = v.strs(body, "scopes", "scopes", false)
	in.disableOfflineAccess, _ = v.boolean(body, "disableOfflineAccess", "disableOfflineAccess")
	in.prompt, _ = v.str(body, "prompt", "prompt", false)
	rawAdditional, _ := v.str(body, "additionalParams", "additionalParams", false)
	additional, err := url.ParseQuery(rawAdditional)
	if err != nil {
		v.add("additionalParams", "must be a URL-encoded query string: %v", err)
	}
	for _, p := range oauth2StandardParams {
		if additional.Has(p) {
			v.add("additionalParams", "must not set %q, which the API sets itself", p)
		}
	}
	in.additional = additional
	return in
}

// authorizeURLFor builds the provider's authorize URL as the API does: the authorizeUrl
// (keeping its own query), then client_id, redirect_uri, response_type=code, the state,
// scope (plus offline_access unless disabled), prompt (default "login"), and the
// additionalParams.
func (in oauth2Init) authorizeURLFor(state, redirectURI string) string {
	u, _ := url.Parse(in.authorizeURL)
	q := u.Query()
	q.Set("client_id", in.clientID)
	q.Set("redirect_uri", redirectURI)
	q.Set("response_type", "code")
	q.Set("state", state)
	scopes := slices.Clone(in.scopes)
	if !in.disableOfflineAccess && !slices.Contains(scopes, "offline_access") {
		scopes = append(scopes, "offline_access")
	}
	if len(scopes) > 0 {
		q.Set("scope", strings.Join(scopes, " "))
	}
	switch {
	case in.prompt != "":
		q.Set("prompt", in.prompt)
	case !in.additional.Has("approval_prompt"):
		// Default "login", except for Google-style approval_prompt which conflicts with it.
		q.Set("prompt", "login")
	}
	for k, vs := range in.additional {
		for _, val := range vs {
			q.Add(k, val)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}
