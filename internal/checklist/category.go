package checklist

import "disputed/internal/reasoncode"

// General is the evidence category of a dispute nothing else says of: mostly procedural.
const General = "general"

// Category is a dispute's evidence category: its reason code's bucket in the reason-code
// catalogue (c, from reasoncode.Classify), else its reason's (Stripe's dispute.reason, which
// every provider's reason is mapped to), else general.
func Category(c reasoncode.Classification, reason string) string {
	if c.Entry != nil && c.Entry.EvidenceCategory != "" {
		return c.Entry.EvidenceCategory
	}
	if e, ok := reasoncode.Lookup("stripe", reason); ok && e.Code == reason && e.EvidenceCategory != "" {
		return e.EvidenceCategory
	}
	return General
}
