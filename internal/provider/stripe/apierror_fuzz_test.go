package stripe

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReadAPIError: whatever Stripe (or whatever answers at api_base) sends back as an error, the
// error's text, which the timeline and the job keep, is text any database stores: UTF-8 without
// NUL characters.
func FuzzReadAPIError(f *testing.F) {
	f.Add(400, []byte(`{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such dispute: 'dp_1'","param":"dispute"}}`))
	f.Add(502, []byte("<html><body>Bad Gateway</body></html>"))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		e := readAPIError(&http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body))})
		if text := e.Error(); !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
			t.Fatalf("answer %d %q makes the error %q", status, body, text)
		}
	})
}
