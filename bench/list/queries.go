package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"disputed/bench/internal/report"
)

// query is one way of listing disputes: path gives the request's path and query for its i-th
// run, so that the filters that take an id are measured with many different ones.
type query struct {
	name string
	path func(i int) string
	key  string // the API key; empty for the admin's
}

// queries are the list filters of GET /v1/disputes (api.md), each on its own, with values that
// match many rows, few rows, or one.
func queries(s samples, buyerKey string) []query {
	at := func(list []string, i int) string { return url.QueryEscape(list[i%len(list)]) }
	fixed := func(p string) func(int) string { return func(int) string { return p } }
	soon := s.now.Add(7 * 24 * time.Hour).Format(time.RFC3339)
	early := s.now.Add(-span + 30*24*time.Hour).Format(time.RFC3339)
	return []query{
		{name: "no filter", path: fixed("/v1/disputes")},
		{name: "limit=100", path: fixed("/v1/disputes?limit=100")},
		{name: "status=won (many)", path: fixed("/v1/disputes?status=won")},
		{name: "status=needs_response (few, recent)", path: fixed("/v1/disputes?status=needs_response")},
		{name: "type=chargeback (many)", path: fixed("/v1/disputes?type=chargeback")},
		{name: "type=manual (5 %)", path: fixed("/v1/disputes?type=manual")},
		{name: "status and type", path: fixed("/v1/disputes?status=under_review&type=manual")},
		{name: "order_id", path: func(i int) string { return "/v1/disputes?order_id=" + at(s.orders, i) }},
		{name: "transaction_id", path: func(i int) string { return "/v1/disputes?transaction_id=" + at(s.charges, i) }},
		{name: "customer_id", path: func(i int) string { return "/v1/disputes?customer_id=" + at(s.customers, i) }},
		{name: "customer_id and status", path: func(i int) string {
			return "/v1/disputes?status=lost&customer_id=" + at(s.losers, i)
		}},
		{name: "due_before next week (many)", path: fixed("/v1/disputes?due_before=" + url.QueryEscape(soon))},
		{name: "due_before in the first month (few, oldest)", path: fixed("/v1/disputes?due_before=" + url.QueryEscape(early))},
		{name: "tag=vip (10 %)", path: fixed("/v1/disputes?tag=vip")},
		{name: "tag=fraud-ring (1 %)", path: fixed("/v1/disputes?tag=fraud-ring")},
		{name: "q=fraud (many)", path: fixed("/v1/disputes?q=fraud")},
		{name: "q=case number (one)", path: func(i int) string { return "/v1/disputes?q=" + at(s.caseNumbers, i) }},
		{name: "q=dispute id (one)", path: func(i int) string { return "/v1/disputes?q=" + at(s.disputes, i) }},
		// Filters that match a few old disputes, which no index narrows: the walk newest first
		// reads up to its bound (README, Limits) before it answers.
		{name: "q=the oldest case number (the walk)", path: fixed("/v1/disputes?q=C-00000000")},
		{name: "due_before in the first month and status=won", path: fixed("/v1/disputes?status=won&due_before=" + url.QueryEscape(early))},
		{name: "buyer key (own disputes)", path: fixed("/v1/disputes"), key: buyerKey},
	}
}

// page is the part of a list answer the benchmark reads.
type page struct {
	Data []struct {
		ID string `json:"id"`
	} `json:"data"`
	NextCursor *string `json:"next_cursor"`
	// ReadBoundReached: the server stopped at its bound of disputes read, maybe with none.
	ReadBoundReached bool `json:"read_bound_reached"`
}

// client sends list requests to the server and times them.
type client struct {
	http     *http.Client
	base     string
	adminKey string
}

// get sends one list request and returns its page and how long it took, from sending to the
// last byte of the body.
func (c *client) get(path, key string) (page, time.Duration, error) {
	var p page
	took, err := c.fetch(path, key, &p)
	return p, took, err
}

// fetch sends a GET with key (the admin's when empty), decodes the JSON answer into out and
// returns how long it took; any status but 200 is an error.
func (c *client) fetch(path, key string, out any) (time.Duration, error) {
	if key == "" {
		key = c.adminKey
	}
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	start := time.Now()
	res, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	body, err := io.ReadAll(res.Body)
	took := time.Since(start)
	res.Body.Close()
	if err != nil {
		return 0, err
	}
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: %d %s", path, res.StatusCode, body)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return 0, fmt.Errorf("GET %s: %w", path, err)
	}
	return took, nil
}

// An answer is what a measurement reads of one request's answer: how many disputes it listed,
// whether it stopped at the server's bound of disputes read, and how long it took.
type answer struct {
	found   int
	stopped bool
	took    time.Duration
}

// apiAnswer sends q's i-th request to the API.
func (c *client) apiAnswer(q query) func(i int) (answer, error) {
	return func(i int) (answer, error) {
		p, took, err := c.get(q.path(i), q.key)
		return answer{found: len(p.Data), stopped: p.ReadBoundReached, took: took}, err
	}
}

// measure sends a request n times (send gives the i-th's answer), after a few that warm the
// caches, and returns the latencies, how many disputes the first answer held (to show that the
// filter matched) and how many answers stopped at the server's bound of disputes read. A query
// that has taken budget stops early, after at least minRuns runs: its p99 is its slowest then.
func measure(send func(i int) (answer, error), n int, budget time.Duration) (report.Latencies, int, int, error) {
	const minRuns = 10
	var lat report.Latencies
	found, stopped := 0, 0
	start := time.Now()
	for i := -5; i < n && (i < minRuns || time.Since(start) < budget); i++ {
		a, err := send(max(i, 0))
		if err != nil {
			return nil, 0, 0, err
		}
		if i == 0 {
			found = a.found
		}
		if i >= 0 {
			lat = append(lat, a.took)
			if a.stopped {
				stopped++
			}
		}
	}
	return lat, found, stopped, nil
}
