package storetest

import (
	"cmp"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
)

// t0 is the suite's epoch, in unix milliseconds. Every fixture time is t0 plus whole
// milliseconds, which the stores keep exactly.
const t0 = 1_780_000_000_000 // 2026-05-28

// at is t0 plus ms milliseconds, in UTC.
func at(ms int64) time.Time { return time.UnixMilli(t0 + ms).UTC() }

// FullDispute is a dispute with every field set (an ended one: it is not open), the one the
// suite writes and reads back whole; sqlstore checks with it that each column is written and read.
func FullDispute(id, orderID string, created time.Time) dispute.Dispute {
	return fullDispute(id, orderID, created)
}

// fullDispute sets every field of a dispute (allSet checks that) so that a round trip proves
// each column.
func fullDispute(id, orderID string, created time.Time) dispute.Dispute {
	return dispute.Dispute{
		ID: id, Type: dispute.Alert, AlertType: dispute.Ethoca, Status: dispute.Resolved,
		Stage: dispute.StageInquiry, Reason: "fraudulent", NetworkReasonCode: "10.4",
		Description: "Ärger mit der Lieferung", Amount: 4999, Currency: "EUR", OrderID: orderID,
		TransactionID: "txn_" + id, CustomerID: "cus_" + id, VendorID: "ven_" + id, InitiatedBy: dispute.Buyer,
		Provider: "stripe", ProviderDisputeID: "dp_" + id, CaseNumber: "C-" + id, ARN: "74" + id,
		ExternalReference: "ext-" + id, HappenedAt: created.Add(-time.Hour), DueBy: created.Add(72 * time.Hour),
		Evidence:      map[string]string{"customer_name": "Jo Doe", "uncategorized_text": "see \"receipt\"\n"},
		EvidenceItems: 2, SubmissionCount: 1, Resolution: dispute.IssuedFullRefund,
		Submission: dispute.Submission{State: dispute.SubmissionFailed, Kind: dispute.AnswerConcession, Error: "No \"such\" dispute",
			At: created.Add(30 * time.Second), By: "admin:key_1", Note: "not worth it"},
		ResolutionNotes: "refunded", ResolvedBy: "admin:key_1", ResolvedAt: created.Add(time.Minute),
		Revision: 3, Tags: []string{"vip", "eu", "ünïcode"}, Metadata: map[string]string{"k": "v", "empty": ""},
		Fees: []dispute.Fee{
			{Amount: 1500, Currency: "USD", Description: "Dispute fee", ProviderReference: "txn_fee_" + id},
			{Amount: -1500, Currency: "USD", Description: "Dispute fee refund", ProviderReference: "txn_back_" + id},
			{Amount: 1500, Currency: "USD", Description: "Dispute counter fee (fee table)", Source: dispute.FeeFromTable,
				Kind: dispute.FeeCounter, TableVersion: "2026-12-05.1", TableDate: "2026-12-05", Estimate: true},
		},
		ProviderHasEvidence: true,
		Livemode:            true, AcceptedAt: created.Add(30 * time.Second), DefendedAt: created.Add(20 * time.Second), AutoDefended: true,
		Channel: dispute.ChannelProvider, SellerProtection: dispute.SellerProtectionPartiallyEligible, Network: "mastercard",
		ProviderCharge: "ch_" + id, ProviderPaymentIntent: "pi_" + id,
		EvidenceSources: map[string]string{"customer_name": "order ord_" + id},
		CoverLetter:     "Dear issuer,\n\nThe customer signed in after the purchase.",
		ExtendedFields:  dispute.ExtendedFields{"priority": {Type: dispute.FieldNumber, Text: "12.50"}, "agent": {Type: dispute.FieldString, Text: `Zoë "<ops>"`}},
		CreatedAt:       created, UpdatedAt: created.Add(2 * time.Minute),
	}
}

// openDispute is a minimal open chargeback on orderID ("" for none).
func openDispute(id, orderID string, created time.Time) dispute.Dispute {
	return dispute.Dispute{
		ID: id, Type: dispute.Chargeback, Status: dispute.NeedsResponse, Amount: 1000, Currency: "USD",
		OrderID: orderID, Evidence: map[string]string{}, Tags: []string{}, Metadata: map[string]string{},
		Revision: 1, CreatedAt: created, UpdatedAt: created,
	}
}

func fullOrder(id string, created time.Time) order.Order {
	return order.Order{
		ID: id, CustomerID: "cus_" + id, VendorID: "ven_" + id, Currency: "JPY", Status: order.Voided,
		Items: []order.Item{
			{Description: "VPS", Amount: 1200, Quantity: 2, Line: &order.LineSpec{Panel: "proxmox", ExternalID: "vm-7"}},
			{Description: "Setup fee", Amount: 500, Quantity: 1},
		},
		Total: 2900, VoidReason: "fraud", CompletedAt: created.Add(time.Second), VoidedAt: created.Add(time.Hour),
		Metadata: map[string]string{"source": "shop"}, Purchase: fullPurchase(id), Revision: 4, CreatedAt: created,
		UpdatedAt: created.Add(time.Hour),
	}
}

// fullPurchase is a purchase context with every field set, different for each id.
func fullPurchase(id string) order.PurchaseContext {
	return order.PurchaseContext{
		CustomerIP: "2001:db8::1", DeviceID: "dev-" + id, UserAgent: "Mozilla/5.0 (" + id + ")",
		BillingAddress: order.Address{Line1: "1 Rue de Rivoli", Line2: "Bât. " + id, City: "Paris", State: "IDF",
			PostalCode: "75001", Country: "FR"},
		ShippingAddress: order.Address{Line1: "9 Main St", Line2: "Apt " + id, City: "Springfield", State: "IL",
			PostalCode: "62701", Country: "US"},
		ShippingCarrier: "UPS", TrackingNumber: "1Z" + id, CardFingerprint: "fp-" + id, CardNetwork: "visa",
		CardLast4: "4242", AccountID: "acct-" + id,
	}
}

func simpleOrder(id, customerID, vendorID string, status order.Status, created time.Time) order.Order {
	return order.Order{
		ID: id, CustomerID: customerID, VendorID: vendorID, Currency: "USD", Status: status,
		Items: []order.Item{{Description: "thing", Amount: 1000, Quantity: 1}}, Total: 1000,
		Metadata: map[string]string{}, Revision: 1, CreatedAt: created, UpdatedAt: created,
	}
}

func fullLine(id, orderID string, created time.Time) order.Line {
	return order.Line{
		ID: id, OrderID: orderID, Item: 3, Panel: "proxmox", ExternalID: "vm-" + id, State: order.LineSuspended,
		PendingAction: order.Enable, Manual: true, PendingReason: "panel proxmox gave up", Revision: 2,
		CreatedAt: created, UpdatedAt: created.Add(time.Second),
	}
}

func fullTransaction(id string, created time.Time) order.Transaction {
	return order.Transaction{
		ID: id, Kind: order.Refund, Amount: 700, Currency: "KWD", OrderID: "ord_" + id, CustomerID: "cus_" + id,
		VendorID: "ven_" + id, ParentID: "txn_parent", DisputeID: "dsp_" + id, Provider: "paypal",
		ProviderReference: "ref-" + id, ARN: "arn-" + id, Purchase: fullPurchase(id), External: true,
		Channel: order.ChannelCardPresent, Reason: "RDR", AmountRefunded: 1, AmountWithdrawn: 2, AmountCaptured: 3,
		Voided: true, CreatedAt: created,
		UpdatedAt: created.Add(time.Second),
	}
}

// charge is a plain charge of amount on orderID.
func charge(id, orderID string, amount int64, created time.Time) order.Transaction {
	return order.Transaction{ID: id, Kind: order.Charge, Amount: amount, Currency: "USD", OrderID: orderID, CreatedAt: created}
}

func fullCustomer(id string, created time.Time) store.Customer {
	return store.Customer{
		ID: id, Email: id + "@example.com", Name: "Zoë", ExternalID: "crm-" + id,
		Metadata: map[string]string{"tier": "gold"}, CreatedAt: created, UpdatedAt: created.Add(time.Second),
	}
}

// allSet fails the test when a field of the struct v is its zero value: a fixture that proves a
// round trip must set every field, including those added after the suite was written.
func allSet(t *testing.T, v any) {
	t.Helper()
	rv := reflect.ValueOf(v)
	var zero []string
	for i := range rv.NumField() {
		if rv.Field(i).IsZero() {
			zero = append(zero, rv.Type().Field(i).Name)
		}
	}
	if len(zero) > 0 {
		t.Fatalf("fixture %T leaves %s unset: set every field so that the round trip covers it", v, strings.Join(zero, ", "))
	}
}

// ids lists the IDs of rows, in order.
func ids[T any](rows []T, id func(T) string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = id(r)
	}
	return out
}

// newestFirst orders disputes as the lists do by default: newest first, ties by id, highest first.
func newestFirst(a, b dispute.Dispute) int {
	return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), strings.Compare(b.ID, a.ID))
}

func disputeIDs(ds []dispute.Dispute) []string {
	return ids(ds, func(d dispute.Dispute) string { return d.ID })
}

// seq names n ids prefix_00 … prefix_nn, which sort in creation order like real ones.
func seq(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s_%02d", prefix, i)
	}
	return out
}
