package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/monitoring"
	"disputed/internal/order"
	"disputed/internal/reasoncode"
)

// RatioReport is a month's dispute ratios against the card networks' monitoring programs.
type RatioReport struct {
	Month   string // YYYY-MM
	Current bool   // the month is the current one: its ratios carry a projection
	Ratios  []monitoring.Ratio
}

// Ratios computes month ("YYYY-MM"; "" is the current month) for every network with a program, or
// only network when not "". Bad month or network: a fault naming "month" / "network".
//
// The counts follow intelligence.md §3.4: a dispute counts in the month it happened
// (happened_at), a sale in the month it was created; chargebacks past the inquiry stage are
// disputes, TC40 and SAFE alerts fraud reports (VAMP only counts them); inquiries, RDR, CDRN and
// Ethoca alerts, manual and marketplace disputes are not counted. A dispute's network is the one
// reasoncode.Classify gives, a sale's its card_network; a sale said with no channel counts as
// card-not-present. A TC40 on a charge that qualified for Visa's Compelling Evidence 3.0, which
// Visa leaves out, is still counted: disputed does not know it of a fraud report.
func (a *App) Ratios(ctx context.Context, month, network string) (RatioReport, error) {
	now := a.now().UTC()
	start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	if month != "" {
		var err error
		if start, err = monitoring.ParseMonth("month", month); err != nil {
			return RatioReport{}, err
		}
	}
	programs, err := programsOf(network)
	if err != nil {
		return RatioReport{}, err
	}
	settings, err := a.store.GetSettings(ctx)
	if err != nil {
		return RatioReport{}, err
	}
	end := start.AddDate(0, 1, 0)
	report := RatioReport{Month: start.Format("2006-01"), Current: !now.Before(start) && now.Before(end)}
	counts, err := a.monthCounts(ctx, start, end)
	if err != nil {
		return RatioReport{}, err
	}
	var previous salesByNetwork
	for _, p := range programs {
		if p.PreviousMonthSales && previous == nil {
			if previous, err = a.salesCounts(ctx, start.AddDate(0, -1, 0), start); err != nil {
				return RatioReport{}, err
			}
		}
	}
	table, approach := EffectiveMonitoringPrograms(settings), EffectiveMonitoringApproach(settings)
	for _, p := range programs {
		c := monitoring.Counts{Disputes: counts.disputes[p.Network], FraudReports: counts.fraudReports[p.Network]}
		sales := counts.sales
		if p.PreviousMonthSales {
			sales = previous
		}
		c.Transactions = sales.of(p)
		r := monitoring.Measure(p, report.Month, c, table.InForce(p, start.Format(time.DateOnly)), approach)
		if report.Current {
			r.Project(p, now.Sub(start), end.Sub(start), approach)
		}
		report.Ratios = append(report.Ratios, r)
	}
	return report, nil
}

// programsOf returns the programs of network, or all of them for "".
func programsOf(network string) ([]monitoring.Program, error) {
	if network == "" {
		return monitoring.Programs, nil
	}
	network = strings.ToLower(network)
	var out []monitoring.Program
	var known []string
	for _, p := range monitoring.Programs {
		known = append(known, p.Network)
		if p.Network == network {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, fault.Invalidf(fault.CodeInvalidValue, "network", "network must be one of %s: the networks with a monitoring program",
			strings.Join(slices.Compact(known), ", "))
	}
	return out, nil
}

// monthCounts are what a month holds for the programs: its sales, and its disputes and fraud
// reports by network.
type monthCounts struct {
	sales                  salesByNetwork
	disputes, fraudReports map[string]int64
}

func (a *App) monthCounts(ctx context.Context, start, end time.Time) (monthCounts, error) {
	sales, err := a.salesCounts(ctx, start, end)
	if err != nil {
		return monthCounts{}, err
	}
	rows, err := a.store.MonitoredDisputeCounts(ctx, start, end)
	if err != nil {
		return monthCounts{}, err
	}
	c := monthCounts{sales: sales, disputes: map[string]int64{}, fraudReports: map[string]int64{}}
	for _, row := range rows {
		d := dispute.Dispute{Type: dispute.Type(row.Type), Stage: dispute.Stage(row.Stage), AlertType: dispute.AlertType(row.AlertType),
			Network: row.Network, Channel: dispute.Channel(row.Channel)}
		network := reasoncode.Classify(d.NetworkHint(), row.NetworkReasonCode, row.Reason).Network
		switch {
		case d.Type == dispute.Chargeback && d.Stage != dispute.StageInquiry:
			c.disputes[network] += row.N
		case d.Type == dispute.Alert && (d.AlertType == dispute.TC40 || d.AlertType == dispute.SAFE):
			c.fraudReports[network] += row.N
		}
	}
	return c, nil
}

// salesByNetwork are a period's sales counted per card network and channel.
type salesByNetwork map[string]map[order.Channel]int64

func (a *App) salesCounts(ctx context.Context, start, end time.Time) (salesByNetwork, error) {
	rows, err := a.store.SalesCounts(ctx, start, end)
	if err != nil {
		return nil, err
	}
	out := salesByNetwork{}
	for _, r := range rows {
		if out[r.CardNetwork] == nil {
			out[r.CardNetwork] = map[order.Channel]int64{}
		}
		out[r.CardNetwork][order.Channel(r.Channel).CountedChannel()] += r.N
	}
	return out, nil
}

// of is the sales program p divides by.
func (s salesByNetwork) of(p monitoring.Program) int64 {
	var n int64
	for channel, count := range s[p.Network] {
		if !p.CardNotPresentOnly || channel == order.ChannelCardNotPresent {
			n += count
		}
	}
	return n
}
