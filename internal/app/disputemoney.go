package app

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/money"
	"disputed/internal/order"
	"disputed/internal/store"
)

// moveMoney records the refunds, withdrawals and reversals a change implies; the order's status
// is settled once, after every refund.
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
	case ch.RefundRemaining || ch.RefundAmount > 0:
		if err := a.refundDisputed(ctx, tx, now, who, d, ch, charges); err != nil {
			return err
		}
		for _, orderID := range ordersOf(charges) {
			if err := a.settleOrderStatus(ctx, tx, now, who, orderID); err != nil {
				return err
			}
		}
	}
	return nil
}

// refundDisputed refunds what ch says of the disputed charges: all that is left, or an amount
// spread over them in order.
func (a *App) refundDisputed(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d *dispute.Dispute, ch dispute.Change, charges []order.Transaction) error {
	if ch.RefundRemaining {
		for i := range charges {
			if left := charges[i].Refundable(); left > 0 {
				if err := a.refundFor(ctx, tx, now, who, d, &charges[i], left, false); err != nil {
					return err
				}
			}
		}
		return nil
	}
	left := ch.RefundAmount
	if ch.RefundCapped {
		var refundable int64
		for _, c := range charges {
			var err error
			if refundable, err = money.Add(refundable, c.Refundable()); err != nil {
				refundable = math.MaxInt64 // more than any amount: the cap does not bind
				break
			}
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
		return fault.Invalidf(fault.CodeAmountTooLarge, "refund_amount", "%d more than what can still be refunded", left)
	}
	return nil
}

// ordersOf are the orders of charges, each once, in order.
func ordersOf(charges []order.Transaction) []string {
	var out []string
	for _, c := range charges {
		if c.OrderID != "" && !slices.Contains(out, c.OrderID) {
			out = append(out, c.OrderID)
		}
	}
	return out
}

// refundFor records a refund of amount of charge for dispute d; moveMoney settles the order after.
func (a *App) refundFor(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d *dispute.Dispute, charge *order.Transaction, amount int64, external bool) error {
	_, err := a.recordRefund(ctx, tx, now, who, charge, order.Transaction{ID: a.ids.New("txn"), Amount: amount, Currency: charge.Currency,
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
