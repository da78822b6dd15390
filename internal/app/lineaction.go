package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"disputed/internal/actor"
	"disputed/internal/jobs"
	"disputed/internal/order"
	"disputed/internal/panel"
	"disputed/internal/store"
)

// KindLineAction is the job that asks a panel to carry out a line's pending action.
const KindLineAction = "line.action"

// LineActionAttempts is how often a panel is asked before the action goes to an admin: with the
// runner's backoff (2 s doubling, with jitter) about eight minutes of trying.
const LineActionAttempts = 8

type lineJob struct {
	LineID    string           `json:"line_id"`
	Action    order.LineAction `json:"action"`
	DisputeID string           `json:"dispute_id,omitempty"`
}

// requestLine asks for action on one line: a panel that can do it gets a job, otherwise the
// action waits for an admin. A request that makes a pending one unnecessary withdraws it.
func (a *App) requestLine(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, l *order.Line, disputeID string, action order.LineAction) error {
	before := l.PendingAction
	waits := l.Request(action, now)
	if l.PendingAction == before {
		return nil // nothing to do, or already asked for: the job or the admin is on it
	}
	e := entry{disputeID: disputeID, orderID: l.OrderID, lineID: l.ID, actor: who.String(),
		action: "line_action_requested", from: string(before), to: string(l.PendingAction)}
	if !waits {
		e.note = "the pending " + string(before) + " is no longer needed"
		if _, err := tx.CancelJobs(ctx, l.ID, now); err != nil {
			return fmt.Errorf("cancel line jobs: %w", err)
		}
	} else {
		p, err := a.plugin(ctx, tx, l.Panel)
		if err != nil {
			return err
		}
		if p.Can(action) {
			e.note = "panel " + l.Panel + " will " + string(action) + " it"
			if err := a.scheduleLineJob(ctx, tx, now, *l, disputeID); err != nil {
				return err
			}
		} else {
			reason := "panel " + l.Panel + " cannot " + string(action) + " by itself"
			l.HandOver(reason, now)
			e.note = "waits for an admin: " + reason
			if _, err := tx.CancelJobs(ctx, l.ID, now); err != nil {
				return fmt.Errorf("cancel line jobs: %w", err)
			}
		}
	}
	if err := tx.UpdateLine(ctx, *l); err != nil {
		return err
	}
	l.Revision++
	if err := a.timeline(ctx, tx, now, e); err != nil {
		return err
	}
	if l.Manual {
		return a.emit(ctx, tx, now, "line.action_required", disputeID, l.OrderID, *l)
	}
	return nil
}

// scheduleLineJob schedules the panel call for the line's pending action; the job's key is the
// line's, so a newer request replaces a retry still waiting for an older one.
func (a *App) scheduleLineJob(ctx context.Context, tx store.Tx, now time.Time, l order.Line, disputeID string) error {
	args, err := json.Marshal(lineJob{LineID: l.ID, Action: l.PendingAction, DisputeID: disputeID})
	if err != nil {
		return err
	}
	if err := a.enqueue(ctx, tx, now, store.Job{Kind: KindLineAction, Key: "line:" + l.ID, Subject: l.ID, Args: args, RunAt: now}); err != nil {
		return err
	}
	return nil
}

// CarryOutLineAction is the line.action job: it asks the line's panel to do the action, outside
// any transaction, and records the answer. The panel gets the job's id as idempotency key, the
// same on every retry. A line whose action was done or withdrawn meanwhile is left alone.
func (a *App) CarryOutLineAction(ctx context.Context, job store.Job) (jobs.Record, error) {
	var args lineJob
	if err := json.Unmarshal(job.Args, &args); err != nil {
		return nil, jobs.Permanent(fmt.Errorf("line job arguments: %w", err))
	}
	l, err := a.store.GetLine(ctx, args.LineID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && l.PendingAction != args.Action) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p, err := a.plugin(ctx, a.store, l.Panel)
	if err != nil {
		return nil, err
	}
	ans, err := p.Do(ctx, panel.Request{LineID: l.ID, ExternalID: l.ExternalID, OrderID: l.OrderID, DisputeID: args.DisputeID,
		Action: args.Action, Key: job.ID})
	if err != nil {
		var pe *panel.Error
		if errors.As(err, &pe) && pe.Permanent {
			return nil, jobs.Permanent(err)
		}
		return nil, err
	}
	return func(ctx context.Context, tx store.Tx) error {
		return a.lineCarried(ctx, tx, a.clock(), l.Panel, args, ans)
	}, nil
}

// lineCarried records that the panel did the action: the line follows, with the panel's answer
// in its history.
func (a *App) lineCarried(ctx context.Context, tx store.Tx, now time.Time, panelName string, args lineJob, ans panel.Answer) error {
	l, err := tx.GetLine(ctx, args.LineID)
	if err != nil {
		return err
	}
	from := l.State
	redo := l.Carried(args.Action, now)
	if err := tx.UpdateLine(ctx, l); err != nil {
		return err
	}
	l.Revision++
	who := actor.Panel(panelName)
	disputeID, err := a.openDisputeID(ctx, tx, l.OrderID, args.DisputeID)
	if err != nil {
		return err
	}
	note := fmt.Sprintf("panel answered %d", ans.Status)
	if ans.Body != "" {
		note += ": " + ans.Body
	}
	if err := a.timeline(ctx, tx, now, entry{disputeID: disputeID, orderID: l.OrderID, lineID: l.ID, actor: who.String(),
		action: "line_" + args.Action.Past(), from: string(from), to: string(l.State), note: note}); err != nil {
		return err
	}
	if err := a.emit(ctx, tx, now, "line."+args.Action.Past(), disputeID, l.OrderID, l); err != nil {
		return err
	}
	if redo != order.NoAction {
		return a.requestLine(ctx, tx, now, actor.System, &l, disputeID, redo)
	}
	return a.lineSettled(ctx, tx, now, l, args.Action)
}

// LineActionFailed records a failed panel call in the line's history; when the panel will not be
// asked again, the action goes to an admin, never silently dropped.
func (a *App) LineActionFailed(ctx context.Context, tx store.Tx, job store.Job, cause error, dead bool) error {
	var args lineJob
	if err := json.Unmarshal(job.Args, &args); err != nil {
		return err
	}
	l, err := tx.GetLine(ctx, args.LineID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	now := a.clock()
	disputeID, err := a.openDisputeID(ctx, tx, l.OrderID, args.DisputeID)
	if err != nil {
		return err
	}
	who := actor.Panel(l.Panel)
	note := fmt.Sprintf("attempt %d of %d failed: %v", job.Attempts, max(job.MaxAttempts, job.Attempts), cause)
	if err := a.timeline(ctx, tx, now, entry{disputeID: disputeID, orderID: l.OrderID, lineID: l.ID, actor: who.String(),
		action: "panel_call_failed", to: string(args.Action), note: note}); err != nil {
		return err
	}
	if !dead || l.PendingAction != args.Action {
		return nil
	}
	reason := fmt.Sprintf("panel %s could not %s it after %d attempts: %v", l.Panel, args.Action, job.Attempts, cause)
	if !l.HandOver(reason, now) {
		return nil
	}
	if err := tx.UpdateLine(ctx, l); err != nil {
		return err
	}
	l.Revision++
	if err := a.timeline(ctx, tx, now, entry{disputeID: disputeID, orderID: l.OrderID, lineID: l.ID, actor: actor.System.String(),
		action: "line_handed_to_admin", to: string(l.PendingAction), note: reason}); err != nil {
		return err
	}
	return a.emit(ctx, tx, now, "line.action_required", disputeID, l.OrderID, l)
}

// openDisputeID is the order's open dispute, which a line's history entries belong to, or else
// the dispute that asked for the action.
func (a *App) openDisputeID(ctx context.Context, r store.Reader, orderID, fallback string) (string, error) {
	d, err := r.OpenDisputeOfOrder(ctx, orderID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fallback, nil
	case err != nil:
		return "", err
	}
	return d.ID, nil
}

// LineHistory returns what happened to one line, oldest first: requests, panel answers and
// failures, hand-overs and confirmations.
func (a *App) LineHistory(ctx context.Context, who actor.Actor, id string) ([]store.TimelineEntry, error) {
	if err := staff(who, "read line history"); err != nil {
		return nil, err
	}
	if _, err := a.store.GetLine(ctx, id); err != nil {
		return nil, store.NotFound(err, "line", id)
	}
	return a.store.ListTimeline(ctx, store.TimelineFilter{LineID: id})
}
