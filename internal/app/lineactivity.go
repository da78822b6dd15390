package app

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/jobs"
	"disputed/internal/order"
	"disputed/internal/panel"
	"disputed/internal/store"
)

// KindLineActivity is the job that asks a line's panel what the customer did with the service,
// for the evidence of a dispute that opened on its order.
const KindLineActivity = "line.activity"

// LineActivityAttempts is how often a panel is asked for a line's activity: with the runner's
// backoff about eight minutes of trying, like an action. The evidence is wanted within days; an
// admin can retry the dead job later.
const LineActivityAttempts = 8

type activityJob struct {
	LineID    string `json:"line_id"`
	DisputeID string `json:"dispute_id"`
}

// askForActivity schedules, when a dispute the merchant answers with evidence opens on an order,
// a job for each of the order's lines on a panel that reports activity. The job's key is the
// line's: a second dispute before the first job ran asks once.
func (a *App) askForActivity(ctx context.Context, tx store.Tx, now time.Time, d dispute.Dispute) error {
	if !d.Type.AnsweredWithEvidence() {
		return nil
	}
	lines, err := tx.LinesOfOrder(ctx, d.OrderID)
	if err != nil {
		return err
	}
	for _, l := range lines {
		p, err := a.plugin(ctx, tx, l.Panel)
		if err != nil {
			return err
		}
		if !p.ReportsActivity() {
			continue
		}
		args, err := json.Marshal(activityJob{LineID: l.ID, DisputeID: d.ID})
		if err != nil {
			return err
		}
		// Its own subject: the jobs of the line's actions are cancelled by the line's id.
		key := "activity:" + l.ID
		if err := a.enqueue(ctx, tx, now, store.Job{Kind: KindLineActivity, Key: key, Subject: key, Args: args, RunAt: now}); err != nil {
			return err
		}
	}
	return nil
}

// CollectLineActivity is the line.activity job: it asks the line's panel, outside any
// transaction, for what the customer did since the order was created, and records the answer.
// The panel gets the job's id as idempotency key, the same on every retry.
func (a *App) CollectLineActivity(ctx context.Context, job store.Job) (jobs.Record, error) {
	var args activityJob
	if err := json.Unmarshal(job.Args, &args); err != nil {
		return nil, jobs.Permanent(fmt.Errorf("activity job arguments: %w", err))
	}
	l, err := a.store.GetLine(ctx, args.LineID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	o, err := a.store.GetOrder(ctx, l.OrderID)
	if err != nil {
		return nil, err
	}
	p, err := a.plugin(ctx, a.store, l.Panel)
	if err != nil {
		return nil, err
	}
	if !p.ReportsActivity() { // the panel was replaced by one that does not
		return nil, nil
	}
	reports, err := p.Activity(ctx, panel.ActivityRequest{LineID: l.ID, ExternalID: l.ExternalID, OrderID: l.OrderID,
		DisputeID: args.DisputeID, Since: o.CreatedAt, Key: job.ID})
	if errors.Is(err, panel.ErrNoActivity) {
		return func(ctx context.Context, tx store.Tx) error {
			return a.activityTimeline(ctx, tx, a.clock(), l, args, "line_activity_unsupported", "the panel answered 501: it does not report activity")
		}, nil
	}
	if err != nil {
		if pe, ok := errors.AsType[*panel.Error](err); ok && pe.Permanent {
			return nil, jobs.Permanent(err)
		}
		return nil, err
	}
	return func(ctx context.Context, tx store.Tx) error {
		return a.activityReported(ctx, tx, a.clock(), l, args, reports)
	}, nil
}

// activityReported keeps what the panel reported, each entry once, up to the line's limit. An
// entry that breaks the rules (dated in the future, say) is left out and counted, never the
// reason to lose the others.
func (a *App) activityReported(ctx context.Context, tx store.Tx, now time.Time, l order.Line, args activityJob, reports []order.ActivityReport) error {
	count, err := tx.CountActivity(ctx, l.ID)
	if err != nil {
		return err
	}
	var added, invalid, full int
	var firstInvalid error
	for i, r := range reports {
		if count+added >= order.MaxActivityPerLine {
			full = len(reports) - i
			break
		}
		e, err := order.NewActivity(l, r, order.FromPanel, a.ids.New("act"), now, "")
		if err != nil {
			invalid++
			firstInvalid = cmp.Or(firstInvalid, err)
			continue
		}
		_, made, err := tx.InsertActivity(ctx, e)
		if err != nil {
			return err
		}
		if made {
			added++
		}
	}
	note := fmt.Sprintf("the panel reported %d entries, %d new", len(reports), added)
	if invalid > 0 {
		note += fmt.Sprintf("; %d left out (the first: %v)", invalid, firstInvalid)
	}
	if full > 0 {
		note += fmt.Sprintf("; %d left out: the line keeps at most %d entries", full, order.MaxActivityPerLine)
	}
	if added > 0 { // the access log of the order's open dispute has more to say
		if d, err := tx.OpenDisputeOfOrder(ctx, l.OrderID); err == nil {
			if err := a.scheduleCompile(ctx, tx, now, d); err != nil {
				return err
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return a.activityTimeline(ctx, tx, now, l, args, "line_activity_reported", note)
}

// activityTimeline writes what came of an activity request in the line's history and its open
// dispute's timeline.
func (a *App) activityTimeline(ctx context.Context, tx store.Tx, now time.Time, l order.Line, args activityJob, action, note string) error {
	disputeID, err := a.openDisputeID(ctx, tx, l.OrderID, args.DisputeID)
	if err != nil {
		return err
	}
	return a.timeline(ctx, tx, now, entry{disputeID: disputeID, orderID: l.OrderID, lineID: l.ID,
		actor: actor.Panel(l.Panel).String(), action: action, note: note})
}

// LineActivityFailed records a failed activity request in the line's history. The dispute goes on
// without the panel's log: nothing waits for it.
func (a *App) LineActivityFailed(ctx context.Context, tx store.Tx, job store.Job, cause error, dead bool) error {
	var args activityJob
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
	note := fmt.Sprintf("asking for activity, attempt %d of %d failed: %v", job.Attempts, max(job.MaxAttempts, job.Attempts), cause)
	if dead {
		note += "; not asked again (retry the job to ask again)"
	}
	return a.activityTimeline(ctx, tx, a.clock(), l, args, "panel_call_failed", note)
}
