// Grouped bar charts drawn on a Raster: one panel per measured quantity, categories (commands) along x,
// one bar per series (server or configuration) in each group, value labels on the bars, "n/a" for gaps.

import { Raster, textWidth, GLYPH_H, type Rgb } from './png.js';

export interface Series {
  readonly name: string;
  readonly color: Rgb;
  /** One value per category; null draws "n/a". */
  readonly values: readonly (number | null)[];
}

export interface BarPanel {
  readonly title: string;
  readonly categories: readonly string[];
  readonly series: readonly Series[];
  /** Dashed horizontal reference lines (e.g. ratio 1.0). */
  readonly refLines?: readonly { value: number; label: string }[];
}

export const COLORS = {
  redis: [214, 69, 65] as Rgb,
  cairn: [52, 120, 198] as Rgb,
  series3: [90, 160, 90] as Rgb,
};

/** A panel with one Redis bar and one Cairn bar per category. */
export function redisCairnPanel(
  title: string,
  categories: readonly string[],
  redis: readonly (number | null)[],
  cairn: readonly (number | null)[],
): BarPanel {
  return {
    title,
    categories,
    series: [
      { name: 'Redis', color: COLORS.redis, values: redis },
      { name: 'Cairn', color: COLORS.cairn, values: cairn },
    ],
  };
}

const INK: Rgb = [30, 30, 30];
const GRID: Rgb = [225, 225, 225];
const MUTED: Rgb = [130, 130, 130];

const LEFT = 64;
const RIGHT = 24;
const PANEL_H = 330;
const TITLE_H = 58;
const AXIS_LABEL_H = 34;
const GROUP_GAP = 18;

/** Short label for a value: at most about five characters. */
export function shortNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e4) return `${Math.round(v / 1e3)}K`;
  if (a >= 100) return String(Math.round(v));
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** A "nice" axis step (1, 2, 2.5 or 5 × 10^k) giving about `ticks` intervals up to `max`. */
function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

function groupWidth(panel: BarPanel): number {
  const barW = panel.series.length <= 2 ? 30 : 26;
  const labels = Math.max(...panel.categories.map((c) => textWidth(c)));
  return Math.max(panel.series.length * barW, labels + 4) + GROUP_GAP;
}

function drawPanel(img: Raster, panel: BarPanel, top: number): void {
  const n = panel.categories.length;
  const gw = groupWidth(panel);
  const barW = Math.floor((gw - GROUP_GAP) / panel.series.length);
  const plotTop = top + TITLE_H;
  const plotH = PANEL_H - TITLE_H - AXIS_LABEL_H;
  const plotBottom = plotTop + plotH;
  const plotW = n * gw;

  img.text(LEFT, top + 10, panel.title, INK, 2);
  // Legend on the line below the title.
  let lx = LEFT;
  for (const s of panel.series) {
    img.fillRect(lx, top + 32, 10, 10, s.color);
    img.text(lx + 14, top + 34, s.name, INK);
    lx += textWidth(s.name) + 32;
  }

  const values = panel.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const refs = panel.refLines ?? [];
  const max = Math.max(...values, ...refs.map((r) => r.value), 1e-9);
  const step = niceStep(max * 1.08, 5);
  const axisMax = Math.ceil((max * 1.08) / step) * step;
  const y = (v: number): number => plotBottom - (v / axisMax) * plotH;

  for (let t = 0; t <= axisMax + step / 2; t += step) {
    const yy = Math.round(y(t));
    img.hline(LEFT, yy, plotW, GRID);
    const label = Number.isInteger(step) && t < 1e4 ? String(Math.round(t)) : shortNumber(t);
    img.textRight(LEFT - 6, yy - 3, label, MUTED);
  }
  img.vline(LEFT, plotTop, plotH + 1, INK);
  img.hline(LEFT, plotBottom, plotW, INK);

  for (let c = 0; c < n; c++) {
    const gx = LEFT + c * gw + GROUP_GAP / 2;
    const barsX = gx + (gw - GROUP_GAP - barW * panel.series.length) / 2;
    panel.series.forEach((s, i) => {
      const x = barsX + i * barW;
      const v = s.values[c];
      if (v === null || v === undefined || !Number.isFinite(v)) {
        img.textCentered(x + barW / 2, plotBottom - GLYPH_H - 3, 'n/a', MUTED);
        return;
      }
      const yy = y(v);
      img.fillRect(x + 1, yy, barW - 2, plotBottom - yy, s.color);
      img.textCentered(x + barW / 2, yy - GLYPH_H - 3, shortNumber(v), INK);
    });
    img.textCentered(gx + (gw - GROUP_GAP) / 2, plotBottom + 8, panel.categories[c]!, INK);
  }

  for (const r of refs) {
    const yy = Math.round(y(r.value));
    img.hline(LEFT, yy, plotW, INK, true);
    img.text(LEFT + plotW + 4, yy - 3, r.label, INK);
  }
}

/** Renders panels stacked vertically, with an optional footer line, as a PNG. */
export function renderChart(panels: readonly BarPanel[], footer = ''): Buffer {
  const width = Math.max(
    LEFT + Math.max(...panels.map((p) => p.categories.length * groupWidth(p))) + RIGHT + 40,
    LEFT + Math.max(...panels.map((p) => textWidth(p.title, 2))) + RIGHT,
    LEFT + textWidth(footer) + RIGHT,
  );
  const height = panels.length * PANEL_H + (footer ? 24 : 0) + 8;
  const img = new Raster(width, height);
  panels.forEach((p, i) => drawPanel(img, p, i * PANEL_H));
  if (footer) img.text(LEFT, panels.length * PANEL_H + 6, footer, MUTED);
  return img.toPng();
}
