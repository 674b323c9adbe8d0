import type { RedBreakdown } from "@meshscope/model";
import { LineChart } from "../../components/charts/LineChart";
import { formatMs, formatPercent, formatRps, tickMs, tickNumber, tickPercent } from "../../components/format-metrics";
import { EmptyState } from "../../components/states";
import { redChartData } from "./red-series";

/** Request rate, error ratio and latency quantiles of one direction's total traffic, side by side. Pure. */
export function RedCharts({ red, direction }: { red: RedBreakdown; direction: "inbound" | "outbound" }) {
  const data = redChartData(red.total);
  if (red.total.every((p) => p.rps === 0)) {
    return (
      <EmptyState title={`No ${direction} requests in this window`} testId={`${direction}-empty`}>
        <p>
          {direction === "inbound"
            ? "Nothing called this service in the window, or its proxies did not report."
            : "This service called nothing in the window, or its proxies did not report."}
        </p>
      </EmptyState>
    );
  }
  return (
    <div className="chart-grid" data-testid={`${direction}-charts`}>
      <LineChart
        title="Request rate (req/s)"
        times={data.times}
        series={data.rps}
        formatValue={formatRps}
        formatTick={tickNumber}
        minYMax={1}
      />
      <LineChart
        title="Error ratio"
        times={data.times}
        series={data.errorRate}
        formatValue={formatPercent}
        formatTick={tickPercent}
        minYMax={0.01}
      />
      <LineChart
        title="Latency"
        times={data.times}
        series={data.latency}
        formatValue={formatMs}
        formatTick={tickMs}
        minYMax={1}
        emptyText="No latency histogram in this window"
      />
    </div>
  );
}
