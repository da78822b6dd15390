package httpapi_test

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"disputed/internal/app"
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
		followBound(t, c, "/v1/disputes?limit=2&tag=walk&due_before="+url.QueryEscape(e.Clock.Now().Add(2*time.Hour).Format(time.RFC3339)),
			oldest, n, readAtMost)
	})
}

// TestTransactionListReadBound: a provider, which no index narrows, matching only the oldest of
// eleven transactions, with the server reading at most four rows a list, answers pages that
// stopped at the bound, and following the cursors finds the one match exactly once.
func TestTransactionListReadBound(t *testing.T) {
	t.Parallel()
	const readAtMost, n = 4, 11
	testenv.EachWith(t, testenv.Options{ListReadAtMost: readAtMost}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		amount := int64(700)
		oldest := testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge",
			Money: app.Money{Amount: &amount, Currency: "usd"}, Provider: "paypal", ProviderReference: "PAY-1"}))(t).Transaction.ID
		for range n - 1 {
			e.Clock.Advance(time.Millisecond)
			e.Sale(testenv.SaleParams{Amount: 1000, Currency: "USD"})
		}
		followBound(t, c, "/v1/transactions?limit=2&provider=paypal", oldest, n, readAtMost)
	})
}

// TestJobListReadBound: a kind, which no index serves, matching only the oldest of eleven jobs,
// with the server reading at most four rows a list, answers pages that stopped at the bound, and
// following the cursors finds the one match exactly once.
func TestJobListReadBound(t *testing.T) {
	t.Parallel()
	const readAtMost, n = 4, 11
	testenv.EachWith(t, testenv.Options{ListReadAtMost: readAtMost}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		oldest := e.OneRareJob(n)
		followBound(t, c, "/v1/jobs?limit=2&kind=rare", oldest, n, readAtMost)
	})
}

// TestProviderEventListReadBound: a state, which the index of the events not applied does not
// tell apart, matching only the oldest of eleven stored events, with the server reading at most
// four rows a list, answers pages that stopped at the bound, and following the cursors finds the
// one match exactly once; so does the older page style, the rows it skips counted in the bound.
// A provider's few events, read through its index, come whole in one page.
func TestProviderEventListReadBound(t *testing.T) {
	t.Parallel()
	const readAtMost, n = 4, 11
	testenv.EachWith(t, testenv.Options{ListReadAtMost: readAtMost, DeferApplying: true}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		oldest := e.OneRareProviderEvent(n)
		followBound(t, c, "/v1/provider_events?limit=2&state=failed", oldest, n, readAtMost)
		followBound(t, c, "/v1/provider_events?per_page=2&page=2&state=failed", oldest, n, readAtMost)
		l := testenv.Want[httpapi.ProviderEventList](t, c.Get("/v1/provider_events?limit=2&provider=rare"), 200)
		if l.ReadBoundReached || l.HasMore || len(l.Data) != 1 || l.Data[0].ID != oldest {
			t.Errorf("the rare provider's one event: read_bound_reached %v, has_more %v, %d events; want %s alone, whole",
				l.ReadBoundReached, l.HasMore, len(l.Data), oldest)
		}
	})
}

// followBound follows the cursors of the list at path, whose one match is want among n rows
// with the server reading at most readAtMost a list: every page that stopped at the bound has
// a way on, following them finds want once, and at least n/readAtMost pages stopped.
func followBound(t *testing.T, c *testenv.Client, path, want string, n, readAtMost int) {
	t.Helper()
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
	if !slices.Equal(found, []string{want}) {
		t.Errorf("following the cursors of %s found %v, want the oldest row %s once", path, found, want)
	}
	if stopped < n/readAtMost {
		t.Errorf("%d pages stopped at the bound of %d among %d rows, want at least %d", stopped, readAtMost, n, n/readAtMost)
	}
}
