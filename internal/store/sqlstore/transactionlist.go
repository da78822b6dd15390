package sqlstore

import (
	"context"
	"database/sql"

	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

// ListTransactions reads through the index of the first filter given (a provider reference's,
// an order's, a customer's or a party's transactions: a few each), the others checked on its
// rows; with only a kind or a provider, the transactions are read newest first until a page is
// full.
func (c *conn) ListTransactions(ctx context.Context, f store.TransactionFilter) ([]order.Transaction, error) {
	var w conditions
	for _, e := range []struct{ column, value string }{{"provider_reference", f.ProviderReference}, {"order_id", f.OrderID},
		{"customer_id", f.CustomerID}, {"customer_id", f.PartyCustomer}, {"vendor_id", f.PartyVendor},
		{"kind", f.Kind}, {"provider", f.Provider}} {
		if e.value != "" {
			w.equal(e.column, e.value)
		}
	}
	w.created("created_at", f.Created)
	q, args := w.newestFirst("SELECT "+transactionColumns+" FROM transactions", "created_at", "id", f.Page)
	return list(ctx, c, "list transactions", q, args, func(rows *sql.Rows) (order.Transaction, error) {
		var r query.Transaction
		err := rows.Scan(&r.ID, &r.Kind, &r.Amount, &r.Currency, &r.OrderID, &r.CustomerID, &r.VendorID, &r.ParentID,
			&r.DisputeID, &r.Provider, &r.ProviderReference, &r.ARN, &r.CardFingerprint, &r.External, &r.Reason,
			&r.AmountRefunded, &r.AmountWithdrawn, &r.AmountCaptured, &r.Voided, &r.CreatedAt, &r.UpdatedAt)
		if err != nil {
			return order.Transaction{}, err
		}
		return transactionFromRow(r), nil
	})
}

// transactionColumns are the columns ListTransactions scans, named so that a column added to the
// table changes nothing here.
const transactionColumns = "id, kind, amount, currency, order_id, customer_id, vendor_id, parent_id, dispute_id, provider, " +
	"provider_reference, arn, card_fingerprint, external, reason, amount_refunded, amount_withdrawn, amount_captured, " +
	"voided, created_at, updated_at"
