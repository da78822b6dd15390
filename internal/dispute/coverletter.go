package dispute

import (
	"strings"
	"unicode/utf8"

	"disputed/internal/fault"
)

// MaxCoverLetter is the longest cover letter, in bytes: a Stripe text field's 20,000, since the
// letter goes to Stripe as text.
const MaxCoverLetter = 20000

// editCoverLetter keeps the merchant's own cover letter. A letter is evidence: it is edited while
// the merchant must respond and nothing is being sent, on the disputes answered with evidence.
// An empty letter means the drafted one (internal/coverletter) goes.
func (d *Dispute) editCoverLetter(text string) error {
	if !d.Type.AnsweredWithEvidence() {
		return wrongType(d.Type, "cover letter")
	}
	if !mustRespond(d.Status) {
		return fault.InvalidState(string(d.Status), "edit the cover letter")
	}
	if err := d.refuseWhileSending("edit the cover letter"); err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	if len(text) > MaxCoverLetter {
		return fault.Invalidf(fault.CodeInvalidValue, "cover_letter", "cover_letter is longer than %d characters", MaxCoverLetter)
	}
	if !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
		return fault.Invalidf(fault.CodeInvalidValue, "cover_letter", "cover_letter must be UTF-8 text")
	}
	d.CoverLetter = text
	return nil
}
