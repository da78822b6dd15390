package app_test

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/provider/stripe/stripemock"
	"disputed/internal/rules"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// newRule saves an enabled rule.
func newRule(t *testing.T, e *testenv.Env, name, when string, action rules.Action, p rules.Params) app.RuleView {
	t.Helper()
	enabled, a := true, string(action)
	return testenv.Must(e.App.CreateRule(e.Ctx, testenv.Admin, app.RuleParams{Name: &name, When: &when, Action: &a, Params: &p, Enabled: &enabled}))(t)
}

// disable turns a rule off, so that the next part of a test starts from no rule.
func disable(t *testing.T, e *testenv.Env, r app.RuleView) {
	t.Helper()
	off := false
	testenv.Must(e.App.UpdateRule(e.Ctx, testenv.Admin, r.ID, app.RuleParams{Enabled: &off}))(t)
}

// ruleEntries are the timeline entries of rules on a dispute.
func ruleEntries(t *testing.T, e *testenv.Env, id string) []store.TimelineEntry {
	t.Helper()
	var out []store.TimelineEntry
	for _, en := range testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, id))(t) {
		if strings.HasPrefix(en.Action, "rule_") {
			out = append(out, en)
		}
	}
	return out
}

// wantRuleEntry checks that a dispute's timeline has exactly one entry of the rule, of the
// action given (rule_applied or rule_skipped), naming the rule, whose note holds words.
func wantRuleEntry(t *testing.T, e *testenv.Env, id string, r app.RuleView, action, words string) {
	t.Helper()
	var mine []store.TimelineEntry
	for _, en := range ruleEntries(t, e, id) {
		if en.Actor == "rule:"+r.ID {
			mine = append(mine, en)
		}
	}
	if len(mine) != 1 || mine[0].Action != action || !strings.Contains(mine[0].Note, r.Name) ||
		!strings.Contains(mine[0].Note, r.ID) || !strings.Contains(mine[0].Note, words) {
		t.Errorf("dispute %s: entries of rule %s %+v, want one %s naming it with %q", id, r.ID, mine, action, words)
	}
}

// TestRuleRefusedAtSave refuses a rule that could not run, naming the field and, for the
// expression, the line and column of the error.
func TestRuleRefusedAtSave(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		name, accept := "bad", "accept"
		for when, message := range map[string]string{
			"amount > 'x'":                           "1:8: invalid operation: > (mismatched types int64 and string)",
			"amount < 100 &&\n  reason_categry == 1": "2:3: unknown name reason_categry",
		} {
			_, err := e.App.CreateRule(e.Ctx, testenv.Admin, app.RuleParams{Name: &name, When: &when, Action: &accept})
			if f := testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidValue); f != nil && (f.Param != "when" || f.Message != message) {
				t.Errorf("%q: param %s message %q, want when %q", when, f.Param, f.Message, message)
			}
		}
		when, tag := "true", "tag"
		_, err := e.App.CreateRule(e.Ctx, testenv.Admin, app.RuleParams{Name: &name, When: &when, Action: &tag})
		if f := testenv.WantFault(t, err, fault.Invalid, fault.CodeParameterMissing); f != nil && f.Param != "params.tag" {
			t.Errorf("a tag rule without its tag: param %s", f.Param)
		}
		_, err = e.App.CreateRule(e.Ctx, actor.Key("key_agent", actor.Agent, ""), app.RuleParams{Name: &name, When: &when, Action: &accept})
		testenv.WantFault(t, err, fault.Forbidden, fault.CodeForbidden)
		if rs := testenv.Must(e.App.Rules(e.Ctx, testenv.Admin))(t); len(rs) != 0 {
			t.Errorf("refused rules were saved: %+v", rs)
		}
		r := newRule(t, e, "ok", "true", rules.Accept, rules.Params{})
		bad := "amount >"
		_, err = e.App.UpdateRule(e.Ctx, testenv.Admin, r.ID, app.RuleParams{When: &bad})
		testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidValue)
		if got := testenv.Must(e.App.Rule(e.Ctx, testenv.Admin, r.ID))(t); got.When != "true" {
			t.Errorf("a refused update changed the rule: %q", got.When)
		}
	})
}

// TestRuleActions has a rule of each action act on the dispute it matches, as the rule, with
// the timeline naming it, and leave the others alone.
func TestRuleActions(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.User("boss@example.com", actor.Admin, "")

		accept := newRule(t, e, "Concede small", "type == 'chargeback' && amount <= 1000", rules.Accept, rules.Params{})
		small := e.Dispute(e.Sale(testenv.SaleParams{Amount: 1000}), "chargeback")
		large := e.Dispute(e.Sale(testenv.SaleParams{Amount: 1001}), "chargeback")
		e.RunJobs()
		if got := e.Reload(small); got.Status != dispute.Lost || got.AcceptedAt.IsZero() || got.ResolvedBy != "rule:"+accept.ID {
			t.Errorf("matched chargeback: status %s accepted %v resolved by %s", got.Status, got.AcceptedAt, got.ResolvedBy)
		}
		wantRuleEntry(t, e, small.ID, accept, "rule_applied", "accept")
		if got := e.Reload(large); got.Status != dispute.NeedsResponse || len(ruleEntries(t, e, large.ID)) != 0 {
			t.Errorf("unmatched chargeback: status %s, rule entries %v", got.Status, ruleEntries(t, e, large.ID))
		}
		if got := testenv.Must(e.App.Rule(e.Ctx, testenv.Admin, accept.ID))(t); got.ActedOn != 1 {
			t.Errorf("acted on %d disputes, want 1", got.ActedOn)
		}
		disable(t, e, accept)

		tag := newRule(t, e, "Fraud tag", "reason_category == 'fraud'", rules.Tag, rules.Params{Tag: "fraud"})
		block := newRule(t, e, "Block fraud", "reason_category == 'fraud'", rules.BlockCustomer, rules.Params{})
		notify := newRule(t, e, "Tell me", "reason_category == 'fraud' && 'fraud' in tags", rules.Notify, rules.Params{Message: "look at it"})
		fraud := e.Dispute(e.Sale(testenv.SaleParams{}), "chargeback", func(p *app.DisputeParams) { p.Reason = "fraudulent" })
		e.RunJobs()
		if got := e.Reload(fraud); !slices.Contains(got.Tags, "fraud") {
			t.Errorf("tags %v, want fraud", got.Tags)
		}
		wantRuleEntry(t, e, fraud.ID, tag, "rule_applied", "fraud")
		wantRuleEntry(t, e, fraud.ID, block, "rule_applied", "1 added to the block list")
		if bs, _, _ := e.App.Blocks(e.Ctx, testenv.Admin, store.BlockFilter{}); len(bs) != 1 || bs[0].DisputeID != fraud.ID {
			t.Errorf("block list %+v, want the customer's email for %s", bs, fraud.ID)
		}
		// The notify rule matched once the tag rule had tagged the dispute: the next run saw it.
		wantRuleEntry(t, e, fraud.ID, notify, "rule_applied", "admins told")
		if evs := e.DisputeEventTypes(fraud.ID); testenv.Count(evs, "rule.matched") != 1 {
			t.Errorf("events %v, want one rule.matched", evs)
		}
		var mailed []string
		for _, m := range testenv.Must(e.Store.ListEmails(e.Ctx, store.EmailFilter{DisputeID: fraud.ID}))(t) {
			if m.Template == "rule_matched" {
				mailed = append(mailed, m.To)
				if !strings.Contains(m.Body, "look at it") || !strings.Contains(m.Subject, notify.Name) {
					t.Errorf("the admins' email: %q\n%s", m.Subject, m.Body)
				}
			}
		}
		if !slices.Equal(mailed, []string{"boss@example.com"}) {
			t.Errorf("rule_matched emails to %v, want the admin", mailed)
		}
		for _, r := range []app.RuleView{tag, block, notify} {
			disable(t, e, r)
		}

		// The refund goes through Stripe (stripe-mock), and the alert is resolved by it.
		e.StripeProvider("sk_test_123", stripemock.Start(t))
		refund := newRule(t, e, "Refund alerts", "type == 'alert' && amount_reporting != nil && amount_reporting <= 2500", rules.Refund, rules.Params{})
		big := e.Dispute(e.Sale(testenv.SaleParams{Amount: 2501}), "alert")
		alert := e.Dispute(e.Sale(testenv.SaleParams{Amount: 2500}), "alert")
		e.RunJobs()
		wantRuleEntry(t, e, alert.ID, refund, "rule_applied", "refund")
		if got := e.Reload(alert); got.Status != dispute.Resolved || got.Resolution != dispute.IssuedFullRefund {
			t.Errorf("the refunded alert is %s %s, want resolved issued_full_refund", got.Status, got.Resolution)
		}
		if got := e.Reload(big); got.Status != dispute.Open {
			t.Errorf("an alert above the rule's amount is %s", got.Status)
		}
		disable(t, e, refund)
	})
}

// TestRuleSubmitsBeforeTheDueDate has a submit_evidence rule wait for its moment, then submit the
// evidence when it is complete enough and say why not when it is not.
func TestRuleSubmitsBeforeTheDueDate(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.CompileByHand()
		due := func(p *app.DisputeParams) { p.DueBy = testenv.Start.Add(72 * time.Hour) }
		submit := newRule(t, e, "Submit early", "amount < 2000", rules.SubmitEvidence, rules.Params{HoursBeforeDue: 24})
		strict := newRule(t, e, "Submit complete", "amount >= 2000", rules.SubmitEvidence, rules.Params{HoursBeforeDue: 24, MinCompleteness: 100})
		d := e.Dispute(e.Sale(testenv.SaleParams{Amount: 1500}), "chargeback", due)
		big := e.Dispute(e.Sale(testenv.SaleParams{Amount: 2500}), "chargeback", due)
		testenv.Must(e.App.UpdateDispute(e.Ctx, testenv.Admin, d.ID, d.Revision, app.UpdateDisputeParams{
			UpdateParams: dispute.UpdateParams{Evidence: map[string]string{"uncategorized_text": "delivered"}}}))(t)
		e.RunJobs()
		if got := e.Reload(d); got.Status != dispute.NeedsResponse {
			t.Fatalf("submitted before its moment: %s", got.Status)
		}
		e.Advance(47 * time.Hour)
		if got := e.Reload(d); got.Status != dispute.NeedsResponse || len(ruleEntries(t, e, d.ID)) != 0 {
			t.Fatalf("an hour before its moment: %s", got.Status)
		}
		e.Advance(time.Hour)
		if got := e.Reload(d); got.Status != dispute.UnderReview || got.DefendedAt.IsZero() {
			t.Errorf("at due − 24 h: status %s", got.Status)
		}
		wantRuleEntry(t, e, d.ID, submit, "rule_applied", "submit_evidence")
		if got := e.Reload(big); got.Status != dispute.NeedsResponse {
			t.Errorf("an incomplete dispute was submitted: %s", got.Status)
		}
		wantRuleEntry(t, e, big.ID, strict, "rule_skipped", "the rule asks for 100%")
	})
}

// evaluate runs the rules job on a dispute by hand, as a runner would.
func evaluate(e *testenv.Env, id string) error {
	args, _ := json.Marshal(map[string]string{"dispute_id": id})
	return e.Store.Tx(e.Ctx, func(tx store.Tx) error {
		return e.App.EvaluateRules(e.Ctx, tx, store.Job{Kind: app.KindRulesEvaluate, Args: args})
	})
}

// TestRuleActsOnce evaluates the rules on a dispute again and again, and from two runners at
// once: each rule acts once, whatever changes the dispute since.
func TestRuleActsOnce(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		tag := newRule(t, e, "Tag once", "true", rules.Tag, rules.Params{Tag: "seen"})
		d := e.Dispute(e.Sale(testenv.SaleParams{}), "chargeback")
		e.RunJobs()
		// A person takes the tag off: the dispute changed, the rules run again, the tag stays off.
		got := e.Reload(d)
		none := []string{}
		testenv.Must(e.App.UpdateDispute(e.Ctx, testenv.Admin, d.ID, got.Revision, app.UpdateDisputeParams{
			UpdateParams: dispute.UpdateParams{Tags: &none}}))(t)
		e.RunJobs()
		for range 2 {
			if err := evaluate(e, d.ID); err != nil {
				t.Fatal(err)
			}
		}
		if got := e.Reload(d); len(got.Tags) != 0 {
			t.Errorf("tags %v: the rule acted again", got.Tags)
		}
		wantRuleEntry(t, e, d.ID, tag, "rule_applied", "seen")
		disable(t, e, tag)

		accept := newRule(t, e, "Concede", "true", rules.Accept, rules.Params{})
		other := e.Dispute(e.Sale(testenv.SaleParams{}), "chargeback")
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Go(func() { errs[i] = evaluate(e, other.ID) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil && !strings.Contains(err.Error(), store.ErrConflict.Error()) {
				t.Errorf("a runner: %v", err)
			}
		}
		e.RunJobs()
		if got := e.Reload(other); got.Status != dispute.Lost {
			t.Errorf("status %s, want lost", got.Status)
		}
		wantRuleEntry(t, e, other.ID, accept, "rule_applied", "accept")
	})
}
