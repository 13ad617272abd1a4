// Checks for layer configs (which may come from JSON specs), throwing messages that name the layer and the field.

export function requirePositiveInt(layer: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${layer}: ${field} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** value in [lo, hi] (closed), or in (lo, hi] when openLow. */
export function requireInRange(
  layer: string,
  field: string,
  value: unknown,
  lo: number,
  hi: number,
  openLow = false,
): number {
  const ok = typeof value === 'number' && (openLow ? value > lo : value >= lo) && value <= hi;
  if (!ok) throw new Error(`${layer}: ${field} must be in ${openLow ? '(' : '['}${lo}, ${hi}], got ${String(value)}`);
  return value as number;
}
