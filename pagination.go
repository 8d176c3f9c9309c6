package versori

import "iter"

// paginate turns a page fetcher into an iterator over items. It holds one page
// at a time, follows PageInfo.Next until it is empty, stops when the caller
// breaks, and yields an error once, then stops.
func paginate[T any](start ListOptions, fetch func(ListOptions) ([]T, PageInfo, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		opts := start
		for {
			items, info, err := fetch(opts)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range items {
				if !yield(item, nil) {
					return
				}
			}
			if info.Next == "" || len(items) == 0 || info.Next == opts.After {
				return
			}
			opts.After, opts.Before = info.Next, ""
		}
	}
}
