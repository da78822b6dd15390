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
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/provider/paypal"
	"disputed/internal/provider/stripe/stripemock"
)

var (
	testPNG = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"),
		[]byte("\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")...)
	testPDF  = []byte("%PDF-1.4\n1 0 obj<</Type /Pages /Count 1>>endobj\n2 0 obj<</Type /Page /Parent 1 0 R>>endobj\n%%EOF\n")
	testHTML = []byte("<!DOCTYPE html><html><body><script>fetch('/v1/api_keys')</script></body></html>")
)

// uploadEvidence posts a file as evidence, claiming the content type it is given.
func (s *server) uploadEvidence(dispute, name, claimed string, data []byte, fields map[string]string) response {
	s.t.Helper()
	body, ct := multipartEvidence(s.t, fields, name, claimed, data)
	return s.post("/v1/disputes/"+dispute+"/evidence", body, "Content-Type", ct)
}

// vendorDispute is a marketplace dispute a new buyer opened about an order from the vendor; it
// returns the dispute and the buyer.
func (s *server) vendorDispute(vendor string) (string, string) {
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

// TestEvidenceFileDownload: whoever may see an evidence item opens its file, as it was uploaded,
// with headers that keep a browser from running it; nobody else does. A file is what its content
// says, whatever the client claims, and a disguised page is refused with nothing stored.
func TestEvidenceFileDownload(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		id, customer := s.vendorDispute("ven_files")
		buyer := s.as(s.newKey(actor.Buyer, customer))
		vendor := s.as(s.newKey(actor.Vendor, "ven_files"))
		stranger := s.as(s.newKey(actor.Buyer, s.post("/v1/customers", map[string]any{"email": "nosy@example.com"}).str("id")))

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

		for _, who := range []*server{s, buyer, vendor} {
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

		want(t, stranger.get(fileURL), 404, "not_found")
		want(t, s.get("/v1/disputes/"+id+"/evidence/"+text.str("id")+"/file"), 404, "no_file")
		want(t, s.get("/v1/disputes/"+id+"/evidence/evi_nope/file"), 404, "not_found")
		// An item is found only under its own dispute.
		other, _ := s.vendorDispute("ven_other")
		want(t, s.get("/v1/disputes/"+other+"/evidence/"+photo.str("id")+"/file"), 404, "not_found")

		// The content decides: a page named photo.png and claimed as an image is refused, as are
		// an SVG (it runs scripts), an empty file and a file that is not an image as an image.
		before := s.get("/v1/disputes/" + id)
		for _, tt := range []struct {
			name, claimed string
			data          []byte
			fields        map[string]string
			status        int
			code, param   string
		}{
			{"photo.png", "image/png", testHTML, nil, 415, "unsupported_media_type", "file"},
			{"logo.svg", "image/svg+xml", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), nil, 415, "unsupported_media_type", "file"},
			{"empty.pdf", "application/pdf", []byte{}, nil, 422, "invalid_value", "file"},
			{"scan.png", "image/png", testPDF, map[string]string{"type": "image"}, 422, "invalid_value", "type"},
		} {
			r := buyer.uploadEvidence(id, tt.name, tt.claimed, tt.data, tt.fields)
			want(t, r, tt.status, tt.code)
			if r.str("error", "param") != tt.param {
				t.Errorf("%s: param %q, want %q", tt.name, r.str("error", "param"), tt.param)
			}
		}
		if after := s.get("/v1/disputes/" + id); after.num("revision") != before.num("revision") || len(s.get("/v1/disputes/"+id+"/evidence").list()) != 3 {
			t.Errorf("refused uploads changed the dispute: %s", after.raw)
		}
	})
}

// stripeRecorder stands between the server and stripe-mock and keeps what was sent.
type stripeRecorder struct {
	mu      sync.Mutex
	uploads []map[string]string // the parts of each POST /v1/files: purpose, file, filename, content type
	forms   []url.Values        // each POST /v1/disputes/{id}
}

func newStripeRecorder(t *testing.T) (*stripeRecorder, string) {
	target, err := url.Parse(stripemock.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	rec := &stripeRecorder{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(raw))
		rec.mu.Lock()
		switch {
		case r.URL.Path == "/v1/files":
			parts := map[string]string{}
			_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			mr := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
			for p, err := mr.NextPart(); err == nil; p, err = mr.NextPart() {
				b, _ := io.ReadAll(p)
				parts[p.FormName()] = string(b)
				if p.FileName() != "" {
					parts["filename"], parts["content_type"] = p.FileName(), p.Header.Get("Content-Type")
				}
			}
			rec.uploads = append(rec.uploads, parts)
		case strings.HasPrefix(r.URL.Path, "/v1/disputes/"):
			form, _ := url.ParseQuery(string(raw))
			rec.forms = append(rec.forms, form)
		}
		rec.mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return rec, srv.URL
}

// TestEvidenceFilesPushedToStripe: a file staged under an evidence field goes to Stripe with the
// evidence: uploaded with purpose dispute_evidence, then named by the field. A packet that would
// not fit Stripe (4.5 MB and 50 pages, PDF, JPEG and PNG) is refused when it is staged or
// submitted, saying by how much, and nothing changes or is sent.
func TestEvidenceFilesPushedToStripe(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		rec, base := newStripeRecorder(t)
		s, c := providerServer(t, db, base)
		_, _, charge := s.sale(4999, "usd")
		ref := s.get("/v1/transactions/" + charge).str("provider_reference")
		id := postStripe(s, c, stripeEvent("evt_f", "charge.dispute.created", "needs_response", ref, c.Now()), stripeSecret).str("dispute_id")

		receipt := s.uploadEvidence(id, "receipt.pdf", "", testPDF, nil)
		want(t, receipt, 201)
		gif := s.uploadEvidence(id, "banner.gif", "", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), nil)
		want(t, gif, 201)
		big := func(name string) string {
			data := append(bytes.Clone(testPDF), bytes.Repeat([]byte{' '}, 2_400_000)...)
			r := s.uploadEvidence(id, name, "", data, nil)
			want(t, r, 201)
			return r.str("id")
		}
		big1, big2 := big("log1.pdf"), big("log2.pdf")
		rev := func() int64 { return s.get("/v1/disputes/" + id).num("revision") }

		stage := func(fields map[string]any, submit bool) response {
			return s.post("/v1/disputes/"+id, map[string]any{"revision": rev(), "evidence": fields, "submit": submit})
		}
		r := stage(map[string]any{"customer_communication": big1, "uncategorized_file": big2}, true)
		want(t, r, 422, "evidence_packet_too_large")
		if msg := r.str("error", "message"); !strings.Contains(msg, "4.50 MB") || !strings.Contains(msg, "too many") {
			t.Errorf("the refusal does not say the limit and by how much: %s", msg)
		}
		want(t, stage(map[string]any{"receipt": gif.str("id")}, false), 422, "unsupported_file_type")
		want(t, stage(map[string]any{"receipt": "evi_nothing"}, false), 422, "invalid_value")
		if d := s.get("/v1/disputes/" + id); d.str("status") != "needs_response" || len(d.body["evidence"].(map[string]any)) != 0 {
			t.Fatalf("refused packets changed the dispute: %s", d.raw)
		}
		s.runJobs()
		if len(rec.uploads)+len(rec.forms) != 0 {
			t.Fatalf("refused packets reached Stripe: %v %v", rec.uploads, rec.forms)
		}

		want(t, stage(map[string]any{"receipt": receipt.str("id"), "uncategorized_file": big1, "customer_name": "Ada"}, true), 200)
		s.runJobs()
		if len(rec.uploads) != 2 || len(rec.forms) != 1 {
			t.Fatalf("Stripe got %d uploads and %d dispute updates, want 2 and 1", len(rec.uploads), len(rec.forms))
		}
		var pdfUpload map[string]string
		for _, u := range rec.uploads {
			if u["purpose"] != "dispute_evidence" {
				t.Errorf("upload purpose %q", u["purpose"])
			}
			if u["filename"] == "receipt.pdf" {
				pdfUpload = u
			}
		}
		if pdfUpload == nil || pdfUpload["file"] != string(testPDF) || pdfUpload["content_type"] != "application/pdf" {
			t.Fatalf("the receipt's upload: %v", pdfUpload)
		}
		form := rec.forms[0]
		if !strings.HasPrefix(form.Get("evidence[receipt]"), "file_") || !strings.HasPrefix(form.Get("evidence[uncategorized_file]"), "file_") ||
			form.Get("evidence[customer_name]") != "Ada" || form.Get("submit") != "true" {
			t.Fatalf("the dispute's evidence at Stripe: %v", form)
		}
		// The push is on the timeline, and then Stripe's acceptance of it.
		tl := s.get("/v1/disputes/" + id + "/timeline").list()
		pushed := slices.IndexFunc(tl, func(e map[string]any) bool { return e["action"] == "pushed_to_provider" })
		if pushed < 0 || tl[pushed]["note"] != "evidence submitted to stripe with 2 file(s): receipt, uncategorized_file" ||
			tl[len(tl)-1]["action"] != "submitted" || tl[len(tl)-1]["to"] != "under_review" {
			t.Fatalf("timeline: %v", tl)
		}
		if dead := s.get("/v1/jobs?state=dead").list(); len(dead) != 0 {
			t.Fatalf("dead jobs: %v", dead)
		}
	})
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
