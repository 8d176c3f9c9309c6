package versoritest

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// pConnectionInput is a validated ConnectionCreate or ConnectionUpdate, ready to store
// once the whole request is known to be good.
type pConnectionInput struct {
	name, baseURL string
	creds         []pConnCredInput
}

type pConnCredInput struct {
	scheme object
	cred   pCredentialInput
}

// validatePConnection checks a ConnectionCreate (or, with update, a ConnectionUpdate,
// whose baseUrl is required) at path. It stores nothing.
func (f *Fake) validatePConnection(v *validator, m object, path string, c caller, update bool) pConnectionInput {
	var in pConnectionInput
	in.name, _ = v.nonEmpty(m, "name", join(path, "name"), true)
	v.objects(m, "credentials", join(path, "credentials"), true, func(item object, p string) {
		var ci pConnCredInput
		v.ulidField(item, "id", join(p, "id"), true)
		if s, ok := v.obj(item, "authSchemeConfig", join(p, "authSchemeConfig"), false); ok {
			_, ci.scheme = validatePScheme(v, s, join(p, "authSchemeConfig"))
		}
		if cred, ok := v.obj(item, "credential", join(p, "credential"), true); ok {
			ci.cred = f.validatePCredential(v, cred, join(p, "credential"), c)
		}
		in.creds = append(in.creds, ci)
	})
	if raw, ok := v.str(m, "baseUrl", join(path, "baseUrl"), update); ok && raw != "" {
		if base, ok := normaliseBaseURL(raw); ok {
			in.baseURL = base
		} else {
			v.add(join(path, "baseUrl"), "must be a URL or a host name")
		}
	}
	return in
}

// normaliseBaseURL applies the spec's words on baseUrl: "Everything after the top-level
// domain will be ignored. If the scheme is missing, then https:// will be used." So
// "myshopify.com/admin" is stored as "https://myshopify.com".
func normaliseBaseURL(raw string) (string, bool) {
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	return u.Scheme + "://" + u.Host, true
}

// storePCredentials stores a connection's credentials. On update, a new credential whose
// id is one the connection already uses replaces that credential and keeps its ID.
func (f *Fake) storePCredentials(items []pConnCredInput, userID string, reuse map[string]bool) []pConnCred {
	out := make([]pConnCred, 0, len(items))
	for _, it := range items {
		credID := f.storePCredential(it.cred, userID, it.scheme)
		if it.cred.refID == "" && reuse[it.cred.id] {
			ps := &f.st.platform
			ps.credentials[credID].id = it.cred.id
			ps.credentials[it.cred.id] = ps.credentials[credID]
			delete(ps.credentials, credID)
			credID = it.cred.id
		}
		out = append(out, pConnCred{id: f.newID(), scheme: it.scheme, credID: credID})
	}
	return out
}

// pConnectionJSON is the Platform's Connection, secrets redacted.
type pConnectionJSON struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	Credentials          []pConnCredJSON `json:"credentials"`
	BaseURL              string          `json:"baseUrl,omitempty"`
	CreatedAt            string          `json:"createdAt"`
	UpdatedAt            string          `json:"updatedAt"`
	SystemID             string          `json:"systemId"`
	ConnectionTemplateID string          `json:"connectionTemplateId"`
}

// pConnCredJSON is the Platform's ConnectionCredential.
type pConnCredJSON struct {
	ID               string          `json:"id"`
	AuthSchemeConfig object          `json:"authSchemeConfig,omitempty"`
	Credential       pCredentialJSON `json:"credential"`
}

func (f *Fake) renderPConnection(conn *pConnection) pConnectionJSON {
	creds := renderAll(conn.creds, func(cc pConnCred) pConnCredJSON {
		return pConnCredJSON{
			ID:               cc.id,
			AuthSchemeConfig: pRedact(cc.scheme),
			Credential:       f.renderPCredential(f.st.platform.credentials[cc.credID]),
		}
	})
	return pConnectionJSON{
		ID: conn.id, Name: conn.name, Credentials: creds, BaseURL: conn.baseURL,
		CreatedAt: formatTime(conn.createdAt), UpdatedAt: formatTime(conn.updatedAt),
		SystemID: conn.systemID, ConnectionTemplateID: conn.templateID,
	}
}

// userConnectionFor returns the end user's connection for a template, if any: there is at
// most one.
func (f *Fake) userConnectionFor(userID, templateID string) *pConnection {
	return f.st.platform.connections.first(func(conn *pConnection) bool { return conn.userID == userID && conn.templateID == templateID })
}

// staticConnectionFor returns the static connection linked to a template, if any: there
// is at most one.
func (f *Fake) staticConnectionFor(templateID string) *pConnection {
	return f.st.platform.connections.first(func(conn *pConnection) bool { return conn.userID == "" && conn.links[templateID] })
}

// activationUsing returns an activation that uses the connection, if any.
func (f *Fake) activationUsing(connID string) *pActivation {
	return f.st.platform.activations.first(func(a *pActivation) bool {
		return slices.Contains(slices.Collect(maps.Values(a.connections)), connID)
	})
}

// pConnectionFromPath resolves {connection_id} for the caller: another end user's
// connection, or a static one for an end-user token, is a 404.
func (f *Fake) pConnectionFromPath(r *http.Request) (*pConnection, *apiError) {
	id := r.PathValue("connection_id")
	conn := f.st.platform.connections[id]
	if conn == nil || !f.seesUserID(callerOf(r), conn.userID) {
		return nil, notFound("connection %q not found", id)
	}
	return conn, nil
}

// pCreateConnection creates an end user's (dynamic) connection when externalId is set,
// else a static one linked to the template. An end user has at most one connection per
// template, and a template at most one linked static connection.
func (f *Fake) pCreateConnection(r *http.Request) (int, any, *apiError) {
	c := callerOf(r)
	body, e := decodeObject(r)
	if e != nil {
		return 0, nil, e
	}
	var v validator
	externalID, hasExternalID := v.str(body, "externalId", "externalId", false)
	if c.kind == callerEndUser && externalID != c.externalID {
		return 0, nil, forbidden("an end-user token can only create connections for its own end user (externalId %q)", c.externalID)
	}
	templateID, ok := v.ulidField(body, "connectionTemplateId", "connectionTemplateId", true)
	t := f.st.platform.templates[templateID]
	if ok && t == nil {
		v.add("connectionTemplateId", "connection template %q not found", templateID)
	}
	var u *pUser
	if hasExternalID {
		if u = f.pUserByExternalID(externalID); u == nil {
			v.add("externalId", "no end user has external ID %q", externalID)
		}
		if t != nil && !t.dynamic {
			v.add("connectionTemplateId", "connection template %s is static: create its connection without externalId", t.id)
		}
	}
	var in pConnectionInput
	if m, ok := v.obj(body, "connection", "connection", true); ok {
		in = f.validatePConnection(&v, m, "connection", c, false)
	}
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	userID := ""
	if u != nil {
		userID = u.id
		if f.userConnectionFor(u.id, t.id) != nil {
			return 0, nil, conflict("end user %q already has a connection for connection template %s", u.externalID, t.id)
		}
	} else if other := f.staticConnectionFor(t.id); other != nil {
		return 0, nil, conflict("connection template %s already has static connection %s; unlink it first", t.id, other.id)
	}
	now := f.now()
	conn := &pConnection{
		id: f.newID(), name: in.name, baseURL: in.baseURL, systemID: t.systemID, templateID: t.id, userID: userID,
		creds: f.storePCredentials(in.creds, userID, nil), createdAt: now, updatedAt: now,
	}
	if userID == "" {
		conn.links = map[string]bool{t.id: true}
	}
	f.st.platform.connections.put(conn.id, conn)
	return http.StatusCreated, f.renderPConnection(conn), nil
}

// pListConnections pages the organisation's connections (an end-user token: its own),
// filtered by system_id and end_user_id, which takes only the Versori ID (a ULID), as
// the API does.
func (f *Fake) pListConnections(r *http.Request) (int, any, *apiError) {
	c := callerOf(r)
	q := r.URL.Query()
	p, e := parsePlatformPage(q)
	if e != nil {
		return 0, nil, e
	}
	systemID, userID := q.Get("system_id"), q.Get("end_user_id")
	if userID != "" && !isULID(userID) {
		return 0, nil, badField("end_user_id", "must be the end user's ID (a ULID), not its external ID")
	}
	if c.kind == callerEndUser {
		own := f.pUserByExternalID(c.externalID)
		switch {
		case own == nil:
			return http.StatusOK, listJSON{pageInfo{}, "items", []pConnectionJSON{}}, nil
		case userID != "" && userID != own.id:
			return 0, nil, forbidden("an end-user token can only list its own connections")
		}
		userID = own.id
	}
	out, info := pageOf(f.st.platform.connections, func(conn *pConnection) bool {
		return (systemID == "" || conn.systemID == systemID) && (userID == "" || conn.userID == userID)
	}, p, f.renderPConnection)
	return http.StatusOK, listJSON{info, "items", out}, nil
}

func (f *Fake) pGetConnection(_ *http.Request, conn *pConnection) (int, any, *apiError) {
	return http.StatusOK, f.renderPConnection(conn), nil
}

// pUpdateConnection replaces the connection's name and credentials. baseUrl is required,
// but "" leaves the stored one as it is ("If it is left as an empty string, it will be
// ignored"). To keep a credential's secrets, which reads redact, refer to it by {id,
// organisationId} alone; a new credential with the id of one the connection uses replaces
// that one's data and keeps its ID.
func (f *Fake) pUpdateConnection(r *http.Request, conn *pConnection) (int, any, *apiError) {
	v, body := validateBody(r)
	in := f.validatePConnection(v, body, "", callerOf(r), true)
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	reuse := map[string]bool{}
	for _, cc := range conn.creds {
		reuse[cc.credID] = true
	}
	conn.name = in.name
	if in.baseURL != "" {
		conn.baseURL = in.baseURL
	}
	conn.creds = f.storePCredentials(in.creds, conn.userID, reuse)
	conn.updatedAt = f.now()
	return http.StatusOK, f.renderPConnection(conn), nil
}

// pDeleteConnection refuses to delete an end user's connection an activation uses; a
// static connection is deleted even while linked.
func (f *Fake) pDeleteConnection(_ *http.Request, conn *pConnection) (int, any, *apiError) {
	if a := f.activationUsing(conn.id); a != nil && conn.userID != "" {
		return 0, nil, conflict("connection %s is used by activation %s; delete the activation first", conn.id, a.id)
	}
	delete(f.st.platform.connections, conn.id) // its credentials stay, as in v1: others may use them
	return http.StatusNoContent, nil, nil
}

// linkTemplate resolves Link's and Unlink's LinkConnectionEnvironment body, which must
// name a template of the static connection's system.
func (f *Fake) linkTemplate(r *http.Request, conn *pConnection) (*pTemplate, *apiError) {
	v, body := validateBody(r)
	id, ok := v.ulidField(body, "connectionTemplateId", "connectionTemplateId", true)
	t := f.st.platform.templates[id]
	switch {
	case !ok:
	case t == nil:
		v.add("connectionTemplateId", "connection template %q not found", id)
	case conn.userID != "":
		v.add("connectionTemplateId", "connection %s belongs to an end user; only static connections are linked", conn.id)
	case t.systemID != conn.systemID:
		v.add("connectionTemplateId", "connection template %s is for system %s, the connection for %s", t.id, t.systemID, conn.systemID)
	}
	return t, v.err()
}

// pLinkConnection links a static connection to a template (an environment's use of a
// system). A template has at most one static connection.
func (f *Fake) pLinkConnection(r *http.Request, conn *pConnection) (int, any, *apiError) {
	t, e := f.linkTemplate(r, conn)
	if e != nil {
		return 0, nil, e
	}
	if other := f.staticConnectionFor(t.id); other != nil {
		return 0, nil, conflict("connection template %s already has static connection %s", t.id, other.id)
	}
	conn.links[t.id] = true
	return http.StatusCreated, nil, nil
}

// pUnlinkConnection is a DELETE with a body naming the template to unlink from.
func (f *Fake) pUnlinkConnection(r *http.Request, conn *pConnection) (int, any, *apiError) {
	t, e := f.linkTemplate(r, conn)
	if e != nil {
		return 0, nil, e
	}
	if !conn.links[t.id] {
		return 0, nil, notFound("connection %s is not linked to connection template %s", conn.id, t.id)
	}
	delete(conn.links, t.id)
	return http.StatusNoContent, nil, nil
}

// pGetActivationConnection returns the connection an activation uses for a template
// ({env_system_id}): the one bound at activation, else the end user's connection for a
// dynamic template, else the template's static connection.
func (f *Fake) pGetActivationConnection(r *http.Request) (int, any, *apiError) {
	a, e := f.pActivationByID(r.PathValue("activation_id"), callerOf(r))
	if e != nil {
		return 0, nil, e
	}
	t := f.st.platform.templates[r.PathValue("env_system_id")]
	if t == nil || t.envID != a.envID {
		return 0, nil, notFound("connection template %q not found in the activation's environment", r.PathValue("env_system_id"))
	}
	conn := f.st.platform.connections[a.connections[t.id]]
	if conn == nil && t.dynamic {
		conn = f.userConnectionFor(a.userID, t.id)
	}
	if conn == nil {
		conn = f.staticConnectionFor(t.id)
	}
	if conn == nil {
		return 0, nil, notFound("activation %s has no connection for connection template %s", a.id, t.id)
	}
	return http.StatusOK, f.renderPConnection(conn), nil
}

// pListEnvironmentConnections pages the static connections linked to the project's
// templates, those of env_id's if given.
func (f *Fake) pListEnvironmentConnections(r *http.Request, p *pProject) (int, any, *apiError) {
	listed, pp, e := f.projectListQuery(r, p)
	if e != nil {
		return 0, nil, e
	}
	out, info := pageOf(f.st.platform.connections, func(conn *pConnection) bool {
		for tid := range conn.links {
			if t := f.st.platform.templates[tid]; t != nil && listed(t) {
				return true
			}
		}
		return false
	}, pp, f.renderPConnection)
	return http.StatusOK, listJSON{info, "items", out}, nil
}
