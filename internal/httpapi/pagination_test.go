package httpapi_test

import (
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// pagedAlerts creates n unmatched alerts (disputes needing no order), each a moment after the
// last, and returns their ids in the order they were created.
func pagedAlerts(e *testenv.Env, n int, tag string) []string {
	e.T.Helper()
	var out []string
	for i := range n {
		e.Clock.Advance(time.Millisecond)
		amount := int64(100 + i)
		d := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "alert", AlertType: "ethoca",
			Money: app.Money{Amount: &amount, Currency: "usd"}, Tags: []string{tag}}))(e.T)
		out = append(out, d.ID)
	}
	return out
}

// paged is a listedObject object read for its id and creation time.
type paged struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
}

// walkPages reads every page of a list with the cursor, calling between after each page.
func walkPages(t testing.TB, c *testenv.Client, path string, limit int, between func(page int)) []paged {
	t.Helper()
	var all []paged
	cursor := ""
	for page := 0; ; page++ {
		q := fmt.Sprintf("%s&limit=%d", path, limit)
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		l := testenv.Want[httpapi.List[paged]](t, c.Get(q), 200)
		if len(l.Data) > limit {
			t.Fatalf("page of %d, limit %d", len(l.Data), limit)
		}
		all = append(all, l.Data...)
		if !l.HasMore {
			if l.NextCursor != nil {
				t.Errorf("last page has next_cursor %v", *l.NextCursor)
			}
			return all
		}
		if l.NextCursor == nil || *l.NextCursor == "" || len(l.Data) != limit {
			t.Fatalf("has_more with %d items and cursor %v", len(l.Data), l.NextCursor)
		}
		cursor = *l.NextCursor
		if between != nil {
			between(page)
		}
		if page > 1000 {
			t.Fatal("the cursor never ends")
		}
	}
}

// TestPaginationCursor walks 23 disputes 5 at a time: each once, newest first, and inserts
// between page reads do not shift the walk.
func TestPaginationCursor(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		created := pagedAlerts(e, 23, "walk")
		var inserted []string
		all := walkPages(t, c, "/v1/disputes?tag=walk", 5, func(int) {
			inserted = append(inserted, pagedAlerts(e, 2, "walk")...)
		})
		var got []string
		for _, d := range all {
			got = append(got, d.ID)
		}
		wantIDs := slices.Clone(created)
		slices.Reverse(wantIDs)
		if !slices.Equal(got, wantIDs) {
			t.Errorf("walk returned %d ids\n%v\nwant the %d created, newest first\n%v", len(got), got, len(wantIDs), wantIDs)
		}
		for i := 1; i < len(all); i++ {
			if all[i].CreatedAt.After(all[i-1].CreatedAt) {
				t.Errorf("item %d created %v after item %d (%v): not newest first", i, all[i].CreatedAt, i-1, all[i-1].CreatedAt)
			}
		}
		if len(inserted) == 0 {
			t.Fatal("nothing was inserted during the walk")
		}
		// A fresh walk sees everything, each once.
		again := walkPages(t, c, "/v1/disputes?tag=walk", 7, nil)
		seen := map[string]int{}
		for _, d := range again {
			seen[d.ID]++
		}
		for _, id := range append(slices.Clone(created), inserted...) {
			if seen[id] != 1 {
				t.Errorf("%s seen %d times in the second walk", id, seen[id])
			}
		}
		if len(again) != len(created)+len(inserted) {
			t.Errorf("second walk: %d items, want %d", len(again), len(created)+len(inserted))
		}
	})
}

// TestPaginationLimits checks limit bounds, the default, page/per_page and bad cursors.
func TestPaginationLimits(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		ids := pagedAlerts(e, 12, "lim")
		slices.Reverse(ids) // newest first

		for _, q := range []string{"limit=0", "limit=101", "limit=-1"} {
			if got := testenv.Want[httpapi.ErrorBody](t, c.Get("/v1/disputes?"+q), 422).Error; got.Param != "limit" {
				t.Errorf("%s: param %q, want limit", q, got.Param)
			}
		}
		for _, q := range []string{"per_page=0", "per_page=101"} {
			if got := testenv.Want[httpapi.ErrorBody](t, c.Get("/v1/disputes?"+q), 422).Error; got.Param != "per_page" {
				t.Errorf("%s: param %q, want per_page", q, got.Param)
			}
		}
		for _, path := range []string{"/v1/orders", "/v1/events", "/v1/blocklist"} {
			testenv.WantStatus(t, c.Get(path+"?limit=101"), 422)
		}
		page := func(query string) httpapi.List[listedObject] {
			t.Helper()
			return testenv.Want[httpapi.List[listedObject]](t, c.Get("/v1/disputes"+query), 200)
		}
		if l := page("?limit=1"); len(l.Data) != 1 || !l.HasMore {
			t.Errorf("limit=1: %+v", l)
		}
		if l := page("?limit=100"); len(l.Data) != 12 || l.HasMore {
			t.Errorf("limit=100: %d items", len(l.Data))
		}
		if l := page(""); !slices.Equal(pagedIDs(l), ids) || l.Object != "list" {
			t.Errorf("default page: %v, want %v", pagedIDs(l), ids)
		}

		// The older page/per_page style.
		if got := pagedIDs(page("?page=2&per_page=5")); !slices.Equal(got, ids[5:10]) {
			t.Errorf("page 2 of 5: %v, want %v", got, ids[5:10])
		}
		if p3 := page("?page=3&per_page=5"); !slices.Equal(pagedIDs(p3), ids[10:]) || p3.HasMore {
			t.Errorf("page 3 of 5: %v has_more %v, want %v", pagedIDs(p3), p3.HasMore, ids[10:])
		}
		if got := pagedIDs(page("?page=1&per_page=5")); !slices.Equal(got, ids[:5]) {
			t.Errorf("page 1 of 5: %v, want %v", got, ids[:5])
		}

		for _, cur := range []string{"garbage", "bm90LWEtY3Vyc29y", "!!!"} {
			if got := testenv.Want[httpapi.ErrorBody](t, c.Get("/v1/disputes?cursor="+url.QueryEscape(cur)), 422).Error; got.Param != "cursor" {
				t.Errorf("cursor %q: param %q, want cursor", cur, got.Param)
			}
		}
	})
}

// pagedIDs returns the ids of a page's objects, in order.
func pagedIDs(l httpapi.List[listedObject]) []string {
	var out []string
	for _, o := range l.Data {
		out = append(out, o.ID)
	}
	return out
}

// TestPaginationOtherLists walks orders and events with the cursor.
func TestPaginationOtherLists(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		var orders []string
		for range 7 {
			e.Clock.Advance(time.Millisecond)
			orders = append(orders, e.Sale(testenv.SaleParams{Amount: 100}).Order.ID)
		}
		slices.Reverse(orders)
		var got []string
		for _, o := range walkPages(t, c, "/v1/orders?status=completed", 3, nil) {
			got = append(got, o.ID)
		}
		if !slices.Equal(got, orders) {
			t.Errorf("orders walk %v, want %v", got, orders)
		}
		events := walkPages(t, c, "/v1/events?type=transaction.created", 2, nil)
		if len(events) != 7 {
			t.Errorf("%d transaction.created events in the walk, want 7", len(events))
		}
		seen := map[string]bool{}
		for _, ev := range events {
			if seen[ev.ID] {
				t.Errorf("event %s twice", ev.ID)
			}
			seen[ev.ID] = true
		}
	})
}
