package app_test

import (
	"strings"
	"testing"

	"disputed/internal/dispute"
	"disputed/internal/provider/stripe/stripemock"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// pushNotes are the notes of a dispute's timeline entries about pushes to its provider (made or
// failed), oldest first.
func pushNotes(e *testenv.Env, disputeID string, actions ...string) []string {
	e.T.Helper()
	var notes []string
	for _, entry := range testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, disputeID))(e.T) {
		for _, a := range actions {
			if entry.Action == a {
				notes = append(notes, entry.Note)
			}
		}
	}
	return notes
}

// TestStripeAnswersArePushedToStripe sends staged and submitted evidence and a concession to
// stripe-mock, which checks the requests' shape. (Moved from cmd/disputed, where it ran on SQLite.)
func TestStripeAnswersArePushedToStripe(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	e.CompileByHand()
	e.StripeProvider("sk_test_123", stripemock.Start(t))
	d := stripeDispute(e, "P1")
	testenv.Must(update(e, d.ID, d.Revision, dispute.UpdateParams{Evidence: map[string]string{
		"customer_name": "Ada", "uncategorized_text": "logs attached", "product_description": "IPTV"}}))(t)
	e.RunJobs()
	testenv.Must(e.App.SubmitDispute(e.Ctx, testenv.Admin, d.ID, nil))(t)
	e.RunJobs()
	if notes := pushNotes(e, d.ID, "pushed_to_provider", "provider_push_failed"); len(notes) != 2 ||
		!strings.HasPrefix(notes[0], "evidence staged at stripe") || !strings.HasPrefix(notes[1], "evidence submitted to stripe") {
		t.Fatalf("pushes: %q", notes)
	}

	conceded := stripeDispute(e, "P2")
	testenv.Must(e.App.CloseDispute(e.Ctx, testenv.Admin, conceded.ID, nil, ""))(t)
	e.RunJobs()
	if pushed := pushNotes(e, conceded.ID, "pushed_to_provider"); len(pushed) != 1 || pushed[0] != "concession sent to stripe" ||
		e.Reload(conceded).Status != dispute.Lost {
		t.Fatalf("concession: %q, status %s", pushed, e.Reload(conceded).Status)
	}
	if dead := jobsOf(t, e, store.JobFilter{State: "dead", Page: store.Page{Limit: 100}}); len(dead) != 0 {
		t.Fatalf("dead jobs: %+v", dead)
	}
}
