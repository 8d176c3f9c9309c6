package versori_test

// Pagination never loops. c.Users.All over a server whose next cursor leads
// back to a page already seen, or that sends pages with no items but a next
// cursor forever, stops after a bounded number of requests by yielding one
// non-nil error (naming the repeated cursor where there is one), and then
// nothing more.

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loopingPager answers ListEndUsers for a cursor ("" for the first page)
// with a page of users and the next cursor.
type loopingPager func(after string) (users int, next string)

// paginationLoop is a server whose cursors never end.
type paginationLoop struct {
	name     string
	pages    loopingPager
	repeated string // the cursor the error must name; "" when none repeats
	// maxRequests bounds the requests the iterator may make before it stops.
	maxRequests int
}

// maxEmptyPages is the most pages without items, but with a next cursor,
// the suite lets an iterator request before it must give up. The rewrite may
// stop sooner; it must not go on for ever.
const maxEmptyPages = 50

var paginationLoops = []paginationLoop{
	{
		name: "A→B→A",
		pages: func(after string) (int, string) {
			switch after {
			case "":
				return 2, "cursor-A"
			case "cursor-A":
				return 2, "cursor-B"
			default: // cursor-B leads back to A
				return 2, "cursor-A"
			}
		},
		repeated: "cursor-A", maxRequests: 3,
	},
	{
		name:     "A→A",
		pages:    func(after string) (int, string) { return 2, "cursor-A" },
		repeated: "cursor-A", maxRequests: 2,
	},
	{
		name: "empty pages with a new next cursor forever",
		pages: func(after string) (int, string) {
			if after == "" {
				return 2, "cursor-1"
			}
			var n int
			_, _ = fmt.Sscanf(after, "cursor-%d", &n)
			return 0, fmt.Sprintf("cursor-%d", n+1)
		},
		maxRequests: 1 + maxEmptyPages,
	},
	{
		name: "empty page whose next cursor is itself",
		pages: func(after string) (int, string) {
			if after == "" {
				return 2, "cursor-E"
			}
			return 0, "cursor-E"
		},
		repeated: "cursor-E", maxRequests: 2,
	},
}

// newPaginationServer serves pl's pages for ListEndUsers.
func newPaginationServer(t testing.TB, pl paginationLoop) *hostileServer {
	return startNetHTTP(t, kindHTTP1, func(w http.ResponseWriter, r *http.Request) {
		after := r.URL.Query().Get("after")
		n, next := pl.pages(after)
		users := make([]string, n)
		for i := range users {
			users[i] = fmt.Sprintf(`{"id":"01USR%s%d","externalId":"u-%s-%d","displayName":"U","hubId":"01HUB","createdAt":"2025-03-14T09:26:53Z","updatedAt":"2025-03-14T09:26:53Z"}`, after, i, after, i)
		}
		writeAnswer(w, 200, fmt.Sprintf(`{"totalCount":1000,"next":%q,"users":[%s]}`, next, strings.Join(users, ",")))
	})
}

// iterationGuard stops a test's own loop over an iterator that does not stop.
const iterationGuard = 500

func TestPaginationNeverLoops(t *testing.T) {
	for _, pl := range paginationLoops {
		t.Run(pl.name, func(t *testing.T) {
			t.Parallel()
			srv := newPaginationServer(t, pl)
			c := newHostileClient(t, srv)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()

			var items, yields int
			var errs []error
			afterErr := 0
			for _, err := range c.Users.All(ctx, hostileHubID, nil) {
				yields++
				if len(errs) > 0 {
					afterErr++
				}
				if err != nil {
					errs = append(errs, err)
				} else {
					items++
				}
				if yields == iterationGuard {
					break
				}
			}
			requests := len(srv.requests())
			t.Logf("%d items, %d errors, %d requests: %v", items, len(errs), requests, errs)

			require.Less(t, yields, iterationGuard, "the iterator was still going after %d yields and %d requests", yields, requests)
			assert.LessOrEqual(t, requests, pl.maxRequests, "requests before the iterator stopped")
			if assert.Len(t, errs, 1, "the iterator yields one error") {
				assert.Zero(t, afterErr, "nothing is yielded after the error")
				if pl.repeated != "" {
					sum := sha256.Sum256([]byte(pl.repeated))
					assert.Contains(t, errs[0].Error(), fmt.Sprintf("(sha256 %x)", sum[:4]), "the error names the repeated cursor")
					assert.NotContains(t, errs[0].Error(), strconv.Quote(pl.repeated), "by a fingerprint, not its text")
				}
			}
		})
	}
}

// TestPaginationStopsOnTheSamePageUnderFreshCursors: a server that answers
// every page with the same items and a next cursor never seen before (the
// same cursor in another case, with a space, percent-encoded...) must not
// be paged forever.
func TestPaginationStopsOnTheSamePageUnderFreshCursors(t *testing.T) {
	t.Skip("FINDING: pager.All stops on a repeated cursor or an empty page, but a server that returns the same non-empty page " +
		"with an ever-new cursor (\"A\", \"a\", \"A \", \"%41\", ...) is iterated until the context ends, yielding the same items again " +
		"and again. Design decision: a page cap (WithMaxPages), or stopping when a page repeats the previous page's item IDs.")
	var n atomic.Int64
	srv := startNetHTTP(t, kindHTTP1, func(w http.ResponseWriter, r *http.Request) {
		writeAnswer(w, 200, fmt.Sprintf(`{"totalCount":1,"next":"c%s","users":[{"id":"01USR","externalId":"u","displayName":"U","hubId":"01HUB","createdAt":"2025-03-14T09:26:53Z","updatedAt":"2025-03-14T09:26:53Z"}]}`,
			strings.Repeat(" ", int(n.Add(1)))))
	})
	c := newHostileClient(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	items := 0
	for _, err := range c.Users.All(ctx, hostileHubID, nil) {
		if err != nil || items > 100 {
			break
		}
		items++
	}
	assert.LessOrEqual(t, items, 2, "the same user was yielded %d times", items)
}
