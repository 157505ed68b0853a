// node:perf_hooks: the performance global; observers never observe.
'use strict';
class PerformanceObserver {
  constructor(cb) { this.cb = cb; }
  observe() {}
  disconnect() {}
}
PerformanceObserver.supportedEntryTypes = [];
module.exports = {
  get performance() { return globalThis.performance; },
  PerformanceObserver,
  constants: {},
  monitorEventLoopDelay: () => ({ enable() {}, disable() {}, min: 0, max: 0, mean: 0, stddev: 0, percentile: () => 0, percentiles: new Map() }),
  createHistogram: () => ({ record() {}, min: 0, max: 0, mean: 0, stddev: 0, percentile: () => 0 }),
};
