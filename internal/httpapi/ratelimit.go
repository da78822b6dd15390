package httpapi

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"disputed/internal/clientaddr"
	"disputed/internal/fault"
)

// RateLimit is a token bucket: PerSecond requests a second on average, in bursts of up to Burst.
// The zero RateLimit is no limit.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

// throttleKey limits the requests of each API key. It runs after authentication, so that only a
// valid key has a bucket.
func (s *Server) throttleKey(next http.Handler) http.Handler {
	if s.keys == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := who(r.Context()); a.Kind == "key" {
			if wait := s.keys.take(a.ID); wait > 0 {
				tooManyRequests(w, wait, "too many requests with this API key")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// throttleAddress limits, per client address, what no API key pays for: requests to the public
// routes, and every request answered 401, so that guessing keys or forging provider signatures is
// slow. An address that has spent its allowance gets 429 before anything is checked, a valid key
// included: a guess that happens to be right gains nothing.
//
// Provider events are the exception: a verified event costs nothing, because a provider's burst
// (a day of events replayed at once) must be taken, not dropped; a forged one counts like any
// failed authentication.
func (s *Server) throttleAddress(next http.Handler) http.Handler {
	if s.addresses == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := clientaddr.Of(r)
		if wait := s.addresses.waitFor(addr); wait > 0 {
			tooManyRequests(w, wait, "too many requests without a valid API key from this address")
			return
		}
		_, pattern := s.mux.Handler(r)
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == http.StatusUnauthorized || (s.public[pattern] && !s.signed[pattern]) {
			s.addresses.charge(addr)
		}
	})
}

// tooManyRequests answers 429 with the whole seconds to wait in Retry-After.
func tooManyRequests(w http.ResponseWriter, wait time.Duration, msg string) {
	secs := strconv.Itoa(max(1, int(math.Ceil(wait.Seconds()))))
	w.Header().Set("Retry-After", secs)
	writeError(w, newAPIError(http.StatusTooManyRequests, fault.CodeRateLimited, "", msg+": retry in "+secs+" s"))
}

// Bounds on the buckets kept in memory.
const (
	// maxBuckets caps the buckets of one limiter; beyond it new clients share one bucket, so that
	// a flood from countless addresses is throttled as one instead of filling the memory.
	maxBuckets = 100_000
	// sweepEvery is how often full buckets are dropped.
	sweepEvery = time.Minute
)

// buckets keeps a token bucket per client (an API key id, or an address). A bucket that has been
// idle until it is full again is dropped at the next sweep: a new one starts full, so nobody
// notices.
type buckets struct {
	limit rate.Limit
	burst int
	now   func() time.Time

	mu       sync.Mutex
	byClient map[string]*rate.Limiter
	overflow *rate.Limiter
	swept    time.Time
}

// newBuckets returns the buckets of limit l, or nil when l is no limit.
func newBuckets(l RateLimit, now func() time.Time) *buckets {
	if l.PerSecond <= 0 {
		return nil
	}
	return &buckets{limit: rate.Limit(l.PerSecond), burst: l.Burst, now: now, byClient: map[string]*rate.Limiter{},
		overflow: rate.NewLimiter(rate.Limit(l.PerSecond), l.Burst), swept: now()}
}

// take spends a token of client's bucket and returns 0, or, when the bucket is empty, spends
// nothing and returns how long until it holds a token.
func (b *buckets) take(client string) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	res := b.bucket(client, true, now).ReserveN(now, 1)
	if wait := res.DelayFrom(now); wait > 0 {
		res.CancelAt(now)
		return wait
	}
	return 0
}

// charge spends a token of client's bucket even when it is empty, going into debt: for requests
// whose cost is known only once they were served.
func (b *buckets) charge(client string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	b.bucket(client, true, now).ReserveN(now, 1)
}

// waitFor returns how long until client's bucket holds a token (0 when it holds one now),
// spending nothing.
func (b *buckets) waitFor(client string) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	lim := b.bucket(client, false, now)
	if lim == nil {
		return 0
	}
	tokens := lim.TokensAt(now)
	if tokens >= 1 {
		return 0
	}
	return time.Duration((1 - tokens) / float64(b.limit) * float64(time.Second))
}

// bucket returns client's bucket (the shared one when there are too many), or nil when it has
// none and create is false; b.mu is held.
func (b *buckets) bucket(client string, create bool, now time.Time) *rate.Limiter {
	if now.Sub(b.swept) >= sweepEvery {
		for c, lim := range b.byClient {
			if lim.TokensAt(now) >= float64(b.burst) {
				delete(b.byClient, c)
			}
		}
		b.swept = now
	}
	if lim, ok := b.byClient[client]; ok {
		return lim
	}
	switch {
	case len(b.byClient) >= maxBuckets:
		return b.overflow
	case !create:
		return nil
	}
	lim := rate.NewLimiter(b.limit, b.burst)
	b.byClient[client] = lim
	return lim
}
