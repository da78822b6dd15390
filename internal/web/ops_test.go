package web_test

import (
	"disputed/internal/webhook/webhooktest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/store"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// The admin's operations pages (webhook endpoints, jobs), driven in Chromium. Their security
// tests are in security_test.go.

// opsJobs schedules jobs as they are given (of any kind, with any arguments), with one attempt.
func opsJobs(t *testing.T, e *testenv.Env, jobs ...store.Job) {
	t.Helper()
	now := e.Clock.Now()
	err := e.Store.Tx(e.Ctx, func(tx store.Tx) error {
		for _, j := range jobs {
			j.MaxAttempts, j.CreatedAt, j.UpdatedAt = 1, now, now
			if _, err := tx.ScheduleJob(e.Ctx, j); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// brokenJob is a deadline job without its dispute, which dies on its one attempt.
func brokenJob(id, subject string, runAt time.Time) store.Job {
	return store.Job{ID: id, Kind: "dispute.deadline", Subject: subject, Args: []byte(`{"dispute_id":""}`), RunAt: runAt}
}

// TestBrowserWebhooksPage: an admin adds an endpoint and sees its secret once, follows a failed
// delivery with its attempts, sends it again, rotates the secret, disables, enables and deletes.
func TestBrowserWebhooksPage(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{}) // its outbound client reaches the receiver on loopback
	c := e.Serve()
	rcv := webhooktest.Start(t)
	ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")

	portalOpen(t, ctx, c.URL+"/webhooks", "#new-endpoint")
	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#new-endpoint input[name=url]`), rcv.URL+"/hook"),
		chromedp.SendKeys(chromedp.CSS(`#new-endpoint input[name=description]`), "accounting"),
		chromedp.Click(chromedp.CSS(`#new-endpoint input[value="dispute.created"]`)),
		chromedp.Click(chromedp.CSS(`#new-endpoint button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#secret`)))
	secret := browsertest.Text(t, ctx, "#secret")
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("secret %q", secret)
	}
	if p := portalPath(t, ctx); p != "/webhooks" || strings.Contains(p, secret) {
		t.Errorf("the page with the secret is at %q", p)
	}
	if box := browsertest.Text(t, ctx, "#secret-box"); !strings.Contains(box, "copy it now") || !strings.Contains(box, "only this once") {
		t.Errorf("secret box: %q", box)
	}
	eps := testenv.Must(e.Webhooks.Endpoints(e.Ctx, testenv.Admin))(t)
	if len(eps) != 1 || eps[0].URL != rcv.URL+"/hook" || eps[0].Description != "accounting" {
		t.Fatalf("endpoints: %+v", eps)
	}
	epID := eps[0].ID
	enabled := func() bool { return testenv.Must(e.Webhooks.Endpoint(e.Ctx, testenv.Admin, epID))(t).Enabled }

	portalOpen(t, ctx, c.URL+"/webhooks", "#endpoints")
	if row := browsertest.Text(t, ctx, "tr.endpoint"); !strings.Contains(row, epID) || !strings.Contains(row, "dispute.created") || !strings.Contains(row, "enabled") {
		t.Errorf("endpoint row: %q", row)
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`tr.endpoint a`)), chromedp.WaitVisible(chromedp.CSS(`#endpoint-url`)))
	if html := portalHTML(t, ctx); strings.Contains(html, secret) || strings.Contains(html, `id="secret"`) {
		t.Fatal("the secret is shown again")
	}

	// The first attempt fails; the page shows the delivery and its attempt.
	rcv.Setup(secret, 1)
	e.Dispute(e.Sale(testenv.SaleParams{Amount: 1000}), "chargeback", func(p *app.DisputeParams) { p.Reason = "fraudulent" })
	e.RunJobs()
	portalOpen(t, ctx, c.URL+"/webhooks/"+epID, "#deliveries")
	if row := browsertest.Text(t, ctx, "tr.delivery"); !strings.Contains(row, "dispute.created") || !strings.Contains(row, "pending") || !strings.Contains(row, "500") {
		t.Errorf("delivery row after a failure: %q", row)
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`details.attempts summary`)))
	if a := browsertest.Text(t, ctx, "tr.attempt"); !strings.Contains(a, "500") || !strings.Contains(a, "receiver is down for maintenance") {
		t.Errorf("attempt: %q", a)
	}

	portalAct(t, ctx, "p.notice", "queued to be sent again", chromedp.Click(chromedp.CSS(`form.redeliver button`)))
	e.RunJobs()
	portalOpen(t, ctx, c.URL+"/webhooks/"+epID, "#deliveries")
	if row, n := browsertest.Text(t, ctx, "tr.delivery"), browsertest.Text(t, ctx, "tr.delivery .attempts"); !strings.Contains(row, "delivered") || n != "2" {
		t.Errorf("delivery row after redelivery: %q (attempts %q)", row, n)
	}
	if got := rcv.Deliveries(); len(got) != 2 || got[1].ValidSigs != 1 || got[0].ID != got[1].ID {
		t.Errorf("received: %+v", got)
	}
	if n := strings.Count(portalHTML(t, ctx), `class="attempt"`); n != 2 {
		t.Errorf("%d attempts listed, want 2", n)
	}

	// Rotation shows the new secret once, in the answer.
	portalAct(t, ctx, "#secret", "whsec_", chromedp.Click(chromedp.CSS(`#rotate button`)))
	if rotated := browsertest.Text(t, ctx, "#secret"); !strings.HasPrefix(rotated, "whsec_") || rotated == secret {
		t.Errorf("rotated secret %q (was %q)", rotated, secret)
	}
	if p := portalPath(t, ctx); p != "/webhooks/"+epID+"/rotate" {
		t.Errorf("rotated at %q", p)
	}

	portalOpen(t, ctx, c.URL+"/webhooks/"+epID, "#disable")
	portalAct(t, ctx, "p.notice", "Endpoint disabled", chromedp.Click(chromedp.CSS(`#disable button`)))
	browsertest.Wait(t, ctx, "#endpoint-state", "disabled by an admin")
	if enabled() {
		t.Error("not disabled")
	}
	portalAct(t, ctx, "p.notice", "Endpoint enabled", chromedp.Click(chromedp.CSS(`#enable button`)))
	if st := browsertest.Text(t, ctx, "#endpoint-state"); st != "enabled" {
		t.Errorf("endpoint state %q, want enabled", st)
	}
	if !enabled() {
		t.Error("not enabled again")
	}

	portalAct(t, ctx, "p.notice", "deleted",
		chromedp.Click(chromedp.CSS(`details.danger summary`)),
		chromedp.Click(chromedp.CSS(`#delete button`)))
	browsertest.Wait(t, ctx, "p.empty", "No endpoints")
	if n := len(testenv.Must(e.Webhooks.Endpoints(e.Ctx, testenv.Admin))(t)); n != 0 {
		t.Errorf("%d endpoints after delete", n)
	}
}

// TestBrowserJobsPage: the jobs page lists dead jobs with their error and retries them, and so
// the failed provider events; on a 390 px phone, its payload open, it does not scroll sideways
// and logs no CSP violation.
func TestBrowserJobsPage(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{DeferApplying: true})
	c := e.Serve()
	opsJobs(t, e, brokenJob("job_broken", "", e.Clock.Now()))
	e.RunJobs()
	pev := failedStripeEvent(t, e)
	ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
	log := watchCSPConsole(ctx)

	portalOpen(t, ctx, c.URL+"/jobs", "#jobs")
	row := browsertest.Text(t, ctx, "#job-job_broken")
	if !strings.Contains(row, "dispute.deadline") || !strings.Contains(row, "dead") || !strings.Contains(row, "1 / 1") {
		t.Errorf("dead job row: %q", row)
	}
	if lastErr := browsertest.Text(t, ctx, "#job-job_broken .last-error"); lastErr == "" || lastErr == "—" {
		t.Errorf("dead job without its error: %q", lastErr)
	}
	portalAct(t, ctx, "p.notice", "scheduled to run again",
		chromedp.Click(chromedp.CSS(`#job-job_broken form.retry button`)))
	browsertest.Wait(t, ctx, "#no-jobs", "No dead jobs")
	if j := testenv.Must(e.App.Job(e.Ctx, testenv.Admin, "job_broken"))(t); j.State != "scheduled" || j.Attempts != 0 {
		t.Errorf("retried job: %+v", j)
	}
	portalOpen(t, ctx, c.URL+"/jobs?state=scheduled", "#jobs")
	if row := browsertest.Text(t, ctx, "#job-job_broken"); !strings.Contains(row, "scheduled") || strings.Contains(row, "Retry") {
		t.Errorf("scheduled job row: %q", row)
	}

	browsertest.Do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	htmxPageReady(t, ctx, c.URL+"/jobs", "#events")
	if failed := browsertest.Text(t, ctx, "#inbox-failed"); failed != "1" {
		t.Errorf("failed provider events in the summary: %q", failed)
	}
	if lastErr := browsertest.Text(t, ctx, "#event-"+pev+" .last-error"); !strings.Contains(lastErr, "no longer configured") {
		t.Errorf("the failed event's error: %q", lastErr)
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#event-"+pev+" details.args summary")),
		chromedp.WaitVisible(chromedp.CSS("#event-"+pev+" details.args pre")))
	if w := browsertest.Eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the jobs page is %d px wide on a 390 px phone: it scrolls sideways", w)
	}
	e.StripeProvider("", "")
	portalAct(t, ctx, "p.notice", "due again now", chromedp.Click(chromedp.CSS("#event-"+pev+" form.retry button")))
	browsertest.Wait(t, ctx, "#no-events", "No failed provider events")
	if v := log.violations(); len(v) > 0 {
		t.Errorf("the jobs page logged CSP violations: %q", v)
	}
}
