// worker-client.js: the page's side of the worker protocol (see worker.js).
// A ClinsumWorker is an EventTarget: every message from the worker is
// dispatched as a CustomEvent named after its type ('ready', 'parsed',
// 'redacted', 'summary', 'done', 'error') with the message as `detail`, so
// other modules (e.g. an audit log) can listen without touching app.js.

export class ClinsumWorker extends EventTarget {
  constructor(url = 'worker.js') {
    super();
    this.nextId = 1;
    this.ready = false;
    this.worker = new Worker(url);
    this.worker.onmessage = (e) => {
      const msg = e.data || {};
      if (msg.type === 'ready') this.ready = true;
      this.dispatchEvent(new CustomEvent(msg.type, { detail: msg }));
    };
    this.worker.onerror = (e) => {
      e.preventDefault();
      this.dispatchEvent(new CustomEvent('error', {
        detail: { type: 'error', id: null, stage: 'load', message: e.message || 'the worker failed to start' },
      }));
    };
  }

  // Send a file's bytes (the ArrayBuffer is transferred, not copied) and
  // return the id that the replies will carry.
  process(name, bytes, style) {
    const id = this.nextId++;
    this.worker.postMessage({ type: 'process', id, name, bytes, style }, [bytes]);
    return id;
  }
}
