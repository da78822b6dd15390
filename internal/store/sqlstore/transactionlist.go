package sqlstore

import (
	"context"

	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

// ListTransactions reads through the index of the first filter given (a provider reference's,
// an order's, a customer's or a party's transactions: a few each), the others checked on its
// rows; with only a kind, a provider, a card network or a channel, the transactions are read newest first until a page is
// full.
func (c *conn) ListTransactions(ctx context.Context, f store.TransactionFilter) ([]order.Transaction, error) {
	var w conditions
	for _, e := range []struct{ column, value string }{{"provider_reference", f.ProviderReference}, {"order_id", f.OrderID},
		{"customer_id", f.CustomerID}, {"customer_id", f.PartyCustomer}, {"vendor_id", f.PartyVendor},
		{"kind", f.Kind}, {"provider", f.Provider}, {"card_network", f.CardNetwork}, {"channel", f.Channel}} {
		if e.value != "" {
			w.equal(e.column, e.value)
		}
	}
	w.created("created_at", f.Created)
	q, args := w.newestFirst("SELECT * FROM transactions", "created_at", "id", f.Page)
	return list(ctx, c, "list transactions", q, args, scanTransaction)
}

// scanTransaction reads a row of SELECT * FROM transactions, by name.
var scanTransaction = scanBy(newByName[query.Transaction](), transactionFromRow)
