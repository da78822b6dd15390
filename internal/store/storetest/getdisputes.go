package storetest

import (
	"fmt"
	"slices"
	"testing"

	"disputed/internal/dispute"
	"disputed/internal/store"
)

// testGetDisputes: a batch of jobs reads its disputes in one call, whole (as GetDispute reads
// each), and an id that names no dispute is left out; more ids than one statement takes are
// read in parts.
func testGetDisputes(t *testing.T, s store.Store) {
	ctx := t.Context()
	var ids []string
	write(t, s, func(tx store.Tx) error {
		for i := range 1203 {
			d := openDispute(fmt.Sprintf("dsp_batch%04d", i), "", at(int64(i)))
			d.Tags, d.Metadata = []string{"vip"}, map[string]string{"k": "v"}
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
			ids = append(ids, d.ID)
		}
		return nil
	})
	got, err := s.GetDisputes(ctx, append([]string{"dsp_nobody"}, ids...))
	noErr(t, "GetDisputes", err)
	gotIDs := disputeIDs(got)
	slices.Sort(gotIDs)
	same(t, "disputes read at once", gotIDs, ids)
	one, err := s.GetDispute(ctx, ids[700])
	noErr(t, "GetDispute", err)
	i := slices.IndexFunc(got, func(d dispute.Dispute) bool { return d.ID == one.ID })
	if fmt.Sprint(got[i]) != fmt.Sprint(one) {
		t.Fatalf("GetDisputes read %+v\nGetDispute reads %+v", got[i], one)
	}
	none, err := s.GetDisputes(ctx, nil)
	noErr(t, "GetDisputes of no id", err)
	same(t, "disputes of no id", disputeIDs(none), []string{})
}
