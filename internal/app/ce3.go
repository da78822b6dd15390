package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/ce3"
	"disputed/internal/checklist"
	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/provider"
	"disputed/internal/reasoncode"
	"disputed/internal/store"
)

// VisaCE3 is where a Visa 10.4 dispute stands against Visa Compelling Evidence 3.0 (internal/ce3).
type VisaCE3 struct {
	Status  ce3.Status
	Missing []string // in Stripe's required_actions words; ce3.Explain says them in a sentence
	// Priors are the two earlier charges that qualify the dispute, or the best candidates found.
	Priors []CE3Prior
	// Evidence is what a push sends as the dispute's enhanced evidence; nil unless qualified.
	Evidence *provider.VisaCE3
}

// CE3Prior is an earlier charge on the same card that matches the disputed one.
type CE3Prior struct {
	Transaction order.Transaction
	AgeDays     int
	Matching    []string // the data elements it matches on (ce3.ElementIP, ...)
}

// maxCardCharges is how many of a card's charges in the rule's window are read, the newest: a
// card charged every day has about 250 there, and two matching ones are all the rule needs.
const maxCardCharges = 500

// VisaCE3 is d's standing against Visa CE 3.0 for the merchant's staff; nil for a dispute the
// rule does not apply to (anything but a Visa 10.4 chargeback or inquiry) and for a buyer or
// vendor, who do not see the merchant's case.
func (a *App) VisaCE3(ctx context.Context, who actor.Actor, d dispute.Dispute) (*VisaCE3, error) {
	if who.Role.Party() {
		return nil, nil
	}
	return visaCE3(ctx, a.store, d)
}

// ce3Applies tells whether d is a dispute Visa CE 3.0 can win: a Visa 10.4 chargeback or inquiry.
// The network is the catalogue's reading, so a 10.4 that names no network is Visa's.
func ce3Applies(d dispute.Dispute) bool {
	return networkCase(d) && ce3.Applies(reasoncode.Classify(d.NetworkHint(), d.NetworkReasonCode, d.Reason).Network, d.NetworkReasonCode)
}

// networkCase tells whether d is a card network's case (a chargeback or an inquiry), the only
// disputes Visa CE 3.0 speaks of at all.
func networkCase(d dispute.Dispute) bool {
	return d.Type == dispute.Chargeback || d.Type == dispute.Inquiry
}

// visaCE3 finds, among the earlier charges on the disputed charge's card, those that qualify d
// for Visa CE 3.0. Each charge is seen with its order's context (order.DisputeContext), its
// customer's email and its order's items as the description. A chargeback or inquiry the rule
// does not apply to is not_qualified and costs nothing; any other dispute has no standing (nil).
func visaCE3(ctx context.Context, r store.Reader, d dispute.Dispute) (*VisaCE3, error) {
	switch {
	case !networkCase(d):
		return nil, nil
	case !ce3Applies(d): // another network's or reason's case: Stripe's not_qualified, without a read
		return &VisaCE3{Status: ce3.NotQualified}, nil
	}
	s, err := r.GetSettings(ctx)
	if err != nil {
		return nil, err
	}
	sold := "services"
	if s.Profile.ProductType.Effective().Class() == checklist.Physical {
		sold = "merchandise"
	}
	l := chargeLoader{r: r, orders: map[string]order.Order{}, emails: map[string]string{}}
	disputed, err := l.disputed(ctx, d)
	if err != nil {
		return nil, err
	}
	day := time.Date(disputed.At.UTC().Year(), disputed.At.UTC().Month(), disputed.At.UTC().Day(), 0, 0, 0, 0, time.UTC)
	cards, err := r.CardCharges(ctx, disputed.context.CardFingerprint, day.AddDate(0, 0, -ce3.MaxAgeDays),
		day.AddDate(0, 0, 1-ce3.MinAgeDays), maxCardCharges)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]chargeFacts, len(cards))
	sameCard := make([]ce3.Charge, 0, len(cards))
	for _, c := range cards {
		f, err := l.facts(ctx, c.Transaction)
		if err != nil {
			return nil, err
		}
		f.Disputed, f.FraudReported = c.Disputed, c.FraudReported
		byID[c.ID] = f
		sameCard = append(sameCard, f.Charge)
	}
	res := ce3.Evaluate("visa", d.NetworkReasonCode, disputed.Charge, sameCard, sold)
	out := &VisaCE3{Status: res.Status, Missing: res.Missing}
	for _, p := range res.Priors {
		out.Priors = append(out.Priors, CE3Prior{Transaction: byID[p.ID].transaction, AgeDays: p.AgeDays, Matching: p.Elements})
	}
	if res.Status == ce3.Qualified {
		out.Evidence = &provider.VisaCE3{MerchandiseOrServices: res.MerchandiseOrServices, Disputed: disputed.evidence("")}
		for _, p := range res.Priors {
			out.Evidence.Prior = append(out.Evidence.Prior, byID[p.ID].evidence(p.Reference))
		}
	}
	return out, nil
}

// chargeFacts is a charge as the rule sees it, with what the push needs besides.
type chargeFacts struct {
	ce3.Charge
	transaction order.Transaction
	context     order.PurchaseContext // the charge's and its order's, merged
}

// evidence is the charge's data elements as a push sends them; charge is the provider's id of a
// prior charge, "" for the disputed one.
func (f chargeFacts) evidence(charge string) provider.CE3Transaction {
	return provider.CE3Transaction{Charge: charge, CustomerAccountID: f.AccountID, CustomerDeviceID: f.DeviceID,
		CustomerEmail: f.Email, CustomerPurchaseIP: f.CustomerIP, ProductDescription: f.Description,
		ShippingAddress: completeAddress(f.context.ShippingAddress)}
}

// completeAddress is a as Visa takes it: with its street, city, postal code and country, or nil.
func completeAddress(a order.Address) *provider.Address {
	if a.Line1 == "" || a.City == "" || a.PostalCode == "" || a.Country == "" {
		return nil
	}
	return &provider.Address{Line1: a.Line1, Line2: a.Line2, City: a.City, State: a.State, PostalCode: a.PostalCode, Country: a.Country}
}

// chargeLoader reads what the rule needs of charges, each order and customer once: a card's
// charges are often the renewals of one subscription order.
type chargeLoader struct {
	r      store.Reader
	orders map[string]order.Order
	emails map[string]string
}

// disputed is d's charge: the one it names, else its order's first, else its order alone on the
// day the dispute says it happened.
func (l *chargeLoader) disputed(ctx context.Context, d dispute.Dispute) (chargeFacts, error) {
	if d.TransactionID != "" {
		t, err := l.r.GetTransaction(ctx, d.TransactionID)
		if err != nil {
			return chargeFacts{}, err
		}
		return l.facts(ctx, t)
	}
	if d.OrderID != "" {
		t, err := firstCharge(ctx, l.r, d.OrderID)
		if err != nil {
			return chargeFacts{}, err
		}
		if t != nil {
			return l.facts(ctx, *t)
		}
	}
	return l.facts(ctx, order.Transaction{OrderID: d.OrderID, CustomerID: d.CustomerID, Amount: d.Amount, Currency: d.Currency, CreatedAt: d.HappenedAt})
}

// facts is t seen with its order's context, its customer's email and its order's items.
func (l *chargeLoader) facts(ctx context.Context, t order.Transaction) (chargeFacts, error) {
	var o order.Order
	if t.OrderID != "" {
		var err error
		if o, err = l.order(ctx, t.OrderID); err != nil {
			return chargeFacts{}, err
		}
	}
	pc := order.DisputeContext(o.Purchase, t.Purchase)
	customerID := t.CustomerID
	if customerID == "" {
		customerID = o.CustomerID
	}
	email, err := l.email(ctx, customerID)
	if err != nil {
		return chargeFacts{}, err
	}
	return chargeFacts{transaction: t, context: pc, Charge: ce3.Charge{ID: t.ID, Reference: t.ProviderReference, At: t.CreatedAt,
		Amount: t.Amount, CustomerIP: pc.CustomerIP, DeviceID: pc.DeviceID, ShippingAddress: pc.ShippingAddress.String(),
		Email: email, AccountID: pc.AccountID, Description: itemsDescription(o.Items)}}, nil
}

func (l *chargeLoader) order(ctx context.Context, id string) (order.Order, error) {
	if o, ok := l.orders[id]; ok {
		return o, nil
	}
	o, err := l.r.GetOrder(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		err = nil // a transaction may name an order recorded elsewhere: it then has no items here
	}
	if err != nil {
		return order.Order{}, err
	}
	l.orders[id] = o
	return o, nil
}

func (l *chargeLoader) email(ctx context.Context, customerID string) (string, error) {
	if customerID == "" {
		return "", nil
	}
	if e, ok := l.emails[customerID]; ok {
		return e, nil
	}
	c, err := l.r.GetCustomer(ctx, customerID)
	if errors.Is(err, store.ErrNotFound) {
		err = nil
	}
	if err != nil {
		return "", err
	}
	l.emails[customerID] = c.Email
	return c.Email, nil
}

// itemsDescription is what an order sold, as a charge's product description: "VPS S; 2 × IP
// address".
func itemsDescription(items []order.Item) string {
	parts := make([]string, 0, len(items))
	for _, it := range items {
		if it.Quantity > 1 {
			parts = append(parts, fmt.Sprintf("%d × %s", it.Quantity, it.Description))
		} else {
			parts = append(parts, it.Description)
		}
	}
	return strings.Join(parts, "; ")
}
