package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/deadline"
	"disputed/internal/fault"
	"disputed/internal/notify"
	"disputed/internal/store"
)

// Event returns one event.
func (a *App) Event(ctx context.Context, who actor.Actor, id string) (store.Event, error) {
	if err := staff(who, "read events"); err != nil {
		return store.Event{}, err
	}
	e, err := a.store.GetEvent(ctx, id)
	return e, notFound(err, "event", id)
}

// Events returns a page of events, newest first.
func (a *App) Events(ctx context.Context, who actor.Actor, f store.EventFilter) ([]store.Event, bool, error) {
	if err := staff(who, "read events"); err != nil {
		return nil, false, err
	}
	es, err := a.store.ListEvents(ctx, f)
	if err != nil {
		return nil, false, err
	}
	es, more := trim(es, f.Limit)
	return es, more, nil
}

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
		return store.Settings{}, fault.Invalidf("invalid_value", "merchant_name", "merchant_name is longer than 200 characters")
	}
	var offsets []time.Duration
	if p.ReminderOffsets != nil {
		var err error
		if offsets, err = deadline.ParseOffsets(*p.ReminderOffsets); err != nil {
			return store.Settings{}, fault.Invalidf("invalid_value", "reminder_offsets", "%v", err)
		}
	}
	for name := range p.Emails {
		if _, err := notify.ParseTemplate(name); err != nil {
			return store.Settings{}, fault.Invalidf("invalid_value", "emails."+name, "%q is not a customer email template", name)
		}
	}
	var s store.Settings
	err := a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		var err error
		if s, err = tx.GetSettings(ctx); err != nil {
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
		if s.CreatedAt.IsZero() {
			s.CreatedAt = now
		}
		s.UpdatedAt = now
		return tx.SaveSettings(ctx, s)
	})
	return s, err
}

// hashSecret is how API key secrets are stored: a SHA-256, enough for random 160-bit secrets
// (no dictionary to guard against, unlike passwords).
func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// CreateAPIKey makes a key of role; buyer and vendor keys are bound to partyID. The secret is
// returned once and never stored.
func (a *App) CreateAPIKey(ctx context.Context, role actor.Role, partyID, name string) (string, store.APIKey, error) {
	if !role.Valid() {
		return "", store.APIKey{}, fault.Invalidf("invalid_value", "role", "role must be one of admin, agent, buyer, vendor")
	}
	if role.Party() && partyID == "" {
		return "", store.APIKey{}, fault.Invalidf("parameter_missing", "party", "a %s key is bound to one %s id", role, role)
	}
	if !role.Party() && partyID != "" {
		return "", store.APIKey{}, fault.Invalidf("invalid_value", "party", "only buyer and vendor keys are bound to a party")
	}
	var raw [20]byte
	_, _ = rand.Read(raw[:])
	secret := "sk_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw[:]))
	k, err := a.insertKey(ctx, secret, role, partyID, name)
	return secret, k, err
}

// EnsureAdminKey makes sure an admin key with exactly this secret exists (DISPUTED_ADMIN_KEY).
func (a *App) EnsureAdminKey(ctx context.Context, secret string) error {
	if len(secret) < 16 {
		return fault.Invalidf("invalid_value", "DISPUTED_ADMIN_KEY", "the admin key must have at least 16 characters")
	}
	if _, err := a.store.GetAPIKeyByHash(ctx, hashSecret(secret)); err == nil || !errors.Is(err, store.ErrNotFound) {
		return err
	}
	_, err := a.insertKey(ctx, secret, actor.Admin, "", "DISPUTED_ADMIN_KEY")
	if errors.Is(err, store.ErrConflict) {
		return nil // another instance created it at the same moment
	}
	return err
}

func (a *App) insertKey(ctx context.Context, secret string, role actor.Role, partyID, name string) (store.APIKey, error) {
	var k store.APIKey
	err := a.store.Tx(ctx, func(tx store.Tx) error {
		k = store.APIKey{ID: a.ids.New("key"), Role: string(role), PartyID: partyID, Hash: hashSecret(secret),
			Prefix: secret[:min(len(secret), 8)], Name: name, CreatedAt: a.clock()}
		return tx.InsertAPIKey(ctx, k)
	})
	return k, err
}

// Authenticate returns the actor of an API key secret.
func (a *App) Authenticate(ctx context.Context, secret string) (actor.Actor, error) {
	if secret == "" {
		return actor.Actor{}, fault.New(fault.Unauthenticated, "unauthenticated", "", "an API key is required: Authorization: Bearer <key>")
	}
	k, err := a.store.GetAPIKeyByHash(ctx, hashSecret(secret))
	if errors.Is(err, store.ErrNotFound) {
		return actor.Actor{}, fault.New(fault.Unauthenticated, "invalid_api_key", "", "the API key is not valid")
	} else if err != nil {
		return actor.Actor{}, err
	}
	return actor.Key(k.ID, actor.Role(k.Role), k.PartyID), nil
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
