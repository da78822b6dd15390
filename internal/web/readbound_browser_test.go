package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// TestBrowserDisputeListReadBound: with the server reading at most four disputes a list, a
// search whose one match is the oldest of eleven disputes shows that it stopped, with no
// "no dispute matches" and a "Search further" link; following the links finds the dispute
// once, and the last page has no link on. A place that is not one is refused.
func TestBrowserDisputeListReadBound(t *testing.T) {
	t.Parallel()
	const n = 11
	testenv.EachWith(t, testenv.Options{ListReadAtMost: 4}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
		oldest := e.OneDueSoon(n)
		// The tag's index is walked; the due date is checked on the disputes it yields.
		next := c.URL + "/disputes?tag=walk&due_before=" + e.Clock.Now().Add(time.Hour).Format(time.DateOnly)
		seen, stopped := 0, 0
		for page := 0; next != ""; page++ {
			if page > n {
				t.Fatalf("more than %d pages: the search does not move on", n)
			}
			browsertest.Do(t, ctx, chromedp.Navigate(next), chromedp.WaitVisible(chromedp.CSS("main")))
			main := browsertest.Eval[string](t, ctx, `document.querySelector("main").textContent`)
			seen += strings.Count(main, oldest)
			if browsertest.Eval[bool](t, ctx, `!!document.querySelector("#search-stopped")`) {
				stopped++
				if strings.Contains(main, "No dispute matches") {
					t.Errorf("page %d stopped at the bound says no dispute matches: %q", page, main)
				}
				if got := browsertest.Eval[string](t, ctx, `(document.querySelector("#next-page") || {}).textContent || ""`); !strings.Contains(got, "Search further") {
					t.Fatalf("page %d stopped at the bound without a link to search further: %q", page, got)
				}
			}
			next = browsertest.Eval[string](t, ctx, `(document.querySelector("#next-page") || {}).href || ""`)
		}
		if seen != 1 {
			t.Errorf("the oldest dispute was listed %d times, want once", seen)
		}
		if stopped < 2 {
			t.Errorf("%d pages stopped at the bound, want at least 2", stopped)
		}
		// A place in the list that this server did not write is refused, naming the parameter.
		if a := e.Forms(c, actor.Agent, "").Get("/disputes?after=nowhere"); a.Status != 422 || !strings.Contains(a.Body, "The parameter after") {
			t.Errorf("after=nowhere: %d, want 422 naming after", a.Status)
		}
	})
}
