package stripe

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"disputed/internal/provider"
)

// TestSendEvidenceUploadsFiles: a file staged under a file field is uploaded to Stripe first
// (POST /v1/files, purpose dispute_evidence, the bytes as sent), and the dispute's evidence
// then names the file Stripe made of it.
func TestSendEvidenceUploadsFiles(t *testing.T) {
	t.Parallel()
	type upload struct{ purpose, name, contentType, data, key string }
	var (
		mu      sync.Mutex
		uploads []upload
		form    url.Values
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch r.URL.Path {
		case "/v1/files":
			_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			mr := multipart.NewReader(r.Body, params["boundary"])
			var u upload
			u.key = r.Header.Get("Idempotency-Key")
			for {
				p, err := mr.NextPart()
				if err != nil {
					break
				}
				b, _ := io.ReadAll(p)
				switch p.FormName() {
				case "purpose":
					u.purpose = string(b)
				case "file":
					u.name, u.contentType, u.data = p.FileName(), p.Header.Get("Content-Type"), string(b)
				}
			}
			uploads = append(uploads, u)
			_, _ = io.WriteString(w, `{"id":"file_up`+string(rune('0'+len(uploads)))+`","object":"file"}`)
		default:
			raw, _ := io.ReadAll(r.Body)
			form, _ = url.ParseQuery(string(raw))
			_, _ = io.WriteString(w, `{"id":"du_1"}`)
		}
	}))
	t.Cleanup(srv.Close)
	s := New(provider.Config{APIKey: "sk_test_123", APIBase: srv.URL}, srv.Client())
	ev := provider.Evidence{Fields: map[string]string{"customer_name": "Ada"}, Files: map[string]provider.File{
		"receipt":            {Name: "receipt.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 receipt")},
		"uncategorized_file": {Name: "chat.png", ContentType: "image/png", Data: []byte("\x89PNG chat")},
	}}
	if err := s.SendEvidence(provider.WithIdempotencyKey(context.Background(), "disputed-job_1-abc"), "du_1", ev, true); err != nil {
		t.Fatalf("SendEvidence: %v", err)
	}
	if len(uploads) != 2 || uploads[0].purpose != "dispute_evidence" || uploads[0].name != "receipt.pdf" ||
		uploads[0].contentType != "application/pdf" || uploads[0].data != "%PDF-1.4 receipt" || uploads[1].data != "\x89PNG chat" {
		t.Fatalf("uploads = %+v", uploads)
	}
	if uploads[0].key == uploads[1].key || !strings.HasPrefix(uploads[0].key, "disputed-job_1-abc-receipt-") {
		t.Errorf("idempotency keys %q, %q: want one per file, from the push's", uploads[0].key, uploads[1].key)
	}
	if form.Get("evidence[receipt]") != "file_up1" || form.Get("evidence[uncategorized_file]") != "file_up2" ||
		form.Get("evidence[customer_name]") != "Ada" || form.Get("submit") != "true" {
		t.Errorf("dispute form = %v", form)
	}

	// A file under a text field is refused before anything is sent.
	uploads = nil
	err := s.SendEvidence(context.Background(), "du_1", provider.Evidence{Files: map[string]provider.File{"customer_name": {Name: "a.pdf"}}}, true)
	if !errors.Is(err, provider.ErrPermanent) || len(uploads) != 0 {
		t.Errorf("a file as customer_name: %v, %d uploads", err, len(uploads))
	}
}

func TestFilesGoToStripesFileHost(t *testing.T) {
	t.Parallel()
	if s := New(provider.Config{}, nil); s.filesBase != "https://files.stripe.com" {
		t.Errorf("files base = %s", s.filesBase)
	}
	if s := New(provider.Config{APIBase: "http://127.0.0.1:1"}, nil); s.filesBase != "http://127.0.0.1:1" {
		t.Errorf("files base for a mock = %s", s.filesBase)
	}
}
