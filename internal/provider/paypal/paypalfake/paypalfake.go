// Package paypalfake is a PayPal double for tests of the history import: an HTTP server on
// loopback serving the OAuth2 token, the Disputes API v1 list and details, and Transaction
// Search v1, in the shapes of PayPal's published OpenAPI documents
// (github.com/paypal/paypal-rest-api-specifications: customer_disputes_v1,
// reporting_transactions_v1), over a data set the test gives. It pages as PayPal does (the
// disputes list by a next link, transaction search by page number), refuses what PayPal refuses
// (a search range over 31 days, a start out of PayPal's history, a bad token), and can be told
// to fail the next calls of a path or to be slow.
package paypalfake

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The credentials the fake accepts, as a provider's api_key takes them.
const (
	ClientID = "AfakeClientID"
	Secret   = "EfakeSecret"
	APIKey   = ClientID + ":" + Secret
)

// The paths the fake serves.
const (
	TokenPath        = "/v1/oauth2/token"
	DisputesPath     = "/v1/customer/disputes"
	TransactionsPath = "/v1/reporting/transactions"
)

// PayPal's limits, which the fake enforces.
const (
	MaxDisputePageSize     = 50
	MaxTransactionPageSize = 500
	MaxSearchRange         = 31 * 24 * time.Hour
	DisputeHistory         = 180 * 24 * time.Hour
	TransactionHistory     = 3 * 365 * 24 * time.Hour
)

// Money is PayPal's money object.
type Money struct {
	CurrencyCode string `json:"currency_code"`
	Value        string `json:"value"`
}

// Dispute is a dispute of the data set.
type Dispute struct {
	ID               string
	Created, Updated time.Time
	Status           string // OPEN, WAITING_FOR_SELLER_RESPONSE, UNDER_REVIEW, RESOLVED, ...
	Reason           string // UNAUTHORISED, MERCHANDISE_OR_SERVICE_NOT_RECEIVED, ...
	Stage            string // INQUIRY, CHARGEBACK, PRE_ARBITRATION, ARBITRATION
	Channel          string // INTERNAL, EXTERNAL
	Amount           Money
	// SellerTransactionID is the capture disputed; BuyerTransactionID the buyer's id of it.
	SellerTransactionID, BuyerTransactionID string
	SellerResponseDue                       time.Time
	Outcome                                 string // dispute_outcome.outcome_code of a resolved dispute
}

// Transaction is a transaction of the data set, as transaction search lists it.
type Transaction struct {
	ID          string
	ReferenceID string // paypal_reference_id: the payment a refund or reversal is of
	EventCode   string // T0006, T1107, ...
	Status      string // S, P, D or V
	Amount      Money  // negative for a debit (a refund the merchant paid)
	Initiated   time.Time
	Updated     time.Time
	InvoiceID   string
	Custom      string
	// PayerEmail and PayerID are the payer_info of a payment received (fields=payer_info).
	PayerEmail, PayerID string
}

// Fake is a running PayPal double. It is safe for concurrent use.
type Fake struct {
	srv *httptest.Server
	now func() time.Time

	mu           sync.Mutex
	disputes     []Dispute
	transactions []Transaction
	tokens       map[string]bool
	failures     map[string][]int
	delay        time.Duration
	calls        []string
}

// New starts a fake serving nothing yet; it is closed when the test ends. now is PayPal's clock,
// which the history limits are measured from (nil: time.Now).
func New(t testing.TB, now func() time.Time) *Fake {
	t.Helper()
	if now == nil {
		now = time.Now
	}
	f := &Fake{now: now, tokens: map[string]bool{}, failures: map[string][]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// URL is the fake's API base, for a provider's api_base.
func (f *Fake) URL() string { return f.srv.URL }

// PutDisputes adds disputes to the data set, or replaces the dispute of the same id: a dispute
// PayPal updated.
func (f *Fake) PutDisputes(ds ...Dispute) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, d := range ds {
		if i := slices.IndexFunc(f.disputes, func(old Dispute) bool { return old.ID == d.ID }); i >= 0 {
			f.disputes[i] = d
		} else {
			f.disputes = append(f.disputes, d)
		}
	}
}

// AddTransactions adds transactions to the data set.
func (f *Fake) AddTransactions(ts ...Transaction) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.transactions = append(f.transactions, ts...)
}

// FailNext answers the next calls to path (TokenPath, DisputesPath, DisputesPath+"/"+id,
// TransactionsPath) with the statuses given, one call each, in PayPal's error shape; the calls
// after them are served.
func (f *Fake) FailNext(path string, statuses ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[path] = append(f.failures[path], statuses...)
}

// SetDelay makes every API call (not the token's) take d more, or until the caller gives up.
func (f *Fake) SetDelay(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.delay = d
}

// Calls are the API calls served or failed so far, as "GET /path?query".
func (f *Fake) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	f.mu.Lock()
	f.calls = append(f.calls, r.Method+" "+r.URL.RequestURI())
	delay := f.delay
	var failure int
	if q := f.failures[r.URL.Path]; len(q) > 0 {
		failure, f.failures[r.URL.Path] = q[0], q[1:]
	}
	f.mu.Unlock()
	if failure != 0 {
		writeError(w, failure, errorNames[failure], "the test asked for this failure")
		return
	}
	if r.URL.Path == TokenPath {
		f.token(w, r)
		return
	}
	if !f.authorized(r) {
		writeError(w, http.StatusUnauthorized, "AUTHENTICATION_FAILURE", "Authentication failed due to invalid authentication credentials or a missing Authorization header.")
		return
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case r.Method != http.MethodGet:
		writeError(w, http.StatusMethodNotAllowed, "METHOD_NOT_SUPPORTED", "The server does not implement the requested HTTP method.")
	case r.URL.Path == DisputesPath:
		f.listDisputes(w, r)
	case strings.HasPrefix(r.URL.Path, DisputesPath+"/"):
		f.showDispute(w, strings.TrimPrefix(r.URL.Path, DisputesPath+"/"))
	case r.URL.Path == TransactionsPath:
		f.searchTransactions(w, r)
	default:
		writeError(w, http.StatusNotFound, "RESOURCE_NOT_FOUND", "The specified resource does not exist.")
	}
}

// errorNames are PayPal's error names by status.
var errorNames = map[int]string{
	http.StatusBadRequest:          "INVALID_REQUEST",
	http.StatusUnauthorized:        "AUTHENTICATION_FAILURE",
	http.StatusForbidden:           "NOT_AUTHORIZED",
	http.StatusNotFound:            "RESOURCE_NOT_FOUND",
	http.StatusTooManyRequests:     "RATE_LIMIT_REACHED",
	http.StatusInternalServerError: "INTERNAL_SERVER_ERROR",
	http.StatusServiceUnavailable:  "SERVICE_UNAVAILABLE",
}

// token is the client-credentials grant.
func (f *Fake) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if r.Method != http.MethodPost || !ok || id != ClientID || secret != Secret || r.FormValue("grant_type") != "client_credentials" {
		w.WriteHeader(http.StatusUnauthorized)
		writeJSON(w, map[string]string{"error": "invalid_client", "error_description": "Client Authentication failed"})
		return
	}
	f.mu.Lock()
	token := fmt.Sprintf("A21AAfake%d", len(f.tokens)+1)
	f.tokens[token] = true
	f.mu.Unlock()
	writeJSON(w, map[string]any{"scope": "https://uri.paypal.com/services/disputes/read-seller https://uri.paypal.com/services/reporting/search/read",
		"access_token": token, "token_type": "Bearer", "app_id": "APP-80W284485P519543T", "expires_in": 32400, "nonce": "2026-12-06T00:00:00Zfake"})
}

func (f *Fake) authorized(r *http.Request) bool {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	defer f.mu.Unlock()
	return ok && f.tokens[token]
}

// listDisputes lists the disputes updated after update_time_after (by default PayPal's whole
// history), latest created first, page_size (default 10) a page; next_page_token is where the
// page starts.
func (f *Fake) listDisputes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	now := f.now()
	after := now.Add(-DisputeHistory)
	if s := q.Get("update_time_after"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil || t.Before(now.Add(-DisputeHistory)) {
			writeInvalid(w, "update_time_after", s, "update_time_after must be a date and time within the last 180 days.")
			return
		}
		after = t
	}
	size, ok := intParam(q.Get("page_size"), 10, MaxDisputePageSize)
	if !ok {
		writeInvalid(w, "page_size", q.Get("page_size"), "page_size must be between 1 and 50.")
		return
	}
	start := 0
	if s := q.Get("next_page_token"); s != "" {
		b, err := base64.StdEncoding.DecodeString(s)
		n, convErr := strconv.Atoi(strings.TrimPrefix(string(b), "offset:"))
		if err != nil || convErr != nil || n < 0 {
			writeInvalid(w, "next_page_token", s, "The next_page_token is not valid.")
			return
		}
		start = n
	}
	f.mu.Lock()
	var listed []Dispute
	for _, d := range f.disputes {
		if d.Updated.After(after) {
			listed = append(listed, d)
		}
	}
	f.mu.Unlock()
	slices.SortStableFunc(listed, func(a, b Dispute) int { return b.Created.Compare(a.Created) })
	items := []map[string]any{}
	for _, d := range listed[min(start, len(listed)):min(start+size, len(listed))] {
		items = append(items, f.summary(d))
	}
	links := []map[string]string{{"href": f.srv.URL + r.URL.RequestURI(), "rel": "self", "method": "GET"}}
	if start+size < len(listed) {
		next := q
		next.Set("next_page_token", base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "offset:%d", start+size)))
		links = append(links, map[string]string{"href": f.srv.URL + DisputesPath + "?" + next.Encode(), "rel": "next", "method": "GET"})
	}
	writeJSON(w, map[string]any{"items": items, "links": links})
}

func (f *Fake) showDispute(w http.ResponseWriter, id string) {
	f.mu.Lock()
	i := slices.IndexFunc(f.disputes, func(d Dispute) bool { return d.ID == id })
	var d Dispute
	if i >= 0 {
		d = f.disputes[i]
	}
	f.mu.Unlock()
	if i < 0 {
		writeError(w, http.StatusNotFound, "RESOURCE_NOT_FOUND", "The specified resource does not exist.")
		return
	}
	writeJSON(w, f.details(d))
}

// summary is a dispute as the list shows it.
func (f *Fake) summary(d Dispute) map[string]any {
	return map[string]any{
		"dispute_id": d.ID, "create_time": paypalTime(d.Created), "update_time": paypalTime(d.Updated),
		"reason": d.Reason, "status": d.Status, "dispute_state": disputeState(d.Status), "dispute_amount": d.Amount,
		"dispute_life_cycle_stage": d.Stage, "dispute_channel": d.Channel,
		"links": []map[string]string{{"href": f.srv.URL + DisputesPath + "/" + d.ID, "rel": "self", "method": "GET"}},
	}
}

// details is a dispute as its details (and the CUSTOMER.DISPUTE.* notifications) show it.
func (f *Fake) details(d Dispute) map[string]any {
	out := map[string]any{
		"dispute_id": d.ID, "create_time": paypalTime(d.Created), "update_time": paypalTime(d.Updated),
		"disputed_transactions": []map[string]any{{
			"buyer_transaction_id": d.BuyerTransactionID, "seller_transaction_id": d.SellerTransactionID,
			"transaction_status": "COMPLETED", "gross_amount": d.Amount, "seller_protection_eligible": true,
			"seller": map[string]string{"merchant_id": "RD465XN5VS364", "name": "Example Hosting"},
		}},
		"reason": d.Reason, "status": d.Status, "dispute_state": disputeState(d.Status), "dispute_amount": d.Amount,
		"dispute_life_cycle_stage": d.Stage, "dispute_channel": d.Channel,
		"links": []map[string]string{{"href": f.srv.URL + DisputesPath + "/" + d.ID, "rel": "self", "method": "GET"}},
	}
	if !d.SellerResponseDue.IsZero() {
		out["seller_response_due_date"] = paypalTime(d.SellerResponseDue)
	}
	if d.Outcome != "" {
		out["dispute_outcome"] = map[string]any{"outcome_code": d.Outcome}
	}
	return out
}

// disputeState is the dispute_state PayPal derives from a status.
func disputeState(status string) string {
	switch status {
	case "OPEN", "WAITING_FOR_SELLER_RESPONSE":
		return "REQUIRED_ACTION"
	case "WAITING_FOR_BUYER_RESPONSE":
		return "REQUIRED_OTHER_PARTY_ACTION"
	case "UNDER_REVIEW":
		return "UNDER_PAYPAL_REVIEW"
	case "RESOLVED":
		return "RESOLVED"
	}
	return ""
}

// searchTransactions lists the transactions initiated from start_date to end_date (both
// required, at most 31 days apart, within the last three years), oldest first, page_size
// (default 100) a page from page (from 1).
func (f *Fake) searchTransactions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	start, err1 := time.Parse(time.RFC3339, q.Get("start_date"))
	end, err2 := time.Parse(time.RFC3339, q.Get("end_date"))
	switch {
	case err1 != nil:
		writeInvalid(w, "start_date", q.Get("start_date"), "start_date is required, in Internet date and time format.")
		return
	case err2 != nil:
		writeInvalid(w, "end_date", q.Get("end_date"), "end_date is required, in Internet date and time format.")
		return
	case end.Before(start) || end.Sub(start) > MaxSearchRange:
		writeInvalid(w, "end_date", q.Get("end_date"), "Date range is greater than 31 days.")
		return
	case start.Before(f.now().Add(-TransactionHistory)):
		writeInvalid(w, "start_date", q.Get("start_date"), "Data for the given start date is not available.")
		return
	}
	size, ok := intParam(q.Get("page_size"), 100, MaxTransactionPageSize)
	if !ok {
		writeInvalid(w, "page_size", q.Get("page_size"), "page_size must be between 1 and 500.")
		return
	}
	page, ok := intParam(q.Get("page"), 1, 1<<31-1)
	if !ok {
		writeInvalid(w, "page", q.Get("page"), "page must be at least 1.")
		return
	}
	f.mu.Lock()
	var found []Transaction
	for _, t := range f.transactions {
		if !t.Initiated.Before(start) && !t.Initiated.After(end) {
			found = append(found, t)
		}
	}
	f.mu.Unlock()
	slices.SortStableFunc(found, func(a, b Transaction) int { return a.Initiated.Compare(b.Initiated) })
	from := min((page-1)*size, len(found))
	fields := strings.Split(q.Get("fields"), ",")
	withPayer := slices.Contains(fields, "payer_info") || slices.Contains(fields, "all")
	details := []map[string]any{}
	for _, t := range found[from:min(from+size, len(found))] {
		d := map[string]any{"transaction_info": transactionInfo(t)}
		if withPayer && (t.PayerEmail != "" || t.PayerID != "") {
			d["payer_info"] = map[string]any{"account_id": t.PayerID, "email_address": t.PayerEmail, "address_status": "Y",
				"payer_status": "Y", "country_code": "DE"}
		}
		details = append(details, d)
	}
	writeJSON(w, map[string]any{
		"transaction_details": details, "account_number": "RD465XN5VS364",
		"start_date": searchTime(start), "end_date": searchTime(end), "last_refreshed_datetime": searchTime(f.now()),
		"page": page, "total_items": len(found), "total_pages": (len(found) + size - 1) / size,
		"links": []map[string]string{{"href": f.srv.URL + r.URL.RequestURI(), "rel": "self", "method": "GET"}},
	})
}

func transactionInfo(t Transaction) map[string]any {
	info := map[string]any{
		"paypal_account_id": "FAKEBUYER01", "transaction_id": t.ID, "transaction_event_code": t.EventCode,
		"transaction_initiation_date": searchTime(t.Initiated), "transaction_updated_date": searchTime(t.Updated),
		"transaction_amount": t.Amount, "transaction_status": t.Status, "protection_eligibility": "01",
	}
	if t.ReferenceID != "" {
		info["paypal_reference_id"], info["paypal_reference_id_type"] = t.ReferenceID, "TXN"
	}
	if t.InvoiceID != "" {
		info["invoice_id"] = t.InvoiceID
	}
	if t.Custom != "" {
		info["custom_field"] = t.Custom
	}
	return info
}

// intParam reads a positive integer parameter up to max; "" is def.
func intParam(s string, def, max int) (int, bool) {
	if s == "" {
		return def, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && n <= max
}

// paypalTime is a time as the Disputes API writes it.
func paypalTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// searchTime is a time as transaction search writes it: the offset without a colon.
func searchTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05-0700") }

func writeInvalid(w http.ResponseWriter, field, value, description string) {
	w.WriteHeader(http.StatusBadRequest)
	writeJSON(w, map[string]any{"name": "INVALID_REQUEST", "message": "Request is not well-formed, syntactically incorrect, or violates schema.",
		"debug_id": "fakedebug", "details": []map[string]string{{"field": field, "value": value, "location": "query", "issue": "INVALID_PARAMETER_VALUE", "description": description}}})
}

func writeError(w http.ResponseWriter, status int, name, message string) {
	w.WriteHeader(status)
	writeJSON(w, map[string]any{"name": name, "message": message, "debug_id": "fakedebug"})
}

func writeJSON(w http.ResponseWriter, v any) {
	_ = json.NewEncoder(w).Encode(v) // the client went away: nothing to tell it
}
