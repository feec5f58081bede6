// harness.mjs: what the browser tests share: `clinsum serve` on a free port
// and Debian's chromium through playwright-core (never a downloaded browser).

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

// playwright-core from the npm-deps prefix (scripts/npm-deps.sh).
export function playwright(prefix) {
  return createRequire(path.join(prefix, 'node_modules', 'x.js'))('playwright-core');
}

// Starts `clinsum serve --root WEB --port 0`; resolves to {proc, url} once it
// prints the URL it listens on.  Its stderr is passed on, prefixed.
export function serve(clinsum, web) {
  return new Promise((resolve, reject) => {
    const p = spawn(clinsum, ['serve', '--root', web, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/at (http:\/\/\S+)/);
      if (m) resolve({ proc: p, url: m[1] });
    });
    p.stderr.on('data', (d) => process.stderr.write('serve: ' + d));
    p.on('exit', (c) => reject(new Error('clinsum serve exited with ' + c)));
    setTimeout(() => reject(new Error('clinsum serve printed no URL')), 10000);
  });
}

// Headless Debian chromium with its background traffic (updates, sync,
// safe browsing) off, so every request seen is the page's.
export function launchChromium(chromium) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// Whether `text` holds `s` as a token (not inside a longer run of letters or
// digits): the audit log and bundle are full of hex digests, inside which a
// short all-digit identifier (a ZIP code, a year) turns up by chance.
export function hasToken(text, s) {
  const esc = s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp('(^|[^\\p{L}\\p{N}])' + esc + '($|[^\\p{L}\\p{N}])', 'u').test(text);
}

// The tests' reporter: check(what, cond, detail) prints "ok: PREFIXwhat" or
// "FAIL: PREFIXwhat (detail)" and returns cond; fail() counts a failure
// reported another way; failures() says how many so far.
export function checker(prefix) {
  let n = 0;
  return {
    check(what, cond, detail) {
      if (cond) console.log('ok: ' + prefix + what);
      else { n++; console.log('FAIL: ' + prefix + what + (detail ? ' (' + detail + ')' : '')); }
      return cond;
    },
    fail() { n++; },
    failures: () => n,
  };
}
