// serve.mjs: start `clinsum serve` on a free loopback port for the browser
// tests and benchmark; resolves to {proc, url} once it prints its URL.
import { spawn } from 'node:child_process';

export function startServer(clinsum, web) {
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
