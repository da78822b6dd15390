package app

import (
	"time"

	"disputed/internal/store"
)

// WalkPage is a page of a list read newest first within the bound of rows a list reads
// (Options.ListReadAtMost): the jobs', the provider events', the orders', the customers', the
// events'.
type WalkPage[T any] struct {
	Rows []T
	// More tells that the list goes on, with Next. Stopped tells that the page ends where the
	// list stopped at its bound of rows read, not where it found a page full: it may hold fewer
	// rows than its limit, or none, and Next goes on from the last row read.
	More, Stopped bool
	Next          store.Page
}

// walkPage is the page of walk, read from p, with key the place of a row newest first.
func walkPage[T any](walk store.Walk[T], p store.Page, key func(T) (time.Time, string)) WalkPage[T] {
	rows, next, more := walk.Next(p, key)
	return WalkPage[T]{Rows: rows, More: more, Stopped: walk.Stopped, Next: next}
}
