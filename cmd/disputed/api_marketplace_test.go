package main

import (
	"bytes"
	"mime/multipart"
	"net/textproto"
	"testing"

	"disputed/internal/actor"
)

// marketplaceDispute is a completed order between a buyer and a vendor, charged, with a marketplace
// dispute the buyer opened and an admin moved to review.
func (s *server) marketplaceDispute(amount int64, review bool) (dsp, ord, charge string) {
	s.t.Helper()
	_, ord, charge = s.sale(amount, "usd", map[string]any{"panel": "manual", "external_id": "svc-1"})
	d := s.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord, "initiated_by": "buyer",
		"description": "not as described"})
	want(s.t, d, 201)
	if review {
		want(s.t, s.post("/v1/disputes/"+d.str("id")+"/status", map[string]any{"status": "pending_review"}), 200)
	}
	return d.str("id"), ord, charge
}

// TestMarketplaceResolutions checks what each resolution does to the order and the charge.
func TestMarketplaceResolutions(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		t.Run("full_refund", func(t *testing.T) {
			s := s.on(t)
			id, ord, charge := s.marketplaceDispute(2500, true)
			r := s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "full_refund", "notes": "vendor never shipped"})
			want(t, r, 200)
			if r.str("status") != "resolved" || r.str("resolution") != "full_refund" {
				t.Fatalf("resolved: %s", r.raw)
			}
			o := s.get("/v1/orders/" + ord)
			if o.str("status") != "refunded" || o.get("dispute_id") != nil {
				t.Errorf("order: %s", o.raw)
			}
			if l := o.lines(); len(l) != 1 || l[0]["pending_action"] != "terminate" {
				t.Errorf("line after full_refund: %v", l)
			}
			ch := s.get("/v1/transactions/" + charge)
			if ch.num("amount_refunded") != 2500 || len(ch.objs("refunds")) != 1 {
				t.Errorf("charge: %s", ch.raw)
			}
			// Resolved, then closed; closed is final.
			c := s.post("/v1/disputes/"+id+"/close", nil)
			want(t, c, 200)
			if c.str("status") != "closed" {
				t.Errorf("closed: %s", c.raw)
			}
			want(t, s.post("/v1/disputes/"+id+"/status", map[string]any{"status": "open"}), 409, "invalid_state")
			want(t, s.post("/v1/disputes/"+id+"/status", map[string]any{"status": "pending_review"}), 409, "invalid_state")
			want(t, s.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "late"}), 409, "invalid_state")
		})
		t.Run("favor_vendor", func(t *testing.T) {
			s := s.on(t)
			id, ord, charge := s.marketplaceDispute(2500, true)
			want(t, s.post("/v1/disputes/"+id+"/status", map[string]any{"status": "escalated"}), 200)
			r := s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "favor_vendor"})
			want(t, r, 200)
			o := s.get("/v1/orders/" + ord)
			if o.str("status") != "completed" || o.get("dispute_id") != nil {
				t.Errorf("order: %s", o.raw)
			}
			ch := s.get("/v1/transactions/" + charge)
			if ch.num("amount_refunded") != 0 || len(ch.objs("refunds")) != 0 {
				t.Errorf("favor_vendor refunded: %s", ch.raw)
			}
			if n := len(s.get("/v1/events?type=refund.created&dispute_id=" + id).list()); n != 0 {
				t.Errorf("%d refund.created events for favor_vendor", n)
			}
		})
		t.Run("partial_refund", func(t *testing.T) {
			s := s.on(t)
			id, ord, charge := s.marketplaceDispute(2500, true)
			want(t, s.post("/v1/transactions/"+charge+"/refund", map[string]any{"amount": 1000}), 201)
			before := s.snapshot("/v1/disputes/"+id, "/v1/orders/"+ord, "/v1/transactions/"+charge, "/v1/events?limit=100")
			over := s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "partial_refund", "refund_amount": 1501})
			want(t, over, 422)
			want(t, s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "partial_refund"}), 422, "parameter_missing")
			want(t, s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "favor_vendor", "refund_amount": 5}), 422)
			if after := s.snapshot("/v1/disputes/"+id, "/v1/orders/"+ord, "/v1/transactions/"+charge, "/v1/events?limit=100"); !bytes.Equal(before, after) {
				t.Errorf("a refused resolution changed something:\n%s\n%s", before, after)
			}
			ok := s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "partial_refund", "refund_amount_decimal": "5.00",
				"terminate_lines": true})
			want(t, ok, 200)
			o := s.get("/v1/orders/" + ord)
			if o.str("status") != "partially_refunded" {
				t.Errorf("order: %s", o.raw)
			}
			if l := o.lines(); len(l) != 1 || l[0]["pending_action"] != "terminate" {
				t.Errorf("terminate_lines: %v", l)
			}
			if got := s.get("/v1/transactions/" + charge).num("amount_refunded"); got != 1500 {
				t.Errorf("amount_refunded %d, want 1500", got)
			}
		})
		t.Run("favor_buyer_after_review", func(t *testing.T) {
			s := s.on(t)
			id, ord, charge := s.marketplaceDispute(900, true)
			want(t, s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "favor_buyer"}), 200)
			if s.get("/v1/orders/"+ord).str("status") != "refunded" || s.get("/v1/transactions/"+charge).num("amount_refunded") != 900 {
				t.Errorf("favor_buyer did not refund the order")
			}
		})
		t.Run("mutual_agreement", func(t *testing.T) {
			s := s.on(t)
			id, ord, charge := s.marketplaceDispute(900, true)
			want(t, s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "mutual_agreement"}), 200)
			o := s.get("/v1/orders/" + ord)
			if o.str("status") != "completed" || s.get("/v1/transactions/"+charge).num("amount_refunded") != 0 {
				t.Errorf("mutual_agreement: %s", o.raw)
			}
			// The line was suspended when the dispute opened (pending) and is now wanted active
			// again: nothing is left to do.
			if l := o.lines(); len(l) != 1 || l[0]["pending_action"] != nil || l[0]["state"] != "active" {
				t.Errorf("line after mutual_agreement: %v", l)
			}
		})
	})
}

// TestMarketplaceOpen checks opening rules: an order's one open dispute, completed orders only,
// the review path.
func TestMarketplaceOpen(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		id, ord, _ := s.marketplaceDispute(1000, false)
		d := s.get("/v1/disputes/" + id)
		if d.str("status") != "open" || d.num("amount") != 1000 || d.str("currency") != "USD" {
			t.Errorf("new marketplace dispute: %s", d.raw)
		}
		if o := s.get("/v1/orders/" + ord); o.str("dispute_id") != id || o.str("dispute_status") != "open" || o.str("status") != "completed" {
			t.Errorf("order while disputed: %s", o.raw)
		}
		want(t, s.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord, "initiated_by": "vendor"}), 409, "dispute_exists")
		want(t, s.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord}), 422)
		want(t, s.post("/v1/disputes", map[string]any{"type": "marketplace", "initiated_by": "buyer"}), 422, "parameter_missing")
		c := s.post("/v1/customers", map[string]any{"email": "p@example.com"})
		p := s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "currency": "USD", "items": []any{map[string]any{"description": "x", "amount": 5}}})
		want(t, s.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": p.str("id"), "initiated_by": "buyer"}), 409, "invalid_state")
		want(t, s.post("/v1/disputes/"+id+"/status", map[string]any{"status": "escalated"}), 409, "invalid_state")
		want(t, s.post("/v1/disputes/"+id+"/status", map[string]any{"status": "resolved"}), 409, "invalid_state")
		mv := s.post("/v1/disputes/"+id+"/status", map[string]any{"status": "pending_review", "note": "both sides heard"})
		want(t, mv, 200)
		if mv.str("status") != "pending_review" {
			t.Errorf("moved: %s", mv.raw)
		}
		if o := s.get("/v1/orders/" + ord); o.str("dispute_status") != "pending_review" {
			t.Errorf("order's dispute_status %q", o.str("dispute_status"))
		}
	})
}

// multipartEvidence builds a multipart/form-data body with the fields and one file part.
func multipartEvidence(t testing.TB, fields map[string]string, name, contentType string, data []byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if name != "" {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
		if contentType != "" {
			h.Set("Content-Type", contentType)
		}
		part, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = part.Write(data)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), w.FormDataContentType()
}

// TestEvidence appends evidence of every kind, as JSON and as file uploads: items are listed
// oldest first, never change, and each counts as one revision.
func TestEvidence(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		id, _, _ := s.marketplaceDispute(1000, false)
		rev := s.get("/v1/disputes/" + id).num("revision")
		text := s.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "chat log attached", "description": "chat"})
		want(t, text, 201)
		if text.str("object") != "evidence_item" || text.num("dispute_revision") != rev+1 || text.str("dispute_id") != id {
			t.Errorf("text item: %s", text.raw)
		}
		link := s.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "link", "content": "https://track.example.com/123"})
		want(t, link, 201)
		want(t, s.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "link", "content": "javascript:alert(1)"}), 422)
		want(t, s.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "video", "content": "x"}), 422)
		want(t, s.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "  "}), 422, "parameter_missing")

		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 1000)...)
		body, ct := multipartEvidence(t, map[string]string{"description": "photo of the box"}, "box.png", "image/png", png)
		img := s.post("/v1/disputes/"+id+"/evidence", body, "Content-Type", ct)
		want(t, img, 201)
		if img.str("type") != "image" || img.num("size") != int64(len(png)) || img.str("file_name") != "box.png" ||
			img.str("content_type") != "image/png" || img.str("description") != "photo of the box" {
			t.Errorf("image upload: %s", img.raw)
		}
		pdf := []byte("%PDF-1.4 invoice")
		body, ct = multipartEvidence(t, map[string]string{"type": "file"}, "invoice.pdf", "application/pdf", pdf)
		file := s.post("/v1/disputes/"+id+"/evidence", body, "Content-Type", ct)
		want(t, file, 201)
		if file.str("type") != "file" || file.num("size") != int64(len(pdf)) || file.str("file_name") != "invoice.pdf" {
			t.Errorf("file upload: %s", file.raw)
		}
		body, ct = multipartEvidence(t, map[string]string{"colour": "red"}, "x.txt", "text/plain", []byte("x"))
		bad := s.post("/v1/disputes/"+id+"/evidence", body, "Content-Type", ct)
		want(t, bad, 400, "unknown_field")
		if bad.str("error", "param") != "colour" {
			t.Errorf("param %q, want colour", bad.str("error", "param"))
		}
		body, ct = multipartEvidence(t, map[string]string{"revision": "1"}, "x.txt", "text/plain", []byte("x"))
		want(t, s.post("/v1/disputes/"+id+"/evidence", body, "Content-Type", ct), 409, "revision_conflict")

		list := s.get("/v1/disputes/" + id + "/evidence")
		want(t, list, 200)
		wantIDs := []string{text.str("id"), link.str("id"), img.str("id"), file.str("id")}
		if got := list.ids(); len(got) != 4 || got[0] != wantIDs[0] || got[1] != wantIDs[1] || got[2] != wantIDs[2] || got[3] != wantIDs[3] {
			t.Fatalf("evidence list %v, want %v (oldest first)", got, wantIDs)
		}
		if first := list.list()[0]; first["content"] != "chat log attached" || first["description"] != "chat" {
			t.Errorf("first item: %v", first)
		}
		d := s.get("/v1/disputes/" + id)
		if d.num("revision") != rev+4 || d.get("evidence_details", "has_evidence") != true {
			t.Errorf("dispute after 4 items: %s", d.raw)
		}
		if n := len(s.get("/v1/events?type=dispute.evidence_added&dispute_id=" + id).list()); n != 4 {
			t.Errorf("%d dispute.evidence_added events, want 4", n)
		}

		// Append-only: there is no way to edit or delete an item.
		for _, m := range []string{"DELETE", "PUT", "PATCH"} {
			r := s.call(m, "/v1/disputes/"+id+"/evidence/"+text.str("id"), nil)
			if r.status != 404 && r.status != 405 {
				t.Errorf("%s on an evidence item: %d", m, r.status)
			}
		}
		if r := s.call("DELETE", "/v1/disputes/"+id+"/evidence", nil); r.status != 405 || r.header.Get("Allow") != "GET, POST" {
			t.Errorf("DELETE on the evidence list: %d, Allow %q", r.status, r.header.Get("Allow"))
		}
		if again := s.get("/v1/disputes/" + id + "/evidence"); !bytes.Equal(again.raw, list.raw) {
			t.Errorf("evidence changed:\n%s\n%s", list.raw, again.raw)
		}
	})
}

// TestEvidenceByKind: alerts take no evidence, card disputes only from staff while the
// merchant must respond.
func TestEvidenceByKind(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		a := s.post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "ethoca", "amount": 5, "currency": "usd"})
		want(t, s.post("/v1/disputes/"+a.str("id")+"/evidence", map[string]any{"type": "text", "content": "x"}), 422)
		cus, _, charge := s.sale(1000, "usd")
		cb := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge})
		want(t, s.post("/v1/disputes/"+cb.str("id")+"/evidence", map[string]any{"type": "text", "content": "delivery log"}), 201)
		buyer := s.as(s.newKey(actor.Buyer, cus))
		want(t, buyer.post("/v1/disputes/"+cb.str("id")+"/evidence", map[string]any{"type": "text", "content": "x"}), 403)
		// Submitting counts appended evidence as evidence.
		sub := s.post("/v1/disputes/"+cb.str("id")+"/submit", nil)
		want(t, sub, 200)
		if sub.str("status") != "under_review" || sub.num("evidence_details", "submission_count") != 1 {
			t.Errorf("submitted: %s", sub.raw)
		}
		want(t, s.post("/v1/disputes/"+cb.str("id")+"/evidence", map[string]any{"type": "text", "content": "late"}), 409, "invalid_state")
		// Without evidence there is nothing to submit.
		_, _, charge2 := s.sale(1000, "usd")
		cb2 := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge2})
		want(t, s.post("/v1/disputes/"+cb2.str("id")+"/submit", nil), 422, "evidence_missing")
	})
}
