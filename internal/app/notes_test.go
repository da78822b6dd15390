package app_test

import (
	"bytes"
	"strings"
	"testing"

	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestNotesAndTimeline: notes are internal, append-only and oldest first; the timeline records
// who, from and to for each change, oldest first.
func TestNotesAndTimeline(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.CompileByHand()
		sale := e.Sale(testenv.SaleParams{Amount: 1000})
		d := e.Dispute(sale, "chargeback", func(p *app.DisputeParams) { p.Reason = "fraudulent" })
		e.RunJobs() // the email about the new dispute
		for _, b := range []string{"first", "second", "third"} {
			testenv.Must(e.App.AddNote(e.Ctx, testenv.Admin, d.ID, b))(t)
		}
		_, err := e.App.AddNote(e.Ctx, testenv.Admin, d.ID, "")
		testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidValue)
		_, err = e.App.AddNote(e.Ctx, testenv.Admin, "dsp_nope", "x")
		testenv.WantFault(t, err, fault.NotFound, fault.CodeNotFound)
		notes := testenv.Must(e.App.Notes(e.Ctx, testenv.Admin, d.ID))(t)
		if len(notes) != 3 || notes[0].Body != "first" || notes[2].Body != "third" || notes[0].Author == "" {
			t.Errorf("notes: %+v", notes)
		}
		// Notes are not changes to the dispute: no revision, and not in any event.
		if got := e.Reload(d).Revision; got != d.Revision {
			t.Errorf("notes moved the revision to %d", got)
		}
		evsPage, err := e.App.Events(e.Ctx, testenv.Admin, store.EventFilter{Page: store.Page{Limit: 100}})
		evs := evsPage.Rows
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			if bytes.Contains(ev.Data, []byte("second")) {
				t.Errorf("an event carries an internal note: %s %s", ev.Type, ev.Data)
			}
		}
		testenv.Must(e.App.CloseDispute(e.Ctx, testenv.Admin, d.ID, nil, "conceding"))(t)
		e.RunJobs()

		tl := testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, d.ID))(t)
		var actions []string
		for _, entry := range tl {
			actions = append(actions, entry.Action)
			if entry.Actor == "" || entry.DisputeID != d.ID {
				t.Errorf("timeline entry: %+v", entry)
			}
		}
		wantActions := []string{"created", "email_not_sent", "note_added", "note_added", "note_added", "conceded", "funds_withdrawn", "email_not_sent"}
		if strings.Join(actions, ",") != strings.Join(wantActions, ",") {
			t.Fatalf("timeline %v, want %v", actions, wantActions)
		}
		if c := tl[5]; c.From != "needs_response" || c.To != "lost" || c.Actor != testenv.Admin.String() {
			t.Errorf("concession entry: %+v", c)
		}
		otl := testenv.Must(e.App.OrderTimeline(e.Ctx, testenv.Admin, sale.Order.ID))(t)
		if len(otl) < 3 || otl[0].Action != "order_created" {
			t.Errorf("order timeline: %+v", otl)
		}
		_, err = e.App.Timeline(e.Ctx, testenv.Admin, "dsp_nope")
		testenv.WantFault(t, err, fault.NotFound, fault.CodeNotFound)
	})
}
