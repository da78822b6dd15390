package main

import (
	"fmt"
	"net/url"
)

// The pagination tests moved to internal/httpapi (pagination_test.go); walk stays for the tests
// of the process that read whole lists.

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
