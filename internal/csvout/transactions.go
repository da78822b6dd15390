package csvout

import "disputed/internal/order"

// TransactionColumns are the columns of a transaction export: the transaction's own scalar
// fields under their JSON names (type is the JSON's name for the kind). The running amounts
// (refunded, withdrawn) and the open dispute are the JSON's: they read other rows.
var TransactionColumns = []Column[order.Transaction]{
	{"id", func(t order.Transaction) string { return t.ID }},
	{"type", func(t order.Transaction) string { return string(t.Kind) }},
	{"amount", func(t order.Transaction) string { return minor(t.Amount) }},
	{"amount_decimal", func(t order.Transaction) string { return decimal(t.Amount, t.Currency) }},
	{"currency", func(t order.Transaction) string { return t.Currency }},
	{"card_network", func(t order.Transaction) string { return t.Purchase.CardNetwork }},
	{"channel", func(t order.Transaction) string { return string(t.Channel) }},
	{"order_id", func(t order.Transaction) string { return t.OrderID }},
	{"customer_id", func(t order.Transaction) string { return t.CustomerID }},
	{"parent_id", func(t order.Transaction) string { return t.ParentID }},
	{"dispute_id", func(t order.Transaction) string { return t.DisputeID }},
	{"provider", func(t order.Transaction) string { return t.Provider }},
	{"provider_reference", func(t order.Transaction) string { return t.ProviderReference }},
	{"arn", func(t order.Transaction) string { return t.ARN }},
	{"reason", func(t order.Transaction) string { return t.Reason }},
	{"created_at", func(t order.Transaction) string { return timestamp(t.CreatedAt) }},
}
