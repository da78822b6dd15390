package httpapi_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// The files evidence tests upload: a 1×1 PNG, a minimal PDF.
var (
	downloadPNG = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"),
		[]byte("\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")...)
	downloadPDF = []byte("%PDF-1.4\n1 0 obj<</Type /Pages /Count 1>>endobj\n2 0 obj<</Type /Page /Parent 1 0 R>>endobj\n%%EOF\n")
)

// fileEvidenceUpload posts a file as evidence of a dispute, as a multipart form with the fields
// given, claiming the content type given ("" claims none).
func fileEvidenceUpload(c *testenv.Client, disputeID, name, claimed string, data []byte, fields map[string]string) testenv.Response {
	c.T.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			c.T.Fatal(err)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
	if claimed != "" {
		h.Set("Content-Type", claimed)
	}
	part, err := w.CreatePart(h)
	if err != nil {
		c.T.Fatal(err)
	}
	_, _ = part.Write(data)
	if err := w.Close(); err != nil {
		c.T.Fatal(err)
	}
	return c.Do(http.MethodPost, "/v1/disputes/"+disputeID+"/evidence", b.Bytes(), "Content-Type", w.FormDataContentType())
}

// TestEvidenceFileDownload: how an evidence file is served (who may open it, and what a file is,
// are tested beside internal/app): the type a client claims for an upload is not read, the item
// names its file's address, and whoever may see it gets the bytes as uploaded with headers that
// keep a browser from running them; a text file is downloaded, not shown.
func TestEvidenceFileDownload(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	sale := e.Sale(testenv.SaleParams{Amount: 1000, VendorID: "ven_files"})
	id := e.Dispute(sale, "marketplace", func(p *app.DisputeParams) { p.Description = "broken" }).ID
	buyer := c.As(e.NewKey(actor.Buyer, sale.Customer.ID))
	vendor := c.As(e.NewKey(actor.Vendor, "ven_files"))

	// The buyer's photo, claimed as a PDF: kept as the PNG it is, shown as an image.
	photo := testenv.Want[httpapi.EvidenceItem](t, fileEvidenceUpload(buyer, id, `..\..\box photo.png`, "application/pdf", downloadPNG,
		map[string]string{"type": "file"}), 201)
	fileURL := wireText(photo.FileURL)
	if photo.Type != "image" || wireText(photo.ContentType) != "image/png" || wireText(photo.FileName) != "box photo.png" ||
		fileURL != "/v1/disputes/"+id+"/evidence/"+photo.ID+"/file" {
		t.Fatalf("photo: %s", webhookJSON(photo))
	}
	log := testenv.Want[httpapi.EvidenceItem](t, fileEvidenceUpload(c, id, "chat.txt", "image/png", []byte("buyer: where is it?\nvendor: shipped\n"), nil), 201)
	text := testenv.Want[httpapi.EvidenceItem](t, c.Post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "no file here"}), 201)
	if text.FileURL != nil || log.Type != "file" || wireText(log.ContentType) != "text/plain" {
		t.Fatalf("items: %s %s", webhookJSON(text), webhookJSON(log))
	}

	for _, who := range []*testenv.Client{c, buyer, vendor} {
		got := who.Get(fileURL)
		testenv.WantStatus(t, got, 200)
		h := got.Header
		if !bytes.Equal(got.Raw, downloadPNG) || h.Get("Content-Type") != "image/png" || h.Get("Content-Disposition") != `inline; filename="box photo.png"` ||
			h.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(h.Get("Content-Security-Policy"), "sandbox; default-src 'none'") {
			t.Fatalf("the photo as %s: %d bytes, %v", who.Key, len(got.Raw), h)
		}
	}
	got := vendor.Get(wireText(log.FileURL))
	testenv.WantStatus(t, got, 200)
	if got.Header.Get("Content-Disposition") != `attachment; filename=chat.txt` || got.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("a text file is downloaded, not shown: %v", got.Header)
	}
	// The item list gives the same address to the parties.
	if items := webhookRead[httpapi.List[httpapi.EvidenceItem]](buyer, "/v1/disputes/"+id+"/evidence").Data; wireText(items[0].FileURL) != fileURL {
		t.Errorf("the buyer's list: %s", webhookJSON(items[0]))
	}
	testenv.WantError(t, c.Get("/v1/disputes/"+id+"/evidence/"+text.ID+"/file"), 404, "no_file")
}

// TestEvidenceOverTheProviderLimitWire: submitting a file over PayPal's 10 MB is answered 422
// evidence_packet_too_large, naming the field and PayPal's limit. (The rule, and the push of the
// files that fit, are tested beside internal/app.)
func TestEvidenceOverTheProviderLimitWire(t *testing.T) {
	t.Parallel()
	signer := testenv.NewPayPalSigner(t)
	testenv.EachWith(t, testenv.Options{Providers: signer.Providers()}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		e.PayPalProvider("client-id:client-secret", "")
		txn := "3GG2PAYPAL" + e.Kind
		e.ProviderSale("paypal", txn, "EUR", 4999)
		id := testenv.Must(e.ReceivePayPal(signer, testenv.PayPalPayload(t, "chargeback_created.json", txn)))(t).DisputeID
		huge := testenv.Want[httpapi.EvidenceItem](t, fileEvidenceUpload(c, id, "scan.pdf", "",
			append(bytes.Clone(downloadPDF), bytes.Repeat([]byte{' '}, 10_000_000)...), nil), 201)
		d := webhookRead[httpapi.Dispute](c, "/v1/disputes/"+id)
		over := testenv.WantError(t, c.Post("/v1/disputes/"+id, map[string]any{"revision": d.Revision,
			"evidence": map[string]any{"receipt": huge.ID}, "submit": true}), 422, "evidence_packet_too_large", "evidence.receipt")
		if !strings.Contains(over.Message, "PayPal takes files of at most 10.00 MB") {
			t.Errorf("refusal: %+v", over)
		}
	})
}
