package paypal

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReadRefund: whatever answers a capture refund, we get either a refund id storable as a
// provider reference or an error storable on the timeline, never both.
func FuzzReadRefund(f *testing.F) {
	f.Add([]byte(`{"id":"1JU08902781691411","status":"COMPLETED","links":[{"rel":"self","method":"GET","href":"https://api-m.paypal.com/v2/payments/refunds/1JU08902781691411"}]}`))
	f.Add([]byte(`{"id":"1JU08902781691412","status":"FAILED","status_details":{"reason":"ECHECK"}}`))
	f.Add([]byte(`{"links":[]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		id, err := readRefund(body)
		if err != nil {
			if id != "" {
				t.Fatalf("%q: both an id %q and an error %v", body, id, err)
			}
			if text := err.Error(); !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
				t.Fatalf("%q makes the error %q", body, text)
			}
			return
		}
		if strings.TrimSpace(id) == "" || !utf8.ValidString(id) || strings.ContainsRune(id, 0) {
			t.Fatalf("%q reads as the refund id %q", body, id)
		}
	})
}
