package storetest

import (
	"strings"
	"testing"

	"disputed/internal/dispute"
	"disputed/internal/store"
)

// testEvidencePagesAndUsage checks the evidence list's pages, oldest first, by cursor and by
// offset, and what each party's items weigh against the evidence limits: the sum of their
// dispute.EvidenceItem.Bytes, for which the store must agree with the domain.
func testEvidencePagesAndUsage(t *testing.T, s store.Store) {
	ctx := t.Context()
	d, other := openDispute("dsp_1", "", at(0)), openDispute("dsp_2", "", at(0))
	items := []dispute.EvidenceItem{
		{ID: "evi_1", DisputeID: d.ID, Type: dispute.ItemText, Content: "héllo", Description: "why", Party: dispute.Buyer, CreatedAt: at(1)},
		{ID: "evi_2", DisputeID: d.ID, Type: dispute.ItemFile, Content: "a.pdf", FileName: "a.pdf", Size: 4, Party: dispute.Buyer, CreatedAt: at(2)},
		{ID: "evi_3", DisputeID: d.ID, Type: dispute.ItemText, Content: strings.Repeat("€", 10), Party: dispute.Vendor, CreatedAt: at(2)},
		{ID: "evi_4", DisputeID: d.ID, Type: dispute.ItemLink, Content: "https://example.com/", CreatedAt: at(3)},
		{ID: "evi_5", DisputeID: other.ID, Type: dispute.ItemText, Content: "elsewhere", Party: dispute.Buyer, CreatedAt: at(1)},
	}
	write(t, s, func(tx store.Tx) error {
		for _, x := range []dispute.Dispute{d, other} {
			if err := tx.InsertDispute(ctx, x); err != nil {
				return err
			}
		}
		for _, it := range items {
			var file []byte
			if it.Size > 0 {
				file = make([]byte, it.Size)
			}
			if err := tx.InsertEvidence(ctx, it, file); err != nil {
				return err
			}
		}
		return nil
	})
	itemIDs := func(its []dispute.EvidenceItem) []string {
		return ids(its, func(it dispute.EvidenceItem) string { return it.ID })
	}
	first, err := s.ListEvidence(ctx, store.EvidenceFilter{DisputeID: d.ID, Page: store.Page{Limit: 2}})
	noErr(t, "ListEvidence, first page", err)
	same(t, "first page (and one more)", itemIDs(first), []string{"evi_1", "evi_2", "evi_3"})
	last := first[1]
	next, err := s.ListEvidence(ctx, store.EvidenceFilter{DisputeID: d.ID, Page: store.Page{Limit: 2, AfterCreated: last.CreatedAt, AfterID: last.ID}})
	noErr(t, "ListEvidence after a cursor", err)
	same(t, "the page after evi_2", itemIDs(next), []string{"evi_3", "evi_4"})
	skipped, err := s.ListEvidence(ctx, store.EvidenceFilter{DisputeID: d.ID, Page: store.Page{Limit: 2, Offset: 3}})
	noErr(t, "ListEvidence with an offset", err)
	same(t, "the second page by offset", itemIDs(skipped), []string{"evi_4"})

	used, err := s.EvidenceUsage(ctx, d.ID)
	noErr(t, "EvidenceUsage", err)
	want := dispute.EvidenceUsage{}
	for _, it := range items[:4] {
		u := want[it.Party]
		u.Items++
		u.Bytes += it.Bytes()
		want[it.Party] = u
	}
	same(t, "evidence usage per party", used, want)
	none, err := s.EvidenceUsage(ctx, "dsp_none")
	noErr(t, "EvidenceUsage of a dispute without evidence", err)
	if len(none) != 0 {
		t.Errorf("usage of a dispute without evidence: %v", none)
	}
}
