package paypal

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"testing"

	"disputed/internal/provider"
)

// TestRefund: a capture refund is sent to the capture's refund endpoint with the amount as
// PayPal writes it and a PayPal-Request-Id from the caller's key, the same on a repeat; PayPal's
// refund id comes back, and a refund PayPal says failed is a permanent error.
func TestRefund(t *testing.T) {
	t.Parallel()
	f, srv := newFakePayPal(t)
	answer := `{"id":"1JU08902781691411","status":"COMPLETED"}`
	f.failAPI = func(string) (int, string) { return http.StatusCreated, answer }
	p := newResponder(srv, &clock{t: testNow})
	ctx := provider.WithIdempotencyKey(context.Background(), "disputed-refund-dsp_1-4999")
	r := provider.Refund{Charge: "3GG279541U471931P", Amount: 4999, Currency: "USD", Note: "Refund of an Ethoca alert"}
	for range 2 {
		if id, err := p.Refund(ctx, r); err != nil || id != "1JU08902781691411" {
			t.Fatalf("Refund = %q, %v", id, err)
		}
	}
	_, calls := f.snapshot()
	if len(calls) != 2 || calls[0].requestID != calls[1].requestID || calls[0].requestID == "" {
		t.Fatalf("calls = %+v, want two with the same PayPal-Request-Id", calls)
	}
	if c := calls[0]; c.path != "/v2/payments/captures/3GG279541U471931P/refund" || c.contentType != "application/json" {
		t.Errorf("call = %s (%s)", c.path, c.contentType)
	}
	var body map[string]any
	if err := json.Unmarshal(calls[0].body, &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"amount": map[string]any{"value": "49.99", "currency_code": "USD"}, "note_to_payer": "Refund of an Ethoca alert"}
	if !reflect.DeepEqual(body, want) {
		t.Errorf("body = %v, want %v", body, want)
	}
	other := provider.WithIdempotencyKey(context.Background(), "disputed-refund-dsp_2-4999")
	if _, err := p.Refund(other, r); err != nil {
		t.Fatal(err)
	}
	if _, calls := f.snapshot(); calls[2].requestID == calls[0].requestID {
		t.Error("another refund was sent with the first one's PayPal-Request-Id")
	}

	answer = `{"id":"1JU08902781691412","status":"FAILED","status_details":{"reason":"ECHECK"}}`
	if id, err := p.Refund(ctx, r); id != "" || !errors.Is(err, provider.ErrPermanent) {
		t.Errorf("a failed refund reads as %q, %v; want a permanent error", id, err)
	}
	f.failAPI = func(string) (int, string) {
		return http.StatusUnprocessableEntity, `{"name":"UNPROCESSABLE_ENTITY","details":[{"issue":"CAPTURE_FULLY_REFUNDED"}]}`
	}
	if _, err := p.Refund(ctx, r); !errors.Is(err, provider.ErrPermanent) {
		t.Errorf("a capture refunded already: %v, want a permanent error", err)
	}
	if _, err := p.Refund(ctx, provider.Refund{Amount: 1, Currency: "USD"}); !errors.Is(err, provider.ErrPermanent) {
		t.Errorf("no capture id: %v, want a permanent refusal", err)
	}
}
