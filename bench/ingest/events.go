package main

import (
	"encoding/json"
	"fmt"
	"time"

	"disputed/internal/hmacsig"
)

// The provider the server is configured with, and its webhook secret.
const (
	stripeName   = "stripe"
	stripeSecret = "whsec_bench_stripe_0123456789"
	webhookPath  = "/v1/providers/" + stripeName + "/webhook"
)

// The stream is made of blocks of 30 events, each a merchant's payments as Stripe reports them:
// 22 charges (charge.succeeded), refunds of 5 of them (refund.created) and one dispute of its
// first charge, opened, under review and decided (charge.dispute.created, …updated, …closed):
// 27 charge and refund events (90 %) and 3 dispute events (10 %).
const (
	chargesPerBlock = 22
	refundsPerBlock = 5
	eventsPerCase   = 3
	eventsPerBlock  = chargesPerBlock + refundsPerBlock + eventsPerCase
	// paymentsPerBlock are the charge and refund events, which come first in a block.
	paymentsPerBlock = chargesPerBlock + refundsPerBlock
)

// stripeAPIVersion is the version the events are shaped by.
const stripeAPIVersion = "2024-06-20"

// webhook is one provider event ready to send.
type webhook struct {
	id      string // the event's id
	body    []byte
	dispute bool
}

// newWebhook is the event body carries, with its id.
func newWebhook(body []byte, dispute bool) (webhook, error) {
	var e struct {
		ID string `json:"id"`
	}
	err := json.Unmarshal(body, &e)
	return webhook{id: e.ID, body: body, dispute: dispute}, err
}

// signed returns the Stripe-Signature header's value for sending now.
func (w webhook) signed(now time.Time) string { return hmacsig.Sign(stripeSecret, now, w.body) }

// stream is a phase's blocks: phase names its event and object ids, so that phases never share
// one, and orders[b][j] is the id of the order block b's charge j names in its metadata (an
// order of ours, or one we never saw).
type stream struct {
	phase  string
	blocks [][]webhook
}

// newStream builds the events of blocks blocks, created from start on.
func newStream(phase string, orders [][]string, start time.Time) (stream, error) {
	s := stream{phase: phase, blocks: make([][]webhook, len(orders))}
	for b := range orders {
		created := start.Add(time.Duration(b) * time.Second)
		block := make([]webhook, 0, eventsPerBlock)
		for j := range chargesPerBlock {
			w, err := s.event(s.charge(b, j, orders[b][j], created))
			if err != nil {
				return s, err
			}
			block = append(block, w)
		}
		for j := range refundsPerBlock {
			// The refunds are of the charges after the disputed one.
			w, err := s.event(s.refund(b, j+1, created.Add(time.Minute)))
			if err != nil {
				return s, err
			}
			block = append(block, w)
		}
		for step, typ := range []string{"charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed"} {
			body, err := s.dispute(b, step, typ, created.Add(time.Hour), created.Add(time.Hour+time.Duration(step)*time.Second))
			if err != nil {
				return s, err
			}
			w, err := newWebhook(body, true)
			if err != nil {
				return s, err
			}
			block = append(block, w)
		}
		s.blocks[b] = block
	}
	return s, nil
}

// event is the charge or refund event body, as built.
func (s stream) event(body []byte, err error) (webhook, error) {
	if err != nil {
		return webhook{}, err
	}
	return newWebhook(body, false)
}

// payments and disputes are the streams of the blocks' charge and refund events alone and of
// their dispute events alone: a block's events in the order sent.
func (s stream) payments() [][]webhook { return s.part(0, paymentsPerBlock) }
func (s stream) disputes() [][]webhook { return s.part(paymentsPerBlock, eventsPerBlock) }

func (s stream) part(from, to int) [][]webhook {
	out := make([][]webhook, len(s.blocks))
	for b, block := range s.blocks {
		out[b] = block[from:to]
	}
	return out
}

// events is how many events the stream holds, and how many of them are dispute events.
func (s stream) events() (all, disputes int) {
	return len(s.blocks) * eventsPerBlock, len(s.blocks) * eventsPerCase
}

// chargeID is Stripe's id of block b's charge j; amount is what it charged, in cents.
func (s stream) chargeID(b, j int) string { return fmt.Sprintf("ch_%s_%06d_%02d", s.phase, b, j) }
func amount(b, j int) int64               { return 1000 + int64((b*chargesPerBlock+j)*379%9000) }

// card is the card a charge was paid with: a buyer pays with the same card about three times.
func card(b, j int) (brand, last4, fingerprint string) {
	n := (b*chargesPerBlock + j) / 3
	brand = []string{"visa", "visa", "mastercard", "amex"}[n%4]
	return brand, fmt.Sprintf("%04d", n%10000), fmt.Sprintf("fp%014d", n)
}

// envelope is the Event object around data.object.
func (s stream) envelope(id, typ string, created time.Time, object map[string]any) ([]byte, error) {
	return json.Marshal(map[string]any{"id": id, "object": "event", "api_version": stripeAPIVersion, "created": created.Unix(),
		"livemode": false, "type": typ, "pending_webhooks": 1, "request": map[string]any{"id": nil, "idempotency_key": nil},
		"data": map[string]any{"object": object}})
}

// charge is a charge.succeeded: a card payment captured, with the order it pays in metadata.
func (s stream) charge(b, j int, order string, created time.Time) ([]byte, error) {
	brand, last4, fingerprint := card(b, j)
	buyer := (b*chargesPerBlock + j) / 3
	return s.envelope(fmt.Sprintf("evt_%s_%06d_c%02d", s.phase, b, j), "charge.succeeded", created, map[string]any{
		"id": s.chargeID(b, j), "object": "charge", "amount": amount(b, j), "amount_captured": amount(b, j), "amount_refunded": 0,
		"currency": "usd", "captured": true, "paid": true, "refunded": false, "disputed": false, "status": "succeeded",
		"created": created.Unix(), "livemode": false, "description": "IPTV 12 months",
		"customer":       fmt.Sprintf("cus_%s_%06d", s.phase, buyer),
		"payment_intent": fmt.Sprintf("pi_%s_%06d_%02d", s.phase, b, j),
		"receipt_email":  fmt.Sprintf("buyer%d@example.com", buyer),
		"billing_details": map[string]any{"email": fmt.Sprintf("buyer%d@example.com", buyer), "name": nil, "phone": nil,
			"address": map[string]any{"country": "US", "postal_code": "10001"}},
		"metadata": map[string]any{"order_id": order},
		"payment_method_details": map[string]any{"type": "card", "card": map[string]any{"brand": brand, "last4": last4,
			"fingerprint": fingerprint, "network": brand, "country": "US", "exp_month": 12, "exp_year": 2030, "funding": "credit",
			"checks": map[string]any{"cvc_check": "pass", "address_postal_code_check": "pass"}}},
		"outcome": map[string]any{"network_status": "approved_by_network", "risk_level": "normal", "type": "authorized"},
	})
}

// refund is a refund.created of half of block b's charge j.
func (s stream) refund(b, j int, created time.Time) ([]byte, error) {
	return s.envelope(fmt.Sprintf("evt_%s_%06d_r%02d", s.phase, b, j), "refund.created", created, map[string]any{
		"id": fmt.Sprintf("re_%s_%06d_%02d", s.phase, b, j), "object": "refund", "amount": amount(b, j) / 2, "currency": "usd",
		"charge": s.chargeID(b, j), "payment_intent": fmt.Sprintf("pi_%s_%06d_%02d", s.phase, b, j), "status": "succeeded",
		"reason": "requested_by_customer", "created": created.Unix(), "metadata": map[string]any{},
	})
}

// dispute is step step of the dispute of block b's first charge: needs_response, under_review,
// then won or lost. The dispute was opened at opened, the event sent at sent: as at Stripe,
// every event of one dispute carries the dispute's own creation time and due date.
func (s stream) dispute(b, step int, typ string, opened, sent time.Time) ([]byte, error) {
	status := []string{"needs_response", "under_review", "won"}[step]
	if step == 2 && b%2 == 1 {
		status = "lost"
	}
	brand, _, _ := card(b, 0)
	return s.envelope(fmt.Sprintf("evt_%s_%06d_d%d", s.phase, b, step), typ, sent, map[string]any{
		"id": fmt.Sprintf("dp_%s_%06d", s.phase, b), "object": "dispute", "amount": amount(b, 0), "currency": "usd",
		"charge": s.chargeID(b, 0), "payment_intent": fmt.Sprintf("pi_%s_%06d_%02d", s.phase, b, 0), "reason": "fraudulent",
		"status": status, "livemode": false, "created": opened.Unix(), "is_charge_refundable": false, "metadata": map[string]any{},
		"evidence": map[string]any{}, "balance_transactions": []any{},
		"evidence_details": map[string]any{"due_by": opened.Add(14 * 24 * time.Hour).Unix(), "has_evidence": step > 0,
			"past_due": false, "submission_count": min(step, 1)},
		"payment_method_details": map[string]any{"type": "card", "card": map[string]any{"brand": brand, "network_reason_code": "10.4"}},
	})
}
