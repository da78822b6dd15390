// Package id makes the opaque identifiers of every object: a type prefix ("dsp_", "ord_", …) and
// 26 characters that sort in creation order (a millisecond timestamp and a random tail, as in
// ULID), so that entries written in one transaction keep their order when listed.
package id

import (
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"
)

// crockford is Crockford's base32 in lower case: URL-safe, no look-alike letters.
const crockford = "0123456789abcdefghjkmnpqrstvwxyz"

// Generator makes identifiers. Within one millisecond it increments the random tail instead of
// drawing a new one, so identifiers from one generator are strictly increasing.
type Generator struct {
	mu       sync.Mutex
	lastMS   uint64
	lastHigh uint16 // top 16 of the 80 random bits
	lastLow  uint64 // low 64 of the 80 random bits
	now      func() time.Time
}

// NewGenerator returns a generator reading time from now (time.Now when nil).
func NewGenerator(now func() time.Time) *Generator {
	if now == nil {
		now = time.Now
	}
	return &Generator{now: now}
}

// New returns prefix + "_" + a fresh identifier.
func (g *Generator) New(prefix string) string {
	g.mu.Lock()
	ms := uint64(g.now().UnixMilli())
	if ms <= g.lastMS {
		ms = g.lastMS
		g.lastLow++
		if g.lastLow == 0 {
			g.lastHigh++
		}
	} else {
		var b [10]byte
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
		g.lastMS, g.lastHigh, g.lastLow = ms, binary.BigEndian.Uint16(b[:2]), binary.BigEndian.Uint64(b[2:])
	}
	high, low := g.lastHigh, g.lastLow
	g.mu.Unlock()
	return prefix + "_" + encode(ms, high, low)
}

// encode writes 48 bits of time and 80 bits of randomness as 26 base32 characters (130 bits, the
// top two always zero).
func encode(ms uint64, high uint16, low uint64) string {
	var out [26]byte
	// 128-bit value: hi64 = ms<<16 | high, lo64 = low.
	hi := ms<<16 | uint64(high)
	lo := low
	for i := 25; i >= 0; i-- {
		out[i] = crockford[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	return string(out[:])
}
