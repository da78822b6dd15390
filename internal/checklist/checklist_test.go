package checklist

import (
	"encoding/json"
	"slices"
	"testing"

	"disputed/internal/dispute"
)

// evidenceCategories are Stripe's evidence categories, every one of which needs a checklist.
var evidenceCategories = []string{"credit_not_processed", "duplicate", "fraudulent", "general", "product_not_received",
	"product_unacceptable", "subscription_canceled", "unrecognized", "noncompliant"}

// productTypes are the product types the settings offer.
var productTypes = []ProductType{"digital_service", "digital_goods", "subscription", "physical_goods", "offline_service",
	"booking", "event", "other"}

func TestFileValid(t *testing.T) {
	t.Parallel()
	var f file
	if err := json.Unmarshal(checklistJSON, &f); err != nil {
		t.Fatal(err)
	}
	if f.Version == "" || f.About == "" || len(f.Sources) == 0 {
		t.Errorf("version %q, about %d characters, %d sources: the file must say what it is and where it comes from", f.Version, len(f.About), len(f.Sources))
	}
	for _, field := range dispute.EvidenceFields {
		if l := f.Fields[field]; l.Label == "" || l.Why == "" {
			t.Errorf("field %s has label %q and why %q: every evidence field needs both", field, l.Label, l.Why)
		}
	}
	if len(f.Fields) != len(dispute.EvidenceFields) {
		t.Errorf("%d fields labelled, the server accepts %d", len(f.Fields), len(dispute.EvidenceFields))
	}
	var got []ProductType
	for _, p := range f.ProductTypes {
		got = append(got, p.ProductType)
		if !slices.Contains(Classes, p.Class) || p.Label == "" {
			t.Errorf("product type %s: class %q, label %q", p.ProductType, p.Class, p.Label)
		}
	}
	if !slices.Equal(got, productTypes) {
		t.Errorf("product types %v, want %v", got, productTypes)
	}
	if len(f.Checklists) != len(evidenceCategories) {
		t.Errorf("%d categories in the file, want %d", len(f.Checklists), len(evidenceCategories))
	}
	rank := map[Importance]int{Required: 0, Recommended: 1, Optional: 2}
	for _, cat := range evidenceCategories {
		for _, class := range Classes {
			items := f.Checklists[cat][class]
			if len(items) == 0 || items[0].Importance != Required {
				t.Errorf("%s × %s: %d items, the first %+v; each needs a required one first", cat, class, len(items), items)
			}
			var seen []string
			for i, it := range items {
				if !slices.Contains(dispute.EvidenceFields, it.Field) {
					t.Errorf("%s × %s: %q is not an evidence field", cat, class, it.Field)
				}
				if slices.Contains(seen, it.Field) {
					t.Errorf("%s × %s: %s listed twice", cat, class, it.Field)
				}
				seen = append(seen, it.Field)
				r, ok := rank[it.Importance]
				if !ok {
					t.Errorf("%s × %s: %s has importance %q", cat, class, it.Field, it.Importance)
				}
				if i > 0 && r < rank[items[i-1].Importance] {
					t.Errorf("%s × %s: %s (%s) after a less important item", cat, class, it.Field, it.Importance)
				}
			}
		}
	}
}

func TestProductTypes(t *testing.T) {
	t.Parallel()
	for _, p := range productTypes {
		if !p.Valid() || p.Label() == "" {
			t.Errorf("%s: valid %v, label %q", p, p.Valid(), p.Label())
		}
	}
	for p, want := range map[ProductType]Class{"": Digital, "subscription": Digital, "physical_goods": Physical, "booking": Offline, "event": Offline, "spaceship": Digital} {
		if got := p.Class(); got != want {
			t.Errorf("%q.Class() = %s, want %s", p, got, want)
		}
	}
	if ProductType("spaceship").Valid() || ProductType("").Valid() {
		t.Error("an unknown or empty product type is valid")
	}
	if got := ProductType("").Effective(); got != DefaultProductType {
		t.Errorf("no product type is %q, want %q", got, DefaultProductType)
	}
}

func TestLabel(t *testing.T) {
	t.Parallel()
	if got := Label("customer_purchase_ip"); got != "Customer's IP address at purchase" {
		t.Errorf("Label(customer_purchase_ip) = %q", got)
	}
	if got := Label("made_up"); got != "made_up" {
		t.Errorf("a field the file lacks is shown as %q, want its name", got)
	}
}

func TestItemsWhyByCategory(t *testing.T) {
	t.Parallel()
	why := func(cat, field string) string {
		for _, it := range Items(cat, "subscription") {
			if it.Field == field {
				return it.Why
			}
		}
		t.Fatalf("%s has no %s", cat, field)
		return ""
	}
	sub, fraud := why("subscription_canceled", "access_activity_log"), why("fraudulent", "access_activity_log")
	if sub == fraud || sub == "" || fraud == "" {
		t.Errorf("access_activity_log's why for a cancelled subscription %q and for fraud %q: the file gives its own for the first", sub, fraud)
	}
	if got := Items("no_such_category", "physical_goods"); !slices.Equal(got, Items(General, "physical_goods")) {
		t.Error("an unknown category does not get the general checklist")
	}
}
