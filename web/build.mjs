// Builds both apps into dist/<app>/: index.html, app.js (one minified ES module bundle) and app.css, and writes
// dist/sizes.json (bytes and gzip bytes per file), the bundle size the README states.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const apps = {
  'privacy-center': { title: 'Pledge · Privacy center 隐私中心', lang: 'zh-CN' },
  'operator-console': { title: 'Pledge · Operator console', lang: 'en' },
};
rmSync('dist', { recursive: true, force: true });
const sizes = {};
for (const [app, meta] of Object.entries(apps)) {
  const out = join('dist', app);
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [`src/${app}/main.ts`], bundle: true, minify: true, format: 'esm', target: 'es2022',
    outfile: join(out, 'app.js'), legalComments: 'none', logLevel: 'warning',
  });
  copyFileSync('src/common/style.css', join(out, 'app.css'));
  writeFileSync(join(out, 'index.html'), `<!doctype html>
<html lang="${meta.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${meta.title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="app.css">
<script type="module" src="app.js"></script>
</head>
<body>
<div id="app"><p>${meta.title}</p></div>
<noscript>This app needs JavaScript.</noscript>
</body>
</html>
`);
  sizes[app] = {};
  let total = 0;
  let totalGzip = 0;
  for (const f of readdirSync(out).sort()) {
    const bytes = readFileSync(join(out, f));
    const gz = gzipSync(bytes, { level: 9 }).length;
    sizes[app][f] = { bytes: bytes.length, gzip: gz };
    total += bytes.length;
    totalGzip += gz;
  }
  sizes[app].total = { bytes: total, gzip: totalGzip };
}
writeFileSync('dist/sizes.json', JSON.stringify(sizes, null, 2) + '\n');
for (const [app, s] of Object.entries(sizes)) {
  console.log(`${app}: ${s.total.bytes} bytes (${s.total.gzip} gzip)`);
}
