package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"disputed/internal/dispute"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

func (t *tx) InsertDispute(ctx context.Context, d dispute.Dispute) error {
	var j jsonColumns
	p := query.InsertDisputeParams{
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
		Livemode: d.Livemode, IsOpen: !dispute.Ended(d.Status), Search: searchText(d),
		CreatedAt: millis(d.CreatedAt), UpdatedAt: millis(d.UpdatedAt),
	}
	if j.err != nil {
		return t.fail(j.err, "insert dispute %s", d.ID)
	}
	if err := inserted(t.q.InsertDispute(ctx, p)); err != nil {
		return t.fail(err, "insert dispute %s", d.ID)
	}
	if err := t.insertTags(ctx, d); err != nil {
		return t.fail(err, "insert dispute %s", d.ID)
	}
	return nil
}

// UpdateDispute rewrites every column but id and created_at, and replaces the dispute's tag rows
// in the same transaction, so the tag filter never disagrees with the tags.
func (t *tx) UpdateDispute(ctx context.Context, d dispute.Dispute, expectedRevision int64) error {
	var j jsonColumns
	p := query.UpdateDisputeParams{
		ID: d.ID, ExpectedRevision: expectedRevision,
		Type: string(d.Type), AlertType: string(d.AlertType), Status: string(d.Status),
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
		Livemode: d.Livemode, IsOpen: !dispute.Ended(d.Status), Search: searchText(d),
		UpdatedAt: millis(d.UpdatedAt),
	}
	if j.err != nil {
		return t.fail(j.err, "update dispute %s", d.ID)
	}
	n, err := t.q.UpdateDispute(ctx, p)
	if err == nil && n == 0 {
		err = t.missedUpdate(ctx, t.q.DisputeExists, d.ID, "the revision changed")
	}
	if err == nil {
		err = t.q.DeleteDisputeTags(ctx, d.ID)
	}
	if err == nil {
		err = t.insertTags(ctx, d)
	}
	if err != nil {
		return t.fail(err, "update dispute %s from revision %d", d.ID, expectedRevision)
	}
	return nil
}

func (t *tx) insertTags(ctx context.Context, d dispute.Dispute) error {
	for _, tag := range d.Tags {
		if err := t.q.InsertDisputeTag(ctx, query.InsertDisputeTagParams{DisputeID: d.ID, Tag: tag}); err != nil {
			return fmt.Errorf("tag %q: %w", tag, err)
		}
	}
	return nil
}

// searchSeparator joins the searchable fields. The q filter never contains it, so a match can
// never span two fields.
const searchSeparator = "\x1f"

// searchText is what the q filter matches: the searchable fields, lower-cased here rather than in
// SQL because SQLite's lower() and LIKE fold ASCII letters only.
func searchText(d dispute.Dispute) string {
	return strings.ToLower(strings.Join([]string{d.ID, d.Reason, d.CaseNumber, d.ARN,
		d.ProviderDisputeID, d.ExternalReference, d.Description}, searchSeparator))
}

func searchPattern(q string) string {
	return likeContains(strings.ToLower(strings.ReplaceAll(q, searchSeparator, "")))
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

func (c *conn) ListDisputes(ctx context.Context, f store.DisputeFilter) ([]dispute.Dispute, error) {
	pg := pageOf(f.Page)
	p := query.ListDisputesParams{
		Status: nullString(f.Status), Type: nullString(f.Type), OrderID: nullString(f.OrderID),
		TransactionID: nullString(f.TransactionID), CustomerID: nullString(f.CustomerID),
		DueBefore: nullMillis(f.DueBefore), Tag: nullString(f.Tag), Party: nullString(f.Party),
		AfterID: pg.afterID, AfterCreated: pg.afterCreated, Lim: pg.limit, Off: pg.offset,
	}
	if f.Query != "" {
		p.Search = nullString(searchPattern(f.Query))
	}
	rows, err := c.q.ListDisputes(ctx, p)
	if err != nil {
		return nil, c.fail(err, "list disputes")
	}
	out := make([]dispute.Dispute, len(rows))
	for i, r := range rows {
		if out[i], err = disputeFromRow(r); err != nil {
			return nil, c.fail(err, "list disputes: dispute %s", r.ID)
		}
	}
	return out, nil
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
		CreatedAt: fromMillis(r.CreatedAt), UpdatedAt: fromMillis(r.UpdatedAt),
	}
	return d, j.err
}
