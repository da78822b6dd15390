package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

// extendedFieldsOf is the raw extended_fields object of a dispute response, to compare numbers
// as written.
func extendedFieldsOf(t *testing.T, r response) string {
	t.Helper()
	var d struct {
		ExtendedFields json.RawMessage `json:"extended_fields"`
	}
	if err := json.Unmarshal(r.raw, &d); err != nil {
		t.Fatalf("dispute: %v: %s", err, r.raw)
	}
	var b bytes.Buffer
	if err := json.Compact(&b, d.ExtendedFields); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
