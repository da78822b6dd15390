package stripe

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"disputed/internal/fault"
	"disputed/internal/provider"
)

// TestParseCharges reads the charge events as Stripe sends them: the card, the channel, the
// buyer and the merchant's metadata, and for charge.refunded the refunds the charge lists.
func TestParseCharges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want provider.Event
	}{
		{
			file: "charge.succeeded.2024-06-20.json",
			want: provider.Event{ID: "evt_3QNrHxB7WZ01zgkW0c1S8ucc", Type: "charge.succeeded", Created: unix(1732096501),
				Charge: &provider.ChargeReport{ID: "ch_3QNrHxB7WZ01zgkW0p9XjK2L", PaymentReference: "pi_3QNrHxB7WZ01zgkW0Q2Wm1aT",
					Amount: 4999, Currency: "USD", Status: "succeeded", Made: true, Captured: true,
					CardNetwork: "visa", Last4: "4242", Fingerprint: "Xt5EWLLDS7FJjR1c", Channel: "card_not_present",
					CustomerEmail: "jenny.rosen@example.com", CustomerReference: "cus_RGNkLhMf4p1dXp",
					Metadata: map[string]string{"order_id": "ord_01JD0000000000000000000001"}, Created: unix(1732096500)}},
		},
		{
			file: "charge.refunded.2022-08-01.json",
			want: provider.Event{ID: "evt_3LgT0a2eZvKYlo2C1x8Rfd01", Type: "charge.refunded", Created: unix(1662544200),
				Charge: &provider.ChargeReport{ID: "ch_3LgSzZ2eZvKYlo2C0yXkP4aS", PaymentReference: "pi_3LgSzZ2eZvKYlo2C0r6Dk5Qm",
					Amount: 12000, Currency: "EUR", Status: "succeeded", Made: true, Captured: true,
					CardNetwork: "mastercard", Last4: "5100", Fingerprint: "kP9cM3eQ0aLrQd2T", Channel: "card_present",
					CustomerEmail: "max.mustermann@example.com", Metadata: map[string]string{}, Created: unix(1662540000), Livemode: true,
					Refunds: []provider.RefundReport{{ID: "re_3LgSzZ2eZvKYlo2C0HrXc7aW", ChargeReference: "ch_3LgSzZ2eZvKYlo2C0yXkP4aS",
						PaymentReference: "pi_3LgSzZ2eZvKYlo2C0r6Dk5Qm", Amount: 2000, Currency: "EUR", Status: "succeeded", Made: true}}}},
		},
	}
	s := New(provider.Config{}, nil)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			got, err := s.Parse(readTestdata(t, tt.file))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

// chargeEventOf builds a charge event of type typ around a charge object.
func chargeEventOf(typ, object string) string {
	return `{"id":"evt_c","object":"event","type":"` + typ + `","created":1732096801,"data":{"object":` + object + `}}`
}

func TestParseChargeFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		typ    string
		object string
		want   provider.ChargeReport
	}{
		{
			name:   "an authorization not captured yet is made, not captured",
			typ:    "charge.succeeded",
			object: `{"id":"ch_1","amount":500,"amount_captured":0,"currency":"usd","captured":false,"status":"succeeded","payment_method_details":{"type":"card","card":{"brand":"amex","last4":"0005"}}}`,
			want:   provider.ChargeReport{ID: "ch_1", Amount: 500, Currency: "USD", Status: "succeeded", Made: true, CardNetwork: "amex", Last4: "0005", Channel: "card_not_present"},
		},
		{
			name:   "a partial capture takes amount_captured",
			typ:    "charge.captured",
			object: `{"id":"ch_2","amount":1000,"amount_captured":700,"currency":"eur","captured":true,"status":"succeeded","customer":{"id":"cus_9","object":"customer"}}`,
			want:   provider.ChargeReport{ID: "ch_2", Amount: 700, Currency: "EUR", Status: "succeeded", Made: true, Captured: true, CustomerReference: "cus_9"},
		},
		{
			name:   "a failed charge moved no money; brand unknown is not said",
			typ:    "charge.succeeded",
			object: `{"id":"py_3","amount":100,"currency":"gbp","status":"failed","payment_method_details":{"type":"card","card":{"brand":"unknown"}}}`,
			want:   provider.ChargeReport{ID: "py_3", Amount: 100, Currency: "GBP", Status: "failed", Channel: "card_not_present"},
		},
		{
			name:   "a PayPal payment through Stripe has no card and no channel",
			typ:    "charge.succeeded",
			object: `{"id":"ch_4","amount":100,"currency":"usd","status":"succeeded","captured":true,"payment_method_details":{"type":"paypal","paypal":{}}}`,
			want:   provider.ChargeReport{ID: "ch_4", Amount: 100, Currency: "USD", Status: "succeeded", Made: true, Captured: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parse([]byte(chargeEventOf(tt.typ, tt.object)))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(&tt.want, got.Charge); diff != "" {
				t.Errorf("Charge (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseChargeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, object, param string
	}{
		{"no id", `{"amount":100,"currency":"usd"}`, "data.object.id"},
		{"not a charge's id", `{"id":"re_1","amount":100,"currency":"usd"}`, "data.object.id"},
		{"no currency", `{"id":"ch_1","amount":100}`, "data.object.currency"},
		{"a negative amount", `{"id":"ch_1","amount":-1,"currency":"usd"}`, "data.object.amount"},
		{"a refund without id", `{"id":"ch_1","amount":100,"currency":"usd","refunds":{"data":[{"amount":5,"currency":"usd"}]}}`, "data.object.refunds.data"},
		{"metadata that is not text", `{"id":"ch_1","amount":100,"currency":"usd","metadata":{"order_id":5}}`, "data.object.metadata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := parse([]byte(chargeEventOf("charge.succeeded", tt.object)))
			if !errors.Is(err, provider.ErrPayload) {
				t.Fatalf("error %v does not wrap ErrPayload", err)
			}
			if f, ok := fault.As(err); !ok || f.Param != tt.param {
				t.Errorf("error %v names %q, want %q", err, f.Param, tt.param)
			}
		})
	}
}
