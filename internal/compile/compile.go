// Package compile writes a dispute's evidence from what disputed already holds: the customer, the
// order and its charge with the purchase's context, the lines and what the customer did with
// them, the emails sent, the merchant's policies. Each value says where it came from, so that a
// person can check it, and the caller stages a value only where no person wrote one. Text fields
// come out as text; Stripe's file fields (receipt, policies, communication) come out as documents
// the caller renders to PDF. The package decides what to write; it reads and stores nothing.
package compile

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"disputed/internal/money"
)

// Sourced is a value and where it came from ("charge txn_…", "order ord_…", "settings").
type Sourced struct{ Value, Source string }

// Input is what disputed knows about a dispute's purchase.
type Input struct {
	Category    string // the dispute's evidence category (Stripe's buckets)
	ProductType string // the merchant's, from the settings
	// Wanted are the fields the dispute's checklist lists; compile writes only those (nil: all it
	// can), since an issuer reads evidence that answers the claim, not everything on file.
	Wanted   []string
	Merchant Merchant
	Customer Customer
	Order    Order
	Charge   Charge
	// Context is the purchase's context, each value from the charge or the order.
	CustomerIP, DeviceID, BillingAddress, ShippingAddress, ShippingCarrier, TrackingNumber Sourced
	Lines                                                                                  []Line
	Activity                                                                               []Activity
	Emails                                                                                 []Email
	// Duplicates are the customer's other charges of the same amount near the disputed one.
	Duplicates []Charge
}

// Merchant is the merchant's profile and policies, from the settings.
type Merchant struct {
	Name                                             string
	RefundPolicy, RefundPolicyDisclosure             string
	CancellationPolicy, CancellationPolicyDisclosure string
}

// Customer is the buyer.
type Customer struct{ ID, Name, Email string }

// Order is what was bought.
type Order struct {
	ID          string
	Currency    string
	Items       []Item
	Total       int64
	CreatedAt   time.Time
	CompletedAt time.Time // paid and fulfilled; zero when not
}

// Item is one thing sold.
type Item struct {
	Description string
	Quantity    int64
	Amount      int64 // unit price, minor units
}

// Charge is a payment.
type Charge struct {
	ID, Reference, OrderID string
	Amount                 int64
	Currency               string
	At                     time.Time
	Card                   string // "Visa ending in 4242"; "" when not known
}

// Line is a service line and when it ran.
type Line struct {
	ID, Description     string
	ActiveFrom, EndedAt time.Time // EndedAt zero while it runs
}

// Activity is one thing the customer did with a line.
type Activity struct {
	LineID, Kind, IP, Detail string
	At                       time.Time
}

// Email is an email sent to the customer.
type Email struct {
	ID, To, Subject, Body string
	SentAt                time.Time
}

// Document is a file field's content, for the caller to render as a PDF.
type Document struct {
	Title, Text string
}

// Result is the compiled evidence.
type Result struct {
	Fields    map[string]string   // text fields
	Documents map[string]Document // file fields
	Sources   map[string]string   // for each field of either, where it came from
}

// maxText is a Stripe text field's limit.
const maxText = 20000

// Evidence compiles what in knows into evidence fields.
func Evidence(in Input) Result {
	r := Result{Fields: map[string]string{}, Documents: map[string]Document{}, Sources: map[string]string{}}
	want := func(field string) bool { return in.Wanted == nil || slices.Contains(in.Wanted, field) }
	text := func(field string, v Sourced) {
		if v.Value = strings.TrimSpace(v.Value); v.Value != "" && want(field) {
			r.Fields[field], r.Sources[field] = clip(v.Value), v.Source
		}
	}
	doc := func(field, title string, v Sourced) {
		if v.Value = strings.TrimSpace(v.Value); v.Value != "" && want(field) {
			r.Documents[field], r.Sources[field] = Document{Title: title, Text: v.Value}, v.Source
		}
	}
	customer := "customer " + in.Customer.ID
	order := "order " + in.Order.ID
	text("customer_name", Sourced{in.Customer.Name, customer})
	text("customer_email_address", Sourced{in.Customer.Email, customer})
	text("customer_purchase_ip", in.CustomerIP)
	text("billing_address", in.BillingAddress)
	text("shipping_address", in.ShippingAddress)
	text("shipping_carrier", in.ShippingCarrier)
	text("shipping_tracking_number", in.TrackingNumber)
	if in.TrackingNumber.Value != "" && !in.Order.CompletedAt.IsZero() {
		text("shipping_date", Sourced{day(in.Order.CompletedAt), order})
	}
	if in.Order.ID != "" {
		text("product_description", Sourced{productDescription(in.Order), order})
		doc("receipt", "Receipt for order "+in.Order.ID, Sourced{receipt(in), order + ", charge " + in.Charge.ID})
	}
	if from, to, ok := serviceDates(in.Lines, in.Order); ok {
		text("service_date", Sourced{from + serviceUntil(to), "lines of " + order})
	}
	text("access_activity_log", Sourced{activityLog(in.Activity, purchasedAt(in)), "line activity of " + order})
	doc("customer_communication", "Emails sent to the customer", Sourced{emailLog(in.Emails), "emails sent"})
	doc("refund_policy", "Refund policy", Sourced{in.Merchant.RefundPolicy, "settings"})
	text("refund_policy_disclosure", Sourced{in.Merchant.RefundPolicyDisclosure, "settings"})
	doc("cancellation_policy", "Cancellation policy", Sourced{in.Merchant.CancellationPolicy, "settings"})
	text("cancellation_policy_disclosure", Sourced{in.Merchant.CancellationPolicyDisclosure, "settings"})
	// A payment for another order answers a duplicate claim; one for the same order would
	// prove it, and is left for a person to look at.
	if i := slices.IndexFunc(in.Duplicates, func(c Charge) bool {
		return c.OrderID != "" && in.Charge.OrderID != "" && c.OrderID != in.Charge.OrderID
	}); in.Category == "duplicate" && i >= 0 {
		other := in.Duplicates[i]
		text("duplicate_charge_id", Sourced{cmpOr(other.Reference, other.ID), "transaction " + other.ID})
		text("duplicate_charge_explanation", Sourced{duplicateExplanation(in.Charge, other), "transaction " + other.ID})
	}
	return r
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// clip keeps a text within Stripe's limit on one field, cut at a line end and saying so.
func clip(s string) string {
	if len(s) <= maxText {
		return s
	}
	const note = "\n… (cut to fit 20,000 characters)"
	cut := s[:maxText-len(note)]
	if i := strings.LastIndexByte(cut, '\n'); i > 0 {
		cut = cut[:i]
	}
	return cut + note
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func amount(minor int64, currency string) string {
	s, err := money.FormatDecimal(minor, currency)
	if err != nil {
		return fmt.Sprintf("%d %s (minor units)", minor, currency)
	}
	return s + " " + currency
}

// productDescription is the order's items in one paragraph.
func productDescription(o Order) string {
	var items []string
	for _, it := range o.Items {
		items = append(items, fmt.Sprintf("%d × %s at %s", it.Quantity, it.Description, amount(it.Amount, o.Currency)))
	}
	s := fmt.Sprintf("Order %s placed %s: %s. Total %s.", o.ID, day(o.CreatedAt), strings.Join(items, "; "), amount(o.Total, o.Currency))
	if !o.CompletedAt.IsZero() {
		s += fmt.Sprintf(" Paid and delivered %s.", day(o.CompletedAt))
	}
	return s
}

// receipt is the order as a receipt.
func receipt(in Input) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nReceipt for order %s\nDate: %s\n", in.Merchant.Name, in.Order.ID, day(in.Order.CreatedAt))
	if in.Customer.Name != "" || in.Customer.Email != "" {
		fmt.Fprintf(&b, "Customer: %s\n", strings.TrimSpace(in.Customer.Name+" "+angle(in.Customer.Email)))
	}
	if in.BillingAddress.Value != "" {
		fmt.Fprintf(&b, "Billing address: %s\n", in.BillingAddress.Value)
	}
	b.WriteString("\n")
	for _, it := range in.Order.Items {
		line, err := money.Mul(it.Amount, it.Quantity)
		total := amount(line, in.Order.Currency)
		if err != nil {
			total = "(too large to show)"
		}
		fmt.Fprintf(&b, "%d × %s, %s each: %s\n", it.Quantity, it.Description, amount(it.Amount, in.Order.Currency), total)
	}
	fmt.Fprintf(&b, "\nTotal: %s\n", amount(in.Order.Total, in.Order.Currency))
	if in.Charge.ID != "" {
		fmt.Fprintf(&b, "Paid %s on %s", amount(in.Charge.Amount, in.Charge.Currency), day(in.Charge.At))
		if in.Charge.Card != "" {
			fmt.Fprintf(&b, " with %s", in.Charge.Card)
		}
		if in.Charge.Reference != "" {
			fmt.Fprintf(&b, ", payment %s", in.Charge.Reference)
		}
		b.WriteString(".\n")
	}
	return b.String()
}

func angle(email string) string {
	if email == "" {
		return ""
	}
	return "<" + email + ">"
}

// serviceDates are when the order's lines ran: from the first activation to the last end, or
// open while one still runs.
func serviceDates(lines []Line, o Order) (from, to string, ok bool) {
	var first, last time.Time
	running := false
	for _, l := range lines {
		start := l.ActiveFrom
		if start.IsZero() {
			continue
		}
		if first.IsZero() || start.Before(first) {
			first = start
		}
		if l.EndedAt.IsZero() {
			running = true
		} else if l.EndedAt.After(last) {
			last = l.EndedAt
		}
	}
	if first.IsZero() {
		return "", "", false
	}
	if running {
		return day(first), "", true
	}
	return day(first), day(last), true
}

func serviceUntil(to string) string {
	if to == "" {
		return " (still provided)"
	}
	return " to " + to
}

// purchasedAt is when the purchase happened: the charge's time or the order's creation, whichever
// came first. An order is often recorded after its payment (an import, a back-fill whose charge
// carries its own date), and the customer's use in between is use after the purchase.
func purchasedAt(in Input) time.Time {
	if !in.Charge.At.IsZero() && (in.Order.CreatedAt.IsZero() || in.Charge.At.Before(in.Order.CreatedAt)) {
		return in.Charge.At
	}
	return in.Order.CreatedAt
}

// maxActivityLines is how many entries the log shows in full: the earliest and the latest are
// what an issuer weighs (first use right after the purchase, use going on after the claim).
const maxActivityLines = 200

// activityLog is the customer's use of the service after the purchase, oldest first.
func activityLog(activity []Activity, since time.Time) string {
	var after []Activity
	for _, a := range activity {
		if !a.At.Before(since) {
			after = append(after, a)
		}
	}
	if len(after) == 0 {
		return ""
	}
	slices.SortStableFunc(after, func(a, b Activity) int { return a.At.Compare(b.At) })
	var b strings.Builder
	ips := map[string]bool{}
	for _, a := range after {
		if a.IP != "" {
			ips[a.IP] = true
		}
	}
	uses, addresses := "uses", "IP addresses"
	if len(after) == 1 {
		uses = "use"
	}
	if len(ips) == 1 {
		addresses = "IP address"
	}
	fmt.Fprintf(&b, "%d %s of the service between %s and %s, from %d %s:\n", len(after), uses, stamp(after[0].At), stamp(after[len(after)-1].At), len(ips), addresses)
	show := after
	skipped := 0
	if len(after) > maxActivityLines {
		show = append(slices.Clone(after[:maxActivityLines/2]), after[len(after)-maxActivityLines/2:]...)
		skipped = len(after) - maxActivityLines
	}
	for i, a := range show {
		if skipped > 0 && i == maxActivityLines/2 {
			fmt.Fprintf(&b, "… %d more …\n", skipped)
		}
		line := stamp(a.At) + "  " + strings.ReplaceAll(a.Kind, "_", " ")
		if a.IP != "" {
			line += " from " + a.IP
		}
		if a.Detail != "" {
			line += ": " + a.Detail
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// emailLog is every email sent to the customer, oldest first, each with its text.
func emailLog(emails []Email) string {
	sent := slices.Clone(emails)
	sent = slices.DeleteFunc(sent, func(e Email) bool { return e.SentAt.IsZero() })
	slices.SortStableFunc(sent, func(a, b Email) int { return a.SentAt.Compare(b.SentAt) })
	var parts []string
	for _, e := range sent {
		parts = append(parts, fmt.Sprintf("Sent %s to %s\nSubject: %s\n\n%s", stamp(e.SentAt), e.To, e.Subject, strings.TrimSpace(e.Body)))
	}
	return strings.Join(parts, "\n\n————\n\n")
}

func duplicateExplanation(disputed, other Charge) string {
	return fmt.Sprintf("The disputed payment (%s, %s, %s) and the other payment (%s, %s, %s) paid for two orders, %s and %s, each delivered: they are not a duplicate.",
		cmpOr(disputed.Reference, disputed.ID), day(disputed.At), amount(disputed.Amount, disputed.Currency),
		cmpOr(other.Reference, other.ID), day(other.At), amount(other.Amount, other.Currency), disputed.OrderID, other.OrderID)
}
