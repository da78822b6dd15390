// Package browsertest drives the web UI in a headless Chromium for the UI tests: one Chromium per
// test binary, a browser context of its own for each test (cookies, storage and cache apart), and
// the few actions every UI test needs (wait for a text, submit a form and wait for the next page,
// evaluate an expression). A package that uses it closes the Chromium in its TestMain, before
// goleak looks for what was left running:
//
//	func TestMain(m *testing.M) { goleak.VerifyTestMain(browsertest.Wrap(pgtest.Wrap(m))) }
package browsertest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package installs the browser.
const ChromiumPath = "/usr/bin/chromium"

// New returns a context for one test in the test binary's headless Chromium: a browser context of
// its own, closed when the test ends, with 60 s for the test's actions. Without Chromium the test
// is skipped, except in CI (CI=true), where it fails.
func New(t testing.TB) context.Context {
	t.Helper()
	if _, err := exec.LookPath(ChromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is not installed at %s (apt-get install chromium)", ChromiumPath)
		}
		t.Skipf("chromium is not installed at %s", ChromiumPath)
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

// Tests are what runs a package's tests (a *testing.M, or another wrapper of it).
type Tests interface{ Run() int }

// Wrap runs tests, then closes the Chromium they shared.
func Wrap(tests Tests) Tests { return closing{tests} }

type closing struct{ tests Tests }

func (c closing) Run() int {
	defer chromium.Close()
	return c.tests.Run()
}

// chromium is the one headless Chromium of this test binary, which starts on the first browser
// test: a start costs seconds of CPU, a browser context milliseconds.
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
func (c *sharedChromium) browser(t testing.TB) (context.Context, error) {
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
		chromedp.ExecPath(ChromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(profile), chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-software-rasterizer", true), chromedp.Flag("disable-site-isolation-trials", true), chromedp.Flag("renderer-process-limit", "4"), chromedp.Flag("disable-domain-reliability", true), chromedp.Flag("no-pings", true), chromedp.Flag("disable-component-extensions-with-background-pages", true), chromedp.Flag("disable-features", "site-per-process,Translate,PaintHolding,BackForwardCache,OptimizationHints,MediaRouter,CertificateTransparencyComponentUpdater,AutofillServerCommunication,InterestFeedContentSuggestions"))
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
