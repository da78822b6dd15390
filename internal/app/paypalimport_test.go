package app_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/provider"
	"disputed/internal/provider/paypal"
	"disputed/internal/provider/paypal/paypalfake"
	"disputed/internal/server"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestPayPalImportOpensDisputes: importing PayPal's history opens the disputes it lists on the
// orders of their captures, once: importing again applies nothing, the webhook about the same
// dispute opens no second one, and a dispute PayPal decided since is brought to its outcome by
// the next import.
func TestPayPalImportOpensDisputes(t *testing.T) {
	t.Parallel()
	signer := testenv.NewPayPalSigner(t)
	testenv.EachWith(t, testenv.Options{Providers: signer.Providers()}, func(t *testing.T, e *testenv.Env) {
		fake := paypalfake.New(t, e.Clock.Now)
		e.PayPalProvider(paypalfake.APIKey, fake.URL())
		txn := "3GG2IMPORT" + e.Kind
		sale := e.ProviderSale("paypal", txn, "EUR", 4999)
		now := e.Clock.Now()
		pp := paypalfake.Dispute{ID: "PP-D-98852", Created: now.Add(-2 * time.Hour), Updated: now.Add(-2 * time.Hour),
			Status: "WAITING_FOR_SELLER_RESPONSE", Reason: "UNAUTHORISED", Stage: "CHARGEBACK", Channel: "EXTERNAL",
			Amount: paypalfake.Money{CurrencyCode: "EUR", Value: "49.99"}, SellerTransactionID: txn,
			SellerResponseDue: now.Add(10 * 24 * time.Hour)}
		fake.PutDisputes(pp)
		importAll := func() (applied int) {
			t.Helper()
			p := paypal.New(provider.Config{Type: paypal.TypeName, APIKey: paypalfake.APIKey, APIBase: fake.URL()}, nil, paypal.WithNow(e.Clock.Now))
			err := p.Import(e.Ctx, now.AddDate(0, -1, 0), "", func(evs []provider.Event, _ string) error {
				receipts, err := e.App.AcceptProviderEvents(e.Ctx, "paypal", evs)
				for _, r := range receipts {
					if !r.Duplicate {
						applied++
					}
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			e.ApplyInbox()
			return applied
		}
		orderDisputes := func() []dispute.Dispute {
			t.Helper()
			ds, _, err := e.App.ListDisputes(e.Ctx, testenv.Admin, store.DisputeFilter{OrderID: sale.Order.ID}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return ds
		}

		if n := importAll(); n != 1 {
			t.Errorf("the first import applied %d events, want the dispute's", n)
		}
		ds := orderDisputes()
		if len(ds) != 1 || ds[0].ProviderDisputeID != "PP-D-98852" || ds[0].Status != dispute.NeedsResponse || ds[0].Amount != 4999 {
			t.Fatalf("disputes of the order after the import: %+v", ds)
		}
		if n := importAll(); n != 0 {
			t.Errorf("importing again applied %d events, want none", n)
		}
		// The webhook PayPal sent when the dispute opened, delivered late.
		webhook := strings.Replace(string(testenv.PayPalPayload(t, "chargeback_created.json", txn)),
			"2026-11-20T10:00:04.322Z", now.Add(-time.Hour).Format(time.RFC3339), 1)
		res := testenv.Must(e.ReceivePayPal(signer, []byte(webhook)))(t)
		if res.DisputeID != ds[0].ID || len(orderDisputes()) != 1 {
			t.Errorf("the webhook about the imported dispute went to %s, and the order has %d disputes", res.DisputeID, len(orderDisputes()))
		}

		pp.Updated, pp.Status, pp.Outcome = e.Clock.Now().Add(time.Minute), "RESOLVED", "RESOLVED_SELLER_FAVOUR"
		fake.PutDisputes(pp)
		e.Advance(2 * time.Minute)
		if n := importAll(); n != 1 {
			t.Errorf("the import after PayPal's decision applied %d events, want 1", n)
		}
		if got := e.Reload(ds[0]).Status; got != dispute.Won {
			t.Errorf("after PayPal decided for the merchant the dispute is %s, want won", got)
		}
	})
}

// testPayPalImportResumes: a PayPal import started as the Providers page starts one (StartImport,
// which schedules its job) whose runner is killed as it asks for the second window of
// transaction search leaves the import running with the cursor of the first window; when the
// killed runner's lease has expired the job runs again and reads on from that window, not from
// the disputes list. Every object is read and appended once, and the dispute PayPal's webhook
// also reported, delivered while the import was stopped, is opened once. On both stores.
func testPayPalImportResumes(t *testing.T) {
	t.Parallel()
	signer := testenv.NewPayPalSigner(t)
	for _, kind := range testenv.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			var e *testenv.Env
			now := func() time.Time { return e.Clock.Now() } // PayPal's clock, and the adapter's, are the Env's
			kill := &killSwitch{}
			e = testenv.New(t, kind, testenv.Options{Providers: server.ProviderTypes(signer.Option(), paypal.WithNow(now)),
				Outbound: &http.Client{Transport: kill, Timeout: 30 * time.Second}})
			fake := paypalfake.New(t, now)
			e.PayPalProvider(paypalfake.APIKey, fake.URL())

			start := e.Clock.Now()
			since := start.AddDate(0, 0, -60)
			second := since.Add(paypalfake.MaxSearchRange) // where transaction search's second window starts
			sales := [2]testenv.Sale{e.ProviderSale("paypal", "3GG2RESUME0001", "EUR", 4999), e.ProviderSale("paypal", "3GG2RESUME0002", "EUR", 2500)}
			disputeOn := func(id string, s testenv.Sale, value string, at time.Time) paypalfake.Dispute {
				return paypalfake.Dispute{ID: id, Created: at, Updated: at, Status: "WAITING_FOR_SELLER_RESPONSE", Reason: "UNAUTHORISED",
					Stage: "CHARGEBACK", Channel: "EXTERNAL", Amount: paypalfake.Money{CurrencyCode: "EUR", Value: value},
					SellerTransactionID: s.Charge.ProviderReference, SellerResponseDue: start.Add(10 * 24 * time.Hour)}
			}
			fake.PutDisputes(disputeOn("PP-D-98852", sales[0], "49.99", start.Add(-2*time.Hour)),
				disputeOn("PP-D-40021", sales[1], "25.00", start.Add(-3*time.Hour)))
			// Payments of no order here: three in the first window of transaction search, two in the second.
			for i, at := range []time.Time{since.Add(24 * time.Hour), since.Add(48 * time.Hour), since.Add(72 * time.Hour),
				second.Add(24 * time.Hour), second.Add(48 * time.Hour)} {
				fake.AddTransactions(paypalfake.Transaction{ID: fmt.Sprintf("8PAYMENT%04d", i), EventCode: "T0006", Status: "S",
					Amount: paypalfake.Money{CurrencyCode: "EUR", Value: "10.00"}, Initiated: at, Updated: at})
			}
			const objects = 2 + 5

			imp := testenv.Must(e.App.StartImport(e.Ctx, testenv.Admin, "paypal", since))(t)
			var claimed []store.Job
			err := e.Store.Tx(e.Ctx, func(tx store.Tx) error {
				var err error
				claimed, err = tx.ClaimJobs(e.Ctx, store.ClaimParams{Runner: "killed", Kinds: []string{app.KindProviderImport},
					Now: e.Clock.Now(), Lease: time.Minute, Limit: 10})
				return err
			})
			if err != nil || len(claimed) != 1 {
				t.Fatalf("claimed %d import jobs (%v), want the one StartImport scheduled", len(claimed), err)
			}
			ctx, stop := context.WithCancel(e.Ctx)
			defer stop()
			kill.arm(paypalfake.TransactionsPath, 2, stop)
			if _, err := e.App.ImportJob(ctx, claimed[0]); !errors.Is(err, context.Canceled) {
				t.Fatalf("the run killed mid-way ended with %v", err)
			}
			left := testenv.Must(e.App.ProviderImport(e.Ctx, testenv.Admin, "paypal", imp.ID))(t)
			if left.State != store.ImportRunning || left.Read != 2+3 || left.Cursor == "" {
				t.Fatalf("after the kill: %+v; want running, the disputes and the first window read, a cursor", left)
			}

			// PayPal's webhook about the first dispute, delivered while the import is stopped.
			webhook := strings.Replace(string(testenv.PayPalPayload(t, "chargeback_created.json", sales[0].Charge.ProviderReference)),
				"2026-11-20T10:00:04.322Z", e.Clock.Now().Add(-time.Hour).Format(time.RFC3339), 1)
			hooked := testenv.Must(e.ReceivePayPal(signer, []byte(webhook)))(t)

			e.RunJobs()
			if held := testenv.Must(e.App.ProviderImport(e.Ctx, testenv.Admin, "paypal", imp.ID))(t); held.Read != left.Read {
				t.Errorf("the import read on (%+v) while the killed runner's lease held", held)
			}
			asked := len(fake.Calls())
			e.Advance(2 * time.Minute) // the lease expires: another runner takes the job on
			e.ApplyInbox()
			done := testenv.Must(e.App.ProviderImport(e.Ctx, testenv.Admin, "paypal", imp.ID))(t)
			if done.State != store.ImportDone || done.Read != objects || done.Appended != objects {
				t.Fatalf("resumed import: %+v; want done, %d read and appended", done, objects)
			}
			if js := jobsOf(t, e, store.JobFilter{Kind: app.KindProviderImport}); len(js) != 1 || js[0].State != store.JobDone || js[0].Attempts != 2 {
				t.Errorf("import jobs %+v; want the one, done on its second attempt", js)
			}
			var after []string
			for _, c := range fake.Calls()[asked:] {
				if strings.HasPrefix(c, "GET ") {
					after = append(after, c)
				}
			}
			from := "start_date=" + url.QueryEscape(second.UTC().Format(time.RFC3339))
			if len(after) == 0 || !strings.HasPrefix(after[0], "GET "+paypalfake.TransactionsPath+"?") || !strings.Contains(after[0], from) {
				t.Errorf("resumed with %q, not with the second window of transaction search (%s)", after, from)
			}
			for _, c := range after {
				if strings.HasPrefix(c, "GET "+paypalfake.DisputesPath+"?") {
					t.Errorf("the resumed run read the disputes again: %s", c)
				}
			}

			for i, s := range sales {
				ds, _, err := e.App.ListDisputes(e.Ctx, testenv.Admin, store.DisputeFilter{OrderID: s.Order.ID}, nil)
				if err != nil {
					t.Fatal(err)
				}
				if len(ds) != 1 || ds[0].Provider != "paypal" || ds[0].Amount != s.Charge.Amount || ds[0].Status != dispute.NeedsResponse {
					t.Errorf("disputes of sale %d: %+v; want its one chargeback", i, ds)
					continue
				}
				tl := testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, ds[0].ID))(t)
				if n := timelineCounts(tl)["created"]; n != 1 {
					t.Errorf("dispute %s opened %d times: %v", ds[0].ProviderDisputeID, n, timelineCounts(tl))
				}
				if n := eventCount(e, ds[0].ID, "dispute.created"); n != 1 {
					t.Errorf("dispute %s: %d dispute.created events", ds[0].ProviderDisputeID, n)
				}
				if i == 0 && hooked.DisputeID != ds[0].ID {
					t.Errorf("the webhook went to dispute %q, the import's is %s", hooked.DisputeID, ds[0].ID)
				}
			}
			// The five payments listed are recorded, each once, beside the two sales recorded before.
			txns := testenv.Must(e.Store.ListTransactions(e.Ctx, store.TransactionFilter{Provider: "paypal", Kind: "charge", Page: store.Page{Limit: 100}}))(t)
			if len(txns) != 2+5 {
				t.Errorf("%d PayPal charges recorded; want the 5 imported and the 2 sales", len(txns))
			}
		})
	}
}

// killSwitch is the outbound transport of an Env whose import run is killed mid-way: armed, it
// ends the run whose context it was given the cancel of as the run asks for the n-th page of a
// path, before anything is answered, as the kill of the process would; every other call goes
// out as usual.
type killSwitch struct {
	mu     sync.Mutex
	path   string
	n      int
	cancel context.CancelFunc
}

// arm makes the n-th call to path cancel the run's context.
func (k *killSwitch) arm(path string, n int, cancel context.CancelFunc) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.path, k.n, k.cancel = path, n, cancel
}

func (k *killSwitch) RoundTrip(r *http.Request) (*http.Response, error) {
	k.mu.Lock()
	var cancel context.CancelFunc
	if k.cancel != nil && r.URL.Path == k.path {
		if k.n--; k.n == 0 {
			cancel, k.cancel = k.cancel, nil
		}
	}
	k.mu.Unlock()
	if cancel != nil {
		cancel()
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	return http.DefaultTransport.RoundTrip(r)
}
