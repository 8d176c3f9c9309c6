package versori_test

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

// The hub and API key the iteration uses.
const (
	memHubID = "0b9d7e3c-5a41-4f2e-9c86-1d2f3a4b5c6d"
	memKey   = "vk_live_8f3a1c9e4b7d2f6a0c5e9b1d3f7a2c4e"
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
			b = append(b, `{"id":"7d4f2b1e-9c3a-4e8d-b6f0-`...)
			b = appendPadded(b, i)
			b = append(b, `","externalId":"customer-`...)
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, `@example.com","displayName":"Customer `...)
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, ` Ltd","hubId":"`+memHubID+`","createdAt":"`+created+`","updatedAt":"`+created+`"}`...)
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

// liveHeap returns, after a full collection, the bytes of live heap objects
// and of heap spans in use. Two collections empty sync.Pool's victim cache
// too.
func liveHeap() (live, inUse int64) {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc), int64(m.HeapInuse)
}

// TestAllKeepsMemoryBounded iterates 100,000 end users in pages of 100 and
// checks that the heap the iteration holds, measured after a collection at
// points through it and at its end, stays within three pages' size: the
// iterator must hold one page at a time, however many it has seen.
//
// It measures live heap bytes (HeapAlloc after a GC), not HeapInuse:
// HeapInuse counts whole 8 KiB spans, and a span pinned by one surviving
// object counts in full, so with pages of about 23 KB its growth wanders
// between 3 and 6 pages from run to run even when the live heap grew by little
// more than the one page being iterated. HeapInuse is logged and bounded loosely as well, so a leak
// (which would grow it by one page per page iterated, 1,000 here) still
// fails.
//
// internal/bench's BenchmarkIterate100kUsers reports the same live-heap figure
// for the SDK beside a raw net/http loop and the oapi-codegen client.
func TestAllKeepsMemoryBounded(t *testing.T) {
	const total, pageSize = 100_000, 100
	srv := httptest.NewServer(usersPageHandler(total))
	defer srv.Close()
	c, err := versori.NewClient(versori.WithAPIKey(memKey), versori.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	params := &versori.ListEndUsersParams{ListOptions: versori.ListOptions{First: pageSize}}

	// One page's size is the larger of its JSON body and its decoded users
	// (which take a little more: string headers and time.Time values).
	resp, err := http.Get(srv.URL + "/hubs/h/users?first=" + strconv.Itoa(pageSize))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	before, _ := liveHeap()
	var page versori.EndUserPage
	if err := json.Unmarshal(body, &page); err != nil || len(page.Users) != pageSize {
		t.Fatalf("decoding a page: %v, %d users", err, len(page.Users))
	}
	decoded, _ := liveHeap()
	runtime.KeepAlive(&page)
	pageBytes := max(int64(len(body)), decoded-before)
	t.Logf("one page: %d bytes of JSON, %d bytes decoded", len(body), decoded-before)
	page = versori.EndUserPage{}

	// A first, shorter iteration outside the measurement opens the connection,
	// fills encoding/json's caches and lets the runtime start the threads it
	// wants for this work (each M keeps a few KiB of heap for good): one-off
	// costs of the process, not memory the iteration holds.
	warm := 0
	for _, err := range c.Users.All(ctx, memHubID, params) {
		if err != nil {
			t.Fatal(err)
		}
		if warm++; warm == total/10 {
			break
		}
	}
	baseLive, baseInUse := liveHeap()

	var worstLive, worstInUse float64
	measure := func(when string) {
		live, inUse := liveHeap()
		l, u := float64(live-baseLive)/float64(pageBytes), float64(inUse-baseInUse)/float64(pageBytes)
		t.Logf("%s: live heap grew by %.2f pages, heap in use by %.2f", when, l, u)
		worstLive, worstInUse = max(worstLive, l), max(worstInUse, u)
	}
	n := 0
	for u, err := range c.Users.All(ctx, memHubID, params) {
		if err != nil {
			t.Fatal(err)
		}
		if want := "customer-" + strconv.Itoa(n) + "@example.com"; u.ExternalID != want {
			t.Fatalf("user %d: external ID %q, want %q", n, u.ExternalID, want)
		}
		n++
		if n%(total/4) == pageSize/2 || n == total {
			measure("after " + strconv.Itoa(n) + " users")
		}
	}
	if n != total {
		t.Fatalf("iterated %d users, want %d", n, total)
	}
	measure("at the end")
	if worstLive > 3 {
		t.Errorf("live heap grew by up to %.2f pages of %d bytes while iterating; want at most 3", worstLive, pageBytes)
	}
	if worstInUse > 20 {
		t.Errorf("heap in use grew by up to %.2f pages of %d bytes while iterating; want at most 20", worstInUse, pageBytes)
	}
}
