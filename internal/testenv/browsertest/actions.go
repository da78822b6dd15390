package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Do runs browser actions and fails the test on the first error. Actions that met a document
// being replaced (its JavaScript context or nodes gone: a page that loaded after the previous
// step looked finished) are run again on the new one, twice at most.
func Do(t testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
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

// Text is the visible text of the first element matching sel.
func Text(t testing.TB, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("browser: text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// Wait waits until an element matches sel and the text of the first one contains want (with want
// "", until one matches).
func Wait(t testing.TB, ctx context.Context, sel, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		// null when nothing matches: an empty want must not pass on a page without the element
		// (the page before a form's answer arrives).
		got, err := chromedp.Run(ctx, chromedp.Evaluate[*string](fmt.Sprintf(`(e => e ? e.textContent : null)(document.querySelector(%q))`, sel)))
		if err == nil && got != nil && strings.Contains(*got, want) {
			return
		}
		if time.Now().After(deadline) {
			html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
			t.Fatalf("%s: got %v, want it to contain %q (error %v)\n%s", sel, describe(got), want, err, html)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// describe is what Wait found: no element, or its text.
func describe(text *string) string {
	if text == nil {
		return "no element"
	}
	return fmt.Sprintf("%q", *text)
}

// Submit clicks a button that loads another page and waits for the text of sel on it. The old
// page's messages go first, so that they cannot pass for the new page's.
func Submit(t testing.TB, ctx context.Context, button, sel, want string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("p.notice, p.error").forEach(e => e.remove()); 0`)); err != nil {
		t.Fatalf("browser: %v", err)
	}
	Do(t, ctx, chromedp.Click(chromedp.CSS(button), chromedp.NodeVisible))
	Wait(t, ctx, sel, want)
	// The new page's text shows while it may still be loading; the next action's node lookups
	// would then meet nodes the finished document no longer has ("No node with given id").
	for deadline := time.Now().Add(10 * time.Second); Eval[string](t, ctx, `document.readyState`) != "complete"; {
		if time.Now().After(deadline) {
			t.Fatalf("the page after %s did not finish loading", button)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// JS is an action that runs a JavaScript statement on the page.
func JS(stmt string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool]("(() => { "+stmt+"; return true })()")(ctx, t)
		return err
	})
}

// Eval evaluates a JavaScript expression on the page.
func Eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("browser: %s: %v", expr, err)
	}
	return v
}

// SignIn signs in through the login form of the server at base.
func SignIn(t testing.TB, ctx context.Context, base, email, password string) {
	t.Helper()
	Do(t, ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Submit(chromedp.CSS(`input[name=password]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.signout`)),
	)
}
