package main

import (
	"bytes"
	"context"
	"disputed/internal/testenv/browsertest"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
)

// The admin UI: dashboard, dispute list, dispute and order pages, driven in Chromium for what
// people do (the modals, the manual line confirmation, evidence, resolutions) and over plain
// HTTP for what the server must refuse (no CSRF token, bad uploads) and for the figures.

// adminBrowser starts a server and a browser signed in as an admin.
func adminBrowser(t *testing.T) (*testServer, context.Context) {
	t.Helper()
	s := startServer(t, "sqlite", nil)
	ctx := browsertest.New(t)
	pw := s.user("admin@example.com", actor.Admin, "")
	s.signIn(ctx, "admin@example.com", pw)
	return s, ctx
}

// manualSale is a completed, charged order whose one item is a service line on the built-in
// manual panel; it returns the customer, order and charge ids.
func (s *testServer) manualSale(externalID string) (string, string, string) {
	s.t.Helper()
	return s.sale(1500, "USD", map[string]any{"panel": "manual", "external_id": externalID})
}

func TestBrowserAdminOpenDisputeFromOrderAndConfirmLine(t *testing.T) {
	t.Parallel()
	s, ctx := adminBrowser(t)
	_, ord, _ := s.manualSale("vm-17")

	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/orders/"+ord), chromedp.WaitVisible(chromedp.CSS("#open-dispute-button")))
	if browsertest.Eval[bool](t, ctx, `getComputedStyle(document.querySelector("#open-dispute")).display !== "none"`) {
		t.Fatal("the Open Dispute modal shows before its button was clicked")
	}
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#open-dispute-button")),
		chromedp.WaitVisible(chromedp.CSS("#dispute-reason")),
		chromedp.SetValue(chromedp.CSS("#dispute-reason"), "product_not_received"),
		chromedp.SendKeys(chromedp.CSS("#dispute-description"), "PayPal case: item not received"),
		chromedp.SendKeys(chromedp.CSS("#dispute-reference"), "PP-D-4711"),
		chromedp.SetValue(chromedp.CSS("#dispute-due"), "2099-03-04T05:06"),
		chromedp.Click(chromedp.CSS(`#open-dispute input[name=confirm]`)),
	)
	browsertest.Submit(t, ctx, `#open-dispute button[type=submit]`, "#dispute-indicator", "Active dispute")
	browsertest.Wait(t, ctx, "p.notice", "opened")
	browsertest.Wait(t, ctx, "#dispute-indicator", "needs response")

	o := s.get("/v1/orders/" + ord)
	dsp := o.str("dispute_id")
	if dsp == "" || o.str("dispute_status") != "needs_response" {
		t.Fatalf("order after the modal: %s", o.raw)
	}
	d := s.get("/v1/disputes/" + dsp)
	if d.str("type") != "manual" || d.str("reason") != "product_not_received" || d.str("description") != "PayPal case: item not received" ||
		d.str("due_by") != "2099-03-04T05:06:00Z" {
		t.Fatalf("dispute opened by the modal: %s", d.raw)
	}

	// The manual panel cannot suspend the line by itself: the admin does it and confirms.
	browsertest.Wait(t, ctx, "#line-table", "I have done this in the panel")
	browsertest.Wait(t, ctx, "#line-table", "suspend")
	if l := lineOf(s, ord); l["pending_action"] != "suspend" || l["manual"] != true {
		t.Fatalf("line before the confirmation: %v", l)
	}
	browsertest.Submit(t, ctx, "form.confirm-line button", "p.notice", "suspended")
	browsertest.Wait(t, ctx, "#line-table .line-state", "suspended")
	if l := lineOf(s, ord); l["state"] != "suspended" || l["pending_action"] != nil && l["pending_action"] != "" {
		t.Fatalf("line after the confirmation: %v", l)
	}
	if got := browsertest.Eval[int](t, ctx, `document.querySelectorAll("form.confirm-line").length`); got != 0 {
		t.Fatalf("%d confirmation forms left after confirming", got)
	}

	// The dispute page shows the same dispute, with what the modal gave.
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#dispute-indicator")), chromedp.WaitVisible(chromedp.CSS("#external-reference")))
	browsertest.Wait(t, ctx, "#dispute-indicator", "Active dispute")
	browsertest.Wait(t, ctx, "#external-reference", "PP-D-4711")
	// A manual dispute carrying a PayPal case number links to the case at PayPal.
	browsertest.Wait(t, ctx, "#provider-link", "Open in paypal")
	if href := browsertest.Eval[string](t, ctx, `document.querySelector("#provider-link").href`); href != "https://www.paypal.com/resolutioncenter/PP-D-4711" {
		t.Errorf("the manual PayPal case links to %q", href)
	}
	browsertest.Wait(t, ctx, "#dispute-channel", "entered by hand")
	browsertest.Wait(t, ctx, "#defendable", "yes, until 4 Mar 2099 05:06 UTC")
	browsertest.Wait(t, ctx, "#evidence-deadline", "4 Mar 2099 05:06 UTC")
	browsertest.Wait(t, ctx, "#line-table .line-state", "suspended")
	browsertest.Wait(t, ctx, "#payment-flag", "Active Dispute")
}

func TestBrowserAdminEvidenceAndResolve(t *testing.T) {
	t.Parallel()
	s, ctx := adminBrowser(t)
	_, ord, _ := s.sale(2500, "EUR")
	d := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "bank letter"})
	want(t, d, 201)
	id := d.str("id")

	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/disputes/"+id), chromedp.WaitVisible(chromedp.CSS("#item-form")))
	for i, want := range []string{"Status", "Order items", "Payment", "Admin notes", "Dispute details", "Timeline", "Customer emails"} {
		got := browsertest.Eval[string](t, ctx, fmt.Sprintf(`Array.from(document.querySelectorAll("h2")).filter(h => h.querySelector(".num"))[%d].textContent`, i))
		if !strings.Contains(got, fmt.Sprint(i+1)) || !strings.Contains(got, want) {
			t.Fatalf("section %d is %q, want %q", i+1, got, want)
		}
	}

	// An appended text item.
	browsertest.Do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#item-type"), "text"),
		chromedp.SendKeys(chromedp.CSS("#item-content"), "Delivery confirmed by the courier on 3 March."),
		chromedp.SendKeys(chromedp.CSS("#item-description"), "courier note"),
	)
	browsertest.Submit(t, ctx, "#item-form button[type=submit]", "p.notice", "Evidence added")
	browsertest.Wait(t, ctx, "#evidence-items", "Delivery confirmed by the courier")

	// A staged field, then the submission.
	browsertest.Do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#stage-field"), "uncategorized_text"),
		chromedp.SendKeys(chromedp.CSS("#stage-value"), "The customer signed for the parcel."),
	)
	browsertest.Submit(t, ctx, "#stage-form button[type=submit]", "p.notice", "staged")
	browsertest.Wait(t, ctx, "#staged", "The customer signed for the parcel.")
	browsertest.Wait(t, ctx, "#staged-state", "not submitted")
	browsertest.Submit(t, ctx, "#submit-form button", "p.notice", "Evidence submitted")
	browsertest.Wait(t, ctx, "#dispute-status", "under review")
	browsertest.Wait(t, ctx, "#staged-state", "Submitted (1 time(s))")
	got := s.get("/v1/disputes/" + id)
	if got.str("status") != "under_review" || got.get("evidence", "uncategorized_text") != "The customer signed for the parcel." {
		t.Fatalf("dispute after the submission: %s", got.raw)
	}

	// Only the resolutions of a manual dispute are offered.
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#resolve-button")), chromedp.WaitVisible(chromedp.CSS("#resolve-notes")))
	offered := browsertest.Eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#resolve input[name=resolution]")).map(e => e.value)`)
	if !slices.Equal(offered, []string{"won", "lost"}) {
		t.Fatalf("resolutions offered: %v", offered)
	}
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`#resolve input[value=won]`)),
		chromedp.SendKeys(chromedp.CSS("#resolve-notes"), "bank sided with us"),
		chromedp.Click(chromedp.CSS(`#resolve input[name=confirm]`)),
	)
	browsertest.Submit(t, ctx, "#resolve button[type=submit]", "p.notice", "resolved")
	browsertest.Wait(t, ctx, "#dispute-indicator", "Dispute ended")
	browsertest.Wait(t, ctx, "#resolution", "won")
	got = s.get("/v1/disputes/" + id)
	if got.str("status") != "won" || got.str("resolution") != "won" || got.str("resolution_notes") != "bank sided with us" {
		t.Fatalf("dispute after the resolution: %s", got.raw)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#resolve, #concede, #item-form, #stage-form").length`); n != 0 {
		t.Fatalf("an ended dispute still offers %d forms", n)
	}
}

func TestBrowserAdminVoidAndNotes(t *testing.T) {
	t.Parallel()
	s, ctx := adminBrowser(t)
	_, ord, _ := s.manualSale("vm-9")
	dsp := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "chargeback letter"})
	want(t, dsp, 201)

	// A note on the dispute.
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/disputes/"+dsp.str("id")), chromedp.WaitVisible(chromedp.CSS("#note-body")))
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#note-body"), "Called the bank, they want the invoice."))
	browsertest.Submit(t, ctx, "#note-form button", "p.notice", "Note added")
	browsertest.Wait(t, ctx, "#note-list", "Called the bank, they want the invoice.")

	// The void modal refuses to go without a reason: the browser first.
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/orders/"+ord), chromedp.WaitVisible(chromedp.CSS("#void-button")))
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#void-button")), chromedp.WaitVisible(chromedp.CSS("#void-reason-input")))
	browsertest.Wait(t, ctx, "#void", "cannot be undone")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`#void input[name=confirm]`)), chromedp.Click(chromedp.CSS(`#void button[type=submit]`)))
	time.Sleep(200 * time.Millisecond)
	if !browsertest.Eval[bool](t, ctx, `document.querySelector("#void-reason-input").validity.valueMissing && location.pathname.endsWith("/orders/`+ord+`")`) {
		t.Fatalf("the browser sent the void form without a reason (now at %s)", browsertest.Eval[string](t, ctx, "location.href"))
	}
	if st := s.get("/v1/orders/" + ord).str("status"); st != "completed" {
		t.Fatalf("order after a void without a reason: %s", st)
	}

	// Then the server, for a form sent without the browser's checks.
	browsertest.Do(t, ctx, browsertest.JS(`document.querySelector("#void form").noValidate = true`))
	browsertest.Submit(t, ctx, "#void button[type=submit]", "#void .error", "Give the reason")
	if !browsertest.Eval[bool](t, ctx, `getComputedStyle(document.querySelector("#void")).display !== "none"`) {
		t.Fatal("the refused void form is not shown again")
	}
	if st := s.get("/v1/orders/" + ord).str("status"); st != "completed" {
		t.Fatalf("order after a void the server refused: %s", st)
	}

	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#void-reason-input"), "fraudulent order, card reported stolen"),
		browsertest.JS(`document.querySelector("#void input[name=confirm]").checked = true`),
	)
	browsertest.Submit(t, ctx, "#void button[type=submit]", "p.notice", "Order voided")
	browsertest.Wait(t, ctx, "#void-reason", "fraudulent order, card reported stolen")
	browsertest.Wait(t, ctx, ".page-head", "voided")
	o := s.get("/v1/orders/" + ord)
	if o.str("status") != "voided" || o.str("dispute_id") != "" {
		t.Fatalf("order after the void: %s", o.raw)
	}
	if d := s.get("/v1/disputes/" + dsp.str("id")); d.str("status") != "closed" || d.str("resolution") != "voided" {
		t.Fatalf("the open dispute after the void: %s", d.raw)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#void-button, #open-dispute-button, #void, #open-dispute").length`); n != 0 {
		t.Fatalf("a voided order still offers %d actions", n)
	}
}

// adminXSS is markup that must stay text: an element of its own or a script that runs is a hole.
const adminXSS = `<script>window.adminXSS=1</script><img src=x id=adminxss onerror="window.adminXSS=1"><b id=adminb>bold</b>`

// adminInert fails when adminXSS became markup on the page, or is not shown as text.
func adminInert(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	res := browsertest.Eval[string](t, ctx, `document.querySelectorAll("details").forEach(d => d.open = true);
	JSON.stringify({
		injected: document.querySelectorAll('#adminxss, #adminb, img[src="x"], script:not([src])').length,
		ran: !!window.adminXSS,
		text: document.body.innerText})`)
	var got struct {
		Injected int
		Ran      bool
		Text     string
	}
	if err := json.Unmarshal([]byte(res), &got); err != nil {
		t.Fatal(err)
	}
	if got.Injected != 0 || got.Ran {
		t.Errorf("%s: the payload became markup (%d elements, script ran %v)", where, got.Injected, got.Ran)
	}
	if !strings.Contains(got.Text, adminXSS) {
		t.Errorf("%s does not show the payload as text:\n%s", where, got.Text)
	}
}

func TestBrowserAdminXSSInert(t *testing.T) {
	t.Parallel()
	s, ctx := adminBrowser(t)
	c := s.post("/v1/customers", map[string]any{"email": "mallory@example.com", "name": adminXSS})
	want(t, c, 201)
	o := s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "currency": "USD",
		"items": []any{map[string]any{"description": adminXSS, "amount": 900, "quantity": 1, "line": map[string]any{"panel": "manual", "external_id": "x-1"}}}})
	want(t, o, 201)
	ord := o.str("id")
	want(t, s.post("/v1/orders/"+ord+"/complete", nil), 200)
	want(t, s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 900, "currency": "USD", "order_id": ord}), 201)

	// The reason goes in through the modal, the note and the evidence through the dispute page.
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/orders/"+ord+"#open-dispute"), chromedp.WaitVisible(chromedp.CSS("#dispute-reason")))
	adminInert(t, ctx, "order page")
	browsertest.Do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#dispute-reason"), "general"),
		chromedp.SetValue(chromedp.CSS("#dispute-description"), adminXSS),
		chromedp.SetValue(chromedp.CSS("#dispute-reference"), "ref"+adminXSS),
		chromedp.Click(chromedp.CSS(`#open-dispute input[name=confirm]`)),
	)
	browsertest.Submit(t, ctx, `#open-dispute button[type=submit]`, "#dispute-indicator", "Active dispute")
	dsp := s.get("/v1/orders/" + ord).str("dispute_id")
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/disputes/"+dsp), chromedp.WaitVisible(chromedp.CSS("#note-body")))
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#note-body"), adminXSS))
	browsertest.Submit(t, ctx, "#note-form button", "p.notice", "Note added")
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#item-type"), "text"), chromedp.SetValue(chromedp.CSS("#item-content"), adminXSS),
		chromedp.SetValue(chromedp.CSS("#item-description"), adminXSS))
	browsertest.Submit(t, ctx, "#item-form button[type=submit]", "p.notice", "Evidence added")
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#stage-field"), "product_description"), chromedp.SetValue(chromedp.CSS("#stage-value"), adminXSS))
	browsertest.Submit(t, ctx, "#stage-form button[type=submit]", "p.notice", "staged")

	for _, sel := range []string{"#customer-name", "#line-table .item-description", "#dispute-description", "#note-list", "#evidence-items", "#staged", "#external-reference"} {
		browsertest.Wait(t, ctx, sel, adminXSS)
	}
	adminInert(t, ctx, "dispute page")
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/orders/"+ord), chromedp.WaitVisible(chromedp.CSS("#void-button")))
	adminInert(t, ctx, "order page with its dispute")
	for _, page := range []string{"/disputes", "/disputes?q=" + url.QueryEscape(adminXSS), "/"} {
		browsertest.Do(t, ctx, chromedp.Navigate(s.base+page), chromedp.WaitVisible(chromedp.CSS("main h1")))
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#adminxss, #adminb, img[src="x"], script:not([src])').length + (window.adminXSS ? 1 : 0)`); n != 0 {
			t.Errorf("%s: the payload became markup", page)
		}
	}
}

// adminForms is a signed-in session driven over plain HTTP, for status codes and for what a
// request changed.
type adminForms struct {
	t    testing.TB
	s    *testServer
	c    *http.Client
	csrf string
}

var adminCSRF = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (s *testServer) adminForms(t testing.TB, role actor.Role) *adminForms {
	t.Helper()
	return s.partyForms(t, role, "")
}

// partyForms is a user of the role signed in, acting for party when it is a buyer or vendor.
func (s *testServer) partyForms(t testing.TB, role actor.Role, party string) *adminForms {
	t.Helper()
	email := string(role) + party + "@example.com"
	pw := s.user(email, role, party)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	f := &adminForms{t: t, s: s, c: &http.Client{Jar: jar, Transport: s.client.Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	_, body, _ := f.get("/login")
	m := adminCSRF.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on the sign-in page:\n%s", body)
	}
	if status, _, _ := f.send(http.MethodPost, "/login", url.Values{"csrf_token": {m[1]}, "email": {email}, "password": {pw}}.Encode(),
		"application/x-www-form-urlencoded"); status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", status)
	}
	home := "/disputes"
	if party != "" {
		home = "/portal"
	}
	_, body, _ = f.get(home)
	if m = adminCSRF.FindStringSubmatch(body); m == nil {
		t.Fatalf("no CSRF token after sign-in:\n%s", body)
	}
	f.csrf = m[1]
	return f
}

func (f *adminForms) send(method, path, body, contentType string) (int, string, string) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.s.base+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := f.c.Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return res.StatusCode, string(b), res.Header.Get("Location")
}

func (f *adminForms) get(path string) (int, string, string) {
	f.t.Helper()
	return f.send(http.MethodGet, path, "", "")
}

// post sends the form as given: add csrf_token for a valid one (see signed).
func (f *adminForms) post(path string, form url.Values) (int, string, string) {
	f.t.Helper()
	return f.send(http.MethodPost, path, form.Encode(), "application/x-www-form-urlencoded")
}

// signed is form with the session's CSRF token.
func (f *adminForms) signed(form url.Values) url.Values {
	out := url.Values{"csrf_token": {f.csrf}}
	for k, v := range form {
		out[k] = v
	}
	return out
}

// upload sends a multipart evidence form with a file.
func (f *adminForms) upload(path string, form url.Values, name string, data []byte) (int, string, string) {
	f.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, vs := range form {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		f.t.Fatal(err)
	}
	_, _ = part.Write(data)
	_ = w.Close()
	return f.send(http.MethodPost, path, b.String(), w.FormDataContentType())
}

// adminState is what the admin forms can change, as the API shows it.
func (s *testServer) adminState(ord, dsp string) string {
	s.t.Helper()
	var b strings.Builder
	for _, p := range []string{"/v1/orders/" + ord, "/v1/disputes/" + dsp, "/v1/disputes/" + dsp + "/evidence",
		"/v1/disputes/" + dsp + "/notes", "/v1/disputes/" + dsp + "/timeline"} {
		r := s.get(p)
		want(s.t, r, 200)
		b.Write(r.raw)
		b.WriteByte('\n')
	}
	return b.String()
}

// TestUIAdminCSRF: every admin form is refused with 403 without the session's CSRF token (none
// or a wrong one) and changes nothing.
func TestUIAdminCSRF(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	f := s.adminForms(t, actor.Admin)
	_, ord, _ := s.manualSale("vm-1")
	d := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "letter"})
	want(t, d, 201)
	dsp := d.str("id")
	line := lineOf(s, ord)["id"].(string)
	rev := fmt.Sprint(d.num("revision"))
	forms := []struct {
		path string
		form url.Values
	}{
		{"/orders/" + ord + "/void", url.Values{"reason": {"fraud"}, "confirm": {"yes"}}},
		{"/orders/" + ord + "/dispute", url.Values{"reason": {"again"}, "confirm": {"yes"}}},
		{"/lines/" + line + "/confirm", url.Values{"action": {"suspend"}, "back": {"/orders/" + ord}}},
		{"/disputes/" + dsp + "/notes", url.Values{"body": {"a note"}}},
		{"/disputes/" + dsp + "/evidence", url.Values{"type": {"text"}, "content": {"proof"}, "revision": {rev}}},
		{"/disputes/" + dsp + "/staged", url.Values{"field": {"uncategorized_text"}, "value": {"x"}, "submit": {"yes"}, "revision": {rev}}},
		{"/disputes/" + dsp + "/submit", url.Values{"revision": {rev}}},
		{"/disputes/" + dsp + "/concede", url.Values{"confirm": {"yes"}, "revision": {rev}}},
		{"/disputes/" + dsp + "/status", url.Values{"status": {"under_review"}, "revision": {rev}}},
		{"/disputes/" + dsp + "/resolve", url.Values{"resolution": {"lost"}, "confirm": {"yes"}, "revision": {rev}}},
	}
	before := s.adminState(ord, dsp)
	for _, tt := range forms {
		for _, token := range []string{"", "forged-" + f.csrf} {
			form := url.Values{}
			for k, v := range tt.form {
				form[k] = v
			}
			if token != "" {
				form.Set("csrf_token", token)
			}
			if status, _, _ := f.post(tt.path, form); status != http.StatusForbidden {
				t.Errorf("POST %s with token %q: %d, want 403", tt.path, token, status)
			}
		}
		if status, _, _ := f.upload(tt.path, tt.form, "proof.txt", []byte("proof")); status != http.StatusForbidden {
			t.Errorf("POST %s as multipart without a token: %d, want 403", tt.path, status)
		}
	}
	if after := s.adminState(ord, dsp); after != before {
		t.Fatalf("forms without the CSRF token changed something:\nbefore %s\nafter %s", before, after)
	}
	// The same forms with the token work (the note stands for them all).
	if status, _, loc := f.post("/disputes/"+dsp+"/notes", f.signed(url.Values{"body": {"a note"}})); status != http.StatusSeeOther ||
		!strings.HasPrefix(loc, "/disputes/"+dsp+"?done=") {
		t.Fatalf("note with the token: %d %s", status, loc)
	}
	if n := len(s.get("/v1/disputes/" + dsp + "/notes").list()); n != 1 {
		t.Fatalf("%d notes after one", n)
	}
}

// TestUIAdminFormsRefused: what the browser's checks would stop is refused by the server too,
// an agent may not void, and a stale page cannot overwrite a newer change.
func TestUIAdminFormsRefused(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	admin := s.adminForms(t, actor.Admin)
	agent := s.adminForms(t, actor.Agent)
	_, ord, _ := s.manualSale("vm-2")
	before := s.get("/v1/orders/" + ord).raw
	for _, form := range []url.Values{
		{"reason": {"   "}, "confirm": {"yes"}},
		{"reason": {"fraud"}},
		{"reason": {strings.Repeat("x", 501)}, "confirm": {"yes"}},
	} {
		status, body, _ := admin.post("/orders/"+ord+"/void", admin.signed(form))
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `class="modal shown"`) {
			t.Errorf("void %v: %d, want 422 with the modal open again", form, status)
		}
	}
	if status, _, _ := agent.post("/orders/"+ord+"/void", agent.signed(url.Values{"reason": {"fraud"}, "confirm": {"yes"}})); status != http.StatusForbidden {
		t.Errorf("void by an agent: %d, want 403", status)
	}
	if _, body, _ := agent.get("/orders/" + ord); strings.Contains(body, `id="void-button"`) {
		t.Error("an agent is offered the Void button")
	}
	for _, form := range []url.Values{
		{"reason": {""}, "confirm": {"yes"}},
		{"reason": {"case"}},
		{"reason": {"case"}, "confirm": {"yes"}, "evidence_due_by": {"next tuesday"}},
		{"reason": {"case"}, "confirm": {"yes"}, "evidence_due_by": {"2001-01-01T00:00"}},
	} {
		if status, _, _ := admin.post("/orders/"+ord+"/dispute", admin.signed(form)); status != http.StatusUnprocessableEntity {
			t.Errorf("open dispute %v: %d, want 422", form, status)
		}
	}
	if after := s.get("/v1/orders/" + ord).raw; !bytes.Equal(after, before) {
		t.Fatalf("refused forms changed the order:\n%s\n%s", before, after)
	}

	d := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "letter"})
	want(t, d, 201)
	dsp, rev := d.str("id"), fmt.Sprint(d.num("revision"))
	want(t, s.post("/v1/disputes/"+dsp+"/notes", map[string]any{"body": "bump nothing"}), 201)
	want(t, s.post("/v1/disputes/"+dsp, map[string]any{"revision": d.num("revision"), "tags": []string{"vip"}}), 200)
	status, body, _ := admin.post("/disputes/"+dsp+"/resolve", admin.signed(url.Values{"resolution": {"lost"}, "confirm": {"yes"}, "revision": {rev}}))
	if status != http.StatusConflict || !strings.Contains(body, "Someone changed this dispute") {
		t.Fatalf("resolve from a stale page: %d", status)
	}
	status, _, _ = admin.post("/disputes/"+dsp+"/resolve", admin.signed(url.Values{"resolution": {"favor_vendor"}, "confirm": {"yes"}}))
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("a marketplace resolution on a manual dispute: %d, want 422", status)
	}
	if got := s.get("/v1/disputes/" + dsp); got.str("status") != "needs_response" {
		t.Fatalf("refused resolutions changed the dispute: %s", got.raw)
	}
}

// TestUIAdminEvidenceUpload: files are limited in size and kind, checked on their content.
func TestUIAdminEvidenceUpload(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	f := s.adminForms(t, actor.Admin)
	_, ord, _ := s.sale(1000, "USD")
	d := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "letter"})
	want(t, d, 201)
	path := "/disputes/" + d.str("id") + "/evidence"
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
	tests := []struct {
		name   string
		typ    string
		file   string
		data   []byte
		status int
	}{
		{"too large", "file", "big.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 10<<20)...), http.StatusRequestEntityTooLarge},
		{"an executable", "file", "setup.pdf", append([]byte("MZ\x90\x00"), make([]byte, 600)...), http.StatusUnsupportedMediaType},
		{"html", "file", "page.txt", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), http.StatusUnsupportedMediaType},
		{"a PDF as an image", "image", "scan.png", []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n"), http.StatusUnprocessableEntity},
		{"a file on a text item", "text", "note.txt", []byte("hello"), http.StatusUnprocessableEntity},
		{"empty", "file", "empty.pdf", nil, http.StatusUnprocessableEntity},
		{"an image", "image", "receipt.png", png, http.StatusSeeOther},
		{"a PDF", "file", "invoice.pdf", []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n"), http.StatusSeeOther},
	}
	for _, tt := range tests {
		status, body, _ := f.upload(path, f.signed(url.Values{"type": {tt.typ}}), tt.file, tt.data)
		if status != tt.status {
			t.Errorf("%s: %d, want %d\n%s", tt.name, status, tt.status, body)
		}
	}
	items := s.get("/v1/disputes/" + d.str("id") + "/evidence").list()
	if len(items) != 2 || items[0]["content_type"] != "image/png" || items[1]["file_name"] != "invoice.pdf" {
		t.Fatalf("evidence after the uploads: %v", items)
	}
	if status, body, _ := f.upload(path, f.signed(url.Values{"type": {"file"}}), "x.pdf", []byte("%PDF-1.4\n")); status != http.StatusSeeOther {
		t.Fatalf("a small PDF: %d %s", status, body)
	}
	if _, body, _ := f.get("/disputes/" + d.str("id")); !strings.Contains(body, "invoice.pdf") || !strings.Contains(body, "image/png") {
		t.Fatal("the dispute page does not list the uploaded files")
	}
}

var listedIDs = regexp.MustCompile(`<td(?: class="ids")?><a href="/disputes/(dsp_[^"]+)">`)

// TestUIAdminDashboardAndList: the dashboard's figures, and the list's filters, search, order
// and pages, against a clock the test holds still.
func TestUIAdminDashboardAndList(t *testing.T) {
	t.Parallel()
	c := newClock()
	s := clocked(t, dbFor(t, "sqlite"), c)
	f := s.adminForms(t, actor.Admin)
	now := c.Now()
	chargeback := func(amount int64, cur string, due time.Duration, set map[string]any) string {
		_, _, ch := s.sale(amount, cur)
		body := map[string]any{"type": "chargeback", "transaction_id": ch, "due_by": now.Add(due).Format(time.RFC3339)}
		for k, v := range set {
			body[k] = v
		}
		d := s.post("/v1/disputes", body)
		want(t, d, 201)
		return d.str("id")
	}
	overdue := chargeback(1000, "USD", -time.Hour, map[string]any{"provider": "stripe", "provider_dispute_id": "dp_1Abc"})
	soon := chargeback(2000, "USD", 5*time.Hour, map[string]any{"case_number": "CASE-77"})
	later := chargeback(3000, "EUR", 50*time.Hour, map[string]any{"tags": []string{"vip"}})
	far := chargeback(500, "EUR", 30*24*time.Hour, nil)
	reviewed := chargeback(700, "USD", 2*time.Hour, nil)
	want(t, s.post("/v1/disputes/"+reviewed, map[string]any{"revision": 1, "evidence": map[string]any{"uncategorized_text": "x"}, "submit": true}), 200)
	won := chargeback(100, "USD", 10*24*time.Hour, nil)
	want(t, s.post("/v1/disputes/"+won+"/resolve", map[string]any{"resolution": "won"}), 200)
	lost := chargeback(100, "USD", 10*24*time.Hour, nil)
	want(t, s.post("/v1/disputes/"+lost+"/close", nil), 200)
	_, manualOrd, _ := s.manualSale("vm-dash")
	want(t, s.post("/v1/orders/"+manualOrd+"/dispute", map[string]any{"reason": "general", "description": "letter"}), 201)

	_, body, _ := f.get("/")
	count := func(id string) string {
		m := regexp.MustCompile(`id="` + id + `">(\d+)<`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no %s on the dashboard", id)
		}
		return m[1]
	}
	// Under review (reviewed) is due in 2 h but nobody has to act: not counted.
	for id, want := range map[string]string{"count-overdue": "1", "count-due24": "1", "count-due72": "1", "count-open": "6"} {
		if got := count(id); got != want {
			t.Errorf("%s = %s, want %s", id, got, want)
		}
	}
	for _, want := range []string{"<td>EUR</td><td class=\"num\">2</td><td class=\"num\">35.00 EUR</td>",
		"<td>USD</td><td class=\"num\">4</td><td class=\"num\">52.00 USD</td>",
		"<td>30 days</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">50 %</td>",
		`href="/orders/` + manualOrd + `"`, "vm-dash"} {
		if !strings.Contains(body, want) {
			t.Errorf("the dashboard lacks %q", want)
		}
	}
	urgent := listedIDs.FindAllStringSubmatch(body, -1)
	if got := adminIDs(urgent); !slices.Equal(got, []string{overdue, soon, later}) {
		t.Errorf("due soon on the dashboard: %v, want %v", got, []string{overdue, soon, later})
	}

	_, body, _ = f.get("/disputes/" + overdue)
	if !strings.Contains(body, `href="https://dashboard.stripe.com/disputes/dp_1Abc"`) || !strings.Contains(body, "overdue by 1 h") {
		t.Error("the dispute page lacks the Stripe dashboard link or the overdue badge")
	}

	customer := s.get("/v1/disputes/" + soon).str("customer_id")
	email := s.get("/v1/customers/" + customer).str("email")
	tests := []struct {
		query string
		want  []string
	}{
		{"provider=stripe", []string{overdue}},
		{"q=" + url.QueryEscape(strings.ToUpper(email)), []string{soon}},
		{"q=case-77", []string{soon}},
		{"q=" + won, []string{won}},
		{"status=lost", []string{lost}},
		{"tag=vip", []string{later}},
		{"due=overdue", []string{overdue}},
		{"due=24h&sort=due", []string{reviewed, soon}},
		{"due=72h&sort=amount", []string{later, soon, reviewed}},
		{"due_before=" + now.Add(24*time.Hour).Format("2006-01-02") + "&open=1&sort=due", []string{overdue, reviewed, soon}},
		{"open=1&sort=due&type=chargeback", []string{overdue, reviewed, soon, later, far}},
	}
	for _, tt := range tests {
		_, body, _ := f.get("/disputes?" + tt.query)
		if got := adminIDs(listedIDs.FindAllStringSubmatch(body, -1)); !slices.Equal(got, tt.want) {
			t.Errorf("/disputes?%s: %v, want %v", tt.query, got, tt.want)
		}
	}
	_, body, _ = f.get("/disputes?due=overdue")
	if !strings.Contains(body, `class="badge deadline overdue"`) {
		t.Error("the list has no overdue badge")
	}

	for i := range 30 {
		chargeback(100, "USD", 40*24*time.Hour, map[string]any{"case_number": fmt.Sprintf("bulk-%d", i)})
	}
	_, body, _ = f.get("/disputes?q=bulk")
	first := adminIDs(listedIDs.FindAllStringSubmatch(body, -1))
	if len(first) != 25 || !strings.Contains(body, `href="/disputes?page=2&amp;q=bulk"`) {
		t.Fatalf("first page of 30: %d rows, next link present %v", len(first), strings.Contains(body, "page=2"))
	}
	_, body, _ = f.get("/disputes?q=bulk&page=2")
	second := adminIDs(listedIDs.FindAllStringSubmatch(body, -1))
	if len(second) != 5 || slices.Contains(first, second[0]) || strings.Contains(body, "page=3") {
		t.Fatalf("second page: %v", second)
	}
}

func adminIDs(matches [][]string) []string {
	out := []string{}
	for _, m := range matches {
		out = append(out, m[1])
	}
	return out
}

// TestUIAdminMarketplace: a marketplace dispute goes through its review, is resolved with a
// partial refund given in the currency's decimals, and is closed, all through the page's forms.
func TestUIAdminMarketplace(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	f := s.adminForms(t, actor.Admin)
	dsp, ord, _ := s.marketplaceDispute(1500, false)
	path := "/disputes/" + dsp
	step := func(action string, form url.Values, wantStatus int) {
		t.Helper()
		form.Set("revision", fmt.Sprint(s.get("/v1/disputes/"+dsp).num("revision")))
		if status, body, _ := f.post(path+"/"+action, f.signed(form)); status != wantStatus {
			t.Fatalf("%s %v: %d, want %d\n%s", action, form, status, wantStatus, body)
		}
	}
	_, body, _ := f.get(path)
	for _, want := range []string{`value="pending_review"`, `id="item-form"`} {
		if !strings.Contains(body, want) {
			t.Errorf("an open marketplace dispute's page lacks %s", want)
		}
	}
	if strings.Contains(body, `id="resolve"`) || strings.Contains(body, `id="stage-form"`) {
		t.Error("an open marketplace dispute offers a resolution or the evidence dictionary")
	}
	step("status", url.Values{"status": {"pending_review"}, "note": {"both sides heard"}}, http.StatusSeeOther)
	_, body, _ = f.get(path)
	for _, res := range []string{"full_refund", "partial_refund", "favor_vendor", "favor_buyer", "mutual_agreement"} {
		if !strings.Contains(body, `name="resolution" value="`+res+`"`) {
			t.Errorf("resolution %s is not offered", res)
		}
	}
	if strings.Contains(body, `value="won"`) {
		t.Error("a chargeback resolution is offered on a marketplace dispute")
	}
	step("resolve", url.Values{"resolution": {"partial_refund"}, "refund_amount": {"5.005"}, "confirm": {"yes"}}, http.StatusUnprocessableEntity)
	step("resolve", url.Values{"resolution": {"partial_refund"}, "refund_amount": {"5.00"}, "terminate_lines": {"yes"},
		"notes": {"half the month"}, "confirm": {"yes"}}, http.StatusSeeOther)
	o := s.get("/v1/orders/" + ord)
	if o.str("status") != "partially_refunded" {
		t.Fatalf("order after a partial refund: %s", o.raw)
	}
	step("concede", url.Values{"note": {"done"}}, http.StatusUnprocessableEntity) // not confirmed
	step("concede", url.Values{"note": {"done"}, "confirm": {"yes"}}, http.StatusSeeOther)
	if d := s.get("/v1/disputes/" + dsp); d.str("status") != "closed" || d.str("resolution") != "partial_refund" {
		t.Fatalf("dispute after closing: %s", d.raw)
	}
}

// TestUIEvidenceUploadLeavesNoTemporaryFile uploads a file larger than what a form keeps in
// memory, accepted and refused: no temporary file stays on the server's disk afterwards (a
// buyer's key repeating uploads would otherwise fill it). Not parallel: TMPDIR is the process's.
func TestUIEvidenceUploadLeavesNoTemporaryFile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	s := startServer(t, "sqlite", nil)
	f := s.adminForms(t, actor.Admin)
	_, ord, _ := s.sale(1000, "USD")
	d := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "letter"})
	want(t, d, 201)
	path := "/disputes/" + d.str("id") + "/evidence"
	pdf := append([]byte("%PDF-1.4\n"), make([]byte, 3<<20)...)
	for typ, status := range map[string]int{"file": http.StatusSeeOther, "image": http.StatusUnprocessableEntity} {
		if got, body, _ := f.upload(path, f.signed(url.Values{"type": {typ}}), "big.pdf", pdf); got != status {
			t.Fatalf("a 3 MiB PDF as %s: %d, want %d\n%s", typ, got, status, body)
		}
	}
	left, err := filepath.Glob(filepath.Join(tmp, "multipart-*"))
	if err != nil || len(left) > 0 {
		t.Fatalf("temporary files left after the uploads: %v %v", left, err)
	}
}
