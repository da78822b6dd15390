package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/notify"
	"disputed/internal/rules"
	"disputed/internal/store"
)

// RuleMatch is what the rule.matched event carries: the rule and the dispute it matched.
type RuleMatch struct {
	Rule    rules.Rule
	Dispute DisputeView
}

// runRule records that rule r acts on d and takes its action, as the rule, with a timeline entry
// naming the rule. The record and the action commit together or not at all: a second runner
// finds the record (store.ErrConflict) and leaves the dispute alone. An action the dispute
// refuses (conceding what cannot be conceded, a refund that does not apply) is recorded as
// skipped, with why, and not tried again. It reports whether the dispute changed.
func (a *App) runRule(ctx context.Context, tx store.Tx, now time.Time, r rules.Rule, d *dispute.Dispute, env rules.Env) (bool, error) {
	who := actor.Rule(r.ID)
	run := store.RuleRun{RuleID: r.ID, DisputeID: d.ID, Action: r.Action, Outcome: store.RuleDone, At: now}
	was := *d
	changed := false
	err := tx.Savepoint(ctx, func() error {
		if err := tx.InsertRuleRun(ctx, run); err != nil {
			return err
		}
		var err error
		if changed, run.Note, err = a.act(ctx, tx, now, who, r, d, env); err != nil {
			return err
		}
		return a.ruleTimeline(ctx, tx, now, r, run, *d)
	})
	f, refused := fault.As(err)
	switch {
	case err == nil:
		return changed, nil
	case errors.Is(err, store.ErrConflict): // another runner took it
		*d = was
		return false, nil
	case !refused || f.Code == fault.CodeRevisionConflict:
		return false, raced(err)
	}
	*d = was
	run.Outcome, run.Note = store.RuleSkipped, f.Message
	if err := tx.InsertRuleRun(ctx, run); err != nil {
		return false, err
	}
	return false, a.ruleTimeline(ctx, tx, now, r, run, *d)
}

// ruleTimeline writes the entry of a rule's run on the dispute's timeline: the rule's name, id
// and action, and what came of it.
func (a *App) ruleTimeline(ctx context.Context, tx store.Tx, now time.Time, r rules.Rule, run store.RuleRun, d dispute.Dispute) error {
	action := "rule_applied"
	if run.Outcome == store.RuleSkipped {
		action = "rule_skipped"
	}
	note := fmt.Sprintf("rule %q (%s): %s", r.Name, r.ID, r.Action)
	if run.Note != "" {
		note += ": " + run.Note
	}
	return a.timeline(ctx, tx, now, entry{disputeID: d.ID, orderID: d.OrderID, actor: actor.Rule(r.ID).String(),
		action: action, from: string(d.Status), to: string(d.Status), note: note})
}

// act takes r's action on d through the use case a person's request goes through, and says what
// it did. A fault means the dispute refused it.
func (a *App) act(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, r rules.Rule, d *dispute.Dispute, env rules.Env) (bool, string, error) {
	cause := fmt.Sprintf("rule %q (%s)", r.Name, r.ID)
	switch r.Action {
	case rules.Accept:
		prev := snapshot(*d)
		ch, err := d.Close(who, cause, now)
		if err != nil {
			return false, "", err
		}
		return true, "", a.commitDispute(ctx, tx, now, who, d, prev, ch)
	case rules.Refund:
		return true, "", a.refundThroughProvider(ctx, tx, now, who, d, cause)
	case rules.SubmitEvidence:
		if env.Completeness < r.Params.MinCompleteness {
			return false, "", fault.New(fault.Invalid, fault.CodeEvidenceMissing, "",
				"not submitted: the evidence is %d%% complete, the rule asks for %d%%", env.Completeness, r.Params.MinCompleteness)
		}
		prev := snapshot(*d)
		ch, err := d.Submit(who, now)
		if err != nil {
			return false, "", err
		}
		if err := a.checkStagedFiles(ctx, tx, *d); err != nil {
			return false, "", err
		}
		return true, fmt.Sprintf("evidence %d%% complete", env.Completeness), a.commitDispute(ctx, tx, now, who, d, prev, ch)
	case rules.Tag:
		if slices.Contains(d.Tags, r.Params.Tag) {
			return false, "already tagged " + r.Params.Tag, nil
		}
		prev := snapshot(*d)
		tags := append(slices.Clone(d.Tags), r.Params.Tag)
		ch, err := d.Update(dispute.UpdateParams{Tags: &tags, By: who}, now)
		if err != nil {
			return false, "", err
		}
		return true, r.Params.Tag, a.commitDispute(ctx, tx, now, who, d, prev, ch)
	case rules.BlockCustomer:
		n, err := a.blockCustomer(ctx, tx, now, who, *d)
		return false, fmt.Sprintf("%d added to the block list", n), err
	case rules.Notify:
		s, err := tx.GetSettings(ctx)
		if err != nil {
			return false, "", err
		}
		match := RuleMatch{Rule: r, Dispute: DisputeView{Dispute: *d, ProductType: s.Profile.ProductType.Effective()}}
		if err := a.emit(ctx, tx, now, "rule.matched", d.ID, d.OrderID, match); err != nil {
			return false, "", err
		}
		return false, "admins told", a.mailAdmins(ctx, tx, now, notify.RuleMatched, *d, notify.StaffData{Rule: cause, Message: r.Params.Message})
	}
	return false, "", fmt.Errorf("rule %s: unknown action %q", r.ID, r.Action)
}

// snapshot is d as it was before a change, with its own maps and tags (commitDispute compares).
func snapshot(d dispute.Dispute) dispute.Dispute {
	d.Evidence, d.Tags = maps.Clone(d.Evidence), slices.Clone(d.Tags)
	return d
}
