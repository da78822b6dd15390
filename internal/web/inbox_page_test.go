package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// The provider inbox on the jobs page, over plain HTTP: its backlog, the failed events with
// their error, and their retry.

// failedStripeEvent stores a Stripe dispute event on a new sale and makes it fail to apply: the
// provider is deleted before the appliers get to it. It returns the stored event's id.
func failedStripeEvent(t *testing.T, e *testenv.Env) string {
	t.Helper()
	e.StripeProvider("", "")
	ref := e.Sale(testenv.SaleParams{Amount: 4999}).Charge.ProviderReference
	got := testenv.Must(e.StoreStripe(testenv.StripeEvent("evt_inbox_1", "charge.dispute.created", "needs_response", "dp_1QInbox0001", ref, e.Clock.Now())))(t)
	testenv.Must(0, e.App.DeleteProvider(e.Ctx, testenv.Admin, "stripe"))(t)
	e.ApplyInbox()
	return got.Receipts[0].ID
}

// wantOK fails the test unless the page was served.
func wantOK(t *testing.T, a testenv.Answer) {
	t.Helper()
	if a.Status != http.StatusOK {
		t.Fatalf("status %d:\n%s", a.Status, a.Body)
	}
}

// eventRow is the row of the stored event id on a jobs page.
func eventRow(t *testing.T, page, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr class="provider-event" id="event-` + regexp.QuoteMeta(id) + `">.*?</tr>`).FindString(page)
	if m == "" {
		t.Fatalf("no row of the event %s on the page:\n%s", id, page)
	}
	return m
}

// inboxFigure is the summary figure of the id given ("inbox-pending", "inbox-lag") on a jobs page.
func inboxFigure(t *testing.T, page, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + id + `"[^>]*>([^<]*)<`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no %s on the page:\n%s", id, page)
	}
	return m[1]
}

// TestUIJobsPageProviderEvents: an admin sees a failed provider event on the jobs page with its
// error, fixes its cause and retries it; it waits as pending, the summary showing how long, and
// once applied it is listed as applied with the dispute it opened.
func TestUIJobsPageProviderEvents(t *testing.T) {
	t.Parallel()
	testenv.EachWith(t, testenv.Options{DeferApplying: true}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		id := failedStripeEvent(t, e)
		f := e.Forms(c, actor.Admin, "")

		page := f.Get("/jobs")
		wantOK(t, page)
		if p, n, lag := inboxFigure(t, page.Body, "inbox-pending"), inboxFigure(t, page.Body, "inbox-failed"), inboxFigure(t, page.Body, "inbox-lag"); p != "0" || n != "1" || lag != "0 s" {
			t.Errorf("summary with one failed event: pending %q, failed %q, lag %q", p, n, lag)
		}
		row := eventRow(t, page.Body, id)
		for _, want := range []string{"stripe", "evt_inbox_1", "charge.dispute.created", "dp_1QInbox0001", "failed",
			`<td class="last-error"><pre>the provider stripe is no longer configured</pre>`, `action="/provider-events/` + id + `/retry"`, "&#34;id&#34;: &#34;evt_inbox_1&#34;"} {
			if !strings.Contains(row, want) {
				t.Errorf("the failed event's row lacks %q:\n%s", want, row)
			}
		}

		// Retried with the cause fixed: due again, back on the list it came from, with a notice;
		// not without the session's CSRF token.
		e.StripeProvider("", "")
		if a := f.Post("/provider-events/"+id+"/retry", url.Values{}); a.Status != 403 || e.InboxStats().Failed != 1 {
			t.Fatalf("a retry without the CSRF token: %d, %+v", a.Status, e.InboxStats())
		}
		back := url.Values{"state": {"dead"}, "events": {"failed"}}.Encode()
		retried := f.Post("/provider-events/"+id+"/retry", f.Signed(url.Values{"back": {back}}))
		if retried.Status != 303 || !strings.HasPrefix(retried.Location, "/jobs?events=failed&state=dead&done=") {
			t.Fatalf("retry: %d to %q", retried.Status, retried.Location)
		}
		e.Clock.Advance(42 * time.Second)
		page = f.Get(retried.Location)
		wantOK(t, page)
		if !strings.Contains(page.Body, "The provider event is due again now") || !strings.Contains(page.Body, `id="no-events"`) {
			t.Errorf("after the retry: no notice, or the event is still listed as failed:\n%s", page.Body)
		}
		if p, n, lag := inboxFigure(t, page.Body, "inbox-pending"), inboxFigure(t, page.Body, "inbox-failed"), inboxFigure(t, page.Body, "inbox-lag"); p != "1" || n != "0" || lag != "42 s" {
			t.Errorf("summary with the event pending: pending %q, failed %q, lag %q", p, n, lag)
		}
		if row := eventRow(t, f.Get("/jobs?events=pending").Body, id); !strings.Contains(row, "pending") || strings.Contains(row, "Retry") {
			t.Errorf("the pending event's row:\n%s", row)
		}

		e.ApplyInbox()
		page = f.Get("/jobs?events=applied")
		row = eventRow(t, page.Body, id)
		dsp := regexp.MustCompile(`href="/disputes/([^"]+)"`).FindStringSubmatch(row)
		if dsp == nil || !strings.Contains(row, "applied") || strings.Contains(row, "Retry") {
			t.Fatalf("the applied event's row:\n%s", row)
		}
		if d := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+dsp[1]), 200); d.ProviderDisputeID == nil || *d.ProviderDisputeID != "dp_1QInbox0001" {
			t.Errorf("the dispute the event opened: %+v", d)
		}
		if p, n := inboxFigure(t, page.Body, "inbox-pending"), inboxFigure(t, page.Body, "inbox-failed"); p != "0" || n != "0" {
			t.Errorf("summary once applied: pending %q, failed %q", p, n)
		}

		// An applied event is not retried; an unknown state is refused.
		if a := f.Post("/provider-events/"+id+"/retry", f.Signed(nil)); a.Status != 409 {
			t.Errorf("retrying an applied event: %d", a.Status)
		}
		if a := f.Get("/jobs?events=lost"); a.Status != 400 || !strings.Contains(a.Body, "pick one of pending, applied, failed") {
			t.Errorf("an unknown event state: %d", a.Status)
		}
	})
}
