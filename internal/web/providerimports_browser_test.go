package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/provider/stripe/stripefake"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// TestBrowserImportHistory: an admin starts a Stripe account's history import from the providers
// page with a date; the page shows it running, and then, polled by htmx without a reload, done
// with what it read; a running import is canceled from the page. A generic feed, which has no
// history to read, is not offered the import.
func TestBrowserImportHistory(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		lists := &stripefake.Lists{APIKey: "sk_test_page"}
		created := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC).Unix()
		lists.Add(stripefake.Charges, stripefake.Charge("ch_page1", created, 1200), stripefake.Charge("ch_page2", created+1, 1300))
		srv := httptest.NewServer(lists)
		t.Cleanup(srv.Close)
		testenv.Must(e.App.CreateProvider(e.Ctx, testenv.Admin, app.ProviderParams{Name: "stripe", Type: "stripe", WebhookSecret: testenv.StripeSecret,
			APIKey: "sk_test_page", APIBase: srv.URL}))(t)
		testenv.Must(e.App.CreateProvider(e.Ctx, testenv.Admin, app.ProviderParams{Name: "feed", Type: "generic", WebhookSecret: "s3cret"}))(t)

		ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
		browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/providers"), chromedp.WaitVisible(chromedp.CSS("#import-stripe")))
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#import-feed").length`); n != 0 {
			t.Error("the generic feed is offered an import")
		}
		browsertest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#import-since-stripe"), "2025-01-01"))
		browsertest.Submit(t, ctx, `#import-stripe button[type=submit]`, "p.notice", "Import started")
		browsertest.Wait(t, ctx, "#import-stripe .import-state", "running")

		e.RunJobs() // the server's job runner, which this test drives
		browsertest.Wait(t, ctx, "#import-stripe .import-state", "done")
		browsertest.Wait(t, ctx, "#import-stripe .import-read", "2")
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#import-stripe .cancel-import").length`); n != 0 {
			t.Error("an import that ended while the page was open is still offered a cancel")
		}
		list := testenv.Want[httpapi.List[httpapi.ProviderImport]](t, c.Get("/v1/providers/stripe/imports"), http.StatusOK)
		if len(list.Data) != 1 || list.Data[0].Read != 2 || list.Data[0].Since == nil || list.Data[0].Since.Format(time.DateOnly) != "2025-01-01" {
			t.Errorf("the API's imports: %+v", list.Data)
		}
		integrationFitsPhone(t, ctx, c, "/providers", "#import-stripe")

		// A running import is canceled from the page: it shows canceled, with no button left.
		browsertest.Submit(t, ctx, `#import-stripe .start-import button[type=submit]`, "p.notice", "Import started")
		browsertest.Submit(t, ctx, `#import-stripe .cancel-import button[type=submit]`, "p.notice", "Import canceled")
		browsertest.Wait(t, ctx, "#import-stripe .import-state", "canceled")
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#import-stripe .cancel-import").length`); n != 0 {
			t.Error("a canceled import is offered a cancel")
		}
		e.RunJobs() // its job finds it canceled
		list = testenv.Want[httpapi.List[httpapi.ProviderImport]](t, c.Get("/v1/providers/stripe/imports"), http.StatusOK)
		if len(list.Data) != 2 || list.Data[0].State != "canceled" || list.Data[0].Read != 0 {
			t.Errorf("the API's imports after the cancel: %+v", list.Data)
		}
		first := testenv.Want[httpapi.List[httpapi.ProviderImport]](t, c.Get("/v1/providers/stripe/imports?limit=1"), http.StatusOK)
		if len(first.Data) != 1 || !first.HasMore || first.NextCursor == nil {
			t.Fatalf("the imports' first page of one: %+v", first)
		}
		next := testenv.Want[httpapi.List[httpapi.ProviderImport]](t, c.Get("/v1/providers/stripe/imports?limit=1&cursor="+*first.NextCursor), http.StatusOK)
		if len(next.Data) != 1 || next.HasMore || next.Data[0].State != "done" {
			t.Errorf("the imports' second page: %+v", next)
		}
	})
}
