package app_test

import (
	"bytes"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

var (
	testPNG = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"),
		[]byte("\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")...)
	testPDF  = []byte("%PDF-1.4\n1 0 obj<</Type /Pages /Count 1>>endobj\n2 0 obj<</Type /Page /Parent 1 0 R>>endobj\n%%EOF\n")
	testHTML = []byte("<!DOCTYPE html><html><body><script>fetch('/v1/api_keys')</script></body></html>")
)

// vendorDispute is a marketplace dispute the buyer opened about an order from the vendor.
func vendorDispute(e *testenv.Env, vendor string) (dispute.Dispute, testenv.Sale) {
	e.T.Helper()
	s := e.Sale(testenv.SaleParams{Amount: 1000, VendorID: vendor})
	d := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "marketplace", OrderID: s.Order.ID,
		InitiatedBy: "buyer", Description: "broken"}))(e.T)
	return d, s
}

// TestEvidenceFiles: a file is what its content says, whatever it is named; whoever may see an
// evidence item gets its file as it was uploaded, nobody else does; a disguised page, a script
// image, an empty file or a non-image as an image is refused with nothing stored. (How the file
// is served, with the headers that keep a browser from running it, is internal/httpapi's
// TestEvidenceFileDownload.)
func TestEvidenceFiles(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		d, s := vendorDispute(e, "ven_files")
		buyer := actor.Key("key_buyer", actor.Buyer, s.Customer.ID)
		vendor := actor.Key("key_vendor", actor.Vendor, "ven_files")
		nosy := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "nosy@example.com"}))(t)
		stranger := actor.Key("key_stranger", actor.Buyer, nosy.ID)

		// The buyer's photo, sent as a file: kept as the PNG it is, an image.
		photo, _, err := e.App.AddEvidence(e.Ctx, buyer, d.ID, nil, app.EvidenceParams{Type: "file", FileName: `..\..\box photo.png`, File: testPNG})
		if err != nil {
			t.Fatal(err)
		}
		if photo.Type != dispute.ItemImage || photo.ContentType != "image/png" || photo.FileName != "box photo.png" {
			t.Fatalf("photo: %+v", photo)
		}
		log := testenv.Must(first(addEvidence(e, d.ID, app.EvidenceParams{FileName: "chat.txt", File: []byte("buyer: where is it?\nvendor: shipped\n")})))(t)
		text := testenv.Must(first(addEvidence(e, d.ID, app.EvidenceParams{Type: "text", Content: "no file here"})))(t)
		if text.FileName != "" || log.Type != dispute.ItemFile || log.ContentType != "text/plain" {
			t.Fatalf("items: %+v %+v", text, log)
		}

		for _, who := range []actor.Actor{testenv.Admin, buyer, vendor} {
			it, data, err := e.App.EvidenceFile(e.Ctx, who, d.ID, photo.ID)
			if err != nil || !bytes.Equal(data, testPNG) || it.ContentType != "image/png" || it.FileName != "box photo.png" {
				t.Fatalf("the photo as %s: %d bytes, %+v, %v", who, len(data), it, err)
			}
		}
		if it, _, err := e.App.EvidenceFile(e.Ctx, vendor, d.ID, log.ID); err != nil || it.ContentType != "text/plain" || it.FileName != "chat.txt" {
			t.Errorf("the vendor's chat log: %+v, %v", it, err)
		}
		// The item list gives the parties the same item.
		if items, _, err := e.App.Evidence(e.Ctx, buyer, d.ID, store.Page{Limit: 100}); err != nil || len(items) == 0 || items[0].ID != photo.ID || items[0].FileName != "box photo.png" {
			t.Errorf("the buyer's list: %+v, %v", items, err)
		}

		fileOf := func(who actor.Actor, disputeID, itemID string) error {
			_, _, err := e.App.EvidenceFile(e.Ctx, who, disputeID, itemID)
			return err
		}
		testenv.WantFault(t, fileOf(stranger, d.ID, photo.ID), fault.NotFound, fault.CodeNotFound)
		testenv.WantFault(t, fileOf(testenv.Admin, d.ID, text.ID), fault.NotFound, fault.CodeNoFile)
		testenv.WantFault(t, fileOf(testenv.Admin, d.ID, "evi_nope"), fault.NotFound, fault.CodeNotFound)
		// An item is found only under its own dispute.
		other, _ := vendorDispute(e, "ven_other")
		testenv.WantFault(t, fileOf(testenv.Admin, other.ID, photo.ID), fault.NotFound, fault.CodeNotFound)

		// The content decides: a page named photo.png is refused, as are an SVG (it runs
		// scripts), an empty file and a file that is not an image as an image.
		before := e.Reload(d)
		for _, tt := range []struct {
			name, typ   string
			data        []byte
			kind        fault.Kind
			code, param string
		}{
			{"photo.png", "", testHTML, fault.Unsupported, fault.CodeUnsupportedMediaType, "file"},
			{"logo.svg", "", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), fault.Unsupported, fault.CodeUnsupportedMediaType, "file"},
			{"empty.pdf", "", []byte{}, fault.Invalid, fault.CodeInvalidValue, "file"},
			{"scan.png", "image", testPDF, fault.Invalid, fault.CodeInvalidValue, "type"},
		} {
			_, _, err := e.App.AddEvidence(e.Ctx, buyer, d.ID, nil, app.EvidenceParams{Type: tt.typ, FileName: tt.name, File: tt.data})
			if fe := testenv.WantFault(t, err, tt.kind, tt.code); fe.Param != tt.param {
				t.Errorf("%s: param %q, want %q", tt.name, fe.Param, tt.param)
			}
		}
		items, _, err := e.App.Evidence(e.Ctx, testenv.Admin, d.ID, store.Page{Limit: 100})
		if after := e.Reload(d); err != nil || after.Revision != before.Revision || len(items) != 3 {
			t.Errorf("refused uploads changed the dispute: revision %d, %d items, %v", after.Revision, len(items), err)
		}
	})
}
