package compile

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var bought = time.Date(2026, 10, 1, 9, 30, 0, 0, time.UTC)

func full() Input {
	return Input{
		Category: "fraudulent", ProductType: "digital_service",
		Merchant: Merchant{Name: "Acme Hosting", RefundPolicy: "Refunds within 14 days.", RefundPolicyDisclosure: "Shown at checkout.",
			CancellationPolicy: "Cancel any time before renewal.", CancellationPolicyDisclosure: "Linked from the sign-up form."},
		Customer: Customer{ID: "cus_1", Name: "Ada Lovelace", Email: "ada@example.com"},
		Order: Order{ID: "ord_1", Currency: "USD", Items: []Item{{Description: "VPS S", Quantity: 1, Amount: 4900}, {Description: "Backup", Quantity: 2, Amount: 250}},
			Total: 5400, CreatedAt: bought, CompletedAt: bought.Add(time.Minute)},
		Charge:     Charge{ID: "txn_1", Reference: "ch_1", OrderID: "ord_1", Amount: 5400, Currency: "USD", At: bought, Card: "Visa ending in 4242"},
		CustomerIP: Sourced{"203.0.113.7", "charge txn_1"}, BillingAddress: Sourced{"1 Main St, Springfield, 62701, US", "order ord_1"},
		ShippingCarrier: Sourced{"UPS", "order ord_1"}, TrackingNumber: Sourced{"1Z999", "order ord_1"},
		Lines: []Line{{ID: "line_1", Description: "VPS S", ActiveFrom: bought.Add(time.Minute)}},
		Activity: []Activity{
			{LineID: "line_1", Kind: "sign_in", IP: "203.0.113.7", At: bought.Add(48 * time.Hour)},
			{LineID: "line_1", Kind: "sign_in", IP: "203.0.113.7", At: bought.Add(time.Hour), Detail: "first login"},
			{LineID: "line_1", Kind: "sign_in", IP: "198.51.100.1", At: bought.Add(-time.Hour)}, // before the purchase
		},
		Emails: []Email{{To: "ada@example.com", Subject: "Your service is paused", Body: "We paused it.", SentAt: bought.AddDate(0, 1, 0)},
			{To: "ada@example.com", Subject: "Not sent", Body: "x"}},
	}
}

func TestEvidenceFillsWhatDisputedKnowsAndSaysWhereFrom(t *testing.T) {
	r := Evidence(full())
	want := map[string]string{
		"customer_name": "Ada Lovelace", "customer_email_address": "ada@example.com", "customer_purchase_ip": "203.0.113.7",
		"billing_address": "1 Main St, Springfield, 62701, US", "shipping_carrier": "UPS", "shipping_tracking_number": "1Z999",
		"shipping_date":                  "2026-10-01",
		"product_description":            "Order ord_1 placed 2026-10-01: 1 × VPS S at 49.00 USD; 2 × Backup at 2.50 USD. Total 54.00 USD. Paid and delivered 2026-10-01.",
		"service_date":                   "2026-10-01 (still provided)",
		"refund_policy_disclosure":       "Shown at checkout.",
		"cancellation_policy_disclosure": "Linked from the sign-up form.",
	}
	for field, v := range want {
		if r.Fields[field] != v {
			t.Errorf("%s = %q, want %q", field, r.Fields[field], v)
		}
	}
	log := r.Fields["access_activity_log"]
	if !strings.HasPrefix(log, "2 uses of the service between 2026-10-01 10:30 UTC and 2026-10-03 09:30 UTC, from 1 IP address:\n2026-10-01 10:30 UTC  sign in from 203.0.113.7: first login\n") ||
		strings.Contains(log, "198.51.100.1") {
		t.Errorf("access log:\n%s", log)
	}
	for field, title := range map[string]string{"receipt": "Receipt for order ord_1", "refund_policy": "Refund policy",
		"cancellation_policy": "Cancellation policy", "customer_communication": "Emails sent to the customer"} {
		if r.Documents[field].Title != title || r.Documents[field].Text == "" {
			t.Errorf("%s: %+v", field, r.Documents[field])
		}
	}
	if got := r.Documents["receipt"].Text; !strings.Contains(got, "2 × Backup, 2.50 USD each: 5.00 USD") || !strings.Contains(got, "Paid 54.00 USD on 2026-10-01 with Visa ending in 4242, payment ch_1.") {
		t.Errorf("receipt:\n%s", got)
	}
	if got := r.Documents["customer_communication"].Text; !strings.Contains(got, "Subject: Your service is paused\n\nWe paused it.") || strings.Contains(got, "Not sent") {
		t.Errorf("communication:\n%s", got)
	}
	for field := range r.Fields {
		if r.Sources[field] == "" {
			t.Errorf("%s has no source", field)
		}
	}
	if r.Sources["customer_purchase_ip"] != "charge txn_1" || r.Sources["refund_policy"] != "settings" || r.Sources["customer_name"] != "customer cus_1" {
		t.Errorf("sources %v", r.Sources)
	}
}

func TestEvidenceWritesOnlyWhatIsWanted(t *testing.T) {
	in := full()
	in.Wanted = []string{"customer_name", "receipt"}
	r := Evidence(in)
	if len(r.Fields) != 1 || len(r.Documents) != 1 || r.Fields["customer_name"] == "" || r.Documents["receipt"].Text == "" {
		t.Errorf("fields %v documents %v, want only the name and the receipt", r.Fields, r.Documents)
	}
}

func TestEvidenceLeavesOutWhatIsNotKnown(t *testing.T) {
	r := Evidence(Input{Category: "general"})
	if len(r.Fields) != 0 || len(r.Documents) != 0 {
		t.Errorf("fields %v documents %v from nothing", r.Fields, r.Documents)
	}
}

func TestDuplicateAnswersWithAPaymentForAnotherOrder(t *testing.T) {
	in := full()
	in.Category = "duplicate"
	in.Duplicates = []Charge{{ID: "txn_0", Reference: "ch_0", OrderID: "ord_1", Amount: 5400, Currency: "USD", At: bought},
		{ID: "txn_2", Reference: "ch_2", OrderID: "ord_2", Amount: 5400, Currency: "USD", At: bought.AddDate(0, 0, 1)}}
	r := Evidence(in)
	if r.Fields["duplicate_charge_id"] != "ch_2" || !strings.Contains(r.Fields["duplicate_charge_explanation"], "two orders, ord_1 and ord_2") {
		t.Errorf("duplicate fields %q / %q", r.Fields["duplicate_charge_id"], r.Fields["duplicate_charge_explanation"])
	}
	in.Duplicates = in.Duplicates[:1] // the same order: it would prove the claim
	if r := Evidence(in); r.Fields["duplicate_charge_id"] != "" {
		t.Errorf("a payment for the same order was offered as the other purchase: %v", r.Fields)
	}
}

// TestActivityLogStartsAtThePayment: an order recorded three days after its payment (an import)
// keeps the customer's use since the payment; use before the payment is left out.
func TestActivityLogStartsAtThePayment(t *testing.T) {
	in := full()
	in.Order.CreatedAt = bought.Add(72 * time.Hour)
	log := Evidence(in).Fields["access_activity_log"]
	if !strings.HasPrefix(log, "2 uses of the service between 2026-10-01 10:30 UTC and 2026-10-03 09:30 UTC") || strings.Contains(log, "198.51.100.1") {
		t.Errorf("access log of an order recorded after its payment:\n%s", log)
	}
}

func TestALongActivityLogKeepsItsEnds(t *testing.T) {
	in := full()
	in.Activity = nil
	for i := range 5000 {
		in.Activity = append(in.Activity, Activity{Kind: "stream", IP: "203.0.113.7", At: bought.Add(time.Duration(i+1) * time.Minute), Detail: fmt.Sprintf("episode %d", i)})
	}
	log := Evidence(in).Fields["access_activity_log"]
	if len(log) > maxText || !strings.Contains(log, "episode 0\n") || !strings.Contains(log, "episode 4999") || !strings.Contains(log, "… 4800 more …") {
		t.Errorf("log of %d characters:\n%.300s…", len(log), log)
	}
}
