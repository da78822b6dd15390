package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/jobs"
	"disputed/internal/money"
	"disputed/internal/notify"
	"disputed/internal/order"
	"disputed/internal/store"
)

// Mailer sends customer emails: internal/notify's SMTP sender.
type Mailer interface {
	From() string
	Send(ctx context.Context, e notify.Email) error
}

// KindSendEmail is the job that hands one recorded email to the SMTP server.
const KindSendEmail = "email.send"

// EmailAttempts is how often an email is tried before it is marked failed: with the runner's
// backoff (2 s doubling up to an hour, with jitter) about two hours of trying.
const EmailAttempts = 12

// noSMTP is why emails are not sent when the server has no SMTP configuration.
const noSMTP = "no SMTP server is configured (set DISPUTED_SMTP_URL)"

// mail records a customer email about an order (and the dispute, when there is one) and, when
// an SMTP server is configured, schedules it to be sent. Every email is recorded, also when it
// cannot be sent, and none is claimed as sent before the server accepted it. A template the
// merchant switched off is not written at all. It is kept as its template, version and data
// (notify.Store), and rendered when read (readEmail, listEmails) or sent.
func (a *App) mail(ctx context.Context, tx store.Tx, now time.Time, t notify.Template, o order.Order, d *dispute.Dispute) error {
	settings, err := tx.GetSettings(ctx)
	if err != nil {
		return err
	}
	if slices.Contains(settings.EmailsOff, string(t)) || o.CustomerID == "" {
		return nil
	}
	c, err := tx.GetCustomer(ctx, o.CustomerID)
	if err != nil {
		return store.NotFound(err, "customer", o.CustomerID)
	}
	data, err := a.mailData(ctx, tx, settings, c, o, d)
	if err != nil {
		return err
	}
	version, kept, err := notify.Store(t, data)
	if err != nil {
		return fmt.Errorf("write the %s email: %w", t, err)
	}
	e := store.Email{ID: a.ids.New("eml"), Template: string(t), TemplateVersion: version, Data: kept, OrderID: o.ID,
		CustomerID: c.ID, To: c.Email, ToName: c.Name}
	if d != nil {
		e.DisputeID = d.ID
	}
	return a.queueEmail(ctx, tx, now, e, "the customer has no email address")
}

// queueEmail records an email and, when it can be sent, schedules its sending; its timeline entry
// says which. noAddress is why an email without a recipient is not sent.
func (a *App) queueEmail(ctx context.Context, tx store.Tx, now time.Time, e store.Email, noAddress string) error {
	e.State, e.CreatedAt, e.UpdatedAt = store.EmailQueued, now, now
	switch {
	case e.To == "":
		e.State, e.Reason = store.EmailNotSent, noAddress
	case a.mailer == nil:
		e.State, e.Reason = store.EmailNotSent, noSMTP
	default:
		e.From = a.mailer.From()
	}
	if err := tx.InsertEmail(ctx, e); err != nil {
		return err
	}
	note := e.Template + " to " + e.To
	if e.Reason != "" {
		note += ": " + e.Reason
	}
	if err := a.timeline(ctx, tx, now, entry{disputeID: e.DisputeID, orderID: e.OrderID, actor: actor.System.String(),
		action: "email_" + e.State, note: note}); err != nil {
		return err
	}
	if e.State != store.EmailQueued {
		return nil
	}
	return a.enqueue(ctx, tx, now, store.Job{Kind: KindSendEmail, Key: "email:" + e.ID, Subject: e.ID, RunAt: now})
}

func (a *App) mailData(ctx context.Context, r store.Reader, s store.Settings, c store.Customer, o order.Order, d *dispute.Dispute) (notify.Data, error) {
	total, err := money.FormatDecimal(o.Total, o.Currency)
	if err != nil {
		return notify.Data{}, err
	}
	lines, err := r.LinesOfOrder(ctx, o.ID)
	if err != nil {
		return notify.Data{}, err
	}
	data := notify.Data{MerchantName: s.MerchantName, CustomerName: c.Name, CustomerEmail: c.Email, OrderID: o.ID,
		OrderTotal: total + " " + o.Currency, Lines: len(lines), VoidReason: o.VoidReason}
	for _, it := range o.Items {
		data.Items = append(data.Items, it.Description)
	}
	if d != nil {
		data.DisputeID, data.DisputeType, data.Reason = d.ID, string(d.Type), cmp.Or(d.Reason, d.Description)
		data.Resolution, data.ExternalReference, data.DueBy = string(d.Resolution), d.ExternalReference, d.DueBy
	}
	return data, nil
}

// mailDispute writes the emails a dispute's change means for its customer: the dispute opened
// (with the service suspended), or evidence asked of the buyer, and the dispute resolved. A
// dispute closed because its order was voided gets the voided order's email instead.
func (a *App) mailDispute(ctx context.Context, tx store.Tx, now time.Time, d *dispute.Dispute, ch dispute.Change) error {
	var t notify.Template
	switch {
	case d.OrderID == "" || d.Type == dispute.Alert || d.Type == dispute.Inquiry:
		return nil // an alert or an inquiry is not the customer's business yet
	case slices.Contains(ch.Events, "dispute.created") && d.Type == dispute.Marketplace && d.InitiatedBy == dispute.Vendor:
		t = notify.EvidenceRequested
	case slices.Contains(ch.Events, "dispute.created"):
		t = notify.DisputeOpened
	case ch.Outcome != dispute.OutcomeNone && d.Resolution != dispute.Voided:
		t = notify.DisputeResolved
	default:
		return nil
	}
	o, err := tx.GetOrder(ctx, d.OrderID)
	if err != nil {
		return err
	}
	return a.mail(ctx, tx, now, t, o, d)
}

// lineSettled writes the customer email for a line action once it is done on every line of the
// order that needed it: service restored, or service terminated (not for a voided order, whose
// own email says so).
func (a *App) lineSettled(ctx context.Context, tx store.Tx, now time.Time, l order.Line, done order.LineAction) error {
	var t notify.Template
	switch done {
	case order.Enable:
		t = notify.ServiceRestored
	case order.Terminate:
		t = notify.ServiceTerminated
	default:
		return nil
	}
	lines, err := tx.LinesOfOrder(ctx, l.OrderID)
	if err != nil {
		return err
	}
	for _, other := range lines {
		if other.PendingAction == done {
			return nil // the email goes when the last one is done
		}
	}
	o, err := tx.GetOrder(ctx, l.OrderID)
	if err != nil || o.Status == order.Voided {
		return err
	}
	var d *dispute.Dispute
	if last, err := a.lastDisputeOf(ctx, tx, o.ID); err != nil {
		return err
	} else if last.ID != "" {
		d = &last
	}
	return a.mail(ctx, tx, now, t, o, d)
}

// lastDisputeOf is the order's most recent dispute, or the zero dispute.
func (a *App) lastDisputeOf(ctx context.Context, r store.Reader, orderID string) (dispute.Dispute, error) {
	ds, err := r.ListDisputes(ctx, store.DisputeFilter{OrderID: orderID, Page: store.Page{Limit: 1}})
	if err != nil || len(ds) == 0 {
		return dispute.Dispute{}, err
	}
	return ds[0], nil
}

// SendEmail is the email.send job: it hands the email to the SMTP server, outside any
// transaction, and records that it was sent. A server that refuses it for good (a 5xx reply)
// is not asked again.
func (a *App) SendEmail(ctx context.Context, job store.Job) (jobs.Record, error) {
	e, err := readEmail(ctx, a.store, job.Subject)
	if errors.Is(err, store.ErrNotFound) || (err == nil && e.State != store.EmailQueued) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if a.mailer == nil {
		return nil, jobs.Permanent(errors.New(noSMTP))
	}
	err = a.mailer.Send(ctx, notify.Email{ID: e.ID, To: e.To, ToName: e.ToName, Subject: e.Subject, Text: e.Body})
	if notify.IsPermanent(err) {
		return nil, jobs.Permanent(err)
	}
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, tx store.Tx) error {
		now := a.clock()
		e.From, e.State, e.Reason, e.Attempts, e.UpdatedAt, e.SentAt = a.mailer.From(), store.EmailSent, "", job.Attempts, now, now
		if err := tx.UpdateEmail(ctx, e); err != nil {
			return err
		}
		if err := a.compileAfterEmail(ctx, tx, now, e); err != nil {
			return err
		}
		return a.timeline(ctx, tx, now, entry{disputeID: e.DisputeID, orderID: e.OrderID, actor: actor.System.String(),
			action: "email_sent", note: e.Template + " to " + e.To})
	}, nil
}

// EmailFailed records a failed attempt to send an email; when it will not be tried again, the
// email is marked failed (or not sent, when the server lost its SMTP configuration meanwhile).
func (a *App) EmailFailed(ctx context.Context, tx store.Tx, job store.Job, cause error, dead bool) error {
	e, err := tx.GetEmail(ctx, job.Subject)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	now := a.clock()
	e.Attempts, e.Reason, e.UpdatedAt = job.Attempts, cause.Error(), now
	if dead {
		e.State = store.EmailFailed
		if a.mailer == nil {
			e.State = store.EmailNotSent
		}
	}
	if err := tx.UpdateEmail(ctx, e); err != nil {
		return err
	}
	if !dead {
		return nil
	}
	return a.timeline(ctx, tx, now, entry{disputeID: e.DisputeID, orderID: e.OrderID, actor: actor.System.String(),
		action: "email_" + e.State, note: e.Template + " to " + e.To + ": " + e.Reason})
}

// Emails lists the customer emails about a dispute or an order, oldest first.
func (a *App) Emails(ctx context.Context, who actor.Actor, f store.EmailFilter) ([]store.Email, error) {
	if err := staff(who, "read customer emails"); err != nil {
		return nil, err
	}
	var err error
	if f.DisputeID != "" {
		_, err = a.store.GetDispute(ctx, f.DisputeID)
		err = store.NotFound(err, "dispute", f.DisputeID)
	} else {
		_, err = a.store.GetOrder(ctx, f.OrderID)
		err = store.NotFound(err, "order", f.OrderID)
	}
	if err != nil {
		return nil, err
	}
	return listEmails(ctx, a.store, f)
}

// readEmail is the stored email of that id as its customer reads it: rendered, when it was
// kept as its template, version and data (store.Email), from them.
func readEmail(ctx context.Context, r store.Reader, id string) (store.Email, error) {
	e, err := r.GetEmail(ctx, id)
	if err != nil {
		return e, err
	}
	return rendered(e)
}

// listEmails is store.Reader.ListEmails with each email as readEmail gives it.
func listEmails(ctx context.Context, r store.Reader, f store.EmailFilter) ([]store.Email, error) {
	emails, err := r.ListEmails(ctx, f)
	if err != nil {
		return nil, err
	}
	for i := range emails {
		if emails[i], err = rendered(emails[i]); err != nil {
			return nil, err
		}
	}
	return emails, nil
}

// rendered is e with its subject and text: as kept, or rendered from its template, version and
// data.
func rendered(e store.Email) (store.Email, error) {
	if e.TemplateVersion == 0 {
		return e, nil
	}
	m, err := notify.ReadStored(e.Template, e.TemplateVersion, e.Data)
	if err != nil {
		return store.Email{}, fmt.Errorf("email %s: %w", e.ID, err)
	}
	e.Subject, e.Body = m.Subject, m.Text
	return e, nil
}
