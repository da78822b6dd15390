package app

import (
	"testing"
	"time"

	"disputed/internal/checklist"
	"disputed/internal/dispute"
	"disputed/internal/rules"
)

// BenchmarkRuleEvaluation is what the rules add to a dispute's opening once its facts are read:
// the environment built from the dispute and five rules of the kind merchants write evaluated on
// it (the bound is 50 µs; BENCHMARKS.md).
func BenchmarkRuleEvaluation(b *testing.B) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	d := dispute.Dispute{ID: "dsp_1", Type: dispute.Chargeback, Status: dispute.NeedsResponse, Reason: "fraudulent",
		NetworkReasonCode: "10.4", Network: "visa", Amount: 2400, Currency: "EUR", CustomerID: "cus_1", Provider: "stripe",
		Evidence: map[string]string{"customer_name": "Ada", "product_description": "IPTV 12 months"}, Tags: []string{"eu"},
		Metadata: map[string]string{"plan": "gold"}, DueBy: now.Add(72 * time.Hour), CreatedAt: now}
	var progs []rules.Program
	for _, when := range []string{
		"type == 'alert' && alert_type in ['ethoca', 'cdrn'] && amount_reporting != nil && amount_reporting <= 2500",
		"reason_category == 'fraud' && network == 'visa' && customer_disputes > 2",
		"p_win != nil && expected_value != nil && expected_value < 0",
		"hours_to_due != nil && hours_to_due < 48 && completeness >= 60",
		"'vip' in tags || metadata.plan == 'platinum'",
	} {
		p, err := rules.Compile(when)
		if err != nil {
			b.Fatal(err)
		}
		progs = append(progs, p)
	}
	amount := int64(2600)
	f := ruleFacts{amountReporting: &amount, reportingCurrency: "USD", customerDisputes: 1, now: now}
	for b.Loop() {
		env := ruleEnv(d, checklist.DefaultProductType, f)
		for _, p := range progs {
			if _, err := p.Match(&env); err != nil {
				b.Fatal(err)
			}
		}
	}
}
