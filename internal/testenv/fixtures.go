package testenv

import (
	"fmt"
	"sync/atomic"

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
