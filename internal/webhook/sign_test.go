package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// expectedSignature computes a Standard Webhooks signature from the specification alone, without
// the library Sign uses, so that a shared mistake cannot make the round trip pass.
func expectedSignature(t *testing.T, secret, msgID string, at time.Time, body []byte) string {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msgID + "." + strconv.FormatInt(at.Unix(), 10) + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// newSecret is NewSecret for tests.
func newSecret(t *testing.T) string {
	t.Helper()
	s, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// verify checks h and body with the library's receiver side, timestamp tolerance included.
func verify(t *testing.T, secret string, body []byte, h http.Header) error {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	return wh.Verify(body, h)
}

// TestSignKnownVector uses the example from the Standard Webhooks specification.
func TestSignKnownVector(t *testing.T) {
	t.Parallel()
	h, err := Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0),
		[]byte(`{"test": 2432232314}`), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"webhook-id":        "msg_p5jXN8AQM9LWM0D4loKWxJek",
		"webhook-timestamp": "1614265330",
		"webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if len(h) != len(want) {
		t.Errorf("headers = %v, want only %v", h, want)
	}
}

func TestSignRoundTrip(t *testing.T) {
	t.Parallel()
	secret, other := newSecret(t), newSecret(t)
	at := time.Now().Add(-time.Minute) // within the library's five-minute tolerance
	tests := []struct {
		name string
		body []byte
	}{
		{"event", []byte(`{"type":"dispute.created","data":{"id":"dsp_1","amount":"49.99"}}`)},
		{"empty body", nil},
		{"dots and unicode", []byte(`{"note":"a.b.c – ü ✓"}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			msgID := "msg_01jd5x0f3c8n9k2q7r4s6t8v0w"
			h, err := Sign(msgID, at, tt.body, secret)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := h.Get("webhook-id"), msgID; got != want {
				t.Errorf("webhook-id = %q, want %q", got, want)
			}
			if got, want := h.Get("webhook-timestamp"), strconv.FormatInt(at.Unix(), 10); got != want {
				t.Errorf("webhook-timestamp = %q, want %q", got, want)
			}
			if got, want := h.Get("webhook-signature"), expectedSignature(t, secret, msgID, at, tt.body); got != want {
				t.Errorf("webhook-signature = %q, want %q", got, want)
			}
			if err := verify(t, secret, tt.body, h); err != nil {
				t.Errorf("library Verify: %v", err)
			}
			if err := verify(t, other, tt.body, h); err == nil {
				t.Error("library Verify with another secret succeeded")
			}
			if err := verify(t, secret, append([]byte(tt.body), ' '), h); err == nil {
				t.Error("library Verify of a changed body succeeded")
			}
		})
	}
}

// TestSignRotation: while an endpoint rotates its secret, both signatures are sent, and a
// receiver holding either secret accepts the delivery.
func TestSignRotation(t *testing.T) {
	t.Parallel()
	old, current, stranger := newSecret(t), newSecret(t), newSecret(t)
	at := time.Now()
	body := []byte(`{"type":"order.voided"}`)
	h, err := Sign("msg_1", at, body, current, old)
	if err != nil {
		t.Fatal(err)
	}
	sigs := strings.Split(h.Get("webhook-signature"), " ")
	want := []string{
		expectedSignature(t, current, "msg_1", at, body),
		expectedSignature(t, old, "msg_1", at, body),
	}
	if len(sigs) != 2 || sigs[0] != want[0] || sigs[1] != want[1] {
		t.Errorf("webhook-signature = %q, want %q", sigs, want)
	}
	for _, s := range []string{old, current} {
		if err := verify(t, s, body, h); err != nil {
			t.Errorf("library Verify with one of the two secrets: %v", err)
		}
	}
	if err := verify(t, stranger, body, h); err == nil {
		t.Error("library Verify with a third secret succeeded")
	}
}

// TestSignTimestampPerAttempt: a retry keeps the id and signs its own time, so that receivers
// both deduplicate it and accept it within their replay window.
func TestSignTimestampPerAttempt(t *testing.T) {
	t.Parallel()
	secret := newSecret(t)
	body := []byte(`{}`)
	first, err := Sign("msg_1", time.Now().Add(-2*time.Hour), body, secret)
	if err != nil {
		t.Fatal(err)
	}
	retry, err := Sign("msg_1", time.Now(), body, secret)
	if err != nil {
		t.Fatal(err)
	}
	if first.Get("webhook-id") != retry.Get("webhook-id") {
		t.Errorf("webhook-id changed between attempts: %q, %q", first.Get("webhook-id"), retry.Get("webhook-id"))
	}
	if err := verify(t, secret, body, first); err == nil {
		t.Error("library Verify accepted a two-hour-old attempt")
	}
	if err := verify(t, secret, body, retry); err != nil {
		t.Errorf("library Verify of the retry: %v", err)
	}
}

func TestSignErrors(t *testing.T) {
	t.Parallel()
	good := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	now := time.Now()
	tests := []struct {
		name    string
		msgID   string
		at      time.Time
		secrets []string
	}{
		{"no secret", "msg_1", now, nil},
		{"no prefix", "msg_1", now, []string{strings.TrimPrefix(good, "whsec_")}},
		{"not base64", "msg_1", now, []string{"whsec_not base64!"}},
		{"empty key", "msg_1", now, []string{"whsec_"}},
		{"short key", "msg_1", now, []string{"whsec_" + base64.StdEncoding.EncodeToString(make([]byte, 16))}},
		{"long key", "msg_1", now, []string{"whsec_" + base64.StdEncoding.EncodeToString(make([]byte, 65))}},
		{"second secret bad", "msg_1", now, []string{good, "whsec_"}},
		{"empty id", "", now, []string{good}},
		{"id with space", "msg 1", now, []string{good}},
		{"id with line break", "msg_1\r\nX-Evil: 1", now, []string{good}},
		{"id not ASCII", "msg_ü", now, []string{good}},
		{"id too long", "msg_" + strings.Repeat("x", 252), now, []string{good}},
		{"zero time", "msg_1", time.Time{}, []string{good}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, err := Sign(tt.msgID, tt.at, []byte(`{}`), tt.secrets...)
			if err == nil {
				t.Fatalf("Sign succeeded with headers %v", h)
			}
			if strings.Contains(err.Error(), "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") {
				t.Errorf("the error quotes a secret: %v", err)
			}
		})
	}
	// The longest id accepted.
	if _, err := Sign("msg_"+strings.Repeat("x", 251), now, nil, good); err != nil {
		t.Errorf("Sign with a 255-byte id: %v", err)
	}
	// Both ends of the allowed key sizes.
	for _, n := range []int{24, 64} {
		s := "whsec_" + base64.StdEncoding.EncodeToString(make([]byte, n))
		if _, err := Sign("msg_1", now, nil, s); err != nil {
			t.Errorf("Sign with a %d-byte key: %v", n, err)
		}
	}
}
