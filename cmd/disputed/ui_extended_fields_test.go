package main

import (
	"disputed/internal/testenv/browsertest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserExtendedFields: an admin defines extended fields on the settings page (a bad name is
// refused and nothing saved), then sees and edits a dispute's values in its details section.
func TestBrowserExtendedFields(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		ctx := wordsBrowser(t, s)
		browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/settings"), chromedp.WaitVisible(chromedp.CSS("#settings-extended-fields")))
		browsertest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#field-name-0"), "Bad Name"))
		browsertest.Submit(t, ctx, `#settings-form button[type=submit]`, "#settings-extended-fields .field-error", "a-z, 0-9 and _")
		if got := s.get("/v1/settings").objs("extended_fields"); len(got) != 0 {
			t.Fatalf("a refused form saved definitions: %v", got)
		}
		browsertest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS("#field-name-0"), "priority"),
			chromedp.SetValue(chromedp.CSS("#field-type-0"), "number"),
			chromedp.SetValue(chromedp.CSS("#field-label-0"), "Priority"))
		browsertest.Submit(t, ctx, `#settings-form button[type=submit]`, "p.notice", "Settings saved")
		browsertest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS("#field-name-1"), "vip"),
			chromedp.SetValue(chromedp.CSS("#field-type-1"), "boolean"))
		browsertest.Submit(t, ctx, `#settings-form button[type=submit]`, "p.notice", "Settings saved")
		got := s.get("/v1/settings")
		if !strings.Contains(string(got.raw), `"extended_fields":[{"name":"priority","type":"number","label":"Priority"},{"name":"vip","type":"boolean"}]`) {
			t.Fatalf("settings after the saves: %s", got.raw)
		}

		_, _, ch := s.sale(1000, "usd")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch, "extended_fields": map[string]any{"priority": 7}})
		want(t, d, 201)
		id := d.str("id")
		browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/disputes/"+id), chromedp.WaitVisible(chromedp.CSS("#details-form")))
		if shown := browsertest.Eval[string](t, ctx, `document.querySelector("#s-details").parentElement.textContent`); !strings.Contains(shown, "Priority") || !strings.Contains(shown, "7") {
			t.Errorf("details do not show the value: %q", shown)
		}
		browsertest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS(`#details-form input[name="extended.priority"]`), "abc"))
		browsertest.Submit(t, ctx, `#details-form button[type=submit]`, "#details-error", "decimal number")
		if got := extendedFieldsOf(t, s.get("/v1/disputes/"+id)); got != `{"priority":7}` {
			t.Fatalf("a refused edit changed the values: %s", got)
		}
		browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/disputes/"+id), chromedp.WaitVisible(chromedp.CSS("#details-form")))
		browsertest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS(`#details-form input[name="extended.priority"]`), "9.25"),
			chromedp.SetValue(chromedp.CSS(`#details-form select[name="extended.vip"]`), "true"))
		browsertest.Submit(t, ctx, `#details-form button[type=submit]`, "p.notice", "Details saved")
		if got := extendedFieldsOf(t, s.get("/v1/disputes/"+id)); got != `{"priority":9.25,"vip":true}` {
			t.Fatalf("after the page's edit: %s; the page says %q", got, browsertest.Eval[string](t, ctx, `(document.querySelector("p.notice, #details-error") || {}).textContent || ""`))
		}
		browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/disputes/"+id), chromedp.WaitVisible(chromedp.CSS("#details-form")))
		if shown := browsertest.Eval[string](t, ctx, `document.querySelector("#s-details").parentElement.textContent`); !strings.Contains(shown, "9.25") || !strings.Contains(shown, "yes") {
			t.Errorf("details after the edit: %q", shown)
		}
	})
}
