package webhook

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"disputed/internal/fault"
	"disputed/internal/store"
)

// secretPrefix marks a Standard Webhooks secret; receivers' libraries strip it before decoding.
const secretPrefix = "whsec_"

// Key sizes allowed by Standard Webhooks: at least 192 bits so the HMAC key cannot be guessed, at
// most 512 bits (SHA-256's block size; a longer key is hashed down and gains nothing).
const (
	secretBytes    = 24
	maxSecretBytes = 64
)

// maxURLLength bounds what we store and send; 2048 bytes is what browsers and most servers accept.
const maxURLLength = 2048

// NewSecret returns a fresh endpoint secret: "whsec_" and the standard base64 of 24 random bytes,
// the format Standard Webhooks libraries accept as it is.
func NewSecret() (string, error) {
	b := make([]byte, secretBytes)
	// crypto/rand.Read never returns an error since Go 1.24 (it crashes the program instead); the
	// check stays so that the signature does not promise more than the standard library does.
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return secretPrefix + base64.StdEncoding.EncodeToString(b), nil
}

// decodeSecret returns the HMAC key inside a secret made by NewSecret. The error never quotes the
// secret: it may end up in a log.
func decodeSecret(secret string) ([]byte, error) {
	enc, ok := strings.CutPrefix(secret, secretPrefix)
	if !ok {
		return nil, errors.New("the secret does not start with " + secretPrefix)
	}
	key, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return nil, errors.New("the secret is not valid base64")
	}
	if len(key) < secretBytes || len(key) > maxSecretBytes {
		return nil, errors.New("the secret has " + strconv.Itoa(len(key)) + " bytes; want 24 to 64")
	}
	return key, nil
}

// ValidateURL checks an endpoint URL when it is configured: an absolute http or https URL with a
// host, no user name or password, no fragment, at most 2048 bytes. Errors are fault errors about
// the parameter "url".
//
// Private and loopback addresses are not refused here: a name can resolve to a different address
// at delivery time, so the outbound client checks the address it actually connects to.
func ValidateURL(raw string) error {
	if raw == "" {
		return fault.Required("url")
	}
	if len(raw) > maxURLLength {
		return fault.Invalidf(fault.CodeInvalidValue, "url", "url is longer than %d bytes", maxURLLength)
	}
	// The URL is sent as it is on every delivery; a space or control character would be escaped
	// differently by every layer in between, and is almost always a copy-and-paste accident.
	if i := strings.IndexFunc(raw, func(r rune) bool { return r <= ' ' || r == 0x7f }); i >= 0 {
		return fault.Invalidf(fault.CodeInvalidValue, "url", "url contains a space or control character at byte %d", i)
	}
	// A fragment is never sent to the server, so the receiver would not see what was configured.
	if strings.Contains(raw, "#") {
		return fault.Invalidf(fault.CodeInvalidValue, "url", "url must not contain a fragment (#…)")
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL, which the caller already has
		}
		return fault.Invalidf(fault.CodeInvalidValue, "url", "url is not a valid URL: %v", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fault.Invalidf(fault.CodeInvalidValue, "url", "url must be an absolute http:// or https:// URL")
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return fault.Invalidf(fault.CodeInvalidValue, "url", "url has no host")
	}
	// Credentials in the URL would be stored in clear and shown in every listing of endpoints;
	// a receiver authenticates us by the signature instead.
	if u.User != nil {
		return fault.Invalidf(fault.CodeInvalidValue, "url", "url must not contain a user name or password")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fault.Invalidf(fault.CodeInvalidValue, "url", "url has an invalid port %s", p)
		}
	}
	return nil
}

// All is the event name that subscribes an endpoint to every event type, including those added
// later.
const All = "*"

// ValidateEvents checks the event types an endpoint subscribes to against known, the types the
// server emits: at least one, each known, none twice, and All only on its own (with it, any other
// entry is meaningless and probably a misunderstanding). Errors are fault errors about "events".
func ValidateEvents(events []string, known []string) error {
	if len(events) == 0 {
		return fault.Required("events")
	}
	seen := make(map[string]bool, len(events))
	for i, e := range events {
		switch {
		case e == All:
			if len(events) > 1 {
				return fault.Invalidf(fault.CodeInvalidValue, "events", "%q subscribes to every event and must be the only entry", All)
			}
		case e == "":
			return fault.Invalidf(fault.CodeInvalidValue, "events", "events[%d] is empty", i)
		case !slices.Contains(known, e):
			return fault.Invalidf(fault.CodeInvalidValue, "events", "unknown event type %q; expected %q or one of %s",
				e, All, strings.Join(known, ", "))
		}
		if seen[e] {
			return fault.Invalidf(fault.CodeInvalidValue, "events", "event type %q is listed twice", e)
		}
		seen[e] = true
	}
	return nil
}

// Matches reports whether an endpoint subscribed to events receives an event of type t.
func Matches(events []string, t string) bool {
	return slices.Contains(events, All) || slices.Contains(events, t)
}

// EventTypes are the events the server emits (api.md), which endpoints may subscribe to.
var EventTypes = []string{
	"order.created", "order.updated", "order.voided", "order.disputed",
	"line.suspended", "line.enabled", "line.terminated", "line.action_required",
	"transaction.created", "refund.created", "dispute.created", "dispute.updated", "dispute.evidence_added",
	"dispute.submitted", "dispute.submission_failed", "dispute.status_changed", "dispute.resolved", "dispute.closed",
	"dispute.due_soon",
	"alert.created", "alert.resolved", "customer.blocked", "rule.matched",
	"monitoring.threshold_approaching", "monitoring.threshold_exceeded",
}

// DefaultDisableAfter is how many failed attempts in a row disable an endpoint, unless it says
// otherwise: with the delivery schedule, a receiver down for about a day of steady traffic.
const DefaultDisableAfter = 50

// EndpointParams create or change a webhook endpoint; nil fields are left alone on a change.
type EndpointParams struct {
	URL          *string
	Events       *[]string
	Description  *string
	DisableAfter *int
	Enabled      *bool
}

// Apply validates p and applies it to e. Enabling a disabled endpoint starts its run of failures
// afresh; disabling one says an admin did it.
func (p EndpointParams) Apply(e *store.WebhookEndpoint) error {
	if p.URL != nil {
		if err := ValidateURL(*p.URL); err != nil {
			return err
		}
		e.URL = *p.URL
	}
	if p.Events != nil {
		if err := ValidateEvents(*p.Events, EventTypes); err != nil {
			return err
		}
		e.Events = *p.Events
	}
	if p.Description != nil {
		if len(*p.Description) > 500 {
			return fault.Invalidf(fault.CodeInvalidValue, "description", "description is longer than 500 characters")
		}
		e.Description = *p.Description
	}
	if p.DisableAfter != nil {
		if *p.DisableAfter < 1 || *p.DisableAfter > 10000 {
			return fault.Invalidf(fault.CodeInvalidValue, "disable_after_failures", "disable_after_failures must be 1 to 10000")
		}
		e.DisableAfter = *p.DisableAfter
	}
	if p.Enabled != nil && *p.Enabled && !e.Enabled {
		e.Enabled, e.DisabledReason, e.FailureStreak = true, "", 0
	}
	if p.Enabled != nil && !*p.Enabled {
		e.Enabled, e.DisabledReason = false, "disabled by an admin"
	}
	return nil
}
