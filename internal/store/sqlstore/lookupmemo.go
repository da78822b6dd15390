package sqlstore

import (
	"context"
	"database/sql"
	"slices"

	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
)

// The lookups an inbox event makes before it writes: the transactions with the provider's
// reference it reports (is the charge known?), the disputes that arrived before their charge
// (are any waiting for it?), and the order's open dispute (the order's view in order.updated).
// A pass of events reads them ahead in three statements (ReadRowsAhead); a charge then costs
// none of these reads. The waiting disputes and the open disputes are almost always none, so
// only that is kept: a key that has some is read again when asked, and a dispute written
// through the transaction forgets its order and its references.

// lookupMemo is the part of rowMemo that answers the lookups above.
type lookupMemo struct {
	references    map[string][]order.Transaction // the transactions with a provider's reference, oldest first
	noneAwaiting  map[store.ProviderReference]bool
	noOpenDispute map[string]bool // by order id
}

// FindTransaction answers from the transactions read ahead by their reference, when they were.
func (t *tx) FindTransaction(ctx context.Context, provider, reference string) (order.Transaction, error) {
	found, ok := t.memo.rows.references[reference]
	if !ok || reference == "" {
		return t.conn.FindTransaction(ctx, provider, reference)
	}
	for _, tr := range found {
		if provider == "" || tr.Provider == provider {
			return tr, nil
		}
	}
	return order.Transaction{}, t.fail(store.ErrNotFound, "find transaction %q of provider %q", reference, provider)
}

// DisputesAwaitingCharge answers none when every reference was read ahead with none waiting.
func (t *tx) DisputesAwaitingCharge(ctx context.Context, provider string, refs ...string) ([]dispute.Dispute, error) {
	for _, ref := range refs {
		if ref != "" && !t.memo.rows.noneAwaiting[store.ProviderReference{Provider: provider, Reference: ref}] {
			return t.conn.DisputesAwaitingCharge(ctx, provider, refs...)
		}
	}
	return []dispute.Dispute{}, nil
}

// OpenDisputeOfOrder answers ErrNotFound when the order was read ahead with no open dispute.
func (t *tx) OpenDisputeOfOrder(ctx context.Context, orderID string) (dispute.Dispute, error) {
	if orderID != "" && t.memo.rows.noOpenDispute[orderID] {
		return dispute.Dispute{}, t.fail(store.ErrNotFound, "open dispute of order %s", orderID)
	}
	return t.conn.OpenDisputeOfOrder(ctx, orderID)
}

// readLookupsAhead reads ahead what keys name for the lookups above.
func (t *tx) readLookupsAhead(ctx context.Context, keys store.RowKeys) error {
	m := &t.memo.rows
	err := readListsAhead(ctx, t, &m.references, withoutEmpty(keys.References), "SELECT * FROM transactions WHERE provider_reference",
		"created_at, id", scanTransaction, func(tr order.Transaction) string { return tr.ProviderReference })
	if err == nil {
		err = t.readNoneAwaitingAhead(ctx, keys.AwaitingCharges)
	}
	if err == nil {
		err = t.readNoOpenDisputeAhead(ctx, withoutEmpty(keys.OpenDisputesOf))
	}
	return err
}

// readNoneAwaitingAhead keeps which of refs no open dispute of its provider, matched to no
// transaction, names as its charge or its payment (DisputesAwaitingCharge's rule).
func (t *tx) readNoneAwaitingAhead(ctx context.Context, refs []store.ProviderReference) error {
	m := &t.memo.rows
	var named []string
	for _, r := range refs {
		if !m.noneAwaiting[r] {
			named = append(named, r.Reference)
		}
	}
	type waiting struct{ provider, charge, payment string }
	scan := func(rows *sql.Rows) (w waiting, err error) { return w, rows.Scan(&w.provider, &w.charge, &w.payment) }
	for part := range slices.Chunk(distinctKeys(named), inListLengths[len(inListLengths)-1]) {
		in, args := inList(part)
		again := params(len(args)+1, len(args), "$%d")
		ws, err := list(ctx, &t.conn, "read ahead", "SELECT provider, provider_charge, provider_payment_intent FROM disputes"+
			" WHERE (provider_charge IN ("+in+") OR provider_payment_intent IN ("+again+")) AND transaction_id || '' = '' AND is_open",
			append(args, args...), scan)
		if err != nil {
			return err
		}
		if m.noneAwaiting == nil {
			m.noneAwaiting = map[store.ProviderReference]bool{}
		}
		for _, r := range refs {
			if r.Reference == "" || !slices.Contains(part, r.Reference) {
				continue
			}
			m.noneAwaiting[r] = !slices.ContainsFunc(ws, func(w waiting) bool {
				return w.provider == r.Provider && (w.charge == r.Reference || w.payment == r.Reference)
			})
		}
	}
	return nil
}

// readNoOpenDisputeAhead keeps which of orderIDs have no open dispute.
func (t *tx) readNoOpenDisputeAhead(ctx context.Context, orderIDs []string) error {
	m := &t.memo.rows
	scan := func(rows *sql.Rows) (id string, err error) { return id, rows.Scan(&id) }
	for part := range slices.Chunk(notKept(m.noOpenDispute, orderIDs), inListLengths[len(inListLengths)-1]) {
		in, args := inList(part)
		open, err := list(ctx, &t.conn, "read ahead", "SELECT order_id FROM disputes WHERE order_id IN ("+in+") AND is_open", args, scan)
		if err != nil {
			return err
		}
		if m.noOpenDispute == nil {
			m.noOpenDispute = make(map[string]bool, len(orderIDs))
		}
		for _, id := range part {
			if !slices.Contains(open, id) {
				m.noOpenDispute[id] = true
			}
		}
	}
	return nil
}

// disputeWritten forgets that d's order had no open dispute and that nothing awaited d's
// references: d may be that dispute now.
func (m *lookupMemo) disputeWritten(d dispute.Dispute) {
	delete(m.noOpenDispute, d.OrderID)
	for _, ref := range []string{d.ProviderCharge, d.ProviderPaymentIntent} {
		delete(m.noneAwaiting, store.ProviderReference{Provider: d.Provider, Reference: ref})
	}
}

// disputeUpdated keeps that prev's order has no open dispute once prev, open, was updated to d,
// closed or on another order: an order has one open dispute at most (the index
// disputes_one_open_per_order), so prev was it. A resolution then reads no open dispute for
// its order.updated.
func (m *lookupMemo) disputeUpdated(d, prev dispute.Dispute) {
	if !prev.IsOpen() || prev.OrderID == "" || (d.IsOpen() && d.OrderID == prev.OrderID) {
		return
	}
	if m.noOpenDispute == nil {
		m.noOpenDispute = map[string]bool{}
	}
	m.noOpenDispute[prev.OrderID] = true
}

// transactionInserted forgets the transactions with tr's reference: tr is one of them now.
func (m *lookupMemo) transactionInserted(tr order.Transaction) {
	delete(m.references, tr.ProviderReference)
}

// transactionAdjusted forgets the transactions of the reference id's transaction has.
func (m *lookupMemo) transactionAdjusted(id string) {
	for ref, ts := range m.references {
		if slices.ContainsFunc(ts, func(tr order.Transaction) bool { return tr.ID == id }) {
			delete(m.references, ref)
		}
	}
}
