package platform_test

// Every All of the client pages alike. Those over cursor pages (systems,
// connection templates, end users) follow the next cursor, carrying their
// other parameters but not before; stop with ErrPagination on a cursor they
// have seen or on an empty page that points on; and their List sends no query
// when given no parameters. Those over a list the API sends whole (projects,
// signing keys) make one call. Every one yields an error once, and ends.

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/platform"
)

// allMethod is an All method of the client.
type allMethod struct {
	name string
	path string // the list's path, below the organisation's
	// items is the answer's item array; item is an item whose key is
	// key, the key all yields.
	items string
	item  func(key string) string
	// all ranges over the method, with the parameters params sends
	// besides after.
	all    func(ctx context.Context, c *platform.Client) iter.Seq2[string, error]
	params url.Values
	// list is the method's List without parameters, returning how many
	// items it got; nil where the method does not page.
	list func(ctx context.Context, c *platform.Client) (int, error)
}

// pagedMethods are the All methods over cursor pages.
var pagedMethods = []allMethod{
	{name: "Systems", path: "/systems", items: "items", item: systemJSON,
		all: func(ctx context.Context, c *platform.Client) iter.Seq2[string, error] {
			return keyed(c.Systems.All(ctx, &platform.ListSystemsParams{First: 1, Search: "shop"}), func(s platform.System) string { return s.ID })
		},
		params: url.Values{"first": {"1"}, "search": {"shop"}},
		list: func(ctx context.Context, c *platform.Client) (int, error) {
			page, err := c.Systems.List(ctx, nil)
			return len(page.Items), err
		}},
	{name: "Templates", path: "/projects/01PROJ/connection-templates", items: "items",
		item: func(key string) string { return templateJSON(key, true) },
		all: func(ctx context.Context, c *platform.Client) iter.Seq2[string, error] {
			return keyed(c.Templates.All(ctx, "01PROJ", &platform.ListConnectionTemplatesParams{EnvironmentID: "01ENV"}), func(tm platform.ConnectionTemplate) string { return tm.ConnectionTemplateID })
		},
		params: url.Values{"env_id": {"01ENV"}},
		list: func(ctx context.Context, c *platform.Client) (int, error) {
			page, err := c.Templates.List(ctx, "01PROJ", nil)
			return len(page.Items), err
		}},
	{name: "Users", path: "/users", items: "users",
		item: func(key string) string { return endUserJSON("01U"+key, key) },
		all: func(ctx context.Context, c *platform.Client) iter.Seq2[string, error] {
			return keyed(c.Users.All(ctx, &platform.ListEndUsersParams{First: 1, Before: "ignored"}), func(u platform.EndUser) string { return string(u.ExternalID) })
		},
		params: url.Values{"first": {"1"}},
		list: func(ctx context.Context, c *platform.Client) (int, error) {
			page, err := c.Users.List(ctx, nil)
			return len(page.Users), err
		}},
}

// wholeMethods are the All methods over a list the API sends whole.
var wholeMethods = []allMethod{
	{name: "Projects", path: "/projects", items: "projects", item: projectSummaryJSON,
		all: func(ctx context.Context, c *platform.Client) iter.Seq2[string, error] {
			return keyed(c.Projects.All(ctx), func(p platform.ProjectSummary) string { return p.ID })
		}},
	{name: "SigningKeys", items: "keys", item: publicKeyJSON,
		all: func(ctx context.Context, c *platform.Client) iter.Seq2[string, error] {
			return keyed(c.SigningKeys.All(ctx), func(k platform.PublicKey) string { return k.ID })
		}},
}

// keyed yields key(item) for each item seq yields, and its errors.
func keyed[T any](seq iter.Seq2[T, error], key func(T) string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for v, err := range seq {
			if !yield(key(v), err) {
				return
			}
		}
	}
}

// page is an answer of m's with the items of keys, pointing on to next ("" for
// none).
func (m allMethod) page(next string, keys ...string) string {
	items := make([]string, len(keys))
	for i, k := range keys {
		items[i] = m.item(k)
	}
	if next != "" {
		next = fmt.Sprintf(`"next":%q,`, next)
	}
	return fmt.Sprintf(`{"totalCount":9,%s%q:[%s]}`, next, m.items, strings.Join(items, ","))
}

// query is what all sends for the page after the cursor after ("" for the
// first).
func (m allMethod) query(after string) string {
	q := url.Values{}
	for k, v := range m.params {
		q[k] = v
	}
	if after != "" {
		q.Set("after", after)
	}
	return q.Encode()
}

// servingPages returns a server that answers its n-th request with pages[n-1].
func servingPages(t *testing.T, pages ...string) *rawServer {
	return newRawServer(t, func(_ *http.Request, n int) answer { return answer{http.StatusOK, pages[min(n, len(pages))-1]} })
}

func TestListWithoutParamsSendsNoQuery(t *testing.T) {
	t.Parallel()
	for _, m := range pagedMethods {
		s := replying(t, http.StatusOK, m.page(""))
		n, err := m.list(t.Context(), newClient(t, s))
		require.NoError(t, err, m.name)
		assert.Zero(t, n, m.name)
		assertSent(t, s.only(t), "GET", orgPath+m.path, "", "")
	}
}

func TestAllFollowsCursors(t *testing.T) {
	t.Parallel()
	for _, m := range pagedMethods {
		s := servingPages(t, m.page("c1", "a"), m.page("c2", "b"), m.page("", "c"))
		keys, err := collect(m.all(t.Context(), newClient(t, s)))
		require.NoError(t, err, m.name)
		assert.Equal(t, []string{"a", "b", "c"}, keys, m.name)
		reqs := s.requests()
		require.Len(t, reqs, 3, m.name)
		for i, after := range []string{"", "c1", "c2"} {
			assertSent(t, reqs[i], "GET", orgPath+m.path, m.query(after), "")
		}
	}
}

func TestAllStopsOnARepeatedCursor(t *testing.T) {
	t.Parallel()
	for _, m := range pagedMethods {
		for _, cursors := range [][]string{{"a", "a"}, {"a", "b", "a"}} {
			var pages []string
			for i, next := range cursors {
				pages = append(pages, m.page(next, fmt.Sprint(i)))
			}
			s := servingPages(t, pages...)
			keys, err := collect(m.all(t.Context(), newClient(t, s)))
			require.ErrorIs(t, err, versori.ErrPagination, "%s %v", m.name, cursors)
			assert.Contains(t, err.Error(), "cursor of 1 bytes (sha256 ca978112)", "the error names the cursor by length and fingerprint")
			assert.NotContains(t, err.Error(), `"a"`, "never by its text")
			assert.Len(t, keys, len(cursors), "%s %v: the items before the repeat", m.name, cursors)
			assert.Len(t, s.requests(), len(cursors), "%s %v", m.name, cursors)
		}
	}
}

func TestAllStopsOnAnEmptyPageThatPointsOn(t *testing.T) {
	t.Parallel()
	for _, m := range pagedMethods {
		s := newRawServer(t, func(_ *http.Request, n int) answer { return answer{http.StatusOK, m.page(fmt.Sprintf("c%d", n))} })
		_, err := collect(m.all(t.Context(), newClient(t, s)))
		require.ErrorIs(t, err, versori.ErrPagination, m.name)
		assert.Len(t, s.requests(), 1, m.name)
	}
}

func TestAllOfAWholeListMakesOneCall(t *testing.T) {
	t.Parallel()
	for _, m := range wholeMethods {
		s := replying(t, http.StatusOK, m.page("", "01A", "01B", "01C"))
		keys, err := collect(m.all(t.Context(), newClient(t, s)))
		require.NoError(t, err, m.name)
		assert.Equal(t, []string{"01A", "01B", "01C"}, keys, m.name)
		assert.Len(t, s.requests(), 1, m.name)

		for range m.all(t.Context(), newClient(t, s)) {
			break // breaking early is fine
		}
		assert.Len(t, s.requests(), 2, m.name)
	}
}

func TestAllYieldsAnErrorOnce(t *testing.T) {
	t.Parallel()
	for _, m := range append(pagedMethods, wholeMethods...) {
		s := replying(t, http.StatusForbidden, `{"code":"403000","message":"no access"}`)
		n := 0
		for _, err := range m.all(t.Context(), newClient(t, s)) {
			n++
			require.ErrorIs(t, err, versori.ErrForbidden, m.name)
		}
		assert.Equal(t, 1, n, m.name)
		assert.Len(t, s.requests(), 1, m.name)
	}
}
