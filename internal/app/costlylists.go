package app

import (
	"context"
	"strconv"
	"sync"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// A dispute list whose filters no index narrows (a text query, an extended field, the order by
// amount, a due date over every dispute) may read many disputes to fill its page: at a million
// disputes, sixteen such lists sent at once by one caller slowed every other caller's lists
// from 3 ms to 4.7 s. Each caller (an API key, a user, an app) may have costlyListsAtOnce of
// them in flight; one more is answered 429 at once, naming the filter, and reads nothing.
const costlyListsAtOnce = 2

// A dispute list that walks an index, checking its filters on the rows the index yields, reads
// at most listReadAtMost disputes per request (Options.ListReadAtMost), the offset's included,
// the transaction list as many transactions (a rare kind, provider, card network or channel),
// and the job, provider event, order, customer and event lists as many (a rare kind; a rare
// provider or state; a filter after the first, checked on the rows the first's index yields; a
// deep page, whose offset counts in the bound):
// a filter that matches a few old disputes had walked the whole table (1.7 s for a case number at
// a million disputes on SQLite). Past the bound the list answers the matches it found, maybe
// none, with the cursor of the last dispute it read (DisputePage.Stopped). Reading 20,000
// disputes takes 35–40 ms on SQLite at a million (BENCHMARKS.md, the row bound), a few times a
// list an index serves, while a filter that matches one dispute in a thousand still fills a
// page of 20; the 50 requests that walk a million cost what the one walk did.
const listReadAtMost = 20_000

// OffsetWithin is the one rule of the lists still read by offset, LIMIT and OFFSET with no walk
// (the actor timeline, webhook deliveries, the block list, the exchange rates, a line's
// activity, a dispute's evidence, a provider's imports, the API keys): a page that starts past
// the bound of rows a list reads (Options.ListReadAtMost) is refused, 422 invalid_value naming
// page, for a deep OFFSET reads every row it skips (page=20000 of 100 read two million). cursors
// tells that the list has cursors, which the refusal points to beside its filters (the UI's
// pages go by number: there, the filters are the way): a page after a cursor has no offset and
// goes as deep as any.
func (a *App) OffsetWithin(p store.Page, cursors bool) error {
	if p.Offset < a.listReadAtMost {
		return nil
	}
	msg := "the page starts past the " + ordinal(a.listReadAtMost) + " row"
	if cursors {
		msg += "; narrow the list with its filters, or read on with next_cursor rather than page numbers"
	}
	return fault.Invalidf(fault.CodeInvalidValue, "page", "%s", msg)
}

// ordinal writes n as an ordinal with its thousands grouped: 20,000th, 1st, 22nd.
func ordinal(n int) string {
	digits := strconv.Itoa(n)
	var b []byte
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, digits[i])
	}
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return string(b) + suffix
}

// listsInFlight counts each caller's costly lists being read.
type listsInFlight struct {
	mu       sync.Mutex
	byCaller map[string]int
}

// enter counts one more list of caller, unless caller has costlyListsAtOnce in flight.
func (l *listsInFlight) enter(caller string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byCaller[caller] >= costlyListsAtOnce {
		return false
	}
	if l.byCaller == nil {
		l.byCaller = map[string]int{}
	}
	l.byCaller[caller]++
	return true
}

// leave counts one list of caller less.
func (l *listsInFlight) leave(caller string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byCaller[caller]--; l.byCaller[caller] <= 0 {
		delete(l.byCaller, caller)
	}
}

// costlyFilter names the parameter of the filter of f, or of the extended fields filter still to
// be parsed, that makes its list costly, or "".
func costlyFilter(f store.DisputeFilter, extended map[string]string) string {
	switch {
	case f.Query != "":
		return "q"
	case len(f.ExtendedFields) > 0 || len(extended) > 0:
		return "extended_fields"
	case f.Sort == store.SortAmount:
		return "sort"
	case !f.DueBefore.IsZero() && !f.OpenOnly: // the open disputes' due dates have their own index
		return "due_before"
	}
	return ""
}

// listDisputes is the store's list of disputes for who, within who's costly lists in flight and
// the bound of disputes a list reads.
func (a *App) listDisputes(ctx context.Context, who actor.Actor, f store.DisputeFilter) (store.DisputeWalk, error) {
	ctx, release, err := a.holdCostlyList(ctx, who, costlyFilter(f, nil))
	if err != nil {
		return store.DisputeWalk{}, err
	}
	defer release()
	return a.store.WalkDisputes(ctx, f, a.listReadAtMost)
}

// holdCostlyList counts a list among who's costly lists in flight, when param names the filter
// that makes it costly (costlyFilter), until release; one more than costlyListsAtOnce is
// answered 429 naming the filter. The returned ctx holds the count, so that the pages read
// under it (an export's) take no more: an export is one list in flight however many pages it
// reads, and is not cut off half-way by another list taking the last place between two of its
// pages.
func (a *App) holdCostlyList(ctx context.Context, who actor.Actor, param string) (_ context.Context, release func(), _ error) {
	if param == "" || ctx.Value(costlyListHeld{}) != nil {
		return ctx, func() {}, nil
	}
	caller := who.String()
	if !a.costlyLists.enter(caller) {
		return ctx, nil, fault.New(fault.RateLimited, fault.CodeTooManyInFlight, param,
			"%s: at most %d lists with such a filter at once for one caller; retry when one has answered", param, costlyListsAtOnce)
	}
	return context.WithValue(ctx, costlyListHeld{}, true), func() { a.costlyLists.leave(caller) }, nil
}

// costlyListHeld marks a context whose list is counted among its caller's costly lists.
type costlyListHeld struct{}
