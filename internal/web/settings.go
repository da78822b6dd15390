package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"disputed/internal/app"
	"disputed/internal/deadline"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/notify"
	"disputed/internal/store"
)

// The settings page: the merchant settings the API's /v1/settings reads and saves, admins only
// (the use cases refuse anyone else). The form has one fieldset per subject; a subject of its
// own (say, the dispute fields an admin defines) is one more fieldset, one more settingsForm
// field and one more line in settingsParams.

// settingsForm is the settings as the form shows them: saved ones, or those typed in a refused
// form.
type settingsForm struct {
	MerchantName    string
	BlockOnDispute  bool
	ReminderOffsets string // "72h, 24h"
	Emails          []emailSwitch
	PartyItems      string
	PartyBytes      string
	TotalItems      string
	TotalBytes      string
	// Fields are the extended fields' definitions and, last, an empty one to add.
	Fields              []dispute.FieldDefinition
	AppSelfRegistration bool
	Profile             profileForm
	ReportingCurrency   string
	// AlertWindows are the refund windows by alert type, in hours as typed.
	AlertWindows []alertWindowInput
	Fees         feesForm
	Monitoring   monitoringForm
	// OrderMetadataKey is the metadata key naming a provider payment's order.
	OrderMetadataKey string
}

// alertWindowInput is one alert type's refund window in the form, with the published one.
type alertWindowInput struct {
	Type      dispute.AlertType
	Hours     string
	Published int
}

// Input is the name of the window's form input.
func (a alertWindowInput) Input() string { return "alert_window." + string(a.Type) }

// emailSwitch is a customer email template switched on or off.
type emailSwitch struct {
	Name, Label string
	On          bool
}

type settingsPage struct {
	Form settingsForm
	// Errors are the refusals shown beside their field, by the field's name in the API
	// ("merchant_name", "reminder_offsets", "evidence_limits.party_items").
	Errors  map[string]string
	Message string
}

// FieldTypes are the types an extended field may have, for the form's choice.
func (settingsPage) FieldTypes() []dispute.FieldType { return dispute.FieldTypes }

func (p settingsPage) problem() string { return p.Message }

// Problem is the refusal shown beside the field name.
func (p settingsPage) Problem(name string) string { return p.Errors[name] }

func settingsFormOf(s store.Settings) settingsForm {
	f := settingsForm{MerchantName: s.MerchantName, BlockOnDispute: s.BlockOnDispute, AppSelfRegistration: s.AppSelfRegistration,
		Profile: profileFormOf(s.Profile), ReportingCurrency: app.EffectiveReportingCurrency(s), Fees: feesFormOf(s),
		Monitoring: monitoringFormOf(s), OrderMetadataKey: app.EffectiveOrderMetadataKey(s)}
	var parts []string
	for _, o := range app.EffectiveReminders(s) {
		parts = append(parts, deadline.FormatOffset(o))
	}
	f.ReminderOffsets = strings.Join(parts, ", ")
	for _, t := range notify.Templates {
		f.Emails = append(f.Emails, emailSwitch{Name: string(t), Label: capitalize(humanize(string(t))), On: !slices.Contains(s.EmailsOff, string(t))})
	}
	l := app.EffectiveEvidenceLimits(s)
	f.PartyItems, f.PartyBytes = strconv.FormatInt(l.PartyItems, 10), strconv.FormatInt(l.PartyBytes, 10)
	f.TotalItems, f.TotalBytes = strconv.FormatInt(l.TotalItems, 10), strconv.FormatInt(l.TotalBytes, 10)
	f.Fields = append(slices.Clone(s.ExtendedFields), dispute.FieldDefinition{Type: dispute.FieldString})
	windows := dispute.AlertWindows(s.AlertRefundWindows)
	for _, t := range dispute.AlertTypes {
		f.AlertWindows = append(f.AlertWindows, alertWindowInput{Type: t, Hours: strconv.Itoa(windows[t]), Published: dispute.PublishedAlertWindow(t).Hours})
	}
	return f
}

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request) {
	st, err := s.app.Settings(r.Context(), visitorOf(r.Context()).Who)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "settings.html", "Settings", settingsPage{Form: settingsFormOf(st)})
}

func (s *Server) saveSettings(w http.ResponseWriter, r *http.Request) {
	who := visitorOf(r.Context()).Who
	f := settingsForm{MerchantName: r.PostFormValue("merchant_name"), BlockOnDispute: r.PostFormValue("block_on_dispute") == "yes",
		AppSelfRegistration: r.PostFormValue("app_self_registration") == "yes",
		ReminderOffsets:     r.PostFormValue("reminder_offsets"), PartyItems: r.PostFormValue("party_items"),
		PartyBytes: r.PostFormValue("party_bytes"), TotalItems: r.PostFormValue("total_items"), TotalBytes: r.PostFormValue("total_bytes"),
		Profile: profilePosted(r), ReportingCurrency: strings.TrimSpace(r.PostFormValue("reporting_currency")), Fees: feesPosted(r),
		Monitoring: monitoringPosted(r), OrderMetadataKey: strings.TrimSpace(r.PostFormValue("order_metadata_key"))}
	on := r.PostForm["emails"]
	for _, t := range notify.Templates {
		f.Emails = append(f.Emails, emailSwitch{Name: string(t), Label: capitalize(humanize(string(t))), On: slices.Contains(on, string(t))})
	}
	f.Fields = fieldsPosted(r)
	for _, t := range dispute.AlertTypes {
		in := alertWindowInput{Type: t, Published: dispute.PublishedAlertWindow(t).Hours}
		in.Hours = r.PostFormValue(in.Input())
		f.AlertWindows = append(f.AlertWindows, in)
	}
	p, err := settingsParams(f)
	if err == nil {
		_, err = s.app.SaveSettings(r.Context(), who, p)
	}
	if err != nil {
		status, msg, ok := formProblem(err)
		if !ok {
			s.failWith(w, r, err)
			return
		}
		page := settingsPage{Form: f, Message: "The settings were not saved: " + msg, Errors: map[string]string{}}
		if f, ok := fault.As(err); ok && f.Param != "" {
			switch { // a row's refusal is shown beside its fieldset, the row named in msg
			case strings.HasPrefix(f.Param, "extended_fields"):
				page.Errors["extended_fields"] = msg
			case strings.HasPrefix(f.Param, "fee_table"):
				page.Errors["fee_table"] = f.Param + ": " + msg
			case strings.HasPrefix(f.Param, "monitoring_programs"):
				page.Errors["monitoring_programs"] = f.Param + ": " + msg
			default:
				page.Errors[f.Param] = msg
			}
		}
		s.render(w, r, status, "settings.html", "Settings", page)
		return
	}
	done(w, r, "/settings", noticeSettingsSaved)
}

// settingsParams reads the form into the use case's parameters; every field is sent, so that
// the page saves what it shows.
func settingsParams(f settingsForm) (app.SettingsParams, error) {
	offsets := []string{}
	for o := range strings.SplitSeq(f.ReminderOffsets, ",") {
		if o = strings.TrimSpace(o); o != "" {
			offsets = append(offsets, o)
		}
	}
	emails := map[string]bool{}
	for _, e := range f.Emails {
		emails[e.Name] = e.On
	}
	var limits app.EvidenceLimitsParams
	for _, l := range []struct {
		name, value string
		to          **int64
	}{{"party_items", f.PartyItems, &limits.PartyItems}, {"party_bytes", f.PartyBytes, &limits.PartyBytes},
		{"total_items", f.TotalItems, &limits.TotalItems}, {"total_bytes", f.TotalBytes, &limits.TotalBytes}} {
		n, err := strconv.ParseInt(strings.TrimSpace(l.value), 10, 64)
		if err != nil {
			return app.SettingsParams{}, fault.Invalidf(fault.CodeInvalidValue, "evidence_limits."+l.name, "a whole number is needed")
		}
		*l.to = &n
	}
	windows := map[dispute.AlertType]int{}
	for _, w := range f.AlertWindows {
		if strings.TrimSpace(w.Hours) == "" {
			continue // the published window
		}
		h, err := strconv.Atoi(strings.TrimSpace(w.Hours))
		if err != nil {
			return app.SettingsParams{}, fault.Invalidf(fault.CodeInvalidValue, "alert_refund_windows."+string(w.Type), "a whole number of hours is needed (0 for none, empty for the published window)")
		}
		if h != w.Published { // the published window stays in force, and follows its data file
			windows[w.Type] = h
		}
	}
	defs := slices.DeleteFunc(slices.Clone(f.Fields), func(d dispute.FieldDefinition) bool { return d.Name == "" })
	table, handling, err := f.Fees.params()
	if err != nil {
		return app.SettingsParams{}, err
	}
	programs, approach, err := f.Monitoring.params()
	if err != nil {
		return app.SettingsParams{}, err
	}
	return app.SettingsParams{MerchantName: &f.MerchantName, BlockOnDispute: &f.BlockOnDispute, ReminderOffsets: &offsets,
		Emails: emails, EvidenceLimits: &limits, ExtendedFields: &defs, AppSelfRegistration: &f.AppSelfRegistration,
		Profile: f.Profile.params(), ReportingCurrency: &f.ReportingCurrency, AlertRefundWindows: &windows,
		FeeTable: table, HandlingCost: handling, MonitoringPrograms: programs, MonitoringApproach: approach,
		OrderMetadataKey: &f.OrderMetadataKey}, nil
}

// fieldsPosted are the extended fields' rows of the form, in order, but those ticked for removal;
// an empty row (the one offered for adding) adds nothing. A refused form shows them again, with
// an empty row.
func fieldsPosted(r *http.Request) []dispute.FieldDefinition {
	names, types, labels := r.PostForm["field_name"], r.PostForm["field_type"], r.PostForm["field_label"]
	var out []dispute.FieldDefinition
	for i, name := range names {
		name = strings.TrimSpace(name)
		if name == "" || slices.Contains(r.PostForm["field_remove"], strconv.Itoa(i)) {
			continue
		}
		f := dispute.FieldDefinition{Name: name, Type: dispute.FieldString}
		if i < len(types) {
			f.Type = dispute.FieldType(types[i])
		}
		if i < len(labels) {
			f.Label = strings.TrimSpace(labels[i])
		}
		out = append(out, f)
	}
	return append(out, dispute.FieldDefinition{Type: dispute.FieldString})
}
