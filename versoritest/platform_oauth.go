package versoritest

import (
	"net/http"
	"net/url"
)

// zeroULID is what clients that leave an ID unset send (cli serialises a zero ulid.ULID
// so); it names no credential.
const zeroULID = "00000000000000000000000000"

// pOAuthRedirectPath is where the fake sends providers back to, under the Platform base.
const pOAuthRedirectPath = platformBasePath + "/oauth/callback"

// checkOAuthCredential checks InitialiseOAuth*ConnectionRequest.credential: the
// credential that holds the client (or consumer) secret must exist in this organisation,
// be named by this organisation's ID, and not be the zero ULID. An end-user token may use
// the organisation's credentials (the template's client credential), not another end
// user's.
func (f *Fake) checkOAuthCredential(v *validator, id, orgID string, c caller) {
	switch {
	case id == "" || orgID == "":
		return // already reported
	case id == zeroULID:
		v.add("credential.id", "must name the credential holding the client secret, not the zero ULID")
	case orgID != f.st.orgID:
		v.add("credential.organisationId", "must be this organisation's ID")
	default:
		cred := f.st.platform.credentials[id]
		if cred == nil || (cred.userID != "" && !f.seesUserID(c, cred.userID)) {
			v.add("credential.id", "credential %q not found in this organisation", id)
		}
	}
}

// issueOAuthState makes a fresh OAuth state and remembers it for the system and the
// caller's end user.
func (f *Fake) issueOAuthState(r *http.Request, s *pSystem) string {
	state := randomToken()
	f.st.platform.oauthStates.put(state, &pOAuthState{systemID: s.id, externalID: callerOf(r).externalID})
	return state
}

// schemeOfType returns the system's first auth scheme config of a type.
func (s *pSystem) schemeOfType(typ string) object {
	for _, c := range s.schemes {
		if c["type"] == typ {
			return c
		}
	}
	return nil
}

// pInitialiseOAuth2 returns the provider's authorize URL for an authorization-code
// connection (see oauth2Init.authorizeURLFor), with a fresh state remembered for the
// system and end user. redirectUrl, which cli's newer copy of the spec adds, replaces the
// fake's own callback as redirect_uri.
func (f *Fake) pInitialiseOAuth2(r *http.Request, s *pSystem) (int, any, *apiError) {
	if s.schemeOfType(schemeOAuth2) == nil {
		return 0, nil, newError(http.StatusBadRequest, "system %s has no oauth2 auth scheme config", s.id)
	}
	v, body := validateBody(r)
	in := validateOAuth2Init(v, body)
	redirect, hasRedirect := v.absURL(body, "redirectUrl", "redirectUrl", false)
	f.checkOAuthCredential(v, in.credentialID, in.organisationID, callerOf(r))
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	if !hasRedirect {
		redirect = "http://" + r.Host + pOAuthRedirectPath
	}
	state := f.issueOAuthState(r, s)
	return http.StatusOK, map[string]string{"url": in.authorizeURLFor(state, redirect)}, nil
}

// pInitialiseOAuth1 returns the provider's resource owner authorization URL
// for a fresh temporary token. The fake cannot ask the provider for one, so it makes it
// up: oauth_token is the temporary token, and oauth_callback (the fake's callback,
// carrying the state) shows where the provider would send the user back with
// oauth_verifier; an oauth1 credential {state, oauthToken, oauthVerifier} completes the
// connection.
func (f *Fake) pInitialiseOAuth1(r *http.Request, s *pSystem) (int, any, *apiError) {
	endpoint := asString(digKeys(s.schemeOfType("oauth1"), "oauth1", "resourceOwnerAuthorizationEndpoint", "url"))
	if endpoint == "" {
		return 0, nil, newError(http.StatusBadRequest, "system %s has no oauth1 auth scheme config with a resource owner authorization endpoint", s.id)
	}
	v, body := validateBody(r)
	if cred, ok := v.obj(body, "credential", "credential", true); ok {
		id, _ := v.ulidField(cred, "id", "credential.id", true)
		org, _ := v.ulidField(cred, "organisationId", "credential.organisationId", true)
		f.checkOAuthCredential(v, id, org, callerOf(r))
	}
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	state := f.issueOAuthState(r, s)
	u, err := url.Parse(endpoint)
	if err != nil {
		return 0, nil, newError(http.StatusInternalServerError, "system %s: bad authorization endpoint: %v", s.id, err)
	}
	q := u.Query()
	q.Set("oauth_token", "fake-temp-"+randomToken())
	q.Set("oauth_callback", "http://"+r.Host+pOAuthRedirectPath+"?state="+url.QueryEscape(state))
	u.RawQuery = q.Encode()
	return http.StatusOK, map[string]string{"url": u.String()}, nil
}
