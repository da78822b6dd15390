package testenv

import (
	"fmt"

	"disputed/internal/app"
	"disputed/internal/order"
	"disputed/internal/store"
)

// CE3Context is the purchase context of every charge of VisaCE3History: one card, one device,
// one IP, one address, one account.
var CE3Context = order.PurchaseContext{CustomerIP: "203.0.113.7", DeviceID: "device-0123456789abcdef",
	CardFingerprint: "fp_ce3_card", CardNetwork: "visa",
	ShippingAddress: order.Address{Line1: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"},
	AccountID:       "acct-42"}

// SaleAt is a Sale to customer made daysAgo days before the clock's now: the charge (USD 49.99,
// what StripeEvent disputes, through Stripe, reference "ch_" + the order id) carries pc's IP,
// device and card, its order pc's shipping address and account, as an integration that knows
// each where it happens would record them; item is what the order sold.
func (e *Env) SaleAt(customer store.Customer, daysAgo int, item string, pc order.PurchaseContext) Sale {
	e.T.Helper()
	amount := int64(4999)
	o := Must(e.App.CreateOrder(e.Ctx, Admin, app.OrderParams{CustomerID: customer.ID, Currency: "USD",
		Items:    []app.ItemParams{{Description: item, Amount: &amount, Quantity: 1}},
		Purchase: order.PurchaseContext{ShippingAddress: pc.ShippingAddress, AccountID: pc.AccountID}}))(e.T)
	done := Must(e.App.CompleteOrder(e.Ctx, Admin, o.Order.ID))(e.T)
	pc.ShippingAddress, pc.AccountID = order.Address{}, ""
	ch := Must(e.App.CreateTransaction(e.Ctx, Admin, app.TransactionParams{Kind: "charge", OrderID: o.Order.ID,
		Money: app.Money{Amount: &amount, Currency: "USD"}, Provider: "stripe", ProviderReference: "ch_" + o.Order.ID,
		Purchase: pc, CreatedAt: e.Clock.Now().AddDate(0, 0, -daysAgo)}))(e.T)
	return Sale{Customer: customer, Order: done.Order, Lines: done.Lines, Charge: ch.Transaction}
}

// CE3History is a card's year, for Visa Compelling Evidence 3.0: the charge disputed today and
// the earlier ones of the same customer on the same card.
type CE3History struct {
	Disputed Sale
	// Priors are the two charges that qualify a Visa 10.4 dispute on Disputed: 150 and 300
	// days old, matching it on everything.
	Priors []Sale
	// Charged is a charge 130 days old, matching on everything too, but disputed itself.
	Charged Sale
}

// VisaCE3History records a CE3History.
func (e *Env) VisaCE3History() CE3History {
	e.T.Helper()
	c := Must(e.App.CreateCustomer(e.Ctx, Admin, app.CustomerParams{
		Email: fmt.Sprintf("buyer%d@example.com", buyers.Add(1)), Name: "Ada Lovelace"}))(e.T)
	h := CE3History{
		Priors:  []Sale{e.SaleAt(c, 150, "VPS S, monthly", CE3Context), e.SaleAt(c, 300, "VPS S, monthly", CE3Context)},
		Charged: e.SaleAt(c, 130, "VPS S, monthly", CE3Context),
	}
	e.Dispute(h.Charged, "chargeback")
	h.Disputed = e.SaleAt(c, 0, "VPS M, monthly", CE3Context)
	return h
}
