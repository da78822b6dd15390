package stripe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReadRefund: whatever answers a refund, we get either a refund id Stripe's way (re_… or
// pyr_…), storable as a provider reference, or an error; a failed refund is never taken for one
// that moved money.
func FuzzReadRefund(f *testing.F) {
	f.Add([]byte(`{"id":"re_3QStripe0001","object":"refund","amount":4999,"charge":"ch_1","status":"succeeded"}`))
	f.Add([]byte(`{"id":"re_3QStripe0002","object":"refund","status":"failed","failure_reason":"expired_or_canceled_card"}`))
	f.Add([]byte(`{"id":"ch_1","object":"charge"}`))
	f.Add([]byte(`<html>502</html>`))
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
		if !strings.HasPrefix(id, "re_") && !strings.HasPrefix(id, "pyr_") || !utf8.ValidString(id) || strings.ContainsRune(id, 0) {
			t.Fatalf("%q reads as the refund id %q", body, id)
		}
	})
}
