package rules

// Env is what a rule's expression sees of a dispute: its own fields under the names of its JSON
// (GET /v1/disputes/{id}) and the values disputed computes for it. Text fields that the dispute
// lacks are "", as its JSON's null would be awkward to compare. The computed values that may be
// unknown are pointers, nil when unknown: amount_reporting without a recorded exchange rate,
// p_win and expected_value for a dispute with nothing to decide, hours_to_due without a due date.
// Comparing nil fails, and a rule whose evaluation fails does not match: write
// `amount_reporting != nil && amount_reporting <= 1000` to say what happens without a rate.
type Env struct {
	ID                string            `expr:"id"`
	Amount            int64             `expr:"amount"` // minor units of currency
	Currency          string            `expr:"currency"`
	Type              string            `expr:"type"`
	AlertType         string            `expr:"alert_type"`
	Status            string            `expr:"status"`
	Stage             string            `expr:"stage"`
	Reason            string            `expr:"reason"`
	NetworkReasonCode string            `expr:"network_reason_code"`
	ReasonCategory    string            `expr:"reason_category"`
	Network           string            `expr:"network"`
	Provider          string            `expr:"provider"`
	Channel           string            `expr:"channel"`
	InitiatedBy       string            `expr:"initiated_by"`
	CustomerID        string            `expr:"customer_id"`
	OrderID           string            `expr:"order_id"`
	Tags              []string          `expr:"tags"`
	Metadata          map[string]string `expr:"metadata"`
	Livemode          bool              `expr:"livemode"`

	// AmountReporting is amount in minor units of ReportingCurrency, at the rate the merchant
	// recorded in force when the dispute happened; nil without one.
	AmountReporting   *int64 `expr:"amount_reporting"`
	ReportingCurrency string `expr:"reporting_currency"`
	// CustomerDisputes counts the customer's disputes opened before this one.
	CustomerDisputes int `expr:"customer_disputes"`
	// Completeness is the evidence checklist's completeness, 0 to 100 (0 for alerts and
	// marketplace disputes, which have no checklist).
	Completeness int `expr:"completeness"`
	// PWin and ExpectedValue are the recommendation's (expected_value in minor units of
	// currency); nil when there is nothing to decide.
	PWin          *float64 `expr:"p_win"`
	ExpectedValue *int64   `expr:"expected_value"`
	// HoursToDue is the time left to the due date in hours (negative once past); nil without one.
	HoursToDue *float64 `expr:"hours_to_due"`
}
