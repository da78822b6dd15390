package fees

import (
	"errors"
	"strings"
	"testing"
	"time"

	"disputed/internal/fault"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestLookupByDate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                          string
		provider, network, currency   string
		at                            string
		ok                            bool
		dispute, counter, arbitration int64
		refunded                      bool
	}{
		{"stripe before the counter fee", "stripe", "", "USD", "2025-06-16", true, 1500, 0, 0, false},
		{"stripe on the counter fee's first day", "stripe", "", "USD", "2025-06-17", true, 1500, 1500, 0, true},
		{"stripe visa has the arbitration fee", "stripe", "visa", "USD", "2026-01-02", true, 1500, 1500, 60000, true},
		{"stripe visa before its row falls back to any network", "stripe", "visa", "USD", "2024-09-30", true, 1500, 0, 0, false},
		{"another network takes the any-network row", "stripe", "mastercard", "USD", "2026-01-02", true, 1500, 1500, 0, true},
		{"another currency takes the provider's currency", "stripe", "", "EUR", "2026-01-02", true, 1500, 1500, 0, true},
		{"provider type case does not matter", "Stripe", "", "USD", "2026-01-02", true, 1500, 1500, 0, true},
		{"a provider without rows has none", "generic", "", "USD", "2026-01-02", false, 0, 0, 0, false},
		{"none before the first row", "stripe", "", "USD", "1999-12-31", false, 0, 0, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, ok := Lookup(tc.provider, tc.network, tc.currency, day(tc.at))
			if ok != tc.ok {
				t.Fatalf("found = %v, want %v", ok, tc.ok)
			}
			if s.DisputeFee != tc.dispute || s.CounterFee != tc.counter || s.ArbitrationFee != tc.arbitration || s.CounterFeeRefundedOnWin != tc.refunded {
				t.Errorf("got %+v", s.Row)
			}
			if ok && (s.Version != Default().Version || s.Currency != "USD") {
				t.Errorf("schedule version %q currency %q", s.Version, s.Currency)
			}
		})
	}
}

func TestMerchantRowsReplaceTheDefaults(t *testing.T) {
	t.Parallel()
	rows, err := Normalize("fee_table", []Row{
		{Provider: " Stripe ", Currency: "eur", EffectiveFrom: "2020-01-01", DisputeFee: 2000, CounterFee: 2000, CounterFeeRefundedOnWin: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	table := Table{Version: "settings", Date: "2026-12-01", Rows: rows}
	s, ok := table.Lookup("stripe", "visa", "EUR", day("2026-01-02"))
	if !ok || s.DisputeFee != 2000 || s.Currency != "EUR" || s.Version != "settings" || s.Date != "2026-12-01" {
		t.Fatalf("got %+v, %v", s, ok)
	}
	if _, ok := table.Lookup("paypal", "", "USD", day("2026-01-02")); ok {
		t.Error("the shipped paypal row still applies after the merchant's table replaced them")
	}
}

func TestNormalizeNamesTheField(t *testing.T) {
	t.Parallel()
	good := Row{Provider: "stripe", Currency: "USD", EffectiveFrom: "2025-06-17", DisputeFee: 1500}
	for _, tc := range []struct {
		name  string
		edit  func(*Row)
		param string
	}{
		{"no provider", func(r *Row) { r.Provider = "" }, "fee_table[1].provider"},
		{"unknown currency", func(r *Row) { r.Currency = "usx" }, "fee_table[1].currency"},
		{"bad date", func(r *Row) { r.EffectiveFrom = "17/06/2025" }, "fee_table[1].effective_from"},
		{"negative fee", func(r *Row) { r.CounterFee = -1 }, "fee_table[1].counter_fee"},
		{"huge fee", func(r *Row) { r.ArbitrationFee = maxFee + 1 }, "fee_table[1].arbitration_fee"},
		{"same row twice", func(r *Row) { r.Network = "" }, "fee_table[1].effective_from"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			bad := good
			bad.Network = "visa"
			tc.edit(&bad)
			_, err := Normalize("fee_table", []Row{good, bad})
			var f *fault.Error
			if !errors.As(err, &f) || f.Param != tc.param {
				t.Fatalf("err = %v, want one naming %s", err, tc.param)
			}
		})
	}
}

func TestCheckCost(t *testing.T) {
	t.Parallel()
	c, err := CheckCost("handling_cost", Cost{Amount: 500, Currency: "usd"})
	if err != nil || c != (Cost{500, "USD"}) {
		t.Fatalf("got %+v, %v", c, err)
	}
	var f *fault.Error
	if _, err := CheckCost("handling_cost", Cost{Amount: -5, Currency: "USD"}); !errors.As(err, &f) || f.Param != "handling_cost.amount" {
		t.Errorf("a negative cost: %v", err)
	}
}

// TestShippedTable checks fees.json: every row valid, sourced from the file's sources, and every
// row below high confidence marked or rated so that nobody reads it as Stripe's word.
func TestShippedTable(t *testing.T) {
	t.Parallel()
	f := load()
	if f.Version == "" || f.Date == "" || len(f.Rows) == 0 {
		t.Fatal("fees.json has no version, date or rows")
	}
	if _, err := Normalize("rows", f.Rows); err != nil {
		t.Fatal(err)
	}
	for i, r := range f.Rows {
		for _, tag := range strings.Split(r.Source, ", ") {
			if f.Sources[tag] == "" {
				t.Errorf("row %d cites %q, which sources does not define", i, tag)
			}
		}
		if r.Provider == "paypal" && !r.Estimate {
			t.Errorf("row %d: PayPal's amounts are unverified (research §7) and must be marked estimate", i)
		}
		if r.Confidence == "" {
			t.Errorf("row %d has no confidence", i)
		}
	}
	if c := DefaultHandlingCost(); c.Currency == "" || c.Amount < 0 {
		t.Errorf("handling cost %+v", c)
	}
}
