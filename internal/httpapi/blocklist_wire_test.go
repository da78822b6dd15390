package httpapi_test

import (
	"net/http"
	"testing"

	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestBlocklistWire: what only the API shows of the block list and its setting (the rules are
// tested beside internal/app): an entry's object name, the answer to a delete, and a setting of
// the wrong JSON type refused as such.
func TestBlocklistWire(t *testing.T) {
	t.Parallel()
	c := testenv.New(t, "sqlite", testenv.Options{}).Serve()
	b := testenv.Want[httpapi.Block](t, c.Post("/v1/blocklist", map[string]any{"kind": "email", "value": "Fraud@Example.com", "reason": "chargeback ring"}), 201)
	if b.Object != "blocklist_entry" || b.Value != "fraud@example.com" {
		t.Errorf("entry: %+v", b)
	}
	// The answer to a delete is the body of httpapi.DeletedOut.
	type deletedBody struct {
		ID      string `json:"id"`
		Deleted bool   `json:"deleted"`
	}
	del := testenv.Want[deletedBody](t, c.Do(http.MethodDelete, "/v1/blocklist/"+b.ID, nil), 200)
	if !del.Deleted || del.ID != b.ID {
		t.Errorf("deleted: %+v", del)
	}
	testenv.WantError(t, c.Post("/v1/settings", map[string]any{"block_on_dispute": "yes"}), 400, "invalid_type")
}
