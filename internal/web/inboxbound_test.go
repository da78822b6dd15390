package web_test

import (
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/testenv"
)

// eventRows are the ids of the provider events listed on a jobs page.
var eventRows = regexp.MustCompile(`<tr class="provider-event" id="event-([^"]+)"`)

// TestUIJobsPageInboxReadBound: the jobs page's failed provider events, of which only the oldest
// of eleven is one, with the server reading at most four rows a list, say the list stopped and
// link to Search further, keeping the page's filters; following the links finds the one event
// exactly once, and the last page links no further.
func TestUIJobsPageInboxReadBound(t *testing.T) {
	t.Parallel()
	const readAtMost, n = 4, 11
	testenv.EachWith(t, testenv.Options{ListReadAtMost: readAtMost, DeferApplying: true}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		oldest := e.OneRareProviderEvent(n)
		f := e.Forms(c, actor.Admin, "")
		further := regexp.MustCompile(`id="events-further" href="([^"]+)"`)
		found, stopped := followFurther(t, f, "/jobs?state=all&kind=rare&events=failed", n, eventRows, further, `id="events-stopped"`,
			func(link string) {
				if !strings.Contains(link, "events=failed") || !strings.Contains(link, "kind=rare") || !strings.HasSuffix(link, "#provider-events") {
					t.Fatalf("Search further does not keep the page's filters: %s", link)
				}
			})
		if !slices.Equal(found, []string{oldest}) {
			t.Errorf("following Search further found %v, want the oldest failed event %s once", found, oldest)
		}
		if stopped < n/readAtMost {
			t.Errorf("%d pages said they stopped at the bound of %d among %d events, want at least %d", stopped, readAtMost, n, n/readAtMost)
		}
		// A place that is not one is refused as the other lists refuse it, naming the parameter.
		if a := f.Get("/jobs?events_after=nowhere"); a.Status != 422 || !strings.Contains(a.Body, "The parameter events_after") {
			t.Errorf("events_after=nowhere: %d, want 422 naming events_after", a.Status)
		}
	})
}

// TestUIJobsPageInboxOlder: the Older link of a full page of pending provider events keeps the
// state listed, and leads to the rest of them.
func TestUIJobsPageInboxOlder(t *testing.T) {
	t.Parallel()
	const n = 52 // the oldest failed, then a page of 50 pending and one more
	testenv.EachWith(t, testenv.Options{DeferApplying: true}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		e.OneRareProviderEvent(n)
		f := e.Forms(c, actor.Admin, "")
		first := f.Get("/jobs?events=pending")
		wantOK(t, first)
		m := regexp.MustCompile(`(?s)aria-label="Pages of provider events">.*?<a rel="next" href="([^"]+)">Older</a>`).FindStringSubmatch(first.Body)
		if m == nil {
			t.Fatalf("no Older link under a full page of pending events:\n%s", first.Body)
		}
		second := f.Get(html.UnescapeString(m[1]))
		wantOK(t, second)
		if got := eventRows.FindAllStringSubmatch(second.Body, -1); len(got) != 1 || got[0][1] != "pev_rare_01" {
			t.Errorf("the page Older leads to (%s) lists %v, want the oldest pending event pev_rare_01 alone", m[1], got)
		}
	})
}
