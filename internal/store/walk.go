package store

import "time"

// Walk is a page of a list read newest first, by created_at and id (provider events by id, their
// place also naming their received_at), within a bound of rows read (WalkTransactions, WalkJobs,
// WalkProviderEvents, WalkOrders, WalkCustomers, WalkEvents): any such list's, where
// DisputeWalk is the dispute list's, in its orders.
type Walk[T any] struct {
	Rows []T // up to the page's limit+1, as the unbounded list's
	// Stopped tells that the walk read its bound of rows before it found the page's limit+1:
	// Rows are the matches it found (maybe none), and LastCreated and LastID are the place of the
	// last row it read, matched or not, after which the next page goes on.
	Stopped     bool
	LastCreated time.Time
	LastID      string
}

// Next is the page after w's, read from p, w's page, and whether there is one: after w's last
// row (whose place key tells) when the page was full, after the last row the walk read when it
// stopped. rows is w's page, cut to p's limit.
func (w Walk[T]) Next(p Page, key func(T) (time.Time, string)) (rows []T, next Page, more bool) {
	rows, more = Trim(w.Rows, p.Limit)
	switch {
	case w.Stopped:
		p.AfterCreated, p.AfterID, p.Offset = w.LastCreated, w.LastID, 0
	case more:
		p.AfterCreated, p.AfterID = key(rows[len(rows)-1])
		p.Offset = 0
	}
	return rows, p, more || w.Stopped
}
