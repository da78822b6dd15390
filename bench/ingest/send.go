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
// c, c+clients, c+2×clients … and sends them to the server bases[c % len(bases)]. With rate > 0
// the events go out at rate a second in all (paced), else as fast as the clients are answered.
// It returns every acknowledgement's latency and the time from the first send to the last
// acknowledgement; acked, when not nil, is told of each event acknowledged. Any answer but 200
// ends the run.
func send(ctx context.Context, hc *http.Client, bases []string, blocks [][]webhook, clients int, rate float64, acked func(webhook)) (report.Latencies, time.Duration, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	lat := make([]report.Latencies, clients)
	var wg sync.WaitGroup
	start := time.Now()
	turn := pace(ctx, rate, start)
	for c := range clients {
		wg.Go(func() {
			base := bases[c%len(bases)]
			for k := c; k < len(blocks); k += clients {
				for _, w := range blocks[k] {
					if err := turn(); err != nil {
						cancel(err)
						return
					}
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

// pace returns what a sender calls before each event: at once when rate is 0; else it waits
// for the event's turn, the events' turns coming at rate a second from start on. A sender held
// up by a slow answer sends its late events at once, as a provider's queue does, up to a second
// of them.
func pace(ctx context.Context, rate float64, start time.Time) func() error {
	if rate <= 0 {
		return func() error { return nil }
	}
	turns := make(chan struct{}, int(rate))
	go func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		given := 0
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-tick.C:
				for due := int(now.Sub(start).Seconds() * rate); given < due; given++ {
					select {
					case turns <- struct{}{}:
					case <-ctx.Done():
						return
					}
				}
			}
		}
	}()
	return func() error {
		select {
		case <-turns:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
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
