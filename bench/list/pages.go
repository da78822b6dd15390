package main

import (
	"fmt"
	"net/url"

	"disputed/bench/internal/report"
)

// depths are the pages measured on their own: 10, 100, 1000 … up to last.
func depths(last int) []int {
	var out []int
	for d := 10; d <= last; d *= 10 {
		out = append(out, d)
	}
	return out
}

// walk reads the unfiltered list from its first page to page last, following next_cursor as a
// client does, and returns the latency of every page and the cursor of each page in depths.
func (c *client) walk(last int) (report.Latencies, map[int]string, error) {
	var lat report.Latencies
	cursors := map[int]string{}
	cursor := ""
	for n := 1; n <= last; n++ {
		path := "/v1/disputes"
		if cursor != "" {
			path += "?cursor=" + url.QueryEscape(cursor)
			cursors[n] = path
		}
		p, took, err := c.get(path, "")
		if err != nil {
			return nil, nil, fmt.Errorf("page %d: %w", n, err)
		}
		lat = append(lat, took)
		if p.NextCursor == nil {
			if n < last {
				return nil, nil, fmt.Errorf("the list ended at page %d, before page %d", n, last)
			}
			break
		}
		cursor = *p.NextCursor
	}
	return lat, cursors, nil
}

// deepPages are the queries of the pages in depths: by the cursor the walk found, and by the
// older page number.
func deepPages(last int, cursors map[int]string) []query {
	var out []query
	for _, d := range depths(last) {
		path := cursors[d]
		out = append(out, query{name: fmt.Sprintf("cursor, page %d", d), path: func(int) string { return path }})
	}
	for _, d := range depths(last) {
		path := fmt.Sprintf("/v1/disputes?page=%d", d)
		out = append(out, query{name: fmt.Sprintf("page=%d (offset)", d), path: func(int) string { return path }})
	}
	return out
}
