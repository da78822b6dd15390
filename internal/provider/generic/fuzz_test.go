package generic

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/money"
	"disputed/internal/provider"
)

// FuzzParse feeds arbitrary bodies to Parse (seeds: testdata/fuzz/FuzzParse). It must not
// panic, must refuse with ErrPayload, or must return an event that keeps every rule of the
// feed's schema.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := parse(body)
		if err != nil {
			if !errors.Is(err, provider.ErrPayload) {
				t.Fatalf("error %v does not wrap ErrPayload", err)
			}
			return
		}
		if ev.Type == "generic.transaction" {
			checkTransaction(t, ev)
			return
		}
		d := ev.Dispute
		if ev.ID == "" || d == nil || d.ProviderDisputeID == "" {
			t.Fatalf("incomplete event %+v", ev)
		}
		if !ev.Created.Equal(d.HappenedAt) {
			t.Fatalf("created %v differs from happened_at %v", ev.Created, d.HappenedAt)
		}
		switch ev.Type {
		case "generic.alert":
			if d.Type != dispute.Alert || d.Status != dispute.Open || d.AlertType == "" {
				t.Fatalf("bad alert %+v", d)
			}
		case "generic.chargeback":
			if d.Type != dispute.Chargeback || d.Stage != dispute.StageChargeback || d.CaseNumber != d.ProviderDisputeID {
				t.Fatalf("bad chargeback %+v", d)
			}
			switch d.Status {
			case dispute.NeedsResponse, dispute.UnderReview, dispute.Won, dispute.Lost:
			default:
				t.Fatalf("chargeback status %q", d.Status)
			}
		default:
			t.Fatalf("event type %q", ev.Type)
		}
		if d.Amount < 0 || (d.Amount > 0 && d.Currency == "") {
			t.Fatalf("amount %d %q", d.Amount, d.Currency)
		}
		if d.Currency != "" {
			if code, err := money.ParseCurrency(d.Currency); err != nil || code != d.Currency {
				t.Fatalf("currency %q is not an upper-case ISO 4217 code", d.Currency)
			}
		}
	})
}

// checkTransaction checks the promises of a transaction read from the feed: one payment or one
// refund of its parent, of a positive amount in an upper-case ISO 4217 currency.
func checkTransaction(t *testing.T, ev provider.Event) {
	t.Helper()
	var amount int64
	var currency string
	switch c, r := ev.Charge, ev.Refund; {
	case ev.Dispute != nil || (c == nil) == (r == nil):
		t.Fatalf("a transaction must be a charge or a refund: %+v", ev)
	case c != nil:
		if c.ID != ev.ID || !c.Made || (c.Last4 != "" && len(c.Last4) != 4) {
			t.Fatalf("bad charge %+v", c)
		}
		amount, currency = c.Amount, c.Currency
	default:
		if r.ID != ev.ID || r.ChargeReference == "" || !r.Made {
			t.Fatalf("bad refund %+v", r)
		}
		amount, currency = r.Amount, r.Currency
	}
	if code, err := money.ParseCurrency(currency); err != nil || code != currency || amount <= 0 {
		t.Fatalf("amount %d %q", amount, currency)
	}
}

// FuzzVerify feeds arbitrary X-Signature headers, bodies and clocks to Verify (seeds:
// testdata/fuzz/FuzzVerify). It must not panic, must refuse with ErrSignature, and may accept
// only when the header holds, next to a timestamp within the tolerance, the HMAC of
// "<t>.<body>" under the secret, as checked here independently of the parser.
func FuzzVerify(f *testing.F) {
	const secret = "generic_fuzz_secret"
	base := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	g := New(provider.Config{WebhookSecret: secret})
	f.Fuzz(func(t *testing.T, header string, body []byte, offset int64) {
		now := base.Add(time.Duration(offset%(1<<40)) * time.Second)
		err := g.Verify(context.Background(), http.Header{SignatureHeader: {header}}, body, now)
		if err != nil {
			if !errors.Is(err, provider.ErrSignature) {
				t.Fatalf("error %v does not wrap ErrSignature", err)
			}
			return
		}
		var ts, sigs []string
		for _, elem := range strings.Split(header, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(elem), "=")
			switch k {
			case "t":
				ts = append(ts, v)
			case "v1":
				sigs = append(sigs, strings.ToLower(v))
			}
		}
		if len(ts) != 1 {
			t.Fatalf("accepted %q with %d timestamps", header, len(ts))
		}
		sec, err := strconv.ParseInt(ts[0], 10, 64)
		if err != nil || sec < 0 {
			t.Fatalf("accepted the timestamp %q", ts[0])
		}
		if d := now.Sub(time.Unix(sec, 0)); d > Tolerance || d < -Tolerance {
			t.Fatalf("accepted a signature %s away from now", d)
		}
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(ts[0] + "."))
		mac.Write(body)
		want := hex.EncodeToString(mac.Sum(nil))
		for _, sig := range sigs {
			if sig == want {
				return
			}
		}
		t.Fatalf("accepted %q, which holds no valid signature", header)
	})
}
