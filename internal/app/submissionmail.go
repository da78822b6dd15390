package app

import (
	"context"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/money"
	"disputed/internal/notify"
	"disputed/internal/store"
)

// mailSubmissionFailed emails every admin user that an answer to a provider's dispute failed for
// good to reach the provider: the merchant must not find out from a dispute lost by default.
func (a *App) mailSubmissionFailed(ctx context.Context, tx store.Tx, now time.Time, d dispute.Dispute) error {
	return a.mailAdmins(ctx, tx, now, notify.SubmissionFailed, d, notify.StaffData{
		Provider: d.Provider, Kind: string(d.Submission.Kind), Error: d.Submission.Error})
}

// mailAdmins queues staff email t about d to every admin user who is not disabled; data's
// fields about d, the merchant and the link are filled here.
func (a *App) mailAdmins(ctx context.Context, tx store.Tx, now time.Time, t notify.StaffTemplate, d dispute.Dispute, data notify.StaffData) error {
	data.DisputeID, data.OrderID, data.DueBy = d.ID, d.OrderID, d.DueBy
	data.Link = a.publicURL + "/disputes/" + d.ID
	if amount, err := money.FormatDecimal(d.Amount, d.Currency); err == nil {
		data.Amount = amount + " " + strings.ToUpper(d.Currency)
	}
	return a.queueAdminMail(ctx, tx, now, t, data)
}

// queueAdminMail queues staff email t to every admin user who is not disabled, recorded against
// data's dispute and order when it names them; the merchant's name is filled here.
func (a *App) queueAdminMail(ctx context.Context, tx store.Tx, now time.Time, t notify.StaffTemplate, data notify.StaffData) error {
	settings, err := tx.GetSettings(ctx)
	if err != nil {
		return err
	}
	users, err := tx.ListUsers(ctx)
	if err != nil {
		return err
	}
	data.MerchantName = settings.MerchantName
	msg, err := notify.RenderStaff(t, data)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Role != string(actor.Admin) || !u.DisabledAt.IsZero() {
			continue
		}
		e := store.Email{ID: a.ids.New("eml"), Template: string(t), DisputeID: data.DisputeID, OrderID: data.OrderID,
			To: u.Email, Subject: msg.Subject, Body: msg.Text}
		if err := a.queueEmail(ctx, tx, now, e, "the admin has no email address"); err != nil {
			return err
		}
	}
	return nil
}
