package dispute

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
)

func TestAddEvidence(t *testing.T) {
	t.Parallel()
	buyer := actor.Key("key_b", actor.Buyer, "cus_1")
	vendor := actor.Key("key_v", actor.Vendor, "ven_1")
	agent := actor.Key("key_a", actor.Agent, "")
	who := map[string]actor.Actor{"buyer": buyer, "vendor": vendor, "admin": admin, "agent": agent, "system": actor.System}
	// allowed answers, by hand from states.md: "" when accepted, else the refusal's code.
	expect := func(typ Type, s Status, role string) (fault.Kind, string) {
		staff := role == "admin" || role == "agent" || role == "system"
		switch {
		case slices.Contains(finalStatuses, s):
			return fault.Conflict, "invalid_state"
		case typ == Alert:
			return fault.Invalid, "not_supported_for_type"
		case typ == Marketplace:
			if staff || s == Open {
				return 0, ""
			}
			return fault.Conflict, "invalid_state"
		case !staff:
			return fault.Forbidden, "forbidden"
		case s == NeedsResponse || s == WarningNeedsResponse:
			return 0, ""
		}
		return fault.Conflict, "invalid_state"
	}
	for _, typ := range Types {
		for _, s := range Statuses(typ) {
			for _, role := range []string{"buyer", "vendor", "admin", "agent", "system"} {
				t.Run(fmt.Sprintf("%s/%s/%s", typ, s, role), func(t *testing.T) {
					t.Parallel()
					d := fixture(t, typ, s)
					before := snapshot(d)
					c, err := d.AddEvidence(who[role], tNow)
					kind, code := expect(typ, s, role)
					if code != "" {
						fe, ok := fault.As(err)
						if !ok || fe.Kind != kind || fe.Code != code {
							t.Fatalf("AddEvidence = %v; want %s", err, code)
						}
						assertUnchanged(t, before, d)
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					if d.EvidenceItems != 1 || !d.HasEvidence() || d.Revision != before.Revision+1 || d.Status != s {
						t.Errorf("items %d revision %d status %s", d.EvidenceItems, d.Revision, d.Status)
					}
					if c.Action != "evidence_added" || c.From != s || c.To != s || !slices.Equal(c.Events, []string{"dispute.evidence_added"}) {
						t.Errorf("change %+v", c)
					}
				})
			}
		}
	}
}

func TestValidateItem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		it    EvidenceItem
		code  string
		param string
	}{
		{"text", EvidenceItem{Type: ItemText, Content: "the customer signed"}, "", ""},
		{"image", EvidenceItem{Type: ItemImage, Content: "photo.png"}, "", ""},
		{"file", EvidenceItem{Type: ItemFile, Content: "contract.pdf", Description: strings.Repeat("d", 1000)}, "", ""},
		{"https link", EvidenceItem{Type: ItemLink, Content: "https://example.com/track/1"}, "", ""},
		{"http link", EvidenceItem{Type: ItemLink, Content: "http://example.com"}, "", ""},
		{"no type", EvidenceItem{Content: "x"}, "parameter_missing", "type"},
		{"unknown type", EvidenceItem{Type: "video", Content: "x"}, "invalid_value", "type"},
		{"blank content", EvidenceItem{Type: ItemText, Content: " \n\t"}, "parameter_missing", "content"},
		{"content at limit", EvidenceItem{Type: ItemText, Content: strings.Repeat("c", 20000)}, "", ""},
		{"content too long", EvidenceItem{Type: ItemText, Content: strings.Repeat("c", 20001)}, "invalid_value", "content"},
		{"description too long", EvidenceItem{Type: ItemText, Content: "c", Description: strings.Repeat("d", 1001)}, "invalid_value", "description"},
		{"javascript link", EvidenceItem{Type: ItemLink, Content: "javascript:alert(1)"}, "invalid_value", "content"},
		{"ftp link", EvidenceItem{Type: ItemLink, Content: "ftp://example.com/x"}, "invalid_value", "content"},
		{"relative link", EvidenceItem{Type: ItemLink, Content: "/track/1"}, "invalid_value", "content"},
		{"link without host", EvidenceItem{Type: ItemLink, Content: "https:///x"}, "invalid_value", "content"},
		{"unparseable link", EvidenceItem{Type: ItemLink, Content: "http://[::1"}, "invalid_value", "content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := ValidateItem(tt.it)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("ValidateItem: %v", err)
				}
				return
			}
			wantFault(t, err, fault.Invalid, tt.code, tt.param)
		})
	}
}

func TestActions(t *testing.T) {
	t.Parallel()
	due := t0.Add(72 * time.Hour)
	type act struct {
		name string
		due  bool
	}
	a := func(name string, due bool) act { return act{name, due} }
	tests := []struct {
		typ       Type
		status    Status
		stage     Stage // overrides the fixture's when set
		unmatched bool
		want      []act
	}{
		{Chargeback, NeedsResponse, "", false, []act{a("submit_evidence", true), a("accept", true), a("resolve", false)}},
		{Chargeback, UnderReview, "", false, []act{a("escalate", false), a("resolve", false)}},
		{Chargeback, UnderReview, StagePreArbitration, false, []act{a("escalate", false), a("resolve", false)}},
		{Chargeback, UnderReview, StageArbitration, false, []act{a("resolve", false)}},
		{Chargeback, Won, "", false, nil},
		{Chargeback, Lost, "", false, nil},
		{Chargeback, Closed, "", false, nil},
		{Manual, NeedsResponse, "", false, []act{a("submit_evidence", true), a("accept", true), a("resolve", false)}},
		{Manual, UnderReview, "", false, []act{a("escalate", false), a("resolve", false)}},
		{Manual, Won, "", false, nil},
		{Inquiry, WarningNeedsResponse, "", false, []act{a("submit_evidence", true), a("escalate", false), a("resolve", false)}},
		{Inquiry, WarningUnderReview, "", false, []act{a("escalate", false), a("resolve", false)}},
		{Inquiry, WarningClosed, "", false, nil},
		{Inquiry, Closed, "", false, nil},
		{Alert, Open, "", false, []act{a("resolve", true)}},
		{Alert, Open, "", true, []act{a("match", true), a("resolve", true)}},
		{Alert, Resolved, "", false, nil},
		{Alert, Resolved, "", true, nil},
		{Alert, Closed, "", true, nil},
		{Marketplace, Open, "", false, []act{a("add_evidence", true), a("review", false)}},
		{Marketplace, PendingReview, "", false, []act{a("escalate", false), a("resolve", false)}},
		{Marketplace, Escalated, "", false, []act{a("resolve", false)}},
		{Marketplace, Resolved, "", false, []act{a("close", false)}},
		{Marketplace, Closed, "", false, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s/%s/unmatched=%v", tt.typ, tt.status, tt.stage, tt.unmatched), func(t *testing.T) {
			t.Parallel()
			d := fixture(t, tt.typ, tt.status)
			d.DueBy = due
			if tt.stage != "" {
				d.Stage = tt.stage
			}
			if tt.unmatched {
				d.TransactionID = ""
			}
			var want []Action
			for _, w := range tt.want {
				x := Action{Name: w.name}
				if w.due {
					x.DueBy = due
				}
				want = append(want, x)
			}
			if got := d.Actions(); !slices.Equal(got, want) {
				t.Errorf("Actions() = %+v, want %+v", got, want)
			}
		})
	}
}

// TestActionsAgreeWithMethods: every action offered can be carried out, and every status in
// which nothing is offered refuses the corresponding methods.
func TestActionsAgreeWithMethods(t *testing.T) {
	t.Parallel()
	for _, typ := range Types {
		for _, s := range Statuses(typ) {
			t.Run(fmt.Sprintf("%s/%s", typ, s), func(t *testing.T) {
				t.Parallel()
				d := fixture(t, typ, s)
				for _, act := range d.Actions() {
					x := fixture(t, typ, s)
					var err error
					switch act.Name {
					case "submit_evidence":
						x.Evidence["receipt"] = "file_1"
						_, err = x.Submit(admin, tNow)
					case "accept":
						_, err = x.Close(admin, "", tNow)
					case "escalate":
						to := NeedsResponse
						if typ == Marketplace {
							to = Escalated
						}
						_, err = x.Move(to, "", tNow)
					case "resolve":
						r := Resolutions(typ)[0]
						var amt int64
						if r == PartialRefund {
							amt = 1
						}
						_, err = x.Resolve(ResolveParams{Resolution: r, RefundAmount: amt, By: admin, Now: tNow})
					case "review":
						_, err = x.Move(PendingReview, "", tNow)
					case "close":
						_, err = x.Close(admin, "", tNow)
					case "add_evidence":
						_, err = x.AddEvidence(actor.Key("k", actor.Buyer, "cus_1"), tNow)
					case "match":
						x.TransactionID = ""
						_, err = x.Match(charge(), tNow)
					default:
						t.Fatalf("unknown action %q", act.Name)
					}
					if err != nil {
						t.Errorf("action %q is offered but fails: %v", act.Name, err)
					}
				}
			})
		}
	}
}

// TestFinalRefusesEverything: a won, lost, closed or warning_closed dispute accepts no change
// through any mutating method, and is left exactly as it was.
func TestFinalRefusesEverything(t *testing.T) {
	t.Parallel()
	past := t0.Add(365 * 24 * time.Hour)
	mutations := []struct {
		name string
		do   func(d *Dispute) (Change, bool, error)
	}{
		{"Move", func(d *Dispute) (Change, bool, error) {
			// Every status of the type, and needs_response.
			for _, to := range append(Statuses(d.Type), NeedsResponse) {
				if c, err := d.Move(to, "", tNow); err == nil {
					return c, true, nil
				}
			}
			return Change{}, false, fault.InvalidState(string(d.Status), "move")
		}},
		{"Resolve", func(d *Dispute) (Change, bool, error) {
			for _, r := range allResolutions() {
				if c, err := d.Resolve(ResolveParams{Resolution: r, RefundAmount: amountFor(r), By: admin, Now: tNow}); err == nil {
					return c, true, nil
				}
			}
			return Change{}, false, fault.InvalidState(string(d.Status), "resolve")
		}},
		{"Close", func(d *Dispute) (Change, bool, error) { c, err := d.Close(admin, "", tNow); return c, err == nil, err }},
		{"Update", func(d *Dispute) (Change, bool, error) {
			c, err := d.Update(UpdateParams{Tags: &[]string{"x"}, Metadata: map[string]string{"k": "v"}}, tNow)
			return c, err == nil, err
		}},
		{"UpdateEvidence", func(d *Dispute) (Change, bool, error) {
			c, err := d.Update(UpdateParams{Evidence: map[string]string{"receipt": "file_1"}, Submit: true}, tNow)
			return c, err == nil, err
		}},
		{"Submit", func(d *Dispute) (Change, bool, error) {
			d.Evidence["receipt"] = "file_1" // even with evidence there
			c, err := d.Submit(admin, tNow)
			if err != nil {
				delete(d.Evidence, "receipt")
			}
			return c, err == nil, err
		}},
		{"MatchSame", func(d *Dispute) (Change, bool, error) { c, err := d.Match(charge(), tNow); return c, err == nil, err }},
		{"MatchOther", func(d *Dispute) (Change, bool, error) {
			c, err := d.Match(Charge{ID: "ch_x", Amount: 1 << 40, Currency: "USD"}, tNow)
			return c, err == nil, err
		}},
		{"AutoResolveRDR", func(d *Dispute) (Change, bool, error) { c, ok := d.AutoResolveRDR(tNow); return c, ok, nil }},
		{"Expire", func(d *Dispute) (Change, bool, error) { c, ok := d.Expire(past); return c, ok, nil }},
		{"Void", func(d *Dispute) (Change, bool, error) {
			c, err := d.Void("voided", admin, tNow)
			return c, err == nil, err
		}},
		{"AddEvidenceStaff", func(d *Dispute) (Change, bool, error) {
			c, err := d.AddEvidence(admin, tNow)
			return c, err == nil, err
		}},
		{"AddEvidenceParty", func(d *Dispute) (Change, bool, error) {
			c, err := d.AddEvidence(actor.Key("k", actor.Buyer, "cus_1"), tNow)
			return c, err == nil, err
		}},
	}
	for _, typ := range Types {
		for _, s := range finalStatuses {
			if !slices.Contains(Statuses(typ), s) {
				continue
			}
			for _, m := range mutations {
				t.Run(fmt.Sprintf("%s/%s/%s", typ, s, m.name), func(t *testing.T) {
					t.Parallel()
					d := fixture(t, typ, s)
					if typ == Alert {
						d.AlertType = RDR
					}
					before := snapshot(d)
					c, ok, err := m.do(d)
					if ok || c.Action != "" {
						t.Fatalf("%s was accepted on a %s %s: %+v", m.name, s, typ, c)
					}
					if err != nil {
						if _, isFault := fault.As(err); !isFault {
							t.Errorf("%s returned a plain error %v", m.name, err)
						}
					}
					assertUnchanged(t, before, d)
				})
			}
		}
	}
}

func amountFor(r Resolution) int64 {
	if r == PartialRefund {
		return 1
	}
	return 0
}
