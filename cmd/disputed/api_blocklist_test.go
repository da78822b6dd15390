package main

import (
	"testing"
)

// TestBlocklistWire: what only the API shows of the block list and its setting (the rules are
// tested beside internal/app): an entry's object name, the answer to a delete, and a setting of
// the wrong JSON type refused as such.
func TestBlocklistWire(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	e := s.post("/v1/blocklist", map[string]any{"kind": "email", "value": "Fraud@Example.com", "reason": "chargeback ring"})
	want(t, e, 201)
	if e.str("object") != "blocklist_entry" || e.str("value") != "fraud@example.com" {
		t.Errorf("entry: %s", e.raw)
	}
	del := s.call("DELETE", "/v1/blocklist/"+e.str("id"), nil)
	want(t, del, 200)
	if del.get("deleted") != true || del.str("id") != e.str("id") {
		t.Errorf("deleted: %s", del.raw)
	}
	want(t, s.post("/v1/settings", map[string]any{"block_on_dispute": "yes"}), 400, "invalid_type")
}
