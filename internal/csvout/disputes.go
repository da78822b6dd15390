package csvout

import (
	"strconv"

	"disputed/internal/dispute"
	"disputed/internal/reasoncode"
)

// DisputeColumns are the columns of a dispute export: the scalar fields of the dispute the list
// answers, under their JSON names (the nested evidence, fees, checklist and recommendation are
// left to the JSON). The caller passes each dispute as its reader may see it (a party's view).
var DisputeColumns = []Column[dispute.Dispute]{
	{"id", func(d dispute.Dispute) string { return d.ID }},
	{"type", func(d dispute.Dispute) string { return string(d.Type) }},
	{"alert_type", func(d dispute.Dispute) string { return string(d.AlertType) }},
	{"status", func(d dispute.Dispute) string { return string(d.Status) }},
	{"stage", func(d dispute.Dispute) string { return string(d.Stage) }},
	{"reason", func(d dispute.Dispute) string { return d.Reason }},
	{"network_reason_code", func(d dispute.Dispute) string { return d.NetworkReasonCode }},
	{"network", func(d dispute.Dispute) string { return classify(d).Network }},
	{"reason_category", func(d dispute.Dispute) string { return string(classify(d).Category) }},
	{"amount", func(d dispute.Dispute) string { return minor(d.Amount) }},
	{"amount_decimal", func(d dispute.Dispute) string { return decimal(d.Amount, d.Currency) }},
	{"currency", func(d dispute.Dispute) string { return d.Currency }},
	{"order_id", func(d dispute.Dispute) string { return d.OrderID }},
	{"transaction_id", func(d dispute.Dispute) string { return d.TransactionID }},
	{"customer_id", func(d dispute.Dispute) string { return d.CustomerID }},
	{"vendor_id", func(d dispute.Dispute) string { return d.VendorID }},
	{"initiated_by", func(d dispute.Dispute) string { return string(d.InitiatedBy) }},
	{"provider", func(d dispute.Dispute) string { return d.Provider }},
	{"provider_dispute_id", func(d dispute.Dispute) string { return d.ProviderDisputeID }},
	{"case_number", func(d dispute.Dispute) string { return d.CaseNumber }},
	{"arn", func(d dispute.Dispute) string { return d.ARN }},
	{"external_reference", func(d dispute.Dispute) string { return d.ExternalReference }},
	{"channel", func(d dispute.Dispute) string { return string(d.Channel) }},
	{"description", func(d dispute.Dispute) string { return d.Description }},
	{"resolution", func(d dispute.Dispute) string { return string(d.Resolution) }},
	{"happened_at", func(d dispute.Dispute) string { return timestamp(d.HappenedAt) }},
	{"due_by", func(d dispute.Dispute) string { return timestamp(d.DueBy) }},
	{"accepted_at", func(d dispute.Dispute) string { return timestamp(d.AcceptedAt) }},
	{"defended_at", func(d dispute.Dispute) string { return timestamp(d.DefendedAt) }},
	{"resolved_at", func(d dispute.Dispute) string { return timestamp(d.ResolvedAt) }},
	{"livemode", func(d dispute.Dispute) string { return strconv.FormatBool(d.Livemode) }},
	{"created_at", func(d dispute.Dispute) string { return timestamp(d.CreatedAt) }},
	{"updated_at", func(d dispute.Dispute) string { return timestamp(d.UpdatedAt) }},
}

// classify is the network and reason family the JSON dispute shows (network, reason_category).
func classify(d dispute.Dispute) reasoncode.Classification {
	return reasoncode.Classify(d.NetworkHint(), d.NetworkReasonCode, d.Reason)
}
