package storetest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
)

// testListDisputesSearchIndex: a q of three characters or more that few disputes match is looked
// for in the trigram index, and the disputes found are sorted; one that more than 5,000 match
// (the most the store sorts) is looked for along the newest-first walk. Either way the list is
// the disputes the q matches in the order asked for, by page, cursor and offset, with the other
// filters. The index is asked first for the parts of the text that few of the newest 1,000
// disputes hold; the older ones hold "old words" more than 5,000 times, so that "old words 7"
// is then asked for whole.
func testListDisputesSearchIndex(t *testing.T, s store.Store) {
	ctx := t.Context()
	const n = 6100
	var all []dispute.Dispute
	for i := range n {
		// Two disputes a millisecond: pages break the tie by id.
		d := openDispute(fmt.Sprintf("dsp_%05d", i), "", at(int64(i/2)))
		d.Description = "a common complaint"
		if i%10 == 0 {
			d.Tags = []string{"vip"}
		}
		if i%700 <= 1 {
			d.CaseNumber = fmt.Sprintf("RARE-%04d", i)
		}
		if i%700 == 0 {
			d.DueBy = at(int64(10_000 - i))
		}
		if i < n-1000 {
			d.ExternalReference = fmt.Sprintf("old words %d", i)
		}
		all = append(all, d)
	}
	write(t, s, func(tx store.Tx) error {
		for _, d := range all {
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	newest := newestFirst
	matching := func(match func(d dispute.Dispute) bool, order func(a, b dispute.Dispute) int) []string {
		ds := slices.SortedFunc(slices.Values(slices.DeleteFunc(slices.Clone(all), func(d dispute.Dispute) bool { return !match(d) })), order)
		return disputeIDs(ds)
	}
	rare := func(d dispute.Dispute) bool { return d.CaseNumber != "" }
	rareNewest := matching(rare, newest)
	if len(rareNewest) != 18 {
		t.Fatalf("%d rare disputes, want 18", len(rareNewest))
	}
	commonNewest := matching(func(dispute.Dispute) bool { return true }, newest)
	byID := func(id string) dispute.Dispute {
		return all[slices.IndexFunc(all, func(d dispute.Dispute) bool { return d.ID == id })]
	}
	after := func(id string) store.Page { return store.Page{Limit: 5, AfterCreated: byID(id).CreatedAt, AfterID: id} }
	tests := []struct {
		name string
		f    store.DisputeFilter
		want []string
	}{
		{"rare, first page", store.DisputeFilter{Query: "rare-", Page: store.Page{Limit: 5}}, rareNewest[:6]},
		{"rare, by cursor", store.DisputeFilter{Query: "rare-", Page: after(rareNewest[4])}, rareNewest[5:11]},
		{"rare, by cursor within a millisecond", store.DisputeFilter{Query: "rare-", Page: after(rareNewest[5])}, rareNewest[6:12]},
		{"rare, last page", store.DisputeFilter{Query: "rare-", Page: after(rareNewest[14])}, rareNewest[15:]},
		{"rare, by offset", store.DisputeFilter{Query: "rare-", Page: store.Page{Limit: 5, Offset: 5}}, rareNewest[5:11]},
		{"one", store.DisputeFilter{Query: "rare-0701"}, []string{"dsp_00701"}},
		{"rare, oldest first", store.DisputeFilter{Query: "RARE-", Sort: store.SortOldest, Page: store.Page{Limit: 3}},
			matching(rare, func(a, b dispute.Dispute) int { return newest(b, a) })[:4]},
		{"rare, soonest due first, none last", store.DisputeFilter{Query: "rare-", Sort: store.SortDue},
			matching(rare, func(a, b dispute.Dispute) int {
				undated := func(d dispute.Dispute) int { return map[bool]int{true: 1}[d.DueBy.IsZero()] }
				return cmp.Or(cmp.Compare(undated(a), undated(b)), a.DueBy.Compare(b.DueBy), newest(a, b))
			})},
		{"rare, with a tag", store.DisputeFilter{Query: "rare-", Tag: "vip"},
			matching(func(d dispute.Dispute) bool { return rare(d) && slices.Contains(d.Tags, "vip") }, newest)},
		{"rare, with a status", store.DisputeFilter{Query: "rare-", Status: string(dispute.NeedsResponse), Page: store.Page{Limit: 2}}, rareNewest[:3]},
		{"rare, with another status", store.DisputeFilter{Query: "rare-", Status: string(dispute.Won)}, []string{}},
		{"few, among many that hold its parts", store.DisputeFilter{Query: "old words 7"},
			matching(func(d dispute.Dispute) bool { return strings.HasPrefix(d.ExternalReference, "old words 7") }, newest)},
		{"many, first page", store.DisputeFilter{Query: "common", Page: store.Page{Limit: 5}}, commonNewest[:6]},
		{"many, by cursor", store.DisputeFilter{Query: "common", Page: after(commonNewest[4])}, commonNewest[5:11]},
		{"many, by offset", store.DisputeFilter{Query: "common", Page: store.Page{Limit: 5, Offset: 5000}}, commonNewest[5000:5006]},
		{"many, with a tag", store.DisputeFilter{Query: "common", Tag: "vip", Page: store.Page{Limit: 3}},
			matching(func(d dispute.Dispute) bool { return slices.Contains(d.Tags, "vip") }, newest)[:4]},
	}
	for _, tt := range tests {
		got, err := s.ListDisputes(ctx, tt.f)
		noErr(t, tt.name, err)
		same(t, tt.name, disputeIDs(got), tt.want)
	}
}

// testListDisputesSearchText: the q filter takes its text literally whichever way it is looked
// for: LIKE's and FTS5's special characters, letters beyond ASCII (in any case), texts of one
// or two characters, which no trigram index holds; and it finds a dispute by the text an update
// gave it, not by the text it had.
func testListDisputesSearchText(t *testing.T, s store.Store) {
	ctx := t.Context()
	texts := []struct{ id, description string }{
		{"dsp_percent", "a%c and 50%_off"},
		{"dsp_abc", "abc xyz"},
		{"dsp_backslash", `back\slash`},
		{"dsp_quote", `say "hi" now`},
		{"dsp_name", "Élodie Müller, 日本語テキスト"},
		{"dsp_edited", "before the update"},
	}
	write(t, s, func(tx store.Tx) error {
		for i, e := range texts {
			d := openDispute(e.id, "", at(int64(i)))
			d.Description = e.description
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	check := func(q string, want ...string) {
		t.Helper()
		got, err := s.ListDisputes(ctx, store.DisputeFilter{Query: q})
		noErr(t, "q="+q, err)
		same(t, "q="+q, disputeIDs(got), append([]string{}, want...))
	}
	check("a%c", "dsp_percent")
	check("a_c") // "_" is no wildcard
	check("50%_", "dsp_percent")
	check("%", "dsp_percent")
	check(`k\s`, "dsp_backslash")
	check(`\`, "dsp_backslash")
	check("c x", "dsp_abc")
	check(`"hi"`, "dsp_quote")
	check(`y "h`, "dsp_quote")
	check(`"`, "dsp_quote")
	check("ÉLODIE", "dsp_name")
	check("müller", "dsp_name")
	check("本語テ", "dsp_name")
	check("日本", "dsp_name") // two characters, six bytes
	check("é", "dsp_name")
	check("ab", "dsp_abc")
	check("ll", "dsp_name")
	check("xy", "dsp_abc")

	d, err := s.GetDispute(ctx, "dsp_edited")
	noErr(t, "GetDispute", err)
	next := d
	next.Description, next.Revision = "after the change", d.Revision+1
	write(t, s, func(tx store.Tx) error { return tx.UpdateDispute(ctx, next, d) })
	check("after the", "dsp_edited")
	check("change", "dsp_edited")
	check("before")
	check("update")
}

// testListDisputesRelatedIndex: the admin UI's query finds a dispute by its customer's email or
// name (the dispute's own customer, else its order's: the customer the list shows) and its order
// id through the trigram indexes
// when they hold the text in few rows, by its charge's whole id or provider reference, among more disputes than the store sorts;
// along the newest-first walk when many disputes hold it; and by the order id an update gave it.
func testListDisputesRelatedIndex(t *testing.T, s store.Store) {
	ctx := t.Context()
	const n = 5100
	rare := store.Customer{ID: "cus_rare", Email: "Rare.Person@Shop.Example", Name: "Élodie Rare", Metadata: map[string]string{},
		CreatedAt: at(0), UpdatedAt: at(0)}
	other := store.Customer{ID: "cus_other", Email: "someone.else@shop.example", Name: "Someone Else", Metadata: map[string]string{},
		CreatedAt: at(0), UpdatedAt: at(0)}
	ord := simpleOrder("ord_of_rare", rare.ID, "", order.Completed, at(0))
	ord2 := simpleOrder("ord_of_rare_2", rare.ID, "", order.Completed, at(0))
	ch := charge("txn_rare", ord.ID, 1000, at(0))
	ch.ProviderReference = "ch_3RareCharge"
	var ids []string // newest first
	write(t, s, func(tx store.Tx) error {
		for _, c := range []store.Customer{rare, other} {
			if err := tx.InsertCustomer(ctx, c); err != nil {
				return err
			}
		}
		for _, o := range []order.Order{ord, ord2} {
			if err := tx.InsertOrder(ctx, o); err != nil {
				return err
			}
		}
		if err := tx.InsertTransaction(ctx, ch); err != nil {
			return err
		}
		for i := range n {
			d := openDispute(fmt.Sprintf("dsp_%05d", i), "", at(int64(i)))
			d.Description = "a common complaint"
			switch i {
			case 100:
				d.CustomerID = rare.ID
			case 200:
				d.OrderID = ord.ID
			case 300:
				d.TransactionID = ch.ID
			case 400: // rare's order, another customer's dispute
				d.OrderID, d.CustomerID = ord2.ID, other.ID
			}
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
			ids = append([]string{d.ID}, ids...)
		}
		return nil
	})
	check := func(q string, limit int, want ...string) {
		t.Helper()
		got, err := s.ListDisputes(ctx, store.DisputeFilter{Query: q, QueryRelated: true, Page: store.Page{Limit: limit}})
		noErr(t, "q="+q, err)
		same(t, "q="+q, disputeIDs(got), append([]string{}, want...))
	}
	check("rare.person@shop", 0, "dsp_00200", "dsp_00100") // the order's customer, the dispute's
	check("ÉLODIE RARE", 0, "dsp_00200", "dsp_00100")
	check("Élodie", 0, "dsp_00200", "dsp_00100")
	check("someone.else", 0, "dsp_00400")
	check("of_rare", 0, "dsp_00400", "dsp_00200")
	check("ch_3RareCharge", 0, "dsp_00300") // the charge, by its whole id or provider reference
	check("txn_rare", 0, "dsp_00300")
	check("3RareCharg", 0) // not by a fragment
	check("dsp_0010", 0, ids[n-110:n-100]...)
	check("common", 5, ids[:6]...)
	check("no such text", 0)

	d, err := s.GetDispute(ctx, "dsp_04000")
	noErr(t, "GetDispute", err)
	next := d
	next.OrderID, next.Revision = "ord_given_later", d.Revision+1
	write(t, s, func(tx store.Tx) error { return tx.UpdateDispute(ctx, next, d) })
	check("given_later", 0, "dsp_04000")
}
