package storetest

import (
	"context"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/fees"
	"disputed/internal/monitoring"
	"disputed/internal/order"
	"disputed/internal/store"
)

// testNotFound checks that every getter reports store.ErrNotFound, outside and inside a
// transaction, instead of a zero value.
func testNotFound(t *testing.T, s store.Store) {
	check := func(r store.Reader) {
		ctx := t.Context()
		getters := map[string]func() error{
			"GetCustomer":          func() error { _, err := r.GetCustomer(ctx, "cus_x"); return err },
			"GetOrder":             func() error { _, err := r.GetOrder(ctx, "ord_x"); return err },
			"GetLine":              func() error { _, err := r.GetLine(ctx, "lin_x"); return err },
			"GetTransaction":       func() error { _, err := r.GetTransaction(ctx, "txn_x"); return err },
			"FindTransaction":      func() error { _, err := r.FindTransaction(ctx, "stripe", "ch_x"); return err },
			"FindTransaction any":  func() error { _, err := r.FindTransaction(ctx, "", "ch_x"); return err },
			"FindTransaction none": func() error { _, err := r.FindTransaction(ctx, "", ""); return err },
			"FindTransactionByARN": func() error { _, err := r.FindTransactionByARN(ctx, "74x"); return err },
			"GetDispute":           func() error { _, err := r.GetDispute(ctx, "dsp_x"); return err },
			"OpenDisputeOfOrder":   func() error { _, err := r.OpenDisputeOfOrder(ctx, "ord_x"); return err },
			"GetEvidenceFile":      func() error { _, _, err := r.GetEvidenceFile(ctx, "evi_x"); return err },
			"GetEvent":             func() error { _, err := r.GetEvent(ctx, "evt_x"); return err },
			"FindBlock":            func() error { _, err := r.FindBlock(ctx, "email", "a@b.c"); return err },
			"GetAPIKey":            func() error { _, err := r.GetAPIKey(ctx, "key_x"); return err },
			"GetAPIKeyByHash":      func() error { _, err := r.GetAPIKeyByHash(ctx, "ff"); return err },
			"GetIdempotency":       func() error { _, err := r.GetIdempotency(ctx, "key_x", "k"); return err },
			"GetJob":               func() error { _, err := r.GetJob(ctx, "job_x"); return err },
			"GetPanel":             func() error { _, err := r.GetPanel(ctx, "nope"); return err },
			"GetEmail":             func() error { _, err := r.GetEmail(ctx, "eml_x"); return err },
			"GetProvider":          func() error { _, err := r.GetProvider(ctx, "nope"); return err },
			"GetProviderEvent":     func() error { _, err := r.GetProviderEvent(ctx, "stripe", "evt_x"); return err },
			"GetWebhookEndpoint":   func() error { _, err := r.GetWebhookEndpoint(ctx, "we_x"); return err },
			"GetWebhookDelivery":   func() error { _, err := r.GetWebhookDelivery(ctx, "msg_x"); return err },
			"GetUser":              func() error { _, err := r.GetUser(ctx, "usr_x"); return err },
			"GetUserByEmail":       func() error { _, err := r.GetUserByEmail(ctx, "no@example.com"); return err },
			"GetSession":           func() error { _, err := r.GetSession(ctx, "none"); return err },
			"GetSignInFailures":    func() error { _, err := r.GetSignInFailures(ctx, "no@example.com", "192.0.2.1"); return err },
		}
		for name, get := range getters {
			wantErr(t, name, get(), store.ErrNotFound)
		}
	}
	check(s)
	write(t, s, func(tx store.Tx) error { check(tx); return nil })

	// Empty lists are empty, not errors.
	ctx := t.Context()
	ds, err := s.ListDisputes(ctx, store.DisputeFilter{})
	noErr(t, "ListDisputes", err)
	ls, err := s.LinesOfOrder(ctx, "ord_x")
	noErr(t, "LinesOfOrder", err)
	if len(ds) != 0 || len(ls) != 0 {
		t.Errorf("empty store lists %d disputes and %d lines", len(ds), len(ls))
	}
}

func testCustomerRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	c := fullCustomer("cus_1", at(0))
	allSet(t, c)
	write(t, s, func(tx store.Tx) error { return tx.InsertCustomer(ctx, c) })
	got, err := s.GetCustomer(ctx, c.ID)
	noErr(t, "GetCustomer", err)
	same(t, "customer", got, c)

	bare := store.Customer{ID: "cus_2", CreatedAt: at(1), UpdatedAt: at(1)}
	write(t, s, func(tx store.Tx) error { return tx.InsertCustomer(ctx, bare) })
	got, err = s.GetCustomer(ctx, bare.ID)
	noErr(t, "GetCustomer", err)
	bare.Metadata = map[string]string{} // nil metadata comes back as an empty map
	same(t, "customer without metadata", got, bare)
}

func testOrderRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := fullOrder("ord_1", at(0))
	allSet(t, o)
	allSet(t, o.Items[0])
	allSet(t, o.Purchase)
	allSet(t, o.Purchase.BillingAddress)
	allSet(t, o.Purchase.ShippingAddress)
	write(t, s, func(tx store.Tx) error { return tx.InsertOrder(ctx, o) })
	got, err := s.GetOrder(ctx, o.ID)
	noErr(t, "GetOrder", err)
	same(t, "order", got, o)
	listed, err := s.ListOrders(ctx, store.OrderFilter{Page: store.Page{Limit: 10}})
	noErr(t, "ListOrders", err)
	same(t, "listed order", listed, []order.Order{o})

	// An update writes the purchase context: a field changed, another cleared.
	o.Purchase.TrackingNumber, o.Purchase.ShippingAddress = "1Z-other", order.Address{}
	write(t, s, func(tx store.Tx) error { return tx.UpdateOrder(ctx, o) })
	got, err = s.GetOrder(ctx, o.ID)
	noErr(t, "GetOrder", err)
	o.Revision++
	same(t, "updated order", got, o)

	// Optional times stay zero, nil metadata comes back as an empty map.
	p := simpleOrder("ord_2", "cus_2", "", order.Pending, at(1))
	p.Metadata = nil
	write(t, s, func(tx store.Tx) error { return tx.InsertOrder(ctx, p) })
	got, err = s.GetOrder(ctx, p.ID)
	noErr(t, "GetOrder", err)
	p.Metadata = map[string]string{}
	same(t, "pending order", got, p)
	if !got.CompletedAt.IsZero() || !got.VoidedAt.IsZero() {
		t.Errorf("pending order has CompletedAt %v, VoidedAt %v; want zero", got.CompletedAt, got.VoidedAt)
	}
}

func testLineRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := simpleOrder("ord_1", "cus_1", "", order.Completed, at(0))
	l := fullLine("lin_1", o.ID, at(1))
	allSet(t, l)
	write(t, s, func(tx store.Tx) error {
		if err := tx.InsertOrder(ctx, o); err != nil {
			return err
		}
		return tx.InsertLine(ctx, l)
	})
	got, err := s.GetLine(ctx, l.ID)
	noErr(t, "GetLine", err)
	same(t, "line", got, l)
}

func testTransactionRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	tr := fullTransaction("txn_1", at(0))
	allSet(t, tr)
	allSet(t, tr.Purchase)
	write(t, s, func(tx store.Tx) error { return tx.InsertTransaction(ctx, tr) })
	got, err := s.GetTransaction(ctx, tr.ID)
	noErr(t, "GetTransaction", err)
	same(t, "transaction", got, tr)
	listed, err := s.ListTransactions(ctx, store.TransactionFilter{Page: store.Page{Limit: 10}})
	noErr(t, "ListTransactions", err)
	same(t, "listed transaction", listed, []order.Transaction{tr})

	plain := charge("txn_2", "", 100, at(1))
	write(t, s, func(tx store.Tx) error { return tx.InsertTransaction(ctx, plain) })
	got, err = s.GetTransaction(ctx, plain.ID)
	noErr(t, "GetTransaction", err)
	plain.UpdatedAt = plain.CreatedAt // never changed: updated when created
	same(t, "plain charge", got, plain)

	// Adjusting the running amounts moves updated_at forward, never back.
	write(t, s, func(tx store.Tx) error {
		return tx.AdjustTransaction(ctx, plain.ID, store.Adjustment{Refunded: 10, At: at(5)})
	})
	write(t, s, func(tx store.Tx) error {
		return tx.AdjustTransaction(ctx, plain.ID, store.Adjustment{Refunded: 10, At: at(2)})
	})
	got, err = s.GetTransaction(ctx, plain.ID)
	noErr(t, "GetTransaction", err)
	same(t, "adjusted charge", []any{got.AmountRefunded, got.UpdatedAt}, []any{int64(20), at(5)})
}

func testDisputeRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	d := fullDispute("dsp_1", "ord_1", at(0))
	allSet(t, d)
	write(t, s, func(tx store.Tx) error { return tx.InsertDispute(ctx, d) })
	got, err := s.GetDispute(ctx, d.ID)
	noErr(t, "GetDispute", err)
	same(t, "dispute", got, d)

	// The same through the other readers of a dispute.
	list, err := s.ListDisputes(ctx, store.DisputeFilter{})
	noErr(t, "ListDisputes", err)
	same(t, "listed dispute", list, []dispute.Dispute{d})
	o := openDispute("dsp_2", "ord_2", at(1))
	o.DueBy = at(5000)
	write(t, s, func(tx store.Tx) error { return tx.InsertDispute(ctx, o) })
	got, err = s.OpenDisputeOfOrder(ctx, "ord_2")
	noErr(t, "OpenDisputeOfOrder", err)
	same(t, "open dispute", got, o)
}

// testDisputeEmptyFields pins down nil against empty: Evidence and Metadata come back as empty
// maps and Tags as an empty slice, never nil, so that callers can add to them and JSON shows
// {} and [].
func testDisputeEmptyFields(t *testing.T, s store.Store) {
	ctx := t.Context()
	d := dispute.Dispute{ID: "dsp_1", Type: dispute.Marketplace, Status: dispute.Open, Currency: "USD", Revision: 1,
		CreatedAt: at(0), UpdatedAt: at(0)}
	write(t, s, func(tx store.Tx) error { return tx.InsertDispute(ctx, d) })
	got, err := s.GetDispute(ctx, d.ID)
	noErr(t, "GetDispute", err)
	if got.Evidence == nil || got.Metadata == nil || got.Tags == nil {
		t.Errorf("got Evidence %#v, Metadata %#v, Tags %#v; want empty, non-nil", got.Evidence, got.Metadata, got.Tags)
	}
	d.Evidence, d.Metadata, d.Tags = map[string]string{}, map[string]string{}, []string{}
	same(t, "dispute with empty fields", got, d)
	for name, tm := range map[string]time.Time{"HappenedAt": got.HappenedAt, "DueBy": got.DueBy, "ResolvedAt": got.ResolvedAt} {
		if !tm.IsZero() {
			t.Errorf("%s = %v, want the zero time", name, tm)
		}
	}
}

// testTimesMillisecondsUTC checks that times come back at millisecond precision, in UTC,
// whatever zone they were given in.
func testTimesMillisecondsUTC(t *testing.T, s store.Store) {
	ctx := t.Context()
	zone := time.FixedZone("UTC+5:30", 5*3600+1800)
	created := time.Date(2026, 2, 3, 4, 5, 6, 789_654_321, zone)
	c := store.Customer{ID: "cus_1", CreatedAt: created, UpdatedAt: created}
	write(t, s, func(tx store.Tx) error { return tx.InsertCustomer(ctx, c) })
	got, err := s.GetCustomer(ctx, c.ID)
	noErr(t, "GetCustomer", err)
	want := time.Date(2026, 2, 2, 22, 35, 6, 789_000_000, time.UTC)
	if got.CreatedAt != want { // == on purpose: same instant, same location
		t.Errorf("CreatedAt = %v (%v), want %v", got.CreatedAt, got.CreatedAt.Location(), want)
	}
}

func testEvidenceRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	d := openDispute("dsp_1", "", at(0))
	file := []byte{0, 1, 2, 0xff, 0xfe, 'P', 'D', 'F', 0}
	withFile := dispute.EvidenceItem{
		ID: "evi_1", DisputeID: d.ID, Type: dispute.ItemFile, Content: "receipt.pdf", Description: "the receipt",
		FileName: "receipt.pdf", ContentType: "application/pdf", Size: int64(len(file)), AddedBy: "vendor:key_1",
		Party: dispute.Vendor, CreatedAt: at(1),
	}
	allSet(t, withFile)
	text := dispute.EvidenceItem{ID: "evi_2", DisputeID: d.ID, Type: dispute.ItemText, Content: "I never got it",
		AddedBy: "buyer:key_2", Party: dispute.Buyer, CreatedAt: at(2)}
	empty := dispute.EvidenceItem{ID: "evi_3", DisputeID: d.ID, Type: dispute.ItemFile, Content: "empty.txt", CreatedAt: at(3)}
	write(t, s, func(tx store.Tx) error {
		if err := tx.InsertDispute(ctx, d); err != nil {
			return err
		}
		if err := tx.InsertEvidence(ctx, withFile, file); err != nil {
			return err
		}
		if err := tx.InsertEvidence(ctx, text, nil); err != nil {
			return err
		}
		return tx.InsertEvidence(ctx, empty, []byte{})
	})

	got, gotFile, err := s.GetEvidenceFile(ctx, withFile.ID)
	noErr(t, "GetEvidenceFile", err)
	same(t, "evidence item", got, withFile)
	same(t, "file bytes", gotFile, file)
	for _, it := range []dispute.EvidenceItem{text, empty} {
		got, gotFile, err = s.GetEvidenceFile(ctx, it.ID)
		noErr(t, "GetEvidenceFile", err)
		same(t, "evidence item", got, it)
		if gotFile != nil {
			t.Errorf("item %s without file bytes gave %#v, want nil", it.ID, gotFile)
		}
	}
	list, err := s.ListEvidence(ctx, store.EvidenceFilter{DisputeID: d.ID})
	noErr(t, "ListEvidence", err)
	same(t, "evidence list", list, []dispute.EvidenceItem{withFile, text, empty})
}

func testHistoryRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	d := openDispute("dsp_1", "ord_1", at(0))
	e := store.TimelineEntry{ID: "tml_1", DisputeID: d.ID, OrderID: "ord_1", LineID: "lin_1", Actor: "admin:key_1",
		Action: "status_changed", From: "needs_response", To: "under_review", Note: "submitted", Payload: []byte(`{"id":"evt_1"}`), CreatedAt: at(1)}
	n := store.Note{ID: "not_1", DisputeID: d.ID, Author: "agent:key_2", Body: "call the bank", CreatedAt: at(2)}
	ev := store.Event{ID: "evt_1", Type: "dispute.updated", DisputeID: d.ID, OrderID: "ord_1",
		Data: []byte(`{"id":"dsp_1","amount":1000,"text":"\u00e9\u0000"}`), CreatedAt: at(3)}
	bare := store.Event{ID: "evt_2", Type: "customer.blocked", CreatedAt: at(4)}
	for _, v := range []any{e, n, ev} {
		allSet(t, v)
	}
	write(t, s, func(tx store.Tx) error {
		if err := tx.InsertDispute(ctx, d); err != nil {
			return err
		}
		if err := tx.InsertTimeline(ctx, e); err != nil {
			return err
		}
		if err := tx.InsertNote(ctx, n); err != nil {
			return err
		}
		if err := tx.InsertEvent(ctx, ev); err != nil {
			return err
		}
		return tx.InsertEvent(ctx, bare)
	})
	tl, err := s.ListTimeline(ctx, store.TimelineFilter{DisputeID: d.ID})
	noErr(t, "ListTimeline", err)
	same(t, "timeline", tl, []store.TimelineEntry{e})
	notes, err := s.ListNotes(ctx, d.ID)
	noErr(t, "ListNotes", err)
	same(t, "notes", notes, []store.Note{n})
	got, err := s.GetEvent(ctx, ev.ID)
	noErr(t, "GetEvent", err)
	same(t, "event", got, ev)
	got, err = s.GetEvent(ctx, bare.ID)
	noErr(t, "GetEvent", err)
	same(t, "event without data", got, bare) // nil Data stays nil
}

func testAccessRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	b := store.Block{ID: "blk_1", Kind: "email", Value: "x@example.com", Reason: "chargeback", DisputeID: "dsp_1",
		CreatedBy: "system", CreatedAt: at(0)}
	k := store.APIKey{ID: "key_1", Role: "vendor", PartyID: "ven_1", Hash: "9f86d081884c7d65", Prefix: "sk_live_ab",
		Name: "shop", CreatedAt: at(1), RevokedAt: at(3), RevokedBy: "admin:key_0"}
	idem := store.Idempotency{KeyID: k.ID, Key: "req-1", RequestHash: "abc", Status: 201, Body: []byte(`{"ok":true}`),
		CreatedAt: at(2), Claim: "run-1", CommittedAt: at(3)}
	settings := store.Settings{BlockOnDispute: true, MerchantName: "Ünïcorn Shop",
		ReminderOffsets: []time.Duration{72 * time.Hour, 90 * time.Minute, 45 * time.Second}, EmailsOff: []string{"dispute_resolved"},
		EvidenceLimits:      &dispute.EvidenceLimits{PartyItems: 7, PartyBytes: 1 << 20, TotalItems: 20, TotalBytes: 3 << 20},
		ExtendedFields:      []dispute.FieldDefinition{{Name: "priority", Type: dispute.FieldNumber, Label: "Priority"}, {Name: "vip", Type: dispute.FieldBoolean}},
		AppSelfRegistration: true, CreatedAt: at(2), UpdatedAt: at(3),
		Profile: store.Profile{ProductType: "booking", Website: "http://ünïcorn.example", SupportEmail: "a@b.example",
			SupportPhone: "+1 555 0100", TermsURL: "https://ünïcorn.example/terms", RefundPolicy: "No refunds \"ever\"",
			RefundPolicyDisclosure: "checkbox", CancellationPolicy: "48 hours' notice", CancellationPolicyDisclosure: "e-mail",
			CompileManually: true}, ReportingCurrency: "JPY",
		AlertRefundWindows: map[dispute.AlertType]int{dispute.Ethoca: 12, dispute.TC40: 0},
		FeeTable: &fees.Table{Version: "settings", Date: "2026-12-01", Rows: []fees.Row{{Provider: "manual", Network: "visa", Currency: "EUR",
			EffectiveFrom: "2025-06-17", DisputeFee: 2000, DisputeFeeRefundedOnWin: true, CounterFee: 1500, CounterFeeRefundedOnWin: true,
			ArbitrationFee: 60000, Source: "acquirer \"invoice\"", Confidence: "H", Estimate: true}}},
		HandlingCost: &fees.Cost{Amount: 750, Currency: "EUR"},
		MonitoringPrograms: &monitoring.Table{Version: "settings", Date: "2026-12-06", Rows: []monitoring.Row{{Network: "visa",
			Program: "vamp", Tier: "excessive", Ratio: 0.0125, MinCount: 900, Effective: "2026-07-01", Source: "acquirer \"letter\""}}},
		MonitoringApproach: new(0.6), OrderMetadataKey: "shop_order"}
	for _, v := range []any{b, k, idem, settings, settings.Profile} {
		allSet(t, v)
	}
	write(t, s, func(tx store.Tx) error {
		for _, f := range []func(context.Context) error{
			func(ctx context.Context) error { return tx.InsertBlock(ctx, b) },
			func(ctx context.Context) error { return tx.InsertAPIKey(ctx, k) },
			func(ctx context.Context) error { return tx.InsertIdempotency(ctx, idem) },
			func(ctx context.Context) error { return tx.SaveSettings(ctx, settings) },
		} {
			if err := f(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	gotBlock, err := s.FindBlock(ctx, b.Kind, b.Value)
	noErr(t, "FindBlock", err)
	same(t, "block", gotBlock, b)
	gotKey, err := s.GetAPIKeyByHash(ctx, k.Hash)
	noErr(t, "GetAPIKeyByHash", err)
	same(t, "API key", gotKey, k)
	// CommittedAt is written by a transaction of the claimed request as it commits.
	claimed := store.WithClaim(ctx, &store.ClaimedRequest{KeyID: idem.KeyID, Key: idem.Key, Claim: idem.Claim, At: idem.CommittedAt})
	noErr(t, "a transaction of the claimed request", s.Tx(claimed, func(store.Tx) error { return nil }))
	gotIdem, err := s.GetIdempotency(ctx, idem.KeyID, idem.Key)
	noErr(t, "GetIdempotency", err)
	same(t, "idempotency", gotIdem, idem)
	gotSettings, err := s.GetSettings(ctx)
	noErr(t, "GetSettings", err)
	same(t, "settings", gotSettings, settings)
}

// testDuplicateIDs checks that inserting a row whose id is taken reports store.ErrConflict and
// leaves the first row as it was.
func testDuplicateIDs(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := simpleOrder("ord_1", "cus_1", "", order.Completed, at(0))
	d := openDispute("dsp_1", "", at(0))
	write(t, s, func(tx store.Tx) error {
		if err := tx.InsertCustomer(ctx, fullCustomer("cus_1", at(0))); err != nil {
			return err
		}
		if err := tx.InsertOrder(ctx, o); err != nil {
			return err
		}
		if err := tx.InsertLine(ctx, fullLine("lin_1", o.ID, at(0))); err != nil {
			return err
		}
		if err := tx.InsertTransaction(ctx, charge("txn_1", o.ID, 100, at(0))); err != nil {
			return err
		}
		if err := tx.InsertDispute(ctx, d); err != nil {
			return err
		}
		if err := tx.InsertEvidence(ctx, dispute.EvidenceItem{ID: "evi_1", DisputeID: d.ID, Type: dispute.ItemText, Content: "a", CreatedAt: at(0)}, nil); err != nil {
			return err
		}
		if err := tx.InsertTimeline(ctx, store.TimelineEntry{ID: "tml_1", Action: "created", CreatedAt: at(0)}); err != nil {
			return err
		}
		if err := tx.InsertNote(ctx, store.Note{ID: "not_1", DisputeID: d.ID, Body: "a", CreatedAt: at(0)}); err != nil {
			return err
		}
		return tx.InsertEvent(ctx, store.Event{ID: "evt_1", Type: "a", CreatedAt: at(0)})
	})
	dup := map[string]func(tx store.Tx) error{
		"customer": func(tx store.Tx) error { return tx.InsertCustomer(ctx, store.Customer{ID: "cus_1", Name: "other"}) },
		"order": func(tx store.Tx) error {
			return tx.InsertOrder(ctx, simpleOrder("ord_1", "cus_9", "", order.Pending, at(1)))
		},
		"line":        func(tx store.Tx) error { return tx.InsertLine(ctx, fullLine("lin_1", o.ID, at(1))) },
		"transaction": func(tx store.Tx) error { return tx.InsertTransaction(ctx, charge("txn_1", "", 5, at(1))) },
		"dispute":     func(tx store.Tx) error { return tx.InsertDispute(ctx, openDispute("dsp_1", "ord_9", at(1))) },
		"evidence": func(tx store.Tx) error {
			return tx.InsertEvidence(ctx, dispute.EvidenceItem{ID: "evi_1", DisputeID: d.ID, Type: dispute.ItemText, Content: "b", CreatedAt: at(1)}, nil)
		},
		"timeline": func(tx store.Tx) error { return tx.InsertTimeline(ctx, store.TimelineEntry{ID: "tml_1", Action: "b"}) },
		"note": func(tx store.Tx) error {
			return tx.InsertNote(ctx, store.Note{ID: "not_1", DisputeID: d.ID, Body: "b"})
		},
		"event": func(tx store.Tx) error { return tx.InsertEvent(ctx, store.Event{ID: "evt_1", Type: "b"}) },
	}
	for name, insert := range dup {
		wantErr(t, "duplicate "+name, s.Tx(ctx, insert), store.ErrConflict)
	}
	gotOrder, err := s.GetOrder(ctx, o.ID)
	noErr(t, "GetOrder", err)
	same(t, "order after a duplicate insert", gotOrder, o)
	gotDispute, err := s.GetDispute(ctx, d.ID)
	noErr(t, "GetDispute", err)
	same(t, "dispute after a duplicate insert", gotDispute, d)
}
