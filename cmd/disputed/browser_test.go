package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/access"
	"disputed/internal/actor"
)

const chromiumPath = "/usr/bin/chromium"

// browser returns a context for one test in the test binary's headless Chromium: a browser
// context of its own (cookies, storage and cache apart from every other test's), closed when the
// test ends, with 60 s for the test's actions. Without Chromium the test is skipped, except in CI
// (CI=true), where it fails.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is not installed at %s (apt-get install chromium)", chromiumPath)
		}
		t.Skipf("chromium is not installed at %s", chromiumPath)
	}
	root, err := chromium.browser(t)
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	// The deadline is the tab's: it ends the test's actions and closes its browser context.
	limited, cancelTimeout := context.WithTimeout(root, 60*time.Second)
	ctx, closeTab := chromedp.NewContext(limited, chromedp.WithNewBrowserContext())
	t.Cleanup(func() { closeTab(); cancelTimeout() })
	if err := chromedp.Do(ctx); err != nil { // opens the tab
		t.Fatalf("open a tab in chromium: %v", err)
	}
	return ctx
}

// chromium is the one headless Chromium of this test binary, which starts it on the first
// browser test and closes it in TestMain: a start costs seconds of CPU, a browser context
// milliseconds.
var chromium sharedChromium

// sharedChromium starts a Chromium when there is none running (the first time, or after one
// exited) and stops the last one started.
type sharedChromium struct {
	mu   sync.Mutex
	root context.Context // the browser's first tab, which the tests' browser contexts come from
	stop func()          // closes the browser and removes its profile
}

// browser returns the running Chromium's first tab, starting it if need be. Chromium now and then
// exits before it listens (CI saw it once among 30 starts, with nothing in its output but the
// usual dbus noise); a browser that never started says nothing about the UI, so a start is tried
// three times, each with a fresh profile.
func (c *sharedChromium) browser(t *testing.T) (context.Context, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.root != nil && c.root.Err() == nil {
		return c.root, nil
	}
	c.close()
	var err error
	for attempt := 1; attempt <= 3; attempt++ {
		if c.root, c.stop, err = startChromium(); err == nil {
			return c.root, nil
		}
		t.Logf("start chromium, attempt %d: %v", attempt, err)
	}
	return nil, err
}

// Close stops the running Chromium, if any.
func (c *sharedChromium) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.close()
}

func (c *sharedChromium) close() {
	if c.stop != nil {
		c.stop()
	}
	c.root, c.stop = nil, nil
}

// startChromium starts one headless Chromium with a profile of its own and returns its first tab
// and the function that closes it and removes the profile.
func startChromium() (context.Context, func(), error) {
	profile, err := os.MkdirTemp("", "chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(profile), chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true))
	// The browser lives as long as the context of its first action, so the time a start may take
	// is bounded apart, by cancelling everything if it takes too long.
	life, end := context.WithCancel(context.Background())
	actx, cancelAlloc := chromedp.NewExecAllocator(life, opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	stop := func() {
		cancelCtx()
		cancelAlloc()
		end()
		_ = os.RemoveAll(profile)
	}
	tooLong := time.AfterFunc(60*time.Second, end)
	err = chromedp.Do(ctx) // starts the browser
	if !tooLong.Stop() && err == nil {
		err = errors.New("chromium took more than 60 s to start")
	}
	if err != nil {
		stop()
		return nil, nil, err
	}
	return ctx, stop, nil
}

// user creates a web UI user the way `disputed user create` does and returns its password.
func (s *testServer) user(email string, role actor.Role, party string) string {
	s.t.Helper()
	const pw = "correct horse battery staple"
	if _, err := s.main.server.Access.CreateUser(context.Background(), actor.System, access.UserParams{Email: email, Role: string(role),
		PartyID: party, Password: pw}); err != nil {
		s.t.Fatal(err)
	}
	return pw
}

// signIn signs in through the login form.
func (s *testServer) signIn(ctx context.Context, email, password string) {
	s.t.Helper()
	do(s.t, ctx,
		chromedp.Navigate(s.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Submit(chromedp.CSS(`input[name=password]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.signout`)),
	)
}

// do runs browser actions and fails the test on the first error. Actions that met a document
// being replaced (its JavaScript context or nodes gone: a page that loaded after the previous
// step looked finished) are run again on the new one, twice at most.
func do(t testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	err := chromedp.Do(ctx, actions...)
	for retry := 0; err != nil && retry < 2 && documentReplaced(err); retry++ {
		time.Sleep(200 * time.Millisecond)
		err = chromedp.Do(ctx, actions...)
	}
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// documentReplaced reports whether a browser error says the page's document changed under the
// action, rather than that the page lacks what the action looks for.
func documentReplaced(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Cannot find context with specified id") || strings.Contains(msg, "No node with given id")
}

// text is the visible text of the first element matching sel.
func text(t testing.TB, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("browser: text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func TestBrowserSignInAndOut(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	ctx := browser(t)
	pw := s.user("ada@example.com", actor.Admin, "")
	var body string
	do(t, ctx, chromedp.Navigate(s.base+"/disputes"), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), "ada@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "not the password"),
		chromedp.Submit(chromedp.CSS(`input[name=password]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.error`)),
	)
	if got := text(t, ctx, "p.error"); !strings.Contains(got, "wrong") {
		t.Fatalf("after a wrong password: %q", got)
	}
	s.signIn(ctx, "ada@example.com", pw)
	body = text(t, ctx, "header")
	if !strings.Contains(body, "ada@example.com") {
		t.Fatalf("header after sign-in: %q", body)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`form.signout button`)), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
	do(t, ctx, chromedp.Navigate(s.base+"/disputes"), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
}

// TestBrowserContextsApart: the browser tests share one Chromium, so each must get its own
// cookies: a sign-in in one test's browser leaves another's signed out, on the same server.
func TestBrowserContextsApart(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	signedIn, other := browser(t), browser(t)
	s.signIn(signedIn, "ada@example.com", s.user("ada@example.com", actor.Admin, ""))
	do(t, other, chromedp.Navigate(s.base+"/disputes"), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
	do(t, signedIn, chromedp.Navigate(s.base+"/disputes"), chromedp.WaitVisible(chromedp.CSS(`form.signout`)))
}
