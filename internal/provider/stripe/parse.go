package stripe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/money"
	"disputed/internal/provider"
)

// The event types that carry a dispute or an alert. Every other type is read as an Event with
// a nil Dispute.
const (
	EventDisputeCreated           = "charge.dispute.created"
	EventDisputeUpdated           = "charge.dispute.updated"
	EventDisputeClosed            = "charge.dispute.closed"
	EventDisputeFundsWithdrawn    = "charge.dispute.funds_withdrawn"
	EventDisputeFundsReinstated   = "charge.dispute.funds_reinstated"
	EventEarlyFraudWarningCreated = "radar.early_fraud_warning.created"
	EventEarlyFraudWarningUpdated = "radar.early_fraud_warning.updated"
)

// envelope is the Event object. data stays raw until the type says what it holds, so that an
// event we do not handle is never refused for the shape of its data. created is a Unix time in
// v1 events and an RFC 3339 string in v2 event notifications ("thin" events), which carry no
// dispute but may reach an endpoint configured for both.
type envelope struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Created json.RawMessage `json:"created"`
	Data    json.RawMessage `json:"data"`

	object json.RawMessage // data.object, when readEnvelope read it with the rest
}

// readEnvelope reads an event's envelope. Nearly every event's data is an object that holds
// one: it is read in the same pass as the rest (objectEnvelope), where reading data raw and then
// its object would take the payload through the decoder three times instead of two, a quarter
// of what an event's reading costs. Any other shape is read again as envelope, whose data
// (envelope.dataObject) refuses it as it always did.
func readEnvelope(body []byte) (envelope, error) {
	var fast objectEnvelope
	if json.Unmarshal(body, &fast) == nil && !isNull(fast.Data.Object) {
		return envelope{ID: fast.ID, Type: fast.Type, Created: fast.Created, object: fast.Data.Object}, nil
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return envelope{}, jsonError("", err)
	}
	return env, nil
}

// objectEnvelope is an envelope whose data is an object, with data.object kept raw. It repeats
// envelope's fields rather than embedding a struct of them: encoding/json names an embedded
// struct in a type error's field ("eventHead.id"), which a refusal names as the parameter.
type objectEnvelope struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Created json.RawMessage `json:"created"`
	Data    struct {
		Object json.RawMessage `json:"object"`
	} `json:"data"`
}

// disputeObject holds the fields we read of a Dispute, in every shape Stripe has sent since
// disputes have had an id: the API versions before 2014-12-08 sent evidence as one string and
// the due date as evidence_due_by, those before 2014-08-20 one balance_transaction instead of
// balance_transactions. payment_method_details is newer: when it is absent, the network reason
// code is simply not said.
type disputeObject struct {
	ID                  string            `json:"id"`
	Amount              int64             `json:"amount"`
	Currency            string            `json:"currency"`
	Charge              json.RawMessage   `json:"charge"`         // "ch_…" or an expanded Charge
	PaymentIntent       json.RawMessage   `json:"payment_intent"` // "pi_…", an expanded PaymentIntent, or null
	Created             int64             `json:"created"`
	Livemode            bool              `json:"livemode"`
	Reason              string            `json:"reason"`
	Status              string            `json:"status"`
	Evidence            json.RawMessage   `json:"evidence"` // an object; a string before 2014-12-08
	EvidenceDueBy       int64             `json:"evidence_due_by"`
	BalanceTransactions []json.RawMessage `json:"balance_transactions"`
	BalanceTransaction  json.RawMessage   `json:"balance_transaction"` // before 2014-08-20
	EvidenceDetails     struct {
		DueBy           int64 `json:"due_by"` // null or 0 when the bank allows no response
		HasEvidence     bool  `json:"has_evidence"`
		PastDue         bool  `json:"past_due"`
		SubmissionCount int   `json:"submission_count"`
	} `json:"evidence_details"`
	PaymentMethodDetails struct {
		Type string `json:"type"` // card, paypal, klarna, amazon_pay
		Card struct {
			Brand             string `json:"brand"` // visa, mastercard, amex, discover, diners, jcb, unionpay, eftpos_au, unknown
			CaseType          string `json:"case_type"`
			NetworkReasonCode string `json:"network_reason_code"`
		} `json:"card"`
		Paypal struct {
			CaseID string `json:"case_id"`
		} `json:"paypal"`
	} `json:"payment_method_details"`
}

// earlyFraudWarning holds the fields of a Radar EarlyFraudWarning. It carries neither an
// amount nor the card network: both can only be read from an expanded charge.
type earlyFraudWarning struct {
	ID            string          `json:"id"`
	Actionable    *bool           `json:"actionable"`
	Charge        json.RawMessage `json:"charge"`
	PaymentIntent json.RawMessage `json:"payment_intent"`
	Created       int64           `json:"created"`
	FraudType     string          `json:"fraud_type"`
	Livemode      bool            `json:"livemode"`
}

// chargeObject is what we read of an expanded Charge.
type chargeObject struct {
	ID                   string `json:"id"`
	Amount               int64  `json:"amount"`
	Currency             string `json:"currency"`
	PaymentMethodDetails struct {
		Card struct {
			Brand   string `json:"brand"`
			Network string `json:"network"`
		} `json:"card"`
	} `json:"payment_method_details"`
}

// Parse reads a verified webhook. The charge.dispute.* events carry a Dispute of type
// chargeback or inquiry, the radar.early_fraud_warning.* events one of type alert, the refund
// events a Refund, charge.succeeded, charge.captured and charge.refunded a Charge (the last with
// the refunds it lists); any other event is returned with none. Malformed JSON, a missing id or type, or a dispute or
// warning that cannot be read (no id, an unknown currency, a negative amount) is an error
// wrapping provider.ErrPayload; it also wraps a *fault.Error naming the field.
func (s *Stripe) Parse(body []byte) (provider.Event, error) {
	return parse(body)
}

func parse(body []byte) (provider.Event, error) {
	env, err := readEnvelope(body)
	if err != nil {
		return provider.Event{}, err
	}
	if env.ID == "" {
		return provider.Event{}, missing("id")
	}
	if env.Type == "" {
		return provider.Event{}, missing("type")
	}
	created, err := eventTime(env.Created)
	if err != nil {
		return provider.Event{}, err
	}
	ev := provider.Event{ID: env.ID, Type: env.Type, Created: created}

	switch env.Type {
	case EventDisputeCreated, EventDisputeUpdated, EventDisputeClosed,
		EventDisputeFundsWithdrawn, EventDisputeFundsReinstated:
		raw, err := env.dataObject()
		if err != nil {
			return provider.Event{}, err
		}
		if ev.Dispute, err = readDispute(env.Type, raw); err != nil {
			return provider.Event{}, err
		}
	case EventEarlyFraudWarningCreated, EventEarlyFraudWarningUpdated:
		raw, err := env.dataObject()
		if err != nil {
			return provider.Event{}, err
		}
		if ev.Dispute, err = readEarlyFraudWarning(raw); err != nil {
			return provider.Event{}, err
		}
	case EventRefundCreated, EventRefundUpdated, EventChargeRefundUpdated:
		raw, err := env.dataObject()
		if err != nil {
			return provider.Event{}, err
		}
		if ev.Refund, err = readRefundObject(raw); err != nil {
			return provider.Event{}, err
		}
	case EventChargeSucceeded, EventChargeCaptured, EventChargeRefunded:
		raw, err := env.dataObject()
		if err != nil {
			return provider.Event{}, err
		}
		if ev.Charge, err = readChargeObject(raw); err != nil {
			return provider.Event{}, err
		}
	}
	return ev, nil
}

// dataObject returns data.object, which the handled event types must have.
func (e envelope) dataObject() (json.RawMessage, error) {
	if e.object != nil {
		return e.object, nil
	}
	data := e.Data
	if isNull(data) {
		return nil, missing("data")
	}
	var d struct {
		Object json.RawMessage `json:"object"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, jsonError("data", err)
	}
	if isNull(d.Object) {
		return nil, missing("data.object")
	}
	return d.Object, nil
}

const objectParam = "data.object"

func readDispute(eventType string, raw json.RawMessage) (*provider.Dispute, error) {
	var o disputeObject
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, jsonError(objectParam, err)
	}
	amount, currency, err := readAmount(objectParam, o.Amount, o.Currency)
	if err != nil {
		return nil, err
	}
	if currency == "" {
		// A dispute always states its currency; without it the amount means nothing.
		return nil, missing(objectParam + ".currency")
	}
	charge, _, err := readCharge(objectParam+".charge", o.Charge)
	if err != nil {
		return nil, err
	}
	id := o.ID
	if id == "" {
		// Payloads of the API versions before 2015-10-01 may carry a dispute without an id. A
		// charge has one dispute at most, so its id names the case; an event of a later version
		// finds the case by it (see app.ReceiveProviderEvent).
		if charge == "" {
			return nil, missing(objectParam + ".id")
		}
		id = charge
	}
	paymentIntent, err := readID(objectParam+".payment_intent", o.PaymentIntent)
	if err != nil {
		return nil, err
	}
	happened, err := unixTime(objectParam+".created", o.Created)
	if err != nil {
		return nil, err
	}
	dueParam, due := objectParam+".evidence_details.due_by", o.EvidenceDetails.DueBy
	if due == 0 {
		dueParam, due = objectParam+".evidence_due_by", o.EvidenceDueBy
	}
	dueBy, err := unixTime(dueParam, due)
	if err != nil {
		return nil, err
	}
	evidence, err := readEvidence(objectParam+".evidence", o.Evidence)
	if err != nil {
		return nil, err
	}
	balance := o.BalanceTransactions
	if len(balance) == 0 && !isNull(o.BalanceTransaction) {
		balance = []json.RawMessage{o.BalanceTransaction}
	}
	fees, err := readFees(objectParam+".balance_transactions", balance)
	if err != nil {
		return nil, err
	}
	caseType := o.PaymentMethodDetails.Card.CaseType
	typ, stage := disputeKind(o.Status, caseType)
	return &provider.Dispute{
		ProviderDisputeID: id,
		Type:              typ,
		Status:            disputeStatus(o.Status, caseType, typ),
		Stage:             stage,
		Reason:            o.Reason,
		NetworkReasonCode: o.PaymentMethodDetails.Card.NetworkReasonCode,
		Network:           disputeNetwork(o.PaymentMethodDetails.Type, o.PaymentMethodDetails.Card.Brand),
		Amount:            amount,
		Currency:          currency,
		ChargeReference:   charge,
		PaymentReference:  paymentIntent,
		CaseNumber:        o.PaymentMethodDetails.Paypal.CaseID,
		HappenedAt:        happened,
		DueBy:             dueBy,
		HasEvidence:       o.EvidenceDetails.HasEvidence,
		PastDue:           o.EvidenceDetails.PastDue,
		SubmissionCount:   max(o.EvidenceDetails.SubmissionCount, 0),
		Evidence:          evidence,
		Fees:              fees,
		FundsWithdrawn:    eventType == EventDisputeFundsWithdrawn,
		FundsReinstated:   eventType == EventDisputeFundsReinstated,
		Livemode:          o.Livemode,
	}, nil
}

// disputeKind tells an inquiry (Visa retrieval request, Mastercard collaboration, Amex
// inquiry: no funds withdrawn yet) from a chargeback. The status says so for every status a
// card dispute can be in: the warning_ ones are inquiries, the others chargebacks. Only for a
// status that does not say (the retired charge_refunded, prevented, or one Stripe adds later)
// does payment_method_details.card.case_type decide, when the payload has it.
func disputeKind(status, caseType string) (dispute.Type, dispute.Stage) {
	inquiry := strings.HasPrefix(status, "warning_")
	switch status {
	case "warning_needs_response", "warning_under_review", "warning_closed",
		"needs_response", "under_review", "won", "lost":
	default:
		inquiry = inquiry || caseType == "inquiry"
	}
	if inquiry {
		return dispute.Inquiry, dispute.StageInquiry
	}
	return dispute.Chargeback, dispute.StageChargeback
}

// disputeStatus maps Stripe's status onto ours. The seven statuses we share are taken 1:1. Of
// the others:
//
//   - charge_refunded (retired; older API versions and old disputes still carry it) means the
//     merchant refunded the charge and the case ended there: warning_closed for an inquiry, which
//     has no other end, and lost for a chargeback, because the money went back to the cardholder.
//   - prevented (API 2025-08-27 and later) is a dispute stopped before it became a chargeback:
//     case_type block means the network refused the claim (won: the merchant keeps the money),
//     case_type resolution means Stripe refunded the cardholder to settle it (lost).
//   - anything else, including prevented with another case type, is "" (not said): the
//     dispute's status stays as it is rather than being guessed.
func disputeStatus(status, caseType string, typ dispute.Type) dispute.Status {
	switch status {
	case "warning_needs_response":
		return dispute.WarningNeedsResponse
	case "warning_under_review":
		return dispute.WarningUnderReview
	case "warning_closed":
		return dispute.WarningClosed
	case "needs_response":
		return dispute.NeedsResponse
	case "under_review":
		return dispute.UnderReview
	case "won":
		return dispute.Won
	case "lost":
		return dispute.Lost
	case "charge_refunded":
		if typ == dispute.Inquiry {
			return dispute.WarningClosed
		}
		return dispute.Lost
	case "prevented":
		switch caseType {
		case "block":
			return dispute.Won
		case "resolution":
			return dispute.Lost
		}
	}
	return ""
}

// readEarlyFraudWarning reads an early fraud warning as an alert.
//
// Stripe's warnings come from Visa's TC40 and Mastercard's SAFE reports, and the warning does
// not say which. The alert type is SAFE when the payload shows a Mastercard: that is only
// possible when the charge is expanded (an API read with expand[]=charge, or a fixture);
// Stripe's webhooks send the charge id, and then it is TC40, by far the more common source.
//
// The status follows actionable: an actionable warning is open; one that is not (the charge
// was disputed or fully refunded, so nothing is left to do) is resolved, on created as well as
// updated. A payload without actionable is open.
//
// Every warning is a fraud report, so Reason is "fraudulent", Stripe's dispute reason for it;
// the issuer's finer label (fraud_type, e.g. made_with_stolen_card) goes in NetworkReasonCode,
// the nearest thing to a network reason code the warning has. Amount and currency are those of
// an expanded charge, and otherwise not said: the app takes them from the matched charge.
func readEarlyFraudWarning(raw json.RawMessage) (*provider.Dispute, error) {
	var o earlyFraudWarning
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, jsonError(objectParam, err)
	}
	if o.ID == "" {
		return nil, missing(objectParam + ".id")
	}
	charge, expanded, err := readCharge(objectParam+".charge", o.Charge)
	if err != nil {
		return nil, err
	}
	paymentIntent, err := readID(objectParam+".payment_intent", o.PaymentIntent)
	if err != nil {
		return nil, err
	}
	happened, err := unixTime(objectParam+".created", o.Created)
	if err != nil {
		return nil, err
	}
	d := &provider.Dispute{
		ProviderDisputeID: o.ID,
		Type:              dispute.Alert,
		AlertType:         dispute.TC40,
		Status:            dispute.Open,
		Reason:            "fraudulent",
		NetworkReasonCode: o.FraudType,
		ChargeReference:   charge,
		PaymentReference:  paymentIntent,
		HappenedAt:        happened,
		Livemode:          o.Livemode,
	}
	if o.Actionable != nil && !*o.Actionable {
		d.Status = dispute.Resolved
	}
	if expanded != nil {
		card := expanded.PaymentMethodDetails.Card
		network := card.Network
		if network == "" {
			network = card.Brand
		}
		if network == "mastercard" {
			d.AlertType = dispute.SAFE
		}
		if expanded.Currency != "" {
			d.Amount, d.Currency, err = readAmount(objectParam+".charge", expanded.Amount, expanded.Currency)
			if err != nil {
				return nil, err
			}
		}
	}
	return d, nil
}

// readCharge reads an expandable charge: its id, and the object when it was expanded.
func readCharge(param string, raw json.RawMessage) (string, *chargeObject, error) {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		return "", nil, nil
	}
	if raw[0] != '{' {
		id, err := readID(param, raw)
		return id, nil, err
	}
	var c chargeObject
	if err := json.Unmarshal(raw, &c); err != nil {
		return "", nil, jsonError(param, err)
	}
	if c.ID == "" {
		return "", nil, missing(param + ".id")
	}
	return c.ID, &c, nil
}

// readID reads an expandable field: a string id, an expanded object with an "id", or null.
func readID(param string, raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case isNull(raw):
		return "", nil
	case raw[0] == '"':
		var id string
		if err := json.Unmarshal(raw, &id); err != nil {
			return "", jsonError(param, err)
		}
		return id, nil
	case raw[0] == '{':
		var o struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(raw, &o); err != nil {
			return "", jsonError(param, err)
		}
		if o.ID == "" {
			return "", missing(param + ".id")
		}
		return o.ID, nil
	}
	return "", invalid(param, "%s must be an id or an object with an id", param)
}

// stripeExponent lists the currencies whose amounts Stripe's API counts in another unit than
// the ISO 4217 minor unit we store. ISK has no minor unit in ISO 4217, but Stripe keeps it
// two-decimal for backwards compatibility (100 is 1 króna); MGA has two in ISO 4217, but Stripe
// treats it as zero-decimal. Every other currency Stripe supports agrees with ISO 4217,
// three-decimal ones (BHD, JOD, KWD, OMR, TND) included.
var stripeExponent = map[string]int{"ISK": 2, "MGA": 0}

// readAmount converts a Stripe amount and currency into ISO 4217 minor units and the
// upper-case code. An empty currency with a zero amount is "not said".
func readAmount(param string, amount int64, currency string) (int64, string, error) {
	if currency == "" {
		if amount != 0 {
			return 0, "", missing(param + ".currency")
		}
		return 0, "", nil
	}
	code, err := money.ParseCurrency(currency)
	if err != nil {
		return 0, "", invalid(param+".currency", "%v", err)
	}
	if amount < 0 {
		return 0, "", invalid(param+".amount", "the amount %d is negative", amount)
	}
	iso, _ := money.Exponent(code)
	exp, ok := stripeExponent[code]
	if !ok {
		return amount, code, nil
	}
	minor := amount
	for ; exp > iso; exp-- {
		if minor%10 != 0 {
			// A fractional króna from before 2023: there is no exact ISO amount, and a rounded
			// one would be a different amount from the one disputed.
			return 0, "", invalid(param+".amount", "%d in Stripe's unit is not a whole number of %s minor units", amount, code)
		}
		minor /= 10
	}
	for ; exp < iso; exp++ {
		if minor, err = money.Mul(minor, 10); err != nil {
			return 0, "", invalid(param+".amount", "%v", err)
		}
	}
	return minor, code, nil
}

// eventTime reads the envelope's created: Unix seconds, or RFC 3339 for a v2 event.
func eventTime(raw json.RawMessage) (time.Time, error) {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		return time.Time{}, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return time.Time{}, jsonError("created", err)
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return time.Time{}, invalid("created", "created is neither a Unix time nor an RFC 3339 time")
		}
		return t.UTC(), nil
	}
	var sec int64
	if err := json.Unmarshal(raw, &sec); err != nil {
		return time.Time{}, invalid("created", "created is neither a Unix time nor an RFC 3339 time")
	}
	return unixTime("created", sec)
}

// unixTime converts a Unix time in seconds; 0 (or null) is "not said".
func unixTime(param string, sec int64) (time.Time, error) {
	switch {
	case sec == 0:
		return time.Time{}, nil
	case sec < 0:
		return time.Time{}, invalid(param, "%s is a negative Unix time", param)
	}
	return time.Unix(sec, 0).UTC(), nil
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// The errors of Parse wrap provider.ErrPayload, which the webhook handler answers with 400,
// and a *fault.Error whose Param names the field at fault.

func missing(param string) error {
	return fmt.Errorf("%w: %w", provider.ErrPayload,
		fault.New(fault.Malformed, fault.CodeParameterMissing, param, "%s is required", param))
}

func invalid(param, format string, args ...any) error {
	return fmt.Errorf("%w: %w", provider.ErrPayload,
		fault.New(fault.Malformed, fault.CodeInvalidValue, param, format, args...))
}

// jsonError reports a JSON error, naming the field when encoding/json says which one.
func jsonError(prefix string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		param := prefix
		if te.Field != "" {
			if param != "" {
				param += "."
			}
			param += te.Field
		}
		what := param
		if what == "" {
			what = "the body"
		}
		return fmt.Errorf("%w: %w", provider.ErrPayload,
			fault.New(fault.Malformed, fault.CodeInvalidValue, param, "%s must not be a JSON %s", what, te.Value))
	}
	return fmt.Errorf("%w: %w", provider.ErrPayload,
		fault.New(fault.Malformed, fault.CodeInvalidJSON, prefix, "the body is not valid JSON: %v", err))
}

// disputeNetwork is the network a Stripe dispute is on: PayPal for a PayPal payment (PayPal
// decides it), else the card's brand as Stripe names it; "" when Stripe does not know.
func disputeNetwork(method, brand string) string {
	switch {
	case method == "paypal":
		return "paypal"
	case brand == "unknown":
		return ""
	}
	return brand
}
