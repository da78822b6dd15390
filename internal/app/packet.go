package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/checklist"
	"disputed/internal/compile"
	"disputed/internal/coverletter"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/money"
	"disputed/internal/packet"
	"disputed/internal/provider"
	"disputed/internal/reasoncode"
	"disputed/internal/store"
)

// Packet is a dispute's evidence as one PDF, with its cover letter and how it fits where it goes.
type Packet struct {
	Letter        string // the letter in the packet: the merchant's, or the draft
	LetterEdited  bool   // the merchant wrote the letter (else it is the draft)
	LetterVersion string // the templates' version the draft came from
	PDF           []byte
	Pages         int
	Exhibits      []PacketExhibit
	Fit           dispute.PacketFit
}

// PacketExhibit is an exhibit of the packet: the evidence field it shows, and where it is.
type PacketExhibit struct {
	dispute.PacketExhibit
	Field     string
	FirstPage int
}

// maxLetterPolicy is the longest policy a letter quotes; a longer one is left to its exhibit.
const maxLetterPolicy = 300

// DisputePacket renders a dispute's staged evidence as one PDF: the cover letter, then each
// staged field as an exhibit, in the order of the dispute's checklist (what answers the claim
// first), files embedded; and measures it against the limits of its provider and network.
func (a *App) DisputePacket(ctx context.Context, who actor.Actor, id string) (Packet, error) {
	if err := staff(who, "read the evidence packet"); err != nil {
		return Packet{}, err
	}
	d, err := a.Dispute(ctx, who, id)
	if err != nil {
		return Packet{}, err
	}
	if !d.Type.AnsweredWithEvidence() {
		return Packet{}, fault.Invalidf(fault.CodeNotSupportedForType, "type", "a %s dispute has no evidence packet", d.Type)
	}
	providerType, err := a.providerType(ctx, d)
	if err != nil {
		return Packet{}, err
	}
	return a.buildPacket(ctx, a.store, d, providerType)
}

// buildPacket renders d's packet and measures it for a provider of providerType.
func (a *App) buildPacket(ctx context.Context, r store.Reader, d dispute.Dispute, providerType string) (Packet, error) {
	s, err := r.GetSettings(ctx)
	if err != nil {
		return Packet{}, err
	}
	in, _, _, err := purchaseFacts(ctx, r, d, s)
	if err != nil {
		return Packet{}, err
	}
	product := s.Profile.ProductType.Effective()
	exhibits, fields, err := packetExhibits(ctx, r, d, disputeCategory(d), product)
	if err != nil {
		return Packet{}, err
	}
	out := Packet{Letter: d.CoverLetter, LetterEdited: d.CoverLetter != "", LetterVersion: coverletter.Version()}
	if out.Letter == "" {
		out.Letter = coverletter.Draft(letterFacts(d, in, s, exhibits, a.providerTitle(ctx, d.Provider), a.now()))
	}
	built, err := packet.Build(packet.Packet{Title: "Evidence for dispute " + d.ID, Author: s.MerchantName,
		Letter: out.Letter, Exhibits: exhibits, Created: a.now()})
	var ee *packet.ExhibitError
	if errors.As(err, &ee) {
		return Packet{}, fault.Invalidf(fault.CodeInvalidValue, "evidence."+fields[ee.Mark], "%v", ee)
	}
	if err != nil {
		return Packet{}, err
	}
	out.PDF, out.Pages = built.PDF, built.Pages
	var weights []dispute.PacketExhibit
	for _, e := range built.Exhibits {
		w := dispute.PacketExhibit{Mark: e.Mark, Label: e.Label, Pages: e.Pages, Bytes: e.Bytes}
		weights = append(weights, w)
		out.Exhibits = append(out.Exhibits, PacketExhibit{PacketExhibit: w, Field: fields[e.Mark], FirstPage: e.FirstPage})
	}
	network := reasoncode.Classify(d.NetworkHint(), d.NetworkReasonCode, d.Reason).Network
	out.Fit = dispute.FitPacket(providerType, network, out.Pages, int64(len(out.PDF)), weights)
	return out, nil
}

// providerType is the type of the provider a dispute came from; "" for a dispute of none.
func (a *App) providerType(ctx context.Context, d dispute.Dispute) (string, error) {
	if d.Provider == "" {
		return "", nil
	}
	p, err := a.store.GetProvider(ctx, d.Provider)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return p.Type, err
}

// exhibitFields are the staged fields that go into the packet, in its order: the checklist's
// fields first in its order (what answers the claim first), then the others by name. A file
// field naming a file the provider holds (not ours) has nothing to show and is left out.
func exhibitFields(d dispute.Dispute, category string, product checklist.ProductType) []string {
	var order []string
	for _, it := range checklist.Items(category, product) {
		if d.Evidence[it.Field] != "" {
			order = append(order, it.Field)
		}
	}
	for _, f := range slices.Sorted(maps.Keys(d.Evidence)) {
		if !slices.Contains(order, f) {
			order = append(order, f)
		}
	}
	return slices.DeleteFunc(order, func(f string) bool {
		return slices.Contains(dispute.FileEvidenceFields, f) && !dispute.IsItemRef(f, d.Evidence[f])
	})
}

// packetExhibits are the staged fields as exhibits, their files read; fields maps each exhibit's
// mark to its field.
func packetExhibits(ctx context.Context, r store.Reader, d dispute.Dispute, category string, product checklist.ProductType) ([]packet.Exhibit, map[string]string, error) {
	var exhibits []packet.Exhibit
	fields := map[string]string{}
	for _, field := range exhibitFields(d, category, product) {
		value := d.Evidence[field]
		ex := packet.Exhibit{Label: checklist.Label(field), Text: value}
		if dispute.IsItemRef(field, value) {
			it, data, err := r.GetEvidenceFile(ctx, value)
			if errors.Is(err, store.ErrNotFound) || err == nil && (it.DisputeID != d.ID || data == nil) {
				continue // refused when staged; gone since is checkStagedFiles's to say
			}
			if err != nil {
				return nil, nil, err
			}
			ex.Text, ex.File = "", &packet.File{Name: it.FileName, ContentType: it.ContentType, Data: data}
		}
		ex.Mark = coverletter.Mark(len(exhibits))
		fields[ex.Mark] = field
		exhibits = append(exhibits, ex)
	}
	return exhibits, fields, nil
}

// CoverLetter is the letter that heads a dispute's packet: the merchant's, or the draft written
// from what the dispute holds (without rendering the packet); edited says which.
func (a *App) CoverLetter(ctx context.Context, who actor.Actor, id string) (text string, edited bool, err error) {
	if err := staff(who, "read the cover letter"); err != nil {
		return "", false, err
	}
	d, err := a.Dispute(ctx, who, id)
	if err != nil || d.CoverLetter != "" || !d.Type.AnsweredWithEvidence() {
		return d.CoverLetter, d.CoverLetter != "", err
	}
	s, err := a.store.GetSettings(ctx)
	if err != nil {
		return "", false, err
	}
	in, _, _, err := purchaseFacts(ctx, a.store, d, s)
	if err != nil {
		return "", false, err
	}
	var exhibits []packet.Exhibit
	for i, field := range exhibitFields(d, in.Category, s.Profile.ProductType.Effective()) {
		exhibits = append(exhibits, packet.Exhibit{Mark: coverletter.Mark(i), Label: checklist.Label(field)})
	}
	return coverletter.Draft(letterFacts(d, in, s, exhibits, a.providerTitle(ctx, d.Provider), a.now())), false, nil
}

// letterFacts are what the drafted cover letter says: the merchant, the case, and the staged
// evidence in the order of the exhibits, each with why it matters for this category.
func letterFacts(d dispute.Dispute, in compile.Input, s store.Settings, exhibits []packet.Exhibit, providerTitle string, now time.Time) coverletter.Facts {
	c := reasoncode.Classify(d.NetworkHint(), d.NetworkReasonCode, d.Reason)
	f := coverletter.Facts{Category: in.Category, Date: now,
		Merchant: coverletter.Merchant{Name: cmp.Or(s.MerchantName, "The merchant"), Website: s.Profile.Website,
			SupportEmail: s.Profile.SupportEmail, SupportPhone: s.Profile.SupportPhone, TermsURL: s.Profile.TermsURL},
		Case: coverletter.Case{ID: d.ID, ProviderID: d.ProviderDisputeID, CaseNumber: d.CaseNumber,
			NetworkName: networkName(c.Network), ReasonCode: d.NetworkReasonCode, Amount: amountWords(d.Amount, d.Currency)},
		Transaction:  coverletter.Transaction{Reference: cmp.Or(in.Charge.Reference, in.Charge.ID), Date: in.Charge.At, Card: in.Charge.Card},
		Customer:     coverletter.Customer{Name: in.Customer.Name, Email: in.Customer.Email},
		Order:        coverletter.Order{ID: in.Order.ID, PlacedOn: in.Order.CreatedAt},
		ServiceDates: d.Evidence["service_date"], Duplicates: d.Evidence["duplicate_charge_id"],
		Activity: strings.TrimSuffix(firstLine(d.Evidence["access_activity_log"]), ":"),
	}
	if c.Entry != nil {
		f.Case.ReasonName = c.Entry.Name
	}
	f.Case.Provider = providerTitle
	for _, it := range in.Order.Items {
		f.Order.Items = append(f.Order.Items, it.Description)
	}
	if ip := d.Evidence["customer_purchase_ip"]; ip != "" {
		f.Purchase = "The purchase was made from the IP address " + ip + "."
	}
	if carrier, tracking := d.Evidence["shipping_carrier"], d.Evidence["shipping_tracking_number"]; tracking != "" {
		f.Shipping = strings.TrimSpace("It was shipped " + prefixed("by ", carrier) + " with the tracking number " + tracking +
			prefixed(" to ", d.Evidence["shipping_address"]) + ".")
	}
	if len(s.Profile.RefundPolicy) <= maxLetterPolicy {
		f.RefundPolicy = s.Profile.RefundPolicy
	}
	if len(s.Profile.CancellationPolicy) <= maxLetterPolicy {
		f.CancellationPolicy = s.Profile.CancellationPolicy
	}
	items := checklist.Items(in.Category, s.Profile.ProductType.Effective())
	for _, ex := range exhibits {
		e := coverletter.Exhibit{Mark: ex.Mark, Label: ex.Label}
		for _, it := range items {
			if checklist.Label(it.Field) == ex.Label {
				e.Proves = it.Why
			}
		}
		f.Exhibits = append(f.Exhibits, e)
	}
	return f
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

func networkName(network string) string {
	for _, n := range reasoncode.Networks() {
		if n.Network == network {
			return n.Name
		}
	}
	return ""
}

// providerTitle names a configured provider as a letter does: its type's title (Stripe,
// PayPal), or its name when its type is not known here; "" for none.
func (a *App) providerTitle(ctx context.Context, name string) string {
	if name == "" {
		return ""
	}
	if p, err := a.store.GetProvider(ctx, name); err == nil {
		if t, ok := a.providers.Lookup(p.Type); ok && t.Title != "" {
			return t.Title
		}
	}
	return name
}

func amountWords(minor int64, currency string) string {
	s, err := money.FormatDecimal(minor, currency)
	if err != nil {
		return fmt.Sprintf("%d (minor units) %s", minor, currency)
	}
	return s + " " + currency
}

// submittedPacket is the packet a provider that takes documents is sent. One that would not fit
// the provider is refused before anything is sent, naming what passes which limit.
func (a *App) submittedPacket(ctx context.Context, d dispute.Dispute, providerType string) (*provider.File, error) {
	p, err := a.buildPacket(ctx, a.store, d, providerType)
	if err != nil {
		return nil, err
	}
	if !p.Fit.Fits() {
		return nil, fault.Invalidf(fault.CodeEvidencePacketTooLarge, "evidence", "the evidence packet does not fit: %s", strings.Join(p.Fit.Over, "; "))
	}
	return &provider.File{Name: d.ID + "-packet.pdf", ContentType: "application/pdf", Data: p.PDF}, nil
}
