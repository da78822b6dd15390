package app_test

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

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

// TestEvidenceFilesPushedToPayPal: a PayPal dispute's submitted evidence carries its files in
// the packet, its one provide-evidence document (the cover letter, then every exhibit, the photo
// embedded); a file over PayPal's 10 MB is refused before anything is sent.
// (The admin UI's refusal of it is tested beside internal/web.)
func TestEvidenceFilesPushedToPayPal(t *testing.T) {
	t.Parallel()
	signer := testenv.NewPayPalSigner(t)
	testenv.EachWith(t, testenv.Options{Providers: signer.Providers()}, func(t *testing.T, e *testenv.Env) {
		rec, base := newPayPalRecorder(t)
		e.PayPalProvider("client-id:client-secret", base)
		txn := "3GG2PAYPAL" + e.Kind
		e.ProviderSale("paypal", txn, "EUR", 4999)
		id := testenv.Must(e.ReceivePayPal(signer, testenv.PayPalPayload(t, "chargeback_created.json", txn)))(t).DisputeID
		stage := func(fields map[string]string, submit bool) error {
			_, err := update(e, id, e.Reload(dispute.Dispute{ID: id}).Revision, dispute.UpdateParams{Evidence: fields, Submit: submit})
			return err
		}
		file := func(name string, data []byte) string {
			return testenv.Must(first(addEvidence(e, id, app.EvidenceParams{FileName: name, File: data})))(t).ID
		}

		huge := file("scan.pdf", append(bytes.Clone(testPDF), bytes.Repeat([]byte{' '}, 10_000_000)...))
		fe := testenv.WantFault(t, stage(map[string]string{"receipt": huge}, true), fault.Invalid, fault.CodeEvidencePacketTooLarge)
		if !strings.Contains(fe.Message, "PayPal takes files of at most 10.00 MB") || fe.Param != "evidence.receipt" {
			t.Errorf("refusal: %v", fe)
		}

		photo := file("delivery.png", testPNG)
		if err := stage(map[string]string{"uncategorized_text": "Delivered, photo attached."}, false); err != nil {
			t.Fatal(err)
		}
		if err := stage(map[string]string{"shipping_documentation": photo}, false); err != nil {
			t.Fatal(err)
		}
		testenv.Must(e.App.SubmitDispute(e.Ctx, testenv.Admin, id, nil))(t)
		e.RunJobs()
		rec.mu.Lock()
		defer rec.mu.Unlock()
		packetName := id + "-packet.pdf"
		pdf := rec.files[packetName]
		if len(rec.input) != 1 || len(rec.files) != 1 || rec.types[packetName] != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF-")) ||
			!bytes.Contains(pdf, []byte("/Subtype /Image")) ||
			!strings.Contains(rec.input[0], `"documents":[{"name":"`+packetName+`"}]`) || !strings.Contains(rec.input[0], "Delivered, photo attached.") {
			t.Fatalf("PayPal got %v: %q, files %v", rec.paths, rec.input, rec.types)
		}
		if dead := jobsOf(t, e, store.JobFilter{State: "dead", Page: store.Page{Limit: 100}}); len(dead) != 0 {
			t.Fatalf("dead jobs: %+v", dead)
		}
	})
}
