package main

import (
	"bytes"
	"mime/multipart"
	"net/textproto"
	"testing"
)

// TestEvidenceUpload moved to internal/httpapi (evidence_upload_test.go); these helpers stay for
// the tests of the process that use them.

// marketplaceDispute is a completed order between a buyer and a vendor, charged, with a marketplace
// dispute the buyer opened and an admin moved to review.
func (s *testServer) marketplaceDispute(amount int64, review bool) (dsp, ord, charge string) {
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
