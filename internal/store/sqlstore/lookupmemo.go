package sqlstore

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"strconv"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

// The lookups an inbox event makes before it writes: the transactions with the provider's
// reference it reports (is the charge known?), the disputes that arrived before their charge
// (are any waiting for it?), and the order's open dispute (the order's view in order.updated).
// A pass of events reads them ahead in three statements (ReadRowsAhead); a charge then costs
// none of these reads. The waiting disputes and the open disputes are almost always none, so
// only that is kept: a key that has some is read again when asked, and a dispute written
// through the transaction forgets its order and its references. A dispute written open is its
// order's open dispute: the row written answers, so that a dispute's change does not read its
// own row back for its order's view (order.updated).

// lookupMemo is the part of rowMemo that answers the lookups above, and a dispute event's own:
// its dispute, by the provider's id of the case, and when the last event applied to that
// dispute happened.
type lookupMemo struct {
	references   map[string][]order.Transaction // the transactions with a provider's reference, oldest first
	noneAwaiting map[store.ProviderReference]bool
	// noRefundAwaiting: the references no refund waits for (RefundsAwaitingPayment).
	noRefundAwaiting map[store.ProviderReference]bool
	noOpenDispute    map[string]bool // by order id
	// openWritten are the rows of the open disputes this transaction wrote, by order id: an
	// order has one open dispute at most (disputes_one_open_per_order), so a row written open
	// is the order's until the transaction writes a dispute of that order again.
	openWritten map[string]query.Dispute
	cases       map[store.ProviderReference]providerCase
	lastEventAt map[string]time.Time // by dispute id; zero: none applied
	// newestCustomers are the ids of the newest customers with an email or an external id,
	// "" for none: a payment of no order of ours names its buyer so.
	newestCustomers map[store.CustomerKey]string
}

// providerCase is what a provider's id of a case was read ahead to name: a dispute, or none.
type providerCase struct {
	dispute dispute.Dispute
	found   bool
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

// OpenDisputeOfOrder answers ErrNotFound when the order was read ahead with no open dispute,
// and the open dispute this transaction wrote, read from the row it wrote (each answer a copy
// of its own, as a read gives), when it wrote one.
func (t *tx) OpenDisputeOfOrder(ctx context.Context, orderID string) (dispute.Dispute, error) {
	if orderID != "" && t.memo.rows.noOpenDispute[orderID] {
		return dispute.Dispute{}, t.fail(store.ErrNotFound, "open dispute of order %s", orderID)
	}
	if row, ok := t.memo.rows.openWritten[orderID]; ok && orderID != "" {
		d, err := disputeFromRow(row)
		if err != nil {
			return dispute.Dispute{}, t.fail(err, "open dispute of order %s", orderID)
		}
		return d, nil
	}
	return t.conn.OpenDisputeOfOrder(ctx, orderID)
}

// FindDisputeByProvider answers from the cases read ahead. A dispute found is given once: its
// caller changes its copy and writes it, and a second look reads the row. A case read ahead
// with none stays none until a dispute of that case is written.
func (t *tx) FindDisputeByProvider(ctx context.Context, provider, providerDisputeID string) (dispute.Dispute, error) {
	key := store.ProviderReference{Provider: provider, Reference: providerDisputeID}
	c, ok := t.memo.rows.cases[key]
	switch {
	case !ok || providerDisputeID == "":
		return t.conn.FindDisputeByProvider(ctx, provider, providerDisputeID)
	case c.found:
		delete(t.memo.rows.cases, key)
		return c.dispute, nil
	}
	return dispute.Dispute{}, t.fail(store.ErrNotFound, "find dispute %s/%s", provider, providerDisputeID)
}

// NewestCustomerID answers from the customers read ahead by their email or external id.
func (t *tx) NewestCustomerID(ctx context.Context, key store.CustomerKey) (string, error) {
	if id, ok := t.memo.rows.newestCustomers[key]; ok {
		return id, nil
	}
	return t.conn.NewestCustomerID(ctx, key)
}

// LastProviderEventAt answers from what was read ahead with the dispute's case.
func (t *tx) LastProviderEventAt(ctx context.Context, disputeID string) (time.Time, error) {
	if at, ok := t.memo.rows.lastEventAt[disputeID]; ok {
		return at, nil
	}
	return t.conn.LastProviderEventAt(ctx, disputeID)
}

// readLookupsAhead reads ahead what keys name for the lookups above.
func (t *tx) readLookupsAhead(ctx context.Context, keys store.RowKeys) error {
	m := &t.memo.rows
	err := readListsAhead(ctx, t, &m.references, withoutEmpty(keys.References), "SELECT * FROM transactions WHERE provider_reference",
		"created_at, id", scanTransaction, func(tr order.Transaction) string { return tr.ProviderReference })
	if err == nil {
		// The same rows answer a read by id (a dispute's change reads its charge so); both
		// memos forget a transaction written.
		for _, ref := range keys.References {
			for _, tr := range m.references[ref] {
				if !m.txns.kept(tr.ID) {
					m.txns.keep(tr.ID, tr)
				}
			}
		}
	}
	if err == nil {
		err = t.readNoneAwaitingAhead(ctx, keys.AwaitingCharges)
	}
	if err == nil {
		err = t.readNoRefundAwaitingAhead(ctx, keys.AwaitingCharges)
	}
	if err == nil {
		err = t.readNoOpenDisputeAhead(ctx, withoutEmpty(keys.OpenDisputesOf))
	}
	if err == nil {
		err = t.readCasesAhead(ctx, keys.ProviderCases)
	}
	if err == nil {
		err = t.readNewestCustomersAhead(ctx, keys.CustomerKeys)
	}
	return err
}

// readNewestCustomersAhead keeps the newest customer of each email and each external id keys
// name, or that none has it (NewestCustomerID's rule: ListCustomers' first, newest by
// created_at then id).
func (t *tx) readNewestCustomersAhead(ctx context.Context, keys []store.CustomerKey) error {
	m := &t.memo.rows
	var emails, externalIDs []string
	for _, k := range keys {
		if _, kept := m.newestCustomers[k]; !kept {
			emails, externalIDs = append(emails, k.Email), append(externalIDs, k.ExternalID)
		}
	}
	type customer struct{ key, id string }
	scan := func(rows *sql.Rows) (c customer, err error) { return c, rows.Scan(&c.key, &c.id) }
	for _, by := range []struct {
		column string
		values []string
		key    func(string) store.CustomerKey
	}{
		{"email", emails, func(v string) store.CustomerKey { return store.CustomerKey{Email: v} }},
		{"external_id", externalIDs, func(v string) store.CustomerKey { return store.CustomerKey{ExternalID: v} }},
	} {
		for part := range slices.Chunk(distinctKeys(by.values), inListLengths[len(inListLengths)-1]) {
			in, args := inList(part)
			// Oldest first, so that the last of each key is its newest.
			cs, err := list(ctx, &t.conn, "read ahead", "SELECT "+by.column+", id FROM customers WHERE "+by.column+" IN ("+in+
				") ORDER BY created_at, id", args, scan)
			if err != nil {
				return err
			}
			if m.newestCustomers == nil {
				m.newestCustomers = map[store.CustomerKey]string{}
			}
			for _, v := range part {
				m.newestCustomers[by.key(v)] = ""
			}
			for _, c := range cs {
				m.newestCustomers[by.key(c.key)] = c.id
			}
		}
	}
	return nil
}

// readCasesAhead keeps the disputes of the provider's cases refs name, or that there is none,
// and when the last provider event applied to each dispute found happened.
func (t *tx) readCasesAhead(ctx context.Context, refs []store.ProviderReference) error {
	m := &t.memo.rows
	byProvider := map[string][]string{}
	for _, r := range refs {
		if _, kept := m.cases[r]; !kept && r.Reference != "" {
			byProvider[r.Provider] = append(byProvider[r.Provider], r.Reference)
		}
	}
	var found []string
	for _, provider := range slices.Sorted(maps.Keys(byProvider)) {
		for part := range slices.Chunk(distinctKeys(byProvider[provider]), inListLengths[len(inListLengths)-1]) {
			in, args := inList(part)
			// The condition on '' repeats the WHERE of the partial index disputes_provider_case.
			ds, err := list(ctx, &t.conn, "read ahead", "SELECT disputes.* FROM disputes WHERE provider = $"+strconv.Itoa(len(args)+1)+
				" AND provider_dispute_id IN ("+in+") AND provider_dispute_id <> ''", append(args, provider), scanDispute)
			if err != nil {
				return err
			}
			if m.cases == nil {
				m.cases = map[store.ProviderReference]providerCase{}
			}
			for _, id := range part {
				m.cases[store.ProviderReference{Provider: provider, Reference: id}] = providerCase{}
			}
			for _, d := range ds {
				m.cases[store.ProviderReference{Provider: provider, Reference: d.ProviderDisputeID}] = providerCase{dispute: d, found: true}
				found = append(found, d.ID)
			}
		}
	}
	return t.readLastEventsAhead(ctx, found)
}

// readLastEventsAhead keeps when the last provider event applied to each of the disputes
// happened (LastProviderEventAt's rule).
func (t *tx) readLastEventsAhead(ctx context.Context, disputeIDs []string) error {
	m := &t.memo.rows
	type last struct {
		disputeID string
		ms        int64
	}
	scan := func(rows *sql.Rows) (l last, err error) { return l, rows.Scan(&l.disputeID, &l.ms) }
	for part := range slices.Chunk(notKept(m.lastEventAt, disputeIDs), inListLengths[len(inListLengths)-1]) {
		in, args := inList(part)
		ls, err := list(ctx, &t.conn, "read ahead", "SELECT dispute_id, CAST(MAX(happened_at) AS BIGINT) FROM provider_events"+
			" WHERE dispute_id <> '' AND dispute_id IN ("+in+") AND applied GROUP BY dispute_id", args, scan)
		if err != nil {
			return err
		}
		if m.lastEventAt == nil {
			m.lastEventAt = make(map[string]time.Time, len(disputeIDs))
		}
		for _, id := range part {
			m.lastEventAt[id] = time.Time{}
		}
		for _, l := range ls {
			if l.ms != 0 {
				m.lastEventAt[l.disputeID] = fromMillis(l.ms)
			}
		}
	}
	return nil
}

// readNoneAwaitingAhead keeps which of refs no open dispute of its provider, matched to no
// transaction, names as its charge or its payment (DisputesAwaitingCharge's rule).
func (t *tx) readNoneAwaitingAhead(ctx context.Context, refs []store.ProviderReference) error {
	m := &t.memo.rows
	named := notNone(m.noneAwaiting, refs)
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
	delete(m.openWritten, d.OrderID)
	delete(m.cases, store.ProviderReference{Provider: d.Provider, Reference: d.ProviderDisputeID})
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

// disputeRowWritten keeps row, just written, as its order's open dispute when it is open.
func (m *lookupMemo) disputeRowWritten(row query.Dispute) {
	if !row.IsOpen || row.OrderID == "" {
		return
	}
	if m.openWritten == nil {
		m.openWritten = map[string]query.Dispute{}
	}
	m.openWritten[row.OrderID] = row
}

// providerEventsSettled forgets when the last event applied to the disputes of evs happened:
// one of evs may be it now.
func (m *lookupMemo) providerEventsSettled(evs []store.ProviderEvent) {
	for _, e := range evs {
		delete(m.lastEventAt, e.DisputeID)
	}
}

// notNone are the references of refs that none is not known to wait for (none[ref] false):
// those a read ahead reads.
func notNone(none map[store.ProviderReference]bool, refs []store.ProviderReference) []string {
	var named []string
	for _, r := range refs {
		if !none[r] {
			named = append(named, r.Reference)
		}
	}
	return named
}

// referencesLocked forgets what was read ahead about the references just locked: the
// transactions with them, and whether a dispute or a refund waits for them.
func (m *lookupMemo) referencesLocked(refs []string) {
	for _, ref := range refs {
		delete(m.references, ref)
	}
	locked := func(r store.ProviderReference, _ bool) bool { return slices.Contains(refs, r.Reference) }
	maps.DeleteFunc(m.noneAwaiting, locked)
	maps.DeleteFunc(m.noRefundAwaiting, locked)
}

// customerInserted forgets the newest customers of c's email and external id: c is now.
func (m *lookupMemo) customerInserted(c store.Customer) {
	delete(m.newestCustomers, store.CustomerKey{Email: c.Email})
	delete(m.newestCustomers, store.CustomerKey{ExternalID: c.ExternalID})
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
