package versoritest

import (
	"crypto/rand"
	"maps"
	"slices"
	"time"

	"github.com/oklog/ulid/v2"
)

// state is the fake's in-memory database. Every field is guarded by Fake.mu; its zero
// value is an empty database.
type state struct {
	orgID        string
	connectors   table[connector]
	hubs         table[hub]
	users        table[endUser]
	connections  table[connection]
	credentials  table[credential]
	integrations table[integration]
	templates    table[template]
	activations  table[activation]
	oauthStates  table[string] // issued OAuth 2.0 state -> connector ID

	platform platformState // the Platform API's state (platform_state.go)
}

// table holds one kind of resource by ID. Its zero value is an empty table.
type table[T any] map[string]*T

// put stores v under its ID.
func (t *table[T]) put(id string, v *T) {
	if *t == nil {
		*t = table[T]{}
	}
	(*t)[id] = v
}

// find returns the resource with this ID, or a 404 naming it as what.
func (t table[T]) find(what, id string) (*T, *apiError) {
	if v := t[id]; v != nil {
		return v, nil
	}
	return nil, notFound("%s %q not found", what, id)
}

// ids returns the IDs of the resources keep accepts (all if keep is nil) in order, which
// is creation order: IDs are ULIDs, minted in increasing order.
func (t table[T]) ids(keep func(*T) bool) []string {
	out := make([]string, 0, len(t))
	for id, v := range t {
		if keep == nil || keep(v) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// sorted returns the resources keep accepts (all if keep is nil) in creation order.
func (t table[T]) sorted(keep func(*T) bool) []*T {
	return renderAll(t.ids(keep), func(id string) *T { return t[id] })
}

// first returns a resource match accepts, or nil. Callers match on what is unique (an
// external ID, a user and a template), so which one is moot.
func (t table[T]) first(match func(*T) bool) *T {
	for _, v := range t {
		if match(v) {
			return v
		}
	}
	return nil
}

// deleteWhere deletes every resource doomed accepts.
func (t table[T]) deleteWhere(doomed func(*T) bool) {
	maps.DeleteFunc(t, func(_ string, v *T) bool { return doomed(v) })
}

// renderAll maps each item through render; the result is never nil, so it encodes as [].
func renderAll[T, J any](items []T, render func(T) J) []J {
	out := make([]J, 0, len(items))
	for _, x := range items {
		out = append(out, render(x))
	}
	return out
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
