package testenv

import (
	"fmt"
	"sync/atomic"
	"time"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
)

// Sale is a completed, charged order: what most dispute tests start from.
type Sale struct {
	Customer store.Customer
	Order    order.Order
	Lines    []order.Line
	Charge   order.Transaction
}

// SaleParams shape a Sale; the zero value is a USD 15.00 order of one item, no service line,
// charged through Stripe.
type SaleParams struct {
	Amount   int64  // minor units; 0 means 1500
	Currency string // "" means USD
	// Line, when set, makes the item a service line on that panel ("manual" is built in).
	Line *order.LineSpec
	// VendorID makes the order a marketplace order of that vendor.
	VendorID string
	// CardFingerprint is the charge's card.
	CardFingerprint string
}

var buyers atomic.Int64

// Sale records a customer, a completed order and its Stripe charge, whose provider reference is
// "ch_" + the order id.
func (e *Env) Sale(p SaleParams) Sale {
	e.T.Helper()
	if p.Amount == 0 {
		p.Amount = 1500
	}
	if p.Currency == "" {
		p.Currency = "USD"
	}
	c := Must(e.App.CreateCustomer(e.Ctx, Admin, app.CustomerParams{
		Email: fmt.Sprintf("buyer%d@example.com", buyers.Add(1)), Name: "Ada Lovelace"}))(e.T)
	amount := p.Amount
	o := Must(e.App.CreateOrder(e.Ctx, Admin, app.OrderParams{CustomerID: c.ID, VendorID: p.VendorID, Currency: p.Currency,
		Items: []app.ItemParams{{Description: "IPTV 12 months", Amount: &amount, Quantity: 1, Line: p.Line}}}))(e.T)
	done := Must(e.App.CompleteOrder(e.Ctx, Admin, o.Order.ID))(e.T)
	ch := Must(e.App.CreateTransaction(e.Ctx, Admin, app.TransactionParams{Kind: "charge", OrderID: o.Order.ID,
		Money: app.Money{Amount: &amount, Currency: p.Currency}, Provider: "stripe", ProviderReference: "ch_" + o.Order.ID,
		Purchase: order.PurchaseContext{CardFingerprint: p.CardFingerprint}}))(e.T)
	return Sale{Customer: c, Order: done.Order, Lines: done.Lines, Charge: ch.Transaction}
}

// ManualSale is a Sale whose one item is a service line on the built-in manual panel.
func (e *Env) ManualSale(externalID string) Sale {
	e.T.Helper()
	return e.Sale(SaleParams{Line: &order.LineSpec{Panel: "manual", ExternalID: externalID}})
}

// Dispute opens a dispute of the type given on the sale's charge, for the general reason; more
// asks for more fields (an alert's type, a marketplace dispute's side) before it is sent.
func (e *Env) Dispute(s Sale, typ string, more ...func(*app.DisputeParams)) dispute.Dispute {
	e.T.Helper()
	p := app.DisputeParams{Type: typ, TransactionID: s.Charge.ID, Reason: "general"}
	switch typ {
	case "alert":
		p.AlertType = "ethoca"
	case "marketplace":
		p.InitiatedBy = "buyer"
	}
	for _, f := range more {
		f(&p)
	}
	return Must(e.App.CreateDispute(e.Ctx, Admin, p))(e.T)
}

// Reload reads a dispute again, as it is now.
func (e *Env) Reload(d dispute.Dispute) dispute.Dispute {
	e.T.Helper()
	return Must(e.Store.GetDispute(e.Ctx, d.ID))(e.T)
}

// OneRareJob schedules n jobs a millisecond apart, to run in a day, the first, the oldest, of
// kind "rare", whose id it returns, and the others of kind "common": one old match among newer
// jobs, which a list by kind finds only after walking past the others.
func (e *Env) OneRareJob(n int) (oldest string) {
	e.T.Helper()
	for i := range n {
		kind := "common"
		if i == 0 {
			kind = "rare"
		}
		j := store.Job{ID: fmt.Sprintf("job_rare_%02d", i), Kind: kind, Args: []byte(`{}`), MaxAttempts: 1,
			RunAt: e.Clock.Now().Add(24 * time.Hour), CreatedAt: e.Clock.Now()}
		if err := e.Store.Tx(e.Ctx, func(tx store.Tx) error { _, err := tx.ScheduleJob(e.Ctx, j); return err }); err != nil {
			e.T.Fatal(err)
		}
		e.Clock.Advance(time.Millisecond)
	}
	return "job_rare_00"
}

// OneRareProviderEvent stores n provider events a millisecond apart, the first, the oldest, of
// the provider "rare" and failed (tried again in a day), whose id it returns, and the others of
// "stripe" and pending: one old match of a state among newer events, which a list finds only
// after walking past the others (and of a provider, which its index finds at once). The test
// defers applying (Options.DeferApplying), so that the events keep their states.
func (e *Env) OneRareProviderEvent(n int) (oldest string) {
	e.T.Helper()
	for i := range n {
		ev := store.ProviderEvent{ID: fmt.Sprintf("pev_rare_%02d", i), Provider: "stripe", EventID: fmt.Sprintf("evt_rare_%02d", i),
			Type: "charge.dispute.updated", ReceivedAt: e.Clock.Now(), Payload: []byte(`{}`)}
		if i == 0 {
			ev.Provider = "rare"
		}
		if err := e.Store.Tx(e.Ctx, func(tx store.Tx) error {
			stored, err := tx.AppendProviderEvents(e.Ctx, []store.ProviderEvent{ev})
			if err != nil || i > 0 {
				return err
			}
			failed := stored[0]
			failed.State, failed.Attempts, failed.Error, failed.NextAttempt = store.EventFailed, 1, "no such provider", e.Clock.Now().Add(24*time.Hour)
			return tx.SettleProviderEvents(e.Ctx, []store.ProviderEvent{failed})
		}); err != nil {
			e.T.Fatal(err)
		}
		e.Clock.Advance(time.Millisecond)
	}
	return "pev_rare_00"
}

// OneDueSoon writes n alerts tagged "walk", a millisecond apart, all due in 30 days but the
// first, the oldest, due within the hour, whose id it returns: one old match among newer
// disputes, which a list that checks the due date on the tag's index finds only after walking
// past the others (the list's bound of rows read).
func (e *Env) OneDueSoon(n int) (oldest string) {
	e.T.Helper()
	for i := range n {
		e.Clock.Advance(time.Millisecond)
		amount, due := int64(100+i), e.Clock.Now().Add(30*24*time.Hour)
		if i == 0 {
			due = e.Clock.Now().Add(time.Hour)
		}
		d := Must(e.App.CreateDispute(e.Ctx, Admin, app.DisputeParams{Type: "alert", AlertType: "ethoca",
			Money: app.Money{Amount: &amount, Currency: "usd"}, Tags: []string{"walk"}, DueBy: due}))(e.T)
		if i == 0 {
			oldest = d.ID
		}
	}
	return oldest
}
