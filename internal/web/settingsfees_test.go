package web_test

import (
	"net/url"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestSettingsPageFees: the settings page shows the published fee table's rows as a form; an
// admin saves rows of its own and a handling cost, as /v1/settings then has them; a bad amount
// is shown beside the fieldset, nothing saved; unticking "my own rows" restores the published.
func TestSettingsPageFees(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	f := e.Forms(c, actor.Admin, "")
	page := f.Get("/settings")
	for _, w := range []string{`id="settings-fees"`, `name="fee_provider" value="stripe"`, `name="fee_effective_from" type="date" value="2025-06-17"`,
		`name="fee_counter" inputmode="decimal" value="15.00"`, `name="handling_cost" inputmode="decimal" value="0.00"`} {
		if !strings.Contains(page.Body, w) {
			t.Errorf("the settings page lacks %s", w)
		}
	}
	form := url.Values{"merchant_name": {"Shop"}, "reminder_offsets": {"72h"}, "party_items": {"50"}, "party_bytes": {"52428800"},
		"total_items": {"150"}, "total_bytes": {"104857600"}, "fees_shown": {"yes"}, "fee_table_own": {"yes"},
		"handling_cost": {"7.50"}, "handling_cost_currency": {"usd"},
		"fee_provider": {"manual", ""}, "fee_network": {"", ""}, "fee_currency": {"EUR", ""}, "fee_effective_from": {"2024-01-01", ""},
		"fee_dispute": {"20.00", ""}, "fee_counter": {"12.50", ""}, "fee_counter_refunded": {"0"}, "fee_arbitration": {"", ""},
		"fee_source": {"our acquirer", ""}}
	if a := f.Post("/settings", f.Signed(form)); a.Status != 303 && a.Status != 200 {
		t.Fatalf("saving: %d %s", a.Status, a.Body)
	}
	got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200)
	want := httpapi.FeeRow{Provider: "manual", Currency: "EUR", EffectiveFrom: "2024-01-01", DisputeFee: 2000, CounterFee: 1250,
		CounterFeeRefundedOnWin: true, Source: "our acquirer"}
	if got.FeeTable == nil || len(got.FeeTable.Rows) != 1 || got.FeeTable.Rows[0] != want || got.HandlingCost.Amount != 750 {
		t.Fatalf("saved fee table %+v, handling %+v", got.FeeTable, got.HandlingCost)
	}
	form.Set("fee_dispute", "20.001")
	if a := f.Post("/settings", f.Signed(form)); a.Status != 422 || !strings.Contains(a.Body, "fee_table[0].dispute_fee") {
		t.Errorf("a bad amount: %d", a.Status)
	}
	form.Set("fee_dispute", "20.00")
	form.Del("fee_table_own")
	f.Post("/settings", f.Signed(form))
	if got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200); got.FeeTable != nil || got.HandlingCost.Amount != 750 {
		t.Errorf("after unticking: fee table %+v", got.FeeTable)
	}
}
