package storetest

import (
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/money"
	"disputed/internal/order"
	"disputed/internal/store"
)

// testListDisputesAdmin checks the admin UI's list: each filter, the search through the
// customer's email, the orders, and offset pages.
func testListDisputesAdmin(t *testing.T, s store.Store) {
	ctx := t.Context()
	customers := []store.Customer{fullCustomer("cus_a", at(0)), fullCustomer("cus_b", at(0))}
	customers[0].Email, customers[1].Email = "Ada.Lovelace@Example.com", "bob_smith@example.org"
	mk := func(id string, created int64, set func(d *dispute.Dispute)) dispute.Dispute {
		d := openDispute(id, "", at(created))
		set(&d)
		return d
	}
	hour := int64(time.Hour / time.Millisecond)
	ds := []dispute.Dispute{
		mk("dsp_1", 0, func(d *dispute.Dispute) {
			d.Provider, d.CustomerID, d.DueBy, d.Amount, d.Tags = "stripe", "cus_a", at(10*hour), 500, []string{"vip"}
		}),
		mk("dsp_2", 1, func(d *dispute.Dispute) {
			d.Provider, d.CustomerID, d.DueBy, d.Amount = "paypal", "cus_b", at(2*hour), 3000
		}),
		mk("dsp_3", 2, func(d *dispute.Dispute) {
			d.Provider, d.Status, d.Resolution, d.ResolvedAt, d.Amount = "stripe", dispute.Won, dispute.ResolutionWon, at(3), 100
		}),
		mk("dsp_4", 3, func(d *dispute.Dispute) {
			d.Type, d.CaseNumber, d.DueBy, d.Amount = dispute.Manual, "CASE-9", at(48*hour), 2000
		}),
		mk("dsp_5", 4, func(d *dispute.Dispute) { d.Provider, d.Amount = "adyen", 50 }), // open, no due date
	}
	write(t, s, func(tx store.Tx) error {
		for _, c := range customers {
			if err := tx.InsertCustomer(ctx, c); err != nil {
				return err
			}
		}
		for _, d := range ds {
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	tests := []struct {
		name string
		f    store.DisputeFilter
		want []string
	}{
		{"no filter", store.DisputeFilter{}, []string{"dsp_5", "dsp_4", "dsp_3", "dsp_2", "dsp_1"}},
		{"provider", store.DisputeFilter{Provider: "stripe"}, []string{"dsp_3", "dsp_1"}},
		{"open only", store.DisputeFilter{OpenOnly: true}, []string{"dsp_5", "dsp_4", "dsp_2", "dsp_1"}},
		{"status", store.DisputeFilter{Status: "won"}, []string{"dsp_3"}},
		{"type", store.DisputeFilter{Type: "manual"}, []string{"dsp_4"}},
		{"tag", store.DisputeFilter{Tag: "vip"}, []string{"dsp_1"}},
		{"due window", store.DisputeFilter{DueAfter: at(2 * hour), DueBefore: at(48 * hour)}, []string{"dsp_2", "dsp_1"}},
		{"due after only", store.DisputeFilter{DueAfter: at(2*hour + 1)}, []string{"dsp_4", "dsp_1"}},
		{"email, any case", store.DisputeFilter{Query: "ada.lovelace@EXAMPLE", QueryRelated: true}, []string{"dsp_1"}},
		{"email domain", store.DisputeFilter{Query: "example.org", QueryRelated: true}, []string{"dsp_2"}},
		{"email, _ taken literally", store.DisputeFilter{Query: "b_s", QueryRelated: true}, []string{"dsp_2"}},
		{"email, _ is no wildcard", store.DisputeFilter{Query: "bobxsmith", QueryRelated: true}, []string{}},
		{"case number", store.DisputeFilter{Query: "case-9", QueryRelated: true}, []string{"dsp_4"}},
		{"id", store.DisputeFilter{Query: "DSP_3", QueryRelated: true}, []string{"dsp_3"}},
		{"the API's query: the dispute's own fields only", store.DisputeFilter{Query: "example.org"}, []string{}},
		{"search and filter", store.DisputeFilter{Query: "example", Provider: "paypal", QueryRelated: true}, []string{"dsp_2"}},
		{"soonest due first, none last", store.DisputeFilter{Sort: store.SortDue}, []string{"dsp_2", "dsp_1", "dsp_4", "dsp_5", "dsp_3"}},
		// By due date with a status few disputes hold: read through the status and sorted.
		{"a status, soonest due first", store.DisputeFilter{Status: "needs_response", Sort: store.SortDue}, []string{"dsp_2", "dsp_1", "dsp_4", "dsp_5"}},
		// Otherwise along a due-date index in two parts, with a date and without: pages across both.
		{"open, soonest due first", store.DisputeFilter{OpenOnly: true, Sort: store.SortDue}, []string{"dsp_2", "dsp_1", "dsp_4", "dsp_5"}},
		{"open by due, a page and one more", store.DisputeFilter{OpenOnly: true, Sort: store.SortDue, Page: store.Page{Limit: 1}}, []string{"dsp_2", "dsp_1"}},
		{"open by due, a page across both parts", store.DisputeFilter{OpenOnly: true, Sort: store.SortDue, Page: store.Page{Limit: 1, Offset: 2}}, []string{"dsp_4", "dsp_5"}},
		{"open by due, a page past the dated", store.DisputeFilter{OpenOnly: true, Sort: store.SortDue, Page: store.Page{Limit: 1, Offset: 3}}, []string{"dsp_5"}},
		{"open by due, past the end", store.DisputeFilter{OpenOnly: true, Sort: store.SortDue, Page: store.Page{Limit: 1, Offset: 4}}, []string{}},
		{"open by due, filtered (the dashboard)", store.DisputeFilter{OpenOnly: true, Sort: store.SortDue, Status: "needs_response",
			DueBefore: at(11 * hour), Page: store.Page{Limit: 5}}, []string{"dsp_2", "dsp_1"}},
		// By amount along disputes_amount, the filters checked on the way; or, with a filter whose
		// index holds few disputes (or a narrow one), read through it and sorted.
		{"largest amount first", store.DisputeFilter{Sort: store.SortAmount}, []string{"dsp_2", "dsp_4", "dsp_1", "dsp_3", "dsp_5"}},
		{"largest amount first, a page and one more", store.DisputeFilter{Sort: store.SortAmount, Page: store.Page{Limit: 2, Offset: 1}},
			[]string{"dsp_4", "dsp_1", "dsp_3"}},
		{"open, largest amount first", store.DisputeFilter{Sort: store.SortAmount, OpenOnly: true}, []string{"dsp_2", "dsp_4", "dsp_1", "dsp_5"}},
		{"a status, largest amount first", store.DisputeFilter{Sort: store.SortAmount, Status: "needs_response"}, []string{"dsp_2", "dsp_4", "dsp_1", "dsp_5"}},
		{"a tag, largest amount first", store.DisputeFilter{Sort: store.SortAmount, Tag: "vip"}, []string{"dsp_1"}},
		{"searched, largest amount first", store.DisputeFilter{Sort: store.SortAmount, Query: "example", QueryRelated: true}, []string{"dsp_2", "dsp_1"}},
		{"oldest first", store.DisputeFilter{Sort: store.SortOldest}, []string{"dsp_1", "dsp_2", "dsp_3", "dsp_4", "dsp_5"}},
		{"a page and one more", store.DisputeFilter{Sort: store.SortOldest, Page: store.Page{Limit: 2, Offset: 1}}, []string{"dsp_2", "dsp_3", "dsp_4"}},
		{"the last page", store.DisputeFilter{Page: store.Page{Limit: 2, Offset: 3}}, []string{"dsp_2", "dsp_1"}},
	}
	for _, tt := range tests {
		got, err := s.ListDisputes(ctx, tt.f)
		noErr(t, tt.name, err)
		same(t, tt.name, disputeIDs(got), tt.want)
	}
	got, err := s.ListDisputes(ctx, store.DisputeFilter{Query: "case-9", QueryRelated: true})
	noErr(t, "ListDisputes", err)
	if len(got) == 1 {
		same(t, "dispute read back", got[0], ds[3])
	}
}

// testDisputeStats checks the dashboard's counts: open disputes by urgency and currency, and the
// outcomes of the disputes that ended since a time.
func testDisputeStats(t *testing.T, s store.Store) {
	ctx := t.Context()
	empty, err := s.OpenDisputeStats(ctx, at(0))
	noErr(t, "OpenDisputeStats on an empty store", err)
	if len(empty) != 0 {
		t.Errorf("OpenDisputeStats on an empty store: %v", empty)
	}
	now := at(1000 * int64(time.Hour/time.Millisecond))
	mk := func(id string, set func(d *dispute.Dispute)) dispute.Dispute {
		d := openDispute(id, "", at(0))
		set(&d)
		return d
	}
	ended := func(id string, typ dispute.Type, st dispute.Status, res dispute.Resolution, ago time.Duration) dispute.Dispute {
		return mk(id, func(d *dispute.Dispute) { d.Type, d.Status, d.Resolution, d.ResolvedAt = typ, st, res, now.Add(-ago) })
	}
	ds := []dispute.Dispute{
		mk("dsp_overdue", func(d *dispute.Dispute) { d.DueBy, d.Amount = now.Add(-time.Hour), 1000 }),
		mk("dsp_due_now", func(d *dispute.Dispute) { d.DueBy, d.Amount = now, 2000 }),
		mk("dsp_due23h", func(d *dispute.Dispute) { d.DueBy, d.Amount = now.Add(23*time.Hour), 500 }),
		mk("dsp_no_due", func(d *dispute.Dispute) { d.Amount = 50 }),
		mk("dsp_review24h", func(d *dispute.Dispute) {
			d.Status, d.DueBy, d.Amount = dispute.UnderReview, now.Add(24*time.Hour), 700
		}),
		mk("dsp_alert71h", func(d *dispute.Dispute) {
			d.Type, d.Status, d.Currency, d.DueBy, d.Amount = dispute.Alert, dispute.Open, "EUR", now.Add(71*time.Hour), 300
		}),
		mk("dsp_market72h", func(d *dispute.Dispute) {
			d.Type, d.Status, d.Currency, d.DueBy, d.Amount = dispute.Marketplace, dispute.Open, "EUR", now.Add(72*time.Hour), 100
		}),
		ended("dsp_won", dispute.Chargeback, dispute.Won, dispute.ResolutionWon, time.Hour),
		ended("dsp_lost_long_ago", dispute.Chargeback, dispute.Lost, dispute.ResolutionLost, 40*24*time.Hour),
		ended("dsp_favor_vendor", dispute.Marketplace, dispute.Resolved, dispute.FavorVendor, 48*time.Hour),
		ended("dsp_favor_buyer", dispute.Marketplace, dispute.Closed, dispute.FavorBuyer, 10*24*time.Hour),
		ended("dsp_since", dispute.Manual, dispute.Lost, dispute.ResolutionLost, 30*24*time.Hour),
	}
	write(t, s, func(tx store.Tx) error {
		for _, d := range ds {
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	stats, err := s.OpenDisputeStats(ctx, now)
	noErr(t, "OpenDisputeStats", err)
	same(t, "open dispute stats", stats, []store.OpenDisputeStat{
		{Type: "alert", Status: "open", Currency: "EUR", Count: 1, Amount: money.Total{Value: 300}, Due72: 1},
		{Type: "chargeback", Status: "needs_response", Currency: "USD", Count: 4, Amount: money.Total{Value: 3550}, Overdue: 2, Due24: 1},
		{Type: "chargeback", Status: "under_review", Currency: "USD", Count: 1, Amount: money.Total{Value: 700}, Due72: 1},
		{Type: "marketplace", Status: "open", Currency: "EUR", Count: 1, Amount: money.Total{Value: 100}},
	})
	outcomes, err := s.DisputeOutcomes(ctx, now.Add(-30*24*time.Hour))
	noErr(t, "DisputeOutcomes", err)
	same(t, "outcomes of the last 30 days", outcomes, []store.OutcomeCount{
		{Type: "chargeback", Status: "won", Resolution: "won", Count: 1},
		{Type: "manual", Status: "lost", Resolution: "lost", Count: 1},
		{Type: "marketplace", Status: "closed", Resolution: "favor_buyer", Count: 1},
		{Type: "marketplace", Status: "resolved", Resolution: "favor_vendor", Count: 1},
	})
}

// testManualLines checks the list of lines that wait for an admin.
func testManualLines(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := simpleOrder("ord_1", "cus_1", "", order.Completed, at(0))
	mk := func(id string, updated int64, pending order.LineAction, manual bool) order.Line {
		l := fullLine(id, o.ID, at(0))
		l.UpdatedAt, l.PendingAction, l.Manual = at(updated), pending, manual
		if !manual {
			l.PendingReason = ""
		}
		return l
	}
	lines := []order.Line{
		mk("line_late", 5, order.Suspend, true),
		mk("line_panel", 1, order.Enable, false),
		mk("line_early", 2, order.Terminate, true),
		mk("line_settled", 0, order.NoAction, false),
	}
	write(t, s, func(tx store.Tx) error {
		if err := tx.InsertOrder(ctx, o); err != nil {
			return err
		}
		for _, l := range lines {
			if err := tx.InsertLine(ctx, l); err != nil {
				return err
			}
		}
		return nil
	})
	lineIDs := func(ls []order.Line) []string { return ids(ls, func(l order.Line) string { return l.ID }) }
	all, err := s.ManualLines(ctx, 0)
	noErr(t, "ManualLines", err)
	same(t, "manual lines", lineIDs(all), []string{"line_early", "line_late"})
	if len(all) == 2 {
		same(t, "line read back", all[0], lines[2])
	}
	one, err := s.ManualLines(ctx, 1)
	noErr(t, "ManualLines limit 1", err)
	same(t, "manual lines, limit 1", lineIDs(one), []string{"line_early"})
}

// testFailedSubmissions checks the list of open disputes whose answer failed to reach their
// provider, and that a dispute's submission is written by an update.
func testFailedSubmissions(t *testing.T, s store.Store) {
	ctx := t.Context()
	mk := func(id string, updated int64, state dispute.SubmissionState, status dispute.Status) dispute.Dispute {
		d := openDispute(id, "", at(0))
		d.Provider, d.ProviderDisputeID, d.Status, d.UpdatedAt = "stripe", "dp_"+id, status, at(updated)
		d.Submission = dispute.Submission{State: state, Kind: dispute.AnswerEvidence, At: at(updated)}
		return d
	}
	disputes := []dispute.Dispute{
		mk("dsp_late", 5, dispute.SubmissionFailed, dispute.NeedsResponse),
		mk("dsp_sending", 1, dispute.SubmissionSending, dispute.NeedsResponse),
		mk("dsp_early", 2, dispute.SubmissionFailed, dispute.NeedsResponse),
		mk("dsp_ended", 0, dispute.SubmissionFailed, dispute.Lost),
	}
	write(t, s, func(tx store.Tx) error {
		for _, d := range disputes {
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	disputeIDs := func(ds []dispute.Dispute) []string { return ids(ds, func(d dispute.Dispute) string { return d.ID }) }
	all, n, err := s.FailedSubmissions(ctx, 0)
	noErr(t, "FailedSubmissions", err)
	same(t, "failed submissions", disputeIDs(all), []string{"dsp_early", "dsp_late"})
	same(t, "failed submissions counted", n, int64(2))
	one, n, err := s.FailedSubmissions(ctx, 1)
	noErr(t, "FailedSubmissions limit 1", err)
	same(t, "failed submissions, limit 1", disputeIDs(one), []string{"dsp_early"})
	same(t, "failed submissions counted beyond the limit", n, int64(2))

	// Sent again: the update writes the new state, and the dispute leaves the list.
	prev := disputes[2]
	d := prev
	d.Submission = dispute.Submission{State: dispute.SubmissionSending, Kind: dispute.AnswerEvidence, At: at(9)}
	d.Revision, d.UpdatedAt = prev.Revision+1, at(9)
	write(t, s, func(tx store.Tx) error { return tx.UpdateDispute(ctx, d, prev) })
	got, err := s.GetDispute(ctx, d.ID)
	noErr(t, "GetDispute", err)
	same(t, "submission after the update", got.Submission, d.Submission)
	all, n, err = s.FailedSubmissions(ctx, 0)
	noErr(t, "FailedSubmissions after the update", err)
	same(t, "failed submissions after the update", disputeIDs(all), []string{"dsp_late"})
	same(t, "failed submissions counted after the update", n, int64(1))
}
