package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"

	"disputed/bench/internal/serverproc"
)

// The admin UI's list of disputes (GET /disputes), measured as a signed-in admin's browser loads
// it: the whole HTML page, its search (which also matches the order id, the customer's email and
// name, and the charge's ids) and its sort by amount, which the API does not have.

const (
	uiEmail    = "bench-admin@example.com"
	uiPassword = "a bench password, long enough"
)

// uiQueries are the admin UI's searches and orders, with values that match one dispute (or a
// customer's few), and texts that match many: a word of the disputes' own fields, the domain of
// every customer's email, and two digits, for which no trigram index serves.
func uiQueries(s samples) []uiQuery {
	search := func(list []string) func(i int) string {
		return func(i int) string { return "/disputes?q=" + url.QueryEscape(list[i%len(list)]) }
	}
	fixed := func(p string) func(int) string { return func(int) string { return p } }
	return []uiQuery{
		{name: "admin UI: q=case number (one)", path: search(s.caseNumbers)},
		{name: "admin UI: q=dispute id (one)", path: search(s.disputes)},
		{name: "admin UI: q=order id (one)", path: search(s.orders)},
		{name: "admin UI: q=customer email (few)", path: search(s.emails)},
		{name: "admin UI: q=provider charge id (one)", path: search(s.providerCharges)},
		{name: "admin UI: q=fraud (many)", path: fixed("/disputes?q=fraud")},
		{name: "admin UI: q=example, every customer's email domain (many)", path: fixed("/disputes?q=example")},
		{name: "admin UI: q=42, shorter than a trigram (many)", path: fixed("/disputes?q=42")},
		{name: "admin UI: largest amount first", path: fixed("/disputes?sort=amount")},
		{name: "admin UI: largest amount first, status=won", path: fixed("/disputes?sort=amount&status=won")},
	}
}

// A uiQuery is one way of listing disputes in the admin UI: path gives its i-th request's path.
type uiQuery struct {
	name string
	path func(i int) string
}

// uiSession is a signed-in admin's browser session.
type uiSession struct {
	http *http.Client
	base string
}

var (
	csrfToken = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	listedRow = regexp.MustCompile(`<td class="ids"><a href="/disputes/`)
)

// signIn creates an admin user with the disputed command, as an operator would, and signs in
// through the login form, as a browser does.
func signIn(ctx context.Context, bin, db, base string) (*uiSession, error) {
	cmd := exec.CommandContext(ctx, bin, "user", "create", "--role", "admin", "--email", uiEmail, "--db", db)
	cmd.Env = append(os.Environ(), "DISPUTED_SECRET_KEY="+serverproc.SecretKey)
	cmd.Stdin = strings.NewReader(uiPassword + "\n")
	if out, err := cmd.CombinedOutput(); err != nil && !strings.Contains(string(out), "user_exists") { // a database kept from an earlier run (-db) has it
		return nil, fmt.Errorf("disputed user create: %w: %s", err, out)
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	u := &uiSession{base: base, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	page, _, err := u.get("/login")
	if err != nil {
		return nil, err
	}
	token := csrfToken.FindStringSubmatch(page)
	if token == nil {
		return nil, fmt.Errorf("no CSRF token on the sign-in page")
	}
	res, err := u.http.PostForm(base+"/login", url.Values{"csrf_token": {token[1]}, "email": {uiEmail},
		"password": {uiPassword}, "next": {"/"}})
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign in: %d", res.StatusCode)
	}
	return u, nil
}

// get loads the page at path and returns its HTML and how long it took, from sending to the
// last byte; any status but 200 is an error.
func (u *uiSession) get(path string) (string, time.Duration, error) {
	start := time.Now()
	res, err := u.http.Get(u.base + path)
	if err != nil {
		return "", 0, err
	}
	body, err := io.ReadAll(res.Body)
	took := time.Since(start)
	res.Body.Close()
	if err != nil {
		return "", 0, err
	}
	if res.StatusCode != http.StatusOK {
		return "", 0, fmt.Errorf("GET %s: %d", path, res.StatusCode)
	}
	return string(body), took, nil
}

// answer loads the list page path gives, for measure: its rows, and whether it says that the
// search stopped at its bound.
func (u *uiSession) answer(path func(i int) string) func(i int) (answer, error) {
	return func(i int) (answer, error) {
		page, took, err := u.get(path(i))
		return answer{found: len(listedRow.FindAllStringIndex(page, -1)), stopped: strings.Contains(page, `id="search-stopped"`),
			took: took}, err
	}
}
