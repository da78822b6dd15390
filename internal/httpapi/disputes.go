package httpapi

import (
	"context"
	"encoding/json"
	"time"

	"disputed/internal/app"
	"disputed/internal/csvout"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// DisputeIn opens a dispute.
type DisputeIn struct {
	Body struct {
		Type              DisputeType                `json:"type"`
		AlertType         string                     `json:"alert_type,omitempty" enum:"tc40,safe,ethoca,cdrn,rdr"`
		Stage             DisputeStage               `json:"stage,omitempty"`
		Amount            *int64                     `json:"amount,omitempty" doc:"minor units; default: the matched charge's"`
		AmountDecimal     *string                    `json:"amount_decimal,omitempty"`
		Currency          string                     `json:"currency,omitempty"`
		Reason            string                     `json:"reason,omitempty" maxLength:"500" doc:"a coded reason (the dispute's reason enum; which a type accepts: see the README). Chargeback and inquiry: default general. Manual and marketplace: required; words that are no code are kept in description, the reason then general"`
		NetworkReasonCode string                     `json:"network_reason_code,omitempty" maxLength:"32"`
		Description       string                     `json:"description,omitempty" maxLength:"5000"`
		TransactionID     string                     `json:"transaction_id,omitempty" doc:"the disputed charge: our id, or the provider's reference for it"`
		OrderID           string                     `json:"order_id,omitempty"`
		InitiatedBy       string                     `json:"initiated_by,omitempty" enum:"buyer,vendor" doc:"marketplace disputes: who opened it"`
		Provider          string                     `json:"provider,omitempty" maxLength:"64"`
		ProviderDisputeID string                     `json:"provider_dispute_id,omitempty" maxLength:"255"`
		CaseNumber        string                     `json:"case_number,omitempty" maxLength:"255"`
		ARN               string                     `json:"arn,omitempty" maxLength:"64"`
		ExternalReference string                     `json:"external_reference,omitempty" maxLength:"255"`
		HappenedAt        *time.Time                 `json:"happened_at,omitempty"`
		DueBy             *time.Time                 `json:"due_by,omitempty"`
		Tags              []string                   `json:"tags,omitempty"`
		Metadata          map[string]string          `json:"metadata,omitempty"`
		ExtendedFields    map[string]json.RawMessage `json:"extended_fields,omitempty" doc:"values of the extended fields defined in the settings (GET /v1/settings), each of the field's type: string, number (a JSON number, kept as written), boolean, date (YYYY-MM-DD)"`
		Livemode          bool                       `json:"livemode,omitempty"`
	}
}

// DisputeOut answers with a dispute.
type DisputeOut struct{ Body Dispute }

// DisputesIn lists disputes.
type DisputesIn struct {
	PageQuery
	DisputeQuery
}

// DisputeQuery is what a list of disputes, or its CSV, filters on.
type DisputeQuery struct {
	Status        DisputeStatus `query:"status"`
	Type          DisputeType   `query:"type"`
	OrderID       string        `query:"order_id" maxLength:"64"`
	TransactionID string        `query:"transaction_id" maxLength:"64"`
	Charge        string        `query:"charge" maxLength:"255" doc:"the disputed payment: our transaction id, or the provider's charge id (matched to a transaction of ours or not)"`
	PaymentIntent string        `query:"payment_intent" maxLength:"255" doc:"the provider's payment intent (Stripe pi_…, PayPal's buyer transaction id), or the provider reference of our transaction"`
	ChargeIntent  string        `query:"charge_intent" maxLength:"255" doc:"alias of payment_intent"`
	CustomerID    string        `query:"customer_id" maxLength:"64"`
	DueBefore     time.Time     `query:"due_before"`
	Tag           string        `query:"tag" maxLength:"64"`
	Q             string        `query:"q" maxLength:"200" doc:"search in id, reason, case number, ARN, references and description"`
	// ExtendedFields filter on the extended fields: extended_fields[name]=value.
	ExtendedFields map[string]string `query:"extended_fields,deepObject" doc:"extended_fields[name]=value: disputes whose extended field has exactly that value (a number as written, true or false, a date YYYY-MM-DD); the name must be defined in the settings"`
}

// DisputesOut is a page of disputes.
type DisputesOut struct{ Body DisputeList }

// DisputeList is a page of disputes, which may end where the server stopped reading.
type DisputeList struct {
	List[Dispute]
	ReadBoundReached bool `json:"read_bound_reached" doc:"true when the server read its bound of disputes (20,000 by default) for this page before it found a full page, which happens to filters that no index narrows (q, extended_fields, due_before with other filters) when they match few disputes: data holds the matches found so far, fewer than limit or none, has_more is true and next_cursor goes on from the last dispute read; follow it as usual, and every match comes once"`
}

// UpdateIn updates a dispute.
type UpdateIn struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Revision       int64                      `json:"revision" doc:"the revision you read; a stale one is refused with 409"`
		TransactionID  string                     `json:"transaction_id,omitempty" doc:"match an unmatched dispute to its charge: our id, or the provider's reference"`
		Evidence       map[string]string          `json:"evidence,omitempty" doc:"Stripe evidence field names; an empty value removes a field"`
		Submit         bool                       `json:"submit,omitempty" doc:"submit the evidence now"`
		CoverLetter    *string                    `json:"cover_letter,omitempty" doc:"your cover letter for the evidence packet, up to 20,000 characters; an empty one goes back to the drafted letter (GET /v1/disputes/{id}/packet shows it)"`
		DueBy          *time.Time                 `json:"due_by,omitempty"`
		Tags           *[]string                  `json:"tags,omitempty" doc:"replaces the tags"`
		Metadata       map[string]string          `json:"metadata,omitempty" doc:"merged; an empty value removes a key"`
		ExtendedFields map[string]json.RawMessage `json:"extended_fields,omitempty" doc:"merged; null removes a field; each value of the type the settings define for its name"`
	}
}

// RevisionIn is an optional body carrying only the revision.
type RevisionIn struct {
	ID   string `path:"id" maxLength:"64"`
	Body *struct {
		Revision *int64 `json:"revision,omitempty"`
	} `required:"false"`
}

// CloseIn concedes or closes a dispute.
type CloseIn struct {
	ID   string `path:"id" maxLength:"64"`
	Body *struct {
		Revision *int64 `json:"revision,omitempty"`
		Note     string `json:"note,omitempty" maxLength:"5000"`
	} `required:"false"`
}

// RefundDisputeIn refunds an alert or inquiry through its charge's provider.
type RefundDisputeIn struct {
	ID   string `path:"id" maxLength:"64"`
	Body *struct {
		Reason string `json:"reason,omitempty" maxLength:"500" doc:"why, for the timeline and the provider's record of the refund"`
	} `required:"false"`
}

// StatusIn changes a dispute's status.
type StatusIn struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Status   DisputeStatus `json:"status"`
		Note     string        `json:"note,omitempty" maxLength:"5000"`
		Revision *int64        `json:"revision,omitempty"`
	}
}

// ResolveIn resolves a dispute.
type ResolveIn struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Resolution          DisputeResolution `json:"resolution"`
		RefundAmount        *int64            `json:"refund_amount,omitempty" doc:"partial_refund: minor units"`
		RefundAmountDecimal *string           `json:"refund_amount_decimal,omitempty"`
		Notes               string            `json:"notes,omitempty" maxLength:"5000"`
		TerminateLines      bool              `json:"terminate_lines,omitempty" doc:"partial_refund and mutual_agreement: terminate the service lines"`
		Revision            *int64            `json:"revision,omitempty"`
	}
}

// NoteIn adds an internal note.
type NoteIn struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Body string `json:"body" maxLength:"10000"`
	}
}

// NoteOut answers with a note.
type NoteOut struct{ Body Note }

// NotesOut lists notes, oldest first.
type NotesOut struct{ Body List[Note] }

func (s *Server) createDispute(ctx context.Context, in *DisputeIn) (*DisputeOut, error) {
	b := in.Body
	p := app.DisputeParams{Type: string(b.Type), AlertType: b.AlertType, Stage: string(b.Stage),
		Money:  app.Money{Amount: b.Amount, AmountDecimal: b.AmountDecimal, Currency: b.Currency},
		Reason: string(b.Reason), NetworkReasonCode: b.NetworkReasonCode, Description: b.Description, TransactionID: b.TransactionID,
		OrderID: b.OrderID, InitiatedBy: b.InitiatedBy, Provider: b.Provider, ProviderDisputeID: b.ProviderDisputeID,
		CaseNumber: b.CaseNumber, ARN: b.ARN, ExternalReference: b.ExternalReference, Tags: b.Tags, Metadata: b.Metadata, ExtendedFields: b.ExtendedFields, Livemode: b.Livemode}
	if b.HappenedAt != nil {
		p.HappenedAt = store.AtPrecision(*b.HappenedAt)
	}
	if b.DueBy != nil {
		p.DueBy = store.AtPrecision(*b.DueBy)
	}
	d, err := s.app.CreateDispute(ctx, who(ctx), p)
	return s.disputeResult(ctx, d, err)
}

func (s *Server) getDispute(ctx context.Context, in *ByID) (*DisputeOut, error) {
	d, err := s.app.Dispute(ctx, who(ctx), in.ID)
	out, err := s.disputeResult(ctx, d, err)
	if err != nil {
		return nil, err
	}
	// Only here: Visa CE 3.0 reads the card's history, which a list or an event must not pay for.
	v, err := s.app.VisaCE3(ctx, who(ctx), d)
	if err != nil {
		return nil, err
	}
	out.Body.EnhancedEligibility = eligibilityOut(v)
	recs, err := s.app.Recommendations(ctx, who(ctx), d)
	if err != nil {
		return nil, err
	}
	rec, ok := recs[d.ID]
	out.Body.Recommendation = recommendationOut(rec, ok)
	return out, nil
}

func (s *Server) listDisputes(ctx context.Context, in *DisputesIn) (*DisputesOut, error) {
	page, err := in.page()
	if err != nil {
		return nil, err
	}
	f := in.filter()
	f.Page = page
	p, err := s.app.DisputePage(ctx, who(ctx), f, in.ExtendedFields)
	if err != nil {
		return nil, err
	}
	ds := p.Disputes
	product, err := s.app.ProductType(ctx)
	if err != nil {
		return nil, err
	}
	recs, err := s.app.Recommendations(ctx, who(ctx), ds...)
	if err != nil {
		return nil, err
	}
	now := s.now()
	party := who(ctx).Role.Party()
	out := func(d dispute.Dispute) Dispute {
		w := disputeOut(d, now, party, product)
		rec, ok := recs[d.ID]
		w.Recommendation = recommendationOut(rec, ok)
		return w
	}
	var next *string
	if p.More { // after the page's last dispute, or the last one read when the list stopped
		c := encodeCursor(p.Next.AfterCreated, p.Next.AfterID)
		next = &c
	}
	return &DisputesOut{Body: DisputeList{List: listAt(ds, out, next), ReadBoundReached: p.Stopped}}, nil
}

// filter is the store's filter for q, without its page.
func (q DisputeQuery) filter() store.DisputeFilter {
	f := store.DisputeFilter{Status: string(q.Status), Type: string(q.Type), OrderID: q.OrderID, TransactionID: q.TransactionID,
		CustomerID: q.CustomerID, Tag: q.Tag, Query: q.Q}
	f.Charge, f.PaymentIntent = q.Charge, q.PaymentIntent
	if f.PaymentIntent == "" {
		f.PaymentIntent = q.ChargeIntent
	}
	if !q.DueBefore.IsZero() {
		f.DueBefore = q.DueBefore.UTC()
	}
	return f
}

// DisputesCSVIn exports disputes: a list's filters, without its paging.
type DisputesCSVIn struct{ DisputeQuery }

// disputeCSV is the CSV form of the dispute list.
func (s *Server) disputeCSV() csvList[DisputesCSVIn, dispute.Dispute] {
	return csvList[DisputesCSVIn, dispute.Dispute]{name: "disputes", order: "newest first", columns: csvout.DisputeColumns,
		rows: func(ctx context.Context, in *DisputesCSVIn, each func([]dispute.Dispute) error) error {
			return s.app.ExportDisputes(ctx, who(ctx), in.filter(), in.ExtendedFields, each)
		}}
}

func (s *Server) updateDispute(ctx context.Context, in *UpdateIn) (*DisputeOut, error) {
	b := in.Body
	if b.Revision <= 0 {
		return nil, fault.Invalidf(fault.CodeParameterMissing, "revision", "revision is required: send the revision you read")
	}
	p := app.UpdateDisputeParams{TransactionID: b.TransactionID,
		UpdateParams: dispute.UpdateParams{Evidence: b.Evidence, Submit: b.Submit, Tags: b.Tags, Metadata: b.Metadata,
			ExtendedFields: b.ExtendedFields, CoverLetter: b.CoverLetter}}
	if b.DueBy != nil {
		due := store.AtPrecision(*b.DueBy)
		p.DueBy = &due
	}
	d, err := s.app.UpdateDispute(ctx, who(ctx), in.ID, b.Revision, p)
	return s.disputeResult(ctx, d, err)
}

func (s *Server) submitDispute(ctx context.Context, in *RevisionIn) (*DisputeOut, error) {
	var rev *int64
	if in.Body != nil {
		rev = in.Body.Revision
	}
	d, err := s.app.SubmitDispute(ctx, who(ctx), in.ID, rev)
	return s.disputeResult(ctx, d, err)
}

func (s *Server) compileEvidence(ctx context.Context, in *RevisionIn) (*DisputeOut, error) {
	var rev *int64
	if in.Body != nil {
		rev = in.Body.Revision
	}
	d, err := s.app.CompileEvidence(ctx, who(ctx), in.ID, rev)
	return s.disputeResult(ctx, d, err)
}

func (s *Server) closeDispute(ctx context.Context, in *CloseIn) (*DisputeOut, error) {
	var rev *int64
	note := ""
	if in.Body != nil {
		rev, note = in.Body.Revision, in.Body.Note
	}
	d, err := s.app.CloseDispute(ctx, who(ctx), in.ID, rev, note)
	return s.disputeResult(ctx, d, err)
}

func (s *Server) refundDispute(ctx context.Context, in *RefundDisputeIn) (*DisputeOut, error) {
	reason := ""
	if in.Body != nil {
		reason = in.Body.Reason
	}
	d, err := s.app.RefundDispute(ctx, who(ctx), in.ID, reason)
	return s.disputeResult(ctx, d, err)
}

func (s *Server) moveDispute(ctx context.Context, in *StatusIn) (*DisputeOut, error) {
	d, err := s.app.MoveDispute(ctx, who(ctx), in.ID, in.Body.Revision, string(in.Body.Status), in.Body.Note)
	return s.disputeResult(ctx, d, err)
}

func (s *Server) resolveDispute(ctx context.Context, in *ResolveIn) (*DisputeOut, error) {
	b := in.Body
	d, err := s.app.ResolveDispute(ctx, who(ctx), in.ID, b.Revision, app.ResolveParams{Resolution: string(b.Resolution),
		RefundAmount: app.Money{Amount: b.RefundAmount, AmountDecimal: b.RefundAmountDecimal}, Notes: b.Notes, TerminateLines: b.TerminateLines})
	return s.disputeResult(ctx, d, err)
}

func (s *Server) disputeTimeline(ctx context.Context, in *ByID) (*TimelineOut, error) {
	return timelineResult(s.app.Timeline(ctx, who(ctx), in.ID))
}

func (s *Server) addNote(ctx context.Context, in *NoteIn) (*NoteOut, error) {
	n, err := s.app.AddNote(ctx, who(ctx), in.ID, in.Body.Body)
	if err != nil {
		return nil, err
	}
	return &NoteOut{Body: noteOut(n)}, nil
}

func (s *Server) listNotes(ctx context.Context, in *ByID) (*NotesOut, error) {
	ns, err := s.app.Notes(ctx, who(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &NotesOut{Body: listOf(ns, false, noteOut, func(n store.Note) (time.Time, string) { return n.CreatedAt, n.ID })}, nil
}

func (s *Server) disputeResult(ctx context.Context, d dispute.Dispute, err error) (*DisputeOut, error) {
	if err != nil {
		return nil, err
	}
	product, err := s.app.ProductType(ctx)
	if err != nil {
		return nil, err
	}
	return &DisputeOut{Body: disputeOut(d, s.now(), who(ctx).Role.Party(), product)}, nil
}
