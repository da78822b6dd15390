package httpapi_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"

	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/order"
	"disputed/internal/testenv"
)

// pagesPDF is a PDF of n pages, each saying its number.
func pagesPDF(t *testing.T, n int) []byte {
	t.Helper()
	doc := fpdf.New("P", "mm", "A4", "")
	doc.SetFont("Helvetica", "", 14)
	for i := range n {
		doc.AddPage()
		doc.Cell(40, 10, fmt.Sprintf("statement page %d", i+1))
	}
	var b bytes.Buffer
	if err := doc.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestEvidencePacket: a chargeback paid with a Mastercard compiles its evidence, reads its
// packet (the drafted letter, the exhibits in order, Mastercard's 19 pages), takes the merchant's
// own letter, downloads the packet as a PDF, and, past 19 pages, is refused the PDF with what to
// cut named; an alert has no packet.
func TestEvidencePacket(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		s := e.Sale(testenv.SaleParams{Amount: 4900})
		ip := "203.0.113.7"
		testenv.Must(e.App.UpdateOrder(e.Ctx, testenv.Admin, s.Order.ID, s.Order.Revision, app.UpdateOrderParams{
			Purchase: order.PurchasePatch{CustomerIP: &ip}}))(t)
		d := e.Dispute(s, "chargeback", func(p *app.DisputeParams) { p.Reason = "fraudulent"; p.NetworkReasonCode = "4837" })

		got := testenv.Want[httpapi.Dispute](t, c.Post("/v1/disputes/"+d.ID+"/compile", nil), 200)
		if (*got.EvidenceSources)["customer_purchase_ip"] != "order "+s.Order.ID || got.Evidence["customer_name"] != "Ada Lovelace" {
			t.Fatalf("compiled: evidence %v, sources %v", got.Evidence, *got.EvidenceSources)
		}
		p := testenv.Want[httpapi.EvidencePacket](t, c.Get("/v1/disputes/"+d.ID+"/packet"), 200)
		if p.CoverLetterEdited || !strings.Contains(p.CoverLetter, "Mastercard dispute 4837") || !strings.Contains(p.CoverLetter, "Exhibit A: ") {
			t.Errorf("the drafted letter:\n%s", p.CoverLetter)
		}
		if !p.Fits || len(p.Limits) != 1 || p.Limits[0].Name != "Mastercard" || p.Limits[0].MaxPages != 19 || len(p.Exhibits) < 3 ||
			p.Exhibits[0].Mark != "A" || p.Exhibits[0].Field != "customer_purchase_ip" || p.Pages < 1 {
			t.Errorf("packet %+v", p)
		}

		got = testenv.Want[httpapi.Dispute](t, c.Post("/v1/disputes/"+d.ID, map[string]any{"revision": got.Revision,
			"cover_letter": "Dear issuer,\n\nThe cardholder signed in from their usual address."}), 200)
		p = testenv.Want[httpapi.EvidencePacket](t, c.Get("/v1/disputes/"+d.ID+"/packet"), 200)
		if !p.CoverLetterEdited || !strings.HasPrefix(p.CoverLetter, "Dear issuer,") {
			t.Errorf("the merchant's letter: %+v", p)
		}
		testenv.WantError(t, c.Post("/v1/disputes/"+d.ID, map[string]any{"revision": got.Revision,
			"cover_letter": strings.Repeat("x", 20001)}), 422, "invalid_value", "cover_letter")

		pdf := c.Get("/v1/disputes/" + d.ID + "/packet.pdf")
		if pdf.Status != 200 || pdf.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf.Raw, []byte("%PDF-")) {
			t.Fatalf("packet.pdf: %d %s %.20q", pdf.Status, pdf.Header.Get("Content-Type"), pdf.Raw)
		}

		// A 25-page statement takes the packet past Mastercard's 19 pages.
		item, _, err := e.App.AddEvidence(e.Ctx, testenv.Admin, d.ID, nil, app.EvidenceParams{FileName: "statement.pdf", File: pagesPDF(t, 25)})
		if err != nil {
			t.Fatal(err)
		}
		got = testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+d.ID), 200)
		testenv.Want[httpapi.Dispute](t, c.Post("/v1/disputes/"+d.ID, map[string]any{"revision": got.Revision,
			"evidence": map[string]string{"uncategorized_file": item.ID}}), 200)
		p = testenv.Want[httpapi.EvidencePacket](t, c.Get("/v1/disputes/"+d.ID+"/packet"), 200)
		last := p.Exhibits[len(p.Exhibits)-1]
		if p.Fits || last.Field != "uncategorized_file" || last.Pages != 25 || len(p.Cut) != 1 || p.Cut[0] != last.Mark ||
			len(p.Over) != 1 || !strings.Contains(p.Over[0], "Mastercard takes at most 19 pages") {
			t.Errorf("a packet past 19 pages: fits %v, over %v, cut %v, last %+v", p.Fits, p.Over, p.Cut, last)
		}
		refused := testenv.WantError(t, c.Get("/v1/disputes/"+d.ID+"/packet.pdf"), 422, "evidence_packet_too_large", "evidence")
		if !strings.Contains(refused.Message, "cut or shorten exhibit "+last.Mark+" (Other supporting document, 25 pages") {
			t.Errorf("the refusal says %q", refused.Message)
		}

		alert := e.Dispute(e.Sale(testenv.SaleParams{}), "alert")
		testenv.WantError(t, c.Get("/v1/disputes/"+alert.ID+"/packet"), 422, "not_supported_for_type", "type")
	})
}
