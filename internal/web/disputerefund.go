package web

import (
	"net/http"

	"disputed/internal/app"
	"disputed/internal/dispute"
)

// The dispute page's refund of an open alert or inquiry through the provider of its charge
// (POST /v1/disputes/{id}/refund in the API), offered with the amount and the alert window's end.

// refundAlertForm is the refund form as typed, to show again when refused.
type refundAlertForm struct{ Reason, Error string }

// refundOffer is the refund the page offers for d, with the provider as people name it; nil
// when it can have none.
func (s *Server) refundOffer(r *http.Request, d dispute.Dispute) (*app.RefundOffer, error) {
	offer, ok, err := s.app.OfferRefund(r.Context(), visitorOf(r.Context()).Who, d)
	if err != nil || !ok {
		return nil, err
	}
	// An agent may not read the providers' configuration: it sees the configured name.
	if p, err := s.app.Provider(r.Context(), visitorOf(r.Context()).Who, offer.Provider); err == nil {
		offer.Provider = s.providerTitle(p.Name, p.Type)
	}
	return &offer, nil
}

func (s *Server) refundAlert(w http.ResponseWriter, r *http.Request) {
	f := refundAlertForm{Reason: r.PostFormValue("reason")}
	s.disputeAction(w, r, func(*int64) (notice, error) {
		if !ticked(r) {
			return "", formInvalid("Tick the box to confirm the refund; it cannot be undone.")
		}
		_, err := s.app.RefundDispute(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"), f.Reason)
		return noticeRefundSending, err
	}, func(p *disputePage, msg string) { f.Error = msg; p.RefundForm = f })
}
