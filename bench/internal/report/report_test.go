package report

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestPercentileIsTheNearestRank(t *testing.T) {
	var l Latencies
	for i := 100; i >= 1; i-- { // unsorted on purpose
		l = append(l, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{0.5: 50 * time.Millisecond, 0.95: 95 * time.Millisecond,
		0.99: 99 * time.Millisecond, 1: 100 * time.Millisecond, 0: time.Millisecond} {
		if got := l.Percentile(p); got != want {
			t.Errorf("p%v = %v, want %v", p*100, got, want)
		}
	}
	if l[0] != 100*time.Millisecond {
		t.Error("Percentile sorted the caller's slice")
	}
	if got := (Latencies{}).Percentile(0.5); got != 0 {
		t.Errorf("no latencies: %v", got)
	}
}

func TestFiguresRoundTripAndMakeOneTable(t *testing.T) {
	r := Report{Bench: "ingest", Store: "sqlite"}
	r.AtLeast("events/s", 5234.4, "/s", 5000)
	r.Below("p99 ack latency", 23.456, "ms", 20)
	r.Add("events", 30000, "")
	if !r.Missed() {
		t.Error("a missed target is not reported as missed")
	}
	var out bytes.Buffer
	if err := r.Write(&out, true); err != nil {
		t.Fatal(err)
	}
	out.WriteString("a line of progress that is not a figure\n")
	figs, err := Read(&out)
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	if err := Table(&table, figs); err != nil {
		t.Fatal(err)
	}
	want := `| bench | store | figure | value | target | met? |
| --- | --- | --- | ---: | --- | --- |
| ingest | sqlite | events/s | 5,234 /s | ≥ 5,000 /s | yes |
| ingest | sqlite | p99 ack latency | 23.5 ms | < 20 ms | no |
| ingest | sqlite | events | 30,000 |  |  |
`
	if got := table.String(); got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
	if strings.Contains(table.String(), "progress") {
		t.Error("a line that is not a figure was read as one")
	}
}
