package dispute

import (
	"maps"
	"strings"
	"time"

	"disputed/internal/fault"
)

// StageCompiled stages what the evidence compiler found: fields (Stripe field → value; a file
// field holds an evidence item's id) with sources, where each value came from ("order ord_…",
// "settings", "line activity"). It never overwrites what a person wrote: a field is staged only
// when it is empty or still holds the compiler's value, so that compiling again refreshes its own
// work and nothing else. Empty values are skipped (the compiler found nothing). It is one change:
// one revision and one timeline entry naming the fields and their sources; an empty Change when
// nothing changed. A refused call leaves the dispute as it was.
func (d *Dispute) StageCompiled(fields, sources map[string]string, now time.Time) (Change, error) {
	if Ended(d.Status) {
		return Change{}, fault.InvalidState(string(d.Status), "compile evidence")
	}
	keys, err := d.evidenceKeys(fields)
	if err != nil {
		return Change{}, err
	}
	evidence, from := maps.Clone(d.Evidence), maps.Clone(d.EvidenceSources)
	if evidence == nil {
		evidence = map[string]string{}
	}
	if from == nil {
		from = map[string]string{}
	}
	var staged []string
	for _, k := range keys {
		v, src := fields[k], strings.TrimSpace(sources[k])
		if v == "" {
			continue
		}
		if src == "" {
			return Change{}, fault.Invalidf(fault.CodeParameterMissing, "evidence_sources."+k, "a compiled field needs its source")
		}
		if evidence[k] != "" && from[k] == "" {
			continue // a person's value
		}
		if evidence[k] == v && from[k] == src {
			continue
		}
		evidence[k], from[k] = v, src
		staged = append(staged, k+" ("+src+")")
	}
	if len(staged) == 0 {
		return Change{}, nil
	}
	d.Evidence, d.EvidenceSources = evidence, from
	d.touch(now)
	return Change{Action: "updated", From: d.Status, To: d.Status, Note: "Evidence compiled: " + strings.Join(staged, ", "),
		Events: []string{"dispute.updated"}}, nil
}
