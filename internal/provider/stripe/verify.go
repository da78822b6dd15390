package stripe

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/stripe/stripe-go/v85/webhook"

	"disputed/internal/hmacsig"
	"disputed/internal/provider"
)

// SignatureHeader is the header Stripe signs webhooks in: "t=<unix>,v1=<hex>[,v1=<hex>…]".
const SignatureHeader = "Stripe-Signature"

// Verify checks the Stripe-Signature header of a webhook against every configured secret.
//
// stripe-go's webhook.ValidatePayloadWithTolerance measures the age of a signature with
// time.Since and so cannot be given the clock of the caller; the header is therefore read
// here, the timestamp compared with now in both directions, and the signature itself computed
// by stripe-go's webhook.ComputeSignature and compared in constant time. The API version of
// the event is not looked at: events of every version are accepted.
//
// Errors wrap provider.ErrSignature.
func (s *Stripe) Verify(_ context.Context, header http.Header, body []byte, now time.Time) error {
	if len(s.secrets) == 0 {
		return fmt.Errorf("%w: no Stripe webhook secret is configured", provider.ErrSignature)
	}
	values := header.Values(SignatureHeader)
	switch len(values) {
	case 0:
		return fmt.Errorf("%w: no %s header", provider.ErrSignature, SignatureHeader)
	case 1:
	default:
		// Two headers could be read two ways; Stripe sends one.
		return fmt.Errorf("%w: %d %s headers", provider.ErrSignature, len(values), SignatureHeader)
	}
	err := hmacsig.VerifyWith(values[0], now, Tolerance, func(h hmacsig.Header) [][]byte {
		want := make([][]byte, 0, len(s.secrets))
		for _, secret := range s.secrets {
			want = append(want, webhook.ComputeSignature(h.At, body, secret))
		}
		return want
	})
	if err != nil {
		return fmt.Errorf("%w: %s: %w", provider.ErrSignature, SignatureHeader, err)
	}
	return nil
}

// Receive verifies a notification and reads its one event.
func (s *Stripe) Receive(ctx context.Context, req provider.Request) ([]provider.Event, error) {
	return provider.ReceiveOne(ctx, s, s, req)
}
