package paypal

import (
	"context"
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"disputed/internal/money"
	"disputed/internal/provider"
)

const (
	// transactionsPath is Transaction Search v1.
	transactionsPath = "/v1/reporting/transactions"
	// transactionPageSize is the most transactions PayPal lists on one page.
	transactionPageSize = 500
	// transactionWindow is the longest range one search may cover.
	transactionWindow = 31 * 24 * time.Hour
	// transactionHistory is how far back transaction search reaches (three years), a day kept off
	// it so that a clock a little ahead of PayPal's is not refused.
	transactionHistory = 3*365*24*time.Hour - 24*time.Hour
)

// The transaction event codes (developer.paypal.com/docs/transaction-search/transaction-event-
// codes) read as notifications. Every T00nn code is a payment between PayPal accounts (checkout,
// subscription, virtual terminal, ...): received, it is a capture. T1107 is the merchant's refund
// of one, T1106 PayPal's reversal of one. A chargeback (T1201) is not read: the disputes list
// reports it, with its outcome.
const paymentCodes = "T00"

var refundCodes = map[string]string{
	"T1107": EventCaptureRefunded,
	"T1106": EventCaptureReversed,
}

// searchPage is a page of transaction search, as far as it is read.
type searchPage struct {
	Details []struct {
		Info  transactionInfo `json:"transaction_info"`
		Payer payerInfo       `json:"payer_info"`
	} `json:"transaction_details"`
	TotalPages int `json:"total_pages"`
}

// payerInfo is who paid a payment received: its email finds the customer, as a webhook's does.
type payerInfo struct {
	AccountID    string `json:"account_id"`
	EmailAddress string `json:"email_address"`
}

// transactionInfo is what is read of one transaction.
type transactionInfo struct {
	ID            string  `json:"transaction_id"`
	ReferenceID   string  `json:"paypal_reference_id"`
	ReferenceType string  `json:"paypal_reference_id_type"`
	EventCode     string  `json:"transaction_event_code"`
	Initiated     string  `json:"transaction_initiation_date"`
	Updated       string  `json:"transaction_updated_date"`
	Amount        *amount `json:"transaction_amount"`
	Status        string  `json:"transaction_status"`
	InvoiceID     string  `json:"invoice_id"`
	Custom        string  `json:"custom_field"`
}

// importTransactions reads the page of transaction search c names: the window from c.From (since
// when zero) of at most 31 days, up to now.
func (p *PayPal) importTransactions(ctx context.Context, since, now time.Time, c importCursor) ([]provider.Event, importCursor, error) {
	// PayPal's dates are to the second, and a search may not end in the future.
	end := now.Truncate(time.Second)
	from := latest(c.From, latest(since, now.Add(-transactionHistory))).UTC().Truncate(time.Second)
	if !from.Before(end) {
		return nil, importCursor{Phase: phaseDone}, nil
	}
	to := from.Add(transactionWindow)
	if to.After(end) {
		to = end
	}
	query := url.Values{
		"start_date": {from.Format(time.RFC3339)},
		"end_date":   {to.Format(time.RFC3339)},
		// The notifications carry the capture, which transaction_info describes, and the payer
		// whose email finds the customer; the cart and shipping (fields=all) would only make
		// the pages heavier.
		"fields":    {"transaction_info,payer_info"},
		"page_size": {strconv.Itoa(transactionPageSize)},
		"page":      {strconv.Itoa(c.Page)},
	}.Encode()
	data, err := p.get(ctx, "searching transactions from "+from.Format(time.DateOnly)+" to "+to.Format(time.DateOnly), transactionsPath+"?"+query)
	if err != nil {
		return nil, c, err
	}
	evs, totalPages, err := p.readSearchPage(data)
	if err != nil {
		return nil, c, err
	}
	switch {
	case c.Page < totalPages:
		return evs, importCursor{Phase: phaseTransactions, From: from, Page: c.Page + 1}, nil
	case to.Before(end):
		return evs, importCursor{Phase: phaseTransactions, From: to, Page: 1}, nil
	}
	return evs, importCursor{Phase: phaseDone}, nil
}

// readSearchPage reads a page of transaction search into the notifications its transactions
// would have sent, and the number of pages.
func (p *PayPal) readSearchPage(data []byte) ([]provider.Event, int, error) {
	var page searchPage
	if err := json.Unmarshal(data, &page); err != nil {
		return nil, 0, payloadErr("a page of transaction search: %v", err)
	}
	var evs []provider.Event
	for _, d := range page.Details {
		ev, ok, err := p.transactionEvent(d.Info, d.Payer)
		if err != nil {
			return nil, 0, err
		}
		if ok {
			evs = append(evs, ev)
		}
	}
	return evs, page.TotalPages, nil
}

// transactionEvent wraps a transaction as the notification that would carry it: a payment
// received (succeeded, or succeeded and reversed since) as PAYMENT.CAPTURE.COMPLETED with the
// capture; a refund or a reversal the merchant paid (succeeded, or pending) as
// PAYMENT.CAPTURE.REFUNDED or REVERSED with the refund, linked up to its capture. ok is false for
// any other transaction (fees, transfers, payments the merchant sent, pending or denied ones).
func (p *PayPal) transactionEvent(t transactionInfo, payer payerInfo) (provider.Event, bool, error) {
	eventType, status := "", ""
	refundType, isRefund := refundCodes[t.EventCode]
	switch {
	case strings.HasPrefix(t.EventCode, paymentCodes) && (t.Status == "S" || t.Status == "V"):
		eventType, status = EventCaptureCompleted, "COMPLETED"
	case isRefund && t.Status == "S":
		eventType, status = refundType, "COMPLETED"
	case isRefund && t.Status == "P":
		eventType, status = refundType, "PENDING"
	default:
		return provider.Event{}, false, nil
	}
	if t.ID == "" {
		return provider.Event{}, false, payloadErr("a %s transaction without transaction_id", t.EventCode)
	}
	if t.Amount == nil {
		return provider.Event{}, false, payloadErr("transaction %s has no transaction_amount", t.ID)
	}
	minor, currency, err := signedAmount(t.Amount, "transaction "+t.ID+" transaction_amount")
	if err != nil {
		return provider.Event{}, false, err
	}
	// A payment received is a credit, a refund or reversal paid a debit; the other direction
	// is the merchant paying or being refunded as a buyer, and nothing moved is nothing to record.
	if minor == 0 || (eventType == EventCaptureCompleted) != (minor > 0) {
		return provider.Event{}, false, nil
	}
	value, err := money.FormatDecimal(absolute(minor), currency)
	if err != nil {
		return provider.Event{}, false, payloadErr("transaction %s: %v", t.ID, err)
	}
	initiated, err := parseSearchTime("transaction "+t.ID+" transaction_initiation_date", t.Initiated)
	if err != nil {
		return provider.Event{}, false, err
	}
	updated, err := parseSearchTime("transaction "+t.ID+" transaction_updated_date", t.Updated)
	if err != nil {
		return provider.Event{}, false, err
	}
	if updated.IsZero() {
		updated = initiated
	}
	base := p.apiBase()
	res := captureResource{ID: t.ID, Status: status, Amount: amount{CurrencyCode: currency, Value: value},
		InvoiceID: t.InvoiceID, CustomID: t.Custom, CreateTime: formatTime(initiated), UpdateTime: formatTime(updated)}
	resourceType := "refund"
	if eventType == EventCaptureCompleted {
		resourceType, res.FinalCapture = "capture", true
		if payer != (payerInfo{}) {
			res.Payer = &capturePayer{EmailAddress: payer.EmailAddress, PayerID: payer.AccountID}
		}
		res.Links = []link{{Href: base + "/v2/payments/captures/" + url.PathEscape(t.ID), Rel: "self", Method: "GET"}}
	} else {
		res.Links = []link{{Href: base + "/v2/payments/refunds/" + url.PathEscape(t.ID), Rel: "self", Method: "GET"}}
		if t.ReferenceID != "" && (t.ReferenceType == "" || t.ReferenceType == "TXN") {
			res.Links = append(res.Links, link{Href: base + "/v2/payments/captures/" + url.PathEscape(t.ReferenceID), Rel: "up", Method: "GET"})
		}
	}
	raw, err := json.Marshal(res)
	if err != nil {
		return provider.Event{}, false, payloadErr("transaction %s: %v", t.ID, err)
	}
	ev, err := p.wrap(importID(t.ID, status), eventType, resourceType, "2.0", updated, raw)
	return ev, err == nil, err
}

// captureResource is a capture or a refund of Payments v2, as the PAYMENT.CAPTURE.*
// notifications carry them.
type captureResource struct {
	ID           string `json:"id"`
	Status       string `json:"status"`
	Amount       amount `json:"amount"`
	FinalCapture bool   `json:"final_capture,omitempty"`
	InvoiceID    string `json:"invoice_id,omitempty"`
	CustomID     string `json:"custom_id,omitempty"`
	// Payer is the payer as some integrations' notifications carry it (readPayment reads it).
	Payer      *capturePayer `json:"payer,omitempty"`
	CreateTime string        `json:"create_time,omitempty"`
	UpdateTime string        `json:"update_time,omitempty"`
	Links      []link        `json:"links"`
}

// signedAmount reads a transaction's amount, which is negative for a debit, in minor units.
func signedAmount(a *amount, field string) (int64, string, error) {
	currency, err := money.ParseCurrency(a.CurrencyCode)
	if err != nil {
		return 0, "", payloadErr("%s: %v", field, err)
	}
	minor, err := money.ParseDecimal(a.Value, currency)
	if err != nil {
		return 0, "", payloadErr("%s: %v", field, err)
	}
	if minor == math.MinInt64 { // no positive counterpart
		return 0, "", payloadErr("%s %s is out of range", field, a.Value)
	}
	return minor, currency, nil
}

func absolute(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// parseSearchTime reads a time of transaction search, which writes its offset without a colon
// (2026-10-30T17:21:09+0000) where RFC 3339 has one; "" is the zero time.
func parseSearchTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05.999999999Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, payloadErr("%s %q is not a time", field, s)
}

// capturePayer is a capture's payer, as readPayment reads it.
type capturePayer struct {
	EmailAddress string `json:"email_address,omitempty"`
	PayerID      string `json:"payer_id,omitempty"`
}
