package provider

import "strings"

// Clean makes the event's text storable as it is: valid UTF-8 without NUL characters, which
// PostgreSQL refuses in text. A provider's JSON may carry "\u0000" in any string, and its body
// bytes that are not UTF-8; refusing the event would only make the provider send it again and
// again, so each such character becomes U+FFFD, as encoding/json already does for bad UTF-8.
func (e *Event) Clean() {
	e.ID, e.Type = CleanText(e.ID), CleanText(e.Type)
	if d := e.Dispute; d != nil {
		for _, s := range []*string{&d.ProviderDisputeID, &d.Reason, &d.NetworkReasonCode, &d.Currency,
			&d.ChargeReference, &d.PaymentReference, &d.ARN, &d.CaseNumber} {
			*s = CleanText(*s)
		}
		for i := range d.Fees {
			f := &d.Fees[i]
			f.Currency, f.Description, f.ProviderReference = CleanText(f.Currency), CleanText(f.Description), CleanText(f.ProviderReference)
		}
		if d.Evidence != nil {
			clean := make(map[string]string, len(d.Evidence))
			for k, v := range d.Evidence {
				clean[CleanText(k)] = CleanText(v)
			}
			d.Evidence = clean
		}
	}
	if r := e.Refund; r != nil {
		r.clean()
	}
	if c := e.Charge; c != nil {
		for _, s := range []*string{&c.ID, &c.PaymentReference, &c.Currency, &c.Status, &c.CardNetwork, &c.Last4,
			&c.Fingerprint, &c.Channel, &c.CustomerEmail, &c.CustomerReference, &c.IPAddress} {
			*s = CleanText(*s)
		}
		if c.Metadata != nil {
			clean := make(map[string]string, len(c.Metadata))
			for k, v := range c.Metadata {
				clean[CleanText(k)] = CleanText(v)
			}
			c.Metadata = clean
		}
		for i := range c.Refunds {
			c.Refunds[i].clean()
		}
	}
}

func (r *RefundReport) clean() {
	for _, s := range []*string{&r.ID, &r.ChargeReference, &r.PaymentReference, &r.Currency, &r.Status} {
		*s = CleanText(*s)
	}
}

// CleanText is s as valid UTF-8 without NUL characters (see Event.Clean).
func CleanText(s string) string {
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", "\uFFFD"), "\uFFFD")
}
