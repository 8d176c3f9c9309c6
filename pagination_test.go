package versori

import (
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// pager serves total items in pages of size, failing at page failAt (1-based; 0 never).
type pager struct {
	total, size, failAt int
	fetches             int
}

func (p *pager) fetch(lo ListOptions) ([]int, PageInfo, error) {
	p.fetches++
	if p.failAt > 0 && p.fetches == p.failAt {
		return nil, PageInfo{}, errors.New("boom")
	}
	start := 0
	if lo.After != "" {
		start, _ = strconv.Atoi(lo.After)
	}
	end := min(start+p.size, p.total)
	items := make([]int, 0, end-start)
	for i := start; i < end; i++ {
		items = append(items, i)
	}
	info := PageInfo{TotalCount: p.total}
	if end < p.total {
		info.Next = strconv.Itoa(end)
	}
	return items, info, nil
}

func TestPaginateVisitsEveryItemOnce(t *testing.T) {
	for _, tc := range []struct{ total, size int }{{0, 10}, {1, 1}, {5, 1}, {10, 3}, {10, 10}, {11, 10}, {1000, 7}, {250, 100}} {
		p := &pager{total: tc.total, size: tc.size}
		var got []int
		for v, err := range paginate(ListOptions{}, p.fetch) {
			assert.NoError(t, err)
			got = append(got, v)
		}
		assert.Len(t, got, tc.total, "total %d size %d", tc.total, tc.size)
		for i, v := range got {
			if v != i {
				t.Fatalf("item %d is %d", i, v)
			}
		}
		wantFetches := max(1, (tc.total+tc.size-1)/tc.size)
		assert.Equal(t, wantFetches, p.fetches, "fetches for total %d size %d", tc.total, tc.size)
	}
}

func TestPaginateStopsOnBreak(t *testing.T) {
	p := &pager{total: 100, size: 10}
	n := 0
	for range paginate(ListOptions{}, p.fetch) {
		n++
		if n == 15 {
			break
		}
	}
	assert.Equal(t, 15, n)
	assert.Equal(t, 2, p.fetches, "no page fetched after the caller stopped")
}

func TestPaginateYieldsErrorOnceAndStops(t *testing.T) {
	p := &pager{total: 100, size: 10, failAt: 3}
	var items, errs int
	for _, err := range paginate(ListOptions{}, p.fetch) {
		if err != nil {
			errs++
			continue
		}
		items++
	}
	assert.Equal(t, 20, items, "the two good pages")
	assert.Equal(t, 1, errs)
	assert.Equal(t, 3, p.fetches)
}

func TestPaginateStopsOnRepeatedCursor(t *testing.T) {
	fetches := 0
	stuck := func(ListOptions) ([]int, PageInfo, error) {
		fetches++
		return []int{1}, PageInfo{Next: "same"}, nil
	}
	n := 0
	for range paginate(ListOptions{}, stuck) {
		n++
	}
	assert.Equal(t, 2, fetches, "a server repeating its cursor cannot loop the caller forever")
	assert.Equal(t, 2, n)
}
