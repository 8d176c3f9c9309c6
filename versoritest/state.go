package versoritest

import (
	"cmp"
	"crypto/rand"
	"slices"
	"time"

	"github.com/oklog/ulid/v2"
)

// state is the fake's in-memory database. Every field is guarded by Fake.mu.
type state struct {
	orgID        string
	connectors   map[string]*connector
	hubs         map[string]*hub
	users        map[string]*endUser
	connections  map[string]*connection
	credentials  map[string]*credential
	integrations map[string]*integration
	templates    map[string]*template
	activations  map[string]*activation
	oauthStates  map[string]string // issued OAuth 2.0 state -> connector ID

	platform *platformState // the Platform API's state (platform_state.go)
}

func newState() *state {
	return &state{
		connectors:   map[string]*connector{},
		hubs:         map[string]*hub{},
		users:        map[string]*endUser{},
		connections:  map[string]*connection{},
		credentials:  map[string]*credential{},
		integrations: map[string]*integration{},
		templates:    map[string]*template{},
		activations:  map[string]*activation{},
		oauthStates:  map[string]string{},
		platform:     newPlatformState(),
	}
}

// connector is a Connector the fake knows by name and image. The Embedded API has no
// connector endpoints, so unknown connector IDs are registered on first use.
type connector struct {
	id, name, imageURL string
}

type hub struct {
	id, orgID, name  string
	primaryConnector string
	authSchemeConfig object
	isDefault        bool
	deleted          bool
	createdAt        time.Time
}

type endUser struct {
	id, hubID, externalID, displayName string
	primaryConnectionID                string
	createdAt, updatedAt               time.Time
}

type connection struct {
	id, userID, connectorID, name string
	action, trigger               []connectionCredential
	variables                     []connectionVariable
	createdAt, updatedAt          time.Time
}

type connectionCredential struct {
	id               string
	authSchemeConfig object
	credentialID     string
}

type connectionVariable struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// credential holds the real, unredacted data; redaction happens only when rendering.
type credential struct {
	id, orgID, name, typ string
	data                 object
}

type integration struct {
	id, hubID, name, imageURL, description, summary, boardID string
	variablesSchema                                          object // nil when unset
	deployed                                                 bool
	createdAt                                                time.Time
}

type template struct {
	id, integrationID, connectorID string
	authSchemeConfig               object
	isUsed                         bool
}

type activation struct {
	id, userID, integrationID string
	connections               map[string]string // template ID -> connection ID
	dynamicVariables          object
	createdAt                 time.Time
}

// idGen mints ULIDs that strictly increase even when the configured clock stands still or
// goes backwards, because lists are ordered by ID and must follow creation order.
type idGen struct {
	entropy *ulid.MonotonicEntropy
	lastMs  uint64
}

func newIDGen() *idGen {
	return &idGen{entropy: ulid.Monotonic(rand.Reader, 0)}
}

func (g *idGen) next(now time.Time) string {
	ms := ulid.Timestamp(now)
	if ms < g.lastMs {
		ms = g.lastMs
	}
	g.lastMs = ms
	return ulid.MustNew(ms, g.entropy).String()
}

// sortedByID returns the map's values in ID (that is, creation) order.
func sortedByID[T any](m map[string]*T, id func(*T) string, keep func(*T) bool) []*T {
	out := make([]*T, 0, len(m))
	for _, v := range m {
		if keep == nil || keep(v) {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b *T) int { return cmp.Compare(id(a), id(b)) })
	return out
}
