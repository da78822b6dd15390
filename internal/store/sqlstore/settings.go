package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"disputed/internal/checklist"
	"disputed/internal/dispute"
	"disputed/internal/fees"
	"disputed/internal/monitoring"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

// SaveSettings replaces the saved settings, except CreatedAt: the store keeps the first save's
// (s.CreatedAt, or s.UpdatedAt when that is zero) and ignores the field on later saves.
// ReminderOffsets are kept in whole seconds; an offset with a fraction of a second is refused
// rather than rounded.
func (t *tx) SaveSettings(ctx context.Context, s store.Settings) error {
	t.memo.forget()
	offsets, err := encodeOffsets(s.ReminderOffsets)
	if err != nil {
		return t.fail(err, "save settings")
	}
	var j jsonColumns
	off := j.stringSlice(s.EmailsOff)
	var limits sql.NullString
	if s.EvidenceLimits != nil {
		limits = sql.NullString{String: j.encode(evidenceLimitsColumn(*s.EvidenceLimits)), Valid: true}
	}
	var fields sql.NullString
	if len(s.ExtendedFields) > 0 {
		fields = sql.NullString{String: j.encode(fieldDefinitionsColumn(s.ExtendedFields)), Valid: true}
	}
	var windows sql.NullString
	if s.AlertRefundWindows != nil {
		windows = sql.NullString{String: j.encode(s.AlertRefundWindows), Valid: true}
	}
	feeTable, handling := nullJSON(&j, s.FeeTable), nullJSON(&j, s.HandlingCost)
	programs, approach := nullJSON(&j, s.MonitoringPrograms), nullJSON(&j, s.MonitoringApproach)
	if j.err != nil {
		return t.fail(j.err, "save settings")
	}
	created := s.CreatedAt
	if created.IsZero() {
		created = s.UpdatedAt
	}
	err = t.q.SaveSettings(ctx, query.SaveSettingsParams{
		BlockOnDispute: s.BlockOnDispute, MerchantName: s.MerchantName, ReminderOffsets: offsets, EmailsOff: off,
		EvidenceLimits: limits, ExtendedFields: fields, AppSelfRegistration: s.AppSelfRegistration, CreatedAt: millis(created), UpdatedAt: millis(s.UpdatedAt),
		ProductType: string(s.Profile.ProductType), Website: s.Profile.Website, SupportEmail: s.Profile.SupportEmail,
		SupportPhone: s.Profile.SupportPhone, TermsURL: s.Profile.TermsURL, RefundPolicy: s.Profile.RefundPolicy,
		RefundPolicyDisclosure: s.Profile.RefundPolicyDisclosure, CancellationPolicy: s.Profile.CancellationPolicy,
		CancellationPolicyDisclosure: s.Profile.CancellationPolicyDisclosure, CompileManually: s.Profile.CompileManually,
		ReportingCurrency:  s.ReportingCurrency,
		AlertRefundWindows: windows,
		FeeTable:           feeTable, HandlingCost: handling,
		MonitoringPrograms: programs, MonitoringApproach: approach,
		OrderMetadataKey: s.OrderMetadataKey,
	})
	if err != nil {
		return t.fail(err, "save settings")
	}
	return nil
}

// GetSettings returns the zero Settings, which are the defaults, until some are saved.
func (c *conn) GetSettings(ctx context.Context) (store.Settings, error) {
	r, err := c.q.GetSettings(ctx)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return store.Settings{}, nil
	case err != nil:
		return store.Settings{}, c.fail(err, "get settings")
	}
	offsets, err := decodeOffsets(r.ReminderOffsets)
	if err != nil {
		return store.Settings{}, c.fail(err, "get settings")
	}
	var j jsonColumns
	var off []string
	j.decode(r.EmailsOff, &off)
	if len(off) == 0 {
		off = nil // none switched off, however it was stored
	}
	var limits *dispute.EvidenceLimits
	if r.EvidenceLimits.Valid {
		var col evidenceLimitsColumn
		j.decode(r.EvidenceLimits.String, &col)
		l := dispute.EvidenceLimits(col)
		limits = &l
	}
	var fields []dispute.FieldDefinition
	if r.ExtendedFields.Valid {
		var col []fieldDefinitionColumn
		j.decode(r.ExtendedFields.String, &col)
		for _, f := range col {
			fields = append(fields, dispute.FieldDefinition(f))
		}
	}
	var windows map[dispute.AlertType]int
	if r.AlertRefundWindows.Valid {
		j.decode(r.AlertRefundWindows.String, &windows)
	}
	var feeTable *fees.Table
	if r.FeeTable.Valid {
		feeTable = &fees.Table{}
		j.decode(r.FeeTable.String, feeTable)
	}
	var handling *fees.Cost
	if r.HandlingCost.Valid {
		handling = &fees.Cost{}
		j.decode(r.HandlingCost.String, handling)
	}
	programs := nullDecode[monitoring.Table](&j, r.MonitoringPrograms)
	approach := nullDecode[float64](&j, r.MonitoringApproach)
	if j.err != nil {
		return store.Settings{}, c.fail(j.err, "get settings")
	}
	return store.Settings{
		BlockOnDispute: r.BlockOnDispute, MerchantName: r.MerchantName, ReminderOffsets: offsets,
		EmailsOff: off, EvidenceLimits: limits, ExtendedFields: fields, AppSelfRegistration: r.AppSelfRegistration, CreatedAt: fromMillis(r.CreatedAt), UpdatedAt: fromMillis(r.UpdatedAt),
		Profile: store.Profile{ProductType: checklist.ProductType(r.ProductType), Website: r.Website, SupportEmail: r.SupportEmail,
			SupportPhone: r.SupportPhone, TermsURL: r.TermsURL, RefundPolicy: r.RefundPolicy, RefundPolicyDisclosure: r.RefundPolicyDisclosure,
			CancellationPolicy: r.CancellationPolicy, CancellationPolicyDisclosure: r.CancellationPolicyDisclosure, CompileManually: r.CompileManually},
		ReportingCurrency:  r.ReportingCurrency,
		AlertRefundWindows: windows,
		FeeTable:           feeTable, HandlingCost: handling,
		MonitoringPrograms: programs, MonitoringApproach: approach,
		OrderMetadataKey: r.OrderMetadataKey,
	}, nil
}

// evidenceLimitsColumn is how the evidence limits are kept: a JSON object with these names.
type evidenceLimitsColumn struct {
	PartyItems int64 `json:"party_items"`
	PartyBytes int64 `json:"party_bytes"`
	TotalItems int64 `json:"total_items"`
	TotalBytes int64 `json:"total_bytes"`
}

// fieldDefinitionColumn is how an extended field's definition is kept: a JSON object with these
// names, in an array.
type fieldDefinitionColumn struct {
	Name  string            `json:"name"`
	Type  dispute.FieldType `json:"type"`
	Label string            `json:"label,omitempty"`
}

func fieldDefinitionsColumn(defs []dispute.FieldDefinition) []fieldDefinitionColumn {
	out := make([]fieldDefinitionColumn, len(defs))
	for i, f := range defs {
		out[i] = fieldDefinitionColumn(f)
	}
	return out
}

// encodeOffsets writes reminder offsets as a JSON array of seconds: NULL for nil (the default),
// [] for none.
func encodeOffsets(ds []time.Duration) (sql.NullString, error) {
	if ds == nil {
		return sql.NullString{}, nil
	}
	secs := make([]int64, len(ds))
	for i, d := range ds {
		if d%time.Second != 0 {
			return sql.NullString{}, fmt.Errorf("reminder offset %v is not a whole number of seconds", d)
		}
		secs[i] = int64(d / time.Second)
	}
	var j jsonColumns
	out := j.encode(secs)
	return sql.NullString{String: out, Valid: true}, j.err
}

// decodeOffsets reads what encodeOffsets wrote: nil for NULL, a non-nil slice otherwise.
func decodeOffsets(s sql.NullString) ([]time.Duration, error) {
	if !s.Valid {
		return nil, nil
	}
	var (
		j    jsonColumns
		secs []int64
	)
	j.decode(s.String, &secs)
	out := make([]time.Duration, len(secs))
	for i, sec := range secs {
		out[i] = time.Duration(sec) * time.Second
	}
	return out, j.err
}

// nullJSON encodes v as JSON, NULL when it is nil. The fee table and the handling cost are kept in
// the JSON names of internal/fees, the names the data file and the API use, so a stored table reads
// like the shipped one.
func nullJSON[T any](j *jsonColumns, v *T) sql.NullString {
	if v == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: j.encode(v), Valid: true}
}

// nullDecode reads what nullJSON wrote: nil for NULL.
func nullDecode[T any](j *jsonColumns, s sql.NullString) *T {
	if !s.Valid {
		return nil
	}
	v := new(T)
	j.decode(s.String, v)
	return v
}
