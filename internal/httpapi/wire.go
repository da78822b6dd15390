package httpapi

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"disputed/internal/app"
	"disputed/internal/checklist"
	"disputed/internal/deadline"
	"disputed/internal/dispute"
	"disputed/internal/money"
	"disputed/internal/monitoring"
	"disputed/internal/notify"
	"disputed/internal/order"
	"disputed/internal/store"
)

// The wire types: what the API shows. They are separate from the domain types so that the domain
// can change without breaking integrators, and the other way round.

// opt shows an empty string as null.
func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// optTime shows a zero time as null.
func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func decimal(minor int64, cur string) string {
	s, err := money.FormatDecimal(minor, cur)
	if err != nil {
		return ""
	}
	return s
}

func nonNil[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return map[K]V{}
	}
	return m
}

func list[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Customer is a buyer.
type Customer struct {
	ID         string            `json:"id"`
	Object     string            `json:"object" enum:"customer"`
	Email      *string           `json:"email"`
	Name       *string           `json:"name"`
	ExternalID *string           `json:"external_id"`
	Metadata   map[string]string `json:"metadata"`
	CreatedAt  time.Time         `json:"created_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
}

func customerOut(c store.Customer) Customer {
	return Customer{ID: c.ID, Object: "customer", Email: opt(c.Email), Name: opt(c.Name), ExternalID: opt(c.ExternalID),
		Metadata: nonNil(c.Metadata), CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC()}
}

// Item is one thing an order sold.
type Item struct {
	Description   string    `json:"description"`
	Amount        int64     `json:"amount"`
	AmountDecimal string    `json:"amount_decimal"`
	Quantity      int64     `json:"quantity"`
	Line          *LineSpec `json:"line,omitempty"`
}

// LineSpec names the panel an item is activated on.
type LineSpec struct {
	Panel      string `json:"panel" doc:"the panel plugin's name"`
	ExternalID string `json:"external_id" doc:"the service's id on the panel"`
}

// Line is a service activation.
type Line struct {
	ID            string    `json:"id"`
	Object        string    `json:"object" enum:"line"`
	OrderID       string    `json:"order_id"`
	Panel         string    `json:"panel"`
	ExternalID    string    `json:"external_id"`
	State         string    `json:"state" enum:"pending,active,suspended,terminated"`
	PendingAction *string   `json:"pending_action" doc:"an action waiting to be done: suspend, enable or terminate"`
	Manual        bool      `json:"manual" doc:"the pending action waits for an admin to do it by hand and confirm it"`
	PendingReason *string   `json:"pending_reason" doc:"why the pending action waits for an admin"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

func lineOut(l order.Line) Line {
	return Line{ID: l.ID, Object: "line", OrderID: l.OrderID, Panel: l.Panel, ExternalID: l.ExternalID, State: string(l.State),
		PendingAction: opt(string(l.PendingAction)), Manual: l.Manual && l.PendingAction != order.NoAction,
		PendingReason: opt(l.PendingReason), CreatedAt: l.CreatedAt.UTC(), UpdatedAt: l.UpdatedAt.UTC()}
}

// PendingAction is a line action that waits for an admin.
type PendingAction struct {
	LineID     string    `json:"line_id"`
	Panel      string    `json:"panel"`
	ExternalID string    `json:"external_id"`
	Action     string    `json:"action" enum:"suspend,enable,terminate"`
	Reason     string    `json:"reason"`
	Since      time.Time `json:"since"`
}

// Order is a sale with its lines and its open dispute.
type Order struct {
	ID                string            `json:"id"`
	Object            string            `json:"object" enum:"order"`
	CustomerID        string            `json:"customer_id"`
	VendorID          *string           `json:"vendor_id"`
	Status            string            `json:"status" enum:"pending,completed,voided,refunded,partially_refunded"`
	Currency          string            `json:"currency"`
	Amount            int64             `json:"amount" doc:"the order total in minor units"`
	AmountDecimal     string            `json:"amount_decimal"`
	Items             []Item            `json:"items"`
	Lines             []Line            `json:"lines"`
	DisputeID         *string           `json:"dispute_id" doc:"the open dispute, while there is one"`
	DisputeStatus     *string           `json:"dispute_status"`
	NeedsManualAction bool              `json:"needs_manual_action" doc:"a line waits for an admin to confirm an action done by hand"`
	PendingActions    []PendingAction   `json:"pending_actions" doc:"what waits for an admin: confirm each with POST /v1/lines/{id}/confirm"`
	VoidReason        *string           `json:"void_reason"`
	CompletedAt       *time.Time        `json:"completed_at"`
	VoidedAt          *time.Time        `json:"voided_at"`
	Metadata          map[string]string `json:"metadata"`
	Purchase
	Revision  int64     `json:"revision" doc:"increments by one with every change; send it back to update"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Address is a postal address, as Stripe structures one. Every part is shown ("" when not known)
// and optional when given.
type Address struct {
	_          struct{} `nullable:"true"`
	Line1      string   `json:"line1" required:"false" maxLength:"200"`
	Line2      string   `json:"line2" required:"false" maxLength:"200"`
	City       string   `json:"city" required:"false" maxLength:"200"`
	State      string   `json:"state" required:"false" maxLength:"200" doc:"state, county, province or region"`
	PostalCode string   `json:"postal_code" required:"false" maxLength:"200"`
	Country    string   `json:"country" required:"false" maxLength:"200" doc:"ISO 3166-1 alpha-2, any case; shown in upper case"`
}

func addressOut(a order.Address) *Address {
	if a.IsZero() {
		return nil
	}
	return &Address{Line1: a.Line1, Line2: a.Line2, City: a.City, State: a.State, PostalCode: a.PostalCode, Country: a.Country}
}

func (a *Address) address() order.Address {
	if a == nil {
		return order.Address{}
	}
	return order.Address{Line1: a.Line1, Line2: a.Line2, City: a.City, State: a.State, PostalCode: a.PostalCode, Country: a.Country}
}

// Purchase is the purchase context an order or a transaction carries: what the merchant knows of
// how the purchase happened, which a dispute's evidence is made of. Each field is null when not
// known.
type Purchase struct {
	CustomerIP      *string  `json:"customer_ip" doc:"the buyer's IP address at purchase, IPv4 or IPv6, in canonical form"`
	DeviceID        *string  `json:"device_id" doc:"the buyer's device id or fingerprint in your system"`
	UserAgent       *string  `json:"user_agent" doc:"the buyer's browser user agent"`
	BillingAddress  *Address `json:"billing_address"`
	ShippingAddress *Address `json:"shipping_address"`
	ShippingCarrier *string  `json:"shipping_carrier" doc:"e.g. UPS, DHL, La Poste"`
	TrackingNumber  *string  `json:"tracking_number"`
	CardFingerprint *string  `json:"card_fingerprint" doc:"the provider's fingerprint of the card, e.g. Stripe's card.fingerprint"`
	CardNetwork     *string  `json:"card_network" enum:"visa,mastercard,amex,discover,diners,jcb,unionpay,cartes_bancaires,eftpos_au,interac,unknown"`
	CardLast4       *string  `json:"card_last4"`
	AccountID       *string  `json:"account_id" doc:"the buyer's account in your own system"`
}

func purchaseOut(c order.PurchaseContext) Purchase {
	return Purchase{CustomerIP: opt(c.CustomerIP), DeviceID: opt(c.DeviceID), UserAgent: opt(c.UserAgent),
		BillingAddress: addressOut(c.BillingAddress), ShippingAddress: addressOut(c.ShippingAddress),
		ShippingCarrier: opt(c.ShippingCarrier), TrackingNumber: opt(c.TrackingNumber), CardFingerprint: opt(c.CardFingerprint),
		CardNetwork: opt(c.CardNetwork), CardLast4: opt(c.CardLast4), AccountID: opt(c.AccountID)}
}

func orderOut(v app.OrderView) Order {
	o := v.Order
	out := Order{ID: o.ID, Object: "order", CustomerID: o.CustomerID, VendorID: opt(o.VendorID), Status: string(o.Status),
		Currency: o.Currency, Amount: o.Total, AmountDecimal: decimal(o.Total, o.Currency), Items: []Item{}, Lines: []Line{},
		PendingActions:    []PendingAction{},
		NeedsManualAction: v.NeedsManualAction(), VoidReason: opt(o.VoidReason), CompletedAt: optTime(o.CompletedAt),
		VoidedAt: optTime(o.VoidedAt), Metadata: nonNil(o.Metadata), Purchase: purchaseOut(o.Purchase), Revision: o.Revision,
		CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC()}
	for _, it := range o.Items {
		w := Item{Description: it.Description, Amount: it.Amount, AmountDecimal: decimal(it.Amount, o.Currency), Quantity: it.Quantity}
		if it.Line != nil {
			w.Line = &LineSpec{Panel: it.Line.Panel, ExternalID: it.Line.ExternalID}
		}
		out.Items = append(out.Items, w)
	}
	for _, l := range v.Lines {
		out.Lines = append(out.Lines, lineOut(l))
		if l.Manual && l.PendingAction != order.NoAction {
			out.PendingActions = append(out.PendingActions, PendingAction{LineID: l.ID, Panel: l.Panel, ExternalID: l.ExternalID,
				Action: string(l.PendingAction), Reason: l.PendingReason, Since: l.UpdatedAt.UTC()})
		}
	}
	if v.Dispute != nil {
		out.DisputeID, out.DisputeStatus = &v.Dispute.ID, opt(string(v.Dispute.Status))
	}
	return out
}

// Transaction is a movement of money; a charge shows its refunds.
type Transaction struct {
	ID                    string  `json:"id"`
	Object                string  `json:"object" enum:"transaction"`
	Type                  string  `json:"type" enum:"authorization,capture,charge,refund,void,chargeback,chargeback_reversal"`
	Amount                int64   `json:"amount"`
	AmountDecimal         string  `json:"amount_decimal"`
	Currency              string  `json:"currency"`
	AmountRefunded        int64   `json:"amount_refunded"`
	AmountRefundedDecimal string  `json:"amount_refunded_decimal"`
	AmountWithdrawn       int64   `json:"amount_withdrawn" doc:"held by chargebacks, net of reversals"`
	AmountCaptured        int64   `json:"amount_captured" doc:"authorizations: captured so far"`
	Voided                bool    `json:"voided" doc:"authorizations: released"`
	OrderID               *string `json:"order_id"`
	CustomerID            *string `json:"customer_id"`
	ParentID              *string `json:"parent_id"`
	DisputeID             *string `json:"dispute_id"`
	Provider              *string `json:"provider"`
	ProviderReference     *string `json:"provider_reference"`
	ARN                   *string `json:"arn"`
	Purchase
	Channel             *string        `json:"channel" enum:"card_present,card_not_present" doc:"null when not said: counted as card_not_present in the dispute ratios"`
	IsExternal          bool           `json:"is_external" doc:"a refund done elsewhere (e.g. by the network for RDR): recorded, not sent"`
	Reason              *string        `json:"reason"`
	Refunds             []*Transaction `json:"refunds,omitzero" doc:"charges and captures: their refunds, oldest first"`
	ActiveDisputeID     *string        `json:"active_dispute_id" doc:"the open dispute on this payment (Active Dispute), if any"`
	ActiveDisputeStatus *string        `json:"active_dispute_status"`
	CreatedAt           time.Time      `json:"created_at"`
	UpdatedAt           time.Time      `json:"updated_at"`
}

func transactionOut(v app.TransactionView) Transaction {
	t := v.Transaction
	out := Transaction{ID: t.ID, Object: "transaction", Type: string(t.Kind), Amount: t.Amount, AmountDecimal: decimal(t.Amount, t.Currency),
		Currency: t.Currency, AmountRefunded: t.AmountRefunded, AmountRefundedDecimal: decimal(t.AmountRefunded, t.Currency),
		AmountWithdrawn: t.AmountWithdrawn, AmountCaptured: t.AmountCaptured, Voided: t.Voided, OrderID: opt(t.OrderID),
		CustomerID: opt(t.CustomerID), ParentID: opt(t.ParentID), DisputeID: opt(t.DisputeID), Provider: opt(t.Provider),
		ProviderReference: opt(t.ProviderReference), ARN: opt(t.ARN), Purchase: purchaseOut(t.Purchase),
		Channel: opt(string(t.Channel)), IsExternal: t.External, Reason: opt(t.Reason), CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC()}
	if t.Captures() {
		out.Refunds = []*Transaction{}
		for _, r := range v.Refunds {
			w := transactionOut(app.TransactionView{Transaction: r})
			out.Refunds = append(out.Refunds, &w)
		}
	}
	if d := v.ActiveDispute; d != nil {
		out.ActiveDisputeID, out.ActiveDisputeStatus = &d.ID, opt(string(d.Status))
	}
	return out
}

// Action is something that can be done to a dispute now.
type Action struct {
	Action string     `json:"action" doc:"submit_evidence, accept, escalate, resolve, match, add_evidence, review, close"`
	DueBy  *time.Time `json:"due_by"`
}

// EvidenceDetails summarise the evidence.
type EvidenceDetails struct {
	DueBy           *time.Time  `json:"due_by"`
	HasEvidence     bool        `json:"has_evidence"`
	PastDue         bool        `json:"past_due"`
	SubmissionCount int         `json:"submission_count"`
	Submission      *Submission `json:"submission" doc:"the answer (evidence or a concession) as the provider knows it; null on disputes that did not come from a provider (whose answers take effect at once), and to buyers and vendors"`
}

// Submission is where the merchant's answer to a provider's dispute stands at the provider: the
// dispute moves (under_review, or lost for a concession) only once the provider accepted it.
type Submission struct {
	_     struct{}  `nullable:"true"`
	State string    `json:"state" enum:"not_sent,sending,accepted,failed" doc:"not_sent before any answer; sending while it is being pushed (retried); accepted when the provider took it; failed when the push gave up: send it again with POST /v1/disputes/{id}/submit (evidence) or /close (concession)"`
	Kind  *string   `json:"kind" doc:"what is (or was last) sent: evidence or concession; null before any answer"`
	Error *string   `json:"error" doc:"why the last attempt failed, while sending or failed"`
	At    time.Time `json:"at" doc:"when the state was entered"`
}

// submissionOut presents d's submission; nil for a dispute whose answers do not go to a provider.
func submissionOut(d dispute.Dispute) *Submission {
	s, ok := d.SubmissionStatus()
	if !ok {
		return nil
	}
	return &Submission{State: string(s.State), Kind: opt(string(s.Kind)), Error: opt(s.Error), At: s.At.UTC()}
}

// Fee is an amount the payment provider charged the merchant for the dispute, or gave back: as
// it reported it, or as the fee table estimates it until it does.
type Fee struct {
	Amount            int64   `json:"amount" doc:"minor units of currency; negative for a fee the provider gave back (Stripe returns its counter fee when the merchant wins)"`
	AmountDecimal     string  `json:"amount_decimal"`
	Currency          string  `json:"currency" doc:"the currency the provider charged in, which need not be the dispute's"`
	Description       string  `json:"description" doc:"the provider's words, e.g. Dispute fee; for an estimate, the fee table's"`
	ProviderReference string  `json:"provider_reference" doc:"the provider's id of the movement (Stripe's balance transaction txn_…); empty for an estimate"`
	Kind              string  `json:"kind" enum:"dispute,counter,returned" doc:"what the fee is for: dispute (received), counter (evidence submitted) or returned (given back on a win). A reported fee's kind is read from its sign and words"`
	Source            string  `json:"source" enum:"provider,fee_table" doc:"provider: reported by the payment provider (Stripe's balance transactions); fee_table: the fee table's estimate, recorded when the dispute opened, its evidence was first submitted or it was won, and replaced by the provider's fee of the same kind when it reports one"`
	TableVersion      *string `json:"table_version" doc:"for an estimate: the fee table's version (settings for the merchant's own); null for a reported fee"`
	TableDate         *string `json:"table_date" doc:"for an estimate: the fee table's date; null for a reported fee"`
	Estimate          bool    `json:"estimate" doc:"the fee table's row is itself an estimate no primary source confirms (PayPal's amounts)"`
}

func feesOut(fs []dispute.Fee) []Fee {
	out := make([]Fee, len(fs))
	for i, f := range fs {
		out[i] = Fee{Amount: f.Amount, AmountDecimal: decimal(f.Amount, f.Currency), Currency: f.Currency,
			Description: f.Description, ProviderReference: f.ProviderReference, Kind: string(f.Purpose()), Source: f.Origin(),
			TableVersion: opt(f.TableVersion), TableDate: opt(f.TableDate), Estimate: f.Estimate}
	}
	return out
}

// Dispute is a dispute of any kind.
type Dispute struct {
	ID                    string                     `json:"id"`
	Object                string                     `json:"object" enum:"dispute"`
	Type                  string                     `json:"type" enum:"chargeback,inquiry,alert,marketplace,manual"`
	AlertType             *string                    `json:"alert_type"`
	Status                string                     `json:"status"`
	Stage                 *string                    `json:"stage"`
	Reason                string                     `json:"reason"`
	NetworkReasonCode     *string                    `json:"network_reason_code"`
	Network               *string                    `json:"network" doc:"the card network or provider the dispute is on (visa, mastercard, amex, discover, paypal, stripe): the one its alert or provider names, or the card on its charge (card_network), else its reason code's (GET /v1/reason_codes); null when nothing says"`
	ReasonCategory        *string                    `json:"reason_category" enum:"fraud,authorization,processing_error,consumer_dispute,request,compliance" doc:"the reason code's family in the catalogue; without a known code, the family of reason; null when neither says"`
	ReasonCodeName        *string                    `json:"reason_code_name" doc:"the network's name for network_reason_code, from the catalogue; null when it has none"`
	ReasonCodeKnown       *bool                      `json:"reason_code_known" doc:"whether the catalogue has network_reason_code: false flags a code it lacks, which is kept as given; null without a code"`
	Description           *string                    `json:"description"`
	Amount                int64                      `json:"amount"`
	AmountDecimal         string                     `json:"amount_decimal"`
	Currency              string                     `json:"currency"`
	OrderID               *string                    `json:"order_id"`
	TransactionID         *string                    `json:"transaction_id"`
	CustomerID            *string                    `json:"customer_id"`
	VendorID              *string                    `json:"vendor_id"`
	InitiatedBy           *string                    `json:"initiated_by"`
	Provider              *string                    `json:"provider"`
	ProviderDisputeID     *string                    `json:"provider_dispute_id"`
	CaseNumber            *string                    `json:"case_number"`
	ARN                   *string                    `json:"arn"`
	ExternalReference     *string                    `json:"external_reference"`
	HappenedAt            time.Time                  `json:"happened_at"`
	DueBy                 *time.Time                 `json:"due_by"`
	Actions               []Action                   `json:"actions"`
	Evidence              map[string]string          `json:"evidence" doc:"the evidence dictionary (Stripe field names), staged until submitted"`
	EvidenceSources       *map[string]string         `json:"evidence_sources,omitempty" doc:"the evidence fields the evidence compiler filled and nobody changed since, each with where its value came from (order ord_…, settings, line activity); a person's edit removes the field's entry. Chargebacks, inquiries and manual disputes only, not shown to a buyer or vendor"`
	EvidenceChecklist     []ChecklistItem            `json:"evidence_checklist,omitempty" doc:"the evidence that makes the case, by the dispute's evidence category (from its reason code, else its reason) and the merchant's product_type (settings), required items first. Chargebacks, inquiries and manual disputes only, not shown to a buyer or vendor"`
	EvidenceCompleteness  *int                       `json:"evidence_completeness,omitempty" minimum:"0" maximum:"100" doc:"0 to 100: the share of evidence_checklist provided or compiled, weighing a required item 3, a recommended 2, an optional 1, rounded down (100 only when every item is there). With evidence_checklist"`
	EnhancedEligibility   *EnhancedEligibility       `json:"enhanced_eligibility,omitempty" doc:"what the dispute qualifies for beyond the evidence fields: Visa Compelling Evidence 3.0 for a Visa 10.4 chargeback or inquiry. Shown by GET /v1/disputes/{id} to the merchant only (not in lists, events or other answers); omitted for every other dispute"`
	EvidenceDetails       EvidenceDetails            `json:"evidence_details"`
	Fees                  []Fee                      `json:"fees" doc:"what the payment provider charged (and gave back) for the dispute: as it reported it, else as the fee table estimates it (source); chargebacks only, empty for others"`
	Recommendation        *Recommendation            `json:"recommendation,omitempty" doc:"what fighting the dispute is worth. Shown by GET /v1/disputes/{id} and the list to staff, for an open dispute that is not a marketplace case; omitted otherwise"`
	Resolution            *string                    `json:"resolution"`
	ResolutionNotes       *string                    `json:"resolution_notes"`
	ResolvedBy            *string                    `json:"resolved_by"`
	ResolvedAt            *time.Time                 `json:"resolved_at"`
	AcceptedAt            *time.Time                 `json:"accepted_at" doc:"when the merchant accepted (conceded) the dispute"`
	DefendedAt            *time.Time                 `json:"defended_at" doc:"when the merchant's evidence was last submitted"`
	AutoDefended          bool                       `json:"auto_defended" doc:"the defence was submitted by no person: the provider reported it (its automation or its dashboard), or the server did"`
	Defendable            bool                       `json:"defendable" doc:"the merchant can still answer with evidence now: it is waiting for the merchant's response and not past due"`
	Channel               string                     `json:"channel" doc:"where the case is argued and decided: network (the card issuer, relayed by the provider), provider (opened at the provider itself, e.g. PayPal's Resolution Center), alert, marketplace, manual (entered by staff)"`
	SellerProtection      *string                    `json:"seller_protection" doc:"the provider's seller protection for the payment (PayPal), when it says"`
	ProviderCharge        *string                    `json:"provider_charge" doc:"the provider's id of the disputed charge, as it reported it"`
	ProviderPaymentIntent *string                    `json:"provider_payment_intent" doc:"the provider's payment intent (or second reference) of the disputed payment"`
	Revision              int64                      `json:"revision" doc:"increments by one with every change; send it back to update"`
	Tags                  []string                   `json:"tags"`
	Metadata              map[string]string          `json:"metadata"`
	ExtendedFields        map[string]json.RawMessage `json:"extended_fields" doc:"the values of the extended fields defined in the settings, each of its field's type (a number as written); {} for a buyer or vendor"`
	Livemode              bool                       `json:"livemode"`
	CreatedAt             time.Time                  `json:"created_at"`
	UpdatedAt             time.Time                  `json:"updated_at"`
}

// disputeOut presents d; for a buyer or vendor (party) only the actions open to a party.
// product is the merchant's product type, which picks the evidence checklist.
func disputeOut(d dispute.Dispute, now time.Time, party bool, product checklist.ProductType) Dispute {
	out := Dispute{ID: d.ID, Object: "dispute", Type: string(d.Type), AlertType: opt(string(d.AlertType)), Status: string(d.Status),
		Stage: opt(string(d.Stage)), Reason: d.Reason, NetworkReasonCode: opt(d.NetworkReasonCode), Description: opt(d.Description),
		Amount: d.Amount, AmountDecimal: decimal(d.Amount, d.Currency), Currency: d.Currency, OrderID: opt(d.OrderID),
		TransactionID: opt(d.TransactionID), CustomerID: opt(d.CustomerID), VendorID: opt(d.VendorID),
		InitiatedBy: opt(string(d.InitiatedBy)), Provider: opt(d.Provider), ProviderDisputeID: opt(d.ProviderDisputeID),
		CaseNumber: opt(d.CaseNumber), ARN: opt(d.ARN), ExternalReference: opt(d.ExternalReference), HappenedAt: d.HappenedAt.UTC(),
		DueBy: optTime(d.DueBy), Actions: []Action{}, Evidence: nonNil(d.Evidence),
		EvidenceDetails: EvidenceDetails{DueBy: optTime(d.DueBy), HasEvidence: d.HasEvidence(), PastDue: d.IsOpen() && d.PastDue(now),
			SubmissionCount: d.SubmissionCount, Submission: submissionOut(d)},
		Fees:       feesOut(d.Fees),
		Resolution: opt(string(d.Resolution)), ResolutionNotes: opt(d.ResolutionNotes), ResolvedBy: opt(d.ResolvedBy),
		ResolvedAt: optTime(d.ResolvedAt), AcceptedAt: optTime(d.AcceptedAt), DefendedAt: optTime(d.DefendedAt),
		AutoDefended: d.AutoDefended, Defendable: d.Defendable(now), Channel: string(d.Channel),
		SellerProtection: opt(string(d.SellerProtection)), ProviderCharge: opt(d.ProviderCharge),
		ProviderPaymentIntent: opt(d.ProviderPaymentIntent), Revision: d.Revision, Tags: list(d.Tags), Metadata: nonNil(d.Metadata),
		ExtendedFields: extendedFieldsOut(d.ExtendedFields),
		Livemode:       d.Livemode, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
	c := classifyReason(&out, d)
	if hasChecklist(d, party) {
		checklistOut(&out, d, c, product)
	}
	actions := d.Actions()
	if party {
		actions = d.PartyActions()
		out.EvidenceDetails.Submission = nil // the merchant's dealings with its provider are not the parties' business
	}
	for _, a := range actions {
		out.Actions = append(out.Actions, Action{Action: a.Name, DueBy: optTime(a.DueBy)})
	}
	return out
}

// EvidenceItem is one appended piece of evidence.
type EvidenceItem struct {
	ID          string    `json:"id"`
	Object      string    `json:"object" enum:"evidence_item"`
	DisputeID   string    `json:"dispute_id"`
	Type        string    `json:"type" enum:"text,image,file,link"`
	Content     string    `json:"content"`
	Description *string   `json:"description"`
	FileName    *string   `json:"file_name"`
	ContentType *string   `json:"content_type"`
	Size        int64     `json:"size"`
	FileURL     *string   `json:"file_url" doc:"where the item's file is downloaded (GET, with the same key), relative to the API's address; null for an item without a file"`
	AddedBy     string    `json:"added_by"`
	Party       *string   `json:"party"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func evidenceOut(it dispute.EvidenceItem) EvidenceItem {
	out := EvidenceItem{ID: it.ID, Object: "evidence_item", DisputeID: it.DisputeID, Type: string(it.Type), Content: it.Content,
		Description: opt(it.Description), FileName: opt(it.FileName), ContentType: opt(it.ContentType), Size: it.Size,
		AddedBy: it.AddedBy, Party: opt(string(it.Party)), CreatedAt: it.CreatedAt.UTC(), UpdatedAt: it.CreatedAt.UTC()}
	if it.HasFile() {
		out.FileURL = ptr(evidenceFilePath(it))
	}
	return out
}

// TimelineEntry is one line of the audit trail.
type TimelineEntry struct {
	ID        string  `json:"id"`
	Object    string  `json:"object" enum:"timeline_entry"`
	DisputeID *string `json:"dispute_id"`
	OrderID   *string `json:"order_id"`
	LineID    *string `json:"line_id"`
	Actor     string  `json:"actor" doc:"who: role:key id, system, provider:name or panel:name"`
	Action    string  `json:"action"`
	From      *string `json:"from"`
	To        *string `json:"to"`
	Note      *string `json:"note"`
	// Payload is the provider's notification as it arrived, for provider_event entries.
	Payload   json.RawMessage `json:"payload,omitempty" doc:"provider events: the notification as the provider sent it"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

func timelineOut(e store.TimelineEntry) TimelineEntry {
	out := TimelineEntry{ID: e.ID, Object: "timeline_entry", DisputeID: opt(e.DisputeID), OrderID: opt(e.OrderID), LineID: opt(e.LineID),
		Actor: e.Actor, Action: e.Action, From: opt(e.From), To: opt(e.To), Note: opt(e.Note), CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.CreatedAt.UTC()}
	if json.Valid(e.Payload) {
		out.Payload = json.RawMessage(e.Payload)
	}
	return out
}

// Note is an internal admin note.
type Note struct {
	ID        string    `json:"id"`
	Object    string    `json:"object" enum:"note"`
	DisputeID string    `json:"dispute_id"`
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func noteOut(n store.Note) Note {
	return Note{ID: n.ID, Object: "note", DisputeID: n.DisputeID, Author: n.Author, Body: n.Body, CreatedAt: n.CreatedAt.UTC(), UpdatedAt: n.CreatedAt.UTC()}
}

// Block is a block-list entry.
type Block struct {
	ID        string    `json:"id"`
	Object    string    `json:"object" enum:"blocklist_entry"`
	Kind      string    `json:"kind" enum:"email,card_fingerprint,ip,customer"`
	Value     string    `json:"value"`
	Reason    *string   `json:"reason"`
	DisputeID *string   `json:"dispute_id"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func blockOut(b store.Block) Block {
	return Block{ID: b.ID, Object: "blocklist_entry", Kind: b.Kind, Value: b.Value, Reason: opt(b.Reason), DisputeID: opt(b.DisputeID),
		CreatedBy: b.CreatedBy, CreatedAt: b.CreatedAt.UTC(), UpdatedAt: b.CreatedAt.UTC()}
}

// ExchangeRate is a rate the merchant recorded.
type ExchangeRate struct {
	ID            string    `json:"id"`
	Object        string    `json:"object" enum:"exchange_rate"`
	From          string    `json:"from" doc:"ISO 4217 code, upper case"`
	To            string    `json:"to" doc:"ISO 4217 code, upper case"`
	Rate          string    `json:"rate" doc:"units of to for one unit of from, an exact decimal in its shortest form (\"1.0842\")"`
	EffectiveFrom time.Time `json:"effective_from" doc:"in force from this moment until the pair's next rate"`
	CreatedBy     string    `json:"created_by"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at" doc:"when the rate was last recorded for this pair and moment"`
}

func exchangeRateOut(r store.ExchangeRate) ExchangeRate {
	return ExchangeRate{ID: r.ID, Object: "exchange_rate", From: r.From, To: r.To, Rate: r.Rate.String(), EffectiveFrom: r.EffectiveFrom.UTC(),
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// Event is a record of the event log.
type Event struct {
	ID        string    `json:"id"`
	Object    string    `json:"object" enum:"event"`
	Type      string    `json:"type"`
	DisputeID *string   `json:"dispute_id"`
	OrderID   *string   `json:"order_id"`
	Data      EventData `json:"data"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// EventData holds the object as it was after the change.
type EventData struct {
	Object json.RawMessage `json:"object" doc:"the object after the change, as the API showed it"`
}

func eventOut(e store.Event) Event {
	return Event{ID: e.ID, Object: "event", Type: e.Type, DisputeID: opt(e.DisputeID), OrderID: opt(e.OrderID),
		Data: EventData{Object: json.RawMessage(e.Data)}, CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.CreatedAt.UTC()}
}

// EmailsOn says, per customer email template, whether it is sent.
type EmailsOn map[string]bool

// Settings are the merchant settings.
type Settings struct {
	ID                  string          `json:"id" enum:"settings" doc:"there is one settings object"`
	Object              string          `json:"object" enum:"settings"`
	BlockOnDispute      bool            `json:"block_on_dispute" doc:"add a disputing customer's email and card fingerprint to the block list"`
	MerchantName        string          `json:"merchant_name"`
	ReminderOffsets     []string        `json:"reminder_offsets" doc:"how long before a due date reminders go out (default 72h and 24h)"`
	Emails              EmailsOn        `json:"emails" doc:"which customer emails are sent"`
	EvidenceLimits      EvidenceLimits  `json:"evidence_limits" doc:"the most evidence one dispute takes, per party (buyer, vendor, the merchant's staff) and in total"`
	ExtendedFields      []ExtendedField `json:"extended_fields" doc:"the fields the merchant defined for its disputes' extended_fields, in the order shown"`
	AppSelfRegistration bool            `json:"app_self_registration" doc:"apps may register themselves (POST /v1/apps without a key); each connection still needs an admin's consent"`
	Profile
	CreatedAt *time.Time `json:"created_at" doc:"null until the settings are first saved"`
	UpdatedAt *time.Time `json:"updated_at"`
	// ReportingCurrency is what amounts across currencies are reported in.
	ReportingCurrency string `json:"reporting_currency" doc:"ISO 4217 code amounts in several currencies are converted to, with the recorded exchange rates (default USD)"`
	// AlertRefundWindows are the windows in force, the merchant's over the published ones.
	AlertRefundWindows map[string]int `json:"alert_refund_windows" doc:"hours an alert of each type (tc40, safe, ethoca, cdrn, rdr) has to be refunded, from when it happened; an alert opened without a due_by gets one from it. 0: no window. Published defaults: ethoca 24, cdrn 72 (unverified), none for the others"`
	// FeeTable is the merchant's own fee table; FeeTableInForce the one in force.
	FeeTable        *FeeTable `json:"fee_table" doc:"the merchant's own fee table, replacing the shipped one; null while the shipped one is in force"`
	FeeTableInForce FeeTable  `json:"fee_table_in_force" doc:"the fee table in force: fee_table, or the shipped one (published fees with their sources and dates)"`
	HandlingCost    Cost      `json:"handling_cost" doc:"what one fight costs the merchant in staff time or vendor fees, counted in every recommendation's expected_value (default 0)"`
	// MonitoringPrograms are the merchant's own monitoring thresholds; MonitoringProgramsInForce
	// those in force.
	MonitoringPrograms        *MonitoringTable `json:"monitoring_programs" doc:"the merchant's own thresholds of the card networks' monitoring programs, replacing the shipped ones; null while the shipped ones are in force"`
	MonitoringProgramsInForce MonitoringTable  `json:"monitoring_programs_in_force" doc:"the monitoring thresholds in force: monitoring_programs, or the shipped ones (published thresholds with their sources and dates)"`
	MonitoringApproach        float64          `json:"monitoring_approach" doc:"the fraction of a program's lowest threshold at which a ratio's status becomes approaching (default 0.75)"`
	// OrderMetadataKey is the key of a provider payment's metadata that names its order.
	OrderMetadataKey string `json:"order_metadata_key" doc:"the key of a provider payment's metadata (Stripe's metadata, the generic feed's metadata; for PayPal custom_id or invoice_id) whose value is the id of the order it pays for (default order_id)"`
}

// Profile is the merchant's profile, which the evidence checklist, the evidence compiler and a
// cover letter use: what it sells, how customers reach it, its policies and how they were shown.
type Profile struct {
	ProductType                  string `json:"product_type" enum:"digital_service,digital_goods,subscription,physical_goods,offline_service,booking,event,other" doc:"what the merchant sells, which picks each dispute's evidence_checklist (default digital_service)"`
	Website                      string `json:"website" doc:"the merchant's website, an http or https URL; \"\" for none"`
	SupportEmail                 string `json:"support_email" doc:"where customers write for help"`
	SupportPhone                 string `json:"support_phone"`
	TermsURL                     string `json:"terms_url" doc:"the terms of service, an http or https URL"`
	RefundPolicy                 string `json:"refund_policy" doc:"the refund policy's text (at most 20000 characters)"`
	RefundPolicyDisclosure       string `json:"refund_policy_disclosure" doc:"how the customer was shown the refund policy, e.g. a checkbox at checkout linking to the terms"`
	CancellationPolicy           string `json:"cancellation_policy" doc:"the cancellation policy's text (at most 20000 characters)"`
	CancellationPolicyDisclosure string `json:"cancellation_policy_disclosure" doc:"how the customer was shown the cancellation policy"`
	CompileOnOpen                bool   `json:"compile_on_open" doc:"compile the evidence disputed holds when a dispute opens, 5 s after the last fact that follows the opening (its email, a panel's activity report; default true); off, only on demand"`
}

func profileOut(p store.Profile) Profile {
	return Profile{ProductType: string(p.ProductType.Effective()), Website: p.Website, SupportEmail: p.SupportEmail,
		SupportPhone: p.SupportPhone, TermsURL: p.TermsURL, RefundPolicy: p.RefundPolicy, RefundPolicyDisclosure: p.RefundPolicyDisclosure,
		CancellationPolicy: p.CancellationPolicy, CancellationPolicyDisclosure: p.CancellationPolicyDisclosure, CompileOnOpen: !p.CompileManually}
}

// EvidenceLimits cap a dispute's evidence items; an item weighs its file's and its text's bytes.
type EvidenceLimits struct {
	PartyItems int64 `json:"party_items" doc:"items each party may add to a dispute (default 50)"`
	PartyBytes int64 `json:"party_bytes" doc:"bytes each party may add to a dispute (default 52428800, 50 MiB)"`
	TotalItems int64 `json:"total_items" doc:"items a dispute may hold (default 150)"`
	TotalBytes int64 `json:"total_bytes" doc:"bytes a dispute may hold (default 104857600, 100 MiB)"`
}

// ExtendedField defines a field of the disputes' extended_fields.
type ExtendedField struct {
	Name  string `json:"name" pattern:"^[a-z0-9_]{1,40}$" doc:"the key in a dispute's extended_fields; unique"`
	Type  string `json:"type" enum:"string,number,boolean,date" doc:"the type of its values: a string, a number (a JSON number, kept as written), true or false, a date YYYY-MM-DD"`
	Label string `json:"label,omitempty" maxLength:"80" doc:"what the UI calls it; the name when absent"`
}

// extendedFieldsOut are a dispute's extended fields as JSON values: a number or boolean bare, a
// string or date quoted as the rest of the dispute's strings are.
func extendedFieldsOut(f dispute.ExtendedFields) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(f))
	for name, v := range f {
		if v.Bare() {
			out[name] = json.RawMessage(v.Text)
		} else {
			out[name] = appendString(nil, v.Text)
		}
	}
	return out
}

func settingsOut(s store.Settings) Settings {
	l := app.EffectiveEvidenceLimits(s)
	out := Settings{ID: "settings", Object: "settings", BlockOnDispute: s.BlockOnDispute, MerchantName: s.MerchantName, AppSelfRegistration: s.AppSelfRegistration,
		ReminderOffsets: []string{}, Emails: EmailsOn{}, Profile: profileOut(s.Profile), CreatedAt: optTime(s.CreatedAt), UpdatedAt: optTime(s.UpdatedAt),
		EvidenceLimits:    EvidenceLimits{PartyItems: l.PartyItems, PartyBytes: l.PartyBytes, TotalItems: l.TotalItems, TotalBytes: l.TotalBytes},
		ReportingCurrency: app.EffectiveReportingCurrency(s)}
	for _, t := range notify.Templates {
		out.Emails[string(t)] = !slices.Contains(s.EmailsOff, string(t))
	}
	out.ExtendedFields = []ExtendedField{}
	for _, f := range s.ExtendedFields {
		out.ExtendedFields = append(out.ExtendedFields, ExtendedField{Name: f.Name, Type: string(f.Type), Label: f.Label})
	}
	for _, o := range app.EffectiveReminders(s) {
		out.ReminderOffsets = append(out.ReminderOffsets, deadline.FormatOffset(o))
	}
	out.AlertRefundWindows = map[string]int{}
	for t, h := range dispute.AlertWindows(s.AlertRefundWindows) {
		out.AlertRefundWindows[string(t)] = h
	}
	feeSettingsOut(&out, s)
	monitoringSettingsOut(&out, s)
	out.OrderMetadataKey = app.EffectiveOrderMetadataKey(s)
	return out
}

// Presenter renders the objects that events carry, exactly as the API shows them.
type Presenter struct {
	Now func() time.Time
}

// Envelope renders a stored event as the API shows it.
func (p Presenter) Envelope(e store.Event) ([]byte, error) { return marshalJSON(eventOut(e)) }

// Event renders v, a domain object, as its wire JSON.
func (p Presenter) Event(v any) ([]byte, error) {
	var w any
	switch o := v.(type) {
	case app.DisputeView:
		w = disputeOut(o.Dispute, p.Now(), false, o.ProductType)
	case app.OrderView:
		w = orderOut(o)
	case app.TransactionView:
		w = transactionOut(o)
	case order.Line:
		w = lineOut(o)
	case store.Block:
		w = blockOut(o)
	case monitoring.Ratio:
		w = ratioOut(o)
	case app.RuleMatch:
		w = RuleMatch{Object: "rule_match", Rule: ruleOut(app.RuleView{Rule: o.Rule}),
			Dispute: disputeOut(o.Dispute.Dispute, p.Now(), false, o.Dispute.ProductType)}
	default:
		return nil, fmt.Errorf("no wire form for %T", v)
	}
	return marshalJSON(w)
}

// Ratios are a month's dispute ratios against the card networks' monitoring programs.
type Ratios struct {
	Object  string  `json:"object" enum:"list"`
	Month   string  `json:"month" doc:"YYYY-MM"`
	Current bool    `json:"current" doc:"the month is the current one: each ratio carries projected"`
	Data    []Ratio `json:"data"`
}

// Ratio is one program's ratio for one month.
type Ratio struct {
	Object       string           `json:"object" enum:"ratio"`
	Network      string           `json:"network" doc:"visa or mastercard"`
	Program      string           `json:"program" enum:"vamp,ecp" doc:"vamp: Visa Acquirer Monitoring Program; ecp: Mastercard's Excessive Chargeback Program"`
	Month        string           `json:"month" doc:"YYYY-MM"`
	Disputes     int64            `json:"disputes" doc:"chargebacks past the inquiry stage that happened in the month (won, lost or refunded alike)"`
	FraudReports int64            `json:"fraud_reports" doc:"TC40 and SAFE alerts of the month; counted by vamp only (0 for ecp)"`
	Transactions int64            `json:"transactions" doc:"the denominator: vamp, the month's card-not-present charges and captures (a sale said with no channel counts as card-not-present); ecp, the previous month's charges and captures"`
	Ratio        float64          `json:"ratio" doc:"(disputes + fraud_reports) / transactions, a fraction (0.015 is 1.5 %); 0 without transactions"`
	Thresholds   []RatioThreshold `json:"thresholds" doc:"the program's tiers in force that month, lowest ratio first"`
	Status       string           `json:"status" enum:"ok,approaching,excessive" doc:"excessive: a tier's ratio and count both met; approaching: the ratio reached monitoring_approach of the lowest tier's ratio, whatever the count (acquirers act before the network); else ok"`
	Projected    *RatioProjection `json:"projected" doc:"the current month only: its own counts scaled to the whole month from the time passed (ecp's previous-month denominator is not scaled); null for a past month"`
}

// RatioThreshold is one tier of a program in force in a month.
type RatioThreshold struct {
	Tier      string  `json:"tier" doc:"excessive (vamp), ecm or hecm (ecp)"`
	Ratio     float64 `json:"ratio" doc:"a fraction"`
	MinCount  int64   `json:"min_count" doc:"the count of the month's counted events that must also be met"`
	Effective string  `json:"effective" doc:"YYYY-MM-DD the row applies from"`
	Source    string  `json:"source" doc:"where the figure comes from (the shipped table's source tags, or the merchant's)"`
}

// RatioProjection is a month's ratio projected to its end from its pace so far.
type RatioProjection struct {
	Disputes     int64   `json:"disputes"`
	FraudReports int64   `json:"fraud_reports"`
	Transactions int64   `json:"transactions"`
	Ratio        float64 `json:"ratio"`
	Status       string  `json:"status" enum:"ok,approaching,excessive"`
}
