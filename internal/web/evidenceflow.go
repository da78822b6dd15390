package web

import (
	"fmt"
	"net/http"
	"slices"

	"disputed/internal/app"
	"disputed/internal/bytesize"
	"disputed/internal/dispute"
)

// The dispute page's evidence section is a guided flow: what makes the case (the checklist),
// compile what disputed knows, fill and correct the fields (a compiled value says where it came
// from and can be edited), the cover letter, the packet checked and previewed, then submit.

// letterPart is the cover letter step.
type letterPart struct {
	Text   string
	Edited bool // the merchant's own letter; else the draft
	Error  string
}

// packetPart is the packet step, shown when asked for (rendering the packet reads every file).
type packetPart struct {
	Pages    int
	Size     string
	Fits     bool
	Limits   []string // each limit that applies, in words
	Over     []string
	Cut      []string // the exhibits to cut, in words
	Exhibits []app.PacketExhibit
	Error    string // the packet cannot be made (a file that does not read)
}

// evidenceFlow fills the page's evidence flow: the staged values' sources, an edit asked for
// (?edit=field), the cover letter, and the packet when asked for (?packet=1).
func (s *Server) evidenceFlow(r *http.Request, p *disputePage) error {
	if !p.CanStage {
		return nil
	}
	ctx, who := r.Context(), visitorOf(r.Context()).Who
	for i := range p.Staged {
		p.Staged[i].Source = p.D.EvidenceSources[p.Staged[i].Name]
		p.Staged[i].Editable = p.Staged[i].FileURL == "" && !slices.Contains(dispute.FileEvidenceFields, p.Staged[i].Name)
	}
	if field := r.URL.Query().Get("edit"); slices.Contains(dispute.EvidenceFields, field) && p.StageForm.Field == "" {
		p.StageForm = stageForm{Field: field, Value: p.D.Evidence[field]}
	}
	text, edited, err := s.app.CoverLetter(ctx, who, p.D.ID)
	if err != nil {
		return err
	}
	if p.Letter.Error == "" {
		p.Letter.Text, p.Letter.Edited = text, edited
	}
	if r.URL.Query().Get("packet") == "" {
		return nil
	}
	pk, err := s.app.DisputePacket(ctx, who, p.D.ID)
	if err != nil {
		_, msg := statusOf(err)
		p.Packet = &packetPart{Error: msg}
		return nil
	}
	part := &packetPart{Pages: pk.Pages, Size: bytesize.Format(int64(len(pk.PDF))), Fits: pk.Fit.Fits(), Over: pk.Fit.Over, Exhibits: pk.Exhibits}
	for _, l := range pk.Fit.Limits {
		part.Limits = append(part.Limits, limitWords(l))
	}
	for _, c := range pk.Fit.Cut {
		part.Cut = append(part.Cut, fmt.Sprintf("exhibit %s, %s (%d pages, %s)", c.Mark, c.Label, c.Pages, bytesize.Format(c.Bytes)))
	}
	p.Packet = part
	return nil
}

// limitWords is a provider's or network's limit for people: "Mastercard: 19 pages".
func limitWords(l dispute.PacketLimits) string {
	s := l.Name + ":"
	if l.MaxPages > 0 {
		s += fmt.Sprintf(" %d pages", l.MaxPages)
	}
	if size := l.PacketBytes(); size > 0 {
		if l.MaxPages > 0 {
			s += ","
		}
		s += " " + bytesize.Format(size)
	}
	return s
}

// compileEvidence stages what disputed knows, never over what a person wrote.
func (s *Server) compileEvidence(w http.ResponseWriter, r *http.Request) {
	s.disputeAction(w, r, func(rev *int64) (notice, error) {
		_, err := s.app.CompileEvidence(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"), rev)
		return noticeEvidenceCompiled, err
	}, func(*disputePage, string) {})
}

// saveCoverLetter keeps the merchant's letter; "Use the draft" sends none, which goes back to it.
func (s *Server) saveCoverLetter(w http.ResponseWriter, r *http.Request) {
	text := r.PostFormValue("letter")
	if r.PostFormValue("draft") == "yes" {
		text = ""
	}
	s.disputeAction(w, r, func(rev *int64) (notice, error) {
		if rev == nil {
			return "", formInvalid("The form lacks the dispute's revision: reload the page.")
		}
		_, err := s.app.UpdateDispute(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"), *rev, app.UpdateDisputeParams{
			UpdateParams: dispute.UpdateParams{CoverLetter: &text}})
		if text == "" {
			return noticeLetterDraft, err
		}
		return noticeLetterSaved, err
	}, func(p *disputePage, msg string) { p.Letter = letterPart{Text: text, Edited: true, Error: msg} })
}

// packetPDF is the packet to preview before submitting. Unlike the API's download it is shown
// even when it would not fit, so that the merchant sees what to cut; the page says it does not.
func (s *Server) packetPDF(w http.ResponseWriter, r *http.Request) {
	pk, err := s.app.DisputePacket(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"))
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s-packet.pdf"`, r.PathValue("id")))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox")
	h.Set("Cache-Control", "private, no-store")
	_, _ = w.Write(pk.PDF)
}
