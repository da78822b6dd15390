package main

import (
	"bufio"
	"context"
	"disputed/internal/testenv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/password"
)

// Sign-in and setup as a hostile visitor tries them, where it needs the process: the setup token
// the server prints in its log, the hashes bounded (a Hasher of the
// process's), and the user commands. The rest (the lock, small bodies, sessions that end) is in
// internal/web/signin_test.go.

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

// TestSetupLinkInTheLog: a server started with no admin user prints a setup link in its log,
// each instance its own token, and the token one instance printed opens the setup form on the
// other; once an admin exists, /setup is gone on every instance. What /setup refuses without a
// token is internal/web's TestSecuritySetupNeedsToken.
func TestSetupLinkInTheLog(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		logsA, logsB := &lockedBuffer{}, &lockedBuffer{}
		a := startConfigured(t, db, func(m *Main) { m.logOut = logsA })
		b := startConfigured(t, db, func(m *Main) { m.logOut = logsB })
		tokenA, tokenB := setupLink(t, logsA), setupLink(t, logsB)
		if tokenA == tokenB {
			t.Fatal("two servers printed the same setup token")
		}
		for _, tt := range []struct {
			s     *testServer
			token string
		}{{a, tokenB}, {b, tokenA}} {
			if page := testenv.NewForms(t, tt.s.base, nil).Get("/setup?token=" + url.QueryEscape(tt.token)); page.Status != http.StatusOK ||
				!strings.Contains(page.Body, `name="password"`) {
				t.Fatalf("GET /setup with the token the other instance printed: %d:\n%s", page.Status, page.Body)
			}
		}
		a.user("owner@example.com", actor.Admin, "")
		for _, s := range []*testServer{a, b} {
			for _, token := range []string{tokenA, tokenB} {
				if page := testenv.NewForms(t, s.base, nil).Get("/setup?token=" + url.QueryEscape(token)); page.Status != http.StatusNotFound {
					t.Errorf("GET /setup once there is an admin: %d, want 404", page.Status)
				}
			}
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
	v := testenv.NewForms(t, s.base, nil)
	token := v.PageToken("/login")
	signIn := func() *http.Response {
		form := url.Values{"csrf_token": {token}, "email": {"ada@example.com"}, "password": {"guess guess guess"}}
		res, err := v.HTTP.PostForm(s.base+"/login", form)
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
		ada := testenv.SignInForms(t, s.base, "ada@example.com", "correct horse battery staple")
		out, err := cmd("", "list")
		if err != nil || !strings.Contains(out, "ada@example.com") || strings.Contains(out, "argon2") {
			t.Fatalf("user list: %v\n%s", err, out)
		}
		run := func(stdin, name string) {
			t.Helper()
			if out, err := cmd(stdin, name, "ada@example.com"); err != nil || !strings.Contains(out, "ada@example.com") {
				t.Fatalf("user %s: %v %s", name, err, out)
			}
			if ada.Get("/disputes").Status == http.StatusOK {
				t.Fatalf("a session survived user %s", name)
			}
		}
		signIn := func(pass string) int {
			v := testenv.NewFormsFrom(t, s.base, "127.0.0.5")
			st, _, err := v.TrySignIn(v.PageToken("/login"), "ada@example.com", pass)
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
		ada = testenv.SignInForms(t, s.base, "ada@example.com", "correct horse battery staple")
		run("", "sign-out")
		ada = testenv.SignInForms(t, s.base, "ada@example.com", "correct horse battery staple")
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
