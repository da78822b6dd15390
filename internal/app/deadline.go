package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"disputed/internal/actor"
	"disputed/internal/deadline"
	"disputed/internal/dispute"
	"disputed/internal/notify"
	"disputed/internal/store"
)

// scheduleDeadlines replaces a dispute's deadline and reminder jobs with what its due date needs
// now; an ended dispute or one without a due date keeps none.
func (a *App) scheduleDeadlines(ctx context.Context, tx store.Tx, now time.Time, d dispute.Dispute) error {
	if _, err := tx.CancelJobs(ctx, d.ID, now); err != nil {
		return fmt.Errorf("cancel deadline jobs: %w", err)
	}
	return a.planDeadlines(ctx, tx, now, d)
}

// planDeadlines schedules the jobs d's due date needs; a new dispute has none to replace.
func (a *App) planDeadlines(ctx context.Context, tx store.Tx, now time.Time, d dispute.Dispute) error {
	if !d.IsOpen() || d.DueBy.IsZero() {
		return nil
	}
	settings, err := tx.GetSettings(ctx)
	if err != nil {
		return err
	}
	for _, j := range deadline.Plan(d, EffectiveReminders(settings), now) {
		if err := a.schedule(ctx, tx, now, j); err != nil {
			return err
		}
	}
	return nil
}

func (a *App) schedule(ctx context.Context, tx store.Tx, now time.Time, j deadline.Job) error {
	return a.enqueue(ctx, tx, now, store.Job{Kind: j.Kind, Key: j.Key, Subject: j.Subject, Args: j.Args, RunAt: j.RunAt})
}

// dueDispute loads the dispute a deadline job is about, with the job's arguments; ok is false
// when the job no longer applies (the dispute is gone, or its due date moved and a newer job
// stands for it).
func dueDispute(ctx context.Context, tx store.Tx, job store.Job) (dispute.Dispute, deadline.Args, bool, error) {
	args, err := deadline.ParseArgs(job.Args)
	if err != nil {
		return dispute.Dispute{}, args, false, err
	}
	d, ok := takeReadAhead(ctx, args.DisputeID)
	if !ok {
		d, err = tx.GetDispute(ctx, args.DisputeID)
	}
	if errors.Is(err, store.ErrNotFound) {
		return dispute.Dispute{}, args, false, nil
	}
	if err != nil {
		return dispute.Dispute{}, args, false, err
	}
	return d, args, d.DueBy.Equal(args.DueBy), nil
}

// The deadline jobs' reads ahead: the disputes of a batch of them, the jobs' subjects, in one
// statement, and the rows running them reads (store.Tx.ReadRowsAhead). 100,000 disputes due at
// once come a batch at a time, and these reads were a third of an expiry's statements.

// readExpiring is the expiries' read ahead: with the disputes, the rows resolving them reads:
// their orders and lines, their charges and what was taken from them, their customers, who get
// an email (the order's customer when the dispute names none).
func readExpiring(ctx context.Context, tx store.Tx, jobs []store.Job) (context.Context, error) {
	ds, ctx, err := readJobDisputes(ctx, tx, jobs)
	if err != nil {
		return nil, err
	}
	var keys store.RowKeys
	for _, d := range ds {
		keys.Orders = append(keys.Orders, d.OrderID)
		keys.LinesOfOrders = append(keys.LinesOfOrders, d.OrderID)
		keys.Transactions = append(keys.Transactions, d.TransactionID)
		keys.ChildrenOf = append(keys.ChildrenOf, d.TransactionID)
		keys.Customers = append(keys.Customers, d.CustomerID)
	}
	if err := tx.ReadRowsAhead(ctx, keys); err != nil {
		return nil, err
	}
	if err := readOrdersCustomers(ctx, tx, ds); err != nil {
		return nil, err
	}
	return ctx, nil
}

// readReminded is the reminders' read ahead: with the disputes, only the orders and customers
// of those whose buyer is reminded by email (remindsBuyer); a reminder of any other dispute
// writes its timeline and event from the dispute alone.
func readReminded(ctx context.Context, tx store.Tx, jobs []store.Job) (context.Context, error) {
	ds, ctx, err := readJobDisputes(ctx, tx, jobs)
	if err != nil {
		return nil, err
	}
	ds = slices.DeleteFunc(ds, func(d dispute.Dispute) bool { return !remindsBuyer(d) })
	if len(ds) == 0 {
		return ctx, nil
	}
	var keys store.RowKeys
	for _, d := range ds {
		keys.Orders = append(keys.Orders, d.OrderID)
	}
	if err := tx.ReadRowsAhead(ctx, keys); err != nil {
		return nil, err
	}
	if err := readOrdersCustomers(ctx, tx, ds); err != nil {
		return nil, err
	}
	return ctx, nil
}

// readJobDisputes reads the disputes the jobs are about, in one statement, and returns them
// with ctx carrying them for the jobs to take (takeReadAhead).
func readJobDisputes(ctx context.Context, tx store.Tx, jobs []store.Job) ([]dispute.Dispute, context.Context, error) {
	ids := make([]string, 0, len(jobs))
	for _, j := range jobs {
		ids = append(ids, j.Subject)
	}
	ds, err := tx.GetDisputes(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	read := make(readAhead, len(ds))
	for _, d := range ds {
		read[d.ID] = d
	}
	return ds, context.WithValue(ctx, readAheadKey{}, read), nil
}

// readOrdersCustomers reads ahead the customers of the disputes' orders, once the orders are.
func readOrdersCustomers(ctx context.Context, tx store.Tx, ds []dispute.Dispute) error {
	var keys store.RowKeys
	for _, d := range ds {
		if o, err := tx.GetOrder(ctx, d.OrderID); err == nil {
			keys.Customers = append(keys.Customers, o.CustomerID)
		}
	}
	return tx.ReadRowsAhead(ctx, keys)
}

// remindsBuyer tells whether a reminder of d is emailed to the buyer: the party that must
// answer a vendor's marketplace dispute.
func remindsBuyer(d dispute.Dispute) bool {
	return d.Type == dispute.Marketplace && d.InitiatedBy == dispute.Vendor && d.OrderID != ""
}

// readAhead holds the disputes read ahead for a batch of jobs, by id. Each is taken once, by
// the first job that asks for it: a job run again, or a second job of the same dispute, reads
// it from the store. A copy an earlier job of the batch made stale is refused by the dispute's
// revision when written (commitDispute), and the job runs again on a fresh read.
type readAhead map[string]dispute.Dispute

type readAheadKey struct{}

// takeReadAhead takes the dispute id from what was read ahead for ctx's batch, if it was.
func takeReadAhead(ctx context.Context, id string) (dispute.Dispute, bool) {
	read, _ := ctx.Value(readAheadKey{}).(readAhead)
	d, ok := read[id]
	if ok {
		delete(read, id) // the handlers of a batch run one after the other
	}
	return d, ok
}

// ExpireDue is the deadline job: when the due date has passed and the party that had to act did
// not, the rule in states.md resolves the dispute against it (a chargeback is lost and its funds
// withdrawn, a manual dispute is lost with the customer's refund recorded (dispute.lose), an inquiry closes, a
// marketplace dispute goes to review). A dispute acted on in time is left alone.
func (a *App) ExpireDue(ctx context.Context, tx store.Tx, job store.Job) error {
	d, _, ok, err := dueDispute(ctx, tx, job)
	if err != nil || !ok {
		return err
	}
	now := a.clock()
	if !d.PastDue(now) {
		// Claimed early by a runner whose clock runs ahead of ours: come back when it is due.
		return a.schedule(ctx, tx, now, deadline.Expiry(d))
	}
	prev := d
	ch, ok := d.Expire(now)
	if !ok {
		return nil
	}
	// The evidence compiler or a provider event may have changed the dispute since it was read:
	// the runner retries a lost race at once, on the fresh dispute.
	return raced(a.commitDispute(ctx, tx, now, actor.System, &d, prev, ch))
}

// RemindDue is the reminder job: a dispute.due_soon event while a party still has to act, and
// the next reminder scheduled (deadline.Next) with the offsets the settings hold now, whether or
// not this one had anything to say: the dispute may await a response again by then. A reminder
// at an offset the merchant has since removed from the settings says nothing.
func (a *App) RemindDue(ctx context.Context, tx store.Tx, job store.Job) error {
	d, args, ok, err := dueDispute(ctx, tx, job)
	if err != nil || !ok {
		return err
	}
	now := a.clock()
	settings, err := tx.GetSettings(ctx)
	if err != nil {
		return err
	}
	offsets, sent := EffectiveReminders(settings), time.Duration(args.Offset)*time.Second
	if next, ok := deadline.Next(d, offsets, sent, now); ok {
		if err := a.schedule(ctx, tx, now, next); err != nil {
			return err
		}
	}
	if !d.AwaitsResponse() || !slices.Contains(offsets, sent) {
		return nil
	}
	note := "due in " + d.DueBy.Sub(now).Round(time.Minute).String() + ", by " + d.DueBy.UTC().Format(time.RFC3339)
	if err := a.timeline(ctx, tx, now, entry{disputeID: d.ID, orderID: d.OrderID, actor: actor.System.String(),
		action: "reminder_sent", from: string(d.Status), to: string(d.Status), note: note}); err != nil {
		return err
	}
	if err := a.emit(ctx, tx, now, "dispute.due_soon", d.ID, d.OrderID, d); err != nil {
		return err
	}
	if !remindsBuyer(d) {
		return nil
	}
	o, err := tx.GetOrder(ctx, d.OrderID)
	if err != nil {
		return err
	}
	return a.mail(ctx, tx, now, notify.EvidenceRequested, o, &d)
}
