package app_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/checklist"
	"disputed/internal/dispute"
	"disputed/internal/notify/smtptest"
	"disputed/internal/order"
	"disputed/internal/reasoncode"
	"disputed/internal/testenv"
)

// evidenceCase is one dispute of the measured fixture: a purchase as a merchant's integration
// records it, what the customer did with it, and the chargeback or PayPal case it ends in.
type evidenceCase struct {
	provider string // "stripe" for the card networks, "paypal"
	code     string // the network's reason code, from internal/reasoncode/catalogue.json
	reason   string // the provider's reason, as Stripe names it
	product  checklist.ProductType
	customer string // the buyer's name; the email is made of it
	items    []fixtureItem
	order    order.PurchaseContext // what the checkout knew: account, addresses, shipping
	charge   order.PurchaseContext // what the payment knew: IP, device, card
	activity []fixtureUse          // the customer's use of the service lines
	// duplicate adds a second charge of the same amount, an hour later, for another order of
	// the same items: what the customer calls a duplicate.
	duplicate bool
	// floor is the least completeness the compiled evidence reaches: a little under what it
	// measured, so that a compiler that stops filling a field fails here.
	floor int
}

// fixtureItem is an item sold; a service is a line on the manual panel.
type fixtureItem struct {
	description string
	amount      int64
	service     bool
}

// fixtureUse is one use of the service, so long after the purchase.
type fixtureUse struct {
	kind   string
	after  time.Duration
	ip     string
	detail string
}

const day = 24 * time.Hour

// The purchase contexts of the fixture: one per buyer, as a checkout and a payment record them.
var (
	homeUS = order.Address{Line1: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
	homeDE = order.Address{Line1: "Torstraße 12", City: "Berlin", PostalCode: "10119", Country: "DE"}
	homeGB = order.Address{Line1: "221B Baker Street", City: "London", PostalCode: "NW1 6XE", Country: "GB"}
)

// daily is a use of a service every day for n days from the day after the purchase.
func daily(kind string, n int, ip, detail string) []fixtureUse {
	out := make([]fixtureUse, n)
	for i := range out {
		out[i] = fixtureUse{kind: kind, after: time.Duration(i+1)*day + 9*time.Hour, ip: ip, detail: detail}
	}
	return out
}

// evidenceCases are one dispute per evidence category and network: every evidence category of
// the checklist, every network of the catalogue a merchant meets (Visa, Mastercard, Amex and
// Discover through Stripe, PayPal's own cases), every product class.
var evidenceCases = []evidenceCase{
	{provider: "stripe", code: "10.4", reason: "fraudulent", product: "digital_service", customer: "Ada Lovelace",
		items: []fixtureItem{{"VPS M (4 vCPU, 8 GB), monthly", 2400, true}},
		order: order.PurchaseContext{AccountID: "acct-1042", BillingAddress: homeUS},
		charge: order.PurchaseContext{CustomerIP: "203.0.113.7", DeviceID: "dev-7f3a9c", CardNetwork: "visa", CardLast4: "4242",
			CardFingerprint: "fp_ada_visa", UserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Firefox/128.0"},
		activity: append(daily("sign_in", 12, "203.0.113.7", "control panel"),
			fixtureUse{"ssh_login", 2*day + time.Hour, "203.0.113.7", "root@vps-m-1042"}),
		floor: 85},
	{provider: "stripe", code: "13.1", reason: "product_not_received", product: "digital_service", customer: "Grace Hopper",
		items:  []fixtureItem{{"Managed WordPress hosting, yearly", 11900, true}, {"Domain example.org, 1 year", 1500, true}},
		order:  order.PurchaseContext{AccountID: "acct-2211", BillingAddress: homeUS},
		charge: order.PurchaseContext{CustomerIP: "198.51.100.23", CardNetwork: "visa", CardLast4: "1881"},
		activity: append(daily("sign_in", 5, "198.51.100.23", "control panel"),
			fixtureUse{"download", 3 * day, "198.51.100.23", "site backup 2026-03 (1.2 GB)"}),
		floor: 85},
	{provider: "stripe", code: "13.2", reason: "subscription_canceled", product: "subscription", customer: "Alan Turing",
		items:    []fixtureItem{{"IPTV Premium, monthly subscription", 1999, true}},
		order:    order.PurchaseContext{AccountID: "acct-3307", BillingAddress: homeGB},
		charge:   order.PurchaseContext{CustomerIP: "192.0.2.44", CardNetwork: "visa", CardLast4: "0005"},
		activity: daily("stream", 20, "192.0.2.44", "live channel"),
		floor:    60},
	{provider: "stripe", code: "13.3", reason: "product_unacceptable", product: "physical_goods", customer: "Edsger Dijkstra",
		items: []fixtureItem{{"Firewall appliance FW-200", 34900, false}},
		order: order.PurchaseContext{AccountID: "acct-4410", BillingAddress: homeDE, ShippingAddress: homeDE,
			ShippingCarrier: "DHL", TrackingNumber: "JJD000390007712345678"},
		charge: order.PurchaseContext{CustomerIP: "198.51.100.80", CardNetwork: "visa", CardLast4: "3055"},
		floor:  80},
	{provider: "stripe", code: "12.6.1", reason: "duplicate", product: "digital_service", customer: "Barbara Liskov",
		items:    []fixtureItem{{"Dedicated server D1, monthly", 8900, true}},
		order:    order.PurchaseContext{AccountID: "acct-5120", BillingAddress: homeUS},
		charge:   order.PurchaseContext{CustomerIP: "203.0.113.90", CardNetwork: "visa", CardLast4: "6789"},
		activity: daily("sign_in", 3, "203.0.113.90", "control panel"), duplicate: true,
		floor: 65},
	{provider: "stripe", code: "C028", reason: "noncompliant", product: "digital_service", customer: "John Backus",
		items:    []fixtureItem{{"Object storage 1 TB, monthly", 1000, true}},
		order:    order.PurchaseContext{AccountID: "acct-6002", BillingAddress: homeUS},
		charge:   order.PurchaseContext{CustomerIP: "192.0.2.10", CardNetwork: "visa", CardLast4: "1111"},
		activity: daily("download", 4, "192.0.2.10", "bucket backups"),
		floor:    25},
	{provider: "stripe", code: "4853", reason: "product_unacceptable", product: "digital_goods", customer: "Frances Allen",
		items:  []fixtureItem{{"Backup software licence, 5 seats", 24500, true}},
		order:  order.PurchaseContext{AccountID: "acct-7071", BillingAddress: homeGB},
		charge: order.PurchaseContext{CustomerIP: "198.51.100.61", CardNetwork: "mastercard", CardLast4: "4444"},
		activity: []fixtureUse{{"download", time.Hour, "198.51.100.61", "installer 4.2 for Windows"},
			{"activation", 2 * time.Hour, "198.51.100.61", "seat 1 of 5"}, {"activation", 3 * day, "198.51.100.62", "seat 2 of 5"}},
		floor: 80},
	{provider: "stripe", code: "4837", reason: "fraudulent", product: "physical_goods", customer: "Donald Knuth",
		items: []fixtureItem{{"Rack server R-1U", 129900, false}, {"Rail kit", 4900, false}},
		order: order.PurchaseContext{AccountID: "acct-8123", BillingAddress: homeUS, ShippingAddress: homeUS,
			ShippingCarrier: "UPS", TrackingNumber: "1Z999AA10123456784"},
		charge: order.PurchaseContext{CustomerIP: "203.0.113.150", DeviceID: "dev-c41e02", CardNetwork: "mastercard", CardLast4: "5100"},
		floor:  70},
	{provider: "stripe", code: "4863", reason: "unrecognized", product: "subscription", customer: "Margaret Hamilton",
		items:    []fixtureItem{{"Mail hosting, 10 mailboxes, monthly", 2500, true}},
		order:    order.PurchaseContext{AccountID: "acct-9090", BillingAddress: homeUS},
		charge:   order.PurchaseContext{CustomerIP: "192.0.2.77", CardNetwork: "mastercard", CardLast4: "8210"},
		activity: daily("sign_in", 15, "192.0.2.77", "webmail"),
		floor:    85},
	{provider: "stripe", code: "4860", reason: "credit_not_processed", product: "physical_goods", customer: "Ken Thompson",
		items: []fixtureItem{{"NAS enclosure N4", 45900, false}},
		order: order.PurchaseContext{AccountID: "acct-1170", BillingAddress: homeUS, ShippingAddress: homeUS,
			ShippingCarrier: "FedEx", TrackingNumber: "794612345678"},
		charge: order.PurchaseContext{CustomerIP: "198.51.100.4", CardNetwork: "mastercard", CardLast4: "0004"},
		floor:  55},
	{provider: "stripe", code: "F29", reason: "fraudulent", product: "digital_goods", customer: "Radia Perlman",
		items:  []fixtureItem{{"Network simulator licence, perpetual", 19900, true}},
		order:  order.PurchaseContext{AccountID: "acct-1288", BillingAddress: homeUS},
		charge: order.PurchaseContext{CustomerIP: "203.0.113.201", DeviceID: "dev-91bb3e", CardNetwork: "amex", CardLast4: "0005"},
		activity: []fixtureUse{{"download", 20 * time.Minute, "203.0.113.201", "simulator 9.1 for macOS"},
			{"activation", 30 * time.Minute, "203.0.113.201", "device dev-91bb3e"}},
		floor: 85},
	{provider: "stripe", code: "C08", reason: "product_not_received", product: "physical_goods", customer: "Dennis Ritchie",
		items: []fixtureItem{{"Hardware security key, 2 pack", 9800, false}},
		order: order.PurchaseContext{AccountID: "acct-1301", BillingAddress: homeUS, ShippingAddress: homeUS,
			ShippingCarrier: "USPS", TrackingNumber: "9400111899223197428490"},
		charge: order.PurchaseContext{CustomerIP: "192.0.2.131", CardNetwork: "amex", CardLast4: "8431"},
		floor:  60},
	{provider: "stripe", code: "UA02", reason: "fraudulent", product: "digital_service", customer: "Leslie Lamport",
		items:    []fixtureItem{{"GPU instance G1, 100 hours", 9900, true}},
		order:    order.PurchaseContext{AccountID: "acct-1414", BillingAddress: homeUS},
		charge:   order.PurchaseContext{CustomerIP: "198.51.100.99", DeviceID: "dev-2d7f10", CardNetwork: "discover", CardLast4: "1117"},
		activity: daily("sign_in", 6, "198.51.100.99", "control panel"),
		floor:    85},
	{provider: "stripe", code: "RN2", reason: "credit_not_processed", product: "subscription", customer: "Niklaus Wirth",
		items:    []fixtureItem{{"Managed database, monthly", 4500, true}},
		order:    order.PurchaseContext{AccountID: "acct-1515", BillingAddress: homeDE},
		charge:   order.PurchaseContext{CustomerIP: "192.0.2.200", CardNetwork: "discover", CardLast4: "0009"},
		activity: daily("sign_in", 2, "192.0.2.200", "database console"),
		floor:    60},
	{provider: "paypal", code: "MERCHANDISE_OR_SERVICE_NOT_RECEIVED", reason: "product_not_received", product: "physical_goods",
		customer: "Adele Goldberg",
		items:    []fixtureItem{{"Mini PC M2, 16 GB", 52900, false}},
		order: order.PurchaseContext{AccountID: "acct-1616", BillingAddress: homeGB, ShippingAddress: homeGB,
			ShippingCarrier: "Royal Mail", TrackingNumber: "RM123456785GB"},
		charge: order.PurchaseContext{CustomerIP: "203.0.113.66"},
		floor:  60},
	{provider: "paypal", code: "INCORRECT_AMOUNT", reason: "general", product: "digital_service", customer: "Butler Lampson",
		items:    []fixtureItem{{"VPS L (8 vCPU, 16 GB), monthly", 4800, true}, {"Extra IPv4 address", 300, true}},
		order:    order.PurchaseContext{AccountID: "acct-1717", BillingAddress: homeUS},
		charge:   order.PurchaseContext{CustomerIP: "198.51.100.171"},
		activity: daily("sign_in", 3, "198.51.100.171", "control panel"),
		floor:    50},
}

// measuredDispute is what the fixture measured of one case.
type measuredDispute struct {
	evidenceCase
	network, category string
	before, after     int
	// missing are the required and recommended items compiling left for a person: what the
	// merchant writes or uploads.
	missing []string
	packet  app.Packet
}

// TestEvidenceFixture measures the evidence compiler and the packet on one realistic dispute
// per evidence category and network: the checklist's completeness when the dispute opens and
// after compiling, and the packet's pages and bytes against each limit that applies. With
// EVIDENCE_TABLE set to a path, the SQLite run writes the table there as Markdown
// (BENCHMARKS.md, "Evidence completeness and packets").
func TestEvidenceFixture(t *testing.T) {
	t.Parallel()
	testenv.EachWithMail(t, nil, func(t *testing.T, e *testenv.Env, _ *smtptest.Server) {
		e.StripeProvider("", "")
		e.PayPalProvider("", "")
		e.CompileByHand() // measured before and after
		testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{MerchantName: ptrTo("Acme Hosting"),
			Profile: app.ProfileParams{Website: ptrTo("https://acme.example"), SupportEmail: ptrTo("help@acme.example"),
				SupportPhone: ptrTo("+1 217 555 0100"), TermsURL: ptrTo("https://acme.example/terms"),
				RefundPolicy:                 ptrTo("Full refund within 14 days of purchase on request to help@acme.example; goods returned unused within 30 days."),
				RefundPolicyDisclosure:       ptrTo("Shown at checkout above the Pay button; the buyer ticks a box to accept the terms."),
				CancellationPolicy:           ptrTo("Subscriptions renew each period until cancelled in the control panel; cancelling stops the next renewal, the current period runs to its end."),
				CancellationPolicyDisclosure: ptrTo("Stated at checkout and in every renewal reminder email.")}}))(t)
		var rows []measuredDispute
		for i, c := range evidenceCases {
			m := measureCase(t, e, i, c)
			if m.after <= m.before {
				t.Errorf("%s %s: completeness %d before compiling, %d after", m.network, c.code, m.before, m.after)
			}
			if m.after < c.floor {
				t.Errorf("%s %s (%s, %s): compiled to %d%%, want at least %d%%", m.network, c.code, m.category, c.product, m.after, c.floor)
			}
			if !m.packet.Fit.Fits() || len(m.packet.Fit.Limits) == 0 {
				t.Errorf("%s %s: the packet (%d pages, %d bytes) against %v: over %v", m.network, c.code, m.packet.Pages, len(m.packet.PDF),
					m.packet.Fit.Limits, m.packet.Fit.Over)
			}
			rows = append(rows, m)
		}
		covered := map[string]bool{}
		for _, m := range rows {
			covered[m.category], covered[m.network] = true, true
		}
		for _, want := range append(checklistCategories(), "visa", "mastercard", "amex", "discover", "paypal") {
			if !covered[want] {
				t.Errorf("no dispute of the fixture is %s", want)
			}
		}
		table := evidenceTable(rows)
		t.Logf("\n%s", table)
		if path := os.Getenv("EVIDENCE_TABLE"); path != "" && e.Kind == "sqlite" {
			if err := os.WriteFile(path, []byte(table), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// checklistCategories are the evidence categories the checklist knows.
func checklistCategories() []string {
	return []string{"fraudulent", "unrecognized", "product_not_received", "product_unacceptable", "subscription_canceled",
		"credit_not_processed", "duplicate", "general", "noncompliant"}
}

// measureCase records c's purchase, the customer's use of it and the dispute (the dispute_opened
// email sent), then measures the dispute before and after compiling and its packet.
func measureCase(t *testing.T, e *testenv.Env, i int, c evidenceCase) measuredDispute {
	t.Helper()
	testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{Profile: app.ProfileParams{ProductType: ptrTo(string(c.product))}}))(t)
	email := strings.ToLower(strings.ReplaceAll(c.customer, " ", ".")) + "@example.net"
	customer := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: email, Name: c.customer}))(t)
	sale := func() (order.Order, []order.Line, order.Transaction) {
		var items []app.ItemParams
		for j, it := range c.items {
			ip := app.ItemParams{Description: it.description, Amount: ptrTo(it.amount), Quantity: 1}
			if it.service {
				ip.Line = &order.LineSpec{Panel: "manual", ExternalID: fmt.Sprintf("svc-%d-%d-%d", i, j, e.Clock.Now().Unix())}
			}
			items = append(items, ip)
		}
		o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: customer.ID, Currency: "USD",
			Items: items, Purchase: c.order}))(t)
		done := testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, o.Order.ID))(t)
		ref := "ch_" + o.Order.ID
		if c.provider == "paypal" {
			ref = "PAYID-" + strings.ToUpper(o.Order.ID)
		}
		ch := testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge", OrderID: o.Order.ID,
			Money: app.Money{Amount: &done.Order.Total, Currency: "USD"}, Provider: c.provider, ProviderReference: ref,
			Purchase: c.charge}))(t)
		return done.Order, done.Lines, ch.Transaction
	}
	o, lines, charge := sale()
	bought := e.Clock.Now()
	if c.duplicate {
		e.Clock.Advance(time.Hour)
		sale()
	}
	e.Clock.Set(bought.Add(30 * day)) // the dispute comes a month after the purchase
	for _, u := range c.activity {
		for _, l := range lines {
			testenv.Must(e.App.RecordActivity(e.Ctx, testenv.Admin, l.ID, order.ActivityReport{Kind: u.kind, IP: u.ip,
				At: bought.Add(u.after), Detail: u.detail}))(t)
		}
	}
	providerID := fmt.Sprintf("dp_fixture_%02d", i)
	if c.provider == "paypal" {
		providerID = fmt.Sprintf("PP-D-%05d", 27000+i)
	}
	d := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "chargeback", TransactionID: charge.ID,
		Reason: c.reason, NetworkReasonCode: c.code, Provider: c.provider, ProviderDisputeID: providerID}))(t)
	e.RunJobs() // the dispute_opened email goes out
	if o.ID != d.OrderID {
		t.Fatalf("%s: the dispute is on order %q, want %q", c.code, d.OrderID, o.ID)
	}
	m := measuredDispute{evidenceCase: c}
	cl := reasoncode.Classify(d.NetworkHint(), d.NetworkReasonCode, d.Reason)
	m.network, m.category = cl.Network, checklist.Category(cl, d.Reason)
	m.before = checklist.Evaluate(m.category, c.product, d.Evidence, d.EvidenceSources).Completeness
	compiled := testenv.Must(e.App.CompileEvidence(e.Ctx, testenv.Admin, d.ID, nil))(t)
	after := checklist.Evaluate(m.category, c.product, compiled.Evidence, compiled.EvidenceSources)
	m.after = after.Completeness
	for _, en := range after.Entries {
		if en.Status == checklist.Missing && en.Importance != checklist.Optional {
			m.missing = append(m.missing, fmt.Sprintf("%s (%s)", en.Label, en.Importance))
		}
	}
	m.packet = testenv.Must(e.App.DisputePacket(e.Ctx, testenv.Admin, d.ID))(t)
	e.Clock.Advance(day)
	return m
}

// evidenceTable is the measurements as a Markdown table: one row a dispute, each limit that
// applies with whether the packet is within it.
func evidenceTable(rows []measuredDispute) string {
	var b strings.Builder
	b.WriteString("| network | code | evidence category | product type | completeness at open | after compile | left for a person | packet pages | packet size | limits (fits) |\n")
	b.WriteString("|---|---|---|---|--:|--:|---|--:|--:|---|\n")
	for _, m := range rows {
		var limits []string
		for _, l := range m.packet.Fit.Limits {
			limits = append(limits, fmt.Sprintf("%s %s (%s)", l.Name, limitWords(l), yesNo(withinLimit(l, m.packet))))
		}
		left := strings.Join(m.missing, ", ")
		if left == "" {
			left = "nothing"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %d %% | %d %% | %s | %d | %.1f KB | %s |\n", m.network, m.code, m.category, m.product,
			m.before, m.after, left, m.packet.Pages, float64(len(m.packet.PDF))/1000, strings.Join(limits, "; "))
	}
	return b.String()
}

// limitWords is a limit as the table says it: "≤ 50 pages, ≤ 4.5 MB".
func limitWords(l dispute.PacketLimits) string {
	var parts []string
	if l.MaxPages > 0 {
		parts = append(parts, fmt.Sprintf("≤ %d pages", l.MaxPages))
	}
	if b := l.PacketBytes(); b > 0 {
		parts = append(parts, fmt.Sprintf("≤ %g MB", float64(b)/1e6))
	}
	return strings.Join(parts, ", ")
}

func withinLimit(l dispute.PacketLimits, p app.Packet) bool {
	return (l.MaxPages == 0 || p.Pages <= l.MaxPages) && (l.PacketBytes() == 0 || int64(len(p.PDF)) <= l.PacketBytes())
}

func yesNo(ok bool) string {
	if ok {
		return "fits"
	}
	return "over"
}
