package dispute

// alertNetworks is the card network each alert belongs to: TC40 reports and RDR, CDRN
// (Verifi) are Visa's, SAFE reports Mastercard's; Ethoca's alerts come from issuers of every
// network, so they name none.
var alertNetworks = map[AlertType]string{TC40: "visa", RDR: "visa", CDRN: "visa", SAFE: "mastercard"}

// NetworkHint is the network the dispute names besides its reason code: the one its provider
// said (or the card on its charge said, see takeCardNetwork), an alert's, or PayPal for a case
// opened at PayPal itself (the only provider whose own cases the provider channel carries); ""
// when it names none and the code's shape must tell (reasoncode.Classify).
func (d Dispute) NetworkHint() string {
	if d.Network != "" {
		return d.Network
	}
	if d.Channel == ChannelProvider {
		return "paypal"
	}
	return alertNetworks[d.AlertType]
}

// takeCardNetwork keeps the network of the card on the charge the dispute is linked to (the
// charge's card_network) as the dispute's own, when nothing else names one: the provider's word,
// a PayPal case and an alert's network come first. A card network the integration did not know
// ("unknown", as Stripe says it) names none.
func (d *Dispute) takeCardNetwork(network string) {
	if network != "" && network != "unknown" && d.NetworkHint() == "" {
		d.Network = network
	}
}
