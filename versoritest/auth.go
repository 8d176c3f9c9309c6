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

// authenticate accepts "Bearer <API key>" or "JWT <RS256 token from a registered key>".
func (f *Fake) authenticate(r *http.Request) *apiError {
	h := r.Header.Get("Authorization")
	if h == "" {
		return unauthorized("missing Authorization header")
	}
	scheme, cred, ok := strings.Cut(h, " ")
	if !ok || cred == "" {
		return unauthorized("malformed Authorization header")
	}
	switch {
	case strings.EqualFold(scheme, "Bearer"):
		if subtle.ConstantTimeCompare([]byte(cred), []byte(f.cfg.apiKey)) != 1 {
			return unauthorized("invalid API key")
		}
		return nil
	case strings.EqualFold(scheme, "JWT"):
		if err := f.verifyJWT(cred); err != nil {
			return unauthorized("invalid JWT: %v", err)
		}
		return nil
	default:
		return unauthorized("unsupported Authorization scheme %q", scheme)
	}
}

// verifyJWT checks an end-user token. Only RS256 is allowed, so neither "none" nor an HMAC
// token "signed" with the public key (algorithm confusion) can pass; exp and nbf are
// validated when present.
func (f *Fake) verifyJWT(raw string) error {
	_, err := jwt.Parse(raw, func(t *jwt.Token) (any, error) {
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
	return err
}
