package store

import (
	"context"
	"time"

	"disputed/internal/order"
)

// TransactionReader reads transactions: the money that moved.
type TransactionReader interface {
	GetTransaction(ctx context.Context, id string) (order.Transaction, error)
	// ListTransactions returns a page of transactions, newest first.
	ListTransactions(ctx context.Context, f TransactionFilter) ([]order.Transaction, error)
	// WalkTransactions is ListTransactions reading at most readAtMost transactions along the
	// index it walks (the offset's included; the kind, provider, card network and channel have
	// no index and are checked on the rows it yields): when it has read that many before it
	// found f.Limit+1 matches, it stops, and says where. readAtMost 0 does not bound the walk.
	WalkTransactions(ctx context.Context, f TransactionFilter, readAtMost int) (Walk[order.Transaction], error)
	// FindTransaction returns the transaction with that provider reference (any provider when
	// provider is ""), or ErrNotFound.
	FindTransaction(ctx context.Context, provider, reference string) (order.Transaction, error)
	// FindTransactionByARN returns the capturing transaction with that acquirer reference number.
	FindTransactionByARN(ctx context.Context, arn string) (order.Transaction, error)
	// ChildTransactions returns the refunds, captures, voids and chargebacks of a transaction, oldest first.
	ChildTransactions(ctx context.Context, parentID string) ([]order.Transaction, error)
	// TransactionsOfOrder returns the order's transactions, oldest first.
	TransactionsOfOrder(ctx context.Context, orderID string) ([]order.Transaction, error)
	// CardCharges returns the charges and captures of the card with that fingerprint created in
	// [from, to), newest first, at most limit (a card charged every day has hundreds in a year:
	// the caller reads the newest it needs, never the card's whole history). A transaction is
	// the card's when its card_fingerprint names it or, recorded without one, when its order's
	// does. Charges refunded in full are left out.
	CardCharges(ctx context.Context, fingerprint string, from, to time.Time, limit int) ([]CardCharge, error)
}

// CardCharge is a charge on a card, with what has happened to it since.
type CardCharge struct {
	order.Transaction
	// Disputed: a dispute names the charge, or names its order and no payment; a fraud report
	// does not count here.
	Disputed bool
	// FraudReported: a fraud report (a TC40 or SAFE alert) names the charge.
	FraudReported bool
}

// TransactionWriter writes transactions: the money that moved, inside a Tx.
type TransactionWriter interface {
	// InsertTransaction inserts t and, for a charge or capture, counts it in its day's sales
	// (SalesCounts).
	InsertTransaction(ctx context.Context, t order.Transaction) error
	// AdjustTransaction adds d to the running amounts of transaction id in one atomic statement.
	// It refuses (ErrConflict, nothing written) a result where refunds plus withdrawals exceed the
	// amount, captures exceed it, any running amount is negative, or an already voided
	// authorization is voided again: the database, not only the caller, keeps money from being
	// invented, even under concurrent writers.
	AdjustTransaction(ctx context.Context, id string, d Adjustment) error
}

// TransactionFilter selects transactions; empty fields do not filter.
type TransactionFilter struct {
	Page
	Created
	OrderID           string
	CustomerID        string
	Kind              string
	Provider          string
	ProviderReference string
	CardNetwork       string
	Channel           string
	// PartyCustomer and PartyVendor limit the list to a portal party's own transactions,
	// whatever else it asks for, as for orders.
	PartyCustomer string
	PartyVendor   string
}

// Adjustment is a change to a transaction's running amounts.
type Adjustment struct {
	Refunded  int64
	Withdrawn int64 // negative for a reversal
	Captured  int64
	Void      bool
	At        time.Time // the transaction's new updated_at (never moved back; zero leaves it)
}
