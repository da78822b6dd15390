package httpapi

import (
	"context"
	"strings"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fees"
)

// SettingsIn changes settings; absent fields stay as they are.
type SettingsIn struct {
	Body struct {
		BlockOnDispute *bool   `json:"block_on_dispute,omitempty"`
		MerchantName   *string `json:"merchant_name,omitempty" maxLength:"200"`
		// ReminderOffsets replaces the reminder schedule; [] turns reminders off.
		ReminderOffsets *[]string `json:"reminder_offsets,omitempty" doc:"how long before a due date dispute.due_soon goes out, e.g. [\"72h\", \"24h\"]; [] for none"`
		// Emails switches customer email templates on or off; templates not named stay as they are.
		Emails map[string]bool `json:"emails,omitempty" doc:"customer email templates on (true) or off (false): dispute_opened, service_restored, service_terminated, order_voided, dispute_resolved, evidence_requested"`
		// EvidenceLimits changes the evidence limits; limits not named stay as they are.
		EvidenceLimits *EvidenceLimitsIn `json:"evidence_limits,omitempty" doc:"each between 1 and its ceiling (10000 items, 1073741824 bytes); a party's no more than the total"`
		// ExtendedFields replaces the extended fields' definitions.
		ExtendedFields *[]ExtendedFieldIn `json:"extended_fields,omitempty" doc:"replaces the definitions (at most 20; names unique); [] for none. Values disputes hold of a removed field stay until changed"`
		// AppSelfRegistration lets apps register themselves.
		AppSelfRegistration *bool `json:"app_self_registration,omitempty" doc:"let apps register themselves (POST /v1/apps without a key); the merchant still approves each connection"`
		ProfileIn
		// ReportingCurrency changes the currency amounts across currencies are reported in.
		ReportingCurrency *string `json:"reporting_currency,omitempty" doc:"an ISO 4217 code, any case; \"\" for the default, USD"`
		// AlertRefundWindows replaces the merchant's refund windows by alert type.
		AlertRefundWindows *map[string]int `json:"alert_refund_windows,omitempty" doc:"hours (0 to 720; 0: none) by alert type (tc40, safe, ethoca, cdrn, rdr); types not named keep the published window"`
		// FeeTable replaces the fee table; null restores the shipped one.
		FeeTable TablePatch[FeeRowIn] `json:"fee_table" required:"false" doc:"rows replacing the shipped fee table (at most 200; one row per provider, network, currency and date); [] for a merchant no provider charges; null for the shipped table again"`
		// HandlingCost is what one fight costs the merchant.
		HandlingCost *CostIn `json:"handling_cost,omitempty" doc:"what one fight costs the merchant (staff time, a vendor's fee)"`
		// MonitoringPrograms replaces the monitoring thresholds; null restores the shipped ones.
		MonitoringPrograms TablePatch[MonitoringRowIn] `json:"monitoring_programs" required:"false" doc:"rows replacing the shipped thresholds of the monitoring programs (at most 100; one row per program, tier and date); null for the shipped ones again"`
		// MonitoringApproach is the fraction of a threshold at which a ratio is approaching it.
		MonitoringApproach *float64 `json:"monitoring_approach,omitempty" doc:"between 0 and 1, exclusive (default 0.75)"`
		// OrderMetadataKey is the metadata key naming a provider payment's order.
		OrderMetadataKey *string `json:"order_metadata_key,omitempty" doc:"at most 40 characters, without blanks or square brackets; \"\" for the default, order_id"`
	}
}

// ProfileIn changes the merchant's profile; "" clears a text.
type ProfileIn struct {
	ProductType                  *string `json:"product_type,omitempty" doc:"digital_service, digital_goods, subscription, physical_goods, offline_service, booking, event or other"`
	Website                      *string `json:"website,omitempty" doc:"an http or https URL"`
	SupportEmail                 *string `json:"support_email,omitempty" doc:"an email address"`
	SupportPhone                 *string `json:"support_phone,omitempty" doc:"at most 200 characters"`
	TermsURL                     *string `json:"terms_url,omitempty" doc:"an http or https URL"`
	RefundPolicy                 *string `json:"refund_policy,omitempty" doc:"at most 20000 characters"`
	RefundPolicyDisclosure       *string `json:"refund_policy_disclosure,omitempty" doc:"at most 1000 characters"`
	CancellationPolicy           *string `json:"cancellation_policy,omitempty" doc:"at most 20000 characters"`
	CancellationPolicyDisclosure *string `json:"cancellation_policy_disclosure,omitempty" doc:"at most 1000 characters"`
	CompileOnOpen                *bool   `json:"compile_on_open,omitempty"`
}

func (p ProfileIn) params() app.ProfileParams {
	return app.ProfileParams{ProductType: p.ProductType, Website: p.Website, SupportEmail: p.SupportEmail, SupportPhone: p.SupportPhone,
		TermsURL: p.TermsURL, RefundPolicy: p.RefundPolicy, RefundPolicyDisclosure: p.RefundPolicyDisclosure,
		CancellationPolicy: p.CancellationPolicy, CancellationPolicyDisclosure: p.CancellationPolicyDisclosure, CompileOnOpen: p.CompileOnOpen}
}

// EvidenceLimitsIn changes some evidence limits.
type EvidenceLimitsIn struct {
	PartyItems *int64 `json:"party_items,omitempty"`
	PartyBytes *int64 `json:"party_bytes,omitempty"`
	TotalItems *int64 `json:"total_items,omitempty"`
	TotalBytes *int64 `json:"total_bytes,omitempty"`
}

// ExtendedFieldIn defines an extended field. Its rules are checked by the domain, which names
// the definition that breaks one (extended_fields[i].name).
type ExtendedFieldIn struct {
	Name  string `json:"name" doc:"1 to 40 of a-z, 0-9 and _"`
	Type  string `json:"type" doc:"string, number, boolean or date"`
	Label string `json:"label,omitempty" doc:"what the UI calls it, at most 80 characters"`
}

// SettingsOut answers with the settings.
type SettingsOut struct{ Body Settings }

func (s *Server) getSettings(ctx context.Context, _ *struct{}) (*SettingsOut, error) {
	st, err := s.app.Settings(ctx, who(ctx))
	if err != nil {
		return nil, err
	}
	return &SettingsOut{Body: settingsOut(st)}, nil
}

func (s *Server) saveSettings(ctx context.Context, in *SettingsIn) (*SettingsOut, error) {
	st, err := s.app.SaveSettings(ctx, who(ctx), app.SettingsParams{BlockOnDispute: in.Body.BlockOnDispute, MerchantName: in.Body.MerchantName,
		ReminderOffsets: in.Body.ReminderOffsets, Emails: in.Body.Emails, EvidenceLimits: evidenceLimitsIn(in.Body.EvidenceLimits),
		ExtendedFields: extendedFieldsIn(in.Body.ExtendedFields), AppSelfRegistration: in.Body.AppSelfRegistration,
		Profile: in.Body.ProfileIn.params(), ReportingCurrency: in.Body.ReportingCurrency,
		AlertRefundWindows: alertWindowsIn(in.Body.AlertRefundWindows), FeeTable: tableParams(in.Body.FeeTable, feeRow), HandlingCost: costIn(in.Body.HandlingCost),
		MonitoringPrograms: tableParams(in.Body.MonitoringPrograms, monitoringRow), MonitoringApproach: in.Body.MonitoringApproach,
		OrderMetadataKey: in.Body.OrderMetadataKey})
	if err != nil {
		return nil, err
	}
	return &SettingsOut{Body: settingsOut(st)}, nil
}

func alertWindowsIn(in *map[string]int) *map[dispute.AlertType]int {
	if in == nil {
		return nil
	}
	out := make(map[dispute.AlertType]int, len(*in))
	for t, h := range *in {
		out[dispute.AlertType(t)] = h
	}
	return &out
}

func evidenceLimitsIn(in *EvidenceLimitsIn) *app.EvidenceLimitsParams {
	if in == nil {
		return nil
	}
	return &app.EvidenceLimitsParams{PartyItems: in.PartyItems, PartyBytes: in.PartyBytes, TotalItems: in.TotalItems, TotalBytes: in.TotalBytes}
}

func extendedFieldsIn(in *[]ExtendedFieldIn) *[]dispute.FieldDefinition {
	if in == nil {
		return nil
	}
	defs := make([]dispute.FieldDefinition, len(*in))
	for i, f := range *in {
		defs[i] = dispute.FieldDefinition{Name: f.Name, Type: dispute.FieldType(f.Type), Label: strings.TrimSpace(f.Label)}
	}
	return &defs
}

func costIn(in *CostIn) *fees.Cost {
	if in == nil {
		return nil
	}
	return &fees.Cost{Amount: in.Amount, Currency: in.Currency}
}
