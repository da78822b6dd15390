package coverletter

import (
	"strings"
	"testing"
	"time"
)

func sample(category string) Facts {
	return Facts{
		Category: category,
		Date:     time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC),
		Merchant: Merchant{Name: "Acme Hosting", Website: "https://acme.example", SupportEmail: "help@acme.example"},
		Case: Case{ID: "dsp_1", ProviderID: "dp_1", Provider: "Stripe", NetworkName: "Visa", ReasonCode: "10.4",
			ReasonName: "Other Fraud – Card-Absent Environment", Amount: "49.00 USD"},
		Transaction: Transaction{Reference: "ch_1", Date: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), Card: "Visa ending in 4242"},
		Customer:    Customer{Name: "Ada Lovelace", Email: "ada@example.com"},
		Order:       Order{ID: "ord_1", Items: []string{"VPS S", "Backup add-on"}, PlacedOn: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)},
		Exhibits: []Exhibit{{Mark: "A", Label: "Customer's IP address at purchase", Proves: "It is the address the customer signs in from."},
			{Mark: "B", Label: "Access log"}},
	}
}

func TestDraftNamesTheCaseAndEveryExhibit(t *testing.T) {
	for _, c := range append(Categories, "something_new") {
		letter := Draft(sample(c))
		for _, want := range []string{"Acme Hosting", "5 December 2026", "Visa dispute 10.4", "dsp_1 (dp_1)", "49.00 USD",
			"1 October 2026", "Visa ending in 4242", "Ada Lovelace (ada@example.com) bought VPS S and Backup add-on",
			"Exhibit A: Customer's IP address at purchase. It is the address the customer signs in from.",
			"Exhibit B: Access log.", "Sincerely,"} {
			if !strings.Contains(letter, want) {
				t.Errorf("%s: the letter lacks %q:\n%s", c, want, letter)
			}
		}
		if strings.Contains(letter, "<no value>") || strings.Contains(letter, "\n\n\n") || strings.Contains(letter, "  ") {
			t.Errorf("%s: the letter shows a gap or a missing value:\n%s", c, letter)
		}
	}
}

func TestDraftLeavesOutWhatIsNotKnown(t *testing.T) {
	letter := Draft(Facts{Category: "product_not_received", Merchant: Merchant{Name: "Acme"}, Case: Case{ID: "dsp_2", Amount: "5.00 EUR"}})
	for _, absent := range []string{"case ", "transaction ", "Exhibit", "through", "()"} {
		if strings.Contains(letter, absent) {
			t.Errorf("the letter says %q with nothing to say:\n%s", absent, letter)
		}
	}
	if !strings.Contains(letter, "The cardholder bought from us.") {
		t.Errorf("the letter lacks its narrative:\n%s", letter)
	}
}

func TestDraftAnswersEachCategoryInItsOwnWords(t *testing.T) {
	claims := map[string]string{
		"fraudulent": "did not authorize", "unrecognized": "do not recognize", "product_not_received": "did not receive",
		"product_unacceptable": "not as described", "subscription_canceled": "cancelled the subscription",
		"credit_not_processed": "refund or credit", "duplicate": "charged twice", "noncompliant": "network's rules",
	}
	for c, claim := range claims {
		if !strings.Contains(Draft(sample(c)), claim) {
			t.Errorf("%s: the letter does not answer the claim %q", c, claim)
		}
	}
}

func TestMark(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA"} {
		if got := Mark(i); got != want {
			t.Errorf("Mark(%d) = %q, want %q", i, got, want)
		}
	}
}
