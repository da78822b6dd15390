package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"disputed/internal/dispute"
	"disputed/internal/rules"
	"disputed/internal/store"
)

func testRules(t *testing.T, s store.Store) {
	ctx := t.Context()
	first := rules.Rule{ID: "rul_1", Name: "Small submits", When: "amount < 1000 &&\n type == 'chargeback'", Action: rules.SubmitEvidence,
		Params: rules.Params{HoursBeforeDue: 24, MinCompleteness: 70}, Enabled: true, CreatedBy: "admin:key_1", CreatedAt: at(1), UpdatedAt: at(1)}
	second := rules.Rule{ID: "rul_0", Name: "Tag it", When: "true", Action: rules.Tag, Params: rules.Params{Tag: "x"},
		CreatedBy: "admin:usr_1", CreatedAt: at(2), UpdatedAt: at(2)}
	write(t, s, func(tx store.Tx) error { return tx.InsertRule(ctx, second) })
	write(t, s, func(tx store.Tx) error { return tx.InsertRule(ctx, first) })
	wantErr(t, "a second rule of the same id", s.Tx(ctx, func(tx store.Tx) error { return tx.InsertRule(ctx, first) }), store.ErrConflict)

	got, err := s.GetRule(ctx, "rul_1")
	noErr(t, "GetRule", err)
	same(t, "rule read back", got, first)
	all, err := s.ListRules(ctx)
	noErr(t, "ListRules", err)
	same(t, "rules in the order they run (created)", all, []rules.Rule{first, second})

	changed := second
	changed.Enabled, changed.When, changed.UpdatedAt = true, "amount > 5", at(9)
	write(t, s, func(tx store.Tx) error { return tx.UpdateRule(ctx, changed) })
	got, err = s.GetRule(ctx, "rul_0")
	noErr(t, "GetRule", err)
	same(t, "updated rule", got, changed)
	wantErr(t, "updating a missing rule", s.Tx(ctx, func(tx store.Tx) error {
		return tx.UpdateRule(ctx, rules.Rule{ID: "rul_9", UpdatedAt: at(3)})
	}), store.ErrNotFound)

	run := store.RuleRun{RuleID: "rul_1", DisputeID: "dsp_1", Action: rules.SubmitEvidence, Outcome: store.RuleSkipped,
		Note: "completeness 40 < 70", At: at(5)}
	write(t, s, func(tx store.Tx) error { return tx.InsertRuleRun(ctx, run) })
	write(t, s, func(tx store.Tx) error {
		return tx.InsertRuleRun(ctx, store.RuleRun{RuleID: "rul_0", DisputeID: "dsp_1", Action: rules.Tag, Outcome: store.RuleDone, At: at(6)})
	})
	write(t, s, func(tx store.Tx) error {
		return tx.InsertRuleRun(ctx, store.RuleRun{RuleID: "rul_0", DisputeID: "dsp_2", Action: rules.Tag, Outcome: store.RuleDone, At: at(7)})
	})
	wantErr(t, "a rule's second run on a dispute", s.Tx(ctx, func(tx store.Tx) error {
		return tx.InsertRuleRun(ctx, store.RuleRun{RuleID: "rul_1", DisputeID: "dsp_1", Action: rules.SubmitEvidence, Outcome: store.RuleDone, At: at(8)})
	}), store.ErrConflict)
	runs, err := s.RuleRunsOfDispute(ctx, "dsp_1")
	noErr(t, "RuleRunsOfDispute", err)
	same(t, "runs on dsp_1", len(runs), 2)
	same(t, "first run", runs[0], run)
	undone := errors.New("undone")
	write(t, s, func(tx store.Tx) error {
		wantErr(t, "a run in a savepoint rolled back", tx.Savepoint(ctx, func() error {
			noErr(t, "InsertRuleRun", tx.InsertRuleRun(ctx, store.RuleRun{RuleID: "rul_1", DisputeID: "dsp_3", Action: rules.SubmitEvidence,
				Outcome: store.RuleDone, At: at(8)}))
			return undone
		}), undone)
		return tx.InsertRuleRun(ctx, store.RuleRun{RuleID: "rul_1", DisputeID: "dsp_4", Action: rules.SubmitEvidence, Outcome: store.RuleDone, At: at(8)})
	})
	counts, err := s.RuleActedCounts(ctx)
	noErr(t, "RuleActedCounts", err)
	same(t, "disputes each rule acted on (skips, second runs and runs undone do not count)", counts, map[string]int{"rul_0": 2, "rul_1": 1})

	write(t, s, func(tx store.Tx) error { return tx.DeleteRule(ctx, "rul_1") })
	counts, err = s.RuleActedCounts(ctx)
	noErr(t, "RuleActedCounts", err)
	same(t, "counts once rul_1 is deleted", counts, map[string]int{"rul_0": 2})
	wantErr(t, "deleting it again", s.Tx(ctx, func(tx store.Tx) error { return tx.DeleteRule(ctx, "rul_1") }), store.ErrNotFound)
	_, err = s.GetRule(ctx, "rul_1")
	wantErr(t, "a deleted rule", err, store.ErrNotFound)
	runs, err = s.RuleRunsOfDispute(ctx, "dsp_1")
	noErr(t, "RuleRunsOfDispute", err)
	same(t, "runs outlive their rule", len(runs), 2)
}

// testRuleRunOnce races writers recording the same rule on the same dispute: one wins, the others
// see ErrConflict, whichever database decides.
func testRuleRunOnce(t *testing.T, s store.Store) {
	ctx := t.Context()
	const writers = 4
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		won, lost int
	)
	for i := range writers {
		wg.Go(func() {
			err := s.Tx(ctx, func(tx store.Tx) error {
				return tx.InsertRuleRun(ctx, store.RuleRun{RuleID: "rul_1", DisputeID: "dsp_1", Action: rules.Accept,
					Outcome: store.RuleDone, At: at(int64(i))})
			})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case errors.Is(err, store.ErrConflict):
				lost++
			default:
				t.Errorf("writer %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	same(t, "writers that recorded the run, and that lost", [2]int{won, lost}, [2]int{1, writers - 1})
}

// testDisputeFacts checks the backtest's projection: every field it promises, oldest first.
func testDisputeFacts(t *testing.T, s store.Store) {
	ctx := t.Context()
	older, newer := fullDispute("dsp_b", "", at(1)), openDispute("dsp_a", "", at(2))
	write(t, s, func(tx store.Tx) error { return tx.InsertDispute(ctx, newer) })
	write(t, s, func(tx store.Tx) error { return tx.InsertDispute(ctx, older) })
	var got []dispute.Dispute
	noErr(t, "EachDisputeFacts", s.EachDisputeFacts(ctx, func(d dispute.Dispute) error {
		got = append(got, d)
		return nil
	}))
	want := older
	// The fields the projection leaves out.
	want.Description, want.TransactionID, want.VendorID, want.ProviderDisputeID, want.CaseNumber, want.ARN = "", "", "", "", "", ""
	want.ExternalReference, want.EvidenceItems, want.SubmissionCount, want.Submission = "", 0, 0, dispute.Submission{}
	want.ResolutionNotes, want.ResolvedBy, want.ResolvedAt, want.Revision, want.UpdatedAt = "", "", time.Time{}, 0, time.Time{}
	want.ProviderHasEvidence, want.AutoDefended, want.SellerProtection, want.ProviderCharge, want.ProviderPaymentIntent = false, false, "", "", ""
	want.ExtendedFields, want.CoverLetter = nil, ""
	if len(got) != 2 || got[1].ID != "dsp_a" {
		t.Fatalf("got %d disputes, want dsp_b then dsp_a", len(got))
	}
	same(t, "projected dispute", got[0], want, cmpopts.EquateEmpty())
	stop := context.Canceled
	wantErr(t, "an error of fn ends the walk", s.EachDisputeFacts(ctx, func(dispute.Dispute) error { return stop }), stop)
}
