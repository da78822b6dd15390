package web_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/httpapi"
	"disputed/internal/store"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// decidedDispute writes a dispute as it ended straight into the store, opened hours after the
// start, as the backtest reads what is kept however it got there.
func decidedDispute(t *testing.T, e *testenv.Env, id string, hours int, d dispute.Dispute) {
	t.Helper()
	d.ID, d.Type, d.Revision = id, dispute.Chargeback, 1
	d.Evidence, d.Metadata = map[string]string{}, map[string]string{}
	d.CreatedAt = testenv.Start.Add(time.Duration(hours) * time.Hour)
	d.UpdatedAt = d.CreatedAt
	if err := e.Store.Tx(e.Ctx, func(tx store.Tx) error { return tx.InsertDispute(e.Ctx, d) }); err != nil {
		t.Fatal(err)
	}
}

// usdFees are a dispute's fees in US cents.
func usdFees(amounts ...int64) []dispute.Fee {
	var out []dispute.Fee
	for i, a := range amounts {
		out = append(out, dispute.Fee{Amount: a, Currency: "USD", Description: "fee", ProviderReference: "txn_" + string(rune('a'+i))})
	}
	return out
}

// TestBrowserRulesPage: an admin opens the Rules page from the navigation, writes a rule with a
// mistake in its expression (refused beside the field with its line and column, what was typed
// kept, nothing saved), backtests a valid one over three decided disputes (matched 2, a win
// forgone, the amount given up, the counter fee saved, the matches linked), saves it enabled,
// reads it in the list, disables it and deletes it after confirming. The form shows the chosen
// action's parameters only, and on a 390 px phone nothing scrolls sideways. What the page saves
// is read back through the API.
func TestBrowserRulesPage(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		fought := testenv.Start
		decidedDispute(t, e, "dsp_rulewon", 1, dispute.Dispute{Status: dispute.Won, Amount: 1500, Currency: "USD", DefendedAt: fought, Fees: usdFees(1500, 1500, -1500)})
		decidedDispute(t, e, "dsp_rulelost", 2, dispute.Dispute{Status: dispute.Lost, Amount: 1800, Currency: "USD", DefendedAt: fought, Fees: usdFees(1500, 1500)})
		decidedDispute(t, e, "dsp_rulelarge", 3, dispute.Dispute{Status: dispute.Lost, Amount: 5000, Currency: "USD", DefendedAt: fought, Fees: usdFees(1500, 1500)})
		saved := func() []httpapi.Rule {
			return testenv.Want[httpapi.List[httpapi.Rule]](t, c.Get("/v1/rules"), 200).Data
		}
		ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
		shown := func(sel string) bool {
			return browsertest.Eval[bool](t, ctx, `document.querySelector("`+sel+`").offsetParent !== null`)
		}
		browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`header.top nav a[href="/rules"]`)))
		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`header.top nav a[href="/rules"]`)), chromedp.WaitVisible(chromedp.CSS("#rule-form")))
		if got := browsertest.Text(t, ctx, "#no-rules"); !strings.Contains(got, "No rule") {
			t.Errorf("the empty list says %q", got)
		}

		// The tag action shows its tag field and no other action's.
		browsertest.Do(t, ctx,
			chromedp.SendKeys(chromedp.CSS("#rule-name"), "Small ones"),
			chromedp.SendKeys(chromedp.CSS("#rule-when"), "amount <= 2000 &&"),
			chromedp.SetValue(chromedp.CSS("#rule-action"), "tag"))
		if !shown("#rule-tag") || shown("#rule-hours") || shown("#rule-message") {
			t.Errorf("with the tag action: tag shown %v, hours shown %v, message shown %v; want only the tag",
				shown("#rule-tag"), shown("#rule-hours"), shown("#rule-message"))
		}
		browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#rule-tag"), "small"))
		browsertest.Submit(t, ctx, "#rule-save", "#rule-when-error", "")
		if got := browsertest.Text(t, ctx, "#rule-when-error"); !regexp.MustCompile(`\b1:\d+: `).MatchString(got) {
			t.Errorf("the refused expression's message %q names no line:column", got)
		}
		if got := saved(); len(got) != 0 {
			t.Fatalf("a refused rule was saved: %+v", got)
		}
		for sel, want := range map[string]string{"#rule-name": "Small ones", "#rule-when": "amount <= 2000 &&", "#rule-action": "tag", "#rule-tag": "small"} {
			if got := browsertest.Eval[string](t, ctx, `document.querySelector("`+sel+`").value`); got != want {
				t.Errorf("the refused form's %s reads %q, want %q", sel, got, want)
			}
		}

		browsertest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#rule-when"), "amount <= 2000"))
		browsertest.Submit(t, ctx, "#rule-backtest", "#backtest-matched", "matches 2")
		for sel, want := range map[string]string{"#backtest-matched": "Of 3 decided disputes", "#backtest-wins": "forgone: 1",
			"#backtest-given-up": "15.00 USD", "#backtest-fees": "15.00 USD"} {
			if got := browsertest.Text(t, ctx, sel); !strings.Contains(got, want) {
				t.Errorf("%s reads %q, want it to contain %q", sel, got, want)
			}
		}
		if got := browsertest.Eval[string](t, ctx, `[...document.querySelectorAll("#backtest-sample a")].map(a => a.getAttribute("href")).join(" ")`); got != "/disputes/dsp_rulelost /disputes/dsp_rulewon" {
			t.Errorf("the sample links to %q", got)
		}
		if got := saved(); len(got) != 0 {
			t.Fatalf("a backtest saved the rule: %+v", got)
		}
		if got := browsertest.Eval[string](t, ctx, `document.querySelector("#rule-when").value + " | " + document.querySelector("#rule-tag").value`); got != "amount <= 2000 | small" {
			t.Errorf("the form after the backtest reads %q", got)
		}

		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#rule-enabled")))
		browsertest.Submit(t, ctx, "#rule-save", "p.notice", "Rule saved")
		got := saved()
		if len(got) != 1 || got[0].Name != "Small ones" || got[0].When != "amount <= 2000" || got[0].Action != "tag" || got[0].Params.Tag == nil || *got[0].Params.Tag != "small" || !got[0].Enabled {
			t.Fatalf("the API's rules after saving: %+v", got)
		}
		row := "#rule-" + got[0].ID
		for _, want := range []string{"Small ones", "amount <= 2000", "Tag the dispute “small”", "enabled", "0 disputes"} {
			if text := browsertest.Text(t, ctx, row); !strings.Contains(text, want) {
				t.Errorf("the rule's row lacks %q: %q", want, text)
			}
		}

		browsertest.Do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		htmxPageReady(t, ctx, c.URL+"/rules", "#rules")
		if w := browsertest.Eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("/rules is %d px wide on a 390 px phone: it scrolls sideways", w)
		}

		browsertest.Submit(t, ctx, row+" .toggle-rule button", "p.notice", "Rule disabled")
		if got := saved(); len(got) != 1 || got[0].Enabled {
			t.Fatalf("the API's rules after disabling: %+v", got)
		}
		if text := browsertest.Text(t, ctx, row+" .rule-state"); text != "disabled" {
			t.Errorf("the disabled rule's state reads %q", text)
		}

		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(row+` a[href^="#delete-"]`)), chromedp.WaitVisible(chromedp.CSS("#delete-"+got[0].ID)))
		browsertest.Submit(t, ctx, "#delete-"+got[0].ID+" button[type=submit]", "p.notice", "Rule deleted")
		if got := saved(); len(got) != 0 {
			t.Fatalf("the API's rules after deleting: %+v", got)
		}
		browsertest.Wait(t, ctx, "#no-rules", "No rule")
	})
}
