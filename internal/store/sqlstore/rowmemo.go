package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"

	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

// rowMemo holds the rows a transaction read by key from the tables a dispute's change reads
// again and again: one expiry read its order three times, its lines twice and its charge
// twice, a tenth of its statements. Each write through the transaction to one of these tables
// forgets what it may have changed (the row written, and the lists that held it), so a read in
// the transaction still sees its own writes. On PostgreSQL a row read twice in one
// transaction may have been changed by another in between; the memo gives the first read
// again, as a repeatable read would (a row found missing stays missing, as a row another
// transaction writes a moment after the first read would have), and every write that must see
// the latest row locks it first (AdjustTransaction, UpdateDispute's revision), which forgets it.
type rowMemo struct {
	orders    keyed[order.Order]
	lines     map[string][]order.Line // by order id
	txns      keyed[order.Transaction]
	children  map[string][]order.Transaction // by parent id
	customers keyed[store.Customer]
	providers keyed[store.Provider]
	lookupMemo
}

// keyed holds the rows of one table a transaction read by key, and the keys it found no row
// for: a charge names an order of another system, a dispute a provider the merchant never
// configured, and each event or expiry would ask again.
type keyed[V any] struct {
	found   map[string]V
	missing map[string]error // the not-found error the read gave
}

// get returns what k holds for key, read by read on a miss and then kept, found or not; copy
// gives the caller its own copy of what is kept.
func (k *keyed[V]) get(ctx context.Context, key string, read func(context.Context, string) (V, error), copy func(V) V) (V, error) {
	if v, ok := k.found[key]; ok {
		return copy(v), nil
	}
	if err, ok := k.missing[key]; ok {
		var none V
		return none, err
	}
	v, err := read(ctx, key)
	switch {
	case errors.Is(err, store.ErrNotFound):
		k.keepMissing(key, err)
		return v, err
	case err != nil:
		return v, err
	}
	k.keep(key, v)
	return copy(v), nil
}

func (k *keyed[V]) keep(key string, v V) {
	if k.found == nil {
		k.found = map[string]V{}
	}
	k.found[key] = v
}

func (k *keyed[V]) keepMissing(key string, err error) {
	if k.missing == nil {
		k.missing = map[string]error{}
	}
	k.missing[key] = err
}

// kept tells whether k holds an answer for key, a row or its absence.
func (k *keyed[V]) kept(key string) bool {
	_, found := k.found[key]
	_, missing := k.missing[key]
	return found || missing
}

// forget drops what k holds for key: the row was written.
func (k *keyed[V]) forget(key string) {
	delete(k.found, key)
	delete(k.missing, key)
}

// remembered returns the list m holds for key, read by read on a miss and then kept; copy gives
// the caller its own copy of what is kept.
func remembered[V any](ctx context.Context, m *map[string]V, key string, read func(context.Context, string) (V, error), copy func(V) V) (V, error) {
	if v, ok := (*m)[key]; ok {
		return copy(v), nil
	}
	v, err := read(ctx, key)
	if err != nil {
		return v, err
	}
	if *m == nil {
		*m = map[string]V{}
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
	return t.memo.rows.orders.get(ctx, id, t.conn.GetOrder, copyOrder)
}

func (t *tx) LinesOfOrder(ctx context.Context, orderID string) ([]order.Line, error) {
	return remembered(ctx, &t.memo.rows.lines, orderID, t.conn.LinesOfOrder, slices.Clone[[]order.Line])
}

func (t *tx) GetTransaction(ctx context.Context, id string) (order.Transaction, error) {
	return t.memo.rows.txns.get(ctx, id, t.conn.GetTransaction, sameValue[order.Transaction])
}

func (t *tx) ChildTransactions(ctx context.Context, parentID string) ([]order.Transaction, error) {
	return remembered(ctx, &t.memo.rows.children, parentID, t.conn.ChildTransactions, slices.Clone[[]order.Transaction])
}

func (t *tx) GetCustomer(ctx context.Context, id string) (store.Customer, error) {
	return t.memo.rows.customers.get(ctx, id, t.conn.GetCustomer, copyCustomer)
}

func (t *tx) GetProvider(ctx context.Context, name string) (store.Provider, error) {
	return t.memo.rows.providers.get(ctx, name, t.conn.GetProvider, sameValue[store.Provider])
}

func (t *tx) ReadRowsAhead(ctx context.Context, keys store.RowKeys) error {
	m := &t.memo.rows
	err := readAhead(ctx, t, &m.orders, keys.Orders, "order", scanBy(orderRows, orderFromRow),
		func(o order.Order) string { return o.ID })
	if err == nil {
		err = readAhead(ctx, t, &m.txns, keys.Transactions, "transaction", scanTransaction,
			func(tr order.Transaction) string { return tr.ID })
	}
	if err == nil {
		err = readAhead(ctx, t, &m.customers, keys.Customers, "customer", scanBy(customerRows, customerFromRow),
			func(c store.Customer) string { return c.ID })
	}
	if err == nil {
		err = readListsAhead(ctx, t, &m.lines, keys.LinesOfOrders, "SELECT * FROM lines WHERE order_id", "item, id", scanLine,
			func(l order.Line) string { return l.OrderID })
	}
	if err == nil {
		err = readListsAhead(ctx, t, &m.children, withoutEmpty(keys.ChildrenOf), "SELECT * FROM transactions WHERE parent_id <> '' AND parent_id", "created_at, id",
			scanTransaction, func(tr order.Transaction) string { return tr.ParentID })
	}
	if err == nil {
		err = t.readLookupsAhead(ctx, keys)
	}
	if err != nil {
		return t.fail(err, "read rows ahead")
	}
	return nil
}

var scanLine = scanBy(newByName[query.Line](), func(r query.Line) (order.Line, error) { return lineFromRow(r), nil })

// readAhead reads the rows of the table of what (the table is its plural: "order" reads orders)
// whose id is among keys, and not yet kept, into k, and keeps the keys with no row as missing,
// with the error the read of that one row (conn.GetOrder, …) gives.
func readAhead[V any](ctx context.Context, t *tx, k *keyed[V], keys []string, what string, scan func(*sql.Rows) (V, error), key func(V) string) error {
	keys = slices.DeleteFunc(distinctKeys(keys), k.kept)
	for part := range slices.Chunk(keys, inListLengths[len(inListLengths)-1]) {
		in, args := inList(part)
		vs, err := list(ctx, &t.conn, "read ahead", "SELECT * FROM "+what+"s WHERE id IN ("+in+")", args, scan)
		if err != nil {
			return err
		}
		for _, v := range vs {
			k.keep(key(v), v)
		}
		for _, id := range part {
			if !k.kept(id) {
				k.keepMissing(id, t.fail(store.ErrNotFound, "get %s %s", what, id))
			}
		}
	}
	return nil
}

// readListsAhead reads the lists (lines of an order, children of a transaction) whose key is
// among keys, and not yet kept, into *m, in order as the read of one list orders it; a key
// with none keeps an empty list, which a read then finds.
func readListsAhead[V any](ctx context.Context, t *tx, m *map[string][]V, keys []string, selectWhere, orderBy string, scan func(*sql.Rows) (V, error), key func(V) string) error {
	keys = notKept(*m, keys)
	for part := range slices.Chunk(keys, inListLengths[len(inListLengths)-1]) {
		in, args := inList(part)
		vs, err := list(ctx, &t.conn, "read ahead", selectWhere+" IN ("+in+") ORDER BY "+orderBy, args, scan)
		if err != nil {
			return err
		}
		if *m == nil {
			*m = make(map[string][]V, len(keys))
		}
		for _, k := range part {
			(*m)[k] = []V{}
		}
		for _, v := range vs {
			(*m)[key(v)] = append((*m)[key(v)], v)
		}
	}
	return nil
}

// notKept are the keys, each once, that m holds nothing for: what it holds may be fresher
// than the table (a read after a write).
func notKept[V any](m map[string]V, keys []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, k := range keys {
		if _, ok := m[k]; !ok && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

func withoutEmpty(keys []string) []string {
	return slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return k == "" })
}

// distinctKeys are the keys but "", each once, sorted.
func distinctKeys(keys []string) []string {
	return slices.Compact(slices.Sorted(slices.Values(withoutEmpty(keys))))
}

// inList is the parameter list of an IN over keys, and its arguments. The list is padded, by
// repeating the last key, to one of a few lengths: each length is a statement of its own, which
// the store prepares once and keeps.
func inList(keys []string) (string, []any) {
	n := inListLengths[len(inListLengths)-1]
	for _, l := range inListLengths {
		if len(keys) <= l {
			n = l
			break
		}
	}
	args := make([]any, n)
	for i := range n {
		args[i] = keys[min(i, len(keys)-1)]
	}
	return params(1, n, "$%d"), args
}

// inListLengths are the lengths inList pads to; the last is the most keys one list takes.
var inListLengths = []int{1, 10, 100, 500}

// The writes' side: what each may have changed.

func (m *rowMemo) orderWritten(id string) { m.orders.forget(id) }

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

// lineUpdated keeps the lines of l's order, kept before l was written as updated, with l as the
// update wrote it: a dispute's change suspends a line and then reads its order's lines for
// order.updated. The list is kept only when l stayed in its place (same order, same item).
func (m *rowMemo) lineUpdated(kept []order.Line, l order.Line) {
	i := slices.IndexFunc(kept, func(k order.Line) bool { return k.ID == l.ID })
	if i < 0 || kept[i].Item != l.Item {
		return
	}
	written := l
	written.Revision, written.UpdatedAt, written.CreatedAt = l.Revision+1, fromMillis(millis(l.UpdatedAt)), kept[i].CreatedAt
	lines := slices.Clone(kept)
	lines[i] = written
	m.lines[l.OrderID] = lines
}

func (m *rowMemo) transactionInserted(t order.Transaction) {
	m.txns.forget(t.ID)
	delete(m.children, t.ParentID)
	m.lookupMemo.transactionInserted(t)
}

// transactionAdjusted forgets the transaction id and the list of children that held it.
func (m *rowMemo) transactionAdjusted(id string) {
	m.txns.forget(id)
	m.lookupMemo.transactionAdjusted(id)
	for parentID, kids := range m.children {
		if slices.ContainsFunc(kids, func(t order.Transaction) bool { return t.ID == id }) {
			delete(m.children, parentID)
		}
	}
}

func (m *rowMemo) customerInserted(c store.Customer) {
	m.customers.forget(c.ID)
	m.lookupMemo.customerInserted(c)
}

func (m *rowMemo) providerWritten() { m.providers = keyed[store.Provider]{} }
