package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

func TestBrowserSignInAndOut(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	ctx := browsertest.New(t)
	e.User("ada@example.com", actor.Admin, "")
	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/disputes"), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), "ada@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "not the password"),
		chromedp.Submit(chromedp.CSS(`input[name=password]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.error`)),
	)
	if got := browsertest.Text(t, ctx, "p.error"); !strings.Contains(got, "wrong") {
		t.Fatalf("after a wrong password: %q", got)
	}
	browsertest.SignIn(t, ctx, c.URL, "ada@example.com", testenv.Password)
	if got := browsertest.Text(t, ctx, "header"); !strings.Contains(got, "ada@example.com") {
		t.Fatalf("header after sign-in: %q", got)
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`form.signout button`)), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/disputes"), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
}

// TestBrowserContextsApart: the browser tests share one Chromium, so each must get its own
// cookies: a sign-in in one test's browser leaves another's signed out, on the same server.
func TestBrowserContextsApart(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	signedIn := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
	other := browsertest.New(t)
	browsertest.Do(t, other, chromedp.Navigate(c.URL+"/disputes"), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
	browsertest.Do(t, signedIn, chromedp.Navigate(c.URL+"/disputes"), chromedp.WaitVisible(chromedp.CSS(`form.signout`)))
}
