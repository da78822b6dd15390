package app

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"disputed/internal/checklist"
	"disputed/internal/compile"
	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/reasoncode"
	"disputed/internal/store"
)

// Bounds on what the compiler reads of a dispute's surroundings: enough for any real case, and a
// cap on a customer with years of history.
const (
	compileActivity   = 2000 // the order's newest activity entries
	compileCharges    = 200  // the customer's newest charges, searched for a duplicate
	duplicateDistance = 30 * 24 * time.Hour
)

// disputeCategory is the evidence category a dispute is answered in: its reason code's, else its
// reason's, else general (internal/checklist decides).
func disputeCategory(d dispute.Dispute) string {
	return checklist.Category(reasoncode.Classify(d.NetworkHint(), d.NetworkReasonCode, d.Reason), d.Reason)
}

// compileFacts gathers what disputed knows of a dispute's purchase, for internal/compile: the
// purchase (purchaseFacts), then the lines and their activity, the emails and, for a duplicate,
// the customer's other charges.
func compileFacts(ctx context.Context, r store.Reader, d dispute.Dispute, s store.Settings) (compile.Input, error) {
	in, o, charge, err := purchaseFacts(ctx, r, d, s)
	if err != nil {
		return in, err
	}
	if o.ID != "" {
		if err := orderFacts(ctx, r, &in, o); err != nil {
			return in, err
		}
	}
	if err := emailFacts(ctx, r, &in, d); err != nil {
		return in, err
	}
	if in.Category == "duplicate" && charge.ID != "" && charge.CustomerID != "" {
		others, err := r.ListTransactions(ctx, store.TransactionFilter{CustomerID: charge.CustomerID, Kind: string(order.Charge),
			Page: store.Page{Limit: compileCharges}})
		if err != nil {
			return in, err
		}
		for _, t := range others {
			if t.ID != charge.ID && t.Amount == charge.Amount && t.Currency == charge.Currency &&
				t.CreatedAt.Sub(charge.CreatedAt).Abs() <= duplicateDistance {
				in.Duplicates = append(in.Duplicates, compileCharge(t))
			}
		}
	}
	return in, nil
}

// purchaseFacts are the merchant, the order, the charge, the customer and the purchase's context:
// all a cover letter needs, in four reads at most (the dispute page drafts one on every view).
func purchaseFacts(ctx context.Context, r store.Reader, d dispute.Dispute, s store.Settings) (compile.Input, order.Order, order.Transaction, error) {
	product := s.Profile.ProductType.Effective()
	category := disputeCategory(d)
	in := compile.Input{Category: category, ProductType: string(product),
		Merchant: compile.Merchant{Name: s.MerchantName, RefundPolicy: s.Profile.RefundPolicy,
			RefundPolicyDisclosure: s.Profile.RefundPolicyDisclosure, CancellationPolicy: s.Profile.CancellationPolicy,
			CancellationPolicyDisclosure: s.Profile.CancellationPolicyDisclosure}}
	for _, it := range checklist.Items(category, product) {
		in.Wanted = append(in.Wanted, it.Field)
	}
	var o order.Order
	var charge order.Transaction
	if d.OrderID != "" {
		var err error
		if o, err = r.GetOrder(ctx, d.OrderID); err != nil {
			return in, o, charge, err
		}
		in.Order = compileOrder(o)
	}
	if d.TransactionID != "" {
		var err error
		if charge, err = r.GetTransaction(ctx, d.TransactionID); err != nil {
			return in, o, charge, err
		}
		in.Charge = compileCharge(charge)
	}
	if err := customerFacts(ctx, r, &in, d, o); err != nil {
		return in, o, charge, err
	}
	contextFacts(&in, o, charge)
	return in, o, charge, nil
}

func compileOrder(o order.Order) compile.Order {
	out := compile.Order{ID: o.ID, Currency: o.Currency, Total: o.Total, CreatedAt: o.CreatedAt, CompletedAt: o.CompletedAt}
	for _, it := range o.Items {
		out.Items = append(out.Items, compile.Item{Description: it.Description, Quantity: it.Quantity, Amount: it.Amount})
	}
	return out
}

func compileCharge(t order.Transaction) compile.Charge {
	return compile.Charge{ID: t.ID, Reference: t.ProviderReference, OrderID: t.OrderID, Amount: t.Amount,
		Currency: t.Currency, At: t.CreatedAt, Card: cardInWords(t.Purchase)}
}

// cardInWords is the card as a letter names it: "Visa ending in 4242"; "" when neither is known.
func cardInWords(p order.PurchaseContext) string {
	name := ""
	for _, n := range reasoncode.Networks() {
		if n.Network == p.CardNetwork {
			name = n.Name
		}
	}
	if name == "" && p.CardNetwork != "" && p.CardNetwork != "unknown" {
		name = strings.ToUpper(p.CardNetwork[:1]) + strings.ReplaceAll(p.CardNetwork[1:], "_", " ")
	}
	switch {
	case p.CardLast4 == "":
		return name
	case name == "":
		return "the card ending in " + p.CardLast4
	}
	return name + " ending in " + p.CardLast4
}

func customerFacts(ctx context.Context, r store.Reader, in *compile.Input, d dispute.Dispute, o order.Order) error {
	id := cmp.Or(d.CustomerID, o.CustomerID)
	if id == "" {
		return nil
	}
	c, err := r.GetCustomer(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	in.Customer = compile.Customer{ID: c.ID, Name: c.Name, Email: c.Email}
	return err
}

// contextFacts is the purchase context a dispute believes (order.DisputeContext), each value
// with the object it came from.
func contextFacts(in *compile.Input, o order.Order, charge order.Transaction) {
	merged := order.DisputeContext(o.Purchase, charge.Purchase)
	from := func(value, chargeValue string) compile.Sourced {
		if value == "" {
			return compile.Sourced{}
		}
		if charge.ID != "" && value == chargeValue {
			return compile.Sourced{Value: value, Source: "charge " + charge.ID}
		}
		return compile.Sourced{Value: value, Source: "order " + o.ID}
	}
	in.CustomerIP = from(merged.CustomerIP, charge.Purchase.CustomerIP)
	in.DeviceID = from(merged.DeviceID, charge.Purchase.DeviceID)
	in.BillingAddress = from(merged.BillingAddress.String(), charge.Purchase.BillingAddress.String())
	in.ShippingAddress = from(merged.ShippingAddress.String(), charge.Purchase.ShippingAddress.String())
	in.ShippingCarrier = from(merged.ShippingCarrier, charge.Purchase.ShippingCarrier)
	in.TrackingNumber = from(merged.TrackingNumber, charge.Purchase.TrackingNumber)
}

// orderFacts are the order's lines, when each ran, and what the customer did with them.
func orderFacts(ctx context.Context, r store.Reader, in *compile.Input, o order.Order) error {
	lines, err := r.LinesOfOrder(ctx, o.ID)
	if err != nil {
		return err
	}
	for _, l := range lines {
		if l.State == order.LinePending || o.CompletedAt.IsZero() {
			continue
		}
		cl := compile.Line{ID: l.ID, ActiveFrom: o.CompletedAt}
		if l.State == order.LineTerminated {
			cl.EndedAt = l.UpdatedAt
		}
		in.Lines = append(in.Lines, cl)
	}
	activity, err := r.ActivityOfOrder(ctx, o.ID, compileActivity)
	if err != nil {
		return err
	}
	for _, a := range activity {
		in.Activity = append(in.Activity, compile.Activity{LineID: a.LineID, Kind: a.Kind, IP: a.IP, Detail: a.Detail, At: a.At})
	}
	return nil
}

// emailFacts are the emails sent to the customer about the order and the dispute.
func emailFacts(ctx context.Context, r store.Reader, in *compile.Input, d dispute.Dispute) error {
	var emails []store.Email
	for _, f := range []store.EmailFilter{{OrderID: d.OrderID}, {DisputeID: d.ID}} {
		if f == (store.EmailFilter{}) {
			continue
		}
		got, err := listEmails(ctx, r, f)
		if err != nil {
			return err
		}
		for _, e := range got {
			if !slices.ContainsFunc(emails, func(x store.Email) bool { return x.ID == e.ID }) {
				emails = append(emails, e)
			}
		}
	}
	for _, e := range emails {
		in.Emails = append(in.Emails, compile.Email{ID: e.ID, To: e.To, Subject: e.Subject, Body: e.Body, SentAt: e.SentAt})
	}
	return nil
}
