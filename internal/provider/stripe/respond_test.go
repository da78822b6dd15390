package stripe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"disputed/internal/provider"
)

// recorded is what a fake Stripe saw of one request.
type recorded struct {
	Method, Path                                    string
	Authorization, ContentType, IdempotencyKey, Via string
	Form                                            url.Values
}

// fakeStripe answers every request with status and body, recording what it received.
func fakeStripe(t *testing.T, status int, header http.Header, body string) (*Stripe, func() []recorded) {
	t.Helper()
	var (
		mu   sync.Mutex
		seen []recorded
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(raw))
		if err != nil {
			t.Errorf("body %q is not a form: %v", raw, err)
		}
		mu.Lock()
		seen = append(seen, recorded{
			Method: r.Method, Path: r.URL.EscapedPath(),
			Authorization: r.Header.Get("Authorization"), ContentType: r.Header.Get("Content-Type"),
			IdempotencyKey: r.Header.Get("Idempotency-Key"), Via: r.Header.Get("User-Agent"),
			Form: form,
		})
		mu.Unlock()
		for k, vs := range header {
			w.Header()[k] = vs
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	s := New(provider.Config{APIKey: "sk_test_123", APIBase: srv.URL + "/"}, srv.Client())
	return s, func() []recorded {
		mu.Lock()
		defer mu.Unlock()
		return append([]recorded(nil), seen...)
	}
}

func TestSendEvidenceRequest(t *testing.T) {
	t.Parallel()
	s, seen := fakeStripe(t, http.StatusOK, nil, `{"id":"du_1","object":"dispute"}`)
	err := s.SendEvidence(context.Background(), "du_1/x", provider.Evidence{Fields: map[string]string{
		"customer_name":            "Jane Doe",
		"receipt":                  "file_1QAbc",
		"uncategorized_text":       "Delivered & signed for.",
		"shipping_tracking_number": "",
	}}, true)
	if err != nil {
		t.Fatalf("SendEvidence: %v", err)
	}
	reqs := seen()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	got := reqs[0]
	if got.IdempotencyKey == "" || !strings.HasPrefix(got.IdempotencyKey, "disputed-") {
		t.Errorf("Idempotency-Key = %q, want a derived key", got.IdempotencyKey)
	}
	got.IdempotencyKey, got.Via = "", ""
	want := recorded{
		Method: http.MethodPost, Path: "/v1/disputes/du_1%2Fx",
		Authorization: "Bearer sk_test_123", ContentType: "application/x-www-form-urlencoded",
		Form: url.Values{
			"evidence[customer_name]":            {"Jane Doe"},
			"evidence[receipt]":                  {"file_1QAbc"},
			"evidence[uncategorized_text]":       {"Delivered & signed for."},
			"evidence[shipping_tracking_number]": {""},
			"submit":                             {"true"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
}

func TestSendEvidenceWritesVisaCE3AsEnhancedEvidence(t *testing.T) {
	t.Parallel()
	s, seen := fakeStripe(t, http.StatusOK, nil, `{"id":"du_1","object":"dispute"}`)
	ce3 := &provider.VisaCE3{MerchandiseOrServices: "services",
		Disputed: provider.CE3Transaction{CustomerPurchaseIP: "203.0.113.7", ProductDescription: "VPS S",
			ShippingAddress: &provider.Address{Line1: "1 Main St", City: "Springfield", PostalCode: "62701", Country: "US"}},
		Prior: []provider.CE3Transaction{{Charge: "ch_a", CustomerPurchaseIP: "203.0.113.7", CustomerAccountID: "acct-42"},
			{Charge: "ch_b", CustomerDeviceID: "device-0123456789", CustomerEmail: "ada@example.com"}}}
	if err := s.SendEvidence(context.Background(), "du_1", provider.Evidence{VisaCE3: ce3}, true); err != nil {
		t.Fatal(err)
	}
	const base = "evidence[enhanced_evidence][visa_compelling_evidence_3]"
	want := url.Values{
		base + "[disputed_transaction][customer_purchase_ip]":               {"203.0.113.7"},
		base + "[disputed_transaction][product_description]":                {"VPS S"},
		base + "[disputed_transaction][merchandise_or_services]":            {"services"},
		base + "[disputed_transaction][shipping_address][line1]":            {"1 Main St"},
		base + "[disputed_transaction][shipping_address][city]":             {"Springfield"},
		base + "[disputed_transaction][shipping_address][postal_code]":      {"62701"},
		base + "[disputed_transaction][shipping_address][country]":          {"US"},
		base + "[prior_undisputed_transactions][0][charge]":                 {"ch_a"},
		base + "[prior_undisputed_transactions][0][customer_purchase_ip]":   {"203.0.113.7"},
		base + "[prior_undisputed_transactions][0][customer_account_id]":    {"acct-42"},
		base + "[prior_undisputed_transactions][1][charge]":                 {"ch_b"},
		base + "[prior_undisputed_transactions][1][customer_device_id]":     {"device-0123456789"},
		base + "[prior_undisputed_transactions][1][customer_email_address]": {"ada@example.com"},
		"submit": {"true"},
	}
	if diff := cmp.Diff(want, seen()[0].Form); diff != "" {
		t.Errorf("form (-want +got):\n%s", diff)
	}
}

func TestConcedeRequest(t *testing.T) {
	t.Parallel()
	s, seen := fakeStripe(t, http.StatusOK, nil, `{}`)
	if err := s.Concede(context.Background(), "du_1"); err != nil {
		t.Fatalf("Concede: %v", err)
	}
	reqs := seen()
	if len(reqs) != 1 || reqs[0].Path != "/v1/disputes/du_1/close" || reqs[0].Method != http.MethodPost {
		t.Fatalf("requests = %+v, want one POST /v1/disputes/du_1/close", reqs)
	}
	if reqs[0].ContentType != "application/x-www-form-urlencoded" || reqs[0].IdempotencyKey == "" {
		t.Errorf("headers = %+v, want a form content type and an idempotency key", reqs[0])
	}
}

// TestIdempotencyKey checks that a retried call repeats its key and that any other call does not.
func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	s, seen := fakeStripe(t, http.StatusOK, nil, `{}`)
	ctx := context.Background()
	ev := map[string]string{"customer_name": "Jane", "product_description": "Hosting"}
	calls := []func() error{
		func() error { return s.SendEvidence(ctx, "du_1", provider.Evidence{Fields: ev}, false) }, // 0
		func() error { return s.SendEvidence(ctx, "du_1", provider.Evidence{Fields: ev}, false) }, // 1: a retry of 0
		func() error { return s.SendEvidence(ctx, "du_1", provider.Evidence{Fields: ev}, true) },  // 2: submit differs
		func() error { return s.SendEvidence(ctx, "du_2", provider.Evidence{Fields: ev}, false) }, // 3: dispute differs
		func() error {
			return s.SendEvidence(ctx, "du_1", provider.Evidence{Fields: map[string]string{"customer_name": "J"}}, false)
		}, // 4
		func() error { return s.Concede(ctx, "du_1") },                                        // 5
		func() error { return s.Concede(ctx, "du_1") },                                        // 6: a retry of 5
		func() error { return s.Concede(provider.WithIdempotencyKey(ctx, "job_42"), "du_1") }, // 7: the caller's key
		func() error {
			return s.SendEvidence(provider.WithIdempotencyKey(ctx, "job_42"), "du_1", provider.Evidence{Fields: ev}, true)
		}, // 8
	}
	for i, call := range calls {
		if err := call(); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	var keys []string
	for _, r := range seen() {
		keys = append(keys, r.IdempotencyKey)
	}
	if len(keys) != len(calls) {
		t.Fatalf("%d requests, want %d", len(keys), len(calls))
	}
	same := func(i, j int) bool { return keys[i] == keys[j] }
	if !same(0, 1) || !same(5, 6) || !same(7, 8) || keys[7] != "job_42" {
		t.Errorf("retries must repeat their key: %q", keys)
	}
	distinct := []int{0, 2, 3, 4, 5, 7}
	for a := range distinct {
		for b := a + 1; b < len(distinct); b++ {
			if same(distinct[a], distinct[b]) {
				t.Errorf("calls %d and %d share the key %q", distinct[a], distinct[b], keys[distinct[a]])
			}
		}
	}
}

func TestRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	s, seen := fakeStripe(t, http.StatusOK, nil, `{}`)
	noKey := New(provider.Config{APIBase: s.apiBase}, nil)
	// Saved before api_base had to be https: the key is not sent in clear text.
	clearText := New(provider.Config{APIKey: "sk_test_123", APIBase: "http://api.stripe.example"}, nil)
	ctx := context.Background()
	tests := []struct {
		name      string
		call      func() error
		wantCode  string
		wantParam string
	}{
		{"unknown evidence field", func() error {
			return s.SendEvidence(ctx, "du_1", provider.Evidence{Fields: map[string]string{"customer_name": "J", "favourite_colour": "blue"}}, false)
		}, "parameter_unknown", "evidence[favourite_colour]"},
		{"nested evidence field", func() error {
			return s.SendEvidence(ctx, "du_1", provider.Evidence{Fields: map[string]string{"enhanced_evidence][x": "1"}}, false)
		}, "parameter_unknown", "evidence[enhanced_evidence][x]"},
		{"text in a file field", func() error {
			return s.SendEvidence(ctx, "du_1", provider.Evidence{Fields: map[string]string{"receipt": "see attached"}}, false)
		}, "invalid_value", "evidence[receipt]"},
		{"our evidence item id in a file field", func() error {
			return s.SendEvidence(ctx, "du_1", provider.Evidence{Fields: map[string]string{"shipping_documentation": "evi_123"}}, true)
		}, "invalid_value", "evidence[shipping_documentation]"},
		{"no dispute id", func() error { return s.SendEvidence(ctx, "", provider.Evidence{}, true) }, "parameter_missing", "id"},
		{"no dispute id to concede", func() error { return s.Concede(ctx, "") }, "parameter_missing", "id"},
		{"no API key", func() error { return noKey.Concede(ctx, "du_1") }, "api_key_missing", ""},
		{"clear-text API base", func() error { return clearText.Concede(ctx, "du_1") }, "invalid_api_base", "api_base"},
		{"empty idempotency key", func() error { return s.Concede(provider.WithIdempotencyKey(ctx, ""), "du_1") }, "invalid_idempotency_key", ""},
		{"idempotency key too long", func() error {
			return s.Concede(provider.WithIdempotencyKey(ctx, strings.Repeat("k", 256)), "du_1")
		}, "invalid_idempotency_key", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.call()
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("error = %v, want *APIError", err)
			}
			if !ae.Permanent || ae.Status != 0 || ae.Code != tt.wantCode || ae.Param != tt.wantParam {
				t.Errorf("error = %+v, want permanent, no status, code %q, param %q", ae, tt.wantCode, tt.wantParam)
			}
		})
	}
	if n := len(seen()); n != 0 {
		t.Errorf("%d requests reached Stripe, want none", n)
	}
}

func TestAPIErrors(t *testing.T) {
	t.Parallel()
	const stripeErr = `{"error":{"code":"resource_missing","doc_url":"https://stripe.com/docs/error-codes/resource-missing","message":"No such dispute: 'du_404'","param":"dispute","request_log_url":"https://dashboard.stripe.com/test/logs/req_1","type":"invalid_request_error"}}`
	tests := []struct {
		name        string
		status      int
		shouldRetry string
		body        string
		want        APIError
	}{
		{
			name: "404 is permanent", status: 404, body: stripeErr,
			want: APIError{Status: 404, Type: "invalid_request_error", Code: "resource_missing",
				Message: "No such dispute: 'du_404'", Param: "dispute", RequestID: "req_1", Permanent: true},
		},
		{
			name: "400 is permanent", status: 400,
			body: `{"error":{"message":"This dispute is already closed","type":"invalid_request_error"}}`,
			want: APIError{Status: 400, Type: "invalid_request_error", Message: "This dispute is already closed", RequestID: "req_1", Permanent: true},
		},
		{
			name: "401 is permanent", status: 401,
			body: `{"error":{"message":"Invalid API Key provided: sk_test_***","type":"invalid_request_error"}}`,
			want: APIError{Status: 401, Type: "invalid_request_error", Message: "Invalid API Key provided: sk_test_***", RequestID: "req_1", Permanent: true},
		},
		{
			name: "409 passes", status: 409,
			body: `{"error":{"code":"idempotency_key_in_use","message":"There is currently another in-progress request using this Stripe token","type":"invalid_request_error"}}`,
			want: APIError{Status: 409, Type: "invalid_request_error", Code: "idempotency_key_in_use",
				Message: "There is currently another in-progress request using this Stripe token", RequestID: "req_1"},
		},
		{
			name: "429 passes", status: 429,
			body: `{"error":{"code":"rate_limit","message":"Too many requests","type":"invalid_request_error"}}`,
			want: APIError{Status: 429, Type: "invalid_request_error", Code: "rate_limit", Message: "Too many requests", RequestID: "req_1"},
		},
		{
			name: "500 passes", status: 500,
			body: `{"error":{"message":"An unknown error occurred","type":"api_error"}}`,
			want: APIError{Status: 500, Type: "api_error", Message: "An unknown error occurred", RequestID: "req_1"},
		},
		{
			name: "500 that Stripe says not to retry", status: 500, shouldRetry: "false",
			body: `{"error":{"message":"An unknown error occurred","type":"api_error"}}`,
			want: APIError{Status: 500, Type: "api_error", Message: "An unknown error occurred", RequestID: "req_1", Permanent: true},
		},
		{
			name: "400 that Stripe says to retry", status: 400, shouldRetry: "true",
			body: `{"error":{"code":"lock_timeout","message":"This object cannot be accessed right now","type":"invalid_request_error"}}`,
			want: APIError{Status: 400, Type: "invalid_request_error", Code: "lock_timeout", Message: "This object cannot be accessed right now", RequestID: "req_1"},
		},
		{
			name: "502 from a proxy", status: 502, body: "<html>Bad Gateway</html>",
			want: APIError{Status: 502, Message: `Bad Gateway: "<html>Bad Gateway</html>"`, RequestID: "req_1"},
		},
		{
			name: "403 with an empty body", status: 403,
			want: APIError{Status: 403, Message: "Forbidden", RequestID: "req_1", Permanent: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{"Request-Id": {"req_1"}}
			if tt.shouldRetry != "" {
				h.Set("Stripe-Should-Retry", tt.shouldRetry)
			}
			s, _ := fakeStripe(t, tt.status, h, tt.body)
			err := s.Concede(context.Background(), "du_404")
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("Concede = %v, want *APIError", err)
			}
			if diff := cmp.Diff(tt.want, *ae); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if ae.Error() == "" {
				t.Error("empty message")
			}
			// The app asks through the contract's sentinel, without knowing Stripe's types.
			if errors.Is(fmt.Errorf("push: %w", err), provider.ErrPermanent) != tt.want.Permanent {
				t.Errorf("errors.Is(err, provider.ErrPermanent) disagrees with Permanent = %v", tt.want.Permanent)
			}
		})
	}
}

func TestTransportErrors(t *testing.T) {
	t.Parallel()
	t.Run("connection refused", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.NotFoundHandler())
		base := srv.URL
		srv.Close()
		s := New(provider.Config{APIKey: "sk_test_123", APIBase: base}, nil)
		err := s.Concede(context.Background(), "du_1")
		var ae *APIError
		if !errors.As(err, &ae) || ae.Permanent || ae.Status != 0 || ae.Err == nil {
			t.Fatalf("Concede = %#v, want a retryable *APIError carrying the transport error", err)
		}
	})
	t.Run("cancelled context", func(t *testing.T) {
		t.Parallel()
		s, _ := fakeStripe(t, http.StatusOK, nil, `{}`)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := s.SendEvidence(ctx, "du_1", provider.Evidence{}, false)
		var ae *APIError
		if !errors.As(err, &ae) || ae.Permanent || !errors.Is(err, context.Canceled) {
			t.Fatalf("SendEvidence = %v, want a retryable *APIError wrapping context.Canceled", err)
		}
	})
	t.Run("malformed API base", func(t *testing.T) {
		t.Parallel()
		s := New(provider.Config{APIKey: "sk_test_123", APIBase: "http://[::1"}, nil)
		err := s.Concede(context.Background(), "du_1")
		var ae *APIError
		if !errors.As(err, &ae) || !ae.Permanent {
			t.Fatalf("Concede = %v, want a permanent *APIError", err)
		}
	})
}

func TestNewDefaults(t *testing.T) {
	t.Parallel()
	s := New(provider.Config{WebhookSecret: " a ,, b ,"}, nil)
	if s.apiBase != DefaultAPIBase {
		t.Errorf("apiBase = %q, want %q", s.apiBase, DefaultAPIBase)
	}
	if s.client == nil || s.client.Timeout == 0 {
		t.Error("the default client has no timeout")
	}
	if diff := cmp.Diff([]string{"a", "b"}, s.secrets); diff != "" {
		t.Errorf("secrets (-want +got):\n%s", diff)
	}
}

func TestOtherErrorsAreNotPermanent(t *testing.T) {
	t.Parallel()
	for _, err := range []error{nil, errors.New("boom"), context.DeadlineExceeded} {
		if errors.Is(err, provider.ErrPermanent) {
			t.Errorf("errors.Is(%v, provider.ErrPermanent) = true, want false", err)
		}
	}
}
