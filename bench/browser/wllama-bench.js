// wllama-bench.js: the wllama side of bench/browser.mjs.  Loads the model
// picked in #model with wllama (its own wasm file, served from this
// directory) and measures what bench_infer measures: prefill tokens/s of a
// ~512-token prompt (one completion token), decode tokens/s over 128 tokens
// (greedy, EOS ignored, nothing cached between runs) and time to first
// token of the long prompt, best of `reps`.
import { Wllama } from './index.js';

window.benchWllama = async (nThreads, nPrompt, nGen, reps) => {
  const file = document.getElementById('model').files[0];
  const w = new Wllama({ default: './wllama.wasm' }, { suppressNativeLog: true });
  const t0 = performance.now();
  await w.loadModel([file], { n_threads: nThreads, n_ctx: nPrompt + nGen + 64, n_batch: 512, n_gpu_layers: 0 });
  const loadMs = performance.now() - t0;
  const words = ['patient', 'admitted', 'with', 'chest', 'pain', 'and', 'shortness', 'of', 'breath', 'the'];
  const prompt = Array.from({ length: nPrompt }, (_, i) => words[(i * 7) % words.length]).join(' ');
  let best = { prefill: 0, decode: 0, ttft: Infinity, prompt_n: 0, predicted_n: 0 };
  for (let r = 0; r < reps; r++) {
    const a = performance.now();
    const p = await w.createCompletion({ prompt, max_tokens: 1, temperature: 0, cache_prompt: false });
    const ttft = performance.now() - a;
    const d = await w.createCompletion({ prompt: 'The', max_tokens: nGen, temperature: 0, ignore_eos: true, cache_prompt: false });
    best.prefill = Math.max(best.prefill, p.timings.prompt_per_second);
    best.prompt_n = p.timings.prompt_n;
    best.ttft = Math.min(best.ttft, ttft);
    best.decode = Math.max(best.decode, d.timings.predicted_per_second);
    best.predicted_n = d.timings.predicted_n;
  }
  const threads = w.getNumThreads();
  const multi = w.isMultithread();
  await w.exit();
  return { ...best, load_ms: loadMs, threads, multi, version: Wllama.getLibllamaVersion ? Wllama.getLibllamaVersion() : '' };
};
window.benchReady = true;
