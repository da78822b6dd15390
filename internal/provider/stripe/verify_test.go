package stripe

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85/webhook"

	"disputed/internal/provider"
)

const (
	testSecret    = "whsec_test_5f2b8c1d9e"
	oldSecret     = "whsec_old_0a1b2c3d4e"
	anotherSecret = "whsec_other_99aa88bb"
)

var (
	signedAt = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	testBody = []byte(`{"id":"evt_1","object":"event","type":"charge.dispute.created"}`)
)

// signature returns the v1 signature of body at t, as stripe-go's test helper computes it.
func signature(secret string, t time.Time, body []byte) string {
	return hex.EncodeToString(webhook.ComputeSignature(t, body, secret))
}

func TestVerify(t *testing.T) {
	t.Parallel()
	// stripe-go's own helper builds the header, so that what we accept is what Stripe sends.
	good := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload: testBody, Secret: testSecret, Timestamp: signedAt,
	}).Header
	ts := fmt.Sprintf("t=%d", signedAt.Unix())

	tests := []struct {
		name    string
		secrets string
		headers []string // Stripe-Signature values; nil for none
		body    []byte   // testBody when nil
		now     time.Time
		ok      bool
	}{
		{name: "good", secrets: testSecret, headers: []string{good}, now: signedAt, ok: true},
		{name: "good, a second later", secrets: testSecret, headers: []string{good}, now: signedAt.Add(time.Second), ok: true},
		{name: "at the edge of the tolerance", secrets: testSecret, headers: []string{good}, now: signedAt.Add(Tolerance), ok: true},
		{name: "stale", secrets: testSecret, headers: []string{good}, now: signedAt.Add(Tolerance + time.Second)},
		{name: "from the future", secrets: testSecret, headers: []string{good}, now: signedAt.Add(-Tolerance - time.Second)},
		{name: "slightly ahead of our clock", secrets: testSecret, headers: []string{good}, now: signedAt.Add(-time.Minute), ok: true},
		{name: "wrong secret", secrets: anotherSecret, headers: []string{good}, now: signedAt},
		{name: "body changed", secrets: testSecret, headers: []string{good}, body: []byte(`{"id":"evt_2"}`), now: signedAt},
		{
			name: "timestamp changed", secrets: testSecret, now: signedAt,
			headers: []string{fmt.Sprintf("t=%d,v1=%s", signedAt.Unix()+1, signature(testSecret, signedAt, testBody))},
		},
		{
			name: "several v1, the second good", secrets: testSecret, now: signedAt, ok: true,
			headers: []string{ts + ",v1=" + signature(anotherSecret, signedAt, testBody) + ",v1=" + signature(testSecret, signedAt, testBody)},
		},
		{
			name: "a v0 and a junk v1 before the good one", secrets: testSecret, now: signedAt, ok: true,
			headers: []string{ts + ",v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39,v1=zz,v1=abcd," +
				"v1=" + signature(testSecret, signedAt, testBody)},
		},
		{
			name: "rotation: signed with the old secret", secrets: testSecret + "," + oldSecret, now: signedAt, ok: true,
			headers: []string{ts + ",v1=" + signature(oldSecret, signedAt, testBody)},
		},
		{
			name: "rotation: signed with the new secret, blanks around the comma", secrets: oldSecret + " , " + testSecret + ",",
			now: signedAt, ok: true, headers: []string{good},
		},
		{
			name: "rotation: Stripe signs with both while rolling", secrets: testSecret, now: signedAt, ok: true,
			headers: []string{ts + ",v1=" + signature(oldSecret, signedAt, testBody) + ",v1=" + signature(testSecret, signedAt, testBody)},
		},
		{name: "only a v0 signature", secrets: testSecret, now: signedAt,
			headers: []string{ts + ",v0=" + signature(testSecret, signedAt, testBody)}},
		{name: "no secret configured", secrets: " , ", headers: []string{good}, now: signedAt},
		{name: "no header", secrets: testSecret, now: signedAt},
		{name: "empty header", secrets: testSecret, headers: []string{""}, now: signedAt},
		{name: "two headers", secrets: testSecret, headers: []string{good, good}, now: signedAt},
		{name: "no timestamp", secrets: testSecret, now: signedAt,
			headers: []string{"v1=" + signature(testSecret, signedAt, testBody)}},
		{name: "two timestamps", secrets: testSecret, now: signedAt, headers: []string{ts + "," + good}},
		{name: "timestamp not a number", secrets: testSecret, now: signedAt,
			headers: []string{"t=soon,v1=" + signature(testSecret, signedAt, testBody)}},
		{name: "signed timestamp", secrets: testSecret, now: signedAt,
			headers: []string{fmt.Sprintf("t=+%d,v1=%s", signedAt.Unix(), signature(testSecret, signedAt, testBody))}},
		{name: "huge timestamp", secrets: testSecret, now: signedAt,
			headers: []string{"t=99999999999999999999,v1=" + signature(testSecret, signedAt, testBody)}},
		{name: "element without '='", secrets: testSecret, now: signedAt, headers: []string{good + ",garbage"}},
		{name: "uppercase hex is still hex", secrets: testSecret, now: signedAt, ok: true,
			headers: []string{ts + ",v1=" + fmt.Sprintf("%X", webhook.ComputeSignature(signedAt, testBody, testSecret))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := New(provider.Config{WebhookSecret: tt.secrets}, nil)
			h := http.Header{}
			for _, v := range tt.headers {
				h.Add(SignatureHeader, v)
			}
			body := tt.body
			if body == nil {
				body = testBody
			}
			err := s.Verify(context.Background(), h, body, tt.now)
			switch {
			case tt.ok && err != nil:
				t.Errorf("Verify: %v, want success", err)
			case !tt.ok && !errors.Is(err, provider.ErrSignature):
				t.Errorf("Verify = %v, want an error wrapping ErrSignature", err)
			}
		})
	}
}
