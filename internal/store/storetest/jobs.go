package storetest

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"disputed/internal/store"
)

// job is a minimal job of kind, due at run milliseconds after t0.
func job(id, kind string, run int64) store.Job {
	return store.Job{ID: id, Kind: kind, Args: []byte(`{}`), RunAt: at(run), MaxAttempts: 5, CreatedAt: at(0)}
}

// schedule schedules the jobs in one transaction and returns them as stored.
func schedule(t *testing.T, s store.Store, jobs ...store.Job) []store.Job {
	t.Helper()
	out := make([]store.Job, len(jobs))
	write(t, s, func(tx store.Tx) error {
		for i, j := range jobs {
			var err error
			if out[i], err = tx.ScheduleJob(t.Context(), j); err != nil {
				return err
			}
		}
		return nil
	})
	return out
}

// claim claims in a transaction of its own.
func claim(t *testing.T, s store.Store, runner string, now time.Time, limit int, kinds ...string) []store.Job {
	t.Helper()
	var got []store.Job
	write(t, s, func(tx store.Tx) error {
		var err error
		got, err = tx.ClaimJobs(t.Context(), store.ClaimParams{Runner: runner, Kinds: kinds, Now: now, Lease: time.Minute, Limit: limit})
		return err
	})
	return got
}

// finish runs FinishJob in a transaction of its own and returns its error.
func finish(t *testing.T, s store.Store, p store.FinishParams) error {
	t.Helper()
	return s.Tx(t.Context(), func(tx store.Tx) error { return tx.FinishJob(t.Context(), p) })
}

func release(t *testing.T, s store.Store, id, runner string, attempt int, now time.Time) error {
	t.Helper()
	return s.Tx(t.Context(), func(tx store.Tx) error { return tx.ReleaseJob(t.Context(), id, runner, attempt, now) })
}

func retry(t *testing.T, s store.Store, id string, now time.Time) (store.Job, error) {
	t.Helper()
	var got store.Job
	err := s.Tx(t.Context(), func(tx store.Tx) error {
		var err error
		got, err = tx.RetryJob(t.Context(), id, now)
		return err
	})
	return got, err
}

func getJob(t *testing.T, s store.Reader, id string) store.Job {
	t.Helper()
	j, err := s.GetJob(t.Context(), id)
	noErr(t, "GetJob "+id, err)
	return j
}

func jobIDs(jobs []store.Job) []string { return ids(jobs, func(j store.Job) string { return j.ID }) }

// testJobRoundTrip follows one job through its life and compares every field at each step.
func testJobRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	in := store.Job{
		ID: "job_1", Kind: "deadline.remind", Key: "dispute:dsp_1:reminder:72h", Subject: "dsp_1",
		Args:  []byte(`{"dispute_id":"dsp_1","note":"Ünïcode \"quoted\"\n"}`),
		State: store.JobDone, RunAt: at(100), Attempts: 9, MaxAttempts: 5, LastError: "ignored",
		LeaseUntil: at(999), LockedBy: "ignored", CreatedAt: at(1), UpdatedAt: at(2), FinishedAt: at(999),
	}
	allSet(t, in)
	// A new job is scheduled, unclaimed and without failures, whatever j says.
	want := in
	want.State, want.Attempts, want.LastError = store.JobScheduled, 0, ""
	want.LeaseUntil, want.LockedBy, want.FinishedAt = time.Time{}, "", time.Time{}
	got := schedule(t, s, in)
	same(t, "scheduled, as returned", got[0], want)
	same(t, "scheduled", getJob(t, s, in.ID), want)

	claimed := claim(t, s, "runner-1", at(150), 10, in.Kind)
	want.State, want.Attempts, want.LeaseUntil, want.LockedBy, want.UpdatedAt = store.JobRunning, 1, at(150).Add(time.Minute), "runner-1", at(150)
	same(t, "claimed, as returned", claimed, []store.Job{want})
	same(t, "claimed", getJob(t, s, in.ID), want)

	noErr(t, "FinishJob", finish(t, s, store.FinishParams{ID: in.ID, Runner: "runner-1", Attempt: 1, Now: at(160),
		Err: "smtp: 451 try later", RetryAt: at(200)}))
	want.State, want.RunAt, want.LastError, want.LeaseUntil, want.LockedBy, want.UpdatedAt = store.JobScheduled, at(200), "smtp: 451 try later", time.Time{}, "", at(160)
	same(t, "failed, to run again", getJob(t, s, in.ID), want)

	// The second claim keeps the last error for the handler to see: every field but FinishedAt is set.
	claimed = claim(t, s, "runner-2", at(200), 10, in.Kind)
	want.State, want.Attempts, want.LeaseUntil, want.LockedBy, want.UpdatedAt = store.JobRunning, 2, at(200).Add(time.Minute), "runner-2", at(200)
	same(t, "claimed again, as returned", claimed, []store.Job{want})
	same(t, "claimed again", getJob(t, s, in.ID), want)

	noErr(t, "FinishJob", finish(t, s, store.FinishParams{ID: in.ID, Runner: "runner-2", Attempt: 2, Now: at(210),
		Err: "smtp: 550 no such user", Dead: true}))
	want.State, want.LastError, want.FinishedAt, want.LeaseUntil, want.LockedBy, want.UpdatedAt = store.JobDead, "smtp: 550 no such user", at(210), time.Time{}, "", at(210)
	same(t, "dead", getJob(t, s, in.ID), want)

	retried, err := retry(t, s, in.ID, at(300))
	noErr(t, "RetryJob", err)
	want.State, want.Attempts, want.RunAt, want.FinishedAt, want.UpdatedAt = store.JobScheduled, 0, at(300), time.Time{}, at(300)
	same(t, "retried, as returned", retried, want) // the last error stays: it says why it died
	same(t, "retried", getJob(t, s, in.ID), want)

	claim(t, s, "runner-3", at(300), 10, in.Kind)
	noErr(t, "FinishJob", finish(t, s, store.FinishParams{ID: in.ID, Runner: "runner-3", Attempt: 1, Now: at(310)}))
	want.State, want.Attempts, want.FinishedAt, want.UpdatedAt = store.JobDone, 1, at(310), at(310)
	same(t, "done", getJob(t, s, in.ID), want)
	listed, err := s.ListJobs(ctx, store.JobFilter{})
	noErr(t, "ListJobs", err)
	same(t, "listed", listed, []store.Job{want})

	// A job without args, key or subject gives back nil args.
	bare := store.Job{ID: "job_2", Kind: "x", RunAt: at(5), CreatedAt: at(5), UpdatedAt: at(6)}
	schedule(t, s, bare)
	bare.State = store.JobScheduled
	same(t, "bare job", getJob(t, s, bare.ID), bare)
}

// testScheduleJobByKey checks the upsert: one scheduled job per key, moved by a second schedule,
// while jobs of the key in other states neither block nor get moved.
func testScheduleJobByKey(t *testing.T, s store.Store) {
	const key = "dispute:dsp_1:deadline"
	first := store.Job{ID: "job_1", Kind: "k1", Key: key, Subject: "dsp_1", Args: []byte(`{"v":1}`), RunAt: at(100), MaxAttempts: 3,
		CreatedAt: at(1)}
	got := schedule(t, s, first)[0]
	want := first
	want.State, want.UpdatedAt = store.JobScheduled, at(1) // UpdatedAt defaults to CreatedAt
	same(t, "first", got, want)

	second := store.Job{ID: "job_2", Kind: "k2", Key: key, Subject: "dsp_2", Args: []byte(`{"v":2}`), RunAt: at(200),
		MaxAttempts: 7, CreatedAt: at(2), UpdatedAt: at(3)}
	got = schedule(t, s, second)[0]
	want = store.Job{ID: "job_1", Kind: "k2", Key: key, Subject: "dsp_2", Args: []byte(`{"v":2}`), State: store.JobScheduled,
		RunAt: at(200), MaxAttempts: 7, CreatedAt: at(1), UpdatedAt: at(3)}
	same(t, "moved, as returned", got, want)
	same(t, "moved", getJob(t, s, "job_1"), want)
	_, err := s.GetJob(t.Context(), "job_2")
	wantErr(t, "the second id", err, store.ErrNotFound)
	all, err := s.ListJobs(t.Context(), store.JobFilter{})
	noErr(t, "ListJobs", err)
	same(t, "jobs", jobIDs(all), []string{"job_1"})

	// A moved job forgets its failures.
	claim(t, s, "r", at(200), 10, "k2")
	noErr(t, "FinishJob", finish(t, s, store.FinishParams{ID: "job_1", Runner: "r", Attempt: 1, Now: at(210), Err: "boom", RetryAt: at(300)}))
	got = schedule(t, s, store.Job{ID: "job_3", Kind: "k1", Key: key, RunAt: at(400), MaxAttempts: 3, CreatedAt: at(220)})[0]
	want = store.Job{ID: "job_1", Kind: "k1", Key: key, State: store.JobScheduled, RunAt: at(400), MaxAttempts: 3,
		CreatedAt: at(1), UpdatedAt: at(220)}
	same(t, "moved after a failure", got, want)

	// A done job with the key does not block a new one, and is not moved.
	claim(t, s, "r", at(400), 10, "k1")
	noErr(t, "FinishJob", finish(t, s, store.FinishParams{ID: "job_1", Runner: "r", Attempt: 1, Now: at(410)}))
	got = schedule(t, s, job("job_4", "k1", 450))[0]
	same(t, "job without the key", got.Key, "")
	keyed := job("job_5", "k1", 450)
	keyed.Key = key
	got = schedule(t, s, keyed)[0]
	same(t, "a new job after a done one", got.ID, "job_5")
	same(t, "the done job", getJob(t, s, "job_1").State, store.JobDone)

	// Nor does a running one: scheduling while job_5 runs adds job_6.
	claim(t, s, "r", at(500), 1, "k1") // job_4 and job_5 are due at 450; the id decides
	claimed := claim(t, s, "r", at(500), 1, "k1")
	same(t, "claimed", jobIDs(claimed), []string{"job_5"})
	sixth := job("job_6", "k1", 600)
	sixth.Key = key
	same(t, "a new job while one runs", schedule(t, s, sixth)[0].ID, "job_6")
	// job_5 failing now would make a second scheduled job with the key: job_6 supersedes it.
	noErr(t, "FinishJob", finish(t, s, store.FinishParams{ID: "job_5", Runner: "r", Attempt: 1, Now: at(510), Err: "late", RetryAt: at(700)}))
	j5 := getJob(t, s, "job_5")
	same(t, "superseded failure", []any{j5.State, j5.LastError, j5.Attempts, j5.FinishedAt, j5.LockedBy, j5.LeaseUntil},
		[]any{store.JobCancelled, "late", 1, at(510), "", time.Time{}})
	// Likewise a released job.
	claimed = claim(t, s, "r", at(600), 10, "k1")
	same(t, "claimed", jobIDs(claimed), []string{"job_6"})
	seventh := job("job_7", "k1", 800)
	seventh.Key = key
	schedule(t, s, seventh)
	noErr(t, "ReleaseJob", release(t, s, "job_6", "r", 1, at(610)))
	j6 := getJob(t, s, "job_6")
	same(t, "superseded release", []any{j6.State, j6.Attempts, j6.FinishedAt, j6.LockedBy}, []any{store.JobCancelled, 0, at(610), ""})

	scheduled, err := s.ListJobs(t.Context(), store.JobFilter{State: store.JobScheduled})
	noErr(t, "ListJobs", err)
	same(t, "scheduled jobs", jobIDs(scheduled), []string{"job_7"})

	// Jobs without a key are never moved.
	schedule(t, s, job("job_8", "k1", 0), job("job_9", "k1", 0))
	getJob(t, s, "job_8")
	getJob(t, s, "job_9")
}

// testScheduleJobDuplicateID checks that a taken id is a conflict that leaves the transaction usable.
func testScheduleJobDuplicateID(t *testing.T, s store.Store) {
	ctx := t.Context()
	first := job("job_1", "k", 0)
	first.Key = "a"
	schedule(t, s, first)
	write(t, s, func(tx store.Tx) error {
		_, err := tx.ScheduleJob(ctx, job("job_1", "other", 5))
		wantErr(t, "a taken id", err, store.ErrConflict)
		again := job("job_1", "other", 5)
		again.Key = "b"
		_, err = tx.ScheduleJob(ctx, again)
		wantErr(t, "a taken id with a key", err, store.ErrConflict)
		_, err = tx.ScheduleJob(ctx, job("job_2", "k", 0))
		return err
	})
	want := first
	want.State, want.UpdatedAt = store.JobScheduled, first.CreatedAt
	same(t, "the first job", getJob(t, s, "job_1"), want)
	getJob(t, s, "job_2")
}

// testScheduleJobConcurrent schedules one key from several transactions at once: the upsert must
// leave one scheduled job and fail none of them.
func testScheduleJobConcurrent(t *testing.T, s store.Store) {
	const n = 8
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			j := job(fmt.Sprintf("job_%d", i), "k", int64(i))
			j.Key = "same"
			err := s.Tx(t.Context(), func(tx store.Tx) error { _, err := tx.ScheduleJob(t.Context(), j); return err })
			if err != nil {
				t.Errorf("ScheduleJob %s: %v", j.ID, err)
			}
		})
	}
	wg.Wait()
	all, err := s.ListJobs(t.Context(), store.JobFilter{})
	noErr(t, "ListJobs", err)
	if len(all) != 1 || all[0].State != store.JobScheduled || all[0].Key != "same" {
		t.Errorf("after %d concurrent schedules of one key: %+v, want one scheduled job", n, all)
	}
}

// testClaimJobs checks what a claim takes: due jobs of the kinds, oldest run_at first (then id),
// up to the limit, and nothing else.
func testClaimJobs(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := at(1000)
	cancelled := job("job_9", "a", 10)
	cancelled.Key, cancelled.Subject = "x:1", "x"
	schedule(t, s,
		job("job_1", "a", 900), job("job_2", "a", 100), job("job_4", "a", 500), job("job_3", "a", 500),
		job("job_5", "b", 50), job("job_6", "a", 1001), job("job_7", "c", 10), job("job_8", "a", 1000),
		cancelled, job("job_w", `we"ird\kind`, 0),
	)
	write(t, s, func(tx store.Tx) error { _, err := tx.CancelJobs(ctx, "x", at(1)); return err })

	got := claim(t, s, "r1", now, 3, "a")
	same(t, "first claim", jobIDs(got), []string{"job_2", "job_3", "job_4"})
	for _, j := range got {
		if j.State != store.JobRunning || j.Attempts != 1 || !j.LeaseUntil.Equal(now.Add(time.Minute)) || j.LockedBy != "r1" || !j.UpdatedAt.Equal(now) {
			t.Errorf("claimed job %+v: want running, attempt 1, leased for a minute by r1", j)
		}
	}
	same(t, "second claim", jobIDs(claim(t, s, "r1", now, 3, "a")), []string{"job_1", "job_8"}) // run_at = now is due
	same(t, "nothing left due", jobIDs(claim(t, s, "r1", now, 3, "a")), []string{})
	same(t, "two kinds", jobIDs(claim(t, s, "r1", now, 10, "b", "c", "nope")), []string{"job_7", "job_5"})
	same(t, "no kinds", jobIDs(claim(t, s, "r1", at(5000), 10)), []string{})
	same(t, "limit 0", jobIDs(claim(t, s, "r1", at(5000), 0, "a")), []string{})
	same(t, "later", jobIDs(claim(t, s, "r1", at(5000), 10, "a")), []string{"job_6"})
	same(t, "a kind that needs JSON escaping", jobIDs(claim(t, s, "r1", now, 10, `we"ird\kind`)), []string{"job_w"})
	same(t, "the cancelled job", getJob(t, s, "job_9").State, store.JobCancelled)

	err := s.Tx(ctx, func(tx store.Tx) error {
		_, err := tx.ClaimJobs(ctx, store.ClaimParams{Runner: "r", Kinds: []string{"a"}, Now: now, Limit: 1})
		return err
	})
	if err == nil {
		t.Error("a claim without a lease worked; want an error")
	}
}

// testClaimLease checks that a lease keeps other claimers off until it runs out, and that the
// claim it replaced can no longer finish or release the job.
func testClaimLease(t *testing.T, s store.Store) {
	ctx := t.Context()
	schedule(t, s, job("job_1", "a", 0))
	first := claim(t, s, "r1", at(10), 10, "a")
	same(t, "first claim", jobIDs(first), []string{"job_1"})
	lease := at(10).Add(time.Minute)
	same(t, "claim before the lease ends", jobIDs(claim(t, s, "r2", lease.Add(-time.Millisecond), 10, "a")), []string{})
	next, err := s.NextJobAt(ctx, []string{"a"})
	noErr(t, "NextJobAt", err)
	same(t, "next job at the end of the lease", next, lease)

	second := claim(t, s, "r2", lease, 10, "a")
	if len(second) != 1 || second[0].Attempts != 2 || second[0].LockedBy != "r2" || !second[0].LeaseUntil.Equal(lease.Add(time.Minute)) {
		t.Fatalf("claim after the lease ended: %+v, want job_1 at attempt 2 for r2", second)
	}

	before := getJob(t, s, "job_1")
	for _, p := range []store.FinishParams{
		{ID: "job_1", Runner: "r1", Attempt: 1},
		{ID: "job_1", Runner: "r1", Attempt: 2},
		{ID: "job_1", Runner: "r2", Attempt: 1},
		{ID: "job_1", Runner: "r2", Attempt: 3},
		{ID: "job_1", Runner: "r1", Attempt: 1, Err: "e", RetryAt: at(99)},
		{ID: "job_1", Runner: "r1", Attempt: 1, Err: "e", Dead: true},
	} {
		p.Now = lease.Add(time.Second)
		wantErr(t, fmt.Sprintf("FinishJob %+v", p), finish(t, s, p), store.ErrConflict)
	}
	wantErr(t, "ReleaseJob by the old claim", release(t, s, "job_1", "r1", 1, lease), store.ErrConflict)
	wantErr(t, "ReleaseJob by a stale attempt", release(t, s, "job_1", "r2", 1, lease), store.ErrConflict)
	same(t, "the job after refused finishes", getJob(t, s, "job_1"), before)

	noErr(t, "FinishJob", finish(t, s, store.FinishParams{ID: "job_1", Runner: "r2", Attempt: 2, Now: lease.Add(time.Second)}))
	wantErr(t, "finishing twice", finish(t, s, store.FinishParams{ID: "job_1", Runner: "r2", Attempt: 2, Now: lease}), store.ErrConflict)
	wantErr(t, "finishing no job", finish(t, s, store.FinishParams{ID: "job_x", Runner: "r2", Attempt: 1, Now: lease}), store.ErrNotFound)
	wantErr(t, "failing no job", finish(t, s, store.FinishParams{ID: "job_x", Runner: "r2", Attempt: 1, Now: lease, Err: "e"}), store.ErrNotFound)
	wantErr(t, "releasing no job", release(t, s, "job_x", "r2", 1, lease), store.ErrNotFound)
}

// testClaimAbandonedInOrder checks that a claim merges abandoned jobs (running, lease over) and
// scheduled ones by run_at, then id.
func testClaimAbandonedInOrder(t *testing.T, s store.Store) {
	schedule(t, s, job("job_a", "k", 10), job("job_b", "k", 30))
	same(t, "first claim", jobIDs(claim(t, s, "crashed", at(30), 10, "k")), []string{"job_a", "job_b"})
	schedule(t, s, job("job_c", "k", 20), job("job_d", "k", 40), job("job_e", "k", 40))
	later := at(30).Add(time.Minute) // the leases end
	got := claim(t, s, "r", later, 3, "k")
	same(t, "abandoned and scheduled together", jobIDs(got), []string{"job_a", "job_c", "job_b"})
	same(t, "attempts", ids(got, func(j store.Job) string { return fmt.Sprint(j.Attempts) }), []string{"2", "1", "2"})
	same(t, "the rest", jobIDs(claim(t, s, "r", later, 3, "k")), []string{"job_d", "job_e"})
}

// testFinishJob checks the three ends of a claim: done, scheduled again, dead.
func testFinishJob(t *testing.T, s store.Store) {
	schedule(t, s, job("job_done", "a", 0), job("job_retry", "a", 0), job("job_dead", "a", 0), job("job_now", "a", 0))
	claim(t, s, "r", at(10), 10, "a")
	now := at(20)
	for _, p := range []store.FinishParams{
		{ID: "job_done", Runner: "r", Attempt: 1, Now: now},
		{ID: "job_retry", Runner: "r", Attempt: 1, Now: now, Err: "e1", RetryAt: at(500)},
		{ID: "job_dead", Runner: "r", Attempt: 1, Now: now, Err: "e2", Dead: true},
		{ID: "job_now", Runner: "r", Attempt: 1, Now: now, Err: "e3"}, // no RetryAt: again at once
	} {
		noErr(t, "FinishJob "+p.ID, finish(t, s, p))
	}
	base := job("", "a", 0)
	base.Attempts, base.UpdatedAt = 1, now
	want := map[string]store.Job{}
	for id, set := range map[string]func(j *store.Job){
		"job_done":  func(j *store.Job) { j.State, j.FinishedAt = store.JobDone, now },
		"job_retry": func(j *store.Job) { j.State, j.RunAt, j.LastError = store.JobScheduled, at(500), "e1" },
		"job_dead":  func(j *store.Job) { j.State, j.LastError, j.FinishedAt = store.JobDead, "e2", now },
		"job_now":   func(j *store.Job) { j.State, j.RunAt, j.LastError = store.JobScheduled, now, "e3" },
	} {
		j := base
		j.ID = id
		set(&j)
		want[id] = j
		same(t, id, getJob(t, s, id), j)
	}
	for _, state := range []string{store.JobDone, store.JobScheduled, store.JobDead, store.JobRunning} {
		got, err := s.ListJobs(t.Context(), store.JobFilter{State: state})
		noErr(t, "ListJobs", err)
		var wantIDs []string
		for id, j := range want {
			if j.State == state {
				wantIDs = append(wantIDs, id)
			}
		}
		// All were created at once: newest first means the highest id first.
		slices.Sort(wantIDs)
		slices.Reverse(wantIDs)
		same(t, "jobs "+state, jobIDs(got), append([]string{}, wantIDs...))
	}
}

// testReleaseJob checks that a released job is due at once and its attempt not counted.
func testReleaseJob(t *testing.T, s store.Store) {
	schedule(t, s, job("job_1", "a", 0))
	claim(t, s, "r", at(10), 10, "a")
	noErr(t, "ReleaseJob", release(t, s, "job_1", "r", 1, at(20)))
	want := job("job_1", "a", 20)
	want.State, want.UpdatedAt = store.JobScheduled, at(20)
	same(t, "released", getJob(t, s, "job_1"), want)
	wantErr(t, "releasing twice", release(t, s, "job_1", "r", 1, at(20)), store.ErrConflict)
	again := claim(t, s, "r2", at(20), 10, "a")
	if len(again) != 1 || again[0].Attempts != 1 {
		t.Errorf("claim after the release: %+v, want job_1 at attempt 1", again)
	}
}

// testRetryJob checks that only a dead job may be retried.
func testRetryJob(t *testing.T, s store.Store) {
	ctx := t.Context()
	keyed := job("job_k", "a", 0)
	keyed.Key = "k:1"
	schedule(t, s, job("job_1", "a", 0), job("job_2", "a", 0), keyed)
	_, err := retry(t, s, "job_x", at(1))
	wantErr(t, "retrying no job", err, store.ErrNotFound)
	_, err = retry(t, s, "job_1", at(1))
	wantErr(t, "retrying a scheduled job", err, store.ErrConflict)

	claim(t, s, "r", at(10), 10, "a")
	_, err = retry(t, s, "job_1", at(11))
	wantErr(t, "retrying a running job", err, store.ErrConflict)
	for _, p := range []store.FinishParams{
		{ID: "job_1", Runner: "r", Attempt: 1, Now: at(20), Err: "boom", Dead: true},
		{ID: "job_2", Runner: "r", Attempt: 1, Now: at(20)},
		{ID: "job_k", Runner: "r", Attempt: 1, Now: at(20), Err: "boom", Dead: true},
	} {
		noErr(t, "FinishJob", finish(t, s, p))
	}
	_, err = retry(t, s, "job_2", at(21))
	wantErr(t, "retrying a done job", err, store.ErrConflict)

	got, err := retry(t, s, "job_1", at(30))
	noErr(t, "RetryJob", err)
	want := job("job_1", "a", 30)
	want.State, want.LastError, want.UpdatedAt = store.JobScheduled, "boom", at(30)
	same(t, "retried", got, want)
	same(t, "retried, stored", getJob(t, s, "job_1"), want)
	_, err = retry(t, s, "job_1", at(31))
	wantErr(t, "retrying twice", err, store.ErrConflict)

	// A dead job whose key has a scheduled job again stays dead; the transaction goes on.
	newer := job("job_k2", "a", 100)
	newer.Key = "k:1"
	schedule(t, s, newer)
	write(t, s, func(tx store.Tx) error {
		_, err := tx.RetryJob(ctx, "job_k", at(40))
		wantErr(t, "retrying a job whose key is scheduled", err, store.ErrConflict)
		_, err = tx.ScheduleJob(ctx, job("job_3", "a", 0))
		return err
	})
	same(t, "the dead keyed job", getJob(t, s, "job_k").State, store.JobDead)
}

// testCancelJobs checks that CancelJobs cancels the scheduled jobs of the subject, compared
// exactly, and nothing else.
func testCancelJobs(t *testing.T, s store.Store) {
	ctx := t.Context()
	type spec struct{ key, subject string }
	specs := map[string]spec{
		"job_01": {"dispute:dsp_1:deadline", "dsp_1"},
		"job_02": {"dispute:dsp_1:reminder:24h", "dsp_1"},
		"job_03": {"", "dsp_1"},                               // no key: the subject alone counts
		"job_04": {"dispute:dsp_10:deadline", "dsp_10"},       // another subject that dsp_1 begins
		"job_05": {"dispute:dsp_2:deadline", "dsp_2"},         // another subject
		"job_06": {"dispute:DSP_1:deadline", "DSP_1"},         // case is not folded
		"job_07": {"dispute:dsp_1x:deadline", "dsp_1x"},       // likewise
		"job_08": {"dispute:dsp_1:run", "dsp_1"},              // running: left to finish
		"job_09": {"dispute:dsp_1:done", "dsp_1"},             // done: history
		"job_10": {"dispute:dsp_1:other", ""},                 // no subject, though the key says dsp_1
		"job_11": {"", ""},                                    // neither
		"job_12": {"dispute:dsp_1 :deadline", "dsp_1 "},       // a trailing space is no padding
		"job_13": {"dispute:dsp_1:reminder:72h", "dsp_1"},     // dead: history
		"job_14": {"dispute:Ünï:deadline", "Ünï"},             // not ASCII
		"job_15": {"dispute:U\u0308nï:deadline", "U\u0308nï"}, // the same text decomposed: other bytes
	}
	var jobs []store.Job
	for _, id := range slices.Sorted(maps.Keys(specs)) {
		kind := "a"
		if id == "job_08" || id == "job_09" || id == "job_13" {
			kind = "b"
		}
		j := job(id, kind, 0)
		j.Key, j.Subject = specs[id].key, specs[id].subject
		jobs = append(jobs, j)
	}
	schedule(t, s, jobs...)
	claim(t, s, "r", at(1), 10, "b")
	noErr(t, "FinishJob", finish(t, s, store.FinishParams{ID: "job_09", Runner: "r", Attempt: 1, Now: at(2)}))
	noErr(t, "FinishJob", finish(t, s, store.FinishParams{ID: "job_13", Runner: "r", Attempt: 1, Now: at(2), Err: "e", Dead: true}))

	cancel := func(subject string, now time.Time) int64 {
		t.Helper()
		var n int64
		write(t, s, func(tx store.Tx) error {
			var err error
			n, err = tx.CancelJobs(ctx, subject, now)
			return err
		})
		return n
	}
	states := func() map[string]string {
		out := map[string]string{}
		for id := range specs {
			out[id] = getJob(t, s, id).State
		}
		return out
	}
	want := states()
	same(t, "states before", []string{want["job_08"], want["job_09"], want["job_13"]},
		[]string{store.JobRunning, store.JobDone, store.JobDead})
	same(t, "cancelled of dsp_1", cancel("dsp_1", at(50)), int64(3))
	want["job_01"], want["job_02"], want["job_03"] = store.JobCancelled, store.JobCancelled, store.JobCancelled
	same(t, "states", states(), want)
	j1 := getJob(t, s, "job_01")
	same(t, "cancelled job", []any{j1.FinishedAt, j1.UpdatedAt, j1.Subject}, []any{at(50), at(50), "dsp_1"})
	same(t, "cancelled of dsp_1 again", cancel("dsp_1", at(51)), int64(0))

	same(t, "cancelled of Ünï", cancel("Ünï", at(52)), int64(1))
	want["job_14"] = store.JobCancelled
	same(t, "cancelled of dsp_", cancel("dsp_", at(52)), int64(0))
	same(t, "cancelled of dsp_%", cancel("dsp_%", at(52)), int64(0)) // no wildcards
	same(t, "cancelled of nobody", cancel("dsp_404", at(52)), int64(0))
	same(t, "states", states(), want)

	err := s.Tx(ctx, func(tx store.Tx) error { _, err := tx.CancelJobs(ctx, "", at(53)); return err })
	if err == nil {
		t.Error("CancelJobs with an empty subject worked; want it refused")
	}
	same(t, "states after the refusal", states(), want)

	// A cancelled job's key is free again.
	again := job("job_16", "a", 0)
	again.Key, again.Subject = "dispute:dsp_1:deadline", "dsp_1"
	same(t, "rescheduled", schedule(t, s, again)[0].ID, "job_16")
	same(t, "the cancelled job", getJob(t, s, "job_01").State, store.JobCancelled)
	same(t, "cancelled of dsp_1, rescheduled", cancel("dsp_1", at(60)), int64(1))
}

// testNextJobAt checks the earliest claimable time: scheduled run_at or running lease_until.
func testNextJobAt(t *testing.T, s store.Store) {
	ctx := t.Context()
	next := func(kinds ...string) time.Time {
		t.Helper()
		got, err := s.NextJobAt(ctx, kinds)
		noErr(t, "NextJobAt", err)
		return got
	}
	same(t, "no jobs", next("a"), time.Time{})
	schedule(t, s, job("job_1", "a", 0), job("job_2", "a", 500), job("job_3", "b", 20), job("job_4", "c", 5))
	claim(t, s, "r", at(10), 1, "a") // job_1, leased until 10 + 60 000
	claim(t, s, "r", at(10), 1, "c")
	noErr(t, "FinishJob", finish(t, s, store.FinishParams{ID: "job_4", Runner: "r", Attempt: 1, Now: at(11)}))

	same(t, "a: the scheduled job", next("a"), at(500))
	same(t, "b", next("b"), at(20))
	same(t, "a and b", next("a", "b"), at(20))
	same(t, "c: done", next("c"), time.Time{})
	same(t, "no kinds", next(), time.Time{})
	same(t, "unknown", next("zzz"), time.Time{})
	write(t, s, func(tx store.Tx) error {
		n, err := tx.NextJobAt(ctx, []string{"b"})
		same(t, "in a transaction", n, at(20))
		return err
	})
	claim(t, s, "r", at(500), 1, "a") // job_2 too: now the first lease ends first
	same(t, "a: the lease", next("a"), at(10).Add(time.Minute))
}

func testListJobsFilters(t *testing.T, s store.Store) {
	jobs := []store.Job{job("job_00", "a", 0), job("job_01", "b", 0), job("job_02", "a", 0), job("job_03", "b", 0)}
	for i := range jobs {
		jobs[i].CreatedAt = at(int64(i))
	}
	schedule(t, s, jobs...)
	claim(t, s, "r", at(10), 1, "b") // job_01
	tests := []struct {
		name string
		f    store.JobFilter
		want []string
	}{
		{"no filter", store.JobFilter{}, []string{"job_03", "job_02", "job_01", "job_00"}},
		{"kind", store.JobFilter{Kind: "a"}, []string{"job_02", "job_00"}},
		{"state", store.JobFilter{State: store.JobScheduled}, []string{"job_03", "job_02", "job_00"}},
		{"state and kind", store.JobFilter{State: store.JobRunning, Kind: "b"}, []string{"job_01"}},
		{"nothing", store.JobFilter{State: store.JobDead}, []string{}},
	}
	for _, tt := range tests {
		got, err := s.ListJobs(t.Context(), tt.f)
		noErr(t, tt.name, err)
		same(t, tt.name, jobIDs(got), tt.want)
	}
}

// testClaimJobsConcurrent has four claimers empty a queue of 500 due jobs, each claim in a
// transaction of its own: every job must be claimed exactly once.
func testClaimJobsConcurrent(t *testing.T, s store.Store) {
	const (
		n        = 500
		claimers = 4
		limit    = 7
	)
	jobs := make([]store.Job, n)
	for i := range jobs {
		jobs[i] = job(fmt.Sprintf("job_%04d", i), "work", int64(i%50))
	}
	schedule(t, s, jobs...)

	var (
		mu        sync.Mutex
		times     = map[string]int{}
		perRunner [claimers]int
		open      atomic.Int32 // claim transactions open right now
		mostOpen  atomic.Int32
		wg        sync.WaitGroup
		// Every claimer makes its first claim before any makes a second, so that they all
		// contend however the machine schedules them (a loaded one could otherwise let one
		// claimer empty the queue before the others start).
		first sync.WaitGroup
	)
	first.Add(claimers)
	for c := range claimers {
		runner := fmt.Sprintf("runner-%d", c)
		wg.Go(func() {
			for attempt := 0; ; attempt++ {
				if attempt == 1 {
					first.Done()
					first.Wait()
				}
				var got []store.Job
				err := s.Tx(t.Context(), func(tx store.Tx) error {
					cur := open.Add(1)
					defer open.Add(-1)
					for m := mostOpen.Load(); cur > m && !mostOpen.CompareAndSwap(m, cur); m = mostOpen.Load() {
					}
					var err error
					got, err = tx.ClaimJobs(t.Context(), store.ClaimParams{Runner: runner, Kinds: []string{"work"},
						Now: at(1000), Lease: time.Hour, Limit: limit})
					return err
				})
				if err != nil || len(got) == 0 {
					if attempt == 0 {
						first.Done()
					}
					if err != nil {
						t.Errorf("%s: ClaimJobs: %v", runner, err)
					}
					return
				}
				if len(got) > limit {
					t.Errorf("%s claimed %d jobs at once, limit %d", runner, len(got), limit)
				}
				mu.Lock()
				for _, j := range got {
					times[j.ID]++
					if j.LockedBy != runner || j.Attempts != 1 {
						t.Errorf("%s got %+v", runner, j)
					}
				}
				perRunner[c] += len(got)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	var dup []string
	for id, k := range times {
		if k > 1 {
			dup = append(dup, id)
		}
	}
	if len(times) != n || len(dup) > 0 {
		t.Errorf("%d of %d jobs claimed; claimed more than once: %v", len(times), n, dup)
	}
	left, err := s.ListJobs(t.Context(), store.JobFilter{State: store.JobScheduled})
	noErr(t, "ListJobs", err)
	if len(left) != 0 {
		t.Errorf("%d jobs left scheduled", len(left))
	}
	busy := 0
	for _, k := range perRunner {
		if k > 0 {
			busy++
		}
	}
	if busy < 2 {
		t.Errorf("jobs per claimer %v: want more than one claimer to get jobs", perRunner)
	}
	t.Logf("jobs per claimer %v; at most %d claim transactions open at once", perRunner, mostOpen.Load())
}

// testPurgeJobs checks that only finished history older than the cut is deleted: done and
// cancelled jobs, never dead, scheduled or running ones.
func testPurgeJobs(t *testing.T, s store.Store) {
	ctx := t.Context()
	cancelled := job("job_cancelled", "a", 900)
	cancelled.Subject = "dsp_1"
	schedule(t, s, job("job_old", "a", 0), job("job_new", "a", 0), job("job_dead", "a", 0), job("job_run", "b", 0),
		job("job_later", "a", 1000), cancelled)
	write(t, s, func(tx store.Tx) error { _, err := tx.CancelJobs(ctx, "dsp_1", at(5)); return err })
	claim(t, s, "r", at(10), 10, "a", "b")
	noErr(t, "finish", finish(t, s, store.FinishParams{ID: "job_old", Runner: "r", Attempt: 1, Now: at(20)}))
	noErr(t, "finish", finish(t, s, store.FinishParams{ID: "job_new", Runner: "r", Attempt: 1, Now: at(40)}))
	noErr(t, "finish", finish(t, s, store.FinishParams{ID: "job_dead", Runner: "r", Attempt: 1, Now: at(20), Err: "x", Dead: true}))
	var n int64
	write(t, s, func(tx store.Tx) error {
		var err error
		n, err = tx.PurgeJobs(ctx, at(30))
		return err
	})
	same(t, "purged", n, int64(2))
	got, err := s.ListJobs(ctx, store.JobFilter{Page: store.Page{Limit: 100}})
	noErr(t, "ListJobs", err)
	ids := jobIDs(got)
	slices.Sort(ids)
	same(t, "jobs left", ids, []string{"job_dead", "job_later", "job_new", "job_run"})
}
