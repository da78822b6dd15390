package paypal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/provider"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseTestdata(t *testing.T) {
	t.Parallel()
	inquiry := provider.Dispute{
		ProviderDisputeID: "PP-000-042-663-135",
		CaseNumber:        "PP-000-042-663-135",
		Type:              dispute.Inquiry,
		Stage:             dispute.StageInquiry,
		Reason:            "product_not_received",
		Amount:            300,
		Currency:          "USD",
		ChargeReference:   "00D10444LD479031K",
		HappenedAt:        at("2018-06-21T13:35:44Z"),
		// dispute_channel INTERNAL, seller_protection_eligible true
		Channel:          dispute.ChannelProvider,
		SellerProtection: dispute.SellerProtectionEligible,
	}
	chargeback := provider.Dispute{
		ProviderDisputeID: "PP-D-98852",
		CaseNumber:        "PP-D-98852",
		Type:              dispute.Chargeback,
		Stage:             dispute.StageChargeback,
		Reason:            "fraudulent",
		NetworkReasonCode: "10.4",
		Amount:            4999,
		Currency:          "EUR",
		ChargeReference:   "3GG279541U471931P",
		PaymentReference:  "1WT05823XP2261744",
		HappenedAt:        at("2026-11-20T09:59:51Z"),
		Livemode:          true,
		Channel:           dispute.ChannelNetwork, // EXTERNAL
		SellerProtection:  dispute.SellerProtectionEligible,
	}
	with := func(d provider.Dispute, f func(*provider.Dispute)) *provider.Dispute {
		f(&d)
		return &d
	}
	tests := []struct {
		file string
		want provider.Event
	}{
		{"inquiry_created.json", provider.Event{
			ID: "WH-4M0448861G563140B-9EX36365822141321", Type: EventDisputeCreated, Created: at("2018-06-21T13:36:33Z"),
			// OPEN: a new case, the merchant's move.
			Dispute: with(inquiry, func(d *provider.Dispute) { d.Status = dispute.WarningNeedsResponse }),
		}},
		{"inquiry_updated.json", provider.Event{
			ID: "WH-1FD90547RD402412R-6KW50389SF0519316", Type: EventDisputeUpdated, Created: at("2018-06-22T09:12:05Z"),
			Dispute: with(inquiry, func(d *provider.Dispute) {
				d.Status = dispute.WarningNeedsResponse
				d.PaymentReference = "8TV24367UC5186823"
				d.DueBy = at("2018-07-11T13:35:44Z")
			}),
		}},
		{"inquiry_resolved.json", provider.Event{
			ID: "WH-0A7613207W437302C-1DD36380PX462632Y", Type: EventDisputeResolved, Created: at("2018-06-25T16:48:07Z"),
			Dispute: with(inquiry, func(d *provider.Dispute) {
				d.Status = dispute.WarningClosed // canceled by the buyer
				d.PaymentReference = "8TV24367UC5186823"
			}),
		}},
		{"inquiry_resolved_buyer.json", provider.Event{
			ID: "WH-6JT19361L3553025V-47C72843RY3081130", Type: EventDisputeResolved, Created: at("2019-03-04T11:02:40Z"),
			Dispute: &provider.Dispute{
				ProviderDisputeID: "PP-D-21047", CaseNumber: "PP-D-21047",
				Type: dispute.Inquiry, Stage: dispute.StageInquiry, Status: dispute.Lost,
				Reason: "product_unacceptable", Amount: 1200, Currency: "JPY",
				ChargeReference: "5HR75413MG7196336", PaymentReference: "2CV07012E3853213C",
				HappenedAt: at("2019-02-20T08:30:12Z"), AmountRefunded: 1200, Livemode: true,
				Channel: dispute.ChannelProvider, SellerProtection: dispute.SellerProtectionNotEligible,
			},
		}},
		{"chargeback_under_review_no_stage.json", provider.Event{
			// UNDER_REVIEW without dispute_life_cycle_stage: PayPal reviews, the merchant waits.
			ID: "WH-3KL94017TX2896514-2UV63152AB0874432", Type: EventDisputeCreated, Created: at("2026-11-24T16:20:09.871Z"),
			Dispute: &provider.Dispute{
				ProviderDisputeID: "PP-R-NMW-10060094", CaseNumber: "PP-R-NMW-10060094",
				Type: dispute.Chargeback, Status: dispute.UnderReview,
				Reason: "product_not_received", Amount: 12000, Currency: "USD",
				ChargeReference: "7PV35562FB0361729", PaymentReference: "0MH48016RK1732149",
				HappenedAt: at("2026-11-24T16:19:58Z"), DueBy: at("2026-12-04T16:19:58Z"), Livemode: true,
				SellerProtection: dispute.SellerProtectionEligible,
			},
		}},
		{"chargeback_resolved_partial_refund.json", provider.Event{
			// The buyer's favour with a partial refund: the loss is the 30.00 refunded.
			ID: "WH-7YN21538JS4406117-9CB27410GE5581837", Type: EventDisputeResolved, Created: at("2026-12-20T12:40:33.205Z"),
			Dispute: &provider.Dispute{
				ProviderDisputeID: "PP-D-98853", CaseNumber: "PP-D-98853",
				Type: dispute.Chargeback, Stage: dispute.StageChargeback, Status: dispute.Lost,
				Reason: "product_unacceptable", Amount: 8000, Currency: "USD", AmountRefunded: 3000,
				ChargeReference: "9RK52113HM4087306", PaymentReference: "5DN38904LE1216405",
				HappenedAt: at("2026-11-21T08:12:40Z"), Livemode: true,
				Channel: dispute.ChannelProvider, SellerProtection: dispute.SellerProtectionNotEligible,
			},
		}},
		{"chargeback_created.json", provider.Event{
			ID: "WH-8R2367212S471384K-5YK47357XB3496044", Type: EventDisputeCreated, Created: at("2026-11-20T10:00:04.322Z"),
			Dispute: with(chargeback, func(d *provider.Dispute) {
				d.Status = dispute.NeedsResponse
				d.DueBy = at("2026-11-30T09:59:51Z")
			}),
		}},
		{"chargeback_updated.json", provider.Event{
			ID: "WH-2WR32451HC0233532-67976317FL4543714", Type: EventDisputeUpdated, Created: at("2026-11-22T14:31:40.118Z"),
			Dispute: with(chargeback, func(d *provider.Dispute) { d.Status = dispute.UnderReview }),
		}},
		{"chargeback_resolved.json", provider.Event{
			ID: "WH-55J13838D9826612B-0HF03420K6580151F", Type: EventDisputeResolved, Created: at("2026-12-18T08:05:13.540Z"),
			Dispute: with(chargeback, func(d *provider.Dispute) { d.Status = dispute.Won }),
		}},
		{"payment_capture_completed.json", provider.Event{
			ID: "WH-58D329510W468432D-8HN650336L201105X", Type: "PAYMENT.CAPTURE.COMPLETED", Created: at("2026-10-30T17:21:11.364Z"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			p := New(provider.Config{Type: TypeName}, nil)
			got, err := p.Parse(readTestdata(t, tt.file))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !sameEvent(got, tt.want) {
				t.Errorf("Parse =\n%s\nwant\n%s", showEvent(got), showEvent(tt.want))
			}
		})
	}
}

func sameEvent(a, b provider.Event) bool {
	if a.ID != b.ID || a.Type != b.Type || !a.Created.Equal(b.Created) || (a.Dispute == nil) != (b.Dispute == nil) {
		return false
	}
	if a.Dispute == nil {
		return true
	}
	x, y := *a.Dispute, *b.Dispute
	if !x.HappenedAt.Equal(y.HappenedAt) || !x.DueBy.Equal(y.DueBy) {
		return false
	}
	x.HappenedAt, x.DueBy, y.HappenedAt, y.DueBy = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(x, y)
}

func showEvent(e provider.Event) string {
	s := fmt.Sprintf("%s %s %s", e.ID, e.Type, e.Created.Format(time.RFC3339Nano))
	if e.Dispute != nil {
		s += fmt.Sprintf("\n%+v", *e.Dispute)
	}
	return s
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
	}{
		{"not json", `{"id": `},
		{"trailing data", `{"id":"WH-1","event_type":"X"} {}`},
		{"array", `[]`},
		{"no id", `{"event_type":"CUSTOMER.DISPUTE.CREATED","resource":{"dispute_id":"PP-D-1"}}`},
		{"no event type", `{"id":"WH-1"}`},
		{"id of the wrong type", `{"id":7,"event_type":"X"}`},
		{"bad create_time", `{"id":"WH-1","event_type":"X","create_time":"yesterday"}`},
		{"dispute without resource", `{"id":"WH-1","event_type":"CUSTOMER.DISPUTE.UPDATED"}`},
		{"dispute with null resource", `{"id":"WH-1","event_type":"CUSTOMER.DISPUTE.UPDATED","resource":null}`},
		{"resource not an object", `{"id":"WH-1","event_type":"CUSTOMER.DISPUTE.UPDATED","resource":"PP-D-1"}`},
		{"no dispute_id", `{"id":"WH-1","event_type":"CUSTOMER.DISPUTE.CREATED","resource":{"status":"OPEN"}}`},
		{"amount is a number", `{"id":"WH-1","event_type":"CUSTOMER.DISPUTE.CREATED","resource":{"dispute_id":"PP-D-1","dispute_amount":{"currency_code":"USD","value":3}}}`},
		{"amount with too many decimals", `{"id":"WH-1","event_type":"CUSTOMER.DISPUTE.CREATED","resource":{"dispute_id":"PP-D-1","dispute_amount":{"currency_code":"JPY","value":"3.50"}}}`},
		{"amount without currency", `{"id":"WH-1","event_type":"CUSTOMER.DISPUTE.CREATED","resource":{"dispute_id":"PP-D-1","dispute_amount":{"value":"3.00"}}}`},
		{"unknown currency", `{"id":"WH-1","event_type":"CUSTOMER.DISPUTE.CREATED","resource":{"dispute_id":"PP-D-1","dispute_amount":{"currency_code":"XYZ","value":"3.00"}}}`},
		{"negative amount", `{"id":"WH-1","event_type":"CUSTOMER.DISPUTE.CREATED","resource":{"dispute_id":"PP-D-1","dispute_amount":{"currency_code":"USD","value":"-3.00"}}}`},
		{"negative amount refunded", `{"id":"WH-1","event_type":"CUSTOMER.DISPUTE.RESOLVED","resource":{"dispute_id":"PP-D-1","dispute_outcome":{"outcome_code":"ACCEPTED","amount_refunded":{"currency_code":"USD","value":"-3.00"}}}}`},
		{"amount refunded without currency", `{"id":"WH-1","event_type":"CUSTOMER.DISPUTE.RESOLVED","resource":{"dispute_id":"PP-D-1","dispute_outcome":{"outcome_code":"ACCEPTED","amount_refunded":{"value":"3.00"}}}}`},
		{"bad due date", `{"id":"WH-1","event_type":"CUSTOMER.DISPUTE.CREATED","resource":{"dispute_id":"PP-D-1","seller_response_due_date":"2026-13-01"}}`},
		{"bad dispute create_time", `{"id":"WH-1","event_type":"CUSTOMER.DISPUTE.CREATED","resource":{"dispute_id":"PP-D-1","create_time":"1700000000"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := New(provider.Config{}, nil).Parse([]byte(tt.body))
			if !errors.Is(err, provider.ErrPayload) {
				t.Fatalf("Parse(%s) = %+v, %v; want ErrPayload", tt.body, ev, err)
			}
			if ev.ID != "" || ev.Dispute != nil {
				t.Errorf("Parse returned %+v with its error", ev)
			}
		})
	}
}

func TestParseOtherEventsCarryNoDispute(t *testing.T) {
	t.Parallel()
	// A resource we do not read may have any shape.
	body := `{"id":"WH-2","event_type":"RISK.DISPUTE.CREATED","resource":"anything","create_time":"2026-11-20T10:00:00Z"}`
	ev, err := New(provider.Config{}, nil).Parse([]byte(body))
	if err != nil || ev.Dispute != nil || ev.ID != "WH-2" || ev.Type != "RISK.DISPUTE.CREATED" {
		t.Errorf("Parse = %+v, %v; want an event without dispute", ev, err)
	}
}

func TestParseResolvedWithoutStatus(t *testing.T) {
	t.Parallel()
	// The event type says it is resolved even when the resource leaves status out.
	body := `{"id":"WH-3","event_type":"CUSTOMER.DISPUTE.RESOLVED","resource":{"dispute_id":"PP-D-3",
		"dispute_life_cycle_stage":"CHARGEBACK","dispute_outcome":{"outcome_code":"ACCEPTED"}}}`
	ev, err := New(provider.Config{}, nil).Parse([]byte(body))
	if err != nil || ev.Dispute == nil || ev.Dispute.Status != dispute.Lost {
		t.Fatalf("Parse = %+v, %v; want a lost dispute", ev, err)
	}
}

func TestLivemode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, apiBase, links string
		want                 bool
	}{
		{"live link", "", `[{"href":"https://api.paypal.com/v1/notifications/webhooks-events/WH-1","rel":"self"}]`, true},
		{"sandbox link", "", `[{"href":"https://api.sandbox.paypal.com/v1/notifications/webhooks-events/WH-1","rel":"self"}]`, false},
		{"sandbox api-m link beats live config", "https://api-m.paypal.com", `[{"href":"https://api-m.sandbox.paypal.com/v1/x","rel":"self"}]`, false},
		{"no links, default base", "", `[]`, true},
		{"no links, sandbox base", "https://api-m.sandbox.paypal.com", `[]`, false},
		{"foreign link is ignored", "https://api-m.sandbox.paypal.com", `[{"href":"https://example.com/x"}]`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := `{"id":"WH-1","event_type":"CUSTOMER.DISPUTE.UPDATED","resource":{"dispute_id":"PP-D-1"},"links":` + tt.links + `}`
			ev, err := New(provider.Config{APIBase: tt.apiBase}, nil).Parse([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			if ev.Dispute.Livemode != tt.want {
				t.Errorf("Livemode = %v, want %v", ev.Dispute.Livemode, tt.want)
			}
		})
	}
}

// TestMapStatus covers every status and outcome of PayPal's Disputes API for both types. The
// stage does not enter: a payload without dispute_life_cycle_stage is a chargeback (mapStage),
// and UNDER_REVIEW is under review whatever the stage.
func TestMapStatus(t *testing.T) {
	t.Parallel()
	const (
		inq = dispute.Inquiry
		cb  = dispute.Chargeback
	)
	tests := []struct {
		typ             dispute.Type
		status, outcome string
		want            dispute.Status
	}{
		{inq, "OPEN", "", dispute.WarningNeedsResponse},
		{inq, "WAITING_FOR_SELLER_RESPONSE", "", dispute.WarningNeedsResponse},
		{inq, "WAITING_FOR_BUYER_RESPONSE", "", dispute.WarningUnderReview},
		{inq, "UNDER_REVIEW", "", dispute.WarningUnderReview},
		{inq, "RESOLVED", "RESOLVED_SELLER_FAVOUR", dispute.WarningClosed},
		{inq, "RESOLVED", "CANCELED_BY_BUYER", dispute.WarningClosed},
		{inq, "RESOLVED", "DENIED", dispute.WarningClosed},
		{inq, "RESOLVED", "NONE", dispute.WarningClosed},
		{inq, "RESOLVED", "", dispute.WarningClosed},
		{inq, "RESOLVED", "RESOLVED_BUYER_FAVOUR", dispute.Lost},
		{inq, "RESOLVED", "ACCEPTED", dispute.Lost},
		{inq, "RESOLVED", "RESOLVED_WITH_PAYOUT", dispute.Lost},
		{inq, "RESOLVED", "SOMETHING_NEW", ""},
		{inq, "OTHER", "", ""},
		{inq, "", "", ""},

		{cb, "OPEN", "", dispute.NeedsResponse},
		{cb, "WAITING_FOR_SELLER_RESPONSE", "", dispute.NeedsResponse},
		{cb, "WAITING_FOR_BUYER_RESPONSE", "", dispute.UnderReview},
		{cb, "UNDER_REVIEW", "", dispute.UnderReview},
		{cb, "RESOLVED", "RESOLVED_SELLER_FAVOUR", dispute.Won},
		{cb, "RESOLVED", "RESOLVED_SELLER_FAVOR", dispute.Won},
		{cb, "RESOLVED", "CANCELED_BY_BUYER", dispute.Won},
		{cb, "RESOLVED", "DENIED", dispute.Won},
		{cb, "RESOLVED", "RESOLVED_BUYER_FAVOUR", dispute.Lost},
		{cb, "RESOLVED", "RESOLVED_BUYER_FAVOR", dispute.Lost},
		{cb, "RESOLVED", "ACCEPTED", dispute.Lost},
		{cb, "RESOLVED", "RESOLVED_WITH_PAYOUT", dispute.Lost},
		{cb, "RESOLVED", "NONE", ""},
		{cb, "RESOLVED", "", ""},
		{cb, "OTHER", "", ""},
		{cb, "", "", ""},
	}
	for _, tt := range tests {
		if got := mapStatus(tt.typ, tt.status, tt.outcome); got != tt.want {
			t.Errorf("mapStatus(%s, %q, %q) = %q, want %q", tt.typ, tt.status, tt.outcome, got, tt.want)
		}
	}
}

// TestParseStatusWithoutStage reads UNDER_REVIEW and the other open statuses from payloads
// that leave dispute_life_cycle_stage out, at every stage PayPal has: PayPal's review never asks
// the merchant to act.
func TestParseStatusWithoutStage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		stage, status string
		want          dispute.Status
	}{
		{"", "UNDER_REVIEW", dispute.UnderReview},
		{"", "WAITING_FOR_BUYER_RESPONSE", dispute.UnderReview},
		{"", "WAITING_FOR_SELLER_RESPONSE", dispute.NeedsResponse},
		{"INQUIRY", "UNDER_REVIEW", dispute.WarningUnderReview},
		{"CHARGEBACK", "UNDER_REVIEW", dispute.UnderReview},
		{"PRE_ARBITRATION", "UNDER_REVIEW", dispute.UnderReview},
		{"ARBITRATION", "UNDER_REVIEW", dispute.UnderReview},
		{"A_STAGE_PAYPAL_ADDS_LATER", "UNDER_REVIEW", dispute.UnderReview},
	}
	for _, tt := range tests {
		stage := ""
		if tt.stage != "" {
			stage = `,"dispute_life_cycle_stage":"` + tt.stage + `"`
		}
		body := `{"id":"WH-5","event_type":"CUSTOMER.DISPUTE.UPDATED","resource":{"dispute_id":"PP-D-5","status":"` + tt.status + `"` + stage + `}}`
		ev, err := New(provider.Config{}, nil).Parse([]byte(body))
		if err != nil || ev.Dispute.Status != tt.want {
			t.Errorf("stage %q status %s: Parse = %+v, %v; want %s", tt.stage, tt.status, ev.Dispute, err, tt.want)
		}
	}
}

func TestMapStage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		stage, channel string
		typ            dispute.Type
		want           dispute.Stage
	}{
		{"INQUIRY", "INTERNAL", dispute.Inquiry, dispute.StageInquiry},
		{"INQUIRY", "EXTERNAL", dispute.Inquiry, dispute.StageInquiry},
		{"CHARGEBACK", "INTERNAL", dispute.Chargeback, dispute.StageChargeback},
		{"CHARGEBACK", "EXTERNAL", dispute.Chargeback, dispute.StageChargeback},
		{"PRE_ARBITRATION", "", dispute.Chargeback, dispute.StagePreArbitration},
		{"ARBITRATION", "", dispute.Chargeback, dispute.StageArbitration},
		{"", "EXTERNAL", dispute.Chargeback, dispute.StageChargeback},
		{"", "INTERNAL", dispute.Chargeback, ""},
		{"", "", dispute.Chargeback, ""},
		{"SECOND_ARBITRATION", "INTERNAL", dispute.Chargeback, ""},
	}
	for _, tt := range tests {
		typ, stage := mapStage(tt.stage, tt.channel)
		if typ != tt.typ || stage != tt.want {
			t.Errorf("mapStage(%q, %q) = %s, %q; want %s, %q", tt.stage, tt.channel, typ, stage, tt.typ, tt.want)
		}
	}
}

func TestMapReason(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"MERCHANDISE_OR_SERVICE_NOT_RECEIVED":     "product_not_received",
		"MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED": "product_unacceptable",
		"UNAUTHORISED":               "fraudulent",
		"CREDIT_NOT_PROCESSED":       "credit_not_processed",
		"DUPLICATE_TRANSACTION":      "duplicate",
		"INCORRECT_AMOUNT":           "general",
		"PAYMENT_BY_OTHER_MEANS":     "duplicate",
		"CANCELED_RECURRING_BILLING": "subscription_canceled",
		"PROBLEM_WITH_REMITTANCE":    "general",
		"OTHER":                      "general",
		"A_REASON_PAYPAL_ADDS_LATER": "general",
		"":                           "",
	}
	for in, want := range tests {
		if got := mapReason(in); got != want {
			t.Errorf("mapReason(%q) = %q, want %q", in, got, want)
		}
	}
}
