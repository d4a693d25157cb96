/** The report page's stylesheet and its one small script, inlined: the page needs no other file. */
export const STYLE = `
:root { --ok:#2e7d32; --fail:#c62828; --unknown:#ef8f00; --xfail:#6a1b9a; --na:#7b6a00; --ink:#1d2430; --muted:#5d6b7e; --line:#d8dee8; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; padding: 24px 32px 64px; background: #f6f8fb; }
h1 { margin: 0 0 4px; font-size: 24px; } h2 { font-size: 18px; margin: 0 0 6px; } h3 { font-size: 15px; margin: 18px 0 6px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.meta, .file { color: var(--muted); }
table { border-collapse: collapse; background: #fff; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 10px; text-align: left; vertical-align: top; }
th { background: #eef2f7; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } td.name { white-space: nowrap; }
.badge { display: inline-block; min-width: 52px; text-align: center; padding: 1px 8px; border-radius: 10px; color: #fff; font-weight: 700; font-size: 12px; }
.badge.PASS { background: var(--ok); } .badge.XFAIL { background: var(--xfail); } .badge.NA { background: var(--na); } .badge.FAIL, .badge.XPASS, .badge.ERROR { background: var(--fail); }
.overall { font-size: 16px; font-weight: 600; } .overall.ok { color: var(--ok); } .overall.bad { color: var(--fail); }
section.result { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 18px 0; }
section.result.verdict-FAIL, section.result.verdict-XPASS, section.result.verdict-ERROR { border-left: 6px solid var(--fail); }
section.result.verdict-XFAIL { border-left: 6px solid var(--xfail); } section.result.verdict-PASS { border-left: 6px solid var(--ok); }
section.result.verdict-NA { border-left: 6px solid var(--na); }
.story { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; } .timelines { min-width: 0; max-width: 100%; }
.interleaving { flex: 1 1 260px; max-width: 560px; background: #fafbfd; border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.interleaving h4 { margin: 0; font-size: 13px; } .interleaving .hint { margin: 0 0 4px; color: var(--muted); font-size: 12px; }
.interleaving ol { margin: 0; padding-left: 26px; font-size: 12.5px; } .interleaving li { margin: 1px 0; }
.interleaving .who, .interleaving .path { color: var(--muted); } .interleaving .path { font-family: ui-monospace, monospace; font-size: 11px; }
.interleaving li.faulted { color: #b34700; font-weight: 600; } .interleaving li.commit { color: #1565c0; }
.findings li { margin: 3px 0; } .findings code { font-weight: 700; }
.replay code { background: #eef2f7; padding: 2px 6px; border-radius: 4px; user-select: all; }
.controls { margin: 10px 0 0; }
.tl { overflow-x: auto; } .tl.time { display: none; } body.show-time .tl.time { display: block; } body.show-time .tl.order { display: none; }
svg.timeline { background: #fff; border: 1px solid var(--line); border-radius: 6px; }
svg .lane.even { fill: #fafbfd; } svg .lane.odd { fill: #f1f4f9; } svg .lane.server { fill: #e8edf5; }
svg .lane-name { font-size: 12px; font-weight: 600; fill: var(--ink); }
svg .axis-label { font-size: 11px; fill: var(--muted); }
svg .op .bar { stroke: rgba(0,0,0,.25); stroke-width: 1; }
svg .op.outcome-ok .bar { fill: var(--ok); } svg .op.outcome-fail .bar { fill: var(--fail); } svg .op.outcome-unknown .bar { fill: var(--unknown); }
svg .op.dup .bar { stroke: #ff1744; stroke-width: 3; }
svg .op-label { font-size: 11px; fill: var(--ink); }
svg .op.dup .op-label { fill: #b71c1c; font-weight: 700; }
svg .tick { stroke: #fff; stroke-width: 1.5; opacity: .85; }
svg .tick-label { font-size: 9.5px; fill: var(--muted); text-anchor: middle; } svg .tick-label.faulted { fill: #b34700; font-weight: 700; }
svg .link { stroke: #7a8599; stroke-dasharray: 3 3; }
svg .commit circle { fill: #1565c0; stroke: #fff; stroke-width: 1.5; }
svg .commit text, svg .fault text { font-size: 10.5px; fill: var(--ink); }
svg .commit.dup circle { fill: #ff1744; stroke: #7f0000; stroke-width: 2.5; }
svg .commit.dup text { fill: #b71c1c; font-weight: 700; }
svg .fault path { fill: #ff6f00; stroke: #7a3d00; }
svg .fault-link { stroke: #ff6f00; }
svg .dup-banner { font-size: 12px; font-weight: 700; fill: #b71c1c; }
.legend span { display: inline-block; margin-right: 14px; } .legend i { display: inline-block; width: 14px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: middle; }
details > summary { cursor: pointer; color: var(--muted); margin: 8px 0; }
`;

export const SCRIPT = `
document.querySelectorAll('input[name="axis"]').forEach(function (r) {
  r.addEventListener('change', function () { document.body.classList.toggle('show-time', r.value === 'time' && r.checked); });
});
`;
