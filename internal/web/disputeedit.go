package web

import (
	"net/http"
	"strings"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
)

// The dispute page's edits of the dispute itself: matching an unmatched dispute to its charge,
// and its due date and tags. Both go through UpdateDispute, as the API's update does.

// matchForm matches an unmatched dispute to a charge, by our transaction id or the provider's
// charge id.
type matchForm struct{ Charge, Error string }

// detailsForm edits the due date (YYYY-MM-DDTHH:MM, UTC; empty removes it) and the tags
// (separated by commas).
type detailsForm struct{ DueBy, Tags, Error string }

func detailsFormOf(d dispute.Dispute) detailsForm {
	f := detailsForm{Tags: strings.Join(d.Tags, ", ")}
	if !d.DueBy.IsZero() {
		f.DueBy = d.DueBy.UTC().Format("2006-01-02T15:04")
	}
	return f
}

func (s *Server) matchDispute(w http.ResponseWriter, r *http.Request) {
	f := matchForm{Charge: strings.TrimSpace(r.PostFormValue("charge"))}
	s.disputeAction(w, r, func(rev *int64) (notice, error) {
		if rev == nil {
			return "", fault.New(fault.Malformed, fault.CodeParameterMissing, "revision", "the form lacks the dispute's revision: reload the page")
		}
		if f.Charge == "" {
			return "", formInvalid("Give the charge's transaction id or the provider's charge id.")
		}
		_, err := s.app.UpdateDispute(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"), *rev,
			app.UpdateDisputeParams{TransactionID: f.Charge})
		return noticeDisputeMatched, err
	}, func(p *disputePage, msg string) { f.Error = msg; p.MatchForm = f })
}

func (s *Server) editDetails(w http.ResponseWriter, r *http.Request) {
	f := detailsForm{DueBy: strings.TrimSpace(r.PostFormValue("due_by")), Tags: r.PostFormValue("tags")}
	s.disputeAction(w, r, func(rev *int64) (notice, error) {
		if rev == nil {
			return "", fault.New(fault.Malformed, fault.CodeParameterMissing, "revision", "the form lacks the dispute's revision: reload the page")
		}
		due, err := parseDue(f.DueBy)
		if err != nil {
			return "", formInvalid("The due date is not a date and time (YYYY-MM-DD HH:MM, UTC).")
		}
		tags := []string{}
		for t := range strings.SplitSeq(f.Tags, ",") {
			if t = strings.TrimSpace(t); t != "" {
				tags = append(tags, t)
			}
		}
		_, err = s.app.UpdateDispute(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"), *rev,
			app.UpdateDisputeParams{UpdateParams: dispute.UpdateParams{DueBy: &due, Tags: &tags}})
		return noticeDisputeUpdated, err
	}, func(p *disputePage, msg string) { f.Error = msg; p.DetailsForm = f })
}
