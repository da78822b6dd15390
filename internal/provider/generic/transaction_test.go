package generic

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"disputed/internal/fault"
	"disputed/internal/provider"
)

// TestParseTransactions reads the feed's transactions: a charge as a payment, a refund as a
// refund of the charge its parent names.
func TestParseTransactions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want provider.Event
	}{
		{
			file: "transaction.charge.json",
			want: provider.Event{ID: "pay_7731", Type: "generic.transaction", Created: time.Date(2026, 11, 18, 9, 30, 0, 0, time.UTC),
				Charge: &provider.ChargeReport{ID: "pay_7731", Amount: 12995, Currency: "EUR", Status: "succeeded", Made: true, Captured: true,
					CardNetwork: "mastercard", Last4: "5100", Fingerprint: "fp_81c2a9", Channel: "card_not_present",
					CustomerEmail: "ana@example.com", CustomerReference: "acct-301",
					Metadata: map[string]string{"order_id": "ord_01JD0000000000000000000003", "campaign": "winter"},
					Created:  time.Date(2026, 11, 18, 9, 30, 0, 0, time.UTC), Livemode: true}},
		},
		{
			file: "transaction.refund.json",
			want: provider.Event{ID: "rf_7731_1", Type: "generic.transaction", Created: time.Date(2026, 11, 19, 12, 0, 0, 0, time.UTC),
				Refund: &provider.RefundReport{ID: "rf_7731_1", ChargeReference: "pay_7731", Amount: 2995, Currency: "EUR", Status: "succeeded", Made: true}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := parse(body)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

const (
	baseCharge = `{"id":"pay_1","type":"transaction","kind":"charge","amount":"10.00","currency":"USD","last4":"4242","channel":"card_present"}`
	baseRefund = `{"id":"rf_1","type":"transaction","kind":"refund","amount":"1.00","currency":"USD","parent":"pay_1"}`
)

func TestParseTransactionErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		base      string
		fields    map[string]any
		wantParam string
	}{
		{"no kind", baseCharge, map[string]any{"kind": nil}, "kind"},
		{"an unknown kind", baseCharge, map[string]any{"kind": "capture"}, "kind"},
		{"no amount", baseCharge, map[string]any{"amount": nil}, "amount"},
		{"no currency", baseCharge, map[string]any{"currency": nil}, "currency"},
		{"a zero amount", baseCharge, map[string]any{"amount": 0}, "amount"},
		{"last4 of 3 digits", baseCharge, map[string]any{"last4": "424"}, "last4"},
		{"an unknown channel", baseCharge, map[string]any{"channel": "online"}, "channel"},
		{"a charge with a parent", baseCharge, map[string]any{"parent": "pay_0"}, "parent"},
		{"a dispute's field", baseCharge, map[string]any{"case_number": "C-1"}, "case_number"},
		{"created not RFC 3339", baseCharge, map[string]any{"created": "yesterday"}, "created"},
		{"metadata not text", baseCharge, map[string]any{"metadata": map[string]any{"order_id": 7}}, "metadata"},
		{"a metadata value too long", baseCharge, map[string]any{"metadata": map[string]any{"order_id": strings.Repeat("o", 256)}}, "metadata"},
		{"a refund without parent", baseRefund, map[string]any{"parent": nil}, "parent"},
		{"a refund with the card", baseRefund, map[string]any{"last4": "4242"}, "last4"},
		{"parent too long", baseRefund, map[string]any{"parent": strings.Repeat("p", 256)}, "parent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := parse(withFields(t, tt.base, tt.fields))
			if !errors.Is(err, provider.ErrPayload) {
				t.Fatalf("Parse = %+v, %v; want an error wrapping ErrPayload", ev, err)
			}
			if fe, ok := fault.As(err); !ok || fe.Param != tt.wantParam {
				t.Errorf("error %v; want one naming %q", err, tt.wantParam)
			}
		})
	}
}
