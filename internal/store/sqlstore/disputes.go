package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"disputed/internal/dispute"
	"disputed/internal/store"
	"disputed/internal/store/query"
	"disputed/internal/store/searchwords"
)

// InsertDispute writes every column of the dispute's row (DisputeRow), named as the table names
// them: a column added by a migration is written once sqlc is run again.
func (t *tx) InsertDispute(ctx context.Context, d dispute.Dispute) error {
	t.memo.rows.disputeWritten(d)
	row, err := DisputeRow(d)
	if err != nil {
		return t.fail(err, "insert dispute %s", d.ID)
	}
	columns, values := Columns(row)
	params := make([]string, len(columns))
	for i := range columns {
		params[i] = fmt.Sprintf("$%d", i+1)
	}
	q := fmt.Sprintf("INSERT INTO disputes (%s) VALUES (%s) ON CONFLICT DO NOTHING", strings.Join(columns, ", "), strings.Join(params, ", "))
	if err := inserted(rowsAffected(t.execBuilt(ctx, q, values))); err != nil {
		return t.fail(err, "insert dispute %s", d.ID)
	}
	if err := t.insertTags(ctx, d); err != nil {
		return t.fail(err, "insert dispute %s", d.ID)
	}
	if err := t.writeWords(ctx, d.ID, searchwords.OfDispute(row.Search, row.OrderID), nil); err != nil {
		return t.fail(err, "insert dispute %s", d.ID)
	}
	t.memo.rows.disputeRowWritten(row)
	return nil
}

// execBuilt runs q, a statement built from a dispute's column names, through its prepared
// statement once there is one (prepared after the first transaction that ran it).
func (t *tx) execBuilt(ctx context.Context, q string, args []any) (sql.Result, error) {
	if stmt := t.own.updates.get(q); stmt != nil {
		return t.stmt(ctx, stmt).ExecContext(ctx, args...)
	}
	return t.sqlTx.ExecContext(ctx, t.rebind(q), args...)
}

// rowsAffected is how many rows an exec wrote.
func rowsAffected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// DisputeRow is the row that keeps d, every column of the table: what InsertDispute writes,
// what UpdateDispute compares, and what the benchmarks' loader writes; disputeFromRow reads it
// back.
func DisputeRow(d dispute.Dispute) (query.Dispute, error) {
	var j jsonColumns
	p := query.Dispute{
		ID: d.ID, Type: string(d.Type), AlertType: string(d.AlertType), Status: string(d.Status),
		Stage: string(d.Stage), Reason: d.Reason, NetworkReasonCode: d.NetworkReasonCode,
		Description: d.Description, Amount: d.Amount, Currency: d.Currency, OrderID: d.OrderID,
		TransactionID: d.TransactionID, CustomerID: d.CustomerID, VendorID: d.VendorID,
		InitiatedBy: string(d.InitiatedBy), Provider: d.Provider, ProviderDisputeID: d.ProviderDisputeID,
		CaseNumber: d.CaseNumber, ARN: d.ARN, ExternalReference: d.ExternalReference,
		HappenedAt: nullMillis(d.HappenedAt), DueBy: nullMillis(d.DueBy),
		Evidence: j.stringMap(d.Evidence), EvidenceItems: int64(d.EvidenceItems),
		SubmissionCount: int64(d.SubmissionCount), Resolution: string(d.Resolution),
		ResolutionNotes: d.ResolutionNotes, ResolvedBy: d.ResolvedBy, ResolvedAt: nullMillis(d.ResolvedAt),
		Revision: d.Revision, Tags: j.stringSlice(d.Tags), Metadata: j.stringMap(d.Metadata),
		Livemode: d.Livemode, IsOpen: !dispute.Ended(d.Status), Search: SearchText(d),
		SubmissionState: string(d.Submission.State), Submission: j.submission(d.Submission),
		CreatedAt: millis(d.CreatedAt), UpdatedAt: millis(d.UpdatedAt), Fees: j.fees(d.Fees),
		ProviderHasEvidence: d.ProviderHasEvidence,
		AcceptedAt:          nullMillis(d.AcceptedAt), DefendedAt: nullMillis(d.DefendedAt), AutoDefended: d.AutoDefended,
		Channel: string(d.Channel), SellerProtection: string(d.SellerProtection), ProviderCharge: d.ProviderCharge, Network: d.Network,
		ProviderPaymentIntent: d.ProviderPaymentIntent, ExtendedFields: j.extendedFields(d.ExtendedFields),
		EvidenceSources: j.stringMap(d.EvidenceSources), CoverLetter: d.CoverLetter,
	}
	return p, j.err
}

// UpdateDispute writes the columns in which d differs from prev, the dispute as read in this
// transaction, and replaces the tag rows only when the tags changed, the words of the search
// text only when it changed. Writing less matters: SQLite rewrites the index entries of every
// column an UPDATE sets, changed or not, and a status change touches two of the disputes
// table's ten indexes instead of all of them. The statements, one per set of columns, are
// prepared once and kept.
func (t *tx) UpdateDispute(ctx context.Context, d dispute.Dispute, prev dispute.Dispute) error {
	t.memo.rows.disputeWritten(d)
	t.memo.rows.disputeWritten(prev) // the case it was, if its id changed
	row, err := DisputeRow(d)
	if err != nil {
		return t.fail(err, "update dispute %s", d.ID)
	}
	was, err := DisputeRow(prev)
	if err != nil {
		return t.fail(err, "update dispute %s", d.ID)
	}
	columns, values := Columns(row)
	_, before := Columns(was)
	var names []string
	var args []any
	for i, name := range columns {
		switch {
		case name == "id" || name == "created_at": // a dispute keeps them
		case name == "revision" || values[i] != before[i]: // the revision always, so that there is something to SET
			names = append(names, name)
			args = append(args, values[i])
		}
	}
	var sets strings.Builder
	for i, name := range names {
		if i > 0 {
			sets.WriteString(", ")
		}
		fmt.Fprintf(&sets, "%s = $%d", name, i+1)
	}
	args = append(args, d.ID, prev.Revision)
	q := fmt.Sprintf("UPDATE disputes SET %s WHERE id = $%d AND revision = $%d", sets.String(), len(names)+1, len(names)+2)
	n, err := rowsAffected(t.execBuilt(ctx, q, args))
	if err == nil && n == 0 {
		err = t.missedUpdate(ctx, t.q.DisputeExists, d.ID, "the revision changed")
	}
	if err == nil && !slices.Equal(d.Tags, prev.Tags) {
		if err = t.q.DeleteDisputeTags(ctx, d.ID); err == nil {
			err = t.insertTags(ctx, d)
		}
	}
	if err == nil && (row.Search != was.Search || row.OrderID != was.OrderID) {
		err = t.writeWords(ctx, d.ID, searchwords.OfDispute(row.Search, row.OrderID), searchwords.OfDispute(was.Search, was.OrderID))
	}
	if err != nil {
		return t.fail(err, "update dispute %s from revision %d", d.ID, prev.Revision)
	}
	t.memo.rows.disputeUpdated(d, prev)
	t.memo.rows.disputeRowWritten(row)
	return nil
}

func (t *tx) insertTags(ctx context.Context, d dispute.Dispute) error {
	for _, tag := range d.Tags {
		if err := t.q.InsertDisputeTag(ctx, query.InsertDisputeTagParams{DisputeID: d.ID, Tag: tag, CreatedAt: millis(d.CreatedAt)}); err != nil {
			return fmt.Errorf("tag %q: %w", tag, err)
		}
	}
	return nil
}

// searchSeparator joins the searchable fields. The q filter never contains it, so a match can
// never span two fields.
const searchSeparator = "\x1f"

// SearchText is what the q filter matches: the searchable fields, lower-cased here rather than in
// SQL because SQLite's lower() and LIKE fold ASCII letters only.
func SearchText(d dispute.Dispute) string {
	return strings.ToLower(strings.Join([]string{d.ID, d.Reason, d.CaseNumber, d.ARN,
		d.ProviderDisputeID, d.ExternalReference, d.Description}, searchSeparator))
}

func (c *conn) GetDispute(ctx context.Context, id string) (dispute.Dispute, error) {
	r, err := c.q.GetDispute(ctx, id)
	if err != nil {
		return dispute.Dispute{}, c.fail(err, "get dispute %s", id)
	}
	d, err := disputeFromRow(r)
	if err != nil {
		return dispute.Dispute{}, c.fail(err, "get dispute %s", id)
	}
	return d, nil
}

func (c *conn) GetDisputes(ctx context.Context, ids []string) ([]dispute.Dispute, error) {
	var out []dispute.Dispute
	seen := map[string]bool{}
	for part := range slices.Chunk(ids, inListLengths[len(inListLengths)-1]) {
		in, args := inList(part)
		ds, err := list(ctx, c, "get disputes", "SELECT disputes.* FROM disputes WHERE id IN ("+in+")", args, scanDispute)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if !seen[d.ID] { // an id given twice
				seen[d.ID] = true
				out = append(out, d)
			}
		}
	}
	return out, nil
}

func (c *conn) OpenDisputeOfOrder(ctx context.Context, orderID string) (dispute.Dispute, error) {
	if orderID == "" { // disputes on no order are not any order's open dispute
		return dispute.Dispute{}, c.fail(store.ErrNotFound, "open dispute of no order")
	}
	r, err := c.q.OpenDisputeOfOrder(ctx, orderID)
	if err != nil {
		return dispute.Dispute{}, c.fail(err, "open dispute of order %s", orderID)
	}
	d, err := disputeFromRow(r)
	if err != nil {
		return dispute.Dispute{}, c.fail(err, "open dispute of order %s", orderID)
	}
	return d, nil
}

func disputeFromRow(r query.Dispute) (dispute.Dispute, error) {
	var j jsonColumns
	d := dispute.Dispute{
		ID: r.ID, Type: dispute.Type(r.Type), AlertType: dispute.AlertType(r.AlertType),
		Status: dispute.Status(r.Status), Stage: dispute.Stage(r.Stage), Reason: r.Reason,
		NetworkReasonCode: r.NetworkReasonCode, Description: r.Description, Amount: r.Amount,
		Currency: r.Currency, OrderID: r.OrderID, TransactionID: r.TransactionID,
		CustomerID: r.CustomerID, VendorID: r.VendorID, InitiatedBy: dispute.Party(r.InitiatedBy),
		Provider: r.Provider, ProviderDisputeID: r.ProviderDisputeID, CaseNumber: r.CaseNumber,
		ARN: r.ARN, ExternalReference: r.ExternalReference, HappenedAt: fromNullMillis(r.HappenedAt),
		DueBy: fromNullMillis(r.DueBy), Evidence: j.decodeStringMap(r.Evidence),
		EvidenceItems: int(r.EvidenceItems), SubmissionCount: int(r.SubmissionCount),
		Resolution: dispute.Resolution(r.Resolution), ResolutionNotes: r.ResolutionNotes,
		ResolvedBy: r.ResolvedBy, ResolvedAt: fromNullMillis(r.ResolvedAt), Revision: r.Revision,
		Tags: j.decodeStringSlice(r.Tags), Metadata: j.decodeStringMap(r.Metadata), Livemode: r.Livemode,
		Submission: j.decodeSubmission(r.SubmissionState, r.Submission),
		CreatedAt:  fromMillis(r.CreatedAt), UpdatedAt: fromMillis(r.UpdatedAt), Fees: j.decodeFees(r.Fees),
		ProviderHasEvidence: r.ProviderHasEvidence,
		AcceptedAt:          fromNullMillis(r.AcceptedAt), DefendedAt: fromNullMillis(r.DefendedAt), AutoDefended: r.AutoDefended,
		Channel: dispute.Channel(r.Channel), SellerProtection: dispute.SellerProtection(r.SellerProtection), Network: r.Network,
		ProviderCharge: r.ProviderCharge, ProviderPaymentIntent: r.ProviderPaymentIntent,
		ExtendedFields: j.decodeExtendedFields(r.ExtendedFields), EvidenceSources: j.decodeSources(r.EvidenceSources),
		CoverLetter: r.CoverLetter,
	}
	return d, j.err
}

// decodeSources reads the evidence_sources column: nil when the compiler filled no field
// (however it was stored), so that a dispute reads back as it was made.
func (j *jsonColumns) decodeSources(column string) map[string]string {
	m := j.decodeStringMap(column)
	if len(m) == 0 {
		return nil
	}
	return m
}

// extendedValueColumn is how an extended field's value is kept in the extended_fields column's
// object: its canonical text, as a JSON string whatever the type, so that the filter compares
// the same text on both databases (SQLite's json_extract would turn 1.50 into a float).
type extendedValueColumn struct {
	Type  dispute.FieldType `json:"type"`
	Value string            `json:"value"`
}

func (j *jsonColumns) extendedFields(f dispute.ExtendedFields) string {
	col := make(map[string]extendedValueColumn, len(f))
	for name, v := range f {
		col[name] = extendedValueColumn{Type: v.Type, Value: v.Text}
	}
	return j.encode(col)
}

func (j *jsonColumns) decodeExtendedFields(column string) dispute.ExtendedFields {
	var col map[string]extendedValueColumn
	j.decode(column, &col)
	if len(col) == 0 {
		return nil // none, however it was stored
	}
	out := make(dispute.ExtendedFields, len(col))
	for name, v := range col {
		out[name] = dispute.FieldValue{Type: v.Type, Text: v.Value}
	}
	return out
}

// submissionColumn is the submission column's JSON: the submission but its state, which has a
// column of its own.
type submissionColumn struct {
	Kind  string `json:"kind,omitempty"`
	Error string `json:"error,omitempty"`
	At    int64  `json:"at,omitempty"` // Unix milliseconds
	By    string `json:"by,omitempty"`
	Note  string `json:"note,omitempty"`
}

func (j *jsonColumns) submission(s dispute.Submission) string {
	c := submissionColumn{Kind: string(s.Kind), Error: s.Error, By: s.By, Note: s.Note}
	if !s.At.IsZero() {
		c.At = millis(s.At)
	}
	return j.encode(c)
}

func (j *jsonColumns) decodeSubmission(state, column string) dispute.Submission {
	var c submissionColumn
	j.decode(column, &c)
	s := dispute.Submission{State: dispute.SubmissionState(state), Kind: dispute.AnswerKind(c.Kind), Error: c.Error, By: c.By, Note: c.Note}
	if c.At != 0 {
		s.At = fromMillis(c.At)
	}
	return s
}
