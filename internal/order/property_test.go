package order

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// ledger is the model of one order's money: every transaction recorded so far, parents held by
// pointer so that what NewTransaction, RefundOf, WithdrawalOf and ReversalOf apply to them stays.
type ledger struct {
	order *Order
	txns  []*Transaction
	n     int
}

func (l *ledger) add(tx Transaction) {
	l.n++
	tx.ID = fmt.Sprintf("txn_%d", l.n)
	l.txns = append(l.txns, &tx)
}

func (l *ledger) pick(t *rapid.T, label string) *Transaction {
	if len(l.txns) == 0 {
		t.Skip("no transaction yet")
	}
	return l.txns[rapid.IntRange(0, len(l.txns)-1).Draw(t, label)]
}

func (l *ledger) byID(id string) *Transaction {
	for _, tx := range l.txns {
		if tx.ID == id {
			return tx
		}
	}
	return nil
}

func amount(t *rapid.T, label string) int64 { return rapid.Int64Range(-50, 12000).Draw(t, label) }

// TestMoneyNeverOverdrawn: whatever sequence of charges, authorizations, captures, voids,
// refunds, withdrawals and reversals is tried, refunds and withdrawals of a transaction never
// exceed its amount nor go negative, and every refund's parent is a capturing transaction.
func TestMoneyNeverOverdrawn(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		o, lines, err := New(params())
		if err != nil {
			t.Fatal(err)
		}
		if err := o.Complete(lines, Payments{}, t0); err != nil {
			t.Fatal(err)
		}
		l := &ledger{order: &o}
		t.Repeat(map[string]func(*rapid.T){
			"charge": func(t *rapid.T) {
				tx, err := NewTransaction(Transaction{Kind: Charge, Amount: amount(t, "amount"), Currency: "USD"}, nil, l.order)
				if err == nil {
					l.add(tx)
				}
			},
			"authorize": func(t *rapid.T) {
				tx, err := NewTransaction(Transaction{Kind: Authorization, Amount: amount(t, "amount"), Currency: "USD"}, nil, l.order)
				if err == nil {
					l.add(tx)
				}
			},
			"capture": func(t *rapid.T) {
				parent := l.pick(t, "parent")
				tx, err := NewTransaction(Transaction{Kind: Capture, Amount: amount(t, "amount"), Currency: "USD"}, parent, l.order)
				if err == nil {
					if parent.Kind != Authorization || parent.Voided {
						t.Fatalf("captured %+v", *parent)
					}
					l.add(tx)
				}
			},
			"void": func(t *rapid.T) {
				parent := l.pick(t, "parent")
				tx, err := NewTransaction(Transaction{Kind: Void, Currency: "USD"}, parent, l.order)
				if err == nil {
					if parent.Kind != Authorization || parent.AmountCaptured != 0 || tx.Amount != parent.Amount {
						t.Fatalf("voided %+v with %+v", *parent, tx)
					}
					l.add(tx)
				}
			},
			"refund": func(t *rapid.T) {
				parent := l.pick(t, "parent")
				external := rapid.Bool().Draw(t, "external")
				tx, err := NewTransaction(Transaction{Kind: Refund, Amount: amount(t, "amount"), Currency: "USD", External: external}, parent, l.order)
				if err == nil {
					l.add(tx)
				}
			},
			"refund directly": func(t *rapid.T) {
				parent := l.pick(t, "parent")
				tx, err := RefundOf(parent, Transaction{Amount: amount(t, "amount")})
				if err == nil {
					l.add(tx)
				}
			},
			"withdraw": func(t *rapid.T) {
				parent := l.pick(t, "parent")
				if tx, ok := WithdrawalOf(parent, Transaction{Amount: amount(t, "amount"), DisputeID: "dsp_1"}); ok {
					l.add(tx)
				}
			},
			"reverse": func(t *rapid.T) {
				parent := l.pick(t, "parent")
				if tx, ok := ReversalOf(parent, Transaction{Amount: amount(t, "amount"), DisputeID: "dsp_1"}); ok {
					l.add(tx)
				}
			},
			"": func(t *rapid.T) { l.check(t) },
		})
	})
}

// check verifies the invariants over the whole ledger, recomputing each parent's totals from its
// children.
func (l *ledger) check(t *rapid.T) {
	refunded, withdrawn, captured := map[string]int64{}, map[string]int64{}, map[string]int64{}
	for _, tx := range l.txns {
		if tx.Amount <= 0 {
			t.Fatalf("%s %s has amount %d", tx.Kind, tx.ID, tx.Amount)
		}
		if tx.Currency != "USD" || tx.OrderID != l.order.ID {
			t.Fatalf("%s %s: currency %q order %q", tx.Kind, tx.ID, tx.Currency, tx.OrderID)
		}
		if tx.AmountRefunded < 0 || tx.AmountWithdrawn < 0 || tx.AmountRefunded+tx.AmountWithdrawn > tx.Amount {
			t.Fatalf("%s %s overdrawn: amount %d refunded %d withdrawn %d", tx.Kind, tx.ID, tx.Amount, tx.AmountRefunded, tx.AmountWithdrawn)
		}
		if tx.AmountCaptured < 0 || tx.AmountCaptured > tx.Amount || (tx.Voided && tx.AmountCaptured != 0) {
			t.Fatalf("authorization %s: amount %d captured %d voided %v", tx.ID, tx.Amount, tx.AmountCaptured, tx.Voided)
		}
		if tx.Refundable() < 0 {
			t.Fatalf("%s refundable %d", tx.ID, tx.Refundable())
		}
		parent := l.byID(tx.ParentID)
		switch tx.Kind {
		case Charge, Authorization:
			if tx.ParentID != "" {
				t.Fatalf("%s %s has parent %q", tx.Kind, tx.ID, tx.ParentID)
			}
			continue
		case Refund:
			if parent == nil || !parent.Captures() {
				t.Fatalf("refund %s of %q, which does not capture money", tx.ID, tx.ParentID)
			}
			refunded[parent.ID] += tx.Amount
		case Chargeback:
			if parent == nil || !parent.Captures() {
				t.Fatalf("withdrawal %s of %q, which does not capture money", tx.ID, tx.ParentID)
			}
			withdrawn[parent.ID] += tx.Amount
		case ChargebackReversal:
			if parent == nil {
				t.Fatalf("reversal %s without parent", tx.ID)
			}
			withdrawn[parent.ID] -= tx.Amount
		case Capture, Void:
			if parent == nil || parent.Kind != Authorization {
				t.Fatalf("%s %s of %q", tx.Kind, tx.ID, tx.ParentID)
			}
			if tx.Kind == Capture {
				captured[parent.ID] += tx.Amount
			}
		}
	}
	for _, tx := range l.txns {
		if tx.AmountRefunded != refunded[tx.ID] || tx.AmountWithdrawn != withdrawn[tx.ID] || tx.AmountCaptured != captured[tx.ID] {
			t.Fatalf("%s %s: refunded %d withdrawn %d captured %d, but its children add up to %d %d %d", tx.Kind, tx.ID,
				tx.AmountRefunded, tx.AmountWithdrawn, tx.AmountCaptured, refunded[tx.ID], withdrawn[tx.ID], captured[tx.ID])
		}
	}
}
