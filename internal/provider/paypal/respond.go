package paypal

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
	"time"
	"unicode/utf8"

	"disputed/internal/provider"
)

// ErrInvalidRequest means a call to PayPal was not made because it could not succeed however
// often it is retried: the credentials are missing or malformed, the API base is unusable, the
// dispute id is empty, or there is nothing PayPal accepts to send. It is provider.ErrPermanent.
var ErrInvalidRequest error = permanentError("paypal: request cannot be sent")

// permanentError is a sentinel that is also provider.ErrPermanent.
type permanentError string

func (e permanentError) Error() string { return string(e) }

func (e permanentError) Is(target error) bool { return target == provider.ErrPermanent }

// ErrNoEvidence means the evidence holds nothing PayPal takes: only empty values, or file fields
// naming files held elsewhere.
var ErrNoEvidence = fmt.Errorf("%w: no evidence to send", ErrInvalidRequest)

// APIError is PayPal's answer to a call that did not succeed.
type APIError struct {
	Status  int    // HTTP status
	Name    string // PayPal's error name (UNPROCESSABLE_ENTITY, invalid_client, …)
	Message string // PayPal's message, with the issues it listed
	DebugID string // quote it to PayPal's support
	// Permanent is set when retrying the same request cannot succeed: a 4xx other than 408
	// (timeout), 409 (conflict, e.g. a request with the same PayPal-Request-Id in progress) and
	// 429 (rate limit).
	Permanent bool
}

func (e *APIError) Error() string {
	s := "paypal: " + strconv.Itoa(e.Status)
	if e.Name != "" {
		s += " " + e.Name
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.DebugID != "" {
		s += " (debug_id " + e.DebugID + ")"
	}
	return s
}

// Is makes a permanent error provider.ErrPermanent, which is how the server, knowing no PayPal
// types, tells that retrying the call cannot help.
func (e *APIError) Is(target error) bool { return target == provider.ErrPermanent && e.Permanent }

const (
	// concedeNote is the note accept-claim requires; the merchant gave no reason of their own.
	concedeNote = "The merchant accepts the claim."
	// maxNotes is PayPal's limit on one evidence's notes, in characters.
	maxNotes = 2000
	// maxResponseBytes bounds what is read of PayPal's answers; they are small JSON documents.
	maxResponseBytes = 1 << 20
	// tokenMargin is how long before its expiry a token is replaced, so that it does not expire
	// between our check and PayPal's.
	tokenMargin = 5 * time.Minute
	// maxTokenLife caps expires_in, which PayPal sets to a few hours.
	maxTokenLife = 24 * time.Hour
)

// Concede accepts the claim (POST /v1/customer/disputes/{id}/accept-claim): PayPal closes the
// dispute in the buyer's favour and refunds the disputed amount.
func (p *PayPal) Concede(ctx context.Context, providerDisputeID string) error {
	path, err := disputePath(providerDisputeID, "accept-claim")
	if err != nil {
		return err
	}
	body, err := json.Marshal(struct {
		Note string `json:"note"`
	}{concedeNote})
	if err != nil {
		return err
	}
	_, err = p.post(ctx, path, "application/json", body, requestID("accept-claim", providerDisputeID, nil))
	return err
}

// TakesDocuments: PayPal's evidence is documents with notes, so a submission carries the packet.
func (p *PayPal) TakesDocuments() bool { return true }

// SendEvidence sends our evidence fields as PayPal evidences (POST
// /v1/customer/disputes/{id}/provide-evidence, multipart/form-data with a JSON "input" part),
// and its files as the documents of evidences of their own, one "evidence_file" part each. With
// a packet, the packet is the one document sent (an OTHER evidence): it holds the cover letter
// and every file already, and sending the files again would only weigh on PayPal's limits.
//
// PayPal has no staging: every provide-evidence is final for what it carries. So evidence that
// is not submitted yet (submit false) stays with us, and nothing is sent. A file field naming a
// file held elsewhere is skipped; when nothing is left, the error wraps ErrNoEvidence.
func (p *PayPal) SendEvidence(ctx context.Context, providerDisputeID string, evidence provider.Evidence, submit bool) error {
	if !submit {
		return nil
	}
	path, err := disputePath(providerDisputeID, "provide-evidence")
	if err != nil {
		return err
	}
	evs := buildEvidences(evidence.Fields)
	files := evidence.Files
	if evidence.Packet != nil {
		files = map[string]provider.File{packetField: *evidence.Packet}
	}
	docs, docEvs := fileEvidences(files)
	evs = append(evs, docEvs...)
	if len(evs) == 0 {
		return ErrNoEvidence
	}
	input, err := json.Marshal(struct {
		Evidences []evidenceJSON `json:"evidences"`
	}{evs})
	if err != nil {
		return err
	}
	h := sha256.New()
	h.Write(input)
	for _, d := range docs {
		h.Write(d.Data)
	}
	id := requestID("provide-evidence", providerDisputeID, h.Sum(nil))
	body, contentType, err := multipartInput(input, docs, id)
	if err != nil {
		return err
	}
	_, err = p.post(ctx, path, contentType, body, id)
	return err
}

// post makes one call with a bearer token and returns PayPal's answer to a success.
// PayPal-Request-Id makes the repeat that authorized may make safe.
func (p *PayPal) post(ctx context.Context, path, contentType string, body []byte, requestID string) ([]byte, error) {
	return p.authorized(ctx, "POST "+path, maxResponseBytes, func(base string) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("PayPal-Request-Id", requestID)
		return req, nil
	})
}

// authorized makes the request build returns (for the API base given) with a bearer token, and
// returns PayPal's answer to a success, read up to limit bytes; what names the call in errors.
// A 401 may mean the cached token was revoked early, so the call is tried once more with a new
// token.
func (p *PayPal) authorized(ctx context.Context, what string, limit int64, build func(base string) (*http.Request, error)) ([]byte, error) {
	base, err := p.checkedBase()
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		token, err := p.accessToken(ctx, base)
		if err != nil {
			return nil, err
		}
		req, err := build(base)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept", "application/json")
		status, data, err := p.do(req, limit)
		if err != nil {
			return nil, fmt.Errorf("paypal: %s: %w", what, err)
		}
		switch {
		case status >= 200 && status < 300:
			return data, nil
		case status == http.StatusUnauthorized && attempt == 0:
			if err := p.dropToken(ctx, token); err != nil {
				return nil, err
			}
			continue
		}
		return nil, apiError(status, data)
	}
}

// accessToken returns a cached OAuth2 token, or gets one with the client credentials.
func (p *PayPal) accessToken(ctx context.Context, base string) (string, error) {
	if err := p.lockToken(ctx); err != nil {
		return "", err
	}
	defer p.unlockToken()
	now := p.now()
	if p.token.value != "" && now.Before(p.token.refresh) {
		return p.token.value, nil
	}
	clientID, secret, ok := strings.Cut(p.cfg.APIKey, ":")
	if !ok || clientID == "" || secret == "" {
		return "", fmt.Errorf("%w: the api_key must be \"client_id:secret\"", ErrInvalidRequest)
	}
	form := url.Values{"grant_type": {"client_credentials"}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/oauth2/token", strings.NewReader(form))
	if err != nil {
		return "", err
	}
	req.SetBasicAuth(clientID, secret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	status, data, err := p.do(req, maxResponseBytes)
	if err != nil {
		return "", fmt.Errorf("paypal: getting an access token: %w", err)
	}
	if status != http.StatusOK {
		return "", apiError(status, data)
	}
	var tr struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	if err := json.Unmarshal(data, &tr); err != nil || tr.AccessToken == "" {
		return "", fmt.Errorf("paypal: the token endpoint answered without an access_token")
	}
	life := time.Duration(min(max(tr.ExpiresIn, 0), int64(maxTokenLife/time.Second))) * time.Second
	margin := min(tokenMargin, life/2)
	p.token = accessToken{value: tr.AccessToken, refresh: now.Add(life - margin)}
	return tr.AccessToken, nil
}

// dropToken forgets token unless another call has already replaced it.
func (p *PayPal) dropToken(ctx context.Context, token string) error {
	if err := p.lockToken(ctx); err != nil {
		return err
	}
	defer p.unlockToken()
	if p.token.value == token {
		p.token = accessToken{}
	}
	return nil
}

func (p *PayPal) lockToken(ctx context.Context) error {
	select {
	case p.tokenLock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *PayPal) unlockToken() { <-p.tokenLock }

// do sends req and reads its answer, up to limit bytes.
func (p *PayPal) do(req *http.Request, limit int64) (int, []byte, error) {
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, data, nil
}

// checkedBase refuses an API base that would send the credentials in clear text, except to
// this machine (a local mock of PayPal): provider.CheckAPIBase, also for a configuration saved
// before that rule.
func (p *PayPal) checkedBase() (string, error) {
	base := p.apiBase()
	if err := provider.CheckAPIBase(base); err != nil {
		return "", fmt.Errorf("%w: %w", ErrInvalidRequest, err)
	}
	return base, nil
}

func disputePath(id, action string) (string, error) {
	if strings.TrimSpace(id) == "" {
		return "", fmt.Errorf("%w: empty PayPal dispute id", ErrInvalidRequest)
	}
	return "/v1/customer/disputes/" + url.PathEscape(id) + "/" + action, nil
}

// requestID derives PayPal-Request-Id from what is sent, so that a retry of the same answer
// (after a timeout, or by the job runner) is recognised by PayPal instead of applied twice.
func requestID(action, disputeID string, payload []byte) string {
	h := sha256.New()
	h.Write([]byte(action))
	h.Write([]byte{0})
	h.Write([]byte(disputeID))
	h.Write([]byte{0})
	h.Write(payload)
	return "disputed-" + hex.EncodeToString(h.Sum(nil))[:40]
}

// apiError reads PayPal's error body: the REST shape (name, message, details, debug_id) or the
// OAuth2 one (error, error_description).
func apiError(status int, data []byte) *APIError {
	var b struct {
		Name    string `json:"name"`
		Message string `json:"message"`
		DebugID string `json:"debug_id"`
		Details []struct {
			Field       string `json:"field"`
			Issue       string `json:"issue"`
			Description string `json:"description"`
		} `json:"details"`
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	_ = json.Unmarshal(data, &b) // an unreadable body still makes an error, with the status
	e := &APIError{Status: status, Name: b.Name, Message: b.Message, DebugID: b.DebugID}
	if e.Name == "" {
		e.Name = b.Error
	}
	if e.Message == "" {
		e.Message = b.ErrorDescription
	}
	var issues []string
	for _, d := range b.Details {
		issue := strings.TrimSpace(d.Issue + " " + d.Field)
		if d.Description != "" {
			issue += ": " + d.Description
		}
		issues = append(issues, issue)
	}
	if len(issues) > 0 {
		e.Message = strings.TrimSpace(e.Message + " [" + strings.Join(issues, "; ") + "]")
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	// The text ends up in the timeline and the job: keep it storable (see provider.CleanText).
	e.Name, e.Message, e.DebugID = provider.CleanText(e.Name), provider.CleanText(e.Message), provider.CleanText(e.DebugID)
	e.Permanent = status >= 400 && status < 500 &&
		status != http.StatusRequestTimeout && status != http.StatusConflict && status != http.StatusTooManyRequests
	return e
}

// multipartInput is the provide-evidence body: one "input" part holding the JSON, then one
// "evidence_file" part a document. The boundary comes from the request id so that a retry sends
// the very same bytes.
func multipartInput(input []byte, docs []provider.File, boundary string) ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.SetBoundary(boundary); err != nil {
		return nil, "", err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="input"`)
	h.Set("Content-Type", "application/json")
	part, err := w.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	if _, err := part.Write(input); err != nil {
		return nil, "", err
	}
	for _, d := range docs {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": "evidence_file", "filename": d.Name}))
		h.Set("Content-Type", d.ContentType)
		part, err := w.CreatePart(h)
		if err != nil {
			return nil, "", err
		}
		if _, err := part.Write(d.Data); err != nil {
			return nil, "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// evidenceJSON is one entry of provide-evidence's "evidences".
type evidenceJSON struct {
	EvidenceType string        `json:"evidence_type"`
	EvidenceInfo *evidenceInfo `json:"evidence_info,omitempty"`
	Documents    []document    `json:"documents,omitempty"`
	Notes        string        `json:"notes"`
}

// document names one of the call's evidence_file parts.
type document struct {
	Name string `json:"name"`
}

type evidenceInfo struct {
	TrackingInfo []trackingInfo `json:"tracking_info"`
}

type trackingInfo struct {
	CarrierName      string `json:"carrier_name"`
	CarrierNameOther string `json:"carrier_name_other,omitempty"`
	TrackingNumber   string `json:"tracking_number"`
}

type evidenceField struct{ key, label string }

// shippingFields go to PROOF_OF_FULFILLMENT when there is a tracking number and a carrier (PayPal
// expects tracking_info with that type), else to OTHER.
var shippingFields = []evidenceField{
	{"shipping_carrier", "Carrier"},
	{"shipping_tracking_number", "Tracking number"},
	{"shipping_date", "Shipped on"},
	{"shipping_address", "Shipped to"},
}

// evidenceGroups are the PayPal evidence types our text fields go to, in the order sent. The
// labels make the notes readable to PayPal's agent, who sees only the notes.
var evidenceGroups = []struct {
	typ    string
	fields []evidenceField
}{
	// Our orders are service activations: proof of the service is the main answer to "not
	// received" and "unauthorised".
	{"PROOF_FOR_SOFTWARE_OR_SERVICE_DELIVERED", []evidenceField{
		{"service_date", "Service provided on"},
		{"access_activity_log", "Access and activity log"},
	}},
	{"ITEM_DESCRIPTION", []evidenceField{{"product_description", "Product or service"}}},
	{"DETAILS_OF_PURCHASE", []evidenceField{
		{"customer_name", "Customer name"},
		{"customer_email_address", "Customer email"},
		{"customer_purchase_ip", "Purchase IP address"},
		{"billing_address", "Billing address"},
	}},
	{"RETURN_POLICY", []evidenceField{
		{"refund_policy_disclosure", "Refund policy disclosure"},
		{"refund_refusal_explanation", "Why no refund was given"},
	}},
	// The terms of a recurring charge, including how to cancel, are the billing agreement.
	{"BILLING_AGREEMENT", []evidenceField{
		{"cancellation_policy_disclosure", "Cancellation policy disclosure"},
		{"cancellation_rebuttal", "Why the cancellation does not apply"},
	}},
	{"OTHER", []evidenceField{
		{"duplicate_charge_id", "The other payment"},
		{"duplicate_charge_explanation", "Why the payments are not duplicates"},
		{"uncategorized_text", "Additional information"},
	}},
}

// buildEvidences maps our text fields to PayPal evidences. Notes longer than PayPal's limit are
// split over several evidences of the same type rather than cut.
func buildEvidences(ev map[string]string) []evidenceJSON {
	value := func(k string) string { return strings.TrimSpace(ev[k]) }
	lines := func(fields []evidenceField) []string {
		var out []string
		for _, f := range fields {
			if v := value(f.key); v != "" {
				out = append(out, f.label+": "+v)
			}
		}
		return out
	}

	var out []evidenceJSON
	add := func(typ string, info *evidenceInfo, ls []string) {
		for _, n := range packNotes(ls, maxNotes) {
			out = append(out, evidenceJSON{EvidenceType: typ, EvidenceInfo: info, Notes: n})
		}
	}
	shipping := lines(shippingFields)
	carrier, tracking := value("shipping_carrier"), value("shipping_tracking_number")
	if carrier != "" && tracking != "" {
		// Our carrier is free text; PayPal's carrier_name is a closed list, which OTHER plus
		// the name always satisfies.
		info := &evidenceInfo{TrackingInfo: []trackingInfo{{CarrierName: "OTHER", CarrierNameOther: carrier, TrackingNumber: tracking}}}
		add("PROOF_OF_FULFILLMENT", info, shipping)
		shipping = nil
	}
	for _, g := range evidenceGroups {
		ls := lines(g.fields)
		if g.typ == "OTHER" {
			ls = append(shipping, ls...)
		}
		add(g.typ, nil, ls)
	}
	return out
}

// packNotes joins lines with newlines into notes of at most max characters, splitting a line
// that is longer than max on its own.
func packNotes(lines []string, max int) []string {
	var out []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if curLen > 0 {
			out = append(out, cur.String())
			cur.Reset()
			curLen = 0
		}
	}
	for _, l := range lines {
		n := utf8.RuneCountInString(l)
		if n > max {
			flush()
			for l != "" {
				cut := len(l)
				if utf8.RuneCountInString(l) > max {
					cut = byteOffset(l, max)
				}
				out = append(out, l[:cut])
				l = l[cut:]
			}
			continue
		}
		if curLen > 0 && curLen+1+n > max {
			flush()
		}
		if curLen > 0 {
			cur.WriteByte('\n')
			curLen++
		}
		cur.WriteString(l)
		curLen += n
	}
	flush()
	return out
}

// byteOffset is the byte index of the n-th rune of s.
func byteOffset(s string, n int) int {
	i := 0
	for k := range s {
		if i == n {
			return k
		}
		i++
	}
	return len(s)
}

// fileFields are the PayPal evidence types (developer.paypal.com/api/customer-disputes/v1/
// definitions/evidence_type) our file fields go to, with a label for the notes PayPal's agent
// reads beside the document; a field not listed goes to OTHER.
var fileFields = map[string]evidenceField{
	"receipt":                        {"PROOF_OF_RECEIPT_COPY", "Receipt"},
	"refund_policy":                  {"RETURN_POLICY", "Refund policy"},
	"cancellation_policy":            {"BILLING_AGREEMENT", "Cancellation policy"},
	"service_documentation":          {"PROOF_FOR_SOFTWARE_OR_SERVICE_DELIVERED", "Proof of the service"},
	"shipping_documentation":         {"ADDITIONAL_PROOF_OF_SHIPMENT", "Shipping documentation"},
	"customer_communication":         {"OTHER", "Communication with the customer"},
	"customer_signature":             {"PROOF_OF_DELIVERY_SIGNATURE", "The customer's signature"},
	"duplicate_charge_documentation": {"OTHER", "The other payment"},
	"uncategorized_file":             {"OTHER", "Additional document"},
	packetField:                      {"OTHER", "Cover letter and every exhibit"},
}

// fileEvidences makes one evidence a file, its document named uniquely within the call (PayPal
// matches a document to its part by name), in the order of the fields.
// packetField is the name the packet goes under among the files: an OTHER evidence.
const packetField = "evidence_packet"

func fileEvidences(files map[string]provider.File) ([]provider.File, []evidenceJSON) {
	var docs []provider.File
	var evs []evidenceJSON
	used := map[string]bool{}
	for _, field := range slices.Sorted(maps.Keys(files)) {
		f := files[field]
		name := f.Name
		if used[name] {
			name = field + "-" + name
		}
		used[name] = true
		f.Name = name
		to, ok := fileFields[field]
		if !ok {
			to = evidenceField{"OTHER", field}
		}
		docs = append(docs, f)
		evs = append(evs, evidenceJSON{EvidenceType: to.key, Documents: []document{{Name: name}}, Notes: to.label + ": " + name})
	}
	return docs, evs
}
