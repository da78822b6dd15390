package web

import (
	"net/http"
	"time"

	"disputed/internal/store"
)

// timelineLine is a timeline entry in words, as the dispute and order pages show it.
type timelineLine struct {
	At      time.Time
	Who     string // the actor as people know it: an email, "API key …", "Stripe", "System"
	What    string // the action: "Details updated", "Evidence submitted"
	Change  string // "Needs response → Under review"; "" when nothing moved
	Detail  string // what the entry adds in words: "Evidence staged: customer_name"
	LineID  string
	Payload []byte
}

// actionWords are the timeline's actions in words; an action not here reads as its words
// (email_sent → Email sent).
var actionWords = map[string]string{
	"created":               "Dispute opened",
	"updated":               "Details updated",
	"evidence_added":        "Evidence item added",
	"submitted":             "Evidence submitted",
	"escalated":             "Escalated",
	"status_changed":        "Status changed",
	"resolved":              "Resolved",
	"conceded":              "Conceded",
	"expired":               "Due date passed without a response",
	"closed":                "Closed",
	"matched":               "Matched to a charge",
	"note_added":            "Note added",
	"customer_blocked":      "Customer blocked",
	"funds_withdrawn":       "Funds withdrawn by the chargeback",
	"funds_reinstated":      "Funds reinstated",
	"line_action_requested": "Service line action requested",
	"line_handed_to_admin":  "Service line handed to an admin",
	"order_created":         "Order created",
	"order_completed":       "Order completed",
	"order_status_changed":  "Order status changed",
	"order_updated":         "Order details updated",
	"order_voided":          "Order voided",
	"panel_call_failed":     "The panel call failed",
	"provider_event":        "Notification from the provider",
	"provider_push_failed":  "Sending to the provider failed",
	"pushed_to_provider":    "Sent to the provider",
	"refund_created":        "Refund recorded",
	"reminder_sent":         "Reminder sent",
	"sending_to_provider":   "Answer being sent to the provider",
	"submission_failed":     "The answer did not reach the provider",
	"transaction_created":   "Transaction recorded",
}

// describe is the one function that turns a timeline entry into words; names maps recorded
// actors to people's names (access.ActorNames).
func describe(e store.TimelineEntry, names map[string]string) timelineLine {
	l := timelineLine{At: e.CreatedAt, Who: names[e.Actor], What: actionWords[e.Action], Detail: e.Note,
		LineID: e.LineID, Payload: e.Payload}
	if l.Who == "" {
		l.Who = e.Actor
	}
	if l.What == "" {
		l.What = capitalize(humanize(e.Action))
	}
	switch {
	case e.From == e.To:
	case e.From == "": // a start: the state it started in
		l.Change = stateWords(e.To)
	default:
		l.Change = stateWords(e.From) + " → " + stateWords(e.To)
	}
	switch e.Action {
	case "created": // the note is the reason
		l.Detail = reasonWords(e.Note)
	case "matched":
		l.Detail = "Charge " + e.Note
	}
	return l
}

// stateWords is a status or state in words: needs_response → Needs response; none is "—".
func stateWords(s string) string {
	if s == "" {
		return "—"
	}
	return capitalize(humanize(s))
}

// timelineOf describes entries with their actors' names; visitors who may not learn who did
// what (parties) never reach it.
func (s *Server) timelineOf(r *http.Request, entries []store.TimelineEntry, more ...string) ([]timelineLine, map[string]string, error) {
	recorded := append([]string(nil), more...)
	for _, e := range entries {
		recorded = append(recorded, e.Actor)
	}
	names, err := s.access.ActorNames(r.Context(), visitorOf(r.Context()).Who, recorded)
	if err != nil {
		return nil, nil, err
	}
	out := make([]timelineLine, len(entries))
	for i, e := range entries {
		out[i] = describe(e, names)
	}
	return out, names, nil
}
