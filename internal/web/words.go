package web

import (
	"strings"
	"unicode"
)

// Plain words for the machine values the pages show: dispute reasons, network reason codes,
// statuses and timeline actions. The API keeps the codes; people read these.

// networkCodeNames are the card networks' reason codes that a dispute may carry, by name
// (Visa, Mastercard, American Express).
var networkCodeNames = map[string]string{
	"10.1": "Visa 10.1 · EMV liability shift counterfeit fraud", "10.2": "Visa 10.2 · EMV liability shift non-counterfeit fraud",
	"10.3": "Visa 10.3 · Other fraud, card present", "10.4": "Visa 10.4 · Other fraud, card absent",
	"10.5": "Visa 10.5 · Visa Fraud Monitoring Program", "11.1": "Visa 11.1 · Card recovery bulletin",
	"11.2": "Visa 11.2 · Declined authorization", "11.3": "Visa 11.3 · No authorization",
	"12.1": "Visa 12.1 · Late presentment", "12.2": "Visa 12.2 · Incorrect transaction code",
	"12.3": "Visa 12.3 · Incorrect currency", "12.4": "Visa 12.4 · Incorrect account number",
	"12.5": "Visa 12.5 · Incorrect amount", "12.6.1": "Visa 12.6.1 · Duplicate processing",
	"12.6.2": "Visa 12.6.2 · Paid by other means", "12.7": "Visa 12.7 · Invalid data",
	"13.1": "Visa 13.1 · Merchandise or services not received", "13.2": "Visa 13.2 · Cancelled recurring",
	"13.3": "Visa 13.3 · Not as described or defective", "13.4": "Visa 13.4 · Counterfeit merchandise",
	"13.5": "Visa 13.5 · Misrepresentation", "13.6": "Visa 13.6 · Credit not processed",
	"13.7": "Visa 13.7 · Cancelled merchandise or services", "13.8": "Visa 13.8 · Original credit transaction not accepted",
	"13.9": "Visa 13.9 · Non-receipt of cash or load value",
	"4808": "Mastercard 4808 · Authorization-related", "4812": "Mastercard 4812 · Account number not on file",
	"4831": "Mastercard 4831 · Transaction amount differs", "4834": "Mastercard 4834 · Point-of-interaction error",
	"4837": "Mastercard 4837 · No cardholder authorization", "4840": "Mastercard 4840 · Fraudulent processing of transactions",
	"4841": "Mastercard 4841 · Cancelled recurring or digital goods", "4842": "Mastercard 4842 · Late presentment",
	"4846": "Mastercard 4846 · Correct currency code not provided", "4849": "Mastercard 4849 · Questionable merchant activity",
	"4853": "Mastercard 4853 · Cardholder dispute", "4855": "Mastercard 4855 · Goods or services not provided",
	"4859": "Mastercard 4859 · Addendum, no-show or ATM dispute", "4860": "Mastercard 4860 · Credit not processed",
	"4863": "Mastercard 4863 · Cardholder does not recognize", "4870": "Mastercard 4870 · Chip liability shift",
	"4871": "Mastercard 4871 · Chip/PIN liability shift",
	"A01":  "Amex A01 · Charge amount exceeds authorization", "A02": "Amex A02 · No valid authorization",
	"A08": "Amex A08 · Authorization approval expired", "C02": "Amex C02 · Credit not processed",
	"C04": "Amex C04 · Goods or services returned or refused", "C05": "Amex C05 · Goods or services canceled",
	"C08": "Amex C08 · Goods or services not received", "C14": "Amex C14 · Paid by other means",
	"C18": "Amex C18 · No show or CARDeposit canceled", "C28": "Amex C28 · Canceled recurring billing",
	"C31": "Amex C31 · Goods or services not as described", "C32": "Amex C32 · Goods or services damaged or defective",
	"F10": "Amex F10 · Missing imprint", "F14": "Amex F14 · Missing signature",
	"F24": "Amex F24 · No card member authorization", "F29": "Amex F29 · Card not present",
}

// reasonWords is a dispute's reason in words: a known code by its name, another code
// (lower-case words joined by _) as words, and a reason typed by a person as it was typed.
func reasonWords(reason string) string {
	if n, ok := reasonLabels[reason]; ok {
		return n
	}
	if isCode(reason) {
		return capitalize(humanize(reason))
	}
	return reason
}

// networkCodeWords is a network reason code with the network and its name, when known.
func networkCodeWords(code string) string {
	if n, ok := networkCodeNames[strings.ToUpper(strings.TrimSpace(code))]; ok {
		return n
	}
	return code
}

// isCode reports whether s is a machine value: lower-case letters, digits and _.
func isCode(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_')
	}) < 0
}

// capitalize upper-cases the first letter.
func capitalize(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}
