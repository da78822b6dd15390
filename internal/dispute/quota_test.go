package dispute

import (
	"strings"
	"testing"

	"disputed/internal/fault"
)

// TestSecurityEvidenceQuotas: a buyer key uploaded 30 files of 10 MiB in 19 s. Each party's
// evidence and the dispute's are capped in items and bytes, and the refusal names the limit and
// its figures.
func TestSecurityEvidenceQuotas(t *testing.T) {
	t.Parallel()
	l := EvidenceLimits{PartyItems: 3, PartyBytes: 100, TotalItems: 5, TotalBytes: 150}
	text := func(p Party, n int) EvidenceItem {
		return EvidenceItem{Type: ItemText, Content: strings.Repeat("x", n), Party: p}
	}
	tests := []struct {
		name  string
		used  EvidenceUsage
		item  EvidenceItem
		limit string // "" when admitted
	}{
		{"first item", nil, text(Buyer, 10), ""},
		{"the party's last item", EvidenceUsage{Buyer: {Items: 2, Bytes: 20}}, text(Buyer, 10), ""},
		{"a party's items", EvidenceUsage{Buyer: {Items: 3, Bytes: 30}}, text(Buyer, 10), "party_items"},
		{"the other party still may", EvidenceUsage{Buyer: {Items: 3, Bytes: 30}}, text(Vendor, 10), ""},
		{"the dispute's items", EvidenceUsage{Buyer: {Items: 3, Bytes: 3}, Vendor: {Items: 2, Bytes: 2}}, text(Vendor, 1), "total_items"},
		{"a party's bytes", EvidenceUsage{Vendor: {Items: 1, Bytes: 95}}, text(Vendor, 6), "party_bytes"},
		{"a file counts its bytes", nil, EvidenceItem{Type: ItemFile, Content: "a.pdf", Size: 96, Party: Buyer}, "party_bytes"},
		{"the dispute's bytes", EvidenceUsage{Buyer: {Items: 1, Bytes: 100}, Vendor: {Items: 1, Bytes: 45}}, text(Vendor, 6), "total_bytes"},
		{"exactly full", EvidenceUsage{Buyer: {Items: 1, Bytes: 100}, Vendor: {Items: 1, Bytes: 45}}, text(Vendor, 5), ""},
		{"staff once the parties filled the total", EvidenceUsage{Buyer: {Items: 3, Bytes: 100}, Vendor: {Items: 2, Bytes: 50}}, text("", 10), ""},
		{"staff's own allowance", EvidenceUsage{"": {Items: 3, Bytes: 30}}, text("", 1), "party_items"},
	}
	for _, tt := range tests {
		err := l.Admit(tt.used, tt.item)
		if tt.limit == "" {
			if err != nil {
				t.Errorf("%s: refused: %v", tt.name, err)
			}
			continue
		}
		f, ok := fault.As(err)
		if !ok || f.Code != "evidence_limit_reached" || f.Param != "evidence_limits."+tt.limit || f.Kind != fault.Invalid {
			t.Errorf("%s: %v; want evidence_limit_reached naming evidence_limits.%s", tt.name, err, tt.limit)
		}
	}
	if err := DefaultEvidenceLimits.Validate(); err != nil {
		t.Errorf("the defaults are refused: %v", err)
	}
	for field, bad := range map[string]EvidenceLimits{
		"party_items": {PartyItems: 0, PartyBytes: 1, TotalItems: 1, TotalBytes: 1},
		"total_bytes": {PartyItems: 1, PartyBytes: 1, TotalItems: 1, TotalBytes: 1 << 40},
		"party_bytes": {PartyItems: 1, PartyBytes: 2, TotalItems: 1, TotalBytes: 1},
	} {
		if f, ok := fault.As(bad.Validate()); !ok || f.Param != "evidence_limits."+field {
			t.Errorf("limits %+v: %v; want a refusal naming evidence_limits.%s", bad, bad.Validate(), field)
		}
	}
}
