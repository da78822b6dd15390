package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"strconv"

	"disputed/internal/store"
)

// A refund reported before the payment it refunds waits in refunds_awaiting_payment under each
// of the payment's references (migration 00053): every payment recorded from a provider asks
// whether a refund waits for it, and almost never finds one, so a pass of events reads that
// ahead for all its payments in one statement (readNoRefundAwaitingAhead), as it does for the
// disputes that wait for a charge.

func (t *tx) AwaitPayment(ctx context.Context, provider, eventID string, refs ...string) error {
	for _, ref := range distinctKeys(refs) {
		delete(t.memo.rows.noRefundAwaiting, store.ProviderReference{Provider: provider, Reference: ref})
		if _, err := t.execBuilt(ctx, "INSERT INTO refunds_awaiting_payment (provider, reference, event_id) VALUES ($1, $2, $3)"+
			" ON CONFLICT DO NOTHING", []any{provider, ref, eventID}); err != nil {
			return t.fail(err, "keep event %s/%s waiting for payment %s", provider, eventID, ref)
		}
	}
	return nil
}

func (t *tx) StopAwaitingPayment(ctx context.Context, provider, eventID string) error {
	if _, err := t.execBuilt(ctx, "DELETE FROM refunds_awaiting_payment WHERE provider = $1 AND event_id = $2",
		[]any{provider, eventID}); err != nil {
		return t.fail(err, "end the wait of event %s/%s", provider, eventID)
	}
	return nil
}

// RefundsAwaitingPayment answers none when every reference was read ahead with none waiting.
func (t *tx) RefundsAwaitingPayment(ctx context.Context, provider string, refs ...string) ([]store.ProviderEvent, error) {
	for _, ref := range refs {
		if ref != "" && !t.memo.rows.noRefundAwaiting[store.ProviderReference{Provider: provider, Reference: ref}] {
			return t.conn.RefundsAwaitingPayment(ctx, provider, refs...)
		}
	}
	return []store.ProviderEvent{}, nil
}

func (c *conn) RefundsAwaitingPayment(ctx context.Context, provider string, refs ...string) ([]store.ProviderEvent, error) {
	refs = distinctKeys(refs)
	if len(refs) == 0 {
		return []store.ProviderEvent{}, nil
	}
	in, args := inList(refs)
	evs, err := c.readProviderEvents(ctx, "SELECT * FROM provider_events WHERE provider = $"+strconv.Itoa(len(args)+1)+
		" AND event_id IN (SELECT event_id FROM refunds_awaiting_payment WHERE reference IN ("+in+") AND provider = $"+
		strconv.Itoa(len(args)+1)+") ORDER BY id", append(args, provider)...)
	if err != nil {
		return nil, c.fail(err, "refunds of %s awaiting the payment %q", provider, refs)
	}
	return evs, nil
}

// readNoRefundAwaitingAhead keeps which of refs no refund of its provider waits for
// (RefundsAwaitingPayment's rule).
func (t *tx) readNoRefundAwaitingAhead(ctx context.Context, refs []store.ProviderReference) error {
	m := &t.memo.rows
	named := notNone(m.noRefundAwaiting, refs)
	scan := func(rows *sql.Rows) (w store.ProviderReference, err error) {
		return w, rows.Scan(&w.Provider, &w.Reference)
	}
	for part := range slices.Chunk(distinctKeys(named), inListLengths[len(inListLengths)-1]) {
		in, args := inList(part)
		ws, err := list(ctx, &t.conn, "read ahead", "SELECT provider, reference FROM refunds_awaiting_payment WHERE reference IN ("+in+")",
			args, scan)
		if err != nil {
			return err
		}
		if m.noRefundAwaiting == nil {
			m.noRefundAwaiting = map[store.ProviderReference]bool{}
		}
		for _, r := range refs {
			if r.Reference != "" && slices.Contains(part, r.Reference) {
				m.noRefundAwaiting[r] = !slices.Contains(ws, r)
			}
		}
	}
	return nil
}
