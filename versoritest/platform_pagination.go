package versoritest

import (
	"maps"
	"net/url"
	"strconv"
)

// parsePlatformPage parses first/after/before for a Platform list. Cursors are the v1
// ones (parsePage): base64url of the boundary item's ID, which is what next and prev
// hold. Unlike v1, first has no maximum, because the Platform spec sets none. Lists that
// return a page but declare no cursor parameters (ListEndUsers,
// ListEnvironmentConnections, ListProjectConnectionTemplates) honour them too: passing
// next as after is the evident intent (PLATFORM.md §5).
func parsePlatformPage(q url.Values) (pageParams, *apiError) {
	cursors := maps.Clone(q)
	delete(cursors, "first")
	p, e := parsePage(cursors)
	if e != nil {
		return p, e
	}
	if s := q.Get("first"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p, badField("first", "must be a positive integer")
		}
		p.first = n
	}
	return p, nil
}
