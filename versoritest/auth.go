package versoritest

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// signingKeyIssuerPrefix is the iss prefix of end-user JWTs; the rest is the signing key ID.
const signingKeyIssuerPrefix = "https://versori.com/sk/"

func unauthorized(format string, args ...any) *apiError {
	return newError(http.StatusUnauthorized, format, args...)
}

// End-user tokens. A signing-key JWT whose sub is set acts for one end user: sub is the
// end user's external ID (the externalId the customer created it with). Such a token may
// call only the end-user operations in endUserOperations, and only for end users whose
// externalId is its sub (in any hub). The rule, and why each answer is what it is:
//
//   - Any other operation (hubs, integrations, templates, listing or creating or deleting
//     end users, the Internal operations) is 403 Forbidden. The answer depends on the
//     operation alone, so it reveals nothing about what exists.
//   - An end-user operation on another end user's user, connections, integrations or
//     activations is 404 Not Found, worded exactly as for one that does not exist, so a
//     token cannot probe for other end users or activation IDs.
//   - ActivateIntegration for another end user is 403, the same whether or not that user
//     exists.
//
// A JWT without sub, like the API key, has organisation-wide access.
var endUserOperations = map[string]bool{
	OpGetEndUser:                         true,
	OpListEndUserConnections:             true,
	OpGetEndUserConnection:               true,
	OpCreateEndUserConnection:            true,
	OpListEndUserIntegrations:            true,
	OpGetEmbeddedIntegration:             true,
	OpInitialiseOAuth2EmbeddedConnection: true,
	OpListEndUserActivations:             true,
	OpActivateIntegration:                true,
	OpGetActivation:                      true,
	OpDeleteActivation:                   true,
	OpUpdateDynamicVariables:             true,
}

// tokenEndUser returns the external ID of the end user r's token acts for, or "" when r
// has organisation-wide access.
func tokenEndUser(r *http.Request) string { return callerOf(r).externalID }

// canReach reports whether r may reach end user u: always with organisation-wide access,
// otherwise only when u's external ID is the token's sub.
func canReach(r *http.Request, u *endUser) bool {
	sub := tokenEndUser(r)
	return sub == "" || u.externalID == sub
}

// scopeOperation refuses a v1 operation an end-user token may not call.
func scopeOperation(op string, c caller) *apiError {
	if c.kind != callerEndUser || endUserOperations[op] {
		return nil
	}
	return newError(http.StatusForbidden, "an end-user token (sub %q) may not call %s; it may call only the end-user operations, for its own end user", c.externalID, op)
}

// authenticate accepts "Bearer <API key>" or "JWT <RS256 token from a registered key>" and
// says who is calling: the API key, an organisation token (no sub), or an end user's token
// (sub, the end user's external ID).
func (f *Fake) authenticate(r *http.Request) (caller, *apiError) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return caller{}, unauthorized("missing Authorization header")
	}
	scheme, cred, ok := strings.Cut(h, " ")
	if !ok || cred == "" {
		return caller{}, unauthorized("malformed Authorization header")
	}
	switch {
	case strings.EqualFold(scheme, "Bearer"):
		if subtle.ConstantTimeCompare([]byte(cred), []byte(f.cfg.apiKey)) != 1 {
			return caller{}, unauthorized("invalid API key")
		}
		return caller{kind: callerAPIKey}, nil
	case strings.EqualFold(scheme, "JWT"):
		sub, hasSub, err := f.verifyJWT(cred)
		switch {
		case err != nil:
			return caller{}, unauthorized("invalid JWT: %v", err)
		case !hasSub:
			return caller{kind: callerConsole}, nil
		}
		return caller{kind: callerEndUser, externalID: sub}, nil
	default:
		return caller{}, unauthorized("unsupported Authorization scheme %q", scheme)
	}
}

// verifyJWT checks a signing-key token and returns its sub, and whether it has one. Only
// RS256 is allowed, so neither "none" nor an HMAC token "signed" with the public key
// (algorithm confusion) can pass; exp and nbf are validated when present.
func (f *Fake) verifyJWT(raw string) (sub string, hasSub bool, err error) {
	tok, err := jwt.Parse(raw, func(t *jwt.Token) (any, error) {
		iss, err := t.Claims.GetIssuer()
		if err != nil {
			return nil, err
		}
		keyID, ok := strings.CutPrefix(iss, signingKeyIssuerPrefix)
		if !ok || keyID == "" {
			return nil, errors.New("iss is not a Versori signing key issuer")
		}
		f.mu.Lock()
		key := f.keys[keyID]
		f.mu.Unlock()
		if key == nil {
			return nil, errors.New("unknown signing key " + keyID)
		}
		return key, nil
	}, jwt.WithValidMethods([]string{"RS256"}))
	if err != nil {
		return "", false, err
	}
	// A sub that is there but empty names no end user; it must not pass for an
	// organisation token, which has no sub at all.
	claim, hasSub := tok.Claims.(jwt.MapClaims)["sub"]
	if hasSub && claim == "" {
		return "", false, errors.New("sub is empty: an end-user token's sub is the end user's external ID; an organisation token has no sub")
	}
	sub, err = tok.Claims.GetSubject()
	return sub, hasSub, err
}
