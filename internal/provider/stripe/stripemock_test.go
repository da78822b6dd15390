package stripe

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"disputed/internal/dispute"
	"disputed/internal/provider"
	"disputed/internal/provider/stripe/stripemock"
)

// TestResponderAgainstStripeMock sends our requests to stripe-mock, which validates them
// against Stripe's OpenAPI description. It keeps no state, so only the shape of the requests is
// checked: every call must be accepted, and a malformed one refused.
func TestResponderAgainstStripeMock(t *testing.T) {
	t.Parallel()
	base := stripemock.Start(t)
	s := New(provider.Config{APIKey: "sk_test_123", APIBase: base}, nil)
	ctx := context.Background()
	const form = "application/x-www-form-urlencoded"

	// Every text field we accept, and every file field with a file id.
	all := map[string]string{}
	for _, f := range dispute.EvidenceFields {
		all[f] = "evidence for " + f
	}
	for _, f := range dispute.FileEvidenceFields {
		all[f] = "file_1QAbcDEfGhIjKlMn"
	}

	t.Run("stage evidence", func(t *testing.T) {
		t.Parallel()
		err := s.SendEvidence(ctx, "du_1QNrJcB7WZ01zgkWjHV0b1Xs", provider.Evidence{Fields: map[string]string{
			"customer_name": "Jane Doe", "customer_email_address": "jane@example.com", "receipt": "file_1QAbc",
		}}, false)
		if err != nil {
			t.Fatalf("SendEvidence: %v", err)
		}
	})
	t.Run("submit every field", func(t *testing.T) {
		t.Parallel()
		if err := s.SendEvidence(ctx, "dp_1HhZkq2eZvKYlo2C0sRFcb8x", provider.Evidence{Fields: all}, true); err != nil {
			t.Fatalf("SendEvidence: %v", err)
		}
	})
	t.Run("submit Visa Compelling Evidence 3.0", func(t *testing.T) {
		t.Parallel()
		address := &provider.Address{Line1: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
		element := func(charge string) provider.CE3Transaction {
			return provider.CE3Transaction{Charge: charge, CustomerAccountID: "acct-42", CustomerDeviceID: "device-0123456789abcdef",
				CustomerEmail: "ada@example.com", CustomerPurchaseIP: "203.0.113.7", ProductDescription: "VPS S, monthly",
				ShippingAddress: address}
		}
		ce3 := &provider.VisaCE3{MerchandiseOrServices: "services", Disputed: element(""),
			Prior: []provider.CE3Transaction{element("ch_1Prior"), element("ch_2Prior")}}
		if err := s.SendEvidence(ctx, "du_1", provider.Evidence{Fields: map[string]string{"product_description": "VPS S"}, VisaCE3: ce3}, true); err != nil {
			t.Fatalf("SendEvidence: %v", err)
		}
	})
	t.Run("submit what is staged", func(t *testing.T) {
		t.Parallel()
		if err := s.SendEvidence(ctx, "du_1", provider.Evidence{}, true); err != nil {
			t.Fatalf("SendEvidence: %v", err)
		}
	})
	t.Run("stage a file, uploaded first", func(t *testing.T) {
		t.Parallel()
		ev := provider.Evidence{Files: map[string]provider.File{
			"uncategorized_file": {Name: "proof.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4\n1 0 obj<</Type /Page>>endobj\n")},
		}}
		if err := s.SendEvidence(ctx, "du_1", ev, false); err != nil {
			t.Fatalf("SendEvidence with a file: %v", err)
		}
	})
	t.Run("concede", func(t *testing.T) {
		t.Parallel()
		if err := s.Concede(ctx, "du_1"); err != nil {
			t.Fatalf("Concede: %v", err)
		}
	})
	t.Run("a malformed parameter is refused for good", func(t *testing.T) {
		t.Parallel()
		// Not something SendEvidence builds: evidence as a string instead of a hash.
		_, err := s.post(ctx, s.apiBase, "/v1/disputes/du_1", form, []byte(url.Values{"evidence": {"all of it"}}.Encode()), "")
		var ae *APIError
		if !errors.As(err, &ae) {
			t.Fatalf("post = %v, want *APIError", err)
		}
		if ae.Status != http.StatusBadRequest || !ae.Permanent || ae.Type != "invalid_request_error" || ae.Message == "" {
			t.Errorf("error = %+v, want a permanent 400 invalid_request_error with a message", ae)
		}
	})
	t.Run("an unknown parameter is refused for good", func(t *testing.T) {
		t.Parallel()
		_, err := s.post(ctx, s.apiBase, "/v1/disputes/du_1/close", form, []byte(url.Values{"reason": {"tired"}}.Encode()), "")
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != http.StatusBadRequest || !ae.Permanent {
			t.Errorf("post = %v, want a permanent 400", err)
		}
	})
	t.Run("an unknown evidence field never reaches Stripe", func(t *testing.T) {
		t.Parallel()
		// stripe-mock does not check the keys inside evidence; we must.
		err := s.SendEvidence(ctx, "du_1", provider.Evidence{Fields: map[string]string{"customer_nmae": "Jane"}}, false)
		var ae *APIError
		if !errors.As(err, &ae) || !ae.Permanent || ae.Code != "parameter_unknown" {
			t.Errorf("SendEvidence = %v, want a permanent parameter_unknown", err)
		}
	})
	t.Run("a bad API key is refused for good", func(t *testing.T) {
		t.Parallel()
		bad := New(provider.Config{APIKey: "not_a_key", APIBase: base}, nil)
		err := bad.Concede(ctx, "du_1")
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized || !ae.Permanent {
			t.Errorf("Concede = %v, want a permanent 401", err)
		}
	})
}
