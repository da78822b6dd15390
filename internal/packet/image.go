package packet

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // decoders for the image kinds evidence files may be
	"image/jpeg"
	_ "image/png"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
)

const (
	// maxPixels bounds what an image may decode to (a small file can claim a huge picture);
	// 40 megapixels covers any phone photo.
	maxPixels = 40_000_000
	// maxSide is the longest side an embedded image keeps: 1,600 pixels across a letter page is
	// about 200 dots per inch, sharper than a fax-grade issuer print and far lighter than a photo.
	maxSide = 1600
	// keepBytes is the size under which a PNG, JPEG or GIF goes in as it is.
	keepBytes = 300_000
)

// fpdfTypes are the image kinds fpdf embeds as they are.
var fpdfTypes = map[string]string{"image/png": "PNG", "image/jpeg": "JPG", "image/gif": "GIF"}

// image embeds an image exhibit on the page, below its caption, and reports the bytes it adds.
// Go's decoders read the file first (fpdf's own PNG reader panics on a truncated file); an image
// that is small and of a kind fpdf embeds goes in as it is, and any other (large, WebP, or one
// fpdf refuses, such as an interlaced PNG) is scaled down and re-encoded as a JPEG: a packet must
// stay within a few megabytes.
func (w *writer) image(ex Exhibit) (int64, error) {
	refuse := func(reason string) error {
		return &ExhibitError{Mark: ex.Mark, Label: ex.Label, Name: ex.File.Name, Reason: reason}
	}
	data := ex.File.Data
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 0, refuse("the image cannot be read")
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return 0, refuse(fmt.Sprintf("the image is %d×%d pixels, more than %d megapixels", cfg.Width, cfg.Height, maxPixels/1_000_000))
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return 0, refuse("the image cannot be read")
	}
	w.images++
	name := fmt.Sprintf("exhibit-%d", w.images)
	kind := fpdfTypes[ex.File.ContentType]
	if kind == "" || len(data) > keepBytes || max(cfg.Width, cfg.Height) > maxSide || !w.register(name, kind, data) {
		if data, err = shrink(img); err != nil {
			return 0, refuse("the image cannot be encoded again")
		}
		if kind = "JPG"; !w.register(name+"-jpeg", kind, data) {
			return 0, refuse("the image cannot be embedded")
		}
		name += "-jpeg"
	}
	info := w.doc.GetImageInfo(name)
	x, y, width, height := w.fit(info.Width(), info.Height())
	w.doc.ImageOptions(name, x, y, width, height, false, fpdf.ImageOptions{ImageType: kind}, 0, "")
	return int64(len(data)), nil
}

// register hands an image to fpdf, and reports whether it took it. fpdf reads images with its own
// parsers, which may refuse (or panic on) a file Go's decoders read.
func (w *writer) register(name, kind string, data []byte) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
		if w.doc.Err() {
			w.doc.ClearError()
			ok = false
		}
	}()
	w.doc.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: kind}, bytes.NewReader(data))
	return true
}

// shrink encodes an image again as a JPEG no longer than maxSide on its longest side, on white
// (a JPEG has no transparency).
func shrink(src image.Image) ([]byte, error) {
	b := src.Bounds()
	width, height := b.Dx(), b.Dy()
	if side := max(width, height); side > maxSide {
		width, height = max(1, width*maxSide/side), max(1, height*maxSide/side)
	}
	dst := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	// ApproxBiLinear: a photo shrinks by less than 4 times to fit, where it looks as good as
	// the finer kernels and takes a fifth of their time (0.4 s against 1.7 s for 3000×2000).
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, b, draw.Over, nil)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 82}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
