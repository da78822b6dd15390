package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/httpapi"
	"disputed/internal/order"
	"disputed/internal/testenv"
)

// The admin UI's forms over plain HTTP: what the server must refuse (no CSRF token, bad
// uploads, stale pages) and the dashboard's figures. On SQLite, where they ran in cmd/disputed.

// adminState is what the admin forms can change, as the API shows it: compared whole, before and
// after, so that a refused form that changed anything at all shows.
func adminState(t *testing.T, c *testenv.Client, ord, dsp string) string {
	t.Helper()
	var b strings.Builder
	for _, p := range []string{"/v1/orders/" + ord, "/v1/disputes/" + dsp, "/v1/disputes/" + dsp + "/evidence",
		"/v1/disputes/" + dsp + "/notes", "/v1/disputes/" + dsp + "/timeline"} {
		r := c.Get(p)
		testenv.WantStatus(t, r, 200)
		b.Write(r.Raw)
		b.WriteByte('\n')
	}
	return b.String()
}

// TestUIAdminCSRF: every admin form is refused with 403 without the session's CSRF token (none
// or a wrong one) and changes nothing.
func TestUIAdminCSRF(t *testing.T) {
	t.Parallel()
	e, c := adminServer(t)
	f := e.Forms(c, actor.Admin, "")
	sale := e.ManualSale("vm-1")
	ord, line := sale.Order.ID, sale.Lines[0].ID
	d := adminManualDispute(e, ord, "letter")
	dsp, rev := d.ID, fmt.Sprint(d.Revision)
	forms := []struct {
		path string
		form url.Values
	}{
		{"/orders/" + ord + "/void", url.Values{"reason": {"fraud"}, "confirm": {"yes"}}},
		{"/orders/" + ord + "/dispute", url.Values{"reason": {"again"}, "confirm": {"yes"}}},
		{"/lines/" + line + "/confirm", url.Values{"action": {"suspend"}, "back": {"/orders/" + ord}}},
		{"/disputes/" + dsp + "/notes", url.Values{"body": {"a note"}}},
		{"/disputes/" + dsp + "/evidence", url.Values{"type": {"text"}, "content": {"proof"}, "revision": {rev}}},
		{"/disputes/" + dsp + "/staged", url.Values{"field": {"uncategorized_text"}, "value": {"x"}, "submit": {"yes"}, "revision": {rev}}},
		{"/disputes/" + dsp + "/submit", url.Values{"revision": {rev}}},
		{"/disputes/" + dsp + "/concede", url.Values{"confirm": {"yes"}, "revision": {rev}}},
		{"/disputes/" + dsp + "/status", url.Values{"status": {"under_review"}, "revision": {rev}}},
		{"/disputes/" + dsp + "/resolve", url.Values{"resolution": {"lost"}, "confirm": {"yes"}, "revision": {rev}}},
	}
	before := adminState(t, c, ord, dsp)
	for _, tt := range forms {
		for _, token := range []string{"", "forged-" + f.CSRF} {
			form := url.Values{}
			for k, v := range tt.form {
				form[k] = v
			}
			if token != "" {
				form.Set("csrf_token", token)
			}
			if a := f.Post(tt.path, form); a.Status != http.StatusForbidden {
				t.Errorf("POST %s with token %q: %d, want 403", tt.path, token, a.Status)
			}
		}
		if a := f.Upload(tt.path, tt.form, "proof.txt", []byte("proof")); a.Status != http.StatusForbidden {
			t.Errorf("POST %s as multipart without a token: %d, want 403", tt.path, a.Status)
		}
	}
	if after := adminState(t, c, ord, dsp); after != before {
		t.Fatalf("forms without the CSRF token changed something:\nbefore %s\nafter %s", before, after)
	}
	// The same forms with the token work (the note stands for them all).
	if a := f.Post("/disputes/"+dsp+"/notes", f.Signed(url.Values{"body": {"a note"}})); a.Status != http.StatusSeeOther ||
		!strings.HasPrefix(a.Location, "/disputes/"+dsp+"?done=") {
		t.Fatalf("note with the token: %d %s", a.Status, a.Location)
	}
	if n := len(testenv.Want[httpapi.List[httpapi.Note]](t, c.Get("/v1/disputes/"+dsp+"/notes"), 200).Data); n != 1 {
		t.Fatalf("%d notes after one", n)
	}
}

// TestUIAdminFormsRefused: what the browser's checks would stop is refused by the server too,
// an agent may not void, and a stale page cannot overwrite a newer change.
func TestUIAdminFormsRefused(t *testing.T) {
	t.Parallel()
	e, c := adminServer(t)
	admin := e.Forms(c, actor.Admin, "")
	agent := e.Forms(c, actor.Agent, "")
	ord := e.ManualSale("vm-2").Order.ID
	// The order compared whole: a refused form must change nothing of it.
	before := c.Get("/v1/orders/" + ord).String()
	for _, form := range []url.Values{
		{"reason": {"   "}, "confirm": {"yes"}},
		{"reason": {"fraud"}},
		{"reason": {strings.Repeat("x", 501)}, "confirm": {"yes"}},
	} {
		a := admin.Post("/orders/"+ord+"/void", admin.Signed(form))
		if a.Status != http.StatusUnprocessableEntity || !strings.Contains(a.Body, `class="modal shown"`) {
			t.Errorf("void %v: %d, want 422 with the modal open again", form, a.Status)
		}
	}
	if a := agent.Post("/orders/"+ord+"/void", agent.Signed(url.Values{"reason": {"fraud"}, "confirm": {"yes"}})); a.Status != http.StatusForbidden {
		t.Errorf("void by an agent: %d, want 403", a.Status)
	}
	if a := agent.Get("/orders/" + ord); strings.Contains(a.Body, `id="void-button"`) {
		t.Error("an agent is offered the Void button")
	}
	for _, form := range []url.Values{
		{"reason": {""}, "confirm": {"yes"}},
		{"reason": {"case"}},
		{"reason": {"case"}, "confirm": {"yes"}, "evidence_due_by": {"next tuesday"}},
		{"reason": {"case"}, "confirm": {"yes"}, "evidence_due_by": {"2001-01-01T00:00"}},
	} {
		if a := admin.Post("/orders/"+ord+"/dispute", admin.Signed(form)); a.Status != http.StatusUnprocessableEntity {
			t.Errorf("open dispute %v: %d, want 422", form, a.Status)
		}
	}
	if after := c.Get("/v1/orders/" + ord).String(); after != before {
		t.Fatalf("refused forms changed the order:\n%s\n%s", before, after)
	}

	d := adminManualDispute(e, ord, "letter")
	dsp, rev := d.ID, fmt.Sprint(d.Revision)
	testenv.Must(e.App.AddNote(e.Ctx, testenv.Admin, dsp, "bump nothing"))(t)
	testenv.Must(e.App.UpdateDispute(e.Ctx, testenv.Admin, dsp, d.Revision,
		app.UpdateDisputeParams{UpdateParams: dispute.UpdateParams{Tags: &[]string{"vip"}}}))(t)
	a := admin.Post("/disputes/"+dsp+"/resolve", admin.Signed(url.Values{"resolution": {"lost"}, "confirm": {"yes"}, "revision": {rev}}))
	if a.Status != http.StatusConflict || !strings.Contains(a.Body, "Someone changed this dispute") {
		t.Fatalf("resolve from a stale page: %d", a.Status)
	}
	a = admin.Post("/disputes/"+dsp+"/resolve", admin.Signed(url.Values{"resolution": {"favor_vendor"}, "confirm": {"yes"}}))
	if a.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a marketplace resolution on a manual dispute: %d, want 422", a.Status)
	}
	if got := adminDispute(t, c, dsp); got.Status != "needs_response" {
		t.Fatalf("refused resolutions changed the dispute: status %s", got.Status)
	}
}

// adminEvidencePath is the evidence form's path of a new dispute on a new sale.
func adminEvidencePath(e *testenv.Env) (dsp, path string) {
	e.T.Helper()
	d := adminManualDispute(e, e.Sale(testenv.SaleParams{Amount: 1000}).Order.ID, "letter")
	return d.ID, "/disputes/" + d.ID + "/evidence"
}

// TestUIAdminEvidenceUpload: files are limited in size and kind, checked on their content.
func TestUIAdminEvidenceUpload(t *testing.T) {
	t.Parallel()
	e, c := adminServer(t)
	f := e.Forms(c, actor.Admin, "")
	dsp, path := adminEvidencePath(e)
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
	tests := []struct {
		name   string
		typ    string
		file   string
		data   []byte
		status int
	}{
		{"too large", "file", "big.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 10<<20)...), http.StatusRequestEntityTooLarge},
		{"an executable", "file", "setup.pdf", append([]byte("MZ\x90\x00"), make([]byte, 600)...), http.StatusUnsupportedMediaType},
		{"html", "file", "page.txt", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), http.StatusUnsupportedMediaType},
		{"a PDF as an image", "image", "scan.png", []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n"), http.StatusUnprocessableEntity},
		{"a file on a text item", "text", "note.txt", []byte("hello"), http.StatusUnprocessableEntity},
		{"empty", "file", "empty.pdf", nil, http.StatusUnprocessableEntity},
		{"an image", "image", "receipt.png", png, http.StatusSeeOther},
		{"a PDF", "file", "invoice.pdf", []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n"), http.StatusSeeOther},
	}
	for _, tt := range tests {
		if a := f.Upload(path, f.Signed(url.Values{"type": {tt.typ}}), tt.file, tt.data); a.Status != tt.status {
			t.Errorf("%s: %d, want %d\n%s", tt.name, a.Status, tt.status, a.Body)
		}
	}
	items := testenv.Want[httpapi.List[httpapi.EvidenceItem]](t, c.Get("/v1/disputes/"+dsp+"/evidence"), 200).Data
	if len(items) != 2 || adminDeref(items[0].ContentType) != "image/png" || adminDeref(items[1].FileName) != "invoice.pdf" {
		t.Fatalf("evidence after the uploads: %+v", items)
	}
	if a := f.Upload(path, f.Signed(url.Values{"type": {"file"}}), "x.pdf", []byte("%PDF-1.4\n")); a.Status != http.StatusSeeOther {
		t.Fatalf("a small PDF: %d %s", a.Status, a.Body)
	}
	if a := f.Get("/disputes/" + dsp); !strings.Contains(a.Body, "invoice.pdf") || !strings.Contains(a.Body, "image/png") {
		t.Fatal("the dispute page does not list the uploaded files")
	}
}

var listedIDs = regexp.MustCompile(`<td(?: class="ids")?><a href="/disputes/(dsp_[^"]+)">`)

// adminIDs are the dispute ids a page lists, in its order.
func adminIDs(body string) []string {
	out := []string{}
	for _, m := range listedIDs.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestUIAdminDashboardAndList: the dashboard's figures, and the list's filters, search, order
// and pages, against a clock the test holds still.
func TestUIAdminDashboardAndList(t *testing.T) {
	t.Parallel()
	e, c := adminServer(t)
	f := e.Forms(c, actor.Admin, "")
	now := e.Clock.Now()
	chargeback := func(amount int64, cur string, due time.Duration, more func(*app.DisputeParams)) dispute.Dispute {
		return e.Dispute(e.Sale(testenv.SaleParams{Amount: amount, Currency: cur}), "chargeback", func(p *app.DisputeParams) {
			p.DueBy = now.Add(due)
			if more != nil {
				more(p)
			}
		})
	}
	overdue := chargeback(1000, "USD", -time.Hour, func(p *app.DisputeParams) { p.Provider, p.ProviderDisputeID = "stripe", "dp_1Abc" }).ID
	soonDispute := chargeback(2000, "USD", 5*time.Hour, func(p *app.DisputeParams) { p.CaseNumber = "CASE-77" })
	soon := soonDispute.ID
	later := chargeback(3000, "EUR", 50*time.Hour, func(p *app.DisputeParams) { p.Tags = []string{"vip"} }).ID
	far := chargeback(500, "EUR", 30*24*time.Hour, nil).ID
	reviewed := chargeback(700, "USD", 2*time.Hour, nil).ID
	testenv.Must(e.App.UpdateDispute(e.Ctx, testenv.Admin, reviewed, 1, app.UpdateDisputeParams{
		UpdateParams: dispute.UpdateParams{Evidence: map[string]string{"uncategorized_text": "x"}, Submit: true}}))(t)
	won := chargeback(100, "USD", 10*24*time.Hour, nil).ID
	testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, won, nil, app.ResolveParams{Resolution: "won"}))(t)
	lost := chargeback(100, "USD", 10*24*time.Hour, nil).ID
	testenv.Must(e.App.CloseDispute(e.Ctx, testenv.Admin, lost, nil, ""))(t)
	manualOrd := e.ManualSale("vm-dash").Order.ID
	adminManualDispute(e, manualOrd, "letter")

	body := f.Get("/").Body
	count := func(id string) string {
		m := regexp.MustCompile(`id="` + id + `">(\d+)<`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no %s on the dashboard", id)
		}
		return m[1]
	}
	// Under review (reviewed) is due in 2 h but nobody has to act: not counted.
	for id, want := range map[string]string{"count-overdue": "1", "count-due24": "1", "count-due72": "1", "count-open": "6"} {
		if got := count(id); got != want {
			t.Errorf("%s = %s, want %s", id, got, want)
		}
	}
	for _, want := range []string{"<td>EUR</td><td class=\"num\">2</td><td class=\"num\">35.00 EUR</td>",
		"<td>USD</td><td class=\"num\">4</td><td class=\"num\">52.00 USD</td>",
		"<td>30 days</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">50 %</td>",
		`href="/orders/` + manualOrd + `"`, "vm-dash"} {
		if !strings.Contains(body, want) {
			t.Errorf("the dashboard lacks %q", want)
		}
	}
	if got := adminIDs(body); !slices.Equal(got, []string{overdue, soon, later}) {
		t.Errorf("due soon on the dashboard: %v, want %v", got, []string{overdue, soon, later})
	}

	body = f.Get("/disputes/" + overdue).Body
	if !strings.Contains(body, `href="https://dashboard.stripe.com/disputes/dp_1Abc"`) || !strings.Contains(body, "overdue by 1 h") {
		t.Error("the dispute page lacks the Stripe dashboard link or the overdue badge")
	}

	email := adminDeref(testenv.Want[httpapi.Customer](t, c.Get("/v1/customers/"+soonDispute.CustomerID), 200).Email)
	tests := []struct {
		query string
		want  []string
	}{
		{"provider=stripe", []string{overdue}},
		{"q=" + url.QueryEscape(strings.ToUpper(email)), []string{soon}},
		{"q=case-77", []string{soon}},
		{"q=" + won, []string{won}},
		{"status=lost", []string{lost}},
		{"tag=vip", []string{later}},
		{"due=overdue", []string{overdue}},
		{"due=24h&sort=due", []string{reviewed, soon}},
		{"due=72h&sort=amount", []string{later, soon, reviewed}},
		{"due_before=" + now.Add(24*time.Hour).Format("2006-01-02") + "&open=1&sort=due", []string{overdue, reviewed, soon}},
		{"open=1&sort=due&type=chargeback", []string{overdue, reviewed, soon, later, far}},
	}
	for _, tt := range tests {
		if got := adminIDs(f.Get("/disputes?" + tt.query).Body); !slices.Equal(got, tt.want) {
			t.Errorf("/disputes?%s: %v, want %v", tt.query, got, tt.want)
		}
	}
	if body := f.Get("/disputes?due=overdue").Body; !strings.Contains(body, `class="badge deadline overdue"`) {
		t.Error("the list has no overdue badge")
	}

	for i := range 30 {
		chargeback(100, "USD", 40*24*time.Hour, func(p *app.DisputeParams) { p.CaseNumber = fmt.Sprintf("bulk-%d", i) })
	}
	body = f.Get("/disputes?q=bulk").Body
	first := adminIDs(body)
	if len(first) != 25 || !strings.Contains(body, `href="/disputes?page=2&amp;q=bulk"`) {
		t.Fatalf("first page of 30: %d rows, next link present %v", len(first), strings.Contains(body, "page=2"))
	}
	body = f.Get("/disputes?q=bulk&page=2").Body
	second := adminIDs(body)
	if len(second) != 5 || slices.Contains(first, second[0]) || strings.Contains(body, "page=3") {
		t.Fatalf("second page: %v", second)
	}
}

// TestUIAdminMarketplace: a marketplace dispute goes through its review, is resolved with a
// partial refund given in the currency's decimals, and is closed, all through the page's forms.
func TestUIAdminMarketplace(t *testing.T) {
	t.Parallel()
	e, c := adminServer(t)
	f := e.Forms(c, actor.Admin, "")
	sale := e.Sale(testenv.SaleParams{Line: &order.LineSpec{Panel: "manual", ExternalID: "svc-1"}})
	dsp := e.Dispute(sale, "marketplace", func(p *app.DisputeParams) { p.Description = "not as described" }).ID
	path := "/disputes/" + dsp
	step := func(action string, form url.Values, wantStatus int) {
		t.Helper()
		form.Set("revision", fmt.Sprint(adminDispute(t, c, dsp).Revision))
		if a := f.Post(path+"/"+action, f.Signed(form)); a.Status != wantStatus {
			t.Fatalf("%s %v: %d, want %d\n%s", action, form, a.Status, wantStatus, a.Body)
		}
	}
	body := f.Get(path).Body
	for _, want := range []string{`value="pending_review"`, `id="item-form"`} {
		if !strings.Contains(body, want) {
			t.Errorf("an open marketplace dispute's page lacks %s", want)
		}
	}
	if strings.Contains(body, `id="resolve"`) || strings.Contains(body, `id="stage-form"`) {
		t.Error("an open marketplace dispute offers a resolution or the evidence dictionary")
	}
	step("status", url.Values{"status": {"pending_review"}, "note": {"both sides heard"}}, http.StatusSeeOther)
	body = f.Get(path).Body
	for _, res := range []string{"full_refund", "partial_refund", "favor_vendor", "favor_buyer", "mutual_agreement"} {
		if !strings.Contains(body, `name="resolution" value="`+res+`"`) {
			t.Errorf("resolution %s is not offered", res)
		}
	}
	if strings.Contains(body, `value="won"`) {
		t.Error("a chargeback resolution is offered on a marketplace dispute")
	}
	step("resolve", url.Values{"resolution": {"partial_refund"}, "refund_amount": {"5.005"}, "confirm": {"yes"}}, http.StatusUnprocessableEntity)
	step("resolve", url.Values{"resolution": {"partial_refund"}, "refund_amount": {"5.00"}, "terminate_lines": {"yes"},
		"notes": {"half the month"}, "confirm": {"yes"}}, http.StatusSeeOther)
	if st := adminOrder(t, c, sale.Order.ID).Status; st != "partially_refunded" {
		t.Fatalf("order after a partial refund: %s", st)
	}
	step("concede", url.Values{"note": {"done"}}, http.StatusUnprocessableEntity) // not confirmed
	step("concede", url.Values{"note": {"done"}, "confirm": {"yes"}}, http.StatusSeeOther)
	if d := adminDispute(t, c, dsp); d.Status != "closed" || adminDeref(d.Resolution) != "partial_refund" {
		t.Fatalf("dispute after closing: status %s, resolution %q", d.Status, adminDeref(d.Resolution))
	}
}

// TestUIEvidenceUploadLeavesNoTemporaryFile uploads a file larger than what a form keeps in
// memory, accepted and refused: no temporary file stays on the server's disk afterwards (a
// buyer's key repeating uploads would otherwise fill it). Not parallel: TMPDIR is the process's.
func TestUIEvidenceUploadLeavesNoTemporaryFile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	e, c := adminServer(t)
	f := e.Forms(c, actor.Admin, "")
	_, path := adminEvidencePath(e)
	pdf := append([]byte("%PDF-1.4\n"), make([]byte, 3<<20)...)
	for typ, status := range map[string]int{"file": http.StatusSeeOther, "image": http.StatusUnprocessableEntity} {
		if a := f.Upload(path, f.Signed(url.Values{"type": {typ}}), "big.pdf", pdf); a.Status != status {
			t.Fatalf("a 3 MiB PDF as %s: %d, want %d\n%s", typ, a.Status, status, a.Body)
		}
	}
	left, err := filepath.Glob(filepath.Join(tmp, "multipart-*"))
	if err != nil || len(left) > 0 {
		t.Fatalf("temporary files left after the uploads: %v %v", left, err)
	}
}
