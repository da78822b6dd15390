package main

import (
	"bytes"
	"context"
	"disputed/internal/testenv/browsertest"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/store"
	"disputed/internal/webhook/webhooktest"
)

// The portal for buyers and vendors, and the admin's operations pages (webhook endpoints, jobs),
// driven in Chromium. The security tests of the same pages are in ui_security_test.go.

// opsHTML is the page's whole HTML as the browser holds it.
func opsHTML(t *testing.T, ctx context.Context) string {
	t.Helper()
	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return html
}

// opsAct runs actions that load another page (a click on a form's button) and waits until the
// text of sel on the new page contains want. The messages of the current page are removed
// first, so that the old page's notice cannot pass for the new one's.
func opsAct(t *testing.T, ctx context.Context, sel, want string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("p.notice, p.error, #secret").forEach(e => e.remove()); 0`))
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	browsertest.Do(t, ctx, actions...)
	browsertest.Wait(t, ctx, sel, want)
}

// opsOpen loads a page and waits until sel is there.
func opsOpen(t *testing.T, ctx context.Context, url, sel string) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Navigate(url))
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(wctx, chromedp.WaitReady(chromedp.CSS(sel))); err != nil {
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		t.Fatalf("%s: no %s: %v\n%s", url, sel, err, html)
	}
}

// opsPath is the path of the page the browser shows.
func opsPath(t *testing.T, ctx context.Context) string {
	t.Helper()
	p, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return p
}

// opsOpenDetails opens the <details> around the element sel names, as a click on its summary does.
func opsOpenDetails(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q).closest("details").open = true`, sel))(ctx, t)
		return err
	})
}

// customerOf is the buyer of an order.
func (s *testServer) customerOf(orderID string) string {
	s.t.Helper()
	o := s.get("/v1/orders/" + orderID)
	want(s.t, o, 200)
	return o.str("customer_id")
}

// TestBrowserPortalOnlyOwnDisputes: a buyer sees the disputes about their own orders, never
// another buyer's, and never the merchant's internal notes; staff pages send them back to the
// portal.
func TestBrowserPortalOnlyOwnDisputes(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	ctx := browsertest.New(t)
	mine, ord, _ := s.marketplaceDispute(1234, false)
	theirs, _, _ := s.marketplaceDispute(5678, false)
	const note = "INTERNAL-NOTE buyer has three earlier chargebacks"
	want(t, s.post("/v1/disputes/"+mine+"/notes", map[string]any{"body": note}), 201)
	want(t, s.post("/v1/disputes/"+theirs+"/notes", map[string]any{"body": note}), 201)
	s.user("admin@example.com", actor.Admin, "") // without an admin, sign-in sends everyone to /setup
	pw := s.user("buyer@example.com", actor.Buyer, s.customerOf(ord))

	s.signIn(ctx, "buyer@example.com", pw)
	if p := opsPath(t, ctx); p != "/portal" {
		t.Fatalf("a buyer lands on %s, want /portal", p)
	}
	html := opsHTML(t, ctx)
	if !strings.Contains(html, mine) || !strings.Contains(html, "12.34 USD") {
		t.Errorf("the portal does not list the buyer's dispute %s:\n%s", mine, html)
	}
	if strings.Contains(html, theirs) || strings.Contains(html, "56.78") || strings.Contains(html, note) {
		t.Errorf("the portal shows another buyer's dispute or a note:\n%s", html)
	}

	opsOpen(t, ctx, s.base+"/portal/disputes/"+theirs, "main h1")
	if h := browsertest.Text(t, ctx, "main h1"); h != "Not Found" {
		t.Errorf("another buyer's dispute: %q, want Not Found", h)
	}
	if html := opsHTML(t, ctx); strings.Contains(html, "56.78") || strings.Contains(html, note) || strings.Contains(html, "not as described") {
		t.Errorf("another buyer's dispute leaks:\n%s", html)
	}

	opsOpen(t, ctx, s.base+"/portal/disputes/"+mine, "#status")
	if st := browsertest.Text(t, ctx, "#status"); st != "open" {
		t.Errorf("status %q, want open", st)
	}
	if html := opsHTML(t, ctx); strings.Contains(html, note) || strings.Contains(html, "INTERNAL") {
		t.Errorf("the portal shows an internal note:\n%s", html)
	}

	for _, p := range []string{"/webhooks", "/jobs", "/users"} {
		opsOpen(t, ctx, s.base+p, "main h1")
		if got := opsPath(t, ctx); got != "/portal" {
			t.Errorf("a buyer at %s ends at %s, want /portal", p, got)
		}
	}
}

// TestBrowserPortalEvidence: a buyer adds a statement, a link and a photo to their open
// marketplace dispute, is refused a bad link with the form kept, and then follows the dispute
// through review to its resolution, when the forms are gone.
func TestBrowserPortalEvidence(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	ctx := browsertest.New(t)
	id, ord, _ := s.marketplaceDispute(2500, false)
	s.user("admin@example.com", actor.Admin, "") // without an admin, sign-in sends everyone to /setup
	pw := s.user("buyer@example.com", actor.Buyer, s.customerOf(ord))
	s.signIn(ctx, "buyer@example.com", pw)
	opsOpen(t, ctx, s.base+"/portal", "tr.dispute")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`tr.dispute a`)), chromedp.WaitVisible(chromedp.CSS(`#add-text`)))

	opsAct(t, ctx, "p.notice", "Evidence added.",
		chromedp.SendKeys(chromedp.CSS(`#add-text textarea[name=content]`), "The box arrived empty."),
		chromedp.SendKeys(chromedp.CSS(`#add-text input[name=description]`), "what happened"),
		chromedp.Click(chromedp.CSS(`#add-text button`)))

	// A link that is not http(s) is refused; the form comes back with what was typed.
	opsAct(t, ctx, "p.error", "http or https",
		opsOpenDetails(`#add-link`),
		chromedp.SetValue(chromedp.CSS(`#add-link input[name=content]`), "javascript:alert(1)"),
		chromedp.Submit(chromedp.CSS(`#add-link input[name=content]`)))
	kept, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#add-link input[name=content]`)))
	if err != nil {
		t.Fatal(err)
	}
	if kept != "javascript:alert(1)" {
		t.Errorf("the refused link form kept %q", kept)
	}
	opsAct(t, ctx, "p.notice", "Evidence added.",
		chromedp.SetValue(chromedp.CSS(`#add-link input[name=content]`), "https://track.example.com/parcel/123"),
		chromedp.Click(chromedp.CSS(`#add-link button`)))

	png := filepath.Join(t.TempDir(), "box.png")
	if err := os.WriteFile(png, append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 2000)...), 0o600); err != nil {
		t.Fatal(err)
	}
	opsAct(t, ctx, "p.notice", "Evidence added.",
		opsOpenDetails(`#add-file`),
		chromedp.SetUploadFiles(chromedp.CSS(`#add-file input[type=file]`), []string{png}),
		chromedp.SendKeys(chromedp.CSS(`#add-file input[name=description]`), "photo of the empty box"),
		chromedp.Click(chromedp.CSS(`#add-file button`)))

	items := browsertest.Text(t, ctx, "ol.evidence-list")
	for _, w := range []string{"The box arrived empty.", "what happened", "https://track.example.com/parcel/123", "box.png",
		"image/png", "1.9 KiB", "photo of the empty box", "from the buyer"} {
		if !strings.Contains(items, w) {
			t.Errorf("evidence list lacks %q:\n%s", w, items)
		}
	}
	ev := s.get("/v1/disputes/" + id + "/evidence").list()
	if len(ev) != 3 || ev[2]["type"] != "image" || ev[2]["size"] != float64(2008) || ev[2]["party"] != "buyer" {
		t.Fatalf("evidence stored: %v", ev)
	}

	// Under review: no more evidence from the parties; then the resolution.
	want(t, s.post("/v1/disputes/"+id+"/status", map[string]any{"status": "pending_review"}), 200)
	opsOpen(t, ctx, s.base+"/portal/disputes/"+id, "#status")
	if st := browsertest.Text(t, ctx, "#status"); st != "pending review" { // in words
		t.Errorf("status %q, want pending review", st)
	}
	if html := opsHTML(t, ctx); strings.Contains(html, `id="add-text"`) || !strings.Contains(html, "can no longer be added") {
		t.Errorf("evidence forms offered under review:\n%s", html)
	}
	want(t, s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "favor_buyer", "notes": "The vendor did not answer."}), 200)
	opsOpen(t, ctx, s.base+"/portal/disputes/"+id, "#resolution")
	if st, res, notes := browsertest.Text(t, ctx, "#status"), browsertest.Text(t, ctx, "#resolution-value"), browsertest.Text(t, ctx, "#resolution-notes"); st != "resolved" ||
		res != "favor buyer" || notes != "The vendor did not answer." {
		t.Errorf("resolved dispute shows %q, %q, %q", st, res, notes)
	}
	opsOpen(t, ctx, s.base+"/portal", "tr.dispute")
	if row := browsertest.Text(t, ctx, "tr.dispute"); !strings.Contains(row, "resolved") || !strings.Contains(row, "favor buyer") || !strings.Contains(row, "IPTV 12 months") {
		t.Errorf("portal list row: %q", row)
	}
}

// TestBrowserWebhooksPage: an admin adds an endpoint and sees its secret once, follows a failed
// delivery with its attempts, sends it again, rotates the secret, disables, enables and deletes.
func TestBrowserWebhooksPage(t *testing.T) {
	t.Parallel()
	s, _ := hookServer(t, dbFor(t, "sqlite"))
	rcv := webhooktest.Start(t)
	ctx := browsertest.New(t)
	pw := s.user("ada@example.com", actor.Admin, "")
	s.signIn(ctx, "ada@example.com", pw)

	opsOpen(t, ctx, s.base+"/webhooks", "#new-endpoint")
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
	if p := opsPath(t, ctx); p != "/webhooks" || strings.Contains(p, secret) {
		t.Errorf("the page with the secret is at %q", p)
	}
	if box := browsertest.Text(t, ctx, "#secret-box"); !strings.Contains(box, "copy it now") || !strings.Contains(box, "only this once") {
		t.Errorf("secret box: %q", box)
	}
	eps := s.get("/v1/webhook_endpoints").list()
	if len(eps) != 1 || eps[0]["url"] != rcv.URL+"/hook" || eps[0]["description"] != "accounting" {
		t.Fatalf("endpoints: %v", eps)
	}
	epID := eps[0]["id"].(string)

	opsOpen(t, ctx, s.base+"/webhooks", "#endpoints")
	if row := browsertest.Text(t, ctx, "tr.endpoint"); !strings.Contains(row, epID) || !strings.Contains(row, "dispute.created") || !strings.Contains(row, "enabled") {
		t.Errorf("endpoint row: %q", row)
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`tr.endpoint a`)), chromedp.WaitVisible(chromedp.CSS(`#endpoint-url`)))
	if html := opsHTML(t, ctx); strings.Contains(html, secret) || strings.Contains(html, `id="secret"`) {
		t.Fatal("the secret is shown again")
	}

	// The first attempt fails; the page shows the delivery and its attempt.
	rcv.Setup(secret, 1)
	_, ord, _ := s.sale(1000, "usd")
	want(t, s.post("/v1/disputes", map[string]any{"type": "chargeback", "order_id": ord, "reason": "fraudulent"}), 201)
	s.runJobs()
	opsOpen(t, ctx, s.base+"/webhooks/"+epID, "#deliveries")
	if row := browsertest.Text(t, ctx, "tr.delivery"); !strings.Contains(row, "dispute.created") || !strings.Contains(row, "pending") || !strings.Contains(row, "500") {
		t.Errorf("delivery row after a failure: %q", row)
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`details.attempts summary`)))
	if a := browsertest.Text(t, ctx, "tr.attempt"); !strings.Contains(a, "500") || !strings.Contains(a, "receiver is down for maintenance") {
		t.Errorf("attempt: %q", a)
	}

	opsAct(t, ctx, "p.notice", "queued to be sent again", chromedp.Click(chromedp.CSS(`form.redeliver button`)))
	s.runJobs()
	opsOpen(t, ctx, s.base+"/webhooks/"+epID, "#deliveries")
	if row, n := browsertest.Text(t, ctx, "tr.delivery"), browsertest.Text(t, ctx, "tr.delivery .attempts"); !strings.Contains(row, "delivered") || n != "2" {
		t.Errorf("delivery row after redelivery: %q (attempts %q)", row, n)
	}
	if got := rcv.Deliveries(); len(got) != 2 || got[1].ValidSigs != 1 || got[0].ID != got[1].ID {
		t.Errorf("received: %+v", got)
	}
	if n := strings.Count(opsHTML(t, ctx), `class="attempt"`); n != 2 {
		t.Errorf("%d attempts listed, want 2", n)
	}

	// Rotation shows the new secret once, in the answer.
	opsAct(t, ctx, "#secret", "whsec_", chromedp.Click(chromedp.CSS(`#rotate button`)))
	if rotated := browsertest.Text(t, ctx, "#secret"); !strings.HasPrefix(rotated, "whsec_") || rotated == secret {
		t.Errorf("rotated secret %q (was %q)", rotated, secret)
	}
	if p := opsPath(t, ctx); p != "/webhooks/"+epID+"/rotate" {
		t.Errorf("rotated at %q", p)
	}

	opsOpen(t, ctx, s.base+"/webhooks/"+epID, "#disable")
	opsAct(t, ctx, "p.notice", "Endpoint disabled", chromedp.Click(chromedp.CSS(`#disable button`)))
	browsertest.Wait(t, ctx, "#endpoint-state", "disabled by an admin")
	if s.get("/v1/webhook_endpoints/"+epID).get("enabled") != false {
		t.Error("not disabled")
	}
	opsAct(t, ctx, "p.notice", "Endpoint enabled", chromedp.Click(chromedp.CSS(`#enable button`)))
	if st := browsertest.Text(t, ctx, "#endpoint-state"); st != "enabled" {
		t.Errorf("endpoint state %q, want enabled", st)
	}
	if s.get("/v1/webhook_endpoints/"+epID).get("enabled") != true {
		t.Error("not enabled again")
	}

	opsAct(t, ctx, "p.notice", "deleted",
		chromedp.Click(chromedp.CSS(`details.danger summary`)),
		chromedp.Click(chromedp.CSS(`#delete button`)))
	browsertest.Wait(t, ctx, "p.empty", "No endpoints")
	if n := len(s.get("/v1/webhook_endpoints").list()); n != 0 {
		t.Errorf("%d endpoints after delete", n)
	}
}

// TestBrowserJobsPage: the jobs page lists dead jobs with their error and retries them.
func TestBrowserJobsPage(t *testing.T) {
	t.Parallel()
	c := newClock()
	s := clocked(t, dbFor(t, "sqlite"), c)
	bg := context.Background()
	err := s.main.store.Tx(bg, func(tx store.Tx) error {
		_, err := tx.ScheduleJob(bg, store.Job{ID: "job_broken", Kind: "dispute.deadline", Args: []byte(`{"dispute_id":""}`),
			RunAt: c.Now(), MaxAttempts: 1, CreatedAt: c.Now(), UpdatedAt: c.Now()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s.runJobs()
	ctx := browsertest.New(t)
	pw := s.user("ada@example.com", actor.Admin, "")
	s.signIn(ctx, "ada@example.com", pw)

	opsOpen(t, ctx, s.base+"/jobs", "#jobs")
	row := browsertest.Text(t, ctx, "#job-job_broken")
	if !strings.Contains(row, "dispute.deadline") || !strings.Contains(row, "dead") || !strings.Contains(row, "1 / 1") {
		t.Errorf("dead job row: %q", row)
	}
	if e := browsertest.Text(t, ctx, "#job-job_broken .last-error"); e == "" || e == "—" {
		t.Errorf("dead job without its error: %q", e)
	}
	opsAct(t, ctx, "p.notice", "scheduled to run again",
		chromedp.Click(chromedp.CSS(`#job-job_broken form.retry button`)))
	browsertest.Wait(t, ctx, "#no-jobs", "No dead jobs")
	if j := s.get("/v1/jobs/job_broken"); j.str("state") != "scheduled" || j.num("attempts") != 0 {
		t.Errorf("retried job: %s", j.raw)
	}
	opsOpen(t, ctx, s.base+"/jobs?state=scheduled", "#jobs")
	if row := browsertest.Text(t, ctx, "#job-job_broken"); !strings.Contains(row, "scheduled") || strings.Contains(row, "Retry") {
		t.Errorf("scheduled job row: %q", row)
	}
}
