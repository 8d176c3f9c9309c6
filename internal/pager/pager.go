// Package pager turns page fetchers into iterators that hold one page at a
// time and cannot loop: both API packages page through it.
package pager

import (
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"strconv"
)

// ErrLoop is the error an iterator yields when the server's pages would never
// end: a cursor seen before, or a page with no items that still points on.
var ErrLoop = errors.New("versori: pagination does not progress")

// Fetch returns the page at cursor ("" for the first), and the cursor of the
// next page ("" after the last).
type Fetch[T any] func(cursor string) (items []T, next string, err error)

// All iterates over every item of every page, starting at cursor start. It
// stops when the caller breaks, after the last page, or at the first error,
// which it yields once. op names the list in errors.
//
// Cursors already followed are remembered by a 64-bit hash, so a server's
// cursors cannot make the iterator hold more than a few bytes per page.
func All[T any](op, start string, fetch Fetch[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seed := maphash.MakeSeed()
		seen := map[uint64]bool{maphash.String(seed, start): true}
		cursor := start
		for {
			items, next, err := fetch(cursor)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range items {
				if !yield(item, nil) {
					return
				}
			}
			if next == "" {
				return
			}
			h := maphash.String(seed, next)
			switch {
			case seen[h]:
				yield(zero, fmt.Errorf("%w: %s: cursor %s was returned before", ErrLoop, op, quote(next)))
				return
			case len(items) == 0:
				yield(zero, fmt.Errorf("%w: %s: an empty page points on to cursor %s", ErrLoop, op, quote(next)))
				return
			}
			seen[h] = true
			cursor = next
		}
	}
}

// quote returns a server's cursor as a short quoted string for an error.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		return strconv.Quote(s[:max]) + "…" // Quote escapes a rune cut in two
	}
	return strconv.Quote(s)
}
