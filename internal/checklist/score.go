package checklist

// Status is where an item of a dispute's checklist stands.
type Status string

// The statuses.
const (
	Provided Status = "provided" // a person staged the field
	Compiled Status = "compiled" // the compiler staged it and nobody changed it since
	Missing  Status = "missing"
)

// Entry is an item of a dispute's checklist with where it stands.
type Entry struct {
	Item
	Status Status
}

// Result is a dispute's checklist and its completeness.
type Result struct {
	Entries []Entry
	// Completeness is 0 to 100: the share of the checklist's weight (required 3, recommended 2,
	// optional 1) that is provided or compiled, rounded down, so that 100 means every item is.
	Completeness int
}

// Evaluate scores a dispute's staged evidence (Stripe field → value; a file field holds an
// evidence item's id) against the checklist of its evidence category for the merchant's product
// type. sources are the fields the compiler filled (field → where the value came from): such a
// field is compiled rather than provided. Deterministic, and one allocation.
func Evaluate(category string, product ProductType, evidence, sources map[string]string) Result {
	items := Items(category, product)
	r := Result{Entries: make([]Entry, len(items))}
	total, have := 0, 0
	for i, it := range items {
		st := Missing
		if evidence[it.Field] != "" {
			st = Provided
			if sources[it.Field] != "" {
				st = Compiled
			}
			have += weights[it.Importance]
		}
		total += weights[it.Importance]
		r.Entries[i] = Entry{Item: it, Status: st}
	}
	if total > 0 {
		r.Completeness = have * 100 / total
	}
	return r
}
