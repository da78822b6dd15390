package paypal

import (
	"encoding/json"
	"net/url"
	"path"
	"strings"

	"disputed/internal/provider"
)

// The notifications about payments (Payments API v2): a capture completed, a capture refunded,
// a capture reversed.
const (
	EventCaptureCompleted = "PAYMENT.CAPTURE.COMPLETED"
	EventCaptureRefunded  = "PAYMENT.CAPTURE.REFUNDED"
	EventCaptureReversed  = "PAYMENT.CAPTURE.REVERSED"
)

// ReversalPrefix starts the refund reference of a reversed capture ("reversal-" and the
// capture's id): a reversal has no id of its own, and the capture's own id already names the
// payment.
const ReversalPrefix = "reversal-"

// paymentResource holds what we read of a capture or a refund of the Payments API v2.
type paymentResource struct {
	ID                string  `json:"id"`
	Status            string  `json:"status"`
	Amount            *amount `json:"amount"`
	CustomID          string  `json:"custom_id"`
	InvoiceID         string  `json:"invoice_id"`
	CreateTime        string  `json:"create_time"`
	SupplementaryData struct {
		RelatedIDs struct {
			OrderID string `json:"order_id"`
		} `json:"related_ids"`
	} `json:"supplementary_data"`
	// Payer is not part of a capture as documented; some integrations' notifications carry it.
	Payer struct {
		EmailAddress string `json:"email_address"`
		PayerID      string `json:"payer_id"`
	} `json:"payer"`
	Links []struct {
		Href string `json:"href"`
		Rel  string `json:"rel"`
	} `json:"links"`
}

// readPayment reads a payment notification into ev: a completed capture as a Charge (the
// merchant's custom_id and invoice_id as its metadata, under those keys; PayPal's order id,
// which is PayPal's and not the merchant's, as its PaymentReference); a refund as a
// Refund of the capture its "up" link names; a reversed capture (PayPal or the bank took the
// money back, outside any dispute PayPal reports) as a Refund with status REVERSED and Made true,
// because the money left the merchant as a refund's does: of the capture its "up" link names
// when the resource is the reversal, else of the whole capture the resource is.
func readPayment(ev *provider.Event, raw json.RawMessage, livemode bool) error {
	if len(raw) == 0 || string(raw) == "null" {
		return payloadErr("%s %s has no resource", ev.Type, ev.ID)
	}
	var r paymentResource
	if err := json.Unmarshal(raw, &r); err != nil {
		return payloadErr("%s %s: resource is not a payment: %v", ev.Type, ev.ID, err)
	}
	if r.ID == "" {
		return payloadErr("%s %s: resource has no id", ev.Type, ev.ID)
	}
	if !r.Amount.said() {
		return payloadErr("%s %s: resource has no amount", ev.Type, ev.ID)
	}
	minor, currency, err := r.Amount.read("resource.amount")
	if err != nil {
		return err
	}
	created, err := parseTime("resource.create_time", r.CreateTime)
	if err != nil {
		return err
	}
	switch ev.Type {
	case EventCaptureCompleted:
		meta := map[string]string{}
		for k, v := range map[string]string{"custom_id": r.CustomID, "invoice_id": r.InvoiceID} {
			if v != "" {
				meta[k] = v
			}
		}
		ev.Charge = &provider.ChargeReport{ID: r.ID, PaymentReference: r.SupplementaryData.RelatedIDs.OrderID, Amount: minor,
			Currency: currency, Status: r.Status, Made: r.Status == "COMPLETED", Captured: true, CustomerEmail: r.Payer.EmailAddress,
			CustomerReference: r.Payer.PayerID, Metadata: meta, Created: created, Livemode: livemode}
	case EventCaptureRefunded:
		capture := upCapture(r.Links)
		if capture == "" {
			return payloadErr("%s %s: the refund has no link up to its capture", ev.Type, ev.ID)
		}
		ev.Refund = &provider.RefundReport{ID: r.ID, ChargeReference: capture, Amount: minor, Currency: currency,
			Status: r.Status, Made: r.Status == "COMPLETED" || r.Status == "PENDING"}
	case EventCaptureReversed:
		// PayPal's published sample carries the reversal as a refund (its own id, a link up to the
		// capture); a capture reversed whole may come as the capture itself.
		if capture := upCapture(r.Links); capture != "" {
			ev.Refund = &provider.RefundReport{ID: r.ID, ChargeReference: capture, Amount: minor, Currency: currency,
				Status: "REVERSED", Made: true}
			break
		}
		ev.Refund = &provider.RefundReport{ID: ReversalPrefix + r.ID, ChargeReference: r.ID, Amount: minor, Currency: currency,
			Status: "REVERSED", Made: true}
	}
	return nil
}

// upCapture is the id of the capture a refund's "up" link names (…/v2/payments/captures/{id}).
func upCapture(links []struct {
	Href string `json:"href"`
	Rel  string `json:"rel"`
}) string {
	for _, l := range links {
		if l.Rel != "up" {
			continue
		}
		u, err := url.Parse(l.Href)
		if err != nil {
			continue
		}
		dir, id := path.Split(strings.TrimSuffix(u.Path, "/"))
		if strings.HasSuffix(dir, "/captures/") && id != "" {
			return id
		}
	}
	return ""
}
