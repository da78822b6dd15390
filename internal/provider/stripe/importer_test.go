package stripe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/provider"
	"disputed/internal/provider/stripe/stripefake"
	"disputed/internal/provider/stripe/stripemock"
)

// importAll runs an import from cursor to its end and returns the events and the cursors of its
// pages.
func importAll(t *testing.T, s *Stripe, since time.Time, cursor string) ([]provider.Event, []string) {
	t.Helper()
	var evs []provider.Event
	var cursors []string
	err := s.Import(context.Background(), since, cursor, func(page []provider.Event, next string) error {
		evs, cursors = append(evs, page...), append(cursors, next)
		return nil
	})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return evs, cursors
}

// TestImportAgainstStripeMock: Stripe's four lists, as its API description shapes them, are read
// with the key and the since date stripe-mock accepts, and each object comes out as the event its
// webhook would be: the dispute a dispute, the warning an alert, the refund a refund.
func TestImportAgainstStripeMock(t *testing.T) {
	t.Parallel()
	s := New(provider.Config{APIKey: "sk_test_123", APIBase: stripemock.Start(t)}, nil)
	evs, cursors := importAll(t, s, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), "")
	var types []string
	for _, ev := range evs {
		types = append(types, ev.Type)
		if !strings.HasPrefix(ev.ID, "import:") || len(ev.Payload) == 0 || ev.Created.IsZero() {
			t.Errorf("event %+v: want an import: id, its payload and the time it was listed", ev)
		}
		reread, err := s.Parse(ev.Payload)
		if err != nil || reread.ID != ev.ID {
			t.Errorf("the payload of %s does not read back as itself: %v", ev.ID, err)
		}
	}
	want := []string{"charge.succeeded", EventRefundCreated, EventDisputeCreated, EventEarlyFraudWarningCreated}
	if !slices.Equal(types, want) {
		t.Fatalf("types %v, want %v", types, want)
	}
	if r := evs[1].Refund; r == nil || !strings.HasPrefix(r.ID, "re_") || r.ChargeReference == "" {
		t.Errorf("refund %+v", r)
	}
	if d := evs[2].Dispute; d == nil || d.Type == dispute.Alert || !strings.HasPrefix(d.ProviderDisputeID, "dp_") {
		t.Errorf("dispute %+v", d)
	}
	if d := evs[3].Dispute; d == nil || d.Type != dispute.Alert || !strings.HasPrefix(d.ProviderDisputeID, "issfr_") {
		t.Errorf("warning %+v", d)
	}
	if last := cursors[len(cursors)-1]; last != "done" {
		t.Errorf("last cursor %q, want done", last)
	}
	if again, _ := importAll(t, s, time.Time{}, "done"); len(again) != 0 {
		t.Errorf("an import resumed after its end read %d events", len(again))
	}
}

// fakeLists serves 250 charges, no refund and two disputes, created one a minute from 2025-01-01.
func fakeLists(t *testing.T) (*stripefake.Lists, *Stripe) {
	t.Helper()
	l := &stripefake.Lists{APIKey: "sk_test_fake"}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for i := range 250 {
		l.Add(stripefake.Charges, stripefake.Charge(fmt.Sprintf("ch_%03d", i), start+int64(i)*60, 1000+int64(i)))
	}
	// Given oldest first; Stripe lists them newest first.
	l.Add(stripefake.Disputes, stripefake.Dispute("dp_1", "ch_010", start+3600, 1010), stripefake.Dispute("dp_2", "ch_020", start+7200, 1020))
	srv := httptest.NewServer(l)
	t.Cleanup(srv.Close)
	s := New(provider.Config{APIKey: "sk_test_fake", APIBase: srv.URL}, nil)
	s.listWait = time.Millisecond
	return l, s
}

// TestImportPagesAndResumes: a hundred objects a page, newest first (ch_249 to ch_150, then
// ch_149 to ch_050), each list to its end; an
// import resumed from any page's cursor reads exactly what followed that page.
func TestImportPagesAndResumes(t *testing.T) {
	t.Parallel()
	l, s := fakeLists(t)
	since := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	all, cursors := importAll(t, s, since, "")
	if len(all) != 252 {
		t.Fatalf("read %d events, want 252", len(all))
	}
	wantCursors := []string{"charges:ch_150", "charges:ch_050", "refunds:", "disputes:", "early_fraud_warnings:", "done"}
	if !slices.Equal(cursors, wantCursors) {
		t.Errorf("cursors %q, want %q", cursors, wantCursors)
	}
	if asked := l.Asked(); !strings.Contains(asked[1], "starting_after=ch_150") || !strings.Contains(asked[0], "created%5Bgte%5D=1735689600") {
		t.Errorf("requests %q", asked[:2])
	}
	ids := map[string]bool{}
	for _, ev := range all {
		ids[ev.ID] = true
	}
	if len(ids) != len(all) || !ids["import:ch_000:succeeded:0"] || !ids["import:dp_2:needs_response"] {
		t.Errorf("ids not distinct or not import:<object>:<version>: %d of %d", len(ids), len(all))
	}
	for i, c := range cursors[:len(cursors)-1] {
		rest, _ := importAll(t, s, since, c)
		read := 0
		for _, n := range []int{100, 100, 50, 0, 2, 0}[:i+1] {
			read += n
		}
		if len(rest) != len(all)-read || len(rest) > 0 && rest[0].ID != all[read].ID {
			t.Errorf("resumed from %q: %d events, want the %d after it", c, len(rest), len(all)-read)
		}
	}
	again, _ := importAll(t, s, since, "")
	for i := range again {
		if again[i].ID != all[i].ID {
			t.Fatalf("a second import names %s %s, the first %s", again[i].Type, again[i].ID, all[i].ID)
		}
	}
}

// TestImportVersionsAChargeByItsRefunds: a charge refunded since the last import is read again,
// under a new id, as charge.refunded; one that did not change keeps its id.
func TestImportVersionsAChargeByItsRefunds(t *testing.T) {
	t.Parallel()
	read := func(amountRefunded int64) provider.Event {
		l := &stripefake.Lists{APIKey: "sk_test_fake"}
		c := stripefake.Charge("ch_r", 1735689600, 5000)
		c["amount_refunded"] = amountRefunded
		l.Add(stripefake.Charges, c)
		srv := httptest.NewServer(l)
		defer srv.Close()
		evs, _ := importAll(t, New(provider.Config{APIKey: "sk_test_fake", APIBase: srv.URL}, nil), time.Time{}, "")
		return evs[0]
	}
	before, same, after := read(0), read(0), read(2000)
	if before.ID != same.ID || before.ID != "import:ch_r:succeeded:0" {
		t.Errorf("ids %s and %s of one unchanged charge", before.ID, same.ID)
	}
	if after.ID != "import:ch_r:succeeded:2000" || after.Type != "charge.refunded" {
		t.Errorf("refunded since: %s %s, want charge.refunded import:ch_r:succeeded:2000", after.Type, after.ID)
	}
}

// TestImportErrors: a passing error is tried again and the import goes on; one that lasts, or a
// refusal, stops it with an error naming the list and Stripe's status, a refusal at once and as
// permanent; an error of the page callback is returned as it is.
func TestImportErrors(t *testing.T) {
	t.Parallel()
	t.Run("rate limited twice, then answered", func(t *testing.T) {
		t.Parallel()
		l, s := fakeLists(t)
		var n atomic.Int32
		l.Fail = func(r *http.Request) int {
			if r.URL.Path == stripefake.Disputes && n.Add(1) <= 2 {
				return http.StatusTooManyRequests
			}
			return 0
		}
		if evs, _ := importAll(t, s, time.Time{}, "disputes:"); len(evs) != 2 {
			t.Errorf("read %d disputes, want 2", len(evs))
		}
	})
	cases := []struct {
		status    int
		asked     int
		permanent bool
	}{
		{http.StatusServiceUnavailable, listAttempts, false},
		{http.StatusUnauthorized, 1, true},
		{http.StatusForbidden, 1, true},
		{http.StatusBadRequest, 1, true},
	}
	for _, c := range cases {
		t.Run(http.StatusText(c.status), func(t *testing.T) {
			t.Parallel()
			l, s := fakeLists(t)
			l.Fail = func(r *http.Request) int {
				if r.URL.Path == stripefake.Refunds {
					return c.status
				}
				return 0
			}
			err := s.Import(context.Background(), time.Time{}, "refunds:", func([]provider.Event, string) error { return nil })
			if err == nil || !strings.Contains(err.Error(), "refunds") || !strings.Contains(err.Error(), fmt.Sprint(c.status)) {
				t.Errorf("error %v: want one naming refunds and %d", err, c.status)
			}
			if errors.Is(err, provider.ErrPermanent) != c.permanent {
				t.Errorf("permanent = %v, want %v", errors.Is(err, provider.ErrPermanent), c.permanent)
			}
			if asked := len(l.Asked()); asked != c.asked {
				t.Errorf("asked %d times, want %d", asked, c.asked)
			}
		})
	}
	t.Run("the callback's error", func(t *testing.T) {
		t.Parallel()
		_, s := fakeLists(t)
		stop := errors.New("stop")
		if err := s.Import(context.Background(), time.Time{}, "", func([]provider.Event, string) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("error %v, want the callback's", err)
		}
	})
	t.Run("a cursor of another importer", func(t *testing.T) {
		t.Parallel()
		_, s := fakeLists(t)
		err := s.Import(context.Background(), time.Time{}, "transactions:x", func([]provider.Event, string) error { return nil })
		if !errors.Is(err, provider.ErrPermanent) {
			t.Errorf("error %v, want a permanent one", err)
		}
	})
	t.Run("cancelled while waiting to ask again", func(t *testing.T) {
		t.Parallel()
		l, s := fakeLists(t)
		s.listWait = time.Hour
		l.Fail = func(*http.Request) int { return http.StatusInternalServerError }
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		err := s.Import(ctx, time.Time{}, "", func([]provider.Event, string) error { return nil })
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error %v, want the context's", err)
		}
	})
}
