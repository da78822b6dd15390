package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
)

// The dispute is the object the API sends most: fifty on every list page, one in every event a
// dispute raises. Written through encoding/json's reflection a page of fifty took 450 µs of CPU
// and 651 allocations; written here by hand, under 100 µs and one (BENCHMARKS.md; with the
// evidence checklist, 2 KB a dispute more since issue 17, about a third of encoding/json's time
// still). The output is
// byte for byte what encoding/json writes with HTML escaping off (huma's setting), which
// TestDisputeJSONMatchesEncodingJSON checks with every field filled, so a field added to Dispute
// and not here fails it.

// writeJSON is the API's JSON response writer: the dispute and a page of them by hand, anything
// else as huma writes it.
func writeJSON(w io.Writer, v any) error {
	buf := responseBuffers.Get().(*[]byte)
	defer func() {
		if cap(*buf) <= maxPooledBuffer {
			responseBuffers.Put(buf)
		}
	}()
	b, ok, err := appendByHand((*buf)[:0], v)
	if !ok {
		return huma.DefaultJSONFormat.Marshal(w, v)
	}
	if err != nil {
		return err
	}
	b = append(b, '\n') // as json.Encoder ends every value
	*buf = b
	_, err = w.Write(b)
	return err
}

// responseBuffers keep the buffers of pages written, which would otherwise be the largest
// garbage a list leaves. A buffer grown past maxPooledBuffer (a page of disputes with long
// evidence) is left to the collector rather than kept for every later response.
var responseBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

const maxPooledBuffer = 1 << 20

// marshalJSON is v as the API shows it (without writeJSON's trailing newline): what an event
// carries.
func marshalJSON(v any) ([]byte, error) {
	if b, ok, err := appendByHand(nil, v); ok {
		return b, err
	}
	var buf bytes.Buffer
	if err := huma.DefaultJSONFormat.Marshal(&buf, v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

// appendByHand appends v to b if it is one of the objects written by hand (ok), and does nothing
// otherwise.
func appendByHand(b []byte, v any) (_ []byte, ok bool, err error) {
	var t timeWriter
	switch o := v.(type) {
	case Dispute:
		b = o.appendTo(b, &t)
	case DisputeList:
		b = appendDisputeList(b, o, &t)
	default:
		return b, false, nil
	}
	return b, true, t.err
}

func appendDisputeList(b []byte, l DisputeList, t *timeWriter) []byte {
	b = append(b, `{"object":`...)
	b = appendString(b, l.Object)
	b = append(b, `,"data":`...)
	b = appendArray(b, l.Data, func(b []byte, d Dispute) []byte { return d.appendTo(b, t) })
	b = append(b, `,"has_more":`...)
	b = strconv.AppendBool(b, l.HasMore)
	b = append(b, `,"next_cursor":`...)
	b = appendOptString(b, l.NextCursor)
	b = append(b, `,"read_bound_reached":`...)
	b = strconv.AppendBool(b, l.ReadBoundReached)
	return append(b, '}')
}

// appendTo writes d, leaving the first time it cannot write in t.
func (d Dispute) appendTo(b []byte, t *timeWriter) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, d.ID)
	b = append(b, `,"object":`...)
	b = appendString(b, d.Object)
	b = append(b, `,"type":`...)
	b = appendString(b, d.Type)
	b = append(b, `,"alert_type":`...)
	b = appendOptString(b, d.AlertType)
	b = append(b, `,"status":`...)
	b = appendString(b, d.Status)
	b = append(b, `,"stage":`...)
	b = appendOptString(b, d.Stage)
	b = append(b, `,"reason":`...)
	b = appendString(b, d.Reason)
	b = append(b, `,"network_reason_code":`...)
	b = appendOptString(b, d.NetworkReasonCode)
	b = append(b, `,"network":`...)
	b = appendOptString(b, d.Network)
	b = append(b, `,"reason_category":`...)
	b = appendOptString(b, d.ReasonCategory)
	b = append(b, `,"reason_code_name":`...)
	b = appendOptString(b, d.ReasonCodeName)
	b = append(b, `,"reason_code_known":`...)
	b = appendOptBool(b, d.ReasonCodeKnown)
	b = append(b, `,"description":`...)
	b = appendOptString(b, d.Description)
	b = append(b, `,"amount":`...)
	b = strconv.AppendInt(b, d.Amount, 10)
	b = append(b, `,"amount_decimal":`...)
	b = appendString(b, d.AmountDecimal)
	b = append(b, `,"currency":`...)
	b = appendString(b, d.Currency)
	b = append(b, `,"order_id":`...)
	b = appendOptString(b, d.OrderID)
	b = append(b, `,"transaction_id":`...)
	b = appendOptString(b, d.TransactionID)
	b = append(b, `,"customer_id":`...)
	b = appendOptString(b, d.CustomerID)
	b = append(b, `,"vendor_id":`...)
	b = appendOptString(b, d.VendorID)
	b = append(b, `,"initiated_by":`...)
	b = appendOptString(b, d.InitiatedBy)
	b = append(b, `,"provider":`...)
	b = appendOptString(b, d.Provider)
	b = append(b, `,"provider_dispute_id":`...)
	b = appendOptString(b, d.ProviderDisputeID)
	b = append(b, `,"case_number":`...)
	b = appendOptString(b, d.CaseNumber)
	b = append(b, `,"arn":`...)
	b = appendOptString(b, d.ARN)
	b = append(b, `,"external_reference":`...)
	b = appendOptString(b, d.ExternalReference)
	b = append(b, `,"happened_at":`...)
	b = t.append(b, d.HappenedAt)
	b = append(b, `,"due_by":`...)
	b = t.appendOpt(b, d.DueBy)
	b = append(b, `,"actions":`...)
	b = appendArray(b, d.Actions, func(b []byte, a Action) []byte {
		b = append(b, `{"action":`...)
		b = appendString(b, a.Action)
		b = append(b, `,"due_by":`...)
		b = t.appendOpt(b, a.DueBy)
		return append(b, '}')
	})
	b = append(b, `,"evidence":`...)
	b = appendStringMap(b, d.Evidence)
	if d.EvidenceSources != nil {
		b = append(b, `,"evidence_sources":`...)
		b = appendStringMap(b, *d.EvidenceSources)
	}
	if len(d.EvidenceChecklist) > 0 {
		b = append(b, `,"evidence_checklist":`...)
		b = appendArray(b, d.EvidenceChecklist, appendChecklistItem)
	}
	if d.EvidenceCompleteness != nil {
		b = append(b, `,"evidence_completeness":`...)
		b = strconv.AppendInt(b, int64(*d.EvidenceCompleteness), 10)
	}
	if e := d.EnhancedEligibility; e != nil {
		b = append(b, `,"enhanced_eligibility":{"visa_compelling_evidence_3":`...)
		b = appendCE3(b, t, e.VisaCompellingEvidence3)
		b = append(b, '}')
	}
	b = append(b, `,"evidence_details":{"due_by":`...)
	b = t.appendOpt(b, d.EvidenceDetails.DueBy)
	b = append(b, `,"has_evidence":`...)
	b = strconv.AppendBool(b, d.EvidenceDetails.HasEvidence)
	b = append(b, `,"past_due":`...)
	b = strconv.AppendBool(b, d.EvidenceDetails.PastDue)
	b = append(b, `,"submission_count":`...)
	b = strconv.AppendInt(b, int64(d.EvidenceDetails.SubmissionCount), 10)
	b = append(b, `,"submission":`...)
	if s := d.EvidenceDetails.Submission; s == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"state":`...)
		b = appendString(b, s.State)
		b = append(b, `,"kind":`...)
		b = appendOptString(b, s.Kind)
		b = append(b, `,"error":`...)
		b = appendOptString(b, s.Error)
		b = append(b, `,"at":`...)
		b = t.append(b, s.At)
		b = append(b, '}')
	}
	b = append(b, `},"fees":`...)
	b = appendArray(b, d.Fees, func(b []byte, f Fee) []byte {
		b = append(b, `{"amount":`...)
		b = strconv.AppendInt(b, f.Amount, 10)
		b = append(b, `,"amount_decimal":`...)
		b = appendString(b, f.AmountDecimal)
		b = append(b, `,"currency":`...)
		b = appendString(b, f.Currency)
		b = append(b, `,"description":`...)
		b = appendString(b, f.Description)
		b = append(b, `,"provider_reference":`...)
		b = appendString(b, f.ProviderReference)
		b = append(b, `,"kind":`...)
		b = appendString(b, f.Kind)
		b = append(b, `,"source":`...)
		b = appendString(b, f.Source)
		b = append(b, `,"table_version":`...)
		b = appendOptString(b, f.TableVersion)
		b = append(b, `,"table_date":`...)
		b = appendOptString(b, f.TableDate)
		b = append(b, `,"estimate":`...)
		b = strconv.AppendBool(b, f.Estimate)
		return append(b, '}')
	})
	if r := d.Recommendation; r != nil {
		b = append(b, `,"recommendation":`...)
		b = appendRecommendation(b, *r)
	}
	b = append(b, `,"resolution":`...)
	b = appendOptString(b, d.Resolution)
	b = append(b, `,"resolution_notes":`...)
	b = appendOptString(b, d.ResolutionNotes)
	b = append(b, `,"resolved_by":`...)
	b = appendOptString(b, d.ResolvedBy)
	b = append(b, `,"resolved_at":`...)
	b = t.appendOpt(b, d.ResolvedAt)
	b = append(b, `,"accepted_at":`...)
	b = t.appendOpt(b, d.AcceptedAt)
	b = append(b, `,"defended_at":`...)
	b = t.appendOpt(b, d.DefendedAt)
	b = append(b, `,"auto_defended":`...)
	b = strconv.AppendBool(b, d.AutoDefended)
	b = append(b, `,"defendable":`...)
	b = strconv.AppendBool(b, d.Defendable)
	b = append(b, `,"channel":`...)
	b = appendString(b, d.Channel)
	b = append(b, `,"seller_protection":`...)
	b = appendOptString(b, d.SellerProtection)
	b = append(b, `,"provider_charge":`...)
	b = appendOptString(b, d.ProviderCharge)
	b = append(b, `,"provider_payment_intent":`...)
	b = appendOptString(b, d.ProviderPaymentIntent)
	b = append(b, `,"revision":`...)
	b = strconv.AppendInt(b, d.Revision, 10)
	b = append(b, `,"tags":`...)
	b = appendArray(b, d.Tags, appendString)
	b = append(b, `,"metadata":`...)
	b = appendStringMap(b, d.Metadata)
	b = append(b, `,"extended_fields":`...)
	b = appendRawMap(b, d.ExtendedFields)
	b = append(b, `,"livemode":`...)
	b = strconv.AppendBool(b, d.Livemode)
	b = append(b, `,"created_at":`...)
	b = t.append(b, d.CreatedAt)
	b = append(b, `,"updated_at":`...)
	b = t.append(b, d.UpdatedAt)
	return append(b, '}')
}

func appendRecommendation(b []byte, r Recommendation) []byte {
	b = append(b, `{"action":`...)
	b = appendString(b, r.Action)
	b = append(b, `,"p_win":`...)
	b = appendFloat(b, r.PWin)
	b = append(b, `,"expected_value":`...)
	b = strconv.AppendInt(b, r.ExpectedValue, 10)
	b = append(b, `,"expected_value_decimal":`...)
	b = appendString(b, r.ExpectedValueDecimal)
	b = append(b, `,"currency":`...)
	b = appendString(b, r.Currency)
	f := r.Fees
	b = append(b, `,"fees":{"dispute":`...)
	b = strconv.AppendInt(b, f.Dispute, 10)
	b = append(b, `,"dispute_refunded_on_win":`...)
	b = strconv.AppendBool(b, f.DisputeRefundedOnWin)
	b = append(b, `,"counter":`...)
	b = strconv.AppendInt(b, f.Counter, 10)
	b = append(b, `,"counter_refunded_on_win":`...)
	b = strconv.AppendBool(b, f.CounterRefundedOnWin)
	b = append(b, `,"arbitration":`...)
	b = strconv.AppendInt(b, f.Arbitration, 10)
	b = append(b, `,"handling":`...)
	b = strconv.AppendInt(b, f.Handling, 10)
	b = append(b, `,"table_version":`...)
	b = appendOptString(b, f.TableVersion)
	b = append(b, `,"table_date":`...)
	b = appendOptString(b, f.TableDate)
	b = append(b, `,"estimate":`...)
	b = strconv.AppendBool(b, f.Estimate)
	b = append(b, `,"missing":`...)
	b = appendOptString(b, f.Missing)
	s := r.Basis
	b = append(b, `},"basis":{"category":`...)
	b = appendOptString(b, s.Category)
	b = append(b, `,"network":`...)
	b = appendOptString(b, s.Network)
	b = append(b, `,"won":`...)
	b = strconv.AppendInt(b, int64(s.Won), 10)
	b = append(b, `,"lost":`...)
	b = strconv.AppendInt(b, int64(s.Lost), 10)
	b = append(b, `,"prior":`...)
	b = appendFloat(b, s.Prior)
	b = append(b, `,"prior_source":`...)
	b = appendString(b, s.PriorSource)
	b = append(b, `,"prior_weight":`...)
	b = appendFloat(b, s.PriorWeight)
	b = append(b, `,"history":`...)
	b = appendFloat(b, s.History)
	b = append(b, `,"completeness":`...)
	if s.Completeness == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, int64(*s.Completeness), 10)
	}
	b = append(b, `,"chargeback_probability":`...)
	if s.ChargebackProbability == nil {
		b = append(b, "null"...)
	} else {
		b = appendFloat(b, *s.ChargebackProbability)
	}
	b = append(b, `,"priors_version":`...)
	b = appendString(b, s.PriorsVersion)
	b = append(b, `,"text":`...)
	b = appendString(b, s.Text)
	return append(b, "}}"...)
}

// appendFloat writes f as encoding/json does: the shortest decimal that reads back as f, in
// exponent form below 1e-6 and from 1e21 (an e-09 written e-9).
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

func appendCE3(b []byte, t *timeWriter, c CE3Eligibility) []byte {
	b = append(b, `{"status":`...)
	b = appendString(b, c.Status)
	b = append(b, `,"missing":`...)
	b = appendArray(b, c.Missing, appendString)
	b = append(b, `,"missing_messages":`...)
	b = appendArray(b, c.MissingMessages, appendString)
	b = append(b, `,"prior_transactions":`...)
	b = appendArray(b, c.PriorTransactions, func(b []byte, p CE3PriorTransaction) []byte {
		b = append(b, `{"id":`...)
		b = appendString(b, p.ID)
		b = append(b, `,"provider_reference":`...)
		b = appendOptString(b, p.ProviderReference)
		b = append(b, `,"created_at":`...)
		b = t.append(b, p.CreatedAt)
		b = append(b, `,"amount":`...)
		b = strconv.AppendInt(b, p.Amount, 10)
		b = append(b, `,"currency":`...)
		b = appendString(b, p.Currency)
		b = append(b, `,"age_days":`...)
		b = strconv.AppendInt(b, int64(p.AgeDays), 10)
		b = append(b, `,"matching":`...)
		b = appendArray(b, p.Matching, appendString)
		return append(b, '}')
	})
	return append(b, '}')
}

func appendChecklistItem(b []byte, it ChecklistItem) []byte {
	b = append(b, `{"field":`...)
	b = appendString(b, it.Field)
	b = append(b, `,"label":`...)
	b = appendString(b, it.Label)
	b = append(b, `,"why":`...)
	b = appendString(b, it.Why)
	b = append(b, `,"importance":`...)
	b = appendString(b, it.Importance)
	b = append(b, `,"status":`...)
	b = appendString(b, it.Status)
	return append(b, '}')
}

// timeWriter appends times as time.Time's MarshalJSON does, keeping the first error (a year
// outside 0–9999) for the end of the object rather than checking after every field.
type timeWriter struct{ err error }

func (t *timeWriter) append(b []byte, at time.Time) []byte {
	b = append(b, '"')
	out, err := at.AppendText(b) // the same RFC 3339 form and checks as MarshalJSON
	if err != nil {
		if t.err == nil {
			t.err = err
		}
		return b
	}
	return append(out, '"')
}

func (t *timeWriter) appendOpt(b []byte, at *time.Time) []byte {
	if at == nil {
		return append(b, "null"...)
	}
	return t.append(b, *at)
}

// appendArray writes s as encoding/json writes a slice: null when it is nil.
func appendArray[T any](b []byte, s []T, each func([]byte, T) []byte) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, v := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = each(b, v)
	}
	return append(b, ']')
}

func appendOptBool(b []byte, v *bool) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	return strconv.AppendBool(b, *v)
}

func appendOptString(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return appendString(b, *s)
}

// appendStringMap writes m with its keys sorted, as encoding/json does.
func appendStringMap(b []byte, m map[string]string) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = appendString(b, m[k])
	}
	return append(b, '}')
}

// appendRawMap writes m as encoding/json does: its keys sorted, its values as they are.
func appendRawMap(b []byte, m map[string]json.RawMessage) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	b = append(b, '{')
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = append(b, m[k]...)
	}
	return append(b, '}')
}

// appendString quotes s as encoding/json does with HTML escaping off: the short escapes where JSON
// has them, \u00XX for other control characters, U+FFFD for invalid UTF-8, and U+2028 and U+2029
// escaped because JavaScript reads them as line ends.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
