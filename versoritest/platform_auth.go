package versoritest

import (
	"net/http"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// Who may call a Platform operation. The Platform API takes the same credentials as v1
// (ServeHTTP has already checked them with authenticate); what a caller may then do
// depends on its kind:
//
//   - An API key ("Authorization: Bearer <key>") has full organisation access.
//   - A JWT without "sub" is an organisation (console) token: full access, except that it
//     may not create or delete end users (PLATFORM.md §3: "This JWT is not suitable for
//     creating or managing end users"). It may still read them.
//   - A JWT with "sub" is an end-user token; sub is the end user's external ID. It may
//     create that end user, read and delete it, create, read, update and delete its own
//     connections and activations, set their variables, initialise OAuth, and read the
//     organisation's configuration (projects, systems, connection templates) that the
//     embedded UI needs. Operations that act on the whole organisation (listing end users
//     or an environment's activations, static connections, changing templates or systems,
//     signing keys) answer 403. Another end user's users, connections and activations are
//     answered as if they did not exist (404, or the 400 a missing one gets), so a token
//     cannot probe for them.
type callerKind int

const (
	callerAPIKey callerKind = iota
	callerConsole
	callerEndUser
	callerAnonymous // a public operation (GetPublicKey)
)

// caller is who sent a Platform request.
type caller struct {
	kind       callerKind
	externalID string // the end user's external ID (sub), for callerEndUser
}

// callerOf authenticates r with the same checks as every other request and classifies the
// caller. Verifying a JWT takes f.mu, so this runs before the operation takes it.
func (f *Fake) callerOf(r *http.Request, public bool) (caller, *apiError) {
	if public {
		return caller{kind: callerAnonymous}, nil
	}
	if _, e := f.authenticate(r); e != nil {
		return caller{}, e
	}
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "JWT") {
		return caller{kind: callerAPIKey}, nil
	}
	// authenticate has verified the signature, issuer, exp and nbf of this very token;
	// only its claims are read here.
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token, claims); err != nil {
		return caller{}, unauthorized("invalid JWT: %v", err)
	}
	if _, has := claims["sub"]; !has {
		return caller{kind: callerConsole}, nil
	}
	sub, err := claims.GetSubject()
	if err != nil || sub == "" {
		return caller{}, unauthorized("invalid JWT: sub must be a non-empty string (the end user's external ID)")
	}
	return caller{kind: callerEndUser, externalID: sub}, nil
}

func forbidden(format string, args ...any) *apiError {
	return newError(http.StatusForbidden, format, args...)
}

// orgWide refuses end-user tokens on operations that act on the whole organisation.
func (c caller) orgWide() *apiError {
	if c.kind == callerEndUser {
		return forbidden("an end-user token cannot use this operation")
	}
	return nil
}

// sees reports whether the caller may see end user u's resources: everyone but an end-user
// token for another end user.
func (c caller) sees(u *pUser) bool {
	return c.kind != callerEndUser || (u != nil && u.externalID == c.externalID)
}

// seesUserID is sees for a user ID; "" (a static connection) is the organisation's.
func (f *Fake) seesUserID(c caller, userID string) bool {
	if c.kind != callerEndUser {
		return true
	}
	return userID != "" && c.sees(f.st.platform.users[userID])
}
