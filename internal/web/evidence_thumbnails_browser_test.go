package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/store"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// The files of the thumbnails test: a 1×1 PNG, a one-page PDF, and a page that would call the
// API if a browser ran it.
var (
	thumbnailPNG = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"),
		[]byte("\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")...)
	thumbnailPDF  = []byte("%PDF-1.4\n1 0 obj<</Type /Pages /Count 1>>endobj\n2 0 obj<</Type /Page /Parent 1 0 R>>endobj\n%%EOF\n")
	thumbnailHTML = []byte("<!DOCTYPE html><html><body><script>fetch('/v1/api_keys')</script></body></html>")
)

// thumbnailShown waits until the page shows the image of the evidence item as a thumbnail: the
// <img> has loaded the file (so the route served it and the page's policy let it in).
func thumbnailShown(t *testing.T, ctx context.Context, item string) {
	t.Helper()
	js := `(() => { const i = document.querySelector("#item-` + item + ` .evidence-thumb img");
		return !!i && i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width > 0 })()`
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no thumbnail of %s (error %v):\n%s", item, err, thumbnailPageSource(t, ctx))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// thumbnailPageSource is the whole document as the browser has it.
func thumbnailPageSource(t *testing.T, ctx context.Context) string {
	t.Helper()
	return browsertest.Eval[string](t, ctx, `document.documentElement.outerHTML`)
}

// thumbnailPage loads the page at url and waits until sel is in it.
func thumbnailPage(t *testing.T, ctx context.Context, url, sel string) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS(sel)))
}

// TestBrowserEvidenceThumbnails: the buyer's photo is a thumbnail on the portal and on the
// admin's dispute page, a PDF a link to open it; a page disguised as a photo is refused by the
// portal as by the API.
func TestBrowserEvidenceThumbnails(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	sale := e.Sale(testenv.SaleParams{VendorID: "ven_thumbs"})
	id := e.Dispute(sale, "marketplace").ID
	buyer := actor.Key("key_thumbs_buyer", actor.Buyer, sale.Customer.ID)
	photo, _, err := e.App.AddEvidence(e.Ctx, buyer, id, nil, app.EvidenceParams{Type: "file", FileName: "box.png", File: thumbnailPNG})
	if err != nil {
		t.Fatal(err)
	}
	invoice, _, err := e.App.AddEvidence(e.Ctx, testenv.Admin, id, nil, app.EvidenceParams{Type: "file", FileName: "invoice.pdf", File: thumbnailPDF})
	if err != nil {
		t.Fatal(err)
	}

	// The admin first: until there is one, the sign-in page sends everyone to the set-up.
	admin := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
	ctx := browsertest.NewSignedIn(t, e, c, actor.Buyer, sale.Customer.ID)
	thumbnailPage(t, ctx, c.URL+"/portal/disputes/"+id, "ol.evidence-list")
	thumbnailShown(t, ctx, photo.ID)
	if html := thumbnailPageSource(t, ctx); !strings.Contains(html, `href="/portal/disputes/`+id+`/evidence/`+invoice.ID+`/file"`) {
		t.Errorf("the portal does not link the PDF:\n%s", html)
	}

	page := filepath.Join(t.TempDir(), "photo.png")
	if err := os.WriteFile(page, thumbnailHTML, 0o600); err != nil {
		t.Fatal(err)
	}
	browsertest.Do(t, ctx, browsertest.JS(`document.querySelector("#add-file").closest("details").open = true`),
		chromedp.SetUploadFiles(chromedp.CSS(`#add-file input[type=file]`), []string{page}))
	browsertest.Submit(t, ctx, `#add-file button`, "p.error", "not accepted as evidence")
	if items, _, err := e.App.Evidence(e.Ctx, testenv.Admin, id, store.Page{Limit: 100}); err != nil || len(items) != 2 {
		t.Errorf("%d items after the refused page, want 2 (%v)", len(items), err)
	}

	thumbnailPage(t, admin, c.URL+"/disputes/"+id, "#evidence-items")
	thumbnailShown(t, admin, photo.ID)
	if html := thumbnailPageSource(t, admin); !strings.Contains(html, `href="/disputes/`+id+`/evidence/`+invoice.ID+`/file"`) {
		t.Errorf("the dispute page does not link the PDF:\n%s", html)
	}
}
