package paypal

import (
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"disputed/internal/money"
	"disputed/internal/provider"
)

// listSample is one of the sample list answers in testdata/lists.
func listSample(f *testing.F, name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", "lists", name))
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// checkImported checks what the server trusts of an imported event: an import id, one of
// types, and a payload Parse reads back as the same event.
func checkImported(t *testing.T, p *PayPal, ev provider.Event, types ...string) {
	t.Helper()
	if !strings.HasPrefix(ev.ID, "import:") || !slices.Contains(types, ev.Type) {
		t.Fatalf("imported event %q of type %q", ev.ID, ev.Type)
	}
	again, err := p.Parse(ev.Payload)
	if err != nil || again.ID != ev.ID || again.Type != ev.Type {
		t.Fatalf("the payload of %s reads back as %s %s (%v)", ev.ID, again.ID, again.Type, err)
	}
	checkUTC(t, "Created", ev.Created)
}

// FuzzReadSearchPage feeds pages of transaction search (seeds: testdata/lists and
// testdata/fuzz/FuzzReadSearchPage): a page is refused with ErrPayload, or every transaction it
// imports is a notification Parse reads back, of a capture type, with a positive amount in a
// known currency and a link to itself.
func FuzzReadSearchPage(f *testing.F) {
	f.Add(listSample(f, "transaction_search.json"))
	p := New(provider.Config{APIBase: "https://api-m.sandbox.paypal.com"}, nil)
	f.Fuzz(func(t *testing.T, data []byte) {
		evs, _, err := p.readSearchPage(data)
		if err != nil {
			if !errors.Is(err, provider.ErrPayload) {
				t.Fatalf("error %v does not wrap ErrPayload", err)
			}
			return
		}
		for _, ev := range evs {
			checkImported(t, p, ev, EventCaptureCompleted, EventCaptureRefunded, EventCaptureReversed)
			var env struct {
				Resource captureResource `json:"resource"`
			}
			if err := json.Unmarshal(ev.Payload, &env); err != nil {
				t.Fatal(err)
			}
			r := env.Resource
			minor, err := money.ParseDecimal(r.Amount.Value, r.Amount.CurrencyCode)
			if err != nil || minor <= 0 || r.ID == "" || len(r.Links) == 0 || r.Links[0].Rel != "self" {
				t.Fatalf("resource %+v (amount: %v)", r, err)
			}
		}
	})
}

// FuzzReadDisputes feeds a page of the disputes list and a dispute's details (seeds:
// testdata/lists and testdata/fuzz/FuzzReadDisputes): each is refused with ErrPayload, or the
// next page is a query of the list, and the details are a CUSTOMER.DISPUTE.* notification Parse
// reads back, about the dispute listed.
func FuzzReadDisputes(f *testing.F) {
	f.Add(listSample(f, "disputes_list.json"), listSample(f, "dispute_details.json"))
	p := New(provider.Config{}, nil)
	f.Fuzz(func(t *testing.T, list, details []byte) {
		l, next, err := readDisputeList(list)
		if err != nil {
			if !errors.Is(err, provider.ErrPayload) {
				t.Fatalf("error %v does not wrap ErrPayload", err)
			}
			return
		}
		if _, err := url.ParseQuery(next); err != nil {
			t.Fatalf("next query %q: %v", next, err)
		}
		for _, item := range l.Items {
			ev, err := p.disputeEvent(item.DisputeID, details)
			if err != nil {
				if !errors.Is(err, provider.ErrPayload) {
					t.Fatalf("error %v does not wrap ErrPayload", err)
				}
				continue
			}
			checkImported(t, p, ev, EventDisputeCreated, EventDisputeUpdated, EventDisputeResolved)
			if ev.Dispute == nil || ev.Dispute.ProviderDisputeID != item.DisputeID {
				t.Fatalf("listed %s, imported %+v", item.DisputeID, ev.Dispute)
			}
		}
	})
}
