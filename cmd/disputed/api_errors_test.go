package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// The error tests moved to internal/httpapi (errors_test.go); these helpers stay for the tests
// of the process that still use them.

// wantErrorBody checks the shape every error has: {"error": {"type", "code", "message"}} as JSON.
func wantErrorBody(t testing.TB, r response) {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error Content-Type %q, want application/json: %s", ct, r.raw)
	}
	if len(r.body) != 1 || r.body["error"] == nil {
		t.Errorf("error body is not {\"error\": {...}}: %s", r.raw)
	}
	for _, f := range []string{"type", "code", "message"} {
		if r.str("error", f) == "" {
			t.Errorf("error.%s is missing: %s", f, r.raw)
		}
	}
}

// snapshot reads everything a rejected request could have changed, as the API shows it.
func (s *testServer) snapshot(paths ...string) []byte {
	s.t.Helper()
	var b bytes.Buffer
	for _, p := range paths {
		r := s.get(p)
		want(s.t, r, 200)
		fmt.Fprintf(&b, "%s\n%s\n", p, r.raw)
	}
	return b.Bytes()
}
