package httpapi_test

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestDisputeListReadBound: a filter that no index narrows and that matches only the oldest of
// eleven disputes, with the server reading at most four disputes a list, answers pages that
// stopped at the bound (read_bound_reached, has_more, next_cursor, no dispute), and following
// the cursors finds the one match exactly once.
func TestDisputeListReadBound(t *testing.T) {
	t.Parallel()
	const readAtMost, n = 4, 11
	testenv.EachWith(t, testenv.Options{ListReadAtMost: readAtMost}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		oldest := e.OneDueSoon(n)
		// The tag's index is walked; the due date is checked on the disputes it yields.
		path := "/v1/disputes?limit=2&tag=walk&due_before=" + url.QueryEscape(e.Clock.Now().Add(2*time.Hour).Format(time.RFC3339))
		var found []string
		stopped := 0
		cursor := ""
		for page := 0; ; page++ {
			if page > n {
				t.Fatalf("more than %d pages: the cursor does not move on (found %v)", n, found)
			}
			q := path
			if cursor != "" {
				q += "&cursor=" + url.QueryEscape(cursor)
			}
			l := testenv.Want[struct {
				httpapi.List[paged]
				ReadBoundReached bool `json:"read_bound_reached"`
			}](t, c.Get(q), 200)
			for _, d := range l.Data {
				found = append(found, d.ID)
			}
			if l.ReadBoundReached {
				stopped++
				if !l.HasMore || l.NextCursor == nil {
					t.Fatalf("page %d stopped at the bound without a way on: has_more %v, next_cursor %v", page, l.HasMore, l.NextCursor)
				}
			}
			if !l.HasMore {
				break
			}
			cursor = *l.NextCursor
		}
		if !slices.Equal(found, []string{oldest}) {
			t.Errorf("following the cursors found %v, want the oldest dispute %s once", found, oldest)
		}
		if stopped < n/readAtMost {
			t.Errorf("%d pages stopped at the bound of %d among %d disputes, want at least %d", stopped, readAtMost, n, n/readAtMost)
		}
	})
}
