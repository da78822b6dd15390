package testenv

// StripeDisputeOf is the dispute object inside a StripeEvent, for a test to change.
func StripeDisputeOf(event map[string]any) map[string]any {
	return event["data"].(map[string]any)["object"].(map[string]any)
}

// StripeBalanceTransaction is a balance transaction of a dispute with its one fee, as Stripe
// expands it in the dispute's balance_transactions: amount moved, fee charged (negative when
// Stripe gives it back).
func StripeBalanceTransaction(id string, amount, fee int64, description string) map[string]any {
	return map[string]any{"id": id, "object": "balance_transaction", "amount": amount, "currency": "usd", "fee": fee,
		"net": amount - fee, "type": "adjustment", "reporting_category": "dispute", "status": "pending",
		"fee_details": []any{map[string]any{"amount": fee, "application": nil, "currency": "usd", "description": description, "type": "stripe_fee"}}}
}
