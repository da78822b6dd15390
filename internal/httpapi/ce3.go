package httpapi

import (
	"time"

	"disputed/internal/app"
	"disputed/internal/ce3"
)

// EnhancedEligibility is what a dispute qualifies for beyond its evidence fields, as Stripe's
// evidence_details.enhanced_eligibility says it.
type EnhancedEligibility struct {
	VisaCompellingEvidence3 CE3Eligibility `json:"visa_compelling_evidence_3"`
}

// CE3Eligibility is where a chargeback or inquiry stands against Visa Compelling Evidence 3.0.
type CE3Eligibility struct {
	Status          string   `json:"status" enum:"qualified,requires_action,not_qualified" doc:"qualified: two earlier charges on the same card qualify it, and the evidence pushed to the provider carries them; requires_action: missing says what stands in the way; not_qualified: the rule is Visa's for reason code 10.4 only, and this case is another"`
	Missing         []string `json:"missing" doc:"what stands in the way, in Stripe's required_actions words: missing_customer_identifiers, missing_disputed_transaction_description, missing_merchandise_or_services, missing_prior_undisputed_transaction_description, missing_prior_undisputed_transactions"`
	MissingMessages []string `json:"missing_messages" doc:"missing in sentences, in the same order"`
	// PriorTransactions are the qualifying charges, or the best candidates found so far.
	PriorTransactions []CE3PriorTransaction `json:"prior_transactions" doc:"the earlier charges on the same card that match the disputed one (at most two, the best first): 120 to 365 days before it, not disputed, not reported as fraud"`
}

// CE3PriorTransaction is an earlier charge on the same card that matches the disputed one.
type CE3PriorTransaction struct {
	ID                string    `json:"id" doc:"our transaction id"`
	ProviderReference *string   `json:"provider_reference" doc:"the provider's charge id, which the provider is sent"`
	CreatedAt         time.Time `json:"created_at"`
	Amount            int64     `json:"amount"`
	Currency          string    `json:"currency"`
	AgeDays           int       `json:"age_days" doc:"whole calendar days (UTC) before the disputed charge"`
	Matching          []string  `json:"matching" doc:"the data elements it shares with the disputed charge: customer_purchase_ip, customer_device_id, shipping_address, customer_email_address, customer_account_id"`
}

// eligibilityOut presents a dispute's standing against Visa CE 3.0; nil for none.
func eligibilityOut(v *app.VisaCE3) *EnhancedEligibility {
	if v == nil {
		return nil
	}
	out := CE3Eligibility{Status: string(v.Status), Missing: list(v.Missing), MissingMessages: make([]string, len(v.Missing)),
		PriorTransactions: make([]CE3PriorTransaction, len(v.Priors))}
	for i, m := range v.Missing {
		out.MissingMessages[i] = ce3.Explain(m)
	}
	for i, p := range v.Priors {
		t := p.Transaction
		out.PriorTransactions[i] = CE3PriorTransaction{ID: t.ID, ProviderReference: opt(t.ProviderReference), CreatedAt: t.CreatedAt.UTC(),
			Amount: t.Amount, Currency: t.Currency, AgeDays: p.AgeDays, Matching: list(p.Matching)}
	}
	return &EnhancedEligibility{VisaCompellingEvidence3: out}
}
