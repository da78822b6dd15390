package dispute

import (
	"slices"
	"time"

	"disputed/internal/actor"
)

// Channel is where a dispute is argued and decided: it tells the merchant whose rules and whose
// deadline apply, and where the case can be looked at besides here.
type Channel string

// The channels.
const (
	// ChannelNetwork: the cardholder disputed the payment with the card issuer; the card network
	// decides, and the provider (or the generic feed) relays the case. Stripe's disputes, PayPal's
	// "external" cases, chargebacks and inquiries recorded through the API.
	ChannelNetwork Channel = "network"
	// ChannelProvider: the buyer opened the case at the payment provider itself, which decides
	// it (PayPal's Resolution Center, its "internal" cases).
	ChannelProvider Channel = "provider"
	// ChannelAlert: an alert network (TC40, SAFE, Ethoca, CDRN, RDR) warned of a dispute to come.
	ChannelAlert Channel = "alert"
	// ChannelMarketplace: the buyer and the vendor argue it here and the merchant's staff decide.
	ChannelMarketplace Channel = "marketplace"
	// ChannelManual: staff entered it from elsewhere (a bank's letter, a provider's case that no
	// adapter reports) and record what is decided there.
	ChannelManual Channel = "manual"
)

// Channels lists every channel.
var Channels = []Channel{ChannelNetwork, ChannelProvider, ChannelAlert, ChannelMarketplace, ChannelManual}

// ChannelOf is the channel a dispute of type t has unless its provider says otherwise.
func ChannelOf(t Type) Channel {
	switch t {
	case Alert:
		return ChannelAlert
	case Marketplace:
		return ChannelMarketplace
	case Manual:
		return ChannelManual
	}
	return ChannelNetwork
}

// SellerProtection is whether the provider's seller protection covers the disputed payment, as
// the provider says (PayPal's Seller Protection); empty when it says nothing.
type SellerProtection string

// The seller protection values, PayPal's own in lower case.
const (
	SellerProtectionEligible          SellerProtection = "eligible"
	SellerProtectionPartiallyEligible SellerProtection = "partially_eligible"
	SellerProtectionNotEligible       SellerProtection = "not_eligible"
)

// SellerProtections lists every value of SellerProtection.
var SellerProtections = []SellerProtection{SellerProtectionEligible, SellerProtectionPartiallyEligible, SellerProtectionNotEligible}

// Defendable reports whether the merchant can still answer the dispute with evidence now: a
// card-network or manual dispute waiting for the merchant's response, before its due date.
func (d *Dispute) Defendable(now time.Time) bool {
	if d.PastDue(now) {
		return false
	}
	return slices.ContainsFunc(d.Actions(), func(a Action) bool { return a.Name == "submit_evidence" })
}

// defend records that the merchant's answer went to the network: when, and whether it was
// automatic. It is automatic when no person sent it through disputed (an API key or a signed-in
// user): the provider reported evidence submitted on its side (its own automation, such as
// Stripe's, or its dashboard), or the server itself submitted it.
func (d *Dispute) defend(by actor.Actor, now time.Time) {
	d.DefendedAt, d.AutoDefended = now, !by.HasRole()
}
