package httpapi

import (
	"context"
	"time"

	"disputed/internal/app"
	"disputed/internal/csvout"
	"disputed/internal/order"
	"disputed/internal/store"
)

// TransactionIn records a transaction.
type TransactionIn struct {
	Body struct {
		Type              string     `json:"type" enum:"authorization,capture,charge,refund,void,chargeback,chargeback_reversal"`
		Amount            *int64     `json:"amount,omitempty" doc:"minor units"`
		AmountDecimal     *string    `json:"amount_decimal,omitempty" doc:"a decimal string such as \"12.95\", instead of amount"`
		Currency          string     `json:"currency,omitempty" doc:"ISO 4217; defaults to the parent's"`
		OrderID           string     `json:"order_id,omitempty"`
		ParentID          string     `json:"parent_id,omitempty" doc:"the charge a refund belongs to; the authorization of a capture or void"`
		Provider          string     `json:"provider,omitempty" maxLength:"64"`
		ProviderReference string     `json:"provider_reference,omitempty" maxLength:"255" doc:"the provider's id, e.g. ch_… or a PayPal transaction id"`
		ARN               string     `json:"arn,omitempty" maxLength:"64" doc:"acquirer reference number"`
		IsExternal        bool       `json:"is_external,omitempty" doc:"refunds: already done at the gateway, only recorded"`
		Reason            string     `json:"reason,omitempty" maxLength:"500"`
		Force             bool       `json:"force,omitempty" doc:"refunds (admins): record a refund of a charge that an open chargeback disputes, refused otherwise with 409 charge_disputed; needs a reason"`
		CreatedAt         *time.Time `json:"created_at,omitempty" doc:"when a transaction recorded after the fact (an import, a back-fill) happened; default now. Not in the future (up to 5 minutes ahead is taken as now), not before its parent"`
		Channel           string     `json:"channel,omitempty" doc:"card_present or card_not_present; a refund, capture or void defaults to its parent's. Not said: counted as card_not_present in the dispute ratios"`
		PurchaseIn
	}
}

// TransactionOut answers with a transaction.
type TransactionOut struct{ Body Transaction }

// RefundIn refunds a charge.
type RefundIn struct {
	ID   string `path:"id" maxLength:"64"`
	Body *struct {
		Amount        *int64  `json:"amount,omitempty" doc:"minor units; default: all that is left"`
		AmountDecimal *string `json:"amount_decimal,omitempty"`
		Currency      string  `json:"currency,omitempty"`
		IsExternal    bool    `json:"is_external,omitempty" doc:"already refunded at the gateway: record only"`
		Reason        string  `json:"reason,omitempty" maxLength:"500"`
		Force         bool    `json:"force,omitempty" doc:"admins: refund a charge that an open chargeback disputes, refused otherwise with 409 charge_disputed (it would pay twice); needs a reason"`
	} `required:"false"`
}

func (s *Server) createTransaction(ctx context.Context, in *TransactionIn) (*TransactionOut, error) {
	b := in.Body
	p := app.TransactionParams{Kind: b.Type,
		Money:   app.Money{Amount: b.Amount, AmountDecimal: b.AmountDecimal, Currency: b.Currency},
		OrderID: b.OrderID, ParentID: b.ParentID, Provider: b.Provider, ProviderReference: b.ProviderReference, ARN: b.ARN,
		Purchase: b.purchase(), Channel: b.Channel, IsExternal: b.IsExternal, Reason: b.Reason, Force: b.Force}
	if b.CreatedAt != nil {
		p.CreatedAt = *b.CreatedAt
	}
	v, err := s.app.CreateTransaction(ctx, who(ctx), p)
	if err != nil {
		return nil, err
	}
	return &TransactionOut{Body: transactionOut(v)}, nil
}

func (s *Server) getTransaction(ctx context.Context, in *ByID) (*TransactionOut, error) {
	v, err := s.app.Transaction(ctx, who(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &TransactionOut{Body: transactionOut(v)}, nil
}

func (s *Server) refundTransaction(ctx context.Context, in *RefundIn) (*TransactionOut, error) {
	var p app.RefundParams
	if b := in.Body; b != nil {
		p = app.RefundParams{Money: app.Money{Amount: b.Amount, AmountDecimal: b.AmountDecimal, Currency: b.Currency},
			IsExternal: b.IsExternal, Reason: b.Reason, Force: b.Force}
	}
	r, err := s.app.Refund(ctx, who(ctx), in.ID, p)
	if err != nil {
		return nil, err
	}
	return &TransactionOut{Body: transactionOut(app.TransactionView{Transaction: r})}, nil
}

// TransactionsIn lists transactions.
type TransactionsIn struct {
	ListQuery
	TransactionQuery
}

// TransactionQuery is what a list of transactions, or its CSV, filters on besides the time.
type TransactionQuery struct {
	OrderID           string `query:"order_id" maxLength:"64"`
	CustomerID        string `query:"customer_id" maxLength:"64"`
	Type              string `query:"type" enum:"authorization,capture,charge,refund,void,chargeback,chargeback_reversal"`
	Provider          string `query:"provider" maxLength:"64"`
	ProviderReference string `query:"provider_reference" maxLength:"255" doc:"the provider's id, e.g. ch_… or a PayPal transaction id"`
	CardNetwork       string `query:"card_network" maxLength:"200" doc:"visa, mastercard, amex, ...: as card_network is written"`
	Channel           string `query:"channel" enum:"card_present,card_not_present"`
}

// TransactionsOut is a page of transactions.
type TransactionsOut struct{ Body TransactionList }

// TransactionList is a page of transactions, and whether it ends where the server stopped reading.
type TransactionList struct {
	List[Transaction]
	ReadBoundReached bool `json:"read_bound_reached" doc:"true when the server read its bound of transactions (20,000 by default) for this page before it found a full page, which happens when type, provider, card_network or channel (which no index narrows) match few transactions: data holds the matches found so far, fewer than limit or none, has_more is true and next_cursor goes on from the last transaction read; follow it as usual, and every match comes once"`
}

func (s *Server) listTransactions(ctx context.Context, in *TransactionsIn) (*TransactionsOut, error) {
	page, created, err := in.window()
	if err != nil {
		return nil, err
	}
	f := in.filter()
	f.Page, f.Created = page, created
	p, err := s.app.ListTransactions(ctx, who(ctx), f)
	if err != nil {
		return nil, err
	}
	return &TransactionsOut{Body: TransactionList{List: listAt(p.Transactions, transactionOut, cursorOf(p.More, p.Next.Page)), ReadBoundReached: p.Stopped}}, nil
}

// filter is the store's filter for q, without its page and time range.
func (q TransactionQuery) filter() store.TransactionFilter {
	return store.TransactionFilter{OrderID: q.OrderID, CustomerID: q.CustomerID, Kind: q.Type, Provider: q.Provider,
		ProviderReference: q.ProviderReference, CardNetwork: q.CardNetwork, Channel: q.Channel}
}

// TransactionsCSVIn exports transactions: a list's filters and time range, without its paging.
type TransactionsCSVIn struct {
	CreatedQuery
	TransactionQuery
}

// transactionCSV is the CSV form of the transaction list.
func (s *Server) transactionCSV() csvList[TransactionsCSVIn, order.Transaction] {
	return csvList[TransactionsCSVIn, order.Transaction]{name: "transactions", order: "newest first", columns: csvout.TransactionColumns,
		rows: func(ctx context.Context, in *TransactionsCSVIn, each func([]order.Transaction) error) error {
			created, err := in.created()
			if err != nil {
				return err
			}
			f := in.filter()
			f.Created = created
			return s.app.ExportTransactions(ctx, who(ctx), f, each)
		}}
}
