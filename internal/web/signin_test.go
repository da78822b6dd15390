package web_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// Sign-in and the users' sessions as a hostile visitor tries them: sign-in attempts counted before
// their hash so that sending them together gains nothing, a lock per email and client address,
// small bodies, and sessions that end when an admin says so. The rules of the lock are in
// internal/access; what needs the process (the setup token in the log, a bound Hasher, the user
// commands) is in cmd/disputed/signin_test.go.

// signInAttempts sends the sign-in forms at once and returns how many got each status, and the
// body of one answer of each status.
func signInAttempts(t *testing.T, f *testenv.Forms, token, email string, passwords ...string) (map[int]int, map[int]string) {
	t.Helper()
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		counts = map[int]int{}
		bodies = map[int]string{}
		errs   []error
	)
	for _, pass := range passwords {
		wg.Go(func() {
			status, body, err := f.TrySignIn(token, email, pass)
			mu.Lock()
			defer mu.Unlock()
			counts[status]++
			bodies[status] = body
			errs = append(errs, err)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return counts, bodies
}

var (
	errorLine = regexp.MustCompile(`<p class="error" role="alert">([^<]*)</p>`)
	clockTime = regexp.MustCompile(`\d\d:\d\d:\d\d UTC`)
)

// signInProblem is the refusal a page shows, with any time of day left out.
func signInProblem(body string) string {
	m := errorLine.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return clockTime.ReplaceAllString(m[1], "HH:MM:SS UTC")
}

// TestSecurityLoginLockout: attempts sent together are counted before their hash, so that no
// more than the five the policy allows are checked; a locked email is refused even with the
// right password, and a locked unknown email answers exactly like a locked account; the lock
// holds for one client address, not for the account from another.
func TestSecurityLoginLockout(t *testing.T) {
	t.Parallel()
	// The test hasher's hashes cost almost nothing, so that a sign-in does not wait long enough for
	// its turn to be answered 503 (an attempt the lock never saw) even on a busy machine; the busy
	// answer is TestSecurityLoginBusy's, in cmd/disputed.
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		e.User("ada@example.com", actor.Admin, "")
		pw := testenv.Password
		here := testenv.NewForms(t, c.URL, nil)
		token := here.Token("/login")

		// 30 wrong passwords at once: five are checked, the others refused as locked.
		counts, bodies := signInAttempts(t, here, token, "ada@example.com", slices.Repeat([]string{"not the password"}, 30)...)
		if counts[http.StatusUnauthorized] > 5 || counts[http.StatusUnauthorized]+counts[http.StatusTooManyRequests] != 30 {
			t.Fatalf("30 wrong passwords at once: %v, want at most 5 checked (401) and the rest locked (429)", counts)
		}
		locked := signInProblem(bodies[http.StatusTooManyRequests])
		if !strings.Contains(locked, "too many failed sign-ins") {
			t.Fatalf("the locked answer: %q", locked)
		}

		// Locked: 15 wrong and the right one together sign nobody in; the right one is told the same.
		counts, bodies = signInAttempts(t, here, token, "ada@example.com", append(slices.Repeat([]string{"not the password"}, 15), pw)...)
		if counts[http.StatusTooManyRequests] != 16 || signInProblem(bodies[http.StatusTooManyRequests]) != locked {
			t.Fatalf("15 wrong and the right password while locked: %v", counts)
		}
		if st := here.Get("/disputes").Status; st != http.StatusSeeOther {
			t.Fatalf("signed in while locked: GET /disputes %d", st)
		}

		// An email nobody has is locked the same way, with the same answer.
		counts, bodies = signInAttempts(t, here, token, "nobody@example.com", slices.Repeat([]string{"not the password"}, 6)...)
		if counts[http.StatusTooManyRequests] == 0 || signInProblem(bodies[http.StatusTooManyRequests]) != locked {
			t.Fatalf("an unknown email: %v, %q, want the locked answer %q", counts, signInProblem(bodies[http.StatusTooManyRequests]), locked)
		}
		_, wrongReal, _ := testenv.NewFormsFrom(t, c.URL, "127.0.0.3").TrySignIn(token, "ada@example.com", "not the password")
		_, wrongNobody, _ := testenv.NewFormsFrom(t, c.URL, "127.0.0.3").TrySignIn(token, "nobody@example.com", "not the password")
		if signInProblem(wrongReal) == "" || signInProblem(wrongReal) != signInProblem(wrongNobody) {
			t.Fatalf("a wrong password %q and an unknown email %q answer differently", signInProblem(wrongReal), signInProblem(wrongNobody))
		}

		// From another address the account is not locked.
		there := testenv.NewFormsFrom(t, c.URL, "127.0.0.2")
		if st, body, err := there.TrySignIn(there.Token("/login"), "ada@example.com", pw); err != nil || st != http.StatusSeeOther {
			t.Fatalf("the right password from another address: %d %v\n%s", st, err, body)
		}
		if st := there.Get("/disputes").Status; st != http.StatusOK {
			t.Fatalf("signed in from another address: GET /disputes %d", st)
		}
	})
}

// TestSecurityFormBodyLimits: the sign-in form refuses a large body before reading it, whether
// its length is declared or not, and a signed-in form is bounded too.
func TestSecurityFormBodyLimits(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		admin := e.Forms(c, actor.Admin, "")
		v := testenv.NewForms(t, c.URL, nil)
		token := v.Token("/login")
		huge := url.Values{"csrf_token": {token}, "email": {"ada@example.com"}, "password": {strings.Repeat("x", 1<<20)}}.Encode()
		for _, declared := range []bool{true, false} {
			req, err := http.NewRequest(http.MethodPost, c.URL+"/login", strings.NewReader(huge))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if !declared {
				req.ContentLength, req.Body = -1, io.NopCloser(strings.NewReader(huge))
			}
			if st := v.Do(req).Status; st != http.StatusRequestEntityTooLarge {
				t.Errorf("a 1 MiB sign-in form (length declared: %v): %d, want 413", declared, st)
			}
		}
		if st := admin.Post("/users", admin.Signed(url.Values{"email": {"x@example.com"}, "role": {"agent"},
			"password": {strings.Repeat("y", 100<<10)}})).Status; st != http.StatusRequestEntityTooLarge {
			t.Errorf("a 100 KiB users form: %d, want 413", st)
		}
	})
}

// TestSecurityUploadCSRFBeforeFile: an evidence upload whose form carries a wrong CSRF token is
// refused before the server reads its file: the answer comes while the file is still being sent.
func TestSecurityUploadCSRFBeforeFile(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		admin := e.Forms(c, actor.Admin, "")
		d := e.Dispute(e.Sale(testenv.SaleParams{}), "chargeback", func(p *app.DisputeParams) { p.Reason = "fraudulent" })
		const boundary = "uploadboundary0123456789"
		base, _ := url.Parse(c.URL)
		var cookies []string
		for _, k := range admin.HTTP.Jar.Cookies(base) {
			cookies = append(cookies, k.Name+"="+k.Value)
		}
		start := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nnot-the-token\r\n" +
			"--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n"
		for _, path := range []string{"/disputes/" + d.ID + "/evidence", "/portal/disputes/" + d.ID + "/evidence"} {
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
		if items := testenv.Want[httpapi.List[httpapi.EvidenceItem]](t, c.Get("/v1/disputes/"+d.ID+"/evidence"), 200).Data; len(items) != 0 {
			t.Fatalf("%d evidence items after forged uploads", len(items))
		}
	})
}

// TestSecurityUsersRevocable: an admin disables, enables, signs out, resets the password of and
// deletes a user, through the API and the users page; each ends the user's sessions at once, a
// disabled user's right password gets a wrong password's answer, and an admin cannot disable or
// delete their own account.
func TestSecurityUsersRevocable(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		adminID := e.User("admin@example.com", actor.Admin, "").ID
		agentID := e.User("agent@example.com", actor.Agent, "").ID
		pw := testenv.Password
		admin := testenv.SignInForms(t, c.URL, "admin@example.com", pw)
		users := c.Get("/v1/users")
		listed := map[string]string{}
		for _, u := range testenv.Want[httpapi.List[httpapi.User]](t, users, 200).Data {
			listed[u.Email] = u.ID
		}
		if strings.Contains(users.String(), "password") || listed["agent@example.com"] != agentID || listed["admin@example.com"] != adminID {
			t.Fatalf("GET /v1/users: %s", users)
		}
		signedIn := func(f *testenv.Forms) bool { return f.Get("/disputes").Status == http.StatusOK }
		answer := func(email, pass string) string {
			v := testenv.NewFormsFrom(t, c.URL, "127.0.0.4")
			_, body, err := v.TrySignIn(v.Token("/login"), email, pass)
			if err != nil {
				t.Fatal(err)
			}
			return signInProblem(body)
		}
		wrong := answer("agent@example.com", "not the password")

		// API: disable ends the session and refuses the right password as a wrong one.
		agent := testenv.SignInForms(t, c.URL, "agent@example.com", pw)
		if u := testenv.Want[httpapi.User](t, c.Post("/v1/users/"+agentID+"/disable", nil), 200); u.DisabledAt == nil {
			t.Fatalf("a disabled user: %+v", u)
		}
		if signedIn(agent) {
			t.Fatal("a disabled user's session still works")
		}
		if got := answer("agent@example.com", pw); got != wrong {
			t.Fatalf("a disabled user's right password: %q, want a wrong password's answer %q", got, wrong)
		}
		testenv.WantStatus(t, c.Post("/v1/users/"+agentID+"/enable", nil), 200)
		agent = testenv.SignInForms(t, c.URL, "agent@example.com", pw)
		testenv.WantStatus(t, c.Post("/v1/users/"+agentID+"/sign_out", nil), 200)
		if signedIn(agent) {
			t.Fatal("a session survived sign_out")
		}
		testenv.WantError(t, c.Post("/v1/users/usr_nope/disable", nil), 404, "not_found")

		// The users page: every action asks for a confirmation first.
		agent = testenv.SignInForms(t, c.URL, "agent@example.com", pw)
		page := admin.Get("/users").Body
		for _, box := range []string{"sign-out-", "reset-", "disable-", "delete-"} {
			if !strings.Contains(page, `id="`+box+agentID+`"`) {
				t.Errorf("the users page has no %s box for the agent", box)
			}
		}
		if strings.Contains(page, `id="disable-`+adminID+`"`) || strings.Contains(page, `id="delete-`+adminID+`"`) {
			t.Error("the users page offers the admin to disable or delete their own account")
		}
		if st := admin.Post("/users/"+agentID+"/disable", admin.Signed(url.Values{})).Status; st != http.StatusUnprocessableEntity || !signedIn(agent) {
			t.Fatalf("disable without the confirmation: %d", st)
		}
		for _, own := range []string{"disable", "delete"} {
			if st := admin.Post("/users/"+adminID+"/"+own, admin.Signed(url.Values{"confirm": {"yes"}})).Status; st != http.StatusConflict || !signedIn(admin) {
				t.Fatalf("an admin's %s of their own account: %d", own, st)
			}
		}
		const fresh = "a brand new passphrase"
		if st := admin.Post("/users/"+agentID+"/password", admin.Signed(url.Values{"confirm": {"yes"},
			"password": {"password1234"}, "password_again": {"password1234"}})).Status; st != http.StatusUnprocessableEntity || !signedIn(agent) {
			t.Fatalf("a common new password: %d", st)
		}
		if a := admin.Post("/users/"+agentID+"/password", admin.Signed(url.Values{"confirm": {"yes"},
			"password": {fresh}, "password_again": {fresh}})); a.Status != http.StatusSeeOther || !strings.HasPrefix(a.Location, "/users?") {
			t.Fatalf("reset the password: %d %s", a.Status, a.Location)
		}
		if signedIn(agent) {
			t.Fatal("a session survived a password reset")
		}
		if got := answer("agent@example.com", pw); got != wrong {
			t.Fatalf("the old password after a reset: %q", got)
		}
		agent = testenv.SignInForms(t, c.URL, "agent@example.com", fresh)
		if st := admin.Post("/users/"+agentID+"/delete", admin.Signed(url.Values{"confirm": {"yes"}})).Status; st != http.StatusSeeOther || signedIn(agent) {
			t.Fatalf("delete the user: %d", st)
		}
		testenv.WantStatus(t, c.Do(http.MethodDelete, "/v1/users/"+agentID, nil), 404)
		if got := answer("agent@example.com", fresh); got != wrong {
			t.Fatalf("a deleted user's password: %q", got)
		}
	})
}

// TestSecurityRevokeKeyNeedsConfirmation: the API keys page's revoke form does nothing without
// the confirmation its box sends.
func TestSecurityRevokeKeyNeedsConfirmation(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		admin := e.Forms(c, actor.Admin, "")
		k := testenv.Want[httpapi.NewAPIKey](t, c.Post("/v1/api_keys", map[string]any{"role": "agent"}), 201)
		if st := admin.Post("/api-keys/"+k.ID+"/revoke", admin.Signed(url.Values{})).Status; st != http.StatusUnprocessableEntity {
			t.Fatalf("revoke without the confirmation: %d, want 422", st)
		}
		testenv.WantStatus(t, c.As(k.Secret).Get("/v1/disputes"), http.StatusOK)
		if st := admin.Post("/api-keys/"+k.ID+"/revoke", admin.Signed(url.Values{"confirm": {"yes"}})).Status; st != http.StatusSeeOther {
			t.Fatalf("revoke, confirmed: %d", st)
		}
		testenv.WantStatus(t, c.As(k.Secret).Get("/v1/disputes"), http.StatusUnauthorized)
	})
}

// TestSecuritySetupNeedsToken: with no admin user, /setup creates nothing without a setup token
// (a page asks for it; a form without it is 403); a token another instance made works too; once
// the first admin exists, every token is spent and /setup is gone. That a server prints its token
// in its log is TestSetupLinkInTheLog's, in cmd/disputed.
func TestSecuritySetupNeedsToken(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		// Each instance makes its own token when it starts with no admin.
		tokenA := testenv.Must(e.Access.NewSetupToken(e.Ctx))(t)
		tokenB := testenv.Must(e.Access.NewSetupToken(e.Ctx))(t)
		users := func() int { return len(testenv.Must(e.Access.Users(e.Ctx, actor.System))(t)) }
		setupForm := func(csrf, token, email string) url.Values {
			form := url.Values{"csrf_token": {csrf}, "token": {token}, "email": {email},
				"password": {"long enough password"}, "password_again": {"long enough password"}}
			if token == "" {
				delete(form, "token")
			}
			return form
		}
		v := testenv.NewForms(t, c.URL, nil)
		if a := v.Get("/setup"); a.Status != http.StatusOK || strings.Contains(a.Body, `name="password"`) || !strings.Contains(a.Body, `name="token"`) {
			t.Fatalf("GET /setup without a token: %d, want a page asking for the token:\n%s", a.Status, a.Body)
		}
		if a := v.Get("/setup?token=not-the-token"); a.Status != http.StatusForbidden || strings.Contains(a.Body, `name="password"`) {
			t.Fatalf("GET /setup with a wrong token: %d:\n%s", a.Status, a.Body)
		}
		csrf := v.PageToken("/setup")
		for _, token := range []string{"", "not-the-token", tokenA + "x"} {
			if st := v.Post("/setup", setupForm(csrf, token, "evil@example.com")).Status; st != http.StatusForbidden {
				t.Errorf("POST /setup with the token %q: %d, want 403", token, st)
			}
		}
		if n := users(); n != 0 {
			t.Fatalf("%d users after setups without the token", n)
		}
		page := v.Get("/setup?token=" + url.QueryEscape(tokenB))
		if page.Status != http.StatusOK || !strings.Contains(page.Body, `name="password"`) {
			t.Fatalf("GET /setup with the token: %d:\n%s", page.Status, page.Body)
		}
		if a := v.Post("/setup", setupForm(v.Token("/setup?token="+url.QueryEscape(tokenB)), tokenB, "owner@example.com")); a.Status != http.StatusSeeOther ||
			!strings.HasPrefix(a.Location, "/?") {
			t.Fatalf("POST /setup with the token of the other instance: %d %s", a.Status, a.Location)
		}
		if a := v.Get("/users"); a.Status != http.StatusOK || !strings.Contains(a.Body, "owner@example.com") {
			t.Fatalf("the first admin's users page: %d", a.Status)
		}
		for _, token := range []string{tokenA, tokenB, ""} {
			if st := testenv.NewForms(t, c.URL, nil).Get("/setup?token=" + url.QueryEscape(token)).Status; st != http.StatusNotFound {
				t.Errorf("GET /setup once there is an admin: %d, want 404", st)
			}
		}
		again := testenv.NewForms(t, c.URL, nil)
		if st := again.Post("/setup", setupForm(again.Token("/login"), tokenA, "second@example.com")).Status; st != http.StatusNotFound || users() != 1 {
			t.Fatalf("POST /setup with a spent token: %d, %d users", st, users())
		}
	})
}
