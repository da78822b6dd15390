package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"sync"
	"time"

	"disputed/internal/store"
	"disputed/internal/store/searchwords"
)

// A trigram index finds a text by all of its trigrams, and reads the whole list of rows of each:
// a trigram that most disputes hold ("dsp", "_01", "000" in every id and ARN) costs as much as
// reading a third of the index, for nothing, since it tells them apart from none: at 200,000
// disputes on SQLite, q=case number took 10.8 ms (p50) for that reason, 1.5 ms asked for the
// part of it that is not common; PostgreSQL's GIN scans alike. So the q filter asks the index
// first for the runs of its trigrams that are not common, told from a sample of the newest
// disputes' search texts (fewSearched). The newest tell what is common lately: a trigram common
// among older disputes only (numbers given in sequence) is still asked for, at its cost.

const (
	searchSampleSize = 1000        // the newest disputes whose search texts are the sample
	searchSampleAge  = time.Minute // how long a sample serves before it is read again
	commonPercent    = 10          // a trigram held by more of the sample than this is common
	keyTrigrams      = 8           // the most trigrams of a text the index is asked for
	// walkPercent: a text that this share of the newest disputes holds is looked for along the
	// newest-first walk, which finds a page of 50 within the newest 5,000 (the most the store
	// sorts), without asking the index (PostgreSQL's would gather every row that holds it first).
	walkPercent = 1
)

// searchSample is the newest disputes' search texts, and the trigrams they hold.
type searchSample struct {
	read  time.Time
	texts []string       // fewer than searchSampleSize when the table holds fewer
	held  map[string]int // how many of them hold each trigram
}

// searchSamples keeps a store's samples, shared by its connections: the disputes' search texts,
// and the customers' emails and names, which the admin UI's search also reads.
type searchSamples struct {
	mu                  sync.Mutex
	disputes, customers searchSample
}

// The queries of the samples: the newest rows' texts (a customer's id orders by time, and is
// the key the table is kept in order of).
const (
	disputesSample  = "SELECT search FROM disputes ORDER BY created_at DESC, id DESC LIMIT $1"
	customersSample = "SELECT email || ' ' || name FROM customers ORDER BY id DESC LIMIT $1"
)

// fewSearched tells whether the indexes yield few enough rows for f's query to be read through
// them (a count, stopped at sortAtMost, tells), and what to ask them for. For the API's q: the
// words that start with a part of it that every text holding it starts a word with
// (searchwords.Range: a case number, an id), else the runs of its trigrams that are not common
// (uncommonRuns), which cost little to read. Once the disputes fill the sample, that is all the
// trigram index is asked for: the whole text's common trigrams cost the lists of rows of a third
// of the index (1.8 s for C-00000000 at a million disputes on SQLite), so a text that has no
// uncommon run, or whose runs yield too many, is looked for along the walk, which reads at most
// the list's bound of disputes (WalkDisputes). A text that walkPercent of the sample holds
// (q=fraud) is not looked for in an index. The admin UI's query is asked for the same way, the
// words holding the order ids' too, with the customers (their index asked for customers:
// customerRuns) and the charge it names; a text with no uncommon run is asked for whole, since
// its customers or its charge may be few.
func (c *conn) fewSearched(ctx context.Context, f store.DisputeFilter, customers []string) (keys searchKeys, few bool, err error) {
	searched, _, _ := searchOf(f)
	s, err := c.samples.get(ctx, c)
	if err != nil {
		return searchKeys{}, false, err
	}
	// While the disputes are fewer than the sample, any way costs little: the index is asked
	// for every trigram.
	full := len(s.texts) == searchSampleSize
	if full && s.holding(searched)*100 >= len(s.texts)*walkPercent {
		return searchKeys{}, false, nil
	}
	if keys, few, err := c.fewWords(ctx, f, searched, customers); err != nil || few {
		return keys, few, err
	}
	runs := uncommonRuns(searched, func(trigram string) bool {
		return full && s.held[trigram]*100 > len(s.texts)*commonPercent
	})
	tries := [][]string{{searched}}
	switch {
	case full && len(runs) == 0 && !f.QueryRelated:
		return searchKeys{}, false, nil
	case full && len(runs) == 0: // the customers or the charge it names may be few
	case full:
		tries = [][]string{runs}
	case len(runs) > 0 && !slices.Equal(runs, tries[0]):
		tries = slices.Insert(tries, 0, runs)
	}
	for _, trigrams := range tries {
		var w conditions
		keys := searchKeys{trigrams: trigrams, customers: customers}
		if few, err := c.few(ctx, searchProbe(&w, c.dialect.Trigrams, f, keys), w.args...); err != nil || few {
			return keys, few, err
		}
	}
	return searchKeys{}, false, nil
}

// fewWords tells whether the words that start with a part of searched (searchwords.Range), and
// for the admin UI's query the customers and the charge it names, are few enough for f's query
// to be read through them.
func (c *conn) fewWords(ctx context.Context, f store.DisputeFilter, searched string, customers []string) (searchKeys, bool, error) {
	from, to, ok := searchwords.Range(searched)
	if !ok {
		return searchKeys{}, false, nil
	}
	keys := searchKeys{words: wordRange{from, to}, customers: customers}
	var w conditions
	few, err := c.atMost(ctx, wordsAtMost, searchProbe(&w, c.dialect.Trigrams, f, keys), w.args...)
	return keys, few, err
}

// uncommonRuns returns the runs of text's trigrams that are not common, as the parts of text
// they are, in order, up to keyTrigrams trigrams in all.
func uncommonRuns(text string, common func(trigram string) bool) []string {
	r := []rune(text)
	var runs []string
	asked := 0
	for i := 0; i+trigramLength <= len(r) && asked < keyTrigrams; {
		if common(string(r[i : i+trigramLength])) {
			i++
			continue
		}
		j := i // the trigrams i to j-1 are a run of uncommon ones
		for j+trigramLength <= len(r) && asked < keyTrigrams && !common(string(r[j:j+trigramLength])) {
			j++
			asked++
		}
		runs = append(runs, string(r[i:j+trigramLength-1]))
		i = j
	}
	return runs
}

// holding is how many texts of the sample hold text.
func (s searchSample) holding(text string) int {
	n := 0
	for _, t := range s.texts {
		if strings.Contains(t, text) {
			n++
		}
	}
	return n
}

// get returns the disputes' sample, read again when it is older than searchSampleAge.
func (ss *searchSamples) get(ctx context.Context, c *conn) (searchSample, error) {
	return ss.read(ctx, c, &ss.disputes, disputesSample)
}

// getCustomers returns the customers' sample, read again when it is older than searchSampleAge.
func (ss *searchSamples) getCustomers(ctx context.Context, c *conn) (searchSample, error) {
	return ss.read(ctx, c, &ss.customers, customersSample)
}

// read returns *sample, read again with query when it is older than searchSampleAge. The texts
// are lower-cased as the searched text is.
func (ss *searchSamples) read(ctx context.Context, c *conn, sample *searchSample, query string) (searchSample, error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if sample.held != nil && time.Since(sample.read) < searchSampleAge {
		return *sample, nil
	}
	rows, err := c.query(ctx, query, searchSampleSize)
	if err != nil {
		return searchSample{}, err
	}
	texts, err := scanRows(rows, func(rows *sql.Rows) (string, error) {
		var t string
		err := rows.Scan(&t)
		return strings.ToLower(t), err
	})
	if err != nil {
		return searchSample{}, err
	}
	held := map[string]int{}
	for _, t := range texts {
		r, seen := []rune(t), map[string]bool{}
		for i := 0; i+trigramLength <= len(r); i++ {
			if g := string(r[i : i+trigramLength]); !seen[g] {
				seen[g] = true
				held[g]++
			}
		}
	}
	*sample = searchSample{read: time.Now(), texts: texts, held: held}
	return *sample, nil
}

// customerRuns returns what the customers' trigram index is asked for by the admin UI's query
// of f: the runs of its trigrams that few of the newest customers hold (uncommonRuns), or nil
// for the whole text, while the customers are fewer than the sample or when every trigram of
// it is common. The emails of a shop's customers share their domain and many their digits: the
// whole of buyer123@example.com took 150 ms at a million disputes on SQLite (22 ms on
// PostgreSQL, twice a list), every customer's row of @ex, exa, … read for nothing.
func (c *conn) customerRuns(ctx context.Context, f store.DisputeFilter) ([]string, error) {
	searched, _, indexed := searchOf(f)
	if !f.QueryRelated || !indexed {
		return nil, nil
	}
	s, err := c.samples.getCustomers(ctx, c)
	if err != nil || len(s.texts) < searchSampleSize {
		return nil, err
	}
	return uncommonRuns(searched, func(trigram string) bool { return s.held[trigram]*100 > len(s.texts)*commonPercent }), nil
}
