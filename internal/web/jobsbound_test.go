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

// TestUIJobsPageReadBound: the jobs page of a kind that only the oldest of eleven jobs has, with
// the server reading at most four rows a list, says it stopped and links to Search further;
// following the links finds the one job exactly once, and the last page links no further.
func TestUIJobsPageReadBound(t *testing.T) {
	t.Parallel()
	const readAtMost, n = 4, 11
	testenv.EachWith(t, testenv.Options{ListReadAtMost: readAtMost}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		oldest := e.OneRareJob(n)
		f := e.Forms(c, actor.Admin, "")
		further := regexp.MustCompile(`id="search-further" href="([^"]+)"`)
		jobRow := regexp.MustCompile(`<tr class="job" id="job-([^"]+)"`)
		found, stopped := followFurther(t, f, "/jobs?state=all&kind=rare", n, jobRow, further, `id="jobs-stopped"`, nil)
		if !slices.Equal(found, []string{oldest}) {
			t.Errorf("following Search further found %v, want the oldest job %s once", found, oldest)
		}
		// A place that is not one is refused as the dispute list refuses it, naming the parameter.
		if a := f.Get("/jobs?after=nowhere"); a.Status != 422 || !strings.Contains(a.Body, "The parameter after") {
			t.Errorf("after=nowhere: %d, want 422 naming after", a.Status)
		}
		if stopped < n/readAtMost {
			t.Errorf("%d pages said they stopped at the bound of %d among %d jobs, want at least %d", stopped, readAtMost, n, n/readAtMost)
		}
	})
}

// followFurther follows a list page's Search further links from path, at most pages times, and
// returns the ids rows finds on the pages and how many said stopped (a marker in the page);
// check, when not nil, is given each link followed.
func followFurther(t *testing.T, f *testenv.Forms, path string, pages int, rows, further *regexp.Regexp, stoppedMarker string,
	check func(link string)) (found []string, stopped int) {
	t.Helper()
	for page := 0; path != ""; page++ {
		if page > pages {
			t.Fatalf("more than %d pages: the links do not move on (found %v)", pages, found)
		}
		p := f.Get(path)
		wantOK(t, p)
		for _, m := range rows.FindAllStringSubmatch(p.Body, -1) {
			found = append(found, m[1])
		}
		if strings.Contains(p.Body, stoppedMarker) {
			stopped++
		}
		path = ""
		if m := further.FindStringSubmatch(p.Body); m != nil {
			path = html.UnescapeString(m[1])
			if check != nil {
				check(path)
			}
		}
	}
	return found, stopped
}
