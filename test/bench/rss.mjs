/**
 * Samples the process's RSS every `everyMs` (and the V8 heap every tenth time: that reading costs
 * more) until stopped; reports the peaks and the wall time the sampling itself took.
 */
export function startRssSampler(everyMs) {
  const peak = { peakRss: 0, peakHeapUsed: 0, samples: 0, samplerMs: 0 };
  const sample = () => {
    const t0 = performance.now();
    const rss = process.memoryUsage.rss();
    if (rss > peak.peakRss) peak.peakRss = rss;
    if (peak.samples++ % 10 === 0) peak.peakHeapUsed = Math.max(peak.peakHeapUsed, process.memoryUsage().heapUsed);
    peak.samplerMs += performance.now() - t0;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { ...peak };
    },
  };
}
