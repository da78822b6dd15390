package web

import (
	"disputed/internal/checklist"
	"net/http"
	"net/url"
	"strings"
	"time"

	"disputed/internal/app"
	"disputed/internal/bytesize"
	"disputed/internal/dispute"
	"disputed/internal/store"
)

// portalDisputesPP is how many disputes the portal lists at once.
const portalDisputesPP = 50

// portalAccept is the file input's hint to the browser (the server checks the content).
const portalAccept = ".png,.jpg,.jpeg,.gif,.webp,.pdf,.txt,image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain"

// portalRoutes is the portal for buyers and vendors: their own disputes, their status and
// resolution, and the evidence they add while the dispute allows it. It never shows internal
// notes, the timeline or anything else that is the merchant's own.
func (s *Server) portalRoutes() {
	m := s.mux
	m.HandleFunc("GET /portal", s.signedIn(false, s.portalHome))
	m.HandleFunc("GET /portal/disputes/{id}", s.signedIn(false, s.portalDispute))
	m.HandleLimited("POST /portal/disputes/{id}/evidence", evidenceMaxBody, s.upload(false, s.portalAddEvidence))
	m.HandleFunc("GET /portal/disputes/{id}/evidence/{item}/file", s.signedIn(false, s.evidenceFile))
}

// portalView is a dispute as its parties see it: what is theirs to know, nothing internal.
type portalView struct {
	ID              string
	Type            string
	Status          string
	StatusText      string // the status in words
	StatusNote      string
	Reason          string // in words
	Description     string
	Amount          int64
	Currency        string
	OrderID         string
	InitiatedBy     string
	DueBy           time.Time
	Resolution      string
	ResolutionNotes string
	ResolvedAt      time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
	// In the list: the buyer's name and what was bought (the order's first item, and how many
	// more it has).
	Customer  string
	FirstItem string
	More      int
}

func viewOfDispute(d dispute.Dispute) portalView {
	return portalView{ID: d.ID, Type: string(d.Type), Status: string(d.Status), StatusText: humanize(string(d.Status)),
		StatusNote: portalStatusNote(d), Reason: reasonWords(d.Reason),
		Description: d.Description, Amount: d.Amount, Currency: d.Currency, OrderID: d.OrderID, InitiatedBy: string(d.InitiatedBy),
		DueBy: shownDue(d), Resolution: humanize(string(d.Resolution)), ResolutionNotes: d.ResolutionNotes, ResolvedAt: d.ResolvedAt,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

func viewOfListed(d app.ListedDispute) portalView {
	v := viewOfDispute(d.Dispute)
	v.Customer, v.FirstItem, v.More = d.Summary.CustomerName, d.Summary.FirstItem, max(d.Summary.Items-1, 0)
	return v
}

// portalStatusNote says in a sentence what the status means for a party.
func portalStatusNote(d dispute.Dispute) string {
	if d.Type == dispute.Marketplace {
		switch d.Status {
		case dispute.Open:
			return "Open: both sides may add evidence until the merchant starts the review."
		case dispute.PendingReview:
			return "Under review by the merchant: evidence can no longer be added."
		case dispute.Escalated:
			return "Escalated: the merchant is looking into it further."
		case dispute.Resolved:
			return "Resolved: the merchant has decided (see the resolution below)."
		case dispute.Closed:
			return "Closed: this dispute is over."
		}
	}
	if dispute.Ended(d.Status) {
		return "This dispute has ended."
	}
	return "The merchant is handling this dispute."
}

// portalEvidence is an evidence item as the parties see it: who added it by side, not by account.
type portalEvidence struct {
	ID          string
	Type        string
	Content     string
	Cut         bool   // Content is the start of the item's text
	Link        string // for links: the URL to follow
	Description string
	FileName    string
	ContentType string
	File        fileLink
	Size        string
	By          string
	CreatedAt   time.Time
}

func viewOfEvidence(it dispute.EvidenceItem) portalEvidence {
	e := portalEvidence{ID: it.ID, Type: string(it.Type), Content: it.Content, Description: it.Description, FileName: it.FileName,
		ContentType: it.ContentType, By: string(it.Party), CreatedAt: it.CreatedAt}
	if e.By == "" {
		e.By = "merchant"
	}
	if it.Type == dispute.ItemLink {
		if u, err := url.Parse(it.Content); err == nil && (u.Scheme == "https" || u.Scheme == "http") {
			e.Link = u.String()
		}
	}
	if it.Type == dispute.ItemFile || it.Type == dispute.ItemImage {
		e.Size = bytesize.Format(it.Size)
		e.File = linkOf("/portal", it)
	}
	return e
}

// portalHomePage lists the visitor's disputes.
type portalHomePage struct {
	Party    string // buyer or vendor
	PartyID  string
	Disputes []portalView
	Pager    pager
	Now      time.Time
}

func (s *Server) portalHome(w http.ResponseWriter, r *http.Request) {
	v := visitorOf(r.Context())
	if v.Who.IsStaff() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	pg, nav := listPage(r, portalDisputesPP)
	ds, more, err := s.app.ListedDisputes(r.Context(), v.Who, store.DisputeFilter{Page: pg})
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	views := make([]portalView, 0, len(ds))
	for _, d := range ds {
		views = append(views, viewOfListed(d))
	}
	s.render(w, r, http.StatusOK, "portal.html", "My disputes", portalHomePage{Party: string(v.Who.Role), PartyID: v.Who.PartyID,
		Disputes: views, Pager: nav.withMore(more), Now: s.cfg.Now()})
}

// portalEvidenceForm is what the visitor typed, to show it again when it was refused.
type portalEvidenceForm struct {
	Type        string
	Content     string
	Description string
}

// portalDisputePage is one dispute with its evidence and, while the visitor may add to it, the
// forms that do.
type portalDisputePage struct {
	Dispute  portalView
	Evidence []portalEvidence
	// EvidencePager is the page of evidence items shown.
	EvidencePager evidencePager
	CanAdd        bool
	// Helps is what would help the party's case, while it may add evidence.
	Helps   []checklist.Item
	Form    portalEvidenceForm
	Message string
	Accept  string
	MaxFile string
	Now     time.Time
}

func (p portalDisputePage) problem() string { return p.Message }

func (s *Server) portalDispute(w http.ResponseWriter, r *http.Request) {
	v := visitorOf(r.Context())
	id := r.PathValue("id")
	if v.Who.IsStaff() {
		http.Redirect(w, r, "/disputes/"+url.PathEscape(id), http.StatusSeeOther)
		return
	}
	s.showPortalDispute(w, r, http.StatusOK, id, portalEvidenceForm{Type: "text"}, "")
}

func (s *Server) showPortalDispute(w http.ResponseWriter, r *http.Request, status int, id string, f portalEvidenceForm, msg string) {
	ctx, who := r.Context(), visitorOf(r.Context()).Who
	d, err := s.app.Dispute(ctx, who, id)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	pg, nav := readEvidencePage(r)
	items, more, err := s.app.Evidence(ctx, who, id, pg)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	ev := make([]portalEvidence, 0, len(items))
	for _, it := range items {
		e := viewOfEvidence(it)
		e.Content, e.Cut = nav.cutItem(it)
		ev = append(ev, e)
	}
	// Parties add evidence to a marketplace dispute while it is open; the app enforces it, the
	// page only avoids offering a form that would be refused.
	canAdd := d.Type == dispute.Marketplace && d.Status == dispute.Open
	var helps []checklist.Item
	if canAdd {
		product, err := s.app.ProductType(ctx)
		if err != nil {
			s.failWith(w, r, err)
			return
		}
		helps = partyHelps(d, product)
	}
	s.render(w, r, status, "portal_dispute.html", "Dispute "+d.ID, portalDisputePage{Dispute: viewOfDispute(d), Evidence: ev, Helps: helps,
		EvidencePager: evidencePager{pager: nav.withMore(more), Full: nav.Full},
		CanAdd:        canAdd, Form: f, Message: msg, Accept: portalAccept, MaxFile: bytesize.Format(dispute.MaxFileBytes), Now: s.cfg.Now()})
}

// portalAddEvidence appends a text, a link, or an uploaded image or file.
func (s *Server) portalAddEvidence(w http.ResponseWriter, r *http.Request) {
	v := visitorOf(r.Context())
	if v.Who.IsStaff() {
		s.fail(w, r, http.StatusForbidden, "The portal is for buyers and vendors: add evidence on the dispute's page in the admin UI.")
		return
	}
	id := r.PathValue("id")
	f := portalEvidenceForm{Type: r.PostFormValue("type"), Content: r.PostFormValue("content"), Description: strings.TrimSpace(r.PostFormValue("description"))}
	p := app.EvidenceParams{Type: f.Type, Content: f.Content, Description: f.Description}
	switch f.Type {
	case "text", "link":
		if f.Type == "link" {
			p.Content = strings.TrimSpace(p.Content)
		}
	case "upload":
		up, msg, status := readUpload(r)
		if msg != "" {
			s.showPortalDispute(w, r, status, id, portalEvidenceForm{Type: "upload", Description: f.Description}, msg)
			return
		}
		p = up
		p.Description = f.Description
		f.Content = ""
	default:
		s.showPortalDispute(w, r, http.StatusUnprocessableEntity, id, portalEvidenceForm{Type: "text"}, "Choose what to add: a text, a link or a file.")
		return
	}
	if _, _, err := s.app.AddEvidence(r.Context(), v.Who, id, nil, p); err != nil {
		if status, msg, ok := formProblem(err); ok {
			s.showPortalDispute(w, r, status, id, f, msg)
			return
		}
		s.failWith(w, r, err)
		return
	}
	done(w, r, "/portal/disputes/"+url.PathEscape(id), noticeEvidenceAdded)
}

// readUpload reads the form's file; what it may be is decided when it is added
// (dispute.CheckFile). It returns a message for the visitor (and the status) when there is none.
func readUpload(r *http.Request) (app.EvidenceParams, string, int) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return app.EvidenceParams{}, "Choose a file to upload.", http.StatusUnprocessableEntity
	}
	fh := r.MultipartForm.File["file"][0]
	data, err := readUploadedFile(fh)
	if err != nil {
		status, msg := statusOf(err)
		return app.EvidenceParams{}, msg, status
	}
	return app.EvidenceParams{FileName: fh.Filename, File: data}, "", 0
}
