package httpapi_test

import (
	"slices"
	"strings"
	"testing"

	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
	"disputed/internal/webhook"
)

// TestDisputeListQuery keeps what only HTTP shows of listing disputes (the filters' rules are
// tested beside internal/app): a status that does not exist is refused naming the parameter, and
// charge_intent is payment_intent's alias.
func TestDisputeListQuery(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	amount := int64(300)
	pi := testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge",
		Money: app.Money{Amount: &amount, Currency: "usd"}, Provider: "stripe", ProviderReference: "pi_3QOurIntent"}))(t)
	byIntent := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "chargeback",
		TransactionID: pi.Transaction.ID}))(t).ID
	for query, wantIDs := range map[string][]string{
		"payment_intent=pi_3QOurIntent": {byIntent},
		"charge_intent=pi_3QOurIntent":  {byIntent},
		"charge_intent=pi_nobody":       nil,
	} {
		if got := listedIDs(t, c.Get("/v1/disputes?"+query)); !slices.Equal(got, wantIDs) {
			t.Errorf("%s: %v, want %v", query, got, wantIDs)
		}
	}
	if got := testenv.Want[httpapi.ErrorBody](t, c.Get("/v1/disputes?status=needs_respons"), 422).Error; !strings.HasSuffix(got.Param, "status") {
		t.Errorf("a status that does not exist: %+v", got)
	}
}

// openAPIEnums is the part of the OpenAPI document TestOpenAPIEnums reads.
type openAPIEnums struct {
	Components struct {
		Schemas map[string]struct {
			Properties map[string]struct {
				Enum  []string `json:"enum"`
				Items struct {
					Enum []string `json:"enum"`
				} `json:"items"`
			} `json:"properties"`
		} `json:"schemas"`
	} `json:"components"`
	Paths map[string]map[string]struct {
		Parameters []struct {
			Name   string `json:"name"`
			Schema struct {
				Enum []string `json:"enum"`
			} `json:"schema"`
		} `json:"parameters"`
	} `json:"paths"`
}

// TestOpenAPIEnums checks that the document lists the values of the dispute's coded fields and
// the event types, the same lists the server checks.
func TestOpenAPIEnums(t *testing.T) {
	t.Parallel()
	c := testenv.New(t, "sqlite", testenv.Options{}).Serve()
	doc := testenv.Want[openAPIEnums](t, c.As("").Get("/openapi.json"), 200)
	props := doc.Components.Schemas["Dispute"].Properties
	for field, wantAll := range map[string][]string{
		"type":       {"chargeback", "inquiry", "alert", "marketplace", "manual"},
		"status":     {"needs_response", "under_review", "won", "lost", "warning_needs_response", "open", "pending_review", "escalated", "resolved", "closed"},
		"stage":      {"inquiry", "chargeback", "pre_arbitration", "arbitration"},
		"reason":     {"fraudulent", "duplicate", "product_not_received", "product_unacceptable", "general", "insufficient_funds"},
		"resolution": {"won", "lost", "full_refund", "favor_vendor", "issued_full_refund", "voided"},
	} {
		got := props[field].Enum
		for _, v := range wantAll {
			if !slices.Contains(got, v) {
				t.Errorf("Dispute.%s's enum %v lacks %q", field, got, v)
			}
		}
	}
	if got := doc.Components.Schemas["Event"].Properties["type"].Enum; !slices.Equal(got, webhook.EventTypes) {
		t.Errorf("Event.type's enum %v, want %v", got, webhook.EventTypes)
	}
	for _, schema := range []string{"WebhookEndpoint", "EndpointWithSecret"} {
		got := doc.Components.Schemas[schema].Properties["events"].Items.Enum
		if !slices.Contains(got, webhook.All) || !slices.Contains(got, "order.created") || !slices.Contains(got, "order.updated") {
			t.Errorf("%s.events lists %v", schema, got)
		}
	}
	var statusParam []string
	for _, p := range doc.Paths["/v1/disputes"]["get"].Parameters {
		if p.Name == "status" {
			statusParam = append(statusParam, p.Schema.Enum...)
		}
	}
	if !slices.Contains(statusParam, "needs_response") || !slices.Contains(statusParam, "closed") {
		t.Errorf("the list's status filter lists %v", statusParam)
	}
}
