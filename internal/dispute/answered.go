package dispute

// AnsweredWithEvidence reports whether the merchant answers a dispute of type t with its own
// evidence to a bank or a payment provider: a chargeback, an inquiry, or a manual dispute (one of
// those, entered by hand). An alert is settled before any evidence, and a marketplace dispute is
// decided by the merchant between its buyer and vendor.
func (t Type) AnsweredWithEvidence() bool {
	return t == Chargeback || t == Inquiry || t == Manual
}
