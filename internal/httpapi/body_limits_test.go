package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// uploadEvidenceFile posts file as an evidence item in a multipart form.
func uploadEvidenceFile(c *testenv.Client, path string, file []byte) testenv.Response {
	c.T.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("description", "the signed contract")
	fw, _ := mw.CreateFormFile("file", "contract.pdf")
	_, _ = fw.Write(file)
	_ = mw.Close()
	return c.Do(http.MethodPost, path, body.Bytes(), "Content-Type", mw.FormDataContentType())
}

// postWithoutLength posts body as JSON with no Content-Length (chunked), which the client's Do
// cannot: it always sends the length of what it is given.
func postWithoutLength(t *testing.T, c *testenv.Client, path string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.URL+path, io.MultiReader(bytes.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.Key)
	req.Header.Set("Content-Type", "application/json")
	tr := http.DefaultTransport.(*http.Transport).Clone()
	defer tr.CloseIdleConnections()
	res, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw
}

// TestBodyLimits: a body over its route's limit is answered 413 with the JSON error, whether its
// length is declared or not, and nothing is stored; an evidence upload may carry a 10 MiB file.
func TestBodyLimits(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		cus := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "ada@example.com"}))(t)
		order := func(description string) map[string]any {
			return map[string]any{"customer_id": cus.ID, "currency": "USD", "items": []any{map[string]any{"description": description, "amount": 100}}}
		}
		huge, _ := json.Marshal(order(strings.Repeat("a", 1<<20)))

		r := c.Post("/v1/orders", huge, "Idempotency-Key", "order-1")
		if err := testenv.WantError(t, r, 413, "body_too_large"); !strings.Contains(err.Message, "1 MiB") || err.Type != "invalid_request" {
			t.Fatalf("413 without the limit or the error type: %s", r.Raw)
		}
		// Sent without a length, the body fails the read that crosses the limit.
		if status, chunked := postWithoutLength(t, c, "/v1/orders", huge); status != 413 || !strings.Contains(string(chunked), `"body_too_large"`) {
			t.Fatalf("a chunked body over the limit: %d %s", status, chunked)
		}
		// A JSON route with few fields has a smaller limit than an order.
		testenv.WantError(t, c.Post("/v1/customers", map[string]any{"email": "bob@example.com", "metadata": map[string]string{"notes": strings.Repeat("n", 65<<10)}}), 413, "body_too_large")
		testenv.WantError(t, c.Do(http.MethodGet, "/v1/orders", "{}"), 413, "body_too_large")

		if orders := testenv.Want[httpapi.List[httpapi.Order]](t, c.Get("/v1/orders"), 200); len(orders.Data) != 0 {
			t.Fatalf("a refused order was stored: %+v", orders.Data)
		}
		// The refused request did not claim its idempotency key.
		testenv.WantStatus(t, c.Post("/v1/orders", order("IPTV 12 months"), "Idempotency-Key", "order-1"), 201)

		// An evidence file may have 10 MiB, sent with the form's other fields; one byte more is refused.
		d := e.Dispute(e.Sale(testenv.SaleParams{Amount: 1000}), "chargeback")
		evidence := "/v1/disputes/" + d.ID + "/evidence"
		pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{'a'}, 10<<20-9)...)
		testenv.WantStatus(t, uploadEvidenceFile(c, evidence, pdf), 201)
		testenv.WantError(t, uploadEvidenceFile(c, evidence, append(pdf, 'a')), 413, "too_large")
		if items := testenv.Want[httpapi.List[httpapi.EvidenceItem]](t, c.Get(evidence), 200); len(items.Data) != 1 {
			t.Fatalf("evidence after one upload and one refusal: %+v", items.Data)
		}
	})
}
