package versoritest

import (
	"net/http"
	"strings"
)

// connectionInput is a validated ConnectionCreate (or the connection part of an
// ActivationConnectionCreateNew), ready to store once the whole request is known good.
type connectionInput struct {
	name            string
	action, trigger []connectionCredentialInput
	variables       []connectionVariable
}

type connectionCredentialInput struct {
	scheme object
	cred   credentialInput
}

// validateConnectionCreate checks a ConnectionCreate at path. It stores nothing, so a
// request that fails validation leaves no half-created state behind.
func (f *Fake) validateConnectionCreate(v *validator, m object, path string) connectionInput {
	var in connectionInput
	in.name, _ = v.nonEmpty(m, "name", join(path, "name"), true)
	cp := join(path, "credentials")
	if creds, ok := v.obj(m, "credentials", cp, true); ok {
		in.action = f.validateConnectionCredentials(v, creds, "action", join(cp, "action"))
		in.trigger = f.validateConnectionCredentials(v, creds, "trigger", join(cp, "trigger"))
	}
	in.variables = validateVariables(v, m, path)
	return in
}

func (f *Fake) validateConnectionCredentials(v *validator, creds object, key, path string) []connectionCredentialInput {
	var out []connectionCredentialInput
	v.objects(creds, key, path, false, func(item object, p string) {
		var in connectionCredentialInput
		if scheme, ok := v.obj(item, "authSchemeConfig", join(p, "authSchemeConfig"), true); ok {
			in.scheme = validateAuthScheme(v, scheme, join(p, "authSchemeConfig"))
			f.checkGrantCredential(v, in.scheme, join(p, "authSchemeConfig"))
		}
		if cred, ok := v.obj(item, "credential", join(p, "credential"), true); ok {
			in.cred = f.validateCredential(v, cred, join(p, "credential"))
		}
		out = append(out, in)
	})
	return out
}

// validateVariables checks the required `variables` array of ConnectionVariable.
func validateVariables(v *validator, m object, path string) []connectionVariable {
	var out []connectionVariable
	v.objects(m, "variables", join(path, "variables"), true, func(item object, p string) {
		name, _ := v.nonEmpty(item, "name", join(p, "name"), true)
		value, _ := v.str(item, "value", join(p, "value"), true)
		out = append(out, connectionVariable{Name: name, Value: value})
	})
	return out
}

// storeConnection creates a validated connection for a user and connector.
func (f *Fake) storeConnection(userID, connectorID string, in connectionInput) *connection {
	now := f.now()
	c := &connection{
		id: f.newID(), userID: userID, connectorID: connectorID, name: in.name,
		variables: append([]connectionVariable{}, in.variables...),
		createdAt: now, updatedAt: now,
	}
	store := func(it connectionCredentialInput) connectionCredential {
		return connectionCredential{
			id:               f.newID(),
			authSchemeConfig: f.storeGrantCredential(it.scheme),
			credentialID:     f.storeCredential(it.cred, it.scheme),
		}
	}
	c.action = renderAll(in.action, store)
	c.trigger = renderAll(in.trigger, store)
	f.st.connections.put(c.id, c)
	return c
}

// connectionJSON is the spec's Connection. action, trigger and variables are always arrays
// (ConnectionCredentials has minProperties: 1, and clients should not have to nil-check).
type connectionJSON struct {
	connectionSummaryJSON
	Credentials connectionCredentialsJSON `json:"credentials"`
	Variables   []connectionVariable      `json:"variables"`
}

type connectionCredentialsJSON struct {
	Action  []connectionCredentialJSON `json:"action"`
	Trigger []connectionCredentialJSON `json:"trigger"`
}

type connectionCredentialJSON struct {
	ID               string         `json:"id"`
	AuthSchemeConfig object         `json:"authSchemeConfig"`
	Credential       credentialJSON `json:"credential"`
}

// connectionSummaryJSON is the spec's ConnectionSummary.
type connectionSummaryJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

func (f *Fake) renderConnection(c *connection) connectionJSON {
	render := func(it connectionCredential) connectionCredentialJSON {
		return connectionCredentialJSON{
			ID:               it.id,
			AuthSchemeConfig: redact(it.authSchemeConfig),
			Credential:       f.st.credentials[it.credentialID].render(),
		}
	}
	return connectionJSON{
		connectionSummaryJSON: renderConnectionSummary(c),
		Credentials:           connectionCredentialsJSON{Action: renderAll(c.action, render), Trigger: renderAll(c.trigger, render)},
		Variables:             append([]connectionVariable{}, c.variables...),
	}
}

func renderConnectionSummary(c *connection) connectionSummaryJSON {
	return connectionSummaryJSON{ID: c.id, Name: c.name, CreatedAt: formatTime(c.createdAt), UpdatedAt: formatTime(c.updatedAt)}
}

// hubConnectors are the connectors a hub's users may connect to: its primary connector and
// those of its integrations' templates.
func (f *Fake) hubConnectors(h *hub) map[string]bool {
	out := map[string]bool{h.primaryConnector: true}
	for _, t := range f.st.templates {
		if in := f.st.integrations[t.integrationID]; in != nil && in.hubID == h.id {
			out[t.connectorID] = true
		}
	}
	return out
}

func (f *Fake) createEndUserConnection(r *http.Request, u *endUser) (int, any, *apiError) {
	v, body := validateBody(r)
	connectorID, ok := v.ulidField(body, "connectorId", "connectorId", true)
	if ok && !f.hubConnectors(f.st.hubs[u.hubID])[connectorID] {
		v.add("connectorId", "connector %s is neither the hub's primary connector nor used by any of its integrations", connectorID)
	}
	var in connectionInput
	if m, ok := v.obj(body, "connection", "connection", true); ok {
		in = f.validateConnectionCreate(v, m, "connection")
	}
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	c := f.storeConnection(u.id, connectorID, in)
	return http.StatusCreated, f.renderConnection(c), nil
}

func (f *Fake) listEndUserConnections(r *http.Request, u *endUser) (int, any, *apiError) {
	p, e := parsePage(r.URL.Query())
	if e != nil {
		return 0, nil, e
	}
	// hub_connector_id is an explode=false array (comma-joined); repeated params are
	// accepted too. A value may name a connector or a connection template.
	var want map[string]bool
	for _, raw := range r.URL.Query()["hub_connector_id"] {
		for _, id := range strings.Split(raw, ",") {
			if id = strings.TrimSpace(id); id == "" {
				continue
			}
			if want == nil {
				want = map[string]bool{}
			}
			want[id] = true
			if t := f.st.templates[id]; t != nil {
				want[t.connectorID] = true
			}
		}
	}
	out, info := pageOf(f.st.connections, func(c *connection) bool {
		return c.userID == u.id && (want == nil || want[c.connectorID])
	}, p, renderConnectionSummary)
	return http.StatusOK, listJSON{info, "connections", out}, nil
}

// getEndUserConnection returns the user's most recent connection to the template's
// connector. The route declares no identifier_type; it is honoured as on the other user
// routes (external by default), since guessing could reach another user whose external ID
// is this one's internal ID.
func (f *Fake) getEndUserConnection(r *http.Request) (int, any, *apiError) {
	templateOf := func(r *http.Request) (*template, *apiError) {
		return f.st.templates.find("connection template", r.PathValue("connection_template_id"))
	}
	t, u, e := userIn(f, r, templateOf, func(t *template) string { return f.st.integrations[t.integrationID].hubID })
	if e != nil {
		return 0, nil, e
	}
	var latest *connection
	for _, c := range f.st.connections {
		if c.userID == u.id && c.connectorID == t.connectorID && (latest == nil || c.id > latest.id) {
			latest = c
		}
	}
	if latest == nil {
		return 0, nil, notFound("end user has no connection for this connection template")
	}
	return http.StatusOK, f.renderConnection(latest), nil
}
