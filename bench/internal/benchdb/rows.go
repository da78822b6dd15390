package benchdb

import (
	"context"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/store/query"
	"disputed/internal/store/searchwords"
	"disputed/internal/store/sqlstore"
)

// Rows writes domain objects as the store keeps them. Only the columns the benchmarks fill are
// written; the others take their defaults (a dispute's are all written, through the store's own
// row). The benchmarks read rows back through the API to
// check that the server sees what was written.
type Rows struct {
	customers, orders, lines, transactions, disputes, tags, words, events, timeline *Table
}

// Rows declares the tables.
func (l *Loader) Rows() *Rows {
	r := &Rows{
		customers: l.Table("customers", "id", "email", "name", "created_at", "updated_at"),
		orders: l.Table("orders", "id", "customer_id", "vendor_id", "currency", "status", "items", "total",
			"completed_at", "revision", "created_at", "updated_at"),
		transactions: l.Table("transactions", "id", "kind", "amount", "currency", "order_id", "customer_id", "parent_id",
			"dispute_id", "provider", "provider_reference", "arn", "card_fingerprint", "amount_withdrawn", "created_at", "updated_at"),
		disputes: l.Table("disputes", disputeColumns...),
		events:   l.Table("events", "id", "type", "dispute_id", "order_id", "data", "created_at"),
		timeline: l.Table("timeline", "id", "dispute_id", "order_id", "actor", "action", "from_state", "to_state", "note", "created_at"),
	}
	r.lines = l.Child(r.orders, "lines", "id", "order_id", "item", "panel", "external_id", "state", "manual", "revision",
		"created_at", "updated_at")
	r.tags = l.Child(r.disputes, "dispute_tags", "dispute_id", "tag", "created_at")
	r.words = l.Child(r.disputes, "dispute_words", "word", "dispute_id")
	return r
}

// Customer writes a customer.
func (r *Rows) Customer(ctx context.Context, c store.Customer) error {
	return r.customers.Add(ctx, c.ID, c.Email, c.Name, ms(c.CreatedAt), ms(c.UpdatedAt))
}

// Order writes an order and its lines.
func (r *Rows) Order(ctx context.Context, o order.Order, lines []order.Line) error {
	items, err := sqlstore.ItemsJSON(o.Items)
	if err != nil {
		return err
	}
	err = r.orders.Add(ctx, o.ID, o.CustomerID, o.VendorID, o.Currency, string(o.Status), items, o.Total,
		nullMS(o.CompletedAt), o.Revision, ms(o.CreatedAt), ms(o.UpdatedAt))
	for _, l := range lines {
		if err != nil {
			return err
		}
		err = r.lines.Add(ctx, l.ID, l.OrderID, int64(l.Item), l.Panel, l.ExternalID, string(l.State), l.Manual, l.Revision,
			ms(l.CreatedAt), ms(l.UpdatedAt))
	}
	return err
}

// Transaction writes a transaction.
func (r *Rows) Transaction(ctx context.Context, t order.Transaction) error {
	return r.transactions.Add(ctx, t.ID, string(t.Kind), t.Amount, t.Currency, t.OrderID, t.CustomerID, t.ParentID,
		t.DisputeID, t.Provider, t.ProviderReference, t.ARN, t.Purchase.CardFingerprint, t.AmountWithdrawn, ms(t.CreatedAt),
		ms(t.CreatedAt))
}

// disputeColumns are every column of a dispute: written as the store writes them, so that a new
// one is loaded with no edit here.
var disputeColumns, _ = sqlstore.Columns(query.Dispute{})

// Dispute writes a dispute, its tags and the words of its search text.
func (r *Rows) Dispute(ctx context.Context, d dispute.Dispute) error {
	row, err := sqlstore.DisputeRow(d)
	if err != nil {
		return err
	}
	_, values := sqlstore.Columns(row)
	err = r.disputes.Add(ctx, values...)
	for _, tag := range d.Tags {
		if err != nil {
			return err
		}
		err = r.tags.Add(ctx, d.ID, tag, ms(d.CreatedAt))
	}
	for _, w := range searchwords.OfDispute(row.Search, row.OrderID) {
		if err != nil {
			return err
		}
		err = r.words.Add(ctx, w, d.ID)
	}
	return err
}

// Event writes an event.
func (r *Rows) Event(ctx context.Context, e store.Event) error {
	return r.events.Add(ctx, e.ID, e.Type, e.DisputeID, e.OrderID, string(e.Data), ms(e.CreatedAt))
}

// Timeline writes a timeline entry.
func (r *Rows) Timeline(ctx context.Context, e store.TimelineEntry) error {
	return r.timeline.Add(ctx, e.ID, e.DisputeID, e.OrderID, e.Actor, e.Action, e.From, e.To, e.Note, ms(e.CreatedAt))
}

// ms is a time as the store keeps it, unix milliseconds; nullMS is NULL for the zero time.
func ms(t time.Time) int64 { return t.UnixMilli() }

func nullMS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}
