package bench

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/versori-go/versori"
)

// usersPageHandler serves a hub of total end users, made up on the fly, in
// cursor pages; the cursor is the offset in decimal. It holds nothing between
// calls, so the only memory that can grow with the number of pages is the
// client's.
func usersPageHandler(total int) http.Handler {
	created := time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC).Format(time.RFC3339Nano)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		first, _ := strconv.Atoi(q.Get("first"))
		off, _ := strconv.Atoi(q.Get("after"))
		if first <= 0 {
			first = 20
		}
		end := min(off+first, total)
		b := make([]byte, 0, 256*(end-off)+64)
		b = append(b, `{"totalCount":`...)
		b = strconv.AppendInt(b, int64(total), 10)
		if end < total {
			b = append(b, `,"next":"`...)
			b = strconv.AppendInt(b, int64(end), 10)
			b = append(b, '"')
		}
		b = append(b, `,"users":[`...)
		for i := off; i < end; i++ {
			if i > off {
				b = append(b, ',')
			}
			b = append(b, `{"id":"01JPD8F9E2F4G6`...) // a ULID: 14 + 12 characters
			b = appendPadded(b, i)
			b = append(b, `","externalId":"customer-`...)
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, `@example.com","displayName":"Customer `...)
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, ` Ltd","hubId":"`+benchHubID+`","createdAt":"`+created+`","updatedAt":"`+created+`"}`...)
		}
		b = append(b, "]}"...)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		_, _ = w.Write(b)
	})
}

// appendPadded appends i as 12 decimal digits.
func appendPadded(b []byte, i int) []byte {
	s := strconv.Itoa(i)
	for range 12 - len(s) {
		b = append(b, '0')
	}
	return append(b, s...)
}

// liveHeap returns the bytes of live heap objects after a full collection.
// Two collections empty sync.Pool's victim cache too.
func liveHeap() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// iterateFunc iterates over every end user in pages of pageSize, calling
// visit with each one's external ID; it stops when visit returns false.
type iterateFunc func(ctx context.Context, pageSize int, visit func(externalID string) bool) error

// BenchmarkIterate100kUsers iterates 100,000 end users in pages of 100 from
// a server that makes the pages up on the fly, three ways: raw and gen call
// List in a loop with the previous page's next cursor as after, sdk ranges
// over Users.All. Its figure is heap-pages: the largest growth of the live
// heap (after a GC, at five points through the iteration and at its end)
// over the heap before it, in pages, where a page's size is the larger of its
// JSON and the SDK's decoded form (the same divisor for every side). The
// SDK's iterator must stay within 3 pages whatever the total; the root
// package's TestAllKeepsMemoryBounded asserts that, this reports it beside
// its peers. ns/op is one whole iteration, the GCs left out.
func BenchmarkIterate100kUsers(b *testing.B) {
	const total, pageSize = 100_000, 100
	srv := httptest.NewServer(usersPageHandler(total))
	b.Cleanup(srv.Close)
	pageBytes := onePageBytes(b, srv, pageSize)

	raw := func(b *testing.B) {
		hc := rawClientLikeSDK()
		b.Cleanup(hc.CloseIdleConnections)
		measureIteration(b, total, pageSize, pageBytes, func(ctx context.Context, first int, visit func(string) bool) error {
			after := ""
			for {
				page, err := rawListUsers(ctx, hc, srv.URL, first, after)
				if err != nil {
					return err
				}
				for i := range page.Users {
					if !visit(page.Users[i].ExternalID) {
						return nil
					}
				}
				if after = page.Next; after == "" {
					return nil
				}
			}
		})
	}
	gen := func(b *testing.B) {
		c := newGenClient(b, srv)
		measureIteration(b, total, pageSize, pageBytes, func(ctx context.Context, first int, visit func(string) bool) error {
			after := ""
			for {
				page, err := genListUsers(ctx, c, first, after)
				if err != nil {
					return err
				}
				for i := range page.Users {
					if !visit(page.Users[i].ExternalID) {
						return nil
					}
				}
				if after = page.Next; after == "" {
					return nil
				}
			}
		})
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

// onePageBytes is one page's size: the larger of its JSON body and the SDK's
// decoded users (which take a little more: string headers and time.Time
// values).
func onePageBytes(b *testing.B, srv *httptest.Server, pageSize int) int64 {
	resp, err := http.Get(srv.URL + "/hubs/h/users?first=" + strconv.Itoa(pageSize))
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		b.Fatal(err)
	}
	before := liveHeap()
	page := new(versori.EndUserPage)
	if err := json.Unmarshal(body, page); err != nil || len(page.Users) != pageSize {
		b.Fatalf("decoding a page: %v, %d users, want %d", err, len(page.Users), pageSize)
	}
	decoded := liveHeap()
	runtime.KeepAlive(page)
	return max(int64(len(body)), decoded-before)
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
	base := liveHeap()

	var worst float64
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		n := 0
		err := iterate(ctx, pageSize, func(externalID string) bool {
			if want := "customer-" + strconv.Itoa(n) + "@example.com"; externalID != want {
				b.Fatalf("user %d: external ID %q, want %q", n, externalID, want)
			}
			n++
			if n%(total/4) == pageSize/2 || n == total {
				b.StopTimer()
				worst = max(worst, float64(liveHeap()-base)/float64(pageBytes))
				b.StartTimer()
			}
			return true
		})
		if err != nil {
			b.Fatal(err)
		}
		if n != total {
			b.Fatalf("iterated %d users, want %d", n, total)
		}
		b.StopTimer()
		worst = max(worst, float64(liveHeap()-base)/float64(pageBytes))
		b.StartTimer()
	}
	b.ReportMetric(worst, "heap-pages")
}
