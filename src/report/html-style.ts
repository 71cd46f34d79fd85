/**
 * Look of the HTML report: the colour palette, the inline style sheet and the small hover script.
 * Colours are the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies); lines
 * also differ by dash pattern so they stay apart when printed in grey.
 */

const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#000000', '#E69F00', '#56B4E9'];
const DASHES = ['', '7 4', '2 3', '9 3 2 3'];

export interface SeriesStyle {
  color: string;
  /** SVG stroke-dasharray; '' = solid. */
  dash: string;
}

export function seriesStyle(index: number): SeriesStyle {
  return { color: COLOURS[index % COLOURS.length], dash: DASHES[index % DASHES.length] };
}

export const STYLE = `
:root { color-scheme: light; --fg: #1b1b1b; --muted: #555; --line: #d0d0d0; --bg-alt: #f4f5f7;
  --pass: #0b6b2b; --pass-bg: #e3f4e8; --fail: #a40e26; --fail-bg: #fde7ea; --warn-bg: #fff4cc; --warn: #5c4300; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1120px; padding: 24px 28px 40px; color: var(--fg); background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--fg); }
h3 { font-size: 1.05rem; margin: 20px 0 8px; }
.sub { color: var(--muted); margin: 0 0 14px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.banner { border: 2px solid var(--warn); background: var(--warn-bg); color: var(--warn); padding: 10px 14px;
  border-radius: 6px; margin: 14px 0; font-weight: 600; }
.banner.fail { border-color: var(--fail); background: var(--fail-bg); color: var(--fail); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px; margin: 16px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; background: #fff; }
.card h3 { margin: 0 0 4px; font-size: .85rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.card .big { font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.card .big small { font-size: .85rem; font-weight: 400; color: var(--muted); }
.card ul { list-style: none; margin: 4px 0 0; padding: 0; font-size: .9rem; }
.card li { display: flex; justify-content: space-between; gap: 8px; font-variant-numeric: tabular-nums; }
.card li span:last-child { white-space: nowrap; }
.card.alert { border-color: var(--fail); border-width: 2px; }
.table-wrap { overflow-x: auto; margin: 8px 0 16px; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
.code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .85rem; }
table.narrow { width: auto; min-width: 280px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--bg-alt); border-bottom: 2px solid #999; }
tbody tr:nth-child(even) { background: #fafafa; }
tbody th { font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.empty { color: var(--muted); text-align: center; }
.detail { overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 700; font-size: .8rem; border: 1px solid; }
.badge.pass { color: var(--pass); background: var(--pass-bg); }
.badge.fail { color: var(--fail); background: var(--fail-bg); }
.note, .intro { color: var(--muted); }
figure.chart-box { margin: 10px 0 22px; break-inside: avoid; page-break-inside: avoid; }
figure.chart-box figcaption { font-weight: 600; margin-bottom: 4px; }
svg.chart { width: 100%; height: auto; display: block; background: #fff; }
svg.chart text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: #333; }
svg.chart .axis-title { font-weight: 600; fill: var(--fg); }
svg.chart .grid { stroke: #e2e2e2; stroke-width: 1; }
svg.chart .frame { fill: none; stroke: #888; stroke-width: 1; }
svg.chart .series { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
svg.chart .band rect { fill: #E69F00; fill-opacity: .16; stroke: #9a5b00; stroke-dasharray: 4 3; stroke-width: 1; }
svg.chart .band text { fill: #6b3f00; font-weight: 600; }
svg.chart .crosshair { stroke: #444; stroke-width: 1; stroke-dasharray: 3 3; }
ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 18px; padding: 0; margin: 6px 0 0; font-size: .85rem; }
ul.legend .swatch { display: inline-block; width: 26px; height: 0; margin-right: 6px; vertical-align: middle; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 0 24px; }
.tip { position: absolute; display: none; pointer-events: none; background: #fff; border: 1px solid #444;
  border-radius: 4px; padding: 6px 8px; font-size: .8rem; white-space: pre; box-shadow: 0 2px 6px rgba(0,0,0,.2); z-index: 10; }
footer { margin-top: 40px; padding-top: 10px; border-top: 1px solid var(--line); color: var(--muted); font-size: .85rem; }
a { color: #0050a0; }
nav.toc { font-size: .9rem; margin: 10px 0; }
nav.toc a { margin-right: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .tip, svg.chart .crosshair, nav.toc { display: none !important; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section { break-inside: auto; }
  .cards { grid-template-columns: repeat(3, 1fr); }
  .grid2 { grid-template-columns: 1fr 1fr; }
  a { color: inherit; text-decoration: none; }
  tbody tr:nth-child(even) { background: none; }
}
`;

/**
 * Hover read-out for charts carrying `data-tip` ({x: viewBox x per position, t: text per position}): a
 * crosshair and a text box follow the pointer. Without it the charts read the same, minus the hover.
 */
export const SCRIPT = `
(function () {
  var tip = document.createElement('div');
  tip.className = 'tip';
  tip.setAttribute('role', 'status');
  document.body.appendChild(tip);
  var charts = document.querySelectorAll('svg.chart[data-tip]');
  Array.prototype.forEach.call(charts, function (svg) {
    var data = JSON.parse(svg.getAttribute('data-tip') || '{}');
    if (!data.x || !data.x.length || !data.t) return;
    var line = svg.querySelector('.crosshair');
    var vb = svg.viewBox && svg.viewBox.baseVal;
    svg.addEventListener('mousemove', function (ev) {
      var r = svg.getBoundingClientRect();
      if (!r.width || !vb) return;
      var x = vb.x + ((ev.clientX - r.left) / r.width) * vb.width;
      var best = 0;
      for (var i = 1; i < data.x.length; i++) if (Math.abs(data.x[i] - x) < Math.abs(data.x[best] - x)) best = i;
      if (line) {
        line.setAttribute('x1', data.x[best]);
        line.setAttribute('x2', data.x[best]);
        line.setAttribute('visibility', 'visible');
      }
      tip.textContent = data.t[best] || '';
      tip.style.display = 'block';
      var left = ev.pageX + 14;
      if (ev.clientX + 14 + tip.offsetWidth > window.innerWidth) left = ev.pageX - 14 - tip.offsetWidth;
      tip.style.left = Math.max(0, left) + 'px';
      tip.style.top = ev.pageY + 14 + 'px';
    });
    svg.addEventListener('mouseleave', function () {
      tip.style.display = 'none';
      if (line) line.setAttribute('visibility', 'hidden');
    });
  });
})();
`;
