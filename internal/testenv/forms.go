package testenv

import (
	"bytes"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"disputed/internal/actor"
)

// Forms is a web UI session driven over plain HTTP, without a browser: for the status codes of
// the pages and forms, and for what a form changed. It follows no redirect, so that a test sees
// where a form sends the browser.
type Forms struct {
	T testing.TB
	// URL is the server's address, e.g. http://127.0.0.1:40123.
	URL string
	// CSRF is the session's CSRF token, read from a page once signed in ("" before).
	CSRF string
	// HTTP sends the requests; its cookie jar holds the session.
	HTTP *http.Client
}

// Answer is a page or a form's answer: its status, its body and where it redirects to.
type Answer struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

// csrfInput finds a page's CSRF token.
var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// NewForms returns a session with no cookie yet on the server at base, sending its requests
// through transport (nil means a transport of its own, whose idle connections close when the
// test ends).
func NewForms(t testing.TB, base string, transport http.RoundTripper) *Forms {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	if transport == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		t.Cleanup(tr.CloseIdleConnections)
		transport = tr
	}
	return &Forms{T: t, URL: base, HTTP: &http.Client{Jar: jar, Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// SignInForms signs in at base through the login form and reads the session's CSRF token from
// the page the sign-in leads to.
func SignInForms(t testing.TB, base, email, password string) *Forms {
	t.Helper()
	f := NewForms(t, base, nil)
	f.SignIn(email, password)
	return f
}

// SignIn signs the session in through the login form and reads its CSRF token from the page the
// sign-in leads to.
func (f *Forms) SignIn(email, password string) {
	f.T.Helper()
	token := f.Token("/login")
	a := f.Post("/login", url.Values{"csrf_token": {token}, "email": {email}, "password": {password}, "next": {"/"}})
	if a.Status != http.StatusSeeOther {
		f.T.Fatalf("sign in as %s: %d", email, a.Status)
	}
	f.CSRF = f.Token(a.Location)
}

// Forms signs a new user of the role given (bound to party for a buyer or a vendor) in to the
// UI of the served client c, over plain HTTP; the user's email is role+party@example.com.
func (e *Env) Forms(c *Client, role actor.Role, party string) *Forms {
	e.T.Helper()
	email := string(role) + party + "@example.com"
	e.User(email, role, party)
	f := NewForms(e.T, c.URL, c.http.Transport)
	f.SignIn(email, Password)
	return f
}

// Token reads the CSRF token of the page at path.
func (f *Forms) Token(path string) string {
	f.T.Helper()
	a := f.Get(path)
	m := csrfInput.FindStringSubmatch(a.Body)
	if m == nil {
		f.T.Fatalf("no CSRF token on %s (%d):\n%s", path, a.Status, a.Body)
	}
	return m[1]
}

// Send sends a request with the session's cookies.
func (f *Forms) Send(method, path string, body io.Reader, contentType string) Answer {
	f.T.Helper()
	req, err := http.NewRequest(method, f.URL+path, body)
	if err != nil {
		f.T.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return f.Do(req)
}

// Do sends req with the session's cookies.
func (f *Forms) Do(req *http.Request) Answer {
	f.T.Helper()
	res, err := f.HTTP.Do(req)
	if err != nil {
		f.T.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		f.T.Fatal(err)
	}
	return Answer{Status: res.StatusCode, Body: string(b), Location: res.Header.Get("Location"), Header: res.Header}
}

// Get asks for a page.
func (f *Forms) Get(path string) Answer {
	f.T.Helper()
	return f.Send(http.MethodGet, path, nil, "")
}

// Post sends form as it is: Signed adds the session's CSRF token.
func (f *Forms) Post(path string, form url.Values) Answer {
	f.T.Helper()
	return f.Send(http.MethodPost, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

// Upload sends a multipart form with the fields and one file, in the field "file".
func (f *Forms) Upload(path string, form url.Values, name string, data []byte) Answer {
	f.T.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, vs := range form {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		f.T.Fatal(err)
	}
	_, _ = part.Write(data)
	_ = w.Close()
	return f.Send(http.MethodPost, path, &b, w.FormDataContentType())
}

// Signed returns form with the session's CSRF token added.
func (f *Forms) Signed(form url.Values) url.Values {
	out := url.Values{"csrf_token": {f.CSRF}}
	for k, v := range form {
		out[k] = v
	}
	return out
}

// On returns the session reporting to t, for use inside a subtest or a fuzz target's function.
func (f *Forms) On(t testing.TB) *Forms {
	g := *f
	g.T = t
	return &g
}

// NewFormsFrom is NewForms whose connections come from the loopback address from, a visitor of
// its own as the server's per-address limits (sign-in lockout) see it.
func NewFormsFrom(t testing.TB, base, from string) *Forms {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	tr.DialContext = (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}).DialContext
	t.Cleanup(tr.CloseIdleConnections)
	return NewForms(t, base, tr)
}

// pageCSRF finds the CSRF token every page gives htmx, forms or not.
var pageCSRF = regexp.MustCompile(`"X-CSRF-Token": "([^"]+)"`)

// PageToken reads the CSRF token of the page at path, which may have no form (Token reads a
// form's).
func (f *Forms) PageToken(path string) string {
	f.T.Helper()
	a := f.Get(path)
	m := pageCSRF.FindStringSubmatch(a.Body)
	if m == nil {
		f.T.Fatalf("no CSRF token on %s (%d):\n%s", path, a.Status, a.Body)
	}
	return m[1]
}

// TrySignIn sends the sign-in form with token and returns the status and body of the answer; it
// reports a failure instead of ending the test, for use in goroutines.
func (f *Forms) TrySignIn(token, email, password string) (int, string, error) {
	form := url.Values{"csrf_token": {token}, "email": {email}, "password": {password}, "next": {"/"}}
	res, err := f.HTTP.PostForm(f.URL+"/login", form)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, string(b), err
}
