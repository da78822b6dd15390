package panel

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"disputed/internal/fault"
)

// Timeouts for an http panel's calls: a panel that needs longer should accept the action and
// carry it out in the background.
const (
	DefaultTimeout = 10 * time.Second
	MaxTimeout     = 30 * time.Second
)

// Limits on the configuration.
const (
	maxName      = 64
	minSecret    = 8 // bytes: a floor against typos, not a strength; generate 32 random bytes (README)
	maxBaseURL   = 2048
	paramName    = "name"
	paramType    = "type"
	paramBaseURL = "config.base_url"
	paramSecret  = "config.secret"
	paramTimeout = "config.timeout_ms"
	paramCaps    = "config.capabilities"
)

// Config describes one panel. Params in errors name the fields as the API shows them.
type Config struct {
	Name string // what lines refer to: 1-64 of [a-z0-9_-], starting with a letter
	Type string // TypeManual or TypeHTTP

	// http only.
	BaseURL      string        // absolute http(s) URL; actions are POSTed below it
	Secret       string        // signs requests (X-Disputed-Signature); at least 8 bytes
	Timeout      time.Duration // per call; 0 means DefaultTimeout, at most MaxTimeout
	Capabilities []Capability  // what the panel does by itself; empty means toggle and terminate
}

// Validate reports the first invalid field as a fault.Invalid error naming it.
func (c Config) Validate() error {
	if err := validateName(c.Name); err != nil {
		return err
	}
	switch c.Type {
	case "":
		return fault.Required(paramType)
	case TypeManual:
		return c.validateManual()
	case TypeHTTP:
		return c.validateHTTP()
	}
	return fault.Invalidf(fault.CodeInvalidValue, paramType, "type must be %s or %s", TypeManual, TypeHTTP)
}

func validateName(name string) error {
	if name == "" {
		return fault.Required(paramName)
	}
	if len(name) > maxName {
		return fault.Invalidf(fault.CodeInvalidValue, paramName, "name must be at most %d characters", maxName)
	}
	for i, r := range name {
		ok := r >= 'a' && r <= 'z' || i > 0 && (r >= '0' && r <= '9' || r == '_' || r == '-')
		if !ok {
			return fault.Invalidf(fault.CodeInvalidValue, paramName,
				"name must start with a lowercase letter and contain only a-z, 0-9, _ and -")
		}
	}
	return nil
}

// validateManual rejects http settings on a manual panel: they would suggest the panel is called.
func (c Config) validateManual() error {
	switch {
	case c.BaseURL != "":
		return fault.Invalidf(fault.CodeNotSupportedForType, paramBaseURL, "a manual panel has no base_url")
	case c.Secret != "":
		return fault.Invalidf(fault.CodeNotSupportedForType, paramSecret, "a manual panel has no secret")
	case c.Timeout != 0:
		return fault.Invalidf(fault.CodeNotSupportedForType, paramTimeout, "a manual panel has no timeout")
	case len(c.Capabilities) != 0:
		return fault.Invalidf(fault.CodeNotSupportedForType, paramCaps, "a manual panel has no capabilities")
	}
	return nil
}

func (c Config) validateHTTP() error {
	if err := validateBaseURL(c.BaseURL); err != nil {
		return err
	}
	if c.Secret == "" {
		return fault.Required(paramSecret)
	}
	if len(c.Secret) < minSecret {
		return fault.Invalidf(fault.CodeInvalidValue, paramSecret, "secret must be at least %d bytes", minSecret)
	}
	if c.Timeout != 0 && (c.Timeout < time.Millisecond || c.Timeout > MaxTimeout) {
		return fault.Invalidf(fault.CodeInvalidValue, paramTimeout, "timeout_ms must be between 1 and %d", MaxTimeout.Milliseconds())
	}
	for i, cp := range c.Capabilities {
		if cp != Toggle && cp != Terminate && cp != ReportActivity {
			return fault.Invalidf(fault.CodeInvalidValue, paramCaps, "unknown capability %q: must be %s, %s or %s", cp, Toggle, Terminate, ReportActivity)
		}
		if slices.Contains(c.Capabilities[:i], cp) {
			return fault.Invalidf(fault.CodeInvalidValue, paramCaps, "capability %q is listed twice", cp)
		}
	}
	return nil
}

func validateBaseURL(s string) error {
	if s == "" {
		return fault.Required(paramBaseURL)
	}
	bad := func(why string) error {
		return fault.Invalidf(fault.CodeInvalidValue, paramBaseURL, "base_url %s", why)
	}
	if len(s) > maxBaseURL {
		return bad("is too long")
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return bad("is not a valid URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return bad("must be an absolute http or https URL")
	case u.Opaque != "" || u.Hostname() == "":
		return bad("must name a host")
	case u.User != nil:
		// Credentials in a URL end up in logs and error messages; the panel authenticates us by
		// the signature.
		return bad("must not contain a user name or password")
	case u.RawQuery != "" || u.ForceQuery:
		return bad("must not have a query")
	case u.Fragment != "" || strings.Contains(s, "#"):
		return bad("must not have a fragment")
	}
	return nil
}
