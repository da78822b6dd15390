package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"disputed/internal/app"
	"disputed/internal/bytesize"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/store"
)

// disputePage is the dispute page: seven numbered sections, the evidence and the actions.
type disputePage struct {
	Now      time.Time
	D        dispute.Dispute
	Active   bool // the dispute is open: its order's lines stay suspended
	Status   chip
	Deadline chip
	Actions  []string // what can be done now, in words
	// Due is the due date while the dispute is open; an ended dispute has none to show.
	Due time.Time
	// Reason and NetworkCode are the dispute's reason and network reason code in words;
	// ReasonFamily the family the catalogue puts it in; CodeUnknown flags a code it lacks.
	Reason, NetworkCode, ReasonFamily string
	CodeUnknown                       bool

	// (2) the order, its items and service lines
	Order *orderPart
	// (3) the disputed payment
	Payment       *app.TransactionView
	PaymentActive bool // the payment is flagged Active Dispute (by this dispute)
	// (4) admin notes
	Notes []store.Note
	// (5) details
	ProviderType string
	ProviderLink string
	Defendable   bool      // the merchant can still answer with evidence
	Fees         []feeLine // what the provider charged and gave back
	// Advice is what fighting the dispute is worth; nil with nothing to decide.
	Advice   *advice
	Metadata []keyValue
	// ExtendedFields are the dispute's values of the merchant's extended fields, by title.
	ExtendedFields []keyValue
	// (6) timeline, (7) customer emails
	Timeline []timelineLine
	Emails   []store.Email
	// names maps the actors the page shows (timeline, notes, evidence, resolution) to people.
	names map[string]string

	// Evidence: the staged dictionary and the appended items.
	Staged      []stagedField
	StagedState string
	HasEvidence bool // staged or appended here, or held by the provider
	Items       []evidenceRow
	// EvidencePager is the page of evidence items shown.
	EvidencePager evidencePager
	Fields        []fieldOption // the dictionary's fields, by label
	FileFields    []fieldOption // those that take a file: an item's file is staged under one
	// Checklist is the evidence the case needs and where each item stands; nil for an alert or
	// a marketplace dispute.
	Checklist *checklistPart
	// CE3 is where a Visa 10.4 dispute stands against Visa Compelling Evidence 3.0; nil for others.
	CE3          *ce3Part
	Letter       letterPart
	Packet       *packetPart // the packet checked, when asked for (?packet=1)
	UploadLimits string

	// Submission is where the answer stands at the provider, for a provider's dispute.
	Submission   *dispute.Submission
	ProviderName string // the provider as people name it: Stripe, PayPal, or its configured name
	CanRetry     bool   // the answer failed to reach the provider and may be sent again

	CanStage    bool
	CanSubmit   bool
	CanAddItem  bool
	CanConcede  bool // concede a card-network or manual dispute
	LossRefunds bool // a loss is recorded as the customer's refund, not a withdrawal (dispute.LossRefunds)
	CanClose    bool // close a resolved marketplace dispute
	CanResolve  bool
	Moves       []choice
	Resolutions []choice
	Marketplace bool

	// Unmatched is set for an open dispute matched to no charge (a provider's, usually): the
	// page says so and offers to match it.
	Unmatched   bool
	MatchForm   matchForm
	DetailsForm detailsForm
	NoteForm    noteForm
	ItemForm    itemForm
	StageForm   stageForm
	ConcedeForm concedeForm
	MoveForm    moveForm
	ResolveForm resolveForm
	// Refund is the refund through its provider an open alert or inquiry can have; nil when none.
	Refund     *app.RefundOffer
	RefundForm refundAlertForm
	Message    string
}

func (p disputePage) problem() string { return p.Message }

func (p disputePage) providerName() string { return p.ProviderName }

// providerTitle is how people name a provider: its type's title (Stripe, PayPal) when it is
// named after its type, else the name it was configured with.
func (s *Server) providerTitle(name, typ string) string {
	if t, ok := s.app.ProviderType(typ); ok && name == typ && t.Title != "" {
		return t.Title
	}
	return name
}

// Who names a recorded actor ("admin:usr_…") for people: the user's email, "API key …".
func (p disputePage) Who(recorded string) string {
	if n := p.names[recorded]; n != "" {
		return n
	}
	return recorded
}

// orderPart is the order section of the dispute page.
type orderPart struct {
	Order    order.Order
	Status   chip
	Customer store.Customer
	Items    []itemRow
	Lines    []lineRow
}

type keyValue struct{ Name, Value string }

// stagedField is a field of the evidence for the provider; FileURL opens the file an item
// reference names.
type stagedField struct {
	keyValue
	FileURL  string
	Source   string // where the compiler found the value; "" for a person's
	Editable bool   // a text value, which the stage form can change
}

type choice struct{ Value, Label, Help string }

type evidenceRow struct {
	dispute.EvidenceItem
	IsLink bool
	IsFile bool
	File   fileLink
	Size   string
	Cut    bool // Content is the start of the item's text
}

type noteForm struct{ Body, Error string }

type itemForm struct{ Type, Content, Description, Error string }

type stageForm struct {
	Field, Value string
	Submit       bool
	Error        string
}

type concedeForm struct {
	Shown       bool
	Note, Error string
}

type moveForm struct{ Status, Note, Error string }

type resolveForm struct {
	Shown                    bool
	Resolution, RefundAmount string
	Notes, Error             string
	TerminateLines           bool
}

// resolutionHelp says what each resolution does.
var resolutionHelp = map[dispute.Resolution]string{
	dispute.ResolutionWon:                  "The merchant won: suspended service lines are enabled again and withdrawn funds reinstated.",
	dispute.ResolutionLost:                 "The customer won: the disputed funds are withdrawn and the service lines terminated.",
	dispute.CouldNotFindOrder:              "No order matches the alert; nothing else happens.",
	dispute.DeclinedOrCanceledNothingToDo:  "The payment was declined or cancelled; service lines are enabled again.",
	dispute.IssuedFullRefund:               "Refund what is left of the charge; the service lines are terminated.",
	dispute.IssuedRefundForRemainingAmount: "Refund what is left of the charge; the service lines are terminated.",
	dispute.ThreeDSAuthorizedSuccessfully:  "The payment was 3-D Secure authenticated; service lines are enabled again.",
	dispute.PreviouslyRefundedNothingToDo:  "Already refunded; the service lines are terminated.",
	dispute.UnableToRefundAccountClosed:    "No refund is possible; service lines are enabled again.",
	dispute.Other:                          "Another explanation, given in the notes.",
	dispute.FullRefund:                     "Refund the buyer in full: the order is refunded and its service lines terminated.",
	dispute.PartialRefund:                  "Refund the amount below: the order is partially refunded; lines are enabled unless you terminate them.",
	dispute.FavorVendor:                    "The vendor keeps the payment: the order stays completed and its lines are enabled again.",
	dispute.FavorBuyer:                     "Refund the buyer in full: the order is refunded and its service lines terminated.",
	dispute.MutualAgreement:                "The parties agreed: no refund here; lines are enabled unless you terminate them.",
}

func (s *Server) disputePage(w http.ResponseWriter, r *http.Request) {
	s.showDispute(w, r, http.StatusOK, r.PathValue("id"), nil)
}

// showDispute renders the dispute page, adjusted (a refused form shown again) when adjust is given.
func (s *Server) showDispute(w http.ResponseWriter, r *http.Request, status int, id string, adjust func(*disputePage)) {
	p, err := s.loadDispute(r, id)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	if adjust != nil {
		adjust(&p)
	}
	s.render(w, r, status, "dispute.html", "Dispute "+id, p)
}

func (s *Server) loadDispute(r *http.Request, id string) (disputePage, error) {
	ctx := r.Context()
	who := visitorOf(ctx).Who
	d, err := s.app.Dispute(ctx, who, id)
	if err != nil {
		return disputePage{}, err
	}
	now := s.cfg.Now()
	p := disputePage{Now: now, D: d, Active: d.IsOpen(), Status: statusBadge(d.Status), Deadline: deadlineBadge(d, now),
		Due: shownDue(d), Reason: reasonWords(d.Reason),
		Marketplace: d.Type == dispute.Marketplace, Fields: fieldOptions(dispute.EvidenceFields), FileFields: fieldOptions(dispute.FileEvidenceFields),
		Unmatched: d.IsOpen() && !d.Matched() && d.Type != dispute.Marketplace}
	p.NetworkCode, p.ReasonFamily, p.CodeUnknown = reasonCodeWords(d)
	defs, err := s.app.FieldDefinitions(ctx, who)
	if err != nil {
		return disputePage{}, err
	}
	p.DetailsForm = detailsFormOf(d, defs)
	p.ExtendedFields = extendedFieldsShown(d, defs)
	for _, a := range d.Actions() {
		p.Actions = append(p.Actions, humanize(a.Name))
	}
	if d.OrderID != "" {
		v, err := s.app.Order(ctx, who, d.OrderID)
		if err != nil {
			return disputePage{}, err
		}
		c, err := s.customer(r, v.Order.CustomerID)
		if err != nil {
			return disputePage{}, err
		}
		part := &orderPart{Order: v.Order, Status: orderStatusBadge(v.Order.Status), Customer: c}
		part.Items, part.Lines = orderRows(v)
		if err := s.addActivity(ctx, who, v.Order.ID, part.Lines); err != nil {
			return disputePage{}, err
		}
		p.Order = part
	}
	if d.TransactionID != "" {
		t, err := s.app.Transaction(ctx, who, d.TransactionID)
		switch f, ok := fault.As(err); {
		case err == nil:
			p.Payment = &t
			p.PaymentActive = t.ActiveDispute != nil && t.ActiveDispute.ID == d.ID
		case !ok || f.Kind != fault.NotFound:
			return disputePage{}, err
		}
	}
	if p.Notes, err = s.app.Notes(ctx, who, id); err != nil {
		return disputePage{}, err
	}
	types, err := s.app.ProviderTypes(ctx, who)
	if err != nil {
		return disputePage{}, err
	}
	p.ProviderType = types[d.Provider]
	if _, named := s.app.ProviderType(d.Provider); p.ProviderType == "" && named {
		p.ProviderType = d.Provider // a provider no longer configured, named after its type
	}
	p.ProviderLink = s.app.ProviderDisputeURL(p.ProviderType, d.ProviderDisputeID)
	p.Defendable = d.Defendable(now)
	if typ, link := s.manualProviderLink(d); link != "" {
		p.ProviderType, p.ProviderLink = typ, link
	}
	p.ProviderName = s.providerTitle(d.Provider, p.ProviderType)
	if sub, ok := d.SubmissionStatus(); ok {
		p.Submission = &sub
		p.CanRetry = d.SubmissionFailedNow()
	}
	p.Fees = feeLines(d.Fees, p.ProviderType, d.Provider)
	recs, err := s.app.Recommendations(ctx, who, d)
	if err != nil {
		return disputePage{}, err
	}
	rec, ok := recs[d.ID]
	p.Advice = adviceOf(rec, ok)
	p.Metadata = sortedFields(d.Metadata)
	entries, err := s.app.Timeline(ctx, who, id)
	if err != nil {
		return disputePage{}, err
	}
	if p.Emails, err = s.app.Emails(ctx, who, store.EmailFilter{DisputeID: id}); err != nil {
		return disputePage{}, err
	}
	pg, nav := readEvidencePage(r)
	items, more, err := s.app.Evidence(ctx, who, id, pg)
	if err != nil {
		return disputePage{}, err
	}
	p.EvidencePager = evidencePager{pager: nav.withMore(more), Full: nav.Full}
	for _, it := range items {
		row := evidenceRow{EvidenceItem: it, IsLink: it.Type == dispute.ItemLink,
			IsFile: it.Type == dispute.ItemFile || it.Type == dispute.ItemImage, File: linkOf("", it), Size: bytesize.Format(it.Size)}
		row.Content, row.Cut = nav.cutItem(it)
		p.Items = append(p.Items, row)
	}
	for _, kv := range sortedFields(d.Evidence) {
		f := stagedField{keyValue: kv}
		if dispute.IsItemRef(kv.Name, kv.Value) {
			f.FileURL = filePath("", d.ID, kv.Value)
		}
		p.Staged = append(p.Staged, f)
	}
	p.HasEvidence = d.HasEvidence()
	product, err := s.app.ProductType(ctx)
	if err != nil {
		return disputePage{}, err
	}
	p.Checklist = checklistOf(d, product)
	standing, err := s.app.VisaCE3(ctx, who, d)
	if err != nil {
		return disputePage{}, err
	}
	p.CE3 = ce3Of(standing)
	responding := d.Status == dispute.NeedsResponse || d.Status == dispute.WarningNeedsResponse
	networkLike := d.Type == dispute.Chargeback || d.Type == dispute.Inquiry || d.Type == dispute.Manual
	switch {
	case !networkLike:
	case responding && d.SubmissionCount > 0:
		p.StagedState = fmt.Sprintf("Staged, not submitted yet (submitted %d time(s) before)", d.SubmissionCount)
	case responding:
		p.StagedState = "Staged, not submitted yet"
	case d.SubmissionCount > 0:
		p.StagedState = fmt.Sprintf("Submitted (%d time(s))", d.SubmissionCount)
	default:
		p.StagedState = "Never submitted"
	}
	acts := d.Actions()
	has := func(name string) bool {
		return slices.ContainsFunc(acts, func(a dispute.Action) bool { return a.Name == name })
	}
	p.CanStage = networkLike && responding
	p.CanSubmit = has("submit_evidence")
	p.CanAddItem = !dispute.Final(d.Status) && (d.Type == dispute.Marketplace || networkLike && responding)
	p.CanConcede = networkLike && has("accept")
	p.LossRefunds = dispute.LossRefunds(d.Type)
	p.CanClose = d.Type == dispute.Marketplace && has("close")
	p.CanResolve = dispute.CanResolve(d.Type, d.Status)
	if p.Refund, err = s.refundOffer(r, d); err != nil {
		return disputePage{}, err
	}
	p.Moves = statusMoves(d)
	p.Resolutions = resolutionChoices(d)
	p.UploadLimits = "Files up to 10 MiB: " + dispute.FileKindNames() + "."
	actors := []string{d.ResolvedBy}
	for _, n := range p.Notes {
		actors = append(actors, n.Author)
	}
	for _, it := range p.Items {
		actors = append(actors, it.AddedBy)
	}
	if p.Timeline, p.names, err = s.timelineOf(r, entries, actors...); err != nil {
		return disputePage{}, err
	}
	if err := s.evidenceFlow(r, &p); err != nil {
		return disputePage{}, err
	}
	return p, nil
}

// shownDue is the due date a page shows: none once the dispute has ended, when nobody has
// anything to do by it any more.
func shownDue(d dispute.Dispute) time.Time {
	if !d.IsOpen() {
		return time.Time{}
	}
	return d.DueBy
}

// statusMoves are the status changes the dispute's machine allows from where it is, resolutions aside.
func statusMoves(d dispute.Dispute) []choice {
	candidates := dispute.Statuses(d.Type)
	if d.Type == dispute.Inquiry {
		candidates = append(candidates, dispute.NeedsResponse)
	}
	var out []choice
	for _, st := range candidates {
		if !dispute.CanMove(d.Type, d.Status, st) || (st == dispute.Closed && d.Type == dispute.Marketplace) {
			continue // closing a resolved marketplace dispute has its own button
		}
		label := humanize(string(st))
		switch {
		case d.Type == dispute.Inquiry && st == dispute.NeedsResponse:
			label += " (escalate to a chargeback)"
		case d.Status == dispute.UnderReview && st == dispute.NeedsResponse:
			label += " (escalate to the next stage)"
		case st == dispute.UnderReview || st == dispute.WarningUnderReview:
			label += " (evidence went in elsewhere)"
		}
		out = append(out, choice{Value: string(st), Label: label})
	}
	return out
}

// resolutionChoices are the resolutions the dispute's type accepts (an unmatched alert only two).
func resolutionChoices(d dispute.Dispute) []choice {
	var out []choice
	for _, res := range dispute.Resolutions(d.Type) {
		if d.Type == dispute.Alert && !d.Matched() && res != dispute.CouldNotFindOrder && res != dispute.Other {
			continue
		}
		out = append(out, choice{Value: string(res), Label: humanize(string(res)), Help: resolutionHelp[res]})
	}
	return out
}

func sortedFields(m map[string]string) []keyValue {
	out := make([]keyValue, 0, len(m))
	for k, v := range m {
		out = append(out, keyValue{Name: k, Value: v})
	}
	slices.SortFunc(out, func(a, b keyValue) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// disputeAction is the common part of the dispute page's forms: it reads the revision the page
// was rendered at and, when the action is refused, shows the page again with the reason.
func (s *Server) disputeAction(w http.ResponseWriter, r *http.Request, act func(rev *int64) (notice, error), refused func(p *disputePage, msg string)) {
	id := r.PathValue("id")
	rev, err := revisionOf(r)
	var n notice
	if err == nil {
		n, err = act(rev)
	}
	if err != nil {
		status, msg := refusal(err)
		if status == http.StatusNotFound {
			s.failWith(w, r, err)
			return
		}
		s.showDispute(w, r, status, id, func(p *disputePage) {
			p.Message = msg
			refused(p, msg)
		})
		return
	}
	done(w, r, "/disputes/"+id, n)
}

// formInvalid is a refusal of a form's values (422) with a message for people.
func formInvalid(msg string) error {
	return fault.New(fault.Invalid, fault.CodeInvalidForm, "", "%s", msg)
}

func (s *Server) addNote(w http.ResponseWriter, r *http.Request) {
	body := r.PostFormValue("body")
	s.disputeAction(w, r, func(*int64) (notice, error) {
		if strings.TrimSpace(body) == "" {
			return "", formInvalid("Write the note first.")
		}
		_, err := s.app.AddNote(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"), body)
		return noticeNoteAdded, err
	}, func(p *disputePage, msg string) { p.NoteForm = noteForm{Body: body, Error: msg} })
}

// addEvidence appends an item: text or a link typed in, or an uploaded file or image.
func (s *Server) addEvidence(w http.ResponseWriter, r *http.Request) {
	f := itemForm{Type: r.PostFormValue("type"), Content: r.PostFormValue("content"), Description: r.PostFormValue("description")}
	s.disputeAction(w, r, func(rev *int64) (notice, error) {
		p := app.EvidenceParams{Type: f.Type, Content: f.Content, Description: f.Description}
		file, header, err := r.FormFile("file")
		switch {
		case errors.Is(err, http.ErrMissingFile):
			if f.Type == string(dispute.ItemFile) || f.Type == string(dispute.ItemImage) {
				return "", formInvalid("Choose the file to upload.")
			}
		case err != nil:
			return "", fault.New(fault.Malformed, fault.CodeMalformedRequest, "file", "the uploaded file could not be read")
		default:
			_ = file.Close()
			if p.File, err = readUploadedFile(header); err != nil {
				return "", err
			}
			p.FileName = header.Filename
		}
		_, _, err = s.app.AddEvidence(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"), rev, p)
		return noticeEvidenceAdded, err
	}, func(p *disputePage, msg string) { f.Error = msg; p.ItemForm = f })
}

// stageEvidence sets one field of the evidence dictionary (empty removes it), and submits the
// dictionary when asked.
func (s *Server) stageEvidence(w http.ResponseWriter, r *http.Request) {
	f := stageForm{Field: r.PostFormValue("field"), Value: r.PostFormValue("value"), Submit: r.PostFormValue("submit") == "yes"}
	s.disputeAction(w, r, func(rev *int64) (notice, error) {
		if rev == nil {
			return "", fault.New(fault.Malformed, fault.CodeParameterMissing, "revision", "the form lacks the dispute's revision: reload the page")
		}
		if f.Field == "" {
			return "", formInvalid("Choose the evidence field.")
		}
		d, err := s.app.UpdateDispute(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"), *rev, app.UpdateDisputeParams{
			UpdateParams: dispute.UpdateParams{Evidence: map[string]string{f.Field: f.Value}, Submit: f.Submit}})
		switch {
		case f.Submit && d.AnsweredAtProvider():
			return noticeStagedSending, err
		case f.Submit:
			return noticeStagedSubmitted, err
		}
		return noticeEvidenceStaged, err
	}, func(p *disputePage, msg string) { f.Error = msg; p.StageForm = f })
}

func (s *Server) submitEvidence(w http.ResponseWriter, r *http.Request) {
	s.disputeAction(w, r, func(rev *int64) (notice, error) {
		d, err := s.app.SubmitDispute(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"), rev)
		if d.AnsweredAtProvider() {
			return noticeEvidenceSending, err
		}
		return noticeEvidenceSent, err
	}, func(*disputePage, string) {})
}

// concede gives up a card-network or manual dispute, or closes a resolved marketplace dispute.
func (s *Server) concede(w http.ResponseWriter, r *http.Request) {
	note := r.PostFormValue("note")
	s.disputeAction(w, r, func(rev *int64) (notice, error) {
		if !ticked(r) {
			return "", formInvalid("Tick the box to confirm; this cannot be undone.")
		}
		d, err := s.app.CloseDispute(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"), rev, note)
		switch {
		case d.Type == dispute.Marketplace:
			return noticeDisputeClosed, err
		case d.AnsweredAtProvider():
			return noticeConcessionSending, err
		}
		return noticeDisputeConceded, err
	}, func(p *disputePage, msg string) {
		p.ConcedeForm = concedeForm{Shown: p.CanConcede || p.CanClose, Note: note, Error: msg}
	})
}

func (s *Server) moveDispute(w http.ResponseWriter, r *http.Request) {
	f := moveForm{Status: r.PostFormValue("status"), Note: r.PostFormValue("note")}
	s.disputeAction(w, r, func(rev *int64) (notice, error) {
		_, err := s.app.MoveDispute(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"), rev, f.Status, f.Note)
		return noticeDisputeMoved, err
	}, func(p *disputePage, msg string) { f.Error = msg; p.MoveForm = f })
}

func (s *Server) resolveDispute(w http.ResponseWriter, r *http.Request) {
	f := resolveForm{Resolution: r.PostFormValue("resolution"), RefundAmount: strings.TrimSpace(r.PostFormValue("refund_amount")),
		Notes: r.PostFormValue("notes"), TerminateLines: r.PostFormValue("terminate_lines") == "yes"}
	s.disputeAction(w, r, func(rev *int64) (notice, error) {
		if f.Resolution == "" {
			return "", formInvalid("Choose the resolution.")
		}
		if !ticked(r) {
			return "", formInvalid("Tick the box to confirm; a resolution cannot be undone.")
		}
		p := app.ResolveParams{Resolution: f.Resolution, Notes: f.Notes, TerminateLines: f.TerminateLines}
		if f.RefundAmount != "" {
			p.RefundAmount.AmountDecimal = &f.RefundAmount
		}
		_, err := s.app.ResolveDispute(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"), rev, p)
		return noticeDisputeResolved, err
	}, func(p *disputePage, msg string) { f.Shown, f.Error = p.CanResolve, msg; p.ResolveForm = f })
}
