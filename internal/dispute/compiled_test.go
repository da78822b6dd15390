package dispute

import (
	"maps"
	"strings"
	"testing"

	"disputed/internal/fault"
)

func TestStageCompiled(t *testing.T) {
	t.Parallel()
	d := fixture(t, Chargeback, NeedsResponse)
	d.Evidence["customer_name"] = "Ann Person" // a person's
	before := *d
	c, err := d.StageCompiled(map[string]string{"customer_name": "A. Person", "customer_email_address": "ann@example.com",
		"customer_purchase_ip": "203.0.113.9", "receipt": ""},
		map[string]string{"customer_name": "order ord_1", "customer_email_address": "order ord_1", "customer_purchase_ip": "order ord_1"}, tNow)
	if err != nil {
		t.Fatal(err)
	}
	if c.Action != "updated" || d.Revision != before.Revision+1 || !strings.Contains(c.Note, "customer_purchase_ip (order ord_1)") {
		t.Errorf("change %+v, revision %d: want one update naming each field and its source", c, d.Revision)
	}
	wantEvidence := map[string]string{"customer_name": "Ann Person", "customer_email_address": "ann@example.com", "customer_purchase_ip": "203.0.113.9"}
	if !maps.Equal(d.Evidence, wantEvidence) {
		t.Errorf("evidence %v, want %v: a person's value is never overwritten", d.Evidence, wantEvidence)
	}
	wantSources := map[string]string{"customer_email_address": "order ord_1", "customer_purchase_ip": "order ord_1"}
	if !maps.Equal(d.EvidenceSources, wantSources) {
		t.Errorf("sources %v, want %v", d.EvidenceSources, wantSources)
	}
	if len(before.Evidence) != 1 || before.EvidenceSources != nil {
		t.Errorf("the earlier copy changed: %v %v", before.Evidence, before.EvidenceSources)
	}

	// Compiling again refreshes the compiler's own values, and nothing if nothing changed.
	c, err = d.StageCompiled(map[string]string{"customer_purchase_ip": "203.0.113.10"}, map[string]string{"customer_purchase_ip": "transaction txn_1"}, tNow)
	if err != nil || c.Action == "" || d.Evidence["customer_purchase_ip"] != "203.0.113.10" || d.EvidenceSources["customer_purchase_ip"] != "transaction txn_1" {
		t.Errorf("recompiling: %+v %v, evidence %v, sources %v", c, err, d.Evidence, d.EvidenceSources)
	}
	rev := d.Revision
	if c, err := d.StageCompiled(map[string]string{"customer_purchase_ip": "203.0.113.10"}, map[string]string{"customer_purchase_ip": "transaction txn_1"}, tNow); err != nil || c.Action != "" || d.Revision != rev {
		t.Errorf("compiling the same again: %+v %v, revision %d → %d; want no change", c, err, rev, d.Revision)
	}

	// A person's edit makes the field theirs: its source goes, and the compiler leaves it.
	if _, err := d.Update(UpdateParams{Evidence: map[string]string{"customer_email_address": "ann@work.example"}}, tNow); err != nil {
		t.Fatal(err)
	}
	if _, ok := d.EvidenceSources["customer_email_address"]; ok || d.EvidenceSources["customer_purchase_ip"] == "" {
		t.Errorf("after a person's edit the sources are %v: want customer_email_address's gone, the rest kept", d.EvidenceSources)
	}
	if _, err := d.StageCompiled(map[string]string{"customer_email_address": "ann@example.com"}, map[string]string{"customer_email_address": "order ord_1"}, tNow); err != nil {
		t.Fatal(err)
	}
	if d.Evidence["customer_email_address"] != "ann@work.example" {
		t.Errorf("the compiler overwrote a person's edit: %q", d.Evidence["customer_email_address"])
	}
	// Removing a compiled field removes its source too.
	if _, err := d.Update(UpdateParams{Evidence: map[string]string{"customer_purchase_ip": ""}}, tNow); err != nil {
		t.Fatal(err)
	}
	if len(d.EvidenceSources) != 0 {
		t.Errorf("sources %v after the person removed the compiled field", d.EvidenceSources)
	}
}

func TestStageCompiledRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name         string
		typ          Type
		status       Status
		fields, from map[string]string
		kind         fault.Kind
		param        string
	}{
		{"no source", Chargeback, NeedsResponse, map[string]string{"receipt": "evi_1"}, nil, fault.Invalid, "evidence_sources.receipt"},
		{"unknown field", Chargeback, NeedsResponse, map[string]string{"colour": "blue"}, map[string]string{"colour": "x"}, fault.Malformed, "evidence.colour"},
		{"alert", Alert, Open, map[string]string{"receipt": "evi_1"}, map[string]string{"receipt": "order ord_1"}, fault.Invalid, "type"},
		{"under review", Chargeback, UnderReview, map[string]string{"receipt": "evi_1"}, map[string]string{"receipt": "order ord_1"}, fault.Conflict, ""},
	} {
		d := fixture(t, tc.typ, tc.status)
		before := *d
		_, err := d.StageCompiled(tc.fields, tc.from, tNow)
		f, ok := fault.As(err)
		if !ok || f.Kind != tc.kind || (tc.param != "" && f.Param != tc.param) {
			t.Errorf("%s: error %v, want kind %v on %q", tc.name, err, tc.kind, tc.param)
		}
		if d.Revision != before.Revision || len(d.Evidence) != len(before.Evidence) || d.EvidenceSources != nil {
			t.Errorf("%s: a refused compile changed the dispute", tc.name)
		}
	}
}
