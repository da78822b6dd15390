package safefile

import (
	"mime"
	"net/http/httptest"
	"testing"

	"disputed/internal/dispute"
)

// TestHeaders: images and PDF open in the browser, anything else downloads; a name cannot break
// out of the header, and every file is sandboxed and never sniffed.
func TestHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		contentType, name   string
		wantType, wantDispo string
		wantName            string
	}{
		{"image/png", "box.png", "image/png", "inline", "box.png"},
		{"application/pdf", "Rechnung März.pdf", "application/pdf", "inline", "Rechnung März.pdf"},
		{"text/plain", `chat"; filename=evil.html`, "text/plain; charset=utf-8", "attachment", `chat"; filename=evil.html`},
		{"text/plain", "a\r\nSet-Cookie: x=1", "text/plain; charset=utf-8", "attachment", "aSet-Cookie: x=1"},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		Serve(rec, dispute.EvidenceItem{ContentType: tt.contentType, FileName: tt.name}, []byte("data"))
		h := rec.Header()
		dispo, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
		if err != nil || dispo != tt.wantDispo || params["filename"] != tt.wantName {
			t.Errorf("%s: Content-Disposition %q (%v, %v), want %s with %q", tt.name, h.Get("Content-Disposition"), dispo, params, tt.wantDispo, tt.wantName)
		}
		if h.Get("Content-Type") != tt.wantType || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Security-Policy") != Policy ||
			rec.Body.String() != "data" {
			t.Errorf("%s: headers %v", tt.name, h)
		}
	}
}
