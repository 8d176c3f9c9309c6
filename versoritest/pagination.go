package versoritest

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
)

// defaultPageSize is the spec's default for first. The spec sets no maximum, so none is
// imposed.
const defaultPageSize = 20

// pageInfo is the spec's PageInfo, embedded in every *Page response.
type pageInfo struct {
	TotalCount int    `json:"totalCount"`
	Next       string `json:"next,omitempty"`
	Prev       string `json:"prev,omitempty"`
}

// pageParams are the parsed first/after/before parameters; after and before hold item IDs
// (decoded from cursors, or plain IDs for ListIntegrations).
type pageParams struct {
	first         int
	after, before string
}

// parsePage parses first and the after/before cursors. Cursors are base64url of the
// boundary item's ID: opaque to clients, and stable when items are deleted because the
// bounds compare by ID (creation order) rather than by position.
func parsePage(q url.Values) (pageParams, *apiError) {
	p, e := parseFirst(q)
	if e != nil {
		return p, e
	}
	for _, key := range []string{"after", "before"} {
		raw := q.Get(key)
		if raw == "" {
			continue
		}
		id, ok := decodeCursor(raw)
		if !ok {
			return p, badField(key, "invalid cursor")
		}
		if key == "after" {
			p.after = id
		} else {
			p.before = id
		}
	}
	return p, nil
}

// parseIDBounds parses first plus after/before given as plain IDs (ListIntegrations, whose
// response has no cursors, so clients page by the last item's ID).
func parseIDBounds(q url.Values) (pageParams, *apiError) {
	p, e := parseFirst(q)
	if e != nil {
		return p, e
	}
	p.after, p.before = q.Get("after"), q.Get("before")
	if p.after != "" && !isULID(p.after) {
		return p, badField("after", "must be an integration ID (ULID)")
	}
	if p.before != "" && !isULID(p.before) {
		return p, badField("before", "must be an integration ID (ULID)")
	}
	return p, nil
}

// parseFirst parses first: a non-negative integer with no upper bound. 0, like an absent
// first, means the default page size.
func parseFirst(q url.Values) (pageParams, *apiError) {
	p := pageParams{first: defaultPageSize}
	if s := q.Get("first"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return p, badField("first", "must be a non-negative integer")
		}
		if n > 0 {
			p.first = n
		}
	}
	return p, nil
}

func encodeCursor(id string) string { return base64.RawURLEncoding.EncodeToString([]byte(id)) }

func decodeCursor(c string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !isULID(string(b)) {
		return "", false
	}
	return string(b), true
}

// pageOf cuts page p from the resources of t that keep accepts (all if keep is nil), in
// creation order, and renders them.
func pageOf[T, J any](t table[T], keep func(*T) bool, p pageParams, render func(*T) J) ([]J, pageInfo) {
	ids, info := paginate(t.ids(keep), p)
	return renderAll(ids, func(id string) J { return render(t[id]) }), info
}

// paginate cuts one page from sorted IDs. With only before, the page is the last `first`
// IDs before it, so following prev walks backwards page by page.
func paginate(ids []string, p pageParams) ([]string, pageInfo) {
	info := pageInfo{TotalCount: len(ids)}
	lo, hi := 0, len(ids)
	if p.after != "" {
		for lo < hi && ids[lo] <= p.after {
			lo++
		}
	}
	if p.before != "" {
		for hi > lo && ids[hi-1] >= p.before {
			hi--
		}
	}
	if hi-lo > p.first {
		if p.before != "" && p.after == "" {
			lo = hi - p.first
		} else {
			hi = lo + p.first
		}
	}
	page := ids[lo:hi]
	if len(page) == 0 {
		return page, info
	}
	if lo > 0 {
		info.Prev = encodeCursor(page[0])
	}
	if hi < len(ids) {
		info.Next = encodeCursor(page[len(page)-1])
	}
	return page, info
}

// listJSON is the body of a list: PageInfo's fields, then the items under key (users,
// items, connectionTemplates, ...), in that order.
type listJSON struct {
	pageInfo
	key   string
	items any
}

func (l listJSON) MarshalJSON() ([]byte, error) {
	info, err := json.Marshal(l.pageInfo)
	if err != nil {
		return nil, err
	}
	items, err := json.Marshal(map[string]any{l.key: l.items})
	if err != nil {
		return nil, err
	}
	// {"totalCount":1,...} and {"key":[...]} make {"totalCount":1,...,"key":[...]}.
	return append(append(info[:len(info)-1], ','), items[1:]...), nil
}

// matchesSearch reports whether search (already lower case) is empty or a substring of
// any of fields, ignoring case: the lists' `search` parameter.
func matchesSearch(search string, fields ...string) bool {
	if search == "" {
		return true
	}
	for _, f := range fields {
		if strings.Contains(strings.ToLower(f), search) {
			return true
		}
	}
	return false
}
