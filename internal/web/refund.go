package web

import (
	"net/http"
	"slices"
	"strings"

	"disputed/internal/app"
	"disputed/internal/fault"
)

// Refunds from the order page: each payment of the order has a form that refunds part or all of
// what is left of it, sent to the provider or recorded as made elsewhere (external). Staff, as
// in the API; a payment an open chargeback disputes is refunded only when an admin forces it
// with a reason.

// refundForm is one payment's refund form as typed, to show again when refused.
type refundForm struct {
	Charge, Amount, Reason string
	External, Force        bool
	Error                  string
}

func (s *Server) refundCharge(w http.ResponseWriter, r *http.Request) {
	orderID := r.PathValue("id")
	f := refundForm{Charge: r.PostFormValue("charge"), Amount: strings.TrimSpace(r.PostFormValue("amount")),
		Reason: r.PostFormValue("reason"), External: r.PostFormValue("external") == "yes",
		Force: r.PostFormValue("force") == "yes"}
	who := visitorOf(r.Context()).Who
	err := func() error {
		pays, err := s.app.OrderPayments(r.Context(), who, orderID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(pays, func(v app.TransactionView) bool { return v.Transaction.ID == f.Charge }) {
			return fault.NotFoundf("payment", f.Charge)
		}
		if !ticked(r) {
			return formInvalid("Tick the box to confirm the refund; it cannot be undone.")
		}
		p := app.RefundParams{IsExternal: f.External, Reason: strings.TrimSpace(f.Reason), Force: f.Force}
		if f.Amount != "" {
			p.AmountDecimal = &f.Amount
		}
		_, err = s.app.Refund(r.Context(), who, f.Charge, p)
		return err
	}()
	if err != nil {
		status, msg, ok := formProblem(err)
		if !ok {
			s.failWith(w, r, err)
			return
		}
		f.Error = msg
		s.showOrder(w, r, status, orderID, func(p *orderPage) { p.Message, p.Refund = msg, f })
		return
	}
	done(w, r, "/orders/"+orderID, noticeRefundRecorded)
}
