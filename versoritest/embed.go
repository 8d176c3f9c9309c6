package versoritest

import (
	"net/http"
)

// embeddedSummaryJSON is the spec's EmbeddedIntegrationSummary.
type embeddedSummaryJSON struct {
	integrationBaseJSON
	IsDeployed  bool `json:"isDeployed"`
	IsActivated bool `json:"isActivated"`
}

// embeddedIntegrationJSON is the spec's EmbeddedIntegration.
type embeddedIntegrationJSON struct {
	embeddedSummaryJSON
	ConnectionTemplates []templateJSON `json:"connectionTemplates"`
}

func (f *Fake) renderEmbeddedSummary(in *integration, userID string) embeddedSummaryJSON {
	return embeddedSummaryJSON{
		integrationBaseJSON: renderIntegrationBase(in),
		IsDeployed:          in.deployed,
		IsActivated:         f.activationFor(userID, in.id) != nil,
	}
}

func (f *Fake) activationFor(userID, integrationID string) *activation {
	return f.st.activations.first(func(a *activation) bool { return a.userID == userID && a.integrationID == integrationID })
}

func (f *Fake) listEndUserIntegrations(r *http.Request, u *endUser) (int, any, *apiError) {
	var deployed *bool
	switch d := r.URL.Query().Get("deployed"); d {
	case "":
	case "true", "false":
		b := d == "true"
		deployed = &b
	default:
		return 0, nil, badField("deployed", "must be true or false")
	}
	// The spec declares no cursor parameters here, but the response is a PageInfo page,
	// so the usual first/after/before are honoured.
	p, e := parsePage(r.URL.Query())
	if e != nil {
		return 0, nil, e
	}
	connected := f.st.integrations.ids(func(in *integration) bool { return in.hubID == u.hubID && f.activationFor(u.id, in.id) != nil })
	out, info := pageOf(f.st.integrations, func(in *integration) bool {
		return in.hubID == u.hubID && (deployed == nil || in.deployed == *deployed)
	}, p, func(in *integration) embeddedSummaryJSON { return f.renderEmbeddedSummary(in, u.id) })
	return http.StatusOK, struct {
		pageInfo
		Integrations   []embeddedSummaryJSON `json:"integrations"`
		TotalConnected int                   `json:"totalConnected"`
	}{info, out, len(connected)}, nil
}

func (f *Fake) getEmbeddedIntegration(r *http.Request, u *endUser) (int, any, *apiError) {
	in := f.st.integrations[r.PathValue("integration_id")]
	if in == nil || in.hubID != u.hubID {
		return 0, nil, notFound("integration %q not found in hub", r.PathValue("integration_id"))
	}
	return http.StatusOK, embeddedIntegrationJSON{
		embeddedSummaryJSON: f.renderEmbeddedSummary(in, u.id),
		ConnectionTemplates: renderAll(f.integrationTemplates(in.id), f.renderTemplate),
	}, nil
}

// oauth2Client resolves InitialiseOAuth2's credential reference to the OAuth 2.0 client it
// names: an oauth2-client credential of this organisation. Its client secret is what the
// API uses to exchange the code; a reference to anything else would fail only when the
// provider redirects back, which the fake never sees, so it is refused here.
func (f *Fake) oauth2Client(v *validator, id, org string) *credential {
	if id == "" || org == "" {
		return nil // already reported
	}
	if org != f.st.orgID {
		v.add("credential.organisationId", "must be this organisation (%s): a credential initialises connections only for the organisation that owns it", f.st.orgID)
		return nil
	}
	c := f.st.credentials[id]
	switch {
	case id == zeroULID:
		v.add("credential.id", "must not be the all-zero ULID")
	case c == nil || c.orgID != org:
		v.add("credential.id", "no credential %s in organisation %s", id, org)
	case c.typ != credOAuth2Client:
		v.add("credential.id", "credential %s is of type %s; it must be an %s credential holding the OAuth 2.0 client", id, c.typ, credOAuth2Client)
	default:
		return c
	}
	return nil
}

// initialiseOAuth2 builds the provider's authorize URL (see oauth2Init.authorizeURLFor)
// with a fresh state, remembered for the connector.
func (f *Fake) initialiseOAuth2(r *http.Request, h *hub) (int, any, *apiError) {
	connectorID := r.PathValue("connector_id")
	if !f.hubConnectors(h)[connectorID] {
		return 0, nil, notFound("connector %q is not used by this hub", connectorID)
	}
	v, body := validateBody(r)
	in := validateOAuth2Init(v, body)
	if client := f.oauth2Client(v, in.credentialID, in.organisationID); client != nil && in.clientID != "" && client.data["clientId"] != in.clientID {
		v.add("clientId", "must be the client ID stored in credential %s", client.id)
	}
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	state := randomToken()
	f.st.oauthStates.put(state, &connectorID)
	return http.StatusOK, map[string]string{"url": in.authorizeURLFor(state, "http://"+r.Host+"/oauth2/callback")}, nil
}
