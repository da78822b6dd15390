package provider

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// ErrAPIBase means a provider's api_base is refused: calls would carry its API key where they
// must not go.
var ErrAPIBase = errors.New("api_base")

// CheckAPIBase refuses an api_base that is not an absolute https URL of a host without
// credentials, query or fragment, or that is plain http to another machine than this one: the
// API key travels in every call's Authorization header, and over http anyone on the way reads it.
// Plain http is left to loopback (localhost, 127.0.0.0/8, ::1): a local double of the provider,
// such as stripe-mock in the tests.
func CheckAPIBase(base string) error {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return fmt.Errorf("%w: %q is not an absolute http(s) URL of a host", ErrAPIBase, base)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%w: %q must be https: plain http is allowed to this machine only (localhost, 127.0.0.1, ::1)", ErrAPIBase, base)
	}
	return fmt.Errorf("%w: %q is not an absolute http(s) URL of a host", ErrAPIBase, base)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}
