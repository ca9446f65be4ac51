/**
 * A bar chart drawn by uPlot, with the same values as a table beside it for screen readers and
 * for anyone who wants the numbers. Categories (days, features, reasons) sit on the x axis.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { useT } from './i18n.ts';

export interface BarChartProps {
  title: string;
  labels: string[];
  values: number[];
  seriesLabel: string;
  /** Used for the chart's test id and the table's id. */
  id: string;
}

const HEIGHT = 220;

export function BarChart({ title, labels, values, seriesLabel, id }: BarChartProps) {
  const t = useT();
  const holder = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = holder.current;
    if (element === null) return undefined;
    const width = Math.max(280, Math.min(element.clientWidth || 600, 900));
    const xs = labels.map((_, index) => index);
    const labelStep = Math.ceil(labels.length / 12);
    const chart = new uPlot(
      {
        width,
        height: HEIGHT,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: false, range: [-0.5, labels.length - 0.5] },
          y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
        },
        axes: [
          {
            // At most about a dozen labels, so a month of days stays readable on a phone.
            values: (_u, splits) =>
              splits.map((split) => (split % labelStep === 0 ? (labels[split] ?? '') : '')),
            splits: () => xs,
            grid: { show: false },
          },
          { size: 60 },
        ],
        series: [
          {},
          {
            label: seriesLabel,
            fill: '#0f7a5c',
            stroke: '#0f7a5c',
            paths: uPlot.paths.bars?.({ size: [0.6, 64] }),
            points: { show: false },
          },
        ],
      },
      [xs, values],
      element,
    );
    return () => chart.destroy();
  }, [labels.join('\u0000'), values.join(','), seriesLabel]);

  return (
    <figure class="chart" data-chart={id}>
      <figcaption>{title}</figcaption>
      <div ref={holder} class="chart-canvas" role="img" aria-label={title} />
      <details>
        <summary>{t('common.dataTable')}</summary>
        <table id={`${id}-table`}>
          <tbody>
            {labels.map((label, index) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>{values[index]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
