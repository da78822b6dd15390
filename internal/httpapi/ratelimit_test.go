package httpapi

import (
	"strconv"
	"testing"
	"time"
)

// TestBucketsAreDroppedOnceFull: a client's bucket lives while it would limit the client and is
// dropped once idle and full again, so that the buckets do not grow with every client ever seen.
func TestBucketsAreDroppedOnceFull(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	b := newBuckets(RateLimit{PerSecond: 0.1, Burst: 10}, func() time.Time { return now }) // full again 10 s after each token
	for i := range 1000 {
		if wait := b.take("client-" + strconv.Itoa(i)); wait != 0 {
			t.Fatalf("a new client waits %v", wait)
		}
	}
	for range 10 {
		b.take("busy")
	}
	if wait := b.take("busy"); wait <= 0 {
		t.Fatal("a client over its burst was not held back")
	}
	busy := b.byClient["busy"]
	now = now.Add(sweepEvery + 2*time.Second) // the 1,000 are full again; "busy" holds 6 tokens of 10
	b.charge("busy")
	if len(b.byClient) != 1 || b.byClient["busy"] != busy {
		t.Fatalf("after the sweep %d buckets are kept, want only the one still in use", len(b.byClient))
	}
}

// TestBucketsBeyondTheCapShareOne: past maxBuckets new clients share one bucket, so that a flood
// from countless addresses is limited as one.
func TestBucketsBeyondTheCapShareOne(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	b := newBuckets(RateLimit{PerSecond: 1, Burst: 2}, func() time.Time { return now })
	for i := range maxBuckets {
		b.charge("10.0." + strconv.Itoa(i))
	}
	b.take("newcomer-1")
	b.take("newcomer-2")
	if wait := b.take("newcomer-3"); wait <= 0 {
		t.Fatal("clients beyond the cap each got a bucket of their own")
	}
	if wait := b.waitFor("newcomer-4"); wait <= 0 {
		t.Fatal("a client beyond the cap is not held back by the shared bucket")
	}
	if len(b.byClient) != maxBuckets {
		t.Fatalf("%d buckets, want the cap of %d", len(b.byClient), maxBuckets)
	}
}
