package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"disputed/bench/internal/report"
)

// send delivers every block's events with clients concurrent senders, each block's in order and
// each event after the previous one was acknowledged, as a provider does; client c takes blocks
// c, c+clients, c+2×clients … and sends them to the server bases[c % len(bases)]. It returns
// every acknowledgement's latency and the time from the first send to the last
// acknowledgement; acked, when not nil, is told of each event acknowledged. Any answer but 200
// ends the run.
func send(ctx context.Context, hc *http.Client, bases []string, blocks [][]webhook, clients int, acked func(webhook)) (report.Latencies, time.Duration, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	lat := make([]report.Latencies, clients)
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		wg.Go(func() {
			base := bases[c%len(bases)]
			for k := c; k < len(blocks); k += clients {
				for _, w := range blocks[k] {
					took, err := post(ctx, hc, base, w)
					if err != nil {
						cancel(fmt.Errorf("block %d: %w", k, err))
						return
					}
					lat[c] = append(lat[c], took)
					if acked != nil {
						acked(w)
					}
				}
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	if err := context.Cause(ctx); err != nil {
		return nil, 0, err
	}
	var all report.Latencies
	for _, l := range lat {
		all = append(all, l...)
	}
	return all, took, nil
}

// post sends one event, signed now, and returns how long the acknowledgement took to arrive.
func post(ctx context.Context, hc *http.Client, base string, w webhook) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+webhookPath, bytes.NewReader(w.body))
	if err != nil {
		return 0, err
	}
	start := time.Now()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", w.signed(start))
	res, err := hc.Do(req)
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
		return 0, fmt.Errorf("%s: %d %s", webhookPath, res.StatusCode, body)
	}
	return took, nil
}
