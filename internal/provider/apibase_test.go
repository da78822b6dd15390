package provider

import (
	"errors"
	"testing"
)

// TestSecurityStripeAPIBaseNeedsHTTPS: an api_base in clear text to another machine is refused,
// since the API key would travel readable; http to this machine (stripe-mock) and https pass.
func TestSecurityStripeAPIBaseNeedsHTTPS(t *testing.T) {
	t.Parallel()
	for base, ok := range map[string]bool{
		"https://api.stripe.com":         true,
		"https://stripe.example:8443/":   true,
		"http://localhost:12111":         true,
		"http://LOCALHOST:12111":         true,
		"http://127.0.0.1:12111":         true,
		"http://127.8.9.10":              true,
		"http://[::1]:12111":             true,
		"http://api.stripe.com":          false,
		"http://10.0.0.5:12111":          false,
		"http://localhost.evil.example":  false,
		"http://[::ffff:8.8.8.8]":        false,
		"ftp://api.stripe.com":           false,
		"https://user:pw@api.stripe.com": false,
		"https://api.stripe.com?x=1":     false,
		"https://api.stripe.com#x":       false,
		"api.stripe.com":                 false,
		"https:api.stripe.com":           false,
		"":                               false,
	} {
		err := CheckAPIBase(base)
		if (err == nil) != ok || (err != nil && !errors.Is(err, ErrAPIBase)) {
			t.Errorf("CheckAPIBase(%q) = %v, want accepted %v", base, err, ok)
		}
	}
}
