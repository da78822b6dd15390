package stripe

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"disputed/internal/provider"
	"disputed/internal/provider/stripe/stripemock"
)

// TestRefundAgainstStripeMock: Stripe (its API description, which stripe-mock checks requests
// against) takes our refund of a charge and of a payment intent, and answers with a re_… id.
func TestRefundAgainstStripeMock(t *testing.T) {
	t.Parallel()
	s := New(provider.Config{APIKey: "sk_test_123", APIBase: stripemock.Start(t)}, nil)
	for _, r := range []provider.Refund{
		{Charge: "ch_3QStripe0001", Amount: 4999, Currency: "USD", Note: "Ethoca alert dsp_1"},
		{PaymentIntent: "pi_3QStripe0001", Amount: 100, Currency: "USD"},
	} {
		ctx := provider.WithIdempotencyKey(context.Background(), "disputed-refund-"+r.Charge+r.PaymentIntent)
		id, err := s.Refund(ctx, r)
		if err != nil || !strings.HasPrefix(id, "re_") {
			t.Errorf("Refund(%+v) = %q, %v; want a re_… id", r, id, err)
		}
	}
}

// TestRefundRequest: what is sent (the charge, the amount, the caller's idempotency key, the
// note as metadata) and what is refused before anything is sent.
func TestRefundRequest(t *testing.T) {
	t.Parallel()
	var (
		mu    sync.Mutex
		forms []url.Values
		keys  []string
	)
	answer := `{"id":"re_3QStripe0001","object":"refund","status":"pending"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		_ = r.ParseForm()
		if r.URL.Path != "/v1/refunds" {
			t.Errorf("path %s", r.URL.Path)
		}
		forms, keys = append(forms, r.PostForm), append(keys, r.Header.Get("Idempotency-Key"))
		_, _ = w.Write([]byte(answer))
	}))
	t.Cleanup(srv.Close)
	s := New(provider.Config{APIKey: "sk_test_123", APIBase: srv.URL}, nil)
	ctx := provider.WithIdempotencyKey(context.Background(), "disputed-refund-dsp_1-4999")
	id, err := s.Refund(ctx, provider.Refund{Charge: "ch_1", PaymentIntent: "pi_1", Amount: 4999, Currency: "USD", Note: "alert dsp_1"})
	if err != nil || id != "re_3QStripe0001" {
		t.Fatalf("Refund = %q, %v", id, err)
	}
	want := url.Values{"charge": {"ch_1"}, "amount": {"4999"}, "metadata[disputed_note]": {"alert dsp_1"}}
	if forms[0].Encode() != want.Encode() || keys[0] != "disputed-refund-dsp_1-4999" {
		t.Errorf("sent %s with key %q, want %s", forms[0].Encode(), keys[0], want.Encode())
	}

	for _, bad := range []provider.Refund{{Amount: 1}, {Charge: "ch_1", Amount: 0}} {
		if _, err := s.Refund(ctx, bad); !errors.Is(err, provider.ErrPermanent) {
			t.Errorf("Refund(%+v) = %v, want a permanent refusal", bad, err)
		}
	}
	if len(forms) != 1 {
		t.Errorf("%d requests sent, want the one valid refund", len(forms))
	}

	answer = `{"id":"re_3QStripe0002","object":"refund","status":"failed","failure_reason":"expired_or_canceled_card"}`
	if id, err := s.Refund(ctx, provider.Refund{Charge: "ch_1", Amount: 4999}); id != "" || !errors.Is(err, provider.ErrPermanent) ||
		!strings.Contains(err.Error(), "expired_or_canceled_card") {
		t.Errorf("a failed refund reads as %q, %v; want a permanent error with Stripe's reason", id, err)
	}
}
