export interface ChartRow {
  label: string;
  total: number;
  women: number;
}

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * A horizontal bar chart as inline SVG, drawn on the server: one bar per market, women and men in two
 * colours, the figures written beside it. No script, no library, and the table below carries the same
 * figures for screen readers.
 */
export function departuresChart(
  rows: ChartRow[],
  labels: { title: string; women: string; men: string },
  format: (value: number) => string,
): string {
  const width = 340;
  const labelWidth = 96;
  const barArea = width - labelWidth - 64;
  const rowHeight = 26;
  const top = 30;
  const height = top + rows.length * rowHeight + 8;
  const max = Math.max(1, ...rows.map((row) => row.total));
  const bars = rows
    .map((row, i) => {
      const y = top + i * rowHeight;
      const womenWidth = (row.women / max) * barArea;
      const menWidth = ((row.total - row.women) / max) * barArea;
      return (
        `<text x="${labelWidth - 6}" y="${y + 15}" text-anchor="end" class="l">${escapeXml(row.label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 3}" width="${womenWidth.toFixed(1)}" height="16" class="w"/>` +
        `<rect x="${(labelWidth + womenWidth).toFixed(1)}" y="${y + 3}" width="${menWidth.toFixed(1)}" height="16" class="m"/>` +
        `<text x="${(labelWidth + womenWidth + menWidth + 4).toFixed(1)}" y="${y + 15}" class="v">${escapeXml(format(row.total))}</text>`
      );
    })
    .join('');
  const legend =
    `<rect x="0" y="4" width="12" height="12" class="w"/><text x="16" y="14" class="l">${escapeXml(labels.women)}</text>` +
    `<rect x="80" y="4" width="12" height="12" class="m"/><text x="96" y="14" class="l">${escapeXml(labels.men)}</text>`;
  return (
    `<svg class="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="chart-title">${escapeXml(labels.title)}</title>${legend}${bars}</svg>`
  );
}
