package httpapi_test

import (
	"testing"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fees"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// ownStripeFees is a merchant's own row for its Stripe disputes (fees it negotiated): USD 20
// received, USD 10 to counter, given back on a win. The fixtures' charges are Stripe's, so a
// chargeback entered by hand on one costs Stripe's fees too.
var ownStripeFees = map[string]any{"provider": "stripe", "currency": "usd", "effective_from": "2020-01-01",
	"dispute_fee": 2000, "counter_fee": 1000, "counter_fee_refunded_on_win": true, "source": "our acquirer's invoice"}

// TestFeeTableSettings: the shipped fee table is in force until the merchant saves its own rows,
// which a bad row cannot replace (the field named, nothing saved), and null restores it.
func TestFeeTableSettings(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		st := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200)
		if st.FeeTable != nil || st.FeeTableInForce.Version != fees.Default().Version || len(st.FeeTableInForce.Rows) == 0 ||
			st.HandlingCost != (httpapi.Cost{Amount: 0, AmountDecimal: "0.00", Currency: "USD"}) {
			t.Fatalf("defaults: fee_table %+v, in force %s, handling %+v", st.FeeTable, st.FeeTableInForce.Version, st.HandlingCost)
		}
		st = testenv.Want[httpapi.Settings](t, c.Post("/v1/settings", map[string]any{"fee_table": []any{ownStripeFees},
			"handling_cost": map[string]any{"amount": 500, "currency": "usd"}}), 200)
		want := httpapi.FeeRow{Provider: "stripe", Currency: "USD", EffectiveFrom: "2020-01-01", DisputeFee: 2000, CounterFee: 1000,
			CounterFeeRefundedOnWin: true, Source: "our acquirer's invoice"}
		if st.FeeTable == nil || st.FeeTable.Version != "settings" || st.FeeTable.Date != "2026-03-02" || len(st.FeeTable.Rows) != 1 ||
			st.FeeTable.Rows[0] != want || st.FeeTableInForce.Version != "settings" || st.HandlingCost.Amount != 500 {
			t.Fatalf("saved: %+v, handling %+v", st.FeeTable, st.HandlingCost)
		}
		for _, tc := range []struct {
			body        map[string]any
			code, param string
		}{
			{map[string]any{"fee_table": []any{map[string]any{"provider": "stripe", "currency": "usx", "effective_from": "2020-01-01"}}}, "unknown_currency", "fee_table[0].currency"},
			{map[string]any{"fee_table": []any{ownStripeFees, map[string]any{"provider": "stripe", "currency": "usd", "effective_from": "June 2025"}}}, "invalid_value", "fee_table[1].effective_from"},
			{map[string]any{"fee_table": []any{map[string]any{"provider": "stripe", "currency": "usd", "effective_from": "2020-01-01", "counter_fee": -1}}}, "invalid_amount", "fee_table[0].counter_fee"},
			{map[string]any{"handling_cost": map[string]any{"amount": -5, "currency": "usd"}}, "invalid_amount", "handling_cost.amount"},
		} {
			tc.body["merchant_name"] = "Changed"
			testenv.WantError(t, c.Post("/v1/settings", tc.body), 422, tc.code, tc.param)
		}
		if got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200); got.MerchantName == "Changed" || got.FeeTable == nil || got.FeeTable.Rows[0] != want {
			t.Fatalf("a refused save changed the settings: %+v", got)
		}
		st = testenv.Want[httpapi.Settings](t, c.Post("/v1/settings", map[string]any{"fee_table": nil}), 200)
		if st.FeeTable != nil || st.FeeTableInForce.Version != fees.Default().Version || st.HandlingCost.Amount != 500 {
			t.Fatalf("after null: fee_table %+v, in force %s", st.FeeTable, st.FeeTableInForce.Version)
		}
	})
}

// TestFeesRecordedFromTheTable: a chargeback records the table's fee when it opens, the counter
// fee when its evidence is submitted and the counter fee given back when it is won, each marked
// as the table's with its version and date; an alert records none.
func TestFeesRecordedFromTheTable(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		testenv.Want[httpapi.Settings](t, c.Post("/v1/settings", map[string]any{"fee_table": []any{ownStripeFees}}), 200)
		d := e.Dispute(e.Sale(testenv.SaleParams{Amount: 5000}), "chargeback")
		fee := func(amount int64, kind string) httpapi.Fee {
			v, date := "settings", "2026-03-02"
			return httpapi.Fee{Amount: amount, AmountDecimal: map[int64]string{2000: "20.00", 1000: "10.00", -1000: "-10.00"}[amount],
				Currency: "USD", Description: map[string]string{"dispute": "Dispute fee (fee table)", "counter": "Dispute counter fee (fee table)",
					"returned": "Fees returned on the win (fee table)"}[kind], Kind: kind, Source: "fee_table", TableVersion: &v, TableDate: &date}
		}
		check := func(what string, want ...httpapi.Fee) {
			t.Helper()
			got := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+d.ID), 200).Fees
			if len(got) != len(want) {
				t.Fatalf("%s: fees %+v, want %d", what, got, len(want))
			}
			for i := range want {
				if got[i].Amount != want[i].Amount || got[i].Kind != want[i].Kind || got[i].Source != want[i].Source ||
					got[i].Description != want[i].Description || *got[i].TableVersion != *want[i].TableVersion || *got[i].TableDate != *want[i].TableDate {
					t.Errorf("%s: fee %d is %+v, want %+v", what, i, got[i], want[i])
				}
			}
		}
		check("opened", fee(2000, "dispute"))
		d = testenv.Must(e.App.UpdateDispute(e.Ctx, testenv.Admin, d.ID, e.Reload(d).Revision, app.UpdateDisputeParams{
			UpdateParams: dispute.UpdateParams{Evidence: map[string]string{"uncategorized_text": "delivered"}}}))(t)
		check("evidence staged", fee(2000, "dispute"))
		testenv.Must(e.App.SubmitDispute(e.Ctx, testenv.Admin, d.ID, nil))(t)
		check("submitted", fee(2000, "dispute"), fee(1000, "counter"))
		testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, d.ID, nil, app.ResolveParams{Resolution: "won"}))(t)
		check("won", fee(2000, "dispute"), fee(1000, "counter"), fee(-1000, "returned"))

		// Editing the table later does not rewrite what a dispute recorded.
		testenv.Want[httpapi.Settings](t, c.Post("/v1/settings", map[string]any{"fee_table": nil}), 200)
		check("after the table changed", fee(2000, "dispute"), fee(1000, "counter"), fee(-1000, "returned"))

		alert := e.Dispute(e.Sale(testenv.SaleParams{}), "alert")
		if got := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+alert.ID), 200).Fees; len(got) != 0 {
			t.Errorf("an alert recorded fees: %+v", got)
		}
	})
}
