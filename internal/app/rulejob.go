package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/jobs"
	"disputed/internal/rules"
	"disputed/internal/store"
)

// KindRulesEvaluate is the job that runs the merchant's rules on one dispute.
const KindRulesEvaluate = "rules.evaluate"

// RulesAttempts: the job only reads and writes the database, so it fails only while the database
// does; it evaluates the rules afresh each time.
const RulesAttempts = 10

type rulesJob struct {
	DisputeID string `json:"dispute_id"`
}

// scheduleRules asks for the rules to run on an open dispute at when: now as it opens or
// changes, later at the moment a submit_evidence rule waits for. The job's key is the dispute's,
// so the dispute has one such job at a time (a change brings a later one forward; the run itself
// plans the next). A merchant without enabled rules gets no job, and neither does a
// marketplace dispute, between a buyer and a vendor: rules are the merchant's answers to payment
// disputes.
func (a *App) scheduleRules(ctx context.Context, tx store.Tx, now, when time.Time, d dispute.Dispute) error {
	if !d.IsOpen() || d.Type == dispute.Marketplace {
		return nil
	}
	list, err := tx.ListRules(ctx)
	if err != nil {
		return err
	}
	if !anyEnabled(list) {
		return nil
	}
	args, err := json.Marshal(rulesJob{DisputeID: d.ID})
	if err != nil {
		return err
	}
	return a.enqueue(ctx, tx, now, store.Job{Kind: KindRulesEvaluate, Key: "rules:" + d.ID, Subject: d.ID, Args: args, RunAt: when})
}

func anyEnabled(list []rules.Rule) bool {
	for _, r := range list {
		if r.Enabled {
			return true
		}
	}
	return false
}

// programs keeps each expression compiled once: rules are few and change rarely, disputes many.
type programs struct{ m sync.Map } // expression → rules.Program

func (p *programs) get(when string) (rules.Program, error) {
	if v, ok := p.m.Load(when); ok {
		return v.(rules.Program), nil
	}
	prog, err := rules.Compile(when)
	if err != nil {
		return rules.Program{}, err
	}
	p.m.Store(when, prog)
	return prog, nil
}

// EvaluateRules is the rules.evaluate job: it runs the enabled rules, oldest first, on an open
// dispute and takes the action of each one that matches and has not acted on it yet. A
// submit_evidence rule acts hours_before_due before the due date: until then the job plans its
// next run for that moment. An action that changes the dispute ends the run: the change
// schedules the next one, which sees the dispute as it is now.
func (a *App) EvaluateRules(ctx context.Context, tx store.Tx, job store.Job) error {
	var args rulesJob
	if err := json.Unmarshal(job.Args, &args); err != nil {
		return jobs.Permanent(fmt.Errorf("rules job arguments: %w", err))
	}
	d, err := tx.GetDispute(ctx, args.DisputeID)
	if errors.Is(err, store.ErrNotFound) || err == nil && (!d.IsOpen() || d.Type == dispute.Marketplace) {
		return nil
	}
	if err != nil {
		return err
	}
	list, err := tx.ListRules(ctx)
	if err != nil || !anyEnabled(list) {
		return err
	}
	runs, err := tx.RuleRunsOfDispute(ctx, d.ID)
	if err != nil {
		return err
	}
	ran := map[string]bool{}
	for _, r := range runs {
		ran[r.RuleID] = true
	}
	s, err := tx.GetSettings(ctx)
	if err != nil {
		return err
	}
	now := a.clock()
	env, err := a.liveRuleEnv(ctx, tx, d, s, now)
	if err != nil {
		return err
	}
	var next time.Time
	for _, r := range list {
		if !r.Enabled || ran[r.ID] {
			continue
		}
		prog, err := a.programs.get(r.When)
		if err != nil {
			continue // saved before a change of the attributes made it invalid: it matches nothing
		}
		ok, err := prog.Match(&env)
		if err != nil {
			a.log.DebugContext(ctx, "rule evaluation failed", "rule_id", r.ID, "dispute_id", d.ID, "error", err)
		}
		if !ok {
			continue
		}
		if r.Action == rules.SubmitEvidence {
			if d.DueBy.IsZero() {
				continue // no moment to act at
			}
			if at := d.DueBy.Add(-time.Duration(r.Params.HoursBeforeDue) * time.Hour); now.Before(at) {
				if next.IsZero() || at.Before(next) {
					next = at
				}
				continue
			}
		}
		changed, err := a.runRule(ctx, tx, now, r, &d, env)
		if err != nil || changed {
			return err
		}
	}
	if next.IsZero() {
		return nil
	}
	return a.scheduleRules(ctx, tx, now, next, d)
}
