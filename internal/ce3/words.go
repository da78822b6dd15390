package ce3

// words say what each missing item means for the merchant, and what to record so that it is
// there next time: people read these, programs read the codes.
var words = map[string]string{
	MissingCustomerIdentifiers: "The disputed charge has neither the customer's IP address nor a device id: " +
		"record customer_ip or device_id on the charge or its order.",
	MissingDescription: "The disputed charge has no description of what was bought: its order has no items.",
	MissingMerchandiseOrServices: "Visa needs to know whether the charge paid for merchandise or services: " +
		"set the product type in the settings.",
	MissingPriorDescription: "One of the earlier charges has no description of what was bought: its order has no items.",
	MissingPriorUndisputedTransactions: "Two earlier charges on the same card are needed, made 120 to 365 days before " +
		"the disputed one, never disputed nor reported as fraud, each matching it on the IP address or the device " +
		"and on one more of: device, shipping address, email, account id. Record card_fingerprint, customer_ip or " +
		"device_id, shipping_address and account_id on every charge or order.",
}

// Explain is what a missing item (one of Result.Missing) means, in a sentence; the code itself
// for one it does not know.
func Explain(missing string) string {
	if w, ok := words[missing]; ok {
		return w
	}
	return missing
}
