package store

import (
	"context"
	"time"

	"disputed/internal/checklist"
	"disputed/internal/dispute"
	"disputed/internal/fees"
	"disputed/internal/monitoring"
)

// SettingsReader reads the merchant settings.
type SettingsReader interface {
	// GetSettings returns the merchant settings, or the defaults when none were saved.
	GetSettings(ctx context.Context) (Settings, error)
}

// SettingsWriter writes the merchant settings, inside a Tx.
type SettingsWriter interface {
	SaveSettings(ctx context.Context, s Settings) error
}

// Settings are the merchant's settings.
type Settings struct {
	BlockOnDispute bool
	MerchantName   string
	// ReminderOffsets are how long before a due date a reminder goes out; nil means the
	// default (decided by the caller), an empty non-nil slice means no reminders.
	ReminderOffsets []time.Duration
	// EmailsOff are the customer email templates the merchant switched off.
	EmailsOff []string
	// EvidenceLimits cap each dispute's evidence; nil means the defaults (decided by the caller).
	EvidenceLimits *dispute.EvidenceLimits
	// ExtendedFields are the fields the merchant defined for its disputes, in the order shown.
	ExtendedFields []dispute.FieldDefinition
	// AppSelfRegistration lets apps register themselves (POST /v1/apps without a key); off, an
	// admin registers them.
	AppSelfRegistration bool
	// Profile is what the merchant says of itself and of what it sells.
	Profile   Profile
	CreatedAt time.Time
	UpdatedAt time.Time
	// ReportingCurrency is the ISO 4217 code amounts are reported in across currencies (rules,
	// analytics); "" means USD.
	ReportingCurrency string
	// AlertRefundWindows are the merchant's refund windows, in hours by alert type, over the
	// published ones (dispute.AlertWindows); nil overrides none, 0 hours means no window.
	AlertRefundWindows map[dispute.AlertType]int
	// FeeTable replaces the shipped fee table (fees.Default); nil means the shipped one.
	FeeTable *fees.Table
	// HandlingCost is what one fight costs the merchant; nil means fees.DefaultHandlingCost.
	HandlingCost *fees.Cost
	// MonitoringPrograms replaces the shipped monitoring thresholds (monitoring.Default); nil
	// means the shipped ones.
	MonitoringPrograms *monitoring.Table
	// MonitoringApproach is the fraction of a threshold at which a ratio is approaching it; nil
	// means monitoring.DefaultApproach.
	MonitoringApproach *float64
	// OrderMetadataKey is the key of a provider payment's metadata that names the order it pays
	// for; "" means DefaultOrderMetadataKey.
	OrderMetadataKey string
}

// DefaultOrderMetadataKey is the metadata key naming a payment's order when the merchant set none.
const DefaultOrderMetadataKey = "order_id"

// Profile is the merchant's profile: what the evidence checklist, the evidence compiler and a
// cover letter say of the merchant. Its zero value is the default.
type Profile struct {
	// ProductType is what the merchant sells; "" is checklist.DefaultProductType.
	ProductType  checklist.ProductType
	Website      string // http(s) URL
	SupportEmail string
	SupportPhone string
	TermsURL     string // http(s) URL of the terms of service
	// RefundPolicy and CancellationPolicy are the policies' text; the disclosures say how the
	// customer was shown them ("a checkbox at checkout linking to the terms").
	RefundPolicy                 string
	RefundPolicyDisclosure       string
	CancellationPolicy           string
	CancellationPolicyDisclosure string
	// CompileManually stops the evidence compiler from running when a dispute opens; it then
	// runs only when asked.
	CompileManually bool
}
