package stripe

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/provider"
)

func unix(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestParseTestdata reads payloads shaped as Stripe renders them in several API versions.
func TestParseTestdata(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want provider.Event
	}{
		{
			file: "charge.dispute.created.2024-06-20.json",
			want: provider.Event{
				ID: "evt_1QNrJdB7WZ01zgkWfP5y2cQe", Type: "charge.dispute.created", Created: unix(1732096801),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "du_1QNrJcB7WZ01zgkWjHV0b1Xs",
					Type:              dispute.Inquiry,
					Status:            dispute.WarningNeedsResponse,
					Stage:             dispute.StageInquiry,
					Reason:            "fraudulent",
					Network:           "visa",
					NetworkReasonCode: "33",
					Amount:            4999,
					Currency:          "USD",
					ChargeReference:   "ch_3QNrHxB7WZ01zgkW0p9XjK2L",
					PaymentReference:  "pi_3QNrHxB7WZ01zgkW0Q2Wm1aT",
					HappenedAt:        unix(1732096800),
					DueBy:             unix(1732924799),
				},
			},
		},
		{
			file: "refund.created.2024-06-20.json",
			want: provider.Event{
				ID: "evt_3QNsRfB7WZ01zgkW0rFnd1Aa", Type: "refund.created", Created: unix(1732100401),
				Refund: &provider.RefundReport{ID: "re_3QNrHxB7WZ01zgkW0mR3fUnd", ChargeReference: "ch_3QNrHxB7WZ01zgkW0p9XjK2L",
					PaymentReference: "pi_3QNrHxB7WZ01zgkW0Q2Wm1aT", Amount: 4999, Currency: "USD", Status: "succeeded", Made: true},
			},
		},
		{
			// charge.refund.updated (refund.updated's older name) carries the Refund as
			// refund.updated does: here a partial refund that was pending and succeeded.
			file: "charge.refund.updated.2020-08-27.json",
			want: provider.Event{
				ID: "evt_1HkRb32eZvKYlo2CtJ8yUq3n", Type: "charge.refund.updated", Created: unix(1605171465),
				Refund: &provider.RefundReport{ID: "re_1HkQxB2eZvKYlo2CfV1sTq9m", ChargeReference: "ch_1HhZjq2eZvKYlo2CkQ6t5m0W",
					PaymentReference: "pi_1HhZjp2eZvKYlo2CqAcUFd5B", Amount: 2500, Currency: "EUR", Status: "succeeded", Made: true},
			},
		},
		{
			file: "charge.dispute.created.2020-08-27.json",
			want: provider.Event{
				ID: "evt_1HhZkr2eZvKYlo2CJGVz9a8f", Type: "charge.dispute.created", Created: unix(1604483713),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "dp_1HhZkq2eZvKYlo2C0sRFcb8x",
					Type:              dispute.Chargeback,
					Status:            dispute.NeedsResponse,
					Stage:             dispute.StageChargeback,
					Reason:            "product_not_received",
					Amount:            12000,
					Currency:          "EUR",
					ChargeReference:   "ch_1HhZjq2eZvKYlo2CkQ6t5m0W",
					PaymentReference:  "pi_1HhZjp2eZvKYlo2CqAcUFd5B",
					HappenedAt:        unix(1604483712),
					DueBy:             unix(1606175999),
					Livemode:          true,
				},
			},
		},
		{
			file: "charge.dispute.updated.expanded.2024-06-20.json",
			want: provider.Event{
				ID: "evt_1QPa7tB7WZ01zgkWq3nU0aAa", Type: "charge.dispute.updated", Created: unix(1732500000),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "du_1QNrJcB7WZ01zgkWjHV0b1Xs",
					Type:              dispute.Inquiry,
					Status:            dispute.WarningUnderReview,
					Stage:             dispute.StageInquiry,
					Reason:            "fraudulent",
					Network:           "visa",
					NetworkReasonCode: "33",
					Amount:            4999,
					Currency:          "USD",
					ChargeReference:   "ch_3QNrHxB7WZ01zgkW0p9XjK2L",
					PaymentReference:  "pi_3QNrHxB7WZ01zgkW0Q2Wm1aT",
					HappenedAt:        unix(1732096800),
					DueBy:             unix(1732924799),
					HasEvidence:       true,
					SubmissionCount:   1,
					Evidence: map[string]string{
						"customer_name":      "Jane Doe",
						"uncategorized_text": "Delivered 2024-11-02, signed for.",
					},
				},
			},
		},
		{
			file: "charge.dispute.funds_withdrawn.2024-06-20.json",
			want: provider.Event{
				ID: "evt_1QNsA2B7WZ01zgkWcY0nLq3u", Type: "charge.dispute.funds_withdrawn", Created: unix(1732100001),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "du_1QNsA0B7WZ01zgkWm3Rk9ZtX",
					Type:              dispute.Chargeback,
					Status:            dispute.NeedsResponse,
					Stage:             dispute.StageChargeback,
					Reason:            "product_unacceptable",
					Network:           "mastercard",
					NetworkReasonCode: "4853",
					Amount:            2500,
					Currency:          "USD",
					ChargeReference:   "ch_3QNs9xB7WZ01zgkW1pBtY0ae",
					HappenedAt:        unix(1732100000),
					DueBy:             unix(1732924799),
					FundsWithdrawn:    true,
					Fees:              []dispute.Fee{{Amount: 1500, Currency: "USD", Description: "Dispute fee", ProviderReference: "txn_1QNsA1B7WZ01zgkWzCq2nM5d"}},
				},
			},
		},
		{
			file: "charge.dispute.funds_reinstated.2024-06-20.json",
			want: provider.Event{
				ID: "evt_1QX0b1B7WZ01zgkWbb2c3d4e", Type: "charge.dispute.funds_reinstated", Created: unix(1734400001),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "du_1QNsA0B7WZ01zgkWm3Rk9ZtX",
					Type:              dispute.Chargeback,
					Status:            dispute.Won,
					Stage:             dispute.StageChargeback,
					Reason:            "product_unacceptable",
					Network:           "mastercard",
					NetworkReasonCode: "4853",
					Amount:            2500,
					Currency:          "USD",
					ChargeReference:   "ch_3QNs9xB7WZ01zgkW1pBtY0ae",
					HappenedAt:        unix(1732100000),
					DueBy:             unix(1732924799),
					HasEvidence:       true,
					SubmissionCount:   1,
					FundsReinstated:   true,
					Fees: []dispute.Fee{
						{Amount: 1500, Currency: "USD", Description: "Dispute fee", ProviderReference: "txn_1QNsA1B7WZ01zgkWzCq2nM5d"},
						{Amount: -1500, Currency: "USD", Description: "Dispute fee refund", ProviderReference: "txn_1QX0b0B7WZ01zgkWo0fG1hJk"},
					},
				},
			},
		},
		{
			file: "charge.dispute.closed.lost.2020-08-27.json",
			want: provider.Event{
				ID: "evt_1Ij7Qf2eZvKYlo2Cj3L0rV8s", Type: "charge.dispute.closed", Created: unix(1620000000),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "dp_1Ij0aB2eZvKYlo2CDn7pXy1Q",
					Type:              dispute.Chargeback,
					Status:            dispute.Lost,
					Stage:             dispute.StageChargeback,
					Reason:            "general",
					Amount:            5000, // JPY has no minor unit: 5000 yen
					Currency:          "JPY",
					ChargeReference:   "ch_1Ij0Zx2eZvKYlo2C1Fh0aBc9",
					HappenedAt:        unix(1604483712),
					DueBy:             unix(1606175999),
					HasEvidence:       true,
					PastDue:           true,
					SubmissionCount:   1,
				},
			},
		},
		{
			file: "charge.dispute.closed.warning_closed.2024-06-20.json",
			want: provider.Event{
				ID: "evt_1QW1aaB7WZ01zgkWx1y2z3a4", Type: "charge.dispute.closed", Created: unix(1734000000),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "du_1QNrJcB7WZ01zgkWjHV0b1Xs",
					Type:              dispute.Inquiry,
					Status:            dispute.WarningClosed,
					Stage:             dispute.StageInquiry,
					Reason:            "fraudulent",
					Network:           "visa",
					NetworkReasonCode: "33",
					Amount:            4999,
					Currency:          "USD",
					ChargeReference:   "ch_3QNrHxB7WZ01zgkW0p9XjK2L",
					PaymentReference:  "pi_3QNrHxB7WZ01zgkW0Q2Wm1aT",
					HappenedAt:        unix(1732096800),
					// due_by is null: no due date
				},
			},
		},
		{
			file: "charge.dispute.closed.charge_refunded.2017-02-14.json",
			want: provider.Event{
				ID: "evt_1A4mY02eZvKYlo2Cq7Xx0fGh", Type: "charge.dispute.closed", Created: unix(1491400100),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "dp_1A4mXz2eZvKYlo2Cw9Qb3cJd",
					Type:              dispute.Chargeback,
					Status:            dispute.Lost,
					Stage:             dispute.StageChargeback,
					Reason:            "duplicate",
					Amount:            1000,
					Currency:          "GBP",
					ChargeReference:   "ch_1A4mWz2eZvKYlo2CzN8d5aQe",
					HappenedAt:        unix(1491400000),
					DueBy:             unix(1493078399),
				},
			},
		},
		{
			file: "charge.dispute.created.prevented.2025-08-27.basil.json",
			want: provider.Event{
				ID: "evt_1S2bQqB7WZ01zgkWlmno5pQr", Type: "charge.dispute.created", Created: unix(1757000001),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "du_1S2bQpB7WZ01zgkWb1o2c3K4",
					Type:              dispute.Chargeback,
					Status:            dispute.Won,
					Stage:             dispute.StageChargeback,
					Reason:            "fraudulent",
					Network:           "visa",
					NetworkReasonCode: "10.4",
					Amount:            2500,
					Currency:          "USD",
					ChargeReference:   "ch_3S2bPqB7WZ01zgkW0h9d8u7y",
					HappenedAt:        unix(1757000000),
				},
			},
		},
		{
			file: "charge.dispute.created.paypal.2024-06-20.json",
			want: provider.Event{
				ID: "evt_1QOpPqB7WZ01zgkWqrs7tUvW", Type: "charge.dispute.created", Created: unix(1732200001),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "du_1QOpPpB7WZ01zgkWpAyPaL01",
					Type:              dispute.Chargeback,
					Status:            dispute.NeedsResponse,
					Stage:             dispute.StageChargeback,
					Reason:            "product_not_received",
					Network:           "paypal",
					Amount:            3000,
					Currency:          "USD",
					ChargeReference:   "py_3QOpOoB7WZ01zgkW0q9r8s7t",
					PaymentReference:  "pi_3QOpOoB7WZ01zgkW0aaaBbbb",
					CaseNumber:        "PP-D-27803",
					HappenedAt:        unix(1732200000),
					DueBy:             unix(1606175999),
				},
			},
		},
		{
			// API 2014-11-05: the dispute has no id (its charge names it), evidence_due_by
			// instead of evidence_details, and the dispute fee in its balance transaction.
			file: "charge.dispute.created.2014-11-05.json",
			want: provider.Event{
				ID: "evt_14xQ3u2eZvKYlo2CpX1bA7Qm", Type: "charge.dispute.created", Created: unix(1416312000),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "ch_14xQ1a2eZvKYlo2CkR3sT0Vw",
					Type:              dispute.Chargeback,
					Status:            dispute.NeedsResponse,
					Stage:             dispute.StageChargeback,
					Reason:            "general",
					Amount:            1000,
					Currency:          "USD",
					ChargeReference:   "ch_14xQ1a2eZvKYlo2CkR3sT0Vw",
					HappenedAt:        unix(1416311990),
					DueBy:             unix(1417996799),
					Fees:              []dispute.Fee{{Amount: 1500, Currency: "USD", Description: "Dispute fee", ProviderReference: "txn_14xQ3t2eZvKYlo2Cq8D2eLm4"}},
					Livemode:          true,
				},
			},
		},
		{
			// API 2014-06-17: one balance_transaction, by id, and evidence as one string.
			file: "charge.dispute.updated.2014-06-17.json",
			want: provider.Event{
				ID: "evt_14DtXo2eZvKYlo2C8Gq1ZzUe", Type: "charge.dispute.updated", Created: unix(1404139310),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "ch_14DtWp2eZvKYlo2CqL0rVb9n",
					Type:              dispute.Chargeback,
					Status:            dispute.UnderReview,
					Stage:             dispute.StageChargeback,
					Reason:            "product_not_received",
					Amount:            2000,
					Currency:          "EUR",
					ChargeReference:   "ch_14DtWp2eZvKYlo2CqL0rVb9n",
					HappenedAt:        unix(1404139200),
					DueBy:             unix(1405814399),
					Evidence:          map[string]string{"uncategorized_text": "Delivered on 2014-06-20 to the address given at checkout; tracking 1Z999AA10123456784."},
				},
			},
		},
		{
			// Evidence staged on Stripe's dashboard: text and file fields are kept, the
			// enhanced_evidence object and empty fields are not.
			file: "charge.dispute.updated.evidence.2024-06-20.json",
			want: provider.Event{
				ID: "evt_1QQb4mB7WZ01zgkWhE8r2TgS", Type: "charge.dispute.updated", Created: unix(1732700000),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "du_1QQb2zB7WZ01zgkW5sDfL0Pq",
					Type:              dispute.Chargeback,
					Status:            dispute.NeedsResponse,
					Stage:             dispute.StageChargeback,
					Reason:            "fraudulent",
					Network:           "visa",
					NetworkReasonCode: "10.4",
					Amount:            8900,
					Currency:          "EUR",
					ChargeReference:   "ch_3QQaz8B7WZ01zgkW0xH1tLkc",
					PaymentReference:  "pi_3QQaz8B7WZ01zgkW0n4Rt6Ue",
					HappenedAt:        unix(1732690000),
					DueBy:             unix(1733529599),
					HasEvidence:       true,
					Evidence: map[string]string{
						"billing_address":        "12 Rue de la Paix, 75002 Paris",
						"customer_communication": "file_1QQb40B7WZ01zgkWcA2mP8nB",
						"customer_email_address": "marie@example.fr",
						"customer_purchase_ip":   "203.0.113.7",
						"product_description":    "Annual plan, Pro tier",
					},
					Fees: []dispute.Fee{{Amount: 2000, Currency: "EUR", Description: "Dispute fee", ProviderReference: "txn_1QQb30B7WZ01zgkWfQ6vK2aM"}},
				},
			},
		},
		{
			file: "radar.early_fraud_warning.created.2024-06-20.json",
			want: provider.Event{
				ID: "evt_1QNqZzB7WZ01zgkWe8fX0aB2", Type: "radar.early_fraud_warning.created", Created: unix(1732090001),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "issfr_1QNqZzB7WZ01zgkWl6i0KcB1",
					Type:              dispute.Alert,
					AlertType:         dispute.TC40,
					Status:            dispute.Open,
					Reason:            "fraudulent",
					NetworkReasonCode: "made_with_stolen_card",
					ChargeReference:   "ch_3QNqYyB7WZ01zgkW1bL0aZ9x",
					PaymentReference:  "pi_3QNqYyB7WZ01zgkW1oJ8hG7f",
					HappenedAt:        unix(1732090000),
				},
			},
		},
		{
			file: "radar.early_fraud_warning.updated.2024-06-20.json",
			want: provider.Event{
				ID: "evt_1QNr0aB7WZ01zgkWc3dE4fG5", Type: "radar.early_fraud_warning.updated", Created: unix(1732095000),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "issfr_1QNqZzB7WZ01zgkWl6i0KcB1",
					Type:              dispute.Alert,
					AlertType:         dispute.TC40,
					Status:            dispute.Resolved,
					Reason:            "fraudulent",
					NetworkReasonCode: "made_with_stolen_card",
					ChargeReference:   "ch_3QNqYyB7WZ01zgkW1bL0aZ9x",
					PaymentReference:  "pi_3QNqYyB7WZ01zgkW1oJ8hG7f",
					HappenedAt:        unix(1732090000),
				},
			},
		},
		{
			file: "radar.early_fraud_warning.created.expanded.2020-08-27.json",
			want: provider.Event{
				ID: "evt_1HhYz12eZvKYlo2Cf0g1h2i3", Type: "radar.early_fraud_warning.created", Created: unix(1604480001),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "issfr_1HhYz02eZvKYlo2C2aXbYcZd",
					Type:              dispute.Alert,
					AlertType:         dispute.SAFE,
					Status:            dispute.Open,
					Reason:            "fraudulent",
					NetworkReasonCode: "unauthorized_use_of_card",
					Amount:            1999,
					Currency:          "EUR",
					ChargeReference:   "ch_1HhYyy2eZvKYlo2C7tRr0aZz",
					HappenedAt:        unix(1604480000),
					Livemode:          true,
				},
			},
		},
		{
			file: "customer.created.2024-06-20.json",
			want: provider.Event{ID: "evt_1QA0aaB7WZ01zgkWz9y8x7w6", Type: "customer.created", Created: unix(1730529001)},
		},
	}
	s := New(provider.Config{}, nil)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			got, err := s.Parse(readTestdata(t, tt.file))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

// disputeEvent builds a charge.dispute.updated event around a dispute object.
func disputeEvent(object string) string {
	return `{"id":"evt_1","object":"event","type":"charge.dispute.updated","created":1732096801,"data":{"object":` + object + `}}`
}

func TestParseDisputeFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		object string
		check  func(t *testing.T, d *provider.Dispute)
	}{
		{
			name:   "ISK counted in hundredths by Stripe becomes whole krónur",
			object: `{"id":"du_1","amount":500000,"currency":"isk","status":"needs_response"}`,
			check: func(t *testing.T, d *provider.Dispute) {
				if d.Amount != 5000 || d.Currency != "ISK" {
					t.Errorf("amount = %d %s, want 5000 ISK", d.Amount, d.Currency)
				}
			},
		},
		{
			name:   "MGA counted whole by Stripe gets ISO's two decimals",
			object: `{"id":"du_1","amount":12000,"currency":"mga","status":"needs_response"}`,
			check: func(t *testing.T, d *provider.Dispute) {
				if d.Amount != 1200000 || d.Currency != "MGA" {
					t.Errorf("amount = %d %s, want 1200000 MGA", d.Amount, d.Currency)
				}
			},
		},
		{
			name:   "KWD keeps three decimals",
			object: `{"id":"du_1","amount":12340,"currency":"KWD","status":"needs_response"}`,
			check: func(t *testing.T, d *provider.Dispute) {
				if d.Amount != 12340 || d.Currency != "KWD" {
					t.Errorf("amount = %d %s, want 12340 KWD", d.Amount, d.Currency)
				}
			},
		},
		{
			name:   "expanded charge and payment_intent give their ids",
			object: `{"id":"du_1","amount":100,"currency":"usd","charge":{"id":"ch_9","object":"charge"},"payment_intent":{"id":"pi_9","object":"payment_intent"}}`,
			check: func(t *testing.T, d *provider.Dispute) {
				if d.ChargeReference != "ch_9" || d.PaymentReference != "pi_9" {
					t.Errorf("references = %q %q, want ch_9 pi_9", d.ChargeReference, d.PaymentReference)
				}
			},
		},
		{
			name:   "null charge and payment_intent are not said",
			object: `{"id":"du_1","amount":100,"currency":"usd","charge":null,"payment_intent":null}`,
			check: func(t *testing.T, d *provider.Dispute) {
				if d.ChargeReference != "" || d.PaymentReference != "" {
					t.Errorf("references = %q %q, want none", d.ChargeReference, d.PaymentReference)
				}
			},
		},
		{
			name:   "an unknown status is not said",
			object: `{"id":"du_1","amount":100,"currency":"usd","status":"something_new"}`,
			check: func(t *testing.T, d *provider.Dispute) {
				if d.Status != "" || d.Type != dispute.Chargeback {
					t.Errorf("status, type = %q, %q; want \"\", chargeback", d.Status, d.Type)
				}
			},
		},
		{
			name:   "charge_refunded on an inquiry closes it",
			object: `{"id":"du_1","amount":100,"currency":"usd","status":"charge_refunded","payment_method_details":{"card":{"case_type":"inquiry"}}}`,
			check: func(t *testing.T, d *provider.Dispute) {
				if d.Status != dispute.WarningClosed || d.Type != dispute.Inquiry || d.Stage != dispute.StageInquiry {
					t.Errorf("status, type, stage = %q, %q, %q; want warning_closed, inquiry, inquiry", d.Status, d.Type, d.Stage)
				}
			},
		},
		{
			name:   "prevented by resolution is lost",
			object: `{"id":"du_1","amount":100,"currency":"usd","status":"prevented","payment_method_details":{"card":{"case_type":"resolution"}}}`,
			check: func(t *testing.T, d *provider.Dispute) {
				if d.Status != dispute.Lost {
					t.Errorf("status = %q, want lost", d.Status)
				}
			},
		},
		{
			name:   "prevented without a case type is not said",
			object: `{"id":"du_1","amount":100,"currency":"usd","status":"prevented"}`,
			check: func(t *testing.T, d *provider.Dispute) {
				if d.Status != "" {
					t.Errorf("status = %q, want not said", d.Status)
				}
			},
		},
		{
			name:   "a needs_response dispute is a chargeback whatever case_type says",
			object: `{"id":"du_1","amount":100,"currency":"usd","status":"needs_response","payment_method_details":{"card":{"case_type":"inquiry"}}}`,
			check: func(t *testing.T, d *provider.Dispute) {
				if d.Type != dispute.Chargeback {
					t.Errorf("type = %q, want chargeback", d.Type)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := parse([]byte(disputeEvent(tt.object)))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if ev.Dispute == nil {
				t.Fatal("Parse: no dispute")
			}
			tt.check(t, ev.Dispute)
		})
	}
}

func TestParseOtherEvents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want provider.Event
	}{
		{
			name: "an event type we do not handle, whatever its data",
			body: `{"id":"evt_2","object":"event","type":"invoice.paid","created":1732096801,"data":"odd"}`,
			want: provider.Event{ID: "evt_2", Type: "invoice.paid", Created: unix(1732096801)},
		},
		{
			name: "a v2 thin event notification",
			body: `{"id":"evt_test_65R9Ijk8","object":"v2.core.event","type":"v1.billing.meter.error_report_triggered","created":"2024-09-17T06:20:52.246Z","related_object":{"id":"mtr_1","type":"billing.meter","url":"/v1/billing/meters/mtr_1"}}`,
			want: provider.Event{
				ID: "evt_test_65R9Ijk8", Type: "v1.billing.meter.error_report_triggered",
				Created: time.Date(2024, 9, 17, 6, 20, 52, 246e6, time.UTC),
			},
		},
		{
			name: "a refund that failed moved no money",
			body: `{"id":"evt_4","type":"refund.updated","created":1732096801,"data":{"object":{"id":"re_1","object":"refund","amount":100,"currency":"eur","charge":"ch_1","payment_intent":null,"status":"failed"}}}`,
			want: provider.Event{ID: "evt_4", Type: "refund.updated", Created: unix(1732096801),
				Refund: &provider.RefundReport{ID: "re_1", ChargeReference: "ch_1", Amount: 100, Currency: "EUR", Status: "failed"}},
		},
		{
			name: "an event without created",
			body: `{"id":"evt_3","type":"payout.paid"}`,
			want: provider.Event{ID: "evt_3", Type: "payout.paid"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parse([]byte(tt.body))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		body      string
		wantParam string // the field the error names
	}{
		{"not JSON", `{"id":`, ""},
		{"not an object", `[1,2]`, ""},
		{"empty body", ``, ""},
		{"null", `null`, "id"},
		{"no id", `{"type":"charge.dispute.created","data":{"object":{}}}`, "id"},
		{"no type", `{"id":"evt_1","data":{"object":{}}}`, "type"},
		{"id not a string", `{"id":12,"type":"x"}`, "id"},
		{"negative created", `{"id":"evt_1","type":"x","created":-5}`, "created"},
		{"created not an integer", `{"id":"evt_1","type":"x","created":1.5}`, "created"},
		{"created not a time", `{"id":"evt_1","type":"x","created":"yesterday"}`, "created"},
		{"created an object", `{"id":"evt_1","type":"x","created":{}}`, "created"},
		{"dispute without data", `{"id":"evt_1","type":"charge.dispute.created"}`, "data"},
		{"dispute with null object", `{"id":"evt_1","type":"charge.dispute.created","data":{"object":null}}`, "data.object"},
		{"dispute object not an object", disputeEvent(`"du_1"`), "data.object"},
		{"dispute without id", disputeEvent(`{"amount":100,"currency":"usd"}`), "data.object.id"},
		{"dispute without currency", disputeEvent(`{"id":"du_1","amount":100}`), "data.object.currency"},
		{"dispute with an unknown currency", disputeEvent(`{"id":"du_1","amount":100,"currency":"zzz"}`), "data.object.currency"},
		{"dispute with a negative amount", disputeEvent(`{"id":"du_1","amount":-100,"currency":"usd"}`), "data.object.amount"},
		{"dispute with a fractional amount", disputeEvent(`{"id":"du_1","amount":10.5,"currency":"usd"}`), "data.object.amount"},
		{"dispute with fractional krónur", disputeEvent(`{"id":"du_1","amount":4010,"currency":"isk"}`), "data.object.amount"},
		{"MGA amount that overflows", disputeEvent(`{"id":"du_1","amount":9223372036854775807,"currency":"mga"}`), "data.object.amount"},
		{"charge is a number", disputeEvent(`{"id":"du_1","amount":1,"currency":"usd","charge":12}`), "data.object.charge"},
		{"expanded charge without id", disputeEvent(`{"id":"du_1","amount":1,"currency":"usd","charge":{"object":"charge"}}`), "data.object.charge.id"},
		{"payment_intent is a list", disputeEvent(`{"id":"du_1","amount":1,"currency":"usd","payment_intent":[]}`), "data.object.payment_intent"},
		{"due_by not a number", disputeEvent(`{"id":"du_1","amount":1,"currency":"usd","evidence_details":{"due_by":"soon"}}`), "data.object.evidence_details.due_by"},
		{"status not a string", disputeEvent(`{"id":"du_1","amount":1,"currency":"usd","status":true}`), "data.object.status"},
		{"warning without id", `{"id":"evt_1","type":"radar.early_fraud_warning.created","data":{"object":{"charge":"ch_1"}}}`, "data.object.id"},
		{"warning with a bad expanded charge currency", `{"id":"evt_1","type":"radar.early_fraud_warning.created","data":{"object":{"id":"issfr_1","charge":{"id":"ch_1","amount":5,"currency":"us"}}}}`, "data.object.charge.currency"},
		{"warning with actionable not a boolean", `{"id":"evt_1","type":"radar.early_fraud_warning.updated","data":{"object":{"id":"issfr_1","actionable":"no"}}}`, "data.object.actionable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := parse([]byte(tt.body))
			if !errors.Is(err, provider.ErrPayload) {
				t.Fatalf("Parse = %+v, %v; want an error wrapping ErrPayload", ev, err)
			}
			fe, ok := fault.As(err)
			if !ok {
				t.Fatalf("Parse error %v carries no *fault.Error", err)
			}
			if fe.Kind != fault.Malformed {
				t.Errorf("kind = %v, want Malformed", fe.Kind)
			}
			if fe.Param != tt.wantParam {
				t.Errorf("param = %q, want %q (error: %v)", fe.Param, tt.wantParam, err)
			}
			if strings.TrimSpace(err.Error()) == "" {
				t.Error("empty error message")
			}
		})
	}
}
