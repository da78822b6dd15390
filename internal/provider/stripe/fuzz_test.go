package stripe

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

// FuzzParse feeds arbitrary bodies to Parse (seeds: testdata/fuzz/FuzzParse, the payloads of
// testdata/). Whatever comes in, Parse must not panic, must refuse with ErrPayload, or must
// return an event that keeps the promises of provider.Event.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := parse(body)
		if err != nil {
			if !errors.Is(err, provider.ErrPayload) {
				t.Fatalf("error %v does not wrap ErrPayload", err)
			}
			return
		}
		if ev.ID == "" || ev.Type == "" {
			t.Fatalf("event without id or type: %+v", ev)
		}
		if r := ev.Refund; r != nil {
			if r.ID == "" || r.Amount < 0 || r.Currency == "" || ev.Dispute != nil {
				t.Fatalf("refund without id or currency, of a negative amount, or beside a dispute: %+v", r)
			}
		}
		if c := ev.Charge; c != nil {
			if c.ID == "" || c.Amount < 0 || c.Currency == "" || ev.Dispute != nil || ev.Refund != nil {
				t.Fatalf("charge without id or currency, of a negative amount, or beside a dispute or refund: %+v", c)
			}
			for _, r := range c.Refunds {
				if r.ID == "" || r.ChargeReference == "" || r.Amount < 0 || r.Currency == "" {
					t.Fatalf("listed refund without id, charge or currency, or of a negative amount: %+v", r)
				}
			}
		}
		d := ev.Dispute
		if d == nil {
			return
		}
		if d.ProviderDisputeID == "" {
			t.Fatalf("dispute without id: %+v", d)
		}
		switch d.Type {
		case dispute.Chargeback, dispute.Inquiry:
			if d.Currency == "" {
				t.Fatalf("dispute without currency: %+v", d)
			}
		case dispute.Alert:
			if d.AlertType != dispute.TC40 && d.AlertType != dispute.SAFE {
				t.Fatalf("alert type %q", d.AlertType)
			}
		default:
			t.Fatalf("type %q", d.Type)
		}
		if d.Amount < 0 {
			t.Fatalf("negative amount %d", d.Amount)
		}
		if d.Currency != "" {
			if code, err := money.ParseCurrency(d.Currency); err != nil || code != d.Currency {
				t.Fatalf("currency %q is not an upper-case ISO 4217 code", d.Currency)
			}
		}
		for _, fee := range d.Fees {
			if code, err := money.ParseCurrency(fee.Currency); err != nil || code != fee.Currency || fee.Amount == 0 || fee.Description == "" {
				t.Fatalf("fee %+v: no amount, no description, or a currency that is not an upper-case ISO 4217 code", fee)
			}
		}
		for k, v := range d.Evidence {
			if k == "" || v == "" {
				t.Fatalf("evidence %q: %q is empty", k, v)
			}
		}
	})
}

// FuzzVerify feeds arbitrary Stripe-Signature headers, bodies and clocks to Verify (seeds:
// testdata/fuzz/FuzzVerify). It must not panic, must refuse with ErrSignature, and may accept
// only when the header holds, next to a timestamp within the tolerance, the HMAC of
// "<t>.<body>" under the secret, as checked here independently of the parser.
func FuzzVerify(f *testing.F) {
	const secret = "whsec_fuzz"
	base := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	s := New(provider.Config{WebhookSecret: secret}, nil)
	f.Fuzz(func(t *testing.T, header string, body []byte, offset int64) {
		now := base.Add(time.Duration(offset%(1<<40)) * time.Second)
		err := s.Verify(context.Background(), http.Header{SignatureHeader: {header}}, body, now)
		if err != nil {
			if !errors.Is(err, provider.ErrSignature) {
				t.Fatalf("error %v does not wrap ErrSignature", err)
			}
			return
		}
		var ts []string
		var sigs []string
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
		if err != nil {
			t.Fatalf("accepted the timestamp %q", ts[0])
		}
		if d := now.Sub(time.Unix(sec, 0)); d > Tolerance || d < -Tolerance {
			t.Fatalf("accepted a signature %s away from now", d)
		}
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(strconv.FormatInt(sec, 10) + "."))
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
