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
		var found []string
		stopped := 0
		path := "/jobs?state=all&kind=rare"
		for page := 0; path != ""; page++ {
			if page > n {
				t.Fatalf("more than %d pages: the links do not move on (found %v)", n, found)
			}
			p := f.Get(path)
			wantOK(t, p)
			for _, m := range jobRow.FindAllStringSubmatch(p.Body, -1) {
				found = append(found, m[1])
			}
			if strings.Contains(p.Body, `id="jobs-stopped"`) {
				stopped++
			}
			path = ""
			if m := further.FindStringSubmatch(p.Body); m != nil {
				path = html.UnescapeString(m[1])
			}
		}
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
