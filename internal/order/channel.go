package order

import "disputed/internal/fault"

// Channel is how the card met the merchant: in person or remotely. Visa's VAMP ratio counts
// card-not-present sales only, so the channel decides which sales form its denominator.
type Channel string

// The channels. A transaction recorded without one (NoChannel) counts as card-not-present in the
// monitoring ratios: disputed's merchants sell online.
const (
	NoChannel             Channel = ""
	ChannelCardPresent    Channel = "card_present"
	ChannelCardNotPresent Channel = "card_not_present"
)

// ParseChannel reads a channel name; "" is a channel not said.
func ParseChannel(s string) (Channel, error) {
	switch c := Channel(s); c {
	case NoChannel, ChannelCardPresent, ChannelCardNotPresent:
		return c, nil
	}
	return "", fault.Invalidf(fault.CodeInvalidValue, "channel", "channel must be card_present or card_not_present")
}

// CountedChannel is the channel the monitoring ratios count the transaction in: its own, or
// card-not-present when it said none.
func (c Channel) CountedChannel() Channel {
	if c == NoChannel {
		return ChannelCardNotPresent
	}
	return c
}
