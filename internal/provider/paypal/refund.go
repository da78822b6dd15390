package paypal

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"disputed/internal/money"
	"disputed/internal/provider"
)

// maxNoteToPayer is PayPal's limit on a refund's note_to_payer, in characters.
const maxNoteToPayer = 255

// Refund refunds part or all of a capture (POST /v2/payments/captures/{capture_id}/refund) and
// returns the id of PayPal's refund. PayPal-Request-Id comes from the caller's idempotency key
// (provider.WithIdempotencyKey) or, without one, from the capture and the amount, so that a
// repeat is answered with the first refund.
func (p *PayPal) Refund(ctx context.Context, r provider.Refund) (string, error) {
	if strings.TrimSpace(r.Charge) == "" {
		return "", fmt.Errorf("%w: the PayPal capture to refund is not known", ErrInvalidRequest)
	}
	if r.Amount <= 0 {
		return "", fmt.Errorf("%w: a refund must be of a positive amount, not %d", ErrInvalidRequest, r.Amount)
	}
	value, err := money.FormatDecimal(r.Amount, r.Currency)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInvalidRequest, err)
	}
	type amount struct {
		Value        string `json:"value"`
		CurrencyCode string `json:"currency_code"`
	}
	body, err := json.Marshal(struct {
		Amount      amount `json:"amount"`
		NoteToPayer string `json:"note_to_payer,omitempty"`
	}{amount{value, r.Currency}, truncate(strings.TrimSpace(r.Note), maxNoteToPayer)})
	if err != nil {
		return "", err
	}
	key, ok := provider.IdempotencyKey(ctx)
	if !ok {
		key = strconv.FormatInt(r.Amount, 10) + " " + r.Currency
	}
	path := "/v2/payments/captures/" + url.PathEscape(r.Charge) + "/refund"
	answer, err := p.post(ctx, path, "application/json", body, requestID("refund", r.Charge, []byte(key)))
	if err != nil {
		return "", err
	}
	return readRefund(answer)
}

// refundAnswer is what we read of PayPal's refund.
type refundAnswer struct {
	ID            string `json:"id"`
	Status        string `json:"status"`
	StatusDetails struct {
		Reason string `json:"reason"`
	} `json:"status_details"`
}

// readRefund reads PayPal's answer to a refund: the refund's id, unless PayPal says the refund
// was cancelled or failed (the money did not move). A PENDING refund is a refund: PayPal
// completes it later.
func readRefund(data []byte) (string, error) {
	var a refundAnswer
	if err := json.Unmarshal(data, &a); err != nil || strings.TrimSpace(a.ID) == "" {
		return "", fmt.Errorf("paypal: the refund was answered without a refund id")
	}
	id := provider.CleanText(a.ID)
	switch a.Status {
	case "CANCELLED", "FAILED":
		why := provider.CleanText(a.StatusDetails.Reason)
		if why == "" {
			why = "no reason given"
		}
		return "", &APIError{Status: 200, Name: a.Status, Message: "PayPal's refund " + id + " is " + strings.ToLower(a.Status) + ": " + why, Permanent: true}
	}
	return id, nil
}

// truncate cuts s to at most n characters, on a character boundary.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
