package paypal

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzAPIError: whatever PayPal (or whatever answers at api_base) sends back as an error, the
// error's text, which the timeline and the job keep, is text any database stores: UTF-8 without
// NUL characters.
func FuzzAPIError(f *testing.F) {
	f.Add(422, []byte(`{"name":"UNPROCESSABLE_ENTITY","message":"The requested action could not be performed.","debug_id":"b3d5e8f1","details":[{"field":"evidences","issue":"INVALID_EVIDENCE_FILE","description":"file type"}]}`))
	f.Add(401, []byte(`{"error":"invalid_client","error_description":"Client Authentication failed"}`))
	f.Add(503, []byte("upstream connect error"))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if text := apiError(status, body).Error(); !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
			t.Fatalf("answer %d %q makes the error %q", status, body, text)
		}
	})
}
