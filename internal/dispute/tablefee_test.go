package dispute

import (
	"testing"
	"time"

	"disputed/internal/fees"
)

// stripeSchedule is Stripe's row for a dispute raised after 2025-06-17.
func stripeSchedule(t *testing.T) fees.Schedule {
	t.Helper()
	s, ok := fees.Lookup("stripe", "", "USD", time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
	if !ok {
		t.Fatal("no Stripe row")
	}
	return s
}

func amounts(fs []Fee) []int64 {
	out := []int64{}
	for _, f := range fs {
		out = append(out, f.Amount)
	}
	return out
}

func TestTableFeesOnOpenSubmitAndWin(t *testing.T) {
	t.Parallel()
	s := stripeSchedule(t)
	d := Dispute{ID: "dsp_1", Type: Chargeback, Status: NeedsResponse, Amount: 5000, Currency: "EUR"}
	if !d.EstimateFees(s) || len(d.Fees) != 1 {
		t.Fatalf("opened: fees %v", d.Fees)
	}
	f := d.Fees[0]
	if f.Amount != 1500 || f.Currency != "USD" || f.Origin() != FeeFromTable || f.Purpose() != FeeReceived || f.TableVersion != fees.Default().Version || f.TableDate == "" {
		t.Errorf("received fee %+v", f)
	}
	if d.EstimateFees(s) {
		t.Error("the received fee was recorded twice")
	}
	d.SubmissionCount, d.DefendedAt, d.Status = 1, tNow, UnderReview
	d.EstimateFees(s)
	d.Status = Won
	d.EstimateFees(s)
	if got := amounts(d.Fees); len(got) != 3 || got[1] != 1500 || got[2] != -1500 || d.Fees[1].Purpose() != FeeCounter {
		t.Errorf("after submitting and winning: %v", d.Fees)
	}
}

func TestNoTableFees(t *testing.T) {
	t.Parallel()
	s := stripeSchedule(t)
	for _, d := range []Dispute{
		{Type: Inquiry, Status: WarningNeedsResponse, SubmissionCount: 1},
		{Type: Alert, Status: Open},
		{Type: Marketplace, Status: PendingReview},
	} {
		if d.EstimateFees(s) || len(d.Fees) != 0 {
			t.Errorf("%s: fees %v", d.Type, d.Fees)
		}
	}
	before, _ := fees.Lookup("stripe", "", "USD", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	old := Dispute{Type: Chargeback, Status: Won, SubmissionCount: 1}
	old.EstimateFees(before)
	if got := amounts(old.Fees); len(got) != 1 || got[0] != 1500 {
		t.Errorf("a dispute raised before the counter fee: %v, want the received fee only", got)
	}
}

// TestProviderFeesReplaceEstimates: Stripe's balance transactions say what it charged; the table's
// estimates of the same kind go, the others stay until it reports them too.
func TestProviderFeesReplaceEstimates(t *testing.T) {
	t.Parallel()
	d := Dispute{ID: "dsp_1", Type: Chargeback, Status: NeedsResponse, SubmissionCount: 1, Amount: 5000, Currency: "USD"}
	d.EstimateFees(stripeSchedule(t))
	reported := Fee{Amount: 1500, Currency: "USD", Description: "Dispute fee", ProviderReference: "txn_1"}
	prev := d
	if !d.addFees([]Fee{reported}) {
		t.Fatal("the reported fee was not added")
	}
	if len(d.Fees) != 2 || d.Fees[0].Purpose() != FeeCounter || d.Fees[0].Origin() != FeeFromTable || d.Fees[1] != reported {
		t.Fatalf("fees %+v: want the counter estimate and the reported fee", d.Fees)
	}
	if len(prev.Fees) != 2 || prev.Fees[0].Purpose() != FeeReceived {
		t.Errorf("the dispute as it was changed too: %v", prev.Fees)
	}
	if d.EstimateFees(stripeSchedule(t)) {
		t.Error("an estimate came back beside the reported fee")
	}
	d.addFees([]Fee{{Amount: 1500, Currency: "USD", Description: "Dispute countered fee", ProviderReference: "txn_2"}})
	for _, f := range d.Fees {
		if f.Origin() == FeeFromTable {
			t.Errorf("estimate %+v kept beside the reported counter fee", f)
		}
	}
}
