package paypal

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/money"
	"disputed/internal/provider"
)

// The notifications about disputes (Disputes API v1). Others are read as events with no dispute.
const (
	EventDisputeCreated  = "CUSTOMER.DISPUTE.CREATED"
	EventDisputeUpdated  = "CUSTOMER.DISPUTE.UPDATED"
	EventDisputeResolved = "CUSTOMER.DISPUTE.RESOLVED"
)

// envelope is a webhook notification; resource depends on event_type.
type envelope struct {
	ID         string          `json:"id"`
	EventType  string          `json:"event_type"`
	CreateTime string          `json:"create_time"`
	Resource   json.RawMessage `json:"resource"`
	Links      []struct {
		Href string `json:"href"`
		Rel  string `json:"rel"`
	} `json:"links"`
}

// disputeResource holds the fields we read of a Disputes API v1 dispute; the rest is ignored.
type disputeResource struct {
	DisputeID            string `json:"dispute_id"`
	CreateTime           string `json:"create_time"`
	DisputedTransactions []struct {
		SellerTransactionID      string `json:"seller_transaction_id"`
		BuyerTransactionID       string `json:"buyer_transaction_id"`
		SellerProtectionEligible *bool  `json:"seller_protection_eligible"`
	} `json:"disputed_transactions"`
	Reason                string  `json:"reason"`
	Status                string  `json:"status"`
	DisputeAmount         *amount `json:"dispute_amount"`
	Stage                 string  `json:"dispute_life_cycle_stage"`
	Channel               string  `json:"dispute_channel"`
	SellerResponseDueDate string  `json:"seller_response_due_date"`
	DisputeOutcome        *struct {
		OutcomeCode    string  `json:"outcome_code"`
		AmountRefunded *amount `json:"amount_refunded"`
	} `json:"dispute_outcome"`
	ExternalReasonCode string `json:"external_reason_code"`
}

// amount is PayPal's money object: a decimal string in a currency.
type amount struct {
	CurrencyCode string `json:"currency_code"`
	Value        string `json:"value"`
}

// said reports whether the object holds anything.
func (a *amount) said() bool { return a != nil && (a.Value != "" || a.CurrencyCode != "") }

// read returns the amount in minor units and its upper-case currency; field names it in errors.
func (a *amount) read(field string) (int64, string, error) {
	currency, err := money.ParseCurrency(a.CurrencyCode)
	if err != nil {
		return 0, "", payloadErr("%s: %v", field, err)
	}
	minor, err := money.ParseDecimal(a.Value, currency)
	if err != nil {
		return 0, "", payloadErr("%s: %v", field, err)
	}
	if minor < 0 {
		return 0, "", payloadErr("%s %s is negative", field, a.Value)
	}
	return minor, currency, nil
}

// Parse reads a verified notification. CUSTOMER.DISPUTE.CREATED, UPDATED and RESOLVED carry a
// Dispute; PAYMENT.CAPTURE.COMPLETED a Charge, PAYMENT.CAPTURE.REFUNDED and REVERSED a Refund
// (see readPayment); any other event type is returned with none. Malformed JSON, a missing id or
// event type, a dispute without dispute_id, or an unreadable time or amount is an error wrapping
// provider.ErrPayload.
func (p *PayPal) Parse(body []byte) (provider.Event, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return provider.Event{}, payloadErr("not a PayPal notification: %v", err)
	}
	if env.ID == "" {
		return provider.Event{}, payloadErr("notification has no id")
	}
	if env.EventType == "" {
		return provider.Event{}, payloadErr("notification %s has no event_type", env.ID)
	}
	created, err := parseTime("create_time", env.CreateTime)
	if err != nil {
		return provider.Event{}, err
	}
	ev := provider.Event{ID: env.ID, Type: env.EventType, Created: created}
	switch env.EventType {
	case EventDisputeCreated, EventDisputeUpdated, EventDisputeResolved:
	case EventCaptureCompleted, EventCaptureRefunded, EventCaptureReversed:
		if err := readPayment(&ev, env.Resource, p.livemode(env)); err != nil {
			return provider.Event{}, err
		}
		return ev, nil
	default:
		return ev, nil
	}
	if len(env.Resource) == 0 || string(env.Resource) == "null" {
		return provider.Event{}, payloadErr("%s %s has no resource", env.EventType, env.ID)
	}
	var r disputeResource
	if err := json.Unmarshal(env.Resource, &r); err != nil {
		return provider.Event{}, payloadErr("%s %s: resource is not a dispute: %v", env.EventType, env.ID, err)
	}
	d, err := r.toDispute(env.EventType)
	if err != nil {
		return provider.Event{}, err
	}
	d.Livemode = p.livemode(env)
	ev.Dispute = d
	return ev, nil
}

func (r *disputeResource) toDispute(eventType string) (*provider.Dispute, error) {
	if r.DisputeID == "" {
		return nil, payloadErr("dispute has no dispute_id")
	}
	d := &provider.Dispute{
		ProviderDisputeID: r.DisputeID,
		CaseNumber:        r.DisputeID, // PayPal shows the merchant the dispute id as the case number
		Reason:            mapReason(r.Reason),
		NetworkReasonCode: r.ExternalReasonCode,
	}
	var err error
	if d.HappenedAt, err = parseTime("resource.create_time", r.CreateTime); err != nil {
		return nil, err
	}
	if d.DueBy, err = parseTime("resource.seller_response_due_date", r.SellerResponseDueDate); err != nil {
		return nil, err
	}
	if r.DisputeAmount.said() {
		if d.Amount, d.Currency, err = r.DisputeAmount.read("dispute_amount"); err != nil {
			return nil, err
		}
	}
	// The seller's id is the one the merchant holds (PayPal's capture id); the buyer's id of the
	// same payment is kept as the second reference for matching by hand.
	for _, t := range r.DisputedTransactions {
		if t.SellerProtectionEligible != nil && d.SellerProtection == "" {
			d.SellerProtection = dispute.SellerProtectionNotEligible
			if *t.SellerProtectionEligible {
				d.SellerProtection = dispute.SellerProtectionEligible
			}
		}
		if t.SellerTransactionID != "" {
			d.ChargeReference, d.PaymentReference = t.SellerTransactionID, t.BuyerTransactionID
			break
		}
		if d.PaymentReference == "" {
			d.PaymentReference = t.BuyerTransactionID
		}
	}

	d.Type, d.Stage = mapStage(r.Stage, r.Channel)
	switch r.Channel {
	case "INTERNAL": // opened in PayPal's Resolution Center: PayPal decides
		d.Channel = dispute.ChannelProvider
	case "EXTERNAL": // opened with the card issuer: the network decides
		d.Channel = dispute.ChannelNetwork
	}
	status := r.Status
	if status == "" && eventType == EventDisputeResolved {
		status = "RESOLVED"
	}
	outcome := ""
	if o := r.DisputeOutcome; o != nil {
		outcome = o.OutcomeCode
		if o.AmountRefunded.said() {
			refunded, currency, err := o.AmountRefunded.read("dispute_outcome.amount_refunded")
			if err != nil {
				return nil, err
			}
			// A refund in another currency than the one disputed cannot say how much of the
			// disputed amount was lost: it is not said, and the whole amount is.
			if currency == d.Currency {
				d.AmountRefunded = refunded
			}
		}
	}
	d.Status = mapStatus(d.Type, status, outcome)
	return d, nil
}

// stages maps dispute_life_cycle_stage. An INQUIRY is PayPal's conversation between buyer and
// seller before a claim; everything from CHARGEBACK (PayPal's claim, or a card chargeback) on is
// a chargeback in our terms.
var stages = map[string]dispute.Stage{
	"INQUIRY":         dispute.StageInquiry,
	"CHARGEBACK":      dispute.StageChargeback,
	"PRE_ARBITRATION": dispute.StagePreArbitration,
	"ARBITRATION":     dispute.StageArbitration,
}

// mapStage returns the type and stage. A missing stage on an EXTERNAL dispute (a card
// chargeback that reached PayPal through the card network) is a chargeback. Otherwise a missing
// or unknown stage gives a chargeback with no stage: the type whose statuses say plainly whether
// the merchant must act, and no stage rather than a guessed one.
func mapStage(stage, channel string) (dispute.Type, dispute.Stage) {
	s, ok := stages[stage]
	switch {
	case ok && s == dispute.StageInquiry:
		return dispute.Inquiry, s
	case ok:
		return dispute.Chargeback, s
	case stage == "" && channel == "EXTERNAL":
		return dispute.Chargeback, dispute.StageChargeback
	}
	return dispute.Chargeback, ""
}

// Outcome codes, grouped by who they favour. PayPal spells FAVOUR the British way in outcome
// codes but not everywhere else, so both spellings are read.
var (
	merchantOutcomes = map[string]bool{
		"RESOLVED_SELLER_FAVOUR": true, "RESOLVED_SELLER_FAVOR": true,
		"CANCELED_BY_BUYER": true, "CANCELLED_BY_BUYER": true,
		"DENIED": true, // the buyer's claim was denied
	}
	buyerOutcomes = map[string]bool{
		"RESOLVED_BUYER_FAVOUR": true, "RESOLVED_BUYER_FAVOR": true,
		"ACCEPTED":             true, // the merchant accepted the claim: the buyer was refunded
		"RESOLVED_WITH_PAYOUT": true, // PayPal paid the buyer
	}
)

// openStatuses maps the status of a dispute that is not resolved, for an inquiry and for a
// chargeback, whatever its stage (PayPal leaves dispute_life_cycle_stage out of some payloads).
// The merchant must act when PayPal waits for the seller, and on a new case (OPEN) before either
// side has acted, which PayPal's flow answers by giving evidence or accepting. A dispute waiting
// for the buyer or under PayPal's review waits on someone else: it is under review, and its due
// date does not make it lost.
var openStatuses = map[string]struct{ inquiry, chargeback dispute.Status }{
	"OPEN":                        {dispute.WarningNeedsResponse, dispute.NeedsResponse},
	"WAITING_FOR_SELLER_RESPONSE": {dispute.WarningNeedsResponse, dispute.NeedsResponse},
	"WAITING_FOR_BUYER_RESPONSE":  {dispute.WarningUnderReview, dispute.UnderReview},
	"UNDER_REVIEW":                {dispute.WarningUnderReview, dispute.UnderReview},
}

// mapStatus maps status and outcome to ours.
//
//   - An open status follows openStatuses.
//   - RESOLVED in the merchant's favour: an inquiry closes (warning_closed), a chargeback is won.
//   - RESOLVED in the buyer's favour is lost, for an inquiry too: the buyer got the money back,
//     so the service ends and the withdrawal is recorded (the domain escalates the inquiry to
//     reach lost).
//   - RESOLVED with no outcome (NONE or absent) closes an inquiry, as nothing was paid out; for
//     a chargeback it is not said, and an admin decides.
//   - OTHER, and an unknown status or outcome, are not said (""): the dispute stays where it is.
func mapStatus(t dispute.Type, status, outcome string) dispute.Status {
	inquiry := t == dispute.Inquiry
	if s, ok := openStatuses[status]; ok {
		if inquiry {
			return s.inquiry
		}
		return s.chargeback
	}
	if status != "RESOLVED" {
		return ""
	}
	switch {
	case merchantOutcomes[outcome] && inquiry:
		return dispute.WarningClosed
	case merchantOutcomes[outcome]:
		return dispute.Won
	case buyerOutcomes[outcome]:
		return dispute.Lost
	case (outcome == "" || outcome == "NONE") && inquiry:
		return dispute.WarningClosed
	}
	return ""
}

// reasons maps PayPal's dispute reasons to Stripe's vocabulary, which is ours. The networks
// file "paid by other means" with duplicate processing (Visa 12.6.2), and the answer is the same:
// showing that the two payments are for different things. Stripe has no reason for an incorrect
// amount or a remittance problem, so those are general.
var reasons = map[string]string{
	"MERCHANDISE_OR_SERVICE_NOT_RECEIVED":     "product_not_received",
	"MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED": "product_unacceptable",
	"UNAUTHORISED":               "fraudulent",
	"UNAUTHORIZED":               "fraudulent",
	"CREDIT_NOT_PROCESSED":       "credit_not_processed",
	"DUPLICATE_TRANSACTION":      "duplicate",
	"PAYMENT_BY_OTHER_MEANS":     "duplicate",
	"CANCELED_RECURRING_BILLING": "subscription_canceled",
	"INCORRECT_AMOUNT":           "general",
	"PROBLEM_WITH_REMITTANCE":    "general",
	"OTHER":                      "general",
}

// mapReason returns our reason; "" when PayPal said none, general for one we do not know.
func mapReason(r string) string {
	if r == "" {
		return ""
	}
	if m, ok := reasons[r]; ok {
		return m
	}
	return "general"
}

// livemode tells live from sandbox notifications by the host of the notification's own links;
// without links, by the configured API base.
func (p *PayPal) livemode(env envelope) bool {
	for _, l := range env.Links {
		u, err := url.Parse(l.Href)
		if err != nil {
			continue
		}
		if host := u.Hostname(); host == "paypal.com" || strings.HasSuffix(host, ".paypal.com") {
			return !isSandboxHost(host)
		}
	}
	if u, err := url.Parse(p.apiBase()); err == nil {
		return !isSandboxHost(u.Hostname())
	}
	return true
}

func isSandboxHost(host string) bool {
	return strings.HasSuffix(host, ".sandbox.paypal.com")
}

// parseTime reads an RFC 3339 time (PayPal adds milliseconds); "" is the zero time.
func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, payloadErr("%s %q is not an RFC 3339 time", field, s)
	}
	return t.UTC(), nil
}

func payloadErr(format string, args ...any) error {
	return fmt.Errorf("%w: paypal: %s", provider.ErrPayload, fmt.Sprintf(format, args...))
}
