package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/provider"
	"disputed/internal/testenv"
)

// acme is a provider the server does not ship, built only on the contract: what a new adapter
// package gives the registry. Its notifications carry their secret in a header and a batch of
// chargebacks, each on a charge, and want "[accepted]" as their answer; its answers are
// recorded, and refused for good for the case "refused".
type acme struct {
	secret string
	sent   *answers
}

type answers struct {
	mu   sync.Mutex
	list []string
}

func (a *answers) add(s string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.list = append(a.list, s)
}

func (a *answers) all() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.list)
}

func (p acme) Verify(_ context.Context, h http.Header, _ []byte, _ time.Time) error {
	if h.Get("Acme-Secret") != p.secret {
		return fmt.Errorf("%w: not acme's", provider.ErrSignature)
	}
	return nil
}

func (p acme) Receive(ctx context.Context, r provider.Request) ([]provider.Event, error) {
	if err := p.Verify(ctx, r.Header, r.Body, r.Now); err != nil {
		return nil, err
	}
	var batch struct{ Notifications []json.RawMessage }
	if err := json.Unmarshal(r.Body, &batch); err != nil {
		return nil, fmt.Errorf("%w: %v", provider.ErrPayload, err)
	}
	var evs []provider.Event
	for _, item := range batch.Notifications {
		ev, err := p.Parse(item)
		if err != nil {
			return nil, err
		}
		ev.Payload = item
		evs = append(evs, ev)
	}
	return evs, nil
}

func (acme) Answer([]provider.Receipt) (int, string, []byte) {
	return http.StatusAccepted, "text/plain", []byte("[accepted]")
}

func (acme) Parse(body []byte) (provider.Event, error) {
	var n struct{ ID, Case, Charge string }
	if err := json.Unmarshal(body, &n); err != nil {
		return provider.Event{}, fmt.Errorf("%w: %v", provider.ErrPayload, err)
	}
	return provider.Event{ID: n.ID, Type: "CHARGEBACK", Dispute: &provider.Dispute{ProviderDisputeID: n.Case,
		Type: dispute.Chargeback, Status: dispute.NeedsResponse, Reason: "fraudulent", ChargeReference: n.Charge,
		DueBy: testenv.Start.Add(7 * 24 * time.Hour)}}, nil
}

func (p acme) SendEvidence(_ context.Context, id string, _ provider.Evidence, submit bool) error {
	p.sent.add(fmt.Sprintf("evidence %s submit=%t", id, submit))
	return nil
}

func (p acme) Concede(_ context.Context, id string) error {
	if id == "refused" {
		return fmt.Errorf("acme refuses: %w", provider.ErrPermanent)
	}
	p.sent.add("concede " + id)
	return nil
}

func acmeType(sent *answers) provider.Type {
	return provider.Type{Name: "acme", Title: "Acme", Check: provider.RequireWebhookSecret,
		New: func(cfg provider.Config, _ *http.Client) provider.Adapter {
			return acme{secret: cfg.WebhookSecret, sent: sent}
		}}
}

// TestProviderOfANewType: a provider type registered by main, and nothing else, is configured,
// takes its batched webhooks (refusing a forged one), answered its own way, into a dispute per
// event on the recorded charge, and receives the merchant's answer; an answer it refuses for good fails at once, without retries. Only the
// registered types can be configured.
func TestProviderOfANewType(t *testing.T) {
	t.Parallel()
	sent := &answers{}
	testenv.EachWith(t, testenv.Options{Providers: provider.NewRegistry(acmeType(sent))}, func(t *testing.T, e *testenv.Env) {
		_, err := e.App.CreateProvider(e.Ctx, testenv.Admin, app.ProviderParams{Name: "stripe", Type: "stripe", WebhookSecret: "s"})
		if f, ok := fault.As(err); !ok || f.Param != "type" || f.Message != "type must be acme" {
			t.Errorf("a type not registered: %v", err)
		}
		_, err = e.App.CreateProvider(e.Ctx, testenv.Admin, app.ProviderParams{Name: "acme-eu", Type: "acme"})
		if f, ok := fault.As(err); !ok || f.Param != "webhook_secret" {
			t.Errorf("a configuration the type refuses: %v", err)
		}
		testenv.Must(e.App.CreateProvider(e.Ctx, testenv.Admin, app.ProviderParams{Name: "acme-eu", Type: "acme", WebhookSecret: "acme-secret"}))(t)

		notify := func(secret string, kases []string, sales []testenv.Sale) (app.ProviderReceipt, error) {
			var items []string
			for i, kase := range kases {
				items = append(items, fmt.Sprintf(`{"id":"ev_%d","case":%q,"charge":%q}`, i+1, kase, sales[i].Charge.ProviderReference))
			}
			body := `{"notifications":[` + strings.Join(items, ",") + `]}`
			return e.App.ReceiveProviderEvent(e.Ctx, "acme-eu", http.Header{"Acme-Secret": {secret}}, []byte(body))
		}
		won, refused := e.Sale(testenv.SaleParams{}), e.Sale(testenv.SaleParams{})
		kases, sales := []string{"conceded", "refused"}, []testenv.Sale{won, refused}
		if _, err := notify("forged", kases, sales); fault.Code(err) != fault.CodeInvalidSignature {
			t.Errorf("a forged notification: %v", err)
		}
		res := testenv.Must(notify("acme-secret", kases, sales))(t)
		if status, ctype, body, ok := res.Answer(); !ok || status != http.StatusAccepted || ctype != "text/plain" || string(body) != "[accepted]" {
			t.Errorf("the answer is %d %s %q (%t); want acme's own 202 [accepted]", status, ctype, body, ok)
		}
		if len(res.Receipts) != 2 || res.Receipts[0].EventID != "ev_1" || res.Receipts[1].EventID != "ev_2" {
			t.Fatalf("receipts %+v; want one per event of the batch, in its order", res.Receipts)
		}
		e.ApplyInbox()
		for i, c := range []struct {
			kase string
			sale testenv.Sale
			want dispute.SubmissionState
		}{{"conceded", won, dispute.SubmissionAccepted}, {"refused", refused, dispute.SubmissionFailed}} {
			stored := testenv.Must(e.App.ProviderEvent(e.Ctx, testenv.Admin, res.Receipts[i].ID))(t)
			d := testenv.Must(e.App.Dispute(e.Ctx, testenv.Admin, stored.DisputeID))(t)
			if d.Provider != "acme-eu" || d.ProviderDisputeID != c.kase || d.TransactionID != c.sale.Charge.ID || d.Amount != c.sale.Charge.Amount {
				t.Fatalf("%s: the dispute opened is %+v; want acme-eu's case on the recorded charge", c.kase, d)
			}
			testenv.Must(e.App.CloseDispute(e.Ctx, testenv.Admin, d.ID, nil, "not worth fighting"))(t)
			e.RunJobs()
			if got := e.Reload(d).Submission.State; got != c.want {
				t.Errorf("%s: the concession is %s; want %s", c.kase, got, c.want)
			}
		}
		if got := sent.all(); !slices.Contains(got, "concede conceded") || slices.Contains(got, "concede refused") {
			t.Errorf("acme was sent %v; want the one concession it took", got)
		}
	})
}
