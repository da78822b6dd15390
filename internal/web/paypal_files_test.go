package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/testenv"
)

// A 1×1 PNG and a minimal PDF, uploaded as evidence.
var (
	payPalPagePNG = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"),
		[]byte("\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")...)
	payPalPagePDF = []byte("%PDF-1.4\n1 0 obj<</Type /Pages /Count 1>>endobj\n2 0 obj<</Type /Page /Parent 1 0 R>>endobj\n%%EOF\n")
)

// TestPayPalFilesOnTheDisputePage: on a PayPal dispute's page, staging a file PayPal would refuse
// (over its 10 MB) is refused with PayPal's limit, and a photo is staged from its row, after
// which the staged field opens its file. (The push of the files to PayPal, and the API's refusal,
// are tested beside internal/app and internal/httpapi.)
func TestPayPalFilesOnTheDisputePage(t *testing.T) {
	t.Parallel()
	signer := testenv.NewPayPalSigner(t)
	testenv.EachWith(t, testenv.Options{Providers: signer.Providers()}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		e.PayPalProvider("client-id:client-secret", "")
		txn := "3GG2PAYPAL" + e.Kind
		e.ProviderSale("paypal", txn, "EUR", 4999)
		id := testenv.Must(e.ReceivePayPal(signer, testenv.PayPalPayload(t, "chargeback_created.json", txn)))(t).DisputeID
		file := func(name string, data []byte) string {
			it, _, err := e.App.AddEvidence(e.Ctx, testenv.Admin, id, nil, app.EvidenceParams{FileName: name, File: data})
			return testenv.Must(it, err)(t).ID
		}
		rev := func() string { return fmt.Sprint(e.Reload(dispute.Dispute{ID: id}).Revision) }
		huge := file("scan.pdf", append(bytes.Clone(payPalPagePDF), bytes.Repeat([]byte{' '}, 10_000_000)...))

		ui := e.Forms(c, actor.Admin, "")
		a := ui.Post("/disputes/"+id+"/staged", ui.Signed(url.Values{"field": {"receipt"}, "value": {huge}, "revision": {rev()}}))
		if a.Status != http.StatusUnprocessableEntity || !strings.Contains(a.Body, "PayPal takes files of at most 10.00 MB") {
			t.Fatalf("the UI stages a file PayPal would refuse: %d", a.Status)
		}

		// The photo is staged from its row on the dispute's page.
		photo := file("delivery.png", payPalPagePNG)
		testenv.Must(e.App.UpdateDispute(e.Ctx, testenv.Admin, id, e.Reload(dispute.Dispute{ID: id}).Revision,
			app.UpdateDisputeParams{UpdateParams: dispute.UpdateParams{Evidence: map[string]string{"uncategorized_text": "Delivered, photo attached."}}}))(t)
		if page := ui.Get("/disputes/" + id).Body; !strings.Contains(page, `<input type="hidden" name="value" value="`+photo+`">`) {
			t.Fatalf("the photo's row offers no way to stage it:\n%s", page)
		}
		a = ui.Post("/disputes/"+id+"/staged", ui.Signed(url.Values{"field": {"shipping_documentation"}, "value": {photo}, "revision": {rev()}}))
		if a.Status != http.StatusSeeOther || e.Reload(dispute.Dispute{ID: id}).Evidence["shipping_documentation"] != photo {
			t.Fatalf("staging the photo from the page: %d", a.Status)
		}
		if page := ui.Get("/disputes/" + id).Body; !strings.Contains(page, `<a class="staged-file" href="/disputes/`+id+`/evidence/`+photo+`/file"`) {
			t.Errorf("the staged field does not open its file")
		}
	})
}
