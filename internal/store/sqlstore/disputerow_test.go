package sqlstore

import (
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"disputed/internal/store/storetest"
)

// TestEveryDisputeColumnIsWrittenAndRead: a dispute with every field set is kept in a row with
// every column set, and read back whole. A column a migration adds fails here until DisputeRow
// writes it and disputeFromRow reads it (and storetest.FullDispute sets its field).
func TestEveryDisputeColumnIsWrittenAndRead(t *testing.T) {
	t.Parallel()
	d := storetest.FullDispute("dsp_full", "ord_full", time.UnixMilli(1_700_000_000_000).UTC())
	row, err := DisputeRow(d)
	if err != nil {
		t.Fatal(err)
	}
	columns, values := Columns(row)
	for i, v := range values {
		// is_open is false for the full dispute, which has ended.
		if reflect.ValueOf(v).IsZero() && columns[i] != "is_open" {
			t.Errorf("column %s is not written from a dispute with every field set", columns[i])
		}
	}
	back, err := disputeFromRow(row)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d, back); diff != "" {
		t.Errorf("the dispute read back from its row differs (-written +read):\n%s", diff)
	}
}
