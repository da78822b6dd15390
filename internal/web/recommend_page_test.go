package web_test

import (
	"html"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/fees"
	"disputed/internal/testenv"
)

// TestAdviceOnPageAndList: the dispute page says whether to fight, the odds, the expected value
// and why in words; the disputes list shows the action and the expected value of each open one.
func TestAdviceOnPageAndList(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		rows := []fees.Row{{Provider: "stripe", Currency: "USD", EffectiveFrom: "2025-06-17", DisputeFee: 1500, CounterFee: 1500, CounterFeeRefundedOnWin: true}}
		testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{FeeTable: &rows}))(t)
		fraud := func(p *app.DisputeParams) { p.Reason, p.NetworkReasonCode = "fraudulent", "10.4" }
		small := e.Dispute(e.Sale(testenv.SaleParams{Amount: 1200}), "chargeback", fraud)
		large := e.Dispute(e.Sale(testenv.SaleParams{Amount: 50000}), "chargeback", fraud)
		f := e.Forms(c, actor.Admin, "")

		page := html.UnescapeString(f.Get("/disputes/" + large.ID).Body)
		for _, w := range []string{
			`<dd id="dispute-advice"><span class="badge status good">Fight</span> · 9 % to win · expected 31.35 USD against conceding`,
			"None of your Visa fraud disputes is decided yet: the published 9 % (SOC24 2024)",
		} {
			if !strings.Contains(page, w) {
				t.Errorf("the $500 chargeback's page lacks %q", w)
			}
		}
		if page := html.UnescapeString(f.Get("/disputes/" + small.ID).Body); !strings.Contains(page, `status neutral">Accept</span> · 9 % to win · expected -12.57 USD`) {
			t.Errorf("the $12 chargeback's page does not advise accepting:\n%s", page)
		}

		list := f.Get("/disputes").Body
		for _, w := range []string{`<th scope="col">Advice</th>`, `">Fight</span><br><span class="muted">EV 31.35 USD</span>`, `">Accept</span><br><span class="muted">EV -12.57 USD</span>`} {
			if !strings.Contains(list, w) {
				t.Errorf("the list lacks %q", w)
			}
		}
	})
}
