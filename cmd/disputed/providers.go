package main

import (
	"disputed/internal/provider"
	"disputed/internal/provider/generic"
	"disputed/internal/provider/paypal"
	"disputed/internal/provider/stripe"
)

// providerTypes are the payment providers the server can be configured with, one line each:
// a new provider is its adapter package and its line here. paypalOptions adjust the PayPal
// adapters (tests give them their own certificate fetcher).
func providerTypes(paypalOptions ...paypal.Option) *provider.Registry {
	return provider.NewRegistry(
		stripe.Type(),
		paypal.Type(paypalOptions...),
		generic.Type(),
	)
}
