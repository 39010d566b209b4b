/** The dashboard's stylesheet, served as /admin/admin.css (the CSP allows no inline style); chart colours are classes. */
export const ADMIN_CSS = `*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK KR","Noto Sans CJK SC",Arial,sans-serif;color:#1b1b1f;background:#f4f5f7}
:lang(ko){word-break:keep-all}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:8px 20px;padding:12px 24px;background:#0f3b66;color:#fff}
header.top h1{font-size:20px;margin:0}
header.top p{margin:0}
header.top a{color:#cfe3ff}
header.top button,header.top select{font:inherit}
main{padding:16px 24px;max-width:1560px;margin:0 auto}
main.signin{max-width:460px;margin:48px auto;background:#fff;border-radius:8px;padding:24px;box-shadow:0 1px 3px #0002}
main.signin input{display:block;width:100%;margin:6px 0 12px;padding:8px;font:inherit}
.error{color:#a4262c;font-weight:600}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px;margin-bottom:16px}
.tile{background:#fff;border-radius:8px;padding:10px 14px;box-shadow:0 1px 2px #0002;display:flex;flex-direction:column}
.tile .k{color:#505058;font-size:13px}
.tile .v{font-size:24px;font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:16px}
figure{margin:0}
.card{background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 2px #0002}
.card figcaption{font-weight:600;margin-bottom:6px}
svg.chart{width:100%;height:auto;display:block}
.grid{stroke:#d8dae0;stroke-width:1}
.axis{font-size:11px;fill:#505058}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;margin:6px 0 0;font-size:13px}
.s-en{fill:#2f6fde}.s-ko{fill:#d0483a}.s-zh{fill:#e3a21a}
.s-answered{fill:#2e8540}.s-clarify{fill:#6f5bd6}.s-not_found{fill:#c2353b}
.s-up{fill:#2e8540}.s-down{fill:#c2353b}
.s-opened{fill:#2f6fde}.s-resolved{fill:#2e8540}
.s-rate{fill:none;stroke:#2e8540;stroke-width:2.5}.s-rate-dot{fill:#2e8540}
.empty{color:#505058;font-style:italic}
section.gaps,section.content{margin-top:24px}
.gap{background:#fff;border-radius:8px;padding:10px 14px;margin:10px 0;box-shadow:0 1px 2px #0002}
.gap h3{font-size:16px;margin:0 0 4px}
.gap .kind{display:inline-block;font-size:12px;background:#e8eefc;color:#0f3b66;border-radius:4px;padding:1px 6px;margin-right:4px}
.gap .meta{margin:2px 0;color:#303038}
.gap pre,.snippet pre{white-space:pre-wrap;word-break:break-word;background:#f6f7f9;border-radius:6px;padding:8px;margin:4px 0;font:13px/1.45 ui-monospace,Consolas,monospace}
.snippet{background:#fff;border-radius:8px;padding:10px 14px;margin:10px 0;box-shadow:0 1px 2px #0002}
.snippet figcaption{font-weight:600}
code{font-family:ui-monospace,Consolas,monospace}
.timing{color:#505058;font-size:12px;margin-top:24px}
:focus-visible{outline:3px solid #ffb900;outline-offset:2px}
`;
