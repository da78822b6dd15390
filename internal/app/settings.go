package app

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"disputed/internal/actor"
	"disputed/internal/deadline"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/fees"
	"disputed/internal/money"
	"disputed/internal/monitoring"
	"disputed/internal/notify"
	"disputed/internal/store"
)

// Settings returns the merchant settings.
func (a *App) Settings(ctx context.Context, who actor.Actor) (store.Settings, error) {
	if err := adminOnly(who, "read settings"); err != nil {
		return store.Settings{}, err
	}
	return a.store.GetSettings(ctx)
}

// SettingsParams change settings; nil fields are left alone.
type SettingsParams struct {
	BlockOnDispute  *bool
	MerchantName    *string
	ReminderOffsets *[]string       // durations such as "72h"; empty for no reminders
	Emails          map[string]bool // customer email templates switched on (true) or off (false)
	EvidenceLimits  *EvidenceLimitsParams
	// ExtendedFields replace the extended fields' definitions; values disputes hold of a field
	// removed stay on them, shown, until changed.
	ExtendedFields *[]dispute.FieldDefinition
	// AppSelfRegistration lets apps register themselves.
	AppSelfRegistration *bool
	// Profile changes the merchant's profile.
	Profile ProfileParams
	// ReportingCurrency is the ISO 4217 code amounts are reported in across currencies, in any
	// case; "" goes back to the default (DefaultReportingCurrency).
	ReportingCurrency *string
	// AlertRefundWindows replace the merchant's refund windows, in hours by alert type; types not
	// named keep the published window, 0 hours means none.
	AlertRefundWindows *map[dispute.AlertType]int
	// FeeTable replaces the fee table's rows; a pointer to nil restores the shipped table, a
	// pointer to no rows says no provider charges anything.
	FeeTable *[]fees.Row
	// HandlingCost is what one fight costs the merchant.
	HandlingCost *fees.Cost
	// MonitoringPrograms replaces the monitoring thresholds; a pointer to nil restores the
	// shipped ones.
	MonitoringPrograms *[]monitoring.Row
	// MonitoringApproach is the fraction of a threshold at which a ratio is approaching it.
	MonitoringApproach *float64
	// OrderMetadataKey is the key of a provider payment's metadata that names its order; ""
	// goes back to the default (store.DefaultOrderMetadataKey).
	OrderMetadataKey *string
}

// EvidenceLimitsParams change the evidence limits; nil fields keep the ones in force.
type EvidenceLimitsParams struct {
	PartyItems, PartyBytes, TotalItems, TotalBytes *int64
}

// EffectiveEvidenceLimits are the evidence limits in force: the saved ones or the defaults.
func EffectiveEvidenceLimits(s store.Settings) dispute.EvidenceLimits {
	if s.EvidenceLimits == nil {
		return dispute.DefaultEvidenceLimits
	}
	return *s.EvidenceLimits
}

// changed is l with the limits p sets.
func (p EvidenceLimitsParams) changed(l dispute.EvidenceLimits) dispute.EvidenceLimits {
	for _, f := range []struct {
		to   *int64
		from *int64
	}{{&l.PartyItems, p.PartyItems}, {&l.PartyBytes, p.PartyBytes}, {&l.TotalItems, p.TotalItems}, {&l.TotalBytes, p.TotalBytes}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	return l
}

// ownFeeTable is the version of a fee table (or monitoring table) the merchant wrote, dated the
// day it was saved.
const ownFeeTable = "settings"

// EffectiveFeeTable is the fee table in force: the merchant's own or the shipped one.
func EffectiveFeeTable(s store.Settings) fees.Table {
	if s.FeeTable == nil {
		return fees.Default()
	}
	return *s.FeeTable
}

// EffectiveMonitoringPrograms are the monitoring thresholds in force: the merchant's own or the
// shipped ones.
func EffectiveMonitoringPrograms(s store.Settings) monitoring.Table {
	if s.MonitoringPrograms == nil {
		return monitoring.Default()
	}
	return *s.MonitoringPrograms
}

// EffectiveMonitoringApproach is the fraction of a threshold at which a ratio is approaching it:
// the merchant's or monitoring.DefaultApproach.
func EffectiveMonitoringApproach(s store.Settings) float64 {
	if s.MonitoringApproach == nil {
		return monitoring.DefaultApproach
	}
	return *s.MonitoringApproach
}

// EffectiveOrderMetadataKey is the metadata key that names a provider payment's order: the
// merchant's or store.DefaultOrderMetadataKey.
func EffectiveOrderMetadataKey(s store.Settings) string {
	if s.OrderMetadataKey == "" {
		return store.DefaultOrderMetadataKey
	}
	return s.OrderMetadataKey
}

// maxMetadataKey is the longest metadata key a provider takes (Stripe's limit, 40 characters).
const maxMetadataKey = 40

// checkMetadataKey refuses a metadata key no provider could hold: longer than maxMetadataKey, or
// with a blank, a control character or square brackets (which Stripe's form encoding reads as
// nesting). "" is the default.
func checkMetadataKey(param, key string) error {
	if utf8.RuneCountInString(key) > maxMetadataKey || strings.ContainsFunc(key, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '[' || r == ']' || r == utf8.RuneError
	}) {
		return fault.Invalidf(fault.CodeInvalidValue, param, "%s must be at most %d characters, without blanks or square brackets; \"\" for the default, %s",
			param, maxMetadataKey, store.DefaultOrderMetadataKey)
	}
	return nil
}

// EffectiveHandlingCost is the handling cost in force: the merchant's or the shipped default.
func EffectiveHandlingCost(s store.Settings) fees.Cost {
	if s.HandlingCost == nil {
		return fees.DefaultHandlingCost()
	}
	return *s.HandlingCost
}

// EffectiveReminders are the reminder offsets in force: the saved ones or the defaults.
func EffectiveReminders(s store.Settings) []time.Duration {
	if s.ReminderOffsets == nil {
		return deadline.DefaultReminders
	}
	return s.ReminderOffsets
}

// SaveSettings changes the merchant settings.
func (a *App) SaveSettings(ctx context.Context, who actor.Actor, p SettingsParams) (store.Settings, error) {
	if err := adminOnly(who, "change settings"); err != nil {
		return store.Settings{}, err
	}
	if p.MerchantName != nil && len(*p.MerchantName) > 200 {
		return store.Settings{}, fault.Invalidf(fault.CodeInvalidValue, "merchant_name", "merchant_name is longer than 200 characters")
	}
	var offsets []time.Duration
	if p.ReminderOffsets != nil {
		var err error
		if offsets, err = deadline.ParseOffsets(*p.ReminderOffsets); err != nil {
			return store.Settings{}, fault.Invalidf(fault.CodeInvalidValue, "reminder_offsets", "%v", err)
		}
	}
	for name := range p.Emails {
		if _, err := notify.ParseTemplate(name); err != nil {
			return store.Settings{}, fault.Invalidf(fault.CodeInvalidValue, "emails."+name, "%q is not a customer email template", name)
		}
	}
	if p.ExtendedFields != nil {
		if err := dispute.ValidateFieldDefinitions(*p.ExtendedFields); err != nil {
			return store.Settings{}, err
		}
	}
	if err := p.Profile.apply(&store.Profile{}); err != nil {
		return store.Settings{}, err
	}
	var reporting string
	if p.ReportingCurrency != nil && *p.ReportingCurrency != "" {
		var err error
		if reporting, err = money.ParseCurrency(*p.ReportingCurrency); err != nil {
			return store.Settings{}, fault.Invalidf(fault.CodeUnknownCurrency, "reporting_currency", "%q is not an active ISO 4217 currency", *p.ReportingCurrency)
		}
	}
	if p.AlertRefundWindows != nil {
		if err := dispute.ValidateAlertWindows(*p.AlertRefundWindows); err != nil {
			return store.Settings{}, err
		}
	}
	var feeRows []fees.Row
	if p.FeeTable != nil && *p.FeeTable != nil {
		var err error
		if feeRows, err = fees.Normalize("fee_table", *p.FeeTable); err != nil {
			return store.Settings{}, err
		}
	}
	var handling fees.Cost
	if p.HandlingCost != nil {
		var err error
		if handling, err = fees.CheckCost("handling_cost", *p.HandlingCost); err != nil {
			return store.Settings{}, err
		}
	}
	var programRows []monitoring.Row
	if p.MonitoringPrograms != nil && *p.MonitoringPrograms != nil {
		var err error
		if programRows, err = monitoring.Normalize("monitoring_programs", *p.MonitoringPrograms); err != nil {
			return store.Settings{}, err
		}
	}
	if p.MonitoringApproach != nil {
		if err := monitoring.CheckApproach("monitoring_approach", *p.MonitoringApproach); err != nil {
			return store.Settings{}, err
		}
	}
	if p.OrderMetadataKey != nil {
		if err := checkMetadataKey("order_metadata_key", *p.OrderMetadataKey); err != nil {
			return store.Settings{}, err
		}
	}
	var s store.Settings
	err := a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		var err error
		if s, err = tx.GetSettings(ctx); err != nil {
			return err
		}
		if err := p.Profile.apply(&s.Profile); err != nil {
			return err
		}
		if p.BlockOnDispute != nil {
			s.BlockOnDispute = *p.BlockOnDispute
		}
		if p.MerchantName != nil {
			s.MerchantName = strings.TrimSpace(*p.MerchantName)
		}
		if p.ReminderOffsets != nil {
			s.ReminderOffsets = offsets
		}
		s.EmailsOff = emailsOff(s.EmailsOff, p.Emails)
		if p.EvidenceLimits != nil {
			limits := p.EvidenceLimits.changed(EffectiveEvidenceLimits(s))
			if err := limits.Validate(); err != nil {
				return err
			}
			s.EvidenceLimits = &limits
		}
		if p.ExtendedFields != nil {
			s.ExtendedFields = *p.ExtendedFields
		}
		if p.AppSelfRegistration != nil {
			s.AppSelfRegistration = *p.AppSelfRegistration
		}
		if p.ReportingCurrency != nil {
			s.ReportingCurrency = reporting
		}
		if p.AlertRefundWindows != nil {
			s.AlertRefundWindows = *p.AlertRefundWindows
		}
		if p.FeeTable != nil {
			s.FeeTable = nil
			if feeRows != nil {
				s.FeeTable = &fees.Table{Version: ownFeeTable, Date: now.UTC().Format(time.DateOnly), Rows: feeRows}
			}
		}
		if p.HandlingCost != nil {
			s.HandlingCost = &handling
		}
		if p.MonitoringPrograms != nil {
			s.MonitoringPrograms = nil
			if programRows != nil {
				s.MonitoringPrograms = &monitoring.Table{Version: ownFeeTable, Date: now.UTC().Format(time.DateOnly), Rows: programRows}
			}
		}
		if p.MonitoringApproach != nil {
			s.MonitoringApproach = p.MonitoringApproach
		}
		if p.OrderMetadataKey != nil {
			s.OrderMetadataKey = *p.OrderMetadataKey
		}
		if s.CreatedAt.IsZero() {
			s.CreatedAt = now
		}
		s.UpdatedAt = now
		return tx.SaveSettings(ctx, s)
	})
	return s, err
}

// emailsOff applies switches to the templates that were off, keeping the list in template order.
func emailsOff(off []string, switches map[string]bool) []string {
	var out []string
	for _, t := range notify.Templates {
		on, named := switches[string(t)]
		if (named && !on) || (!named && slices.Contains(off, string(t))) {
			out = append(out, string(t))
		}
	}
	return out
}
