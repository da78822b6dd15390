package storetest

import (
	"testing"

	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
)

func testListDisputesFilters(t *testing.T, s store.Store) {
	ctx := t.Context()
	// Each dispute differs from dsp_00 in one field; newest first means the highest number first.
	ds := make([]dispute.Dispute, 8)
	for i, id := range seq("dsp", len(ds)) {
		ds[i] = openDispute(id, "", at(int64(i)))
		ds[i].Tags = []string{"all"}
	}
	ds[1].Status = dispute.UnderReview
	ds[1].ExtendedFields = dispute.ExtendedFields{"priority": {Type: dispute.FieldNumber, Text: "12.50"}}
	ds[2].Type, ds[2].Status = dispute.Alert, dispute.Open
	ds[3].OrderID = "ord_1"
	ds[3].ExtendedFields = dispute.ExtendedFields{"priority": {Type: dispute.FieldNumber, Text: "12.5"}, "vip": {Type: dispute.FieldBoolean, Text: "true"}}
	ds[4].TransactionID = "txn_1"
	ds[5].CustomerID, ds[5].VendorID = "cus_1", "ven_1"
	ds[6].DueBy = at(100)
	ds[6].Tags = []string{"all", "vip"}
	ds[7].DueBy = at(200)
	ds[7].CustomerID, ds[7].VendorID = "cus_2", "cus_1" // the same party id as a vendor
	write(t, s, func(tx store.Tx) error {
		for _, d := range ds {
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	tests := []struct {
		name string
		f    store.DisputeFilter
		want []string
	}{
		{"no filter", store.DisputeFilter{}, []string{"dsp_07", "dsp_06", "dsp_05", "dsp_04", "dsp_03", "dsp_02", "dsp_01", "dsp_00"}},
		{"status", store.DisputeFilter{Status: "under_review"}, []string{"dsp_01"}},
		{"type", store.DisputeFilter{Type: "alert"}, []string{"dsp_02"}},
		{"order", store.DisputeFilter{OrderID: "ord_1"}, []string{"dsp_03"}},
		{"transaction", store.DisputeFilter{TransactionID: "txn_1"}, []string{"dsp_04"}},
		{"customer", store.DisputeFilter{CustomerID: "cus_1"}, []string{"dsp_05"}},
		{"due before", store.DisputeFilter{DueBefore: at(200)}, []string{"dsp_06"}},
		{"due before, inclusive of none", store.DisputeFilter{DueBefore: at(201)}, []string{"dsp_07", "dsp_06"}},
		{"tag", store.DisputeFilter{Tag: "vip"}, []string{"dsp_06"}},
		{"unknown tag", store.DisputeFilter{Tag: "nope"}, []string{}},
		{"party as customer", store.DisputeFilter{PartyCustomer: "cus_1"}, []string{"dsp_05"}},
		{"party as vendor", store.DisputeFilter{PartyVendor: "ven_1"}, []string{"dsp_05"}},
		{"party as vendor, with a customer's id", store.DisputeFilter{PartyVendor: "cus_1"}, []string{"dsp_07"}},
		{"party and another customer", store.DisputeFilter{PartyCustomer: "cus_1", CustomerID: "cus_2"}, []string{}},
		{"party as vendor and a customer", store.DisputeFilter{PartyVendor: "cus_1", CustomerID: "cus_2"}, []string{"dsp_07"}},
		{"status and type", store.DisputeFilter{Status: "needs_response", Type: "alert"}, []string{}},
		// Each filter is read through an index or checked on the rows another one's index yields.
		{"tag with a customer", store.DisputeFilter{CustomerID: "cus_1", Tag: "all"}, []string{"dsp_05"}},
		{"tag and status", store.DisputeFilter{Tag: "all", Status: "under_review"}, []string{"dsp_01"}},
		{"due before with a party", store.DisputeFilter{PartyVendor: "cus_1", DueBefore: at(201)}, []string{"dsp_07"}},
		{"due before and a status", store.DisputeFilter{DueBefore: at(201), Status: "needs_response"}, []string{"dsp_07", "dsp_06"}},
		{"due before and a tag", store.DisputeFilter{DueBefore: at(201), Tag: "vip"}, []string{"dsp_06"}},
		{"search with an order", store.DisputeFilter{OrderID: "ord_1", Query: "dsp_03"}, []string{"dsp_03"}},
		// An extended field matches its value's text exactly: 12.5 is not 12.50.
		{"extended field", store.DisputeFilter{ExtendedFields: dispute.ExtendedFields{"priority": {Type: dispute.FieldNumber, Text: "12.5"}}}, []string{"dsp_03"}},
		{"extended fields, both", store.DisputeFilter{ExtendedFields: dispute.ExtendedFields{"priority": {Type: dispute.FieldNumber, Text: "12.5"},
			"vip": {Type: dispute.FieldBoolean, Text: "true"}}}, []string{"dsp_03"}},
		{"extended field, none has it", store.DisputeFilter{ExtendedFields: dispute.ExtendedFields{"vip": {Type: dispute.FieldBoolean, Text: "false"}}}, []string{}},
		{"extended field with a status", store.DisputeFilter{Status: "under_review", ExtendedFields: dispute.ExtendedFields{"priority": {Type: dispute.FieldNumber, Text: "12.50"}}}, []string{"dsp_01"}},
	}
	for _, tt := range tests {
		got, err := s.ListDisputes(ctx, tt.f)
		noErr(t, tt.name, err)
		same(t, tt.name, disputeIDs(got), tt.want)
	}
}

func testListDisputesQuery(t *testing.T, s store.Store) {
	ctx := t.Context()
	mk := func(id string, set func(d *dispute.Dispute)) dispute.Dispute {
		d := openDispute(id, "", at(0))
		set(&d)
		return d
	}
	ds := []dispute.Dispute{
		mk("dsp_reason", func(d *dispute.Dispute) { d.Reason = "Product Not Received" }),
		mk("dsp_case", func(d *dispute.Dispute) { d.CaseNumber = "CASE-7781" }),
		mk("dsp_arn", func(d *dispute.Dispute) { d.ARN = "74123456789" }),
		mk("dsp_provider", func(d *dispute.Dispute) { d.ProviderDisputeID = "dp_1AbC" }),
		mk("dsp_external", func(d *dispute.Dispute) { d.ExternalReference = "TICKET-9" }),
		mk("dsp_description", func(d *dispute.Dispute) { d.Description = "Kunde meldet ÄRGER mit Straße" }),
		mk("dsp_wild", func(d *dispute.Dispute) { d.Description = `100% off_sale \o/` }),
		mk("dsp_split", func(d *dispute.Dispute) { d.Reason, d.CaseNumber = "ab", "cd" }),
		mk("dsp_not_searched", func(d *dispute.Dispute) { d.Currency, d.NetworkReasonCode = "XTS", "secret-code" }),
	}
	write(t, s, func(tx store.Tx) error {
		for _, d := range ds {
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	tests := []struct {
		q    string
		want []string
	}{
		{"not received", []string{"dsp_reason"}},
		{"case-77", []string{"dsp_case"}},
		{"3456", []string{"dsp_arn"}},
		{"DP_1abc", []string{"dsp_provider"}},
		{"ticket", []string{"dsp_external"}},
		{"ärger", []string{"dsp_description"}},
		{"STRASSE", []string{}}, // case folding, not transliteration
		{"dsp_ar", []string{"dsp_arn"}},
		{"%", []string{"dsp_wild"}},
		{"_sale", []string{"dsp_wild"}},
		{`\o/`, []string{"dsp_wild"}},
		{"f_s", []string{"dsp_wild"}},
		{"o_f", []string{}}, // "_" is no wildcard
		{"abcd", []string{}},
		{"secret", []string{}},
	}
	for _, tt := range tests {
		got, err := s.ListDisputes(ctx, store.DisputeFilter{Query: tt.q})
		noErr(t, "ListDisputes", err)
		same(t, "q="+tt.q, disputeIDs(got), tt.want)
	}
}

func testListOrdersFilters(t *testing.T, s store.Store) {
	ctx := t.Context()
	os := []order.Order{
		simpleOrder("ord_00", "cus_1", "", order.Pending, at(0)),
		simpleOrder("ord_01", "cus_1", "ven_1", order.Completed, at(1)),
		simpleOrder("ord_02", "cus_2", "ven_1", order.Completed, at(2)),
		simpleOrder("ord_03", "cus_3", "cus_1", order.Voided, at(3)),
	}
	write(t, s, func(tx store.Tx) error {
		for _, o := range os {
			if err := tx.InsertOrder(ctx, o); err != nil {
				return err
			}
		}
		return nil
	})
	orderID := func(o order.Order) string { return o.ID }
	tests := []struct {
		name string
		f    store.OrderFilter
		want []string
	}{
		{"no filter", store.OrderFilter{}, []string{"ord_03", "ord_02", "ord_01", "ord_00"}},
		{"customer", store.OrderFilter{CustomerID: "cus_1"}, []string{"ord_01", "ord_00"}},
		{"vendor", store.OrderFilter{VendorID: "ven_1"}, []string{"ord_02", "ord_01"}},
		{"status", store.OrderFilter{Status: "completed"}, []string{"ord_02", "ord_01"}},
		{"party as customer", store.OrderFilter{PartyCustomer: "cus_1"}, []string{"ord_01", "ord_00"}},
		{"party as vendor, with a customer's id", store.OrderFilter{PartyVendor: "cus_1"}, []string{"ord_03"}},
		{"party and status", store.OrderFilter{PartyVendor: "ven_1", Status: "completed", CustomerID: "cus_2"}, []string{"ord_02"}},
		{"party and another vendor", store.OrderFilter{PartyCustomer: "cus_1", VendorID: "ven_2"}, []string{}},
		{"nothing", store.OrderFilter{VendorID: "ven_9"}, []string{}},
	}
	for _, tt := range tests {
		got, err := s.ListOrders(ctx, tt.f)
		noErr(t, tt.name, err)
		same(t, tt.name, ids(got, orderID), tt.want)
	}
}

func testListEventsFilters(t *testing.T, s store.Store) {
	ctx := t.Context()
	evs := []store.Event{
		{ID: "evt_00", Type: "dispute.created", DisputeID: "dsp_1", OrderID: "ord_1", CreatedAt: at(0)},
		{ID: "evt_01", Type: "dispute.updated", DisputeID: "dsp_1", OrderID: "ord_1", CreatedAt: at(1)},
		{ID: "evt_02", Type: "order.voided", OrderID: "ord_2", CreatedAt: at(2)},
		{ID: "evt_03", Type: "dispute.created", DisputeID: "dsp_2", CreatedAt: at(3)},
	}
	write(t, s, func(tx store.Tx) error {
		for _, e := range evs {
			if err := tx.InsertEvent(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	eventID := func(e store.Event) string { return e.ID }
	tests := []struct {
		name string
		f    store.EventFilter
		want []string
	}{
		{"no filter", store.EventFilter{}, []string{"evt_03", "evt_02", "evt_01", "evt_00"}},
		{"type", store.EventFilter{Type: "dispute.created"}, []string{"evt_03", "evt_00"}},
		{"dispute", store.EventFilter{DisputeID: "dsp_1"}, []string{"evt_01", "evt_00"}},
		{"order", store.EventFilter{OrderID: "ord_2"}, []string{"evt_02"}},
		{"type and dispute", store.EventFilter{Type: "dispute.created", DisputeID: "dsp_1"}, []string{"evt_00"}},
	}
	for _, tt := range tests {
		got, err := s.ListEvents(ctx, tt.f)
		noErr(t, tt.name, err)
		same(t, tt.name, ids(got, eventID), tt.want)
	}
}

func testListBlocksFilter(t *testing.T, s store.Store) {
	ctx := t.Context()
	write(t, s, func(tx store.Tx) error {
		for i, b := range []store.Block{
			{ID: "blk_00", Kind: "email", Value: "a@example.com"},
			{ID: "blk_01", Kind: "ip", Value: "192.0.2.1"},
			{ID: "blk_02", Kind: "email", Value: "b@example.com"},
		} {
			b.CreatedAt = at(int64(i))
			if err := tx.InsertBlock(ctx, b); err != nil {
				return err
			}
		}
		return nil
	})
	blockID := func(b store.Block) string { return b.ID }
	all, err := s.ListBlocks(ctx, store.BlockFilter{})
	noErr(t, "ListBlocks", err)
	same(t, "all blocks", ids(all, blockID), []string{"blk_02", "blk_01", "blk_00"})
	emails, err := s.ListBlocks(ctx, store.BlockFilter{Kind: "email"})
	noErr(t, "ListBlocks", err)
	same(t, "email blocks", ids(emails, blockID), []string{"blk_02", "blk_00"})
}

// testTimelineOrder checks the history order: oldest first, and by id within a millisecond
// (ids sort in creation order), whatever order the rows were written in.
func testTimelineOrder(t *testing.T, s store.Store) {
	ctx := t.Context()
	entries := []store.TimelineEntry{
		{ID: "tml_03", DisputeID: "dsp_1", OrderID: "ord_1", Action: "resolved", CreatedAt: at(2)},
		{ID: "tml_01", DisputeID: "dsp_1", OrderID: "ord_1", Action: "created", CreatedAt: at(1)},
		{ID: "tml_02", OrderID: "ord_1", LineID: "lin_1", Action: "line_suspended", CreatedAt: at(1)},
		{ID: "tml_00", OrderID: "ord_1", Action: "order_created", CreatedAt: at(0)},
		{ID: "tml_04", DisputeID: "dsp_2", Action: "created", CreatedAt: at(0)},
	}
	write(t, s, func(tx store.Tx) error {
		for _, e := range entries {
			if err := tx.InsertTimeline(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	entryID := func(e store.TimelineEntry) string { return e.ID }
	for _, tt := range []struct {
		name string
		f    store.TimelineFilter
		want []string
	}{
		{"dispute", store.TimelineFilter{DisputeID: "dsp_1"}, []string{"tml_01", "tml_03"}},
		{"order", store.TimelineFilter{OrderID: "ord_1"}, []string{"tml_00", "tml_01", "tml_02", "tml_03"}},
		{"line", store.TimelineFilter{LineID: "lin_1"}, []string{"tml_02"}},
		{"unknown", store.TimelineFilter{DisputeID: "dsp_9"}, []string{}},
	} {
		got, err := s.ListTimeline(ctx, tt.f)
		noErr(t, "ListTimeline", err)
		same(t, tt.name+" timeline", ids(got, entryID), tt.want)
	}
}

// testOldestFirstLists checks the lists that read in creation order: lines by item, notes and
// evidence oldest first, each only for its parent.
func testOldestFirstLists(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := simpleOrder("ord_1", "cus_1", "", order.Completed, at(0))
	d1, d2 := openDispute("dsp_1", "", at(0)), openDispute("dsp_2", "", at(0))
	write(t, s, func(tx store.Tx) error {
		for _, f := range []func() error{
			func() error { return tx.InsertOrder(ctx, o) },
			func() error { return tx.InsertOrder(ctx, simpleOrder("ord_2", "cus_1", "", order.Completed, at(0))) },
			func() error { return tx.InsertDispute(ctx, d1) },
			func() error { return tx.InsertDispute(ctx, d2) },
		} {
			if err := f(); err != nil {
				return err
			}
		}
		for i, item := range []int{2, 0, 1} { // written out of item order
			l := fullLine(seq("lin", 3)[i], o.ID, at(int64(i)))
			l.Item = item
			if err := tx.InsertLine(ctx, l); err != nil {
				return err
			}
		}
		if err := tx.InsertLine(ctx, fullLine("lin_other", "ord_2", at(0))); err != nil {
			return err
		}
		for i, ms := range []int64{5, 3, 3} {
			id := seq("not", 3)[i]
			if err := tx.InsertNote(ctx, store.Note{ID: id, DisputeID: d1.ID, Body: id, CreatedAt: at(ms)}); err != nil {
				return err
			}
			it := dispute.EvidenceItem{ID: seq("evi", 3)[i], DisputeID: d1.ID, Type: dispute.ItemText, Content: id, CreatedAt: at(ms)}
			if err := tx.InsertEvidence(ctx, it, nil); err != nil {
				return err
			}
		}
		if err := tx.InsertNote(ctx, store.Note{ID: "not_other", DisputeID: d2.ID, Body: "x", CreatedAt: at(0)}); err != nil {
			return err
		}
		return tx.InsertEvidence(ctx, dispute.EvidenceItem{ID: "evi_other", DisputeID: d2.ID, Type: dispute.ItemText, Content: "x", CreatedAt: at(0)}, nil)
	})
	lines, err := s.LinesOfOrder(ctx, o.ID)
	noErr(t, "LinesOfOrder", err)
	same(t, "lines in item order", ids(lines, func(l order.Line) string { return l.ID }), []string{"lin_01", "lin_02", "lin_00"})
	notes, err := s.ListNotes(ctx, d1.ID)
	noErr(t, "ListNotes", err)
	same(t, "notes oldest first", ids(notes, func(n store.Note) string { return n.ID }), []string{"not_01", "not_02", "not_00"})
	items, err := s.ListEvidence(ctx, store.EvidenceFilter{DisputeID: d1.ID})
	noErr(t, "ListEvidence", err)
	same(t, "evidence oldest first", ids(items, func(it dispute.EvidenceItem) string { return it.ID }), []string{"evi_01", "evi_02", "evi_00"})
}
