package main

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/testenv/browsertest"
)

// The UI helpers the tests left in cmd/disputed still use; the UI tests themselves moved beside
// internal/web, on the shared harness (testenv.Forms, browsertest.NewSignedIn).

// wordsBrowser signs in an admin in a new browser on s.
func wordsBrowser(t *testing.T, s *testServer) context.Context {
	t.Helper()
	ctx := browsertest.New(t)
	s.signIn(ctx, "admin@example.com", s.user("admin@example.com", actor.Admin, ""))
	return ctx
}

// adminBrowser starts a server and a browser signed in as an admin.
func adminBrowser(t *testing.T) (*testServer, context.Context) {
	t.Helper()
	s := startServer(t, "sqlite", nil)
	ctx := browsertest.New(t)
	pw := s.user("admin@example.com", actor.Admin, "")
	s.signIn(ctx, "admin@example.com", pw)
	return s, ctx
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
