package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"pgregory.net/rapid"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/secretbox"
	"disputed/internal/store"
	"disputed/internal/store/sqlite"
	"disputed/internal/testenv"
)

type jsonPresenter struct{}

func (jsonPresenter) Event(v any) ([]byte, error) { return json.Marshal(v) }

func (jsonPresenter) Envelope(e store.Event) ([]byte, error) { return json.Marshal(e) }

var admin = actor.Key("key_test", actor.Admin, "")

// TestMoneyAndDisputeInvariants drives random sequences of sales, refunds, dispute openings,
// submissions, concessions and resolutions through the use cases on a real SQLite store and
// checks after every step: refunds never exceed what was captured (minus withdrawn funds), every
// refund belongs to a charge, an ended dispute never changes again, and revisions only go up.
func TestMoneyAndDisputeInvariants(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		// A copy of the migrated template: a hundred runs, each on a fresh database, without
		// migrating a hundred times.
		st, err := sqlite.Open(ctx, testenv.Database(t, "sqlite"), secretbox.Fresh())
		if err != nil {
			rt.Fatal(err)
		}
		defer st.Close()
		a := app.New(st, app.Options{Presenter: jsonPresenter{}})
		m := &model{rt: rt, ctx: ctx, a: a, st: st, seen: map[string]dispute.Dispute{}}
		rt.Repeat(map[string]func(*rapid.T){
			"sale":    m.sale,
			"refund":  m.refund,
			"open":    m.open,
			"submit":  m.submit,
			"concede": m.concede,
			"resolve": m.resolve,
			"":        m.check,
		})
	})
}

type model struct {
	rt      *rapid.T
	ctx     context.Context
	a       *app.App
	st      store.Store
	charges []string
	orders  []string
	disps   []string
	seen    map[string]dispute.Dispute
}

func (m *model) sale(t *rapid.T) {
	amount := rapid.Int64Range(1, 100_000).Draw(t, "amount")
	c, err := m.a.CreateCustomer(m.ctx, admin, app.CustomerParams{Email: "p@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := m.a.CreateOrder(m.ctx, admin, app.OrderParams{CustomerID: c.ID, Currency: "USD",
		Items: []app.ItemParams{{Description: "x", Amount: &amount, Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.a.CompleteOrder(m.ctx, admin, o.Order.ID); err != nil {
		t.Fatal(err)
	}
	ch, err := m.a.CreateTransaction(m.ctx, admin, app.TransactionParams{Kind: "charge", OrderID: o.Order.ID,
		Money: app.Money{Amount: &amount, Currency: "USD"}})
	if err != nil {
		t.Fatal(err)
	}
	m.orders = append(m.orders, o.Order.ID)
	m.charges = append(m.charges, ch.Transaction.ID)
}

func (m *model) refund(t *rapid.T) {
	if len(m.charges) == 0 {
		t.Skip("no charge")
	}
	id := rapid.SampledFrom(m.charges).Draw(t, "charge")
	amount := rapid.Int64Range(1, 120_000).Draw(t, "amount")
	before, err := m.st.GetTransaction(m.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	p := app.RefundParams{Money: app.Money{Amount: &amount}}
	_, err = m.a.Refund(m.ctx, admin, id, p)
	if m.chargebackOn(t, before) {
		// It would pay twice: refused whatever the amount, and made only when forced.
		if fe, ok := fault.As(err); !ok || fe.Code != fault.CodeChargeDisputed {
			t.Fatalf("refund of a charge a chargeback disputes: err = %v, want charge_disputed", err)
		}
		p.Force, p.Reason = true, "forced by the model"
		_, err = m.a.Refund(m.ctx, admin, id, p)
	}
	if fits := amount <= before.Refundable(); fits != (err == nil) {
		t.Fatalf("refund of %d with %d refundable: err = %v", amount, before.Refundable(), err)
	}
}

// chargebackOn reports whether an open chargeback or manual dispute disputes charge: one matched
// to it, or one on its order naming no payment.
func (m *model) chargebackOn(t *rapid.T, charge order.Transaction) bool {
	d, err := m.st.OpenDisputeOfOrder(m.ctx, charge.OrderID)
	if errors.Is(err, store.ErrNotFound) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	return (d.Type == dispute.Chargeback || d.Type == dispute.Manual) && (d.TransactionID == "" || d.TransactionID == charge.ID)
}

func (m *model) open(t *rapid.T) {
	if len(m.orders) == 0 {
		t.Skip("no order")
	}
	i := rapid.IntRange(0, len(m.orders)-1).Draw(t, "order")
	typ := rapid.SampledFrom([]string{"chargeback", "inquiry", "alert", "marketplace", "manual"}).Draw(t, "type")
	p := app.DisputeParams{Type: typ, TransactionID: m.charges[i], Reason: "general"}
	switch typ {
	case "alert":
		p.AlertType = rapid.SampledFrom([]string{"tc40", "ethoca", "rdr"}).Draw(t, "alert_type")
	case "marketplace":
		p.InitiatedBy = "buyer"
	}
	d, err := m.a.CreateDispute(m.ctx, admin, p)
	if err == nil {
		m.disps = append(m.disps, d.ID)
	}
}

func (m *model) pick(t *rapid.T) string {
	if len(m.disps) == 0 {
		t.Skip("no dispute")
	}
	return rapid.SampledFrom(m.disps).Draw(t, "dispute")
}

func (m *model) submit(t *rapid.T) {
	id := m.pick(t)
	d, err := m.a.Dispute(m.ctx, admin, id)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = m.a.UpdateDispute(m.ctx, admin, id, d.Revision, app.UpdateDisputeParams{UpdateParams: dispute.UpdateParams{
		Evidence: map[string]string{"uncategorized_text": "proof"}, Submit: rapid.Bool().Draw(t, "submit")}})
}

func (m *model) concede(t *rapid.T) {
	_, _ = m.a.CloseDispute(m.ctx, admin, m.pick(t), nil, "")
}

func (m *model) resolve(t *rapid.T) {
	id := m.pick(t)
	res := rapid.SampledFrom([]string{"won", "lost", "issued_full_refund", "other", "full_refund", "partial_refund",
		"favor_vendor", "mutual_agreement"}).Draw(t, "resolution")
	p := app.ResolveParams{Resolution: res}
	if res == "partial_refund" {
		amt := rapid.Int64Range(1, 50_000).Draw(t, "refund")
		p.RefundAmount = app.Money{Amount: &amt}
	}
	if rapid.Bool().Draw(t, "review first") {
		_, _ = m.a.MoveDispute(m.ctx, admin, id, nil, "pending_review", "")
	}
	_, _ = m.a.ResolveDispute(m.ctx, admin, id, nil, p)
}

// check asserts the invariants against what the store holds now.
func (m *model) check(t *rapid.T) {
	for _, id := range m.charges {
		c, err := m.st.GetTransaction(m.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.AmountRefunded < 0 || c.AmountWithdrawn < 0 || c.AmountRefunded+c.AmountWithdrawn > c.Amount {
			t.Fatalf("charge %s: refunded %d + withdrawn %d exceeds %d", id, c.AmountRefunded, c.AmountWithdrawn, c.Amount)
		}
		children, err := m.st.ChildTransactions(m.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var refunded int64
		for _, ch := range children {
			if ch.Kind == order.Refund {
				refunded += ch.Amount
			}
		}
		if refunded != c.AmountRefunded {
			t.Fatalf("charge %s: refunds add up to %d but amount_refunded is %d", id, refunded, c.AmountRefunded)
		}
	}
	for _, oid := range m.orders {
		txns, err := m.st.TransactionsOfOrder(m.ctx, oid)
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range txns {
			if tx.Kind != order.Refund {
				continue
			}
			parent, err := m.st.GetTransaction(m.ctx, tx.ParentID)
			if err != nil || !parent.Captures() {
				t.Fatalf("refund %s belongs to %q, not to a charge (%v)", tx.ID, tx.ParentID, err)
			}
		}
	}
	for _, id := range m.disps {
		d, err := m.st.GetDispute(m.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		prev, ok := m.seen[id]
		if ok {
			if d.Revision < prev.Revision {
				t.Fatalf("dispute %s: revision went back from %d to %d", id, prev.Revision, d.Revision)
			}
			if dispute.Final(prev.Status) && (d.Revision != prev.Revision || d.Status != prev.Status) {
				t.Fatalf("dispute %s changed after it ended %s: now %s rev %d", id, prev.Status, d.Status, d.Revision)
			}
			if d.Revision == prev.Revision && d.Status != prev.Status {
				t.Fatalf("dispute %s changed status without a new revision", id)
			}
		}
		m.seen[id] = d
	}
}
