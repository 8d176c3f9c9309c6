// Package pager turns page fetchers into iterators that hold one page at a
// time and cannot loop: both API packages page through it.
package pager

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
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
// A cursor seen before is caught at once when it is among the last 64 (the
// loops servers make: a page pointing to itself, or back one or two), and a
// longer loop within a few rounds of it (Brent's method: a checkpoint cursor,
// moved at every power of two), so the iterator holds a fixed few hundred
// bytes however many pages it reads, and a server cannot make it loop.
func All[T any](op, start string, fetch Fetch[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seed := maphash.MakeSeed()
		var loop loopCheck
		loop.init(maphash.String(seed, start))
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
			switch {
			case loop.seen(maphash.String(seed, next)):
				yield(zero, fmt.Errorf("%w: %s: cursor %s was returned before", ErrLoop, op, name(next)))
				return
			case len(items) == 0:
				yield(zero, fmt.Errorf("%w: %s: an empty page points on to cursor %s", ErrLoop, op, name(next)))
				return
			}
			cursor = next
		}
	}
}

// Items returns what a Fetch returns for the page a list call returned:
// items reads the page's items and the next page's cursor, unless err says
// there is no page.
func Items[G, T any](page *G, err error, items func(*G) ([]T, string)) ([]T, string, error) {
	if err != nil {
		return nil, "", err
	}
	list, next := items(page)
	return list, next, nil
}

// recent is how many of the last cursors a loopCheck remembers exactly.
const recent = 64

// loopCheck tells whether a cursor's hash was seen before, in fixed memory.
type loopCheck struct {
	ring          [recent]uint64 // the last cursors' hashes
	n             int            // cursors seen
	checkpoint    uint64         // Brent's tortoise
	power, length int
}

func (l *loopCheck) init(first uint64) {
	l.power, l.checkpoint = 1, first
	l.add(first)
}

// seen reports whether h was seen before, and records it.
func (l *loopCheck) seen(h uint64) bool {
	if h == l.checkpoint {
		return true
	}
	for i := range min(l.n, recent) {
		if l.ring[i] == h {
			return true
		}
	}
	l.add(h)
	if l.length++; l.length == l.power {
		l.checkpoint, l.power, l.length = h, l.power*2, 0
	}
	return false
}

func (l *loopCheck) add(h uint64) {
	l.ring[l.n%recent] = h
	l.n++
}

// name names a server's cursor in an error by its length and the start of
// its SHA-256, not by its text: a hostile server could make the cursor a copy
// of what the call sent, its credentials included.
func name(cursor string) string {
	sum := sha256.Sum256([]byte(cursor))
	return fmt.Sprintf("of %d bytes (sha256 %x)", len(cursor), sum[:4])
}
