package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/provider/generic"
	"disputed/internal/testenv"
)

// webhookAnswer is a provider webhook's answer (httpapi.ProviderWebhookAnswer), with what
// became of its event once applied (the stored httpapi.ProviderEvent).
type webhookAnswer struct {
	Received  bool    `json:"received"`
	ID        string  `json:"id"`
	EventID   string  `json:"event_id"`
	Duplicate bool    `json:"duplicate"`
	DisputeID *string `json:"dispute_id"`
	Outcome   string  `json:"outcome"`
}

// webhookAccepted ends the test unless r is a provider webhook's 200, and returns the answer
// with its event's dispute and outcome, read once the client applied it.
func webhookAccepted(t testing.TB, e *testenv.Env, r testenv.Response) webhookAnswer {
	t.Helper()
	a := testenv.Want[webhookAnswer](t, r, http.StatusOK)
	stored := testenv.Must(e.App.ProviderEvent(e.Ctx, testenv.Admin, a.ID))(t)
	if stored.State != "applied" {
		t.Fatalf("event %s is %s (%s), not applied", a.ID, stored.State, stored.Error)
	}
	a.DisputeID, a.Outcome = opt(stored.DisputeID), stored.Outcome
	return a
}

// opt is s, nil when empty, as the wire writes an absent text.
func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// dispute is the dispute the answer names, "" when none.
func (a webhookAnswer) dispute() string { return wireText(a.DisputeID) }

// wireText is an optional text of a wire value, "" when it is null.
func wireText(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// webhookDelivery posts body to the named provider's webhook with the headers given and no API
// key: providers sign their webhooks instead.
func webhookDelivery(c *testenv.Client, provider string, body []byte, headers ...string) testenv.Response {
	c.T.Helper()
	return c.As("").Do(http.MethodPost, "/v1/providers/"+provider+"/webhook", body, headers...)
}

// stripeDelivery posts a Stripe event to the provider "stripe", signed with secret at the moment
// given.
func stripeDelivery(c *testenv.Client, at time.Time, event map[string]any, secret string) testenv.Response {
	c.T.Helper()
	body, err := json.Marshal(event)
	if err != nil {
		c.T.Fatal(err)
	}
	return webhookDelivery(c, "stripe", body, "Stripe-Signature", testenv.StripeSignature(secret, at, body))
}

// feedDelivery posts an object to a generic feed provider, signed with secret at the moment given.
func feedDelivery(c *testenv.Client, provider, secret string, at time.Time, object map[string]any) testenv.Response {
	c.T.Helper()
	body, err := json.Marshal(object)
	if err != nil {
		c.T.Fatal(err)
	}
	return webhookDelivery(c, provider, body, "X-Signature", generic.Sign(secret, at, body))
}

// webhookRead GETs an object or a list as the API shows it, ending the test unless it is there.
func webhookRead[T any](c *testenv.Client, path string) T {
	c.T.Helper()
	return testenv.Want[T](c.T, c.Get(path), http.StatusOK)
}

// stripeServed configures the provider "stripe" (its webhook secret being rotated: the old one
// is still taken) and serves the Env.
func stripeServed(t *testing.T, e *testenv.Env) *testenv.Client {
	t.Helper()
	testenv.Must(e.App.CreateProvider(e.Ctx, testenv.Admin, app.ProviderParams{Name: "stripe", Type: "stripe",
		WebhookSecret: "whsec_old_one," + testenv.StripeSecret, APIKey: "sk_test_123"}))(t)
	return e.Serve()
}

// TestStripeDisputeIsHandledAutomatically: what HTTP shows of a Stripe dispute's events: a
// forged or stale signature is refused with nothing stored; an event is answered with the
// dispute it opened, shown as Stripe described it; a replay is answered as a duplicate, and an
// older update arriving late says so.
func TestStripeDisputeIsHandledAutomatically(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		c := stripeServed(t, e)
		sale := e.Sale(testenv.SaleParams{Amount: 4999})
		ref := sale.Charge.ProviderReference
		created := testenv.StripeEvent("evt_1", "charge.dispute.created", "needs_response", "dp_1QStripe0001", ref, e.Clock.Now())

		testenv.WantError(t, stripeDelivery(c, e.Clock.Now(), created, "whsec_wrong"), 401, "invalid_signature")
		testenv.WantError(t, stripeDelivery(c, e.Clock.Now().Add(-10*time.Minute), created, testenv.StripeSecret), 401, "invalid_signature")
		if n := len(webhookRead[httpapi.List[httpapi.Dispute]](c, "/v1/disputes").Data); n != 0 {
			t.Fatalf("a refused event stored %d disputes", n)
		}

		r := webhookAccepted(t, e, stripeDelivery(c, e.Clock.Now(), created, testenv.StripeSecret))
		id := r.dispute()
		d := webhookRead[httpapi.Dispute](c, "/v1/disputes/"+id)
		if wireText(d.ProviderDisputeID) != "dp_1QStripe0001" || wireText(d.Provider) != "stripe" || wireText(d.TransactionID) != sale.Charge.ID ||
			wireText(d.OrderID) != sale.Order.ID || wireText(d.CustomerID) != sale.Customer.ID || wireText(d.NetworkReasonCode) != "10.4" ||
			d.Amount != 4999 || d.Currency != "USD" || d.Status != "needs_response" || d.DueBy == nil {
			t.Fatalf("dispute from Stripe: %s", webhookJSON(d))
		}
		// What else opening it did is TestStripeEventsDriveTheDispute, beside internal/app; the
		// timeline shows the notification as Stripe sent it.
		tl := webhookRead[httpapi.List[httpapi.TimelineEntry]](c, "/v1/disputes/"+id+"/timeline").Data
		last := tl[len(tl)-1]
		if last.Action != "provider_event" || last.Actor != "provider:stripe" {
			t.Errorf("timeline ends with %s", webhookJSON(last))
		}
		var payload struct{ ID, Type string }
		if err := json.Unmarshal(last.Payload, &payload); err != nil || payload.ID != "evt_1" || payload.Type != "charge.dispute.created" {
			t.Errorf("the raw payload on the timeline: %s (%v)", last.Payload, err)
		}

		// A replay is answered as one.
		for range 2 {
			if again := webhookAccepted(t, e, stripeDelivery(c, e.Clock.Now(), created, testenv.StripeSecret)); !again.Duplicate {
				t.Fatalf("replay: %s", webhookJSON(again))
			}
		}
		if n := len(webhookRead[httpapi.List[httpapi.Dispute]](c, "/v1/disputes").Data); n != 1 {
			t.Fatalf("%d disputes after replays", n)
		}

		// Money withdrawn, then the decision; an older update arriving late changes nothing.
		e.Clock.Advance(time.Minute)
		webhookAccepted(t, e, stripeDelivery(c, e.Clock.Now(),
			testenv.StripeEvent("evt_2", "charge.dispute.funds_withdrawn", "needs_response", "dp_1QStripe0001", ref, e.Clock.Now()), testenv.StripeSecret))
		late := testenv.StripeEvent("evt_3", "charge.dispute.updated", "under_review", "dp_1QStripe0001", ref, e.Clock.Now())
		e.Clock.Advance(time.Minute)
		webhookAccepted(t, e, stripeDelivery(c, e.Clock.Now(),
			testenv.StripeEvent("evt_4", "charge.dispute.closed", "lost", "dp_1QStripe0001", ref, e.Clock.Now()), testenv.StripeSecret))
		if lr := webhookAccepted(t, e, stripeDelivery(c, e.Clock.Now(), late, testenv.StripeSecret)); !strings.Contains(lr.Outcome, "older") {
			t.Errorf("late event outcome: %s", webhookJSON(lr))
		}
		d = webhookRead[httpapi.Dispute](c, "/v1/disputes/"+id)
		if d.Status != "lost" || wireText(d.ResolvedBy) != "provider:stripe" {
			t.Fatalf("after closed lost and a late update: %s", webhookJSON(d))
		}
	})
}

// TestGenericFeed: what HTTP shows of a generic feed: a wrong signature is refused, an object
// it cannot read is a 400, and each object is answered with the dispute it concerns, shown as
// the feed described it. (What the objects do, the RDR's refund and the case number's match, is
// internal/app's TestGenericFeedDisputes.)
func TestGenericFeed(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		const secret = "generic-feed-secret"
		testenv.Must(e.App.CreateProvider(e.Ctx, testenv.Admin, app.ProviderParams{Name: "alerts", Type: "generic", WebhookSecret: secret}))(t)
		post := func(object map[string]any, key string) testenv.Response {
			return feedDelivery(c, "alerts", key, e.Clock.Now(), object)
		}
		sale := e.Sale(testenv.SaleParams{Amount: 4999})
		rdr := map[string]any{"id": "alrt-1", "type": "alert", "alert_type": "rdr", "amount": "49.99", "currency": "USD",
			"arn": "74000000000000000000077", "transaction_reference": sale.Charge.ProviderReference, "happened_at": "2026-11-20T10:00:00Z"}
		testenv.WantError(t, post(rdr, "wrong-secret"), 401, "invalid_signature")
		r := webhookAccepted(t, e, post(rdr, secret))
		a := webhookRead[httpapi.Dispute](c, "/v1/disputes/"+r.dispute())
		if a.Type != "alert" || wireText(a.AlertType) != "rdr" || wireText(a.Resolution) != "issued_full_refund" {
			t.Fatalf("RDR alert: %s", webhookJSON(a))
		}
		testenv.WantStatus(t, post(map[string]any{"id": "bad-1", "type": "alert", "alert_type": "smoke"}, secret), 400)

		// A chargeback from the feed, then a later object with its case number about it.
		sale2 := e.Sale(testenv.SaleParams{Amount: 2500})
		cb := webhookAccepted(t, e, post(map[string]any{"id": "cb-1", "type": "chargeback", "status": "needs_response", "amount": "25.00", "currency": "usd",
			"reason": "fraudulent", "network_reason_code": "10.4", "case_number": "C-1", "transaction_reference": sale2.Charge.ProviderReference,
			"happened_at": "2026-11-22T10:00:00Z", "due_by": "2026-12-01T00:00:00Z"}, secret))
		e.Clock.Advance(time.Minute)
		won := webhookAccepted(t, e, post(map[string]any{"id": "cb-2", "type": "chargeback", "status": "won", "amount": "25.00", "currency": "usd",
			"case_number": "C-1", "transaction_reference": sale2.Charge.ProviderReference, "happened_at": "2026-11-23T10:00:00Z"}, secret))
		if won.dispute() != cb.dispute() {
			t.Fatalf("a second object with the case number opened another dispute: %s", webhookJSON(won))
		}
		if d := webhookRead[httpapi.Dispute](c, "/v1/disputes/"+cb.dispute()); d.Status != "won" || wireText(d.CaseNumber) != "C-1" {
			t.Fatalf("feed chargeback: %s", webhookJSON(d))
		}
	})
}

// payPalDelivery posts a PayPal notification signed for the webhook id given.
func payPalDelivery(e *testenv.Env, c *testenv.Client, signer *testenv.PayPalSigner, webhookID string, body []byte) testenv.Response {
	c.T.Helper()
	return webhookDelivery(c, "paypal", body, signer.Headers(c.T, e.Clock.Now(), webhookID, body)...)
}

func TestPayPalDisputes(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			signer := testenv.NewPayPalSigner(t)
			e := testenv.New(t, kind, testenv.Options{Providers: signer.Providers()})
			e.PayPalProvider("", "")
			c := e.Serve()
			txn := "3GG2PAYPAL" + kind
			sale := e.ProviderSale("paypal", txn, "EUR", 4999)
			created := testenv.PayPalPayload(t, "chargeback_created.json", txn)
			testenv.WantError(t, payPalDelivery(e, c, signer, "WH-OTHER", created), 401, "invalid_signature")
			r := webhookAccepted(t, e, payPalDelivery(e, c, signer, testenv.PayPalWebhookID, created))
			d := webhookRead[httpapi.Dispute](c, "/v1/disputes/"+r.dispute())
			if wireText(d.ProviderDisputeID) != "PP-D-98852" || d.Type != "chargeback" || d.Status != "needs_response" ||
				wireText(d.OrderID) != sale.Order.ID || d.Reason != "fraudulent" || wireText(d.NetworkReasonCode) != "10.4" {
				t.Fatalf("PayPal dispute: %s", webhookJSON(d))
			}
			// An EXTERNAL case is argued with the card issuer; the payment is covered by PayPal's
			// seller protection; the provider's ids of the payment are kept.
			if d.Channel != "network" || wireText(d.SellerProtection) != "eligible" ||
				wireText(d.ProviderCharge) != txn || wireText(d.ProviderPaymentIntent) != "1WT05823XP2261744" {
				t.Errorf("PayPal dispute's channel, seller protection and payment ids: %s", webhookJSON(d))
			}
			inquiry := webhookAccepted(t, e, payPalDelivery(e, c, signer, testenv.PayPalWebhookID, testenv.PayPalPayload(t, "inquiry_created.json", "unrecorded")))
			if d := webhookRead[httpapi.Dispute](c, "/v1/disputes/"+inquiry.dispute()); d.Channel != "provider" || wireText(d.SellerProtection) != "eligible" {
				t.Errorf("an INTERNAL PayPal case: %s", webhookJSON(d))
			}
			webhookAccepted(t, e, payPalDelivery(e, c, signer, testenv.PayPalWebhookID, created))
			webhookAccepted(t, e, payPalDelivery(e, c, signer, testenv.PayPalWebhookID, testenv.PayPalPayload(t, "chargeback_resolved.json", txn)))
			if d := webhookRead[httpapi.Dispute](c, "/v1/disputes/"+r.dispute()); d.Status != "won" {
				t.Fatalf("after RESOLVED in the seller's favour: %s", webhookJSON(d))
			}
			if n := signer.Fetches(); n != 1 {
				t.Fatalf("the certificate was fetched %d times, want once (cached)", n)
			}
		})
	}
}

// webhookJSON shows a wire value as the API sent it, for failure messages.
func webhookJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
