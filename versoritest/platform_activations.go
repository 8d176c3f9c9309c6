package versoritest

import (
	"maps"
	"net/http"
	"slices"
)

// pActivationJSON is the Platform's Activation.
type pActivationJSON struct {
	ID               string            `json:"id"`
	User             pEndUserJSON      `json:"user"`
	Environment      pEnvironmentJSON  `json:"environment"`
	Connections      []pConnectionJSON `json:"connections"`
	DynamicVariables object            `json:"dynamicVariables"`
}

// renderPActivation lists the activation's connections in template order.
func (f *Fake) renderPActivation(a *pActivation) pActivationJSON {
	ps := &f.st.platform
	var conns []*pConnection
	for _, tid := range slices.Sorted(maps.Keys(a.connections)) {
		if conn := ps.connections[a.connections[tid]]; conn != nil {
			conns = append(conns, conn)
		}
	}
	return pActivationJSON{
		ID: a.id, User: f.renderPUser(ps.users[a.userID]), Environment: renderPEnvironment(ps.environments[a.envID]),
		Connections: renderAll(conns, f.renderPConnection), DynamicVariables: copyObject(a.variables),
	}
}

// pActivationFor returns the user's activation in an environment; there is at most one.
func (f *Fake) pActivationFor(userID, envID string) *pActivation {
	return f.st.platform.activations.first(func(a *pActivation) bool { return a.userID == userID && a.envID == envID })
}

// pActivationByID finds an activation the caller may see.
func (f *Fake) pActivationByID(id string, c caller) (*pActivation, *apiError) {
	a := f.st.platform.activations[id]
	if a == nil || !f.seesUserID(c, a.userID) {
		return nil, notFound("activation %q not found", id)
	}
	return a, nil
}

// pActivationFromPath resolves {environment_id} and {activation_id}.
func (f *Fake) pActivationFromPath(r *http.Request) (*pActivation, *apiError) {
	env, e := f.pEnvironmentFromPath(r)
	if e != nil {
		return nil, e
	}
	a, e := f.pActivationByID(r.PathValue("activation_id"), callerOf(r))
	if e == nil && a.envID != env.id {
		return nil, notFound("activation %q not found in environment %s", a.id, env.id)
	}
	return a, e
}

// pActivationEntry is one resolved item of ActivationCreate.connections.
type pActivationEntry struct {
	template *pTemplate
	existing *pConnection      // existingConnectionId, or the user's connection for the template
	create   *pConnectionInput // connection, which wins over existingConnectionId
	conflict *pConnection      // with create: the connection the user already has for the template
}

// pActivateUser activates an end user (by ID or external ID) on an environment. Each
// entry of connections binds a dynamic template to a new connection, an existing one of
// the user's for the same system, or (with neither) the user's connection for that
// template. Every dynamic template of the environment must end up with a connection,
// given here or made before; a missing one is a 400 naming it. Static templates use the
// environment's static connections and need nothing here. dynamicVariables must satisfy
// the project's schema.
func (f *Fake) pActivateUser(r *http.Request) (int, any, *apiError) {
	c := callerOf(r)
	ps := &f.st.platform
	v, body := validateBody(r)
	userRef, ok := v.nonEmpty(body, "userId", "userId", true)
	u := f.findPUser(userRef)
	if ok && (u == nil || !c.sees(u)) {
		v.add("userId", "no end user has this ID or external ID")
	}
	envID, ok := v.ulidField(body, "environmentId", "environmentId", true)
	env := ps.environments[envID]
	if ok && env == nil {
		v.add("environmentId", "environment %q not found", envID)
	}
	items, _ := v.arr(body, "connections", "connections", true)
	vars, _ := v.obj(body, "dynamicVariables", "dynamicVariables", false)
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	if a := f.pActivationFor(u.id, env.id); a != nil {
		return 0, nil, conflict("end user %q is already activated on environment %s (activation %s)", u.externalID, env.id, a.id)
	}

	entries := map[string]pActivationEntry{}
	v.eachObject(items, "connections", func(m object, p string) {
		ent := f.pActivationEntry(v, m, p, u, env, c)
		if ent.template == nil {
			return
		}
		if _, dup := entries[ent.template.id]; dup {
			v.add(join(p, "connectionTemplateId"), "connection template %s is named twice", ent.template.id)
		}
		entries[ent.template.id] = ent
	})
	for _, t := range f.envTemplates(env.id) {
		if _, given := entries[t.id]; t.dynamic && !given {
			if conn := f.userConnectionFor(u.id, t.id); conn != nil {
				entries[t.id] = pActivationEntry{template: t, existing: conn}
			} else {
				v.add("connections", "connection template %s (%q) is dynamic and end user %q has no connection for it", t.id, t.name, u.externalID)
			}
		}
	}
	checkSchema(v, ps.projects[env.projectID].variablesSchema, copyObject(vars), "dynamicVariables")
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	for tid, ent := range entries {
		if ent.conflict != nil {
			return 0, nil, conflict("end user %q already has connection %s for connection template %s; pass it as existingConnectionId", u.externalID, ent.conflict.id, tid)
		}
	}

	now := f.now()
	a := &pActivation{id: f.newID(), userID: u.id, envID: env.id, connections: map[string]string{}, variables: copyObject(vars), createdAt: now, updatedAt: now}
	for tid, ent := range entries {
		conn := ent.existing
		if ent.create != nil {
			conn = &pConnection{
				id: f.newID(), name: ent.create.name, baseURL: ent.create.baseURL, systemID: ent.template.systemID,
				templateID: tid, userID: u.id, creds: f.storePCredentials(ent.create.creds, u.id, nil), createdAt: now, updatedAt: now,
			}
			ps.connections.put(conn.id, conn)
		}
		a.connections[tid] = conn.id
	}
	ps.activations.put(a.id, a)
	return http.StatusOK, f.renderPActivation(a), nil
}

// pActivationEntry validates the item of ActivationCreate.connections at p.
func (f *Fake) pActivationEntry(v *validator, m object, p string, u *pUser, env *pEnvironment, c caller) pActivationEntry {
	var ent pActivationEntry
	tp := join(p, "connectionTemplateId")
	tid, ok := v.ulidField(m, "connectionTemplateId", tp, true)
	t := f.st.platform.templates[tid]
	switch {
	case !ok:
		return ent
	case t == nil || t.envID != env.id:
		v.add(tp, "connection template %q is not a template of environment %s", tid, env.id)
		return ent
	case !t.dynamic:
		v.add(tp, "connection template %s is static; end users do not connect to it", t.id)
		return ent
	}
	ent.template = t
	if cm, ok := v.obj(m, "connection", join(p, "connection"), false); ok {
		in := f.validatePConnection(v, cm, join(p, "connection"), c, false)
		ent.create = &in
		ent.conflict = f.userConnectionFor(u.id, t.id)
		return ent
	}
	ep := join(p, "existingConnectionId")
	if id, ok := v.ulidField(m, "existingConnectionId", ep, false); ok {
		conn := f.st.platform.connections[id]
		switch {
		case conn == nil || conn.userID != u.id:
			v.add(ep, "end user %q has no connection %q", u.externalID, id)
		case conn.systemID != t.systemID:
			v.add(ep, "connection %s is for system %s, the template for %s", id, conn.systemID, t.systemID)
		default:
			ent.existing = conn
		}
		return ent
	}
	if ent.existing = f.userConnectionFor(u.id, t.id); ent.existing == nil {
		v.add(p, "gives neither connection nor existingConnectionId, and end user %q has no connection for connection template %s", u.externalID, t.id)
	}
	return ent
}

// pListActivations lists an environment's end-user activations. static, "really only
// intended for internal use or by the UI", is accepted but the fake has no static
// activation to list.
func (f *Fake) pListActivations(r *http.Request, env *pEnvironment) (int, any, *apiError) {
	var v validator
	queryBool(&v, r.URL.Query(), "static")
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	as := f.st.platform.activations.sorted(func(a *pActivation) bool {
		return a.envID == env.id
	})
	return http.StatusOK, renderAll(as, f.renderPActivation), nil
}

func (f *Fake) pGetActivation(_ *http.Request, a *pActivation) (int, any, *apiError) {
	return http.StatusOK, f.renderPActivation(a), nil
}

// pDeleteActivation deactivates; the user's connections stay.
func (f *Fake) pDeleteActivation(_ *http.Request, a *pActivation) (int, any, *apiError) {
	delete(f.st.platform.activations, a.id)
	return http.StatusNoContent, nil, nil
}

// pListUserActivations takes the external ID only (note the path's singular
// /environment/). An unknown end user, or another one for an end-user token, is a 404.
func (f *Fake) pListUserActivations(r *http.Request, env *pEnvironment) (int, any, *apiError) {
	ref := r.PathValue("external_user_id")
	u := f.pUserByExternalID(ref)
	if u == nil || !callerOf(r).sees(u) {
		return 0, nil, notFound("no end user has external ID %q", ref)
	}
	as := f.st.platform.activations.sorted(func(a *pActivation) bool {
		return a.envID == env.id && a.userID == u.id
	})
	return http.StatusOK, renderAll(as, f.renderPActivation), nil
}
