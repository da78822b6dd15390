package generic

import (
	"strings"
	"time"

	"disputed/internal/money"
	"disputed/internal/provider"
)

// The kinds of a transaction.
const (
	KindCharge = "charge"
	KindRefund = "refund"
)

// maxMetadata bounds a transaction's metadata entries.
const maxMetadata = 50

// readTransaction reads an object of type transaction: a payment (kind charge) as the event's
// Charge, a refund of one (kind refund, parent naming the charge's id) as its Refund. Its id is
// the transaction's own: the provider_reference it is recorded under. amount and currency are
// required and the amount positive, as for a dispute; a transaction the feed reports has
// happened (Made). created (RFC 3339) is Event.Created. The dispute fields (status, alert_type,
// reason, case_number, ...) are not a transaction's and are refused, and a refund carries none
// of the card's or buyer's fields, which are its charge's.
func readTransaction(o *Object) (provider.Event, error) {
	for _, f := range []struct{ name, value string }{
		{"id", o.ID}, {"parent", o.Parent}, {"card_network", o.CardNetwork}, {"fingerprint", o.Fingerprint},
		{"customer_email", o.CustomerEmail}, {"customer_reference", o.CustomerReference},
	} {
		if len(f.value) > maxText {
			return provider.Event{}, invalid(f.name, "%s is longer than %d bytes", f.name, maxText)
		}
	}
	for _, f := range []struct{ name, value string }{
		{"status", o.Status}, {"alert_type", o.AlertType}, {"reason", o.Reason}, {"network_reason_code", o.NetworkReasonCode},
		{"arn", o.ARN}, {"case_number", o.CaseNumber}, {"transaction_reference", o.TransactionReference},
		{"happened_at", o.HappenedAt}, {"due_by", o.DueBy},
	} {
		if f.value != "" {
			return provider.Event{}, invalid(f.name, "%s is not a field of a transaction", f.name)
		}
	}
	if o.Currency == "" {
		return provider.Event{}, missing("currency")
	}
	currency, err := money.ParseCurrency(o.Currency)
	if err != nil {
		return provider.Event{}, invalid("currency", "currency must be an ISO 4217 code, not %s", quote(o.Currency))
	}
	amount, err := readAmount(o.Amount, currency)
	if err != nil {
		return provider.Event{}, err
	}
	if amount == 0 {
		return provider.Event{}, missing("amount")
	}
	created, err := readTime("created", o.Created)
	if err != nil {
		return provider.Event{}, err
	}
	ev := provider.Event{ID: o.ID, Type: EventTypePrefix + TypeTransaction, Created: created}
	switch o.Kind {
	case KindCharge:
		c, err := readCharge(o, amount, currency, created)
		if err != nil {
			return provider.Event{}, err
		}
		ev.Charge = c
	case KindRefund:
		if o.Parent == "" {
			return provider.Event{}, missing("parent")
		}
		for _, f := range []struct{ name, value string }{
			{"card_network", o.CardNetwork}, {"last4", o.Last4}, {"fingerprint", o.Fingerprint}, {"channel", o.Channel},
			{"customer_email", o.CustomerEmail}, {"customer_reference", o.CustomerReference},
		} {
			if f.value != "" {
				return provider.Event{}, invalid(f.name, "%s is its charge's, not a refund's", f.name)
			}
		}
		if len(o.Metadata) > 0 {
			return provider.Event{}, invalid("metadata", "metadata is its charge's, not a refund's")
		}
		ev.Refund = &provider.RefundReport{ID: o.ID, ChargeReference: o.Parent, Amount: amount, Currency: currency,
			Status: "succeeded", Made: true}
	case "":
		return provider.Event{}, missing("kind")
	default:
		return provider.Event{}, invalid("kind", "kind must be %s or %s, not %s", KindCharge, KindRefund, quote(o.Kind))
	}
	return ev, nil
}

// readCharge reads a transaction of kind charge.
func readCharge(o *Object, amount int64, currency string, created time.Time) (*provider.ChargeReport, error) {
	if o.Parent != "" {
		return nil, invalid("parent", "a charge has no parent")
	}
	if o.Last4 != "" && (len(o.Last4) != 4 || strings.Trim(o.Last4, "0123456789") != "") {
		return nil, invalid("last4", "last4 must be the card's last 4 digits")
	}
	switch o.Channel {
	case "", "card_present", "card_not_present":
	default:
		return nil, invalid("channel", "channel must be card_present or card_not_present, not %s", quote(o.Channel))
	}
	if len(o.Metadata) > maxMetadata {
		return nil, invalid("metadata", "metadata has more than %d entries", maxMetadata)
	}
	for k, v := range o.Metadata {
		if len(k) > maxText || len(v) > maxText {
			return nil, invalid("metadata", "a metadata key or value is longer than %d bytes", maxText)
		}
	}
	livemode := o.Livemode == nil || *o.Livemode
	return &provider.ChargeReport{ID: o.ID, Amount: amount, Currency: currency, Status: "succeeded", Made: true, Captured: true,
		CardNetwork: strings.ToLower(o.CardNetwork), Last4: o.Last4, Fingerprint: o.Fingerprint, Channel: o.Channel,
		CustomerEmail: o.CustomerEmail, CustomerReference: o.CustomerReference, Metadata: o.Metadata, Created: created,
		Livemode: livemode}, nil
}
