//go:build crash

package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"disputed/internal/webhook/webhooktest"
)

// The crash test: go test -tags crash -run TestCrash -v ./cmd/disputed [-args -crash.events=N …]
var (
	crashEvents  = flag.Int("crash.events", 10_000, "provider events to send, duplicates and forged ones included")
	crashClients = flag.Int("crash.clients", 8, "concurrent senders")
	crashSeed    = flag.Uint64("crash.seed", 0, "random seed; 0 picks one, which the test prints, so that a run can be repeated")
	crashStores  = flag.String("crash.stores", "sqlite,postgres", "the stores to run on, comma-separated")
	crashUptime  = flag.Duration("crash.uptime", 3*time.Second, "longest a server runs before it is killed (uniformly at random up to this)")
)

// TestCrash sends provider events from concurrent clients to the real binary while killing it
// with SIGKILL at random moments and starting it again on the same database. Clients retry what
// was not acknowledged, as providers do. Afterwards every acknowledged event is stored once with
// the dispute its answer named, every dispute exists once, no deadline job or webhook delivery
// was lost, and the database passes its integrity checks (crash_check_test.go).
func TestCrash(t *testing.T) {
	seed := *crashSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (repeat with -args -crash.seed=%d)", seed, seed)
	bin := buildDisputed(t)
	for _, kind := range strings.Split(*crashStores, ",") {
		t.Run(kind, func(t *testing.T) {
			// Side by side: PostgreSQL's run waits on its server more than on the CPU.
			t.Parallel()
			crashRun(t, bin, kind, seed)
		})
	}
}

func crashRun(t *testing.T, bin, kind string, seed uint64) {
	began := time.Now()
	db := dbFor(t, kind)
	rcv := webhooktest.Start(t)
	// The setup creates thousands of sales with one key as fast as it can; the per-key rate limit,
	// tested on its own, would only slow it down.
	p := newProcess(t, bin, db, map[string]string{"DISPUTED_ADMIN_KEY": testAdminKey, "DISPUTED_WEBHOOK_ALLOW_PRIVATE": "1",
		"DISPUTED_RATE_LIMIT": "off", secretKeyEnv: testSecretKey})
	if err := p.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.kill)
	if err := p.waitReady(time.Minute); err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, "http://"+p.addr, testAdminKey, nil)
	s.client.Timeout = 30 * time.Second
	// A provider does not wait for its events to be applied: the clients take the answer and go.
	s.api = s.api.Deferred()
	streamProviders(s)
	want(t, s.post("/v1/settings", map[string]any{"block_on_dispute": true}), 200)
	ep := s.post("/v1/webhook_endpoints", map[string]any{"url": rcv.URL, "events": []string{"*"}})
	want(t, ep, 201)
	rcv.Setup(ep.str("secret"), 0)

	rnd := rand.New(rand.NewPCG(seed, 1))
	plan := planCrash(t, s, rnd, *crashEvents, *crashClients)
	setup := time.Since(began)

	sent := time.Now()
	ledger := &crashLedger{answered: map[string]string{}, unanswered: map[string]int{}}
	stop, killed := make(chan struct{}), make(chan int)
	go func() { killed <- crashKiller(p, rand.New(rand.NewPCG(seed, 2)), *crashUptime, stop) }()
	var wg sync.WaitGroup
	for _, q := range plan.queues {
		wg.Go(func() {
			for _, n := range q {
				ledger.send(s, n)
			}
		})
	}
	wg.Wait()
	sending := time.Since(sent)
	close(stop)
	kills := <-killed
	// The server died with events acknowledged and not applied yet: started again, its appliers
	// apply them; it is killed again once the inbox is empty, and the checks read the database.
	drained := time.Now()
	if err := p.start(); err != nil {
		t.Fatal(err)
	}
	if err := p.waitReady(time.Minute); err != nil {
		t.Fatal(err)
	}
	waitInboxEmpty(t, s, 5*time.Minute, p.logTail)
	p.kill()
	draining := time.Since(drained)

	for _, d := range p.deaths() {
		t.Errorf("%s\n%s", d, p.logTail())
	}
	problems := append(ledger.problems, checkCrash(t, kind, db, plan, ledger.answered, rcv)...)
	for answer, n := range ledger.unanswered {
		problems = append(problems, fmt.Sprintf("%d times a running server answered %s", n, answer))
	}
	for i, pr := range problems {
		if i == 50 {
			t.Errorf("… and %d more", len(problems)-i)
			break
		}
		t.Error(pr)
	}
	t.Logf("%s: %d events sent (%d unique in %d cases, %d duplicates, %d forged) by %d clients in %v: "+
		"%d acknowledged, %d refused (forged), %d retries (%d after a 429); %d kills; the rest applied after the last in %v; setup %v, all %v; %d problems",
		kind, plan.sends(), plan.unique, plan.cases, plan.duplicates, plan.forged, len(plan.queues), sending.Round(time.Millisecond),
		ledger.acks, ledger.refused, ledger.retries, ledger.throttled, kills, draining.Round(time.Millisecond), setup.Round(time.Millisecond), time.Since(began).Round(time.Millisecond), len(problems))
}

// waitInboxEmpty waits until the server has applied every event it stored: none pending.
func waitInboxEmpty(t *testing.T, s *testServer, longest time.Duration, logTail func() string) {
	t.Helper()
	for deadline := time.Now().Add(longest); ; time.Sleep(20 * time.Millisecond) {
		r, err := s.send(http.MethodGet, "/v1/provider_events?state=pending&limit=1", nil)
		if err == nil && r.status == http.StatusOK && len(r.list()) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the inbox still holds pending events after %v: %v %d %s\n%s", longest, err, r.status, r.raw, logTail())
		}
	}
}

// crashKiller kills the server at random moments and starts it again, until stop; then it kills
// it one last time, at a random moment too, and leaves it dead for the checks. It returns the
// number of kills.
func crashKiller(p *process, rnd *rand.Rand, longest time.Duration, stop <-chan struct{}) int {
	kills := 0
	for {
		uptime := time.Duration(rnd.Int64N(int64(longest)))
		select {
		case <-stop:
			time.Sleep(uptime)
			p.kill()
			return kills + 1
		case <-time.After(uptime):
		}
		p.kill()
		kills++
		if err := p.start(); err != nil {
			p.mu.Lock()
			p.died = append(p.died, "restart: "+err.Error())
			p.mu.Unlock()
			return kills
		}
	}
}

// crashPlan is what each client sends, in order.
type crashPlan struct {
	queues                            [][]notification
	cases, unique, duplicates, forged int
}

func (p crashPlan) sends() int { return p.unique + p.duplicates + p.forged }

// crashScenarios are the cases of the stream and how often each comes, by weight.
var crashScenarios = []struct {
	scenario
	weight      int
	needsCharge bool
}{
	{stripeWon, 3, true}, {stripeLost, 2, true}, {stripeInquiry, 1, true}, {stripeWarningThenChargeback, 2, true},
	{stripeUnknownCharge, 1, false}, {stripeWarningUnknownCharge, 1, false}, {stripeNotADispute, 1, false}, {feedChargebackWon, 2, true},
	{feedChargebackDueSoon, 2, true}, {feedEthoca, 1, true}, {feedRDR, 1, true},
}

// planCrash records the charges and builds the stream: about 90 % of the events are the cases'
// own, 9 % duplicates sent again by any client at any moment, 1 % forged (a wrong signature).
// A case's events go to one client, in order, interleaved with its other cases'.
func planCrash(t *testing.T, s *testServer, rnd *rand.Rand, events, clients int) crashPlan {
	start := time.Now()
	st := newStream(start)
	total := 0
	for _, sc := range crashScenarios {
		total += sc.weight
	}
	forged := max(events/100, 1)
	var picks []int
	charges := 0
	for unique := 0; unique < events*90/100; {
		pick := rnd.IntN(total)
		i := 0
		for ; pick >= crashScenarios[i].weight; i++ {
			pick -= crashScenarios[i].weight
		}
		picks = append(picks, i)
		if crashScenarios[i].needsCharge {
			charges++
		}
		unique += len(crashScenarios[i].scenario(newStream(start), streamCharge{}))
	}
	sales := crashSales(t, s, charges)
	unique := 0
	for _, i := range picks {
		var c streamCharge
		if crashScenarios[i].needsCharge {
			c, sales = sales[0], sales[1:]
		}
		// Some deadlines pass while the events are sent, some before their dispute arrives.
		st.dueSoon = start.Add(time.Duration(rnd.IntN(90)-10) * time.Second)
		st.add(crashScenarios[i].scenario, c)
		unique += len(st.cases[len(st.cases)-1])
	}

	plan := crashPlan{queues: make([][]notification, clients), cases: len(st.cases), unique: unique, forged: forged}
	plan.duplicates = max(events-unique-forged, 0)
	byClient := make([][][]notification, clients)
	for i, c := range st.cases {
		byClient[i%clients] = append(byClient[i%clients], c)
	}
	for i, cases := range byClient {
		for len(cases) > 0 {
			k := rnd.IntN(len(cases))
			plan.queues[i] = append(plan.queues[i], cases[k][0])
			if cases[k] = cases[k][1:]; len(cases[k]) == 0 {
				cases = append(cases[:k], cases[k+1:]...)
			}
		}
	}
	all := st.events()
	insert := func(n notification) {
		q := rnd.IntN(clients)
		at := rnd.IntN(len(plan.queues[q]) + 1)
		plan.queues[q] = append(plan.queues[q][:at], append([]notification{n}, plan.queues[q][at:]...)...)
	}
	for range plan.duplicates {
		insert(all[rnd.IntN(len(all))])
	}
	for range forged {
		n := st.stripeDispute("charge.dispute.created", "needs_response", st.newID("dp_forged_"), streamCharge{ref: st.newID("ch_"), amount: 100})
		n.forged = true
		insert(n)
	}
	return plan
}

// crashSales records n sales from a few clients at once.
func crashSales(t *testing.T, s *testServer, n int) []streamCharge {
	out := make([]streamCharge, n)
	const workers = 4
	ok := t.Run("setup", func(t *testing.T) {
		for w := range workers {
			t.Run(fmt.Sprint("sales-", w), func(t *testing.T) {
				t.Parallel()
				ws := s.on(t)
				for i := w; i < n; i += workers {
					out[i] = ws.streamSale()
				}
			})
		}
	})
	if !ok {
		t.FailNow()
	}
	return out
}

// crashLedger is what the clients were told.
type crashLedger struct {
	mu sync.Mutex
	// answered maps every acknowledged event ("provider/event id") to the dispute its first 2xx
	// answer named ("" for none).
	answered                          map[string]string
	acks, refused, retries, throttled int
	// unanswered are the 5xx and 409 answers, by their body: a server that answers is not
	// crashing, and owes a provider's valid event a 2xx. A 429 is a limit doing its work.
	unanswered map[string]int
	problems   []string
}

// send delivers n until the server acknowledges it (or, forged, refuses it), retrying as a
// provider does what got no answer, a 5xx, a 409 or a 429.
func (l *crashLedger) send(s *testServer, n notification) {
	key := n.provider + "/" + n.id
	first := time.Now()
	for backoff := 10 * time.Millisecond; ; backoff = min(2*backoff, 200*time.Millisecond) {
		path, headers := n.signed(time.Now())
		r, err := s.send(http.MethodPost, path, n.body, headers...)
		l.mu.Lock()
		switch {
		case err == nil && r.status/100 == 2 && n.forged:
			l.problems = append(l.problems, fmt.Sprintf("forged event %s was accepted: %s", key, r.raw))
		case err == nil && r.status/100 == 2:
			l.acks++
			if named, seen := l.answered[key]; seen && named != r.str("id") {
				l.problems = append(l.problems, fmt.Sprintf("event %s: answered as stored event %q, later %q", key, named, r.str("id")))
			} else if !seen {
				l.answered[key] = r.str("id")
			}
		case err == nil && n.forged && r.status == http.StatusUnauthorized:
			l.refused++
		case err == nil && r.status < 500 && r.status != http.StatusConflict && r.status != http.StatusTooManyRequests:
			l.problems = append(l.problems, fmt.Sprintf("event %s: %d %s", key, r.status, r.raw))
		case time.Since(first) > 2*time.Minute:
			l.problems = append(l.problems, fmt.Sprintf("event %s was never acknowledged: %v %d %s", key, err, r.status, r.raw))
		default:
			switch {
			case err == nil && r.status == http.StatusTooManyRequests:
				l.throttled++
				if wait, _ := strconv.Atoi(r.header.Get("Retry-After")); wait > 0 {
					backoff = time.Duration(wait) * time.Second
				}
			case err == nil:
				l.unanswered[fmt.Sprintf("%d %s", r.status, r.raw)]++
			}
			l.retries++
			l.mu.Unlock()
			time.Sleep(backoff)
			continue
		}
		l.mu.Unlock()
		return
	}
}
