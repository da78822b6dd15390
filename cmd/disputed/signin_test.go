package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/password"
)

// Sign-in and setup as a hostile visitor tries them: the first admin only with the setup token
// the server printed, sign-in attempts counted before their hash so that sending them together
// gains nothing, a lock per email and client address, the hashes bounded, and small bodies.

// visitorFrom is a browser over plain HTTP (a cookie jar, redirects not followed) whose
// connections come from the loopback address from ("" for the default 127.0.0.1).
func visitorFrom(t *testing.T, s *testServer, from string) *formSession {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	if from != "" {
		tr.DialContext = (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}).DialContext
	}
	t.Cleanup(tr.CloseIdleConnections)
	return &formSession{t: t, s: s, c: &http.Client{Jar: jar, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// pageCSRF is the CSRF token every page gives htmx, forms or not.
var pageCSRF = regexp.MustCompile(`"X-CSRF-Token": "([^"]+)"`)

// formToken is the CSRF token of the forms of the page at path.
func (fs *formSession) formToken(path string) string {
	fs.t.Helper()
	_, body, _ := fs.get(path)
	m := pageCSRF.FindStringSubmatch(body)
	if m == nil {
		fs.t.Fatalf("no CSRF token on %s:\n%s", path, body)
	}
	return m[1]
}

// attempt sends the sign-in form with the token of the sign-in page; safe in goroutines.
func (fs *formSession) attempt(token, email, pass string) (int, string, error) {
	form := url.Values{"csrf_token": {token}, "email": {email}, "password": {pass}, "next": {"/"}}
	res, err := fs.c.PostForm(fs.s.base+"/login", form)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, string(b), err
}

// attempts sends the sign-in forms at once and returns how many got each status, and the body
// of one answer of each status.
func (fs *formSession) attempts(token, email string, passwords ...string) (map[int]int, map[int]string) {
	fs.t.Helper()
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		counts = map[int]int{}
		bodies = map[int]string{}
		errs   []error
	)
	for _, pass := range passwords {
		wg.Go(func() {
			status, body, err := fs.attempt(token, email, pass)
			mu.Lock()
			defer mu.Unlock()
			counts[status]++
			bodies[status] = body
			errs = append(errs, err)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		fs.t.Fatal(err)
	}
	return counts, bodies
}

var (
	errorLine = regexp.MustCompile(`<p class="error" role="alert">([^<]*)</p>`)
	clockTime = regexp.MustCompile(`\d\d:\d\d:\d\d UTC`)
)

// problemOf is the refusal a page shows, with any time of day left out.
func problemOf(body string) string {
	m := errorLine.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return clockTime.ReplaceAllString(m[1], "HH:MM:SS UTC")
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// setupLink is the token of the setup link a server printed in its log.
func setupLink(t *testing.T, logs *lockedBuffer) string {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(logs.String()))
	for sc.Scan() {
		var line struct {
			Level, Msg, URL string
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil || !strings.Contains(line.Msg, "no admin user yet") {
			continue
		}
		u, err := url.Parse(line.URL)
		if line.Level != "WARN" || err != nil || u.Path != "/setup" || u.Query().Get("token") == "" {
			t.Fatalf("the setup line: %s", sc.Text())
		}
		return u.Query().Get("token")
	}
	t.Fatalf("no setup link in the log:\n%s", logs.String())
	return ""
}

// TestSecuritySetupNeedsToken: with no admin user, /setup creates nothing without the token the
// server printed in its log (a page asks for it; a form without it is 403); the token another
// instance on the same database printed works too; once the first admin exists, every token is
// spent and /setup is gone.
func TestSecuritySetupNeedsToken(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		logsA, logsB := &lockedBuffer{}, &lockedBuffer{}
		a := startConfigured(t, db, func(m *Main) { m.logOut = logsA })
		b := startConfigured(t, db, func(m *Main) { m.logOut = logsB })
		tokenA, tokenB := setupLink(t, logsA), setupLink(t, logsB)
		if tokenA == tokenB {
			t.Fatal("two servers printed the same setup token")
		}
		admins := func() int {
			us, err := a.main.server.Access.Users(context.Background(), actor.System)
			if err != nil {
				t.Fatal(err)
			}
			return len(us)
		}
		v := visitorFrom(t, a, "")
		status, body, _ := v.get("/setup")
		if status != http.StatusOK || strings.Contains(body, `name="password"`) || !strings.Contains(body, `name="token"`) {
			t.Fatalf("GET /setup without a token: %d, want a page asking for the token:\n%s", status, body)
		}
		if status, body, _ = v.get("/setup?token=not-the-token"); status != http.StatusForbidden || strings.Contains(body, `name="password"`) {
			t.Fatalf("GET /setup with a wrong token: %d:\n%s", status, body)
		}
		csrf := v.formToken("/setup")
		for _, token := range []string{"", "not-the-token", tokenA + "x"} {
			form := url.Values{"csrf_token": {csrf}, "token": {token}, "email": {"evil@example.com"},
				"password": {"long enough password"}, "password_again": {"long enough password"}}
			if token == "" {
				delete(form, "token")
			}
			if status, _, _ := v.post("/setup", form); status != http.StatusForbidden {
				t.Errorf("POST /setup with the token %q: %d, want 403", token, status)
			}
		}
		if n := admins(); n != 0 {
			t.Fatalf("%d users after setups without the token", n)
		}
		if status, body, _ = v.get("/setup?token=" + url.QueryEscape(tokenB)); status != http.StatusOK || !strings.Contains(body, `name="password"`) {
			t.Fatalf("GET /setup with the token: %d:\n%s", status, body)
		}
		status, _, loc := v.post("/setup", url.Values{"csrf_token": {csrfInput.FindStringSubmatch(body)[1]}, "token": {tokenB},
			"email": {"owner@example.com"}, "password": {"long enough password"}, "password_again": {"long enough password"}})
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/?") {
			t.Fatalf("POST /setup with the token of the other instance: %d %s", status, loc)
		}
		if status, body, _ = v.get("/users"); status != http.StatusOK || !strings.Contains(body, "owner@example.com") {
			t.Fatalf("the first admin's users page: %d", status)
		}
		for _, s := range []*testServer{a, b} {
			for _, token := range []string{tokenA, tokenB, ""} {
				if status, _, _ := visitorFrom(t, s, "").get("/setup?token=" + url.QueryEscape(token)); status != http.StatusNotFound {
					t.Errorf("GET /setup once there is an admin: %d, want 404", status)
				}
			}
		}
		again := visitorFrom(t, a, "")
		csrf = again.formToken("/login")
		status, _, _ = again.post("/setup", url.Values{"csrf_token": {csrf}, "token": {tokenA}, "email": {"second@example.com"},
			"password": {"long enough password"}, "password_again": {"long enough password"}})
		if status != http.StatusNotFound || admins() != 1 {
			t.Fatalf("POST /setup with a spent token: %d, %d users", status, admins())
		}
	})
}

// TestSecurityLoginLockout: attempts sent together are counted before their hash, so that no
// more than the five the policy allows are checked; a locked email is refused even with the
// right password, and a locked unknown email answers exactly like a locked account; the lock
// holds for one client address, not for the account from another.
func TestSecurityLoginLockout(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		// Hashes wait as long as it takes: on a busy machine a 503 would stand for an attempt
		// the lock never saw (TestSecurityLoginBusy has those).
		s := startConfigured(t, db, func(m *Main) { m.Hasher = password.NewHasher(password.DefaultSlots, time.Minute) })
		pw := s.user("ada@example.com", actor.Admin, "")
		here := visitorFrom(t, s, "")
		token := here.formToken("/login")

		// 30 wrong passwords at once: five are checked, the others refused as locked.
		counts, bodies := here.attempts(token, "ada@example.com", repeat("not the password", 30)...)
		if counts[http.StatusUnauthorized] > 5 || counts[http.StatusUnauthorized]+counts[http.StatusTooManyRequests] != 30 {
			t.Fatalf("30 wrong passwords at once: %v, want at most 5 checked (401) and the rest locked (429)", counts)
		}
		locked := problemOf(bodies[http.StatusTooManyRequests])
		if !strings.Contains(locked, "too many failed sign-ins") {
			t.Fatalf("the locked answer: %q", locked)
		}

		// Locked: 15 wrong and the right one together sign nobody in; the right one is told the same.
		counts, bodies = here.attempts(token, "ada@example.com", append(repeat("not the password", 15), pw)...)
		if counts[http.StatusTooManyRequests] != 16 || problemOf(bodies[http.StatusTooManyRequests]) != locked {
			t.Fatalf("15 wrong and the right password while locked: %v", counts)
		}
		if st, _, _ := here.get("/disputes"); st != http.StatusSeeOther {
			t.Fatalf("signed in while locked: GET /disputes %d", st)
		}

		// An email nobody has is locked the same way, with the same answer.
		counts, bodies = here.attempts(token, "nobody@example.com", repeat("not the password", 6)...)
		if counts[http.StatusTooManyRequests] == 0 || problemOf(bodies[http.StatusTooManyRequests]) != locked {
			t.Fatalf("an unknown email: %v, %q, want the locked answer %q", counts, problemOf(bodies[http.StatusTooManyRequests]), locked)
		}
		_, wrongReal, _ := visitorFrom(t, s, "127.0.0.3").attempt(token, "ada@example.com", "not the password")
		_, wrongNobody, _ := visitorFrom(t, s, "127.0.0.3").attempt(token, "nobody@example.com", "not the password")
		if problemOf(wrongReal) == "" || problemOf(wrongReal) != problemOf(wrongNobody) {
			t.Fatalf("a wrong password %q and an unknown email %q answer differently", problemOf(wrongReal), problemOf(wrongNobody))
		}

		// From another address the account is not locked.
		there := visitorFrom(t, s, "127.0.0.2")
		if st, body, err := there.attempt(there.formToken("/login"), "ada@example.com", pw); err != nil || st != http.StatusSeeOther {
			t.Fatalf("the right password from another address: %d %v\n%s", st, err, body)
		}
		if st, _, _ := there.get("/disputes"); st != http.StatusOK {
			t.Fatalf("signed in from another address: GET /disputes %d", st)
		}
	})
}

// TestSecurityLoginBusy: when every password hash the server allows at once is taken, a sign-in
// is answered 503 with Retry-After at once instead of taking more memory.
func TestSecurityLoginBusy(t *testing.T) {
	t.Parallel()
	hasher := password.NewHasher(1, 0)
	s := startConfigured(t, dbFor(t, "sqlite"), func(m *Main) { m.Hasher = hasher })
	s.user("admin@example.com", actor.Admin, "") // or every page leads to /setup
	v := visitorFrom(t, s, "")
	token := v.formToken("/login")
	signIn := func() *http.Response {
		form := url.Values{"csrf_token": {token}, "email": {"ada@example.com"}, "password": {"guess guess guess"}}
		res, err := v.c.PostForm(s.base+"/login", form)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		_ = res.Body.Close()
		return res
	}
	// The one slot is taken (another sign-in hashing): this one is not kept waiting or hashed.
	turn, err := hasher.Turn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res := signIn(); res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Fatalf("a sign-in while every hash slot is taken: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	turn.Release()
	if res := signIn(); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the same sign-in once the slot is free: %d, want 401", res.StatusCode)
	}
}

// TestSecurityFormBodyLimits: the sign-in form refuses a large body before reading it, whether
// its length is declared or not, and a signed-in form is bounded too.
func TestSecurityFormBodyLimits(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		admin := s.formSignIn(t, "admin@example.com", s.user("admin@example.com", actor.Admin, ""))
		v := visitorFrom(t, s, "")
		token := v.formToken("/login")
		huge := url.Values{"csrf_token": {token}, "email": {"ada@example.com"}, "password": {strings.Repeat("x", 1<<20)}}.Encode()
		for _, declared := range []bool{true, false} {
			req, err := http.NewRequest(http.MethodPost, s.base+"/login", strings.NewReader(huge))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if !declared {
				req.ContentLength, req.Body = -1, io.NopCloser(strings.NewReader(huge))
			}
			if st, _, _ := v.do(req); st != http.StatusRequestEntityTooLarge {
				t.Errorf("a 1 MiB sign-in form (length declared: %v): %d, want 413", declared, st)
			}
		}
		if st, _, _ := admin.post("/users", admin.with(url.Values{"email": {"x@example.com"}, "role": {"agent"},
			"password": {strings.Repeat("y", 100<<10)}})); st != http.StatusRequestEntityTooLarge {
			t.Errorf("a 100 KiB users form: %d, want 413", st)
		}
	})
}

// TestSecurityUploadCSRFBeforeFile: an evidence upload whose form carries a wrong CSRF token is
// refused before the server reads its file: the answer comes while the file is still being sent.
func TestSecurityUploadCSRFBeforeFile(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		admin := s.formSignIn(t, "admin@example.com", s.user("admin@example.com", actor.Admin, ""))
		_, _, charge := s.sale(1500, "USD")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "reason": "fraudulent", "transaction_id": charge})
		want(t, d, 201)
		const boundary = "uploadboundary0123456789"
		base, _ := url.Parse(s.base)
		var cookies []string
		for _, c := range admin.c.Jar.Cookies(base) {
			cookies = append(cookies, c.Name+"="+c.Value)
		}
		start := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nnot-the-token\r\n" +
			"--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n"
		for _, path := range []string{"/disputes/" + d.str("id") + "/evidence", "/portal/disputes/" + d.str("id") + "/evidence"} {
			// The request announces a 10 MiB upload and sends its start only: a server that read the
			// file before the token would wait for the rest, and the deadline would end the test.
			conn, err := net.Dial("tcp", base.Host)
			if err != nil {
				t.Fatal(err)
			}
			_, err = io.WriteString(conn, "POST "+path+" HTTP/1.1\r\nHost: "+base.Host+"\r\nCookie: "+strings.Join(cookies, "; ")+
				"\r\nContent-Type: multipart/form-data; boundary="+boundary+"\r\nContent-Length: "+strconv.Itoa(10<<20)+"\r\n\r\n"+start)
			if err != nil {
				t.Fatal(err)
			}
			_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
			res, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("POST %s with a wrong token before its file: no answer while the file was on its way: %v", path, err)
			}
			_ = conn.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s with a wrong token before its file: %d, want 403", path, res.StatusCode)
			}
		}
		if n := len(s.get("/v1/disputes/" + d.str("id") + "/evidence").list()); n != 0 {
			t.Fatalf("%d evidence items after forged uploads", n)
		}
	})
}

// TestSecurityUsersRevocable: an admin disables, enables, signs out, resets the password of and
// deletes a user, through the API and the users page; each ends the user's sessions at once, a
// disabled user's right password gets a wrong password's answer, and an admin cannot disable or
// delete their own account.
func TestSecurityUsersRevocable(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		adminPW := s.user("admin@example.com", actor.Admin, "")
		pw := s.user("agent@example.com", actor.Agent, "")
		admin := s.formSignIn(t, "admin@example.com", adminPW)
		var agentID, adminID string
		for _, u := range s.get("/v1/users").list() {
			if strings.Contains(fmt.Sprint(u), "password") {
				t.Fatalf("the user list shows a password: %v", u)
			}
			switch u["email"] {
			case "agent@example.com":
				agentID, _ = u["id"].(string)
			case "admin@example.com":
				adminID, _ = u["id"].(string)
			}
		}
		if agentID == "" || adminID == "" {
			t.Fatalf("GET /v1/users: %s", s.get("/v1/users").raw)
		}
		signedIn := func(fs *formSession) bool {
			st, _, _ := fs.get("/disputes")
			return st == http.StatusOK
		}
		answer := func(email, pass string) string {
			v := visitorFrom(t, s, "127.0.0.4")
			_, body, err := v.attempt(v.formToken("/login"), email, pass)
			if err != nil {
				t.Fatal(err)
			}
			return problemOf(body)
		}
		wrong := answer("agent@example.com", "not the password")

		// API: disable ends the session and refuses the right password as a wrong one.
		agent := s.formSignIn(t, "agent@example.com", pw)
		r := s.post("/v1/users/"+agentID+"/disable", nil)
		want(t, r, 200)
		if r.str("disabled_at") == "" {
			t.Fatalf("a disabled user: %s", r.raw)
		}
		if signedIn(agent) {
			t.Fatal("a disabled user's session still works")
		}
		if got := answer("agent@example.com", pw); got != wrong {
			t.Fatalf("a disabled user's right password: %q, want a wrong password's answer %q", got, wrong)
		}
		want(t, s.post("/v1/users/"+agentID+"/enable", nil), 200)
		agent = s.formSignIn(t, "agent@example.com", pw)
		want(t, s.post("/v1/users/"+agentID+"/sign_out", nil), 200)
		if signedIn(agent) {
			t.Fatal("a session survived sign_out")
		}
		want(t, s.post("/v1/users/usr_nope/disable", nil), 404, "not_found")

		// The users page: every action asks for a confirmation first.
		agent = s.formSignIn(t, "agent@example.com", pw)
		_, page, _ := admin.get("/users")
		for _, box := range []string{"sign-out-", "reset-", "disable-", "delete-"} {
			if !strings.Contains(page, `id="`+box+agentID+`"`) {
				t.Errorf("the users page has no %s box for the agent", box)
			}
		}
		if strings.Contains(page, `id="disable-`+adminID+`"`) || strings.Contains(page, `id="delete-`+adminID+`"`) {
			t.Error("the users page offers the admin to disable or delete their own account")
		}
		if st, _, _ := admin.post("/users/"+agentID+"/disable", admin.with(url.Values{})); st != http.StatusUnprocessableEntity || !signedIn(agent) {
			t.Fatalf("disable without the confirmation: %d", st)
		}
		for _, own := range []string{"disable", "delete"} {
			if st, _, _ := admin.post("/users/"+adminID+"/"+own, admin.with(url.Values{"confirm": {"yes"}})); st != http.StatusConflict || !signedIn(admin) {
				t.Fatalf("an admin's %s of their own account: %d", own, st)
			}
		}
		const fresh = "a brand new passphrase"
		if st, _, _ := admin.post("/users/"+agentID+"/password", admin.with(url.Values{"confirm": {"yes"},
			"password": {"password1234"}, "password_again": {"password1234"}})); st != http.StatusUnprocessableEntity || !signedIn(agent) {
			t.Fatalf("a common new password: %d", st)
		}
		if st, _, loc := admin.post("/users/"+agentID+"/password", admin.with(url.Values{"confirm": {"yes"},
			"password": {fresh}, "password_again": {fresh}})); st != http.StatusSeeOther || !strings.HasPrefix(loc, "/users?") {
			t.Fatalf("reset the password: %d %s", st, loc)
		}
		if signedIn(agent) {
			t.Fatal("a session survived a password reset")
		}
		if got := answer("agent@example.com", pw); got != wrong {
			t.Fatalf("the old password after a reset: %q", got)
		}
		agent = s.formSignIn(t, "agent@example.com", fresh)
		if st, _, _ := admin.post("/users/"+agentID+"/delete", admin.with(url.Values{"confirm": {"yes"}})); st != http.StatusSeeOther || signedIn(agent) {
			t.Fatalf("delete the user: %d", st)
		}
		want(t, s.call(http.MethodDelete, "/v1/users/"+agentID, nil), 404)
		if got := answer("agent@example.com", fresh); got != wrong {
			t.Fatalf("a deleted user's password: %q", got)
		}
	})
}

// TestSecurityUserCommands: on the server, `disputed user` lists, disables, enables, resets the
// password of (read from standard input, under the password rules), signs out and deletes users.
func TestSecurityUserCommands(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		vars := map[string]string{"DISPUTED_DATABASE_URL": db}
		if isPostgres(db) { // the test servers' key: a generated one would go to this folder
			vars[secretKeyEnv] = testSecretKey
		}
		env := envOf(vars)
		cmd := func(stdin string, args ...string) (string, error) {
			var out strings.Builder
			err := user(context.Background(), args, env, strings.NewReader(stdin), &out)
			return out.String(), err
		}
		if _, err := cmd("password1234\n", "create", "--email", "ada@example.com", "--role", "agent"); err == nil {
			t.Fatal("user create took a common password")
		}
		if _, err := cmd("correct horse battery staple\n", "create", "--email", "ada@example.com", "--role", "agent"); err != nil {
			t.Fatal(err)
		}
		s := startServerOn(t, db)
		s.user("admin@example.com", actor.Admin, "")
		ada := s.formSignIn(t, "ada@example.com", "correct horse battery staple")
		out, err := cmd("", "list")
		if err != nil || !strings.Contains(out, "ada@example.com") || strings.Contains(out, "argon2") {
			t.Fatalf("user list: %v\n%s", err, out)
		}
		run := func(stdin, name string) {
			t.Helper()
			if out, err := cmd(stdin, name, "ada@example.com"); err != nil || !strings.Contains(out, "ada@example.com") {
				t.Fatalf("user %s: %v %s", name, err, out)
			}
			if st, _, _ := ada.get("/disputes"); st == http.StatusOK {
				t.Fatalf("a session survived user %s", name)
			}
		}
		signIn := func(pass string) int {
			v := visitorFrom(t, s, "127.0.0.5")
			st, _, err := v.attempt(v.formToken("/login"), "ada@example.com", pass)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		run("", "disable")
		if st := signIn("correct horse battery staple"); st != http.StatusUnauthorized {
			t.Fatalf("a disabled user signs in: %d", st)
		}
		run("", "enable")
		ada = s.formSignIn(t, "ada@example.com", "correct horse battery staple")
		run("", "sign-out")
		ada = s.formSignIn(t, "ada@example.com", "correct horse battery staple")
		if _, err := cmd("aaaaaaaaaaaaaaa\n", "reset-password", "ada@example.com"); err == nil {
			t.Fatal("reset-password took a password of one letter")
		}
		run("ada's new passphrase\n", "reset-password")
		if st := signIn("correct horse battery staple"); st != http.StatusUnauthorized {
			t.Fatalf("the old password after reset-password: %d", st)
		}
		if st := signIn("ada's new passphrase"); st != http.StatusSeeOther {
			t.Fatalf("the new password after reset-password: %d", st)
		}
		if _, err := cmd("", "delete", "ada@example.com"); err != nil {
			t.Fatal(err)
		}
		if out, _ := cmd("", "list"); strings.Contains(out, "ada@example.com") {
			t.Fatalf("a deleted user is listed:\n%s", out)
		}
	})
}

// TestSecurityRevokeKeyNeedsConfirmation: the API keys page's revoke form does nothing without
// the confirmation its box sends.
func TestSecurityRevokeKeyNeedsConfirmation(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		admin := s.formSignIn(t, "admin@example.com", s.user("admin@example.com", actor.Admin, ""))
		k := s.post("/v1/api_keys", map[string]any{"role": "agent"})
		want(t, k, 201)
		if st, _, _ := admin.post("/api-keys/"+k.str("id")+"/revoke", admin.with(url.Values{})); st != http.StatusUnprocessableEntity {
			t.Fatalf("revoke without the confirmation: %d, want 422", st)
		}
		want(t, s.as(k.str("secret")).get("/v1/disputes"), http.StatusOK)
		if st, _, _ := admin.post("/api-keys/"+k.str("id")+"/revoke", admin.with(url.Values{"confirm": {"yes"}})); st != http.StatusSeeOther {
			t.Fatalf("revoke, confirmed: %d", st)
		}
		want(t, s.as(k.str("secret")).get("/v1/disputes"), http.StatusUnauthorized)
	})
}
