package app

import (
	"context"
	"errors"
	"maps"
	"slices"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/provider"
	"disputed/internal/store"
)

// EvidenceFile returns an evidence item with the bytes of its file, to exactly whoever may see
// the item in the dispute's evidence (Evidence): the merchant's staff, and the buyer and the
// vendor of a marketplace dispute. Anyone else, an item of another dispute, or an item without
// a file, gets 404.
func (a *App) EvidenceFile(ctx context.Context, who actor.Actor, disputeID, itemID string) (dispute.EvidenceItem, []byte, error) {
	d, err := a.Dispute(ctx, who, disputeID)
	if err != nil {
		return dispute.EvidenceItem{}, nil, err
	}
	it, data, err := a.store.GetEvidenceFile(ctx, itemID)
	if errors.Is(err, store.ErrNotFound) || err == nil && it.DisputeID != d.ID {
		return dispute.EvidenceItem{}, nil, fault.NotFoundf("evidence item", itemID)
	}
	if err != nil {
		return dispute.EvidenceItem{}, nil, err
	}
	if who.Role.Party() {
		seen := dispute.PartyEvidence(d.Type, []dispute.EvidenceItem{it})
		if len(seen) != 1 {
			return dispute.EvidenceItem{}, nil, fault.NotFoundf("evidence item", itemID)
		}
		it = seen[0]
	}
	if data == nil {
		return dispute.EvidenceItem{}, nil, fault.New(fault.NotFound, fault.CodeNoFile, "", "the evidence item %s has no file", itemID)
	}
	return it, data, nil
}

// providerEvidence is what a push of d to a provider of type providerType sends: its staged
// fields, with the files of the evidence items its file fields name (dispute.IsItemRef), which
// must be files of d's evidence and fit the provider (dispute.PacketLimits). The same function
// refuses a packet when the merchant stages or submits it and builds it when the push runs, so
// that a packet the provider would refuse is never sent.
func providerEvidence(ctx context.Context, r store.Reader, d dispute.Dispute, providerType string) (provider.Evidence, error) {
	ev := provider.Evidence{Fields: map[string]string{}}
	var packet []dispute.PacketFile
	for _, field := range slices.Sorted(maps.Keys(d.Evidence)) {
		value := d.Evidence[field]
		if !dispute.IsItemRef(field, value) {
			ev.Fields[field] = value
			continue
		}
		it, data, err := r.GetEvidenceFile(ctx, value)
		if errors.Is(err, store.ErrNotFound) || err == nil && (it.DisputeID != d.ID || data == nil) {
			return provider.Evidence{}, fault.Invalidf(fault.CodeInvalidValue, "evidence."+field,
				"%s names %s, which is not a file in this dispute's evidence: upload the file as an evidence item and stage its id", field, value)
		}
		if err != nil {
			return provider.Evidence{}, err
		}
		if ev.Files == nil {
			ev.Files = map[string]provider.File{}
		}
		ev.Files[field] = provider.File{Name: it.FileName, ContentType: it.ContentType, Data: data}
		packet = append(packet, dispute.PacketFile{Field: field, Name: it.FileName, ContentType: it.ContentType,
			Size: int64(len(data)), Pages: dispute.Pages(it.ContentType, data)})
	}
	if limits, ok := dispute.ProviderPacketLimits(providerType); ok {
		if err := limits.Check(packet); err != nil {
			return provider.Evidence{}, err
		}
	}
	return ev, nil
}

// checkStagedFiles refuses staged evidence whose files are not this dispute's, or do not fit the
// provider the dispute came from, before the change is saved and pushed.
func (a *App) checkStagedFiles(ctx context.Context, tx store.Tx, d dispute.Dispute) error {
	providerType := ""
	if d.Provider != "" && d.ProviderDisputeID != "" {
		p, err := tx.GetProvider(ctx, d.Provider)
		switch {
		case err == nil:
			if _, ok := a.responderFor(p); ok {
				providerType = p.Type
			}
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
	}
	_, err := providerEvidence(ctx, tx, d, providerType)
	return err
}
