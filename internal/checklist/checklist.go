// Package checklist is the evidence checklist: for a dispute's evidence category (Stripe's
// bucket for its reason code) and the merchant's product type, the evidence fields that make the
// case, each with a label people read instead of the field's name, why it helps and how much it
// matters; and the completeness score of what a dispute holds against that list.
//
// The lists are data, not code: what wins a category is the networks' and the providers' word
// and changes with them, so it ships as one versioned file, checklist.json, embedded in the
// binary, with its sources. The package's tests check the file against the evidence fields the
// server accepts. Nothing here does I/O beyond reading the embed.
package checklist

import (
	_ "embed"
	"encoding/json"
	"sync"
)

//go:embed checklist.json
var checklistJSON []byte

// ProductType is what the merchant sells, as its settings say: one of the file's product types.
type ProductType string

// DefaultProductType is the product type of a merchant who chose none: disputed's merchants sell
// hosting and subscriptions.
const DefaultProductType ProductType = "digital_service"

// Class is one of Stripe's three product classes, which its evidence guidance is split by.
type Class string

// The product classes.
const (
	Physical Class = "physical"
	Digital  Class = "digital"
	Offline  Class = "offline"
)

// Classes lists the product classes.
var Classes = []Class{Physical, Digital, Offline}

// Importance is how much an item matters to the case.
type Importance string

// The importances, and what each weighs in the completeness score.
const (
	Required    Importance = "required"
	Recommended Importance = "recommended"
	Optional    Importance = "optional"
)

// weights are what each importance counts for in Completeness: a required item weighs as much as
// three optional ones.
var weights = map[Importance]int{Required: 3, Recommended: 2, Optional: 1}

// Item is one piece of evidence a checklist asks for.
type Item struct {
	Field      string     `json:"field"` // a Stripe evidence field (dispute.EvidenceFields)
	Importance Importance `json:"importance"`
	// Why is why the field helps in this category: the field's own sentence unless the file
	// gives one for the category.
	Why   string `json:"why"`
	Label string `json:"-"` // the field's label, filled from the file's fields
}

// Product is one product type of the file: its class and what people call it.
type Product struct {
	ProductType ProductType `json:"product_type"`
	Class       Class       `json:"class"`
	Label       string      `json:"label"`
}

// Field is what the file says of one evidence field: its label and why it helps in general.
type Field struct {
	Label string `json:"label"`
	Why   string `json:"why"`
}

// file is checklist.json as written.
type file struct {
	Version      string                      `json:"version"`
	About        string                      `json:"about"`
	Sources      map[string]string           `json:"sources"`
	ProductTypes []Product                   `json:"product_types"`
	Fields       map[string]Field            `json:"fields"`
	Checklists   map[string]map[Class][]Item `json:"checklists"`
}

// load parses the embedded file once and fills each item's label and default why, so that a
// checklist is read, never built, per dispute. A file that does not parse is a build that must
// not run: it panics; everything else about the file is checked by the tests.
var load = sync.OnceValue(func() *file {
	var f file
	if err := json.Unmarshal(checklistJSON, &f); err != nil {
		panic("checklist: the embedded checklist.json does not parse: " + err.Error())
	}
	for _, byClass := range f.Checklists {
		for _, items := range byClass {
			for i := range items {
				field := f.Fields[items[i].Field]
				items[i].Label = field.Label
				if items[i].Why == "" {
					items[i].Why = field.Why
				}
			}
		}
	}
	return &f
})

// Version is the file's version.
func Version() string { return load().Version }

// Products lists the product types, in the file's order.
func Products() []Product { return append([]Product(nil), load().ProductTypes...) }

// Valid tells whether p is one of the file's product types.
func (p ProductType) Valid() bool {
	_, ok := p.product()
	return ok
}

func (p ProductType) product() (Product, bool) {
	for _, pr := range load().ProductTypes {
		if pr.ProductType == p {
			return pr, true
		}
	}
	return Product{}, false
}

// Effective is p, or DefaultProductType when p is "" (none chosen).
func (p ProductType) Effective() ProductType {
	if p == "" {
		return DefaultProductType
	}
	return p
}

// Class is the product class p belongs to; that of DefaultProductType for "" or a product type
// the file does not have.
func (p ProductType) Class() Class {
	if pr, ok := p.product(); ok {
		return pr.Class
	}
	pr, _ := DefaultProductType.product()
	return pr.Class
}

// Label is what people call p.
func (p ProductType) Label() string {
	pr, _ := p.Effective().product()
	return pr.Label
}

// Label is the label of an evidence field, what the UI shows instead of its name; the name
// itself for a field the file does not have.
func Label(field string) string {
	if f, ok := load().Fields[field]; ok {
		return f.Label
	}
	return field
}

// Items is the checklist of an evidence category for a product type, required items first; the
// general category's for a category the file does not have. The slice is shared: callers must
// not change it.
func Items(category string, product ProductType) []Item {
	byClass, ok := load().Checklists[category]
	if !ok {
		byClass = load().Checklists[General]
	}
	return byClass[product.Class()]
}
