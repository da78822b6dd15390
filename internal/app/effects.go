package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/money"
	"disputed/internal/order"
	"disputed/internal/store"
)

// commitDispute writes d, read as prev, as one change (revision prev.Revision+1 however many
// rule steps the request took; refused when the stored revision moved on), carries out what the
// steps did and moves the deadline jobs when the due date changed or the dispute ended.
func (a *App) commitDispute(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d *dispute.Dispute, prev dispute.Dispute, changes ...dispute.Change) error {
	d.Revision = prev.Revision + 1
	if err := tx.UpdateDispute(ctx, *d, prev); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return revisionConflict(prev.Revision)
		}
		return err
	}
	for _, ch := range changes {
		if err := a.record(ctx, tx, now, who, d, ch); err != nil {
			return err
		}
	}
	if err := a.pushToProvider(ctx, tx, now, who, *d, prev, changes); err != nil {
		return err
	}
	if !d.DueBy.Equal(prev.DueBy) || prev.IsOpen() != d.IsOpen() {
		return a.scheduleDeadlines(ctx, tx, now, *d)
	}
	return nil
}

func revisionConflict(given int64) error {
	return fault.New(fault.Conflict, "revision_conflict", "revision", "the dispute changed since revision %d; read it again", given)
}

// record writes the timeline entry and events of one change and carries out its effects on
// money, the order and its lines.
func (a *App) record(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d *dispute.Dispute, ch dispute.Change) error {
	if ch.Action != "" { // a change that only moves money has the money's entry
		err := a.timeline(ctx, tx, now, entry{disputeID: d.ID, orderID: d.OrderID, actor: who.String(), action: ch.Action,
			from: string(ch.From), to: string(ch.To), note: ch.Note})
		if err != nil {
			return err
		}
	}
	// The change's own events come first, its consequences (money, lines) after, so that the
	// event log reads in causal order: dispute.created before the line.action_required it
	// caused, dispute.resolved before the withdrawal. order.disputed shows the order after its
	// lines were asked to change, so it is written last.
	for _, typ := range ch.Events {
		if typ == "order.disputed" {
			continue
		}
		if err := a.emit(ctx, tx, now, typ, d.ID, d.OrderID, *d); err != nil {
			return err
		}
	}
	if err := a.moveMoney(ctx, tx, now, who, d, ch); err != nil {
		return err
	}
	if d.OrderID != "" {
		if err := a.settleOrder(ctx, tx, now, who, d, ch); err != nil {
			return err
		}
		if err := a.mailDispute(ctx, tx, now, d, ch); err != nil {
			return err
		}
	}
	if slices.Contains(ch.Events, "order.disputed") {
		v, err := a.reloadOrder(ctx, tx, d.OrderID)
		if err != nil {
			return err
		}
		return a.emit(ctx, tx, now, "order.disputed", d.ID, d.OrderID, v)
	}
	return nil
}

// moveMoney records the refunds, withdrawals and reversals a change implies.
func (a *App) moveMoney(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d *dispute.Dispute, ch dispute.Change) error {
	if !ch.Withdraw && !ch.Reinstate && !ch.RefundRemaining && ch.RefundAmount == 0 {
		return nil
	}
	charges, err := a.disputedCharges(ctx, tx, d)
	if err != nil {
		return err
	}
	switch {
	case ch.Withdraw && len(charges) > 0:
		amount := d.Amount
		if ch.WithdrawAmount > 0 {
			amount = ch.WithdrawAmount
		}
		return a.withdraw(ctx, tx, now, who, d, &charges[0], amount, false)
	case ch.Reinstate && len(charges) > 0:
		return a.withdraw(ctx, tx, now, who, d, &charges[0], 0, true)
	case ch.RefundRemaining:
		for i := range charges {
			if left := charges[i].Refundable(); left > 0 {
				if err := a.refundFor(ctx, tx, now, who, d, &charges[i], left, false); err != nil {
					return err
				}
			}
		}
	case ch.RefundAmount > 0:
		left := ch.RefundAmount
		if ch.RefundCapped {
			var refundable int64
			for _, c := range charges {
				refundable += c.Refundable()
			}
			left = min(left, refundable)
		}
		for i := range charges {
			part := min(left, charges[i].Refundable())
			if part <= 0 {
				continue
			}
			if err := a.refundFor(ctx, tx, now, who, d, &charges[i], part, ch.RefundExternal); err != nil {
				return err
			}
			left -= part
		}
		if left > 0 {
			return fault.Invalidf("amount_too_large", "refund_amount", "%d more than what can still be refunded", left)
		}
	}
	return nil
}

func (a *App) refundFor(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d *dispute.Dispute, charge *order.Transaction, amount int64, external bool) error {
	_, err := a.refund(ctx, tx, now, who, charge, order.Transaction{ID: a.ids.New("txn"), Amount: amount, Currency: charge.Currency,
		External: external, Reason: "dispute " + d.ID, CreatedAt: now}, d.ID)
	return err
}

// disputedCharges are the capturing transactions a dispute's money comes from: its matched
// charge, or else every charge of its order.
func (a *App) disputedCharges(ctx context.Context, tx store.Tx, d *dispute.Dispute) ([]order.Transaction, error) {
	if d.TransactionID != "" {
		t, err := tx.GetTransaction(ctx, d.TransactionID)
		if err != nil {
			return nil, err
		}
		return []order.Transaction{t}, nil
	}
	if d.OrderID == "" {
		return nil, nil
	}
	txns, err := tx.TransactionsOfOrder(ctx, d.OrderID)
	if err != nil {
		return nil, err
	}
	var out []order.Transaction
	for _, t := range txns {
		if t.Captures() {
			out = append(out, t)
		}
	}
	return out, nil
}

// withdraw records the chargeback that took amount of the disputed funds, or, with reverse, the
// reversal that gave back what this dispute's chargebacks took.
func (a *App) withdraw(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d *dispute.Dispute, charge *order.Transaction, amount int64, reverse bool) error {
	t := order.Transaction{ID: a.ids.New("txn"), Amount: amount, DisputeID: d.ID, Reason: "dispute " + d.ID, CreatedAt: now}
	var ok bool
	delta := store.Adjustment{At: now}
	held, err := heldBy(ctx, tx, charge.ID, d.ID)
	if err != nil {
		return err
	}
	if reverse {
		t.Amount = held
		t, ok = order.ReversalOf(charge, t)
		delta.Withdrawn = -t.Amount
	} else if held > 0 {
		return nil // the provider reported the withdrawal already: the loss takes nothing more
	} else {
		t, ok = order.WithdrawalOf(charge, t)
		delta.Withdrawn = t.Amount
	}
	if !ok {
		return nil
	}
	if err := tx.InsertTransaction(ctx, t); err != nil {
		return err
	}
	if err := tx.AdjustTransaction(ctx, charge.ID, delta); err != nil {
		return err
	}
	action := "funds_withdrawn"
	if reverse {
		action = "funds_reinstated"
	}
	if err := a.timeline(ctx, tx, now, entry{disputeID: d.ID, orderID: d.OrderID, actor: who.String(), action: action, note: t.ID}); err != nil {
		return err
	}
	return a.emit(ctx, tx, now, "transaction.created", d.ID, d.OrderID, TransactionView{Transaction: t})
}

// heldBy is what a dispute's chargebacks took from a charge, net of reversals.
func heldBy(ctx context.Context, r store.Reader, chargeID, disputeID string) (int64, error) {
	children, err := r.ChildTransactions(ctx, chargeID)
	if err != nil {
		return 0, err
	}
	var held int64
	for _, c := range children {
		switch {
		case c.DisputeID != disputeID:
		case c.Kind == order.Chargeback:
			held, err = money.Add(held, c.Amount)
		case c.Kind == order.ChargebackReversal:
			held, err = money.Sub(held, c.Amount)
		}
		if err != nil { // the store refuses withdrawals beyond the charge: a sum this large is a corrupt record
			return 0, fmt.Errorf("the withdrawals of dispute %s on charge %s: %w", disputeID, chargeID, err)
		}
	}
	return held, nil
}

// settleOrder applies what a change means for the order: the status a marketplace resolution
// sets, and the line actions for an opened or ended dispute.
func (a *App) settleOrder(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d *dispute.Dispute, ch dispute.Change) error {
	if s, ok := order.StatusForResolution(d.Resolution); ok && ch.Action == "resolved" {
		o, err := tx.GetOrder(ctx, d.OrderID)
		if err != nil {
			return err
		}
		if err := a.setOrderStatus(ctx, tx, now, who, &o, s); err != nil {
			return err
		}
	}
	action := order.ActionForOutcome(ch.Outcome, ch.TerminateLines)
	for _, e := range ch.Events {
		if e == "order.disputed" && d.IsOpen() {
			action = order.Suspend
		}
	}
	if action == order.NoAction {
		return nil
	}
	return a.requestLines(ctx, tx, now, who, d.OrderID, d.ID, action)
}

// requestLines asks for action on every line of the order that needs it.
func (a *App) requestLines(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, orderID, disputeID string, action order.LineAction) error {
	lines, err := tx.LinesOfOrder(ctx, orderID)
	if err != nil {
		return err
	}
	for i := range lines {
		if err := a.requestLine(ctx, tx, now, who, &lines[i], disputeID, action); err != nil {
			return err
		}
	}
	return nil
}
