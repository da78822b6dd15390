package app_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/provider/stripe/stripefake"
	"disputed/internal/provider/stripe/stripemock"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

var importSince = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// providerDisputes lists every dispute, newest first.
func providerDisputes(t *testing.T, e *testenv.Env) []dispute.Dispute {
	t.Helper()
	return testenv.Must(e.Store.ListDisputes(e.Ctx, store.DisputeFilter{Page: store.Page{Limit: 100}}))(t)
}

// finished runs the jobs and the appliers and returns the import as they left it.
func finished(t *testing.T, e *testenv.Env, id string) store.ProviderImport {
	t.Helper()
	e.RunJobs()
	e.ApplyInbox()
	return testenv.Must(e.App.ProviderImport(e.Ctx, testenv.Admin, "stripe", id))(t)
}

// TestImportStripeMockHistory: an import started from the API or the page runs as a job through
// Stripe's four lists (stripe-mock's one object each), appends each object as a provider event
// and applies it: the dispute is opened. Imported again, nothing is appended, and nothing new
// happens.
func TestImportStripeMockHistory(t *testing.T) {
	t.Parallel()
	base := stripemock.Start(t)
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("sk_test_123", base)
		imp := testenv.Must(e.App.StartImport(e.Ctx, testenv.Admin, "stripe", importSince))(t)
		if imp.State != store.ImportRunning || imp.Provider != "stripe" || !imp.Since.Equal(importSince) {
			t.Fatalf("started: %+v", imp)
		}
		if js := jobsOf(t, e, store.JobFilter{Kind: app.KindProviderImport, State: store.JobScheduled}); len(js) != 1 {
			t.Fatalf("%d import jobs scheduled, want 1", len(js))
		}
		done := finished(t, e, imp.ID)
		if done.State != store.ImportDone || done.Read != 4 || done.Appended != 4 || done.FinishedAt.IsZero() || done.Error != "" {
			t.Fatalf("import: %+v; want done, 4 read, 4 appended", done)
		}
		ds := providerDisputes(t, e)
		if len(ds) != 1 || ds[0].Provider != "stripe" || ds[0].ProviderDisputeID == "" || ds[0].Amount != 1000 {
			t.Fatalf("disputes %+v; want stripe-mock's one", ds)
		}

		again := finished(t, e, testenv.Must(e.App.StartImport(e.Ctx, testenv.Admin, "stripe", importSince))(t).ID)
		if again.State != store.ImportDone || again.Read != 4 || again.Appended != 0 {
			t.Errorf("imported again: %+v; want 4 read, none appended", again)
		}
		if n := len(providerDisputes(t, e)); n != 1 {
			t.Errorf("%d disputes after importing again", n)
		}
		list, more, err := e.App.ProviderImports(e.Ctx, testenv.Admin, "stripe", store.Page{Limit: 1})
		if err != nil || len(list) != 1 || list[0].ID != again.ID || !more {
			t.Errorf("imports %+v (more %v, %v); want the second first, and more", list, more, err)
		}
	})
}

// stripeHistory serves, besides 150 charges of no order here, a dispute and an early fraud
// warning on the charges of two sales.
func stripeHistory(t *testing.T, e *testenv.Env) (*stripefake.Lists, [2]testenv.Sale) {
	t.Helper()
	sales := [2]testenv.Sale{e.Sale(testenv.SaleParams{Amount: 4999}), e.Sale(testenv.SaleParams{Amount: 2500})}
	l := &stripefake.Lists{APIKey: "sk_test_fake"}
	created := importSince.Unix()
	for i := range 150 {
		l.Add(stripefake.Charges, stripefake.Charge(fmt.Sprintf("ch_other%03d", i), created+int64(i), 100))
	}
	l.Add(stripefake.Disputes, stripefake.Dispute("dp_1QStripe0001", sales[0].Charge.ProviderReference, created+500, 4999))
	l.Add(stripefake.EarlyFraudWarnings, map[string]any{"id": "issfr_1", "object": "radar.early_fraud_warning", "actionable": true,
		"charge": sales[1].Charge.ProviderReference, "created": created + 600, "fraud_type": "made_with_stolen_card", "livemode": false})
	srv := httptest.NewServer(l)
	t.Cleanup(srv.Close)
	e.StripeProvider("sk_test_fake", srv.URL)
	return l, sales
}

// TestImportResumesFromItsCursor: a run stopped mid-way (the process killed, the context ended)
// leaves the import running with the cursor of its last page written; the next run reads on from
// there, and every object is appended once. Stripe's through disputed import's path (OpenImport,
// RunImport); PayPal's (testPayPalImportResumes) through the page's (StartImport and its job).
func TestImportResumesFromItsCursor(t *testing.T) {
	t.Parallel()
	t.Run("stripe", testStripeImportResumes)
	t.Run("paypal", testPayPalImportResumes)
}

func testStripeImportResumes(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		l, sales := stripeHistory(t, e)
		imp, resumed, err := e.App.OpenImport(e.Ctx, testenv.Admin, "stripe", importSince)
		if err != nil || resumed {
			t.Fatal("a first import reported as resumed")
		}
		ctx, stop := context.WithCancel(e.Ctx)
		var pages []app.ImportProgress
		err = e.App.RunImport(ctx, imp.ID, func(p app.ImportProgress) { pages = append(pages, p); stop() })
		if !errors.Is(err, context.Canceled) || len(pages) != 1 || pages[0].Page != 100 || pages[0].LastType != "charge.succeeded" {
			t.Fatalf("stopped run: %v, pages %+v", err, pages)
		}
		left := testenv.Must(e.App.ProviderImport(e.Ctx, testenv.Admin, "stripe", imp.ID))(t)
		if left.State != store.ImportRunning || left.Read != 100 || left.Cursor == "" {
			t.Fatalf("after the stop: %+v", left)
		}
		asked := len(l.Asked())

		again, resumed, err := e.App.OpenImport(e.Ctx, testenv.Admin, "stripe", time.Time{})
		if err != nil || !resumed || again.ID != imp.ID {
			t.Fatalf("the second run took %+v (resumed %v), not the import left running", again, resumed)
		}
		if err := e.App.RunImport(e.Ctx, imp.ID, nil); err != nil {
			t.Fatalf("resumed run: %v", err)
		}
		e.ApplyInbox()
		done := testenv.Must(e.App.ProviderImport(e.Ctx, testenv.Admin, "stripe", imp.ID))(t)
		if done.State != store.ImportDone || done.Read != 152 || done.Appended != 152 {
			t.Fatalf("resumed import: %+v; want done, 152 read and appended", done)
		}
		if first := l.Asked()[asked]; !strings.HasSuffix(first, "starting_after=ch_other050") {
			t.Errorf("resumed with %s, not after the first page's last charge", first)
		}
		ds := providerDisputes(t, e)
		byCase := map[string]dispute.Dispute{}
		for _, d := range ds {
			byCase[d.ProviderDisputeID] = d
		}
		if d := byCase["dp_1QStripe0001"]; len(ds) != 2 || d.TransactionID != sales[0].Charge.ID || d.Status != dispute.NeedsResponse {
			t.Errorf("disputes %+v: want the chargeback on the first sale", ds)
		}
		if d := byCase["issfr_1"]; d.Type != dispute.Alert || d.TransactionID != sales[1].Charge.ID {
			t.Errorf("warning %+v: want an alert on the second sale", d)
		}
		// The 150 charges listed are recorded, each once, beside the two sales recorded before.
		txns := testenv.Must(e.Store.ListTransactions(e.Ctx, store.TransactionFilter{Provider: "stripe", Kind: "charge", Page: store.Page{Limit: 1000}}))(t)
		if len(txns) != 152 {
			t.Errorf("%d Stripe charges recorded; want the 150 imported and the 2 sales", len(txns))
		}
	})
}

// TestImportAndWebhookApplyOnce: a dispute reported by its webhook and by an import, in either
// order, is one dispute, opened once.
func TestImportAndWebhookApplyOnce(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		_, sales := stripeHistory(t, e)
		ref := sales[0].Charge.ProviderReference
		testenv.Must(e.SendStripe(testenv.StripeEvent("evt_1", "charge.dispute.created", "needs_response", "dp_1QStripe0001", ref, e.Clock.Now())))(t)
		imp := testenv.Must(e.App.StartImport(e.Ctx, testenv.Admin, "stripe", importSince))(t)
		if done := finished(t, e, imp.ID); done.State != store.ImportDone {
			t.Fatalf("import: %+v", done)
		}
		testenv.Must(e.SendStripe(testenv.StripeEvent("evt_2", "charge.dispute.updated", "needs_response", "dp_1QStripe0001", ref, e.Clock.Now())))(t)
		var ofCase []dispute.Dispute
		for _, d := range providerDisputes(t, e) {
			if d.ProviderDisputeID == "dp_1QStripe0001" {
				ofCase = append(ofCase, d)
			}
		}
		if len(ofCase) != 1 {
			t.Fatalf("%d disputes for one case", len(ofCase))
		}
		tl := testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, ofCase[0].ID))(t)
		if n := timelineCounts(tl)["created"]; n != 1 {
			t.Errorf("opened %d times: %v", n, timelineCounts(tl))
		}
		if n := eventCount(e, ofCase[0].ID, "dispute.created"); n != 1 {
			t.Errorf("%d dispute.created events", n)
		}
	})
}

// TestImportRefused: only an admin imports, only a provider that can, one import at a time; a
// provider that refuses the key fails the import with its answer; an import left running with
// no job, and not moved for two minutes, is given one job.
func TestImportRefused(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		l, _ := stripeHistory(t, e)
		testenv.Must(e.App.CreateProvider(e.Ctx, testenv.Admin, app.ProviderParams{Name: "feed", Type: "generic", WebhookSecret: "s3cret"}))(t)
		code := func(err error) string { return fault.Code(err) }
		agent := actor.Key("key_agent", actor.Agent, "")
		if _, err := e.App.StartImport(e.Ctx, agent, "stripe", importSince); code(err) != fault.CodeForbidden {
			t.Errorf("an agent: %v", err)
		}
		if _, err := e.App.StartImport(e.Ctx, testenv.Admin, "feed", importSince); code(err) != fault.CodeProviderCannotImport {
			t.Errorf("a generic feed: %v", err)
		}
		if _, err := e.App.StartImport(e.Ctx, testenv.Admin, "nope", importSince); code(err) != fault.CodeNotFound {
			t.Errorf("an unknown provider: %v", err)
		}
		if _, err := e.App.StartImport(e.Ctx, testenv.Admin, "stripe", e.Clock.Now().Add(48*time.Hour)); code(err) != fault.CodeInvalidValue {
			t.Errorf("since in the future: %v", err)
		}

		left, _, err := e.App.OpenImport(e.Ctx, testenv.Admin, "stripe", importSince)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.App.StartImport(e.Ctx, testenv.Admin, "stripe", importSince); code(err) != fault.CodeImportRunning {
			t.Errorf("a second import: %v", err)
		}
		resume := func(want int) {
			t.Helper()
			if err := e.App.ResumeImports(e.Ctx); err != nil {
				t.Fatal(err)
			}
			if js := jobsOf(t, e, store.JobFilter{Kind: app.KindProviderImport}); len(js) != want {
				t.Fatalf("%d jobs for the import left running, want %d", len(js), want)
			}
		}
		resume(0) // a foreground run may still be at it
		e.Clock.Advance(3 * time.Minute)
		resume(1)
		resume(1)
		l.Fail = func(r *http.Request) int {
			if r.URL.Path == stripefake.Refunds {
				return http.StatusUnauthorized
			}
			return 0
		}
		failed := finished(t, e, left.ID)
		if failed.State != store.ImportFailed || failed.Read != 150 || !strings.Contains(failed.Error, "refunds") || !strings.Contains(failed.Error, "401") {
			t.Errorf("refused by Stripe: %+v", failed)
		}
	})
}

// TestImportJobHandsOn: a job whose time is up after a page stores its cursor and hands on to
// the next job, which reads on from there: the import ends done, each page read once.
func TestImportJobHandsOn(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		l, _ := stripeHistory(t, e)
		l.Fail = func(*http.Request) int {
			e.Clock.Advance(time.Minute) // every page takes longer than a job's slice
			return 0
		}
		imp := testenv.Must(e.App.StartImport(e.Ctx, testenv.Admin, "stripe", importSince))(t)
		done := finished(t, e, imp.ID)
		if done.State != store.ImportDone || done.Read != 152 || done.Appended != 152 {
			t.Fatalf("import: %+v", done)
		}
		// Charges (two pages), refunds, disputes, warnings: a job each, and one that finds the
		// cursor at the end (it is the importer's, opaque) and ends the import.
		if js := jobsOf(t, e, store.JobFilter{Kind: app.KindProviderImport, State: store.JobDone}); len(js) != 6 || len(l.Asked()) != 5 {
			t.Errorf("%d jobs done, %d pages asked; want 6 and 5", len(js), len(l.Asked()))
		}
	})
}

// TestImportCanceled: an import canceled while it runs writes no page after the one it was on
// (the command's run ends quietly, as the job's does), keeps what it wrote, and can be started
// again; only a running import of the provider named can be canceled, and only by an admin.
func TestImportCanceled(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		stripeHistory(t, e)
		imp := testenv.Must(e.App.StartImport(e.Ctx, testenv.Admin, "stripe", importSince))(t)
		agent := actor.Key("key_agent", actor.Agent, "")
		_, err := e.App.CancelImport(e.Ctx, agent, "stripe", imp.ID)
		testenv.WantFault(t, err, fault.Forbidden, fault.CodeForbidden)
		_, err = e.App.CancelImport(e.Ctx, testenv.Admin, "paypal", imp.ID)
		testenv.WantFault(t, err, fault.NotFound, fault.CodeNotFound)
		var canceled store.ProviderImport
		err = e.App.RunImport(e.Ctx, imp.ID, func(p app.ImportProgress) {
			if canceled.ID == "" {
				canceled = testenv.Must(e.App.CancelImport(e.Ctx, testenv.Admin, "stripe", imp.ID))(t)
			}
		})
		if err != nil {
			t.Fatalf("the run canceled under it: %v", err)
		}
		if canceled.State != store.ImportCanceled || canceled.FinishedAt.IsZero() || canceled.Error != "canceled by "+testenv.Admin.String() {
			t.Errorf("the cancel answered %+v", canceled)
		}
		left := finished(t, e, imp.ID) // its job, scheduled at the start, finds it canceled
		if left.State != store.ImportCanceled || left.Read != 100 || left.Appended != 100 {
			t.Fatalf("after the cancel: %+v; want canceled after its first page of 100", left)
		}
		if n := len(providerDisputes(t, e)); n != 0 {
			t.Errorf("%d disputes: the second page, read after the cancel, was written", n)
		}
		_, err = e.App.CancelImport(e.Ctx, testenv.Admin, "stripe", imp.ID)
		testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)
		again := finished(t, e, testenv.Must(e.App.StartImport(e.Ctx, testenv.Admin, "stripe", importSince))(t).ID)
		if again.State != store.ImportDone || again.Read != 152 || again.Appended != 52 {
			t.Errorf("started again: %+v; want done, the 52 not written before appended", again)
		}
	})
}
