package main

import (
	"bytes"
	"mime/multipart"
	"net/textproto"
	"testing"
)

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

// TestEvidenceUpload keeps what only HTTP shows of appending evidence (the rules are tested
// beside internal/app): the item as JSON, a multipart upload and its form fields, and that the
// evidence routes offer no way to edit or delete an item.
func TestEvidenceUpload(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	id, _, _ := s.marketplaceDispute(1000, false)
	rev := s.get("/v1/disputes/" + id).num("revision")
	text := s.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "chat log attached", "description": "chat"})
	want(t, text, 201)
	if text.str("object") != "evidence_item" || text.num("dispute_revision") != rev+1 || text.str("dispute_id") != id {
		t.Errorf("text item: %s", text.raw)
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 1000)...)
	body, ct := multipartEvidence(t, map[string]string{"description": "photo of the box"}, "box.png", "image/png", png)
	img := s.post("/v1/disputes/"+id+"/evidence", body, "Content-Type", ct)
	want(t, img, 201)
	if img.str("type") != "image" || img.num("size") != int64(len(png)) || img.str("file_name") != "box.png" ||
		img.str("content_type") != "image/png" || img.str("description") != "photo of the box" {
		t.Errorf("image upload: %s", img.raw)
	}
	body, ct = multipartEvidence(t, map[string]string{"colour": "red"}, "x.txt", "text/plain", []byte("x"))
	bad := s.post("/v1/disputes/"+id+"/evidence", body, "Content-Type", ct)
	want(t, bad, 400, "unknown_field")
	if bad.str("error", "param") != "colour" {
		t.Errorf("param %q, want colour", bad.str("error", "param"))
	}
	body, ct = multipartEvidence(t, map[string]string{"revision": "1"}, "x.txt", "text/plain", []byte("x"))
	want(t, s.post("/v1/disputes/"+id+"/evidence", body, "Content-Type", ct), 409, "revision_conflict")

	list := s.get("/v1/disputes/" + id + "/evidence")
	want(t, list, 200)
	if got := list.ids(); len(got) != 2 || got[0] != text.str("id") || got[1] != img.str("id") {
		t.Fatalf("evidence list %v", got)
	}
	// Append-only: there is no way to edit or delete an item.
	for _, m := range []string{"DELETE", "PUT", "PATCH"} {
		r := s.call(m, "/v1/disputes/"+id+"/evidence/"+text.str("id"), nil)
		if r.status != 404 && r.status != 405 {
			t.Errorf("%s on an evidence item: %d", m, r.status)
		}
	}
	if r := s.call("DELETE", "/v1/disputes/"+id+"/evidence", nil); r.status != 405 || r.header.Get("Allow") != "GET, POST" {
		t.Errorf("DELETE on the evidence list: %d, Allow %q", r.status, r.header.Get("Allow"))
	}
	if again := s.get("/v1/disputes/" + id + "/evidence"); !bytes.Equal(again.raw, list.raw) {
		t.Errorf("evidence changed:\n%s\n%s", list.raw, again.raw)
	}
}
