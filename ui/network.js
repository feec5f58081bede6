// network.js: what the page itself can see of its network use, shown to the
// user: every resource the page loaded (Resource Timing) and every load the
// Content-Security-Policy blocked (securitypolicyviolation events).  The
// worker's own loads (clinsum_web.js and .wasm) happen in its scope and are
// counted by the worker (see worker.js, 'ready' message: `requests`).
// A NetworkMonitor is an EventTarget: 'change' fires when a count moves.

export class NetworkMonitor extends EventTarget {
  constructor() {
    super();
    this.origin = location.origin;
    this.requests = [];   // {url, sameOrigin} seen by this page
    this.blocked = [];    // {url, directive} refused by the CSP
    this.workerRequests = 0;
    const add = (entries) => {
      for (const e of entries) this.requests.push({ url: e.name, sameOrigin: this.isSameOrigin(e.name) });
      this.dispatchEvent(new Event('change'));
    };
    add(performance.getEntriesByType('resource'));
    add(performance.getEntriesByType('navigation'));
    if (typeof PerformanceObserver === 'function') {
      new PerformanceObserver((list) => add(list.getEntries())).observe({ type: 'resource' });
    }
    document.addEventListener('securitypolicyviolation', (e) => {
      this.blocked.push({ url: e.blockedURI, directive: e.effectiveDirective });
      this.dispatchEvent(new Event('change'));
    });
  }

  isSameOrigin(url) {
    try { return new URL(url, location.href).origin === this.origin; } catch { return false; }
  }

  get total() { return this.requests.length + this.workerRequests; }
  get offOrigin() { return this.requests.filter((r) => !r.sameOrigin).length; }
}
