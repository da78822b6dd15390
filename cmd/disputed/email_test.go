package main

import (
	"testing"
)

func emailsOf(s *testServer, path string) []map[string]any { return s.get(path + "/emails").list() }

// TestEmailSettingsWire: the settings show every customer email template on or off, by name (the
// rules of sending them are tested beside internal/app).
func TestEmailSettingsWire(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	st := s.post("/v1/settings", map[string]any{"emails": map[string]bool{"dispute_resolved": false}})
	want(t, st, 200)
	if st.get("emails", "dispute_resolved") != false || st.get("emails", "dispute_opened") != true {
		t.Fatalf("settings: %s", st.raw)
	}
}
