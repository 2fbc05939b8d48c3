/** Peak resident set size of this process so far, in bytes (a high-water mark: it never falls). */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}
