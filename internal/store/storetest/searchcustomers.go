package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"disputed/internal/dispute"
	"disputed/internal/store"
)

// testListDisputesSearchCustomers: with more customers than the sample of the newest that tells
// which texts are common, the admin UI's query asks the customers' index for the runs of the text
// that few of them hold (their emails share a domain and many digits) and finds exactly the
// disputes whose customer's email or name holds it (ASCII letters in any case); a text that every
// customer holds (the domain) is still found, through the whole text; a text only disputes hold
// is found along the walk, the customers read through their index; a customer who holds the
// runs but not the whole text is not found, nor a dispute that holds the start of the text that
// the index is asked for while the disputes are fewer than the sample.
func testListDisputesSearchCustomers(t *testing.T, s store.Store) {
	ctx := t.Context()
	const customers = 1100
	all := make([]store.Customer, customers)
	var ds []dispute.Dispute
	write(t, s, func(tx store.Tx) error {
		for i := range all {
			all[i] = store.Customer{ID: fmt.Sprintf("cus_%05d", i), Email: fmt.Sprintf("buyer%d@example.com", i),
				Name: fmt.Sprintf("Buyer %d", i), Metadata: map[string]string{}, CreatedAt: at(int64(i)), UpdatedAt: at(int64(i))}
			switch i {
			case 1005:
				all[i].Name = "Élodie Müller"
			case 1010: // holds the uncommon runs of buyer1005@example.com, but not the whole
				all[i].Email = "xr1005@elsewhere.net"
			}
			if err := tx.InsertCustomer(ctx, all[i]); err != nil {
				return err
			}
			if i%5 != 0 {
				continue
			}
			d := openDispute(fmt.Sprintf("dsp_%05d", i), "", at(int64(i)))
			d.CustomerID = all[i].ID
			if i%2 == 0 {
				d.Description = "a common complaint"
			}
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
			ds = append(ds, d)
		}
		return nil
	})
	// holding is what the admin UI's query q matches among these disputes, newest first: those
	// whose description, or whose customer's email or name, holds it, case folded.
	holding := func(q string) []string {
		var got []dispute.Dispute
		for _, d := range ds {
			c := all[slices.IndexFunc(all, func(c store.Customer) bool { return c.ID == d.CustomerID })]
			for _, field := range []string{d.Description, c.Email, c.Name} {
				if strings.Contains(strings.ToLower(field), strings.ToLower(q)) {
					got = append(got, d)
					break
				}
			}
		}
		slices.SortFunc(got, newestFirst)
		return disputeIDs(got)
	}
	for _, tt := range []struct {
		q    string
		many int
	}{
		{"buyer1005@example.com", 1}, {"BUYER1005@Example.COM", 1}, {"r100", 4}, {"1000@exa", 1},
		{"Élodie Müller", 1}, {"ÉLODIE", 1}, {"@example.com", 219}, {"buyer1", 41}, {"common complaint", 110}, {"common compliment", 0},
		{"buyer1001@", 0}, {"no such text", 0},
	} {
		want := holding(tt.q)
		if len(want) != tt.many {
			t.Fatalf("q=%s: %d disputes hold it, want %d: the data set changed", tt.q, len(want), tt.many)
		}
		got, err := s.ListDisputes(ctx, store.DisputeFilter{Query: tt.q, QueryRelated: true, Page: store.Page{Limit: 300}})
		noErr(t, "q="+tt.q, err)
		same(t, "q="+tt.q, disputeIDs(got), want)
	}
}
