package httpapi

import (
	"context"
	"time"

	"disputed/internal/app"
	"disputed/internal/store"
)

// BlockIn adds a block-list entry.
type BlockIn struct {
	Body struct {
		Kind   string `json:"kind" enum:"email,card_fingerprint,ip,customer"`
		Value  string `json:"value" maxLength:"320"`
		Reason string `json:"reason,omitempty" maxLength:"500"`
	}
}

// BlockOut answers with an entry.
type BlockOut struct{ Body Block }

// BlocksIn lists the block list.
type BlocksIn struct {
	PageQuery
	Kind string `query:"kind" maxLength:"64"`
}

// BlocksOut is a page of entries.
type BlocksOut struct{ Body List[Block] }

// DeletedOut confirms a deletion.
type DeletedOut struct {
	Body struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Deleted bool   `json:"deleted"`
	}
}

func (s *Server) addBlock(ctx context.Context, in *BlockIn) (*BlockOut, error) {
	b, err := s.app.AddBlock(ctx, who(ctx), app.BlockParams{Kind: in.Body.Kind, Value: in.Body.Value, Reason: in.Body.Reason})
	if err != nil {
		return nil, err
	}
	return &BlockOut{Body: blockOut(b)}, nil
}

func (s *Server) listBlocks(ctx context.Context, in *BlocksIn) (*BlocksOut, error) {
	page, err := in.page()
	if err != nil {
		return nil, err
	}
	bs, more, err := s.app.Blocks(ctx, who(ctx), store.BlockFilter{Page: page, Kind: in.Kind})
	if err != nil {
		return nil, err
	}
	return &BlocksOut{Body: listOf(bs, more, blockOut, func(b store.Block) (time.Time, string) { return b.CreatedAt, b.ID })}, nil
}

func (s *Server) deleteBlock(ctx context.Context, in *ByID) (*DeletedOut, error) {
	if err := s.app.DeleteBlock(ctx, who(ctx), in.ID); err != nil {
		return nil, err
	}
	return deleted(in.ID, "blocklist_entry"), nil
}

// deleted confirms that the object is gone.
func deleted(id, object string) *DeletedOut {
	out := &DeletedOut{}
	out.Body.ID, out.Body.Object, out.Body.Deleted = id, object, true
	return out
}
