package dispute

import (
	"fmt"
	"slices"
)

// PacketExhibit is one exhibit of a rendered packet, with what it weighs in it.
type PacketExhibit struct {
	Mark, Label string
	Pages       int
	Bytes       int64
}

// PacketFit says whether a packet (the evidence as one PDF) fits where it goes, and if not,
// what to cut.
type PacketFit struct {
	Limits []PacketLimits // every limit that applies: the provider's, then the network's
	Over   []string       // each limit passed, in words; empty when the packet fits
	// Cut are the exhibits whose removal would bring the packet within every limit: the
	// heaviest first, by pages where pages are over and by bytes where bytes are, so that the
	// merchant cuts as little as possible.
	Cut []PacketExhibit
}

// PacketBytes is the most a packet may weigh under l: the packet is one file, so both the limit
// on a file and the limit on all files hold for it; 0 when l sets neither.
func (l PacketLimits) PacketBytes() int64 {
	if l.MaxFileBytes > 0 && (l.MaxTotalBytes == 0 || l.MaxFileBytes < l.MaxTotalBytes) {
		return l.MaxFileBytes
	}
	return l.MaxTotalBytes
}

// Fits reports whether the packet is within every limit.
func (f PacketFit) Fits() bool { return len(f.Over) == 0 }

// FitPacket measures a packet of pages and bytes, made of exhibits, against the limits of the
// provider type and card network its dispute is on. The packet is one PDF: a limit on one file,
// on all files and on pages all hold for it.
func FitPacket(providerType, network string, pages int, bytes int64, exhibits []PacketExhibit) PacketFit {
	var fit PacketFit
	if l, ok := ProviderPacketLimits(providerType); ok {
		fit.Limits = append(fit.Limits, l)
	}
	if l, ok := NetworkPacketLimits(network); ok {
		fit.Limits = append(fit.Limits, l)
	}
	var overPages int
	var overBytes int64
	for _, l := range fit.Limits {
		maxBytes := l.PacketBytes()
		if l.MaxPages > 0 && pages > l.MaxPages {
			overPages = max(overPages, pages-l.MaxPages)
			fit.Over = append(fit.Over, fmt.Sprintf("%s takes at most %d pages; the packet has %d, %d too many", l.Name, l.MaxPages, pages, pages-l.MaxPages))
		}
		if maxBytes > 0 && bytes > maxBytes {
			overBytes = max(overBytes, bytes-maxBytes)
			fit.Over = append(fit.Over, fmt.Sprintf("%s takes at most %s; the packet has %s, %s too many", l.Name, bytesFor(maxBytes), bytesFor(bytes), bytesFor(bytes-maxBytes)))
		}
	}
	fit.Cut = toCut(exhibits, overPages, overBytes)
	return fit
}

// toCut picks exhibits, heaviest first, until the pages and bytes over are made up.
func toCut(exhibits []PacketExhibit, pages int, bytes int64) []PacketExhibit {
	weight := func(e PacketExhibit) int64 {
		var w int64
		if pages > 0 {
			w += int64(e.Pages) << 40 // pages first: a page is worth more than any byte count
		}
		if bytes > 0 {
			w += e.Bytes
		}
		return w
	}
	left := slices.Clone(exhibits)
	var out []PacketExhibit
	for (pages > 0 || bytes > 0) && len(left) > 0 {
		i := 0
		for j := range left {
			if weight(left[j]) > weight(left[i]) {
				i = j
			}
		}
		out = append(out, left[i])
		pages -= left[i].Pages
		bytes -= left[i].Bytes
		left = slices.Delete(left, i, i+1)
	}
	return out
}
