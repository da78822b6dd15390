package server

import (
	"disputed/internal/provider"
	"disputed/internal/provider/generic"
	"disputed/internal/provider/paypal"
	"disputed/internal/provider/stripe"
)

// ProviderTypes are the payment providers a server can be configured with, one line each: a new
// provider is its adapter package and its line here. paypalOptions adjust the PayPal adapters
// (tests give them their own certificate fetcher).
func ProviderTypes(paypalOptions ...paypal.Option) *provider.Registry {
	return provider.NewRegistry(
		stripe.Type(),
		paypal.Type(paypalOptions...),
		generic.Type(),
	)
}
