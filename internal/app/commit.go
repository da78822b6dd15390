package app

import (
	"context"
	"errors"
	"slices"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/store"
)

// commitDispute writes d, read as prev, as one change (revision prev.Revision+1 however many
// rule steps the request took; refused when the stored revision moved on), carries out what the
// steps did, moves the deadline jobs when the due date changed or the dispute ended, and has the
// merchant's rules run on the changed dispute (after the deadline jobs, which cancel the
// dispute's scheduled jobs when they move).
func (a *App) commitDispute(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d *dispute.Dispute, prev dispute.Dispute, changes ...dispute.Change) error {
	d.Revision = prev.Revision + 1
	if err := a.estimateFees(ctx, tx, d); err != nil {
		return err
	}
	if err := tx.UpdateDispute(ctx, *d, prev); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return revisionConflict("dispute", prev.Revision)
		}
		return err
	}
	if decidedNow(prev, *d) {
		a.outcomes.forget()
	}
	for _, ch := range changes {
		if err := a.record(ctx, tx, now, who, d, ch); err != nil {
			return err
		}
	}
	if err := a.pushToProvider(ctx, tx, now, who, *d, prev); err != nil {
		return err
	}
	if !d.DueBy.Equal(prev.DueBy) || prev.IsOpen() != d.IsOpen() {
		if err := a.scheduleDeadlines(ctx, tx, now, *d); err != nil {
			return err
		}
	}
	return a.scheduleRules(ctx, tx, now, now, *d)
}

// revisionConflict refuses a write to an object (a dispute, an order) that changed since the
// revision the client read.
func revisionConflict(object string, given int64) error {
	return fault.New(fault.Conflict, fault.CodeRevisionConflict, "revision", "the %s changed since revision %d; read it again", object, given)
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
		if err := a.settleLines(ctx, tx, now, who, d, ch); err != nil {
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

// settleLines applies what a change means for the order's lines, for an opened or ended dispute:
// an opened one also asks the panels that report activity for the lines' access logs.
// The order's status follows the money the change moved (see refund), not the resolution.
func (a *App) settleLines(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d *dispute.Dispute, ch dispute.Change) error {
	action := order.ActionForOutcome(ch.Outcome, ch.TerminateLines)
	for _, e := range ch.Events {
		if e == "order.disputed" && d.IsOpen() {
			action = order.Suspend
			// The panels' access logs are the evidence of use this dispute may need.
			if err := a.askForActivity(ctx, tx, now, *d); err != nil {
				return err
			}
			if err := a.scheduleCompile(ctx, tx, now, *d); err != nil {
				return err
			}
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
