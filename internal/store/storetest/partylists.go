package storetest

import (
	"testing"

	"disputed/internal/order"
	"disputed/internal/store"
)

// testListCustomersFilters checks each filter of the customer list, the created range's bounds
// (from inclusive, before exclusive) and that a row reads back whole.
func testListCustomersFilters(t *testing.T, s store.Store) {
	ctx := t.Context()
	cs := []store.Customer{fullCustomer("cus_00", at(0)), fullCustomer("cus_01", at(1)), fullCustomer("cus_02", at(2)), fullCustomer("cus_03", at(3))}
	cs[2].Email, cs[3].Email = cs[1].Email, "CUS_01@example.com"
	cs[3].ExternalID = cs[0].ExternalID
	write(t, s, func(tx store.Tx) error {
		for _, c := range cs {
			if err := tx.InsertCustomer(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	customerID := func(c store.Customer) string { return c.ID }
	for _, tt := range []struct {
		name string
		f    store.CustomerFilter
		want []string
	}{
		{"no filter", store.CustomerFilter{}, []string{"cus_03", "cus_02", "cus_01", "cus_00"}},
		{"email, exactly", store.CustomerFilter{Email: "cus_01@example.com"}, []string{"cus_02", "cus_01"}},
		{"external id", store.CustomerFilter{ExternalID: "crm-cus_00"}, []string{"cus_03", "cus_00"}},
		{"created range", store.CustomerFilter{Created: store.Created{After: at(1), Before: at(3)}}, []string{"cus_02", "cus_01"}},
		{"one customer", store.CustomerFilter{OnlyID: "cus_01", Email: "cus_01@example.com"}, []string{"cus_01"}},
		{"one customer, another email", store.CustomerFilter{OnlyID: "cus_00", Email: "cus_01@example.com"}, []string{}},
		{"nothing", store.CustomerFilter{Email: "nobody@example.com"}, []string{}},
	} {
		got, err := s.ListCustomers(ctx, tt.f)
		noErr(t, tt.name, err)
		same(t, tt.name, ids(got, customerID), tt.want)
	}
	got, err := s.ListCustomers(ctx, store.CustomerFilter{OnlyID: "cus_00"})
	noErr(t, "one customer", err)
	same(t, "the customer read back", got, []store.Customer{cs[0]})
}

// testListTransactionsFilters checks each filter of the transaction list, the party limits and
// that a row reads back whole.
func testListTransactionsFilters(t *testing.T, s store.Store) {
	ctx := t.Context()
	ts := []order.Transaction{fullTransaction("txn_00", at(0)), fullTransaction("txn_01", at(1)), charge("txn_02", "ord_txn_00", 500, at(2)),
		charge("txn_03", "ord_9", 900, at(3))}
	ts[1].CustomerID, ts[1].Provider = ts[0].CustomerID, "stripe"
	ts[2].CustomerID, ts[2].Provider, ts[2].ProviderReference = "cus_txn_00", "stripe", "ch_1"
	ts[3].VendorID, ts[3].ProviderReference = "ven_txn_00", "ch_1"
	write(t, s, func(tx store.Tx) error {
		for _, tr := range ts {
			if err := tx.InsertTransaction(ctx, tr); err != nil {
				return err
			}
		}
		return nil
	})
	txnID := func(tr order.Transaction) string { return tr.ID }
	for _, tt := range []struct {
		name string
		f    store.TransactionFilter
		want []string
	}{
		{"no filter", store.TransactionFilter{}, []string{"txn_03", "txn_02", "txn_01", "txn_00"}},
		{"order", store.TransactionFilter{OrderID: "ord_txn_00"}, []string{"txn_02", "txn_00"}},
		{"customer", store.TransactionFilter{CustomerID: "cus_txn_00"}, []string{"txn_02", "txn_01", "txn_00"}},
		{"type", store.TransactionFilter{Kind: string(order.Charge)}, []string{"txn_03", "txn_02"}},
		{"provider", store.TransactionFilter{Provider: "stripe"}, []string{"txn_02", "txn_01"}},
		{"provider reference", store.TransactionFilter{ProviderReference: "ch_1"}, []string{"txn_03", "txn_02"}},
		{"reference and provider", store.TransactionFilter{ProviderReference: "ch_1", Provider: "stripe"}, []string{"txn_02"}},
		{"customer and type", store.TransactionFilter{CustomerID: "cus_txn_00", Kind: string(order.Refund)}, []string{"txn_01", "txn_00"}},
		{"created range", store.TransactionFilter{Created: store.Created{After: at(1), Before: at(3)}}, []string{"txn_02", "txn_01"}},
		{"party as customer", store.TransactionFilter{PartyCustomer: "cus_txn_00", OrderID: "ord_txn_00"}, []string{"txn_02", "txn_00"}},
		{"party as vendor", store.TransactionFilter{PartyVendor: "ven_txn_00"}, []string{"txn_03", "txn_00"}},
		{"party and another customer", store.TransactionFilter{PartyVendor: "ven_txn_00", CustomerID: "cus_txn_01"}, []string{}},
	} {
		got, err := s.ListTransactions(ctx, tt.f)
		noErr(t, tt.name, err)
		same(t, tt.name, ids(got, txnID), tt.want)
	}
	got, err := s.ListTransactions(ctx, store.TransactionFilter{OrderID: "ord_txn_01"})
	noErr(t, "an order's", err)
	same(t, "the transaction read back", got, []order.Transaction{ts[1]})
}
