package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/store"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
	"disputed/internal/webhook"
)

// Security of the portal and the operations pages: forms without the session's CSRF token are
// refused and change nothing; roles are enforced; and what people typed is shown as text.

// securityState is what the forms of the portal and the operations pages can change, as the API
// and the app show it: endpoints, a delivery, a job, the users, a dispute and its evidence, the
// API keys. The answers are compared as they are, before and after, whatever their fields.
func securityState(t *testing.T, e *testenv.Env, c *testenv.Client, delivery, job, dispute string) string {
	t.Helper()
	var b strings.Builder
	for _, p := range []string{"/v1/webhook_endpoints", "/v1/webhook_deliveries/" + delivery, "/v1/jobs/" + job,
		"/v1/disputes/" + dispute, "/v1/disputes/" + dispute + "/evidence", "/v1/api_keys"} {
		r := c.Get(p)
		testenv.WantStatus(t, r, http.StatusOK)
		b.Write(r.Raw)
		b.WriteByte('\n')
	}
	for _, u := range testenv.Must(e.Access.Users(e.Ctx, actor.System))(t) {
		b.WriteString(u.Email + " " + u.Role + " " + u.PartyID + "\n")
	}
	return b.String()
}

// securityEndpoint adds a webhook endpoint.
func securityEndpoint(t *testing.T, e *testenv.Env, p webhook.EndpointParams) store.WebhookEndpoint {
	t.Helper()
	return testenv.Must(e.Webhooks.CreateEndpoint(e.Ctx, testenv.Admin, p))(t)
}

// securityEvidence is the evidence of a dispute, as the app has it.
func securityEvidence(t *testing.T, e *testenv.Env, id string) []dispute.EvidenceItem {
	t.Helper()
	items, _, err := e.App.Evidence(e.Ctx, testenv.Admin, id, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// TestUISecurityCSRF: every form of the portal and the operations pages is refused with 403 and
// changes nothing without the session's own CSRF token (none, a wrong one, another session's),
// and works with it.
func TestUISecurityCSRF(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{}) // jobs run only when the test runs them: nothing changes behind its back
	c := e.Serve()
	opsJobs(t, e, brokenJob("job_broken", "", e.Clock.Now()))
	e.RunJobs()
	ep := securityEndpoint(t, e, webhook.EndpointParams{URL: new("https://hooks.example.com/a"), Events: &[]string{"dispute.created"}})
	off := securityEndpoint(t, e, webhook.EndpointParams{URL: new("https://hooks.example.com/b"), Events: &[]string{"*"}})
	testenv.Must(e.Webhooks.UpdateEndpoint(e.Ctx, testenv.Admin, off.ID, webhook.EndpointParams{Enabled: new(false)}))(t)
	sale, dsp := portalSaleDisputed(t, e, 1000)
	dls, _, err := e.Webhooks.Deliveries(e.Ctx, testenv.Admin, store.DeliveryFilter{EndpointID: ep.ID})
	if err != nil || len(dls) != 1 {
		t.Fatalf("deliveries: %+v (%v)", dls, err)
	}
	dl := dls[0].ID
	_, spare, err := e.Access.CreateAPIKey(e.Ctx, testenv.Admin, access.APIKeyParams{Role: "agent", Name: "spare"})
	if err != nil {
		t.Fatal(err)
	}
	admin := e.Forms(c, actor.Admin, "")
	buyer := e.Forms(c, actor.Buyer, sale.Customer.ID)
	const newPassword = "another long password"

	type csrfCase struct {
		as     *testenv.Forms
		path   string
		form   url.Values
		file   bool
		status int // with the right token
	}
	cases := []csrfCase{
		{admin, "/webhooks", url.Values{"url": {"https://hooks.example.com/new"}, "events": {"*"}}, false, 201},
		{admin, "/webhooks/" + ep.ID, url.Values{"url": {"https://hooks.example.com/changed"}, "events": {"*"}}, false, 303},
		{admin, "/webhooks/" + ep.ID + "/rotate", nil, false, 200},
		{admin, "/webhooks/" + ep.ID + "/disable", nil, false, 303},
		{admin, "/webhooks/" + off.ID + "/enable", nil, false, 303},
		{admin, "/webhook-deliveries/" + dl + "/redeliver", nil, false, 303},
		{admin, "/jobs/job_broken/retry", nil, false, 303},
		{admin, "/users", url.Values{"email": {"mallory@example.com"}, "role": {"admin"}, "password": {newPassword},
			"password_again": {newPassword}}, false, 303},
		{admin, "/api-keys", url.Values{"role": {"admin"}, "name": {"mallory's"}}, false, 201},
		{admin, "/api-keys/" + spare.ID + "/revoke", url.Values{"confirm": {"yes"}}, false, 303},
		{buyer, "/portal/disputes/" + dsp + "/evidence", url.Values{"type": {"text"}, "content": {"forged statement"}}, false, 303},
		{buyer, "/portal/disputes/" + dsp + "/evidence", url.Values{"type": {"upload"}}, true, 303},
		{admin, "/webhooks/" + ep.ID + "/delete", nil, false, 303},
	}
	send := func(f csrfCase, values url.Values) testenv.Answer {
		if f.file {
			return f.as.Upload(f.path, values, "note.txt", []byte("forged file"))
		}
		return f.as.Post(f.path, values)
	}
	before := securityState(t, e, c, dl, "job_broken", dsp)
	for _, f := range cases {
		other := admin
		if f.as == admin {
			other = buyer
		}
		forged := map[string]url.Values{"no token": f.form, "a wrong token": {"csrf_token": {otherFirstByte(f.as.CSRF)}},
			"another session's token": {"csrf_token": {other.CSRF}}}
		for name, values := range forged {
			for k, v := range f.form {
				if k != "csrf_token" {
					values[k] = v
				}
			}
			if values == nil {
				values = url.Values{}
			}
			if a := send(f, values); a.Status != http.StatusForbidden || !strings.Contains(a.Body, "did not come from this site") {
				t.Errorf("POST %s with %s: %d, want 403\n%s", f.path, name, a.Status, a.Body)
			}
			if after := securityState(t, e, c, dl, "job_broken", dsp); after != before {
				t.Fatalf("POST %s with %s changed something:\n%s\n%s", f.path, name, before, after)
			}
		}
	}
	// With the token each form does its work (in an order where each still can).
	for _, f := range cases {
		if a := send(f, f.as.Signed(f.form)); a.Status != f.status {
			t.Errorf("POST %s with the token: %d, want %d\n%s", f.path, a.Status, f.status, a.Body)
		}
	}
	if ev := securityEvidence(t, e, dsp); len(ev) != 2 || ev[0].Content != "forged statement" || ev[1].FileName != "note.txt" {
		t.Errorf("evidence after the real posts: %+v", ev)
	}
	if j := testenv.Must(e.App.Job(e.Ctx, testenv.Admin, "job_broken"))(t); j.State != "scheduled" {
		t.Errorf("job after retry: %+v", j)
	}
	if after := securityState(t, e, c, dl, "job_broken", dsp); !strings.Contains(after, "mallory@example.com admin") {
		t.Errorf("no user created:\n%s", after)
	}
}

// TestUISecurityRoles: the operations pages are the admin's (an agent gets 403, a buyer the
// portal); the portal shows a party its own disputes only and takes evidence only while the
// dispute is open, and only files of the accepted kinds and size.
func TestUISecurityRoles(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	ep := securityEndpoint(t, e, webhook.EndpointParams{URL: new("https://hooks.example.com/a"), Events: &[]string{"*"}})
	cus := portalCustomer(t, e, "b@example.com", "")
	mine := portalDisputeOf(t, e, cus, "ven_1", "mine")
	other := portalDisputeOf(t, e, portalCustomer(t, e, "c@example.com", ""), "ven_2", "theirs")
	review := portalDisputeOf(t, e, cus, "ven_2", "in review")
	portalReview(t, e, review, "")

	admin := e.Forms(c, actor.Admin, "")
	agent := e.Forms(c, actor.Agent, "")
	buyer := e.Forms(c, actor.Buyer, cus)
	vendor := e.Forms(c, actor.Vendor, "ven_1")
	users := func() int { return len(testenv.Must(e.Access.Users(e.Ctx, actor.System))(t)) }
	nUsers := users()

	// Agents: 403 on every operations page and form.
	for _, p := range []string{"/webhooks", "/webhooks/" + ep.ID, "/jobs", "/users"} {
		if a := agent.Get(p); a.Status != http.StatusForbidden || !strings.Contains(a.Body, "may not") {
			t.Errorf("agent GET %s: %d\n%s", p, a.Status, a.Body)
		}
	}
	for _, p := range []string{"/webhooks", "/webhooks/" + ep.ID + "/rotate", "/webhooks/" + ep.ID + "/delete", "/jobs/job_x/retry", "/users"} {
		form := agent.Signed(url.Values{"url": {"https://x.example.com"}, "events": {"*"}, "email": {"evil@example.com"}, "role": {"admin"},
			"password": {"long enough password"}, "password_again": {"long enough password"}})
		if a := agent.Post(p, form); a.Status != http.StatusForbidden {
			t.Errorf("agent POST %s: %d, want 403", p, a.Status)
		}
	}
	if users() != nUsers || len(testenv.Must(e.Webhooks.Endpoints(e.Ctx, testenv.Admin))(t)) != 1 {
		t.Fatal("an agent changed something")
	}
	if got := testenv.Must(e.Webhooks.Endpoint(e.Ctx, testenv.Admin, ep.ID))(t); !got.PreviousUntil.IsZero() {
		t.Fatalf("an agent rotated the secret: %+v", got)
	}

	// Buyers and vendors: the operations pages send them to the portal, their forms are refused.
	for _, p := range []string{"/webhooks", "/jobs", "/users"} {
		if a := buyer.Get(p); a.Status != http.StatusSeeOther || a.Location != "/portal" {
			t.Errorf("buyer GET %s: %d to %q", p, a.Status, a.Location)
		}
	}
	form := buyer.Signed(url.Values{"email": {"evil@example.com"}, "role": {"admin"}, "password": {"long enough password"}, "password_again": {"long enough password"}})
	if a := buyer.Post("/users", form); a.Status != http.StatusForbidden || users() != nUsers {
		t.Errorf("buyer POST /users: %d", a.Status)
	}

	// The portal: one's own disputes only.
	if body := buyer.Get("/portal").Body; !strings.Contains(body, mine) || !strings.Contains(body, review) || strings.Contains(body, other) {
		t.Errorf("buyer's portal:\n%s", body)
	}
	if body := vendor.Get("/portal").Body; !strings.Contains(body, mine) || strings.Contains(body, review) || strings.Contains(body, other) {
		t.Errorf("vendor's portal:\n%s", body)
	}
	if a := vendor.Get("/portal/disputes/" + mine); a.Status != http.StatusOK {
		t.Errorf("vendor's own dispute: %d", a.Status)
	}
	for _, p := range []*testenv.Forms{buyer, vendor} {
		if a := p.Get("/portal/disputes/" + other); a.Status != http.StatusNotFound {
			t.Errorf("another party's dispute: %d, want 404", a.Status)
		}
		if a := p.Post("/portal/disputes/"+other+"/evidence", p.Signed(url.Values{"type": {"text"}, "content": {"x"}})); a.Status != http.StatusNotFound {
			t.Errorf("evidence on another party's dispute: %d, want 404", a.Status)
		}
	}
	if n := len(securityEvidence(t, e, other)); n != 0 {
		t.Fatalf("%d items on another party's dispute", n)
	}
	// Under review: refused by the app, the form comes back with the reason.
	a := buyer.Post("/portal/disputes/"+review+"/evidence", buyer.Signed(url.Values{"type": {"text"}, "content": {"late words"}}))
	if a.Status != http.StatusConflict || !strings.Contains(a.Body, "pending_review") || len(securityEvidence(t, e, review)) != 0 {
		t.Errorf("evidence under review: %d\n%s", a.Status, a.Body)
	}
	// Staff have the admin UI.
	if a := admin.Get("/portal"); a.Status != http.StatusSeeOther || a.Location != "/" {
		t.Errorf("admin at /portal: %d to %q", a.Status, a.Location)
	}
	if a := admin.Post("/portal/disputes/"+mine+"/evidence", admin.Signed(url.Values{"type": {"text"}, "content": {"x"}})); a.Status != http.StatusForbidden {
		t.Errorf("admin posting to the portal: %d, want 403", a.Status)
	}

	// Uploads: the kind is told by the content, within the size limit.
	uploads := []struct {
		name   string
		data   []byte
		status int
	}{
		{"photo.png", []byte("<html><script>alert(1)</script></html>"), http.StatusUnsupportedMediaType}, // HTML named .png
		{"setup.exe", append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 100)...), http.StatusUnsupportedMediaType},
		{"empty.txt", nil, http.StatusUnprocessableEntity},
		{"huge.pdf", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{'a'}, 10<<20)...), http.StatusRequestEntityTooLarge},
		{"../../etc/invoice.pdf", []byte("%PDF-1.4 invoice"), http.StatusSeeOther},
	}
	for _, u := range uploads {
		if a := buyer.Upload("/portal/disputes/"+mine+"/evidence", buyer.Signed(url.Values{"type": {"upload"}}), u.name, u.data); a.Status != u.status {
			t.Errorf("upload %s: %d, want %d\n%s", u.name, a.Status, u.status, a.Body)
		}
	}
	ev := securityEvidence(t, e, mine)
	if len(ev) != 1 || ev[0].FileName != "invoice.pdf" || ev[0].ContentType != "application/pdf" || ev[0].Type != dispute.ItemFile {
		t.Errorf("evidence after the uploads: %+v", ev)
	}
}

// xss is markup that would run or add elements if a page put it in the HTML as it is: in text,
// in an attribute value (the quotes), in a URL (xssURL has no spaces, which URLs refuse).
const (
	xss    = `"'><img src=x id=xss onerror="window.xssRan=1"><script>window.xssRan=1</script><b id=xssb>bold</b>`
	xssURL = `?q="'><img/src=x/id=xss/onerror=window.xssRan=1><script>window.xssRan=1</script>`
)

// xssCheck loads a page and checks it with xssInert.
func xssCheck(t *testing.T, ctx context.Context, url, ready, seen string) {
	t.Helper()
	portalOpen(t, ctx, url, ready)
	xssInert(t, ctx, url, seen)
}

// xssInert fails when the payload became markup on the page the browser shows: an element of its
// own, or a script that ran. seen is a text the page must show (the payload is there as text, or
// as the value of a form field).
func xssInert(t *testing.T, ctx context.Context, where, seen string) {
	t.Helper()
	res := browsertest.Eval[string](t, ctx, `document.querySelectorAll("details").forEach(d => d.open = true);
	JSON.stringify({
		injected: document.querySelectorAll('#xss, #xssb, img[src="x"], script:not([src])').length,
		ran: !!window.xssRan,
		text: document.body.innerText + " " + Array.from(document.querySelectorAll("input, textarea")).map(e => e.value).join(" ")})`)
	var got struct {
		Injected int
		Ran      bool
		Text     string
	}
	if err := json.Unmarshal([]byte(res), &got); err != nil {
		t.Fatal(err)
	}
	if got.Injected != 0 || got.Ran {
		t.Errorf("%s: the payload became markup (%d elements, ran %v):\n%s", where, got.Injected, got.Ran, portalHTML(t, ctx))
	}
	if !strings.Contains(got.Text, seen) {
		t.Errorf("%s does not show %q as text:\n%s", where, seen, got.Text)
	}
}

// TestUISecurityXSS puts markup in every free-text field that the portal and the operations
// pages show (what buyers, vendors, admins, receivers of webhooks and job errors wrote) and
// checks in the browser that it is inert text everywhere; the internal note is not shown at all.
func TestUISecurityXSS(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{}) // its outbound client reaches the receiver on loopback
	c := e.Serve()
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "receiver says "+xss, http.StatusBadGateway)
	}))
	t.Cleanup(rcv.Close)
	ep := securityEndpoint(t, e, webhook.EndpointParams{URL: new(rcv.URL + "/hook" + xssURL), Events: &[]string{"*"}, Description: new(xss)})

	// The buyer's disputes: one open with evidence, one resolved with notes; all of it payload.
	cus := portalCustomer(t, e, "b@example.com", xss)
	open := portalDisputeOf(t, e, cus, "ven_1", "desc "+xss)
	done := portalDisputeOf(t, e, cus, "ven_1", xss)
	portalReview(t, e, done, xss)
	testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, done, nil, app.ResolveParams{Resolution: "favor_buyer", Notes: "notes " + xss}))(t)
	buyerKey := actor.Key("key_buyer", actor.Buyer, cus)
	for _, p := range []app.EvidenceParams{
		{Type: "text", Content: "text " + xss, Description: xss},
		{Type: "link", Content: "https://example.com/" + xssURL},
		{Description: xss, FileName: `<img src=x id=xss onerror=alert(1)>.png`, File: []byte("\x89PNG\r\n\x1a\nxx")},
	} {
		if _, _, err := e.App.AddEvidence(e.Ctx, buyerKey, open, nil, p); err != nil {
			t.Fatal(err)
		}
	}
	testenv.Must(e.App.AddNote(e.Ctx, testenv.Admin, open, "INTERNAL "+xss))(t)
	e.RunJobs() // the deliveries fail with the receiver's answer

	// Jobs whose kind, subject, arguments and error carry the payload.
	now := e.Clock.Now()
	opsJobs(t, e, store.Job{ID: "job_xss", Kind: "kind " + xss, Subject: xss, Args: []byte(`{"note":` + strconv.Quote(xss) + `}`), RunAt: now.Add(time.Hour)},
		brokenJob("job_dead", xss, now))
	e.RunJobs()

	e.User("admin@example.com", actor.Admin, "")
	e.User("vendor@example.com", actor.Vendor, xss) // a party id is free text

	// The buyer's pages.
	ctx := browsertest.NewSignedIn(t, e, c, actor.Buyer, cus)
	xssCheck(t, ctx, c.URL+"/portal", "tr.dispute", "desc "+xss)
	xssCheck(t, ctx, c.URL+"/portal/disputes/"+open, "#add-text", "text "+xss)
	xssCheck(t, ctx, c.URL+"/portal/disputes/"+done, "#resolution-notes", "notes "+xss)
	if strings.Contains(portalHTML(t, ctx), "INTERNAL") {
		t.Error("the portal shows the internal note")
	}
	portalOpen(t, ctx, c.URL+"/portal/disputes/"+open, "#add-link")
	// The links out of the site (a file's links open it here, on its own route).
	if links := browsertest.Eval[[]string](t, ctx, `Array.from(document.querySelectorAll("ol.evidence-list a:not([href$='/file'])")).map(a => a.href)`); len(links) != 1 || !strings.HasPrefix(links[0], "https://example.com/") {
		t.Errorf("evidence links %v", links)
	}
	// Refused forms come back with what was typed, inert.
	portalAct(t, ctx, "p.error", "http or https",
		portalOpenDetails(`#add-link`),
		chromedp.SetValue(chromedp.CSS(`#add-link input[name=content]`), xss),
		chromedp.SetValue(chromedp.CSS(`#add-link input[name=description]`), xss),
		chromedp.Submit(chromedp.CSS(`#add-link input[name=content]`)))
	xssInert(t, ctx, "the refused link", xss)
	portalAct(t, ctx, "p.notice", "Evidence added.",
		chromedp.SetValue(chromedp.CSS(`#add-text textarea[name=content]`), "</textarea>"+xss),
		chromedp.SetValue(chromedp.CSS(`#add-text input[name=description]`), xss),
		chromedp.Submit(chromedp.CSS(`#add-text textarea[name=content]`)))
	xssCheck(t, ctx, c.URL+"/portal/disputes/"+open, "#add-text", "</textarea>"+xss)

	// The admin's pages.
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`form.signout button`)), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
	browsertest.SignIn(t, ctx, c.URL, "admin@example.com", testenv.Password)
	xssCheck(t, ctx, c.URL+"/webhooks", "#endpoints", xss)
	xssCheck(t, ctx, c.URL+"/webhooks/"+ep.ID, "#deliveries", "receiver says "+xss)
	xssCheck(t, ctx, c.URL+"/jobs?state=scheduled", "#jobs", "kind "+xss)
	xssCheck(t, ctx, c.URL+"/jobs?state=dead", "#jobs", xss)
	xssCheck(t, ctx, c.URL+"/users", "#users", xss)
	portalAct(t, ctx, "p.error", "not an email address",
		chromedp.SetValue(chromedp.CSS(`#new-user input[name=email]`), xss),
		chromedp.SetValue(chromedp.CSS(`#new-user input[name=party_id]`), xss),
		chromedp.SetValue(chromedp.CSS(`#new-user input[name=password]`), "long enough password"),
		chromedp.SetValue(chromedp.CSS(`#new-user input[name=password_again]`), "long enough password"),
		chromedp.Submit(chromedp.CSS(`#new-user input[name=email]`)))
	xssInert(t, ctx, "the refused user", xss)
	portalOpen(t, ctx, c.URL+"/webhooks", "#new-endpoint")
	portalAct(t, ctx, "p.error", "space",
		chromedp.SetValue(chromedp.CSS(`#new-endpoint input[name=url]`), "https://example.com/ "+xss),
		chromedp.SetValue(chromedp.CSS(`#new-endpoint input[name=description]`), xss),
		chromedp.Click(chromedp.CSS(`#new-endpoint input[value="*"]`)),
		chromedp.Submit(chromedp.CSS(`#new-endpoint input[name=url]`)))
	xssInert(t, ctx, "the refused endpoint", "https://example.com/ "+xss)
}

// TestPortalUploadSignedOut checks that the portal's evidence form answers a visitor without a
// session at once, without reading the upload it announces: no one signed out makes the server
// take in ten megabytes.
func TestPortalUploadSignedOut(t *testing.T) {
	t.Parallel()
	c := testenv.New(t, "sqlite", testenv.Options{}).Serve()
	conn, err := net.Dial("tcp", strings.TrimPrefix(c.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The headers announce a large multipart body that never comes.
	_, err = io.WriteString(conn, "POST /portal/disputes/dsp_x/evidence HTTP/1.1\r\nHost: x\r\n"+
		"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 10000000\r\n\r\n--b\r\n")
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer while the body is pending: the server waits to read the upload: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401", resp.StatusCode)
	}
}

// otherFirstByte is token with its first byte changed: a token that is wrong whatever the random
// token begins with.
func otherFirstByte(token string) string {
	first := byte('x')
	if token[0] == first {
		first = 'y'
	}
	return string(first) + token[1:]
}
