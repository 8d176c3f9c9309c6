package platform

import "iter"

// Collect lets the external tests (package platform_test) drain iterators
// with the internal tests' collect.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) { return collect(seq) }
