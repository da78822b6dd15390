package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/testenv/browsertest"
)

// Helpers of the web UI tests that stay here (the authorization matrix, sign-in, API keys, evidence
// files, quotas), left behind when ui_security_test.go and ui_portal_test.go moved to
// internal/web, where testenv.Forms and browsertest do this.

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
