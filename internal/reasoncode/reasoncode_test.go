package reasoncode

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"disputed/internal/dispute"
)

var (
	evidenceCategories = []string{"credit_not_processed", "duplicate", "fraudulent", "general",
		"product_not_received", "product_unacceptable", "subscription_canceled", "unrecognized", "noncompliant"}
	winnables = []string{"no", "procedural", "hard", "yes"}
	networks  = []string{"visa", "mastercard", "amex", "discover", "paypal", "stripe"}
)

// TestCatalogueValid is the catalogue's check: the file is only parsed at run time, so every rule
// an edit could break is here, where it fails CI.
func TestCatalogueValid(t *testing.T) {
	var f file
	dec := json.NewDecoder(bytes.NewReader(catalogueJSON))
	dec.DisallowUnknownFields() // a misspelt key would otherwise read as an empty field
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("catalogue.json: %v", err)
	}
	if !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(f.Version) {
		t.Errorf("version %q is not a date", f.Version)
	}
	if strings.TrimSpace(f.About) == "" {
		t.Error("about is empty")
	}
	for tag, text := range f.Sources {
		if tag == "" || strings.TrimSpace(text) == "" {
			t.Errorf("source %q: a tag and its text are both needed", tag)
		}
	}
	checkSources := func(what string, tags []string) {
		if len(tags) == 0 {
			t.Errorf("%s cites no source", what)
		}
		for _, tag := range tags {
			if _, ok := f.Sources[tag]; !ok {
				t.Errorf("%s cites %q, which sources does not define", what, tag)
			}
		}
	}

	var names []string
	for _, n := range f.Networks {
		names = append(names, n.Network.Network)
		if n.Name == "" || n.ResponseDays < 0 {
			t.Errorf("network %+v: a name and a response time are needed", n)
		}
		checkSources("network "+n.Network.Network, n.Sources)
	}
	if !slices.Equal(names, networks) {
		t.Errorf("networks %v, want %v in that order", names, networks)
	}

	count := map[string]int{}
	seen := map[string]string{} // network + code or alias, normalized -> the entry it belongs to
	for _, e := range f.Codes {
		what := e.Network + " " + e.Code
		count[e.Network]++
		if !slices.Contains(networks, e.Network) {
			t.Errorf("%s: unknown network", what)
		}
		if strings.TrimSpace(e.Code) != e.Code || e.Code == "" || e.Name == "" || strings.TrimSpace(e.EvidenceWords) == "" {
			t.Errorf("%s: code, name and evidence_words are needed, without surrounding spaces", what)
		}
		if !e.Category.Valid() {
			t.Errorf("%s: category %q", what, e.Category)
		}
		if !slices.Contains(evidenceCategories, e.EvidenceCategory) {
			t.Errorf("%s: evidence_category %q", what, e.EvidenceCategory)
		}
		if !slices.Contains(winnables, e.Winnable) {
			t.Errorf("%s: winnable %q", what, e.Winnable)
		}
		if e.ResponseDays < 0 || (e.Network == "stripe") != (e.ResponseDays == 0) {
			t.Errorf("%s: response_days %d (0 for Stripe's reasons only)", what, e.ResponseDays)
		}
		for i, field := range e.Evidence {
			if !slices.Contains(dispute.EvidenceFields, field) {
				t.Errorf("%s: evidence %q is not a Stripe evidence field (dispute.EvidenceFields)", what, field)
			}
			if slices.Contains(e.Evidence[:i], field) {
				t.Errorf("%s: evidence %q twice", what, field)
			}
		}
		checkSources(what, e.Sources)
		for _, code := range append([]string{e.Code}, e.Aliases...) {
			k := e.Network + " " + normalize(code)
			if other, dup := seen[k]; dup {
				t.Errorf("%s: code or alias %q is already %s's", what, code, other)
			}
			seen[k] = what
		}
	}
	for _, n := range networks {
		if count[n] == 0 {
			t.Errorf("network %s has no entries", n)
		}
	}
	t.Logf("catalogue %s: %d entries %v", f.Version, len(f.Codes), count)
}

// researchFile is the research the catalogue was written from, beside the repository in CI.
const researchFile = "../../../shared/research/intelligence.md"

// TestCatalogueCoversResearch reads every code of the research's tables (§1.1 to §1.6) and looks it
// up, so that a code the research adds is not forgotten in the file.
func TestCatalogueCoversResearch(t *testing.T) {
	data, err := os.ReadFile(researchFile)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the research file is needed in CI: %v", err)
		}
		t.Skipf("no research file beside the repository: %v", err)
	}
	codes := researchCodes(t, data)
	if len(codes) < 150 {
		t.Fatalf("read %d codes from the research's tables: its layout changed?", len(codes))
	}
	for _, c := range codes {
		if _, ok := Lookup(c.network, c.code); !ok {
			t.Errorf("%s %s (research: %q) is not in the catalogue", c.network, c.code, c.row)
		}
	}
}

type researchCode struct{ network, code, row string }

// researchCodes reads the first column of each table of §1.1 to §1.6 (and Discover's numeric
// column, as its letter column is empty where only a number is known), expanding cells that name
// several codes: "FR4 / FR5", "28/30/34", "004, 155", "4901–4908", "63xx" (with the codes its row
// lists) and "C028…C0135" (with the examples its row names).
func researchCodes(t *testing.T, md []byte) []researchCode {
	sections := map[string]string{"1.1": "visa", "1.2": "mastercard", "1.3": "amex", "1.4": "discover", "1.5": "paypal", "1.6": "stripe"}
	heading := regexp.MustCompile(`^### (1\.\d)\b`)
	numberRange := regexp.MustCompile(`^(\d+)\s*[–-]\s*(\d+)$`)
	var out []researchCode
	network := ""
	sc := bufio.NewScanner(bytes.NewReader(md))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := heading.FindStringSubmatch(line); m != nil {
			network = sections[m[1]]
			continue
		}
		if strings.HasPrefix(line, "## ") {
			network = ""
		}
		if network == "" || !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(strings.NewReplacer("`", "", "*", "").Replace(cells[i]))
		}
		if len(cells) < 2 || strings.HasPrefix(cells[0], "---") || slices.Contains([]string{"Code", "Letter", "PayPal reason", "Reason"}, cells[0]) {
			continue // a header or its separator
		}
		columns := []string{cells[0]}
		if network == "discover" {
			columns = append(columns, cells[1])
		}
		for _, cell := range columns {
			var codes []string
			switch {
			case cell == "–" || cell == "-" || cell == "—":
			case strings.HasSuffix(cell, "xx"): // 63xx: the codes its row lists
				codes = regexp.MustCompile(`\b`+regexp.QuoteMeta(strings.TrimSuffix(cell, "xx"))+`\d\d\b`).FindAllString(cells[1], -1)
			case strings.Contains(cell, "…"): // C028…C0135: the ends and the examples its row names
				codes = strings.Split(cell, "…")
				codes = append(codes, regexp.MustCompile(`\bC0\d+\b`).FindAllString(cells[1], -1)...)
			case numberRange.MatchString(cell):
				m := numberRange.FindStringSubmatch(cell)
				from, _ := strconv.Atoi(m[1])
				to, _ := strconv.Atoi(m[2])
				for n := from; n <= to; n++ {
					codes = append(codes, strconv.Itoa(n))
				}
			default:
				codes = strings.FieldsFunc(cell, func(r rune) bool { return r == '/' || r == ',' || r == ' ' })
			}
			if len(codes) == 0 && cell == cells[0] && network != "discover" {
				t.Errorf("research row %q: no code in its first column", line)
			}
			for _, code := range codes {
				out = append(out, researchCode{network, code, cells[0] + " | " + cells[1]})
			}
		}
	}
	return out
}

func TestLookup(t *testing.T) {
	for _, tc := range []struct{ network, code, wantNetwork, wantCode string }{
		{"visa", "10.4", "visa", "10.4"},
		{"", " 12.6.1 ", "visa", "12.6.1"},
		{"mastercard", "4853", "mastercard", "4853"},
		{"AMEX", "c08", "amex", "C08"},
		{"amex", "fr4", "amex", "FR4"},
		{"amex", "004", "amex", "004"},
		{"discover", "ua02", "discover", "UA02"},
		{"discover", "7030", "discover", "UA02"}, // by its numeric alias
		{"", "4755", "discover", "RG"},
		{"", "4863", "mastercard", "4863"}, // Mastercard's and Discover's AT: Mastercard comes first
		{"discover", "4863", "discover", "AT"},
		{"paypal", "merchandise_or_service_not_received", "paypal", "MERCHANDISE_OR_SERVICE_NOT_RECEIVED"},
		{"stripe", "FRAUDULENT", "stripe", "fraudulent"},
		{"", "credit_not_processed", "paypal", "CREDIT_NOT_PROCESSED"}, // PayPal precedes Stripe in the file
		{"visa", "C0135", "visa", "C0135"},
		{"mastercard", "4905", "mastercard", "4905"},
	} {
		e, ok := Lookup(tc.network, tc.code)
		if !ok || e.Network != tc.wantNetwork || e.Code != tc.wantCode {
			t.Errorf("Lookup(%q, %q) = %s %s, %v; want %s %s", tc.network, tc.code, e.Network, e.Code, ok, tc.wantNetwork, tc.wantCode)
		}
	}
	for _, tc := range []struct{ network, code string }{
		{"visa", "4853"}, {"mastercard", "10.4"}, {"", "99.9"}, {"", ""}, {"klarna", "fraudulent"}, {"visa", "C031"},
	} {
		if e, ok := Lookup(tc.network, tc.code); ok {
			t.Errorf("Lookup(%q, %q) found %s %s", tc.network, tc.code, e.Network, e.Code)
		}
	}

	e, _ := Lookup("visa", "10.4")
	if e.Category != Fraud || e.EvidenceCategory != "fraudulent" || e.ResponseDays != 30 || e.Winnable != "hard" ||
		!slices.Contains(e.Evidence, "customer_purchase_ip") || !slices.Contains(e.Sources, "S-CAT") {
		t.Errorf("visa 10.4 = %+v", e)
	}
	e.Evidence[0] = "changed"
	if again, _ := Lookup("visa", "10.4"); again.Evidence[0] == "changed" {
		t.Error("a caller's edit of an entry changed the catalogue")
	}
	if e, _ := Lookup("stripe", "fraudulent"); e.ResponseDays != 0 {
		t.Errorf("Stripe's reasons have no clock of their own, got %d days", e.ResponseDays)
	}
	if e, _ := Lookup("paypal", "INCORRECT_AMOUNT"); e.EvidenceCategory != "general" {
		t.Errorf("PayPal INCORRECT_AMOUNT is general (the research's reading), got %q", e.EvidenceCategory)
	}
}

func TestListAndNetworks(t *testing.T) {
	var got []string
	for _, n := range Networks() {
		got = append(got, n.Network)
	}
	if !slices.Equal(got, networks) {
		t.Errorf("Networks() = %v", got)
	}
	if n := Networks()[2]; n.Name != "American Express" || n.ResponseDays != 20 {
		t.Errorf("amex = %+v", n)
	}
	if Version() != "2026-12-05" {
		t.Errorf("Version() = %q", Version())
	}

	all := List("", "")
	if len(all) != len(load().Codes) {
		t.Errorf("List all: %d of %d", len(all), len(load().Codes))
	}
	visaFraud := List("visa", Fraud)
	var codes []string
	for _, e := range visaFraud {
		codes = append(codes, e.Code)
	}
	if !slices.Equal(codes, []string{"10.1", "10.2", "10.3", "10.4", "10.5"}) {
		t.Errorf("List(visa, fraud) = %v", codes)
	}
	for _, e := range List("", Compliance) {
		if e.Category != Compliance {
			t.Errorf("List(\"\", compliance) holds %s %s (%s)", e.Network, e.Code, e.Category)
		}
	}
	if len(List("stripe", "")) != 15 {
		t.Errorf("Stripe has 15 reasons, List gives %d", len(List("stripe", "")))
	}
	if l := List("klarna", ""); len(l) != 0 {
		t.Errorf("List(klarna) = %d entries", len(l))
	}
	if l := List("", "nonsense"); len(l) != 0 {
		t.Errorf("an unknown category lists %d entries", len(l))
	}
}

func TestCategoryValid(t *testing.T) {
	for _, c := range []Category{Fraud, Authorization, ProcessingError, ConsumerDispute, Request, Compliance} {
		if !c.Valid() {
			t.Errorf("%q is not valid", c)
		}
	}
	for _, c := range []Category{"", "Fraud", "general", "consumer"} {
		if c.Valid() {
			t.Errorf("%q is valid", c)
		}
	}
}

func TestNetworkOf(t *testing.T) {
	for code, want := range map[string]string{
		"10.4": "visa", "12.6.1": "visa", "13.1": "visa", " 11.3 ": "visa", "C028": "visa", "c0135": "visa",
		"4853": "mastercard", "4901": "mastercard", "6341": "mastercard", "4999": "mastercard",
		"4863": "", "4864": "", "4867": "", // Discover's numbers inside Mastercard's shape
		"C08": "amex", "a01": "amex", "F29": "amex", "M49": "amex", "R13": "amex", "P08": "amex", "FR2": "amex",
		"AA": "discover", "RG": "discover", "rn2": "discover", "UA02": "discover", "UA11": "discover",
		"7030": "discover", "4755": "discover", "6041": "discover",
		"MERCHANDISE_OR_SERVICE_NOT_RECEIVED": "paypal", "UNAUTHORISED": "paypal", "OTHER": "paypal",
		"fraudulent": "stripe", "credit_not_processed": "stripe", "bank_cannot_process": "stripe",
		// Shapes that say no network.
		"": "", "30": "", "004": "", "127": "", "1234": "", "Fraudulent": "", "ZZ": "", "ABC": "",
		"C0": "", "X08": "", "10.": "", "unknown_reason": "", "CREDIT NOT PROCESSED": "",
	} {
		if got := NetworkOf(code); got != want {
			t.Errorf("NetworkOf(%q) = %q, want %q", code, got, want)
		}
	}

	// Every code of the catalogue whose shape says a network says its own; the ones that say none
	// are the bare short numbers and the numbers two networks share.
	for _, e := range List("", "") {
		for _, code := range append([]string{e.Code}, e.Aliases...) {
			got := NetworkOf(code)
			if got == e.Network {
				continue
			}
			shared := e.Network == "discover" && code == "4863" || e.Network == "mastercard" && code == "4863"
			insideMastercard := e.Network == "discover" && mastercardShape.MatchString(code)
			if got != "" || !(isDigits(code) && (len(code) <= 3 || shared || insideMastercard)) {
				t.Errorf("NetworkOf(%q) = %q, but it is %s's", code, got, e.Network)
			}
		}
	}
}

// FuzzLookup feeds NetworkOf and Lookup what a provider's feed or a form could send. Neither may
// panic; what they answer must agree with the catalogue.
func FuzzLookup(f *testing.F) {
	f.Add("visa", "10.4")
	f.Add("", " c08 ")
	f.Add("discover", "7030")
	f.Add("", "MERCHANDISE_OR_SERVICE_NOT_RECEIVED")
	f.Add("STRIPE", "fraudulent")
	exact := map[string]string{} // a code as written -> its network, for the codes only one network writes so
	for _, e := range load().Codes {
		if _, dup := exact[e.Code]; dup {
			exact[e.Code] = ""
			continue
		}
		exact[e.Code] = e.Network
	}
	f.Fuzz(func(t *testing.T, network, code string) {
		n := NetworkOf(code)
		if n != "" && !slices.Contains(networks, n) {
			t.Fatalf("NetworkOf(%q) = %q, not a network", code, n)
		}
		if own := exact[strings.TrimSpace(code)]; n != "" && own != "" && n != own {
			t.Fatalf("NetworkOf(%q) = %q, but the code is %s's", code, n, own)
		}
		e, ok := Lookup(network, code)
		if !ok {
			return
		}
		if want := strings.ToLower(strings.TrimSpace(network)); want != "" && e.Network != want {
			t.Fatalf("Lookup(%q, %q) found %s's %s", network, code, e.Network, e.Code)
		}
		k := normalize(code)
		if normalize(e.Code) != k && !slices.ContainsFunc(e.Aliases, func(a string) bool { return normalize(a) == k }) {
			t.Fatalf("Lookup(%q, %q) found %s %s, neither its code nor an alias", network, code, e.Network, e.Code)
		}
		if again, ok := Lookup(e.Network, e.Code); !ok || again.Code != e.Code {
			t.Fatalf("%s %s is not found again by its own code", e.Network, e.Code)
		}
	})
}
