package versoritest

import (
	"net/http"
	"strings"
)

// pEndUserJSON is the Platform's EndUser; every field is required.
type pEndUserJSON struct {
	ID             string `json:"id"`
	ExternalID     string `json:"externalId"`
	DisplayName    string `json:"displayName"`
	OrganisationID string `json:"organisationId"`
	CreatedAt      string `json:"createdAt"`
	UpdatedAt      string `json:"updatedAt"`
}

func (f *Fake) renderPUser(u *pUser) pEndUserJSON {
	return pEndUserJSON{
		ID: u.id, ExternalID: u.externalID, DisplayName: u.displayName, OrganisationID: f.st.orgID,
		CreatedAt: formatTime(u.createdAt), UpdatedAt: formatTime(u.updatedAt),
	}
}

// findPUser finds an end user by Versori ID or, failing that, by external ID. The ID is
// tried first: a ULID-looking external ID that is also another user's ID names that user.
func (f *Fake) findPUser(ref string) *pUser {
	if u := f.st.platform.users[ref]; u != nil {
		return u
	}
	return f.pUserByExternalID(ref)
}

func (f *Fake) pUserByExternalID(externalID string) *pUser {
	return f.st.platform.users.first(func(u *pUser) bool { return u.externalID == externalID })
}

// pUserFromPath resolves {user_id} (ID or external ID) for the caller: another end user's
// is a 404, like one that does not exist.
func (f *Fake) pUserFromPath(r *http.Request) (*pUser, *apiError) {
	ref := r.PathValue("user_id")
	u := f.findPUser(ref)
	if u == nil || !callerOf(r).sees(u) {
		return nil, notFound("end user %q not found", ref)
	}
	return u, nil
}

func (f *Fake) pCreateEndUser(r *http.Request) (int, any, *apiError) {
	c := callerOf(r)
	v, body := validateBody(r)
	externalID, _ := v.nonEmpty(body, "externalId", "externalId", true)
	displayName, _ := v.str(body, "displayName", "displayName", false)
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	if c.kind == callerEndUser && externalID != c.externalID {
		return 0, nil, forbidden("an end-user token can only create its own end user (externalId %q)", c.externalID)
	}
	if f.pUserByExternalID(externalID) != nil {
		return 0, nil, conflict("an end user with externalId %q already exists in this organisation", externalID)
	}
	now := f.now()
	u := &pUser{id: f.newID(), externalID: externalID, displayName: displayName, createdAt: now, updatedAt: now}
	f.st.platform.users.put(u.id, u)
	return http.StatusCreated, f.renderPUser(u), nil
}

func (f *Fake) pGetEndUser(_ *http.Request, u *pUser) (int, any, *apiError) {
	return http.StatusOK, f.renderPUser(u), nil
}

// pListEndUsers filters by search (a case-insensitive substring of the ID, external ID or
// display name) and by activated together with environment_id (whether the user has an
// activation in that environment), then cuts a cursor page.
func (f *Fake) pListEndUsers(r *http.Request) (int, any, *apiError) {
	q := r.URL.Query()
	p, e := parsePlatformPage(q)
	if e != nil {
		return 0, nil, e
	}
	var v validator
	activated, hasActivated := queryBool(&v, q, "activated")
	envID := q.Get("environment_id")
	switch {
	case hasActivated && envID == "":
		v.add("environment_id", "is required with activated")
	case envID != "" && !q.Has("activated"):
		v.add("activated", "is required with environment_id")
	case envID != "" && f.st.platform.environments[envID] == nil:
		v.add("environment_id", "environment %q not found", envID)
	}
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	search := strings.ToLower(q.Get("search"))
	out, info := pageOf(f.st.platform.users, func(u *pUser) bool {
		if envID != "" && (f.pActivationFor(u.id, envID) != nil) != activated {
			return false
		}
		return matchesSearch(search, u.id, u.externalID, u.displayName)
	}, p, f.renderPUser)
	return http.StatusOK, listJSON{info, "users", out}, nil
}

// pDeleteEndUser also deletes the user's connections and activations.
func (f *Fake) pDeleteEndUser(_ *http.Request, u *pUser) (int, any, *apiError) {
	ps := &f.st.platform
	ps.activations.deleteWhere(func(a *pActivation) bool { return a.userID == u.id })
	ps.connections.deleteWhere(func(conn *pConnection) bool { return conn.userID == u.id })
	delete(ps.users, u.id)
	return http.StatusNoContent, nil, nil
}

// queryBool parses an optional boolean query parameter.
func queryBool(v *validator, q map[string][]string, key string) (value, ok bool) {
	vals := q[key]
	if len(vals) == 0 {
		return false, false
	}
	switch vals[0] {
	case "true":
		return true, true
	case "false":
		return false, true
	default:
		v.add(key, "must be true or false")
		return false, false
	}
}
