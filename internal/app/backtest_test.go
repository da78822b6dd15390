package app_test

import (
	"maps"
	"strings"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// decided writes a dispute as it ended, straight into the store: the backtest reads what is
// kept, however it got there.
func decided(t *testing.T, e *testenv.Env, n int, d dispute.Dispute) {
	t.Helper()
	d.ID = "dsp_bt" + string(rune('0'+n))
	if d.Type == "" {
		d.Type = dispute.Chargeback
	}
	d.Evidence, d.Metadata, d.Revision = map[string]string{}, map[string]string{}, 1
	d.CreatedAt = testenv.Start.Add(time.Duration(n) * time.Hour)
	d.UpdatedAt = d.CreatedAt
	if err := e.Store.Tx(e.Ctx, func(tx store.Tx) error { return tx.InsertDispute(e.Ctx, d) }); err != nil {
		t.Fatal(err)
	}
}

func fees(currency string, amounts ...int64) []dispute.Fee {
	var out []dispute.Fee
	for i, a := range amounts {
		out = append(out, dispute.Fee{Amount: a, Currency: currency, Description: "fee", ProviderReference: "txn_" + string(rune('a'+i))})
	}
	return out
}

// TestBacktest runs rules over a fixture whose figures are worked out by hand.
func TestBacktest(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		fought := testenv.Start
		// 1: won after a fight: the dispute fee, the counter fee, the counter fee given back.
		decided(t, e, 1, dispute.Dispute{Status: dispute.Won, Amount: 1500, Currency: "USD", CustomerID: "cus_a", DefendedAt: fought, Fees: fees("USD", 1500, 1500, -1500)})
		// 2: lost after a fight: the counter fee is what fighting cost.
		decided(t, e, 2, dispute.Dispute{Status: dispute.Lost, Amount: 1800, Currency: "USD", CustomerID: "cus_a", DefendedAt: fought, Fees: fees("USD", 1500, 1500)})
		// 3: accepted (conceded), in euros.
		decided(t, e, 3, dispute.Dispute{Status: dispute.Lost, Amount: 1000, Currency: "EUR", AcceptedAt: fought, Fees: fees("EUR", 1500)})
		// 4: lost after a fight, too large for the rule.
		decided(t, e, 4, dispute.Dispute{Status: dispute.Lost, Amount: 5000, Currency: "USD", DefendedAt: fought, Fees: fees("USD", 1500, 1500)})
		// 5: open, 6: a marketplace dispute: neither is examined.
		decided(t, e, 5, dispute.Dispute{Status: dispute.NeedsResponse, Amount: 100, Currency: "USD"})
		decided(t, e, 6, dispute.Dispute{Type: dispute.Marketplace, Status: dispute.Closed, Amount: 100, Currency: "USD"})
		// 7: an inquiry that closed without a chargeback.
		decided(t, e, 7, dispute.Dispute{Type: dispute.Inquiry, Status: dispute.WarningClosed, Amount: 500, Currency: "USD"})

		run := func(when string) app.Backtest {
			t.Helper()
			name, action := "try", "accept"
			return testenv.Must(e.App.BacktestRule(e.Ctx, testenv.Admin, app.BacktestParams{Rule: &app.RuleParams{Name: &name, When: &when, Action: &action}}))(t)
		}
		b := run("amount <= 2000")
		if b.Decided != 5 || b.Matched != 4 || b.WinsForgone != 1 || b.Failed != 0 {
			t.Errorf("decided %d matched %d wins forgone %d failed %d, want 5 4 1 0", b.Decided, b.Matched, b.WinsForgone, b.Failed)
		}
		if want := map[string]int64{"USD": 1500}; !maps.Equal(b.AmountGivenUp, want) {
			t.Errorf("amount given up %v, want %v", b.AmountGivenUp, want)
		}
		if want := map[string]int64{"USD": 1500}; !maps.Equal(b.FeesSaved, want) {
			t.Errorf("fees saved %v, want %v (dispute 2's counter fee)", b.FeesSaved, want)
		}
		var sample []string
		for _, m := range b.Sample {
			sample = append(sample, m.DisputeID+" "+m.Outcome)
		}
		if got, want := strings.Join(sample, ", "), "dsp_bt7 warning_closed, dsp_bt3 accepted, dsp_bt2 lost, dsp_bt1 won"; got != want {
			t.Errorf("sample %s, want %s", got, want)
		}

		if b := run("customer_disputes >= 1"); b.Matched != 1 || b.Sample[0].DisputeID != "dsp_bt2" {
			t.Errorf("the customer's second dispute: matched %d %+v", b.Matched, b.Sample)
		}
		// Without a rate (euros, until one is recorded) amount_reporting is nil.
		if b := run("amount_reporting != nil && amount_reporting <= 2000"); b.Matched != 3 {
			t.Errorf("matched %d in the reporting currency, want 3 (1, 2 and 7)", b.Matched)
		}
		if b := run("p_win < 0.5"); b.Matched != 0 || b.Failed != 5 || !strings.Contains(b.FirstFailure, "<nil>") {
			t.Errorf("p_win on decided disputes: matched %d failed %d %q", b.Matched, b.Failed, b.FirstFailure)
		}
	})
}
