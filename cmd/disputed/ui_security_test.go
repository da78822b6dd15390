package main

import (
	"bufio"
	"bytes"
	"context"
	"disputed/internal/testenv/browsertest"
	"encoding/json"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/store"
)

// Security of the portal and the operations pages: forms without the session's CSRF token are
// refused and change nothing; roles are enforced; and what people typed is shown as text.

// formSession is a signed-in web UI session driven over plain HTTP (no browser): for checks on
// status codes and on what a request changed.
type formSession struct {
	t    *testing.T
	s    *testServer
	c    *http.Client
	csrf string
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// formSignIn signs in through the login form and reads the session's CSRF token from a page.
func (s *testServer) formSignIn(t *testing.T, email, password string) *formSession {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	fs := &formSession{t: t, s: s, c: &http.Client{Jar: jar, Transport: s.client.Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	_, body, _ := fs.get("/login")
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on the sign-in page:\n%s", body)
	}
	status, _, loc := fs.post("/login", url.Values{"csrf_token": {m[1]}, "email": {email}, "password": {password}, "next": {"/"}})
	if status != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", email, status)
	}
	_, body, _ = fs.get(loc)
	if m = csrfInput.FindStringSubmatch(body); m == nil {
		t.Fatalf("no CSRF token on %s after sign-in:\n%s", loc, body)
	}
	fs.csrf = m[1]
	return fs
}

func (fs *formSession) do(req *http.Request) (int, string, string) {
	fs.t.Helper()
	res, err := fs.c.Do(req)
	if err != nil {
		fs.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		fs.t.Fatal(err)
	}
	return res.StatusCode, string(b), res.Header.Get("Location")
}

// get returns the status, the body and the redirect target of a page.
func (fs *formSession) get(path string) (int, string, string) {
	fs.t.Helper()
	req, err := http.NewRequest(http.MethodGet, fs.s.base+path, nil)
	if err != nil {
		fs.t.Fatal(err)
	}
	return fs.do(req)
}

// post sends a form as it is (add csrf_token to form for a valid one).
func (fs *formSession) post(path string, form url.Values) (int, string, string) {
	fs.t.Helper()
	req, err := http.NewRequest(http.MethodPost, fs.s.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		fs.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return fs.do(req)
}

// postFile sends a multipart form with the fields and one file named file.
func (fs *formSession) postFile(path string, form url.Values, name string, data []byte) (int, string, string) {
	fs.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, vs := range form {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		fs.t.Fatal(err)
	}
	_, _ = part.Write(data)
	_ = w.Close()
	req, err := http.NewRequest(http.MethodPost, fs.s.base+path, &b)
	if err != nil {
		fs.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return fs.do(req)
}

// with returns form with the session's CSRF token added.
func (fs *formSession) with(form url.Values) url.Values {
	out := url.Values{"csrf_token": {fs.csrf}}
	for k, v := range form {
		out[k] = v
	}
	return out
}

// marketplaceOf opens a marketplace dispute on a new completed and charged order of the
// customer (and vendor, when given), with the description.
func (s *testServer) marketplaceOf(customer, vendor, description string) string {
	s.t.Helper()
	o := s.post("/v1/orders", map[string]any{"customer_id": customer, "vendor_id": vendor, "currency": "USD",
		"items": []any{map[string]any{"description": "IPTV 12 months", "amount": 1500, "quantity": 1}}})
	want(s.t, o, 201)
	want(s.t, s.post("/v1/orders/"+o.str("id")+"/complete", nil), 200)
	want(s.t, s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 1500, "currency": "USD", "order_id": o.str("id"),
		"provider": "stripe", "provider_reference": "ch_" + o.str("id")}), 201)
	d := s.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": o.str("id"), "initiated_by": "buyer",
		"description": description})
	want(s.t, d, 201)
	return d.str("id")
}

// uiState is what the forms of the portal and the operations pages can change, as the API and
// the app show it: endpoints, a delivery, a job, the users, a dispute and its evidence, the API
// keys.
func (s *testServer) uiState(delivery, job, dispute string) string {
	s.t.Helper()
	var b strings.Builder
	for _, p := range []string{"/v1/webhook_endpoints", "/v1/webhook_deliveries/" + delivery, "/v1/jobs/" + job,
		"/v1/disputes/" + dispute, "/v1/disputes/" + dispute + "/evidence", "/v1/api_keys"} {
		r := s.get(p)
		want(s.t, r, 200)
		b.Write(r.raw)
		b.WriteByte('\n')
	}
	us, err := s.main.server.Access.Users(context.Background(), actor.System)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, u := range us {
		b.WriteString(u.Email + " " + u.Role + " " + u.PartyID + "\n")
	}
	return b.String()
}

// TestUISecurityCSRF: every form of the portal and the operations pages is refused with 403 and
// changes nothing without the session's own CSRF token (none, a wrong one, another session's),
// and works with it.
func TestUISecurityCSRF(t *testing.T) {
	t.Parallel()
	c := newClock()
	s := clocked(t, dbFor(t, "sqlite"), c) // the test runs the jobs: nothing changes behind its back
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
	ep := s.post("/v1/webhook_endpoints", map[string]any{"url": "https://hooks.example.com/a", "events": []string{"dispute.created"}})
	want(t, ep, 201)
	off := s.post("/v1/webhook_endpoints", map[string]any{"url": "https://hooks.example.com/b", "events": []string{"*"}})
	want(t, off, 201)
	want(t, s.post("/v1/webhook_endpoints/"+off.str("id"), map[string]any{"enabled": false}), 200)
	dsp, ord, _ := s.marketplaceDispute(1000, false)
	dls := s.get("/v1/webhook_endpoints/" + ep.str("id") + "/deliveries").list()
	if len(dls) != 1 {
		t.Fatalf("deliveries: %v", dls)
	}
	dl := dls[0]["id"].(string)
	spare := s.post("/v1/api_keys", map[string]any{"role": "agent", "name": "spare"})
	want(t, spare, 201)
	spareKey := spare.str("id")
	pwA := s.user("admin@example.com", actor.Admin, "")
	pwB := s.user("buyer@example.com", actor.Buyer, s.customerOf(ord))
	admin := s.formSignIn(t, "admin@example.com", pwA)
	buyer := s.formSignIn(t, "buyer@example.com", pwB)
	const newPassword = "another long password"

	cases := []struct {
		as     *formSession
		path   string
		form   url.Values
		file   bool
		status int // with the right token
	}{
		{admin, "/webhooks", url.Values{"url": {"https://hooks.example.com/new"}, "events": {"*"}}, false, 201},
		{admin, "/webhooks/" + ep.str("id"), url.Values{"url": {"https://hooks.example.com/changed"}, "events": {"*"}}, false, 303},
		{admin, "/webhooks/" + ep.str("id") + "/rotate", nil, false, 200},
		{admin, "/webhooks/" + ep.str("id") + "/disable", nil, false, 303},
		{admin, "/webhooks/" + off.str("id") + "/enable", nil, false, 303},
		{admin, "/webhook-deliveries/" + dl + "/redeliver", nil, false, 303},
		{admin, "/jobs/job_broken/retry", nil, false, 303},
		{admin, "/users", url.Values{"email": {"mallory@example.com"}, "role": {"admin"}, "password": {newPassword},
			"password_again": {newPassword}}, false, 303},
		{admin, "/api-keys", url.Values{"role": {"admin"}, "name": {"mallory's"}}, false, 201},
		{admin, "/api-keys/" + spareKey + "/revoke", url.Values{"confirm": {"yes"}}, false, 303},
		{buyer, "/portal/disputes/" + dsp + "/evidence", url.Values{"type": {"text"}, "content": {"forged statement"}}, false, 303},
		{buyer, "/portal/disputes/" + dsp + "/evidence", url.Values{"type": {"upload"}}, true, 303},
		{admin, "/webhooks/" + ep.str("id") + "/delete", nil, false, 303},
	}
	send := func(c struct {
		as     *formSession
		path   string
		form   url.Values
		file   bool
		status int
	}, form url.Values) (int, string) {
		if c.file {
			st, body, _ := c.as.postFile(c.path, form, "note.txt", []byte("forged file"))
			return st, body
		}
		st, body, _ := c.as.post(c.path, form)
		return st, body
	}
	before := s.uiState(dl, "job_broken", dsp)
	for _, c := range cases {
		other := admin
		if c.as == admin {
			other = buyer
		}
		forged := map[string]url.Values{"no token": c.form, "a wrong token": {"csrf_token": {otherFirstByte(c.as.csrf)}},
			"another session's token": {"csrf_token": {other.csrf}}}
		for name, form := range forged {
			for k, v := range c.form {
				if k != "csrf_token" {
					form[k] = v
				}
			}
			if form == nil {
				form = url.Values{}
			}
			st, body := send(c, form)
			if st != http.StatusForbidden || !strings.Contains(body, "did not come from this site") {
				t.Errorf("POST %s with %s: %d, want 403\n%s", c.path, name, st, body)
			}
			if after := s.uiState(dl, "job_broken", dsp); after != before {
				t.Fatalf("POST %s with %s changed something:\n%s\n%s", c.path, name, before, after)
			}
		}
	}
	// With the token each form does its work (in an order where each still can).
	for _, c := range cases {
		if st, body := send(c, c.as.with(c.form)); st != c.status {
			t.Errorf("POST %s with the token: %d, want %d\n%s", c.path, st, c.status, body)
		}
	}
	if ev := s.get("/v1/disputes/" + dsp + "/evidence").list(); len(ev) != 2 || ev[0]["content"] != "forged statement" || ev[1]["file_name"] != "note.txt" {
		t.Errorf("evidence after the real posts: %v", ev)
	}
	if j := s.get("/v1/jobs/job_broken"); j.str("state") != "scheduled" {
		t.Errorf("job after retry: %s", j.raw)
	}
	if after := s.uiState(dl, "job_broken", dsp); !strings.Contains(after, "mallory@example.com admin") {
		t.Errorf("no user created:\n%s", after)
	}
}

// TestUISecurityRoles: the operations pages are the admin's (an agent gets 403, a buyer the
// portal); the portal shows a party its own disputes only and takes evidence only while the
// dispute is open, and only files of the accepted kinds and size.
func TestUISecurityRoles(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	ep := s.post("/v1/webhook_endpoints", map[string]any{"url": "https://hooks.example.com/a", "events": []string{"*"}})
	want(t, ep, 201)
	cus := s.post("/v1/customers", map[string]any{"email": "b@example.com"}).str("id")
	mine := s.marketplaceOf(cus, "ven_1", "mine")
	other := s.marketplaceOf(s.post("/v1/customers", map[string]any{"email": "c@example.com"}).str("id"), "ven_2", "theirs")
	review := s.marketplaceOf(cus, "ven_2", "in review")
	want(t, s.post("/v1/disputes/"+review+"/status", map[string]any{"status": "pending_review"}), 200)

	pw := s.user("admin@example.com", actor.Admin, "")
	s.user("agent@example.com", actor.Agent, "")
	s.user("buyer@example.com", actor.Buyer, cus)
	s.user("vendor@example.com", actor.Vendor, "ven_1")
	admin := s.formSignIn(t, "admin@example.com", pw)
	agent := s.formSignIn(t, "agent@example.com", pw)
	buyer := s.formSignIn(t, "buyer@example.com", pw)
	vendor := s.formSignIn(t, "vendor@example.com", pw)
	users := func() int {
		us, err := s.main.server.Access.Users(context.Background(), actor.System)
		if err != nil {
			t.Fatal(err)
		}
		return len(us)
	}
	nUsers := users()

	// Agents: 403 on every operations page and form.
	for _, p := range []string{"/webhooks", "/webhooks/" + ep.str("id"), "/jobs", "/users"} {
		if st, body, _ := agent.get(p); st != http.StatusForbidden || !strings.Contains(body, "may not") {
			t.Errorf("agent GET %s: %d\n%s", p, st, body)
		}
	}
	for _, p := range []string{"/webhooks", "/webhooks/" + ep.str("id") + "/rotate", "/webhooks/" + ep.str("id") + "/delete", "/jobs/job_x/retry", "/users"} {
		form := agent.with(url.Values{"url": {"https://x.example.com"}, "events": {"*"}, "email": {"evil@example.com"}, "role": {"admin"},
			"password": {"long enough password"}, "password_again": {"long enough password"}})
		if st, _, _ := agent.post(p, form); st != http.StatusForbidden {
			t.Errorf("agent POST %s: %d, want 403", p, st)
		}
	}
	if users() != nUsers || len(s.get("/v1/webhook_endpoints").list()) != 1 {
		t.Fatal("an agent changed something")
	}
	if r := s.get("/v1/webhook_endpoints/" + ep.str("id")); r.get("previous_secret_until") != nil {
		t.Fatalf("an agent rotated the secret: %s", r.raw)
	}

	// Buyers and vendors: the operations pages send them to the portal, their forms are refused.
	for _, p := range []string{"/webhooks", "/jobs", "/users"} {
		if st, _, loc := buyer.get(p); st != http.StatusSeeOther || loc != "/portal" {
			t.Errorf("buyer GET %s: %d to %q", p, st, loc)
		}
	}
	form := buyer.with(url.Values{"email": {"evil@example.com"}, "role": {"admin"}, "password": {"long enough password"}, "password_again": {"long enough password"}})
	if st, _, _ := buyer.post("/users", form); st != http.StatusForbidden || users() != nUsers {
		t.Errorf("buyer POST /users: %d", st)
	}

	// The portal: one's own disputes only.
	_, body, _ := buyer.get("/portal")
	if !strings.Contains(body, mine) || !strings.Contains(body, review) || strings.Contains(body, other) {
		t.Errorf("buyer's portal:\n%s", body)
	}
	_, body, _ = vendor.get("/portal")
	if !strings.Contains(body, mine) || strings.Contains(body, review) || strings.Contains(body, other) {
		t.Errorf("vendor's portal:\n%s", body)
	}
	if st, _, _ := vendor.get("/portal/disputes/" + mine); st != http.StatusOK {
		t.Errorf("vendor's own dispute: %d", st)
	}
	for _, p := range []*formSession{buyer, vendor} {
		if st, _, _ := p.get("/portal/disputes/" + other); st != http.StatusNotFound {
			t.Errorf("another party's dispute: %d, want 404", st)
		}
		if st, _, _ := p.post("/portal/disputes/"+other+"/evidence", p.with(url.Values{"type": {"text"}, "content": {"x"}})); st != http.StatusNotFound {
			t.Errorf("evidence on another party's dispute: %d, want 404", st)
		}
	}
	if n := len(s.get("/v1/disputes/" + other + "/evidence").list()); n != 0 {
		t.Fatalf("%d items on another party's dispute", n)
	}
	// Under review: refused by the app, the form comes back with the reason.
	st, body, _ := buyer.post("/portal/disputes/"+review+"/evidence", buyer.with(url.Values{"type": {"text"}, "content": {"late words"}}))
	if st != http.StatusConflict || !strings.Contains(body, "pending_review") || len(s.get("/v1/disputes/"+review+"/evidence").list()) != 0 {
		t.Errorf("evidence under review: %d\n%s", st, body)
	}
	// Staff have the admin UI.
	if st, _, loc := admin.get("/portal"); st != http.StatusSeeOther || loc != "/" {
		t.Errorf("admin at /portal: %d to %q", st, loc)
	}
	if st, _, _ := admin.post("/portal/disputes/"+mine+"/evidence", admin.with(url.Values{"type": {"text"}, "content": {"x"}})); st != http.StatusForbidden {
		t.Errorf("admin posting to the portal: %d, want 403", st)
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
		st, body, _ := buyer.postFile("/portal/disputes/"+mine+"/evidence", buyer.with(url.Values{"type": {"upload"}}), u.name, u.data)
		if st != u.status {
			t.Errorf("upload %s: %d, want %d\n%s", u.name, st, u.status, body)
		}
	}
	ev := s.get("/v1/disputes/" + mine + "/evidence").list()
	if len(ev) != 1 || ev[0]["file_name"] != "invoice.pdf" || ev[0]["content_type"] != "application/pdf" || ev[0]["type"] != "file" {
		t.Errorf("evidence after the uploads: %v", ev)
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
	opsOpen(t, ctx, url, ready)
	xssInert(t, ctx, url, seen)
}

// xssInert fails when the payload became markup on the page the browser shows: an element of its
// own, or a script that ran. seen is a text the page must show (the payload is there as text, or
// as the value of a form field).
func xssInert(t *testing.T, ctx context.Context, where, seen string) {
	t.Helper()
	res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelectorAll("details").forEach(d => d.open = true);
	JSON.stringify({
		injected: document.querySelectorAll('#xss, #xssb, img[src="x"], script:not([src])').length,
		ran: !!window.xssRan,
		text: document.body.innerText + " " + Array.from(document.querySelectorAll("input, textarea")).map(e => e.value).join(" ")})`))
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	var got struct {
		Injected int
		Ran      bool
		Text     string
	}
	if err := json.Unmarshal([]byte(res), &got); err != nil {
		t.Fatal(err)
	}
	if got.Injected != 0 || got.Ran {
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		t.Errorf("%s: the payload became markup (%d elements, ran %v):\n%s", where, got.Injected, got.Ran, html)
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
	s, _ := hookServer(t, dbFor(t, "sqlite"))
	ctx := browsertest.New(t)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "receiver says "+xss, http.StatusBadGateway)
	}))
	t.Cleanup(rcv.Close)
	ep := s.post("/v1/webhook_endpoints", map[string]any{"url": rcv.URL + "/hook" + xssURL, "events": []string{"*"}, "description": xss})
	want(t, ep, 201)

	// The buyer's disputes: one open with evidence, one resolved with notes; all of it payload.
	cus := s.post("/v1/customers", map[string]any{"email": "b@example.com", "name": xss}).str("id")
	open := s.marketplaceOf(cus, "ven_1", "desc "+xss)
	done := s.marketplaceOf(cus, "ven_1", xss)
	want(t, s.post("/v1/disputes/"+done+"/status", map[string]any{"status": "pending_review", "note": xss}), 200)
	want(t, s.post("/v1/disputes/"+done+"/resolve", map[string]any{"resolution": "favor_buyer", "notes": "notes " + xss}), 200)
	buyerKey := s.as(s.newKey(actor.Buyer, cus))
	want(t, buyerKey.post("/v1/disputes/"+open+"/evidence", map[string]any{"type": "text", "content": "text " + xss, "description": xss}), 201)
	want(t, buyerKey.post("/v1/disputes/"+open+"/evidence", map[string]any{"type": "link", "content": "https://example.com/" + xssURL}), 201)
	body, ct := multipartEvidence(t, map[string]string{"description": xss}, `<img src=x id=xss onerror=alert(1)>.png`, "image/png", []byte("\x89PNG\r\n\x1a\nxx"))
	want(t, buyerKey.post("/v1/disputes/"+open+"/evidence", body, "Content-Type", ct), 201)
	want(t, s.post("/v1/disputes/"+open+"/notes", map[string]any{"body": "INTERNAL " + xss}), 201)
	s.runJobs() // the deliveries fail with the receiver's answer

	// Jobs whose kind, subject, arguments and error carry the payload.
	bg := context.Background()
	now := s.main.Now()
	err := s.main.store.Tx(bg, func(tx store.Tx) error {
		if _, err := tx.ScheduleJob(bg, store.Job{ID: "job_xss", Kind: "kind " + xss, Subject: xss, Args: []byte(`{"note":` + strconv.Quote(xss) + `}`),
			RunAt: now.Add(time.Hour), MaxAttempts: 1, CreatedAt: now, UpdatedAt: now}); err != nil {
			return err
		}
		_, err := tx.ScheduleJob(bg, store.Job{ID: "job_dead", Kind: "dispute.deadline", Subject: xss, Args: []byte(`{"dispute_id":""}`),
			RunAt: now, MaxAttempts: 1, CreatedAt: now, UpdatedAt: now})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s.runJobs()

	pw := s.user("admin@example.com", actor.Admin, "")
	s.user("buyer@example.com", actor.Buyer, cus)
	s.user("vendor@example.com", actor.Vendor, xss) // a party id is free text

	// The buyer's pages.
	s.signIn(ctx, "buyer@example.com", pw)
	xssCheck(t, ctx, s.base+"/portal", "tr.dispute", "desc "+xss)
	xssCheck(t, ctx, s.base+"/portal/disputes/"+open, "#add-text", "text "+xss)
	xssCheck(t, ctx, s.base+"/portal/disputes/"+done, "#resolution-notes", "notes "+xss)
	if html := opsHTML(t, ctx); strings.Contains(html, "INTERNAL") {
		t.Error("the portal shows the internal note")
	}
	opsOpen(t, ctx, s.base+"/portal/disputes/"+open, "#add-link")
	// The links out of the site (a file's links open it here, on its own route).
	if links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("ol.evidence-list a:not([href$='/file'])")).map(a => a.href)`)); err != nil ||
		len(links) != 1 || !strings.HasPrefix(links[0], "https://example.com/") {
		t.Errorf("evidence links %v (%v)", links, err)
	}
	// Refused forms come back with what was typed, inert.
	opsAct(t, ctx, "p.error", "http or https",
		opsOpenDetails(`#add-link`),
		chromedp.SetValue(chromedp.CSS(`#add-link input[name=content]`), xss),
		chromedp.SetValue(chromedp.CSS(`#add-link input[name=description]`), xss),
		chromedp.Submit(chromedp.CSS(`#add-link input[name=content]`)))
	xssInert(t, ctx, "the refused link", xss)
	opsAct(t, ctx, "p.notice", "Evidence added.",
		chromedp.SetValue(chromedp.CSS(`#add-text textarea[name=content]`), "</textarea>"+xss),
		chromedp.SetValue(chromedp.CSS(`#add-text input[name=description]`), xss),
		chromedp.Submit(chromedp.CSS(`#add-text textarea[name=content]`)))
	xssCheck(t, ctx, s.base+"/portal/disputes/"+open, "#add-text", "</textarea>"+xss)

	// The admin's pages.
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`form.signout button`)), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
	s.signIn(ctx, "admin@example.com", pw)
	xssCheck(t, ctx, s.base+"/webhooks", "#endpoints", xss)
	xssCheck(t, ctx, s.base+"/webhooks/"+ep.str("id"), "#deliveries", "receiver says "+xss)
	xssCheck(t, ctx, s.base+"/jobs?state=scheduled", "#jobs", "kind "+xss)
	xssCheck(t, ctx, s.base+"/jobs?state=dead", "#jobs", xss)
	xssCheck(t, ctx, s.base+"/users", "#users", xss)
	opsAct(t, ctx, "p.error", "not an email address",
		chromedp.SetValue(chromedp.CSS(`#new-user input[name=email]`), xss),
		chromedp.SetValue(chromedp.CSS(`#new-user input[name=party_id]`), xss),
		chromedp.SetValue(chromedp.CSS(`#new-user input[name=password]`), "long enough password"),
		chromedp.SetValue(chromedp.CSS(`#new-user input[name=password_again]`), "long enough password"),
		chromedp.Submit(chromedp.CSS(`#new-user input[name=email]`)))
	xssInert(t, ctx, "the refused user", xss)
	opsOpen(t, ctx, s.base+"/webhooks", "#new-endpoint")
	opsAct(t, ctx, "p.error", "space",
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
	s := startServer(t, "sqlite", nil)
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.base, "http://"))
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
