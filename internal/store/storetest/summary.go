package storetest

import (
	"slices"
	"strings"
	"testing"

	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
)

// testDisputeSummaries checks what a list row says beside the ids (the customer, the dispute's
// own or its order's, and the order's first item), and that the q search finds a dispute by
// its order id, the provider's charge id, and the customer's name.
func testDisputeSummaries(t *testing.T, s store.Store) {
	ctx := t.Context()
	elodie := fullCustomer("cus_s1", at(0))
	elodie.Name, elodie.Email = "Élodie Durand", "elodie@shop.example"
	zoe := fullCustomer("cus_s2", at(0))
	ord := simpleOrder("ord_s1", elodie.ID, "", order.Completed, at(1))
	ord.Items = []order.Item{{Description: "Premium IPTV 12 months", Amount: 600, Quantity: 1}, {Description: "Setup", Amount: 400, Quantity: 1}}
	ch := charge("txn_s1", ord.ID, 1000, at(1))
	ch.Provider, ch.ProviderReference = "stripe", "ch_3PqRsTuV"
	onOrder := openDispute("dsp_s1", ord.ID, at(2)) // a provider dispute: the order's customer only
	onOrder.TransactionID = ch.ID
	ownCustomer := openDispute("dsp_s2", "", at(3))
	ownCustomer.CustomerID = zoe.ID
	bare := openDispute("dsp_s3", "", at(4))
	write(t, s, func(tx store.Tx) error {
		for _, c := range []store.Customer{elodie, zoe} {
			if err := tx.InsertCustomer(ctx, c); err != nil {
				return err
			}
		}
		if err := tx.InsertOrder(ctx, ord); err != nil {
			return err
		}
		if err := tx.InsertTransaction(ctx, ch); err != nil {
			return err
		}
		for _, d := range []dispute.Dispute{onOrder, ownCustomer, bare} {
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})

	got, err := s.DisputeSummaries(ctx, []string{"dsp_s1", "dsp_s2", "dsp_s3", "dsp_none"})
	noErr(t, "DisputeSummaries", err)
	slices.SortFunc(got, func(a, b store.DisputeSummary) int { return strings.Compare(a.DisputeID, b.DisputeID) })
	same(t, "DisputeSummaries", got, []store.DisputeSummary{
		{DisputeID: "dsp_s1", CustomerName: "Élodie Durand", CustomerEmail: "elodie@shop.example", FirstItem: "Premium IPTV 12 months", Items: 2},
		{DisputeID: "dsp_s2", CustomerName: "Zoë", CustomerEmail: "cus_s2@example.com"},
		{DisputeID: "dsp_s3"},
	})
	none, err := s.DisputeSummaries(ctx, nil)
	noErr(t, "DisputeSummaries of none", err)
	if len(none) != 0 {
		t.Errorf("DisputeSummaries of none: %v", none)
	}

	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"ORD_S1", []string{"dsp_s1"}},
		{"ch_3PqRsTuV", []string{"dsp_s1"}}, // the charge's provider reference, as pasted
		{"TXN_S1", []string{"dsp_s1"}},      // its id, in any case (ours are lower-case)
		{"durand", []string{"dsp_s1"}},
		{"Élodie", []string{"dsp_s1"}},
		{"SHOP.EXAMPLE", []string{"dsp_s1"}},
		{"Zoë", []string{"dsp_s2"}},
		{"no such thing", []string{}},
	} {
		ds, err := s.ListDisputes(ctx, store.DisputeFilter{Query: tt.q, QueryRelated: true})
		noErr(t, "ListDisputes "+tt.q, err)
		same(t, "q="+tt.q, disputeIDs(ds), tt.want)
	}
}
