// agent/ui/style.ts: the one style sheet, served from /static/style.css (kept in code so the package needs no
// asset files). No script anywhere: the CSP forbids it. Bands carry their name in text, not only a colour.
export const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #57606a; --bg: #fff; --line: #d0d7de; --card: #f6f8fa;
  --high: #b42318; --medium: #b54708; --low: #175cd3; --info: #57606a; --ok: #067647; --link: #0b57d0; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9da7b3; --bg: #0d1117; --line: #30363d; --card: #161b22;
  --high: #ff7b72; --medium: #f0b429; --low: #79c0ff; --info: #9da7b3; --ok: #56d364; --link: #79c0ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--link); overflow-wrap: anywhere; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: var(--bg); padding: 4px 8px; }
header { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; padding: 10px 16px; border-bottom: 1px solid var(--line); }
.brand { font-weight: 600; } nav { display: flex; gap: 12px; flex-wrap: wrap; } nav a[aria-current] { font-weight: 600; text-decoration: none; }
.logout { margin-left: auto; }
main { max-width: 1100px; margin: 0 auto; padding: 12px 16px 48px; overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; margin: 8px 0; } h2 { font-size: 1.15rem; margin-top: 28px; }
.muted, .meta, .crumbs, .lede { color: var(--muted); } .meta { font-size: .9rem; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: .88rem; }
pre { white-space: pre-wrap; word-break: break-all; margin: 4px 0 0; padding: 8px; background: var(--card); border-radius: 6px; }
.band { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: .85rem; font-weight: 600; border: 1px solid currentColor; }
.band-high { color: var(--high); } .band-medium { color: var(--medium); } .band-low { color: var(--low); } .band-info { color: var(--info); }
.risk { font-weight: 400; }
.flag { color: var(--high); font-weight: 600; font-size: .9rem; }
.state { font-size: .85rem; } .state-open { color: var(--medium); } .state-closed { color: var(--ok); }
.items { list-style: none; padding: 0; margin: 12px 0; }
.item { padding: 10px 12px; margin: 8px 0; border: 1px solid var(--line); border-left-width: 5px; border-radius: 6px; background: var(--card); }
.item-high { border-left-color: var(--high); } .item-medium { border-left-color: var(--medium); } .item-low { border-left-color: var(--low); }
.filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 8px 12px; padding: 12px; border: 1px solid var(--line); border-radius: 6px; }
label { display: flex; flex-direction: column; gap: 2px; font-size: .9rem; }
label.radio { flex-direction: row; align-items: center; gap: 6px; }
input, select, textarea, button { font: inherit; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); min-width: 0; }
button { cursor: pointer; background: var(--card); font-weight: 600; }
.buttons { display: flex; gap: 12px; align-items: end; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; } .facts dt { color: var(--muted); } .facts dd { margin: 0; }
@media (max-width: 520px) { .facts { grid-template-columns: 1fr; } .facts dd { margin-bottom: 6px; } }
table { border-collapse: collapse; width: 100%; } th { white-space: nowrap; } th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.evidence, .timeline, .history { padding-left: 20px; } .evidence li, .timeline li, .history li { margin: 6px 0; }
.tactic { font-size: .85rem; padding: 0 6px; border: 1px solid var(--line); border-radius: 8px; }
.decide { display: grid; gap: 10px; max-width: 560px; padding: 12px; border: 1px solid var(--line); border-radius: 6px; margin-top: 16px; }
.decide h2 { margin: 0; } fieldset { border: 1px solid var(--line); border-radius: 6px; }
.problems { border: 1px solid var(--high); padding: 8px 12px; border-radius: 6px; }
.flash { border: 1px solid var(--ok); padding: 8px 12px; border-radius: 6px; }
blockquote { margin: 4px 0 0 12px; white-space: pre-wrap; color: var(--muted); }
.answer { overflow-x: auto; } .answer table { overflow-wrap: normal; } .answer td { min-width: 6ch; }
.pages { display: flex; gap: 16px; flex-wrap: wrap; align-items: center; margin: 12px 0; }
`;
