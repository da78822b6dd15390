package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/order"
	"disputed/internal/testenv"
)

// TestEvidenceUpload keeps what only HTTP shows of appending evidence (the rules are tested
// beside internal/app): the item as JSON, a multipart upload and its form fields, and that the
// evidence routes offer no way to edit or delete an item.
func TestEvidenceUpload(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	sale := e.Sale(testenv.SaleParams{Amount: 1000, Line: &order.LineSpec{Panel: "manual", ExternalID: "svc-1"}})
	d := e.Dispute(sale, "marketplace", func(p *app.DisputeParams) { p.Description = "not as described" })
	id, rev := d.ID, d.Revision
	evidence := "/v1/disputes/" + id + "/evidence"

	text := c.Post(evidence, map[string]any{"type": "text", "content": "chat log attached", "description": "chat"})
	// The answer is the item with the revision of the dispute it made (EvidenceOut's body).
	testenv.WantStatus(t, text, 201)
	var added httpapi.EvidenceOut
	if err := json.Unmarshal(text.Raw, &added.Body); err != nil || added.Body.Object != "evidence_item" ||
		added.Body.DisputeRevision != rev+1 || added.Body.DisputeID != id {
		t.Errorf("text item: %v %s", err, text.Raw)
	}
	textID := added.Body.ID
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 1000)...)
	body, ct := testenv.Multipart(t, map[string]string{"description": "photo of the box"}, "box.png", "image/png", png)
	img := testenv.Want[httpapi.EvidenceItem](t, c.Post(evidence, body, "Content-Type", ct), 201)
	if img.Type != "image" || img.Size != int64(len(png)) || wireString(img.FileName) != "box.png" ||
		wireString(img.ContentType) != "image/png" || wireString(img.Description) != "photo of the box" {
		t.Errorf("image upload: %+v", img)
	}
	body, ct = testenv.Multipart(t, map[string]string{"colour": "red"}, "x.txt", "text/plain", []byte("x"))
	testenv.WantError(t, c.Post(evidence, body, "Content-Type", ct), 400, "unknown_field", "colour")
	body, ct = testenv.Multipart(t, map[string]string{"revision": "1"}, "x.txt", "text/plain", []byte("x"))
	testenv.WantError(t, c.Post(evidence, body, "Content-Type", ct), 409, "revision_conflict")

	list := c.Get(evidence)
	if got := listedIDs(t, list); len(got) != 2 || got[0] != textID || got[1] != img.ID {
		t.Fatalf("evidence list %v", got)
	}
	// Append-only: there is no way to edit or delete an item.
	for _, m := range []string{http.MethodDelete, http.MethodPut, http.MethodPatch} {
		if r := c.Do(m, evidence+"/"+textID, nil); r.Status != 404 && r.Status != 405 {
			t.Errorf("%s on an evidence item: %d", m, r.Status)
		}
	}
	if r := c.Do(http.MethodDelete, evidence, nil); r.Status != 405 || r.Header.Get("Allow") != "GET, POST" {
		t.Errorf("DELETE on the evidence list: %d, Allow %q", r.Status, r.Header.Get("Allow"))
	}
	if again := c.Get(evidence); !bytes.Equal(again.Raw, list.Raw) {
		t.Errorf("evidence changed:\n%s\n%s", list.Raw, again.Raw)
	}
}
