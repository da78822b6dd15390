package generic

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"disputed/internal/hmacsig"
	"disputed/internal/provider"
)

// SignatureHeader carries the feed's signature: "t=<unix>,v1=<hex>[,v1=<hex>…]", where each v1
// is the hex HMAC-SHA256, under one of the secrets, of "<t>.<body>".
const SignatureHeader = "X-Signature"

// Sign returns the X-Signature value for body signed with secret at t. A feed sends one v1
// per secret it holds while a secret is being rotated; the receiver accepts any that matches.
func Sign(secret string, t time.Time, body []byte) string { return hmacsig.Sign(secret, t, body) }

// Verify checks the X-Signature header against every configured secret and the signing time
// against now, within Tolerance either way. Errors wrap provider.ErrSignature.
func (g *Generic) Verify(_ context.Context, header http.Header, body []byte, now time.Time) error {
	if len(g.secrets) == 0 {
		return fmt.Errorf("%w: no webhook secret is configured for this feed", provider.ErrSignature)
	}
	values := header.Values(SignatureHeader)
	switch len(values) {
	case 0:
		return fmt.Errorf("%w: no %s header", provider.ErrSignature, SignatureHeader)
	case 1:
	default:
		// Two headers could be read two ways.
		return fmt.Errorf("%w: %d %s headers", provider.ErrSignature, len(values), SignatureHeader)
	}
	if err := hmacsig.Verify(values[0], body, g.secrets, now, Tolerance); err != nil {
		return fmt.Errorf("%w: %s: %w", provider.ErrSignature, SignatureHeader, err)
	}
	return nil
}

// Receive verifies a notification and reads its one event.
func (g *Generic) Receive(ctx context.Context, req provider.Request) ([]provider.Event, error) {
	return provider.ReceiveOne(ctx, g, g, req)
}
