package stripe

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"disputed/internal/fault"
	"disputed/internal/provider"
)

// maxMetadataValue is Stripe's limit on one metadata value, in characters.
const maxMetadataValue = 500

// Refund refunds part or all of a charge (POST /v1/refunds, on the charge or else its payment
// intent) and returns the id of Stripe's refund (re_…). The idempotency key the caller put in ctx
// makes a repeat answer with the first refund. Errors are *APIError.
func (s *Stripe) Refund(ctx context.Context, r provider.Refund) (string, error) {
	form := url.Values{}
	switch {
	case r.Charge != "":
		form.Set("charge", r.Charge)
	case r.PaymentIntent != "":
		form.Set("payment_intent", r.PaymentIntent)
	default:
		return "", refused(fault.CodeParameterMissing, "charge", "the Stripe charge to refund is not known")
	}
	if r.Amount <= 0 {
		return "", refused(fault.CodeInvalidAmount, "amount", "a refund must be of a positive amount, not %d", r.Amount)
	}
	form.Set("amount", strconv.FormatInt(r.Amount, 10))
	if note := strings.TrimSpace(r.Note); note != "" {
		form.Set("metadata[disputed_note]", truncate(note, maxMetadataValue))
	}
	answer, err := s.post(ctx, s.apiBase, "/v1/refunds", "application/x-www-form-urlencoded", []byte(form.Encode()), "")
	if err != nil {
		return "", err
	}
	return readRefund(answer)
}

// readRefund reads Stripe's refund object: its id, unless the refund failed or was canceled
// (then the money did not move, and asking again with the same key would replay the failure).
func readRefund(answer []byte) (string, error) {
	var refund struct {
		ID            string `json:"id"`
		Object        string `json:"object"`
		Status        string `json:"status"`
		FailureReason string `json:"failure_reason"`
	}
	if err := json.Unmarshal(answer, &refund); err != nil || !strings.HasPrefix(refund.ID, "re_") && !strings.HasPrefix(refund.ID, "pyr_") {
		return "", &APIError{Message: "Stripe answered the refund without a refund id"}
	}
	if refund.Object != "" && refund.Object != "refund" {
		return "", &APIError{Message: "Stripe answered the refund with a " + quote(refund.Object) + " object"}
	}
	id := provider.CleanText(refund.ID)
	switch refund.Status {
	case "failed", "canceled":
		why := provider.CleanText(refund.FailureReason)
		if why == "" {
			why = "no reason given"
		}
		return "", &APIError{Code: "refund_" + refund.Status, Message: "Stripe's refund " + id + " " + refund.Status + ": " + why, Permanent: true}
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
