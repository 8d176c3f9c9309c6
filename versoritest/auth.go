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

// endUserKey is the request context key of the end user's external ID a token acts for.
type endUserKey struct{}

// tokenEndUser returns the external ID of the end user r's token acts for, or "" when r
// has organisation-wide access.
func tokenEndUser(r *http.Request) string {
	sub, _ := r.Context().Value(endUserKey{}).(string)
	return sub
}

// canReach reports whether r may reach end user u: always with organisation-wide access,
// otherwise only when u's external ID is the token's sub.
func canReach(r *http.Request, u *endUser) bool {
	sub := tokenEndUser(r)
	return sub == "" || u.externalID == sub
}

// scopeOperation refuses an operation an end-user token may not call.
func scopeOperation(op, sub string) *apiError {
	if sub == "" || endUserOperations[op] {
		return nil
	}
	return newError(http.StatusForbidden, "an end-user token (sub %q) may not call %s; it may call only the end-user operations, for its own end user", sub, op)
}

// authenticate accepts "Bearer <API key>" or "JWT <RS256 token from a registered key>". It
// returns the token's sub: the external ID of the end user it acts for, or "" for
// organisation-wide access.
func (f *Fake) authenticate(r *http.Request) (string, *apiError) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", unauthorized("missing Authorization header")
	}
	scheme, cred, ok := strings.Cut(h, " ")
	if !ok || cred == "" {
		return "", unauthorized("malformed Authorization header")
	}
	switch {
	case strings.EqualFold(scheme, "Bearer"):
		if subtle.ConstantTimeCompare([]byte(cred), []byte(f.cfg.apiKey)) != 1 {
			return "", unauthorized("invalid API key")
		}
		return "", nil
	case strings.EqualFold(scheme, "JWT"):
		sub, err := f.verifyJWT(cred)
		if err != nil {
			return "", unauthorized("invalid JWT: %v", err)
		}
		return sub, nil
	default:
		return "", unauthorized("unsupported Authorization scheme %q", scheme)
	}
}

// verifyJWT checks a signing-key token and returns its sub ("" if it has none). Only RS256
// is allowed, so neither "none" nor an HMAC token "signed" with the public key (algorithm
// confusion) can pass; exp and nbf are validated when present.
func (f *Fake) verifyJWT(raw string) (string, error) {
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
		return "", err
	}
	// A sub that is there but empty names no end user; it must not pass for an
	// organisation token, which has no sub at all.
	if sub, ok := tok.Claims.(jwt.MapClaims)["sub"]; ok && sub == "" {
		return "", errors.New("sub is empty: an end-user token's sub is the end user's external ID; an organisation token has no sub")
	}
	return tok.Claims.GetSubject()
}
