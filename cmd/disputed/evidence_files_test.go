package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/provider/paypal"
)

var (
	testPNG = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"),
		[]byte("\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")...)
	testPDF  = []byte("%PDF-1.4\n1 0 obj<</Type /Pages /Count 1>>endobj\n2 0 obj<</Type /Page /Parent 1 0 R>>endobj\n%%EOF\n")
	testHTML = []byte("<!DOCTYPE html><html><body><script>fetch('/v1/api_keys')</script></body></html>")
)

// uploadEvidence posts a file as evidence, claiming the content type it is given.
func (s *testServer) uploadEvidence(dispute, name, claimed string, data []byte, fields map[string]string) response {
	s.t.Helper()
	body, ct := multipartEvidence(s.t, fields, name, claimed, data)
	return s.post("/v1/disputes/"+dispute+"/evidence", body, "Content-Type", ct)
}

// vendorDispute is a marketplace dispute a new buyer opened about an order from the vendor; it
// returns the dispute and the buyer.
func (s *testServer) vendorDispute(vendor string) (string, string) {
	s.t.Helper()
	c := s.post("/v1/customers", map[string]any{"email": "files-" + vendor + "@example.com"})
	want(s.t, c, 201)
	o := s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "vendor_id": vendor, "currency": "usd",
		"items": []any{map[string]any{"description": "Camera", "amount": 1000}}})
	want(s.t, o, 201)
	want(s.t, s.post("/v1/orders/"+o.str("id")+"/complete", nil), 200)
	want(s.t, s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 1000, "currency": "usd", "order_id": o.str("id")}), 201)
	d := s.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": o.str("id"), "initiated_by": "buyer", "description": "broken"})
	want(s.t, d, 201)
	return d.str("id"), c.str("id")
}

// TestEvidenceFileDownload: how an evidence file is served (who may open it, and what a file is,
// are tested beside internal/app): the type a client claims for an upload is not read, the item
// names its file's address, and whoever may see it gets the bytes as uploaded with headers that
// keep a browser from running them; a text file is downloaded, not shown.
func TestEvidenceFileDownload(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	id, customer := s.vendorDispute("ven_files")
	buyer := s.as(s.newKey(actor.Buyer, customer))
	vendor := s.as(s.newKey(actor.Vendor, "ven_files"))

	// The buyer's photo, claimed as a PDF: kept as the PNG it is, shown as an image.
	photo := buyer.uploadEvidence(id, `..\..\box photo.png`, "application/pdf", testPNG, map[string]string{"type": "file"})
	want(t, photo, 201)
	fileURL := photo.str("file_url")
	if photo.str("type") != "image" || photo.str("content_type") != "image/png" || photo.str("file_name") != "box photo.png" ||
		fileURL != "/v1/disputes/"+id+"/evidence/"+photo.str("id")+"/file" {
		t.Fatalf("photo: %s", photo.raw)
	}
	log := s.uploadEvidence(id, "chat.txt", "image/png", []byte("buyer: where is it?\nvendor: shipped\n"), nil)
	want(t, log, 201)
	text := s.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "no file here"})
	want(t, text, 201)
	if text.get("file_url") != nil || log.str("type") != "file" || log.str("content_type") != "text/plain" {
		t.Fatalf("items: %s %s", text.raw, log.raw)
	}

	for _, who := range []*testServer{s, buyer, vendor} {
		got := who.get(fileURL)
		want(t, got, 200)
		h := got.header
		if !bytes.Equal(got.raw, testPNG) || h.Get("Content-Type") != "image/png" || h.Get("Content-Disposition") != `inline; filename="box photo.png"` ||
			h.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(h.Get("Content-Security-Policy"), "sandbox; default-src 'none'") {
			t.Fatalf("the photo as %s: %d bytes, %v", who.key, len(got.raw), h)
		}
	}
	got := vendor.get(log.str("file_url"))
	want(t, got, 200)
	if got.header.Get("Content-Disposition") != `attachment; filename=chat.txt` || got.header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("a text file is downloaded, not shown: %v", got.header)
	}
	// The item list gives the same address to the parties.
	if items := buyer.get("/v1/disputes/" + id + "/evidence").list(); items[0]["file_url"] != fileURL {
		t.Errorf("the buyer's list: %v", items[0])
	}
	want(t, s.get("/v1/disputes/"+id+"/evidence/"+text.str("id")+"/file"), 404, "no_file")
}

// payPalRecorder is PayPal's API as far as a push uses it: a token, and provide-evidence, whose
// parts it keeps.
type payPalRecorder struct {
	mu    sync.Mutex
	input []string          // each call's "input" JSON
	files map[string][]byte // the evidence_file parts, by file name
	types map[string]string // their content types
	paths []string
}

func newPayPalRecorder(t *testing.T) (*payPalRecorder, string) {
	rec := &payPalRecorder{files: map[string][]byte{}, types: map[string]string{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/v1/oauth2/token" {
			_, _ = io.WriteString(w, `{"access_token":"A21AAfake","token_type":"Bearer","expires_in":32400}`)
			return
		}
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.paths = append(rec.paths, r.URL.Path)
		_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		mr := multipart.NewReader(r.Body, params["boundary"])
		for p, err := mr.NextPart(); err == nil; p, err = mr.NextPart() {
			b, _ := io.ReadAll(p)
			switch p.FormName() {
			case "input":
				rec.input = append(rec.input, string(b))
			case "evidence_file":
				rec.files[p.FileName()], rec.types[p.FileName()] = b, p.Header.Get("Content-Type")
			}
		}
		_, _ = io.WriteString(w, `{"links":[]}`)
	}))
	t.Cleanup(srv.Close)
	return rec, srv.URL
}

// TestEvidenceFilesPushedToPayPal: a PayPal dispute's submitted evidence carries its files as
// provide-evidence documents; a file over PayPal's 10 MB is refused before anything is sent.
func TestEvidenceFilesPushedToPayPal(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		rec, base := newPayPalRecorder(t)
		signer := newPayPalSigner(t)
		c := newClock()
		s := startConfigured(t, db, func(m *Main) {
			m.Now, m.JobLoop = c.Now, false
			m.PayPal = []paypal.Option{paypal.WithCertFetcher(func(context.Context, string) ([]byte, error) { return signer.certPEM, nil })}
		}, map[string]string{"DISPUTED_WEBHOOK_ALLOW_PRIVATE": "1"})
		want(t, s.post("/v1/providers", map[string]any{"name": "paypal", "type": "paypal", "webhook_id": "WH-1AB23456",
			"api_key": "client-id:client-secret", "api_base": base}), 201)
		cus := s.post("/v1/customers", map[string]any{"email": "paypal-files@example.com"}).str("id")
		ord := s.post("/v1/orders", map[string]any{"customer_id": cus, "currency": "EUR", "items": []any{map[string]any{"description": "VPS", "amount": 4999}}}).str("id")
		want(t, s.post("/v1/orders/"+ord+"/complete", nil), 200)
		txn := "3GG2PAYPAL" + cus[len(cus)-6:]
		want(t, s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 4999, "currency": "EUR", "order_id": ord,
			"provider": "paypal", "provider_reference": txn}), 201)
		r := signer.post(t, s, c.Now(), "WH-1AB23456", payPalPayload(t, "chargeback_created.json", txn))
		want(t, r, 200)
		id := r.str("dispute_id")

		huge := s.uploadEvidence(id, "scan.pdf", "", append(bytes.Clone(testPDF), bytes.Repeat([]byte{' '}, 10_000_000)...), nil)
		want(t, huge, 201)
		rev := func() int64 { return s.get("/v1/disputes/" + id).num("revision") }
		over := s.post("/v1/disputes/"+id, map[string]any{"revision": rev(), "evidence": map[string]any{"receipt": huge.str("id")}, "submit": true})
		want(t, over, 422, "evidence_packet_too_large")
		if !strings.Contains(over.str("error", "message"), "PayPal takes files of at most 10.00 MB") || over.str("error", "param") != "evidence.receipt" {
			t.Errorf("refusal: %s", over.raw)
		}

		// The admin UI refuses it alike, on the dispute's page.
		ui := s.adminForms(t, actor.Admin)
		status, body, _ := ui.post("/disputes/"+id+"/staged", ui.signed(url.Values{"field": {"receipt"}, "value": {huge.str("id")},
			"revision": {fmt.Sprint(rev())}}))
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "PayPal takes files of at most 10.00 MB") {
			t.Fatalf("the UI stages a file PayPal would refuse: %d", status)
		}

		// The photo is staged from its row on the dispute's page.
		photo := s.uploadEvidence(id, "delivery.png", "", testPNG, nil)
		want(t, photo, 201)
		want(t, s.post("/v1/disputes/"+id, map[string]any{"revision": rev(), "evidence": map[string]any{"uncategorized_text": "Delivered, photo attached."}}), 200)
		if _, page, _ := ui.get("/disputes/" + id); !strings.Contains(page, `<input type="hidden" name="value" value="`+photo.str("id")+`">`) {
			t.Fatalf("the photo's row offers no way to stage it:\n%s", page)
		}
		status, _, _ = ui.post("/disputes/"+id+"/staged", ui.signed(url.Values{"field": {"shipping_documentation"}, "value": {photo.str("id")},
			"revision": {fmt.Sprint(rev())}}))
		if status != http.StatusSeeOther || s.get("/v1/disputes/"+id).str("evidence", "shipping_documentation") != photo.str("id") {
			t.Fatalf("staging the photo from the page: %d", status)
		}
		if _, page, _ := ui.get("/disputes/" + id); !strings.Contains(page, `<a class="staged-file" href="/disputes/`+id+`/evidence/`+photo.str("id")+`/file"`) {
			t.Errorf("the staged field does not open its file")
		}
		want(t, s.post("/v1/disputes/"+id+"/submit", map[string]any{}), 200)
		s.runJobs()
		if len(rec.input) != 1 || !bytes.Equal(rec.files["delivery.png"], testPNG) || rec.types["delivery.png"] != "image/png" ||
			!strings.Contains(rec.input[0], `"documents":[{"name":"delivery.png"}]`) || !strings.Contains(rec.input[0], "Delivered, photo attached.") {
			t.Fatalf("PayPal got %v: %q, files %v", rec.paths, rec.input, rec.types)
		}
		if dead := s.get("/v1/jobs?state=dead").list(); len(dead) != 0 {
			t.Fatalf("dead jobs: %v", dead)
		}
	})
}
