package stripe

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/provider"
)

// userAgent names us in Stripe's request logs.
const userAgent = "disputed (+stripe adapter)"

// maxResponseBody bounds what is read of a response: an error body is a few hundred bytes, and
// a misbehaving proxy must not make us buffer megabytes.
const maxResponseBody = 64 << 10

// maxIdempotencyKey is Stripe's limit on the Idempotency-Key header.
const maxIdempotencyKey = 255

// APIError is the failure of a call to Stripe's API: Stripe's answer when there is one, or the
// reason no answer came. Permanent says whether sending the same request again can help; the
// job that made the call retries only when it is false.
type APIError struct {
	Status    int    // HTTP status; 0 when no response came back or the request was not sent
	Type      string // Stripe's error type, e.g. invalid_request_error
	Code      string // Stripe's error code, e.g. resource_missing, or ours for a refused argument
	Message   string
	Param     string // the parameter at fault, when Stripe or we name one
	RequestID string // Stripe's Request-Id, for Stripe's support
	Permanent bool
	Err       error // the transport error when Status is 0
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("stripe: ")
	if e.Status != 0 {
		b.WriteString(strconv.Itoa(e.Status))
		b.WriteString(" ")
	}
	if e.Code != "" {
		b.WriteString(e.Code)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	if e.Param != "" {
		b.WriteString(" (param ")
		b.WriteString(e.Param)
		b.WriteString(")")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.Permanent {
		b.WriteString(" [permanent]")
	} else {
		b.WriteString(" [retryable]")
	}
	return b.String()
}

func (e *APIError) Unwrap() error { return e.Err }

// Is makes a permanent error provider.ErrPermanent, which is how the server, knowing no Stripe
// types, tells that retrying the call cannot help.
func (e *APIError) Is(target error) bool { return target == provider.ErrPermanent && e.Permanent }

// refused is a permanent error for a call that is not sent because it cannot succeed.
func refused(code, param, format string, args ...any) *APIError {
	return &APIError{Code: code, Param: param, Message: fmt.Sprintf(format, args...), Permanent: true}
}

// SendEvidence stages evidence on a Stripe dispute (POST /v1/disputes/{id}) and, when submit is
// true, submits it to the bank. evidence uses Stripe's field names (dispute.EvidenceFields).
// Each of its files is first uploaded to Stripe (POST /v1/files, purpose dispute_evidence) and
// the field it is staged under then names the uploaded file. An unknown field, a file under a
// text field, or a file field whose value is not the id of a file uploaded to Stripe (file_…),
// is refused before anything is sent. An empty value clears the field at Stripe.
//
// Errors are *APIError.
func (s *Stripe) SendEvidence(ctx context.Context, providerDisputeID string, evidence provider.Evidence, submit bool) error {
	if providerDisputeID == "" {
		return refused(fault.CodeParameterMissing, "id", "the Stripe dispute id is empty")
	}
	form := url.Values{}
	// Sorted, so that of several bad fields the same one is reported every time.
	for _, field := range slices.Sorted(maps.Keys(evidence.Fields)) {
		value := evidence.Fields[field]
		param := "evidence[" + field + "]"
		if !slices.Contains(dispute.EvidenceFields, field) {
			return refused(fault.CodeParameterUnknown, param, "%s is not a Stripe evidence field", quote(field))
		}
		if value != "" && slices.Contains(dispute.FileEvidenceFields, field) && !strings.HasPrefix(value, "file_") {
			return refused(fault.CodeInvalidValue, param,
				"%s takes the id of a file uploaded to Stripe (file_…), not %s", field, quote(value))
		}
		form.Set(param, value)
	}
	fileFields := slices.Sorted(maps.Keys(evidence.Files))
	for _, field := range fileFields {
		if !slices.Contains(dispute.FileEvidenceFields, field) {
			return refused(fault.CodeInvalidValue, "evidence["+field+"]", "%s is not a Stripe evidence field that takes a file", quote(field))
		}
	}
	for _, field := range fileFields {
		id, err := s.uploadFile(ctx, field, evidence.Files[field])
		if err != nil {
			return err
		}
		form.Set("evidence["+field+"]", id)
	}
	if ce3 := evidence.VisaCE3; ce3 != nil {
		setCE3(form, ce3)
	}
	form.Set("submit", strconv.FormatBool(submit))
	_, err := s.post(ctx, s.apiBase, "/v1/disputes/"+url.PathEscape(providerDisputeID), "application/x-www-form-urlencoded", []byte(form.Encode()), "")
	return err
}

// uploadFile uploads one evidence file to Stripe (POST /v1/files, purpose dispute_evidence) and
// returns the id of the file at Stripe. The body is the same bytes on every retry (its boundary
// comes from the content), so that its idempotency key finds the first upload again.
func (s *Stripe) uploadFile(ctx context.Context, field string, f provider.File) (string, error) {
	sum := sha256.Sum256(f.Data)
	digest := hex.EncodeToString(sum[:])
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.SetBoundary("disputed-" + digest[:40]); err != nil {
		return "", &APIError{Message: "cannot build the upload", Permanent: true, Err: err}
	}
	if err := w.WriteField("purpose", "dispute_evidence"); err != nil {
		return "", &APIError{Message: "cannot build the upload", Permanent: true, Err: err}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": "file", "filename": f.Name}))
	h.Set("Content-Type", f.ContentType)
	part, err := w.CreatePart(h)
	if err == nil {
		_, err = part.Write(f.Data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return "", &APIError{Message: "cannot build the upload", Permanent: true, Err: err}
	}
	answer, err := s.post(ctx, s.filesBase, "/v1/files", w.FormDataContentType(), buf.Bytes(), field+"-"+digest[:16])
	if err != nil {
		return "", err
	}
	var file struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(answer, &file) != nil || !strings.HasPrefix(file.ID, "file_") {
		return "", &APIError{Message: "Stripe answered the file upload without a file id", Permanent: false}
	}
	return file.ID, nil
}

// Concede closes a Stripe dispute (POST /v1/disputes/{id}/close): the merchant accepts it and
// the dispute is lost. Errors are *APIError.
func (s *Stripe) Concede(ctx context.Context, providerDisputeID string) error {
	if providerDisputeID == "" {
		return refused(fault.CodeParameterMissing, "id", "the Stripe dispute id is empty")
	}
	_, err := s.post(ctx, s.apiBase, "/v1/disputes/"+url.PathEscape(providerDisputeID)+"/close", "application/x-www-form-urlencoded", nil, "")
	return err
}

// post sends a body to Stripe and returns the body of a success. The answer to an evidence
// call is not needed: Stripe's webhooks report the dispute's new state, and reading them is
// what moves it; a file upload's answer names the file. keySuffix tells apart the calls of
// one push that share the caller's idempotency key (provider.WithIdempotencyKey).
func (s *Stripe) post(ctx context.Context, base, path, contentType string, body []byte, keySuffix string) ([]byte, error) {
	if s.apiKey == "" {
		return nil, refused(fault.CodeAPIKeyMissing, "", "no Stripe API key is configured for this provider")
	}
	// Also for a configuration saved before the rule: the key must not travel in clear text.
	if err := provider.CheckAPIBase(base); err != nil {
		return nil, &APIError{Code: fault.CodeInvalidAPIBase, Param: "api_base", Message: err.Error(), Permanent: true, Err: err}
	}
	key, err := idempotencyKey(ctx, path, body, keySuffix)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, bytes.NewReader(body))
	if err != nil {
		// Only a malformed API base gets here: a configuration error, not a passing one.
		return nil, &APIError{Message: "cannot build the request", Permanent: true, Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+s.apiKey)
	// Stripe (and stripe-mock) want the form content type even on a body-less close.
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Idempotency-Key", key)
	req.Header.Set("User-Agent", userAgent)

	resp, err := s.client.Do(req)
	if err != nil {
		// No answer: a network failure, a timeout or a cancelled context. The idempotency key
		// makes sending it again safe whether or not Stripe saw it.
		return nil, &APIError{Message: "no response from Stripe", Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		// Read whole (within bounds) so that the connection can be reused.
		answer, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
		if err != nil {
			return nil, &APIError{Message: "the answer from Stripe broke off", Err: err}
		}
		return answer, nil
	}
	return nil, readAPIError(resp)
}

// idempotencyKey returns the caller's key (provider.WithIdempotencyKey, 1 to 255 characters) or
// one derived from the request: the same dispute, path and form always give the same key, so
// that a job retried after a lost answer does not submit twice; any other argument gives another
// key. The derived key has one blind spot, which the caller's key closes: Stripe replays the
// first answer to a key for 24 hours, so staging evidence A, then B, then A again within a day
// would have the third call answered from the first and leave B at Stripe.
func idempotencyKey(ctx context.Context, path string, body []byte, suffix string) (string, error) {
	if key, ok := provider.IdempotencyKey(ctx); ok {
		if key == "" || len(key) > maxIdempotencyKey {
			return "", refused(fault.CodeInvalidIdempotencyKey, "", "an idempotency key must be 1 to %d characters", maxIdempotencyKey)
		}
		if suffix == "" {
			return key, nil
		}
		if key += "-" + suffix; len(key) > maxIdempotencyKey {
			sum := sha256.Sum256([]byte(key))
			key = "disputed-" + hex.EncodeToString(sum[:])
		}
		return key, nil
	}
	h := sha256.New()
	// The path and the body cannot run into each other: the path never holds a raw newline.
	h.Write([]byte("POST " + path + "\n"))
	h.Write(body)
	return "disputed-" + hex.EncodeToString(h.Sum(nil)), nil
}

// readAPIError reads Stripe's error body {"error": {"type", "code", "message", "param"}} and
// decides whether a retry can help.
func readAPIError(resp *http.Response) *APIError {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	e := &APIError{
		Status:    resp.StatusCode,
		RequestID: resp.Header.Get("Request-Id"),
		Permanent: permanent(resp.StatusCode, resp.Header.Get("Stripe-Should-Retry")),
	}
	var wire struct {
		Error *struct {
			Type    string `json:"type"`
			Code    string `json:"code"`
			Message string `json:"message"`
			Param   string `json:"param"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &wire) == nil && wire.Error != nil {
		// The text ends up in the timeline and the job: keep it storable (see provider.CleanText).
		e.Type, e.Code = provider.CleanText(wire.Error.Type), provider.CleanText(wire.Error.Code)
		e.Message, e.Param = provider.CleanText(wire.Error.Message), provider.CleanText(wire.Error.Param)
	}
	e.RequestID = provider.CleanText(e.RequestID)
	if e.Message == "" {
		// Not Stripe's answer (a proxy or load balancer page): say what came back.
		e.Message = http.StatusText(resp.StatusCode)
		if text := strings.TrimSpace(string(raw)); text != "" {
			e.Message += ": " + quote(text)
		}
	}
	return e
}

// permanent says whether sending the same request again is pointless.
//
// Stripe's Stripe-Should-Retry header, when present, decides: Stripe knows, for example, that a
// 500 was stored against the idempotency key and would only be replayed. Otherwise 409 (a
// concurrent request with the same key, a lock) and 429 (rate limit) pass, as do 5xx; every
// other 4xx says the request itself is wrong (bad key, unknown dispute, closed dispute, invalid
// evidence) and will be refused again.
func permanent(status int, shouldRetry string) bool {
	switch shouldRetry {
	case "true":
		return false
	case "false":
		return true
	}
	switch {
	case status == http.StatusConflict, status == http.StatusTooManyRequests:
		return false
	case status >= 500:
		return false
	}
	return true
}

// maxQuoted bounds how much of a value is echoed into an error message.
const maxQuoted = 200

func quote(s string) string {
	if len(s) > maxQuoted {
		return strconv.Quote(s[:maxQuoted]) + "…"
	}
	return strconv.Quote(s)
}

// setCE3 writes Visa Compelling Evidence 3.0 as Stripe's evidence[enhanced_evidence]
// [visa_compelling_evidence_3]: the disputed transaction's elements and the two prior ones.
func setCE3(form url.Values, ce3 *provider.VisaCE3) {
	const base = "evidence[enhanced_evidence][visa_compelling_evidence_3]"
	setCE3Transaction(form, base+"[disputed_transaction]", ce3.Disputed)
	form.Set(base+"[disputed_transaction][merchandise_or_services]", ce3.MerchandiseOrServices)
	for i, p := range ce3.Prior {
		setCE3Transaction(form, fmt.Sprintf("%s[prior_undisputed_transactions][%d]", base, i), p)
	}
}

func setCE3Transaction(form url.Values, prefix string, t provider.CE3Transaction) {
	set := func(value string, path ...string) {
		if value != "" {
			form.Set(prefix+"["+strings.Join(path, "][")+"]", value)
		}
	}
	set(t.Charge, "charge")
	set(t.CustomerAccountID, "customer_account_id")
	set(t.CustomerDeviceID, "customer_device_id")
	set(t.CustomerEmail, "customer_email_address")
	set(t.CustomerPurchaseIP, "customer_purchase_ip")
	set(t.ProductDescription, "product_description")
	if a := t.ShippingAddress; a != nil {
		set(a.Line1, "shipping_address", "line1")
		set(a.Line2, "shipping_address", "line2")
		set(a.City, "shipping_address", "city")
		set(a.State, "shipping_address", "state")
		set(a.PostalCode, "shipping_address", "postal_code")
		set(a.Country, "shipping_address", "country")
	}
}
