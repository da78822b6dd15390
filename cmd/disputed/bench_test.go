package main

import (
	"fmt"
	"testing"
)

// BenchmarkChargebackLifecycle measures one chargeback through the API on SQLite: open it on a
// charge, stage and submit evidence, resolve it won (4 requests, each one database transaction
// with its timeline entry and events).
func BenchmarkChargebackLifecycle(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			s := startServer(b, kind, nil)
			charges := make([]string, b.N)
			for i := range charges {
				_, _, charges[i] = s.sale(1000, "USD")
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charges[i]})
				id := d.str("id")
				s.post("/v1/disputes/"+id, map[string]any{"revision": d.num("revision"), "evidence": map[string]any{"uncategorized_text": "proof"}, "submit": true})
				if r := s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "won"}); r.status != 200 {
					b.Fatal(fmt.Sprint(r.status, string(r.raw)))
				}
			}
		})
	}
}
