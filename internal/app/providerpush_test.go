package app_test

import (
	"bytes"
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

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/provider/stripe/stripemock"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// stripeRecorder stands between the app and stripe-mock and keeps what was sent.
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

// sent is how many uploads and dispute updates the recorder took.
func (rec *stripeRecorder) sent() (uploads, forms int) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return len(rec.uploads), len(rec.forms)
}

// TestEvidenceFilesPushedToStripe: a file staged under an evidence field goes to Stripe with the
// evidence: uploaded with purpose dispute_evidence, then named by the field. A packet that would
// not fit Stripe (4.5 MB and 50 pages, PDF, JPEG and PNG) is refused when it is staged or
// submitted, saying by how much, and nothing changes or is sent.
func TestEvidenceFilesPushedToStripe(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.CompileByHand()
		rec, base := newStripeRecorder(t)
		e.StripeProvider("sk_test_123", base)
		ref := e.Sale(testenv.SaleParams{Amount: 4999}).Charge.ProviderReference
		r := testenv.Must(e.SendStripe(testenv.StripeEvent("evt_f", "charge.dispute.created", "needs_response", "dp_1QStripe0001", ref, e.Clock.Now())))(t)
		id := r.DisputeID

		file := func(name string, data []byte) string {
			return testenv.Must(first(addEvidence(e, id, app.EvidenceParams{FileName: name, File: data})))(t).ID
		}
		receipt := file("receipt.pdf", testPDF)
		gif := file("banner.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
		big := func(name string) string {
			return file(name, append(bytes.Clone(testPDF), bytes.Repeat([]byte{' '}, 2_400_000)...))
		}
		big1, big2 := big("log1.pdf"), big("log2.pdf")
		stage := func(fields map[string]string, submit bool) error {
			_, err := update(e, id, e.Reload(dispute.Dispute{ID: id}).Revision, dispute.UpdateParams{Evidence: fields, Submit: submit})
			return err
		}
		fe := testenv.WantFault(t, stage(map[string]string{"customer_communication": big1, "uncategorized_file": big2}, true),
			fault.Invalid, fault.CodeEvidencePacketTooLarge)
		if !strings.Contains(fe.Message, "4.50 MB") || !strings.Contains(fe.Message, "too many") {
			t.Errorf("the refusal does not say the limit and by how much: %s", fe.Message)
		}
		testenv.WantFault(t, stage(map[string]string{"receipt": gif}, false), fault.Invalid, fault.CodeUnsupportedFileType)
		testenv.WantFault(t, stage(map[string]string{"receipt": "evi_nothing"}, false), fault.Invalid, fault.CodeInvalidValue)
		if d := e.Reload(dispute.Dispute{ID: id}); d.Status != dispute.NeedsResponse || len(d.Evidence) != 0 {
			t.Fatalf("refused packets changed the dispute: status %s evidence %v", d.Status, d.Evidence)
		}
		e.RunJobs()
		if uploads, forms := rec.sent(); uploads+forms != 0 {
			t.Fatalf("refused packets reached Stripe: %v %v", rec.uploads, rec.forms)
		}

		if err := stage(map[string]string{"receipt": receipt, "uncategorized_file": big1, "customer_name": "Ada"}, true); err != nil {
			t.Fatal(err)
		}
		e.RunJobs()
		if uploads, forms := rec.sent(); uploads != 2 || forms != 1 {
			t.Fatalf("Stripe got %d uploads and %d dispute updates, want 2 and 1", uploads, forms)
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
		tl := testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, id))(t)
		pushed := slices.IndexFunc(tl, func(entry store.TimelineEntry) bool { return entry.Action == "pushed_to_provider" })
		if last := tl[len(tl)-1]; pushed < 0 || tl[pushed].Note != "evidence submitted to stripe with 2 file(s): receipt, uncategorized_file" ||
			last.Action != "submitted" || last.To != "under_review" {
			t.Fatalf("timeline: %+v", tl)
		}
		if dead := jobsOf(t, e, store.JobFilter{State: "dead", Page: store.Page{Limit: 100}}); len(dead) != 0 {
			t.Fatalf("dead jobs: %+v", dead)
		}
	})
}
