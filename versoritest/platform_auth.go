package versoritest

import (
	"net/http"
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
	callerAnonymous callerKind = iota // no credentials: a public operation (GetPublicKey)
	callerAPIKey
	callerConsole
	callerEndUser
)

// caller is who sent a request, as authenticate found.
type caller struct {
	kind       callerKind
	externalID string // the end user's external ID (sub), for callerEndUser
}

// callerKey is the request context key of the request's caller.
type callerKey struct{}

// callerOf returns who sent r; the zero caller, anonymous, for a public operation.
func callerOf(r *http.Request) caller {
	c, _ := r.Context().Value(callerKey{}).(caller)
	return c
}

func forbidden(format string, args ...any) *apiError {
	return newError(http.StatusForbidden, format, args...)
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
