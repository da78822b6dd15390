package dispute

import (
	"slices"
	"strings"

	"disputed/internal/fault"
)

// The reasons a dispute is opened for: Stripe's dispute.reason values, which the providers'
// reasons are mapped to (PayPal's UNAUTHORISED is fraudulent, its
// MERCHANDISE_OR_SERVICE_NOT_RECEIVED product_not_received, …), so that one vocabulary serves
// every kind of dispute.
const (
	ReasonBankCannotProcess       = "bank_cannot_process"
	ReasonCheckReturned           = "check_returned"
	ReasonCreditNotProcessed      = "credit_not_processed"
	ReasonCustomerInitiated       = "customer_initiated"
	ReasonDebitNotAuthorized      = "debit_not_authorized"
	ReasonDuplicate               = "duplicate"
	ReasonFraudulent              = "fraudulent"
	ReasonGeneral                 = "general"
	ReasonIncorrectAccountDetails = "incorrect_account_details"
	ReasonInsufficientFunds       = "insufficient_funds"
	ReasonNoncompliant            = "noncompliant"
	ReasonProductNotReceived      = "product_not_received"
	ReasonProductUnacceptable     = "product_unacceptable"
	ReasonSubscriptionCanceled    = "subscription_canceled"
	ReasonUnrecognized            = "unrecognized"
)

// networkReasons are the reasons of a card network's or a bank's dispute (chargeback, inquiry,
// alert, and a manual dispute, which mirrors one of those handled elsewhere).
var networkReasons = []string{ReasonBankCannotProcess, ReasonCheckReturned, ReasonCreditNotProcessed,
	ReasonCustomerInitiated, ReasonDebitNotAuthorized, ReasonDuplicate, ReasonFraudulent, ReasonGeneral,
	ReasonIncorrectAccountDetails, ReasonInsufficientFunds, ReasonNoncompliant, ReasonProductNotReceived,
	ReasonProductUnacceptable, ReasonSubscriptionCanceled, ReasonUnrecognized}

// marketplaceReasons are what a buyer or vendor can complain of to the marketplace: the
// consumer reasons, without the bank-debit returns and the network's compliance cases, which
// only a bank raises.
var marketplaceReasons = []string{ReasonProductNotReceived, ReasonProductUnacceptable, ReasonCreditNotProcessed,
	ReasonSubscriptionCanceled, ReasonDuplicate, ReasonFraudulent, ReasonGeneral}

// AllReasons lists every reason of any type, for the API's schema.
var AllReasons = networkReasons

// Reasons returns the reasons a dispute of type t may have.
func Reasons(t Type) []string {
	if t == Marketplace {
		return marketplaceReasons
	}
	return networkReasons
}

// checkReason refuses a reason that is not one of its type's; "" (not said) is left to the
// caller's rules.
func checkReason(t Type, reason string) error {
	if reason == "" || slices.Contains(Reasons(t), reason) {
		return nil
	}
	return fault.Invalidf(fault.CodeInvalidValue, "reason", "%q is not a reason of a %s dispute; use one of %s (say more in description)",
		reason, t, strings.Join(Reasons(t), ", "))
}

// reasonSynonyms are the words marketplaces and people use for a coded reason.
var reasonSynonyms = map[string]string{
	"not_as_described": ReasonProductUnacceptable, "significantly_not_as_described": ReasonProductUnacceptable,
	"not_received": ReasonProductNotReceived, "item_not_received": ReasonProductNotReceived,
	"unauthorized": ReasonFraudulent, "unauthorised": ReasonFraudulent,
}

// typedReason is the reason a person gave for a manual or marketplace dispute, coded: a code
// stays; a known synonym becomes its code; other words become general, kept at the head of the
// description, so that what the person wrote is never lost and the reason stays one of the
// codes (integrations written when the reason was free text keep working). Other types (reported by networks and providers) are checked as given.
func typedReason(t Type, reason, description string) (string, string) {
	reason = strings.TrimSpace(reason)
	if (t != Manual && t != Marketplace) || reason == "" || slices.Contains(AllReasons, reason) {
		return reason, description // a code (of another type's: refused by checkReason)
	}
	if code, ok := reasonSynonyms[strings.ToLower(reason)]; ok && slices.Contains(Reasons(t), code) {
		return code, description
	}
	if description = strings.TrimSpace(description); description != "" {
		return ReasonGeneral, reason + ": " + description
	}
	return ReasonGeneral, reason
}

// ProviderReason is the reason to keep of what a provider reported: its reason when it is one of
// ours, general when the provider sent one we do not know (a provider adds values over time, and
// its dispute must still be kept), "" when it said none.
func ProviderReason(t Type, reported string) string {
	if reported == "" || slices.Contains(Reasons(t), reported) {
		return reported
	}
	return ReasonGeneral
}
