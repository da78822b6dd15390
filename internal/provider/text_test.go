package provider

import "testing"

// TestCleanCharge: a charge's texts, its metadata and the refunds it lists are made storable,
// as a dispute's are.
func TestCleanCharge(t *testing.T) {
	t.Parallel()
	ev := Event{ID: "evt", Charge: &ChargeReport{ID: "ch_\x00", CustomerEmail: "a\xffb@example.com", Metadata: map[string]string{"order\x00id": "ord\x00"},
		Refunds: []RefundReport{{ID: "re_\x00"}}}}
	ev.Clean()
	c := ev.Charge
	if c.ID != "ch_\uFFFD" || c.CustomerEmail != "a\uFFFDb@example.com" || c.Metadata["order\uFFFDid"] != "ord\uFFFD" || c.Refunds[0].ID != "re_\uFFFD" {
		t.Errorf("cleaned %+v", c)
	}
}
