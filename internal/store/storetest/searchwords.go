package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"disputed/internal/dispute"
	"disputed/internal/store"
)

// testListDisputesSearchWords: a q that holds a number or an id after another character (a case
// number, an ARN, a dispute id) is looked for by the start of a word in the index of words,
// and finds exactly the disputes whose fields hold it, as every other q does: zero-padded case
// numbers whose trigrams every dispute holds, the all-zero one, a q that many case numbers hold,
// one a description holds inside a longer word, letters beyond ASCII and mixed case around the
// number, words longer than the index keeps, texts of one or two characters, a q with no holder,
// by page and cursor; and a dispute by the case number an update gave it, not by its old one.
// The admin UI's query (QueryRelated) finds the same through the same words, and the disputes by
// their order id too, which the words hold, by the order id an update gave, not the old one.
// The disputes outnumber the newest 1,000 that tell which texts are common, as in production.
func testListDisputesSearchWords(t *testing.T, s store.Store) {
	ctx := t.Context()
	const n = 1200
	long := "n-" + strings.Repeat("1234567890", 4)
	descriptions := map[int]string{
		7:  "see xc-00000003abc", // holds c-00000003 inside longer words
		8:  "Ref C-0000000",
		9:  "Élodie-Ü00000001-ß",
		10: "order#12345x99",
		11: long,
		12: "a_b-00 c-1",
		13: "zz12345678-9ab", // its q's longest run is inside a word: the key is the shorter one after it
	}
	all := make([]dispute.Dispute, n)
	for i := range all {
		d := openDispute(fmt.Sprintf("dsp_%05d", i), "", at(int64(i/2))) // two a millisecond: ties broken by id
		d.CaseNumber = fmt.Sprintf("C-%08d", i)
		d.ProviderDisputeID = fmt.Sprintf("dp_%010d", i)
		if i%2 == 0 {
			d.ARN = fmt.Sprintf("74%021d", i)
		}
		d.Description = descriptions[i]
		if i%3 == 0 {
			d.OrderID = fmt.Sprintf("Ord-%06d", i)
		}
		all[i] = d
	}
	write(t, s, func(tx store.Tx) error {
		for _, d := range all {
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	renumbered := all[20]
	renumbered.CaseNumber, renumbered.Description, renumbered.Revision = "X-77777777", "was c-00000020", all[20].Revision+1
	write(t, s, func(tx store.Tx) error { return tx.UpdateDispute(ctx, renumbered, all[20]) })
	all[20] = renumbered
	reordered := all[21]
	reordered.OrderID, reordered.Revision = "ord-777777", all[21].Revision+1
	write(t, s, func(tx store.Tx) error { return tx.UpdateDispute(ctx, reordered, all[21]) })
	all[21] = reordered

	// holdingIn is what q matches, newest first: the disputes whose fields hold it, case folded.
	holdingIn := func(q string, related bool) []string {
		var ds []dispute.Dispute
		for _, d := range all {
			fields := []string{d.ID, d.Reason, d.CaseNumber, d.ARN, d.ProviderDisputeID, d.ExternalReference, d.Description}
			if related {
				fields = append(fields, d.OrderID)
			}
			for _, field := range fields {
				if strings.Contains(strings.ToLower(field), strings.ToLower(q)) {
					ds = append(ds, d)
					break
				}
			}
		}
		slices.SortFunc(ds, newestFirst)
		return disputeIDs(ds)
	}
	holding := func(q string) []string { return holdingIn(q, false) }
	list := func(f store.DisputeFilter) []string {
		t.Helper()
		got, err := s.ListDisputes(ctx, f)
		noErr(t, "q="+f.Query, err)
		return disputeIDs(got)
	}
	for _, tt := range []struct {
		q    string
		many int // how many disputes hold it: the test is only as good as its queries
	}{
		{"c-00000000", 1}, {"C-00000000", 1}, {"c-00000003", 2}, {"c-0000000", 10}, {"C-000001", 100},
		{"-00000001", 1}, {"ü00000001", 1}, {"Ü00000001", 1}, {"-ü00000001-", 1}, {"#12345x9", 1}, {long[:37], 1}, {"2345678-9ab", 1},
		{"x-77777777", 1}, {"c-00000020", 1}, {"c-00000021", 1}, {"dsp_0005", 10}, {"dp_0000000011", 1},
		{"_0000000099", 1}, {"zz-00000001", 0}, {"c-0000000%", 0}, {"00000003", 112}, {"c-1", 1}, {"c-", n},
		{"0", n}, {"00", n}, {"c", n},
	} {
		want := holding(tt.q)
		if len(want) != tt.many {
			t.Fatalf("q=%s: %d disputes hold it, want %d: the data set changed", tt.q, len(want), tt.many)
		}
		same(t, "q="+tt.q, list(store.DisputeFilter{Query: tt.q, Page: store.Page{Limit: 100}}), want[:min(len(want), 101)])
		related := holdingIn(tt.q, true)
		same(t, "related q="+tt.q, list(store.DisputeFilter{Query: tt.q, QueryRelated: true, Page: store.Page{Limit: 100}}), related[:min(len(related), 101)])
	}
	for _, tt := range []struct {
		q    string
		many int
	}{{"ord-000003", 1}, {"ORD-00000", 4}, {"d-00001", 3}, {"ord-777777", 1}, {"ord-000021", 0}, {"rd-0000", 33}} {
		want := holdingIn(tt.q, true)
		if len(want) != tt.many {
			t.Fatalf("related q=%s: %d disputes hold it, want %d: the data set changed", tt.q, len(want), tt.many)
		}
		same(t, "related q="+tt.q, list(store.DisputeFilter{Query: tt.q, QueryRelated: true, Page: store.Page{Limit: 100}}), want)
		same(t, "q="+tt.q+", not the order id", list(store.DisputeFilter{Query: tt.q, Page: store.Page{Limit: 100}}), holding(tt.q))
	}
	pages := holding("c-000001")
	same(t, "the first page", list(store.DisputeFilter{Query: "c-000001", Page: store.Page{Limit: 5}}), pages[:6])
	cursor := all[slices.IndexFunc(all, func(d dispute.Dispute) bool { return d.ID == pages[4] })]
	same(t, "by cursor", list(store.DisputeFilter{Query: "c-000001", Page: store.Page{Limit: 5, AfterCreated: cursor.CreatedAt, AfterID: cursor.ID}}),
		pages[5:11])
	same(t, "by offset", list(store.DisputeFilter{Query: "c-000001", Page: store.Page{Limit: 5, Offset: 95}}), pages[95:])
}
