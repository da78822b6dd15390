package dispute

import "testing"

func TestAnsweredWithEvidence(t *testing.T) {
	t.Parallel()
	want := map[Type]bool{Chargeback: true, Inquiry: true, Manual: true, Alert: false, Marketplace: false}
	for _, typ := range Types {
		if got := typ.AnsweredWithEvidence(); got != want[typ] {
			t.Errorf("%s answered with evidence: %v, want %v", typ, got, want[typ])
		}
	}
}
