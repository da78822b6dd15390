package paypal

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/money"
	"disputed/internal/provider"
)

// FuzzParse feeds notification bodies (seeds: the testdata payloads and testdata/fuzz/FuzzParse)
// and checks that Parse either refuses with ErrPayload or returns an event that the rest of the
// server can trust: ids present, a known type, a status of that type, sane money, UTC times.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	statuses := map[dispute.Type][]dispute.Status{
		dispute.Inquiry:    {"", dispute.WarningNeedsResponse, dispute.WarningUnderReview, dispute.WarningClosed, dispute.Lost},
		dispute.Chargeback: {"", dispute.NeedsResponse, dispute.UnderReview, dispute.Won, dispute.Lost},
	}
	p := New(provider.Config{}, nil)
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := p.Parse(body)
		if err != nil {
			if !errors.Is(err, provider.ErrPayload) {
				t.Fatalf("error %v does not wrap ErrPayload", err)
			}
			if !reflect.DeepEqual(ev, provider.Event{}) {
				t.Fatalf("an error came with an event: %+v", ev)
			}
			return
		}
		if ev.ID == "" || ev.Type == "" {
			t.Fatalf("event without id or type: %+v", ev)
		}
		checkUTC(t, "Created", ev.Created)
		if c := ev.Charge; c != nil && (c.ID == "" || c.Amount < 0 || c.Currency == "" || ev.Dispute != nil || ev.Refund != nil) {
			t.Fatalf("charge without id or currency, of a negative amount, or beside a dispute or refund: %+v", c)
		}
		if r := ev.Refund; r != nil && (r.ID == "" || r.ChargeReference == "" || r.Amount < 0 || r.Currency == "" || ev.Dispute != nil) {
			t.Fatalf("refund without id, capture or currency, of a negative amount, or beside a dispute: %+v", r)
		}
		d := ev.Dispute
		if d == nil {
			if slices.Contains([]string{EventDisputeCreated, EventDisputeUpdated, EventDisputeResolved}, ev.Type) {
				t.Fatalf("%s without a dispute", ev.Type)
			}
			return
		}
		if d.ProviderDisputeID == "" || d.CaseNumber != d.ProviderDisputeID {
			t.Fatalf("dispute ids: %q, case %q", d.ProviderDisputeID, d.CaseNumber)
		}
		allowed, ok := statuses[d.Type]
		if !ok || !slices.Contains(allowed, d.Status) {
			t.Fatalf("type %q with status %q", d.Type, d.Status)
		}
		if (d.Type == dispute.Inquiry) != (d.Stage == dispute.StageInquiry) {
			t.Fatalf("type %q at stage %q", d.Type, d.Stage)
		}
		if d.Amount < 0 || (d.Currency == "" && d.Amount != 0) {
			t.Fatalf("amount %d %q", d.Amount, d.Currency)
		}
		if d.Currency != "" {
			if code, err := money.ParseCurrency(d.Currency); err != nil || code != d.Currency {
				t.Fatalf("currency %q is not a normalised ISO 4217 code", d.Currency)
			}
		}
		if d.AmountRefunded < 0 || (d.Currency == "" && d.AmountRefunded != 0) {
			t.Fatalf("amount refunded %d %q", d.AmountRefunded, d.Currency)
		}
		if d.Reason != "" && !slices.Contains(reasonValues(), d.Reason) {
			t.Fatalf("reason %q is not one of ours", d.Reason)
		}
		checkUTC(t, "HappenedAt", d.HappenedAt)
		checkUTC(t, "DueBy", d.DueBy)
	})
}

func reasonValues() []string {
	var out []string
	for _, v := range reasons {
		out = append(out, v)
	}
	return append(out, "general")
}

func checkUTC(t *testing.T, name string, ts time.Time) {
	t.Helper()
	if !ts.IsZero() && ts.Location() != time.UTC {
		t.Fatalf("%s %v is not in UTC", name, ts)
	}
}

// FuzzVerify feeds the transmission headers and body (seeds: testdata/fuzz/FuzzVerify). An empty
// signature means "sign this correctly": Verify must then accept exactly the well-formed, fresh
// transmissions with a PayPal certificate URL. Any other signature must be refused, a refused
// certificate URL must never be fetched, and every error must wrap ErrSignature.
func FuzzVerify(f *testing.F) {
	key := signingKey()
	certPEM := selfSigned(f, key, testNow.Add(-time.Hour), testNow.Add(time.Hour))
	f.Fuzz(func(t *testing.T, id, tm, certURL, algo, sig string, body []byte) {
		signed := sig == ""
		if signed {
			sig = sign(t, key, id, tm, testWebhookID, body)
		}
		ff := &fakeFetcher{pem: certPEM}
		p := New(provider.Config{WebhookID: testWebhookID}, nil, WithCertFetcher(ff.fetch))
		err := p.Verify(context.Background(), transmissionHeaders(id, tm, sig, certURL, algo), body, testNow)
		if err != nil && !errors.Is(err, provider.ErrSignature) {
			t.Fatalf("error %v does not wrap ErrSignature", err)
		}
		if ff.calls() > 0 && checkCertURL(certURL) != nil {
			t.Fatalf("fetched a certificate from refused URL %q", certURL)
		}
		if want := signed && wellFormed(id, tm, certURL, algo); want != (err == nil) {
			t.Fatalf("Verify = %v; signed by us %v, well-formed %v", err, signed, wellFormed(id, tm, certURL, algo))
		}
	})
}

// wellFormed restates the header rules Verify applies before the signature.
func wellFormed(id, tm, certURL, algo string) bool {
	for _, v := range []string{id, tm, certURL, algo} {
		if v == "" || len(v) > maxHeaderLen {
			return false
		}
	}
	sent, err := time.Parse(time.RFC3339, tm)
	if err != nil {
		return false
	}
	d := testNow.Sub(sent)
	return strings.EqualFold(algo, authAlgo) && d <= ReplayWindow && d >= -ReplayWindow && checkCertURL(certURL) == nil
}
