package paypal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"disputed/internal/provider"
)

const (
	testClientID = "AWcP4dC9xTXq1-client"
	testSecret   = "EH7s3cr3t-value"
)

// clock is an adjustable time source for token expiry.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// apiCall is one request the fake PayPal received on a dispute endpoint.
type apiCall struct {
	path, requestID, token, contentType string
	body                                []byte
}

// fakePayPal is the part of PayPal's REST API the Responder uses.
type fakePayPal struct {
	t *testing.T

	mu      sync.Mutex
	tokens  int             // token requests
	valid   map[string]bool // tokens that authorize calls
	revoke  string          // a token that is refused once, as if revoked early
	calls   []apiCall
	failAPI func(path string) (int, string) // answer to dispute calls; nil: 200
	failTok func() (int, string)            // answer to token requests; nil: a new token
}

func newFakePayPal(t *testing.T) (*fakePayPal, *httptest.Server) {
	f := &fakePayPal{t: t, valid: map[string]bool{}}
	srv := httptest.NewTLSServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakePayPal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if r.Method != http.MethodPost {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if r.URL.Path == "/v1/oauth2/token" {
		f.token(w, r)
		return
	}
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !f.valid[token] || token == f.revoke {
		if token == f.revoke {
			f.revoke = ""
			delete(f.valid, token)
		}
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":"invalid_token","error_description":"Token signature verification failed"}`)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		f.t.Errorf("reading the request: %v", err)
	}
	f.calls = append(f.calls, apiCall{
		path: r.URL.EscapedPath(), requestID: r.Header.Get("PayPal-Request-Id"), token: token,
		contentType: r.Header.Get("Content-Type"), body: body,
	})
	if f.failAPI != nil {
		status, answer := f.failAPI(r.URL.Path)
		w.WriteHeader(status)
		io.WriteString(w, answer)
		return
	}
	io.WriteString(w, `{"links":[{"href":"https://api-m.paypal.com/v1/customer/disputes/PP-D-98852","rel":"self","method":"GET"}]}`)
}

func (f *fakePayPal) token(w http.ResponseWriter, r *http.Request) {
	f.tokens++
	if f.failTok != nil {
		status, answer := f.failTok()
		w.WriteHeader(status)
		io.WriteString(w, answer)
		return
	}
	id, secret, ok := r.BasicAuth()
	if err := r.ParseForm(); err != nil || !ok || id != testClientID || secret != testSecret ||
		r.PostForm.Get("grant_type") != "client_credentials" ||
		r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":"invalid_client","error_description":"Client Authentication failed"}`)
		return
	}
	token := fmt.Sprintf("A21AAtoken-%d", f.tokens)
	f.valid[token] = true
	fmt.Fprintf(w, `{"scope":"https://uri.paypal.com/services/disputes/update-seller","access_token":%q,"token_type":"Bearer","app_id":"APP-80W284485P519543T","expires_in":32400,"nonce":"2026-11-20T10:00:00Z"}`, token)
}

func (f *fakePayPal) snapshot() (int, []apiCall) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokens, append([]apiCall(nil), f.calls...)
}

func newResponder(srv *httptest.Server, c *clock) *PayPal {
	cfg := provider.Config{Type: TypeName, APIKey: testClientID + ":" + testSecret, APIBase: srv.URL + "/"}
	return New(cfg, srv.Client(), WithNow(c.now))
}

func TestConcede(t *testing.T) {
	t.Parallel()
	f, srv := newFakePayPal(t)
	p := newResponder(srv, &clock{t: testNow})
	if err := p.Concede(context.Background(), "PP-D-98852"); err != nil {
		t.Fatal(err)
	}
	tokens, calls := f.snapshot()
	if tokens != 1 || len(calls) != 1 {
		t.Fatalf("%d token requests and %d calls, want 1 and 1", tokens, len(calls))
	}
	c := calls[0]
	if c.path != "/v1/customer/disputes/PP-D-98852/accept-claim" || c.contentType != "application/json" {
		t.Errorf("call = %s (%s)", c.path, c.contentType)
	}
	var body map[string]string
	if err := json.Unmarshal(c.body, &body); err != nil || len(body) != 1 || body["note"] == "" {
		t.Errorf("body = %s, want {\"note\": ...}", c.body)
	}
	if !strings.HasPrefix(c.requestID, "disputed-") {
		t.Errorf("PayPal-Request-Id = %q", c.requestID)
	}
}

func TestSendEvidence(t *testing.T) {
	t.Parallel()
	f, srv := newFakePayPal(t)
	p := newResponder(srv, &clock{t: testNow})
	evidence := map[string]string{
		"service_date":             "2026-10-30",
		"access_activity_log":      "2026-10-30 17:25 login from 203.0.113.7\n2026-11-02 09:12 login from 203.0.113.7",
		"product_description":      "VPS S, 2 vCPU, monthly",
		"customer_email_address":   "buyer@example.com",
		"shipping_carrier":         "DHL",
		"shipping_tracking_number": "JD014600006281234567",
		"uncategorized_text":       "The customer used the service for three weeks.",
		"receipt":                  "file_9Xb2", // a file field: not sent
	}
	if err := p.SendEvidence(context.Background(), "PP-D-98852", provider.Evidence{Fields: evidence}, true); err != nil {
		t.Fatal(err)
	}
	_, calls := f.snapshot()
	if len(calls) != 1 {
		t.Fatalf("%d calls, want 1", len(calls))
	}
	c := calls[0]
	if c.path != "/v1/customer/disputes/PP-D-98852/provide-evidence" {
		t.Errorf("path = %s", c.path)
	}
	input := readInputPart(t, c)
	want := []evidenceJSON{
		{EvidenceType: "PROOF_OF_FULFILLMENT", Notes: "Carrier: DHL\nTracking number: JD014600006281234567",
			EvidenceInfo: &evidenceInfo{TrackingInfo: []trackingInfo{{CarrierName: "OTHER", CarrierNameOther: "DHL", TrackingNumber: "JD014600006281234567"}}}},
		{EvidenceType: "PROOF_FOR_SOFTWARE_OR_SERVICE_DELIVERED", Notes: "Service provided on: 2026-10-30\nAccess and activity log: 2026-10-30 17:25 login from 203.0.113.7\n2026-11-02 09:12 login from 203.0.113.7"},
		{EvidenceType: "ITEM_DESCRIPTION", Notes: "Product or service: VPS S, 2 vCPU, monthly"},
		{EvidenceType: "DETAILS_OF_PURCHASE", Notes: "Customer email: buyer@example.com"},
		{EvidenceType: "OTHER", Notes: "Additional information: The customer used the service for three weeks."},
	}
	if !reflect.DeepEqual(input, want) {
		t.Errorf("evidences =\n%s\nwant\n%s", jsonOf(input), jsonOf(want))
	}
}

// readInputPart checks the provide-evidence body is multipart/form-data with exactly one part,
// "input", holding JSON, and returns its evidences.
func readInputPart(t *testing.T, c apiCall) []evidenceJSON {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(c.contentType)
	if err != nil || mediaType != "multipart/form-data" {
		t.Fatalf("Content-Type = %q, want multipart/form-data", c.contentType)
	}
	r := multipart.NewReader(strings.NewReader(string(c.body)), params["boundary"])
	part, err := r.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	if part.FormName() != "input" || part.FileName() != "" || part.Header.Get("Content-Type") != "application/json" {
		t.Errorf("part %q (file %q, %s), want the input field as application/json", part.FormName(), part.FileName(), part.Header.Get("Content-Type"))
	}
	var input struct {
		Evidences []evidenceJSON `json:"evidences"`
	}
	dec := json.NewDecoder(part)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&input); err != nil {
		t.Fatal(err)
	}
	if _, err := r.NextPart(); err != io.EOF {
		t.Errorf("more than one part: %v", err)
	}
	return input.Evidences
}

func jsonOf(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func TestSendEvidenceWithoutSubmitSendsNothing(t *testing.T) {
	t.Parallel()
	f, srv := newFakePayPal(t)
	p := newResponder(srv, &clock{t: testNow})
	if err := p.SendEvidence(context.Background(), "PP-D-98852", provider.Evidence{Fields: map[string]string{"uncategorized_text": "staged"}}, false); err != nil {
		t.Fatal(err)
	}
	if tokens, calls := f.snapshot(); tokens != 0 || len(calls) != 0 {
		t.Errorf("staging made %d token requests and %d calls, want none", tokens, len(calls))
	}
}

func TestTokenIsReusedUntilShortlyBeforeExpiry(t *testing.T) {
	t.Parallel()
	f, srv := newFakePayPal(t)
	c := &clock{t: testNow}
	p := newResponder(srv, c)
	ctx := context.Background()
	call := func() {
		t.Helper()
		if err := p.Concede(ctx, "PP-D-98852"); err != nil {
			t.Fatal(err)
		}
	}
	call()
	if err := p.SendEvidence(ctx, "PP-D-98852", provider.Evidence{Fields: map[string]string{"uncategorized_text": "x"}}, true); err != nil {
		t.Fatal(err)
	}
	c.add(32400*time.Second - tokenMargin - time.Second)
	call()
	if tokens, calls := f.snapshot(); tokens != 1 || len(calls) != 3 {
		t.Fatalf("%d token requests for %d calls within the token's life, want 1", tokens, len(calls))
	}
	c.add(2 * time.Second)
	call()
	tokens, calls := f.snapshot()
	if tokens != 2 {
		t.Errorf("%d token requests after the refresh point, want 2", tokens)
	}
	if calls[3].token == calls[0].token {
		t.Error("the expiring token was still used")
	}
}

func TestRevokedTokenIsReplacedOnce(t *testing.T) {
	t.Parallel()
	f, srv := newFakePayPal(t)
	p := newResponder(srv, &clock{t: testNow})
	ctx := context.Background()
	if err := p.Concede(ctx, "PP-D-1"); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.revoke = "A21AAtoken-1"
	f.mu.Unlock()
	if err := p.Concede(ctx, "PP-D-2"); err != nil {
		t.Fatalf("after a revoked token: %v", err)
	}
	tokens, calls := f.snapshot()
	if tokens != 2 || len(calls) != 2 || calls[1].token != "A21AAtoken-2" {
		t.Errorf("%d token requests, calls %+v; want a second token used for the retry", tokens, calls)
	}

	// A 401 that a new token does not cure is PayPal's answer: permanent, no third try.
	f.mu.Lock()
	f.valid = map[string]bool{}
	f.failTok = func() (int, string) { return http.StatusOK, `{"access_token":"never-valid","expires_in":32400}` }
	f.mu.Unlock()
	err := p.Concede(ctx, "PP-D-3")
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized || !ae.Permanent {
		t.Errorf("Concede with refused tokens = %v, want a permanent 401 APIError", err)
	}
	// The cached token is refused, one new token is fetched and refused too: one retry only.
	if tokens, _ := f.snapshot(); tokens != 3 {
		t.Errorf("%d token requests in all, want 3", tokens)
	}
}

func TestRequestIDs(t *testing.T) {
	t.Parallel()
	f, srv := newFakePayPal(t)
	p := newResponder(srv, &clock{t: testNow})
	ctx := context.Background()
	ev := map[string]string{"uncategorized_text": "a", "product_description": "b"}
	steps := []func() error{
		func() error { return p.SendEvidence(ctx, "PP-D-1", provider.Evidence{Fields: ev}, true) },
		func() error {
			return p.SendEvidence(ctx, "PP-D-1", provider.Evidence{Fields: map[string]string{"product_description": "b", "uncategorized_text": "a"}}, true)
		},
		func() error {
			return p.SendEvidence(ctx, "PP-D-1", provider.Evidence{Fields: map[string]string{"uncategorized_text": "a, b"}}, true)
		},
		func() error { return p.SendEvidence(ctx, "PP-D-2", provider.Evidence{Fields: ev}, true) },
		func() error { return p.Concede(ctx, "PP-D-1") },
		func() error { return p.Concede(ctx, "PP-D-1") },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			t.Fatal(err)
		}
	}
	_, calls := f.snapshot()
	id := func(i int) string { return calls[i].requestID }
	if id(0) != id(1) || string(calls[0].body) != string(calls[1].body) {
		t.Error("the same evidence gave another request id or body")
	}
	if id(4) != id(5) {
		t.Error("conceding twice gave two request ids")
	}
	seen := map[string]int{}
	for _, i := range []int{0, 2, 3, 4} {
		if j, dup := seen[id(i)]; dup {
			t.Errorf("calls %d and %d share request id %s", j, i, id(i))
		}
		seen[id(i)] = i
	}
}

func TestAPIErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		body        string
		token       bool // fail the token request instead
		wantName    string
		wantMessage string
		permanent   bool
	}{
		{name: "unprocessable", status: 422, body: `{"name":"UNPROCESSABLE_ENTITY","message":"The requested action could not be performed.","debug_id":"f1d2a3b4c5","details":[{"field":"/evidences/0/notes","issue":"CANNOT_BE_EMPTY","description":"Notes cannot be empty."}]}`,
			wantName: "UNPROCESSABLE_ENTITY", wantMessage: "CANNOT_BE_EMPTY /evidences/0/notes: Notes cannot be empty.", permanent: true},
		{name: "not found", status: 404, body: `{"name":"RESOURCE_NOT_FOUND","message":"The specified resource does not exist.","debug_id":"aa11"}`,
			wantName: "RESOURCE_NOT_FOUND", wantMessage: "does not exist", permanent: true},
		{name: "forbidden", status: 403, body: `{"name":"NOT_AUTHORIZED","message":"Authorization failed due to insufficient permissions."}`,
			wantName: "NOT_AUTHORIZED", permanent: true},
		{name: "conflict", status: 409, body: `{"name":"RESOURCE_CONFLICT","message":"A request with this PayPal-Request-Id is in progress."}`, wantName: "RESOURCE_CONFLICT"},
		{name: "rate limited", status: 429, body: `{"name":"RATE_LIMIT_REACHED","message":"Too many requests."}`, wantName: "RATE_LIMIT_REACHED"},
		{name: "timeout", status: 408, body: ``, wantMessage: "Request Timeout"},
		{name: "server error", status: 500, body: `{"name":"INTERNAL_SERVER_ERROR","message":"An internal server error occurred.","debug_id":"90957fca61718"}`, wantName: "INTERNAL_SERVER_ERROR"},
		{name: "unavailable, not JSON", status: 503, body: `<html>down</html>`, wantMessage: "Service Unavailable"},
		{name: "bad client credentials", token: true, status: 401, body: `{"error":"invalid_client","error_description":"Client Authentication failed"}`,
			wantName: "invalid_client", wantMessage: "Client Authentication failed", permanent: true},
		{name: "token endpoint down", token: true, status: 502, body: ``, wantMessage: "Bad Gateway"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, srv := newFakePayPal(t)
			answer := func() (int, string) { return tt.status, tt.body }
			if tt.token {
				f.failTok = answer
			} else {
				f.failAPI = func(string) (int, string) { return answer() }
			}
			err := newResponder(srv, &clock{t: testNow}).Concede(context.Background(), "PP-D-98852")
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("Concede = %v, want an *APIError", err)
			}
			if ae.Status != tt.status || ae.Name != tt.wantName || !strings.Contains(ae.Message, tt.wantMessage) || ae.Permanent != tt.permanent {
				t.Errorf("APIError = %+v; want status %d, name %q, message containing %q, permanent %v", *ae, tt.status, tt.wantName, tt.wantMessage, tt.permanent)
			}
			if errors.Is(err, provider.ErrPermanent) != tt.permanent {
				t.Errorf("permanent = %v, want %v", errors.Is(err, provider.ErrPermanent), tt.permanent)
			}
		})
	}
}

func TestTransportErrorIsRetryable(t *testing.T) {
	t.Parallel()
	_, srv := newFakePayPal(t)
	p := newResponder(srv, &clock{t: testNow})
	srv.Close()
	err := p.Concede(context.Background(), "PP-D-1")
	if err == nil || errors.Is(err, provider.ErrPermanent) {
		t.Errorf("Concede with PayPal unreachable = %v, want a retryable error", err)
	}
}

func TestRequestsThatCannotBeSent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		apiKey      string
		apiBase     string // the fake's URL when empty
		disputeID   string
		evidence    map[string]string
		concede     bool
		noEvidence  bool
		wantInvalid bool
	}{
		{name: "no api key", apiKey: "-", concede: true, wantInvalid: true},
		{name: "api key without secret", apiKey: testClientID, concede: true, wantInvalid: true},
		{name: "api key with empty client id", apiKey: ":" + testSecret, concede: true, wantInvalid: true},
		{name: "api key with empty secret", apiKey: testClientID + ":", concede: true, wantInvalid: true},
		{name: "clear-text api base", apiBase: "http://api-m.paypal.com", concede: true, wantInvalid: true},
		{name: "relative api base", apiBase: "api-m.paypal.com", concede: true, wantInvalid: true},
		{name: "empty dispute id", disputeID: " ", concede: true, wantInvalid: true},
		{name: "empty dispute id for evidence", disputeID: " ", evidence: map[string]string{"uncategorized_text": "x"}, wantInvalid: true},
		{name: "only file evidence", evidence: map[string]string{"receipt": "file_1", "uncategorized_file": "file_2"}, noEvidence: true, wantInvalid: true},
		{name: "only blank evidence", evidence: map[string]string{"uncategorized_text": "  \n"}, noEvidence: true, wantInvalid: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, srv := newFakePayPal(t)
			cfg := provider.Config{APIKey: testClientID + ":" + testSecret, APIBase: srv.URL}
			switch tt.apiKey {
			case "":
			case "-":
				cfg.APIKey = ""
			default:
				cfg.APIKey = tt.apiKey
			}
			if tt.apiBase != "" {
				cfg.APIBase = tt.apiBase
			}
			id := "PP-D-1"
			if tt.disputeID != "" {
				id = tt.disputeID
			}
			p := New(cfg, srv.Client())
			var err error
			if tt.concede {
				err = p.Concede(context.Background(), id)
			} else {
				err = p.SendEvidence(context.Background(), id, provider.Evidence{Fields: tt.evidence}, true)
			}
			if !errors.Is(err, ErrInvalidRequest) || !errors.Is(err, provider.ErrPermanent) {
				t.Errorf("error = %v, want ErrInvalidRequest", err)
			}
			if tt.noEvidence != errors.Is(err, ErrNoEvidence) {
				t.Errorf("errors.Is(%v, ErrNoEvidence) = %v, want %v", err, !tt.noEvidence, tt.noEvidence)
			}
			if tokens, calls := f.snapshot(); tokens != 0 || len(calls) != 0 {
				t.Errorf("%d token requests and %d calls, want none", tokens, len(calls))
			}
		})
	}
}

func TestLoopbackAPIBaseMayBeClearText(t *testing.T) {
	t.Parallel()
	f := &fakePayPal{t: t, valid: map[string]bool{}}
	srv := httptest.NewServer(f)
	defer srv.Close()
	p := New(provider.Config{APIKey: testClientID + ":" + testSecret, APIBase: srv.URL}, srv.Client())
	if err := p.Concede(context.Background(), "PP-D-1"); err != nil {
		t.Errorf("Concede against a local http mock: %v", err)
	}
}

func TestBuildEvidences(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   map[string]string
		want []evidenceJSON
	}{
		{name: "nothing", in: nil, want: nil},
		{name: "tracking without carrier goes to OTHER", in: map[string]string{"shipping_tracking_number": "1Z999", "shipping_date": "2026-10-31"},
			want: []evidenceJSON{{EvidenceType: "OTHER", Notes: "Tracking number: 1Z999\nShipped on: 2026-10-31"}}},
		{name: "shipping details join other text", in: map[string]string{"shipping_address": "1 Main St", "duplicate_charge_id": "9XY"},
			want: []evidenceJSON{{EvidenceType: "OTHER", Notes: "Shipped to: 1 Main St\nThe other payment: 9XY"}}},
		{name: "policies", in: map[string]string{
			"refund_policy_disclosure": "Shown at checkout.", "cancellation_rebuttal": "Cancelled after renewal.",
			"cancellation_policy_disclosure": "In the terms.", "refund_refusal_explanation": "Used in full.",
		}, want: []evidenceJSON{
			{EvidenceType: "RETURN_POLICY", Notes: "Refund policy disclosure: Shown at checkout.\nWhy no refund was given: Used in full."},
			{EvidenceType: "BILLING_AGREEMENT", Notes: "Cancellation policy disclosure: In the terms.\nWhy the cancellation does not apply: Cancelled after renewal."},
		}},
		{name: "purchase details", in: map[string]string{
			"customer_name": "Ada", "customer_purchase_ip": "203.0.113.7", "billing_address": "2 High St", "customer_email_address": "ada@example.com",
		}, want: []evidenceJSON{{EvidenceType: "DETAILS_OF_PURCHASE",
			Notes: "Customer name: Ada\nCustomer email: ada@example.com\nPurchase IP address: 203.0.113.7\nBilling address: 2 High St"}}},
		{name: "values are trimmed", in: map[string]string{"product_description": "  VPS  \n"},
			want: []evidenceJSON{{EvidenceType: "ITEM_DESCRIPTION", Notes: "Product or service: VPS"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := buildEvidences(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("buildEvidences =\n%s\nwant\n%s", jsonOf(got), jsonOf(tt.want))
			}
		})
	}
}

func TestLongEvidenceIsSplitNotCut(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Zugriff über SSH am 30.10. ✓ ", 700) // about 19,600 characters, multi-byte
	evs := buildEvidences(map[string]string{"access_activity_log": long, "service_date": "2026-10-30"})
	var joined strings.Builder
	for i, e := range evs {
		n := utf8.RuneCountInString(e.Notes)
		if e.EvidenceType != "PROOF_FOR_SOFTWARE_OR_SERVICE_DELIVERED" || n == 0 || n > maxNotes || !utf8.ValidString(e.Notes) {
			t.Fatalf("evidence %d: %s with %d characters (valid UTF-8: %v)", i, e.EvidenceType, n, utf8.ValidString(e.Notes))
		}
		if i >= 2 {
			joined.WriteString(e.Notes)
		}
	}
	if evs[0].Notes != "Service provided on: 2026-10-30" {
		t.Errorf("first note = %q, want the short field on its own", evs[0].Notes)
	}
	if got := evs[1].Notes + joined.String(); got != "Access and activity log: "+strings.TrimSpace(long) {
		t.Error("the long value did not survive the split intact")
	}
}

func TestPackNotes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lines []string
		max   int
		want  []string
	}{
		{nil, 10, nil},
		{[]string{"abc", "def"}, 10, []string{"abc\ndef"}},
		{[]string{"abcd", "efgh"}, 9, []string{"abcd\nefgh"}},
		{[]string{"abcd", "efghi"}, 9, []string{"abcd", "efghi"}},
		{[]string{"ab", "cdefghijklm", "n"}, 4, []string{"ab", "cdef", "ghij", "klm", "n"}},
		{[]string{"äöüß€"}, 2, []string{"äö", "üß", "€"}},
	}
	for _, tt := range tests {
		if got := packNotes(tt.lines, tt.max); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("packNotes(%q, %d) = %q, want %q", tt.lines, tt.max, got, tt.want)
		}
	}
}

func TestConcurrentCallsShareOneToken(t *testing.T) {
	t.Parallel()
	f, srv := newFakePayPal(t)
	p := newResponder(srv, &clock{t: testNow})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if err := p.Concede(context.Background(), fmt.Sprintf("PP-D-%d", i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if tokens, calls := f.snapshot(); tokens != 1 || len(calls) != 8 {
		t.Errorf("%d token requests for %d concurrent calls, want 1", tokens, len(calls))
	}
}

func TestWaitingForTheTokenEndsWithTheContext(t *testing.T) {
	t.Parallel()
	arrived, release := make(chan struct{}), make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/oauth2/token" {
			close(arrived)
			<-release
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	p := newResponder(srv, &clock{t: testNow})

	first := make(chan error, 1)
	go func() { first <- p.Concede(context.Background(), "PP-D-1") }()
	<-arrived // the first call holds the token lock while PayPal is slow

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := p.Concede(ctx, "PP-D-2"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second call = %v, want context.DeadlineExceeded while the first waits for a token", err)
	}
	close(release)
	if err := <-first; err == nil || errors.Is(err, provider.ErrPermanent) {
		t.Errorf("first call = %v, want a retryable 503", err)
	}
}
