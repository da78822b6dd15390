package app

import (
	"context"
	"slices"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/jobs"
	"disputed/internal/order"
	"disputed/internal/store"
)

// An order changes, as GET /v1/orders/{id} shows it, through many use cases and the steps they
// share (a dispute's resolution refunds, settles the status and asks for line actions; a panel
// carries an action out). Rather than each step emitting order.updated, and an order whose lines
// all changed getting one event per line, every unit of work runs on an orderTx, which notes the
// orders its writes change; when the unit is done, each of them gets one order.updated carrying
// the order as it ended. The units are a use case's transaction (write), a provider event (its
// own savepoint when batched) and a job's handler, record or failure (JobKinds).

// orderTx is a transaction that notes the orders whose view its writes change: the order itself,
// one of its lines, or the status of its open dispute (the order shows dispute_id and
// dispute_status). Creating an order is not a change: it has order.created.
type orderTx struct {
	store.Tx
	changed []string // order ids, each once, in the order they first changed
}

func (t *orderTx) note(orderID string) {
	if orderID != "" && !slices.Contains(t.changed, orderID) {
		t.changed = append(t.changed, orderID)
	}
}

func (t *orderTx) UpdateOrder(ctx context.Context, o order.Order) error {
	if err := t.Tx.UpdateOrder(ctx, o); err != nil {
		return err
	}
	t.note(o.ID)
	return nil
}

func (t *orderTx) UpdateLine(ctx context.Context, l order.Line) error {
	if err := t.Tx.UpdateLine(ctx, l); err != nil {
		return err
	}
	t.note(l.OrderID)
	return nil
}

func (t *orderTx) InsertDispute(ctx context.Context, d dispute.Dispute) error {
	if err := t.Tx.InsertDispute(ctx, d); err != nil {
		return err
	}
	if d.IsOpen() {
		t.note(d.OrderID)
	}
	return nil
}

func (t *orderTx) UpdateDispute(ctx context.Context, d, prev dispute.Dispute) error {
	if err := t.Tx.UpdateDispute(ctx, d, prev); err != nil {
		return err
	}
	// Evidence, notes and most fields of a dispute are not on its order: only which dispute is
	// open there, and its status.
	if shownOnOrder(prev) != shownOnOrder(d) {
		t.note(prev.OrderID)
		t.note(d.OrderID)
	}
	return nil
}

// disputeOnOrder is what an order shows of a dispute.
type disputeOnOrder struct {
	orderID string
	status  dispute.Status
}

// shownOnOrder is what d's order shows of d: nothing once it ended.
func shownOnOrder(d dispute.Dispute) disputeOnOrder {
	if !d.IsOpen() {
		return disputeOnOrder{}
	}
	return disputeOnOrder{orderID: d.OrderID, status: d.Status}
}

// updatingOrders runs fn, one unit of work, on an orderTx over tx, then emits order.updated for
// each order fn changed. A unit inside another one (a provider event written alone goes through
// write) leaves the events to the outer one, so that each order gets one.
func (a *App) updatingOrders(ctx context.Context, tx store.Tx, now time.Time, fn func(tx store.Tx) error) error {
	if _, inner := tx.(*orderTx); inner {
		return fn(tx)
	}
	ot := &orderTx{Tx: tx}
	if err := fn(ot); err != nil {
		return err
	}
	for _, id := range ot.changed {
		v, err := a.reloadOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := a.emit(ctx, tx, now, "order.updated", "", id, v); err != nil {
			return err
		}
	}
	return nil
}

// updatingOrdersInJobs makes each way kind writes (its handler, the record of its call, its
// failure) a unit of work of updatingOrders.
func (a *App) updatingOrdersInJobs(kind jobs.Kind) jobs.Kind {
	if h := kind.Handler; h != nil {
		kind.Handler = func(ctx context.Context, tx store.Tx, job store.Job) error {
			return a.updatingOrders(ctx, tx, a.clock(), func(tx store.Tx) error { return h(ctx, tx, job) })
		}
	}
	if call := kind.Call; call != nil {
		kind.Call = func(ctx context.Context, job store.Job) (jobs.Record, error) {
			rec, err := call(ctx, job)
			if rec == nil || err != nil {
				return rec, err
			}
			return func(ctx context.Context, tx store.Tx) error {
				return a.updatingOrders(ctx, tx, a.clock(), func(tx store.Tx) error { return rec(ctx, tx) })
			}, nil
		}
	}
	if failed := kind.Failed; failed != nil {
		kind.Failed = func(ctx context.Context, tx store.Tx, job store.Job, cause error, dead bool) error {
			return a.updatingOrders(ctx, tx, a.clock(), func(tx store.Tx) error { return failed(ctx, tx, job, cause, dead) })
		}
	}
	return kind
}
