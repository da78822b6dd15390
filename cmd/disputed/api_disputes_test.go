package main

import "fmt"

// The dispute wire test moved to internal/httpapi (dispute_wire_test.go); these helpers stay for
// the tests of the process that read events.

// eventsOf returns the types of the events about a dispute, oldest first.
func (s *testServer) eventsOf(query string) []string {
	s.t.Helper()
	r := s.get("/v1/events?limit=100&" + query)
	want(s.t, r, 200)
	var out []string
	for _, e := range r.list() {
		out = append(out, fmt.Sprint(e["type"]))
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func count(list []string, v string) int {
	n := 0
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}
