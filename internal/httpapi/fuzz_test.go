package httpapi

import (
	"errors"
	"testing"
	"time"

	"disputed/internal/dispute"
)

// FuzzCursor: any cursor a client sends is either rejected or decodes to a position that encodes
// back to the same cursor.
func FuzzCursor(f *testing.F) {
	f.Add(encodeCursor(time.UnixMilli(1_790_000_000_000), "dsp_01m83mn59p91b631m2jqyjpnw0"))
	f.Add("")
	f.Add("MTIzLg")
	f.Add("not base64 !")
	f.Fuzz(func(t *testing.T, c string) {
		created, id, ok := decodeCursor(c)
		if !ok {
			return
		}
		if again := encodeCursor(created, id); again != c {
			if c2, id2, ok2 := decodeCursor(again); !ok2 || !c2.Equal(created) || id2 != id {
				t.Fatalf("cursor %q decodes to (%v, %q) which does not round-trip", c, created, id)
			}
		}
	})
}

// FuzzEvidenceBody: whatever body and content type arrive, reading evidence never panics and
// every rejection is one of our error responses, not a bare error.
func FuzzEvidenceBody(f *testing.F) {
	f.Add("application/json", []byte(`{"type":"text","content":"hello","description":"d"}`))
	f.Add("application/json", []byte(`{"type":"text","content":"x","extra":1}`))
	f.Add("application/json", []byte(`{"type":1}`))
	f.Add("multipart/form-data; boundary=XX", []byte("--XX\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nfile\r\n"+
		"--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n--XX--\r\n"))
	f.Add("multipart/form-data", []byte("--XX--"))
	f.Add("text/plain", []byte("hi"))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		p, _, err := readEvidence(contentType, body)
		if err != nil {
			var ae *apiError
			if !errors.As(err, &ae) || ae.status < 400 || ae.status >= 500 || ae.ErrorBody.Error.Code == "" {
				t.Fatalf("rejection is not a client error response: %#v", err)
			}
			return
		}
		if len(p.File) > dispute.MaxFileBytes+1 {
			t.Fatalf("read a file of %d bytes", len(p.File))
		}
	})
}
