package app

import (
	"context"
	"errors"

	"disputed/internal/store"
)

// readPassAhead reads at once, before a pass applies its events, the rows applying them reads
// one by one (store.Tx.ReadRowsAhead): the payments the events name by their provider's
// reference, the orders a charge's metadata names and the customers its buyer's email or id
// names, and then the payments' children, buyers and orders, with their lines and open
// disputes. A charge applied alone costs a handful of reads, each a
// statement as dear as a write in SQLite; a pass of them reads these in a few.
//
// What an event looks up about another object than its own is read ahead only on a store with
// one writer: a dispute's charge, whether a dispute awaits a charge, whether an order has an
// open dispute. With several (PostgreSQL shared by instances), another instance may record that
// charge or open that dispute while the pass runs: read when used, after the payment's
// references are locked (store.Tx.LockReferences), the answer sees what the other committed;
// read at the start of the pass, it would not. An event's own object (a charge, and the refunds
// ordered with it) is applied by one instance at a time, so what it looks up about itself is
// read ahead everywhere: a dispute event's case, under the ids findProviderCase looks it up by.
func (a *App) readPassAhead(ctx context.Context, tx store.Tx, claimed []claimedEvent) error {
	settings, err := tx.GetSettings(ctx)
	if err != nil {
		return err
	}
	orderKey, otherObjects := EffectiveOrderMetadataKey(settings), a.store.Writers() == 1
	var keys store.RowKeys
	ofOrder := func(k *store.RowKeys, id string) {
		if id == "" {
			return
		}
		k.Orders, k.LinesOfOrders = append(k.Orders, id), append(k.LinesOfOrders, id)
		if otherObjects {
			k.OpenDisputesOf = append(k.OpenDisputesOf, id)
		}
	}
	for _, c := range claimed {
		if c.err != nil {
			continue
		}
		if cr := c.ev.Charge; cr != nil {
			keys.References = append(keys.References, cr.ID)
			if otherObjects {
				keys.AwaitingCharges = append(keys.AwaitingCharges, store.ProviderReference{Provider: c.rec.Provider, Reference: cr.ID},
					store.ProviderReference{Provider: c.rec.Provider, Reference: cr.PaymentReference})
			}
			ofOrder(&keys, cr.Metadata[orderKey])
			keys.CustomerKeys = append(keys.CustomerKeys, paymentCustomerKeys(cr)...)
			for _, rr := range cr.Refunds {
				keys.References = append(keys.References, rr.ChargeReference, rr.PaymentReference)
			}
		}
		if rr := c.ev.Refund; rr != nil {
			keys.References = append(keys.References, rr.ChargeReference, rr.PaymentReference)
		}
		if pd := c.ev.Dispute; pd != nil {
			keys.ProviderCases = append(keys.ProviderCases, providerCases(c.rec.Provider, pd)...)
			if otherObjects {
				keys.References = append(keys.References, pd.ChargeReference, pd.PaymentReference)
			}
		}
	}
	if err := tx.ReadRowsAhead(ctx, keys); err != nil {
		return err
	}
	var found store.RowKeys
	for _, ref := range keys.References {
		t, err := tx.FindTransaction(ctx, "", ref)
		switch {
		case errors.Is(err, store.ErrNotFound):
			continue
		case err != nil:
			return err
		}
		// A dispute's change reads its buyer (to block, to email); its charge by id is
		// answered by the read by reference.
		found.ChildrenOf, found.Customers = append(found.ChildrenOf, t.ID), append(found.Customers, t.CustomerID)
		ofOrder(&found, t.OrderID)
	}
	return tx.ReadRowsAhead(ctx, found)
}
