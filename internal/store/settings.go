package store

import (
	"context"
	"time"

	"disputed/internal/dispute"
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
	CreatedAt           time.Time
	UpdatedAt           time.Time
}
