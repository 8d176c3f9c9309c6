package versoritest

import (
	"net/http"
)

type activationJSON struct {
	ID          string              `json:"id"`
	User        endUserJSON         `json:"user"`
	HubID       string              `json:"hubId"`
	Integration embeddedSummaryJSON `json:"integration"`
}

type endUserActivationJSON struct {
	ID          string              `json:"id"`
	HubID       string              `json:"hubId"`
	Integration embeddedSummaryJSON `json:"integration"`
}

func (f *Fake) renderActivation(a *activation) activationJSON {
	u := f.st.users[a.userID]
	return activationJSON{
		ID: a.id, User: f.renderUser(u), HubID: u.hubID,
		Integration: f.renderEmbeddedSummary(f.st.integrations[a.integrationID], u.id),
	}
}

// activationConnection is one validated entry of ActivationCreate.connections.
type activationConnection struct {
	template *template
	existing *connection      // set for {templateId, connectionId}
	create   *connectionInput // set for {templateId, name, credentials, variables}
}

// activateIntegration applies the activation rules: the integration must exist and be
// deployed, the user (external ID in the integration's hub, else internal ID) must not have
// activated it yet, and after resolving `connections` every template of the integration
// must have a connection, the primary one being met by the user's primary connection.
// `variables` must be present, as an array, because the spec's `required` lists it (a
// server validating against the spec refuses a body without it); its items are ignored.
func (f *Fake) activateIntegration(r *http.Request) (int, any, *apiError) {
	v, body := validateBody(r)
	userID, _ := v.nonEmpty(body, "userId", "userId", true)
	integrationID, _ := v.str(body, "integrationId", "integrationId", true)
	conns, _ := v.arr(body, "connections", "connections", true)
	v.arr(body, "variables", "variables", true)
	dynVars, _ := v.obj(body, "dynamicVariables", "dynamicVariables", false)
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	in := f.st.integrations[integrationID]
	switch {
	case in == nil:
		return 0, nil, badField("integrationId", "integration does not exist")
	case !in.deployed:
		return 0, nil, badField("integrationId", "integration is not deployed")
	}
	u := f.findUser(in.hubID, userID, false)
	if u == nil {
		u = f.findUser(in.hubID, userID, true)
	}
	// An end-user token activates only for its own end user; the answer for anyone else is
	// the same whether they exist or not.
	if sub := tokenEndUser(r); sub != "" && ((u != nil && u.externalID != sub) || (u == nil && userID != sub)) {
		return 0, nil, newError(http.StatusForbidden, "an end-user token may activate integrations only for its own end user (%q)", sub)
	}
	if u == nil {
		return 0, nil, badField("userId", "no end user with this external or internal ID in the integration's hub")
	}
	if f.activationFor(u.id, in.id) != nil {
		return 0, nil, conflict("end user %q has already activated integration %s", u.externalID, in.id)
	}

	var resolved []activationConnection
	boundBy := map[string]string{} // template ID -> path of the entry binding it
	v.eachObject(conns, "connections", func(m object, p string) {
		resolved = append(resolved, f.activationEntry(v, m, p, in, u, boundBy))
	})
	if e := v.err(); e != nil {
		return 0, nil, e
	}

	bound := map[string]bool{}
	for _, ac := range resolved {
		bound[ac.template.id] = true
	}
	for _, t := range f.integrationTemplates(in.id) {
		if !bound[t.id] && !f.isPrimaryTemplate(t) {
			v.add("connections", "connection template %s (%s) has no connection", t.id, f.connectorFor(t.connectorID).name)
		}
	}
	if e := v.err(); e != nil {
		return 0, nil, e
	}

	a := &activation{
		id: f.newID(), userID: u.id, integrationID: in.id,
		connections: map[string]string{}, dynamicVariables: copyObject(dynVars), createdAt: f.now(),
	}
	for _, t := range f.integrationTemplates(in.id) {
		if f.isPrimaryTemplate(t) {
			a.connections[t.id] = u.primaryConnectionID
		}
	}
	for _, ac := range resolved {
		c := ac.existing
		if ac.create != nil {
			c = f.storeConnection(u.id, ac.template.connectorID, *ac.create)
		}
		a.connections[ac.template.id] = c.id
	}
	f.st.activations.put(a.id, a)
	return http.StatusOK, f.renderActivation(a), nil
}

// activationEntry validates the entry of ActivationCreate.connections at p: an existing
// connection of the user's or a new one, for a template of the integration that no
// earlier entry binds.
func (f *Fake) activationEntry(v *validator, m object, p string, in *integration, u *endUser, boundBy map[string]string) activationConnection {
	var ac activationConnection
	if tid, ok := v.str(m, "templateId", join(p, "templateId"), true); ok {
		if t := f.st.templates[tid]; t == nil || t.integrationID != in.id {
			v.add(join(p, "templateId"), "connection template %q does not belong to this integration", tid)
		} else if q, dup := boundBy[tid]; dup {
			v.add(join(p, "templateId"), "connection template %s is already bound by %s", tid, q)
		} else {
			ac.template = t
			boundBy[tid] = p
		}
	}
	if _, isExisting := get(m, "connectionId"); isExisting {
		// The entry is a oneOf of Existing and New: one with both matches neither.
		if hasAny(m, "name", "credentials", "variables") {
			v.add(join(p, "connectionId"), "an entry binds an existing connection (templateId, connectionId) or creates one (templateId, name, credentials, variables), not both")
		}
		cid, _ := v.str(m, "connectionId", join(p, "connectionId"), true)
		c := f.st.connections[cid]
		switch {
		case c == nil || c.userID != u.id:
			v.add(join(p, "connectionId"), "connection %q does not exist for this end user", cid)
		case ac.template != nil && c.connectorID != ac.template.connectorID:
			v.add(join(p, "connectionId"), "connection is for a different connector than the template")
		default:
			ac.existing = c
		}
	} else {
		ci := f.validateConnectionCreate(v, m, p)
		ac.create = &ci
	}
	return ac
}

// activationFromPath resolves {activation_id}. Another end user's activation than an
// end-user token's own is not found.
func (f *Fake) activationFromPath(r *http.Request) (*activation, *apiError) {
	a, e := f.st.activations.find("activation", r.PathValue("activation_id"))
	if e == nil && !canReach(r, f.st.users[a.userID]) {
		return nil, notFound("activation %q not found", a.id)
	}
	return a, e
}

func (f *Fake) getActivation(_ *http.Request, a *activation) (int, any, *apiError) {
	return http.StatusOK, f.renderActivation(a), nil
}

func (f *Fake) deleteActivation(_ *http.Request, a *activation) (int, any, *apiError) {
	delete(f.st.activations, a.id)
	return http.StatusNoContent, nil, nil
}

// listEndUserActivations honours identifier_type although the spec omits it on this route,
// so callers can use the same user reference everywhere.
func (f *Fake) listEndUserActivations(r *http.Request, u *endUser) (int, any, *apiError) {
	p, e := parsePage(r.URL.Query())
	if e != nil {
		return 0, nil, e
	}
	filter := r.URL.Query().Get("integration_id")
	if filter != "" && !isULID(filter) {
		return 0, nil, badField("integration_id", "must be a ULID")
	}
	out, info := pageOf(f.st.activations, func(a *activation) bool {
		return a.userID == u.id && (filter == "" || a.integrationID == filter)
	}, p, func(a *activation) endUserActivationJSON {
		return endUserActivationJSON{ID: a.id, HubID: u.hubID, Integration: f.renderEmbeddedSummary(f.st.integrations[a.integrationID], u.id)}
	})
	return http.StatusOK, listJSON{info, "activations", out}, nil
}
