package sqlstore

import (
	"context"
	"maps"
	"slices"

	"disputed/internal/order"
	"disputed/internal/store"
)

// rowMemo holds the rows a transaction read by key from the tables a dispute's change reads
// again and again: one expiry read its order three times, its lines twice and its charge
// twice, a tenth of its statements. Each write through the transaction to one of these tables
// forgets what it may have changed (the row written, and the lists that held it), so a read in
// the transaction still sees its own writes. On PostgreSQL a row read twice in one
// transaction may have been changed by another in between; the memo gives the first read
// again, as a repeatable read would, and every write that must see the latest row locks it
// first (AdjustTransaction, UpdateDispute's revision), which forgets it.
type rowMemo struct {
	orders    map[string]order.Order
	lines     map[string][]order.Line // by order id
	txns      map[string]order.Transaction
	children  map[string][]order.Transaction // by parent id
	customers map[string]store.Customer
	providers map[string]store.Provider
}

// remembered returns what m holds for key, read by read on a miss and then kept; copy gives
// the caller its own copy of what is kept.
func remembered[K comparable, V any](ctx context.Context, m *map[K]V, key K, read func(context.Context, K) (V, error), copy func(V) V) (V, error) {
	if v, ok := (*m)[key]; ok {
		return copy(v), nil
	}
	v, err := read(ctx, key)
	if err != nil {
		return v, err
	}
	if *m == nil {
		*m = map[K]V{}
	}
	(*m)[key] = v
	return copy(v), nil
}

func sameValue[V any](v V) V { return v }

func copyOrder(o order.Order) order.Order {
	o.Items = slices.Clone(o.Items)
	for i, it := range o.Items {
		if it.Line != nil {
			spec := *it.Line
			o.Items[i].Line = &spec
		}
	}
	o.Metadata = maps.Clone(o.Metadata)
	return o
}

func copyCustomer(c store.Customer) store.Customer {
	c.Metadata = maps.Clone(c.Metadata)
	return c
}

func (t *tx) GetOrder(ctx context.Context, id string) (order.Order, error) {
	return remembered(ctx, &t.memo.rows.orders, id, t.conn.GetOrder, copyOrder)
}

func (t *tx) LinesOfOrder(ctx context.Context, orderID string) ([]order.Line, error) {
	return remembered(ctx, &t.memo.rows.lines, orderID, t.conn.LinesOfOrder, slices.Clone[[]order.Line])
}

func (t *tx) GetTransaction(ctx context.Context, id string) (order.Transaction, error) {
	return remembered(ctx, &t.memo.rows.txns, id, t.conn.GetTransaction, sameValue[order.Transaction])
}

func (t *tx) ChildTransactions(ctx context.Context, parentID string) ([]order.Transaction, error) {
	return remembered(ctx, &t.memo.rows.children, parentID, t.conn.ChildTransactions, slices.Clone[[]order.Transaction])
}

func (t *tx) GetCustomer(ctx context.Context, id string) (store.Customer, error) {
	return remembered(ctx, &t.memo.rows.customers, id, t.conn.GetCustomer, copyCustomer)
}

func (t *tx) GetProvider(ctx context.Context, name string) (store.Provider, error) {
	return remembered(ctx, &t.memo.rows.providers, name, t.conn.GetProvider, sameValue[store.Provider])
}

// The writes' side: what each may have changed.

func (m *rowMemo) orderWritten(id string) { delete(m.orders, id) }

// lineWritten forgets the lines of l's order, and any list that held l (an update may move a
// line to another order).
func (m *rowMemo) lineWritten(l order.Line) {
	delete(m.lines, l.OrderID)
	for orderID, lines := range m.lines {
		if slices.ContainsFunc(lines, func(x order.Line) bool { return x.ID == l.ID }) {
			delete(m.lines, orderID)
		}
	}
}

func (m *rowMemo) transactionInserted(t order.Transaction) {
	delete(m.txns, t.ID)
	delete(m.children, t.ParentID)
}

// transactionAdjusted forgets the transaction id and the list of children that held it.
func (m *rowMemo) transactionAdjusted(id string) {
	delete(m.txns, id)
	for parentID, kids := range m.children {
		if slices.ContainsFunc(kids, func(t order.Transaction) bool { return t.ID == id }) {
			delete(m.children, parentID)
		}
	}
}

func (m *rowMemo) customerWritten(id string) { delete(m.customers, id) }

func (m *rowMemo) providerWritten() { m.providers = nil }
