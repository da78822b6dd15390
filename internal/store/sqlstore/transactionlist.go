package sqlstore

import (
	"context"

	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

// ListTransactions is WalkTransactions without a bound.
func (c *conn) ListTransactions(ctx context.Context, f store.TransactionFilter) ([]order.Transaction, error) {
	w, err := c.WalkTransactions(ctx, f, 0)
	return w.Rows, err
}

// WalkTransactions reads through the index of the first filter given (a provider reference's,
// an order's, a customer's or a party's transactions: a few each), else the transactions newest
// first, at most readAtMost of them, within the time range and after the cursor; the other
// filters are checked on the rows read: the kind, provider, card network and channel have no
// index, and the walk for a rare one read the whole table.
func (c *conn) WalkTransactions(ctx context.Context, f store.TransactionFilter, readAtMost int) (store.Walk[order.Transaction], error) {
	var w conditions
	for _, e := range []struct{ column, value string }{{"provider_reference", f.ProviderReference}, {"order_id", f.OrderID},
		{"customer_id", f.CustomerID}, {"customer_id", f.PartyCustomer}, {"vendor_id", f.PartyVendor}} {
		if e.value != "" {
			w.equal(e.column, e.value)
		}
	}
	for _, e := range []struct{ column, value string }{{"kind", f.Kind}, {"provider", f.Provider},
		{"card_network", f.CardNetwork}, {"channel", f.Channel}} {
		if e.value != "" {
			w.add(e.column + " = " + w.arg(e.value))
		}
	}
	w.created("created_at", f.Created)
	pg := w.startAfter("created_at", "id", f.Page)
	return walkNewest(ctx, c, "list transactions", w, walkOf{selectFrom: "SELECT * FROM transactions", table: "transactions",
		walked: "transactions", order: "created_at DESC, id DESC", key: "created_at, id"}, pg, readAtMost, scanTransaction)
}

// scanTransaction reads a row of SELECT * FROM transactions, by name.
var scanTransaction = scanBy(newByName[query.Transaction](), transactionFromRow)
