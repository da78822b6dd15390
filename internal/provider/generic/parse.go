package generic

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/money"
	"disputed/internal/provider"
)

// The values of "type".
const (
	TypeAlert       = "alert"
	TypeChargeback  = "chargeback"
	TypeTransaction = "transaction"
)

// EventTypePrefix starts every Event.Type of the feed: "generic.alert", "generic.chargeback".
const EventTypePrefix = "generic."

// maxText bounds every text field. Identifiers and codes are far shorter; the bound keeps a
// runaway sender from filling the database through them.
const maxText = 255

// Object is one object of the feed, the schema its senders follow; the OpenAPI document
// publishes it, with these tags, as GenericFeedEvent. Fields not listed here are ignored: feeds
// add fields, and a new field must not stop the ones we know from being read. Amount stays raw
// because it may be a string or a number.
type Object struct {
	ID                   string          `json:"id" maxLength:"255" doc:"unique per provider: a replay is answered 200 and changes nothing; a transaction's id is also its provider_reference"`
	Type                 string          `json:"type" enum:"alert,chargeback,transaction"`
	AlertType            string          `json:"alert_type,omitempty" enum:"tc40,safe,ethoca,cdrn,rdr" doc:"alerts only, and required for them"`
	Status               string          `json:"status,omitempty" enum:"open,needs_response,under_review,won,lost" doc:"an alert: open or absent; a chargeback: needs_response (the default), under_review, won or lost"`
	Amount               json.RawMessage `json:"amount,omitempty" doc:"a decimal string in major units (\"49.99\") or an integer of minor units (4999); absent: the matched charge's"`
	Currency             string          `json:"currency,omitempty" doc:"ISO 4217, any case; required with amount"`
	Reason               string          `json:"reason,omitempty" maxLength:"255" doc:"e.g. fraudulent"`
	NetworkReasonCode    string          `json:"network_reason_code,omitempty" maxLength:"255" doc:"e.g. 10.4"`
	ARN                  string          `json:"arn,omitempty" maxLength:"255" doc:"acquirer reference number; identifies an alert that has no case_number"`
	CaseNumber           string          `json:"case_number,omitempty" maxLength:"255" doc:"the case: a later object with the same one (or arn, for alerts) updates that dispute; required for a chargeback"`
	TransactionReference string          `json:"transaction_reference,omitempty" maxLength:"255" doc:"our transaction id or its provider_reference: matches the charge"`
	HappenedAt           string          `json:"happened_at,omitempty" format:"date-time" doc:"RFC 3339"`
	DueBy                string          `json:"due_by,omitempty" format:"date-time" doc:"RFC 3339: when the answer is due"`
	Livemode             *bool           `json:"livemode,omitempty" doc:"false for a test feed; default true"`
	// The fields of a transaction (type transaction): a payment or a refund of one.
	Kind              string            `json:"kind,omitempty" enum:"charge,refund" doc:"transactions only, and required for them"`
	Parent            string            `json:"parent,omitempty" maxLength:"255" doc:"a refund: the id of the charge it refunds; required for a refund"`
	CardNetwork       string            `json:"card_network,omitempty" maxLength:"255" doc:"a charge: visa, mastercard, amex, discover, ...; a name disputed does not know is recorded as unknown"`
	Last4             string            `json:"last4,omitempty" pattern:"^[0-9]{4}$" doc:"a charge: the card's last 4 digits"`
	Fingerprint       string            `json:"fingerprint,omitempty" maxLength:"255" doc:"a charge: the processor's fingerprint of the card (the same card, the same fingerprint)"`
	Channel           string            `json:"channel,omitempty" enum:"card_present,card_not_present" doc:"a charge: how the card met the merchant"`
	CustomerEmail     string            `json:"customer_email,omitempty" maxLength:"255" doc:"a charge: the buyer's email"`
	CustomerReference string            `json:"customer_reference,omitempty" maxLength:"255" doc:"a charge: the processor's or the merchant's id of the buyer"`
	Metadata          map[string]string `json:"metadata,omitempty" maxProperties:"50" doc:"a charge: the merchant's metadata; the order it pays for under the order_metadata_key setting (default order_id)"`
	Created           string            `json:"created,omitempty" format:"date-time" doc:"a transaction: RFC 3339, when it happened"`
}

// Parse reads one object of the feed into an Event: an alert or a chargeback as its Dispute, a
// transaction as its Charge or Refund (see readTransaction). The rules of disputes:
//
//   - id is required; it becomes Event.ID (a replay carries the same one).
//   - type is alert, chargeback or transaction; Event.Type is "generic." + type.
//   - An alert needs alert_type (tc40, safe, ethoca, cdrn, rdr); its status, when given, must
//     be open, which is what it becomes. A chargeback must not carry alert_type; its status is
//     needs_response (the default), under_review, won or lost, and its stage is chargeback.
//   - amount is optional (the app then takes the matched charge's). A JSON string is a decimal
//     in major units ("49.99"); a JSON integer is a count of minor units (4999), for feeds that
//     keep cents; a JSON number with a fraction or an exponent is refused, since it cannot be
//     told which of the two it means and floats do not hold money exactly. It must be positive,
//     valid for the currency, and needs currency.
//   - currency is an ISO 4217 code in any case, upper case out.
//   - ProviderDisputeID is case_number; an alert without one uses its arn; one of them is
//     required (a chargeback needs case_number). A later object with the same one updates the
//     same dispute.
//   - happened_at and due_by are RFC 3339; happened_at is also Event.Created (zero when absent).
//   - livemode is true unless the object says "livemode": false (a test feed): the feed's
//     senders are networks and processors, whose cases are real.
//   - Text fields are at most 255 bytes.
//
// Every error wraps provider.ErrPayload and a *fault.Error whose Param names the field.
func (g *Generic) Parse(body []byte) (provider.Event, error) {
	return parse(body)
}

func parse(body []byte) (provider.Event, error) {
	var o Object
	if err := json.Unmarshal(body, &o); err != nil {
		return provider.Event{}, jsonError(err)
	}
	if o.ID == "" {
		return provider.Event{}, missing("id")
	}
	if o.Type == TypeTransaction {
		return readTransaction(&o)
	}
	for _, f := range []struct{ name, value string }{
		{"id", o.ID}, {"reason", o.Reason}, {"network_reason_code", o.NetworkReasonCode},
		{"arn", o.ARN}, {"case_number", o.CaseNumber}, {"transaction_reference", o.TransactionReference},
	} {
		if len(f.value) > maxText {
			return provider.Event{}, invalid(f.name, "%s is longer than %d bytes", f.name, maxText)
		}
	}

	d := &provider.Dispute{
		Reason:            o.Reason,
		NetworkReasonCode: o.NetworkReasonCode,
		ARN:               o.ARN,
		CaseNumber:        o.CaseNumber,
		ChargeReference:   o.TransactionReference,
		Livemode:          o.Livemode == nil || *o.Livemode,
	}
	switch o.Type {
	case TypeAlert:
		if err := readAlert(&o, d); err != nil {
			return provider.Event{}, err
		}
	case TypeChargeback:
		if err := readChargeback(&o, d); err != nil {
			return provider.Event{}, err
		}
	case "":
		return provider.Event{}, missing("type")
	default:
		return provider.Event{}, invalid("type", "type must be %s, %s or %s, not %s", TypeAlert, TypeChargeback, TypeTransaction, quote(o.Type))
	}

	if o.Currency != "" {
		code, err := money.ParseCurrency(o.Currency)
		if err != nil {
			return provider.Event{}, invalid("currency", "currency must be an ISO 4217 code, not %s", quote(o.Currency))
		}
		d.Currency = code
	}
	amount, err := readAmount(o.Amount, d.Currency)
	if err != nil {
		return provider.Event{}, err
	}
	d.Amount = amount

	if d.HappenedAt, err = readTime("happened_at", o.HappenedAt); err != nil {
		return provider.Event{}, err
	}
	if d.DueBy, err = readTime("due_by", o.DueBy); err != nil {
		return provider.Event{}, err
	}
	return provider.Event{
		ID:      o.ID,
		Type:    EventTypePrefix + o.Type,
		Created: d.HappenedAt,
		Dispute: d,
	}, nil
}

func readAlert(o *Object, d *provider.Dispute) error {
	d.Type = dispute.Alert
	switch at := dispute.AlertType(o.AlertType); at {
	case dispute.TC40, dispute.SAFE, dispute.Ethoca, dispute.CDRN, dispute.RDR:
		d.AlertType = at
	case "":
		return missing("alert_type")
	default:
		return invalid("alert_type", "alert_type must be one of tc40, safe, ethoca, cdrn, rdr, not %s", quote(o.AlertType))
	}
	// An alert is reported open; resolving it is the merchant's act, recorded in disputed.
	switch o.Status {
	case "", string(dispute.Open):
		d.Status = dispute.Open
	default:
		return invalid("status", "an alert's status must be open or absent, not %s", quote(o.Status))
	}
	switch {
	case o.CaseNumber != "":
		d.ProviderDisputeID = o.CaseNumber
	case o.ARN != "":
		d.ProviderDisputeID = o.ARN
	default:
		return missingOneOf("case_number", "arn")
	}
	return nil
}

func readChargeback(o *Object, d *provider.Dispute) error {
	d.Type = dispute.Chargeback
	d.Stage = dispute.StageChargeback
	if o.AlertType != "" {
		// Most likely an alert sent with the wrong type: refusing says so, where ignoring
		// alert_type would open a chargeback the network never raised.
		return invalid("alert_type", "alert_type is only for alerts; this object's type is chargeback")
	}
	switch st := dispute.Status(o.Status); st {
	case "":
		d.Status = dispute.NeedsResponse
	case dispute.NeedsResponse, dispute.UnderReview, dispute.Won, dispute.Lost:
		d.Status = st
	default:
		return invalid("status", "a chargeback's status must be one of needs_response, under_review, won, lost, not %s", quote(o.Status))
	}
	if o.CaseNumber == "" {
		return missing("case_number")
	}
	d.ProviderDisputeID = o.CaseNumber
	return nil
}

// readAmount reads amount: absent or null is "not said" (0).
func readAmount(raw json.RawMessage, currency string) (int64, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	if currency == "" {
		return 0, invalid("currency", "currency is required with an amount")
	}
	var minor int64
	switch c := raw[0]; {
	case c == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, invalid("amount", "amount is not a valid JSON string")
		}
		var err error
		if minor, err = money.ParseDecimal(s, currency); err != nil {
			return 0, invalid("amount", "amount %s is not a valid %s amount: %v", quote(s), currency, err)
		}
	case c == '-' || ('0' <= c && c <= '9'):
		if bytes.ContainsAny(raw, ".eE") {
			return 0, invalid("amount", "a numeric amount must be an integer of minor units; send a decimal as a string (\"49.99\")")
		}
		var err error
		if minor, err = strconv.ParseInt(string(raw), 10, 64); err != nil {
			return 0, invalid("amount", "amount %s is out of range", quote(string(raw)))
		}
	default:
		return 0, invalid("amount", "amount must be a decimal string or an integer of minor units")
	}
	if minor <= 0 {
		return 0, invalid("amount", "amount must be positive")
	}
	return minor, nil
}

// readTime reads an RFC 3339 time; empty is "not said".
func readTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, invalid(field, "%s must be an RFC 3339 time such as 2026-11-20T10:00:00Z, not %s", field, quote(s))
	}
	return t.UTC(), nil
}

// The errors of Parse wrap provider.ErrPayload, which the webhook handler answers with 400,
// and a *fault.Error whose Param names the field at fault.

func missing(field string) error {
	return fmt.Errorf("%w: %w", provider.ErrPayload,
		fault.New(fault.Malformed, fault.CodeParameterMissing, field, "%s is required", field))
}

func missingOneOf(a, b string) error {
	return fmt.Errorf("%w: %w", provider.ErrPayload,
		fault.New(fault.Malformed, fault.CodeParameterMissing, a, "%s or %s is required", a, b))
}

func invalid(field, format string, args ...any) error {
	return fmt.Errorf("%w: %w", provider.ErrPayload,
		fault.New(fault.Malformed, fault.CodeInvalidValue, field, format, args...))
}

// jsonError reports a JSON error, naming the field when encoding/json says which one.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return fmt.Errorf("%w: %w", provider.ErrPayload,
				fault.New(fault.Malformed, fault.CodeInvalidJSON, "", "the body must be a JSON object, not a JSON %s", te.Value))
		}
		return invalid(te.Field, "%s must not be a JSON %s", te.Field, te.Value)
	}
	return fmt.Errorf("%w: %w", provider.ErrPayload,
		fault.New(fault.Malformed, fault.CodeInvalidJSON, "", "the body is not valid JSON: %v", err))
}

// maxQuoted bounds how much of a value is echoed into an error message.
const maxQuoted = 64

func quote(s string) string {
	if len(s) > maxQuoted {
		return strconv.Quote(s[:maxQuoted]) + "…"
	}
	return strconv.Quote(s)
}
