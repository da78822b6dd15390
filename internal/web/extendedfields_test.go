package web_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// TestBrowserExtendedFields: an admin defines extended fields on the settings page (a bad name is
// refused and nothing saved), then sees and edits a dispute's values in its details section.
func TestBrowserExtendedFields(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
		browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/settings"), chromedp.WaitVisible(chromedp.CSS("#settings-extended-fields")))
		browsertest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#field-name-0"), "Bad Name"))
		browsertest.Submit(t, ctx, `#settings-form button[type=submit]`, "#settings-extended-fields .field-error", "a-z, 0-9 and _")
		if got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200).ExtendedFields; len(got) != 0 {
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
		wantFields := []httpapi.ExtendedField{{Name: "priority", Type: "number", Label: "Priority"}, {Name: "vip", Type: "boolean"}}
		if got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200).ExtendedFields; !slices.Equal(got, wantFields) {
			t.Fatalf("definitions after the saves: %+v, want %+v", got, wantFields)
		}

		d := e.Dispute(e.Sale(testenv.SaleParams{Amount: 1000}), "chargeback", func(p *app.DisputeParams) {
			p.ExtendedFields = map[string]json.RawMessage{"priority": json.RawMessage("7")}
		})
		page := c.URL + "/disputes/" + d.ID
		browsertest.Do(t, ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#details-form")))
		if shown := browsertest.Eval[string](t, ctx, `document.querySelector("#s-details").parentElement.textContent`); !strings.Contains(shown, "Priority") || !strings.Contains(shown, "7") {
			t.Errorf("details do not show the value: %q", shown)
		}
		browsertest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS(`#details-form input[name="extended.priority"]`), "abc"))
		browsertest.Submit(t, ctx, `#details-form button[type=submit]`, "#details-error", "decimal number")
		if got := extendedValues(t, c, d.ID); got != `{"priority":7}` {
			t.Fatalf("a refused edit changed the values: %s", got)
		}
		browsertest.Do(t, ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#details-form")))
		browsertest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS(`#details-form input[name="extended.priority"]`), "9.25"),
			chromedp.SetValue(chromedp.CSS(`#details-form select[name="extended.vip"]`), "true"))
		browsertest.Submit(t, ctx, `#details-form button[type=submit]`, "p.notice", "Details saved")
		if got := extendedValues(t, c, d.ID); got != `{"priority":9.25,"vip":true}` {
			t.Fatalf("after the page's edit: %s; the page says %q", got, browsertest.Eval[string](t, ctx, `(document.querySelector("p.notice, #details-error") || {}).textContent || ""`))
		}
		browsertest.Do(t, ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#details-form")))
		if shown := browsertest.Eval[string](t, ctx, `document.querySelector("#s-details").parentElement.textContent`); !strings.Contains(shown, "9.25") || !strings.Contains(shown, "yes") {
			t.Errorf("details after the edit: %q", shown)
		}
	})
}

// extendedValues is the dispute's extended_fields as the API shows them, compact and with the
// names in order, so that a number compares as written.
func extendedValues(t *testing.T, c *testenv.Client, id string) string {
	t.Helper()
	raw, err := json.Marshal(testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+id), 200).ExtendedFields)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}
