package decide

import (
	"math"
	"strings"
	"testing"
)

// stripeUS are Stripe's US fees for a dispute opened after 2025-06-17 (fees.json), no handling.
var stripeUS = Fees{Currency: "USD", Dispute: 1500, Counter: 1500, CounterRefundedOnWin: true, TableVersion: "t", TableDate: "d"}

func chargeback(amount int64, won, lost int) Input {
	return Input{Type: "chargeback", Open: true, Amount: amount, Currency: "USD", Category: "fraud", Network: "visa",
		Won: won, Lost: lost, Completeness: 0, HasChecklist: true, Fees: stripeUS}
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-4 {
		t.Errorf("%s = %.6f, want %.6f", what, got, want)
	}
}

// TestPWinFromHistory: with the prior weighing as 10 disputes and Visa fraud's published 9 %,
// p = (won + 10 × 0.09) / (won + lost + 10), by hand.
func TestPWinFromHistory(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		won, lost int
		want      float64
	}{
		{"no decided dispute: the prior", 0, 0, 0.09},
		{"few: 3 won, 9 lost", 3, 9, 3.9 / 22},              // 0.1773, not 3/12 = 0.25
		{"many: 300 won, 700 lost", 300, 700, 300.9 / 1010}, // 0.2979, close to 0.30
		{"all won of few", 2, 0, 2.9 / 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := Recommend(chargeback(50000, tc.won, tc.lost))
			near(t, "p_win", r.PWin, tc.want)
			if r.Basis.Won != tc.won || r.Basis.Lost != tc.lost || r.Basis.Prior != 0.09 || r.Basis.PriorWeight != 10 {
				t.Errorf("basis %+v", r.Basis)
			}
		})
	}
}

// TestCompletenessRaisesPWin: the log-odds rise by 1.504 × completeness / 100.
func TestCompletenessRaisesPWin(t *testing.T) {
	t.Parallel()
	in := chargeback(50000, 0, 0)
	none := Recommend(in)
	near(t, "p_win at 0 %", none.PWin, 0.09)
	in.Completeness = 50
	// logit(0.09) = ln(0.09/0.91) = −2.313635; + 0.752 = −1.561635; 1/(1+e^1.561635) = 0.173410
	near(t, "p_win at 50 %", Recommend(in).PWin, 0.173410)
	in.Completeness = 100
	full := Recommend(in)
	// −2.313635 + 1.504 = −0.809635; 1/(1+e^0.809635) = 0.307969
	near(t, "p_win at 100 %", full.PWin, 0.307969)
	if !strings.Contains(full.Basis.Text, "evidence 100 % complete raises it to 30.8 %") {
		t.Errorf("basis text %q", full.Basis.Text)
	}
	// Evidence turns the $500 fight from marginal to clear: 0.307969 × 50000 − 0.692031 × 1500.
	if full.ExpectedValue != 14360 || full.ExpectedValue <= none.ExpectedValue {
		t.Errorf("EV at 100 %%: %d (at 0 %%: %d)", full.ExpectedValue, none.ExpectedValue)
	}
}

// TestExpectedValue: EV = p·A − (1−p)·fc − h for a chargeback (§4.4); for an alert, keeping the
// sale against refunding it, A − 0.8 × (A + fd − max(0, EV)); by hand with p = 0.09.
func TestExpectedValue(t *testing.T) {
	t.Parallel()
	alert := func(amount int64) Input {
		in := chargeback(amount, 0, 0)
		in.Type, in.AlertType, in.HasChecklist = "alert", "tc40", false
		return in
	}
	inquiry := chargeback(1200, 0, 0)
	inquiry.Type, inquiry.Category, inquiry.HasChecklist = "inquiry", "request", false
	handled := chargeback(50000, 0, 0)
	handled.Fees.Handling = 3500
	noRefund := chargeback(50000, 0, 0)
	noRefund.Fees.CounterRefundedOnWin = false
	for _, tc := range []struct {
		name   string
		in     Input
		ev     int64
		action string
	}{
		// 0.09 × 1200 − 0.91 × 1500 = 108 − 1365
		{"$12 chargeback: accept", chargeback(1200, 0, 0), -1257, Accept},
		// 0.09 × 50000 − 1365 = 4500 − 1365
		{"$500 chargeback: fight", chargeback(50000, 0, 0), 3135, Fight},
		// 3135 − 3500 handling
		{"$500 chargeback costing $35 to handle: accept", handled, -365, Accept},
		// 0.09 × (50000 − 1500) − 1365 = 4365 − 1365
		{"$500 with a counter fee kept on a win", noRefund, 3000, Fight},
		// 1200 − 0.8 × (1200 + 1500 − 0) = 1200 − 2160
		{"$12 alert: refund", alert(1200), -960, Refund},
		// 50000 − 0.8 × (50000 + 1500 − 3135) = 50000 − 38692
		{"$500 alert: keep", alert(50000), 11308, Fight},
		// 0.33 × 1200 − 0.67 × 1500 = 396 − 1005
		{"$12 inquiry: refund", inquiry, -609, Refund},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := Recommend(tc.in)
			if r.ExpectedValue != tc.ev || r.Action != tc.action || !r.Applies || r.Currency != "USD" {
				t.Errorf("got %s %d (applies %v), want %s %d; %s", r.Action, r.ExpectedValue, r.Applies, tc.action, tc.ev, r.Basis.Text)
			}
		})
	}
}

func TestNothingToDecide(t *testing.T) {
	t.Parallel()
	ended := chargeback(50000, 0, 0)
	ended.Open = false
	market := chargeback(50000, 0, 0)
	market.Type = "marketplace"
	for _, in := range []Input{ended, market} {
		if r := Recommend(in); r.Applies || r.Action != "" {
			t.Errorf("%+v: %+v", in, r)
		}
	}
}

func TestBasisInWords(t *testing.T) {
	t.Parallel()
	in := chargeback(50000, 3, 9)
	in.Fees.Missing = "The fee table's fees are in EUR and no exchange rate to USD is recorded: they are left out."
	r := Recommend(in)
	for _, want := range []string{
		"3 won and 9 lost of your Visa fraud disputes, shrunk toward the published 9 % (SOC24 2024) weighing as 10 disputes: 17.7 %; no evidence gathered yet to raise it",
		"USD 500.00", "USD 15.00 counter fee", "no exchange rate to USD",
	} {
		if !strings.Contains(r.Basis.Text, want) {
			t.Errorf("basis text %q lacks %q", r.Basis.Text, want)
		}
	}
	if r := Recommend(chargeback(50000, 0, 0)); !strings.HasPrefix(r.Basis.Text, "None of your Visa fraud disputes is decided yet: the published 9 %") {
		t.Errorf("basis text %q", r.Basis.Text)
	}
}

// TestShippedPriors checks priors.json: every figure a probability with a defined source.
func TestShippedPriors(t *testing.T) {
	t.Parallel()
	f := loadPriors()
	if f.Version == "" || f.PriorWeight <= 0 || f.Completeness.LogitSlope <= 0 {
		t.Fatalf("priors.json: %+v", f)
	}
	overall := false
	for _, p := range f.Priors {
		if p.PWin <= 0 || p.PWin >= 1 || f.Sources[p.Source] == "" || p.Year == 0 {
			t.Errorf("prior %+v", p)
		}
		overall = overall || p.Category == ""
	}
	if !overall {
		t.Error("no overall prior for the other categories")
	}
	for _, tag := range []string{f.Completeness.Source, f.AlertToChargeback.Source} {
		if f.Sources[tag] == "" {
			t.Errorf("source %q undefined", tag)
		}
	}
	if q := f.AlertToChargeback.Probability; q <= 0 || q > 1 {
		t.Errorf("alert to chargeback %v", q)
	}
}
