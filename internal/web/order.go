package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/store"
)

// orderPage is an order with its items, service lines and open dispute, and the Void and Open
// Dispute modals.
type orderPage struct {
	Order       order.Order
	Status      chip
	Customer    store.Customer
	Items       []itemRow
	Lines       []lineRow
	Dispute     *dispute.Dispute // the open dispute
	DisputeFlag chip
	NeedsManual bool
	CanVoid     bool
	CanDispute  bool
	Void        voidForm
	Open        openForm
	// Payments are the order's charges with their refunds; CanRefund offers each a refund form.
	Payments  []app.TransactionView
	CanRefund bool
	// CanForce offers an admin to refund a payment an open chargeback disputes, with a reason.
	CanForce bool
	Refund   refundForm
	Message  string
}

func (p orderPage) problem() string { return p.Message }

// Disputed reports whether an open chargeback disputes the payment v: a refund of it is then
// refused unless forced (app.Refund).
func (p orderPage) Disputed(v app.TransactionView) bool {
	return v.ActiveDispute != nil && (v.ActiveDispute.Type == dispute.Chargeback || v.ActiveDispute.Type == dispute.Manual)
}

// voidForm is the Void modal's form; Shown opens the modal without the URL's #void (after a
// refused submission).
type voidForm struct {
	Shown  bool
	Reason string
	Error  string
}

// openForm is the Open Dispute modal's form.
type openForm struct {
	Shown             bool
	Reason            string
	Description       string
	ExternalReference string
	DueBy             string
	Error             string
}

// itemRow is one item of an order and its service line, if any.
type itemRow struct {
	Number      int
	Description string
	Quantity    int64
	Amount      int64
	Subtotal    int64
	Currency    string
	Line        *lineRow
}

// lineRow is a service line as the order and dispute pages show it.
type lineRow struct {
	order.Line
	Description string
	State       chip
	// Waiting is true when the pending action waits for an admin to do it by hand and confirm.
	Waiting bool
	// Doing says what the pending action is in words: "suspend", "enable", "terminate".
	Doing string
	// Activity is what the customer did with the service, newest first.
	Activity lineActivity
}

func orderStatusBadge(s order.Status) chip {
	class := "neutral"
	switch s {
	case order.Completed:
		class = "good"
	case order.Voided, order.Refunded:
		class = "bad"
	case order.PartiallyRefunded:
		class = "wait"
	}
	return chip{Text: humanize(string(s)), Class: "status " + class}
}

func lineStateBadge(s order.LineState) chip {
	class := "neutral"
	switch s {
	case order.LineActive:
		class = "good"
	case order.LineSuspended:
		class = "wait"
	case order.LineTerminated:
		class = "bad"
	}
	return chip{Text: humanize(string(s)), Class: "status " + class}
}

// orderRows lays out an order's items and lines.
func orderRows(v app.OrderView) ([]itemRow, []lineRow) {
	o := v.Order
	items := make([]itemRow, len(o.Items))
	for i, it := range o.Items {
		items[i] = itemRow{Number: i + 1, Description: it.Description, Quantity: it.Quantity, Amount: it.Amount,
			Subtotal: it.Amount * it.Quantity, Currency: o.Currency}
	}
	lines := make([]lineRow, len(v.Lines))
	for i, l := range v.Lines {
		row := lineRow{Line: l, State: lineStateBadge(l.State), Waiting: l.Manual && l.PendingAction != order.NoAction,
			Doing: string(l.PendingAction)}
		if l.Item >= 0 && l.Item < len(items) {
			row.Description = items[l.Item].Description
		}
		lines[i] = row
	}
	for i := range lines {
		if it := lines[i].Item; it >= 0 && it < len(items) {
			items[it].Line = &lines[i]
		}
	}
	return items, lines
}

func (s *Server) loadOrder(r *http.Request, id string) (orderPage, error) {
	ctx := r.Context()
	who := visitorOf(ctx).Who
	v, err := s.app.Order(ctx, who, id)
	if err != nil {
		return orderPage{}, err
	}
	c, err := s.customer(r, v.Order.CustomerID)
	if err != nil {
		return orderPage{}, err
	}
	p := orderPage{Order: v.Order, Status: orderStatusBadge(v.Order.Status), Customer: c, Dispute: v.Dispute,
		NeedsManual: v.NeedsManualAction()}
	p.Items, p.Lines = orderRows(v)
	if err := s.addActivity(ctx, who, id, p.Lines); err != nil {
		return orderPage{}, err
	}
	if v.Dispute != nil {
		p.DisputeFlag = statusBadge(v.Dispute.Status)
	}
	completed := v.Order.Status == order.Completed
	p.CanVoid = completed && who.Role == actor.Admin
	p.CanDispute = completed && v.Dispute == nil
	if p.Payments, err = s.app.OrderPayments(ctx, who, id); err != nil {
		return orderPage{}, err
	}
	p.CanRefund = who.IsStaff()
	p.CanForce = who.IsAdmin()
	return p, nil
}

// customer is the order's buyer; a customer that is gone is shown as none.
func (s *Server) customer(r *http.Request, id string) (store.Customer, error) {
	if id == "" {
		return store.Customer{}, nil
	}
	c, err := s.app.Customer(r.Context(), visitorOf(r.Context()).Who, id)
	if f, ok := fault.As(err); ok && f.Kind == fault.NotFound {
		return store.Customer{ID: id}, nil
	}
	return c, err
}

func (s *Server) orderPage(w http.ResponseWriter, r *http.Request) {
	s.showOrder(w, r, http.StatusOK, r.PathValue("id"), nil)
}

// showOrder renders the order page, adjusted (a refused form shown again) when adjust is given.
func (s *Server) showOrder(w http.ResponseWriter, r *http.Request, status int, id string, adjust func(*orderPage)) {
	p, err := s.loadOrder(r, id)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	if adjust != nil {
		adjust(&p)
	}
	s.render(w, r, status, "order.html", "Order "+id, p)
}

// findOrder goes to the order whose id was typed in the dashboard's box.
func (s *Server) findOrder(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimSpace(r.URL.Query().Get("id"))
	if id == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/orders/"+url.PathEscape(id), http.StatusSeeOther)
}

// voidOrder voids the order: the reason and the ticked confirmation are required here as well as
// in the browser.
func (s *Server) voidOrder(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	reason := r.PostFormValue("reason")
	refuse := func(status int, msg string) {
		s.showOrder(w, r, status, id, func(p *orderPage) {
			p.Message, p.Void = msg, voidForm{Shown: p.CanVoid, Reason: reason, Error: msg}
		})
	}
	switch {
	case strings.TrimSpace(reason) == "":
		refuse(http.StatusUnprocessableEntity, "Give the reason for voiding the order.")
		return
	case !ticked(r):
		refuse(http.StatusUnprocessableEntity, "Tick the box to confirm that you understand voiding cannot be undone.")
		return
	}
	if _, err := s.app.VoidOrder(r.Context(), visitorOf(r.Context()).Who, id, app.VoidParams{Reason: reason}); err != nil {
		status, msg := refusal(err)
		if status == http.StatusNotFound {
			s.failWith(w, r, err)
			return
		}
		refuse(status, msg)
		return
	}
	done(w, r, "/orders/"+id, noticeOrderVoided)
}

// openDispute opens a manual dispute on the order from the Open Dispute modal.
func (s *Server) openDispute(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f := openForm{Reason: r.PostFormValue("reason"), Description: strings.TrimSpace(r.PostFormValue("description")), ExternalReference: strings.TrimSpace(r.PostFormValue("external_reference")),
		DueBy: strings.TrimSpace(r.PostFormValue("evidence_due_by"))}
	refuse := func(status int, msg string) {
		s.showOrder(w, r, status, id, func(p *orderPage) {
			f.Shown, f.Error = p.CanDispute, msg
			p.Message, p.Open = msg, f
		})
	}
	due, err := parseDue(f.DueBy)
	switch {
	case strings.TrimSpace(f.Reason) == "":
		refuse(http.StatusUnprocessableEntity, "Choose the reason for the dispute.")
		return
	case len(f.Description) > 5000:
		refuse(http.StatusUnprocessableEntity, "The description has at most 5,000 characters.")
		return
	case len(f.ExternalReference) > 255:
		refuse(http.StatusUnprocessableEntity, "The external reference has at most 255 characters.")
		return
	case err != nil:
		refuse(http.StatusUnprocessableEntity, "The evidence deadline is not a date and time (YYYY-MM-DD HH:MM, UTC).")
		return
	case !due.IsZero() && !due.After(s.cfg.Now()):
		refuse(http.StatusUnprocessableEntity, "The evidence deadline must be in the future.")
		return
	case !ticked(r):
		refuse(http.StatusUnprocessableEntity, "Tick the box to confirm that you open a dispute on this order.")
		return
	}
	_, err = s.app.OpenManualDispute(r.Context(), visitorOf(r.Context()).Who, id,
		app.ManualDisputeParams{Reason: f.Reason, Description: f.Description, ExternalReference: f.ExternalReference, EvidenceDueBy: due})
	if err != nil {
		status, msg := refusal(err)
		if status == http.StatusNotFound {
			s.failWith(w, r, err)
			return
		}
		refuse(status, msg)
		return
	}
	done(w, r, "/orders/"+id, noticeDisputeOpened)
}

// parseDue reads a datetime-local value (or a bare date, meaning the end of that day) in UTC.
func parseDue(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", v, time.UTC); err == nil {
		return t.Add(24*time.Hour - time.Minute), nil
	}
	return time.Time{}, errors.New("not a date")
}

// confirmLine records that an admin did a line's pending action by hand in the panel.
func (s *Server) confirmLine(w http.ResponseWriter, r *http.Request) {
	l, err := s.app.ConfirmLine(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"), r.PostFormValue("action"))
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	n := map[order.LineAction]notice{order.Suspend: noticeLineSuspended, order.Enable: noticeLineEnabled,
		order.Terminate: noticeLineTerminated}[order.LineAction(r.PostFormValue("action"))]
	done(w, r, backTo(r, "/orders/"+l.OrderID), n)
}
