package main

import (
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"
)

// newAlerts creates n unmatched alerts (disputes needing no order) and returns their ids in the
// order they were created.
func (s *testServer) newAlerts(n int, tag string) []string {
	s.t.Helper()
	var out []string
	for i := range n {
		d := s.post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "ethoca", "amount": 100 + i, "currency": "usd",
			"tags": []string{tag}})
		want(s.t, d, 201)
		out = append(out, d.str("id"))
	}
	return out
}

// walk reads every page of a list with the cursor, calling between after each page.
func (s *testServer) walk(path string, limit int, between func(page int)) []map[string]any {
	s.t.Helper()
	var all []map[string]any
	cursor := ""
	for page := 0; ; page++ {
		q := fmt.Sprintf("%s&limit=%d", path, limit)
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		r := s.get(q)
		want(s.t, r, 200)
		got := r.list()
		if len(got) > limit {
			s.t.Fatalf("page of %d, limit %d", len(got), limit)
		}
		all = append(all, got...)
		more, _ := r.get("has_more").(bool)
		next := r.str("next_cursor")
		if !more {
			if r.get("next_cursor") != nil {
				s.t.Errorf("last page has next_cursor %v", r.get("next_cursor"))
			}
			return all
		}
		if next == "" || len(got) != limit {
			s.t.Fatalf("has_more with %d items and cursor %q: %s", len(got), next, r.raw)
		}
		cursor = next
		if between != nil {
			between(page)
		}
		if page > 1000 {
			s.t.Fatal("the cursor never ends")
		}
	}
}

// TestPaginationCursor walks 23 disputes 5 at a time: each once, newest first, and inserts
// between page reads do not shift the walk.
func TestPaginationCursor(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		created := s.newAlerts(23, "walk")
		var inserted []string
		all := s.walk("/v1/disputes?tag=walk", 5, func(int) {
			inserted = append(inserted, s.newAlerts(2, "walk")...)
		})
		var got []string
		for _, d := range all {
			got = append(got, fmt.Sprint(d["id"]))
		}
		wantIDs := slices.Clone(created)
		slices.Reverse(wantIDs)
		if !slices.Equal(got, wantIDs) {
			t.Errorf("walk returned %d ids\n%v\nwant the %d created, newest first\n%v", len(got), got, len(wantIDs), wantIDs)
		}
		var prev time.Time
		for i, d := range all {
			at, err := time.Parse(time.RFC3339Nano, fmt.Sprint(d["created_at"]))
			if err != nil {
				t.Fatal(err)
			}
			if i > 0 && at.After(prev) {
				t.Errorf("item %d created %v after item %d (%v): not newest first", i, at, i-1, prev)
			}
			prev = at
		}
		if len(inserted) == 0 {
			t.Fatal("nothing was inserted during the walk")
		}
		// A fresh walk sees everything, each once.
		again := s.walk("/v1/disputes?tag=walk", 7, nil)
		seen := map[string]int{}
		for _, d := range again {
			seen[fmt.Sprint(d["id"])]++
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
	eachStore(t, func(t *testing.T, s *testServer) {
		ids := s.newAlerts(12, "lim")
		slices.Reverse(ids) // newest first

		for _, q := range []string{"limit=0", "limit=101", "limit=-1"} {
			r := s.get("/v1/disputes?" + q)
			want(t, r, 422)
			if r.str("error", "param") != "limit" {
				t.Errorf("%s: param %q, want limit: %s", q, r.str("error", "param"), r.raw)
			}
		}
		for _, q := range []string{"per_page=0", "per_page=101"} {
			r := s.get("/v1/disputes?" + q)
			want(t, r, 422)
			if r.str("error", "param") != "per_page" {
				t.Errorf("%s: param %q, want per_page: %s", q, r.str("error", "param"), r.raw)
			}
		}
		for _, path := range []string{"/v1/orders", "/v1/events", "/v1/blocklist"} {
			want(t, s.get(path+"?limit=101"), 422)
		}
		if r := s.get("/v1/disputes?limit=1"); len(r.list()) != 1 || r.get("has_more") != true {
			t.Errorf("limit=1: %s", r.raw)
		}
		if r := s.get("/v1/disputes?limit=100"); len(r.list()) != 12 || r.get("has_more") != false {
			t.Errorf("limit=100: %d items", len(r.list()))
		}
		r := s.get("/v1/disputes")
		if got := r.ids(); !slices.Equal(got, ids) || r.str("object") != "list" {
			t.Errorf("default page: %v, want %v", got, ids)
		}

		// The older page/per_page style.
		p2 := s.get("/v1/disputes?page=2&per_page=5")
		want(t, p2, 200)
		if got := p2.ids(); !slices.Equal(got, ids[5:10]) {
			t.Errorf("page 2 of 5: %v, want %v", got, ids[5:10])
		}
		p3 := s.get("/v1/disputes?page=3&per_page=5")
		if got := p3.ids(); !slices.Equal(got, ids[10:]) || p3.get("has_more") != false {
			t.Errorf("page 3 of 5: %v has_more %v, want %v", got, p3.get("has_more"), ids[10:])
		}
		if got := s.get("/v1/disputes?page=1&per_page=5").ids(); !slices.Equal(got, ids[:5]) {
			t.Errorf("page 1 of 5: %v, want %v", got, ids[:5])
		}

		for _, c := range []string{"garbage", "bm90LWEtY3Vyc29y", "!!!"} {
			r := s.get("/v1/disputes?cursor=" + url.QueryEscape(c))
			want(t, r, 422)
			if r.str("error", "param") != "cursor" {
				t.Errorf("cursor %q: param %q, want cursor", c, r.str("error", "param"))
			}
		}
	})
}

// TestPaginationOtherLists walks orders and events with the cursor.
func TestPaginationOtherLists(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		var orders []string
		for range 7 {
			_, o, _ := s.sale(100, "usd")
			orders = append(orders, o)
		}
		slices.Reverse(orders)
		var got []string
		for _, o := range s.walk("/v1/orders?status=completed", 3, nil) {
			got = append(got, fmt.Sprint(o["id"]))
		}
		if !slices.Equal(got, orders) {
			t.Errorf("orders walk %v, want %v", got, orders)
		}
		events := s.walk("/v1/events?type=transaction.created", 2, nil)
		if len(events) != 7 {
			t.Errorf("%d transaction.created events in the walk, want 7", len(events))
		}
		seen := map[string]bool{}
		for _, e := range events {
			id := fmt.Sprint(e["id"])
			if seen[id] {
				t.Errorf("event %s twice", id)
			}
			seen[id] = true
		}
	})
}
