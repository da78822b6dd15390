package paypal

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"disputed/internal/provider"
)

// TestParsePayments reads the Payments API v2 notifications: a capture as the payment, its
// refund as a refund of the capture its "up" link names, a reversal as a refund of the whole
// capture.
func TestParsePayments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file   string
		charge *provider.ChargeReport
		refund *provider.RefundReport
	}{
		{
			file: "payment_capture_completed.json",
			charge: &provider.ChargeReport{ID: "3GG279541U471931P", PaymentReference: "5O190127TN364715T", Amount: 4999, Currency: "EUR",
				Status: "COMPLETED", Made: true, Captured: true, Created: at("2026-10-30T17:21:09Z"), Livemode: true,
				Metadata: map[string]string{"custom_id": "ord_01JD0000000000000000000002", "invoice_id": "INV-2026-0042"}},
		},
		{
			file: "payment_capture_refunded.json",
			refund: &provider.RefundReport{ID: "1JU08902781691411", ChargeReference: "3GG279541U471931P", Amount: 2000, Currency: "EUR",
				Status: "COMPLETED", Made: true},
		},
		{
			file: "payment_capture_reversed.json",
			refund: &provider.RefundReport{ID: "reversal-3GG279541U471931P", ChargeReference: "3GG279541U471931P", Amount: 4999, Currency: "EUR",
				Status: "REVERSED", Made: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			got, err := New(provider.Config{Type: TypeName}, nil).Parse(readTestdata(t, tt.file))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.charge, got.Charge); diff != "" {
				t.Errorf("Charge (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.refund, got.Refund); diff != "" {
				t.Errorf("Refund (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParsePaymentRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
	}{
		{"no resource", `{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED"}`},
		{"no id", `{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"status":"COMPLETED","amount":{"currency_code":"EUR","value":"1.00"}}}`},
		{"no amount", `{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"C1","status":"COMPLETED"}}`},
		{"too many decimals", `{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"C1","amount":{"currency_code":"JPY","value":"1.5"}}}`},
		{"a refund not linked to its capture", `{"id":"WH-1","event_type":"PAYMENT.CAPTURE.REFUNDED","resource":{"id":"R1","status":"COMPLETED","amount":{"currency_code":"EUR","value":"1.00"},"links":[{"rel":"up","href":"https://api.paypal.com/v2/checkout/orders/O1"}]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := New(provider.Config{}, nil).Parse([]byte(tt.body))
			if !errors.Is(err, provider.ErrPayload) {
				t.Fatalf("Parse = %+v, %v; want ErrPayload", ev, err)
			}
		})
	}
}
