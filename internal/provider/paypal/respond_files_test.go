package paypal

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"reflect"
	"strings"
	"testing"

	"disputed/internal/provider"
)

// TestSendEvidenceWithFiles: the files staged with the evidence go in the same provide-evidence
// call, one evidence_file part each, named by the documents of evidences of their type.
func TestSendEvidenceWithFiles(t *testing.T) {
	t.Parallel()
	f, srv := newFakePayPal(t)
	p := newResponder(srv, &clock{t: testNow})
	ev := provider.Evidence{Fields: map[string]string{"uncategorized_text": "See the receipt."}, Files: map[string]provider.File{
		"receipt":            {Name: "receipt.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 receipt")},
		"uncategorized_file": {Name: "receipt.pdf", ContentType: "image/png", Data: []byte("\x89PNG photo")},
	}}
	if err := p.SendEvidence(context.Background(), "PP-D-98852", ev, true); err != nil {
		t.Fatal(err)
	}
	_, calls := f.snapshot()
	if len(calls) != 1 {
		t.Fatalf("%d calls, want 1", len(calls))
	}
	input, files := providedEvidence(t, calls[0].contentType, calls[0].body)
	wantFiles := map[string]string{"receipt.pdf": "application/pdf %PDF-1.4 receipt", "uncategorized_file-receipt.pdf": "image/png \x89PNG photo"}
	if !reflect.DeepEqual(files, wantFiles) {
		t.Errorf("files = %q, want %q", files, wantFiles)
	}
	want := []evidenceJSON{
		{EvidenceType: "OTHER", Notes: "Additional information: See the receipt."},
		{EvidenceType: "PROOF_OF_RECEIPT_COPY", Documents: []document{{Name: "receipt.pdf"}}, Notes: "Receipt: receipt.pdf"},
		{EvidenceType: "OTHER", Documents: []document{{Name: "uncategorized_file-receipt.pdf"}}, Notes: "Additional document: uncategorized_file-receipt.pdf"},
	}
	if !reflect.DeepEqual(input, want) {
		t.Errorf("evidences =\n%s\nwant\n%s", jsonOf(input), jsonOf(want))
	}

	// Files alone are evidence enough.
	if err := p.SendEvidence(context.Background(), "PP-D-98853", provider.Evidence{Files: map[string]provider.File{
		"receipt": {Name: "r.pdf", ContentType: "application/pdf", Data: []byte("%PDF")}}}, true); err != nil {
		t.Errorf("files alone: %v", err)
	}
}

// TestSendEvidenceWithAPacket: the packet is the one document sent; the files it holds already
// are not sent again, while the text fields still go as typed evidences.
func TestSendEvidenceWithAPacket(t *testing.T) {
	t.Parallel()
	f, srv := newFakePayPal(t)
	p := newResponder(srv, &clock{t: testNow})
	ev := provider.Evidence{Fields: map[string]string{"uncategorized_text": "See the letter."},
		Files:  map[string]provider.File{"receipt": {Name: "receipt.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 receipt")}},
		Packet: &provider.File{Name: "dsp_1-packet.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 packet")}}
	if err := p.SendEvidence(context.Background(), "PP-D-98852", ev, true); err != nil {
		t.Fatal(err)
	}
	_, calls := f.snapshot()
	input, files := providedEvidence(t, calls[0].contentType, calls[0].body)
	if want := map[string]string{"dsp_1-packet.pdf": "application/pdf %PDF-1.4 packet"}; !reflect.DeepEqual(files, want) {
		t.Errorf("files = %q, want %q", files, want)
	}
	want := []evidenceJSON{
		{EvidenceType: "OTHER", Notes: "Additional information: See the letter."},
		{EvidenceType: "OTHER", Documents: []document{{Name: "dsp_1-packet.pdf"}}, Notes: "Cover letter and every exhibit: dsp_1-packet.pdf"},
	}
	if !reflect.DeepEqual(input, want) {
		t.Errorf("evidences =\n%s\nwant\n%s", jsonOf(input), jsonOf(want))
	}
}

// providedEvidence reads a provide-evidence body: its evidences, and its files by name (their
// content type, a space, their content).
func providedEvidence(t *testing.T, contentType string, body []byte) ([]evidenceJSON, map[string]string) {
	t.Helper()
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatal(err)
	}
	r := multipart.NewReader(strings.NewReader(string(body)), params["boundary"])
	var input struct {
		Evidences []evidenceJSON `json:"evidences"`
	}
	files := map[string]string{}
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(part)
		switch part.FormName() {
		case "input":
			if err := json.Unmarshal(b, &input); err != nil {
				t.Fatal(err)
			}
		case "evidence_file":
			files[part.FileName()] = part.Header.Get("Content-Type") + " " + string(b)
		default:
			t.Errorf("unexpected part %q", part.FormName())
		}
	}
	return input.Evidences, files
}
