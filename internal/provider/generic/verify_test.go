package generic

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"disputed/internal/provider"
)

const (
	testSecret    = "gen_secret_current"
	oldSecret     = "gen_secret_previous"
	anotherSecret = "gen_secret_someone_else"
)

var (
	signedAt = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	testBody = []byte(`{"id":"evt-8812","type":"alert","alert_type":"ethoca","arn":"74"}`)
)

// v1 computes a signature independently of the code under test.
func v1(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "." + string(body)))
	return hex.EncodeToString(m.Sum(nil))
}

func TestSign(t *testing.T) {
	t.Parallel()
	ts := fmt.Sprint(signedAt.Unix())
	want := "t=" + ts + ",v1=" + v1(testSecret, ts, testBody)
	if got := Sign(testSecret, signedAt, testBody); got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	ts := fmt.Sprint(signedAt.Unix())
	good := Sign(testSecret, signedAt, testBody)
	tests := []struct {
		name    string
		secrets string
		headers []string
		body    []byte
		now     time.Time
		ok      bool
	}{
		{name: "good", secrets: testSecret, headers: []string{good}, now: signedAt, ok: true},
		{name: "at the edge of the tolerance", secrets: testSecret, headers: []string{good}, now: signedAt.Add(Tolerance), ok: true},
		{name: "at the other edge", secrets: testSecret, headers: []string{good}, now: signedAt.Add(-Tolerance), ok: true},
		{name: "stale", secrets: testSecret, headers: []string{good}, now: signedAt.Add(Tolerance + time.Second)},
		{name: "from the future", secrets: testSecret, headers: []string{good}, now: signedAt.Add(-Tolerance - time.Second)},
		{name: "wrong secret", secrets: anotherSecret, headers: []string{good}, now: signedAt},
		{name: "body changed", secrets: testSecret, headers: []string{good}, body: []byte(`{"id":"evt-8813"}`), now: signedAt},
		{name: "timestamp changed", secrets: testSecret, now: signedAt,
			headers: []string{fmt.Sprintf("t=%d,v1=%s", signedAt.Unix()-1, v1(testSecret, ts, testBody))}},
		{name: "t signed as sent, leading zero included", secrets: testSecret, now: signedAt, ok: true,
			headers: []string{"t=0" + ts + ",v1=" + v1(testSecret, "0"+ts, testBody)}},
		{name: "several v1, the last good", secrets: testSecret, now: signedAt, ok: true,
			headers: []string{"t=" + ts + ",v1=" + v1(anotherSecret, ts, testBody) + ",v1=" + v1(oldSecret, ts, testBody) + ",v1=" + v1(testSecret, ts, testBody)}},
		{name: "unknown scheme and junk v1 are skipped", secrets: testSecret, now: signedAt, ok: true,
			headers: []string{"t=" + ts + ",v2=abc,v1=nothex,v1=00," + "v1=" + v1(testSecret, ts, testBody)}},
		{name: "rotation: the old secret still verifies", secrets: testSecret + "," + oldSecret, now: signedAt, ok: true,
			headers: []string{Sign(oldSecret, signedAt, testBody)}},
		{name: "rotation: blanks and empty entries", secrets: " , " + oldSecret + " ,, " + testSecret + " ", now: signedAt, ok: true,
			headers: []string{good}},
		{name: "rotation: a removed secret no longer verifies", secrets: testSecret, now: signedAt,
			headers: []string{Sign(oldSecret, signedAt, testBody)}},
		{name: "blanks around elements", secrets: testSecret, now: signedAt, ok: true,
			headers: []string{" t=" + ts + " , v1=" + v1(testSecret, ts, testBody) + " "}},
		{name: "no secret configured", secrets: "", headers: []string{good}, now: signedAt},
		{name: "no header", secrets: testSecret, now: signedAt},
		{name: "empty header", secrets: testSecret, headers: []string{""}, now: signedAt},
		{name: "two headers", secrets: testSecret, headers: []string{good, good}, now: signedAt},
		{name: "no timestamp", secrets: testSecret, now: signedAt, headers: []string{"v1=" + v1(testSecret, ts, testBody)}},
		{name: "empty timestamp", secrets: testSecret, now: signedAt, headers: []string{"t=,v1=" + v1(testSecret, "", testBody)}},
		{name: "two timestamps", secrets: testSecret, now: signedAt, headers: []string{"t=" + ts + "," + good}},
		{name: "negative timestamp", secrets: testSecret, now: signedAt, headers: []string{"t=-" + ts + ",v1=" + v1(testSecret, "-"+ts, testBody)}},
		{name: "timestamp in milliseconds", secrets: testSecret, now: signedAt,
			headers: []string{"t=" + ts + "000,v1=" + v1(testSecret, ts+"000", testBody)}},
		{name: "RFC 3339 timestamp", secrets: testSecret, now: signedAt,
			headers: []string{"t=2026-11-20T10:00:00Z,v1=" + v1(testSecret, "2026-11-20T10:00:00Z", testBody)}},
		{name: "no v1", secrets: testSecret, now: signedAt, headers: []string{"t=" + ts}},
		{name: "element without '='", secrets: testSecret, now: signedAt, headers: []string{good + ",x"}},
		{name: "the signature in another header format", secrets: testSecret, now: signedAt,
			headers: []string{"sha256=" + v1(testSecret, ts, testBody)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := New(provider.Config{WebhookSecret: tt.secrets})
			h := http.Header{}
			for _, v := range tt.headers {
				h.Add(SignatureHeader, v)
			}
			body := tt.body
			if body == nil {
				body = testBody
			}
			err := g.Verify(context.Background(), h, body, tt.now)
			switch {
			case tt.ok && err != nil:
				t.Errorf("Verify: %v, want success", err)
			case !tt.ok && !errors.Is(err, provider.ErrSignature):
				t.Errorf("Verify = %v, want an error wrapping ErrSignature", err)
			}
		})
	}
}
