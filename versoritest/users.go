package versoritest

import (
	"net/http"
	"strings"
)

// identifierInternal reports whether identifier_type asks for internal IDs. The default is
// external; anything but "internal" or "external" is a 400.
func identifierInternal(r *http.Request) (bool, *apiError) {
	switch t := r.URL.Query().Get("identifier_type"); t {
	case "", "external":
		return false, nil
	case "internal":
		return true, nil
	default:
		return false, badField("identifier_type", "must be internal or external")
	}
}

// findUser finds a hub's user by internal ID or by external ID.
func (f *Fake) findUser(hubID, userID string, internal bool) *endUser {
	if internal {
		if u := f.st.users[userID]; u != nil && u.hubID == hubID {
			return u
		}
		return nil
	}
	return f.st.users.first(func(u *endUser) bool { return u.hubID == hubID && u.externalID == userID })
}

// userFromPath resolves {hub_id} and {user_id}.
func (f *Fake) userFromPath(r *http.Request) (*endUser, *apiError) {
	_, u, e := userIn(f, r, f.hubFromPath, func(h *hub) string { return h.id })
	return u, e
}

// userIn resolves {user_id}, honouring identifier_type (checked first), among the end
// users of the hub the path leads to: load finds the path's hub, integration or
// connection template, and hubOf says whose hub that is. Another end user than an
// end-user token's own is not found.
func userIn[T any](f *Fake, r *http.Request, load func(*http.Request) (T, *apiError), hubOf func(T) string) (T, *endUser, *apiError) {
	var x T
	internal, e := identifierInternal(r)
	if e == nil {
		x, e = load(r)
	}
	if e != nil {
		return x, nil, e
	}
	u := f.findUser(hubOf(x), r.PathValue("user_id"), internal)
	if u == nil || !canReach(r, u) {
		return x, nil, notFound("end user %q not found", r.PathValue("user_id"))
	}
	return x, u, nil
}

// endUserJSON is the spec's EndUser: an EndUserSummary with the primary connection.
type endUserJSON struct {
	endUserSummaryJSON
	PrimaryConnection connectionJSON `json:"primaryConnection"`
}

// endUserSummaryJSON is the spec's EndUserSummary.
type endUserSummaryJSON struct {
	ID          string `json:"id"`
	ExternalID  string `json:"externalId"`
	DisplayName string `json:"displayName"`
	HubID       string `json:"hubId"`
	CreatedAt   string `json:"createdAt"`
	UpdatedAt   string `json:"updatedAt"`
}

func renderUserSummary(u *endUser) endUserSummaryJSON {
	return endUserSummaryJSON{
		ID: u.id, ExternalID: u.externalID, DisplayName: u.displayName, HubID: u.hubID,
		CreatedAt: formatTime(u.createdAt), UpdatedAt: formatTime(u.updatedAt),
	}
}

func (f *Fake) renderUser(u *endUser) endUserJSON {
	return endUserJSON{
		endUserSummaryJSON: renderUserSummary(u),
		PrimaryConnection:  f.renderConnection(f.st.connections[u.primaryConnectionID]),
	}
}

// createEndUser runs on a live hub (liveHubFromPath): a soft-deleted one takes no new end
// users, only reads by ID go on working there.
func (f *Fake) createEndUser(r *http.Request, h *hub) (int, any, *apiError) {
	v, body := validateBody(r)
	externalID, _ := v.nonEmpty(body, "externalId", "externalId", true)
	displayName, _ := v.str(body, "displayName", "displayName", false)
	var conn connectionInput
	if m, ok := v.obj(body, "primaryConnection", "primaryConnection", true); ok {
		conn = f.validateConnectionCreate(v, m, "primaryConnection")
	}
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	if f.findUser(h.id, externalID, false) != nil {
		return 0, nil, conflict("an end user with externalId %q already exists in this hub", externalID)
	}
	now := f.now()
	u := &endUser{id: f.newID(), hubID: h.id, externalID: externalID, displayName: displayName, createdAt: now, updatedAt: now}
	u.primaryConnectionID = f.storeConnection(u.id, h.primaryConnector, conn).id
	f.st.users.put(u.id, u)
	return http.StatusCreated, f.renderUser(u), nil
}

func (f *Fake) getEndUser(_ *http.Request, u *endUser) (int, any, *apiError) {
	return http.StatusOK, f.renderUser(u), nil
}

func (f *Fake) listEndUsers(r *http.Request, h *hub) (int, any, *apiError) {
	p, e := parsePage(r.URL.Query())
	if e != nil {
		return 0, nil, e
	}
	search := strings.ToLower(r.URL.Query().Get("search"))
	out, info := pageOf(f.st.users, func(u *endUser) bool {
		return u.hubID == h.id && matchesSearch(search, u.id, u.externalID, u.displayName)
	}, p, renderUserSummary)
	return http.StatusOK, listJSON{info, "users", out}, nil
}

// deleteEndUser also deletes the user's connections and activations, as the spec says.
// Credentials stay: a credential may be shared by reference with other connections.
func (f *Fake) deleteEndUser(_ *http.Request, u *endUser) (int, any, *apiError) {
	f.st.connections.deleteWhere(func(c *connection) bool { return c.userID == u.id })
	f.st.activations.deleteWhere(func(a *activation) bool { return a.userID == u.id })
	delete(f.st.users, u.id)
	return http.StatusNoContent, nil, nil
}
