package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/store"
)

// A refund of a charge that an open chargeback disputes pays the customer twice: the network
// takes the disputed amount back from the merchant whatever the merchant refunds. So a person's
// refund of such a charge is refused (409 charge_disputed, naming the dispute) unless an admin
// forces it with a reason, which then stands on the refund and on the dispute's timeline.
// Inquiries and alerts do not block a refund: refunding them in time is what keeps them from
// becoming chargebacks. The refunds a dispute's own decision records (moveMoney) do not pass
// here: they are the dispute's outcome.

// ForceParams force a refund of a disputed charge: admins only, with a reason.
type ForceParams struct {
	Force  bool
	Reason string
}

// blocksRefund reports whether an open dispute of type t keeps its charge from being refunded:
// a chargeback, or a manual dispute (the merchant's record of a chargeback decided elsewhere,
// whose loss records the customer's refund itself).
func blocksRefund(t dispute.Type) bool { return t == dispute.Chargeback || t == dispute.Manual }

// checkForce checks a force before anything is read: only an admin forces, and always says why.
func checkForce(who actor.Actor, f ForceParams) error {
	if !f.Force {
		return nil
	}
	if err := adminOnly(who, "force a refund of a disputed charge"); err != nil {
		return err
	}
	if strings.TrimSpace(f.Reason) == "" {
		return fault.Invalidf(fault.CodeParameterMissing, "reason", "a forced refund needs a reason, kept on the refund and the dispute's timeline")
	}
	return nil
}

// chargebackOn returns the open chargeback that disputes charge: one matched to it, or one on its
// order that names no payment; ok is false when there is none.
func chargebackOn(ctx context.Context, r store.Reader, charge *order.Transaction) (dispute.Dispute, bool, error) {
	var open []dispute.Dispute
	if charge.OrderID != "" {
		d, err := r.OpenDisputeOfOrder(ctx, charge.OrderID)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return dispute.Dispute{}, false, err
		default:
			open = append(open, d)
		}
	} else {
		ds, err := r.ListDisputes(ctx, store.DisputeFilter{TransactionID: charge.ID, OpenOnly: true, Page: store.Page{Limit: 10}})
		if err != nil {
			return dispute.Dispute{}, false, err
		}
		open = ds
	}
	for _, d := range open {
		if d.IsOpen() && blocksRefund(d.Type) && (d.TransactionID == "" || d.TransactionID == charge.ID) {
			return d, true, nil
		}
	}
	return dispute.Dispute{}, false, nil
}

// guardDisputed refuses a person's refund of charge while a chargeback disputes it, unless f
// forces it; it returns the dispute a forced refund overrides, nil when none does.
func guardDisputed(ctx context.Context, r store.Reader, charge *order.Transaction, f ForceParams) (*dispute.Dispute, error) {
	d, ok, err := chargebackOn(ctx, r, charge)
	if err != nil || !ok {
		return nil, err
	}
	if !f.Force {
		return nil, fault.New(fault.Conflict, fault.CodeChargeDisputed, "id",
			"charge %s is disputed by %s %s, still open: a refund now would pay the customer twice, as the network takes the disputed amount back too. Answer or concede the dispute; an admin may force the refund with \"force\": true and a \"reason\"",
			charge.ID, d.Type, d.ID)
	}
	return &d, nil
}

// noteForced writes a forced refund on the timeline of the dispute it overrode.
func (a *App) noteForced(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d *dispute.Dispute, refund order.Transaction, reason string) error {
	if d == nil {
		return nil
	}
	return a.timeline(ctx, tx, now, entry{disputeID: d.ID, orderID: d.OrderID, actor: who.String(), action: "refund_forced",
		note: refund.ID + " of " + amountWords(refund.Amount, refund.Currency) + " while the dispute is open: " + strings.TrimSpace(reason)})
}
