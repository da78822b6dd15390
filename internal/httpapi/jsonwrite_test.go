package httpapi

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"disputed/internal/dispute"
)

// reflected is v as encoding/json writes it with huma's settings: what writeJSON must match.
func reflected(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func written(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := writeJSON(&buf, v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// awkward strings: every kind of escape, multi-byte and invalid UTF-8.
var awkward = []string{"", "plain", `quote " and \ backslash`, "tab\tnew\nline\rcr", "\b\f\x00\x01\x1f\x7f",
	"<script>&amp;</script>", "naïve café 日本 🎉", "line\u2028para\u2029end", "bad \xff\xfe utf8 \xe2\x82",
	"\xf0\x9f\x8e", "€100.00"}

// fill sets every field of the value v points to, recursively, from r: nil or set pointers, nil,
// empty or full slices and maps, times in several zones with and without nanoseconds.
func fill(v reflect.Value, r *rand.Rand) {
	if v.Type() == reflect.TypeFor[json.RawMessage]() { // an extended field's value, as extendedFieldsOut makes it
		values := []json.RawMessage{json.RawMessage("42"), json.RawMessage("-3.50"), json.RawMessage("true"),
			appendString(nil, awkward[r.IntN(len(awkward))])}
		v.Set(reflect.ValueOf(values[r.IntN(len(values))]))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(awkward[r.IntN(len(awkward))])
	case reflect.Int, reflect.Int64:
		v.SetInt(r.Int64() - r.Int64())
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Float64:
		floats := []float64{0, 1, 0.09, 1.0 / 3, 0.1234, 1e-7, 3.5e-12, 12, 1e21, -0.5}
		v.SetFloat(floats[r.IntN(len(floats))])
	case reflect.Pointer:
		if r.IntN(3) == 0 {
			v.SetZero()
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), r)
	case reflect.Slice:
		switch r.IntN(4) {
		case 0:
			v.SetZero()
		default:
			s := reflect.MakeSlice(v.Type(), r.IntN(4), 4)
			for i := range s.Len() {
				fill(s.Index(i), r)
			}
			v.Set(s)
		}
	case reflect.Map:
		if r.IntN(4) == 0 {
			v.SetZero()
			return
		}
		m := reflect.MakeMap(v.Type())
		for range r.IntN(5) {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(k, r)
			fill(e, r)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			zones := []*time.Location{time.UTC, time.FixedZone("", -7*3600), time.FixedZone("", 5*3600+1800)}
			at := time.Unix(r.Int64N(4e9), 0).In(zones[r.IntN(len(zones))])
			if r.IntN(2) == 0 {
				at = at.Add(time.Duration(r.IntN(1e9)))
			}
			v.Set(reflect.ValueOf(at))
			return
		}
		for i := range v.NumField() {
			fill(v.Field(i), r)
		}
	default:
		panic("fill: no rule for " + v.Type().String())
	}
}

// TestDisputeJSONMatchesEncodingJSON: the dispute and its list, written by hand, are byte for byte
// what encoding/json writes, with every field filled with awkward values, so a field added to the
// type and not to the writer fails here.
func TestDisputeJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var d Dispute
		fill(reflect.ValueOf(&d).Elem(), r)
		if got, want := written(t, d), reflected(t, d); !bytes.Equal(got, want) {
			t.Fatalf("dispute written by hand:\n%s\nencoding/json:\n%s", got, want)
		}
	}
	for range 200 {
		var l DisputeList
		fill(reflect.ValueOf(&l).Elem(), r)
		if got, want := written(t, l), reflected(t, l); !bytes.Equal(got, want) {
			t.Fatalf("list written by hand:\n%s\nencoding/json:\n%s", got, want)
		}
	}
	// The API's own disputes, as a list page shows them.
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	d := dispute.Dispute{ID: "dsp_1", Type: dispute.Chargeback, Status: dispute.NeedsResponse, Amount: 1050,
		Currency: "EUR", HappenedAt: now, DueBy: now.Add(72 * time.Hour), CreatedAt: now, UpdatedAt: now}
	sent := d // a provider's dispute whose evidence failed to reach it
	sent.Provider, sent.ProviderDisputeID = "stripe", "du_1"
	sent.Submission = dispute.Submission{State: dispute.SubmissionFailed, Kind: dispute.AnswerEvidence, Error: `no "API key"`, At: now}
	sent.Evidence, sent.EvidenceSources = map[string]string{"customer_name": "Jo"}, map[string]string{"customer_name": "order ord_1"}
	alert := d
	alert.Type, alert.Status = dispute.Alert, dispute.Open
	l := DisputeList{List: List[Dispute]{Object: "list", Data: []Dispute{disputeOut(d, now, false, "physical_goods"), disputeOut(d, now, true, ""),
		disputeOut(sent, now, false, ""), disputeOut(alert, now, false, "")}}}
	if l.Data[2].EvidenceDetails.Submission == nil {
		t.Fatal("a provider's dispute shows no submission")
	}
	if len(l.Data[2].EvidenceChecklist) == 0 || l.Data[3].EvidenceChecklist != nil || l.Data[1].EvidenceSources != nil {
		t.Fatal("the checklist is on a chargeback shown to the merchant only")
	}
	if got, want := written(t, l), reflected(t, l); !bytes.Equal(got, want) {
		t.Fatalf("list written by hand:\n%s\nencoding/json:\n%s", got, want)
	}
}

// TestOtherObjectsAsHuma: what is not written by hand is written as huma writes it.
func TestOtherObjectsAsHuma(t *testing.T) {
	t.Parallel()
	c := Customer{ID: "cus_1", Object: "customer", Metadata: map[string]string{"a": "<b>"}}
	if got, want := written(t, c), reflected(t, c); !bytes.Equal(got, want) {
		t.Fatalf("customer:\n%s\nwant:\n%s", got, want)
	}
	ev, err := marshalJSON(c)
	if err != nil || !bytes.Equal(append(ev, '\n'), reflected(t, c)) {
		t.Fatalf("an event's customer: %s (%v)", ev, err)
	}
}

// TestDisputeJSONRefusesWhatEncodingJSONRefuses: a time outside years 0–9999 is an error either way.
func TestDisputeJSONRefusesWhatEncodingJSONRefuses(t *testing.T) {
	t.Parallel()
	d := Dispute{CreatedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := writeJSON(&bytes.Buffer{}, d); err == nil {
		t.Fatal("a year-10000 time was written")
	}
	if _, err := json.Marshal(d); err == nil {
		t.Fatal("encoding/json wrote a year-10000 time")
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range awkward {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := reflected(t, s)
		if got := append(appendString(nil, s), '\n'); !bytes.Equal(got, want) {
			t.Fatalf("appendString(%q) = %s, encoding/json: %s", s, got, want)
		}
	})
}

func BenchmarkDisputeListJSON(b *testing.B) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	l := DisputeList{List: List[Dispute]{Object: "list", HasMore: true}}
	for i := range 50 {
		d := dispute.Dispute{ID: "dsp_01m83t4cm0ccm17dkmegk8jj75", Type: dispute.Chargeback, Status: dispute.NeedsResponse,
			Reason: "fraudulent", NetworkReasonCode: "10.4", Amount: int64(1000 + i), Currency: "USD",
			OrderID: "ord_01m83t4cm0ccm17dkmegk8jj6y", TransactionID: "txn_01m83t4cm0ccm17dkmegk8jj72",
			CustomerID: "cus_01m83t4cm0ccm17dkmegk8jj6x", Provider: "stripe", ProviderDisputeID: "du_1NxyzAbcdefghijkl",
			HappenedAt: now, DueBy: now.Add(72 * time.Hour), Revision: 3, Tags: []string{"vip"},
			Metadata: map[string]string{"shop": "eu-1"}, Evidence: map[string]string{"customer_name": "Jane Doe"},
			CreatedAt: now, UpdatedAt: now}
		l.Data = append(l.Data, disputeOut(d, now, false, "digital_service"))
	}
	for _, c := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"by_hand", func(buf *bytes.Buffer) error { return writeJSON(buf, l) }},
		{"encoding_json", func(buf *bytes.Buffer) error {
			enc := json.NewEncoder(buf)
			enc.SetEscapeHTML(false)
			return enc.Encode(l)
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := c.write(&buf); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(buf.Len()))
		})
	}
}
