package store

import (
	"time"

	"disputed/internal/order"
)

// TransactionWalk is a page of transactions read by WalkTransactions.
type TransactionWalk struct {
	Transactions []order.Transaction // up to f.Limit+1, as ListTransactions's
	// Stopped tells that the walk read its bound of transactions before it found f.Limit+1:
	// Transactions are the matches it found (maybe none), and LastCreated and LastID are the
	// place of the last transaction it read, matched or not, after which the next page goes on.
	Stopped     bool
	LastCreated time.Time
	LastID      string
}

// Next is the page of transactions after w's, read as f read w's, and whether there is one:
// after w's last transaction when the page was full, after the last transaction the walk read
// when it stopped. ts is w's page, cut to f's limit.
func (w TransactionWalk) Next(f TransactionFilter) (ts []order.Transaction, next TransactionFilter, more bool) {
	ts, more = Trim(w.Transactions, f.Limit)
	switch {
	case w.Stopped:
		f.AfterCreated, f.AfterID, f.Offset = w.LastCreated, w.LastID, 0
	case more:
		f.AfterCreated, f.AfterID, f.Offset = ts[len(ts)-1].CreatedAt, ts[len(ts)-1].ID, 0
	}
	return ts, f, more || w.Stopped
}
