package dispute

import (
	"maps"
	"strings"
	"testing"

	"disputed/internal/actor"
)

func TestFollow(t *testing.T) {
	t.Parallel()
	stripe := actor.Provider("stripe")
	due := t0.Add(7 * 24 * 3600e9)
	tests := []struct {
		name       string
		typ        Type
		from       Status
		report     Report
		wantType   Type
		wantStatus Status
		actions    string // the changes' actions, comma separated; "" for no timeline entry
		money      string // w for a withdrawal, r for a reinstatement, per change
	}{
		{"same status, nothing new", Chargeback, NeedsResponse, Report{Status: NeedsResponse}, Chargeback, NeedsResponse, "", ""},
		{"due date moved", Chargeback, NeedsResponse, Report{Status: NeedsResponse, DueBy: due}, Chargeback, NeedsResponse, "updated", ""},
		{"evidence went in", Chargeback, NeedsResponse, Report{Status: UnderReview}, Chargeback, UnderReview, "submitted", ""},
		{"won", Chargeback, UnderReview, Report{Status: Won}, Chargeback, Won, "resolved", "r"},
		{"lost", Chargeback, NeedsResponse, Report{Status: Lost}, Chargeback, Lost, "resolved", "w"},
		{"funds withdrawn", Chargeback, NeedsResponse, Report{Status: NeedsResponse, FundsWithdrawn: true}, Chargeback, NeedsResponse, "", "w"},
		{"funds reinstated", Chargeback, UnderReview, Report{Status: UnderReview, FundsReinstated: true}, Chargeback, UnderReview, "", "r"},
		{"next stage", Chargeback, UnderReview, Report{Status: NeedsResponse}, Chargeback, NeedsResponse, "escalated", ""},
		{"asked again at the stage reported", Chargeback, UnderReview, Report{Status: NeedsResponse, Stage: StageChargeback}, Chargeback, NeedsResponse, "updated,status_changed", ""},
		{"inquiry asked again", Inquiry, WarningUnderReview, Report{Status: WarningNeedsResponse, Stage: StageInquiry}, Inquiry, WarningNeedsResponse, "updated,status_changed", ""},
		{"inquiry answered", Inquiry, WarningNeedsResponse, Report{Status: WarningUnderReview}, Inquiry, WarningUnderReview, "submitted", ""},
		{"inquiry closed", Inquiry, WarningUnderReview, Report{Status: WarningClosed}, Inquiry, WarningClosed, "resolved", ""},
		{"inquiry escalated", Inquiry, WarningNeedsResponse, Report{Status: NeedsResponse}, Chargeback, NeedsResponse, "escalated", ""},
		{"inquiry lost", Inquiry, WarningUnderReview, Report{Status: Lost}, Chargeback, Lost, "escalated,resolved", "w"},
		{"a chargeback is not closed as an inquiry", Chargeback, NeedsResponse, Report{Status: WarningClosed}, Chargeback, NeedsResponse, "", ""},
		{"an older report after the decision", Chargeback, Won, Report{Status: UnderReview}, Chargeback, Won, "", ""},
		{"a late needs_response after submission", Chargeback, UnderReview, Report{Status: WarningNeedsResponse}, Chargeback, UnderReview, "", ""},
		{"marketplace disputes are not the provider's", Marketplace, Open, Report{Status: Won}, Marketplace, Open, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := Dispute{ID: "dsp_1", Type: tt.typ, Status: tt.from, Amount: 100, Currency: "USD", TransactionID: "txn_1"}
			changes := d.Follow(tt.report, stripe, tNow)
			var actions []string
			money := ""
			for _, c := range changes {
				if c.Action != "" {
					actions = append(actions, c.Action)
				}
				if c.Withdraw {
					money += "w"
				}
				if c.Reinstate {
					money += "r"
				}
			}
			if d.Type != tt.wantType || d.Status != tt.wantStatus || strings.Join(actions, ",") != tt.actions || money != tt.money {
				t.Fatalf("got %s %s, actions %q, money %q; want %s %s, %q, %q", d.Type, d.Status, strings.Join(actions, ","), money,
					tt.wantType, tt.wantStatus, tt.actions, tt.money)
			}
			if Ended(d.Status) && !Ended(tt.from) && d.ResolvedBy != "provider:stripe" {
				t.Fatalf("resolved by %q", d.ResolvedBy)
			}
		})
	}
}

// TestFollowStageReported checks that a stage the provider reports is taken as it is: PayPal's
// PRE_ARBITRATION with WAITING_FOR_SELLER_RESPONSE is pre-arbitration, not one stage further.
func TestFollowStageReported(t *testing.T) {
	t.Parallel()
	d := Dispute{ID: "dsp_1", Type: Chargeback, Status: UnderReview, Stage: StageChargeback, Amount: 100, Currency: "USD"}
	d.Follow(Report{Status: NeedsResponse, Stage: StagePreArbitration}, actor.Provider("paypal"), tNow)
	if d.Status != NeedsResponse || d.Stage != StagePreArbitration {
		t.Fatalf("got %s at %s; want needs_response at pre_arbitration", d.Status, d.Stage)
	}
}

// TestFollowProviderData checks the facts a provider reports besides the status: its fees (once
// each, also after the decision), the evidence it holds (never over ours), its submission count
// (shown when higher) and the amount it refunded the buyer (the loss, when less than disputed).
func TestFollowProviderData(t *testing.T) {
	t.Parallel()
	stripe := actor.Provider("stripe")
	fee := Fee{Amount: 1500, Currency: "USD", Description: "Dispute fee", ProviderReference: "txn_1"}
	refund := Fee{Amount: -1500, Currency: "USD", Description: "Dispute fee refund", ProviderReference: "txn_2"}

	d := Dispute{ID: "dsp_1", Type: Chargeback, Status: NeedsResponse, Amount: 8000, Currency: "USD",
		Evidence: map[string]string{"customer_name": "ours"}, SubmissionCount: 1}
	prev := d // the store writes what differs from the dispute as it was read
	changes := d.Follow(Report{Status: NeedsResponse, Fees: []Fee{fee}, SubmissionCount: 2,
		Evidence: map[string]string{"customer_name": "theirs", "receipt": "file_1", "not_a_field": "x", "billing_address": ""}}, stripe, tNow)
	if len(changes) != 1 || changes[0].Action != "updated" {
		t.Fatalf("changes %+v; want one update", changes)
	}
	if len(d.Fees) != 1 || d.Fees[0] != fee || d.SubmissionCount != 2 {
		t.Fatalf("fees %v, submissions %d", d.Fees, d.SubmissionCount)
	}
	if want := map[string]string{"customer_name": "ours", "receipt": "file_1"}; !maps.Equal(d.Evidence, want) {
		t.Fatalf("evidence %v; want %v", d.Evidence, want)
	}
	if len(prev.Evidence) != 1 || len(prev.Fees) != 0 {
		t.Fatalf("the dispute as it was changed too: evidence %v, fees %v", prev.Evidence, prev.Fees)
	}
	// The same report again says nothing new; a lower count does not lower ours.
	if changes := d.Follow(Report{Status: NeedsResponse, Fees: []Fee{fee}, SubmissionCount: 1}, stripe, tNow); len(changes) != 0 {
		t.Fatalf("a repeated report changed %+v", changes)
	}

	won := Dispute{ID: "dsp_2", Type: Chargeback, Status: Won, Amount: 8000, Currency: "USD", Fees: []Fee{fee}}
	changes = won.Follow(Report{Status: Won, Fees: []Fee{fee, refund}, Evidence: map[string]string{"receipt": "file_1"}}, stripe, tNow)
	if len(changes) != 1 || len(won.Fees) != 2 || won.Fees[1] != refund || len(won.Evidence) != 0 {
		t.Fatalf("after the decision: changes %+v, fees %v, evidence %v; want the refund of the fee only", changes, won.Fees, won.Evidence)
	}

	// Evidence the provider holds that we cannot keep (Visa CE 3.0) still counts.
	ce3 := Dispute{ID: "dsp_4", Type: Chargeback, Status: NeedsResponse, Amount: 8000, Currency: "USD"}
	ce3.Follow(Report{Status: NeedsResponse, HasEvidence: true}, stripe, tNow)
	if !ce3.HasEvidence() {
		t.Fatal("the provider holds evidence, and has_evidence is false")
	}
	ce3.Follow(Report{Status: NeedsResponse}, stripe, tNow)
	if ce3.HasEvidence() {
		t.Fatal("the provider no longer holds evidence, and has_evidence is true")
	}

	lost := Dispute{ID: "dsp_3", Type: Chargeback, Status: UnderReview, Amount: 8000, Currency: "USD"}
	changes = lost.Follow(Report{Status: Lost, AmountRefunded: 3000}, actor.Provider("paypal"), tNow)
	if len(changes) != 1 || !changes[0].Withdraw || changes[0].WithdrawAmount != 3000 {
		t.Fatalf("changes %+v; want a withdrawal of 3000", changes)
	}
}
