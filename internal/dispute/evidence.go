package dispute

import (
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
)

// EvidenceFields are the keys the staged evidence dictionary accepts: Stripe's names, so that an
// integrator can send the same object to both. File fields hold the id of an uploaded evidence item.
var EvidenceFields = []string{
	"access_activity_log", "billing_address", "cancellation_policy", "cancellation_policy_disclosure",
	"cancellation_rebuttal", "customer_communication", "customer_email_address", "customer_name",
	"customer_purchase_ip", "customer_signature", "duplicate_charge_documentation",
	"duplicate_charge_explanation", "duplicate_charge_id", "product_description", "receipt",
	"refund_policy", "refund_policy_disclosure", "refund_refusal_explanation", "service_date",
	"service_documentation", "shipping_address", "shipping_carrier", "shipping_date",
	"shipping_documentation", "shipping_tracking_number", "uncategorized_file", "uncategorized_text",
}

const maxEvidenceValue = 20000

// ItemType is the kind of an appended evidence item.
type ItemType string

// Evidence item types.
const (
	ItemText  ItemType = "text"
	ItemImage ItemType = "image"
	ItemFile  ItemType = "file"
	ItemLink  ItemType = "link"
)

// EvidenceItem is one appended piece of evidence. Items are never edited or deleted.
type EvidenceItem struct {
	ID          string
	DisputeID   string
	Type        ItemType
	Content     string // text, a link, or for files the file name
	Description string
	FileName    string
	ContentType string
	Size        int64
	AddedBy     string // actor
	Party       Party  // the party who added it, empty for staff
	CreatedAt   time.Time
}

// ValidateItem checks an item before it is appended.
func ValidateItem(it EvidenceItem) error {
	switch it.Type {
	case ItemText, ItemImage, ItemFile, ItemLink:
	case "":
		return fault.Required("type")
	default:
		return fault.Invalidf(fault.CodeInvalidValue, "type", "type must be one of text, image, file, link")
	}
	if strings.TrimSpace(it.Content) == "" {
		return fault.Required("content")
	}
	if len(it.Content) > maxEvidenceValue {
		return fault.Invalidf(fault.CodeInvalidValue, "content", "content is longer than %d characters", maxEvidenceValue)
	}
	if len(it.Description) > 1000 {
		return fault.Invalidf(fault.CodeInvalidValue, "description", "description is longer than 1000 characters")
	}
	if it.Type == ItemLink {
		u, err := url.Parse(it.Content)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fault.Invalidf(fault.CodeInvalidValue, "content", "a link must be an http or https URL")
		}
	}
	return nil
}

// AddEvidence appends an item. Parties may add to a marketplace dispute only while it is open;
// staff may add at any stage until it is closed. Card-network evidence is collected while the
// merchant must respond, to be submitted.
func (d *Dispute) AddEvidence(who actor.Actor, now time.Time) (Change, error) {
	if Final(d.Status) {
		return Change{}, fault.InvalidState(string(d.Status), "add evidence")
	}
	switch {
	case d.Type == Alert:
		return Change{}, wrongType(d.Type, "evidence")
	case d.Type == Marketplace:
		if !who.IsStaff() && d.Status != Open {
			return Change{}, fault.InvalidState(string(d.Status), "add evidence as a party")
		}
	default:
		if !who.IsStaff() {
			return Change{}, fault.New(fault.Forbidden, fault.CodeForbidden, "", "only staff add evidence to a %s", d.Type)
		}
		if !mustRespond(d.Status) {
			return Change{}, fault.InvalidState(string(d.Status), "add evidence")
		}
		if err := d.refuseWhileSending("add evidence"); err != nil {
			return Change{}, err
		}
	}
	d.EvidenceItems++
	d.touch(now)
	return Change{Action: "evidence_added", From: d.Status, To: d.Status, Events: []string{"dispute.evidence_added"}}, nil
}

// stageEvidence merges a person's fields into the staged dictionary; an empty value removes a
// field. A field the person changes is theirs from now on: the compiler's source for it goes, and
// the compiler leaves it alone (StageCompiled). d's maps are changed in place: Update gives it
// copies.
func (d *Dispute) stageEvidence(fields map[string]string) (staged, removed []string, err error) {
	keys, err := d.evidenceKeys(fields)
	if err != nil {
		return nil, nil, err
	}
	for _, k := range keys {
		v := fields[k]
		old, had := d.Evidence[k]
		if v == "" {
			if had {
				delete(d.Evidence, k)
				delete(d.EvidenceSources, k)
				removed = append(removed, k)
			}
			continue
		}
		if old != v {
			if d.Evidence == nil {
				d.Evidence = map[string]string{}
			}
			d.Evidence[k] = v
			delete(d.EvidenceSources, k)
			staged = append(staged, k)
		}
	}
	return staged, removed, nil
}

// evidenceKeys checks that the dictionary can be changed now and that every field is one of
// EvidenceFields within the length limit; it returns the fields' names in order.
func (d *Dispute) evidenceKeys(fields map[string]string) ([]string, error) {
	if d.Type == Alert || d.Type == Marketplace {
		return nil, wrongType(d.Type, "the evidence dictionary")
	}
	if !mustRespond(d.Status) {
		return nil, fault.InvalidState(string(d.Status), "stage evidence")
	}
	if err := d.refuseWhileSending("change the evidence"); err != nil {
		return nil, err
	}
	keys := slices.Sorted(maps.Keys(fields))
	for _, k := range keys {
		if !slices.Contains(EvidenceFields, k) {
			return nil, fault.New(fault.Malformed, fault.CodeUnknownField, "evidence."+k, "unknown evidence field %q", k)
		}
		if len(fields[k]) > maxEvidenceValue {
			return nil, fault.Invalidf(fault.CodeInvalidValue, "evidence."+k, "longer than %d characters", maxEvidenceValue)
		}
	}
	return keys, nil
}

func wrongType(t Type, what string) error {
	return fault.Invalidf(fault.CodeNotSupportedForType, "type", "a %s dispute has no %s", t, what)
}

// HasFile says whether an item holds an uploaded file (every upload keeps its sniffed type).
func (it EvidenceItem) HasFile() bool { return it.ContentType != "" }
