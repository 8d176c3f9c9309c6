package pager

import (
	"errors"
	"strconv"
	"testing"
)

// cycle returns a fetch over pages 0..n-1 where page i points to next(i),
// and -1 ends; it counts the fetches.
func cycle(next func(int) int, fetches *int) Fetch[int] {
	return func(cursor string) ([]int, string, error) {
		*fetches++
		i := 0
		if cursor != "" {
			i, _ = strconv.Atoi(cursor)
		}
		n := next(i)
		if n < 0 {
			return []int{i}, "", nil
		}
		return []int{i}, strconv.Itoa(n), nil
	}
}

// Every loop is caught, short ones at once and long ones (beyond the exact
// window) within a bounded number of extra pages.
func TestLoopsAreCaught(t *testing.T) {
	for _, tc := range []struct {
		name     string
		next     func(int) int
		maxFetch int
	}{
		{"self", func(i int) int { return 1 }, 3},
		{"back one", func(i int) int { return 1 + i%2 }, 4},
		{"1000-page loop after 5000 pages", func(i int) int {
			if i < 6000 {
				return i + 1
			}
			return 5000
		}, 2*6000 + 1000}, // Brent: within twice the pages before the loop closes, plus one round
	} {
		fetches := 0
		var err error
		items := 0
		for _, e := range All("List", "", cycle(tc.next, &fetches)) {
			if e != nil {
				err = e
				break
			}
			items++
		}
		if !errors.Is(err, ErrLoop) {
			t.Errorf("%s: err = %v, want ErrLoop", tc.name, err)
		}
		if fetches > tc.maxFetch {
			t.Errorf("%s: %d fetches, want at most %d", tc.name, fetches, tc.maxFetch)
		}
	}
}

// A long list that never repeats is read to its end.
func TestLongListEnds(t *testing.T) {
	fetches := 0
	n := 0
	for _, err := range All("List", "", cycle(func(i int) int {
		if i == 99_999 {
			return -1
		}
		return i + 1
	}, &fetches)) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 100_000 {
		t.Fatalf("got %d items, want 100000", n)
	}
}
