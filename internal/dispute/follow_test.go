package dispute

import (
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
