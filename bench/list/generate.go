package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"disputed/bench/internal/benchdb"
	"disputed/internal/dispute"
	"disputed/internal/id"
	"disputed/internal/order"
	"disputed/internal/store"
)

// span is how long the generated disputes took to arrive: a year, one every 30 s at a million.
const span = 365 * 24 * time.Hour

// openWindow is how recent a generated dispute is to be still open; older ones have ended.
const openWindow = 30 * 24 * time.Hour

// generator makes the rows of n disputes with what surrounds them, the way the server would
// have written them over a year that ends now.
type generator struct {
	rows      *benchdb.Rows
	rnd       *rand.Rand
	clock     time.Time // what ids read as the time, moved along as rows are made
	ids       *id.Generator
	later     time.Time // the clock of the resolutions, which come a fixed time after creation
	laterIDs  *id.Generator
	customers []string
}

// generate writes n disputes, each on its own completed order with its charge (a lost
// chargeback also with the withdrawal), with its events and timeline entries; customers have
// four disputes on average. The same seed makes the same dataset, but for the ids' random part.
func generate(ctx context.Context, l *benchdb.Loader, n int, now time.Time, seed uint64) error {
	g := &generator{rows: l.Rows(), rnd: rand.New(rand.NewPCG(seed, seed))}
	g.ids = id.NewGenerator(func() time.Time { return g.clock })
	g.laterIDs = id.NewGenerator(func() time.Time { return g.later })
	start := now.Add(-span)
	g.clock = start.Add(-24 * time.Hour)
	for i := range max(n/4, 1) {
		c := store.Customer{ID: g.ids.New("cus"), Email: fmt.Sprintf("buyer%d@example.com", i), Name: fmt.Sprintf("Buyer %d", i),
			CreatedAt: g.clock, UpdatedAt: g.clock}
		if err := g.rows.Customer(ctx, c); err != nil {
			return err
		}
		g.customers = append(g.customers, c.ID)
	}
	for i := range n {
		g.clock = start.Add(time.Duration(int64(span) / int64(n) * int64(i)))
		if err := g.dispute(ctx, i, now); err != nil {
			return fmt.Errorf("dispute %d: %w", i, err)
		}
	}
	return l.Flush(ctx)
}

// caseNumber is dispute i's case number: zero-padded, as many providers number their cases, so
// that its trigrams ("c-0", "-00", "000") are in almost every dispute.
func caseNumber(i int) string { return fmt.Sprintf("C-%08d", i) }

// worstCaseNumbers are the case numbers of n disputes that the q filter finds slowest, first the
// one of zeros alone, whose every trigram every dispute holds, then those of a digit among zeros
// (C-00000001, C-00000010, …, C-00100000), which the zeros of the other numbers hold most of.
func worstCaseNumbers(n int64) []string {
	out := []string{caseNumber(0)}
	for i := int64(1); i < n; i *= 10 {
		out = append(out, caseNumber(int(i)))
	}
	return out
}

var reasons = []string{"fraudulent", "product_not_received", "subscription_canceled", "duplicate", "credit_not_processed",
	"product_unacceptable", "unrecognized", "general"}

// dispute writes dispute i, created at g.clock, with its order, charge, events and timeline.
func (g *generator) dispute(ctx context.Context, i int, now time.Time) error {
	t := g.clock
	cus := g.customers[0]
	if i%1000 != 0 { // the first customer, a heavy buyer, has a thousandth of the disputes
		cus = g.customers[g.rnd.IntN(len(g.customers))]
	}
	currency := [...]string{"USD", "USD", "USD", "USD", "USD", "USD", "USD", "EUR", "EUR", "GBP"}[g.rnd.IntN(10)]
	amount := 500 + g.rnd.Int64N(20_000)
	d := dispute.Dispute{ID: g.ids.New("dsp"), Reason: reasons[g.rnd.IntN(len(reasons))], Amount: amount, Currency: currency,
		CaseNumber: caseNumber(i), ProviderDisputeID: fmt.Sprintf("dp_%010d", i), HappenedAt: t.Add(-time.Hour),
		DueBy: t.Add(14 * 24 * time.Hour), Revision: 1, Tags: tagsOf(g.rnd), CreatedAt: t, UpdatedAt: t}
	switch r := g.rnd.IntN(100); {
	case r < 60:
		d.Type, d.Stage, d.Provider, d.NetworkReasonCode = dispute.Chargeback, dispute.StageChargeback, "stripe", "10.4"
	case r < 72:
		d.Type, d.Stage, d.Provider = dispute.Inquiry, dispute.StageInquiry, "stripe"
	case r < 87:
		d.Type, d.AlertType, d.Provider = dispute.Alert, dispute.AlertTypes[g.rnd.IntN(len(dispute.AlertTypes))], "alerts"
		d.DueBy = t.Add(72 * time.Hour)
	case r < 95:
		d.Type, d.InitiatedBy, d.ProviderDisputeID = dispute.Marketplace, dispute.Buyer, ""
		d.Description, d.VendorID, d.DueBy = "The service stopped after three days", fmt.Sprintf("ven_%04d", g.rnd.IntN(1000)), t.Add(48*time.Hour)
	default:
		d.Type, d.ProviderDisputeID, d.ExternalReference = dispute.Manual, "", fmt.Sprintf("PP-D-%08d", i)
	}

	o := order.Order{ID: g.ids.New("ord"), CustomerID: cus, VendorID: d.VendorID, Currency: currency, Status: order.Completed,
		Items: []order.Item{{Description: "IPTV 12 months", Amount: amount, Quantity: 1}}, Total: amount, Metadata: map[string]string{},
		Revision: 2, CompletedAt: t.Add(-48 * time.Hour), CreatedAt: t.Add(-48 * time.Hour), UpdatedAt: t}
	charge := order.Transaction{ID: g.ids.New("txn"), Kind: order.Charge, Amount: amount, Currency: currency, OrderID: o.ID,
		CustomerID: cus, Provider: "stripe", ProviderReference: fmt.Sprintf("ch_%010d", i), ARN: fmt.Sprintf("74%021d", i),
		Purchase: order.PurchaseContext{CardFingerprint: fmt.Sprintf("fp_%08d", g.rnd.IntN(len(g.customers)))}, CreatedAt: o.CompletedAt}
	// A fifth of the alerts arrive unmatched: no order, charge or customer.
	if d.Type != dispute.Alert || g.rnd.IntN(5) != 0 {
		d.OrderID, d.TransactionID, d.CustomerID, d.ARN = o.ID, charge.ID, cus, charge.ARN
	}
	d.Channel = dispute.ChannelOf(d.Type)
	if d.Provider == "stripe" {
		d.ProviderCharge = charge.ProviderReference
	}
	g.settle(&d, now)
	var withdrawal *order.Transaction
	if d.Status == dispute.Lost && d.Type == dispute.Chargeback {
		charge.AmountWithdrawn = amount
		withdrawal = &order.Transaction{ID: g.laterIDs.New("txn"), Kind: order.Chargeback, Amount: amount, Currency: currency,
			OrderID: o.ID, CustomerID: cus, ParentID: charge.ID, DisputeID: d.ID, Provider: "stripe", CreatedAt: d.ResolvedAt}
	}
	err := g.rows.Order(ctx, o, nil)
	if err == nil {
		err = g.rows.Transaction(ctx, charge)
	}
	if err == nil && withdrawal != nil {
		err = g.rows.Transaction(ctx, *withdrawal)
	}
	if err == nil {
		err = g.rows.Dispute(ctx, d)
	}
	if err == nil {
		err = g.history(ctx, d)
	}
	return err
}

// settle gives a dispute older than the open window the end its kind usually has, and a
// recent one a status where someone still has to act.
func (g *generator) settle(d *dispute.Dispute, now time.Time) {
	coin := g.rnd.IntN(2) == 0
	if now.Sub(d.CreatedAt) < openWindow {
		switch d.Type {
		case dispute.Chargeback, dispute.Manual:
			d.Status = pick(coin, dispute.NeedsResponse, dispute.UnderReview)
		case dispute.Inquiry:
			d.Status = pick(coin, dispute.WarningNeedsResponse, dispute.WarningUnderReview)
		case dispute.Alert:
			d.Status = dispute.Open
		case dispute.Marketplace:
			d.Status = pick(coin, dispute.Open, dispute.PendingReview)
		}
		return
	}
	resolvedAt := d.CreatedAt.Add(20 * 24 * time.Hour)
	g.later = resolvedAt
	d.ResolvedAt, d.UpdatedAt, d.ResolvedBy, d.Revision = resolvedAt, resolvedAt, "provider:"+d.Provider, 3
	switch d.Type {
	case dispute.Chargeback:
		d.Status = pick(coin, dispute.Won, dispute.Lost)
		d.Resolution = dispute.Resolution(d.Status)
	case dispute.Manual:
		d.Status, d.ResolvedBy = pick(coin, dispute.Won, dispute.Lost), "admin:key_bench"
		d.Resolution = dispute.Resolution(d.Status)
	case dispute.Inquiry:
		d.Status, d.Resolution = dispute.WarningClosed, dispute.ResolutionWon
	case dispute.Alert:
		d.Status, d.Resolution = dispute.Resolved, pick(coin, dispute.IssuedFullRefund, dispute.Other)
	case dispute.Marketplace:
		d.Status, d.Resolution, d.ResolvedBy = dispute.Closed, pick(coin, dispute.FavorVendor, dispute.FullRefund), "admin:key_bench"
	}
}

// history writes the events and timeline entries of a dispute: its creation, and its end.
func (g *generator) history(ctx context.Context, d dispute.Dispute) error {
	actor := "provider:" + d.Provider
	if d.Provider == "" {
		actor = "admin:key_bench"
	}
	data := fmt.Appendf(nil, `{"id":%q,"object":"dispute","type":%q}`, d.ID, d.Type)
	err := g.rows.Event(ctx, store.Event{ID: g.ids.New("evt"), Type: "dispute.created", DisputeID: d.ID, OrderID: d.OrderID,
		Data: data, CreatedAt: d.CreatedAt})
	if err == nil {
		err = g.rows.Timeline(ctx, store.TimelineEntry{ID: g.ids.New("tl"), DisputeID: d.ID, OrderID: d.OrderID, Actor: actor,
			Action: "created", CreatedAt: d.CreatedAt})
	}
	if err != nil || d.ResolvedAt.IsZero() {
		return err
	}
	err = g.rows.Event(ctx, store.Event{ID: g.laterIDs.New("evt"), Type: "dispute.resolved", DisputeID: d.ID, OrderID: d.OrderID,
		Data: data, CreatedAt: d.ResolvedAt})
	if err == nil {
		err = g.rows.Timeline(ctx, store.TimelineEntry{ID: g.laterIDs.New("tl"), DisputeID: d.ID, OrderID: d.OrderID,
			Actor: d.ResolvedBy, Action: "resolved", To: string(d.Status), Note: string(d.Resolution), CreatedAt: d.ResolvedAt})
	}
	return err
}

// tagsOf tags a tenth of the disputes "vip" and one in a hundred "fraud-ring".
func tagsOf(rnd *rand.Rand) []string {
	switch r := rnd.IntN(100); {
	case r == 0:
		return []string{"fraud-ring"}
	case r < 11:
		return []string{"vip"}
	}
	return nil
}

func pick[T any](first bool, a, b T) T {
	if first {
		return a
	}
	return b
}
