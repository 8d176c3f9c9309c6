package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/bench/embeddedgen"
	"github.com/versori-go/versori/internal/testutil"
)

// iterateFunc iterates over every end user in pages of pageSize, calling
// visit with each one's external ID; it stops when visit returns false.
type iterateFunc func(ctx context.Context, pageSize int, visit func(externalID string) bool) error

// userPage is a page of end users as a side decodes it.
type userPage interface {
	// len is how many users the page holds.
	len() int
	// externalID is the external ID of the page's i'th user.
	externalID(i int) string
	// next is the cursor of the next page, "" on the last.
	next() string
}

// byCursor makes an iterateFunc of a List call, calling it in a loop with
// the previous page's next cursor as after, as a caller without an iterator
// does.
func byCursor[P userPage](list func(ctx context.Context, first int, after string) (P, error)) iterateFunc {
	return func(ctx context.Context, first int, visit func(string) bool) error {
		after := ""
		for {
			page, err := list(ctx, first, after)
			if err != nil {
				return err
			}
			for i := range page.len() {
				if !visit(page.externalID(i)) {
					return nil
				}
			}
			if after = page.next(); after == "" {
				return nil
			}
		}
	}
}

func (p *rawEndUserPage) len() int                { return len(p.Users) }
func (p *rawEndUserPage) externalID(i int) string { return p.Users[i].ExternalID }
func (p *rawEndUserPage) next() string            { return p.Next }

// genUserPage is the generated client's page, with userPage's methods.
type genUserPage embeddedgen.EndUserPage

func (p *genUserPage) len() int                { return len(p.Users) }
func (p *genUserPage) externalID(i int) string { return p.Users[i].ExternalID }
func (p *genUserPage) next() string            { return p.Next }

// BenchmarkIterate100kUsers iterates 100,000 end users in pages of 100 from
// a server that makes the pages up on the fly (testutil.UsersPages), three
// ways: raw and gen call List in a loop with the previous page's next cursor
// as after, sdk ranges over Users.All. Its figure is heap-pages: the largest
// growth of the live heap (after a GC, at five points through the iteration
// and at its end) over the heap before it, in pages, where a page's size is
// the larger of its JSON and the SDK's decoded form (the same divisor for
// every side). The SDK's iterator must stay within 3 pages whatever the
// total; the root package's TestUsersAllKeepsMemoryBounded asserts that,
// this reports it beside its peers. ns/op is one whole iteration, the GCs
// left out.
func BenchmarkIterate100kUsers(b *testing.B) {
	const total, pageSize = 100_000, 100
	srv := httptest.NewServer(testutil.UsersPages(total, benchHubID))
	b.Cleanup(srv.Close)
	pageBytes, err := testutil.PageBytes(srv.URL, pageSize, func(body []byte) (any, error) {
		page := new(versori.EndUserPage)
		if err := json.Unmarshal(body, page); err != nil || len(page.Users) != pageSize {
			return nil, fmt.Errorf("decoding a page: %v, %d users, want %d", err, len(page.Users), pageSize)
		}
		return page, nil
	})
	if err != nil {
		b.Fatal(err)
	}

	raw := func(b *testing.B) {
		rc := newRawClient(b, srv)
		measureIteration(b, total, pageSize, pageBytes, byCursor(func(ctx context.Context, first int, after string) (*rawEndUserPage, error) {
			return rawListUsers(ctx, rc, first, after)
		}))
	}
	gen := func(b *testing.B) {
		c := newGenClient(b, srv)
		measureIteration(b, total, pageSize, pageBytes, byCursor(func(ctx context.Context, first int, after string) (*genUserPage, error) {
			page, err := genListUsers(ctx, c, first, after)
			return (*genUserPage)(page), err
		}))
	}
	sdk := func(b *testing.B) {
		c := newSDKClient(b, srv)
		measureIteration(b, total, pageSize, pageBytes, func(ctx context.Context, first int, visit func(string) bool) error {
			for u, err := range c.Users.All(ctx, benchHubID, &versori.ListEndUsersParams{First: first}) {
				if err != nil {
					return err
				}
				if !visit(u.ExternalID) {
					return nil
				}
			}
			return nil
		})
	}
	runSides(b, raw, gen, sdk, "")
}

// measureIteration times whole iterations of total users and reports the
// largest live heap growth seen, in pages of pageBytes, as heap-pages.
func measureIteration(b *testing.B, total, pageSize int, pageBytes int64, iterate iterateFunc) {
	ctx := context.Background()
	// A first, shorter iteration outside the measurement opens the
	// connection, fills encoding/json's caches and lets the runtime start
	// the threads it wants for this work (each M keeps a few KiB of heap for
	// good): one-off costs of the process, not memory the iteration holds.
	warm := 0
	if err := iterate(ctx, pageSize, func(string) bool { warm++; return warm < total/10 }); err != nil {
		b.Fatal(err)
	}
	base, _ := testutil.LiveHeap()
	var worst float64
	measure := func() {
		b.StopTimer()
		live, _ := testutil.LiveHeap()
		worst = max(worst, float64(live-base)/float64(pageBytes))
		b.StartTimer()
	}

	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		n := 0
		err := iterate(ctx, pageSize, func(externalID string) bool {
			if want := testutil.ExternalID(n); externalID != want {
				b.Fatalf("user %d: external ID %q, want %q", n, externalID, want)
			}
			n++
			if n%(total/4) == pageSize/2 || n == total {
				measure()
			}
			return true
		})
		if err != nil {
			b.Fatal(err)
		}
		if n != total {
			b.Fatalf("iterated %d users, want %d", n, total)
		}
		measure()
	}
	b.ReportMetric(worst, "heap-pages")
}
