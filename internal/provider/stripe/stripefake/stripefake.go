// Package stripefake serves Stripe's list APIs (charges, refunds, disputes, early fraud
// warnings) from objects a test gives it, with the pagination stripe-mock cannot show: it keeps
// no state, so its lists have one object and never a second page. Lists answer newest first,
// honour limit, starting_after and created[gte], and check the secret key, as Stripe does.
package stripefake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// The list paths, as Stripe names them.
const (
	Charges            = "/v1/charges"
	Refunds            = "/v1/refunds"
	Disputes           = "/v1/disputes"
	EarlyFraudWarnings = "/v1/radar/early_fraud_warnings"
)

// Lists is an http.Handler serving the lists. Set its fields before serving.
type Lists struct {
	APIKey string // the secret key a request must carry
	// Delay is slept before each page is answered, so that a test can stop an import mid-way.
	Delay time.Duration
	// Fail, when it returns a status other than 0, answers a request with that status and a
	// Stripe error body instead of the page.
	Fail func(r *http.Request) int

	mu      sync.Mutex
	objects map[string][]map[string]any // by path, newest first
	asked   []string                    // path?query of each request
}

// Add appends objects to the list at path; each needs an "id" and a "created" (Unix seconds),
// and objects are given oldest first.
func (l *Lists) Add(path string, objects ...map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.objects == nil {
		l.objects = map[string][]map[string]any{}
	}
	for _, o := range objects {
		l.objects[path] = slices.Insert(l.objects[path], 0, o)
	}
}

// Asked returns the requests answered so far, as path?query.
func (l *Lists) Asked() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.asked)
}

func (l *Lists) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	l.asked = append(l.asked, r.URL.Path+"?"+r.URL.RawQuery)
	objects, known := l.objects[r.URL.Path]
	l.mu.Unlock()
	switch {
	case r.Header.Get("Authorization") != "Bearer "+l.APIKey:
		fail(w, http.StatusUnauthorized, "Invalid API Key provided")
		return
	case l.Fail != nil && l.Fail(r) != 0:
		fail(w, l.Fail(r), "the test made this request fail")
		return
	case r.Method != http.MethodGet || !known && !listPath(r.URL.Path):
		fail(w, http.StatusNotFound, "Unrecognized request URL")
		return
	}
	time.Sleep(l.Delay)
	q := r.URL.Query()
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit < 1 || limit > 100 {
		fail(w, http.StatusBadRequest, "limit must be 1 to 100")
		return
	}
	var since int64
	if s := q.Get("created[gte]"); s != "" {
		if since, err = strconv.ParseInt(s, 10, 64); err != nil {
			fail(w, http.StatusBadRequest, "created[gte] must be a Unix time")
			return
		}
	}
	var matching []map[string]any
	for _, o := range objects {
		if created, _ := o["created"].(int64); created >= since {
			matching = append(matching, o)
		}
	}
	if after := q.Get("starting_after"); after != "" {
		i := slices.IndexFunc(matching, func(o map[string]any) bool { return o["id"] == after })
		if i < 0 {
			fail(w, http.StatusBadRequest, "No such object: "+after)
			return
		}
		matching = matching[i+1:]
	}
	page := matching[:min(limit, len(matching))]
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "url": r.URL.Path, "data": nonNil(page),
		"has_more": len(matching) > len(page)})
}

func listPath(path string) bool {
	return path == Charges || path == Refunds || path == Disputes || path == EarlyFraudWarnings
}

func nonNil(page []map[string]any) []map[string]any {
	if page == nil {
		return []map[string]any{}
	}
	return page
}

func fail(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"type": "invalid_request_error",
		"message": fmt.Sprintf("%s (%d)", message, status)}})
}

// Charge is a succeeded charge of amount minor units of USD.
func Charge(id string, created int64, amount int64) map[string]any {
	return map[string]any{"id": id, "object": "charge", "amount": amount, "amount_captured": amount, "amount_refunded": int64(0),
		"currency": "usd", "captured": true, "paid": true, "status": "succeeded", "created": created, "livemode": false,
		"metadata": map[string]any{}}
}

// Dispute is a chargeback needing a response on charge.
func Dispute(id, charge string, created int64, amount int64) map[string]any {
	return map[string]any{"id": id, "object": "dispute", "amount": amount, "currency": "usd", "charge": charge,
		"created": created, "status": "needs_response", "reason": "fraudulent", "livemode": false,
		"evidence_details": map[string]any{"due_by": created + 14*86400, "has_evidence": false, "past_due": false, "submission_count": 0}}
}
