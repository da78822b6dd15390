package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/fault"
)

// adminRoutes are the staff's pages: the dashboard, the Analytics page (admins: analytics.go),
// the dispute list, a dispute and an order, and the actions on them. Every action is a plain form post answered with a redirect
// (Post/Redirect/Get), or with the page again and the reason when it was refused.
func (s *Server) adminRoutes() {
	m := s.mux
	staff := func(h http.HandlerFunc) http.HandlerFunc { return s.signedIn(true, h) }
	m.HandleFunc("GET /{$}", staff(s.dashboard))
	m.HandleFunc("GET /analytics", staff(s.analyticsPage))
	m.HandleFunc("GET /analytics/outcomes.csv", staff(s.exportOutcomes))
	m.HandleFunc("GET /disputes", staff(s.disputeList))
	m.HandleFunc("GET /disputes.csv", staff(s.exportDisputes))
	m.HandleFunc("GET /transactions.csv", staff(s.exportTransactions))
	m.HandleFunc("GET /disputes/{id}", staff(s.disputePage))
	m.HandleFunc("POST /disputes/{id}/notes", staff(s.addNote))
	m.HandleLimited("POST /disputes/{id}/evidence", evidenceMaxBody, s.upload(true, s.addEvidence))
	m.HandleFunc("GET /disputes/{id}/evidence/{item}/file", staff(s.evidenceFile))
	m.HandleLimited("POST /disputes/{id}/staged", stagedFormLimit, staff(s.stageEvidence))
	m.HandleFunc("POST /disputes/{id}/submit", staff(s.submitEvidence))
	m.HandleFunc("POST /disputes/{id}/compile", staff(s.compileEvidence))
	m.HandleLimited("POST /disputes/{id}/cover-letter", stagedFormLimit, staff(s.saveCoverLetter))
	m.HandleFunc("GET /disputes/{id}/packet.pdf", staff(s.packetPDF))
	m.HandleFunc("POST /disputes/{id}/concede", staff(s.concede))
	m.HandleFunc("POST /disputes/{id}/status", staff(s.moveDispute))
	m.HandleFunc("POST /disputes/{id}/resolve", staff(s.resolveDispute))
	m.HandleFunc("POST /disputes/{id}/refund", staff(s.refundAlert))
	m.HandleFunc("POST /disputes/{id}/match", staff(s.matchDispute))
	m.HandleFunc("POST /disputes/{id}/details", staff(s.editDetails))
	m.HandleFunc("GET /orders", staff(s.findOrder))
	m.HandleFunc("GET /orders/{id}", staff(s.orderPage))
	m.HandleFunc("POST /orders/{id}/void", staff(s.voidOrder))
	m.HandleFunc("POST /orders/{id}/dispute", staff(s.openDispute))
	m.HandleFunc("POST /orders/{id}/refund", staff(s.refundCharge))
	m.HandleFunc("POST /lines/{id}/confirm", staff(s.confirmLine))
	m.HandleFunc("GET /reason-codes", staff(s.reasonCodesPage))
}

// chip is a short label with the CSS class that colours it.
type chip struct {
	Text  string
	Class string
}

// words turns an API value into words: needs_response → needs response.
func humanize(s string) string { return strings.ReplaceAll(s, "_", " ") }

// statusBadge colours a dispute status by what it means for the merchant.
func statusBadge(s dispute.Status) chip {
	class := "neutral"
	switch s {
	case dispute.NeedsResponse, dispute.WarningNeedsResponse, dispute.Open:
		class = "act"
	case dispute.UnderReview, dispute.WarningUnderReview, dispute.PendingReview, dispute.Escalated:
		class = "wait"
	case dispute.Won, dispute.WarningClosed:
		class = "good"
	case dispute.Lost:
		class = "bad"
	}
	return chip{Text: humanize(string(s)), Class: "status " + class}
}

// deadlineBadge says how close a dispute's due date is, when something must be done by it;
// a due date nobody has to meet any more (evidence submitted, dispute ended) gets no chip.
func deadlineBadge(d dispute.Dispute, now time.Time) chip {
	if !d.AwaitsResponse() {
		return chip{}
	}
	u := urgency(d.DueBy, now)
	switch u {
	case "overdue":
		return chip{Text: "overdue by " + roughly(now.Sub(d.DueBy)), Class: "deadline overdue"}
	case "due24", "due72":
		return chip{Text: "due in " + roughly(d.DueBy.Sub(now)), Class: "deadline " + u}
	}
	return chip{Text: "due in " + roughly(d.DueBy.Sub(now)), Class: "deadline later"}
}

// roughly is a duration for people: 40 min, 5 h, 3 d.
func roughly(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", max(int(d/time.Minute), 1))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d/time.Hour))
	}
	return fmt.Sprintf("%d d", int(d/(24*time.Hour)))
}

// refusal is what a page shows when an action was refused: the use case's message, with the
// lost race against another change said plainly.
func refusal(err error) (int, string) {
	status, msg := statusOf(err)
	if fault.Code(err) == fault.CodeRevisionConflict {
		msg = "Someone changed this dispute while you had the page open. Check it as it is now, then try again."
	}
	return status, msg
}

// revisionOf reads the revision a dispute form was rendered with.
func revisionOf(r *http.Request) (*int64, error) {
	v := r.PostFormValue("revision")
	if v == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return nil, fault.New(fault.Malformed, fault.CodeInvalidType, "revision", "the form's revision is not a positive number")
	}
	return &n, nil
}

// ticked reports whether the form's confirmation checkbox is ticked.
func ticked(r *http.Request) bool { return r.PostFormValue("confirm") == "yes" }

// backTo is where an action on a line returns: the order or dispute page it was shown on.
func backTo(r *http.Request, fallback string) string {
	back := safeNext(r.PostFormValue("back"))
	u, err := url.Parse(back)
	if err != nil || u.RawQuery != "" || u.Fragment != "" {
		return fallback
	}
	for _, prefix := range []string{"/orders/", "/disputes/"} {
		if rest, ok := strings.CutPrefix(u.Path, prefix); ok && rest != "" && !strings.Contains(rest, "/") {
			return u.Path
		}
	}
	return fallback
}

// manualProviderLink is the provider's page of a manual dispute whose case number (or external
// reference) has the form of a provider's dispute id (a PayPal case id: provider.Type.CaseID):
// an admin who typed it in can open the case in one click, as for a dispute that came from the
// provider itself.
func (s *Server) manualProviderLink(d dispute.Dispute) (providerType, link string) {
	if d.Type != dispute.Manual || d.ProviderDisputeID != "" {
		return "", ""
	}
	for _, ref := range []string{d.CaseNumber, d.ExternalReference} {
		if typ, link := s.app.ProviderCaseOf(ref); link != "" {
			return typ, link
		}
	}
	return "", ""
}

// statusOptions lists every status a dispute of any type can be in, for the list's filter.
func statusOptions() []string {
	var out []string
	for _, st := range dispute.AllStatuses() {
		out = append(out, string(st))
	}
	return out
}
