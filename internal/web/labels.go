package web

import "disputed/internal/dispute"

// channelLabels say in plain words where a dispute is argued and decided.
var channelLabels = map[dispute.Channel]string{
	dispute.ChannelNetwork:     "with the card issuer, through the provider",
	dispute.ChannelProvider:    "at the payment provider (its own case)",
	dispute.ChannelAlert:       "an alert network's warning",
	dispute.ChannelMarketplace: "between the buyer and the vendor, decided here",
	dispute.ChannelManual:      "entered by hand, decided elsewhere",
}

// sellerProtectionLabels say the provider's seller protection in plain words.
var sellerProtectionLabels = map[dispute.SellerProtection]string{
	dispute.SellerProtectionEligible:          "eligible",
	dispute.SellerProtectionPartiallyEligible: "partially eligible",
	dispute.SellerProtectionNotEligible:       "not eligible",
}

// reasonLabels say each dispute reason in plain words.
var reasonLabels = map[string]string{
	dispute.ReasonBankCannotProcess:       "Bank could not process",
	dispute.ReasonCheckReturned:           "Check returned",
	dispute.ReasonCreditNotProcessed:      "Refund not processed",
	dispute.ReasonCustomerInitiated:       "Debit returned by the customer",
	dispute.ReasonDebitNotAuthorized:      "Debit not authorized",
	dispute.ReasonDuplicate:               "Duplicate charge",
	dispute.ReasonFraudulent:              "Fraud: payment not authorized",
	dispute.ReasonGeneral:                 "Other",
	dispute.ReasonIncorrectAccountDetails: "Incorrect account details",
	dispute.ReasonInsufficientFunds:       "Insufficient funds",
	dispute.ReasonNoncompliant:            "Network rules not followed",
	dispute.ReasonProductNotReceived:      "Not received",
	dispute.ReasonProductUnacceptable:     "Not as described or defective",
	dispute.ReasonSubscriptionCanceled:    "Subscription cancelled",
	dispute.ReasonUnrecognized:            "Charge not recognized",
}

// reasonOption is a reason to choose in a form.
type reasonOption struct{ Code, Label string }

// manualReasons are the reasons an admin chooses from when opening a manual dispute.
func manualReasons() []reasonOption {
	out := make([]reasonOption, 0, len(dispute.Reasons(dispute.Manual)))
	for _, code := range dispute.Reasons(dispute.Manual) {
		out = append(out, reasonOption{Code: code, Label: reasonLabels[code]})
	}
	return out
}
