package dispute

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"disputed/internal/fault"
)

// Charge is what a dispute needs to know of the transaction it challenges.
type Charge struct {
	ID         string
	OrderID    string
	CustomerID string
	VendorID   string
	Amount     int64
	Currency   string
	// CardNetwork is the network of the card that paid (order.PurchaseContext.CardNetwork); "" when
	// not known.
	CardNetwork string
}

// NewParams are the facts a dispute starts from. Amount and Currency must already be valid money;
// when zero they default to the charge's.
type NewParams struct {
	ID        string
	Type      Type
	AlertType AlertType
	// Status is where a provider's case stands when we first hear of it (OpeningStatus); empty
	// for the type's first status.
	Status            Status
	Stage             Stage
	Reason            string
	NetworkReasonCode string
	Description       string
	Amount            int64
	Currency          string
	Charge            *Charge // the matched charge, if any
	OrderID           string  // for disputes on an order without a matched charge
	// OrderTotal and OrderCurrency are the order's total: what a dispute on the order disputes
	// when no charge is recorded.
	OrderTotal        int64
	OrderCurrency     string
	CustomerID        string
	VendorID          string
	InitiatedBy       Party
	Provider          string
	ProviderDisputeID string
	CaseNumber        string
	ARN               string
	ExternalReference string
	HappenedAt        time.Time
	DueBy             time.Time
	Tags              []string
	Metadata          map[string]string
	Livemode          bool
	// Channel is where the provider says the case is argued; "" for the type's own.
	Channel               Channel
	SellerProtection      SellerProtection
	Network               string
	ProviderCharge        string
	ProviderPaymentIntent string
	// ExtendedFields are the values of the merchant's extended fields, each checked against the
	// field of its name in FieldDefinitions, the merchant's settings.
	ExtendedFields   map[string]json.RawMessage
	FieldDefinitions []FieldDefinition
	// AlertWindows are the refund windows in force (AlertWindows): an alert opened without a due
	// date must be refunded within its type's, counted from when it happened.
	AlertWindows map[AlertType]int
	Now          time.Time
}

// New validates p and returns the new dispute and what its creation did.
func New(p NewParams) (Dispute, Change, error) {
	if !p.Type.valid() {
		return Dispute{}, Change{}, fault.Invalidf(fault.CodeInvalidValue, "type", "type must be one of chargeback, inquiry, alert, marketplace, manual")
	}
	d := Dispute{
		ID: p.ID, Type: p.Type, AlertType: p.AlertType, Status: initial[p.Type],
		Reason: strings.TrimSpace(p.Reason), NetworkReasonCode: p.NetworkReasonCode, Description: p.Description,
		Amount: p.Amount, Currency: p.Currency, OrderID: p.OrderID, CustomerID: p.CustomerID, VendorID: p.VendorID,
		InitiatedBy: p.InitiatedBy, Provider: p.Provider, ProviderDisputeID: p.ProviderDisputeID,
		CaseNumber: p.CaseNumber, ARN: p.ARN, ExternalReference: p.ExternalReference,
		HappenedAt: p.HappenedAt, DueBy: p.DueBy, Evidence: map[string]string{}, Metadata: p.Metadata,
		Livemode: p.Livemode, Channel: p.Channel, SellerProtection: p.SellerProtection, Network: p.Network, ProviderCharge: p.ProviderCharge,
		ProviderPaymentIntent: p.ProviderPaymentIntent, Revision: 1, CreatedAt: p.Now, UpdatedAt: p.Now,
	}
	d.Reason, d.Description = typedReason(d.Type, d.Reason, d.Description)
	if d.Channel == "" {
		d.Channel = ChannelOf(d.Type)
	}
	if p.Status != "" {
		if OpeningStatus(p.Type, p.Status) != p.Status {
			return Dispute{}, Change{}, fault.Invalidf(fault.CodeInvalidValue, "status", "a %s dispute cannot open in %s", p.Type, p.Status)
		}
		d.Status = p.Status
	}
	if d.HappenedAt.IsZero() {
		d.HappenedAt = p.Now
	}
	if d.Type == Marketplace && d.DueBy.IsZero() {
		d.DueBy = p.Now.Add(MarketplaceWindow)
	}
	if d.Type == Alert && d.DueBy.IsZero() {
		d.DueBy = alertDueBy(d.AlertType, d.HappenedAt, p.AlertWindows)
	}
	if d.Metadata == nil {
		d.Metadata = map[string]string{}
	}
	if err := d.checkKindFields(p); err != nil {
		return Dispute{}, Change{}, err
	}
	if p.Charge != nil {
		if err := d.attach(*p.Charge); err != nil {
			return Dispute{}, Change{}, err
		}
	} else if d.OrderID != "" {
		if err := d.within(p.OrderTotal, p.OrderCurrency, "the order's total"); err != nil {
			return Dispute{}, Change{}, err
		}
	}
	if d.Amount < 0 {
		return Dispute{}, Change{}, fault.Invalidf(fault.CodeInvalidAmount, "amount", "amount must be positive")
	}
	if d.Amount == 0 && d.Type != Marketplace {
		return Dispute{}, Change{}, fault.Invalidf(fault.CodeParameterMissing, "amount", "amount is required when the dispute is not matched to a charge")
	}
	if d.Currency == "" && d.Type != Marketplace {
		return Dispute{}, Change{}, fault.Required("currency")
	}
	tags, err := normaliseTags(p.Tags)
	if err != nil {
		return Dispute{}, Change{}, err
	}
	d.Tags = tags
	if d.ExtendedFields, err = ChangeExtendedFields(nil, p.ExtendedFields, p.FieldDefinitions); err != nil {
		return Dispute{}, Change{}, err
	}
	if err := validMetadata(d.Metadata); err != nil {
		return Dispute{}, Change{}, err
	}
	events := []string{"dispute.created"}
	if d.Type == Alert {
		events = []string{"alert.created"}
	}
	if d.OrderID != "" {
		events = append(events, "order.disputed")
	}
	return d, Change{Action: "created", To: d.Status, Events: events, Note: d.Reason}, nil
}

func (d *Dispute) checkKindFields(p NewParams) error {
	if err := checkReason(d.Type, d.Reason); err != nil {
		return err
	}
	if len(d.Description) > 5000 {
		return fault.Invalidf(fault.CodeInvalidValue, "description", "description is longer than 5000 characters")
	}
	if d.Type == Alert {
		if !d.AlertType.valid() {
			return fault.Invalidf(fault.CodeInvalidValue, "alert_type", "alert_type must be one of tc40, safe, ethoca, cdrn, rdr")
		}
	} else if d.AlertType != "" {
		return fault.Invalidf(fault.CodeInvalidValue, "alert_type", "alert_type applies to alerts only")
	}
	if d.Type == Marketplace {
		if d.InitiatedBy != Buyer && d.InitiatedBy != Vendor {
			return fault.Invalidf(fault.CodeInvalidValue, "initiated_by", "initiated_by must be buyer or vendor")
		}
	} else if d.InitiatedBy != "" {
		return fault.Invalidf(fault.CodeInvalidValue, "initiated_by", "initiated_by applies to marketplace disputes only")
	}
	if (d.Type == Marketplace || d.Type == Manual) && d.OrderID == "" && p.Charge == nil {
		return fault.Required("order_id")
	}
	if d.Type == Manual && d.Reason == "" {
		return fault.Required("reason")
	}
	switch d.Type {
	case Chargeback:
		d.Stage = StageChargeback
		if p.Stage != "" {
			if p.Stage != StageChargeback && p.Stage != StagePreArbitration && p.Stage != StageArbitration {
				return fault.Invalidf(fault.CodeInvalidValue, "stage", "a chargeback's stage is chargeback, pre_arbitration or arbitration")
			}
			d.Stage = p.Stage
		}
		if d.Reason == "" {
			d.Reason = ReasonGeneral
		}
	case Inquiry:
		d.Stage = StageInquiry
		if d.Reason == "" {
			d.Reason = ReasonGeneral
		}
	default:
		if p.Stage != "" {
			return fault.Invalidf(fault.CodeInvalidValue, "stage", "stage applies to chargebacks and inquiries only")
		}
	}
	return nil
}

// within is the rule that a dispute's amount never exceeds what it disputes (what: the charge,
// or the order's total when no charge is recorded): the amount and currency default to that
// limit's, and must agree with it.
func (d *Dispute) within(limit int64, currency, what string) error {
	if d.Currency == "" {
		d.Currency = currency
	}
	if d.Currency != currency {
		return fault.Invalidf(fault.CodeCurrencyMismatch, "currency", "the dispute is in %s but %s is in %s", d.Currency, what, currency)
	}
	if d.Amount == 0 {
		d.Amount = limit
	}
	if d.Amount > limit {
		return fault.Invalidf(fault.CodeInvalidAmount, "amount", "the disputed amount (%d) exceeds %s (%d, in minor units of %s)", d.Amount, what, limit, currency)
	}
	return nil
}

// attach links the dispute to a charge: order, customer and vendor come from it, and the amount
// and currency default to its own and may not exceed it.
func (d *Dispute) attach(c Charge) error {
	if err := d.within(c.Amount, c.Currency, "the charge"); err != nil {
		return err
	}
	if d.OrderID != "" && c.OrderID != "" && d.OrderID != c.OrderID {
		return fault.Invalidf(fault.CodeInvalidValue, "order_id", "the charge belongs to another order")
	}
	d.TransactionID = c.ID
	if c.OrderID != "" {
		d.OrderID = c.OrderID
	}
	if c.CustomerID != "" {
		d.CustomerID = c.CustomerID
	}
	if c.VendorID != "" {
		d.VendorID = c.VendorID
	}
	d.takeCardNetwork(c.CardNetwork)
	return nil
}

// OpeningStatus is the status a provider's chargeback or inquiry opens in when the provider
// first reports it in status s: s itself when it is one of the type's open statuses (a PayPal
// case already under PayPal's review opens under review, not asking the merchant to act and
// then "submitted"), and "" otherwise. An ended status is not opened in: the dispute opens and
// then follows the provider to its end, so that the end's effects on money and lines happen.
func OpeningStatus(t Type, s Status) Status {
	if (t != Chargeback && t != Inquiry) || Ended(s) || !slices.Contains(Statuses(t), s) {
		return ""
	}
	return s
}
