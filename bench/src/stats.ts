// Small statistics helpers: quantiles over rounds and the formatting used by the tables.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export const median = (v: number[]): number => quantile(v, 0.5);

/** "min–max" for a few rounds, "p25–p75" from five rounds up. */
export function spread(values: number[], digits = 3): string {
  if (values.length === 0) return "–";
  if (values.length < 5) return `${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)}`;
  return `${fmt(quantile(values, 0.25), digits)}–${fmt(quantile(values, 0.75), digits)}`;
}

export function fmt(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return "n/a";
  const abs = Math.abs(n);
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(Math.max(0, digits - 1));
  return n.toPrecision(digits);
}

export function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return "n/a";
  return `${(a / b).toFixed(2)}×`;
}

let gcFn: (() => void) | undefined | null;
/** A full GC between measurements when the runtime allows it (no --expose-gc needed). */
export function collectGarbage(): void {
  if (gcFn === undefined) {
    try {
      setFlagsFromString("--expose-gc");
      gcFn = runInNewContext("gc") as () => void;
    } catch {
      gcFn = null;
    }
  }
  gcFn?.();
}
