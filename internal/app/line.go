package app

import (
	"context"
	"errors"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/store"
)

// Line returns one service line.
func (a *App) Line(ctx context.Context, who actor.Actor, id string) (order.Line, error) {
	l, err := a.store.GetLine(ctx, id)
	if err != nil {
		return order.Line{}, store.NotFound(err, "line", id)
	}
	if _, err := a.Order(ctx, who, l.OrderID); err != nil {
		return order.Line{}, fault.NotFoundf("line", id)
	}
	return l, nil
}

// ConfirmLine records that an admin carried out the line's pending action by hand.
func (a *App) ConfirmLine(ctx context.Context, who actor.Actor, id, action string) (order.Line, error) {
	if err := staff(who, "confirm line actions"); err != nil {
		return order.Line{}, err
	}
	act, err := order.ParseLineAction(action)
	if err != nil {
		return order.Line{}, err
	}
	var l order.Line
	err = a.write(ctx, true, func(tx store.Tx, now time.Time) error {
		if l, err = tx.GetLine(ctx, id); err != nil {
			return store.NotFound(err, "line", id)
		}
		from := l.State
		if err := l.Done(act, now); err != nil {
			return err
		}
		if err := tx.UpdateLine(ctx, l); err != nil {
			return err
		}
		l.Revision++
		open, err := tx.OpenDisputeOfOrder(ctx, l.OrderID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		// A panel still retrying the action has nothing left to do.
		if _, err := tx.CancelJobs(ctx, l.ID, now); err != nil {
			return err
		}
		if err := a.timeline(ctx, tx, now, entry{disputeID: open.ID, orderID: l.OrderID, lineID: l.ID, actor: who.String(),
			action: "line_" + string(act) + "_confirmed", from: string(from), to: string(l.State)}); err != nil {
			return err
		}
		if err := a.emit(ctx, tx, now, "line."+act.Past(), open.ID, l.OrderID, l); err != nil {
			return err
		}
		return a.lineSettled(ctx, tx, now, l, act)
	})
	return l, err
}
